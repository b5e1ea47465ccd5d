"""How ``assess … --help`` reads: one style for every command, whatever typer version draws it.

Typer's own help changes with its version (rich panels, ``<list[Path]>`` types, ``{DIR}``
usage) and shows a type even for flags. These command classes write the help from the
parameters alone, in the classic style of click and argparse::

    Usage: assess report [OPTIONS] DIR

      Write the assessment report: …

    Arguments:
      DIR  Assessment workspace.

    Options:
      -f, --format FORMAT  What to write (repeatable): …  [default: html, pdf, json]

Every option that takes a value names it with an upper-case metavar; a default is shown only
where the option says how (``show_default="…"``), so none is printed twice; lines are wrapped
at spaces only (``signing-cert.pem`` stays whole). Only long-stable public attributes of click's
parameters (``opts``, ``metavar``, ``help``, ``nargs``, ``required``) and the formatter's
``width`` and ``write`` are used, which typer keeps in every version.
"""

from __future__ import annotations

import inspect
import textwrap
from typing import Any

from typer.core import TyperCommand, TyperGroup

Context = Any
"""Typer's click context: ``click.Context`` up to typer 0.16, typer's own copy of click later."""
Formatter = Any
"""Click's ``HelpFormatter`` (from click or from typer's copy of it, as above)."""
Parameter = Any
"""A click parameter (argument or option), read through its public attributes only."""

INDENT = "  "
NAME_COLUMN_MAX = 30
"""A name wider than this puts its description on the next line."""


def paragraphs(text: str | None) -> list[str]:
    """A docstring's paragraphs, each paragraph's lines joined (the help wraps them again)."""
    if not text:
        return []
    return [" ".join(p.split()) for p in inspect.cleandoc(text).split("\n\n") if p.strip()]


def summary(text: str | None) -> str:
    """The first paragraph of a command's help: what the command list shows for it."""
    found = paragraphs(text)
    return found[0] if found else ""


def is_argument(param: Parameter) -> bool:
    """A positional argument (not an option)."""
    return bool(param.param_type_name == "argument")


def argument_name(param: Parameter) -> str:
    """How the Arguments section names an argument: ``DIR``, ``PATH...``."""
    name = str(param.metavar or param.name.upper())
    return f"{name}..." if param.nargs != 1 else name


def usage_piece(param: Parameter) -> str:
    """An argument in the usage line: ``DIR`` when required, ``[TARGET]...`` when not."""
    if param.required:
        return argument_name(param)
    name = str(param.metavar or param.name.upper())
    return f"[{name}]..." if param.nargs != 1 else f"[{name}]"


def option_names(param: Parameter) -> str:
    """``-f, --format FORMAT``: short names first, then long, then the value's metavar."""
    names = sorted(param.opts, key=lambda o: (len(o) - len(o.lstrip("-")), o))
    text = ", ".join(names)
    if not param.is_flag and param.metavar:
        text += f" {param.metavar}"
    return text


def option_help(param: Parameter) -> str:
    """An option's help with its default (when it says how to show it) and required mark."""
    text = " ".join(paragraphs(param.help))
    extras = []
    shown = getattr(param, "show_default", None)
    if isinstance(shown, str) and shown:
        extras.append(f"default: {shown}")
    if param.required:
        extras.append("required")
    if extras:
        text += f"  [{'; '.join(extras)}]"
    return text


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, max(width, 20), break_on_hyphens=False, break_long_words=False)


def _rows(title: str, rows: list[tuple[str, str]], width: int) -> list[str]:
    """A titled section of ``name  description`` rows, descriptions aligned and wrapped."""
    column = min(max(len(name) for name, _ in rows), NAME_COLUMN_MAX)
    margin = INDENT + " " * (column + 2)
    lines = ["", f"{title}:"]
    for name, text in rows:
        wrapped = _wrap(text, width - len(margin))
        if len(name) > column or not wrapped:
            lines.append(INDENT + name)
        else:
            lines.append(INDENT + name.ljust(column + 2) + wrapped.pop(0))
        lines += [margin + line for line in wrapped]
    return lines


def help_text(
    command: Any, ctx: Context, width: int, usage: str, commands: list[tuple[str, str]]
) -> str:
    """The whole ``--help`` of a command or group."""
    lines = [f"Usage: {ctx.command_path} {usage}"]
    for paragraph in paragraphs(command.help):
        lines += ["", *(INDENT + line for line in _wrap(paragraph, width - len(INDENT)))]
    params = [p for p in command.get_params(ctx) if not getattr(p, "hidden", False)]
    arguments = [(argument_name(p), " ".join(paragraphs(p.help))) for p in params if is_argument(p)]
    options = [(option_names(p), option_help(p)) for p in params if not is_argument(p)]
    if arguments:
        lines += _rows("Arguments", arguments, width)
    if options:
        lines += _rows("Options", options, width)
    if commands:
        lines += _rows("Commands", commands, width)
    return "\n".join(lines) + "\n"


class AssessCommand(TyperCommand):
    """A command whose ``--help`` is written in the one style described above."""

    def usage(self) -> str:
        """``[OPTIONS] PATH...``: what follows the command's name in its usage line."""
        return " ".join(["[OPTIONS]"] + [usage_piece(p) for p in self.params if is_argument(p)])

    def format_usage(self, ctx: Context, formatter: Formatter) -> None:
        """``Usage: assess scan files [OPTIONS] PATH...``."""
        formatter.write(f"Usage: {ctx.command_path} {self.usage()}\n")

    def format_help(self, ctx: Context, formatter: Formatter) -> None:
        """Usage, the description, the arguments and the options."""
        formatter.write(help_text(self, ctx, formatter.width, self.usage(), []))


class AssessGroup(TyperGroup):
    """A command group (``assess``, ``assess scan``) with the same style of help, its commands
    listed with their whole first paragraph (never cut short)."""

    USAGE = "[OPTIONS] COMMAND [ARGS]..."

    def format_usage(self, ctx: Context, formatter: Formatter) -> None:
        """``Usage: assess scan [OPTIONS] COMMAND [ARGS]...``."""
        formatter.write(f"Usage: {ctx.command_path} {self.USAGE}\n")

    def format_help(self, ctx: Context, formatter: Formatter) -> None:
        """Usage, the description, the options and the commands."""
        commands = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                commands.append((name, summary(command.help)))
        formatter.write(help_text(self, ctx, formatter.width, self.USAGE, commands))
