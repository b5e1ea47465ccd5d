"""``assess compare`` and ``assess trend`` as documents: JSON, HTML and PDF.

The JSON documents (``cmmm-compare/1``, ``cmmm-trend/1``) wrap the domain values of
:mod:`assess.model.progress`, computed by the caller (:mod:`assess.engine.series`). The HTML
uses the report's templates folder and style: a comparison's body is the report's progress
section (the same view, the same partial), a trend adds line charts, a table of levels by
quarter and the largest movements. The PDF is that HTML through
the report's WeasyPrint renderer, with the JSON document attached. Building the views is pure.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date

from assess.model.base import Frozen
from assess.model.progress import CompareDocument, InputFile, Progress, Trend, TrendDocument
from assess.render.trend_chart import TrendChart, trend_chart
from assess.render.view.blocks import Figure, SectionRef, TableRow
from assess.render.view.formatting import level_text, long_date, percent, score_text, signed
from assess.render.view.progress import ProgressView, progress_to_date_figure, progress_view
from assess.render.view.prose import Prose
from assess.support.jsondoc import document_bytes
from assess.support.words import plural

COMPARE_TEMPLATE = "compare.html.j2"
TREND_TEMPLATE = "trend.html.j2"
COMPARE_ATTACHMENT = "compare.json"
TREND_ATTACHMENT = "trend.json"


# --- views ---------------------------------------------------------------------------------


class DocumentMeta(Frozen):
    """Document-level values for the HTML head, the running header and the PDF metadata."""

    lang: str
    title: str
    description: str
    generator: str
    created: str
    """The latest evaluation date, ISO 8601: the PDF creation date (reproducible bytes)."""
    organisation: str
    document_id: str
    """``CMMM-`` and the first 12 hex digits of the SHA-256 of the attached JSON document."""
    kind: str
    """What the running header calls the document."""
    classification: str
    """The results' classification marking, in the running footer of every page."""


class InputRow(Frozen):
    """A result the document was made from."""

    role: str
    file: str
    evaluated_at: str
    questionnaire: str
    overall: str


class CompareView(Frozen):
    """Everything ``compare.html.j2`` shows."""

    meta: DocumentMeta
    heading: str
    subtitle: str
    inputs: tuple[InputRow, ...]
    warnings: tuple[str, ...]
    progress: ProgressView
    """The report's progress section, built by the same function."""
    prose: Prose = Prose()
    """The report's fixed sentences, which the progress section prints."""


class LevelsRow(Frozen):
    """A dimension's level and score at each assessment."""

    title: str
    target: str
    cells: tuple[str, ...]
    change: str
    """First to last: ``+1 · +0.87``."""


class MovementRow(Frozen):
    """A dimension's move between two consecutive assessments."""

    title: str
    between: str
    delta_score: str
    delta_level: str
    direction: str


class StepRow(Frozen):
    """What moved between two consecutive assessments."""

    between: str
    delta_overall: str
    practices: str
    questionnaire: str


class TrendView(Frozen):
    """Everything ``trend.html.j2`` shows."""

    meta: DocumentMeta
    heading: str
    subtitle: str
    inputs: tuple[InputRow, ...]
    warnings: tuple[str, ...]
    figures: tuple[Figure, ...]
    overall_section: SectionRef
    overall_chart: TrendChart
    overall_header: tuple[str, ...]
    overall_rows: tuple[TableRow, ...]
    dimensions_section: SectionRef
    dimension_charts: tuple[TrendChart, ...]
    levels_section: SectionRef
    dates: tuple[str, ...]
    """Column headings of the levels table (short dates)."""
    levels: tuple[LevelsRow, ...]
    movements_section: SectionRef
    movements: tuple[MovementRow, ...]
    steps: tuple[StepRow, ...]
    version_notes: tuple[str, ...]
    """One line per questionnaire version change between consecutive assessments."""


def latest_date(document: CompareDocument | TrendDocument) -> date:
    """The evaluation date of the latest result in the document: the PDF's creation date."""
    if isinstance(document, CompareDocument):
        return document.progress.current.evaluated_at
    return document.trend.points[-1].evaluated_at


def _meta(
    document: CompareDocument | TrendDocument,
    *,
    title: str,
    description: str,
    organisation: str,
    kind: str,
) -> DocumentMeta:
    digest = hashlib.sha256(document_bytes(document)).hexdigest()
    return DocumentMeta(
        lang="en",
        title=title,
        description=description,
        generator=f"{document.tool.name} {document.tool.version}",
        created=latest_date(document).isoformat(),
        organisation=organisation,
        document_id="CMMM-" + digest[:12].upper(),
        kind=kind,
        classification=document.classification,
    )


