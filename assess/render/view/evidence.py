"""Section 7, the scan evidence: the bundles used, the metrics, the contradictions and what
each did, the most urgent certificates and every evidence rule evaluated.

What a contradiction did to a practice is decided in :mod:`assess.method.interpretation` (the
terminal's score output reads the same decision); this module words it.
"""

from __future__ import annotations

from assess.method.interpretation import ContradictionOutcome, contradiction_outcome
from assess.model.base import Frozen
from assess.model.bundle import common_name
from assess.model.evidence import CertificateHighlight, EvidenceEffect, MetricId
from assess.model.manifest import INVENTORY_ATTACHMENT
from assess.model.result import Result
from assess.render.view.blocks import SectionRef, TableRow
from assess.render.view.labels import EFFECT_LABELS, METRIC_LABELS, STATUS_LABELS

HIGHLIGHTS_SHOWN = 50
"""Certificates listed in the document; the full inventory is an attachment."""
LOCATIONS_SHOWN = 2
"""Locations named beside a listed certificate; the rest are counted."""

CONSEQUENCE_TEXT: dict[ContradictionOutcome, str] = {
    ContradictionOutcome.LIFTED: "lifted by assessor override",
    ContradictionOutcome.CAPPED: "answer capped at partially",
    ContradictionOutcome.NO_ANSWER: "no answer to cap",
    ContradictionOutcome.NOT_APPLICABLE: "no change: the practice is not applicable",
    ContradictionOutcome.WITHIN_CAP: "no change: the answer claimed no more than partially",
}
"""What a contradiction did, as the contradictions table says it."""

NOT_IN_EFFECT = "holds; not used: the practice is answered"
"""The status of a suggestion that fired for a practice someone answered."""


class FindingView(Frozen):
    """An evaluated evidence rule."""

    practice: str
    title: str
    condition: str
    measured: str
    effect: str
    status: str
    explanation: str


class Evidence(Frozen):
    """The scan evidence section."""

    section: SectionRef
    has_evidence: bool
    sources: tuple[TableRow, ...]
    metrics: tuple[TableRow, ...]
    highlights: tuple[TableRow, ...]
    highlights_note: str
    contradictions: tuple[FindingView, ...]
    findings: tuple[FindingView, ...]
    has_inventory: bool


def measured_text(value: float | None, metric: MetricId, denominator: int) -> str:
    """A metric's value: a share of its denominator (``3.1% of 1,234``) or a count."""
    if value is None:
        return "no data"
    if metric.endswith("_share"):
        return f"{value:.1%} of {denominator:,}"
    return f"{value:,.0f}"


def _highlight_row(c: CertificateHighlight) -> TableRow:
    locations = ", ".join(c.locations[:LOCATIONS_SHOWN])
    if len(c.locations) > LOCATIONS_SHOWN:
        locations += f" (+{len(c.locations) - LOCATIONS_SHOWN} more)"
    return TableRow(
        cells=(
            common_name(c.subject) or c.subject or "(no subject)",
            common_name(c.issuer) or c.issuer,
            c.not_after.date().isoformat(),
            locations,
            "; ".join(c.problems),
        )
    )


def _highlights_note(shown: int, total: int, has_inventory: bool) -> str:
    if total > shown:
        return f"The {shown} most urgent of {total:,} certificates with a problem; " + (
            f"the full inventory is attached as {INVENTORY_ATTACHMENT}."
            if has_inventory
            else "the full list is in the evidence bundles."
        )
    if shown:
        return f"All {shown} certificates with a problem."
    return "No certificate with a problem was found."


def evidence(result: Result, has_inventory: bool, ref: SectionRef) -> Evidence:
    """The scan evidence section; ``has_inventory`` says the full inventory is attached."""
    e = result.evidence
    findings = []
    contradictions = []
    for d in result.dimensions:
        for p in d.practices:
            for f in p.evidence_findings:
                view = FindingView(
                    practice=p.id,
                    title=p.title,
                    condition=f.rule.condition,
                    measured=measured_text(f.value, f.rule.metric, f.denominator),
                    effect=EFFECT_LABELS[f.effect],
                    status=STATUS_LABELS[f.status]
                    if p.is_in_effect(f) or not f.is_fired
                    else NOT_IN_EFFECT,
                    explanation=f.rule.explanation,
                )
                findings.append(view)
                if f.is_fired and f.effect is EvidenceEffect.CONTRADICTS:
                    outcome = contradiction_outcome(p)
                    contradictions.append(
                        view.model_copy(update={"status": CONSEQUENCE_TEXT[outcome]})
                    )
    highlights = tuple(_highlight_row(c) for c in e.highlights[:HIGHLIGHTS_SHOWN])
    return Evidence(
        section=ref,
        has_evidence=bool(e.sources or e.metrics or findings),
        sources=tuple(
            TableRow(
                cells=(
                    s.file,
                    s.collector,
                    s.collected_at.date().isoformat(),
                    s.tool,
                    f"{s.observations:,}",
                    f"{s.errors:,}",
                    "stale, ignored" if s.is_stale else "fresh",
                )
            )
            for s in e.sources
        ),
        metrics=tuple(
            TableRow(
                cells=(
                    METRIC_LABELS.get(m.metric, str(m.metric)),
                    measured_text(m.value, m.metric, m.denominator),
                    f"{m.denominator:,}",
                )
            )
            for m in e.metrics
        ),
        highlights=highlights,
        highlights_note=_highlights_note(len(highlights), e.highlights_total, has_inventory),
        contradictions=tuple(contradictions),
        findings=tuple(findings),
        has_inventory=has_inventory,
    )
