"""``assess compare`` and ``assess trend`` as documents: JSON, HTML and PDF.

The JSON documents (``cmmm-compare/1``, ``cmmm-trend/1``) wrap the domain values of
:mod:`assess.method.progress`. The HTML uses the report's templates folder and style: a comparison's
body is the report's progress section (the same view, the same partial), a trend adds line
charts, a table of levels by quarter and the largest movements. The PDF is that HTML through
the report's WeasyPrint renderer, with the JSON document attached. Building the views is pure.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from assess import __version__
from assess.method.progress import compare, trend
from assess.model.base import Frozen
from assess.model.progress import (
    CompareDocument,
    InputFile,
    Progress,
    Trend,
    TrendDocument,
)
from assess.model.result import Result, ToolInfo
from assess.render import view as v
from assess.render.trend_chart import TrendChart, trend_chart
from assess.support.words import plural

COMPARE_TEMPLATE = "compare.html.j2"
TREND_TEMPLATE = "trend.html.j2"
COMPARE_ATTACHMENT = "compare.json"
TREND_ATTACHMENT = "trend.json"


def tool() -> ToolInfo:
    """This tool, as the documents name it."""
    return ToolInfo(name="cmmm-assess", version=__version__)


def compare_document(
    results: Sequence[Result], inputs: Sequence[InputFile], warnings: Sequence[str] = ()
) -> CompareDocument:
    """The comparison of two results (baseline first), read from ``inputs``."""
    baseline, current = results
    return CompareDocument(
        tool=tool(),
        inputs=tuple(inputs),
        warnings=tuple(warnings),
        progress=compare(baseline, current),
    )


def trend_document(
    results: Sequence[Result], inputs: Sequence[InputFile], warnings: Sequence[str] = ()
) -> TrendDocument:
    """The trend of results (oldest first), read from ``inputs``."""
    return TrendDocument(
        tool=tool(),
        inputs=tuple(inputs),
        warnings=tuple(warnings),
        trend=trend(results),
    )


def json_bytes(document: CompareDocument | TrendDocument) -> bytes:
    """The JSON document as ``--format json`` prints it (UTF-8, final newline)."""
    return (document.model_dump_json(indent=2) + "\n").encode("utf-8")


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
    progress: v.ProgressView
    """The report's progress section, built by the same function."""


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
    figures: tuple[v.Figure, ...]
    overall_section: v.SectionRef
    overall_chart: TrendChart
    overall_header: tuple[str, ...]
    overall_rows: tuple[v.TableRow, ...]
    dimensions_section: v.SectionRef
    dimension_charts: tuple[TrendChart, ...]
    levels_section: v.SectionRef
    dates: tuple[str, ...]
    """Column headings of the levels table (short dates)."""
    levels: tuple[LevelsRow, ...]
    movements_section: v.SectionRef
    movements: tuple[MovementRow, ...]
    steps: tuple[StepRow, ...]
    version_notes: tuple[str, ...]
    """One line per questionnaire version change between consecutive assessments."""


def _meta(
    document: CompareDocument | TrendDocument,
    *,
    title: str,
    description: str,
    created: str,
    organisation: str,
    kind: str,
) -> DocumentMeta:
    digest = hashlib.sha256(json_bytes(document)).hexdigest()
    return DocumentMeta(
        lang="en",
        title=title,
        description=description,
        generator=f"cmmm-assess {__version__}",
        created=created,
        organisation=organisation,
        document_id="CMMM-" + digest[:12].upper(),
        kind=kind,
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
                overall=v.score_text(score),
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
            created=c.evaluated_at.isoformat(),
            organisation=c.organisation,
            kind="Progress between assessments",
        ),
        heading="Progress between assessments",
        subtitle=(
            f"{c.organisation} · {v.long_date(b.evaluated_at)} → {v.long_date(c.evaluated_at)}"
        ),
        inputs=_inputs(document.inputs, (b.overall_score, c.overall_score)),
        warnings=document.warnings,
        progress=v.progress_view(
            p, v.SectionRef(anchor="progress", number="", title="What moved and why")
        ),
    )


