"""`assess compare` and `assess trend`: progress between result documents."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from assess.cli._app import app, relative
from assess.cli._choices import OutputFormat, chosen_formats, format_of_file, format_option
from assess.cli._help import AssessCommand
from assess.support.errors import InputError

if TYPE_CHECKING:
    from assess.model.progress import CompareDocument, TrendDocument


class SeriesFormat(OutputFormat):
    """What `assess compare` and `assess trend` write."""

    TEXT = "text", "for the terminal", (".txt",)
    JSON = "json", "the cmmm-compare/1 or cmmm-trend/1 document", (".json",)
    HTML = "html", "one page with its charts", (".html",)
    PDF = "pdf", "PDF/A-3a (tagged) with the JSON attached (needs --out)", (".pdf",)


FORCE_HELP = (
    "Go on although the results are of different organisations or questionnaires, share a "
    "date or are out of order; the output carries a warning."
)
OUT_HELP = "Write to this file instead of standard output (needed for pdf)."


def _format_option() -> Any:
    return format_option(
        SeriesFormat, "What to write", shown_default="the one --out's extension names, else text"
    )


def _out_option() -> Any:
    return typer.Option(None, "--out", "-o", metavar="FILE", help=OUT_HELP)


def _force_option() -> Any:
    return typer.Option(False, "--force", help=FORCE_HELP)


def _format(value: str | None, out: Path | None) -> SeriesFormat:
    """The output format: as given, else from --out's extension, else text."""
    unknown = format_of_file(SeriesFormat, out, lambda f: f.suffixes) is None
    if value is None and out is not None and out.suffix and unknown:
        raise InputError(
            f"--out {out}: cannot tell the format from '{out.suffix}'",
            hint=f"end the name in {', '.join(f.suffixes[0] for f in SeriesFormat)}, "
            "or give --format",
        )
    (chosen,) = chosen_formats(
        SeriesFormat,
        [value] if value is not None else [],
        out,
        suffixes=lambda f: f.suffixes,
        default=[SeriesFormat.TEXT],
    )
    if chosen is SeriesFormat.PDF and out is None:
        raise InputError("--format pdf needs --out FILE: a PDF is not written to the terminal")
    return chosen


def _emit(data: str | bytes, out: Path | None, detail: str) -> None:
    from assess.support.files import atomic_write

    if out is None:
        typer.echo(data if isinstance(data, str) else data.decode("utf-8"), nl=False)
        return
    atomic_write(out, data)
    typer.echo(f"wrote {relative(out)} ({detail})")


def _warn(warnings: tuple[str, ...]) -> None:
    for warning in warnings:
        typer.echo(f"warning: {warning}", err=True)


def _write(chosen: str, out: Path | None, document: CompareDocument | TrendDocument) -> None:
    """A comparison or a trend in the chosen format, to ``out`` or standard output."""
    from assess.model.progress import CompareDocument
    from assess.render import progress_doc, progress_text
    from assess.support.jsondoc import document_bytes

    if chosen == "json":
        _emit(document_bytes(document), out, f"schema {document.schema_}")
        return
    if isinstance(document, CompareDocument):
        text = progress_text.compare_text(document) if chosen == "text" else ""
        page = progress_doc.render_compare_html(document) if chosen != "text" else ""
        attached = progress_doc.COMPARE_ATTACHMENT
    else:
        text = progress_text.trend_text(document) if chosen == "text" else ""
        page = progress_doc.render_trend_html(document) if chosen != "text" else ""
        attached = progress_doc.TREND_ATTACHMENT
    if chosen == "text":
        _emit(text, out, "text")
    elif chosen == "html":
        _emit(page, out, "HTML")
    else:
        data, pages = progress_doc.render_document_pdf(page, document)
        _emit(data, out, f"{pages} pages, pdf/a-3a, {attached} attached")


@app.command("compare", cls=AssessCommand)
def compare_command(
    old: Path = typer.Argument(..., metavar="OLD.json", help="The earlier result document."),
    new: Path = typer.Argument(..., metavar="NEW.json", help="The later result document."),
    format: str | None = _format_option(),
    out: Path | None = _out_option(),
    force: bool = _force_option(),
) -> None:
    """Compare two results: deltas, percent to target, progress to date, practices that moved."""
    from assess.engine.series import compare_document, read_series

    chosen = _format(format, out)
    series = read_series([old, new], force=force)
    _warn(series.warnings)
    _write(chosen, out, compare_document(series))


@app.command("trend", cls=AssessCommand)
def trend_command(
    results: list[Path] = typer.Argument(
        ..., metavar="RESULT.json", help="Result documents of one organisation, oldest first."
    ),
    format: str | None = _format_option(),
    out: Path | None = _out_option(),
    force: bool = _force_option(),
) -> None:
    """Trend of several results: scores against targets by date, levels, largest movements."""
    from assess.engine.series import read_series, trend_document

    chosen = _format(format, out)
    series = read_series(results, force=force, reorder=True)
    _warn(series.warnings)
    _write(chosen, out, trend_document(series))
