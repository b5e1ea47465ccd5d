"""The questionnaire: dimensions, their practices and each practice's full record."""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property
from typing import Annotated

from pydantic import Field, StringConstraints

from assess.model.base import Frozen
from assess.model.evidence import EvidenceRule
from assess.model.levels import LEVEL_NAMES

Identifier = Annotated[
    str,
    StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$"),
]
"""An id for a questionnaire, dimension or practice: letters, digits, ``.``, ``_``, ``-``."""

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""Non-blank text."""


class Effort(StrEnum):
    """Rough effort to implement a practice, used to order quick wins first."""

    S = "S"
    M = "M"
    L = "L"

    @property
    def rank(self) -> int:
        """0 for S, 1 for M, 2 for L."""
        return "SML".index(self.value)


class Level(Frozen):
    """A maturity level's name and meaning, as the questionnaire words it."""

    level: int = Field(ge=1, le=5)
    """1 to 5."""
    name: Text
    """Ad-hoc, Basic, Defined, Managed or Optimized."""
    description: str = ""
    """What the level looks like in certificate management."""


DEFAULT_LEVELS: tuple[Level, ...] = tuple(
    Level(level=number, name=name) for number, name in LEVEL_NAMES.items()
)


class Practice(Frozen):
    """One practice: a question asked in the interview and, when unmet, a roadmap step."""

    id: Identifier
    """Stable id, unique across the questionnaire (``INV-03``)."""
    title: Text
    """A short name for tables and the roadmap."""
    level: int = Field(ge=2, le=5)
    """The maturity level the practice belongs to (2 Basic … 5 Optimized)."""
    weight: float = Field(default=1.0, gt=0, allow_inf_nan=False)
    """Relative weight inside its level and dimension (finite, greater than 0)."""
    question: Text
    """The question a consultant reads aloud."""
    guidance: str = ""
    """What ``fully`` looks like and what to ask to see as evidence."""
    effort: Effort = Effort.M
    """Effort to implement (S, M, L)."""
    owner_role: str = ""
    """The role that usually owns the practice (``PKI lead``)."""
    depends_on: tuple[Identifier, ...] = ()
    """Practices (any dimension) this one needs first."""
    recommendation: Text
    """The roadmap action: an instruction with a concrete first step."""
    references: tuple[str, ...] = ()
    """Standards and guidance (CA/B Forum BR sections, RFC 8555, NIST SP 1800-16)."""
    evidence_rules: tuple[EvidenceRule, ...] = ()
    """How scan evidence speaks to this practice."""


class Dimension(Frozen):
    """One of the model's dimensions with its practices."""

    id: Identifier
    """Stable id (``inventory``)."""
    title: Text
    """Display name (``Discovery & Inventory``)."""
    description: str = ""
    """What the dimension covers."""
    weight: float = Field(default=1.0, gt=0, allow_inf_nan=False)
    """Weight of the dimension in the overall score (finite, greater than 0)."""
    practices: tuple[Practice, ...] = Field(min_length=1)
    """The dimension's practices, in interview order."""


class Questionnaire(Frozen):
    """A versioned questionnaire: the model an assessment is scored against."""

    id: Identifier
    """Stable id (``cmmm``)."""
    version: Text
    """Version string (``1.0.0``); results record it."""
    title: Text
    """Display title."""
    description: str = ""
    """What the questionnaire is for."""
    levels: tuple[Level, ...] = DEFAULT_LEVELS
    """Level names and meanings."""
    dimensions: tuple[Dimension, ...] = Field(min_length=1)
    """The dimensions, in report order."""

    @cached_property
    def practices(self) -> dict[str, Practice]:
        """Every practice by id, in questionnaire order."""
        return {p.id: p for d in self.dimensions for p in d.practices}

    @cached_property
    def dimension_of(self) -> dict[str, Dimension]:
        """The dimension of each practice id."""
        return {p.id: d for d in self.dimensions for p in d.practices}

    @cached_property
    def dimensions_by_id(self) -> dict[str, Dimension]:
        """Every dimension by id."""
        return {d.id: d for d in self.dimensions}

    def level_label(self, level: int) -> str:
        """The questionnaire's name for a level number."""
        for entry in self.levels:
            if entry.level == level:
                return entry.name
        return LEVEL_NAMES[level]


class DimensionChange(Frozen):
    """What an extension changes in one of its base's dimensions; unset fields stay as they are."""

    title: Text | None = None
    """A new display name."""
    description: str | None = None
    """A new description."""
    weight: float | None = Field(default=None, gt=0, allow_inf_nan=False)
    """A new weight in the overall score (finite, greater than 0)."""


class QuestionnaireExtension(Frozen):
    """A questionnaire file that builds on another (docs/tailoring.md).

    Loading merges it with its base into one :class:`Questionnaire` that carries the
    extension's own id and version, so results say which tailored questionnaire they used.
    """

    extends: Text
    """The base: a bundled questionnaire id (``cmmm``) or a file path relative to this file."""
    base_version: Text | None = None
    """The base version the extension was written for; another version is an error."""
    id: Identifier
    """The extension's own id (not the base's)."""
    version: Text
    """The extension's own version."""
    title: Text
    """Display title."""
    description: str = ""
    """What the tailoring is for; the base's description when empty."""
    change_dimensions: dict[Identifier, DimensionChange] = {}
    """Changes to base dimensions, by dimension id."""
    add_practices: dict[Identifier, Annotated[tuple[Practice, ...], Field(min_length=1)]] = {}
    """Practices added at the end of base dimensions, by dimension id."""
    add_dimensions: tuple[Dimension, ...] = ()
    """New dimensions, after the base's."""
