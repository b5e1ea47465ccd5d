"""Factories for test inputs: questionnaires, assessments, answers, findings, workspaces."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from assess.model.evidence import (
    Comparison,
    EvidenceEffect,
    EvidenceFinding,
    EvidenceRule,
    FindingStatus,
    MetricId,
)
from assess.model.levels import Answer
from assess.model.questionnaire import Dimension, Practice, Questionnaire
from assess.model.workspace import AnswerEntry, AnswersFile, Assessment, Override

DATA = Path(__file__).parent / "data"
MINI = DATA / "mini.yaml"
DAY = date(2026, 11, 26)


def practice(
    pid: str,
    level: int,
    *,
    weight: float = 1.0,
    depends_on: Sequence[str] = (),
    effort: str = "M",
) -> Practice:
    """A practice with placeholder texts."""
    return Practice(
        id=pid,
        title=f"Practice {pid}",
        level=level,
        weight=weight,
        question=f"Question {pid}?",
        recommendation=f"Do {pid}.",
        effort=effort,
        depends_on=tuple(depends_on),
        owner_role="PKI lead",
    )


def questionnaire(
    dimensions: Mapping[str, Sequence[Practice]], weights: Mapping[str, float] | None = None
) -> Questionnaire:
    """A questionnaire from ``{dimension id: practices}``."""
    weights = weights or {}
    return Questionnaire(
        id="test",
        version="1",
        title="Test questionnaire",
        dimensions=tuple(
            Dimension(id=d, title=d.title(), weight=weights.get(d, 1.0), practices=tuple(ps))
            for d, ps in dimensions.items()
        ),
    )


def assessment(
    *,
    targets: Mapping[str, int] | None = None,
    overrides: Mapping[str, Override] | None = None,
    policy: str = "strict",
    min_sample: int = 10,
) -> Assessment:
    """An assessment of the test questionnaire."""
    return Assessment.model_validate(
        {
            "organisation": "Acme",
            "period": {"start": DAY},
            "questionnaire": {"id": "test", "version": "1"},
            "targets": dict(targets or {"default": 3}),
            "evidence_policy": policy,
            "overrides": dict(overrides or {}),
            "evidence_min_sample": min_sample,
        }
    )


def answers(name: str, given: Mapping[str, str | AnswerEntry]) -> AnswersFile:
    """One respondent's answers; a plain string is an answer word without note or evidence."""
    entries = {
        pid: value if isinstance(value, AnswerEntry) else entry(value)
        for pid, value in given.items()
    }
    return AnswersFile.model_validate({"respondent": {"name": name}, "answers": entries})


def entry(
    answer: str, *, evidence: Sequence[str] = (), reason: str = "", note: str = ""
) -> AnswerEntry:
    """An answer entry; ``na`` gets a reason when none is given."""
    if answer == "na" and not reason:
        reason = "not in scope"
    return AnswerEntry(answer=Answer(answer), evidence=tuple(evidence), reason=reason, note=note)


def finding(
    practice_id: str,
    effect: str,
    *,
    status: str = "fired",
    answer: str | None = None,
    value: float = 0.5,
    denominator: int = 20,
) -> EvidenceFinding:
    """An evaluated evidence rule with a plausible metric."""
    rule = EvidenceRule(
        metric=MetricId.EXPIRED_SHARE,
        op=Comparison.GT,
        threshold=0,
        effect=EvidenceEffect(effect),
        answer=Answer(answer) if answer else None,
        explanation="expired certificates contradict the claim",
    )
    return EvidenceFinding(
        practice=practice_id,
        rule=rule,
        status=FindingStatus(status),
        value=value,
        denominator=denominator,
        sources=("evidence/scan.json",),
        collected_at=datetime(2026, 11, 1, tzinfo=UTC),
    )


def write_yaml(path: Path, data: Any) -> Path:
    """Write YAML test input."""
    path.parent.mkdir(parents=True, exist_ok=True)
    yaml = YAML()
    with path.open("w", encoding="utf-8") as stream:
        yaml.dump(data, stream)
    return path


def mini_workspace(
    root: Path, respondents: Mapping[str, Mapping[str, Any]] | None = None, **assessment_fields: Any
) -> Path:
    """A workspace on tests/data/mini.yaml (copied in), with answers files per respondent."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "questionnaire.yaml").write_bytes(MINI.read_bytes())
    data: dict[str, Any] = {
        "organisation": "Acme Corp",
        "scope": "Public TLS",
        "assessors": ["Ann Auditor"],
        "period": {"start": "2026-11-01"},
        "questionnaire": {"id": "mini", "version": "0.1.0", "file": "questionnaire.yaml"},
        "targets": {"default": 3},
        "evidence_policy": "strict",
        "overrides": {},
    }
    data.update(assessment_fields)
    write_yaml(root / "assessment.yaml", data)
    (root / "answers").mkdir(exist_ok=True)
    (root / "evidence").mkdir(exist_ok=True)
    for name, given in (respondents or {}).items():
        write_yaml(
            root / "answers" / f"{name.lower().replace(' ', '-')}.yaml",
            {"respondent": {"name": name}, "answers": dict(given)},
        )
    return root


def run_json(stdout: str) -> Any:
    """Parse a command's JSON output."""
    return json.loads(stdout)


PYTHON = sys.executable
