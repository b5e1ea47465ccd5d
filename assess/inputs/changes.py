"""Changes to one practice, written into the workspace without losing anyone else's change.

A change names one practice and what to set on it: a respondent's answer, note, evidence or
reason (:class:`AnswerChange`), the withdrawal of their answer (:class:`AnswerWithdrawal`), or
the assessor's override (:class:`OverrideChange`).
:func:`apply_changes` is the one way the interview, the form import and the web app write
them: under the workspace's write lock it reads the file again, applies the changes, checks the
result and writes it atomically. Two writers at once (two interviews of one respondent, an
interview and an import) therefore each keep every change they made. Comments and hand edits
in the files survive, and a practice written for the first time takes its place in
questionnaire order.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString
from ruamel.yaml.tokens import CommentToken

from assess.inputs.layout import ANSWERS_DIR, ASSESSMENT_FILE, answers_files, new_answers_path, slug
from assess.inputs.workspace import ReadCache
from assess.model.levels import Answer
from assess.model.questionnaire import Questionnaire
from assess.model.workspace import (
    AnswerEntry,
    AnswersFile,
    Assessment,
    Override,
    Respondent,
    name_key,
    same_name,
)
from assess.support.errors import InputError, Problem
from assess.support.files import exclusive_lock
from assess.support.jsondoc import document_bytes
from assess.support.limits import ANSWERS, ASSESSMENT, SizeLimit
from assess.support.yamlio import load_model, parse_editable, validation_problems, write_yaml


@dataclass(frozen=True)
class AnswerChange:
    """A change to one respondent's answer to one practice.

    A field left ``None`` keeps what is saved; ``""`` (or ``()`` for evidence) clears it. Giving
    an answer other than ``na`` clears the saved reason, unless the change gives one: a reason
    says why a practice does not apply. A respondent without an answers file gets one.
    """

    respondent: Respondent
    """Whose answer; their role is written into their file when the file has none."""
    practice_id: str
    """The practice."""
    answer: Answer | None = None
    """The new answer, or ``None`` to keep the saved one."""
    note: str | None = None
    """The new note, ``""`` to clear it, ``None`` to keep it."""
    evidence: tuple[str, ...] | None = None
    """The new evidence references, ``()`` to clear them, ``None`` to keep them."""
    reason: str | None = None
    """Why the practice does not apply (``na``), ``None`` to keep the saved one."""
    if_match: str | None = None
    """The :func:`tag` of the entry the change was made from; when the saved entry has another
    one, nothing is written (:class:`ChangeConflict`)."""

    @classmethod
    def replacing(
        cls, respondent: Respondent, practice_id: str, entry: AnswerEntry
    ) -> AnswerChange:
        """The change that makes ``entry`` the saved answer, whatever was saved before."""
        return cls(
            respondent,
            practice_id,
            answer=entry.answer,
            note=entry.note,
            evidence=entry.evidence,
            reason=entry.reason,
        )

    def applied_to(self, saved: AnswerEntry | None) -> AnswerEntry:
        """The entry this change makes of ``saved``; a ValueError when it is not a valid one."""
        if self.answer is not None:
            answer = self.answer
        elif saved is not None:
            answer = saved.answer
        else:
            raise ValueError("has no saved answer yet: give the answer first")
        if self.reason is not None:
            reason = self.reason
        elif self.answer is not None and self.answer is not Answer.NA:
            reason = ""
        else:
            reason = saved.reason if saved is not None else ""
        return AnswerEntry(
            answer=answer,
            note=self.note if self.note is not None else (saved.note if saved else ""),
            evidence=self.evidence
            if self.evidence is not None
            else (saved.evidence if saved else ()),
            reason=reason,
        )


@dataclass(frozen=True)
class OverrideChange:
    """The assessor's override of one practice, set, replaced or (``None``) withdrawn."""

    practice_id: str
    """The practice."""
    override: Override | None
    """The override, or ``None`` to withdraw the one saved."""
    if_match: str | None = None
    """The :func:`tag` of the override the change was made from (see :class:`AnswerChange`)."""


