"""Section 6, the roadmap: its phases with their size, effort and the levels they unlock, then
every step with what to do, why, effort, owner and dependencies."""

from __future__ import annotations

from assess.model.base import Frozen
from assess.model.questionnaire import Effort
from assess.model.result import Result, RoadmapStep
from assess.render.view.blocks import SectionRef, TableRow
from assess.render.view.labels import ANSWER_LABELS, EFFORT_LABELS
from assess.support.words import plural


class StepView(Frozen):
    """A roadmap step."""

    order: int
    practice: str
    anchor: str
    title: str
    dimension: str
    unlocks: str
    action: str
    reasons: tuple[str, ...]
    why: str
    """The reasons, one sentence each, in one paragraph."""
    effort: str
    owner: str
    depends_on: tuple[str, ...]
    answer: str
    """The answer counted (what the step starts from)."""
    is_beyond_target: bool
    is_assessed: bool = True
    """False when nobody answered the practice: the step is marked "not assessed"."""


class PhaseView(Frozen):
    """One roadmap phase."""

    number: int
    title: str
    summary: str
    steps: tuple[StepView, ...]


class Roadmap(Frozen):
    """The phased roadmap."""

    section: SectionRef
    intro: str
    phases: tuple[PhaseView, ...]
    header: tuple[str, ...]
    rows: tuple[TableRow, ...]


NOT_ASSESSED = "not assessed"
"""The mark of a step for a practice nobody answered (method.md, Completeness)."""


def _step_view(step: RoadmapStep, result: Result) -> StepView:
    return StepView(
        order=step.order,
        practice=step.practice,
        anchor=f"s-{step.practice}",
        title=step.title,
        dimension=result.dimension(step.dimension).title,
        unlocks=step.unlocks,
        action=step.action,
        reasons=step.reasons,
        why=" ".join(step.reasons),
        effort=EFFORT_LABELS[step.effort],
        owner=step.owner_role or "—",
        depends_on=step.depends_on,
        answer=ANSWER_LABELS[step.counted],
        is_beyond_target=step.is_beyond_target,
        is_assessed=step.is_assessed,
    )


def roadmap(result: Result, ref: SectionRef) -> Roadmap:
    """The roadmap section: one phase view and one summary row per phase."""
    phases = []
    rows = []
    for number in sorted({s.phase for s in result.roadmap}):
        steps = [s for s in result.roadmap if s.phase == number]
        efforts = ", ".join(
            f"{sum(1 for s in steps if s.effort is e)} {e.value}"
            for e in Effort
            if any(s.effort is e for s in steps)
        )
        dimension_count = len({s.dimension for s in steps})
        unassessed = sum(1 for s in steps if not s.is_assessed)
        phases.append(
            PhaseView(
                number=number,
                title=f"Phase {number}",
                summary=(
                    f"{plural(len(steps), 'step')} in {plural(dimension_count, 'dimension')}; "
                    f"effort {efforts}"
                    + (f"; {unassessed} {NOT_ASSESSED}" if unassessed else "")
                    + "."
                ),
                steps=tuple(_step_view(s, result) for s in steps),
            )
        )
        raised = sorted({s.unlocks for s in steps})
        rows.append(
            TableRow(cells=(f"Phase {number}", str(len(steps)), efforts, "; ".join(raised)))
        )
    if result.roadmap:
        intro = (
            f"{plural(len(result.roadmap), 'step')} close the gaps between each dimension's "
            "level and its target. Phase 1 holds the steps that take a dimension one level up, "
            "phase 2 the next level, and so on; a step waits for the phase of any step it "
            "depends on. Within a phase a step never comes before a step it depends on, and "
            "steps with more weight come first, quick wins before long projects."
        )
        unassessed = sum(1 for s in result.roadmap if not s.is_assessed)
        if unassessed:
            intro += (
                f" {plural(unassessed, 'step')} marked “{NOT_ASSESSED}” concern practices "
                "nobody answered: they may already be in place, and belong on the plan only "
                "once someone says they are not."
            )
    else:
        intro = "Every dimension has reached its target: the roadmap is empty."
    return Roadmap(
        section=ref,
        intro=intro,
        phases=tuple(phases),
        header=("Phase", "Steps", "Effort", "Unlocks"),
        rows=tuple(rows),
    )
