"""What an assessment workspace holds: the assessment file and the respondents' answers files."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints, field_validator, model_validator

from assess.model.base import Frozen
from assess.model.levels import WRITABLE_ANSWERS, Answer
from assess.model.questionnaire import Identifier, Text

Reference = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""A documented-evidence reference: a document, ticket, URL or file."""


def _writable(answer: object) -> object:
    if answer == Answer.UNANSWERED.value:
        raise ValueError("'unanswered' is not an answer: leave the practice out instead")
    if isinstance(answer, str) and answer not in WRITABLE_ANSWERS:
        words = ", ".join(WRITABLE_ANSWERS)
        raise ValueError(f"'{answer}' is not an answer ({words})")
    return answer


class AnswerEntry(Frozen):
    """One respondent's answer to one practice."""

    answer: Answer
    """not, partially, largely, fully, unknown or na."""
    note: str = ""
    """Free text from the interview."""
    evidence: tuple[Reference, ...] = ()
    """Documented evidence references."""
    reason: str = ""
    """Why the practice does not apply (mandatory for ``na``)."""

    _check_answer = field_validator("answer", mode="before")(_writable)

    @model_validator(mode="after")
    def _na_needs_reason(self) -> AnswerEntry:
        if self.answer is Answer.NA and not self.reason.strip():
            raise ValueError("an 'na' answer needs a written 'reason'")
        return self


class Respondent(Frozen):
    """The person whose answers a file holds."""

    name: Text
    """Full name."""
    role: str = ""
    """Role in the organisation (``PKI lead``)."""


def name_key(name: str) -> str:
    """What respondent names are compared by: case and spacing do not matter."""
    return " ".join(name.split()).casefold()


def same_name(name: str, other: str) -> bool:
    """True when two respondent names name the same person (``jane  doe`` is ``Jane Doe``)."""
    return name_key(name) == name_key(other)


class AnswersFile(Frozen):
    """One respondent's answers file (``answers/<name>.yaml``)."""

    respondent: Respondent
    """Who answered."""
    interviewed_at: date | None = None
    """Date of the interview."""
    answers: dict[Identifier, AnswerEntry] = {}
    """Answers by practice id."""


class EvidencePolicy(StrEnum):
    """Whether level-4 and level-5 claims need evidence (method.md, evidence gate)."""

    STRICT = "strict"
    LENIENT = "lenient"


class Assurance(StrEnum):
    """How independent the assessment is; printed on the report cover."""

    SELF_ASSESSMENT = "self-assessment"
    ASSESSOR_VALIDATED = "assessor-validated"


class Override(Frozen):
    """An assessor's decision replacing the consolidated answer of a practice."""

    answer: Answer
    """The answer that replaces the consolidated one."""
    justification: Text
    """Why; printed in the report."""
    evidence: tuple[Reference, ...] = ()
    """Documented evidence supporting the override."""

    _check_answer = field_validator("answer", mode="before")(_writable)


class QuestionnaireRef(Frozen):
    """Which questionnaire an assessment uses."""

    id: Identifier
    """Questionnaire id (``cmmm``)."""
    version: Text
    """The version the answers were given against."""
    file: str | None = None
    """A questionnaire file relative to the workspace, for tailored questionnaires."""


class Period(Frozen):
    """When the assessment took place."""

    start: date
    """First day of the assessment."""
    end: date | None = None
    """Last day, once known."""

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end is not None and self.end < self.start:
            raise ValueError("'end' is before 'start'")
        return self


TargetLevel = Annotated[int, Field(ge=1, le=5)]


class Assessment(Frozen):
    """The assessment file (``assessment.yaml``)."""

    organisation: Text
    """The organisation assessed."""
    scope: str = ""
    """What is in scope (business units, PKI estates)."""
    assessors: tuple[Text, ...] = ()
    """Who ran the assessment."""
    period: Period
    """When it took place."""
    questionnaire: QuestionnaireRef
    """The questionnaire and version the answers follow."""
    targets: dict[str, TargetLevel] = {"default": 3}
    """Target level per dimension id; ``default`` applies to the others."""
    evidence_policy: EvidencePolicy = EvidencePolicy.STRICT
    """``strict`` gates level 4 and 5 claims on evidence; ``lenient`` does not."""
    assurance: Assurance = Assurance.SELF_ASSESSMENT
    """Self-assessment or assessor-validated."""
    classification: str = "Confidential"
    """Handling label printed on every report page."""
    evidence_min_sample: int = Field(default=10, ge=1)
    """Smallest sample for an evidence rule to fire, unless the rule sets its own."""
    evidence_max_age_days: int = Field(default=90, ge=1)
    """Evidence older than this at the evaluation date is stale and ignored."""
    renewal_lead: float = Field(default=1 / 3, gt=0, lt=1)
    """The forecast's renewal lead: a certificate is renewed when this share of its lifetime
    remains (docs/forecast.md)."""
    manual_renewal_minutes: float = Field(default=30, gt=0, allow_inf_nan=False)
    """Minutes of work one manual renewal takes, for the forecast's manual hours."""
    overrides: dict[Identifier, Override] = {}
    """Assessor overrides by practice id."""

    def target_for(self, dimension_id: str) -> int:
        """The target level of a dimension."""
        return self.targets.get(dimension_id, self.targets.get("default", 3))


class Narrative(Frozen):
    """The assessor's own words (``narrative/`` in the workspace), Markdown as written.

    Each text is shown where its file says: ``summary.md`` opens the executive summary,
    ``<dimension-id>.md`` follows that dimension's figures, ``conclusion.md`` opens the
    conclusion. An empty text shows nothing.
    """

    summary: str = ""
    dimensions: dict[str, str] = Field(default_factory=dict)
    """Markdown by dimension id (only dimensions of the questionnaire)."""
    conclusion: str = ""

    @property
    def is_empty(self) -> bool:
        """Whether the assessor wrote nothing that shows."""
        return not (self.summary or self.conclusion or any(self.dimensions.values()))
