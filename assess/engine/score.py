"""Wiring: a loaded workspace and an evaluation date → the result document.

This is where scan evidence joins the interview answers: the evidence bundles of the workspace
are turned into evaluated rules (findings) that the pure scoring applies.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from assess.inputs.schedule import LoadedSchedule, load_schedule
from assess.inputs.workspace import Workspace
from assess.method.scoring import score, suggested_answer
from assess.model.bundle import KeyRecord, Observation
from assess.model.evidence import (
    EvidenceFinding,
    EvidenceSource,
    EvidenceSummary,
    ImmediateAction,
    MetricId,
    MetricValue,
)
from assess.model.forecast import ForecastReading
from assess.model.levels import Answer
from assess.model.result import Result
from assess.support.errors import InputError, Problem

if TYPE_CHECKING:
    from assess.evidence.metrics import Evidence

LAST_EVALUATION_DATE = date.max - timedelta(days=1)
"""The latest evaluation date (9999-12-30): evidence is judged at the end of the evaluation
date, the midnight after it, which must be a date Python holds (docs/cli.md, Limits)."""


def evidence_findings(
    workspace: Workspace, evaluated_at: date, schedule: LoadedSchedule | None = None
) -> tuple[EvidenceSummary, tuple[EvidenceFinding, ...]]:
    """The workspace's evidence summary and its questionnaire rules evaluated at a date
    (:func:`read_evidence` without the immediate actions)."""
    read = read_evidence(workspace, evaluated_at, schedule)
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
    forecast: ForecastReading
    """The forecast over the fresh bundles (forecast.md)."""


@dataclass(frozen=True)
class _Bundles:
    """The workspace's bundles folded by their age at the evaluation date."""

    fresh: Evidence
    stale: Evidence
    sources: list[EvidenceSource]


def _check_date(evaluated_at: date) -> None:
    if evaluated_at > LAST_EVALUATION_DATE:
        raise InputError(
            f"the evaluation date {evaluated_at} is after {LAST_EVALUATION_DATE}, the last day "
            "the tool evaluates at",
            hint="give --at an earlier date",
        )


def _bundles(workspace: Workspace, evaluated_at: date, *, stale: bool = True) -> _Bundles:
    """Every bundle of the workspace read and folded as it is read: into the fresh evidence,
    the stale (when ``stale``; skipped otherwise), or none (from the future: listed in the
    sources only); a malformed bundle is an input error naming the file, and nothing folded
    from any bundle is used then."""
    from assess.evidence.metrics import Evidence

    problems: list[Problem] = []
    found = _Bundles(Evidence(), Evidence(), [])
    for path in workspace.evidence_files:
        try:
            found.sources.append(_fold(workspace, path, evaluated_at, found, stale=stale))
        except InputError as error:
            problems.extend(error.problems)
    if problems:
        raise InputError(
            problems,
            hint="an evidence bundle is written by assess scan or assess evidence import",
        )
    found.fresh.finish()
    found.stale.finish()
    return found


def _fold(
    workspace: Workspace, path: Path, evaluated_at: date, found: _Bundles, *, stale: bool
) -> EvidenceSource:
    """Read one bundle into the evidence its age says, and describe it."""
    from assess.evidence.bundles import stream_bundle

    max_age = workspace.assessment.evidence_max_age_days
    with stream_bundle(path) as streamed:
        bundle = streamed.header
        name = path.relative_to(workspace.root).as_posix()
        collected_on = bundle.collected_at.astimezone(UTC).date()
        is_future = collected_on > evaluated_at
        is_stale = not is_future and (evaluated_at - collected_on).days > max_age
        counts = {"observations": 0, "errors": 0}

        def counted() -> Iterator[Observation | KeyRecord]:
            for item in streamed.items:
                if isinstance(item, Observation):
                    counts["observations"] += 1
                    counts["errors"] += item.status == "error"
                yield item

        target = found.stale if is_stale else found.fresh
        if is_future or (is_stale and not stale):
            deque(counted(), maxlen=0)
        else:
            target.add(name, bundle, counted())
    return EvidenceSource(
        file=name,
        collector=bundle.collector,
        collected_at=bundle.collected_at,
        tool=f"{bundle.tool.name} {bundle.tool.version}",
        observations=counts["observations"],
        errors=counts["errors"],
        is_stale=is_stale,
        sha256=streamed.sha256,
        is_future=is_future,
    )


