"""The whole report's view: document metadata, the cover, the numbered contents and every
section, put together by :func:`build_report`.

Templates never compute: they loop over these values and print them. The view is built from
the result document (every number), the questionnaire (practice texts the result does not
carry) and, optionally, the comparison with a baseline result (the progress section), the
manifest (appendix B). Building it is pure: no clock, no I/O, no decision the method layer
makes.
"""

from __future__ import annotations

import hashlib

from assess.model.base import Frozen
from assess.model.forecast import ForecastReading
from assess.model.manifest import Manifest, report_id
from assess.model.progress import Progress
from assess.model.questionnaire import Questionnaire
from assess.model.result import Result
from assess.model.workspace import Narrative
from assess.render.json import result_document
from assess.render.view.actions import ImmediateActions, immediate_actions
from assess.render.view.blocks import SectionRef
from assess.render.view.conclusion import Conclusion, conclusion
from assess.render.view.dimensions import Dimensions, Overview, dimensions, overview
from assess.render.view.evidence import Evidence, evidence
from assess.render.view.forecast import ForecastSection, forecast_section
from assess.render.view.formatting import long_date, name_list, score_text
from assess.render.view.integrity import Appendix, IntegrityView, appendix, integrity
from assess.render.view.judgements import Judgements, judgements
from assess.render.view.level_changes import LevelChanges, level_changes
from assess.render.view.method import (
    ASSURANCE_TEXT,
    POLICY_TEXT,
    Method,
    method,
    period,
    respondents,
)
from assess.render.view.narrative import NarrativeView, narrative_view
from assess.render.view.progress import ProgressView, progress_view
from assess.render.view.prose import Figures, Prose, report_prose
from assess.render.view.roadmap import Roadmap, roadmap
from assess.render.view.summary import Summary, summary

REPORT_TITLE = "Certificate Management Maturity Assessment"
KEYWORDS = "certificate management, PKI, maturity assessment, CMMM, gap analysis, roadmap"
"""The PDF's and the HTML's keywords."""


class Meta(Frozen):
    """Document-level values: identity, provenance and PDF metadata."""

    lang: str
    title: str
    """The document title (``<title>``, PDF Title)."""
    description: str
    """PDF Subject and HTML description."""
    keywords: str
    authors: tuple[str, ...]
    generator: str
    """``cmmm-assess 0.1.0``."""
    created: str
    """The evaluation date, ISO 8601: the PDF creation date, so the bytes are reproducible."""
    report_id: str
    result_sha256: str
    classification: str
    organisation: str
    evaluated_at: str
    """Long form of the evaluation date."""
    draft: str = ""
    """``DRAFT: 73 of 93 applicable practices unanswered`` in every page header of a draft (in
    place of the report's subtitle); empty when the assessment is complete."""


def draft_label(result: Result) -> str:
    """What the cover and every page header of a draft say; empty for a complete assessment."""
    if result.complete:
        return ""
    return (
        f"DRAFT: {result.unanswered} of {result.applicable_practices} applicable practices "
        "unanswered"
    )


class Cover(Frozen):
    """The cover page."""

    title: str
    organisation: str
    scope: str
    period: str
    assessors: str
    questionnaire: str
    evaluated_at: str
    assurance: str
    assurance_note: str
    evidence_policy: str
    overall_level: str
    """``2``, or ``n/a``."""
    overall_name: str
    overall_score: str
    target_score: str
    report_id: str
    result_sha256: str
    classification: str
    generator: str
    draft: str = ""
    """The draft label (see :class:`Meta`); empty when the assessment is complete."""
    draft_note: str = ""
    """What a draft means for the reader; empty when the assessment is complete."""


DRAFT_NOTE = (
    "Unanswered practices count as not implemented: the levels are a floor, not a finding. "
    "This draft is not for sign-off."
)
"""Printed on the cover of a draft under the draft label."""


