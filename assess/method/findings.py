"""Scan-evidence findings in plain words: what a metric measures, the figure measured and the
threshold a rule fires at, so that no output shows a raw rule such as ``weak_key_share > 0``.

One wording for every output: the scoring's flag reasons, the roadmap's reasons (both carried
in the result document), the report, the terminal and ``assess compare``. Pure.
"""

from __future__ import annotations

from assess.model.evidence import (
    Comparison,
    EvidenceEffect,
    EvidenceFinding,
    EvidenceRule,
    MetricId,
)

METRIC_LABELS: dict[MetricId, str] = {
    MetricId.CERTIFICATES: "Distinct certificates observed",
    MetricId.ENDPOINTS: "TLS endpoints that answered",
    MetricId.EXPIRED_SHARE: "Expired certificates",
    MetricId.EXPIRED_IN_SERVICE_SHARE: "Endpoints serving an expired certificate",
    MetricId.EXPIRING_7D_SHARE: "Valid certificates expiring within 7 days",
    MetricId.EXPIRING_14D_SHARE: "Valid certificates expiring within 14 days",
    MetricId.EXPIRING_30D_SHARE: "Valid certificates expiring within 30 days",
    MetricId.SHORT_VALIDITY_SHARE: "Certificates valid for 90 days or less",
    MetricId.LONG_VALIDITY_SHARE: "Certificates longer than the CA/B Forum maximum",
    MetricId.LATE_RENEWAL_SHARE: "Valid certificates with under a third of life left",
    MetricId.ISSUER_COUNT: "Distinct issuers",
    MetricId.WEAK_KEY_SHARE: "Certificates with weak keys",
    MetricId.WEAK_SIGNATURE_SHARE: "Certificates signed with SHA-1 or MD5",
    MetricId.SELF_SIGNED_IN_SERVICE_SHARE: "Endpoints serving a self-signed certificate",
    MetricId.UNTRUSTED_CHAIN_SHARE: "Endpoints with an untrusted chain",
    MetricId.HOSTNAME_MISMATCH_SHARE: "Endpoints with a host-name mismatch",
    MetricId.LEGACY_TLS_SHARE: "Endpoints negotiating TLS 1.1 or older",
    MetricId.WILDCARD_SHARE: "Wildcard certificates",
    MetricId.KEY_REUSE_SHARE: "Certificates sharing a key with another",
    MetricId.UNENCRYPTED_KEY_SHARE: "Private-key files not encrypted",
    MetricId.WORLD_READABLE_KEY_SHARE: "Private-key files readable by group or others",
    MetricId.AUTOMATION_MARKER_SHARE: "Certificates with an automation marker",
    MetricId.MANUAL_OVER_NEXT_CAP_SHARE: "Capped manual certificates the next cap cuts",
    MetricId.WEAK_AFTER_2030_SHARE: "Certificates with 112-bit classical keys valid after 2030",
    MetricId.CLASSICAL_AFTER_2035_SHARE: "Certificates with classical keys valid after 2035",
    MetricId.UNKNOWN_ALGORITHM_SHARE: "Certificates whose key algorithm is not recorded",
}
"""What each evidence metric measures, in words (the report's metrics table names them so)."""

EFFECT_PHRASES: dict[EvidenceEffect, str] = {
    EvidenceEffect.SUPPORTS: "supports the answer",
    EvidenceEffect.CONTRADICTS: "contradicts the answer",
    EvidenceEffect.SUGGESTS: "suggests an answer",
}
"""What a fired rule does, as a verb phrase (``scan evidence now contradicts the answer``)."""


_OPERATOR_WORDS: dict[Comparison, str] = {
    Comparison.GT: "more than",
    Comparison.GE: "at least",
    Comparison.LT: "under",
    Comparison.LE: "at most",
}


def metric_label(metric: MetricId) -> str:
    """What a metric measures (``Certificates with weak keys``)."""
    return METRIC_LABELS.get(metric, str(metric))


def _lower_first(text: str) -> str:
    """``Certificates with…`` → ``certificates with…``; an acronym (``TLS endpoints``) stays."""
    head = text.split(" ", 1)[0]
    return text if head.isupper() else text[:1].lower() + text[1:]


def _is_share(metric: MetricId) -> bool:
    return metric.endswith("_share")


def measured_figure(
    value: float | None, metric: MetricId, denominator: int, *, with_sample: bool = True
) -> str:
    """A measured value: a count of its sample and the share (``2 of 485 (0.4%)``), a plain
    count with its sample (``9 in a sample of 485``; ``9`` without), or ``no data``."""
    if value is None:
        return "no data"
    if _is_share(metric):
        return f"{round(value * denominator):,} of {denominator:,} ({value:.1%})"
    return f"{value:,.0f}" + (f" in a sample of {denominator:,}" if with_sample else "")


def threshold_text(rule: EvidenceRule) -> str:
    """When a rule fires, in words: ``any``, ``none``, ``more than 10%``, ``at least 20%``…"""
    share = _is_share(rule.metric)
    amount = f"{rule.threshold:.0%}" if share else f"{rule.threshold:g}"
    if rule.threshold == 0 and rule.op is Comparison.GT:
        return "any"
    if rule.threshold == 0 and rule.op is Comparison.LE:
        return "none"
    return f"{_OPERATOR_WORDS[rule.op]} {amount}"


def rule_text(rule: EvidenceRule) -> str:
    """A rule in words: the metric and the threshold it fires at
    (``Certificates with weak keys: any``)."""
    return f"{metric_label(rule.metric)}: {threshold_text(rule)}"


def finding_measure(finding: EvidenceFinding) -> str:
    """What was measured, named (``certificates with weak keys: 2 of 485 (0.4%)``)."""
    label = _lower_first(metric_label(finding.rule.metric))
    figure = measured_figure(finding.value, finding.rule.metric, finding.denominator)
    return f"{label}: {figure}"


def _sentence(text: str) -> str:
    """``text`` as a sentence: a capital first, exactly one full stop last (explanations are
    written either way)."""
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def finding_sentences(finding: EvidenceFinding) -> str:
    """The finding for a reader: the measure, then why it speaks to the practice, as two
    sentences (``Certificates with weak keys: 2 of 485 (0.4%). Certificates with RSA…``)."""
    measure = finding_measure(finding)
    return f"{measure[:1].upper()}{measure[1:]}. {_sentence(finding.rule.explanation)}"


def finding_change(finding: EvidenceFinding) -> str:
    """A fired rule as ``assess compare`` lists it: what it does and the figure
    (``contradicts the answer: certificates with weak keys: 2 of 485 (0.4%)``)."""
    effect = EFFECT_PHRASES[finding.effect]
    if finding.effect is EvidenceEffect.SUGGESTS and finding.rule.answer is not None:
        effect = f"suggests '{finding.rule.answer}'"
    return f"{effect}: {finding_measure(finding)}"


def rule_identity(finding: EvidenceFinding) -> tuple[str, str, str, float]:
    """What makes two findings the same rule, whatever they measured (for compare)."""
    rule = finding.rule
    return (rule.effect.value, rule.metric.value, rule.op.value, rule.threshold)
