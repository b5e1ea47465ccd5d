"""`assess report` and `assess demo`."""

from __future__ import annotations

import ctypes
from pathlib import Path

import typer

from assess.cli._activity import activity, quiet_option
from assess.cli._app import AT_DEFAULT, AT_HELP, app, evaluation_date, relative
from assess.cli._choices import (
    choices_help,
    chosen_formats,
    completer,
    format_option,
    parse_choice,
)
from assess.cli._help import AssessCommand
from assess.cli.forecast import schedule_option
from assess.publish.formats import DEFAULT_FORMATS, DEFAULT_VARIANT, PdfVariant, ReportFormat
from assess.support.errors import InputError

REDACT_HELP = (
    "Write a copy for external sharing: host names, IP addresses, file paths and person names "
    "masked (HOST-1, PERSON-1…) everywhere, attachments included. Default file names end in "
    "-redacted."
)
OUT_HELP = (
    "Output folder. With a single --format, a file name ending in that format's extension "
    "writes that file instead (and names the format when --format is not given)."
)
DOCX_TEMPLATE_HELP = (
    "A firm's Word document (.docx) to write the Word report into: its styles, page set-up, "
    "headers, footers and logo are kept, its body replaced. Needs the styles Heading 1 to 3."
)
VARIANT_HELP = choices_help(PdfVariant, "The kind of PDF")
HARFBUZZ_SUBSET = (
    "libharfbuzz-subset-0",
    "harfbuzz-subset",
    "harfbuzz-subset-0.0",
    "libharfbuzz-subset.so.0",
    "libharfbuzz-subset.0.dylib",
    "libharfbuzz-subset-0.dll",
)
"""The names WeasyPrint loads HarfBuzz's subsetter by (weasyprint/text/ffi.py), in its order."""


def _suffixes(kind: ReportFormat) -> tuple[str]:
    return (kind.extension,)


def has_harfbuzz_subset() -> bool:
    """Whether WeasyPrint will find HarfBuzz's font subsetter. Without it WeasyPrint subsets
    fonts with fontTools: slower, and the PDF's bytes change from run to run."""
    for name in HARFBUZZ_SUBSET:
        try:
            ctypes.CDLL(name)
        except OSError:
            continue
        return True
    return False


def _targets(
    formats: list[ReportFormat], out: Path | None, default: Path, *, redact: bool = False
) -> dict[ReportFormat, Path]:
    extensions = {_suffixes(f)[0] for f in ReportFormat}
    if out is not None and not out.is_dir() and out.suffix.lower() in extensions:
        if len(formats) == 1 and out.suffix.lower() in _suffixes(formats[0]):
            return {formats[0]: out}
        raise InputError(
            f"--out {out}: a {out.suffix} file cannot hold {' and '.join(formats)}",
            hint="one format goes to a file with its extension, several to a folder (--out DIR)",
        )
    folder = out if out is not None else default
    names = {f: Path(f.file_name) for f in formats}
    if redact:
        # A redacted copy never overwrites the full report written into the same folder.
        names = {f: name.with_stem(name.stem + "-redacted") for f, name in names.items()}
    return {f: folder / name for f, name in names.items()}


def _size(count: int) -> str:
    return f"{count / 1024:.0f} KiB" if count >= 1024 else f"{count} bytes"


def _write(
    directory: Path,
    targets: dict[ReportFormat, Path],
    *,
    at: str | None,
    baseline: Path | None,
    template_dir: Path | None,
    pdf_variant: PdfVariant | None,
    redact: bool = False,
    quiet: bool = False,
    schedule: Path | None = None,
    docx_template: Path | None = None,
) -> None:
    from assess.engine.score import evaluate_with_forecast
    from assess.engine.series import check_baseline
    from assess.inputs.resultfile import read_result
    from assess.inputs.schedule import load_schedule
    from assess.inputs.workspace import load_workspace
    from assess.publish.report import render_outputs
    from assess.support.files import atomic_write

    if ReportFormat.PDF in targets and not has_harfbuzz_subset():
        typer.echo(
            "warning: HarfBuzz's font subsetter (Debian package libharfbuzz-subset0) is not "
            "installed: the PDF is made with fontTools instead, slower, and its bytes differ "
            "from run to run\nHint: sudo apt-get install libharfbuzz-subset0",
            err=True,
        )
    with activity(f"Scoring {relative(directory)}", quiet=quiet) as now:
        workspace = load_workspace(directory)
        loaded_schedule = load_schedule(schedule)
        result, forecast = evaluate_with_forecast(workspace, evaluation_date(at), loaded_schedule)
        earlier = read_result(baseline) if baseline is not None else None
        if baseline is not None and earlier is not None:
            check_baseline(baseline, earlier, result)
        now.step(f"Writing the report as {', '.join(targets)}")
        outputs = render_outputs(
            workspace,
            result,
            list(targets),
            baseline=earlier,
            baseline_file=baseline,
            template_dir=template_dir,
            pdf_variant=pdf_variant,
            redact=redact,
            forecast=forecast,
            schedule_file=loaded_schedule.path,
            docx_template=docx_template,
        )
    for output in outputs:
        path = targets[output.format]
        atomic_write(path, output.data)
        typer.echo(f"wrote {relative(path)} ({output.detail}, {_size(len(output.data))})")


