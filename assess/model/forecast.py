"""The forecast (forecast.md): what the certificate estate costs to keep renewed as lifetime caps
shorten, and how much of it rests on classical public-key algorithms.

:class:`Forecast` is the ``cmmm-forecast/1`` document (contracts.md); :class:`ForecastLeaf` is
the plain record of one leaf the method reads, gathered from fresh evidence by the engine;
:class:`ForecastReading` is what the report shows beside the document.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from pydantic import ConfigDict, Field

from assess.model.base import Frozen
from assess.model.schedule import Schedule

FORECAST_SCHEMA: Literal["cmmm-forecast/1"] = "cmmm-forecast/1"


@dataclass(frozen=True, slots=True)
class ForecastLeaf:
    """One distinct leaf certificate of fresh evidence, valid at the evaluation date, as the
    forecast reads it."""

    identity: str
    """The certificate's SHA-256 fingerprint (issuer and serial when no source gave one)."""
    subject: str
    """Subject distinguished name."""
    issuer: str
    """Issuer distinguished name."""
    not_before: datetime
    """Start of validity."""
    not_after: datetime
    """End of validity."""
    is_private: bool
    """Known to be issued by a private CA (metrics: untrusted against public roots, or trusted
    only against the assessor's roots); the CA/Browser Forum caps do not bind it."""
    is_automated: bool
    """Carries an automation marker (as ``automation_marker_share`` counts)."""
    key_type: str | None
    """Public-key algorithm as the evidence names it (``rsa``, ``ec``, ``ml-dsa-65``…)."""
    key_size: int | None
    """Key size in bits, when known."""
    locations: tuple[str, ...] = ()
    """Where it was seen (``host:port`` or file paths), sorted."""
    sources: tuple[str, ...] = ()
    """The evidence bundles that showed it, sorted."""
    collected_at: datetime | None = None
    """When the oldest of them was collected."""
    is_public: bool = False
    """Known to be publicly trusted: a TLS source judged its chain against public roots and
    found it trusted, or crt.sh listed it. A leaf neither public nor private is capped because
    no source judged its trust (forecast.md: every leaf not known to be private is capped)."""


class Population(Frozen):
    """The leaves the forecast is over."""

    leaves: int
    """Distinct leaf certificates of fresh evidence valid at the evaluation date."""
    capped: int
    """Leaves counted under the CA/Browser Forum caps: every leaf not known to be private
    (``publicly_trusted`` + ``not_judged``)."""
    private: int
    """Leaves known to be issued by a private CA."""
    automated: int
    """Leaves with an automation marker."""
    manual: int
    """Leaves without one."""
    publicly_trusted: int
    """Capped leaves known to be publicly trusted (a trust verdict: a TLS scan against public
    roots, or crt.sh)."""
    not_judged: int
    """Capped leaves no source judged the trust of: capped by the method's default, not by a
    verdict."""


class Phase(Frozen):
    """One lifetime cap of the schedule, in force at the evaluation date or later."""

    effective_from: date
    """The day the cap takes effect (certificates issued on or after it)."""
    max_validity_days: int
    """The cap in days."""
    current: bool
    """True for the cap in force at the evaluation date."""
    renewals_per_year: float
    """Renewals a year over every leaf, each leaf's lifetime capped."""
    manual_renewals_per_year: float
    """Renewals a year of the leaves without an automation marker."""
    manual_hours_per_year: float
    """Manual renewals times the minutes one takes, in hours."""
    leaves_over_cap: int
    """Capped leaves whose lifetime exceeds the cap."""


class PostQuantum(Frozen):
    """Post-quantum exposure of the leaves (forecast.md)."""

    classical: int
    """RSA, DSA, elliptic-curve and EdDSA keys."""
    post_quantum: int
    """ML-DSA, SLH-DSA, ML-KEM and composite keys that contain one of them."""
    unknown: int
    """Any other or unrecorded key algorithm."""
    weak_after_2030: int
    """Classical leaves at 112-bit security or less valid after 2030-12-31."""
    classical_after_2035: int
    """Classical leaves valid after 2035-12-31."""


class Forecast(Frozen):
    """The forecast document (schema ``cmmm-forecast/1``)."""

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    schema_: Literal["cmmm-forecast/1"] = Field(default=FORECAST_SCHEMA, alias="schema")
    """Schema id and version of this document."""
    evaluated_at: date
    """The evaluation date."""
    renewal_lead: float
    """Share of a lifetime left when a certificate is renewed."""
    manual_renewal_minutes: float
    """Minutes one manual renewal takes."""
    population: Population
    """The leaves counted."""
    phases: tuple[Phase, ...]
    """The phase in force and every later one, in date order."""
    post_quantum: PostQuantum
    """Post-quantum exposure."""

    @property
    def current(self) -> Phase | None:
        """The phase in force at the evaluation date."""
        return next((p for p in self.phases if p.current), None)

    @property
    def next_phase(self) -> Phase | None:
        """The first phase after the one in force."""
        return next((p for p in self.phases if p.effective_from > self.evaluated_at), None)


@dataclass(frozen=True)
class ReachedLeaf:
    """A capped manual leaf whose lifetime the next cap cuts, with when it is next renewed."""

    leaf: ForecastLeaf
    """The leaf."""
    lifetime_days: float
    """Its lifetime in days (seconds / 86,400)."""
    renew_by: datetime
    """When the renewal lead says it is renewed: ``not_after − f · L``."""
    overdue: bool = False
    """The renew-by date is the evaluation date or earlier (as an expiry on the evaluation date
    counts as expired): the renewal the lead asks for is already due."""


@dataclass(frozen=True)
class PrivateHint:
    """Capped leaves whose trust no source judged, and whose issuer chain, as the evidence's CA
    certificates show it, ends at one root that is not in the public trust store."""

    root: str
    """The root's distinguished name as the evidence writes it."""
    root_seen: bool
    """The self-signed root certificate itself is in the evidence; else the chain's last CA
    certificate in the evidence names it as its issuer and no public root has that name."""
    through: tuple[str, ...]
    """The CA certificates of the chain the evidence holds, issuing CA first (their names)."""
    leaves: int
    """How many not-judged leaves chain to it."""
    issuers: tuple[str, ...]
    """The issuer names of those leaves, as the evidence writes them, sorted."""
    sources: tuple[str, ...]
    """The bundles that hold those CA certificates, sorted."""


@dataclass(frozen=True)
class ForecastReading:
    """The forecast with what the report shows beside it."""

    forecast: Forecast
    """The document."""
    schedule: Schedule
    """The schedule it was computed with."""
    schedule_file: str
    """The schedule file's name (``cmmm.yaml`` when shipped)."""
    reached: tuple[ReachedLeaf, ...]
    """The capped manual leaves the next cap reaches first, at most 20."""
    reached_total: int
    """How many capped manual leaves the next cap reaches, before the cap of 20."""
    reached_overdue: int = 0
    """How many of them are overdue (:attr:`ReachedLeaf.overdue`)."""
    private_hints: tuple[PrivateHint, ...] = ()
    """Not-judged leaves whose issuer chain, in the evidence, ends at a root that is not
    public: a hint to scan them against the assessor's roots, not a reclassification."""
    lead_is_default: bool = True
    """True when assessment.yaml does not set ``renewal_lead``."""
    minutes_is_default: bool = True
    """True when assessment.yaml does not set ``manual_renewal_minutes``."""