@dataclass(frozen=True)
class AnswerWithdrawal:
    """One respondent's answer to one practice withdrawn: the practice is unanswered again
    (a form imported with ``--replace`` that leaves it blank)."""

    respondent: Respondent
    """Whose answer."""
    practice_id: str
    """The practice."""
    if_match: str | None = None
    """The :func:`tag` of the entry the change was made from (see :class:`AnswerChange`)."""


Change = AnswerChange | AnswerWithdrawal | OverrideChange
"""A change to one practice."""


@dataclass(frozen=True)
class Applied:
    """What one change did."""

    path: Path
    """The file written (the answers file, or assessment.yaml for an override)."""
    practice_id: str
    """The practice."""
    before: AnswerEntry | Override | None
    """What was saved before the change."""
    after: AnswerEntry | Override | None
    """What is saved now."""

    @property
    def tag(self) -> str:
        """The :func:`tag` of what is saved now."""
        return tag(self.after)


class ChangeConflict(InputError):
    """A change was made from an entry that someone has changed since; nothing was written."""


def tag(entry: AnswerEntry | Override | None) -> str:
    """A short fingerprint of a saved answer or override (``None``: nothing saved).

    A client that shows an entry keeps its tag and sends it back with its change
    (``if_match``): the change is refused when someone else changed the entry meanwhile.
    """
    data = b"null\n" if entry is None else document_bytes(entry)
    return hashlib.sha256(data).hexdigest()[:16]


def find_answers(root: Path, name: str) -> tuple[Path, AnswersFile] | None:
    """The answers file of the respondent called ``name`` in workspace ``root``, read now.

    The file is found by the name inside it, whatever the file is called and whatever the
    case and spacing of the name (``jane doe`` finds Jane Doe's file); ``None`` when the
    respondent has no answers file yet.
    """
    found = _find_answers(root, name)
    return None if found is None else (found[0], found[2])


def add_respondent(root: Path, respondent: Respondent, *, today: date) -> tuple[Path, bool]:
    """Give ``respondent`` an answers file with no answer yet, under the write lock.

    Returns the file and whether it was created: a respondent who already has one (the name
    compared as :func:`~assess.model.workspace.same_name` does) keeps it unchanged, and their
    role is added when the file has none. The web app lists a respondent added this way
    before their first answer.
    """
    with exclusive_lock(root):
        editing = _answers_for_editing(root, respondent, today)
        created = not editing.path.exists()
        if created:
            editing.is_changed = True
        editing.write()
    return editing.path, created


