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
) -> None:
    """Read a filled answer form into the respondent's answers file.

    Every bad cell is reported (exit 2) and nothing is written until the form is clean. A
    practice the form answers replaces the saved answer; a blank one keeps it.
    """
    from assess.forms.formats import read_form
    from assess.forms.interpret import interpret
    from assess.forms.merge import merge_into
    from assess.inputs.workspace import AnswersDocument, load_workspace

    name = respondent.strip()
    if not name:
        raise InputError("--respondent is empty")
    workspace = load_workspace(directory)
    form = interpret(read_form(file), workspace.questionnaire, name)
    for warning in form.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if not form.answers:
        typer.echo(
            f"{relative(file)}: no practice is answered; nothing written ({len(form.blank)} blank)",
            err=True,
        )
        return
    document = AnswersDocument.open(
        workspace, name, role.strip() or form.respondent_role, today=today()
    )
    summary = merge_into(document, form)
    answered = summary.new + summary.changed + summary.unchanged
    typer.echo(
        f"imported {relative(file)} into {relative(summary.path)} ({name}): "
        f"{answered} answered ({summary.new} new, {summary.changed} changed, "
        f"{summary.unchanged} unchanged), {summary.blank} blank"
        + (f" ({summary.kept} keep an earlier answer)" if summary.kept else "")
    )
    typer.echo(f"next: assess score {relative(directory)}")
