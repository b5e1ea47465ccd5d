"""Progress between assessments (method.md, Progress between assessments). Pure.

``compare(baseline, current)`` matches dimensions and practices by id and returns a frozen
:class:`~assess.model.progress.Progress`: level and score deltas, percent-to-target,
progress-to-date and the practice diff.
"""

from __future__ import annotations

from typing import TypeVar

from assess.errors import InputError
from assess.model.progress import (
    ChangeKind,
    DimensionProgress,
    PracticeChange,
    Progress,
    ResultRef,
)
from assess.model.result import DimensionResult, PracticeResult, Result

N = TypeVar("N", int, float)

TOP = 3
"""How many dimensions the most-improved and areas-of-concern lists hold."""


def percent_to_target(result: Result) -> float | None:
    """1 − Σ_d max(0, T_d − S_d) / Σ_d max(T_d − 1, 0) over applicable dimensions.

    Dimensions whose target is 1 are skipped; ``None`` when no dimension counts.
    """
    counted = [d for d in result.dimensions if d.score is not None and d.target > 1]
    if not counted:
        return None
    shortfall = sum(max(0.0, d.target - d.score) for d in counted if d.score is not None)
    reach = sum(d.target - 1 for d in counted)
    return 1 - shortfall / reach


def progress_to_date(baseline: Result, current: Result) -> float | None:
    """(O_now − O_baseline) / (O_target − O_baseline), O_target the current weighted target.

    ``None`` when a score is missing or the denominator is 0.
    """
    now, before, target = (
        current.overall.score,
        baseline.overall.score,
        current.overall.target_score,
    )
    if now is None or before is None or target is None or target == before:
        return None
    return (now - before) / (target - before)


def compare(baseline: Result, current: Result) -> Progress:
    """What moved from ``baseline`` to ``current`` (same questionnaire id)."""
    if baseline.questionnaire.id != current.questionnaire.id:
        raise InputError(
            f"the baseline was scored against questionnaire '{baseline.questionnaire.id}', "
            f"this assessment against '{current.questionnaire.id}': they cannot be compared"
        )
    dimensions = _dimensions(baseline, current)
    rising = sorted(
        (d for d in dimensions if d.delta_score is not None and d.delta_score > 0),
        key=lambda d: -(d.delta_score or 0.0),
    )
    falling = sorted(
        (d for d in dimensions if d.delta_score is not None and d.delta_score < 0),
        key=lambda d: d.delta_score or 0.0,
    )
    o_now, o_before = current.overall.score, baseline.overall.score
    return Progress(
        baseline=_ref(baseline),
        current=_ref(current),
        is_questionnaire_changed=baseline.questionnaire.version != current.questionnaire.version,
        delta_overall=None if o_now is None or o_before is None else o_now - o_before,
        percent_to_target=percent_to_target(current),
        baseline_percent_to_target=percent_to_target(baseline),
        progress_to_date=progress_to_date(baseline, current),
        dimensions=dimensions,
        most_improved=tuple(d.id for d in rising[:TOP]),
        areas_of_concern=tuple(d.id for d in falling[:TOP]),
        practices=_practices(baseline, current),
    )


def _ref(result: Result) -> ResultRef:
    return ResultRef(
        evaluated_at=result.evaluated_at,
        questionnaire_id=result.questionnaire.id,
        questionnaire_version=result.questionnaire.version,
        overall_score=result.overall.score,
        overall_level=result.overall.level,
    )


def _delta(before: N | None, now: N | None) -> N | None:
    if before is None or now is None:
        return None
    return now - before


def _dimensions(baseline: Result, current: Result) -> tuple[DimensionProgress, ...]:
    before = {d.id: d for d in baseline.dimensions}
    now_ids = {d.id for d in current.dimensions}
    rows = [_dimension(before.get(d.id), d) for d in current.dimensions]
    rows += [_dimension(d, None) for d in baseline.dimensions if d.id not in now_ids]
    return tuple(rows)


def _dimension(before: DimensionResult | None, now: DimensionResult | None) -> DimensionProgress:
    named = now if now is not None else before
    assert named is not None
    b_level = before.level if before is not None else None
    n_level = now.level if now is not None else None
    b_score = before.score if before is not None else None
    n_score = now.score if now is not None else None
    return DimensionProgress(
        id=named.id,
        title=named.title,
        target=now.target if now is not None else None,
        baseline_level=b_level,
        current_level=n_level,
        delta_level=_delta(b_level, n_level),
        baseline_score=b_score,
        current_score=n_score,
        delta_score=_delta(b_score, n_score),
    )


def _practices(baseline: Result, current: Result) -> tuple[PracticeChange, ...]:
    before = {p.id: p for d in baseline.dimensions for p in d.practices}
    now_ids: set[str] = set()
    changes = []
    for dimension in current.dimensions:
        for practice in dimension.practices:
            now_ids.add(practice.id)
            changes.append(_change(before.get(practice.id), practice))
    changes += [
        _change(practice, None)
        for dimension in baseline.dimensions
        for practice in dimension.practices
        if practice.id not in now_ids
    ]
    return tuple(changes)


def _kind(before: PracticeResult | None, now: PracticeResult | None) -> ChangeKind:
    if before is None:
        return ChangeKind.NEW
    if now is None:
        return ChangeKind.REMOVED
    if (before.value is None) != (now.value is None):
        return ChangeKind.RESCOPED
    if before.value is None or now.value is None or now.value == before.value:
        return ChangeKind.UNCHANGED
    return ChangeKind.IMPROVED if now.value > before.value else ChangeKind.REGRESSED


def _change(before: PracticeResult | None, now: PracticeResult | None) -> PracticeChange:
    named = now if now is not None else before
    assert named is not None
    return PracticeChange(
        practice=named.id,
        dimension=named.dimension,
        title=named.title,
        kind=_kind(before, now),
        baseline_answer=before.answer if before is not None else None,
        current_answer=now.answer if now is not None else None,
        baseline_value=before.value if before is not None else None,
        current_value=now.value if now is not None else None,
    )
