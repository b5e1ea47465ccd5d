"""What a filled form means: every cell checked against the questionnaire, every problem
reported at once by its place, before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from assess.forms.cells import Cell, RawForm, Row, clip
from assess.forms.layout import ANSWER_COLUMNS, Column, FormField, answer_words
from assess.inputs.interview import read_reply, split_references
from assess.model.levels import WRITABLE_ANSWERS, Answer
from assess.model.questionnaire import Questionnaire
from assess.model.workspace import AnswerEntry
from assess.support.errors import InputError, Problem


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
