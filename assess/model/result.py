"""The result document: the scored assessment handed to reports, progress tracking and signing.

Its JSON form (``assess score --json``) is a public contract, schema ``cmmm-result/1``; the JSON
Schema is published in docs/schema/result.schema.json. Fields may be added; none listed in the
contracts may be renamed or dropped without a schema version bump.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from assess import __version__
from assess.model.base import Frozen
from assess.model.evidence import (
    EvidenceEffect,
    EvidenceFinding,
    EvidenceSummary,
    ImmediateAction,
)
from assess.model.levels import SCALE, Answer
from assess.model.questionnaire import Effort
from assess.model.workspace import Assurance, EvidencePolicy, Override, Period

RESULT_SCHEMA: Literal["cmmm-result/1"] = "cmmm-result/1"


def counted_answer(answer: Answer, value: float | None) -> Answer:
    """The answer counted (method.md): the scale word whose value is the effective value ``v_p``.

    ``na`` when the practice is not applicable; ``unknown`` and ``unanswered`` stay as they are
    (their value is 0 and no respondent claimed ``not``). A contradicted ``largely`` counts as
    ``partially``, an unevidenced ``fully`` too: what counts is never higher than ``v_p``.
    """
    if value is None:
        return Answer.NA
    if answer in (Answer.UNKNOWN, Answer.UNANSWERED) and value == 0:
        return answer
    return SCALE[round(value * 3)]


def _with_counted(data: Any) -> Any:
    """A practice or roadmap step read from a document written before ``counted`` existed
    gets the answer counted its own answer and value say."""
    if isinstance(data, dict) and "counted" not in data and "answer" in data:
        value = data.get("value")
        numeric = value if isinstance(value, int | float) else None
        return {**data, "counted": counted_answer(Answer(data["answer"]), numeric)}
    return data


class Flag(StrEnum):
    """Something about a practice's answer that a reader must know."""

    UNKNOWN = "unknown"
    """The respondents did not know."""
    UNANSWERED = "unanswered"
    """Nobody answered."""
    DIVERGENT = "divergent"
    """Respondents' answers span two or more steps, or mix na with scale answers."""
    OVERRIDE = "override"
    """An assessor override replaced the consolidated answer."""
    CONTRADICTED = "contradicted"
    """Scan evidence contradicts the answer: capped at partially."""
    UNEVIDENCED = "unevidenced"
    """A level-4/5 claim without documented evidence or scan support: counted as partially."""
    STALE = "stale"
    """Scan evidence for the practice is too old and was ignored."""
    INSUFFICIENT_EVIDENCE = "insufficient-evidence"
    """A scan rule could not fire: the sample was below its minimum."""
    SUGGESTED = "suggested"
    """Scan evidence proposes an answer for this unanswered practice (not counted)."""


class EvidenceBasis(StrEnum):
    """The strongest support behind a practice's answer."""

    SCAN = "scan"
    """An evidence rule supports it (verified by scan)."""
    DOCUMENTED = "documented"
    """A respondent or the override cites documented evidence."""
    NONE = "none"
    """Self-attested only."""


class RespondentAnswer(Frozen):
    """What one respondent said about one practice."""

    respondent: str
    """The respondent's name."""
    role: str = ""
    """The respondent's role."""
    answer: Answer
    """Their answer."""
    note: str = ""
    """Their note."""
    evidence: tuple[str, ...] = ()
    """Their documented-evidence references."""
    reason: str = ""
    """Their reason for na."""


