"""The XLSX answer form: an Instructions sheet, then one sheet per dimension (docs/forms.md).

This module writes it; :mod:`assess.forms.xlsx_reader` reads a filled one back. openpyxl is an
optional dependency (the ``xlsx`` extra), imported only when a workbook is written or read;
without it both directions stop with an environment problem that says how to install it.

Every text cell is written with :func:`assess.support.spreadsheet.put_text`: a questionnaire's
text that starts like a formula (``=HYPERLINK(…)``) is shown as written and never runs.
"""

from __future__ import annotations

import io
import math
from typing import TYPE_CHECKING

from assess.forms.layout import (
    ANSWER_COLUMNS,
    ANSWER_MEANINGS,
    EVIDENCE_SEPARATORS,
    INSTRUCTIONS_SHEET,
    XLSX_COLUMNS,
    Column,
    FormField,
    answer_words,
    column_letter,
    level_text,
    sheet_titles,
)
from assess.model.levels import WRITABLE_ANSWERS
from assess.support.errors import EnvironmentProblem
from assess.support.extras import install_hint
from assess.support.spreadsheet import put_text

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell, MergedCell
    from openpyxl.cell.rich_text import CellRichText
    from openpyxl.worksheet.worksheet import Worksheet

    from assess.model.questionnaire import Dimension, Questionnaire

WIDTHS: dict[Column, float] = {
    Column.PRACTICE: 10,
    Column.LEVEL: 11,
    Column.QUESTION: 48,
    Column.GUIDANCE: 60,
    Column.ANSWER: 11,
    Column.NOTE: 34,
    Column.EVIDENCE: 26,
    Column.REASON: 24,
}
"""Column widths in characters: the question and guidance readable without zooming, the
answer column within one screen width of the left edge."""

FONT = "Calibri"
"""The workbook's default font, named on every bold run so that no viewer substitutes a serif."""
HEADER_FILL = "1F3864"
INPUT_FILL = "FFF2CC"
"""Pale yellow marks the cells a respondent types in."""
GRID = "BFBFBF"
LINE_HEIGHT = 15.0
"""Points per line of 11-point text."""


def row_height(cells: list[tuple[str, float]]) -> float:
    """The height (points) a row needs to show every wrapped ``(text, column width)`` cell.

    Neither Excel nor LibreOffice sizes the rows of a generated workbook to their wrapped text
    when opening it, so the form sets the height itself. A column width counts characters of
    the widest digit; running text averages a little less, and word wrapping wastes some of each
    line: 1.1 characters per width unit leaves a line to spare on most rows.
    """
    lines = 1
    for text, width in cells:
        per_line = max(int(width * 1.1) - 1, 1)
        needed = sum(max(math.ceil(len(part) / per_line), 1) for part in text.split("\n"))
        lines = max(lines, needed)
    return lines * LINE_HEIGHT + 3


def require_openpyxl() -> None:
    """Stop with how to install openpyxl when it is missing."""
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        raise EnvironmentProblem(
            "XLSX forms need the openpyxl library, which is not installed",
            hint=f"{install_hint('xlsx')}; or use --format csv",
        ) from None


def write_form(questionnaire: Questionnaire) -> bytes:
    """The answer form of a questionnaire as an XLSX workbook."""
    require_openpyxl()
    from openpyxl import Workbook

    workbook = Workbook()
    titles = sheet_titles(questionnaire)
    instructions = workbook.active
    assert instructions is not None
    instructions.title = INSTRUCTIONS_SHEET
    _instructions(instructions, questionnaire, titles)
    for dimension in questionnaire.dimensions:
        _dimension_sheet(workbook.create_sheet(titles[dimension.id]), questionnaire, dimension)
    workbook.properties.title = f"{questionnaire.title} — answer form"
    workbook.properties.subject = f"{questionnaire.id} {questionnaire.version}"
    workbook.properties.creator = "cmmm-assess"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text(sheet: Worksheet, row: int, column: int, text: str | CellRichText) -> Cell | MergedCell:
    """A cell holding ``text`` as text, whatever it starts with."""
    cell = sheet.cell(row, column)
    put_text(cell, text)
    return cell


