"""The CSV answer form: one row per practice (docs/forms.md).

Written as UTF-8 with a byte-order mark, comma-separated, CRLF line ends, one physical line per
row: Excel only recognises UTF-8 in a CSV file by its BOM (without it, accents and dashes come
out garbled), and LibreOffice detects the BOM too. Read back from comma-, semicolon- or
tab-separated UTF-8 (Excel in many European locales saves with semicolons).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import TYPE_CHECKING, Protocol

from assess.forms.cells import Cell, RawForm, Row, cell_text, table_row
from assess.forms.layout import CSV_COLUMNS, Column, column_letter, column_of, level_text
from assess.support.csvdialect import sniff_delimiter
from assess.support.errors import InputError, Problem

if TYPE_CHECKING:
    from pathlib import Path

    from assess.model.questionnaire import Questionnaire

BOM = "\ufeff"


def write_form(questionnaire: Questionnaire) -> bytes:
    """The answer form of a questionnaire as CSV bytes (UTF-8 with BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.value for column in CSV_COLUMNS])
    for dimension in questionnaire.dimensions:
        for practice in dimension.practices:
            # Text on one line each, so that line numbers in messages match spreadsheet rows.
            values = {
                Column.DIMENSION: dimension.title,
                Column.PRACTICE: practice.id,
                Column.LEVEL: level_text(questionnaire, practice),
                Column.TITLE: practice.title,
                Column.QUESTION: practice.question,
                Column.GUIDANCE: practice.guidance,
                Column.QUESTIONNAIRE: questionnaire.id,
                Column.VERSION: questionnaire.version,
            }
            writer.writerow([" ".join(values.get(c, "").split()) for c in CSV_COLUMNS])
    return (BOM + buffer.getvalue()).encode("utf-8")


def read_form(path: Path, data: bytes) -> RawForm:
    """The cells of a filled CSV form."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(
            Problem(f"not UTF-8 text (byte {error.start})", file=path, line=line),
            hint="save the form as 'CSV UTF-8' (Excel) or with the character set UTF-8 "
            "(LibreOffice), or use the XLSX form",
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    try:
        records = _records(reader)
        header_line, header = next(records, (1, []))
        columns = {index: column_of(name) for index, name in enumerate(header)}
        found = {column for column in columns.values() if column is not None}
        missing = [c for c in (Column.PRACTICE, Column.ANSWER) if c not in found]
        if missing:
            names = " and ".join(f"'{c}'" for c in missing)
            raise InputError(
                Problem(
                    f"no {names} column in the first line: this is not an answer form "
                    f"(expected the header {', '.join(c.value for c in CSV_COLUMNS)})",
                    file=path,
                    line=header_line,
                )
            )
        rows: list[Row] = []
        problems: list[Problem] = []
        for line, values in records:
            cells: list[tuple[Column | None, Cell, str]] = []
            for index, value in enumerate(values):
                name = header[index].strip() if index < len(header) else ""
                cell = Cell(cell_text(value), path, _place(index, name), line)
                cells.append((columns.get(index), cell, name))
            if (row := table_row(cells, problems)) is not None:
                rows.append(row)
    except csv.Error as error:
        raise InputError(
            Problem(f"not a readable CSV file: {error}", file=path, line=reader.line_num)
        ) from None
    return RawForm(path, tuple(rows), {}, tuple(problems))


def _place(index: int, name: str) -> str:
    """Where a cell of a CSV form is, by column (``column G (Answer)``)."""
    return f"column {column_letter(index)}" + (f" ({name})" if name else "")


class _Reader(Protocol):
    @property
    def line_num(self) -> int: ...

    def __iter__(self) -> Iterator[list[str]]: ...


def _records(reader: _Reader) -> Iterator[tuple[int, list[str]]]:
    """Each record with the line it starts on (a quoted cell may span lines)."""
    end = 0
    for values in reader:
        yield end + 1, values
        end = reader.line_num
