"""`assess compare` and `assess trend`: progress between result documents."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from assess.cli._app import app, relative
from assess.support.errors import InputError

if TYPE_CHECKING:
    from assess.model.progress import CompareDocument, TrendDocument

FORCE_HELP = (
    "Go on although the results are of different organisations or questionnaires, share a "
    "date or are out of order; the output carries a warning."
)
OUT_HELP = "Write to this file instead of standard output (needed for pdf)."
_EXTENSIONS = {"text": ".txt", "json": ".json", "html": ".html", "pdf": ".pdf"}
"""The formats of compare and trend, and the --out extension that chooses each."""
FORMAT_HELP = "text (default), json, html or pdf."


def _format(value: str | None, out: Path | None) -> str:
    """The output format: as given, else from --out's extension, else text."""
    if value is None:
        if out is None or not out.suffix:
            return "text"
        for name, extension in _EXTENSIONS.items():
            if out.suffix.lower() == extension:
                return name
        raise InputError(
            f"--out {out}: cannot tell the format from '{out.suffix}'",
            hint=f"end the name in {', '.join(_EXTENSIONS.values())}, or give --format",
        )
    name = value.strip().lower()
    if name not in _EXTENSIONS:
        raise InputError(f"--format: unknown format '{value}' (known: {', '.join(_EXTENSIONS)})")
    if name == "pdf" and out is None:
        raise InputError("--format pdf needs --out FILE: a PDF is not written to the terminal")
    return name


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
        _emit(data, out, f"{pages} pages, pdf/a-3u, {attached} attached")


@app.command("compare")
def compare_command(
    old: Path = typer.Argument(..., metavar="OLD.json", help="The earlier result document."),
    new: Path = typer.Argument(..., metavar="NEW.json", help="The later result document."),
    format: str | None = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
    out: Path | None = typer.Option(None, "--out", "-o", help=OUT_HELP),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
) -> None:
    """Compare two results: deltas, percent to target, progress to date, practices that moved."""
    from assess.engine.series import compare_document, read_series

    chosen = _format(format, out)
    series = read_series([old, new], force=force)
    _warn(series.warnings)
    _write(chosen, out, compare_document(series))


@app.command("trend")
def trend_command(
    results: list[Path] = typer.Argument(
        ..., metavar="RESULT.json…", help="Result documents of one organisation, oldest first."
    ),
    format: str | None = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
    out: Path | None = typer.Option(None, "--out", "-o", help=OUT_HELP),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
) -> None:
    """Trend of several results: scores against targets by date, levels, largest movements."""
    from assess.engine.series import read_series, trend_document

    chosen = _format(format, out)
    series = read_series(results, force=force, reorder=True)
    _warn(series.warnings)
    _write(chosen, out, trend_document(series))
