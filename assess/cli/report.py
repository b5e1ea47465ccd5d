"""`assess report` and `assess demo`."""

from __future__ import annotations

from pathlib import Path

import typer

from assess.cli._app import app, evaluation_date, relative
from assess.cli.assessment import AT_HELP
from assess.support.errors import InputError

FORMAT_HELP = (
    "html, pdf, json, roadmap-csv, roadmap-xlsx or manifest (repeatable). Default: html, pdf "
    "and json."
)
REDACT_HELP = (
    "Write a copy for external sharing: host names, IP addresses, file paths and person names "
    "masked (HOST-1, PERSON-1…) everywhere, attachments included. Default file names end in "
    "-redacted."
)
OUT_HELP = (
    "Output folder (default: DIR/reports). With a single --format, a file name ending in that "
    "format's extension writes that file instead."
)
VARIANT_HELP = (
    "pdf/a-3u (default: archival), pdf/a-3a (archival and tagged for accessibility), "
    "pdf/ua-1 (accessibility) or plain."
)
_EXTENSIONS = {
    "html": ".html",
    "pdf": ".pdf",
    "json": ".json",
    "roadmap-csv": ".csv",
    "roadmap-xlsx": ".xlsx",
    "manifest": ".json",
}
_VARIANTS = ("pdf/a-3u", "pdf/a-3a", "pdf/ua-1", "plain")


def _targets(
    formats: list[str], out: Path | None, default: Path, *, redact: bool = False
) -> dict[str, Path]:
    if out is not None and not out.is_dir() and out.suffix.lower() in _EXTENSIONS.values():
        if len(formats) == 1 and out.suffix.lower() == _EXTENSIONS[formats[0]]:
            return {formats[0]: out}
        raise InputError(
            f"--out {out}: a {out.suffix} file cannot hold {' and '.join(formats)}",
            hint="one format goes to a file with its extension, several to a folder (--out DIR)",
        )
    from assess.publish.report import ReportFormat

    folder = out if out is not None else default
    names = {f: Path(ReportFormat(f).file_name) for f in formats}
    if redact:
        # A redacted copy never overwrites the full report written into the same folder.
        names = {f: name.with_stem(name.stem + "-redacted") for f, name in names.items()}
    return {f: folder / name for f, name in names.items()}


def _format_of(out: Path | None) -> list[str]:
    """The format an --out file name asks for (``report.pdf``: pdf) when --format is not given;
    none for a folder (then the default formats)."""
    if out is None or out.is_dir():
        return []
    suffix = out.suffix.lower()
    return (
        [next(f for f, extension in _EXTENSIONS.items() if extension == suffix)]
        if (suffix in _EXTENSIONS.values())
        else []
    )


def _formats(values: list[str]) -> list[str]:
    chosen = []
    for value in values or ["html", "pdf", "json"]:
        name = value.strip().lower()
        if name not in _EXTENSIONS:
            raise InputError(
                f"--format: unknown format '{value}' (known: {', '.join(_EXTENSIONS)})"
            )
        if name not in chosen:
            chosen.append(name)
    return chosen


def _size(count: int) -> str:
    return f"{count / 1024:.0f} KiB" if count >= 1024 else f"{count} bytes"


def _write(
    directory: Path,
    targets: dict[str, Path],
    *,
    at: str | None,
    baseline: Path | None,
    template_dir: Path | None,
    pdf_variant: str | None,
    redact: bool = False,
) -> None:
    from assess.engine.score import evaluate
    from assess.engine.series import check_baseline
    from assess.inputs.resultfile import read_result
    from assess.inputs.workspace import load_workspace
    from assess.publish.report import ReportFormat, render_outputs
    from assess.support.files import atomic_write

    workspace = load_workspace(directory)
    result = evaluate(workspace, evaluation_date(at))
    earlier = read_result(baseline) if baseline is not None else None
    if baseline is not None and earlier is not None:
        check_baseline(baseline, earlier, result)
    outputs = render_outputs(
        workspace,
        result,
        [ReportFormat(f) for f in targets],
        baseline=earlier,
        baseline_file=baseline,
        template_dir=template_dir,
        pdf_variant=pdf_variant,
        redact=redact,
    )
    for output in outputs:
        path = targets[output.format.value]
        atomic_write(path, output.data)
        typer.echo(f"wrote {relative(path)} ({output.detail}, {_size(len(output.data))})")


@app.command("report")
def report_command(
    directory: Path = typer.Argument(..., metavar="DIR", help="Assessment workspace."),
    format: list[str] = typer.Option([], "--format", "-f", help=FORMAT_HELP),
    out: Path | None = typer.Option(None, "--out", "-o", help=OUT_HELP),
    at: str | None = typer.Option(None, "--at", help=AT_HELP),
    baseline: Path | None = typer.Option(
        None, "--baseline", help="An earlier result (assess score --json) for the progress section."
    ),
    template_dir: Path | None = typer.Option(
        None, "--template-dir", help="Folder of templates that replace the bundled ones."
    ),
    pdf_variant: str | None = typer.Option(None, "--pdf-variant", help=VARIANT_HELP),
    redact: bool = typer.Option(False, "--redact", help=REDACT_HELP),
) -> None:
    """Write the assessment report: HTML, PDF (with the result embedded), JSON, roadmap exports."""
    if pdf_variant is not None and pdf_variant not in _VARIANTS:
        raise InputError(
            f"--pdf-variant: unknown variant '{pdf_variant}' (known: {', '.join(_VARIANTS)})"
        )
    formats = _formats(format or _format_of(out))
    targets = _targets(formats, out, directory / "reports", redact=redact)
    _write(
        directory,
        targets,
        at=at,
        baseline=baseline,
        template_dir=template_dir,
        pdf_variant=pdf_variant,
        redact=redact,
    )


@app.command("demo")
def demo_command(
    out: Path = typer.Option(
        Path("cmmm-demo"), "--out", "-o", help="Folder to create (default: ./cmmm-demo)."
    ),
) -> None:
    """Copy the bundled example assessment, score it and write its HTML, PDF and JSON reports."""
    from assess.publish import demo

    workspace = demo.copy_demo(out)
    typer.echo(f"copied the example assessment (Larkspur Mutual Assurance) to {relative(out)}/")
    at = demo.EVALUATED_AT.isoformat()
    targets = _targets(["html", "pdf", "json"], None, workspace / demo.REPORTS)
    _write(
        workspace,
        targets,
        at=at,
        baseline=workspace / demo.BASELINE,
        template_dir=None,
        pdf_variant=None,
    )
    typer.echo(
        f"next: open {relative(targets['pdf'])}, or re-run with: assess report "
        f"{relative(workspace)} --at {at} --baseline {relative(workspace / demo.BASELINE)}"
    )
