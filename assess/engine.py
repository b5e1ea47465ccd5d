"""Wiring: a loaded workspace and an evaluation date → the result document.

This is where scan evidence joins the interview answers: the evidence bundles of the workspace
are turned into evaluated rules (findings) that the pure scoring applies.
"""

from __future__ import annotations

from datetime import date

from assess.model.evidence import EvidenceFinding, EvidenceSummary
from assess.model.levels import Answer
from assess.model.result import Result
from assess.scoring import score, suggested_answer
from assess.workspace import Workspace


def evidence_findings(
    workspace: Workspace, evaluated_at: date
) -> tuple[EvidenceSummary, tuple[EvidenceFinding, ...]]:
    """The workspace's evidence summary and its questionnaire rules evaluated at a date.

    No evidence collector is wired in yet: every practice is scored on answers alone.
    """
    del workspace, evaluated_at
    return EvidenceSummary(), ()


def evaluate(workspace: Workspace, evaluated_at: date) -> Result:
    """Score the workspace at the evaluation date."""
    summary, findings = evidence_findings(workspace, evaluated_at)
    return score(
        workspace.questionnaire,
        workspace.assessment,
        workspace.answers,
        evaluated_at=evaluated_at,
        findings=findings,
        evidence=summary,
    )


def suggested_answers(workspace: Workspace, evaluated_at: date) -> dict[str, Answer]:
    """Answers scan evidence proposes for the interview, by practice id."""
    _, findings = evidence_findings(workspace, evaluated_at)
    by_practice: dict[str, list[EvidenceFinding]] = {}
    for finding in findings:
        by_practice.setdefault(finding.practice, []).append(finding)
    return {
        practice: answer
        for practice, group in by_practice.items()
        if (answer := suggested_answer(group)) is not None
    }
