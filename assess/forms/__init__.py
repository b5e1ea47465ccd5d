"""Answer forms for respondents who do not run the CLI (docs/forms.md).

``assess questionnaire export --format xlsx|csv`` writes a form; ``assess answers import`` reads a
filled one back into a respondent's answers file. The two file formats (``xlsx.py``,
``csv.py``) only move cells in and out; this module decides the columns, what each cell may
hold and what a filled form means, so that a workbook and a CSV file follow the same rules and
every bad cell is reported at once, by its location, before anything is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from pathlib import Path

from assess.inputs.interview import read_reply, split_references
from assess.inputs.workspace import AnswersDocument
from assess.model.levels import WRITABLE_ANSWERS, Answer
from assess.model.questionnaire import Practice, Questionnaire
from assess.model.workspace import AnswerEntry
from assess.support.errors import InputError, Problem


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


# --- reading ------------------------------------------------------------------------------------


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


@dataclass(frozen=True)
class FilledForm:
    """A form's answers, checked against the questionnaire."""

    path: Path
    """The form."""
    answers: dict[str, AnswerEntry]
    """The answers given, by practice id, in form order."""
    blank: tuple[str, ...]
    """The questionnaire's practices the form leaves unanswered (an empty row or no row)."""
    respondent_role: str
    """The role written on the form, "" when none."""
    warnings: tuple[Problem, ...]
    """Worth a look, not wrong."""


def read_form(path: Path) -> RawForm:
    """The cells of a filled XLSX or CSV form (chosen by the file's extension, else content)."""
    from assess.support.files import read_bytes

    suffix = path.suffix.casefold()
    if suffix in {".xls", ".ods", ".numbers"}:
        raise InputError(
            Problem(f"cannot read {suffix} files", file=path),
            hint="save the form as an Excel workbook (.xlsx) or as CSV UTF-8, then import that",
        )
    data = read_bytes(path)
    if suffix in {".xlsx", ".xlsm"} or (
        suffix not in {".csv", ".txt"} and data[:4] == b"PK\x03\x04"
    ):
        from assess.forms import xlsx

        return xlsx.read_form(path, data)
    from assess.forms import csv

    return csv.read_form(path, data)


def interpret(raw: RawForm, questionnaire: Questionnaire, respondent: str) -> FilledForm:
    """Check every cell of a form against ``questionnaire``; raise every problem at once.

    ``respondent`` is the name the answers are imported under; a different name written on the
    form is a warning (the assessor decides whose answers they are).
    """
    identity = list(_identity_problems(raw, questionnaire))
    if identity:
        # A form for another questionnaire: its cells cannot be checked against this one.
        raise InputError(
            identity,
            hint="export a form for this workspace's questionnaire with: assess questionnaire "
            f"export {questionnaire.id} --format xlsx|csv --out FILE",
        )
    problems = list(raw.problems)
    answers: dict[str, AnswerEntry] = {}
    first_row: dict[str, Cell] = {}
    for row in raw.rows:
        practice_cell = row.cells.get(Column.PRACTICE)
        practice_id = practice_cell.text if practice_cell is not None else ""
        if practice_cell is None or not practice_id:
            problems += [
                cell.problem(
                    f"'{clip(cell.text)}' is in a row without a practice id: "
                    "put it on the row of its practice"
                )
                for column in ANSWER_COLUMNS
                if (cell := row.cells.get(column)) is not None and cell.text
            ]
            continue
        if practice_id not in questionnaire.practices:
            problems.append(
                practice_cell.problem(
                    f"unknown practice id '{practice_id}' "
                    f"(not in questionnaire {questionnaire.id} {questionnaire.version})"
                )
            )
            continue
        if practice_id in first_row:
            problems.append(
                practice_cell.problem(
                    f"practice {practice_id} has a second row "
                    f"(the first is at {first_row[practice_id].describe()}): "
                    "keep one row per practice"
                )
            )
            continue
        first_row[practice_id] = practice_cell
        entry = _entry(practice_id, row, problems)
        if entry is not None:
            answers[practice_id] = entry
    if problems:
        problems.sort(key=lambda p: (p.line is None, p.line or 0))  # in reading order
        raise InputError(problems)

    warnings = list(raw.warnings)
    name_cell = raw.fields.get(FormField.RESPONDENT_NAME)
    if name_cell is not None and name_cell.text and not _same_name(name_cell.text, respondent):
        warnings.append(
            name_cell.problem(
                f"the form names its respondent '{name_cell.text}'; "
                f"its answers are imported as '{respondent}'"
            )
        )
    role_cell = raw.fields.get(FormField.RESPONDENT_ROLE)
    return FilledForm(
        path=raw.path,
        answers=answers,
        blank=tuple(p for p in questionnaire.practices if p not in answers),
        respondent_role=role_cell.text if role_cell is not None else "",
        warnings=tuple(warnings),
    )


def _same_name(written: str, given: str) -> bool:
    return " ".join(written.split()).casefold() == " ".join(given.split()).casefold()


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


