"""Progress between assessments (method.md, Progress between assessments). Pure.

``compare(baseline, current)`` matches dimensions and practices by id and returns a frozen
:class:`~assess.model.progress.Progress`: level and score deltas, percent-to-target,
progress-to-date, most improved dimensions, areas of concern and the practice diff with the
evidence behind each change. ``trend(results)`` lines up a series of results and reuses
``compare`` for every consecutive pair. ``mismatches(results)`` says why a series does not
belong together (another organisation or questionnaire, a duplicate, the wrong order); the
callers that know the file names decide whether that stops them.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import TypeVar

from assess.method.findings import finding_change, rule_identity
from assess.model.evidence import ImmediateAction
from assess.model.progress import (
    ChangeKind,
    Concern,
    ConcernReason,
    DimensionProgress,
    DimensionSeries,
    LevelReason,
    Mismatch,
    MismatchKind,
    Movement,
    NoProgressToDate,
    PracticeChange,
    Progress,
    RespondentChange,
    ResultRef,
    Trend,
    TrendPoint,
    TrendStep,
)
from assess.model.result import DimensionResult, Flag, PracticeResult, Result

N = TypeVar("N", int, float)

TOP = 3
"""How many dimensions the most-improved and areas-of-concern lists hold."""
MOVEMENTS = 5
"""How many of the largest movements a trend lists."""
EPSILON = 1e-9
"""Differences smaller than this are no change (floating-point noise, as in method.md)."""


def percent_to_target(result: Result) -> float | None:
    """1 − Σ_d max(0, T_d − S_d) / Σ_d max(T_d − 1, 0) over applicable dimensions.

    Dimensions whose target is 1 are skipped (always met): 1.0 when every target is 1;
    ``None`` when no dimension applies.
    """
    applicable = [d for d in result.dimensions if d.score is not None]
    if not applicable:
        return None
    counted = [d for d in applicable if d.target > 1]
    if not counted:
        return 1.0
    shortfall = sum(max(0.0, d.target - d.score) for d in counted if d.score is not None)
    reach = sum(d.target - 1 for d in counted)
    return 1 - shortfall / reach


def progress_to_date(baseline: Result, current: Result) -> float | None:
    """(O_now − O_baseline) / (O_target − O_baseline), O_target the current weighted target.

    ``None`` when :func:`no_progress_to_date` gives a reason: results of two organisations, a
    score missing or the denominator 0.
    """
    if no_progress_to_date(baseline, current) is not None:
        return None
    now, before, target = (
        current.overall.score,
        baseline.overall.score,
        current.overall.target_score,
    )
    assert now is not None and before is not None and target is not None
    return (now - before) / (target - before)


def no_progress_to_date(baseline: Result, current: Result) -> NoProgressToDate | None:
    """Why there is no progress to date from ``baseline`` to ``current``; ``None`` if there is.

    Two organisations' results (compared with --force) give a number, but it measures nothing:
    one organisation's score against another's target. It is withheld, not printed.
    """
    if baseline.assessment.organisation != current.assessment.organisation:
        return NoProgressToDate.OTHER_ORGANISATION
    now, before, target = (
        current.overall.score,
        baseline.overall.score,
        current.overall.target_score,
    )
    if now is None or before is None or target is None or target == before:
        return NoProgressToDate.UNDEFINED
    return None


def mismatches(results: Sequence[Result]) -> tuple[Mismatch, ...]:
    """Why ``results`` (oldest first) cannot be compared as given; empty when they can.

    Every result is checked against the first for organisation and questionnaire id, and
    against the one before it for the evaluation date (equal: a duplicate; earlier: out of
    order).
    """
    found: list[Mismatch] = []
    if not results:
        return ()
    first = results[0]
    for index, result in enumerate(results[1:], start=1):
        for kind, field, value, expected in (
            (
                MismatchKind.ORGANISATION,
                "assessment.organisation",
                result.assessment.organisation,
                first.assessment.organisation,
            ),
            (
                MismatchKind.QUESTIONNAIRE,
                "questionnaire.id",
                result.questionnaire.id,
                first.questionnaire.id,
            ),
        ):
            if value != expected:
                found.append(
                    Mismatch(
                        kind=kind,
                        index=index,
                        reference=0,
                        field=field,
                        value=value,
                        expected=expected,
                    )
                )
        before = results[index - 1].evaluated_at
        if result.evaluated_at <= before:
            found.append(
                Mismatch(
                    kind=(
                        MismatchKind.DUPLICATE
                        if result.evaluated_at == before
                        else MismatchKind.OUT_OF_ORDER
                    ),
                    index=index,
                    reference=index - 1,
                    field="evaluated_at",
                    value=result.evaluated_at.isoformat(),
                    expected=before.isoformat(),
                )
            )
    return tuple(found)


def compare(baseline: Result, current: Result) -> Progress:
    """What moved from ``baseline`` to ``current``, matching dimensions and practices by id.

    It computes whatever it is given; whether the two belong together is :func:`mismatches`'s
    question, asked by the callers that can name the files.
    """
    practices = _practices(baseline, current)
    dimensions = tuple(_with_reason(d, practices) for d in _dimensions(baseline, current))
    rising = sorted(
        (d for d in dimensions if d.delta_score is not None and d.delta_score > EPSILON),
        key=lambda d: -(d.delta_score or 0.0),
    )
    concerns = _concerns(dimensions, practices)
    o_now, o_before = current.overall.score, baseline.overall.score
    compared, resolved, new = _actions(baseline, current)
    return Progress(
        baseline=_ref(baseline),
        current=_ref(current),
        is_questionnaire_changed=baseline.questionnaire.version != current.questionnaire.version,
        delta_overall=None if o_now is None or o_before is None else o_now - o_before,
        percent_to_target=percent_to_target(current),
        baseline_percent_to_target=percent_to_target(baseline),
        progress_to_date=progress_to_date(baseline, current),
        no_progress_to_date=no_progress_to_date(baseline, current),
        dimensions=dimensions,
        most_improved=tuple(d.id for d in rising[:TOP]),
        areas_of_concern=tuple(c.dimension for c in concerns),
        concerns=concerns,
        practices=practices,
        actions_compared=compared,
        actions_resolved=resolved,
        actions_new=new,
    )


def _actions(
    baseline: Result, current: Result
) -> tuple[bool, tuple[ImmediateAction, ...], tuple[ImmediateAction, ...]]:
    """Immediate actions resolved and new, matched by severity, finding and subject; nothing
    when the baseline result was written before results carried immediate actions."""
    if "immediate_actions" not in baseline.model_fields_set:
        return False, (), ()

    def key(action: ImmediateAction) -> tuple[str, str, str]:
        return (action.severity.value, action.finding, action.subject)

    before = {key(a) for a in baseline.immediate_actions}
    now = {key(a) for a in current.immediate_actions}
    return (
        True,
        tuple(a for a in baseline.immediate_actions if key(a) not in now),
        tuple(a for a in current.immediate_actions if key(a) not in before),
    )


def cause(change: PracticeChange) -> LevelReason:
    """What moved a practice: an override added, changed or removed first (the assessor's
    decision), then scan evidence that now applies or no longer does, else the answers."""
    flags = set(change.flags_added) | set(change.flags_removed)
    if Flag.OVERRIDE in flags or change.override_justification is not None:
        return LevelReason.OVERRIDES
    if change.scan_added or change.scan_removed or flags & {Flag.CONTRADICTED, Flag.UNEVIDENCED}:
        return LevelReason.EVIDENCE
    return LevelReason.ANSWERS


def _with_reason(
    dimension: DimensionProgress, practices: Sequence[PracticeChange]
) -> DimensionProgress:
    """The dimension with the main reason its level changed: the cause of most of its practices
    that moved in the level's direction (ties: evidence, overrides, answers)."""
    if not dimension.delta_level:
        return dimension
    way = ChangeKind.IMPROVED if dimension.delta_level > 0 else ChangeKind.REGRESSED
    moved = [c for c in practices if c.dimension == dimension.id and c.kind is way]
    if not moved:
        return dimension
    by_cause: dict[LevelReason, list[str]] = {}
    for change in moved:
        by_cause.setdefault(cause(change), []).append(change.practice)
    main = max(LevelReason, key=lambda r: (len(by_cause.get(r, ())), -list(LevelReason).index(r)))
    return dimension.model_copy(
        update={"level_reason": main, "level_practices": tuple(by_cause[main])}
    )


