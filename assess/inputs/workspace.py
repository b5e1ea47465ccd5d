"""The assessment workspace: one folder holding assessment.yaml, answers/ and evidence/.

Reading checks every file and cross-reference and reports all problems at once. Answers and
overrides are written by assess.inputs.changes; the file names are in assess.inputs.layout.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from assess.inputs import questionnaire as questionnaires
from assess.inputs.layout import (
    ANSWERS_DIR,
    ASSESSMENT_FILE,
    EVIDENCE_DIR,
    NARRATIVE_CONCLUSION,
    NARRATIVE_DIR,
    NARRATIVE_SUMMARY,
    answers_files,
    evidence_files,
    input_file_problem,
    narrative_files,
    slug,
)
from assess.model.questionnaire import Questionnaire
from assess.model.workspace import AnswersFile, Assessment, Narrative, name_key
from assess.support.errors import InputError, Problem
from assess.support.files import atomic_write, read_text
from assess.support.limits import ANSWERS, ASSESSMENT, NARRATIVE
from assess.support.yamlio import (
    line_of,
    load_model,
    parse_yaml,
    plain_document,
    validation_problems,
    write_yaml,
)

__all__ = [
    "ANSWERS_DIR",
    "ASSESSMENT_FILE",
    "EVIDENCE_DIR",
    "NARRATIVE_DIR",
    "ReadCache",
    "Workspace",
    "answers_files",
    "init_workspace",
    "load_workspace",
    "slug",
]


@dataclass(frozen=True)
class Workspace:
    """A loaded, cross-checked workspace."""

    root: Path
    """The workspace folder."""
    assessment: Assessment
    """assessment.yaml."""
    questionnaire: Questionnaire
    """The questionnaire the assessment uses."""
    questionnaire_path: Path
    """The questionnaire file that was loaded."""
    answers: dict[str, AnswersFile]
    """Answers files by path relative to the workspace (``answers/jane-doe.yaml``)."""
    evidence_files: tuple[Path, ...]
    """Evidence bundles (``evidence/*.json``), sorted."""
    questionnaire_bases: tuple[Path, ...] = ()
    """The files the questionnaire extends (docs/tailoring.md), nearest first."""
    narrative: Narrative = field(default_factory=Narrative)
    """The assessor's narrative (``narrative/*.md``)."""
    narrative_files: tuple[Path, ...] = ()
    """The narrative files read, sorted."""


_T = TypeVar("_T")


def file_signature(path: Path) -> tuple[int, int, int, int] | None:
    """What tells a file changed: inode, size, modification and change times (an atomic write
    makes a new inode); ``None`` when it cannot be read."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)


class ReadCache:
    """What :func:`load_workspace` read from each file, reused while the file is unchanged, and
    the round-trip document of each file the writer (assess.inputs.changes) last wrote.

    A long-running reader (``assess serve``) loads the workspace after every answer saved; with
    a cache it parses again only the files that changed, and the writer rewrites a file it
    wrote itself without parsing it again. Read values are immutable models and parsed YAML
    that :func:`load_workspace` only reads. A questionnaire is keyed by its own file (a base it
    extends is not watched). Safe to share between threads.
    """

    def __init__(self) -> None:
        self._entries: dict[tuple[str, Path], tuple[tuple[int, int, int, int], Any]] = {}
        self._editable: dict[Path, tuple[str, CommentedMap]] = {}
        self._lock = threading.Lock()

    def get(self, kind: str, path: Path, read: Callable[[], _T]) -> _T:
        """``read()``, or what it returned last for ``path`` when the file has not changed."""
        signature = file_signature(path)
        if signature is None:
            return read()
        with self._lock:
            hit = self._entries.get((kind, path))
        if hit is not None and hit[0] == signature:
            value: _T = hit[1]
            return value
        value = read()
        with self._lock:
            self._entries[(kind, path)] = (signature, value)
        return value

    def written(
        self, path: Path, text: str, data: CommentedMap, model: AnswersFile | Assessment
    ) -> None:
        """Remember what a writer holding the write lock has just written to ``path``: the
        ``text``, the round-trip ``data`` it was dumped from (handed back by
        :meth:`editable`), and the ``model`` validated from it, which the next load takes from
        here instead of parsing the file again."""
        signature = file_signature(path)
        document = plain_document(text)
        kind = "answers" if isinstance(model, AnswersFile) else "assessment"
        with self._lock:
            self._editable[path] = (text, data)
            if signature is None or document is None:
                self._entries.pop((kind, path), None)
                return
            value: Any = (document, model, []) if kind == "answers" else (model, document)
            self._entries[(kind, path)] = (signature, value)

    def editable(self, path: Path) -> CommentedMap | None:
        """The round-trip document last :meth:`written` to ``path``, taken out of the cache
        (the writer changes it in place and gives it back with :meth:`written`), when the file
        still holds exactly the text written: ``None`` once anyone else has changed it."""
        with self._lock:
            kept = self._editable.pop(path, None)
        if kept is None:
            return None
        try:
            is_unchanged = path.read_bytes() == kept[0].encode("utf-8")
        except OSError:
            return None
        return kept[1] if is_unchanged else None


def _cached(cache: ReadCache | None, kind: str, path: Path, read: Callable[[], _T]) -> _T:
    return read() if cache is None else cache.get(kind, path, read)


def _read_answers(path: Path) -> tuple[dict[str, Any], AnswersFile | None, list[Problem]]:
    """An answers file parsed, and its model or why it is not one (unknown practices aside)."""
    data = parse_yaml(path, limit=ANSWERS)
    try:
        return data, AnswersFile.model_validate(data), []
    except ValidationError as error:
        return data, None, validation_problems(error, data, path)


def init_workspace(
    root: Path,
    *,
    organisation: str,
    questionnaire: Questionnaire,
    questionnaire_file: str | None,
    target: int,
    assessors: Iterable[str],
    start: date,
    scope: str = "",
) -> Path:
    """Create a workspace folder; refuses to overwrite an existing assessment."""
    target_file = root / ASSESSMENT_FILE
    if target_file.exists():
        raise InputError(
            Problem("an assessment already exists here", file=target_file),
            hint="choose a new folder, or edit the existing assessment.yaml",
        )
    if root.exists() and not root.is_dir():
        raise InputError(Problem("exists and is not a folder", file=root))
    data = CommentedMap()
    data["organisation"] = organisation
    data["scope"] = scope
    data["assessors"] = CommentedSeq(assessors)
    data["period"] = CommentedMap(start=start)
    questionnaire_ref = CommentedMap(id=questionnaire.id, version=questionnaire.version)
    if questionnaire_file is not None:
        questionnaire_ref["file"] = questionnaire_file
    data["questionnaire"] = questionnaire_ref
    targets = CommentedMap(default=target)
    data["targets"] = targets
    data["evidence_policy"] = "strict"
    data["assurance"] = "self-assessment"
    data["classification"] = "Confidential"
    data["overrides"] = CommentedMap()
    data.yaml_set_start_comment(
        "CMMM assessment. Edit freely: comments are kept.\n"
        "targets: target level per dimension id, 'default' for the rest (1-5).\n"
        "evidence_policy: strict (level 4-5 claims need evidence) or lenient.\n"
        "assurance: self-assessment or assessor-validated (printed on the report cover).\n"
        'overrides: <practice-id>: {answer: partially, justification: "...", evidence: [...]}'
    )
    (root / ANSWERS_DIR).mkdir(parents=True, exist_ok=True)
    (root / EVIDENCE_DIR).mkdir(parents=True, exist_ok=True)
    (root / NARRATIVE_DIR).mkdir(parents=True, exist_ok=True)
    example = root / NARRATIVE_DIR / f"{NARRATIVE_SUMMARY}.md"
    if not example.exists():
        atomic_write(example, NARRATIVE_EXAMPLE)
    write_yaml(target_file, data)
    return target_file


NARRATIVE_EXAMPLE = """\
<!--
Your own words for the report, in Markdown (an HTML comment like this one shows nothing).
  narrative/summary.md         opens the executive summary
  narrative/<dimension-id>.md  your finding for one dimension (ids: assess questionnaire show)
  narrative/conclusion.md      opens the conclusion
Paragraphs, **bold**, *italic*, lists, `code` and headings are shown; HTML and images are not,
and links are printed as text. Example:

The organisation knows where most of its certificates are, but renews them by hand.
-->
"""
"""What ``assess init`` writes into ``narrative/summary.md``: a comment that renders nothing."""


def _load_narrative(
    root: Path, questionnaire: Questionnaire, problems: list[Problem]
) -> tuple[Narrative, tuple[Path, ...]]:
    """The narrative files of a workspace; a file naming no dimension is a problem."""
    summary, conclusion = "", ""
    dimensions: dict[str, str] = {}
    read: list[Path] = []
    for path in narrative_files(root):
        if (refused := input_file_problem(root, path)) is not None:
            problems.append(refused)
            continue
        stem = path.stem
        is_dimension = stem in questionnaire.dimensions_by_id
        if stem not in (NARRATIVE_SUMMARY, NARRATIVE_CONCLUSION) and not is_dimension:
            problems.append(
                Problem(
                    f"names no dimension of questionnaire {questionnaire.id} "
                    f"{questionnaire.version}: a narrative file is {NARRATIVE_SUMMARY}.md, "
                    f"{NARRATIVE_CONCLUSION}.md or <dimension-id>.md "
                    f"(dimension ids: {', '.join(questionnaire.dimensions_by_id)})",
                    file=path,
                )
            )
            continue
        try:
            text = read_text(path, limit=NARRATIVE)
        except InputError as error:
            problems.extend(error.problems)
            continue
        read.append(path)
        if stem == NARRATIVE_SUMMARY:
            summary = text
        elif stem == NARRATIVE_CONCLUSION:
            conclusion = text
        else:
            dimensions[stem] = text
    return Narrative(summary=summary, dimensions=dimensions, conclusion=conclusion), tuple(read)


def load_workspace(root: Path, *, cache: ReadCache | None = None) -> Workspace:
    """Read a workspace and check every cross-reference; all problems are raised together.

    With a ``cache``, files unchanged since it last read them are not parsed again.
    """
    if not root.is_dir():
        raise InputError(
            Problem("no such workspace folder" if not root.exists() else "not a folder", file=root),
            hint="create one with: assess init DIR --org NAME",
        )
    assessment_path = root / ASSESSMENT_FILE
    if not assessment_path.exists():
        raise InputError(
            Problem("missing: this folder is not an assessment workspace", file=assessment_path),
            hint="create one with: assess init DIR --org NAME",
        )
    assessment, assessment_data = _cached(
        cache,
        "assessment",
        assessment_path,
        lambda: load_model(Assessment, assessment_path, limit=ASSESSMENT),
    )
    loaded = _load_questionnaire(root, assessment, assessment_data, assessment_path, cache)
    questionnaire = loaded.questionnaire

    problems: list[Problem] = []
    for key in assessment.targets:
        if key != "default" and key not in questionnaire.dimensions_by_id:
            problems.append(
                Problem(
                    f"unknown dimension '{key}' "
                    f"(known: {', '.join(questionnaire.dimensions_by_id)})",
                    file=assessment_path,
                    line=line_of(assessment_data, ("targets", key)),
                    field=f"targets.{key}",
                )
            )
    for practice_id in assessment.overrides:
        if practice_id not in questionnaire.practices:
            problems.append(
                _unknown_practice(
                    practice_id,
                    questionnaire,
                    assessment_path,
                    line_of(assessment_data, ("overrides", practice_id)),
                    "overrides",
                )
            )

    answers: dict[str, AnswersFile] = {}
    respondents: dict[str, str] = {}
    for path in answers_files(root):
        relative = path.relative_to(root).as_posix()
        if (refused := input_file_problem(root, path)) is not None:
            problems.append(refused)
            continue
        try:
            data, sheet, invalid = _cached(cache, "answers", path, partial(_read_answers, path))
        except InputError as error:
            problems.extend(error.problems)
            continue
        saved = data.get("answers")
        unknown = [
            _unknown_practice(
                str(practice_id),
                questionnaire,
                path,
                line_of(data, ("answers", practice_id)),
                "answers",
            )
            for practice_id in (saved if isinstance(saved, Mapping) else ())
            if str(practice_id) not in questionnaire.practices
        ]
        if sheet is None:
            # Every problem of the file at once, the unknown practice ids included.
            problems.extend(sorted(invalid + unknown, key=lambda p: p.line or 0))
            continue
        problems.extend(unknown)
        name = sheet.respondent.name
        if name_key(name) in respondents:
            problems.append(
                Problem(
                    f"respondent '{name}' already has answers in {respondents[name_key(name)]}",
                    file=path,
                    line=line_of(data, ("respondent", "name")),
                    field="respondent.name",
                )
            )
        respondents[name_key(name)] = relative
        answers[relative] = sheet
    bundles = evidence_files(root)
    problems.extend(p for path in bundles if (p := input_file_problem(root, path)) is not None)
    narrative, narrative_read = _load_narrative(root, questionnaire, problems)
    if problems:
        raise InputError(problems)
    bases = []
    base = loaded.base
    while base is not None:
        bases.append(base.path)
        base = base.base
    return Workspace(
        root,
        assessment,
        questionnaire,
        loaded.path,
        answers,
        tuple(bundles),
        tuple(bases),
        narrative,
        narrative_read,
    )


def _unknown_practice(
    practice_id: str, questionnaire: Questionnaire, path: Path, line: int | None, section: str
) -> Problem:
    return Problem(
        f"unknown practice id '{practice_id}' "
        f"(not in questionnaire {questionnaire.id} {questionnaire.version})",
        file=path,
        line=line,
        field=f"{section}.{practice_id}",
    )


def _load_questionnaire(
    root: Path, assessment: Assessment, data: dict[str, Any], path: Path, cache: ReadCache | None
) -> questionnaires.LoadedQuestionnaire:
    reference = assessment.questionnaire

    def load(file: Path) -> questionnaires.LoadedQuestionnaire:
        return _cached(cache, "questionnaire", file, lambda: questionnaires.load(file))

    if reference.file is not None:
        loaded = load(root / reference.file)
    else:
        try:
            loaded = load(questionnaires.resolve(reference.id))
        except InputError:
            raise InputError(
                Problem(
                    f"unknown questionnaire '{reference.id}'",
                    file=path,
                    line=line_of(data, ("questionnaire", "id")),
                    field="questionnaire.id",
                ),
                hint="use a bundled id (assess questionnaire list) or set questionnaire.file",
            ) from None
    found = loaded.questionnaire
    problems = []
    if found.id != reference.id:
        problems.append(
            Problem(
                f"the questionnaire file {loaded.path} has id '{found.id}', not '{reference.id}'",
                file=path,
                line=line_of(data, ("questionnaire", "id")),
                field="questionnaire.id",
            )
        )
    if found.version != reference.version:
        problems.append(
            Problem(
                f"the assessment uses {reference.id} version {reference.version}, "
                f"but {loaded.path} is version {found.version}",
                file=path,
                line=line_of(data, ("questionnaire", "version")),
                field="questionnaire.version",
            )
        )
    if problems:
        raise InputError(
            problems,
            hint="set questionnaire.version to rescore against the installed version, or put "
            "the questionnaire the answers were given against in the workspace and point "
            "questionnaire.file at it",
        )
    return loaded