def _identity_problems(raw: RawForm, questionnaire: Questionnaire) -> Iterator[Problem]:
    """The form must say it is for this questionnaire id and version."""
    expected = {
        Column.QUESTIONNAIRE: (questionnaire.id, "questionnaire"),
        Column.VERSION: (questionnaire.version, "version"),
    }
    sources = {
        Column.QUESTIONNAIRE: FormField.QUESTIONNAIRE,
        Column.VERSION: FormField.VERSION,
    }
    for column, (value, noun) in expected.items():
        cells = [raw.fields[sources[column]]] if sources[column] in raw.fields else []
        cells += [row.cells[column] for row in raw.rows if column in row.cells]
        stated = [cell for cell in cells if cell.text]
        if not stated:
            yield Problem(
                f"the form does not say which {noun} it is for (its '{column}' field or "
                f"column is missing or empty); this workspace uses {questionnaire.id} "
                f"{questionnaire.version}",
                file=raw.path,
            )
            continue
        wrong: dict[str, list[Cell]] = {}
        for cell in stated:
            if cell.text != value:
                wrong.setdefault(cell.text, []).append(cell)
        for text, where in wrong.items():
            more = f" (and {len(where) - 1} more rows)" if len(where) > 1 else ""
            yield where[0].problem(
                f"the form is for {noun} '{text}', but this workspace uses "
                f"{questionnaire.id} {questionnaire.version}{more}"
            )


def _entry(practice_id: str, row: Row, problems: list[Problem]) -> AnswerEntry | None:
    """The answer a practice row gives; ``None`` when blank or wrong (problems appended)."""
    cells = {column: row.cells.get(column) for column in ANSWER_COLUMNS}
    texts = {column: cell.text if cell is not None else "" for column, cell in cells.items()}
    answer_cell = cells[Column.ANSWER]
    if answer_cell is None or not texts[Column.ANSWER]:
        for column in (Column.NOTE, Column.EVIDENCE, Column.REASON):
            cell = cells[column]
            if cell is not None and cell.text:
                # The answers file has no place for a note without an answer: refuse rather
                # than drop the respondent's words.
                problems.append(
                    cell.problem(
                        f"{practice_id} has a {_noun(column)} but no answer: choose an answer "
                        "(unknown if you do not know) or clear the cell"
                    )
                )
        return None
    answer = _answer(texts[Column.ANSWER])
    if answer is None:
        problems.append(
            answer_cell.problem(
                f"'{clip(texts[Column.ANSWER])}' is not an answer ({answer_words()})"
            )
        )
        return None
    if answer is Answer.NA and not texts[Column.REASON]:
        where = cells[Column.REASON] or answer_cell
        problems.append(
            where.problem(f"{practice_id} is answered na: say why it does not apply in this cell")
            if where is not answer_cell
            else where.problem(
                f"{practice_id} is answered na, which needs a reason, and the form has no "
                f"'{Column.REASON}' column"
            )
        )
        return None
    return AnswerEntry(
        answer=answer,
        note=texts[Column.NOTE],
        evidence=split_references(texts[Column.EVIDENCE]),
        reason=texts[Column.REASON],
    )


def _noun(column: Column) -> str:
    return {Column.NOTE: "note", Column.EVIDENCE: "evidence reference", Column.REASON: "reason"}[
        column
    ]


def _answer(text: str) -> Answer | None:
    """An answer word (case-insensitive; the interview's one-letter keys and ``n/a`` too)."""
    reply = read_reply(text)
    return reply if isinstance(reply, Answer) and reply in WRITABLE_ANSWERS else None


# --- writing into the workspace -----------------------------------------------------------------


@dataclass(frozen=True)
class ImportSummary:
    """What an import did to an answers file."""

    path: Path
    """The answers file."""
    new: int
    """Practices answered for the first time."""
    changed: int
    """Practices whose saved answer, note, evidence or reason the form replaced."""
    unchanged: int
    """Practices the form answers exactly as saved."""
    blank: int
    """Practices the form leaves unanswered."""
    kept: int
    """Of the blank ones, those with an earlier answer, which is kept."""


def merge_into(document: AnswersDocument, form: FilledForm) -> ImportSummary:
    """Write the form's answers into a respondent's answers file, in one atomic write.

    A practice the form answers is replaced whole (answer, note, evidence, reason): the form is
    the respondent's latest word on it. A practice the form leaves blank keeps what the file
    holds. Comments and hand edits elsewhere in the file survive.
    """
    before = document.sheet.answers
    new = sum(1 for p in form.answers if p not in before)
    changed = sum(1 for p, entry in form.answers.items() if p in before and before[p] != entry)
    document.put_many(form.answers)
    return ImportSummary(
        path=document.path,
        new=new,
        changed=changed,
        unchanged=len(form.answers) - new - changed,
        blank=len(form.blank),
        kept=sum(1 for p in form.blank if p in before),
    )