def apply_changes(
    root: Path,
    questionnaire: Questionnaire,
    changes: Sequence[Change],
    *,
    today: date,
    cache: ReadCache | None = None,
) -> tuple[Applied, ...]:
    """Apply ``changes`` to the answers files and assessment.yaml of workspace ``root``.

    Under the workspace's write lock, each file concerned is read again, every change is
    applied to it and checked, and each changed file is written once, atomically. When any
    change is invalid (an unknown practice, an ``na`` without a reason, a stale ``if_match``)
    every problem is raised together and nothing is written. A new answers file is dated
    ``today``. A ``cache`` the caller loads the workspace with is told what was written, so
    that the next load does not parse the files again, and a file this cache saw written is
    changed from what was written rather than parsed again, as long as it still holds exactly
    that text (a change made by hand since is read, never overwritten).
    """
    order = {practice_id: rank for rank, practice_id in enumerate(questionnaire.practices)}
    problems = [
        Problem(
            f"unknown practice id '{change.practice_id}' "
            f"(not in questionnaire {questionnaire.id} {questionnaire.version})",
            field=f"{'overrides' if isinstance(change, OverrideChange) else 'answers'}."
            f"{change.practice_id}",
        )
        for change in changes
        if change.practice_id not in order
    ]
    if problems:
        raise InputError(problems)
    with exclusive_lock(root):
        files: dict[str, _Editing] = {}
        applied: list[Applied] = []
        conflicts: list[Problem] = []
        for change in changes:
            if not isinstance(change, OverrideChange):
                key = f"answers:{name_key(change.respondent.name)}"  # one file per person
                if key not in files:
                    files[key] = _answers_for_editing(root, change.respondent, today, cache)
            else:
                key = "overrides"
                if key not in files:
                    files[key] = _overrides_for_editing(root, cache)
            editing = files[key]
            before = editing.entry(change.practice_id)
            where = f"{editing.section}.{change.practice_id}"
            if change.if_match is not None and change.if_match != tag(before):
                conflicts.append(
                    Problem("changed by someone else since it was read", editing.path, None, where)
                )
                continue
            try:
                if isinstance(change, AnswerChange):
                    # An answers file holds answers only: anything else is not saved.
                    saved = before if isinstance(before, AnswerEntry) else None
                    after: AnswerEntry | Override | None = change.applied_to(saved)
                elif isinstance(change, AnswerWithdrawal):
                    after = None
                else:
                    after = change.override
            except ValidationError as error:
                problems += [
                    Problem(
                        p.message, editing.path, None, f"{where}.{p.field}" if p.field else where
                    )
                    for p in validation_problems(error, None, editing.path)
                ]
                continue
            except ValueError as error:
                problems.append(Problem(str(error), editing.path, None, where))
                continue
            editing.put(change.practice_id, after, order)
            applied.append(Applied(editing.path, change.practice_id, before, after))
        if conflicts:
            raise ChangeConflict(conflicts + problems, hint="read the saved entry again")
        if problems:
            raise InputError(problems)
        for editing in files.values():
            editing.write(cache)
    return tuple(applied)


# --- the files, as round-trip YAML -------------------------------------------------------------


ANSWER_FIELDS = ("answer", "note", "evidence", "reason")
"""The fields of an answer, in the order they are written."""
OVERRIDE_FIELDS = ("answer", "justification", "evidence")
"""The fields of an override, in the order they are written."""


class _Editing:
    """One file read under the lock, changed in memory, written once when changed."""

    def __init__(
        self,
        path: Path,
        data: CommentedMap,
        section: str,
        model: type[AnswersFile] | type[Assessment],
        *,
        is_changed: bool = False,
    ) -> None:
        self.path = path
        self.data = data
        self.section = section
        self.model = model
        self.is_changed = is_changed

    def entry(self, practice_id: str) -> AnswerEntry | Override | None:
        records = self.data.get(self.section)
        if not isinstance(records, Mapping) or practice_id not in records:
            return None
        if self.section == "answers":
            return AnswerEntry.model_validate(records[practice_id])
        return Override.model_validate(records[practice_id])

    def put(
        self, practice_id: str, entry: AnswerEntry | Override | None, order: Mapping[str, int]
    ) -> None:
        records = self.data.get(self.section)
        if not isinstance(records, CommentedMap):
            records = CommentedMap()
            self.data[self.section] = records
        self.is_changed = True
        if entry is None:
            if practice_id in records:
                _delete(records, practice_id)
            return
        if not records:
            records.fa.set_block_style()  # `answers: {}` becomes one practice per line
        existing = records.get(practice_id)
        if isinstance(entry, AnswerEntry):
            record = existing if isinstance(existing, CommentedMap) else CommentedMap()
            fields: Mapping[str, Any] = {
                "answer": str(entry.answer),
                "note": entry.note,
                "evidence": list(entry.evidence),
                "reason": entry.reason,
            }
            _set_fields(record, fields, ANSWER_FIELDS)
        else:
            if isinstance(existing, CommentedMap):
                record = existing
            else:  # written like the example in assessment.yaml: one line per override
                record = CommentedMap()
                record.fa.set_flow_style()
            fields = {
                "answer": str(entry.answer),
                "justification": entry.justification,
                "evidence": list(entry.evidence),
            }
            _set_fields(record, fields, OVERRIDE_FIELDS)
        _put_in_order(records, practice_id, record, order)

    def write(self, cache: ReadCache | None = None) -> None:
        if not self.is_changed:
            return
        try:
            model = self.model.model_validate(self.data)
        except ValidationError as error:  # a bug: every change was checked on its own
            raise AssertionError(f"{self.path}: {error}") from None
        text = write_yaml(self.path, self.data)
        if cache is not None:
            cache.written(self.path, text, self.data, model)