def _inputs(inputs: Sequence[InputFile], scores: Sequence[float | None]) -> tuple[InputRow, ...]:
    count = len(inputs)
    rows = []
    for index, (item, score) in enumerate(zip(inputs, scores, strict=True)):
        role = "Baseline" if index == 0 else "Current" if index == count - 1 else "Between"
        if count > 2:
            role = f"{index + 1}"
        rows.append(
            InputRow(
                role=role,
                file=item.file,
                evaluated_at=item.evaluated_at.isoformat(),
                questionnaire=item.questionnaire_version,
                overall=score_text(score),
            )
        )
    return tuple(rows)


def compare_view(document: CompareDocument) -> CompareView:
    """The view of a comparison."""
    p: Progress = document.progress
    b, c = p.baseline, p.current
    return CompareView(
        meta=_meta(
            document,
            title=f"Progress between assessments — {c.organisation}",
            description=(
                f"Certificate-management maturity of {c.organisation}: "
                f"{b.evaluated_at.isoformat()} compared with {c.evaluated_at.isoformat()}"
            ),
            organisation=c.organisation,
            kind="Progress between assessments",
        ),
        heading="Progress between assessments",
        subtitle=(f"{c.organisation} · {long_date(b.evaluated_at)} → {long_date(c.evaluated_at)}"),
        inputs=_inputs(document.inputs, (b.overall_score, c.overall_score)),
        warnings=document.warnings,
        progress=progress_view(
            p, SectionRef(anchor="progress", number="", title="What moved and why")
        ),
    )


def _level_cell(level: int | None, score: float | None) -> str:
    return "n/a" if level is None else f"L{level} · {score_text(score)}"


def _direction(delta: float) -> str:
    return "▲ up" if delta > 0 else "▼ down"


