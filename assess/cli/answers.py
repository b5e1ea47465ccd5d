"""`assess answers import`: a filled XLSX or CSV form → a respondent's answers file."""

from __future__ import annotations

from pathlib import Path

import typer

from assess.cli._app import relative, sub_app, today
from assess.cli._help import AssessCommand
from assess.support.errors import InputError

group = sub_app("answers", "Import answers from filled forms.")


@group.command("import", cls=AssessCommand)
def import_command(
    directory: Path = typer.Argument(..., metavar="DIR", help="Assessment workspace."),
    file: Path = typer.Argument(..., metavar="FILE", help="A filled form (.xlsx or .csv)."),
    respondent: str = typer.Option(
        ..., "--respondent", metavar="NAME", help="The person who filled it in."
    ),
    role: str = typer.Option(
        "", "--role", metavar="ROLE", help="Their role.", show_default="the role on the form"
    ),
    merge: bool = typer.Option(
        False, "--merge", help="Into saved answers: keep those the form leaves blank."
    ),
    replace: bool = typer.Option(
        False, "--replace", help="Into saved answers: withdraw those the form leaves blank."
    ),
) -> None:
    """Read a filled answer form into the respondent's answers file.

    Every bad cell is reported (exit 2) and nothing is written until the form is clean. A form
    that names another respondent is refused. Into a respondent's saved answers, a form goes
    with --merge (the answers it leaves blank are kept) or with --replace (they are withdrawn).
    """
    from assess.forms.merge import ImportMode, import_form
    from assess.inputs.workspace import load_workspace

    if merge and replace:
        raise InputError("--merge and --replace exclude each other: choose one")
    mode = ImportMode.MERGE if merge else ImportMode.REPLACE if replace else None
    workspace = load_workspace(directory)
    done = import_form(
        workspace.root, workspace.questionnaire, file, respondent, mode, role=role, today=today()
    )
    for warning in done.form.warnings:
        typer.echo(f"warning: {warning}", err=True)
    summary = done.summary
    if summary is None:
        typer.echo(done.nothing_written(relative(file)), err=True)
        return
    typer.echo(
        f"imported {relative(file)} into {relative(summary.path)} ({summary.respondent}): "
        f"{summary.describe()}"
    )
    for change in summary.changed + summary.withdrawn:
        typer.echo(f"  {change}")
    typer.echo(f"next: assess score {relative(directory)}")
