"""Importing a filled form: its answers written into the respondent's answers file.

A respondent who already has answers (an interview, an earlier form) keeps them unless the
import says what to do with them (:class:`ImportMode`): one person's form never replaces another
person's answers by accident. What the import changes is worked out first
(:func:`plan_import`, no I/O), then written in one call.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from assess.forms.interpret import FilledForm
from assess.model.workspace import AnswerEntry, AnswersFile, same_name
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
    """What an import does to an answers file."""

    path: Path
    """The answers file."""
    respondent: str
    """The respondent, as the answers file names them."""
    answers: dict[str, AnswerEntry]
    """The form's answers, by practice id: what is written."""
    new: int
    """Practices answered for the first time."""
    changed: tuple[ChangedAnswer, ...]
    """Saved answers the form replaces with a different answer, note, evidence or reason."""
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


class AnswersWriter(Protocol):
    """A respondent's answers file as an import reads and writes it
    (:class:`assess.inputs.workspace.AnswersDocument`)."""

    @property
    def path(self) -> Path:
        """The answers file."""
        ...

    @property
    def sheet(self) -> AnswersFile:
        """What the file holds now."""
        ...

    def put_many(self, entries: dict[str, AnswerEntry], *, withdraw: tuple[str, ...]) -> None:
        """Replace the answers of ``entries`` whole and remove those of ``withdraw``, in one
        write."""
        ...


def known_name(saved: Iterable[AnswersFile], name: str) -> str:
    """``name`` as the respondent's answers file spells it (``jane doe`` → ``Jane Doe``), so
    that an import finds their file; ``name`` itself for a new respondent."""
    return next((s.respondent.name for s in saved if same_name(s.respondent.name, name)), name)


def plan_import(
    path: Path, saved: AnswersFile, form: FilledForm, mode: ImportMode | None
) -> ImportSummary:
    """What importing ``form`` over the ``saved`` answers does.

    Without a ``mode``, a respondent who already has answers is refused (an InputError that
    says what the form would change): the assessor chooses to merge or replace.
    """
    before = saved.answers
    changed = tuple(
        ChangedAnswer(p, before[p], entry)
        for p, entry in form.answers.items()
        if p in before and before[p] != entry
    )
    earlier = [p for p in form.blank if p in before]
    if before and mode is None:
        raise InputError(
            Problem(
                f"{saved.respondent.name} already has answers to "
                f"{plural(len(before), 'practice')}; this form changes {len(changed)} of them "
                f"and leaves {len(earlier)} blank",
                file=path,
            ),
            hint="import it with --merge to keep the answers the form leaves blank, or with "
            "--replace to withdraw them",
        )
    withdrawn = (
        tuple(ChangedAnswer(p, before[p], None) for p in earlier)
        if mode is ImportMode.REPLACE
        else ()
    )
    new = sum(1 for p in form.answers if p not in before)
    return ImportSummary(
        path=path,
        respondent=saved.respondent.name,
        answers=form.answers,
        new=new,
        changed=changed,
        unchanged=len(form.answers) - new - len(changed),
        blank=len(form.blank),
        kept=len(earlier) - len(withdrawn),
        withdrawn=withdrawn,
    )


def merge_into(document: AnswersWriter, form: FilledForm, mode: ImportMode | None) -> ImportSummary:
    """Write the form's answers into a respondent's answers file, in one atomic write.

    A practice the form answers is replaced whole (answer, note, evidence, reason): the form is
    the respondent's latest word on it. A practice the form leaves blank keeps its saved answer,
    or loses it with :attr:`ImportMode.REPLACE`. Comments and hand edits elsewhere in the file
    survive. Nothing is written when the respondent has answers and no ``mode`` is given.
    """
    summary = plan_import(document.path, document.sheet, form, mode)
    document.put_many(summary.answers, withdraw=tuple(c.practice_id for c in summary.withdrawn))
    return summary
