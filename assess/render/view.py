"""The report's view model: everything the templates show, computed and worded here.

Templates never compute: they loop over these values and print them. The view is built from
the result document (every number), the questionnaire (practice texts the result does not
carry) and, optionally, a baseline result (the progress section). Building it is pure: no
clock, no I/O.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date, datetime

from assess.method.progress import compare
from assess.model.base import Frozen
from assess.model.bundle import common_name
from assess.model.evidence import (
    EvidenceEffect,
    FindingStatus,
    MetricId,
)
from assess.model.levels import LEVEL_NAMES, MAX_LEVEL, Answer
from assess.model.manifest import (
    INVENTORY_ATTACHMENT,
    RESULT_ATTACHMENT,
    ROADMAP_ATTACHMENT,
    Manifest,
    report_id,
)
from assess.model.progress import ChangeKind, ConcernReason, PracticeChange, Progress
from assess.model.questionnaire import Effort, Questionnaire
from assess.model.result import (
    DimensionResult,
    EvidenceBasis,
    Flag,
    PracticeResult,
    Result,
    RoadmapStep,
)
from assess.model.workspace import Assurance, EvidencePolicy
from assess.render import charts
from assess.render.json import result_document
from assess.support.words import plural

REPORT_TITLE = "Certificate Management Maturity Assessment"
HIGHLIGHTS_SHOWN = 50
"""Certificates listed in the document; the full inventory is an attachment."""


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

ANSWER_LABELS: dict[Answer, str] = {
    Answer.NOT: "Not",
    Answer.PARTIALLY: "Partially",
    Answer.LARGELY: "Largely",
    Answer.FULLY: "Fully",
    Answer.UNKNOWN: "Unknown",
    Answer.NA: "N/A",
    Answer.UNANSWERED: "Unanswered",
}
"""How answers are written in the report."""

ANSWER_SYMBOLS: dict[Answer, str] = {
    Answer.NOT: "○",
    Answer.PARTIALLY: "◔",
    Answer.LARGELY: "◕",
    Answer.FULLY: "●",
    Answer.UNKNOWN: "?",
    Answer.NA: "–",
    Answer.UNANSWERED: "·",
}
"""Harvey balls for the scale: a shape per step, so the answer reads without colour."""

ANSWER_CODES: dict[Answer, str] = {
    Answer.NOT: "N",
    Answer.PARTIALLY: "P",
    Answer.LARGELY: "L",
    Answer.FULLY: "F",
    Answer.UNKNOWN: "?",
    Answer.NA: "na",
    Answer.UNANSWERED: "–",
}
"""One-letter answers for the answer record matrix (the interview's keys)."""

FLAG_TEXT: dict[Flag, tuple[str, str]] = {
    Flag.UNKNOWN: ("unknown", "The respondents did not know; counted as not implemented."),
    Flag.UNANSWERED: ("unanswered", "Nobody answered; counted as not implemented."),
    Flag.DIVERGENT: (
        "divergent",
        "Respondents' answers span two or more steps, or mix N/A with scale answers; the "
        "lower median counts.",
    ),
    Flag.OVERRIDE: ("override", "An assessor override replaced the respondents' answer."),
    Flag.CONTRADICTED: (
        "contradicted",
        "Scan evidence contradicts the answer; capped at partially.",
    ),
    Flag.UNEVIDENCED: (
        "unevidenced",
        "A level-4/5 claim without documented or scan evidence; counted as partially.",
    ),
    Flag.STALE: ("stale evidence", "Scan evidence for the practice is too old and was ignored."),
    Flag.INSUFFICIENT_EVIDENCE: (
        "insufficient evidence",
        "A scan rule could not fire: the sample was below its minimum.",
    ),
    Flag.SUGGESTED: (
        "suggested",
        "Scan evidence proposes an answer for this unanswered practice; not counted.",
    ),
}
"""Flag → (label, legend text)."""

BASIS_LABELS: dict[EvidenceBasis, str] = {
    EvidenceBasis.SCAN: "Scan-verified",
    EvidenceBasis.DOCUMENTED: "Documented",
    EvidenceBasis.NONE: "Self-attested",
}


def basis_label(basis: EvidenceBasis, answer: Answer | None) -> str:
    """What supports an answer; nobody attested a practice no one answered."""
    if answer is Answer.UNANSWERED and basis is EvidenceBasis.NONE:
        return "No answer"
    return BASIS_LABELS[basis]


EFFORT_LABELS: dict[Effort, str] = {
    Effort.S: "S · small",
    Effort.M: "M · medium",
    Effort.L: "L · large",
}

METRIC_LABELS: dict[MetricId, str] = {
    MetricId.CERTIFICATES: "Distinct certificates observed",
    MetricId.ENDPOINTS: "TLS endpoints that answered",
    MetricId.EXPIRED_SHARE: "Expired certificates",
    MetricId.EXPIRED_IN_SERVICE_SHARE: "Endpoints serving an expired certificate",
    MetricId.EXPIRING_7D_SHARE: "Valid certificates expiring within 7 days",
    MetricId.EXPIRING_14D_SHARE: "Valid certificates expiring within 14 days",
    MetricId.EXPIRING_30D_SHARE: "Valid certificates expiring within 30 days",
    MetricId.SHORT_VALIDITY_SHARE: "Certificates valid for 90 days or less",
    MetricId.LONG_VALIDITY_SHARE: "Certificates longer than the CA/B Forum maximum",
    MetricId.LATE_RENEWAL_SHARE: "Valid certificates with under a third of life left",
    MetricId.ISSUER_COUNT: "Distinct issuers",
    MetricId.WEAK_KEY_SHARE: "Certificates with weak keys",
    MetricId.WEAK_SIGNATURE_SHARE: "Certificates signed with SHA-1 or MD5",
    MetricId.SELF_SIGNED_IN_SERVICE_SHARE: "Endpoints serving a self-signed certificate",
    MetricId.UNTRUSTED_CHAIN_SHARE: "Endpoints with an untrusted chain",
    MetricId.HOSTNAME_MISMATCH_SHARE: "Endpoints with a host-name mismatch",
    MetricId.LEGACY_TLS_SHARE: "Endpoints negotiating TLS 1.1 or older",
    MetricId.WILDCARD_SHARE: "Wildcard certificates",
    MetricId.KEY_REUSE_SHARE: "Certificates sharing a key with another",
    MetricId.UNENCRYPTED_KEY_SHARE: "Private-key files not encrypted",
    MetricId.WORLD_READABLE_KEY_SHARE: "Private-key files readable by others",
    MetricId.AUTOMATION_MARKER_SHARE: "Certificates with an automation marker",
}

STATUS_LABELS: dict[FindingStatus, str] = {
    FindingStatus.FIRED: "applies",
    FindingStatus.NOT_MET: "does not apply",
    FindingStatus.INSUFFICIENT: "insufficient sample",
    FindingStatus.STALE: "stale, ignored",
    FindingStatus.NO_DATA: "no data",
}

EFFECT_LABELS: dict[EvidenceEffect, str] = {
    EvidenceEffect.SUPPORTS: "supports",
    EvidenceEffect.CONTRADICTS: "contradicts",
    EvidenceEffect.SUGGESTS: "suggests",
}


# --- formatting -------------------------------------------------------------------------------


def long_date(day: date | datetime) -> str:
    """``27 November 2026`` (locale-independent)."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def score_text(score: float | None) -> str:
    """A score with two decimals, or an en dash when there is none."""
    return "—" if score is None else f"{score:.2f}"


def percent(share: float | None) -> str:
    """A share as a whole percentage, or an en dash."""
    if share is None:
        return "—"
    return f"{share:.0%}" if round(share * 100) else "0%"  # never "-0%"


def signed(delta: float | None, digits: int = 2) -> str:
    """A difference with its sign (``+0.40``, ``−1``), or an en dash."""
    if delta is None:
        return "—"
    if round(delta, digits) == 0:
        return f"{0:.{digits}f}" if digits else "0"
    sign = "+" if delta > 0 else "−"
    return f"{sign}{abs(delta):.{digits}f}"


def level_text(level: int | None, name: str | None) -> str:
    """``2 Basic``, or ``n/a``."""
    return "n/a" if level is None else f"{level} {name or LEVEL_NAMES[level]}"


def _names(names: Sequence[str]) -> str:
    if not names:
        return "—"
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def _initials(name: str) -> str:
    parts = [p for p in name.replace("-", " ").split() if p]
    letters = "".join(p[0] for p in parts[:3]).upper()
    return letters or "?"


# --- view types --------------------------------------------------------------------------------


class SectionRef(Frozen):
    """A numbered section for the contents and the bookmarks."""

    anchor: str
    number: str
    title: str


class Figure(Frozen):
    """A headline figure: a label, a value and a note under it."""

    label: str
    value: str
    note: str


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


class TableRow(Frozen):
    """A plain row of text cells (data tables beside charts)."""

    cells: tuple[str, ...]


class GapItem(Frozen):
    """A dimension in the top gaps or strengths list."""

    title: str
    level: str
    score: str
    target: str
    text: str


class StepRef(Frozen):
    """A roadmap step named in the executive summary."""

    order: int
    practice: str
    title: str
    dimension: str
    effort: str
    owner: str


class Summary(Frozen):
    """The executive summary."""

    section: SectionRef
    verdict: str
    figures: tuple[Figure, ...]
    radar: charts.RadarChart | None
    """``None`` with fewer than three dimensions (a radar needs three spokes)."""
    radar_header: tuple[str, ...]
    radar_rows: tuple[TableRow, ...]
    radar_widths: tuple[str, ...]
    """Column widths of the radar's data table."""
    gaps: tuple[GapItem, ...]
    strengths: tuple[GapItem, ...]
    focus: tuple[StepRef, ...]
    progress_headline: str | None


class Respondent(Frozen):
    """A participant of the assessment."""

    initials: str
    name: str
    described: str
    """``Name, role`` (the name alone when no role is recorded)."""
    role: str
    interviewed_at: str
    answered: str


class LegendItem(Frozen):
    """A term and its meaning."""

    term: str
    meaning: str


class Method(Frozen):
    """Scope, criteria and method."""

    section: SectionRef
    organisation: str
    scope: str
    criteria: str
    questionnaire_description: str
    period: str
    evaluated_at: str
    assessors: str
    assurance: str
    evidence_policy: str
    evidence_rules: str
    respondents: tuple[Respondent, ...]
    scale: tuple[TableRow, ...]
    formulas: tuple[LegendItem, ...]
    flags: tuple[LegendItem, ...]
    levels: tuple[LegendItem, ...]


class Overview(Frozen):
    """Results at a glance: level grid, gap bars and the gap table."""

    section: SectionRef
    grid: charts.LevelGrid
    gaps: charts.GapChart
    header: tuple[str, ...]
    rows: tuple[TableRow, ...]
    total: TableRow


class FlagTag(Frozen):
    """A flag as printed beside a practice."""

    label: str
    reason: str


class Note(Frozen):
    """A respondent's note on a practice."""

    who: str
    """The respondent's initials (the legend is in the section's introduction)."""
    text: str


class PracticeView(Frozen):
    """A practice row in its dimension's table."""

    id: str
    anchor: str
    title: str
    question: str
    level: int
    answer: str
    symbol: str
    consolidated: str
    """The respondents' answer when an override replaced it, else empty."""
    given: str
    """Every respondent's answer by initials (``MK F · DO L``); empty when nobody answered."""
    value: str
    is_met: bool
    met_label: str
    """``met``, ``not met`` or ``n/a``: the state in words."""
    basis: str
    evidence: tuple[str, ...]
    flags: tuple[FlagTag, ...]
    notes: tuple[Note, ...]
    na_reasons: tuple[str, ...]


class DimensionView(Frozen):
    """One dimension's results."""

    section: SectionRef
    description: str
    is_applicable: bool
    status: str
    """``Target met``, ``1 level short`` or ``Not applicable``."""
    figures: tuple[Figure, ...]
    practices: tuple[PracticeView, ...]


class Dimensions(Frozen):
    """Results by dimension: every practice with every answer, note and evidence reference."""

    section: SectionRef
    respondents: tuple[Respondent, ...]
    """Initials used in the tables."""
    items: tuple[DimensionView, ...]


class StepView(Frozen):
    """A roadmap step."""

    order: int
    practice: str
    anchor: str
    title: str
    dimension: str
    unlocks: str
    action: str
    reasons: tuple[str, ...]
    why: str
    """The reasons in one sentence (and why a step beyond target is there)."""
    effort: str
    owner: str
    depends_on: tuple[str, ...]
    answer: str
    is_beyond_target: bool


class PhaseView(Frozen):
    """One roadmap phase."""

    number: int
    title: str
    summary: str
    steps: tuple[StepView, ...]


class Roadmap(Frozen):
    """The phased roadmap."""

    section: SectionRef
    intro: str
    phases: tuple[PhaseView, ...]
    header: tuple[str, ...]
    rows: tuple[TableRow, ...]


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


class Judgement(Frozen):
    """An override, an N/A, a divergence or an open answer, worded for the judgements section."""

    practice: str
    title: str
    detail: str
    answers: str
    evidence: tuple[str, ...]


class Judgements(Frozen):
    """Assessor judgements and diverging opinions (ISO 19011 §6.5.1 j)."""

    section: SectionRef
    overrides: tuple[Judgement, ...]
    not_applicable: tuple[Judgement, ...]
    divergent: tuple[Judgement, ...]
    unevidenced: tuple[Judgement, ...]
    open_answers: tuple[Judgement, ...]


class ProgressRow(Frozen):
    """A dimension's movement."""

    title: str
    baseline: str
    current: str
    target: str = "—"
    """The current target level."""
    delta_level: str
    delta_score: str
    direction: str
    """``▲ up``, ``▼ down``, ``= same`` or ``—``: the arrow and the word."""


class ChangeView(Frozen):
    """A practice that moved."""

    practice: str
    title: str
    dimension: str
    before: str
    after: str
    evidence: tuple[str, ...] = ()
    """The evidence behind the change, one line each (override, new evidence, respondents)."""


class ProgressView(Frozen):
    """Progress since the baseline result."""

    section: SectionRef
    baseline_date: str
    intro: str
    figures: tuple[Figure, ...]
    rows: tuple[ProgressRow, ...]
    most_improved: tuple[str, ...]
    areas_of_concern: tuple[str, ...]
    improved: tuple[ChangeView, ...]
    regressed: tuple[ChangeView, ...]
    other_changes: tuple[ChangeView, ...]
    """New, removed and rescoped practices: listed, never dropped."""
    unchanged: int
    version_note: str


class Signatory(Frozen):
    """A sign-off block."""

    anchor: str
    caption: str
    name: str
    role: str


class Conclusion(Frozen):
    """Conclusion and sign-off."""

    section: SectionRef
    statement: tuple[str, ...]
    signatories: tuple[Signatory, ...]


class AttachmentInfo(Frozen):
    """A file the PDF embeds."""

    name: str
    description: str


class Appendix(Frozen):
    """Embedded files and how to verify the report."""

    files: SectionRef
    attachments: tuple[AttachmentInfo, ...]


class IntegrityView(Frozen):
    """The manifest and how to verify the report (appendix B); whether the copy is redacted."""

    section: SectionRef
    report_id: str
    result_sha256: str
    inputs: tuple[TableRow, ...]
    """Role, path, size and SHA-256 of every input file."""
    attachments: tuple[TableRow, ...]
    """Name, size and SHA-256 of every attached file."""
    signature_fields: tuple[str, ...]
    """The PDF's empty signature fields, by sign-off box (``AssessorSignature``)."""
    is_redacted: bool
    redaction_note: str
    """Printed on the cover of a redacted copy; empty otherwise."""


class ReportView(Frozen):
    """Everything the report templates show."""

    meta: Meta
    cover: Cover
    contents: tuple[SectionRef, ...]
    summary: Summary
    progress: ProgressView | None
    method: Method
    overview: Overview
    dimensions: Dimensions
    roadmap: Roadmap
    evidence: Evidence
    judgements: Judgements
    conclusion: Conclusion
    appendix: Appendix
    integrity: IntegrityView | None = None
    """Appendix B, when the report has a manifest (every report the tool writes has)."""


# --- building ----------------------------------------------------------------------------------


def attachments_for(result: Result, *, has_inventory: bool) -> tuple[AttachmentInfo, ...]:
    """The files the PDF embeds, in order (also listed in the report's appendix)."""
    files = [
        AttachmentInfo(
            name=RESULT_ATTACHMENT,
            description=(
                f"The result document (schema {result.schema_}): every number in this report, "
                f"byte for byte what `assess score --json --at {result.evaluated_at}` prints."
            ),
        ),
        AttachmentInfo(
            name=ROADMAP_ATTACHMENT,
            description="The roadmap as a plan of action, one step a row, for import into a "
            "tracker.",
        ),
    ]
    if has_inventory:
        files.append(
            AttachmentInfo(
                name=INVENTORY_ATTACHMENT,
                description="Every certificate sighting in the evidence bundles: one row per "
                "certificate and location.",
            )
        )
    return tuple(files)


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


def build_report(
    result: Result,
    questionnaire: Questionnaire,
    *,
    baseline: Result | None = None,
    has_inventory: bool = False,
    manifest: Manifest | None = None,
) -> ReportView:
    """The view model of the report for a result (and an optional baseline result)."""
    document = result_document(result)
    rid = report_id(document)
    sha = hashlib.sha256(document).hexdigest()
    progress = compare(baseline, result) if baseline is not None else None

    sections = _Sections()
    summary_ref = sections.add("summary", "Executive summary")
    progress_ref = (
        sections.add("progress", "Progress since the last assessment") if progress else None
    )
    method_ref = sections.add("method", "Scope, criteria and method")
    overview_ref = sections.add("overview", "Results at a glance")
    dimensions_ref = sections.add("dimensions", "Results by dimension")
    roadmap_ref = sections.add("roadmap", "Roadmap")
    evidence_ref = sections.add("evidence", "Scan evidence")
    judgements_ref = sections.add("judgements", "Assessor judgements and diverging opinions")
    conclusion_ref = sections.add("conclusion", "Conclusion and sign-off")
    files_ref = sections.appendix("files", "A", "Embedded files and verification")
    verify_ref = sections.appendix("verify", "B", "How to verify this report") if manifest else None

    a = result.assessment
    generator = f"{result.tool.name} {result.tool.version}"
    meta = Meta(
        lang="en",
        title=f"{REPORT_TITLE} — {a.organisation}",
        description=(
            f"CMMM maturity assessment of {a.organisation} against {result.questionnaire.id} "
            f"{result.questionnaire.version}, evaluated {result.evaluated_at.isoformat()}"
        ),
        keywords="certificate management, PKI, maturity assessment, CMMM, gap analysis, roadmap",
        authors=a.assessors,
        generator=generator,
        created=result.evaluated_at.isoformat(),
        report_id=rid,
        result_sha256=sha,
        classification=a.classification,
        organisation=a.organisation,
        evaluated_at=long_date(result.evaluated_at),
    )
    respondents = _respondents(result)
    initials = {r.name: r.initials for r in respondents}
    dimension_views = _dimension_views(result, questionnaire, initials, dimensions_ref)
    conclusion = _conclusion(result, overview_ref, roadmap_ref, conclusion_ref)
    return ReportView(
        meta=meta,
        cover=_cover(result, rid, sha, generator),
        contents=tuple(sections.items),
        summary=_summary(result, progress, summary_ref),
        progress=progress_view(progress, progress_ref) if progress and progress_ref else None,
        method=_method(result, questionnaire, method_ref),
        overview=_overview(result, questionnaire, progress, overview_ref),
        dimensions=Dimensions(
            section=dimensions_ref, respondents=respondents, items=dimension_views
        ),
        roadmap=_roadmap(result, roadmap_ref),
        evidence=_evidence(result, has_inventory, evidence_ref),
        judgements=_judgements(result, judgements_ref),
        conclusion=conclusion,
        appendix=Appendix(
            files=files_ref,
            attachments=attachments_for(result, has_inventory=has_inventory),
        ),
        integrity=(
            _integrity(manifest, conclusion, verify_ref) if manifest and verify_ref else None
        ),
    )


def signature_field_name(anchor: str) -> str:
    """The PDF signature field of a sign-off box: ``assessor-signature-2`` →
    ``AssessorSignature2``."""
    return "".join(part.capitalize() for part in anchor.split("-"))


REDACTION_NOTE = (
    "A copy for external sharing: host names, IP addresses, file paths and person names "
    "are replaced by tokens (HOST-1, IP-1, PATH-1, PERSON-1); the same value has the same token "
    "throughout, attachments included."
)


def _integrity(manifest: Manifest, conclusion: Conclusion, ref: SectionRef) -> IntegrityView:
    return IntegrityView(
        section=ref,
        report_id=manifest.report_id,
        result_sha256=manifest.result_sha256,
        inputs=tuple(
            TableRow(cells=(f.role.value, f.path, f"{f.size:,}", f.sha256)) for f in manifest.inputs
        ),
        attachments=tuple(
            TableRow(cells=(a.name, f"{a.size:,}", a.sha256)) for a in manifest.attachments
        ),
        signature_fields=tuple(signature_field_name(s.anchor) for s in conclusion.signatories),
        is_redacted=manifest.is_redacted,
        redaction_note=REDACTION_NOTE if manifest.is_redacted else "",
    )


_ASSURANCE_TEXT: dict[Assurance, tuple[str, str]] = {
    Assurance.SELF_ASSESSMENT: (
        "Self-assessment",
        "Answers given by the organisation's own staff; not independently verified.",
    ),
    Assurance.ASSESSOR_VALIDATED: (
        "Assessor-validated",
        "Answers reviewed by the assessors against the evidence cited.",
    ),
}

_POLICY_TEXT: dict[EvidencePolicy, str] = {
    EvidencePolicy.STRICT: "Strict: level 4 and 5 claims count only with documented or scan "
    "evidence",
    EvidencePolicy.LENIENT: "Lenient: the evidence gate is off; level 4 and 5 claims count "
    "without evidence",
}


def _period(result: Result) -> str:
    period = result.assessment.period
    if period.end is None or period.end == period.start:
        return long_date(period.start)
    return f"{long_date(period.start)} – {long_date(period.end)}"


def _cover(result: Result, rid: str, sha: str, generator: str) -> Cover:
    a, o = result.assessment, result.overall
    assurance, note = _ASSURANCE_TEXT[a.assurance]
    q = result.questionnaire
    return Cover(
        title=REPORT_TITLE,
        organisation=a.organisation,
        scope=a.scope or "Not stated",
        period=_period(result),
        assessors=_names(a.assessors),
        questionnaire=f"{q.title or q.id} · version {q.version}",
        evaluated_at=long_date(result.evaluated_at),
        assurance=assurance,
        assurance_note=note,
        evidence_policy=_POLICY_TEXT[result.evidence_policy],
        overall_level=str(o.level) if o.level is not None else "n/a",
        overall_name=o.level_name or "Not applicable",
        overall_score=score_text(o.score),
        target_score=score_text(o.target_score),
        report_id=rid,
        result_sha256=sha,
        classification=a.classification,
        generator=generator,
    )


def _applicable(result: Result) -> list[DimensionResult]:
    return [d for d in result.dimensions if d.applicable]


def _is_at_target(d: DimensionResult) -> bool:
    return d.level is not None and d.level >= d.target


def _verdict(result: Result) -> str:
    o, org = result.overall, result.assessment.organisation
    applicable = _applicable(result)
    if o.score is None or o.target_score is None or o.level is None:
        return f"No dimension applies to {org}: nothing could be scored."
    met = sum(1 for d in applicable if _is_at_target(d))
    where = (
        "at or above its weighted target"
        if o.score >= o.target_score
        else "below its weighted target"
    )
    if met == len(applicable):
        tail = "and every dimension reaches its target level."
    else:
        tail = f"and {met} of {len(applicable)} dimensions reach their target level."
    return (
        f"{org} manages its certificates at level {o.level} ({o.level_name}) overall, "
        f"{where} of {o.target_score:.2f}, {tail}"
    )


def _shortfall(d: DimensionResult) -> float:
    return max(0.0, d.target - (d.score or 0.0))


def _summary(result: Result, progress: Progress | None, ref: SectionRef) -> Summary:
    o = result.overall
    applicable = _applicable(result)
    met = sum(1 for d in applicable if _is_at_target(d))
    phases = max((s.phase for s in result.roadmap), default=0)
    weakest = result.dimension(o.weakest_dimension) if o.weakest_dimension else None
    flagged = sum(1 for d in result.dimensions for p in d.practices if p.flags)
    figures = [
        Figure(
            label="Overall maturity",
            value=level_text(o.level, o.level_name),
            note=f"score {score_text(o.score)} of 5",
        ),
        Figure(
            label="Weighted target",
            value=score_text(o.target_score),
            note=f"shortfall {score_text(max(0.0, (o.target_score or 0) - (o.score or 0)))}",
        ),
        Figure(
            label="Dimensions at target",
            value=f"{met} of {len(applicable)}",
            note=f"weakest: {weakest.title}" if weakest else "none applicable",
        ),
        Figure(
            label="Roadmap",
            value=plural(len(result.roadmap), "step"),
            note=plural(phases, "phase") if phases else "every target is met",
        ),
        Figure(
            label="Practices flagged",
            value=str(flagged),
            note="see the flags legend in section 3" if flagged else "none",
        ),
    ]
    series: list[tuple[str, str, Sequence[float | None]]] = [
        ("target", "Target", [float(d.target) for d in result.dimensions]),
    ]
    before: dict[str, float | None] = {}
    if progress is not None:
        before = {d.id: d.baseline_score for d in progress.dimensions}
        series.append(
            (
                "baseline",
                f"Before ({progress.baseline.evaluated_at.isoformat()})",
                [before.get(d.id) for d in result.dimensions],
            )
        )
    series.append(("current", "Current", [d.score for d in result.dimensions]))
    radar = (
        None
        if len(result.dimensions) < charts.RADAR_MIN_SPOKES
        else charts.radar_chart(
            [d.title for d in result.dimensions],
            [f"{score_text(d.score)} / target {d.target}" for d in result.dimensions],
            series,
            title="Maturity profile: current score against target per dimension",
            description=(
                "Radar chart with one spoke per dimension on a scale of 1 to 5. The solid line "
                "with round markers is the current score, the dashed line the target level"
                + (
                    ", the dotted line with diamond markers the previous assessment"
                    if before
                    else ""
                )
                + ". The table beside the chart gives the same figures."
            ),
        )
    )
    header = ("Dimension", "Now", "Target") + (("Before",) if progress else ())
    radar_rows = tuple(
        TableRow(
            cells=(d.title, score_text(d.score), str(d.target))
            + ((score_text(before.get(d.id)),) if progress else ())
        )
        for d in result.dimensions
    )
    # Ranked on rounded products, so that equal shortfalls tie (4 x 13/9 twice is not two
    # different floats) and keep questionnaire order.
    gaps = sorted(
        (d for d in applicable if _shortfall(d) > 0),
        key=lambda d: (-round(_shortfall(d) * d.weight, 9), -d.gap),
    )[:3]
    strengths = sorted(
        (d for d in applicable if _is_at_target(d)),
        key=lambda d: -round((d.score or 0.0) - d.target, 9),
    )[:3]
    focus = tuple(
        StepRef(
            order=s.order,
            practice=s.practice,
            title=s.title,
            dimension=result.dimension(s.dimension).title,
            effort=s.effort.value,
            owner=s.owner_role or "—",
        )
        for s in result.roadmap
        if s.phase == 1
    )[:5]
    headline = None
    if progress is not None:
        headline = (
            f"Since the previous assessment on {long_date(progress.baseline.evaluated_at)}, the "
            f"overall score moved {signed(progress.delta_overall)}; "
            f"{plural(progress.count(ChangeKind.IMPROVED), 'practice')} improved and "
            f"{progress.count(ChangeKind.REGRESSED)} regressed."
        )
    return Summary(
        section=ref,
        verdict=_verdict(result),
        figures=tuple(figures),
        radar=radar,
        radar_header=header,
        radar_rows=radar_rows,
        radar_widths=("",) + ("12mm",) * (len(header) - 1),
        gaps=tuple(
            GapItem(
                title=d.title,
                level=level_text(d.level, d.level_name),
                score=score_text(d.score),
                target=str(d.target),
                text=(
                    f"{plural(d.gap, 'level')} to go; {percent(d.completion)} of the way to "
                    f"level {min((d.level or 1) + 1, MAX_LEVEL)}."
                ),
            )
            for d in gaps
        ),
        strengths=tuple(
            GapItem(
                title=d.title,
                level=level_text(d.level, d.level_name),
                score=score_text(d.score),
                target=str(d.target),
                text=f"Target met; {percent(d.coverage)} of its practice value in place.",
            )
            for d in strengths
        ),
        focus=focus,
        progress_headline=headline,
    )


def _answer(answer: Answer | None) -> str:
    return "—" if answer is None else ANSWER_LABELS[answer]


def _value(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def change_evidence(change: PracticeChange) -> tuple[str, ...]:
    """The evidence behind a practice's change, in words: what an auditor checks first."""
    lines = []
    if change.override_justification:
        lines.append(f"Assessor override: {change.override_justification}")
    if change.evidence_added:
        lines.append("New evidence: " + "; ".join(change.evidence_added))
    if change.evidence_dropped:
        lines.append("No longer cited: " + "; ".join(change.evidence_dropped))
    if change.scan_added:
        lines.append("Scan evidence now applies: " + "; ".join(change.scan_added))
    if change.scan_removed:
        lines.append("Scan evidence no longer applies: " + "; ".join(change.scan_removed))
    shown = {Flag.OVERRIDE} if change.override_justification else set()
    added = [FLAG_TEXT[f][0] for f in change.flags_added if f not in shown]
    if added:
        lines.append("Now flagged: " + ", ".join(added))
    if change.flags_removed:
        lines.append(
            "No longer flagged: " + ", ".join(FLAG_TEXT[f][0] for f in change.flags_removed)
        )
    if change.respondents:
        lines.append(
            "Respondents: "
            + "; ".join(
                f"{r.respondent} {_answer(r.baseline_answer)} → {_answer(r.current_answer)}"
                for r in change.respondents
            )
        )
    before, now = change.baseline_basis, change.current_basis
    was = basis_label(before, change.baseline_answer) if before is not None else None
    is_ = basis_label(now, change.current_answer) if now is not None else None
    if was is not None and is_ is not None and was != is_:
        lines.append(f"Basis: {was.lower()} → {is_.lower()}")
    elif is_ is not None and lines:
        lines.append(f"Basis: {is_.lower()}")
    return tuple(lines)


def concern_text(progress: Progress, index: int) -> str:
    """An area of concern in words: the dimension, and why it is listed."""
    concern = progress.concerns[index]
    d = next(d for d in progress.dimensions if d.id == concern.dimension)
    match concern.reason:
        case ConcernReason.FELL:
            text = f"{d.title} ({signed(d.delta_score)})"
            if concern.regressed:
                text += f": {', '.join(concern.regressed)} regressed"
        case ConcernReason.REGRESSED_PRACTICES:
            text = (
                f"{d.title}: {', '.join(concern.regressed)} regressed "
                f"(score {signed(d.delta_score)})"
            )
        case ConcernReason.STALLED:
            text = (
                f"{d.title}: unchanged at {score_text(d.current_score)}, "
                f"{score_text(concern.shortfall)} below target {d.target}"
            )
    return text


def progress_view(progress: Progress, ref: SectionRef) -> ProgressView:
    """The progress section (also the body of ``assess compare``'s HTML and PDF)."""
    rows = []
    for d in progress.dimensions:
        delta = d.delta_score
        if delta is None:
            direction = "—"
        elif round(delta, 2) > 0:
            direction = "▲ up"
        elif round(delta, 2) < 0:
            direction = "▼ down"
        else:
            direction = "= same"
        rows.append(
            ProgressRow(
                title=d.title,
                baseline=(
                    f"L{d.baseline_level} · {score_text(d.baseline_score)}"
                    if d.baseline_level is not None
                    else "n/a"
                ),
                current=(
                    f"L{d.current_level} · {score_text(d.current_score)}"
                    if d.current_level is not None
                    else "n/a"
                ),
                target=str(d.target) if d.target is not None else "—",
                delta_level=signed(d.delta_level, 0) if d.delta_level is not None else "—",
                delta_score=signed(delta),
                direction=direction,
            )
        )
    titles = {d.id: d.title for d in progress.dimensions}
    by_id = {d.id: d for d in progress.dimensions}

    def change(kind: ChangeKind) -> tuple[ChangeView, ...]:
        return tuple(
            ChangeView(
                practice=c.practice,
                title=c.title,
                dimension=titles.get(c.dimension, c.dimension),
                before=_answer(c.baseline_answer),
                after=_answer(c.current_answer),
                evidence=change_evidence(c),
            )
            for c in progress.practices
            if c.kind is kind
        )

    others = tuple(
        ChangeView(
            practice=c.practice,
            title=c.title,
            dimension=titles.get(c.dimension, c.dimension),
            before=_answer(c.baseline_answer),
            after=f"{_answer(c.current_answer)} ({c.kind})",
            evidence=change_evidence(c),
        )
        for c in progress.practices
        if c.kind in (ChangeKind.NEW, ChangeKind.REMOVED, ChangeKind.RESCOPED)
    )
    b, c = progress.baseline, progress.current
    version_note = (
        f"The questionnaire changed from version {b.questionnaire_version} to "
        f"{c.questionnaire_version}: practices that are new or no longer exist are listed below."
        if progress.is_questionnaire_changed
        else f"Both assessments use {c.questionnaire_id} version {c.questionnaire_version}."
    )
    return ProgressView(
        section=ref,
        baseline_date=long_date(b.evaluated_at),
        intro=(
            f"This section compares the assessment evaluated on {long_date(c.evaluated_at)} with "
            f"the previous one, evaluated on {long_date(b.evaluated_at)}. Dimensions and "
            "practices are matched by id."
        ),
        figures=(
            Figure(
                label="Overall score",
                value=score_text(c.overall_score),
                note=f"{signed(progress.delta_overall)} since {b.evaluated_at.isoformat()} "
                f"({score_text(b.overall_score)})",
            ),
            Figure(
                label="Percent to target",
                value=percent(progress.percent_to_target),
                note=f"was {percent(progress.baseline_percent_to_target)}",
            ),
            Figure(
                label="Progress to date",
                value=percent(progress.progress_to_date),
                note="of the way from the previous score to the target",
            ),
            Figure(
                label="Practices",
                value=(
                    f"{progress.count(ChangeKind.IMPROVED)} up · "
                    f"{progress.count(ChangeKind.REGRESSED)} down"
                ),
                note=f"{progress.count(ChangeKind.UNCHANGED)} unchanged",
            ),
        ),
        rows=tuple(rows),
        most_improved=tuple(
            f"{titles[i]} ({signed(by_id[i].delta_score)})" for i in progress.most_improved
        ),
        areas_of_concern=tuple(concern_text(progress, i) for i in range(len(progress.concerns))),
        improved=change(ChangeKind.IMPROVED),
        regressed=change(ChangeKind.REGRESSED),
        other_changes=others,
        unchanged=progress.count(ChangeKind.UNCHANGED),
        version_note=version_note,
    )


def _respondents(result: Result) -> tuple[Respondent, ...]:
    seen: dict[str, int] = {}
    people = []
    for r in result.respondents:
        initials = _initials(r.name)
        seen[initials] = seen.get(initials, 0) + 1
        if seen[initials] > 1:
            initials = f"{initials}{seen[initials]}"
        people.append(
            Respondent(
                initials=initials,
                name=r.name,
                described=f"{r.name}, {r.role}" if r.role else r.name,
                role=r.role or "—",
                interviewed_at=long_date(r.interviewed_at) if r.interviewed_at else "—",
                answered=str(r.answered),
            )
        )
    return tuple(people)


def _method(result: Result, questionnaire: Questionnaire, ref: SectionRef) -> Method:
    a = result.assessment
    assurance, note = _ASSURANCE_TEXT[a.assurance]
    q = result.questionnaire
    practices = sum(len(d.practices) for d in result.dimensions)
    return Method(
        section=ref,
        organisation=a.organisation,
        scope=a.scope or "Not stated",
        criteria=(
            f"{q.title or q.id}, version {q.version}: "
            f"{plural(len(result.dimensions), 'dimension')} and {practices} practices at "
            "levels 2 (Basic) to 5 (Optimized). Level 1 (Ad-hoc) needs no practice."
        ),
        questionnaire_description=questionnaire.description,
        period=_period(result),
        evaluated_at=long_date(result.evaluated_at),
        assessors=_names(a.assessors),
        assurance=f"{assurance}. {note}",
        evidence_policy=_POLICY_TEXT[result.evidence_policy] + ".",
        evidence_rules=(
            f"A scan rule fires only on a sample of at least {a.evidence_min_sample} (unless the "
            f"rule sets its own minimum) and on evidence collected at most "
            f"{a.evidence_max_age_days} days before the evaluation date; older evidence is "
            "flagged stale and ignored."
        ),
        respondents=_respondents(result),
        scale=(
            TableRow(cells=("● Fully", "1", "Implemented everywhere, as a routine")),
            TableRow(cells=("◕ Largely", "2/3", "Implemented nearly everywhere: the gate")),
            TableRow(cells=("◔ Partially", "1/3", "Implemented in places")),
            TableRow(cells=("○ Not", "0", "Not implemented")),
            TableRow(cells=("? Unknown", "0", "The respondent does not know")),
            TableRow(cells=("– N/A", "—", "Not applicable, with a written reason; left out")),
        ),
        formulas=(
            LegendItem(
                term="Consolidation",
                meaning="Several respondents: N/A and unknown set aside, then the lower median "
                "of the scale answers; an assessor override replaces it.",
            ),
            LegendItem(
                term="Level  L_d",
                meaning="the largest k in 1…5 such that every applicable practice with "
                "ℓ(p) ≤ k has v_p ≥ 2/3 (largely). Level 1 always holds.",
            ),
            LegendItem(
                term="Completion  c_d",
                meaning="Σ w_p·v_p / Σ w_p over applicable practices with ℓ(p) = L_d + 1 "
                "(0 at level 5).",
            ),
            LegendItem(term="Score  S_d", meaning="L_d + c_d, from 1.00 to 5.00."),
            LegendItem(
                term="Coverage",
                meaning="Σ w_p·v_p / Σ w_p over all applicable practices of the dimension, "
                "ungated.",
            ),
            LegendItem(
                term="Overall  O",
                meaning="Σ W_d·S_d / Σ W_d over applicable dimensions; overall level = ⌊O⌋.",
            ),
            LegendItem(term="Gap", meaning="max(0, T_d − L_d), T_d the dimension's target."),
        ),
        flags=tuple(LegendItem(term=label, meaning=text) for label, text in FLAG_TEXT.values()),
        levels=tuple(
            LegendItem(term=f"{level.level} {level.name}", meaning=level.description)
            for level in questionnaire.levels
        ),
    )


def _met_counts(d: DimensionResult) -> tuple[tuple[int, int], ...]:
    counts = []
    for level in range(2, MAX_LEVEL + 1):
        at = [p for p in d.practices if p.level == level and p.is_applicable]
        counts.append((sum(1 for p in at if p.is_met), len(at)))
    return tuple(counts)


def _status(d: DimensionResult) -> str:
    if not d.applicable:
        return "Not applicable"
    if _is_at_target(d):
        return "Target met"
    return f"{plural(d.gap, 'level')} short"


def _overview(
    result: Result, questionnaire: Questionnaire, progress: Progress | None, ref: SectionRef
) -> Overview:
    before = {d.id: d.baseline_score for d in progress.dimensions} if progress else {}
    grid = charts.level_grid(
        [
            charts.GridInput(
                name=d.title,
                level=d.level,
                completion=d.completion,
                target=d.target,
                met=_met_counts(d),
            )
            for d in result.dimensions
        ],
        [questionnaire.level_label(level) for level in range(1, MAX_LEVEL + 1)],
        title="Level grid: levels reached, progress toward the next level, and the target",
        description=(
            "One row per dimension and one column per level. Dark cells with a check mark are "
            "levels reached; the next level shows the completion percentage; the cell with the "
            "heavy outline is the target level. Each cell counts the practices met at that level."
        ),
    )
    gaps = charts.gap_chart(
        [
            (
                d.title,
                d.score,
                d.target,
                before.get(d.id),
                (
                    f"{score_text(d.score)} → {d.target}" + (f"  gap {d.gap}" if d.gap else "  met")
                    if d.applicable
                    else "not applicable"
                ),
            )
            for d in result.dimensions
        ],
        title="Gap analysis: score against target per dimension",
        description=(
            "Horizontal bars from level 1 to each dimension's score on a scale of 1 to 5. The "
            "heavy vertical tick is the target; a dashed box shows the shortfall"
            + ("; a diamond marks the previous score" if before else "")
            + ". The figures are repeated at the right of each bar and in the table below."
        ),
    )
    rows = tuple(
        TableRow(
            cells=(
                d.title,
                f"{d.weight:g}",
                level_text(d.level, d.level_name),
                score_text(d.score),
                percent(d.completion) if d.level != MAX_LEVEL else "top",
                percent(d.coverage),
                str(d.target),
                str(d.gap) if d.applicable else "—",
                _status(d),
            )
        )
        for d in result.dimensions
    )
    o = result.overall
    return Overview(
        section=ref,
        grid=grid,
        gaps=gaps,
        header=(
            "Dimension",
            "Weight",
            "Level",
            "Score",
            "Next",
            "Coverage",
            "Target",
            "Gap",
            "Status",
        ),
        rows=rows,
        total=TableRow(
            cells=(
                "Overall (weighted)",
                "",
                level_text(o.level, o.level_name),
                score_text(o.score),
                "",
                "",
                score_text(o.target_score),
                "",
                "",
            )
        ),
    )


def _practice_view(
    p: PracticeResult, questionnaire: Questionnaire, initials: dict[str, str]
) -> PracticeView:
    notes = tuple(
        Note(who=initials.get(r.respondent, r.respondent), text=r.note)
        for r in p.respondents
        if r.note.strip()
    )
    given = " · ".join(
        f"{initials.get(r.respondent, r.respondent)} {ANSWER_CODES[r.answer]}"
        for r in p.respondents
    )
    definition = questionnaire.practices.get(p.id)
    met = "n/a" if p.value is None else "met" if p.is_met else "not met"
    return PracticeView(
        id=p.id,
        anchor=f"p-{p.id}",
        title=p.title,
        question=definition.question if definition is not None else p.question,
        level=p.level,
        answer=ANSWER_LABELS[p.answer],
        symbol=ANSWER_SYMBOLS[p.answer],
        consolidated=ANSWER_LABELS[p.consolidated_answer] if p.override is not None else "",
        given=given,
        value=_value(p.value),
        is_met=p.is_met,
        met_label=met,
        basis=basis_label(p.evidence_basis, p.answer),
        evidence=p.evidence_refs,
        flags=tuple(
            FlagTag(label=FLAG_TEXT[f][0], reason=p.flag_reasons.get(f, "")) for f in p.flags
        ),
        notes=notes,
        na_reasons=tuple(
            f"{initials.get(r.respondent, r.respondent)}: {r.reason}"
            for r in p.respondents
            if r.answer is Answer.NA
        )
        + (
            (f"assessor: {p.override.justification}",)
            if p.override and p.override.answer is Answer.NA
            else ()
        ),
    )


def _dimension_views(
    result: Result, questionnaire: Questionnaire, initials: dict[str, str], parent: SectionRef
) -> tuple[DimensionView, ...]:
    views = []
    for index, d in enumerate(result.dimensions, start=1):
        definition = questionnaire.dimensions_by_id.get(d.id)
        figures: tuple[Figure, ...] = ()
        if d.applicable:
            next_level = min((d.level or 1) + 1, MAX_LEVEL)
            figures = (
                Figure(label="Level", value=level_text(d.level, d.level_name), note="achieved"),
                Figure(
                    label="Score",
                    value=score_text(d.score),
                    note=(
                        f"{percent(d.completion)} toward level {next_level}"
                        if d.level != MAX_LEVEL
                        else "top level"
                    ),
                ),
                Figure(label="Target", value=str(d.target), note=_status(d)),
                Figure(label="Coverage", value=percent(d.coverage), note="of all practice value"),
            )
        views.append(
            DimensionView(
                section=SectionRef(
                    anchor=f"d-{d.id}", number=f"{parent.number}.{index}", title=d.title
                ),
                description=definition.description if definition is not None else "",
                is_applicable=d.applicable,
                status=_status(d),
                figures=figures,
                practices=tuple(_practice_view(p, questionnaire, initials) for p in d.practices),
            )
        )
    return tuple(views)


def _step_view(step: RoadmapStep, result: Result) -> StepView:
    return StepView(
        order=step.order,
        practice=step.practice,
        anchor=f"s-{step.practice}",
        title=step.title,
        dimension=result.dimension(step.dimension).title,
        unlocks=step.unlocks,
        action=step.action,
        reasons=step.reasons,
        why="; ".join(
            step.reasons
            + (
                ("beyond the dimension's target: a step within target depends on it",)
                if step.is_beyond_target
                else ()
            )
        )
        + ".",
        effort=EFFORT_LABELS[step.effort],
        owner=step.owner_role or "—",
        depends_on=step.depends_on,
        answer=ANSWER_LABELS[step.answer],
        is_beyond_target=step.is_beyond_target,
    )


def _roadmap(result: Result, ref: SectionRef) -> Roadmap:
    phases = []
    rows = []
    numbers = sorted({s.phase for s in result.roadmap})
    for number in numbers:
        steps = [s for s in result.roadmap if s.phase == number]
        efforts = ", ".join(
            f"{sum(1 for s in steps if s.effort is e)} {e.value}"
            for e in Effort
            if any(s.effort is e for s in steps)
        )
        raised = sorted({s.unlocks for s in steps})
        dimension_count = len({s.dimension for s in steps})
        phases.append(
            PhaseView(
                number=number,
                title=f"Phase {number}",
                summary=(
                    f"{plural(len(steps), 'step')} in {plural(dimension_count, 'dimension')}; "
                    f"effort {efforts}."
                ),
                steps=tuple(_step_view(s, result) for s in steps),
            )
        )
        rows.append(
            TableRow(
                cells=(
                    f"Phase {number}",
                    str(len(steps)),
                    efforts,
                    "; ".join(raised),
                )
            )
        )
    if result.roadmap:
        intro = (
            f"{plural(len(result.roadmap), 'step')} close the gaps between each dimension's "
            "level and its target. Phase 1 holds the steps that take a dimension one level up, "
            "phase 2 the next level, and so on; a step waits for the phase of any step it "
            "depends on. Within a phase a step never comes before a step it depends on, and "
            "steps with more weight come first, quick wins before long projects."
        )
    else:
        intro = "Every dimension has reached its target: the roadmap is empty."
    return Roadmap(
        section=ref,
        intro=intro,
        phases=tuple(phases),
        header=("Phase", "Steps", "Effort", "Unlocks"),
        rows=tuple(rows),
    )


def _measured(value: float | None, metric: MetricId, denominator: int) -> str:
    if value is None:
        return "no data"
    if metric.endswith("_share"):
        return f"{value:.1%} of {denominator:,}"
    return f"{value:,.0f}"


def _consequence(practice: PracticeResult) -> str:
    """What a contradiction did to a practice's answer (method.md: capped at partially)."""
    if practice.override is not None:
        return "lifted by assessor override"
    if Flag.CONTRADICTED in practice.flags:
        return "answer capped at partially"
    if practice.answer in (Answer.UNANSWERED, Answer.UNKNOWN):
        return "no answer to cap"
    if practice.answer is Answer.NA:
        return "no change: the practice is not applicable"
    return "no change: the answer claimed no more than partially"


def _evidence(result: Result, has_inventory: bool, ref: SectionRef) -> Evidence:
    e = result.evidence
    practices = {p.id: p for d in result.dimensions for p in d.practices}
    findings = []
    contradictions = []
    for d in result.dimensions:
        for p in d.practices:
            for f in p.evidence_findings:
                view = FindingView(
                    practice=p.id,
                    title=p.title,
                    condition=f.rule.condition,
                    measured=_measured(f.value, f.rule.metric, f.denominator),
                    effect=EFFECT_LABELS[f.effect],
                    status=STATUS_LABELS[f.status]
                    if p.is_in_effect(f) or not f.is_fired
                    else "holds; not used: the practice is answered",
                    explanation=f.rule.explanation,
                )
                findings.append(view)
                if f.is_fired and f.effect is EvidenceEffect.CONTRADICTS:
                    contradictions.append(
                        view.model_copy(update={"status": _consequence(practices[p.id])})
                    )
    highlights = []
    for c in e.highlights[:HIGHLIGHTS_SHOWN]:
        locations = ", ".join(c.locations[:2])
        if len(c.locations) > 2:
            locations += f" (+{len(c.locations) - 2} more)"
        highlights.append(
            TableRow(
                cells=(
                    common_name(c.subject) or c.subject or "(no subject)",
                    common_name(c.issuer) or c.issuer,
                    c.not_after.date().isoformat(),
                    locations,
                    "; ".join(c.problems),
                )
            )
        )
    shown = len(highlights)
    if e.highlights_total > shown:
        note = (
            f"The {shown} most urgent of {e.highlights_total:,} certificates with a problem; "
            + (
                f"the full inventory is attached as {INVENTORY_ATTACHMENT}."
                if has_inventory
                else "the full list is in the evidence bundles."
            )
        )
    elif shown:
        note = f"All {shown} certificates with a problem."
    else:
        note = "No certificate with a problem was found."
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
                    _measured(m.value, m.metric, m.denominator),
                    f"{m.denominator:,}",
                )
            )
            for m in e.metrics
        ),
        highlights=tuple(highlights),
        highlights_note=note,
        contradictions=tuple(contradictions),
        findings=tuple(findings),
        has_inventory=has_inventory,
    )


