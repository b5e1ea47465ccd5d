"""The schedules the forecast and the lifetime metric read (forecast.md, Schedules are data).

A schedule file (``schedules/cmmm.yaml``, or the assessor's own with ``--schedule FILE``)
holds the CA/Browser Forum maximum validity of a TLS certificate by issue date, the
domain-validation reuse periods, and post-quantum milestones; every row names its source and
whether that source is a ``draft`` or ``final``. A change of rule is a change of data.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from itertools import pairwise
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, model_validator

from assess.model.base import Frozen
from assess.model.questionnaire import Identifier, Text

SCHEDULE_SCHEMA: Literal["cmmm-schedule/1"] = "cmmm-schedule/1"

Days = Annotated[int, Field(ge=1, le=36525)]
"""A period in days (at most a century)."""


class SourceStatus(StrEnum):
    """Whether the source of a row is adopted or may still change."""

    DRAFT = "draft"
    FINAL = "final"


class LifetimeCap(Frozen):
    """The longest validity of a TLS certificate issued on or after a date (BR §6.3.2)."""

    effective_from: date
    """Certificates issued on or after this day (UTC) are bound by the cap."""
    max_validity_days: Days
    """The maximum validity in days of 86,400 seconds."""
    source: Text
    """Where the figure comes from (document, section, ballot)."""
    status: SourceStatus
    """``final`` for an adopted requirement, ``draft`` for a proposal."""


class ReusePeriod(Frozen):
    """How long a domain or IP-address validation may be reused from a date (BR §4.2.1)."""

    effective_from: date
    """Validations relied on from this day."""
    max_reuse_days: Days
    """The longest reuse in days."""
    source: Text
    """Where the figure comes from."""
    status: SourceStatus
    """``final`` or ``draft``."""


class Retires(StrEnum):
    """What a post-quantum milestone retires, as the forecast counts it."""

    WEAK_CLASSICAL = "weak-classical"
    """Classical keys at or under the milestone's ``max_security_bits``."""
    CLASSICAL = "classical"
    """Every classical key (RSA, DSA, elliptic curve, EdDSA)."""


class Milestone(Frozen):
    """A dated step of a post-quantum transition plan."""

    id: Identifier
    """Stable name of the row."""
    after: date
    """The milestone takes effect after this day."""
    description: Text
    """What happens, in words for the report."""
    source: Text
    """Where it comes from."""
    status: SourceStatus
    """``draft`` (NIST IR 8547 is an initial public draft) or ``final``."""
    retires: Retires | None = None
    """What the forecast counts against it; ``None`` for rows shown for information."""
    max_security_bits: int | None = Field(default=None, ge=1)
    """For ``weak-classical``: the classical strength (NIST SP 800-57) at or under which a key
    is weak."""

    @model_validator(mode="after")
    def _bits_for_weak(self) -> Milestone:
        if (self.retires is Retires.WEAK_CLASSICAL) != (self.max_security_bits is not None):
            raise ValueError(
                "'max_security_bits' goes with, and only with, 'retires: weak-classical'"
            )
        return self


class Schedule(Frozen):
    """A schedule file."""

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    schema_: Literal["cmmm-schedule/1"] = Field(alias="schema")
    """The file format, ``cmmm-schedule/1``."""
    version: Text
    """The schedule's own version (``2026.12``), printed with the forecast."""
    lifetime_caps: tuple[LifetimeCap, ...] = Field(min_length=1)
    """Maximum validity by issue date, oldest first."""
    dcv_reuse: tuple[ReusePeriod, ...] = ()
    """Domain-validation reuse periods, oldest first."""
    post_quantum: tuple[Milestone, ...] = ()
    """Post-quantum milestones; exactly one row retires ``weak-classical`` and one
    ``classical``."""

    @model_validator(mode="after")
    def _ordered(self) -> Schedule:
        for name, rows in (("lifetime_caps", self.lifetime_caps), ("dcv_reuse", self.dcv_reuse)):
            days = [row.effective_from for row in rows]
            if any(later <= earlier for earlier, later in pairwise(days)):
                raise ValueError(
                    f"'{name}': the rows must be in order of effective_from, each later"
                )
        for retires in Retires:
            count = sum(1 for m in self.post_quantum if m.retires is retires)
            if count != 1:
                raise ValueError(
                    f"'post_quantum': {count} rows retire '{retires}'; the forecast needs one"
                )
        ids = [m.id for m in self.post_quantum]
        if len(ids) != len(set(ids)):
            raise ValueError("'post_quantum': two rows have the same id")
        return self

    def max_validity_at(self, issued: datetime) -> int:
        """The cap for a certificate issued at ``issued``; one issued before the first row is
        bound by the first row's cap."""
        day = issued.astimezone(UTC).date()
        return self.lifetime_caps[self.cap_index(day) or 0].max_validity_days

    def cap_index(self, day: date) -> int | None:
        """The index of the cap in force on ``day``; ``None`` before the first."""
        found = None
        for index, cap in enumerate(self.lifetime_caps):
            if cap.effective_from <= day:
                found = index
        return found

    def milestone(self, retires: Retires) -> Milestone:
        """The one milestone that retires ``retires``."""
        return next(m for m in self.post_quantum if m.retires is retires)
