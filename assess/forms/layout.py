"""What an answer form looks like: its columns, the workbook's sheets and fields, and the
words a respondent reads (docs/forms.md).

The XLSX and CSV forms follow the same layout: the columns are named here once, with what each
holds, so that writing a form and reading one back agree.
"""

from __future__ import annotations

import re
from enum import StrEnum

from assess.model.levels import WRITABLE_ANSWERS, Answer
from assess.model.questionnaire import Practice, Questionnaire


class Column(StrEnum):
    """A column of a form, named by its header text."""

    DIMENSION = "Dimension"
    PRACTICE = "Practice"
    LEVEL = "Level"
    TITLE = "Title"
    QUESTION = "Question"
    GUIDANCE = "Guidance"
    ANSWER = "Answer"
    NOTE = "Note"
    EVIDENCE = "Evidence"
    REASON = "Reason (for na)"
    QUESTIONNAIRE = "Questionnaire"
    VERSION = "Version"


ANSWER_COLUMNS: tuple[Column, ...] = (Column.ANSWER, Column.NOTE, Column.EVIDENCE, Column.REASON)
"""The columns a respondent fills in; every other column is there to be read."""

XLSX_COLUMNS: tuple[Column, ...] = (
    Column.PRACTICE,
    Column.LEVEL,
    Column.QUESTION,
    Column.GUIDANCE,
    *ANSWER_COLUMNS,
)
"""The columns of a dimension sheet of the workbook (the sheet names the dimension; the title
of each practice is the first, bold line of its question)."""

CSV_COLUMNS: tuple[Column, ...] = (
    Column.DIMENSION,
    Column.PRACTICE,
    Column.LEVEL,
    Column.TITLE,
    Column.QUESTION,
    Column.GUIDANCE,
    *ANSWER_COLUMNS,
    Column.QUESTIONNAIRE,
    Column.VERSION,
)
"""The columns of the CSV form: one table, so each row also says its dimension and the
questionnaire it belongs to."""


class FormField(StrEnum):
    """A labelled field of the workbook's Instructions sheet (label in column A, value in B)."""

    QUESTIONNAIRE = "Questionnaire"
    VERSION = "Version"
    RESPONDENT_NAME = "Respondent name"
    RESPONDENT_ROLE = "Respondent role"


INSTRUCTIONS_SHEET = "Instructions"
"""The name of the workbook's first sheet."""

ANSWER_MEANINGS: dict[Answer, str] = {
    Answer.NOT: "Not implemented.",
    Answer.PARTIALLY: "Implemented in places: some teams, systems or certificates.",
    Answer.LARGELY: "Implemented nearly everywhere, with known exceptions.",
    Answer.FULLY: "Implemented everywhere, as a routine, and you could show it.",
    Answer.UNKNOWN: "You do not know. Counts as not implemented and is flagged for follow-up.",
    Answer.NA: "Does not apply to your organisation. Say why in the Reason (for na) column.",
}
"""What each answer word means to a respondent (docs/methodology.md, Answers)."""

EVIDENCE_SEPARATORS = "commas or line breaks"
"""How a form cell separates evidence references (``assess.inputs.interview.split_references``)."""

SHEET_TITLE_MAX = 31
"""Excel's limit on the length of a sheet name."""


def answer_words() -> str:
    """The answer words, as a list for messages and prompts."""
    return ", ".join(WRITABLE_ANSWERS)


def level_text(questionnaire: Questionnaire, practice: Practice) -> str:
    """The Level cell of a practice (``2 Basic``)."""
    return f"{practice.level} {questionnaire.level_label(practice.level)}"


_BOM_REMAINS = ("\ufeff", "ï»¿")
"""A byte-order mark, and what is left of one when an application read UTF-8 as Windows-1252
(LibreOffice does by default) and saved the form again as UTF-8."""


def column_of(header: str) -> Column | None:
    """The column a header names; case and spacing do not matter, ``Reason`` is enough."""
    for remains in _BOM_REMAINS:
        header = header.removeprefix(remains)
    key = " ".join(header.split()).casefold()
    if key == "reason":
        return Column.REASON
    for column in Column:
        if column.value.casefold() == key:
            return column
    return None


def field_of(label: str) -> FormField | None:
    """The Instructions field a label names (case and spacing do not matter)."""
    key = " ".join(label.split()).rstrip(":").casefold()
    for item in FormField:
        if item.value.casefold() == key:
            return item
    return None


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index (0 → A, 26 → AA)."""
    letters = ""
    number = index + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_titles(questionnaire: Questionnaire) -> dict[str, str]:
    """A sheet name per dimension id: the title, shortened to Excel's 31 characters, unique."""
    used = {INSTRUCTIONS_SHEET.casefold()}
    titles: dict[str, str] = {}
    for dimension in questionnaire.dimensions:
        base = _shorten(_SHEET_FORBIDDEN.sub("-", dimension.title).strip("' ")) or dimension.id
        title = base
        number = 2
        while title.casefold() in used:
            suffix = f" ({number})"
            title = base[: SHEET_TITLE_MAX - len(suffix)] + suffix
            number += 1
        used.add(title.casefold())
        titles[dimension.id] = title
    return titles


def _shorten(text: str) -> str:
    """Cut a long title at the last ``&``, comma or space that fits."""
    if len(text) <= SHEET_TITLE_MAX:
        return text
    for separator in (" & ", ", ", " "):
        cut = text.rfind(separator, 0, SHEET_TITLE_MAX + len(separator))
        prefix = text[:cut].rstrip(" ,&") if cut > 0 else ""
        if prefix:
            return prefix
    return text[:SHEET_TITLE_MAX]