def _concerns(
    dimensions: Sequence[DimensionProgress], practices: Sequence[PracticeChange]
) -> tuple[Concern, ...]:
    regressed: dict[str, list[str]] = {}
    for change in practices:
        if change.kind is ChangeKind.REGRESSED:
            regressed.setdefault(change.dimension, []).append(change.practice)
    ranked: list[tuple[int, float, Concern]] = []
    for d in dimensions:
        delta = d.delta_score
        if delta is None:
            continue
        fallen = tuple(regressed.get(d.id, ()))
        gap = None
        if d.current_score is not None and d.target is not None:
            gap = d.target - d.current_score if d.target - d.current_score > EPSILON else None
        if delta < -EPSILON:
            reason, rank, key = ConcernReason.FELL, 0, delta
        elif fallen:
            reason, rank, key = ConcernReason.REGRESSED_PRACTICES, 1, -float(len(fallen))
        elif abs(delta) <= EPSILON and gap is not None:
            reason, rank, key = ConcernReason.STALLED, 2, -gap
        else:
            continue
        ranked.append(
            (rank, key, Concern(dimension=d.id, reason=reason, regressed=fallen, shortfall=gap))
        )
    # sorted is stable: ties keep questionnaire order.
    ranked.sort(key=lambda item: (item[0], item[1]))
    return tuple(concern for _, _, concern in ranked[:TOP])


