"""Reading a filled XLSX form without trusting it (docs/forms.md, Limits).

A workbook is a zip archive of XML parts. Before anything is inflated, the sizes its archive
declares are checked (a part that inflates to more than it declared is refused by the zip
reader). Each sheet's XML is then streamed once to find the cells that hold something; only a
sheet laid out as a form is read, through openpyxl's streaming reader, and only as far as its
last cell with text, within :data:`MAX_ROWS` and :data:`MAX_COLUMNS`. A workbook with one cell
at XFD1048576, or a few kilobytes that unzip to a gigabyte, is thus refused in moments.

Cells are read as typed: a formula's text, never its value (nothing is evaluated).
"""

from __future__ import annotations

import io
import posixpath
import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING
from xml.etree import ElementTree
from xml.parsers import expat

from assess.forms.cells import (
    Cell,
    RawForm,
    Row,
    cell_text,
    is_flooded,
    table_row,
    too_long,
)
from assess.forms.layout import (
    INSTRUCTIONS_SHEET,
    Column,
    FormField,
    column_letter,
    column_of,
    field_of,
)
from assess.forms.limits import MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS, MAX_UNZIPPED_BYTES, size
from assess.forms.xlsx import require_openpyxl
from assess.support.errors import InputError, Problem

if TYPE_CHECKING:
    from pathlib import Path

    from openpyxl.worksheet.worksheet import Worksheet

_UNREADABLE_HINT = "open it in your spreadsheet and save it as an Excel workbook (.xlsx)"


def read_form(path: Path, data: bytes) -> RawForm:
    """The cells of a filled workbook."""
    require_openpyxl()
    archive = _open_archive(path, data)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about workbook features it does not keep (extensions, styles);
            # only cell values matter here.
            warnings.simplefilter("ignore")
            return _read(path, data, archive)
    except InputError:
        raise
    except Exception as error:  # a damaged file can fail anywhere inside zipfile, XML, openpyxl
        raise InputError(
            Problem(f"not a readable XLSX workbook ({type(error).__name__})", file=path),
            hint=_UNREADABLE_HINT,
        ) from None


def _open_archive(path: Path, data: bytes) -> zipfile.ZipFile:
    """The workbook's archive, once the sizes it declares are within the limit."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        declared = sum(member.file_size for member in archive.infolist())
    except Exception as error:  # not a zip archive, or a damaged one
        raise InputError(
            Problem(f"not a readable XLSX workbook ({type(error).__name__})", file=path),
            hint=_UNREADABLE_HINT,
        ) from None
    if declared > MAX_UNZIPPED_BYTES:
        raise InputError(
            Problem(
                f"not read: the workbook unzips to {size(declared)}, more than the "
                f"{size(MAX_UNZIPPED_BYTES)} a form may hold",
                file=path,
            ),
            hint="remove pictures and sheets that are not part of the form, or use the CSV form",
        )
    return archive


def _read(path: Path, data: bytes, archive: zipfile.ZipFile) -> RawForm:
    from openpyxl import load_workbook

    parts = _sheet_parts(archive)
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    rows: list[Row] = []
    fields: dict[FormField, Cell] = {}
    problems: list[Problem] = []
    notes: list[Problem] = []
    try:
        for sheet in workbook.worksheets:
            used = _used_range(archive, parts[sheet.title])
            if used is None:
                continue  # an empty sheet
            where = f"sheet '{sheet.title}'"
            if sheet.title.casefold() == INSTRUCTIONS_SHEET.casefold():
                for field, cell in _fields(path, sheet, used, where):
                    if len(cell.text) > MAX_CELL_CHARS:
                        problems.append(too_long(cell))
                    fields.setdefault(field, cell)
                continue
            first = next(_cells(path, sheet, where, used.first_row, used.first_row, used), None)
            headings = {index: cell.text for index, cell in (first[1] if first else {}).items()}
            header = {index: column_of(text) for index, text in headings.items()}
            found = {column for column in header.values() if column is not None}
            if Column.PRACTICE not in found and Column.ANSWER not in found:
                notes.append(
                    Problem(
                        f"not read: {where} has no 'Practice' and 'Answer' columns in its first "
                        "row, so it is not part of the form",
                        file=path,
                    )
                )
                continue
            problems += [
                Problem(f"{where} has no '{needed}' column in its first row", file=path)
                for needed in (Column.PRACTICE, Column.ANSWER)
                if needed not in found
            ]
            if used.beyond is not None:
                problems.append(
                    Problem(
                        f"text beyond row {MAX_ROWS:,} or column {column_letter(MAX_COLUMNS - 1)}, "
                        "the last a form sheet may use: delete it, or move it into the form's "
                        "columns",
                        file=path,
                        field=f"{where} cell {used.beyond}",
                    )
                )
            headed = [index for index, column in header.items() if column is not None]
            for number, held in _cells(path, sheet, where, used.first_row + 1, used.last_row, used):
                # The form's columns, empty or not (a message may point at an empty Reason
                # cell), and every other cell that holds something.
                cells = [
                    (
                        header.get(index),
                        held.get(index) or Cell("", path, _place(where, index, number)),
                        headings.get(index, ""),
                    )
                    for index in sorted({*headed, *held})
                ]
                if (row := table_row(cells, problems)) is not None:
                    rows.append(row)
                if is_flooded(problems):
                    break
            if is_flooded(problems):
                break
    finally:
        workbook.close()
    return RawForm(path, tuple(rows), fields, tuple(problems), tuple(notes))


def _fields(
    path: Path, sheet: Worksheet, used: UsedRange, where: str
) -> Iterator[tuple[FormField, Cell]]:
    """The labelled fields of the Instructions sheet (label in column A, value in B)."""
    narrow = UsedRange(used.first_row, used.last_row, min(used.last_column, 2), None)
    for number, held in _cells(path, sheet, where, used.first_row, used.last_row, narrow):
        if 0 in held and (field := field_of(held[0].text)) is not None:
            yield field, held.get(1) or Cell("", path, _place(where, 1, number))


def _cells(
    path: Path,
    sheet: Worksheet,
    where: str,
    first: int,
    last: int,
    used: UsedRange,
) -> Iterator[tuple[int, dict[int, Cell]]]:
    """Each row from ``first`` to ``last`` that holds something, with its cells that do, by
    0-based column; only the sheet's used range is read."""
    from openpyxl.worksheet.formula import ArrayFormula

    last = min(last, used.last_row)
    if first < 1 or first > last:
        return
    number = first
    for line in sheet.iter_rows(min_row=first, max_row=last, min_col=1, max_col=used.last_column):
        held = {}
        for index, cell in enumerate(line):
            value = cell.value
            if value is None:
                continue
            if isinstance(value, ArrayFormula):
                value = value.text
            held[index] = Cell(
                cell_text(value),
                path,
                _place(where, index, number),
                is_formula=cell.data_type == "f",
            )
        if held:
            yield number, held
        number += 1


