"""`assess init` and `assess score`."""

from __future__ import annotations

import shutil
from pathlib import Path

import typer

from assess.cli._app import AT_DEFAULT, AT_HELP, ExitCode, app, evaluation_date, relative
from assess.cli._help import AssessCommand
from assess.cli.forecast import schedule_option
from assess.support.errors import EnvironmentProblem, InputError


@app.command("init", cls=AssessCommand)
def init_command(
    directory: Path = typer.Argument(..., metavar="DIR", help="Folder to create."),
    org: str = typer.Option(..., "--org", metavar="NAME", help="Organisation assessed."),
    questionnaire: str = typer.Option(
        "cmmm",
        "--questionnaire",
        metavar="ID|FILE",
        help="Bundled questionnaire id, or a tailored YAML file.",
        show_default="cmmm",
    ),
    target: int = typer.Option(
        3,
        "--target",
        metavar="N",
        min=1,
        max=5,
        help="Default target level (1-5).",
        show_default="3",
    ),
    assessor: list[str] = typer.Option(
        [], "--assessor", metavar="NAME", help="Assessor name (repeatable)."
    ),
    scope: str = typer.Option("", "--scope", metavar="TEXT", help="What is in scope."),
    start: str | None = typer.Option(
        None,
        "--start",
        metavar="DATE",
        help="First day of the assessment (ISO 8601).",
        show_default="today",
    ),
) -> None:
    """Create an assessment workspace."""
    from assess.inputs import questionnaire as questionnaires
    from assess.inputs.workspace import init_workspace
    from assess.support.files import atomic_write

    if not org.strip():
        raise InputError("--org: the organisation name is empty")
    loaded = questionnaires.load_reference(questionnaire)
    local_copy = None
    if loaded.path.parent.resolve() != questionnaires.builtin_dir().resolve():
        # A tailored questionnaire travels with the workspace, so the assessment stays
        # reproducible wherever the folder goes.
        local_copy = "questionnaire.yaml"
    path = init_workspace(
        directory,
        organisation=org.strip(),
        questionnaire=loaded.questionnaire,
        questionnaire_file=local_copy,
        target=target,
        assessors=assessor,
        start=evaluation_date(start, "--start"),
        scope=scope,
    )
    if local_copy is not None and loaded.base is not None:
        # An extension is merged with its base into one file: the workspace then needs
        # neither, and a newer installed base cannot change the assessment (docs/tailoring.md).
        atomic_write(directory / local_copy, questionnaires.flattened(loaded))
    elif local_copy is not None:
        try:
            shutil.copyfile(loaded.path, directory / local_copy)
        except OSError as error:
            raise EnvironmentProblem(f"{directory / local_copy}: {error.strerror}") from None
    q = loaded.questionnaire
    typer.echo(f"created {relative(path)} ({q.id} {q.version}, {len(q.practices)} practices)")
    typer.echo(f'next: assess interview {relative(directory)} --respondent "Your Name"')


@app.command("score", cls=AssessCommand)
def score_command(
    directory: Path = typer.Argument(..., metavar="DIR", help="Assessment workspace."),
    json_output: bool = typer.Option(False, "--json", help="Print the result document (JSON)."),
    at: str | None = typer.Option(
        None, "--at", metavar="DATE", help=AT_HELP, show_default=AT_DEFAULT
    ),
    fail_under: int | None = typer.Option(
        None,
        "--fail-under",
        metavar="N",
        min=1,
        max=5,
        help="Exit 1 when the overall level is below N (1-5).",
    ),
    schedule: Path | None = schedule_option(),
) -> None:
    """Score an assessment."""
    from assess.engine.score import evaluate
    from assess.inputs.schedule import load_schedule
    from assess.inputs.workspace import load_workspace
    from assess.render.text import draft_warning, score_table
    from assess.support.jsondoc import document_bytes

    workspace = load_workspace(directory)
    result = evaluate(workspace, evaluation_date(at), load_schedule(schedule))
    if (warning := draft_warning(result)) is not None:
        typer.echo(warning, err=True)
    if json_output:
        typer.echo(document_bytes(result), nl=False)
    else:
        typer.echo(score_table(result))
    if fail_under is not None:
        level = result.overall.level
        if level is None or level < fail_under:
            typer.echo(
                f"overall level {level if level is not None else 'n/a'} is below "
                f"--fail-under {fail_under}",
                err=True,
            )
            raise typer.Exit(ExitCode.CHECK_FAILED)