def _level_cell(level: int | None, score: float | None) -> str:
    return "n/a" if level is None else f"L{level} · {v.score_text(score)}"


def _direction(delta: float) -> str:
    return "▲ up" if delta > 0 else "▼ down"


def trend_view(document: TrendDocument) -> TrendView:
    """The view of a trend."""
    t: Trend = document.trend
    dates = [p.evaluated_at for p in t.points]
    labels = tuple(d.isoformat() for d in dates)
    first, last = t.points[0], t.points[-1]
    sections = (
        v.SectionRef(anchor="overall", number="1", title="Overall score against the target"),
        v.SectionRef(anchor="dimensions", number="2", title="Dimensions against their targets"),
        v.SectionRef(anchor="levels", number="3", title="Levels by assessment"),
        v.SectionRef(anchor="movements", number="4", title="Largest movements"),
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
            + ", ".join(f"{p.evaluated_at} {v.score_text(p.overall_score)}" for p in t.points)
            + f"; weighted target {v.score_text(last.target_score)}."
        ),
        width=400.0,
        height=240.0,
        date_labels=labels,
    )
    overall_rows = tuple(
        v.TableRow(
            cells=(
                p.evaluated_at.isoformat(),
                f"{v.score_text(p.overall_score)} (L{p.overall_level})"
                if p.overall_level is not None
                else "n/a",
                v.score_text(p.target_score),
                v.percent(p.percent_to_target),
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
                    f"{day} {v.score_text(s)}" for day, s in zip(labels, d.scores, strict=True)
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
                f"{v.signed(known[-1][0] - known[0][0], 0)} · "
                f"{v.signed(known[-1][1] - known[0][1])}"
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
            delta_score=v.signed(m.delta_score),
            delta_level=v.signed(m.delta_level, 0) if m.delta_level is not None else "—",
            direction=_direction(m.delta_score),
        )
        for m in t.movements
    )
    steps = tuple(
        StepRow(
            between=f"{s.start.isoformat()} → {s.end.isoformat()}",
            delta_overall=v.signed(s.delta_overall),
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
    level_now = v.level_text(last.overall_level, None)
    figures = (
        v.Figure(
            label="Overall score",
            value=v.score_text(last.overall_score),
            note=f"level {level_now} on {last.evaluated_at.isoformat()}",
        ),
        v.Figure(
            label=f"Since {first.evaluated_at.isoformat()}",
            value=v.signed(t.delta_overall),
            note=(
                f"from {v.score_text(first.overall_score)} "
                f"over {plural(len(t.points), 'assessment')}"
            ),
        ),
        v.Figure(
            label="Percent to target",
            value=v.percent(last.percent_to_target),
            note=f"was {v.percent(first.percent_to_target)}",
        ),
        v.Figure(
            label="Progress to date",
            value=v.percent(t.progress_to_date),
            note="of the way from the first score to the target",
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
            created=last.evaluated_at.isoformat(),
            organisation=t.organisation,
            kind="Maturity trend",
        ),
        heading="Maturity trend",
        subtitle=(
            f"{t.organisation} · {plural(len(t.points), 'assessment')}, "
            f"{v.long_date(first.evaluated_at)} to {v.long_date(last.evaluated_at)}"
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


def render_document_pdf(
    html: str, document: CompareDocument | TrendDocument, created: str
) -> tuple[bytes, int]:
    """The HTML as PDF/A-3u with the JSON document attached; returns the bytes and page count."""
    from datetime import date

    from assess.render.html import template_dirs
    from assess.render.pdf import EmbeddedFile, render_pdf

    is_compare = isinstance(document, CompareDocument)
    attachment = EmbeddedFile(
        name=COMPARE_ATTACHMENT if is_compare else TREND_ATTACHMENT,
        data=json_bytes(document),
        description=(
            f"The {'comparison' if is_compare else 'trend'} as JSON "
            f"(schema {document.schema_}): every figure in this document."
        ),
    )
    pdf = render_pdf(
        html,
        folders=template_dirs(None),
        attachments=[attachment],
        created=date.fromisoformat(created),
    )
    return pdf.data, pdf.pages
