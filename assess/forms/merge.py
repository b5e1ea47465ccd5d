"""Importing a filled form: its answers written into the respondent's answers file.

A respondent who already has answers (an interview, an earlier form) keeps them unless the
import says what to do with them (:class:`ImportMode`): one person's form never replaces another
person's answers by accident. The form becomes one list of changes, written by
:func:`assess.inputs.changes.apply_changes` in one locked, atomic write, so an interview of the
same respondent running meanwhile loses nothing; the summary is told from what was applied.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path

from assess.forms.interpret import FilledForm
from assess.inputs.changes import (
    AnswerChange,
    AnswerWithdrawal,
    Applied,
    Change,
    apply_changes,
    find_answers,
)
from assess.model.questionnaire import Questionnaire
from assess.model.workspace import AnswerEntry, AnswersFile, Override, Respondent
from assess.support.errors import InputError, Problem
from assess.support.words import plural


class ImportMode(StrEnum):
    """What an import does to a respondent's saved answers."""

    MERGE = "merge"
    """The form's answers replace the saved answers of the same practices; a practice the form
    leaves blank keeps its saved answer."""
    REPLACE = "replace"
    """The form's answers become the respondent's answers: a practice the form leaves blank
    loses its saved answer."""


@dataclass(frozen=True)
class ChangedAnswer:
    """A saved answer the import changes or withdraws."""

    practice_id: str
    """The practice."""
    before: AnswerEntry
    """The saved answer."""
    after: AnswerEntry | None
    """The form's answer; ``None`` when the answer is withdrawn."""

    def __str__(self) -> str:
        """``INV-01: partially → largely, note changed`` or ``INV-04: not withdrawn``."""
        if self.after is None:
            return f"{self.practice_id}: {self.before.answer} withdrawn"
        before, after = self.before, self.after
        text = f"{self.practice_id}: " + (
            f"{before.answer} → {after.answer}" if before.answer != after.answer else after.answer
        )
        fields = [
            name
            for name, old, new in (
                ("note", before.note, after.note),
                ("evidence", before.evidence, after.evidence),
                ("reason", before.reason, after.reason),
            )
            if old != new
        ]
        return text + (f", {' and '.join(fields)} changed" if fields else "")


@dataclass(frozen=True)
class ImportSummary:
    """What an import did to an answers file."""

    path: Path
    """The answers file."""
    respondent: str
    """The respondent, as the answers file names them."""
    new: int
    """Practices answered for the first time."""
    changed: tuple[ChangedAnswer, ...]
    """Saved answers the form replaced with a different answer, note, evidence or reason."""
    unchanged: int
    """Practices the form answers exactly as saved."""
    blank: int
    """Practices the form leaves unanswered."""
    kept: int
    """Of the blank ones, those with a saved answer, which is kept (:attr:`ImportMode.MERGE`)."""
    withdrawn: tuple[ChangedAnswer, ...]
    """Of the blank ones, the saved answers withdrawn (:attr:`ImportMode.REPLACE`)."""

    def describe(self) -> str:
        """``6 answered (1 new, 2 changed, 3 unchanged), 2 blank (1 keep an earlier answer)``."""
        answered = self.new + len(self.changed) + self.unchanged
        text = (
            f"{answered} answered ({self.new} new, {len(self.changed)} changed, "
            f"{self.unchanged} unchanged), {self.blank} blank"
        )
        if self.kept:
            text += f" ({self.kept} keep an earlier answer)"
        if self.withdrawn:
            text += f" ({plural(len(self.withdrawn), 'earlier answer')} withdrawn)"
        return text


def import_answers(
    root: Path,
    questionnaire: Questionnaire,
    respondent: Respondent,
    form: FilledForm,
    mode: ImportMode | None,
    *,
    today: date,
) -> ImportSummary:
    """Write the form's answers into the respondent's answers file in workspace ``root``.

    A practice the form answers is replaced whole (answer, note, evidence, reason): the form is
    the respondent's latest word on it. A practice the form leaves blank keeps its saved answer,
    or loses it with :attr:`ImportMode.REPLACE`. Comments and hand edits elsewhere in the file
    survive. Nothing is written when the respondent has answers and no ``mode`` is given, nor
    when the form answers nothing.
    """
    found = find_answers(root, respondent.name)
    saved = found[1] if found is not None else None
    if found is not None:
        check_mode(found[0], found[1], form, mode)
    applied = apply_changes(
        root, questionnaire, changes_of(respondent, saved, form, mode), today=today
    )
    return summarise(saved.respondent.name if saved else respondent.name, saved, form, applied)


