"""Progress between result documents (method.md, Progress between assessments).

Built by :func:`assess.method.progress.compare` (two results) and
:func:`assess.method.progress.trend` (a series); shown in the report's progress section and
written by ``assess compare`` and
``assess trend``, whose JSON documents (``cmmm-compare/1``, ``cmmm-trend/1``) wrap them.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import ConfigDict, Field

from assess.model.base import Frozen
from assess.model.evidence import ImmediateAction
from assess.model.levels import Answer
from assess.model.result import EvidenceBasis, Flag, ToolInfo, published_schema

COMPARE_SCHEMA: Literal["cmmm-compare/1"] = "cmmm-compare/1"
TREND_SCHEMA: Literal["cmmm-trend/1"] = "cmmm-trend/1"


class ChangeKind(StrEnum):
    """How a practice moved between the baseline and the current result."""

    IMPROVED = "improved"
    """Applicable in both; the effective value went up."""
    REGRESSED = "regressed"
    """Applicable in both; the effective value went down."""
    UNCHANGED = "unchanged"
    """Same effective value (or not applicable in both)."""
    RESCOPED = "rescoped"
    """Became applicable or not applicable (na): a scope change, not a score change."""
    NEW = "new"
    """Only in the current questionnaire."""
    REMOVED = "removed"
    """Only in the baseline questionnaire: listed, never silently dropped."""


class NoProgressToDate(StrEnum):
    """Why a progress-to-date figure is not given."""

    OTHER_ORGANISATION = "other-organisation"
    """The results assess different organisations (accepted with --force): moving from one
    organisation's score towards another's target is no progress of anyone."""
    UNDEFINED = "undefined"
    """A score or the target is missing, or the first score already equals the target."""


class ResultRef(Frozen):
    """Which result a side of the comparison is."""

    organisation: str = ""
    """The organisation assessed."""
    evaluated_at: date
    """Its evaluation date."""
    questionnaire_id: str
    """Questionnaire id."""
    questionnaire_version: str
    """Questionnaire version."""
    overall_score: float | None
    """Its overall score O."""
    overall_level: int | None
    """Its overall level."""
    target_score: float | None = None
    """Its weighted target O_target (weighted mean of T_d)."""


class DimensionProgress(Frozen):
    """One dimension's movement; a side is ``None`` when the dimension is missing or na there."""

    id: str
    """Dimension id."""
    title: str
    """Display name (from the current result when it has the dimension)."""
    target: int | None
    """Current target level T_d (``None`` when the dimension was removed)."""
    baseline_target: int | None = None
    """The baseline's target level (``None`` when the dimension is new)."""
    baseline_level: int | None
    """L_d in the baseline."""
    current_level: int | None
    """L_d now."""
    delta_level: int | None
    """ΔL_d, when both sides have a level."""
    baseline_score: float | None
    """S_d in the baseline."""
    current_score: float | None
    """S_d now."""
    delta_score: float | None
    """ΔS_d, when both sides have a score."""
    level_reason: LevelReason | None = None
    """When the level changed: what moved most of the practices that moved the same way."""
    level_practices: tuple[str, ...] = ()
    """Those practices (ids, questionnaire order)."""


class LevelReason(StrEnum):
    """What mainly moved a dimension's level between two results."""

    EVIDENCE = "evidence"
    """Scan evidence: rules that now apply or no longer do (contradictions, support)."""
    OVERRIDES = "overrides"
    """Assessor overrides added, changed or removed."""
    ANSWERS = "answers"
    """The respondents' answers."""


class RespondentChange(Frozen):
    """A respondent whose own answer to a practice differs between the two results."""

    respondent: str
    """The respondent's name (respondents are matched by name)."""
    baseline_answer: Answer | None
    """Their answer in the baseline; ``None`` when they did not answer it then."""
    current_answer: Answer | None
    """Their answer now; ``None`` when they did not answer it now."""


