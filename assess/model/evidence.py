"""Evidence vocabulary shared by the questionnaire, the scoring and the evidence collectors.

Scan evidence reaches the scoring only as :class:`EvidenceFinding` values: the outcome of one
questionnaire evidence rule evaluated against the metrics of the workspace's evidence bundles at
the evaluation date. The scoring applies their effects exactly as method.md says; computing the
metrics and evaluating the rules is the evidence package's job.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import Field, model_validator

from assess.model.base import Frozen
from assess.model.levels import Answer


class MetricId(StrEnum):
    """A metric computed from evidence bundles at the evaluation date.

    Shares are fractions in [0, 1] of the metric's denominator; counts are whole numbers. The
    denominator is the sample the metric was computed over (certificates deduplicated by SHA-256
    fingerprint, endpoints, or key files, as each metric says).
    """

    CERTIFICATES = "certificates"
    """Count of distinct certificates observed (denominator: the same)."""
    ENDPOINTS = "endpoints"
    """Count of TLS endpoints that answered (denominator: endpoints scanned)."""
    EXPIRED_SHARE = "expired_share"
    """Share of certificates whose not_after is before the evaluation date."""
    EXPIRED_IN_SERVICE_SHARE = "expired_in_service_share"
    """Share of TLS endpoints that present an expired leaf certificate."""
    EXPIRING_7D_SHARE = "expiring_7d_share"
    """Share of certificates still valid that expire within 7 days."""
    EXPIRING_14D_SHARE = "expiring_14d_share"
    """Share of certificates still valid that expire within 14 days."""
    EXPIRING_30D_SHARE = "expiring_30d_share"
    """Share of certificates still valid that expire within 30 days."""
    SHORT_VALIDITY_SHARE = "short_validity_share"
    """Share of certificates whose total validity is 90 days or less (an automation signal)."""
    LONG_VALIDITY_SHARE = "long_validity_share"
    """Share of certificates whose validity exceeds the CA/Browser Forum maximum at their issue
    (over the certificates not known to come from a private CA)."""
    LATE_RENEWAL_SHARE = "late_renewal_share"
    """Share of valid certificates with less than a third of their lifetime left."""
    ISSUER_COUNT = "issuer_count"
    """Count of distinct issuer names (denominator: certificates)."""
    WEAK_KEY_SHARE = "weak_key_share"
    """Share of certificates with RSA < 2048 bits, DSA, or EC outside P-256/P-384/P-521."""
    WEAK_SIGNATURE_SHARE = "weak_signature_share"
    """Share of certificates signed with SHA-1 or MD5."""
    SELF_SIGNED_IN_SERVICE_SHARE = "self_signed_in_service_share"
    """Share of TLS endpoints whose leaf certificate is self-signed."""
    UNTRUSTED_CHAIN_SHARE = "untrusted_chain_share"
    """Share of TLS endpoints whose chain does not validate against the trust store."""
    HOSTNAME_MISMATCH_SHARE = "hostname_mismatch_share"
    """Share of TLS endpoints whose leaf does not match the host name asked for."""
    LEGACY_TLS_SHARE = "legacy_tls_share"
    """Share of TLS endpoints negotiating TLS 1.1 or older."""
    WILDCARD_SHARE = "wildcard_share"
    """Share of certificates with a wildcard DNS name."""
    KEY_REUSE_SHARE = "key_reuse_share"
    """Share of certificates whose public key also appears in another certificate."""
    UNENCRYPTED_KEY_SHARE = "unencrypted_key_share"
    """Share of private-key files found that are not encrypted (denominator: key files)."""
    WORLD_READABLE_KEY_SHARE = "world_readable_key_share"
    """Share of private-key files readable by group or others (denominator: key files)."""
    AUTOMATION_MARKER_SHARE = "automation_marker_share"
    """Share of certificates carrying an automation marker (ACME issuer, cert-manager)."""
    MANUAL_OVER_NEXT_CAP_SHARE = "manual_over_next_cap_share"
    """Forecast: share of capped leaves, without automation marker, whose lifetime exceeds the
    next CA/Browser Forum cap (denominator: the forecast's capped leaves)."""
    WEAK_AFTER_2030_SHARE = "weak_after_2030_share"
    """Forecast: share of leaves with classical keys at 112-bit security or less valid after
    2030 (denominator: the forecast's leaves)."""
    CLASSICAL_AFTER_2035_SHARE = "classical_after_2035_share"
    """Forecast: share of leaves with classical keys valid after 2035 (denominator: the
    forecast's leaves)."""
    UNKNOWN_ALGORITHM_SHARE = "unknown_algorithm_share"
    """Forecast: share of leaves whose key algorithm the evidence does not identify
    (denominator: the forecast's leaves)."""


class Comparison(StrEnum):
    """How a metric value is compared with a rule's threshold."""

    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="

    def holds(self, value: float, threshold: float) -> bool:
        """True when ``value <op> threshold``."""
        match self:
            case Comparison.LT:
                return value < threshold
            case Comparison.LE:
                return value <= threshold
            case Comparison.GT:
                return value > threshold
            case Comparison.GE:
                return value >= threshold


class EvidenceEffect(StrEnum):
    """What a fired evidence rule does to its practice (method.md, Evidence)."""

    SUPPORTS = "supports"
    """The practice counts as evidenced (verified by scan)."""
    CONTRADICTS = "contradicts"
    """The practice is capped at ``partially`` unless an override lifts the cap."""
    SUGGESTS = "suggests"
    """An answer is proposed for an unanswered practice; never counted until confirmed."""


class EvidenceRule(Frozen):
    """A questionnaire rule mapping one metric to an effect on its practice."""

    metric: MetricId
    """The metric the rule reads."""
    op: Comparison
    """The comparison with the threshold."""
    threshold: float
    """The value the metric is compared with."""
    effect: EvidenceEffect
    """What the rule does when the comparison holds."""
    answer: Answer | None = None
    """For ``suggests``: the answer proposed to the interviewer."""
    min_sample: int | None = Field(default=None, ge=1)
    """Smallest denominator the rule needs; the assessment default (10) when absent."""
    explanation: str = Field(min_length=1)
    """Why the metric speaks to the practice, in words for the report."""

    @model_validator(mode="after")
    def _answer_only_for_suggests(self) -> EvidenceRule:
        if self.effect is EvidenceEffect.SUGGESTS:
            if self.answer is None or not self.answer.is_scale:
                raise ValueError(
                    "a 'suggests' rule needs an answer: not, partially, largely or fully"
                )
        elif self.answer is not None:
            raise ValueError(f"'answer' only belongs to 'suggests' rules, not '{self.effect}'")
        return self

    @property
    def condition(self) -> str:
        """The rule's test in words, e.g. ``expired_share > 0``."""
        return f"{self.metric} {self.op} {self.threshold:g}"


class FindingStatus(StrEnum):
    """The outcome of evaluating one rule against the evidence at the evaluation date."""

    FIRED = "fired"
    """Enough fresh evidence and the comparison holds: the effect applies."""
    NOT_MET = "not_met"
    """Enough fresh evidence and the comparison does not hold: no effect."""
    INSUFFICIENT = "insufficient"
    """The sample is smaller than the rule's minimum: the report says insufficient evidence."""
    STALE = "stale"
    """The evidence was collected more than the allowed age before the evaluation date."""
    NO_DATA = "no_data"
    """No bundle in the workspace provides the metric."""


class EvidenceFinding(Frozen):
    """One evidence rule evaluated for one practice."""

    practice: str
    """The practice id the rule belongs to."""
    rule: EvidenceRule
    """The rule that was evaluated."""
    status: FindingStatus
    """Whether the rule fired, and if not, why not."""
    value: float | None
    """The metric value, when the metric could be computed."""
    denominator: int
    """The sample the metric was computed over."""
    sources: tuple[str, ...] = ()
    """Evidence bundle files the metric came from."""
    collected_at: datetime | None = None
    """When the oldest contributing evidence was collected."""

    @property
    def effect(self) -> EvidenceEffect:
        """The rule's effect."""
        return self.rule.effect

    @property
    def is_fired(self) -> bool:
        """True when the rule's effect applies."""
        return self.status is FindingStatus.FIRED

    def describe(self) -> str:
        """One line for reports and the CLI: what was measured and what it means."""
        if self.value is None:
            measured = "no data"
        elif self.rule.metric.endswith("_share"):
            measured = f"{self.value:.1%} of {self.denominator}"
        else:
            measured = f"{self.value:g} (sample {self.denominator})"
        return f"{self.rule.condition}: measured {measured} — {self.rule.explanation}"


class MetricValue(Frozen):
    """One metric computed from the workspace's evidence at the evaluation date."""

    metric: MetricId
    """Which metric."""
    value: float | None
    """The value; ``None`` when the denominator is zero."""
    denominator: int
    """The sample size (certificates, endpoints or key files)."""
    sources: tuple[str, ...] = ()
    """Evidence bundle files that contributed."""
    collected_at: datetime | None = None
    """When the oldest contributing evidence was collected."""


class EvidenceSource(Frozen):
    """One evidence bundle read from the workspace."""

    file: str
    """The bundle's path relative to the workspace."""
    collector: str
    """``tls``, ``files`` or the import format."""
    collected_at: datetime
    """When the evidence was collected."""
    tool: str
    """The collecting tool and version."""
    observations: int
    """Number of observations in the bundle."""
    errors: int
    """Observations with status ``error``."""
    is_stale: bool
    """True when older than the allowed age at the evaluation date (ignored by the rules)."""
    sha256: str = ""
    """SHA-256 of the bundle file as read."""
    is_future: bool = False
    """True when collected after the evaluation date: it did not exist then and is not used."""


class CertificateHighlight(Frozen):
    """A certificate worth a line in the report (expired, expiring, weak), capped in number."""

    sha256: str
    """Fingerprint of the certificate's DER."""
    subject: str
    """Subject distinguished name (RFC 4514)."""
    issuer: str
    """Issuer distinguished name (RFC 4514)."""
    not_after: datetime
    """End of validity."""
    locations: tuple[str, ...]
    """Where it was seen (``host:port`` or file paths)."""
    problems: tuple[str, ...]
    """Short labels: ``expired``, ``expires in 5 days``, ``RSA 1024``, ``SHA-1``, …"""


class EvidenceSummary(Frozen):
    """What the scan evidence showed, carried in the result document."""

    sources: tuple[EvidenceSource, ...] = ()
    """Every bundle read, including stale ones."""
    metrics: tuple[MetricValue, ...] = ()
    """Every metric computed from fresh bundles."""
    highlights: tuple[CertificateHighlight, ...] = ()
    """The most urgent certificates (expired, expiring, weak), most urgent first."""
    highlights_total: int = 0
    """How many certificates had a problem worth highlighting, before the cap."""


class Severity(StrEnum):
    """How urgent an immediate action is (method.md, Immediate actions), most urgent first."""

    CRITICAL = "critical"
    """Exposure now: a key others can read, an expired certificate still served."""
    HIGH = "high"
    """Exposure soon or a weakness in use: expiring within 7 days, weak key or signature, an
    unencrypted key its group can read."""
    MEDIUM = "medium"
    """A weakness to correct: a chain that does not validate, a name mismatch, a shared key."""

    @property
    def rank(self) -> int:
        """0 for critical, 1 for high, 2 for medium: the sort order."""
        return list(Severity).index(self)


class ImmediateAction(Frozen):
    """A concrete finding in fresh scan evidence that needs action whatever the maturity level.

    It changes no score. ``severity``, ``finding`` and ``subject`` identify it: compare matches
    actions of two results on these three.
    """

    severity: Severity
    """How urgent (method.md severity table)."""
    finding: str
    """What was found, one of the method's findings in words (``private key readable by
    others``)."""
    subject: str
    """What it concerns: the file path, ``host:port`` or certificate SHA-256."""
    detail: str
    """The specifics a reader acts on: mode, dates, key size, the certificate's name, where."""