def _instructions(sheet: Worksheet, questionnaire: Questionnaire, titles: dict[str, str]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    wrap = Alignment(wrap_text=True, vertical="top")
    bold = Font(name=FONT, bold=True)
    widths = (24.0, 90.0)
    sheet.column_dimensions["A"].width = widths[0]
    sheet.column_dimensions["B"].width = widths[1]
    sheet.sheet_view.showGridLines = False
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    if sheet.sheet_properties.pageSetUpPr is not None:
        sheet.sheet_properties.pageSetUpPr.fitToPage = True

    def put(row: int, label: str, text: str = "", *, heading: bool = False) -> None:
        first = _text(sheet, row, 1, label)
        first.alignment = wrap
        first.font = Font(name=FONT, bold=True, size=13) if heading else bold
        if text:
            _text(sheet, row, 2, text).alignment = wrap
        # Headings are 13 point: a little more room than body text.
        extra = 4.0 if heading else 0.0
        sheet.row_dimensions[row].height = (
            row_height([(label, widths[0] * (0.8 if heading else 0.9)), (text, widths[1])]) + extra
        )

    title = _text(sheet, 1, 1, questionnaire.title)
    title.font = Font(name=FONT, bold=True, size=16)
    _text(sheet, 2, 1, "Answer form: fill in the yellow cells, save the file, return it.")
    fields = [
        (FormField.QUESTIONNAIRE, questionnaire.id),
        (FormField.VERSION, questionnaire.version),
        (FormField.RESPONDENT_NAME, ""),
        (FormField.RESPONDENT_ROLE, ""),
    ]
    row = 4
    for field, value in fields:
        put(row, field.value)
        cell = _text(sheet, row, 2, value)
        if not value:
            cell.fill = PatternFill("solid", start_color=INPUT_FILL)
        row += 1

    row += 1
    put(row, "How to answer", heading=True)
    steps = [
        "Write your name and role in the yellow cells above.",
        "Each of the following sheets is one dimension of the model; each row is one practice. "
        "Read the question (its first line is the practice's title) and the guidance, which "
        "says what 'fully' looks like and what an assessor would ask to see.",
        "Choose an answer in the Answer column from its drop-down list, using the scale below. "
        "Leave the answer empty to discuss the practice with the assessor instead: an empty "
        "answer counts as not answered.",
        "Note (optional): anything the assessor should know: exceptions, plans, who to ask.",
        f"Evidence (optional): documents, tickets, URLs or files that show the practice, "
        f"separated by {EVIDENCE_SEPARATORS} (Alt+Enter starts a new line in a cell). "
        "Level 4 and 5 practices answered 'largely' or 'fully' only count in full with evidence.",
        "Reason (for na): required when the answer is 'na': why the practice does not apply.",
        "Keep the Practice column and the sheet layout as they are: the answers are read back "
        "by practice id. You may sort, filter, resize and add line breaks. Save as .xlsx.",
    ]
    for number, step in enumerate(steps, start=1):
        row += 1
        put(row, f"{number}.", step)
        sheet.cell(row, 1).alignment = Alignment(horizontal="right", vertical="top")

    row += 2
    put(row, "The answer scale", heading=True)
    for answer in WRITABLE_ANSWERS:
        row += 1
        put(row, str(answer), ANSWER_MEANINGS[answer])

    row += 2
    put(row, "The sheets", heading=True)
    for dimension in questionnaire.dimensions:
        row += 1
        count = len(dimension.practices)
        description = " ".join(dimension.description.split())
        text = f"{dimension.title} ({count} practice{'s' if count != 1 else ''})"
        put(row, titles[dimension.id], f"{text}. {description}" if description else text)

    row += 2
    put(row, "The levels", heading=True)
    for level in questionnaire.levels:
        row += 1
        put(row, f"{level.level} {level.name}", " ".join(level.description.split()))


def _dimension_sheet(sheet: Worksheet, questionnaire: Questionnaire, dimension: Dimension) -> None:
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.worksheet.datavalidation import DataValidation

    wrap = Alignment(wrap_text=True, vertical="top")
    line = Side(style="thin", color=GRID)
    grid = Border(left=line, right=line, top=line, bottom=line)
    input_fill = PatternFill("solid", start_color=INPUT_FILL)
    for index, column in enumerate(XLSX_COLUMNS):
        cell = _text(sheet, 1, index + 1, column.value)
        cell.font = Font(name=FONT, bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", start_color=HEADER_FILL)
        cell.alignment = Alignment(vertical="center")
        cell.border = grid
        sheet.column_dimensions[column_letter(index)].width = WIDTHS[column]

    sheet.row_dimensions[1].height = 20
    last_row = len(dimension.practices) + 1
    for row, practice in enumerate(dimension.practices, start=2):
        values: dict[Column, str | CellRichText] = {
            Column.PRACTICE: practice.id,
            Column.LEVEL: level_text(questionnaire, practice),
            Column.QUESTION: CellRichText(
                TextBlock(InlineFont(rFont=FONT, sz=11, b=True), practice.title),
                "\n" + " ".join(practice.question.split()),
            ),
            Column.GUIDANCE: " ".join(practice.guidance.split()),
        }
        for index, column in enumerate(XLSX_COLUMNS):
            value = values.get(column)
            cell = (
                sheet.cell(row, index + 1) if value is None else _text(sheet, row, index + 1, value)
            )
            cell.alignment = wrap
            cell.border = grid
            if column in ANSWER_COLUMNS:
                cell.fill = input_fill
        # Room for the answer columns too: a respondent's note fits without resizing the row.
        sheet.row_dimensions[row].height = max(
            row_height(
                [
                    (
                        practice.title + "\n" + " ".join(practice.question.split()),
                        WIDTHS[Column.QUESTION],
                    ),
                    (str(values[Column.GUIDANCE]), WIDTHS[Column.GUIDANCE]),
                ]
            ),
            3 * LINE_HEIGHT + 3,
        )

    answer_letter = column_letter(XLSX_COLUMNS.index(Column.ANSWER))
    choices = DataValidation(
        type="list",
        formula1='"' + ",".join(WRITABLE_ANSWERS) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Not an answer",
        error=f"Choose one of: {answer_words()}.",
        showInputMessage=True,
        promptTitle="Answer",
        prompt=f"{answer_words()}. 'na' needs a reason.",
    )
    sheet.add_data_validation(choices)
    choices.add(f"{answer_letter}2:{answer_letter}{last_row}")

    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = f"A1:{column_letter(len(XLSX_COLUMNS) - 1)}{last_row}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    if sheet.sheet_properties.pageSetUpPr is not None:
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