class PracticeChange(Frozen):
    """One practice in the practice diff, with the evidence behind its change."""

    practice: str
    """Practice id."""
    dimension: str
    """Dimension id (current, else baseline)."""
    title: str
    """Practice short name (current, else baseline)."""
    kind: ChangeKind
    """How it moved."""
    baseline_answer: Answer | None
    """The answer given in the baseline (after override); ``None`` when the practice is new."""
    current_answer: Answer | None
    """The answer given now (after override); ``None`` when the practice was removed."""
    baseline_counted: Answer | None
    """The answer counted in the baseline (method.md, Answer counted); ``None`` when new."""
    current_counted: Answer | None
    """The answer counted now; ``None`` when the practice was removed."""
    baseline_value: float | None
    """Effective value in the baseline (``None`` for na or missing)."""
    current_value: float | None
    """Effective value now (``None`` for na or missing)."""
    baseline_basis: EvidenceBasis | None = None
    """The strongest support behind the baseline answer (``None`` when the practice is new)."""
    current_basis: EvidenceBasis | None = None
    """The strongest support behind the answer now (``None`` when it was removed)."""
    evidence_added: tuple[str, ...] = ()
    """Documented evidence cited now and not in the baseline."""
    evidence_dropped: tuple[str, ...] = ()
    """Documented evidence cited in the baseline and no longer."""
    flags_added: tuple[Flag, ...] = ()
    """Flags raised now and not in the baseline (``override``, ``contradicted``…)."""
    flags_removed: tuple[Flag, ...] = ()
    """Flags of the baseline that are gone."""
    scan_added: tuple[str, ...] = ()
    """Scan evidence rules that apply now and did not, in words with the figure measured
    (``contradicts the answer: expired certificates: 4 of 485 (0.8%)``)."""
    scan_removed: tuple[str, ...] = ()
    """Scan evidence rules that applied in the baseline and no longer do."""
    override_justification: str | None = None
    """The current override's justification when the override is new or changed."""
    respondents: tuple[RespondentChange, ...] = ()
    """Respondents whose own answer changed, in current respondent order."""


class ConcernReason(StrEnum):
    """Why a dimension is an area of concern."""

    FELL = "fell"
    """Its score S_d fell."""
    REGRESSED_PRACTICES = "regressed-practices"
    """Its score did not fall, but some of its practices regressed."""
    STALLED = "stalled"
    """Its score did not move and is below its target."""


class Concern(Frozen):
    """A dimension that needs attention, and why."""

    dimension: str
    """Dimension id."""
    reason: ConcernReason
    """Why it is listed."""
    regressed: tuple[str, ...] = ()
    """Its practices that regressed."""
    shortfall: float | None = None
    """T_d − S_d now, when positive."""


class Progress(Frozen):
    """Everything that moved between a baseline result and the current one."""

    baseline: ResultRef
    """The earlier result."""
    current: ResultRef
    """The later result."""
    is_questionnaire_changed: bool
    """True when the questionnaire version differs: the diff lists new and removed practices."""
    delta_overall: float | None
    """ΔO, when both overall scores exist."""
    percent_to_target: float | None
    """Now: 1 − Σ max(0, T_d − S_d) / Σ max(T_d − 1, 0); ``None`` when no dimension counts."""
    baseline_percent_to_target: float | None
    """The same figure for the baseline, against the baseline's own targets."""
    progress_to_date: float | None
    """(O_now − O_baseline) / (O_target − O_baseline); ``None`` when undefined (shown as —)."""
    no_progress_to_date: NoProgressToDate | None = None
    """Why ``progress_to_date`` is ``None``; ``None`` when the figure is given."""
    dimensions: tuple[DimensionProgress, ...]
    """Current dimensions in order, then dimensions only the baseline had."""
    most_improved: tuple[str, ...]
    """Up to three dimension ids with the largest positive ΔS_d, largest first."""
    areas_of_concern: tuple[str, ...]
    """Up to three dimension ids of ``concerns``, in the same order."""
    concerns: tuple[Concern, ...] = ()
    """Up to three areas of concern: scores that fell (largest fall first), then dimensions
    with regressed practices (most first), then stalled below target (largest shortfall first)."""
    practices: tuple[PracticeChange, ...]
    """Every practice of either result: current questionnaire order, then removed ones."""
    actions_compared: bool = False
    """False when the baseline result predates immediate actions (it has no such field): then
    none can be called resolved or new."""
    actions_resolved: tuple[ImmediateAction, ...] = ()
    """Baseline immediate actions the current result no longer has (matched by severity,
    finding and subject), in the baseline's order."""
    actions_new: tuple[ImmediateAction, ...] = ()
    """Current immediate actions the baseline did not have, in the current order."""

    def count(self, kind: ChangeKind) -> int:
        """How many practices changed in this way."""
        return sum(1 for change in self.practices if change.kind is kind)