def trend_view(document: TrendDocument) -> TrendView:
    """The view of a trend."""
    t: Trend = document.trend
    dates = [p.evaluated_at for p in t.points]
    labels = tuple(d.isoformat() for d in dates)
    first, last = t.points[0], t.points[-1]
    sections = (
        SectionRef(anchor="overall", number="1", title="Overall score against the target"),
        SectionRef(anchor="dimensions", number="2", title="Dimensions against their targets"),
        SectionRef(anchor="levels", number="3", title="Levels by assessment"),
        SectionRef(anchor="movements", number="4", title="Largest movements"),
    )
    overall_chart = trend_chart(
        dates,
        (
            ("target", "weighted target", [p.target_score for p in t.points]),
            ("current", "overall score", [p.overall_score for p in t.points]),
        ),
        title="Overall score by assessment against the weighted target",
        description=(
            "Overall score O at each assessment: "
            + ", ".join(f"{p.evaluated_at} {score_text(p.overall_score)}" for p in t.points)
            + f"; weighted target {score_text(last.target_score)}."
        ),
        width=400.0,
        height=240.0,
        date_labels=labels,
    )
    overall_rows = tuple(
        TableRow(
            cells=(
                p.evaluated_at.isoformat(),
                f"{score_text(p.overall_score)} (L{p.overall_level})"
                if p.overall_level is not None
                else "n/a",
                score_text(p.target_score),
                percent(p.percent_to_target),
            )
        )
        for p in t.points
    )
    dimension_charts = tuple(
        trend_chart(
            dates,
            (
                ("target", "target", [float(x) if x is not None else None for x in d.targets]),
                ("current", "score", d.scores),
            ),
            title=f"{d.title}: score by assessment against the target",
            description=(
                f"{d.title}: "
                + ", ".join(
                    f"{day} {score_text(s)}" for day, s in zip(labels, d.scores, strict=True)
                )
                + f"; target {d.targets[-1] if d.targets[-1] is not None else 'none'}."
            ),
            heading=d.title,
            width=320.0,
            height=150.0,
            has_legend=False,
            date_labels=tuple(day[:7] for day in labels),
        )
        for d in t.dimensions
    )
    levels = []
    for d in t.dimensions:
        known = [(lv, s) for lv, s in zip(d.levels, d.scores, strict=True) if s is not None]
        change = "—"
        if len(known) >= 2 and known[0][0] is not None and known[-1][0] is not None:
            change = (
                f"{signed(known[-1][0] - known[0][0], 0)} · {signed(known[-1][1] - known[0][1])}"
            )
        target = d.targets[-1]
        levels.append(
            LevelsRow(
                title=d.title,
                target=str(target) if target is not None else "—",
                cells=tuple(_level_cell(lv, s) for lv, s in zip(d.levels, d.scores, strict=True)),
                change=change,
            )
        )
    movements = tuple(
        MovementRow(
            title=m.title,
            between=f"{m.start.isoformat()} → {m.end.isoformat()}",
            delta_score=signed(m.delta_score),
            delta_level=signed(m.delta_level, 0) if m.delta_level is not None else "—",
            direction=_direction(m.delta_score),
        )
        for m in t.movements
    )
    steps = tuple(
        StepRow(
            between=f"{s.start.isoformat()} → {s.end.isoformat()}",
            delta_overall=signed(s.delta_overall),
            practices=(
                f"{s.improved} improved, {s.regressed} regressed"
                + (f", {s.new} new" if s.new else "")
                + (f", {s.removed} removed" if s.removed else "")
                + (f", {s.rescoped} rescoped" if s.rescoped else "")
            ),
            questionnaire=(
                f"{s.baseline_version} → {s.current_version}"
                if s.is_questionnaire_changed
                else s.current_version
            ),
        )
        for s in t.steps
    )
    version_notes = tuple(
        f"The questionnaire changed from version {s.baseline_version} to {s.current_version} "
        f"between {s.start.isoformat()} and {s.end.isoformat()}: {s.new} practices are new and "
        f"{s.removed} no longer exist (run assess compare on those two results for the list)."
        for s in t.steps
        if s.is_questionnaire_changed
    )
    level_now = level_text(last.overall_level, None)
    figures = (
        Figure(
            label="Overall score",
            value=score_text(last.overall_score),
            note=f"level {level_now} on {last.evaluated_at.isoformat()}",
        ),
        Figure(
            label=f"Since {first.evaluated_at.isoformat()}",
            value=signed(t.delta_overall),
            note=(
                f"from {score_text(first.overall_score)} over {plural(len(t.points), 'assessment')}"
            ),
        ),
        Figure(
            label="Percent to target",
            value=percent(last.percent_to_target),
            note=f"was {percent(first.percent_to_target)}",
        ),
        progress_to_date_figure(
            t.progress_to_date,
            t.no_progress_to_date,
            "of the way from the first score to the target",
        ),
    )
    return TrendView(
        meta=_meta(
            document,
            title=f"Maturity trend — {t.organisation}",
            description=(
                f"Certificate-management maturity of {t.organisation} over "
                f"{plural(len(t.points), 'assessment')}, {first.evaluated_at.isoformat()} to "
                f"{last.evaluated_at.isoformat()}"
            ),
            organisation=t.organisation,
            kind="Maturity trend",
        ),
        heading="Maturity trend",
        subtitle=(
            f"{t.organisation} · {plural(len(t.points), 'assessment')}, "
            f"{long_date(first.evaluated_at)} to {long_date(last.evaluated_at)}"
        ),
        inputs=_inputs(document.inputs, [p.overall_score for p in t.points]),
        warnings=document.warnings,
        figures=figures,
        overall_section=sections[0],
        overall_chart=overall_chart,
        overall_header=("Evaluated", "Score (level)", "Target", "To target"),
        overall_rows=overall_rows,
        dimensions_section=sections[1],
        dimension_charts=dimension_charts,
        levels_section=sections[2],
        dates=labels,
        levels=tuple(levels),
        movements_section=sections[3],
        movements=movements,
        steps=steps,
        version_notes=version_notes,
    )


# --- rendering -----------------------------------------------------------------------------


def render_compare_html(document: CompareDocument) -> str:
    """The comparison as one self-contained HTML document."""
    from assess.render.html import render_template

    return render_template(COMPARE_TEMPLATE, report=compare_view(document))


def render_trend_html(document: TrendDocument) -> str:
    """The trend as one self-contained HTML document."""
    from assess.render.html import render_template

    return render_template(TREND_TEMPLATE, report=trend_view(document))


def render_document_pdf(html: str, document: CompareDocument | TrendDocument) -> tuple[bytes, int]:
    """The HTML as PDF/A-3a (tagged) with the JSON document attached, dated the latest
    evaluation date; returns the bytes and the page count."""
    from assess.render.html import template_dirs
    from assess.render.pdf import EmbeddedFile, render_pdf

    is_compare = isinstance(document, CompareDocument)
    attachment = EmbeddedFile(
        name=COMPARE_ATTACHMENT if is_compare else TREND_ATTACHMENT,
        data=document_bytes(document),
        description=(
            f"The {'comparison' if is_compare else 'trend'} as JSON "
            f"(schema {document.schema_}): every figure in this document."
        ),
    )
    pdf = render_pdf(
        html,
        folders=template_dirs(None),
        attachments=[attachment],
        created=latest_date(document),
    )
    return pdf.data, pdf.pages