def _set_fields(record: CommentedMap, fields: Mapping[str, Any], order: Sequence[str]) -> None:
    """Write ``fields`` into ``record`` in place (its comments stay); empty ones are removed."""
    rank = {name: position for position, name in enumerate(order)}
    for name, value in fields.items():
        if not value:
            if name in record:
                _delete(record, name)
            continue
        if isinstance(value, list):
            sequence = CommentedSeq(value)
            previous = record.get(name)
            if not isinstance(previous, CommentedSeq) or previous.fa.flow_style():
                sequence.fa.set_flow_style()  # a person's one-per-line list stays so
            value = sequence
        _put_in_order(record, name, value, rank)


# Comment lines written above a key are kept by ruamel.yaml at the end of the entry before it.
# The three functions below move them along when an entry is inserted, replaced or deleted, so
# that a comment stays above the practice (or field) it was written for.


def _put_in_order(mapping: CommentedMap, key: str, value: Any, order: Mapping[str, int]) -> None:
    """Set ``key``; a new key goes before the first key that comes after it in ``order``."""
    keys = list(mapping)
    if key in mapping:
        if mapping[key] is not value:
            above_next = _take_trailing_comments(mapping, key)
            mapping[key] = value
            _give_trailing_comments(mapping, key, above_next)
        return
    rank = order.get(key, len(order))
    position = next(
        (i for i, existing in enumerate(keys) if order.get(existing, len(order)) > rank),
        len(keys),
    )
    mapping.insert(position, key, value)
    if position > 0:
        _give_trailing_comments(mapping, key, _take_trailing_comments(mapping, keys[position - 1]))


def _delete(mapping: CommentedMap, key: str) -> None:
    """Remove ``key``; the comments above the key after it stay there."""
    keys = list(mapping)
    position = keys.index(key)
    above_next = _take_trailing_comments(mapping, key)
    del mapping[key]
    if position > 0:
        _give_trailing_comments(mapping, keys[position - 1], above_next)
    elif above_next and mapping:
        _give_start_comments(mapping, above_next)
    if not mapping and mapping.ca.comment and len(mapping.ca.comment) > 1:
        # An empty mapping is written `{}` on its key's line: the comment lines that were
        # above its first entry would come before the `{}` and break the file.
        del mapping.ca.comment[1][:]


def _give_start_comments(mapping: CommentedMap, lines: str) -> None:
    """Put comment ``lines`` above the first entry of ``mapping`` (after the comments already
    there), at the column of its keys."""
    try:
        column = int(mapping.lc.key(next(iter(mapping)))[1])
    except (KeyError, TypeError, AttributeError):  # an entry written by this program
        # Where the mapping's first key was when it was read: its keys are all written there
        # (a file written and changed again without being parsed in between, assess serve).
        column = int(mapping.lc.col) if mapping.lc.col is not None else 0
    text = [line.strip() + "\n" for line in lines.splitlines()]
    comment = mapping.ca.comment
    if comment and len(comment) > 1 and comment[1]:
        # The list the enclosing mapping's entry shares: extended, both print the lines.
        comment[1].extend(CommentToken(line, CommentMark(column), None) for line in text)
    else:
        mapping.yaml_set_start_comment("".join(text), indent=column)


