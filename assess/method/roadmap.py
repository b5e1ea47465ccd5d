"""Gaps → the phased, dependency-ordered roadmap (method.md, Roadmap). Pure."""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from functools import cache

from assess.method.findings import finding_sentences
from assess.model.evidence import EvidenceEffect
from assess.model.questionnaire import Questionnaire
from assess.model.result import DimensionResult, Flag, PracticeResult, RoadmapStep


def plan_roadmap(
    questionnaire: Questionnaire, dimensions: Sequence[DimensionResult]
) -> tuple[RoadmapStep, ...]:
    """The roadmap steps in order.

    Steps are the applicable practices below the gate at or under their dimension's target, plus
    every unmet practice such a step depends on (transitively, across dimensions).
    """
    by_dimension = {d.id: d for d in dimensions}
    unmet: dict[str, PracticeResult] = {
        p.id: p
        for d in dimensions
        if d.applicable
        for p in d.practices
        if p.value is not None and not p.is_met
    }

    @cache
    def unmet_dependencies(practice_id: str) -> tuple[str, ...]:
        """The unmet practices ``practice_id`` depends on, also through met ones (method.md:
        transitively): a met practice resting on an unmet one does not hide it."""
        found: dict[str, None] = {}
        for dep in questionnaire.practices[practice_id].depends_on:
            if dep in unmet:
                found[dep] = None
            elif dep in questionnaire.practices:
                found.update(dict.fromkeys(unmet_dependencies(dep)))
        return tuple(found)

    seeds = [pid for pid, p in unmet.items() if p.level <= by_dimension[p.dimension].target]
    selected: dict[str, None] = {}
    stack = list(reversed(seeds))
    while stack:
        pid = stack.pop()
        if pid in selected:
            continue
        selected[pid] = None
        stack.extend(unmet_dependencies(pid))

    @cache
    def phase(pid: str) -> int:
        practice = unmet[pid]
        achieved = by_dimension[practice.dimension].level
        assert achieved is not None  # unmet practices only come from applicable dimensions
        own = practice.level - achieved
        return max([own, *(phase(dep) for dep in unmet_dependencies(pid))])

    def priority(pid: str) -> float:
        practice = unmet[pid]
        return by_dimension[practice.dimension].weight * practice.weight

    # Kahn's algorithm, one phase after another. A dependency's phase is never later than its
    # dependant's, so steps from earlier phases are already placed when a phase starts.
    seed_set = set(seeds)
    ordered: list[str] = []
    placed: set[str] = set()
    for current in sorted({phase(pid) for pid in selected}):
        members = [pid for pid in selected if phase(pid) == current]
        waiting = {
            pid: {dep for dep in unmet_dependencies(pid) if dep not in placed} for pid in members
        }
        ready = [
            _sort_key(pid, priority(pid), questionnaire)
            for pid, deps in waiting.items()
            if not deps
        ]
        heapq.heapify(ready)
        while ready:
            *_, pid = heapq.heappop(ready)
            ordered.append(pid)
            placed.add(pid)
            for other, deps in waiting.items():
                if pid in deps:
                    deps.discard(pid)
                    if not deps:
                        heapq.heappush(ready, _sort_key(other, priority(other), questionnaire))
        assert all(pid in placed for pid in members), "dependency cycle slipped past validation"

    dependants: dict[str, list[str]] = {}
    for pid in ordered:
        for dep in unmet_dependencies(pid):
            dependants.setdefault(dep, []).append(pid)

    steps = []
    for order, pid in enumerate(ordered, start=1):
        practice = unmet[pid]
        definition = questionnaire.practices[pid]
        dimension = by_dimension[practice.dimension]
        steps.append(
            RoadmapStep(
                order=order,
                phase=phase(pid),
                practice=pid,
                dimension=dimension.id,
                title=practice.title,
                level=practice.level,
                unlocks=f"{dimension.title} → {questionnaire.level_label(practice.level)}",
                action=definition.recommendation,
                reasons=_reasons(practice, dimension, dependants.get(pid, []), questionnaire),
                effort=definition.effort,
                owner_role=definition.owner_role,
                depends_on=unmet_dependencies(pid),
                priority=priority(pid),
                answer=practice.answer,
                value=practice.value if practice.value is not None else 0.0,
                counted=practice.counted,
                is_beyond_target=pid not in seed_set,
                is_assessed=not practice.is_unanswered,
            )
        )
    return tuple(steps)


def _sort_key(pid: str, priority: float, questionnaire: Questionnaire) -> tuple[float, int, str]:
    """Higher priority first, then quicker effort, then id."""
    return (-priority, questionnaire.practices[pid].effort.rank, pid)


def answer_reason(practice: PracticeResult) -> str:
    """The answer counted, and what was said when that differs (method.md, Answer counted)."""
    if practice.is_unanswered:
        return "Not assessed: nobody answered this practice, so it counts as not implemented."
    said = []
    if practice.override is not None:
        said.append(f"the assessor set {practice.answer}")
        if practice.consolidated_answer is not practice.answer:
            said.append(f"the respondents said {practice.consolidated_answer}")
    elif practice.counted is not practice.answer:
        said.append(f"the respondents said {practice.answer}")
    return f"Answer counted: {practice.counted}" + (f" ({'; '.join(said)})." if said else ".")


def _reasons(
    practice: PracticeResult,
    dimension: DimensionResult,
    dependants: Sequence[str],
    questionnaire: Questionnaire,
) -> tuple[str, ...]:
    """Why a step is on the roadmap, one sentence each."""
    assert dimension.level is not None
    reasons = []
    if practice.level <= dimension.target:
        reasons.append(
            f"{dimension.title} is at level {dimension.level} "
            f"({questionnaire.level_label(dimension.level)}); its target is {dimension.target} "
            f"({questionnaire.level_label(dimension.target)})."
        )
    else:
        reasons.append(
            f"Needed first by {', '.join(dependants)} (beyond the {dimension.title} target)."
        )
    reasons.append(answer_reason(practice))
    if Flag.CONTRADICTED in practice.flags:
        reasons.append(
            "Contradicted by scan evidence, so it counts as partially at most. "
            + practice.flag_reasons[Flag.CONTRADICTED]
        )
    if Flag.UNEVIDENCED in practice.flags:
        reasons.append(f"Unevidenced: {practice.flag_reasons[Flag.UNEVIDENCED]}.")
    if Flag.DIVERGENT in practice.flags:
        reasons.append(f"Divergent: {practice.flag_reasons[Flag.DIVERGENT]}.")
    if Flag.UNKNOWN in practice.flags:
        reasons.append("Unknown: the respondents did not know.")
    lead = (
        "Scan evidence contradicts the answer; the assessor's override lifts the cap."
        if practice.override is not None
        else "Scan evidence points to the same gap."
    )
    against = [
        finding_sentences(f)
        for f in practice.evidence_findings
        if f.is_fired
        and f.effect is EvidenceEffect.CONTRADICTS
        and Flag.CONTRADICTED not in practice.flags
    ]
    if against:
        reasons.append(" ".join([lead, *against]))
    if dependants and practice.level <= dimension.target:
        reasons.append(f"Needed first by {', '.join(dependants)}.")
    return tuple(reasons)
