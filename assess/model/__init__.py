"""Frozen pydantic types that cross module boundaries; no I/O here."""

from assess.model.evidence import (
    EvidenceEffect,
    EvidenceFinding,
    EvidenceRule,
    EvidenceSummary,
    FindingStatus,
    MetricId,
)
from assess.model.levels import LEVEL_NAMES, Answer
from assess.model.questionnaire import Dimension, Effort, Practice, Questionnaire
from assess.model.result import (
    DimensionResult,
    Flag,
    PracticeResult,
    Result,
    RoadmapStep,
)
from assess.model.workspace import (
    AnswerEntry,
    AnswersFile,
    Assessment,
    EvidencePolicy,
    Override,
    Respondent,
)

__all__ = [
    "LEVEL_NAMES",
    "Answer",
    "AnswerEntry",
    "AnswersFile",
    "Assessment",
    "Dimension",
    "DimensionResult",
    "Effort",
    "EvidenceEffect",
    "EvidenceFinding",
    "EvidencePolicy",
    "EvidenceRule",
    "EvidenceSummary",
    "FindingStatus",
    "Flag",
    "MetricId",
    "Override",
    "Practice",
    "PracticeResult",
    "Questionnaire",
    "Respondent",
    "Result",
    "RoadmapStep",
]
