"""Text for spreadsheet cells that a spreadsheet shows and never runs (CSV and formula injection).

Excel, LibreOffice and Google Sheets take a cell whose text starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return for a formula: ``=HYPERLINK(…)`` or ``=cmd|' /C calc'!A0``
written from a questionnaire, an answer or a certificate's subject would run when the file is
opened. Every CSV and XLSX file the tool writes goes through here, as OWASP's CSV Injection
guidance says:

- in a CSV file, such a cell gets a leading single quote (the spreadsheet shows the text, quote
  included, and runs nothing), and every text field is quoted, so that a separator inside a
  text (a ``;`` read by a spreadsheet set to semicolons) cannot start a new cell;
- in an XLSX workbook, a cell is typed as text and carries Excel's quote prefix (what Excel
  records when someone types ``'=…``): the text stays exactly as written, and editing the cell
  keeps it text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell, MergedCell
    from openpyxl.cell.rich_text import CellRichText

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""The first characters that make a spreadsheet read a cell as a formula (OWASP)."""


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet would read ``text``, typed into a cell, as a formula."""
    return text.startswith(FORMULA_START)


def safe_cell(text: str) -> str:
    """A CSV cell's text that a spreadsheet shows as text: a leading formula character gets a
    single quote before it; any other text is returned as it is."""
    return "'" + text if is_formula_like(text) else text


def csv_bytes(rows: Iterable[Sequence[object]], *, bom: bool = False) -> bytes:
    """RFC 4180 CSV as UTF-8 bytes, CRLF line ends: every text field quoted and passed through
    :func:`safe_cell`, numbers and booleans as they are. ``bom`` starts the file with a byte-order
    mark, which Excel needs to read it as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)
    for row in rows:
        writer.writerow([safe_cell(value) if isinstance(value, str) else value for value in row])
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def put_text(cell: Cell | MergedCell, text: str | CellRichText) -> None:
    """Write ``text`` into an XLSX cell as text, even when it looks like a formula.

    openpyxl stores a string starting with ``=`` as a formula; such a string is typed as text
    here, and every formula-looking text is marked with the quote prefix.
    """
    cell.value = text
    if is_formula_like(str(text)):
        cell.data_type = "s"
        cell.quotePrefix = True
