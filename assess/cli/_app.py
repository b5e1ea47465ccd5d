"""The typer application and what every command shares: error reporting, dates, output."""

from __future__ import annotations

import inspect
import os
import sys
import traceback
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import typer
from typer._click import Context as ClickContext
from typer.core import TyperGroup

from assess import __version__
from assess.support.errors import AssessError, CheckFailed, EnvironmentProblem, InputError
from assess.support.words import printable

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_ENVIRONMENT = 3

_debug = {"on": False}


def exit_code_of(error: AssessError) -> int:
    """The documented exit code for an error (docs/cli.md)."""
    if isinstance(error, InputError):
        return EXIT_BAD_INPUT
    if isinstance(error, EnvironmentProblem):
        return EXIT_ENVIRONMENT
    if isinstance(error, CheckFailed):
        return EXIT_CHECK_FAILED
    return EXIT_BAD_INPUT


COMMAND_ORDER = (
    "demo",
    "init",
    "interview",
    "answers",
    "questionnaire",
    "scan",
    "evidence",
    "score",
    "report",
    "compare",
    "trend",
    "keygen",
    "sign",
    "verify",
)
"""How `assess --help` lists the commands: in the order of an assessment."""


def unwrap(text: str) -> str:
    """A docstring as help: the lines of each paragraph joined (the terminal wraps them), list
    items kept on their own lines."""
    paragraphs = []
    for paragraph in inspect.cleandoc(text).split("\n\n"):
        lines = paragraph.splitlines()
        joined = lines[:1]
        for line in lines[1:]:
            if line.startswith(("-", "*", " ")):
                joined.append(line)
            else:
                joined[-1] += " " + line
        paragraphs.append("\n".join(joined))
    return "\n\n".join(paragraphs)


class _Group(TyperGroup):
    """Turns the tool's errors into one message and the documented exit code; lists the
    commands in the order of an assessment."""

    def get_command(self, ctx: ClickContext, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None and command.help:
            command.help = unwrap(command.help)
        return command

    def list_commands(self, ctx: ClickContext) -> list[str]:
        names = super().list_commands(ctx)
        rank = {name: index for index, name in enumerate(COMMAND_ORDER)}
        return sorted(names, key=lambda name: rank.get(name, len(rank)))

    def invoke(self, ctx: ClickContext) -> Any:
        try:
            return super().invoke(ctx)
        except AssessError as error:
            if _debug["on"]:
                traceback.print_exc(file=sys.stderr)
            typer.echo(f"error: {printable(error.diagnostics())}", err=True)
            raise typer.Exit(exit_code_of(error)) from None


app = typer.Typer(
    cls=_Group,
    name="assess",
    help="Assess certificate-management maturity (CMMM) and write the audit report.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"cmmm-assess {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks for errors."),
    version: bool = typer.Option(
        False, "--version", callback=_show_version, is_eager=True, help="Show the version."
    ),
) -> None:
    """Assess certificate-management maturity (CMMM) and write the audit report."""
    _debug["on"] = debug


def sub_app(name: str, help_text: str) -> typer.Typer:
    """A command group (``assess questionnaire …``) sharing the root's error handling."""
    group = typer.Typer(
        cls=_Group,
        name=name,
        help=help_text,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
    )
    app.add_typer(group)
    return group


def today() -> date:
    """The default evaluation date: SOURCE_DATE_EPOCH when set (reproducible builds), else today
    in UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC).date()
        except (ValueError, OverflowError, OSError):
            raise InputError(
                f"SOURCE_DATE_EPOCH: '{epoch}' is not a number of seconds since 1970"
            ) from None
    return datetime.now(tz=UTC).date()


def evaluation_date(text: str | None, option: str = "--at") -> date:
    """``--at DATE`` (or ``option``) parsed (ISO 8601 date or date-time), or the default
    evaluation date."""
    if text is None:
        return today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"{option}: '{text}' is not an ISO 8601 date (for example 2026-11-30)"
        ) from None
    return moment.astimezone(UTC).date() if moment.tzinfo else moment.date()


def relative(path: Path) -> str:
    """A path as short as it can be for messages: relative to the working folder when inside."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
