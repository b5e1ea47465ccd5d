"""`assess forecast`: renewal workload under shorter lifetimes, and post-quantum exposure."""

from __future__ import annotations

from pathlib import Path

import typer

from assess.cli._app import AT_DEFAULT, AT_HELP, app, evaluation_date
from assess.cli._help import AssessCommand

SCHEDULE_HELP = (
    "A schedule file (lifetime caps, post-quantum milestones) that replaces the shipped one."
)


def schedule_option() -> Path | None:
    """``--schedule FILE``, shared by forecast, score and report."""
    value: Path | None = typer.Option(
        None, "--schedule", metavar="FILE", help=SCHEDULE_HELP, show_default="shipped"
    )
    return value


@app.command("forecast", cls=AssessCommand)
def forecast_command(
    directory: Path = typer.Argument(..., metavar="DIR", help="Assessment workspace."),
    json_output: bool = typer.Option(
        False, "--json", help="Print the forecast document (JSON, cmmm-forecast/1)."
    ),
    at: str | None = typer.Option(
        None, "--at", metavar="DATE", help=AT_HELP, show_default=AT_DEFAULT
    ),
    schedule: Path | None = schedule_option(),
) -> None:
    """Forecast renewal workload under shorter certificate lifetimes, and post-quantum exposure."""
    from assess.engine.score import read_forecast
    from assess.inputs.schedule import load_schedule
    from assess.inputs.workspace import load_workspace
    from assess.render.forecast_text import forecast_table
    from assess.support.jsondoc import document_bytes

    workspace = load_workspace(directory)
    reading = read_forecast(workspace, evaluation_date(at), load_schedule(schedule))
    if json_output:
        typer.echo(document_bytes(reading.forecast), nl=False)
    else:
        typer.echo(forecast_table(reading))