@app.command("report", cls=AssessCommand)
def report_command(
    directory: Path = typer.Argument(..., metavar="DIR", help="Assessment workspace."),
    format: list[str] = format_option(
        ReportFormat, "What to write", shown_default=", ".join(DEFAULT_FORMATS), repeatable=True
    ),
    out: Path | None = typer.Option(
        None, "--out", "-o", metavar="PATH", help=OUT_HELP, show_default="DIR/reports"
    ),
    at: str | None = typer.Option(
        None, "--at", metavar="DATE", help=AT_HELP, show_default=AT_DEFAULT
    ),
    baseline: Path | None = typer.Option(
        None,
        "--baseline",
        metavar="RESULT.json",
        help="An earlier result (assess score --json) for the progress section.",
    ),
    template_dir: Path | None = typer.Option(
        None,
        "--template-dir",
        metavar="DIR",
        help="Folder of templates that replace the bundled ones.",
    ),
    pdf_variant: str | None = typer.Option(
        None,
        "--pdf-variant",
        metavar="VARIANT",
        help=VARIANT_HELP,
        show_default=DEFAULT_VARIANT.value,
        autocompletion=completer(PdfVariant),
    ),
    redact: bool = typer.Option(False, "--redact", help=REDACT_HELP),
    schedule: Path | None = schedule_option(),
    docx_template: Path | None = typer.Option(
        None,
        "--docx-template",
        metavar="FILE",
        help=DOCX_TEMPLATE_HELP,
        show_default="a plain A4 document",
    ),
    quiet: bool = quiet_option(),
) -> None:
    """Write the assessment report: HTML, PDF (with the result embedded), Word, JSON, roadmap
    exports."""
    variant = (
        parse_choice(PdfVariant, pdf_variant, "--pdf-variant", "variant")
        if pdf_variant is not None
        else None
    )
    formats = chosen_formats(ReportFormat, format, out, suffixes=_suffixes, default=DEFAULT_FORMATS)
    targets = _targets(formats, out, directory / "reports", redact=redact)
    _write(
        directory,
        targets,
        at=at,
        baseline=baseline,
        template_dir=template_dir,
        pdf_variant=variant,
        redact=redact,
        quiet=quiet,
        schedule=schedule,
        docx_template=docx_template,
    )


@app.command("demo", cls=AssessCommand)
def demo_command(
    out: Path = typer.Option(
        Path("cmmm-demo"),
        "--out",
        "-o",
        metavar="DIR",
        help="Folder to create.",
        show_default="cmmm-demo",
    ),
    quiet: bool = quiet_option(),
) -> None:
    """Copy the bundled example assessment, score it and write its HTML, PDF and JSON reports."""
    from assess.publish import demo

    workspace = demo.copy_demo(out)
    typer.echo(f"copied the example assessment (Larkspur Mutual Assurance) to {relative(out)}/")
    at = demo.EVALUATED_AT.isoformat()
    targets = _targets(list(DEFAULT_FORMATS), None, workspace / demo.REPORTS)
    _write(
        workspace,
        targets,
        at=at,
        baseline=workspace / demo.BASELINE,
        template_dir=None,
        pdf_variant=None,
        quiet=quiet,
    )
    typer.echo(
        f"next: open {relative(targets[ReportFormat.PDF])}, or re-run with: assess report "
        f"{relative(workspace)} --at {at} --baseline {relative(workspace / demo.BASELINE)}"
    )
