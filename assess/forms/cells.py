"""A filled form as its readers find it: each cell's text and place, the rows of the practice
tables and the Instructions fields, before anything is checked against a questionnaire.

The XLSX and CSV readers only move cells out of their files into these types; what the cells
mean is decided once, in :mod:`assess.forms.interpret`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from assess.forms.layout import Column, FormField
from assess.support.errors import Problem


def cell_text(value: object) -> str:
    """What a spreadsheet cell holds, as trimmed text with ``\\n`` line breaks."""
    match value:
        case None:
            return ""
        case bool():
            return "TRUE" if value else "FALSE"
        case float() if value.is_integer():
            return str(int(value))
        case datetime():
            return (value.date() if value.time() == time() else value).isoformat()
        case date() | time():
            return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


@dataclass(frozen=True)
class Cell:
    """A cell of a filled form: its text and where it is."""

    text: str
    """The trimmed text ("" when empty)."""
    file: Path
    """The form."""
    place: str
    """``sheet 'Lifecycle Automation' cell E7`` or ``column G (Answer)``."""
    line: int | None = None
    """The line of a CSV form."""

    def problem(self, message: str) -> Problem:
        """A problem located at this cell."""
        return Problem(message, file=self.file, line=self.line, field=self.place)

    def describe(self) -> str:
        """Where the cell is, in words, for messages about another cell."""
        return f"line {self.line} {self.place}" if self.line is not None else self.place


@dataclass(frozen=True)
class Row:
    """One row of practice table, by column."""

    cells: Mapping[Column, Cell]
    """The cells under known headers (empty ones included)."""


@dataclass(frozen=True)
class RawForm:
    """The cells a reader found in a form, before they are checked against a questionnaire."""

    path: Path
    """The form."""
    rows: tuple[Row, ...]
    """Every non-empty row of the practice tables, in file order."""
    fields: Mapping[FormField, Cell]
    """The Instructions sheet's fields (a CSV form has none: each row names its questionnaire)."""
    problems: tuple[Problem, ...] = ()
    """What the reader found wrong with the layout: a missing column, text outside the table."""
    warnings: tuple[Problem, ...] = ()
    """What the reader did not read and why (an extra sheet)."""


def outside_problem(cell: Cell, heading: str) -> Problem:
    """Text in a cell no form column holds: refused, so that nothing is silently dropped."""
    named = f" (column '{heading}' is not part of the form)" if heading else ""
    return cell.problem(
        f"'{clip(cell.text)}' is outside the form's columns{named}: move it to the Note column"
    )


def clip(text: str, size: int = 40) -> str:
    """A cell's text on one line, shortened for a message."""
    flat = " ".join(text.split())
    return flat if len(flat) <= size else flat[: size - 1] + "…"


def table_row(
    found: Iterable[tuple[Column | None, Cell, str]], problems: list[Problem]
) -> Row | None:
    """The row of a practice table made of ``found``: each cell with the column its header
    names and the header's text. ``None`` for a row with no text under a form column.

    Text under no form column, or under a column already met in the row, is appended to
    ``problems``: refused rather than silently dropped.
    """
    cells: dict[Column, Cell] = {}
    for column, cell, heading in found:
        if column is None or column in cells:
            if cell.text:
                problems.append(outside_problem(cell, heading))
            continue
        cells[column] = cell
    return Row(cells) if any(cell.text for cell in cells.values()) else None
