"""The typer application and what every command shares: error reporting, dates, output."""

from __future__ import annotations

import os
import sys
import traceback
from datetime import UTC, date, datetime
from enum import IntEnum
from pathlib import Path
from typing import Any

import typer

from assess import __version__
from assess.cli._help import AssessGroup, Context
from assess.support.dates import OUT_OF_RANGE, is_out_of_range, parse_moment
from assess.support.errors import AssessError, CheckFailed, EnvironmentProblem, InputError
from assess.support.words import printable


class ExitCode(IntEnum):
    """The exit codes docs/cli.md documents."""

    OK = 0
    """Success."""
    CHECK_FAILED = 1
    """The command ran and its check failed (a score under the bar, an invalid signature)."""
    BAD_INPUT = 2
    """Bad usage or bad input; the message names the file and the place."""
    ENVIRONMENT = 3
    """The machine cannot do what was asked (an unwritable output, a missing library)."""


EXIT_CODES: dict[type[AssessError], ExitCode] = {
    InputError: ExitCode.BAD_INPUT,
    CheckFailed: ExitCode.CHECK_FAILED,
    EnvironmentProblem: ExitCode.ENVIRONMENT,
}
"""The exit code of each kind of error; a subclass has its nearest listed ancestor's code (a
test checks that every error class the tool defines has one)."""


def exit_code_of(error: AssessError) -> ExitCode:
    """The documented exit code for an error (docs/cli.md)."""
    for kind in type(error).__mro__:
        if kind in EXIT_CODES:
            return EXIT_CODES[kind]
    raise TypeError(f"{type(error).__name__} has no exit code: add it to EXIT_CODES")


_debug = {"on": False}


COMMAND_ORDER = (
    "demo",
    "init",
    "interview",
    "serve",
    "answers",
    "questionnaire",
    "scan",
    "evidence",
    "score",
    "forecast",
    "report",
    "export",
    "compare",
    "trend",
    "keygen",
    "sign",
    "verify",
)
"""How `assess --help` lists the commands: in the order of an assessment."""


class _Group(AssessGroup):
    """Turns the tool's errors into one message and the documented exit code; lists the
    commands in the order of an assessment."""

    def list_commands(self, ctx: Context) -> list[str]:
        names = super().list_commands(ctx)
        rank = {name: index for index, name in enumerate(COMMAND_ORDER)}
        return sorted(names, key=lambda name: rank.get(name, len(rank)))

    def invoke(self, ctx: Context) -> Any:
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
    rich_markup_mode=None,
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
        rich_markup_mode=None,
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


AT_HELP = (
    "Evaluation date (ISO 8601, e.g. 2026-11-30); SOURCE_DATE_EPOCH, when set, gives the default."
)
AT_DEFAULT = "today in UTC"
"""How ``--at``'s default reads in ``--help``."""


def evaluation_date(text: str | None, option: str = "--at") -> date:
    """``--at DATE`` (or ``option``) parsed (ISO 8601 date or date-time), or the default
    evaluation date."""
    if text is None:
        return today()
    moment = parse_moment(text)
    if moment is None and is_out_of_range(text):
        raise InputError(f"{option}: '{text}' {OUT_OF_RANGE}")
    if moment is None:
        raise InputError(f"{option}: '{text}' is not an ISO 8601 date (for example 2026-11-30)")
    return moment.date()


def relative(path: Path) -> str:
    """A path as short as it can be for messages: relative to the working folder when inside."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
