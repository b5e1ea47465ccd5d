"""The forecast method (forecast.md): renewal workload under each lifetime cap and post-quantum
exposure, over plain leaf records. Pure functions: no clock, no I/O.

For a leaf of lifetime ``L`` days (seconds / 86,400) and the renewal lead ``f``, a phase of cap
``M`` gives the leaf the lifetime ``min(L, M)`` when the cap binds it (every leaf not known to
be private) and ``L`` otherwise; the leaf is then renewed ``365 / (lifetime · (1 − f))`` times a
year.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, timedelta

from assess.model.algorithms import Family, family, security_bits
from assess.model.evidence import MetricId, MetricValue
from assess.model.forecast import (
    Forecast,
    ForecastLeaf,
    Phase,
    Population,
    PostQuantum,
    ReachedLeaf,
)
from assess.model.schedule import LifetimeCap, Retires, Schedule

DAY_SECONDS = 86400
YEAR_DAYS = 365
REACHED_SHOWN = 20
"""How many of the leaves the next cap reaches the report lists."""


def lifetime_days(leaf: ForecastLeaf) -> float:
    """``(not_after − not_before)`` in days of 86,400 seconds, unrounded."""
    return (leaf.not_after - leaf.not_before).total_seconds() / DAY_SECONDS


def phases_from(schedule: Schedule, evaluated_at: date) -> list[tuple[LifetimeCap, bool]]:
    """The cap in force at ``evaluated_at`` (flagged ``True``) and every later one."""
    index = schedule.cap_index(evaluated_at)
    caps = schedule.lifetime_caps
    if index is None:
        return [(cap, False) for cap in caps]
    return [(cap, i == index) for i, cap in enumerate(caps) if i >= index]


def _phase(
    cap: LifetimeCap,
    current: bool,
    leaves: Sequence[tuple[ForecastLeaf, float]],
    lead: float,
    minutes: float,
) -> Phase:
    limit = cap.max_validity_days
    renewals = manual = 0.0
    over = 0
    for leaf, lifetime in leaves:
        capped = not leaf.is_private
        if capped and lifetime > limit:
            over += 1
        under_cap = min(lifetime, limit) if capped else lifetime
        rate = YEAR_DAYS / (under_cap * (1 - lead))
        renewals += rate
        if not leaf.is_automated:
            manual += rate
    return Phase(
        effective_from=cap.effective_from,
        max_validity_days=limit,
        current=current,
        renewals_per_year=renewals,
        manual_renewals_per_year=manual,
        manual_hours_per_year=manual * minutes / 60,
        leaves_over_cap=over,
    )


def family_of(leaf: ForecastLeaf) -> Family:
    """The leaf's key family; ``unknown`` when the evidence names no key algorithm."""
    return family(leaf.key_type) if leaf.key_type is not None else "unknown"


def is_classical_after(leaf: ForecastLeaf, schedule: Schedule) -> bool:
    """A classical key valid after the milestone that retires every classical key."""
    after = schedule.milestone(Retires.CLASSICAL).after
    return family_of(leaf) == "classical" and leaf.not_after.astimezone(UTC).date() > after


def is_weak_after(leaf: ForecastLeaf, schedule: Schedule) -> bool:
    """A classical key at or under the weak milestone's strength, valid after it."""
    weak = schedule.milestone(Retires.WEAK_CLASSICAL)
    if family_of(leaf) != "classical" or leaf.not_after.astimezone(UTC).date() <= weak.after:
        return False
    bits = security_bits(leaf.key_type or "", leaf.key_size)
    limit = weak.max_security_bits
    return bits is not None and limit is not None and bits <= limit


def _post_quantum(leaves: Sequence[ForecastLeaf], schedule: Schedule) -> PostQuantum:
    counts = {"classical": 0, "post_quantum": 0, "unknown": 0}
    for leaf in leaves:
        counts[family_of(leaf)] += 1
    return PostQuantum(
        classical=counts["classical"],
        post_quantum=counts["post_quantum"],
        unknown=counts["unknown"],
        weak_after_2030=sum(1 for leaf in leaves if is_weak_after(leaf, schedule)),
        classical_after_2035=sum(1 for leaf in leaves if is_classical_after(leaf, schedule)),
    )