class ReportView(Frozen):
    """Everything the report templates show."""

    meta: Meta
    cover: Cover
    contents: tuple[SectionRef, ...]
    summary: Summary
    progress: ProgressView | None
    actions: ImmediateActions
    level_changes: LevelChanges | None
    """With a baseline: the dimensions that changed level and why (executive summary)."""
    method: Method
    overview: Overview
    dimensions: Dimensions
    roadmap: Roadmap
    evidence: Evidence
    forecast: ForecastSection | None = None
    """Readiness for shorter lifetimes and post-quantum, when the report has a forecast."""
    judgements: Judgements
    conclusion: Conclusion
    appendix: Appendix
    integrity: IntegrityView | None = None
    """Appendix B, when the report has a manifest (every report the tool writes has)."""
    prose: Prose
    """The report's fixed sentences, which every edition prints."""


class _Sections:
    """Hands out section numbers in document order."""

    def __init__(self) -> None:
        self.items: list[SectionRef] = []
        self._number = 0

    def add(self, anchor: str, title: str) -> SectionRef:
        self._number += 1
        ref = SectionRef(anchor=anchor, number=str(self._number), title=title)
        self.items.append(ref)
        return ref

    def appendix(self, anchor: str, letter: str, title: str) -> SectionRef:
        ref = SectionRef(anchor=anchor, number=letter, title=title)
        self.items.append(ref)
        return ref


def _meta(result: Result, rid: str, sha: str, generator: str) -> Meta:
    a = result.assessment
    return Meta(
        lang="en",
        title=f"{REPORT_TITLE} — {a.organisation}",
        description=(
            f"CMMM maturity assessment of {a.organisation} against {result.questionnaire.id} "
            f"{result.questionnaire.version}, evaluated {result.evaluated_at.isoformat()}"
        ),
        keywords=KEYWORDS,
        authors=a.assessors,
        generator=generator,
        created=result.evaluated_at.isoformat(),
        report_id=rid,
        result_sha256=sha,
        classification=a.classification,
        organisation=a.organisation,
        evaluated_at=long_date(result.evaluated_at),
        draft=draft_label(result),
    )


def _cover(result: Result, rid: str, sha: str, generator: str) -> Cover:
    a, o = result.assessment, result.overall
    assurance, note = ASSURANCE_TEXT[a.assurance]
    q = result.questionnaire
    return Cover(
        title=REPORT_TITLE,
        organisation=a.organisation,
        scope=a.scope or "Scope not stated in the assessment",
        period=period(result),
        assessors=name_list(a.assessors),
        questionnaire=f"{q.title or q.id} · version {q.version}",
        evaluated_at=long_date(result.evaluated_at),
        assurance=assurance,
        assurance_note=note,
        evidence_policy=POLICY_TEXT[result.evidence_policy],
        overall_level=str(o.level) if o.level is not None else "n/a",
        overall_name=o.level_name or "Not applicable",
        overall_score=score_text(o.score),
        target_score=score_text(o.target_score),
        report_id=rid,
        result_sha256=sha,
        classification=a.classification,
        generator=generator,
        draft=draft_label(result),
        draft_note=DRAFT_NOTE if result.is_draft else "",
    )


