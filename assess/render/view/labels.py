"""How the model's values are written in the report: answers, flags, evidence bases, efforts,
metrics, and the status and effect of an evidence rule."""

from __future__ import annotations

from assess.model.evidence import EvidenceEffect, FindingStatus, MetricId
from assess.model.levels import Answer
from assess.model.questionnaire import Effort
from assess.model.result import EvidenceBasis, Flag

ANSWER_LABELS: dict[Answer, str] = {
    Answer.NOT: "Not",
    Answer.PARTIALLY: "Partially",
    Answer.LARGELY: "Largely",
    Answer.FULLY: "Fully",
    Answer.UNKNOWN: "Unknown",
    Answer.NA: "N/A",
    Answer.UNANSWERED: "Unanswered",
}
"""How answers are written in the report."""

ANSWER_SYMBOLS: dict[Answer, str] = {
    Answer.NOT: "○",
    Answer.PARTIALLY: "◔",
    Answer.LARGELY: "◕",
    Answer.FULLY: "●",
    Answer.UNKNOWN: "?",
    Answer.NA: "–",
    Answer.UNANSWERED: "·",
}
"""Harvey balls for the scale: a shape per step, so the answer reads without colour."""

ANSWER_CODES: dict[Answer, str] = {
    Answer.NOT: "N",
    Answer.PARTIALLY: "P",
    Answer.LARGELY: "L",
    Answer.FULLY: "F",
    Answer.UNKNOWN: "?",
    Answer.NA: "na",
    Answer.UNANSWERED: "–",
}
"""One-letter answers for the answer record matrix (the interview's keys)."""

FLAG_TEXT: dict[Flag, tuple[str, str]] = {
    Flag.UNKNOWN: ("unknown", "The respondents did not know; counted as not implemented."),
    Flag.UNANSWERED: ("unanswered", "Nobody answered; counted as not implemented."),
    Flag.DIVERGENT: (
        "divergent",
        "Respondents' answers span two or more steps, or mix N/A with scale answers; the "
        "lower median counts.",
    ),
    Flag.OVERRIDE: ("override", "An assessor override replaced the respondents' answer."),
    Flag.CONTRADICTED: (
        "contradicted",
        "Scan evidence contradicts the answer; capped at partially.",
    ),
    Flag.UNEVIDENCED: (
        "unevidenced",
        "A level-4/5 claim without documented or scan evidence; counted as partially.",
    ),
    Flag.STALE: ("stale evidence", "Scan evidence for the practice is too old and was ignored."),
    Flag.INSUFFICIENT_EVIDENCE: (
        "insufficient evidence",
        "A scan rule could not fire: the sample was below its minimum.",
    ),
    Flag.SUGGESTED: (
        "suggested",
        "Scan evidence proposes an answer for this unanswered practice; not counted.",
    ),
}
"""Flag → (label, legend text)."""

BASIS_LABELS: dict[EvidenceBasis, str] = {
    EvidenceBasis.SCAN: "Scan-verified",
    EvidenceBasis.DOCUMENTED: "Documented",
    EvidenceBasis.NONE: "Self-attested",
}
"""What an answer rests on, as the practice tables say it."""


def answer_label(answer: Answer | None) -> str:
    """An answer in words, or an en dash where there was none (a practice new or removed)."""
    return "—" if answer is None else ANSWER_LABELS[answer]


def basis_label(basis: EvidenceBasis, answer: Answer | None) -> str:
    """What supports an answer; nobody attested a practice no one answered."""
    if answer is Answer.UNANSWERED and basis is EvidenceBasis.NONE:
        return "No answer"
    return BASIS_LABELS[basis]


EFFORT_LABELS: dict[Effort, str] = {
    Effort.S: "S · small",
    Effort.M: "M · medium",
    Effort.L: "L · large",
}
"""A roadmap step's effort, letter and word."""

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
    MetricId.WORLD_READABLE_KEY_SHARE: "Private-key files readable by others",
    MetricId.AUTOMATION_MARKER_SHARE: "Certificates with an automation marker",
}
"""What each evidence metric measures, as the metrics table names it."""

STATUS_LABELS: dict[FindingStatus, str] = {
    FindingStatus.FIRED: "applies",
    FindingStatus.NOT_MET: "does not apply",
    FindingStatus.INSUFFICIENT: "insufficient sample",
    FindingStatus.STALE: "stale, ignored",
    FindingStatus.NO_DATA: "no data",
}
"""An evidence rule's status, as the findings table words it."""

EFFECT_LABELS: dict[EvidenceEffect, str] = {
    EvidenceEffect.SUPPORTS: "supports",
    EvidenceEffect.CONTRADICTS: "contradicts",
    EvidenceEffect.SUGGESTS: "suggests",
}
"""What an evidence rule does when it fires."""
