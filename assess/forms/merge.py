"""Importing a filled form: its answers merged into the respondent's answers file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assess.forms.interpret import FilledForm
from assess.inputs.workspace import AnswersDocument


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
