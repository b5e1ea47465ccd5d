"""`assess questionnaire list|show|validate|export`."""

from __future__ import annotations

from pathlib import Path

import typer

from assess.cli._app import ExitCode, relative, sub_app
from assess.cli._choices import OutputFormat, chosen_formats, format_option
from assess.cli._help import AssessCommand
from assess.support.errors import InputError

group = sub_app("questionnaire", "Inspect, validate and export questionnaires.")


class ExportFormat(OutputFormat):
    """Formats `assess questionnaire export` writes."""

    JSON = "json", "the machine-readable model", (".json",)
    YAML = "yaml", "the model as YAML", (".yaml", ".yml")
    CSV = "csv", "an answer form to fill in a spreadsheet", (".csv",)
    XLSX = "xlsx", "an Excel answer form with drop-downs (needs --out)", (".xlsx",)


@group.command("list", cls=AssessCommand)
def list_command() -> None:
    """List the bundled questionnaires."""
    from assess.inputs import questionnaire as questionnaires

    for path in questionnaires.builtin_paths():
        q = questionnaires.load(path).questionnaire
        typer.echo(
            f"{q.id:<12} {q.version:<8} {q.title} "
            f"({len(q.dimensions)} dimensions, {len(q.practices)} practices)"
        )


@group.command("show", cls=AssessCommand)
def show_command(
    reference: str = typer.Argument(..., metavar="ID", help="Bundled id or questionnaire file."),
) -> None:
    """Show a questionnaire's dimensions and practices."""
    from assess.inputs import questionnaire as questionnaires

    q = questionnaires.load_reference(reference).questionnaire
    typer.echo(f"{q.title} — {q.id} {q.version}")
    if q.description:
        typer.echo(q.description.strip())
    for dimension in q.dimensions:
        typer.echo("")
        typer.echo(f"{dimension.title} [{dimension.id}] · weight {dimension.weight:g}")
        for p in dimension.practices:
            deps = f" · needs {', '.join(p.depends_on)}" if p.depends_on else ""
            typer.echo(
                f"  {p.id:<8} L{p.level} {q.level_label(p.level):<9} {p.title} "
                f"(w {p.weight:g}, effort {p.effort}){deps}"
            )


@group.command("validate", cls=AssessCommand)
def validate_command(
    file: Path = typer.Argument(..., metavar="FILE", help="Questionnaire YAML file."),
    strict: bool = typer.Option(False, "--strict", help="Fail on warnings too."),
) -> None:
    """Check a questionnaire file and explain every problem."""
    from assess.inputs import questionnaire as questionnaires

    loaded = questionnaires.load(file)
    q = loaded.questionnaire
    for warning in loaded.warnings:
        typer.echo(f"warning: {warning}", err=True)
    levels = sorted({p.level for p in q.practices.values()})
    extends = ""
    if loaded.base is not None:
        base = loaded.base.questionnaire
        dimensions = len(q.dimensions) - len(base.dimensions)
        practices = len(q.practices) - len(base.practices)
        extends = (
            f" (extends {base.id} {base.version}: +{dimensions} "
            f"dimension{'s' * (dimensions != 1)}, +{practices} practice{'s' * (practices != 1)})"
        )
    typer.echo(
        f"{relative(file)}: valid — {q.id} {q.version}{extends}, {len(q.dimensions)} dimensions, "
        f"{len(q.practices)} practices (levels {', '.join(map(str, levels))}), "
        f"{sum(len(p.evidence_rules) for p in q.practices.values())} evidence rules"
    )
    if strict and loaded.warnings:
        raise typer.Exit(ExitCode.CHECK_FAILED)


@group.command("export", cls=AssessCommand)
def export_command(
    reference: str = typer.Argument(..., metavar="ID", help="Bundled id or questionnaire file."),
    format_name: str | None = format_option(
        ExportFormat, "What to write", shown_default="the one --out's extension names, else json"
    ),
    out: Path | None = typer.Option(
        None,
        "--out",
        "-o",
        metavar="FILE",
        help="Write here instead of standard output.",
    ),
) -> None:
    """Export a questionnaire (JSON is the machine-readable model; xlsx and csv are answer
    forms for respondents, read back with `assess answers import`)."""
    from assess.inputs import questionnaire as questionnaires
    from assess.support.files import atomic_write
    from assess.support.jsondoc import document_bytes
    from assess.support.yamlio import dump_yaml

    (format,) = chosen_formats(
        ExportFormat,
        [format_name] if format_name is not None else [],
        out,
        suffixes=lambda f: f.suffixes,
        default=[ExportFormat.JSON],
    )
    if format is ExportFormat.XLSX and out is None:
        raise InputError("--format xlsx writes a binary workbook: give the file with --out FILE")
    q = questionnaires.load_reference(reference).questionnaire
    document = q.model_dump(mode="json")
    text: str | bytes
    match format:
        case ExportFormat.JSON:
            text = document_bytes(q)
        case ExportFormat.YAML:
            text = dump_yaml(document)
        case ExportFormat.CSV | ExportFormat.XLSX:
            from assess.forms.formats import FormFormat, write_form

            text = write_form(FormFormat(format.value), q)
    if out is None:
        typer.echo(text, nl=False)
        return
    if out.is_dir():
        raise InputError(f"{out}: is a folder; give a file name to --out")
    atomic_write(out, text)
    typer.echo(f"wrote {relative(out)}", err=True)