def _ref(result: Result) -> ResultRef:
    return ResultRef(
        organisation=result.assessment.organisation,
        evaluated_at=result.evaluated_at,
        questionnaire_id=result.questionnaire.id,
        questionnaire_version=result.questionnaire.version,
        overall_score=result.overall.score,
        overall_level=result.overall.level,
        target_score=result.overall.target_score,
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
        baseline_target=before.target if before is not None else None,
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
    if before.value is None or now.value is None or abs(now.value - before.value) <= EPSILON:
        return ChangeKind.UNCHANGED
    return ChangeKind.IMPROVED if now.value > before.value else ChangeKind.REGRESSED


def _fired(practice: PracticeResult | None) -> dict[tuple[str, str, str, float], str]:
    """The rules in effect for a practice, by what makes them the same rule, in words."""
    if practice is None:
        return {}
    return {
        rule_identity(f): finding_change(f)
        for f in practice.evidence_findings
        if practice.is_in_effect(f)
    }


def _minus(these: Sequence[str], those: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(x for x in these if x not in those))


def _rules_minus(
    these: dict[tuple[str, str, str, float], str], those: dict[tuple[str, str, str, float], str]
) -> tuple[str, ...]:
    return tuple(words for key, words in these.items() if key not in those)


def _respondent_changes(
    before: PracticeResult | None, now: PracticeResult | None
) -> tuple[RespondentChange, ...]:
    then = {r.respondent: r.answer for r in before.respondents} if before else {}
    current = {r.respondent: r.answer for r in now.respondents} if now else {}
    names = list(current) + [n for n in then if n not in current]
    return tuple(
        RespondentChange(respondent=n, baseline_answer=then.get(n), current_answer=current.get(n))
        for n in names
        if then.get(n) != current.get(n)
    )


def _override_justification(
    before: PracticeResult | None, now: PracticeResult | None
) -> str | None:
    if now is None or now.override is None:
        return None
    if before is not None and before.override == now.override:
        return None
    return now.override.justification


def _change(before: PracticeResult | None, now: PracticeResult | None) -> PracticeChange:
    named = now if now is not None else before
    assert named is not None
    refs_before = before.evidence_refs if before else ()
    refs_now = now.evidence_refs if now else ()
    flags_before = before.flags if before else ()
    flags_now = now.flags if now else ()
    return PracticeChange(
        practice=named.id,
        dimension=named.dimension,
        title=named.title,
        kind=_kind(before, now),
        baseline_answer=before.answer if before is not None else None,
        current_answer=now.answer if now is not None else None,
        baseline_counted=before.counted if before is not None else None,
        current_counted=now.counted if now is not None else None,
        baseline_value=before.value if before is not None else None,
        current_value=now.value if now is not None else None,
        baseline_basis=before.evidence_basis if before is not None else None,
        current_basis=now.evidence_basis if now is not None else None,
        evidence_added=_minus(refs_now, refs_before),
        evidence_dropped=_minus(refs_before, refs_now),
        flags_added=tuple(f for f in flags_now if f not in flags_before),
        flags_removed=tuple(f for f in flags_before if f not in flags_now),
        scan_added=_rules_minus(_fired(now), _fired(before)),
        scan_removed=_rules_minus(_fired(before), _fired(now)),
        override_justification=_override_justification(before, now),
        respondents=_respondent_changes(before, now),
    )


def trend(results: Sequence[Result]) -> Trend:
    """Scores of a series of results (oldest first; at least one), and what moved between them.

    Every consecutive pair goes through :func:`compare`, so a trend's step says exactly what a
    comparison of those two results says.
    """
    assert results, "a trend needs at least one result"
    first, last = results[0], results[-1]
    pairs = [compare(a, b) for a, b in pairwise(results)]
    steps = tuple(
        TrendStep(
            start=p.baseline.evaluated_at,
            end=p.current.evaluated_at,
            delta_overall=p.delta_overall,
            improved=p.count(ChangeKind.IMPROVED),
            regressed=p.count(ChangeKind.REGRESSED),
            new=p.count(ChangeKind.NEW),
            removed=p.count(ChangeKind.REMOVED),
            rescoped=p.count(ChangeKind.RESCOPED),
            is_questionnaire_changed=p.is_questionnaire_changed,
            baseline_version=p.baseline.questionnaire_version,
            current_version=p.current.questionnaire_version,
        )
        for p in pairs
    )
    moves = [
        Movement(
            dimension=d.id,
            title=d.title,
            start=p.baseline.evaluated_at,
            end=p.current.evaluated_at,
            delta_score=d.delta_score,
            delta_level=d.delta_level,
        )
        for p in pairs
        for d in p.dimensions
        if d.delta_score is not None and abs(d.delta_score) > EPSILON
    ]
    # Largest first; ties keep date order, then questionnaire order (sorted is stable). Falls
    # beyond the first few are kept: a setback is never left out.
    moves.sort(key=lambda m: -abs(m.delta_score))
    moves = moves[:MOVEMENTS] + [m for m in moves[MOVEMENTS:] if m.delta_score < 0]
    o_first, o_last = first.overall.score, last.overall.score
    return Trend(
        organisation=last.assessment.organisation,
        questionnaire_id=last.questionnaire.id,
        points=tuple(
            TrendPoint(
                evaluated_at=r.evaluated_at,
                questionnaire_version=r.questionnaire.version,
                overall_score=r.overall.score,
                overall_level=r.overall.level,
                target_score=r.overall.target_score,
                percent_to_target=percent_to_target(r),
            )
            for r in results
        ),
        dimensions=_series(results),
        steps=steps,
        movements=tuple(moves),
        delta_overall=None if o_first is None or o_last is None else o_last - o_first,
        progress_to_date=progress_to_date(first, last),
        no_progress_to_date=no_progress_to_date(first, last),
    )


def _series(results: Sequence[Result]) -> tuple[DimensionSeries, ...]:
    order: list[str] = []
    for result in reversed(results):
        order += [d.id for d in result.dimensions if d.id not in order]
    rows = []
    for dimension_id in order:
        found = [next((d for d in r.dimensions if d.id == dimension_id), None) for r in results]
        title = next(d.title for d in reversed(found) if d is not None)
        rows.append(
            DimensionSeries(
                id=dimension_id,
                title=title,
                scores=tuple(d.score if d else None for d in found),
                levels=tuple(d.level if d else None for d in found),
                targets=tuple(d.target if d else None for d in found),
                coverages=tuple(d.coverage if d else None for d in found),
            )
        )
    return tuple(rows)