class PracticeResult(Frozen):
    """One practice as scored."""

    id: str
    """Practice id."""
    dimension: str
    """Dimension id."""
    title: str
    """Short name."""
    question: str
    """The question asked."""
    level: int
    """The practice's maturity level ℓ(p)."""
    weight: float
    """The practice weight w_p."""
    answer: Answer
    """Final answer word after consolidation and override (``unanswered`` when nobody did):
    what was said, not necessarily what counts (see ``counted``)."""
    consolidated_answer: Answer
    """The respondents' consolidated answer, before any override."""
    value: float | None
    """Effective value v_p after override, contradiction cap and evidence gate; null for na."""
    counted: Answer
    """The answer counted: the scale word whose value is ``value`` (method.md, Answer counted).
    Lower than ``answer`` when scan evidence contradicts it or the evidence gate holds it."""
    is_met: bool
    """True when the effective value reaches the gate (``largely``); false for na."""
    flags: tuple[Flag, ...] = ()
    """Flags, sorted."""
    flag_reasons: dict[str, str] = {}
    """Why each flag was raised, by flag."""
    respondents: tuple[RespondentAnswer, ...] = ()
    """Every respondent's answer, in respondent order."""
    override: Override | None = None
    """The assessor override, when there is one."""
    na_reasons: tuple[str, ...] = ()
    """Reasons given for na (all of them)."""
    evidence_refs: tuple[str, ...] = ()
    """Documented evidence cited by respondents or the override, deduplicated."""
    evidence_basis: EvidenceBasis = EvidenceBasis.NONE
    """The strongest support behind the answer."""
    evidence_findings: tuple[EvidenceFinding, ...] = ()
    """Scan evidence rules evaluated for this practice."""
    suggested_answer: Answer | None = None
    """An answer proposed by scan evidence for an unanswered practice (not counted)."""

    @model_validator(mode="before")
    @classmethod
    def _fill_counted(cls, data: Any) -> Any:
        return _with_counted(data)

    @property
    def is_applicable(self) -> bool:
        """False when the practice is not applicable (na)."""
        return self.value is not None

    @property
    def is_unanswered(self) -> bool:
        """True when nobody answered this applicable practice and no override set it."""
        return self.answer is Answer.UNANSWERED

    def is_in_effect(self, finding: EvidenceFinding) -> bool:
        """Whether a rule's effect applies here: it fired, and a suggestion is made only for an
        unanswered practice (method: a suggestion never changes an answer given)."""
        return finding.is_fired and (
            finding.effect is not EvidenceEffect.SUGGESTS or self.suggested_answer is not None
        )


class DimensionResult(Frozen):
    """One dimension as scored."""

    id: str
    """Dimension id."""
    title: str
    """Display name."""
    weight: float
    """Dimension weight W_d."""
    applicable: bool
    """False when no practice of the dimension applies."""
    level: int | None
    """Achieved (gated) level L_d."""
    level_name: str | None
    """Name of the achieved level."""
    completion: float | None
    """Completion c_d toward the next level (0 at level 5)."""
    score: float | None
    """S_d = L_d + c_d."""
    coverage: float | None
    """Coverage: Σ w_p·v_p / Σ w_p over all applicable practices, ungated (how much of all the
    dimension's practices is in place)."""
    target: int
    """Target level T_d."""
    gap: int
    """max(0, T_d − L_d)."""
    practices: tuple[PracticeResult, ...]
    """The dimension's practices in questionnaire order."""


class RoadmapStep(Frozen):
    """One step of the phased roadmap."""

    order: int
    """Position in the roadmap, from 1."""
    phase: int
    """Phase number, from 1: phase k takes the dimension k levels up."""
    practice: str
    """Practice id."""
    dimension: str
    """Dimension id."""
    title: str
    """Practice short name."""
    level: int
    """The practice's level; meeting it (with its level peers) unlocks this level."""
    unlocks: str
    """What meeting the step contributes to, in words (``Discovery & Inventory → Defined``)."""
    action: str
    """The recommendation."""
    reasons: tuple[str, ...]
    """Why the step is on the roadmap (gap, answer, evidence, contradictions)."""
    effort: Effort
    """S, M or L."""
    owner_role: str
    """Suggested owner role."""
    depends_on: tuple[str, ...] = ()
    """Roadmap steps (practice ids) that must come first."""
    priority: float
    """W_d · w_p."""
    answer: Answer
    """The practice's answer as given (after consolidation and override)."""
    value: float
    """The practice's current effective value."""
    counted: Answer
    """The answer counted (``answer`` after contradiction cap and evidence gate)."""
    is_beyond_target: bool = False
    """True when the step is only there because a step within target depends on it."""
    is_assessed: bool = True
    """False when nobody answered the practice: the step is marked "not assessed"."""

    @model_validator(mode="before")
    @classmethod
    def _fill_counted(cls, data: Any) -> Any:
        return _with_counted(data)


class Overall(Frozen):
    """The weighted overall result."""

    score: float | None
    """O = Σ W_d·S_d / Σ W_d over applicable dimensions; null when none applies."""
    level: int | None
    """floor(O)."""
    level_name: str | None
    """Name of the overall level."""
    target_score: float | None
    """Weighted mean of the target levels over applicable dimensions."""
    weakest_dimension: str | None
    """The applicable dimension with the lowest score (ties: questionnaire order)."""


class ToolInfo(Frozen):
    """The tool that produced a document."""

    name: str
    """``cmmm-assess``."""
    version: str
    """Its version."""

    @classmethod
    def this(cls) -> ToolInfo:
        """This tool, at the version that is running: every document it writes names it."""
        return cls(name="cmmm-assess", version=__version__)


