"""Wiring: a loaded workspace and an evaluation date → the result document.

This is where scan evidence joins the interview answers: the evidence bundles of the workspace
are turned into evaluated rules (findings) that the pure scoring applies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, timedelta

from assess.inputs.workspace import Workspace
from assess.method.scoring import score, suggested_answer
from assess.model.evidence import (
    EvidenceFinding,
    EvidenceSource,
    EvidenceSummary,
    ImmediateAction,
)
from assess.model.levels import Answer
from assess.model.result import Result
from assess.support.errors import InputError, Problem

LAST_EVALUATION_DATE = date.max - timedelta(days=1)
"""The latest evaluation date (9999-12-30): evidence is judged at the end of the evaluation
date, the midnight after it, which must be a date Python holds (docs/cli.md, Limits)."""


def evidence_findings(
    workspace: Workspace, evaluated_at: date
) -> tuple[EvidenceSummary, tuple[EvidenceFinding, ...]]:
    """The workspace's evidence summary and its questionnaire rules evaluated at a date
    (:func:`read_evidence` without the immediate actions)."""
    read = read_evidence(workspace, evaluated_at)
    return read.summary, read.findings


@dataclass(frozen=True)
class ReadEvidence:
    """What the workspace's evidence bundles say at an evaluation date."""

    summary: EvidenceSummary
    """Sources, metrics and highlighted certificates."""
    findings: tuple[EvidenceFinding, ...]
    """The questionnaire's evidence rules evaluated."""
    actions: tuple[ImmediateAction, ...]
    """Immediate actions found in the fresh bundles, ranked (method.md)."""


def read_evidence(workspace: Workspace, evaluated_at: date) -> ReadEvidence:
    """The workspace's evidence summary, rules evaluated and immediate actions at a date.

    A bundle is fresh when collected on the evaluation date or at most
    ``evidence_max_age_days`` days before it; older bundles are stale (they only make a rule
    ``stale``); bundles collected after the evaluation date did not exist at that date and are
    not used at all (listed in the summary, flagged ``is_future``). A workspace without bundles
    has no findings. A malformed bundle is an input error naming the file and JSON path, an
    evaluation date after :data:`LAST_EVALUATION_DATE` an input error.
    """
    if evaluated_at > LAST_EVALUATION_DATE:
        raise InputError(
            f"the evaluation date {evaluated_at} is after {LAST_EVALUATION_DATE}, the last day "
            "the tool evaluates at",
            hint="give --at an earlier date",
        )
    from assess.evidence.actions import immediate_actions
    from assess.evidence.bundles import LoadedBundle, load_bundle
    from assess.evidence.metrics import Evidence, compute_metrics, highlights
    from assess.evidence.rules import evaluate_rules
    from assess.model.bundle import EvidenceBundle

    if not workspace.evidence_files:
        return ReadEvidence(EvidenceSummary(), (), ())
    loaded: list[LoadedBundle] = []
    problems: list[Problem] = []
    for path in workspace.evidence_files:
        try:
            loaded.append(load_bundle(path))
        except InputError as error:
            problems.extend(error.problems)
    if problems:
        raise InputError(
            problems,
            hint="an evidence bundle is written by assess scan or assess evidence import",
        )
    max_age = workspace.assessment.evidence_max_age_days
    fresh: list[tuple[str, EvidenceBundle]] = []
    stale: list[tuple[str, EvidenceBundle]] = []
    sources: list[EvidenceSource] = []
    for item in loaded:
        bundle = item.bundle
        name = item.path.relative_to(workspace.root).as_posix()
        collected_on = bundle.collected_at.astimezone(UTC).date()
        is_future = collected_on > evaluated_at
        is_stale = not is_future and (evaluated_at - collected_on).days > max_age
        if not is_future:
            (stale if is_stale else fresh).append((name, bundle))
        sources.append(
            EvidenceSource(
                file=name,
                collector=bundle.collector,
                collected_at=bundle.collected_at,
                tool=f"{bundle.tool.name} {bundle.tool.version}",
                observations=len(bundle.observations),
                errors=sum(1 for o in bundle.observations if o.status == "error"),
                is_stale=is_stale,
                sha256=item.sha256,
                is_future=is_future,
            )
        )
    fresh_evidence = Evidence.of(fresh)
    fresh_metrics = compute_metrics(fresh_evidence, evaluated_at)
    stale_metrics = compute_metrics(Evidence.of(stale), evaluated_at)
    shown, total = highlights(fresh_evidence, evaluated_at)
    summary = EvidenceSummary(
        sources=tuple(sources),
        metrics=tuple(m for m in fresh_metrics.values() if m.denominator > 0),
        highlights=tuple(shown),
        highlights_total=total,
    )
    findings = evaluate_rules(
        workspace.questionnaire,
        fresh_metrics,
        stale_metrics,
        workspace.assessment.evidence_min_sample,
    )
    return ReadEvidence(summary, findings, immediate_actions(fresh_evidence, evaluated_at))


def evaluate(workspace: Workspace, evaluated_at: date) -> Result:
    """Score the workspace at the evaluation date."""
    read = read_evidence(workspace, evaluated_at)
    result = score(
        workspace.questionnaire,
        workspace.assessment,
        workspace.answers,
        evaluated_at=evaluated_at,
        findings=read.findings,
        evidence=read.summary,
    )
    return result.model_copy(update={"immediate_actions": read.actions})


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