def build_report(
    result: Result,
    questionnaire: Questionnaire,
    *,
    progress: Progress | None = None,
    has_inventory: bool = False,
    has_baseline: bool = False,
    manifest: Manifest | None = None,
    forecast: ForecastReading | None = None,
    narrative: Narrative | None = None,
) -> ReportView:
    """The view model of the report for a result.

    ``progress`` is the comparison with a baseline result (:func:`assess.method.progress.compare`,
    made by the caller): it adds the progress section and the previous scores to the charts.
    ``manifest`` adds appendix B; ``has_inventory`` and ``has_baseline`` say the certificate
    inventory and the baseline result are attached. ``forecast`` (made by the engine from the
    same evidence) adds the forecast section, its line in the executive summary and its
    attachment. ``narrative`` is the assessor's own text, shown in the summary, each dimension
    and the conclusion.
    """
    written = (
        narrative_view(
            narrative.summary, sorted(narrative.dimensions.items()), narrative.conclusion
        )
        if narrative is not None
        else NarrativeView()
    )
    document = result_document(result)
    rid = report_id(document)
    sha = hashlib.sha256(document).hexdigest()

    sections = _Sections()
    summary_ref = sections.add("summary", "Executive summary")
    progress_ref = (
        sections.add("progress", "Progress since the last assessment") if progress else None
    )
    actions_ref = sections.add("actions", "Immediate actions")
    method_ref = sections.add("method", "Scope, criteria and method")
    overview_ref = sections.add("overview", "Results at a glance")
    dimensions_ref = sections.add("dimensions", "Results by dimension")
    roadmap_ref = sections.add("roadmap", "Roadmap")
    evidence_ref = sections.add("evidence", "Scan evidence")
    forecast_ref = (
        sections.add("forecast", "Readiness for shorter lifetimes and post-quantum")
        if forecast is not None
        else None
    )
    judgements_ref = sections.add("judgements", "Assessor judgements and diverging opinions")
    conclusion_ref = sections.add(
        "conclusion", "Conclusion" if result.is_draft else "Conclusion and sign-off"
    )
    files_ref = sections.appendix("files", "A", "Embedded files and verification")
    verify_ref = sections.appendix("verify", "B", "How to verify this report") if manifest else None

    generator = f"{result.tool.name} {result.tool.version}"
    closing = conclusion(result, overview_ref, roadmap_ref, conclusion_ref).model_copy(
        update={"narrative": written.conclusion}
    )
    by_dimension = dimensions(result, questionnaire, respondents(result), dimensions_ref)
    by_dimension = by_dimension.model_copy(
        update={
            "items": tuple(
                d.model_copy(
                    update={
                        "narrative": written.dimensions.get(d.section.anchor.removeprefix("d-"), ())
                    }
                )
                for d in by_dimension.items
            )
        }
    )
    checks = integrity(manifest, closing, verify_ref) if manifest and verify_ref else None
    files = appendix(
        result,
        has_inventory,
        files_ref,
        has_baseline=has_baseline,
        has_forecast=forecast is not None,
    )
    return ReportView(
        meta=_meta(result, rid, sha, generator),
        cover=_cover(result, rid, sha, generator),
        contents=tuple(sections.items),
        summary=summary(result, progress, summary_ref, method_ref).model_copy(
            update={"narrative": written.summary}
        ),
        progress=progress_view(progress, progress_ref) if progress and progress_ref else None,
        actions=immediate_actions(result, actions_ref),
        level_changes=level_changes(progress),
        method=method(result, questionnaire, method_ref),
        overview=overview(result, questionnaire, progress, overview_ref),
        dimensions=by_dimension,
        roadmap=roadmap(result, roadmap_ref),
        evidence=evidence(result, has_inventory, evidence_ref),
        forecast=(
            forecast_section(forecast, forecast_ref)
            if forecast is not None and forecast_ref is not None
            else None
        ),
        judgements=judgements(result, judgements_ref),
        conclusion=closing,
        appendix=files,
        integrity=checks,
        prose=report_prose(
            Figures(
                overview=overview_ref.number,
                conclusion=conclusion_ref.number,
                integrity=checks.section.number if checks is not None else None,
                appendix=files_ref.number,
                evaluated_at=long_date(result.evaluated_at),
                organisation=result.assessment.organisation,
                classification=result.assessment.classification,
                result_file=files.attachments[0].name,
                baseline_file=files.baseline,
                result_sha256=sha,
                report_id=rid,
                created=result.evaluated_at.isoformat(),
                is_redacted=checks is not None and checks.is_redacted,
                signature_fields=checks.signature_fields if checks is not None else (),
            )
        ),
    )