def _answers_text(p: PracticeResult) -> str:
    if not p.respondents:
        return "no respondent answered"
    return "; ".join(f"{r.respondent}: {ANSWER_LABELS[r.answer]}" for r in p.respondents)


def _judgements(result: Result, ref: SectionRef) -> Judgements:
    overrides, na, divergent, unevidenced, open_answers = [], [], [], [], []
    for d in result.dimensions:
        for p in d.practices:
            if p.override is not None:
                overrides.append(
                    Judgement(
                        practice=p.id,
                        title=p.title,
                        detail=p.override.justification,
                        answers=(
                            f"Respondents: {ANSWER_LABELS[p.consolidated_answer]} → assessor: "
                            f"{ANSWER_LABELS[p.override.answer]}"
                        ),
                        evidence=p.override.evidence,
                    )
                )
            if p.answer is Answer.NA or any(r.answer is Answer.NA for r in p.respondents):
                reasons = [
                    f"{r.respondent}: {r.reason}" for r in p.respondents if r.answer is Answer.NA
                ]
                if p.override is not None and p.override.answer is Answer.NA:
                    reasons.append(f"Assessor: {p.override.justification}")
                na.append(
                    Judgement(
                        practice=p.id,
                        title=p.title,
                        detail=" · ".join(reasons),
                        answers=f"Counted as: {ANSWER_LABELS[p.answer]}",
                        evidence=(),
                    )
                )
            if Flag.DIVERGENT in p.flags:
                divergent.append(
                    Judgement(
                        practice=p.id,
                        title=p.title,
                        detail=_answers_text(p),
                        answers=f"Counted as: {ANSWER_LABELS[p.answer]}",
                        evidence=(),
                    )
                )
            if Flag.UNEVIDENCED in p.flags:
                unevidenced.append(
                    Judgement(
                        practice=p.id,
                        title=p.title,
                        detail=p.flag_reasons.get(Flag.UNEVIDENCED, ""),
                        answers=_answers_text(p),
                        evidence=(),
                    )
                )
            if p.answer in (Answer.UNKNOWN, Answer.UNANSWERED):
                suggestion = (
                    f"; scan evidence suggests {ANSWER_LABELS[p.suggested_answer]}"
                    if p.suggested_answer is not None
                    else ""
                )
                open_answers.append(
                    Judgement(
                        practice=p.id,
                        title=p.title,
                        detail=f"{ANSWER_LABELS[p.answer]}{suggestion}",
                        answers=_answers_text(p),
                        evidence=(),
                    )
                )
    return Judgements(
        section=ref,
        overrides=tuple(overrides),
        not_applicable=tuple(na),
        divergent=tuple(divergent),
        unevidenced=tuple(unevidenced),
        open_answers=tuple(open_answers),
    )