def read_evidence(
    workspace: Workspace, evaluated_at: date, schedule: LoadedSchedule | None = None
) -> ReadEvidence:
    """The workspace's evidence summary, rules evaluated, immediate actions and forecast at a
    date.

    A bundle is fresh when collected on the evaluation date or at most
    ``evidence_max_age_days`` days before it; older bundles are stale (they only make a rule
    ``stale``); bundles collected after the evaluation date did not exist at that date and are
    not used at all (listed in the summary, flagged ``is_future``). A workspace without bundles
    has no findings. A malformed bundle is an input error naming the file and JSON path, an
    evaluation date after :data:`LAST_EVALUATION_DATE` an input error. ``schedule`` is the
    schedule file read (the shipped one when ``None``): the lifetime caps of
    ``long_validity_share`` and of the forecast.
    """
    _check_date(evaluated_at)
    from assess.evidence.actions import immediate_actions
    from assess.evidence.metrics import Evidence, compute_metrics, highlights
    from assess.evidence.rules import evaluate_rules

    loaded_schedule = schedule if schedule is not None else load_schedule()
    if not workspace.evidence_files:
        reading, _ = _forecast(workspace, Evidence(), evaluated_at, loaded_schedule)
        return ReadEvidence(EvidenceSummary(), (), (), reading)
    bundles = _bundles(workspace, evaluated_at)
    fresh_evidence = bundles.fresh
    stale_evidence = bundles.stale
    reading, forecast_fresh = _forecast(workspace, fresh_evidence, evaluated_at, loaded_schedule)
    _, forecast_stale = _forecast(workspace, stale_evidence, evaluated_at, loaded_schedule)
    caps = loaded_schedule.schedule
    fresh_metrics = compute_metrics(fresh_evidence, evaluated_at, caps) | forecast_fresh
    stale_metrics = compute_metrics(stale_evidence, evaluated_at, caps) | forecast_stale
    shown, total = highlights(fresh_evidence, evaluated_at)
    summary = EvidenceSummary(
        sources=tuple(bundles.sources),
        metrics=tuple(fresh_metrics[m] for m in MetricId if fresh_metrics[m].denominator > 0),
        highlights=tuple(shown),
        highlights_total=total,
    )
    findings = evaluate_rules(
        workspace.questionnaire,
        fresh_metrics,
        stale_metrics,
        workspace.assessment.evidence_min_sample,
    )
    actions = immediate_actions(fresh_evidence, evaluated_at)
    return ReadEvidence(summary, findings, actions, reading)


def _forecast(
    workspace: Workspace, evidence: Evidence, evaluated_at: date, schedule: LoadedSchedule
) -> tuple[ForecastReading, dict[MetricId, MetricValue]]:
    """The forecast of ``evidence``, with the leaves the next cap reaches first, and its figures
    as metrics."""
    from assess.evidence.anchors import private_hints
    from assess.evidence.metrics import forecast_leaves
    from assess.method.forecast import (
        REACHED_SHOWN,
        forecast,
        forecast_metrics,
        reached_by_next_cap,
    )

    settings = workspace.assessment
    leaves = forecast_leaves(evidence, evaluated_at)
    document = forecast(
        leaves,
        schedule.schedule,
        evaluated_at,
        renewal_lead=settings.renewal_lead,
        manual_renewal_minutes=settings.manual_renewal_minutes,
    )
    reached = reached_by_next_cap(leaves, document)
    reading = ForecastReading(
        forecast=document,
        schedule=schedule.schedule,
        schedule_file=schedule.path.name,
        reached=tuple(reached[:REACHED_SHOWN]),
        reached_total=len(reached),
        reached_overdue=sum(1 for r in reached if r.overdue),
        private_hints=private_hints(leaves, evidence),
        lead_is_default="renewal_lead" not in settings.model_fields_set,
        minutes_is_default="manual_renewal_minutes" not in settings.model_fields_set,
    )
    return reading, forecast_metrics(leaves, document, schedule.schedule)


def read_forecast(
    workspace: Workspace, evaluated_at: date, schedule: LoadedSchedule | None = None
) -> ForecastReading:
    """The forecast of the workspace's fresh evidence at the evaluation date (the shipped
    schedule when ``schedule`` is ``None``), without the metrics and rules."""
    _check_date(evaluated_at)
    from assess.evidence.metrics import Evidence

    loaded_schedule = schedule if schedule is not None else load_schedule()
    fresh = (
        _bundles(workspace, evaluated_at, stale=False).fresh
        if workspace.evidence_files
        else Evidence()
    )
    reading, _ = _forecast(workspace, fresh, evaluated_at, loaded_schedule)
    return reading


def evaluate(
    workspace: Workspace,
    evaluated_at: date,
    schedule: LoadedSchedule | None = None,
    *,
    evidence: ReadEvidence | None = None,
) -> Result:
    """Score the workspace at the evaluation date; ``evidence``, when given, is what
    :func:`read_evidence` returned for the same workspace, date and schedule (a caller that
    keeps it while the bundles are unchanged saves reading them again)."""
    return evaluate_with_forecast(workspace, evaluated_at, schedule, evidence=evidence)[0]


def evaluate_with_forecast(
    workspace: Workspace,
    evaluated_at: date,
    schedule: LoadedSchedule | None = None,
    *,
    evidence: ReadEvidence | None = None,
) -> tuple[Result, ForecastReading]:
    """Score the workspace at the evaluation date, with the forecast of the same evidence
    (``evidence`` as for :func:`evaluate`)."""
    read = evidence if evidence is not None else read_evidence(workspace, evaluated_at, schedule)
    result = score(
        workspace.questionnaire,
        workspace.assessment,
        workspace.answers,
        evaluated_at=evaluated_at,
        findings=read.findings,
        evidence=read.summary,
    )
    return result.model_copy(update={"immediate_actions": read.actions}), read.forecast


def suggested_answers(
    workspace: Workspace, evaluated_at: date, *, evidence: ReadEvidence | None = None
) -> dict[str, Answer]:
    """Answers scan evidence proposes for the interview, by practice id (``evidence`` as for
    :func:`evaluate`)."""
    read = evidence if evidence is not None else read_evidence(workspace, evaluated_at)
    by_practice: dict[str, list[EvidenceFinding]] = {}
    for finding in read.findings:
        by_practice.setdefault(finding.practice, []).append(finding)
    return {
        practice: answer
        for practice, group in by_practice.items()
        if (answer := suggested_answer(group)) is not None
    }
