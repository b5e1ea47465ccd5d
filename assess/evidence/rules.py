"""The questionnaire's evidence rules evaluated on the metrics (method.md, Evidence).

A rule reads one metric. With fresh evidence for it: ``insufficient`` when the metric's sample
is below the rule's minimum (the rule's own, else the assessment's), otherwise ``fired`` or
``not_met`` by the comparison. Without fresh evidence: ``stale`` when only bundles older than the
allowed age provide the metric, ``no_data`` when none does.
"""

from __future__ import annotations

from collections.abc import Mapping

from assess.model.evidence import (
    EvidenceFinding,
    EvidenceRule,
    FindingStatus,
    MetricId,
    MetricValue,
)
from assess.model.questionnaire import Questionnaire


def evaluate_rule(
    practice: str,
    rule: EvidenceRule,
    fresh: Mapping[MetricId, MetricValue],
    stale: Mapping[MetricId, MetricValue],
    default_min_sample: int,
) -> EvidenceFinding:
    """One rule of one practice."""
    measured = fresh.get(rule.metric)
    if measured is not None and measured.denominator > 0 and measured.value is not None:
        needed = rule.min_sample or default_min_sample
        if measured.denominator < needed:
            status = FindingStatus.INSUFFICIENT
        elif rule.op.holds(measured.value, rule.threshold):
            status = FindingStatus.FIRED
        else:
            status = FindingStatus.NOT_MET
    else:
        old = stale.get(rule.metric)
        if old is not None and old.denominator > 0:
            measured, status = old, FindingStatus.STALE
        else:
            measured, status = None, FindingStatus.NO_DATA
    return EvidenceFinding(
        practice=practice,
        rule=rule,
        status=status,
        value=measured.value if measured is not None else None,
        denominator=measured.denominator if measured is not None else 0,
        sources=measured.sources if measured is not None else (),
        collected_at=measured.collected_at if measured is not None else None,
    )


def evaluate_rules(
    questionnaire: Questionnaire,
    fresh: Mapping[MetricId, MetricValue],
    stale: Mapping[MetricId, MetricValue],
    default_min_sample: int,
) -> tuple[EvidenceFinding, ...]:
    """Every rule of every practice, in questionnaire order."""
    return tuple(
        evaluate_rule(practice.id, rule, fresh, stale, default_min_sample)
        for dimension in questionnaire.dimensions
        for practice in dimension.practices
        for rule in practice.evidence_rules
    )