def _conclusion(
    result: Result, overview: SectionRef, roadmap: SectionRef, ref: SectionRef
) -> Conclusion:
    o, a = result.overall, result.assessment
    applicable = _applicable(result)
    met = sum(1 for d in applicable if _is_at_target(d))
    q = result.questionnaire
    statement = [
        f"Against the assessment criteria — {q.title or q.id} version {q.version}, with the "
        f"targets listed in section {overview.number} — {met} of {len(applicable)} applicable "
        f"dimensions of {a.organisation} reach their target level.",
    ]
    if o.score is not None and o.level is not None:
        statement.append(
            f"The overall maturity is level {o.level} ({o.level_name}), with a score of "
            f"{o.score:.2f} against a weighted target of {score_text(o.target_score)}."
        )
    phases = max((s.phase for s in result.roadmap), default=0)
    if result.roadmap:
        statement.append(
            f"The roadmap in section {roadmap.number} sets out "
            f"{plural(len(result.roadmap), 'step')} in {plural(phases, 'phase')} "
            "to close the gaps."
        )
    statement.append(
        f"The findings reflect the state on {long_date(result.evaluated_at)}, as far as the "
        "interviews and the evidence examined could show it: an assessment samples, and "
        "exceptions outside the sample may exist."
    )
    signatories = [
        Signatory(
            anchor="assessor-signature" if i == 0 else f"assessor-signature-{i + 1}",
            caption="Assessor",
            name=name,
            role="",
        )
        for i, name in enumerate(a.assessors)
    ]
    if not signatories:
        signatories.append(
            Signatory(anchor="assessor-signature", caption="Assessor", name="", role="")
        )
    signatories.append(
        Signatory(
            anchor="client-signature",
            caption=f"Accepted for {a.organisation}",
            name="",
            role="",
        )
    )
    return Conclusion(section=ref, statement=tuple(statement), signatories=tuple(signatories))