class QuestionnaireInfo(Frozen):
    """The questionnaire a result was scored against."""

    id: str
    """Questionnaire id."""
    version: str
    """Questionnaire version."""
    title: str = ""
    """Questionnaire title."""


class AssessmentInfo(Frozen):
    """Assessment metadata carried into the result."""

    organisation: str
    """The organisation assessed."""
    scope: str
    """What is in scope."""
    assessors: tuple[str, ...]
    """Who ran the assessment."""
    period: Period
    """When it took place."""
    assurance: Assurance
    """Self-assessment or assessor-validated."""
    classification: str
    """Handling label."""
    evidence_min_sample: int = 10
    """Smallest sample for an evidence rule to fire, unless the rule sets its own."""
    evidence_max_age_days: int = 90
    """Evidence older than this many days at the evaluation date was ignored as stale."""


class RespondentInfo(Frozen):
    """A respondent and their answers file."""

    name: str
    """Name."""
    role: str
    """Role."""
    interviewed_at: date | None
    """Interview date."""
    file: str
    """The answers file, relative to the workspace."""
    answered: int
    """How many practices they answered."""


class Result(Frozen):
    """The result document (schema ``cmmm-result/1``)."""

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    schema_: Literal["cmmm-result/1"] = Field(default=RESULT_SCHEMA, alias="schema")
    """Schema id and version of this document."""
    tool: ToolInfo
    """The tool that produced it."""
    questionnaire: QuestionnaireInfo
    """The questionnaire it was scored against."""
    assessment: AssessmentInfo
    """Assessment metadata."""
    evaluated_at: date
    """The evaluation date (freshness and expiry are judged against it)."""
    evidence_policy: EvidencePolicy
    """strict or lenient."""
    overall: Overall
    """The overall result."""
    complete: bool
    """True when no applicable practice is unanswered; false makes the result a draft."""
    unanswered: int
    """How many applicable practices nobody answered (method.md, Completeness)."""
    dimensions: tuple[DimensionResult, ...]
    """Every dimension, in questionnaire order."""
    roadmap: tuple[RoadmapStep, ...]
    """The phased roadmap, in order."""
    respondents: tuple[RespondentInfo, ...] = ()
    """Everyone whose answers were consolidated."""
    flags_summary: dict[str, int] = {}
    """Count of practices per flag."""
    evidence: EvidenceSummary = EvidenceSummary()
    """What the scan evidence showed."""
    immediate_actions: tuple[ImmediateAction, ...] = ()
    """Findings in fresh scan evidence that need action whatever the level, ranked by severity
    (method.md, Immediate actions). They change no score."""

    @model_validator(mode="before")
    @classmethod
    def _fill_completeness(cls, data: Any) -> Any:
        """A document written before ``complete`` existed: count its unanswered practices."""
        if isinstance(data, dict) and ("complete" not in data or "unanswered" not in data):
            missing = sum(
                1
                for d in data.get("dimensions", ())
                if isinstance(d, dict)
                for p in d.get("practices", ())
                if isinstance(p, dict) and p.get("answer") == Answer.UNANSWERED.value
            )
            return {"complete": missing == 0, "unanswered": missing, **data}
        return data

    @property
    def is_draft(self) -> bool:
        """True when some applicable practice is unanswered: every output says so."""
        return not self.complete

    @property
    def applicable_practices(self) -> int:
        """How many practices apply (not na)."""
        return sum(1 for d in self.dimensions for p in d.practices if p.is_applicable)

    def practice(self, practice_id: str) -> PracticeResult:
        """A practice's result by id."""
        for dimension in self.dimensions:
            for practice in dimension.practices:
                if practice.id == practice_id:
                    return practice
        raise KeyError(practice_id)

    def dimension(self, dimension_id: str) -> DimensionResult:
        """A dimension's result by id."""
        for dimension in self.dimensions:
            if dimension.id == dimension_id:
                return dimension
        raise KeyError(dimension_id)


def result_json_schema() -> dict[str, object]:
    """The published JSON Schema of the result document (docs/schema/result.schema.json)."""
    return published_schema(Result, "result")


def published_schema(document: type[BaseModel], name: str) -> dict[str, object]:
    """The JSON Schema of a document as docs/schema/ publishes it (``cmmm-<name>-1.json``).

    It leaves out ``additionalProperties: false``: readers of a ``cmmm-*/1`` document must
    accept fields added later (the contract allows additions without a version bump).
    """

    def walk(value: object) -> object:
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items() if k != "additionalProperties"}
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    schema = walk(document.model_json_schema(by_alias=True, mode="serialization"))
    assert isinstance(schema, dict)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://cmmm-assess.invalid/schema/cmmm-{name}-1.json"
    return schema
