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
    """The reasons in one sentence (and why a step beyond target is there)."""
    effort: str
    owner: str
    depends_on: tuple[str, ...]
    answer: str
    is_beyond_target: bool


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


BEYOND_TARGET_REASON = "beyond the dimension's target: a step within target depends on it"
"""Why a step that raises a dimension past its target is on the roadmap."""


def _step_view(step: RoadmapStep, result: Result) -> StepView:
    reasons = step.reasons + ((BEYOND_TARGET_REASON,) if step.is_beyond_target else ())
    return StepView(
        order=step.order,
        practice=step.practice,
        anchor=f"s-{step.practice}",
        title=step.title,
        dimension=result.dimension(step.dimension).title,
        unlocks=step.unlocks,
        action=step.action,
        reasons=step.reasons,
        why="; ".join(reasons) + ".",
        effort=EFFORT_LABELS[step.effort],
        owner=step.owner_role or "—",
        depends_on=step.depends_on,
        answer=ANSWER_LABELS[step.answer],
        is_beyond_target=step.is_beyond_target,
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
        phases.append(
            PhaseView(
                number=number,
                title=f"Phase {number}",
                summary=(
                    f"{plural(len(steps), 'step')} in {plural(dimension_count, 'dimension')}; "
                    f"effort {efforts}."
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
    else:
        intro = "Every dimension has reached its target: the roadmap is empty."
    return Roadmap(
        section=ref,
        intro=intro,
        phases=tuple(phases),
        header=("Phase", "Steps", "Effort", "Unlocks"),
        rows=tuple(rows),
    )
