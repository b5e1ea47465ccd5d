"""Options whose value is one member of an enum: help, parsing, completion, and ``--format``
chosen from ``--out``'s extension.

Every axis the tool can be extended along (report formats, PDF variants, import formats, form
formats) is a ``StrEnum`` whose members carry a one-line ``description``; the command line
generates its choices, help and shell completion from the enum, so a new member shows up
everywhere without an edit here.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any, Self, TypeVar

import typer

from assess.support.errors import InputError

E = TypeVar("E", bound=StrEnum)


class OutputFormat(StrEnum):
    """A format a command of the CLI itself writes: its ``--format`` name, a line for the help
    and the ``--out`` extensions that ask for it, declared as ``NAME = value, description,
    suffixes``."""

    description: str
    """What the format is, in a line of the command's help."""
    suffixes: tuple[str, ...]
    """The ``--out`` extensions that ask for the format."""

    def __new__(cls, value: str, description: str, suffixes: tuple[str, ...]) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.description = description
        member.suffixes = suffixes
        return member


def describe(member: StrEnum) -> str:
    """The member's one-line ``description``, or ``""`` when its enum gives none."""
    description = getattr(member, "description", None)
    return description if isinstance(description, str) else ""


def choices_help(kind: type[StrEnum], lead: str) -> str:
    """``lead``, then every choice with its description (``What to write. html: the report as
    one HTML page; pdf: …``), or the bare choices when the enum describes none (``Count: one,
    two.``)."""
    lead = lead.rstrip(".")
    if not any(describe(m) for m in kind):
        return f"{lead}: {', '.join(m.value for m in kind)}."
    items = [f"{m.value}: {describe(m)}" if describe(m) else m.value for m in kind]
    return f"{lead}. {'; '.join(items)}."


def completer(kind: type[StrEnum]) -> Callable[[str], list[tuple[str, str]]]:
    """Shell completion for an option taking a member of ``kind``: the values that start with
    what was typed, each with its description."""

    def complete(incomplete: str) -> list[tuple[str, str]]:
        return [(m.value, describe(m)) for m in kind if m.value.startswith(incomplete.lower())]

    return complete


def format_option(
    kind: type[StrEnum],
    lead: str,
    *,
    shown_default: str | None = None,
    repeatable: bool = False,
    required: bool = False,
) -> Any:
    """The ``-f/--format FORMAT`` option of a command reading or writing the formats of
    ``kind``: its help lists them, shell completion offers them; the value is a plain string
    (read by :func:`chosen_formats` or a registry), so an unknown format gets the tool's own
    message."""
    return typer.Option(
        ... if required else [] if repeatable else None,
        "--format",
        "-f",
        metavar="FORMAT",
        help=choices_help(kind, f"{lead} (repeatable)" if repeatable else lead),
        show_default=shown_default or False,
        autocompletion=completer(kind),
    )


def parse_choice(kind: type[E], text: str, option: str, noun: str = "format") -> E:
    """The member of ``kind`` that ``text`` names (case and surrounding spaces ignored); any
    other text is an :class:`InputError` listing the known values."""
    name = text.strip().lower()
    for member in kind:
        if member.value == name:
            return member
    known = ", ".join(m.value for m in kind)
    raise InputError(f"{option}: unknown {noun} '{text}' (known: {known})")


def format_of_file(
    kind: type[E], out: Path | None, suffixes: Callable[[E], Collection[str]]
) -> E | None:
    """The member an ``--out`` file name asks for by its extension (``report.pdf``: pdf), the
    first listed when several share it; ``None`` for no ``--out``, a folder, or another
    extension."""
    if out is None or out.is_dir():
        return None
    suffix = out.suffix.lower()
    return next((m for m in kind if suffix in suffixes(m)), None)


def chosen_formats(
    kind: type[E],
    values: Sequence[str],
    out: Path | None,
    *,
    suffixes: Callable[[E], Collection[str]],
    default: Sequence[E],
) -> list[E]:
    """What ``--format`` asks for (each once, in the order given); without it, the format
    ``--out``'s extension names; else ``default``."""
    if not values:
        named = format_of_file(kind, out, suffixes)
        return [named] if named is not None else list(default)
    chosen: list[E] = []
    for value in values:
        member = parse_choice(kind, value, "--format")
        if member not in chosen:
            chosen.append(member)
    return chosen
