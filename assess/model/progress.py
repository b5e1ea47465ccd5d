"""Progress between two result documents (method.md, Progress between assessments).

Built by :func:`assess.progress.compare`; shown in the report's progress section and reused by
``assess compare`` and ``assess trend``.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from assess.model.base import Frozen
from assess.model.levels import Answer


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


class ResultRef(Frozen):
    """Which result a side of the comparison is."""

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


class DimensionProgress(Frozen):
    """One dimension's movement; a side is ``None`` when the dimension is missing or na there."""

    id: str
    """Dimension id."""
    title: str
    """Display name (from the current result when it has the dimension)."""
    target: int | None
    """Current target level T_d (``None`` when the dimension was removed)."""
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


class PracticeChange(Frozen):
    """One practice in the practice diff."""

    practice: str
    """Practice id."""
    dimension: str
    """Dimension id (current, else baseline)."""
    title: str
    """Practice short name (current, else baseline)."""
    kind: ChangeKind
    """How it moved."""
    baseline_answer: Answer | None
    """The final answer in the baseline; ``None`` when the practice is new."""
    current_answer: Answer | None
    """The final answer now; ``None`` when the practice was removed."""
    baseline_value: float | None
    """Effective value in the baseline (``None`` for na or missing)."""
    current_value: float | None
    """Effective value now (``None`` for na or missing)."""


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
    dimensions: tuple[DimensionProgress, ...]
    """Current dimensions in order, then dimensions only the baseline had."""
    most_improved: tuple[str, ...]
    """Up to three dimension ids with the largest positive ΔS_d, largest first."""
    areas_of_concern: tuple[str, ...]
    """Up to three dimension ids whose score fell, largest fall first."""
    practices: tuple[PracticeChange, ...]
    """Every practice of either result: current questionnaire order, then removed ones."""

    def count(self, kind: ChangeKind) -> int:
        """How many practices changed in this way."""
        return sum(1 for change in self.practices if change.kind is kind)