def _comment_slot(mapping: CommentedMap, key: Any) -> tuple[list[Any], int, bool]:
    """Where ruamel.yaml keeps the comment that ends the entry ``key`` of ``mapping``, and
    whether that entry ends with a block scalar (``|`` or ``>``), which takes its own line end."""
    value = mapping[key]
    if isinstance(value, CommentedMap) and value and not value.fa.flow_style():
        return _comment_slot(value, list(value)[-1])
    if isinstance(value, CommentedSeq) and value and not value.fa.flow_style():
        last = len(value) - 1
        if isinstance(value[last], CommentedMap) and value[last]:
            return _comment_slot(value[last], list(value[last])[-1])
        block = isinstance(value[last], LiteralScalarString | FoldedScalarString)
        return value.ca.items.setdefault(last, [None, None, None, None]), 0, block
    block = isinstance(value, LiteralScalarString | FoldedScalarString)
    return mapping.ca.items.setdefault(key, [None, None, None, None]), 2, block


def _take_trailing_comments(mapping: CommentedMap, key: Any) -> str:
    """Remove and return the comment lines after the entry ``key`` (its end-of-line comment
    stays)."""
    slots, index, after_block = _comment_slot(mapping, key)
    token = slots[index]
    if token is None:
        return ""
    if after_block:  # every line is a comment line; the first one's indent is in its mark
        slots[index] = None
        return " " * getattr(token.start_mark, "column", 0) + str(token.value)
    end_of_line, _, following = str(token.value).partition("\n")
    if not following:
        return ""
    if end_of_line:
        token.value = end_of_line + "\n"
    else:
        slots[index] = None
    return following


def _give_trailing_comments(mapping: CommentedMap, key: Any, lines: str) -> None:
    """Put comment ``lines`` after the entry ``key``."""
    if not lines:
        return
    slots, index, after_block = _comment_slot(mapping, key)
    token = slots[index]
    if token is None:
        slots[index] = CommentToken(lines if after_block else "\n" + lines, CommentMark(0), None)
    else:
        token.value = str(token.value) + lines


def _find_answers(root: Path, name: str) -> tuple[Path, dict[str, Any], AnswersFile] | None:
    """The answers file of ``name`` (its usual file name is tried first), parsed and read."""
    files = answers_files(root)
    usual = root / ANSWERS_DIR / f"{slug(name)}.yaml"
    for path in sorted(files, key=lambda p: p != usual):
        sheet, data = load_model(AnswersFile, path, limit=ANSWERS)
        if same_name(sheet.respondent.name, name):
            return path, data, sheet
    return None


def _editable(path: Path, cache: ReadCache | None, limit: SizeLimit) -> CommentedMap:
    """The round-trip document of ``path``, just read and validated by the caller: the one
    ``cache`` kept from writing it when the file is still what was written, else parsed."""
    kept = cache.editable(path) if cache is not None else None
    return kept if kept is not None else parse_editable(path, limit=limit)


def _answers_for_editing(
    root: Path, respondent: Respondent, today: date, cache: ReadCache | None = None
) -> _Editing:
    found = _find_answers(root, respondent.name)
    if found is not None:
        path, _, sheet = found
        data = _editable(path, cache, ANSWERS)
        editing = _Editing(path, data, "answers", AnswersFile)
        if respondent.role and not sheet.respondent.role:
            data["respondent"]["role"] = respondent.role
            editing.is_changed = True
        return editing
    data = CommentedMap()
    person = CommentedMap(name=respondent.name)
    if respondent.role:
        person["role"] = respondent.role
    person.fa.set_flow_style()
    data["respondent"] = person
    data["interviewed_at"] = today
    data["answers"] = CommentedMap()
    return _Editing(new_answers_path(root, respondent.name), data, "answers", AnswersFile)


def _overrides_for_editing(root: Path, cache: ReadCache | None) -> _Editing:
    path = root / ASSESSMENT_FILE
    # A broken assessment.yaml is reported, not rewritten.
    load_model(Assessment, path, limit=ASSESSMENT)
    return _Editing(path, _editable(path, cache, ASSESSMENT), "overrides", Assessment)