@dataclass(frozen=True)
class FormImport:
    """What importing one form did."""

    form: FilledForm
    """The form as read (its warnings, its blank practices)."""
    summary: ImportSummary | None
    """What was written; ``None`` when the form answers nothing (nothing written)."""

    def nothing_written(self, name: str) -> str:
        """What to say about form ``name`` when it answers nothing."""
        return f"{name}: no practice is answered; nothing written ({len(self.form.blank)} blank)"


def import_form(
    root: Path,
    questionnaire: Questionnaire,
    file: Path,
    respondent: str,
    mode: ImportMode | None,
    *,
    role: str = "",
    today: date,
) -> FormImport:
    """``assess answers import``: form ``file`` read, checked against ``questionnaire`` and
    imported for ``respondent`` (``--role`` replacing the form's), for the command line and
    the web upload alike (one place, one wording). Every bad cell is an InputError naming sheet
    and cell, or file and line; nothing is written until the form is clean."""
    from assess.forms.formats import read_form
    from assess.forms.interpret import interpret

    name = respondent.strip()
    if not name:
        raise InputError("--respondent is empty")
    form = interpret(read_form(file), questionnaire, name)
    if not form.answers:
        return FormImport(form, None)
    summary = import_answers(
        root,
        questionnaire,
        Respondent(name=name, role=role.strip() or form.respondent_role),
        form,
        mode,
        today=today,
    )
    return FormImport(form, summary)


def check_mode(path: Path, saved: AnswersFile, form: FilledForm, mode: ImportMode | None) -> None:
    """Refuse to import over a respondent's saved answers unless ``mode`` says how; the
    message says what the form would change."""
    before = saved.answers
    if not before or mode is not None:
        return
    changed = sum(1 for p, entry in form.answers.items() if p in before and before[p] != entry)
    blank = sum(1 for p in form.blank if p in before)
    raise InputError(
        Problem(
            f"{saved.respondent.name} already has answers to {plural(len(before), 'practice')}; "
            f"this form changes {changed} of them and leaves {blank} blank",
            file=path,
        ),
        hint="import it with --merge to keep the answers the form leaves blank, or with "
        "--replace to withdraw them",
    )


def changes_of(
    respondent: Respondent, saved: AnswersFile | None, form: FilledForm, mode: ImportMode | None
) -> list[Change]:
    """The changes that import ``form``: each answer it gives, replacing the saved one whole,
    and with :attr:`ImportMode.REPLACE` the withdrawal of each saved answer it leaves blank."""
    changes: list[Change] = [
        AnswerChange.replacing(respondent, practice_id, entry)
        for practice_id, entry in form.answers.items()
    ]
    if mode is ImportMode.REPLACE and saved is not None:
        changes += [AnswerWithdrawal(respondent, p) for p in form.blank if p in saved.answers]
    return changes


def summarise(
    respondent: str, saved: AnswersFile | None, form: FilledForm, applied: Sequence[Applied]
) -> ImportSummary:
    """What the applied changes did (``saved``: the answers before, read for the blank ones)."""
    entries = [(a.practice_id, _answer(a.before), _answer(a.after)) for a in applied]
    changed = tuple(
        ChangedAnswer(p, before, after)
        for p, before, after in entries
        if before is not None and after is not None and before != after
    )
    withdrawn = tuple(
        ChangedAnswer(p, before, None)
        for p, before, after in entries
        if before is not None and after is None
    )
    new = sum(1 for _, before, after in entries if before is None and after is not None)
    earlier = sum(1 for p in form.blank if saved is not None and p in saved.answers)
    return ImportSummary(
        path=applied[0].path,
        respondent=respondent,
        new=new,
        changed=changed,
        unchanged=len(form.answers) - new - len(changed),
        blank=len(form.blank),
        kept=earlier - len(withdrawn),
        withdrawn=withdrawn,
    )


def _answer(entry: AnswerEntry | Override | None) -> AnswerEntry | None:
    """An applied answer (an answers file holds no overrides)."""
    return entry if isinstance(entry, AnswerEntry) else None