def _place(where: str, index: int, row: int) -> str:
    """``sheet 'Lifecycle Automation' cell E7``."""
    return f"{where} cell {column_letter(index)}{row}"


# --- what the archive holds, read before openpyxl reads it ---------------------------------------


@dataclass(frozen=True)
class UsedRange:
    """Where a sheet's cells with something in them are, within :data:`MAX_ROWS` and
    :data:`MAX_COLUMNS` (0 when there are none)."""

    first_row: int
    """The first row with a cell that holds something."""
    last_row: int
    """The last such row."""
    last_column: int
    """The last column (1 = A) with a cell that holds something."""
    beyond: str | None
    """The first cell that holds something beyond the limits, which is not read."""


_REFERENCE = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")


def _used_range(archive: zipfile.ZipFile, part: str) -> UsedRange | None:
    """Stream a sheet's XML for its cells holding a value, a formula or text; ``None`` when
    it has none. Nothing of the sheet is kept but where its cells are."""
    scan = _Scan()
    parser = expat.ParserCreate()
    parser.StartElementHandler = scan.start
    parser.EndElementHandler = scan.end
    with archive.open(part) as stream:
        parser.ParseFile(stream)
    if not scan.last_row and scan.beyond is None:
        return None
    return UsedRange(scan.first_row, scan.last_row, scan.last_column, scan.beyond)


class _Scan:
    """Where a sheet's cells are, as expat reads the sheet (names keep their prefix, if any).

    A cell holds something when it has a value (``v``), a formula (``f``) or inline text
    (``is``). It is placed as openpyxl places it: by its reference, else one column after the
    cell before it, in its row's ``r`` (else the row after the one before).
    """

    def __init__(self) -> None:
        self.first_row = self.last_row = self.last_column = 0
        self.beyond: str | None = None
        self.row = self.column = self.cell_row = 0
        self.in_cell = self.holds = False

    def start(self, name: str, attributes: dict[str, str]) -> None:
        if ":" in name:
            name = name.rpartition(":")[2]
        if self.in_cell:
            if name in ("v", "f", "is"):
                self.holds = True
        elif name == "c":
            self.in_cell, self.holds = True, False
            reference = attributes.get("r")
            if reference:
                match = _REFERENCE.fullmatch(reference)
                if match is None:
                    raise ValueError(f"cell reference {reference!r}")
                self.cell_row, self.column = int(match[2]), _column_number(match[1])
            else:
                self.cell_row, self.column = self.row, self.column + 1
        elif name == "row":
            self.row = int(attributes.get("r") or self.row + 1)
            self.column = 0

    def end(self, name: str) -> None:
        if name != "c" and not name.endswith(":c"):
            return
        self.in_cell = False
        if not self.holds:
            return
        row = self.cell_row
        if row > MAX_ROWS or self.column > MAX_COLUMNS:
            self.beyond = self.beyond or f"{column_letter(self.column - 1)}{row}"
            return
        self.first_row = min(self.first_row, row) if self.first_row else row
        self.last_row = max(self.last_row, row)
        self.last_column = max(self.last_column, self.column)


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _local(tag: str) -> str:
    """An XML name without its namespace."""
    return tag.rpartition("}")[2]


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """The archive part of each worksheet, by sheet name (from the package's relationships)."""
    package = _relationships(archive, "")
    workbook = next(target for kind, target in package.values() if kind == "officeDocument")
    targets = {
        relation_id: target
        for relation_id, (kind, target) in _relationships(archive, workbook).items()
        if kind == "worksheet"
    }
    parts = {}
    with archive.open(workbook) as stream:
        for _, element in ElementTree.iterparse(stream):
            if _local(element.tag) == "sheet":
                relation_id = next(
                    (value for key, value in element.attrib.items() if _local(key) == "id"), ""
                )
                if relation_id in targets:
                    parts[element.get("name", "")] = targets[relation_id]
    return parts


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """A part's relationships (``""``: the package's): id → (the type's last word, the part)."""
    folder, name = posixpath.split(part)
    found = {}
    with archive.open(posixpath.join(folder, "_rels", f"{name}.rels")) as stream:
        for _, element in ElementTree.iterparse(stream):
            if _local(element.tag) != "Relationship" or element.get("TargetMode") == "External":
                continue
            target = element.get("Target", "")
            if target.startswith("/"):
                target = target[1:]
            else:
                target = posixpath.normpath(posixpath.join(folder, target))
            found[element.get("Id", "")] = (element.get("Type", "").rpartition("/")[2], target)
    return found