class MismatchKind(StrEnum):
    """Why two results do not belong in one comparison or trend."""

    ORGANISATION = "organisation"
    """They assess different organisations."""
    QUESTIONNAIRE = "questionnaire"
    """They were scored against different questionnaires (ids differ)."""
    DUPLICATE = "duplicate"
    """They share an evaluation date."""
    OUT_OF_ORDER = "out-of-order"
    """A later result comes first."""


class Mismatch(Frozen):
    """One reason a series of results cannot be compared as given."""

    kind: MismatchKind
    index: int
    """Position of the offending result in the series."""
    reference: int
    """Position of the result it clashes with."""
    field: str
    """The result-document field at fault (``assessment.organisation``)."""
    value: str
    """That field's value in the offending result."""
    expected: str
    """Its value in the reference result."""


class TrendPoint(Frozen):
    """One assessment of the series."""

    evaluated_at: date
    questionnaire_version: str
    overall_score: float | None
    overall_level: int | None
    target_score: float | None
    """Weighted target O_target."""
    percent_to_target: float | None
    """As in :class:`Progress`, for this result."""


class DimensionSeries(Frozen):
    """One dimension across the series; an entry is ``None`` where it is missing or na."""

    id: str
    title: str
    """Display name (latest result that has the dimension)."""
    scores: tuple[float | None, ...]
    levels: tuple[int | None, ...]
    targets: tuple[int | None, ...]
    coverages: tuple[float | None, ...]
    """Ungated coverage per result (method.md, Dimension scores)."""


class TrendStep(Frozen):
    """What moved between two consecutive results (from :func:`assess.method.progress.compare`)."""

    start: date
    end: date
    delta_overall: float | None
    improved: int
    regressed: int
    new: int
    removed: int
    rescoped: int
    is_questionnaire_changed: bool
    baseline_version: str
    current_version: str


class Movement(Frozen):
    """A dimension's score change between two consecutive results."""

    dimension: str
    title: str
    start: date
    end: date
    delta_score: float
    delta_level: int | None


class Trend(Frozen):
    """Scores of one organisation's assessments in date order."""

    organisation: str
    questionnaire_id: str
    points: tuple[TrendPoint, ...]
    dimensions: tuple[DimensionSeries, ...]
    """The latest result's dimensions in order, then dimensions only earlier results had."""
    steps: tuple[TrendStep, ...]
    """One per consecutive pair."""
    movements: tuple[Movement, ...]
    """The five largest |ΔS_d| between consecutive results, largest first, then every other
    fall (a setback is never left out)."""
    delta_overall: float | None
    """ΔO from the first result to the last."""
    progress_to_date: float | None
    """From the first result to the last: (O_last − O_first) / (O_target − O_first)."""
    no_progress_to_date: NoProgressToDate | None = None
    """Why ``progress_to_date`` is ``None``; ``None`` when the figure is given."""


class InputFile(Frozen):
    """A result document a comparison or trend was made from."""

    file: str
    """The path as given on the command line."""
    evaluated_at: date
    questionnaire_version: str


class CompareDocument(Frozen):
    """What ``assess compare --format json`` prints (schema ``cmmm-compare/1``)."""

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    schema_: Literal["cmmm-compare/1"] = Field(default=COMPARE_SCHEMA, alias="schema")
    tool: ToolInfo
    inputs: tuple[InputFile, ...]
    """The baseline, then the current result."""
    classification: str
    """The results' classification marking (``assessment.classification``), carried on every
    page; distinct markings are joined with " / " in the order of the results."""
    warnings: tuple[str, ...] = ()
    """Mismatches accepted with ``--force``; empty otherwise."""
    progress: Progress


class TrendDocument(Frozen):
    """What ``assess trend --format json`` prints (schema ``cmmm-trend/1``)."""

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    schema_: Literal["cmmm-trend/1"] = Field(default=TREND_SCHEMA, alias="schema")
    tool: ToolInfo
    inputs: tuple[InputFile, ...]
    """The results, in the order of the trend (oldest first)."""
    classification: str
    """The results' classification marking (``assessment.classification``), carried on every
    page; distinct markings are joined with " / " in the order of the results."""
    warnings: tuple[str, ...] = ()
    """Mismatches accepted with ``--force``; empty otherwise."""
    trend: Trend


def document_json_schema(kind: type[CompareDocument] | type[TrendDocument]) -> dict[str, object]:
    """The published JSON Schema of a compare or trend document (docs/schema/)."""
    return published_schema(kind, "compare" if kind is CompareDocument else "trend")