def forecast(
    leaves: Sequence[ForecastLeaf],
    schedule: Schedule,
    evaluated_at: date,
    *,
    renewal_lead: float,
    manual_renewal_minutes: float,
) -> Forecast:
    """The forecast document over ``leaves`` (the population: distinct leaves of fresh evidence
    valid at the evaluation date)."""
    timed = [(leaf, lifetime_days(leaf)) for leaf in leaves]
    private = sum(1 for leaf in leaves if leaf.is_private)
    public = sum(1 for leaf in leaves if leaf.is_public and not leaf.is_private)
    automated = sum(1 for leaf in leaves if leaf.is_automated)
    return Forecast(
        evaluated_at=evaluated_at,
        renewal_lead=renewal_lead,
        manual_renewal_minutes=manual_renewal_minutes,
        population=Population(
            leaves=len(leaves),
            capped=len(leaves) - private,
            private=private,
            automated=automated,
            manual=len(leaves) - automated,
            publicly_trusted=public,
            not_judged=len(leaves) - private - public,
        ),
        phases=tuple(
            _phase(cap, current, timed, renewal_lead, manual_renewal_minutes)
            for cap, current in phases_from(schedule, evaluated_at)
        ),
        post_quantum=_post_quantum(leaves, schedule),
    )


def reached_by_next_cap(leaves: Sequence[ForecastLeaf], document: Forecast) -> list[ReachedLeaf]:
    """The capped manual leaves whose lifetime exceeds the next cap (the current one when no
    later cap exists), the one renewed soonest first: ``not_after − f · L`` ascending, then by
    identity, so the overdue ones come first (renew-by on the evaluation date or earlier, as a
    certificate that expires on the evaluation date counts as expired)."""
    phase = document.next_phase or document.current
    if phase is None:
        return []
    reached = []
    for leaf in leaves:
        if leaf.is_private or leaf.is_automated:
            continue
        lifetime = lifetime_days(leaf)
        if lifetime > phase.max_validity_days:
            lead = timedelta(seconds=document.renewal_lead * lifetime * DAY_SECONDS)
            renew_by = leaf.not_after - lead
            overdue = renew_by.astimezone(UTC).date() <= document.evaluated_at
            reached.append(
                ReachedLeaf(leaf=leaf, lifetime_days=lifetime, renew_by=renew_by, overdue=overdue)
            )
    reached.sort(key=lambda r: (r.renew_by, r.leaf.identity))
    return reached


def _share(metric: MetricId, population: Sequence[ForecastLeaf], hits: int) -> MetricValue:
    collected = [leaf.collected_at for leaf in population if leaf.collected_at is not None]
    return MetricValue(
        metric=metric,
        value=hits / len(population) if population else None,
        denominator=len(population),
        sources=tuple(sorted({s for leaf in population for s in leaf.sources})),
        collected_at=min(collected, default=None),
    )


def forecast_metrics(
    leaves: Sequence[ForecastLeaf], document: Forecast, schedule: Schedule
) -> dict[MetricId, MetricValue]:
    """The forecast's figures as metrics the questionnaire's rules read (docs/evidence.md)."""
    capped = [leaf for leaf in leaves if not leaf.is_private]
    has_cap = document.current is not None or document.next_phase is not None
    reached = len(reached_by_next_cap(leaves, document))
    pq = document.post_quantum
    return {
        MetricId.MANUAL_OVER_NEXT_CAP_SHARE: _share(
            MetricId.MANUAL_OVER_NEXT_CAP_SHARE, capped if has_cap else [], reached
        ),
        MetricId.WEAK_AFTER_2030_SHARE: _share(
            MetricId.WEAK_AFTER_2030_SHARE, leaves, pq.weak_after_2030
        ),
        MetricId.CLASSICAL_AFTER_2035_SHARE: _share(
            MetricId.CLASSICAL_AFTER_2035_SHARE, leaves, pq.classical_after_2035
        ),
        MetricId.UNKNOWN_ALGORITHM_SHARE: _share(
            MetricId.UNKNOWN_ALGORITHM_SHARE, leaves, pq.unknown
        ),
    }
