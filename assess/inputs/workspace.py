"""The assessment workspace: one folder holding assessment.yaml, answers/ and evidence/.

Reading checks every file and cross-reference and reports all problems at once. Answers and
overrides are written by assess.inputs.changes; the file names are in assess.inputs.layout.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from assess.inputs import questionnaire as questionnaires
from assess.inputs.changes import AnswerChange, apply_changes, find_answers
from assess.inputs.layout import (
    ANSWERS_DIR,
    ASSESSMENT_FILE,
    EVIDENCE_DIR,
    answers_files,
    new_answers_path,
    slug,
)
from assess.model.questionnaire import Questionnaire
from assess.model.workspace import AnswerEntry, AnswersFile, Assessment, Respondent
from assess.support.errors import InputError, Problem
from assess.support.yamlio import line_of, load_model, write_yaml

__all__ = [
    "ANSWERS_DIR",
    "ASSESSMENT_FILE",
    "EVIDENCE_DIR",
    "AnswersDocument",
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
    write_yaml(target_file, data)
    return target_file


def load_workspace(root: Path) -> Workspace:
    """Read a workspace and check every cross-reference; all problems are raised together."""
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
    assessment, assessment_data = load_model(Assessment, assessment_path)
    loaded = _load_questionnaire(root, assessment, assessment_data, assessment_path)
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
        try:
            sheet, data = load_model(AnswersFile, path)
        except InputError as error:
            problems.extend(error.problems)
            continue
        for practice_id in sheet.answers:
            if practice_id not in questionnaire.practices:
                problems.append(
                    _unknown_practice(
                        practice_id,
                        questionnaire,
                        path,
                        line_of(data, ("answers", practice_id)),
                        "answers",
                    )
                )
        name = sheet.respondent.name
        if name in respondents:
            problems.append(
                Problem(
                    f"respondent '{name}' already has answers in {respondents[name]}",
                    file=path,
                    line=line_of(data, ("respondent", "name")),
                    field="respondent.name",
                )
            )
        respondents[name] = relative
        answers[relative] = sheet
    if problems:
        raise InputError(problems)
    evidence_files = tuple(sorted((root / EVIDENCE_DIR).glob("*.json")))
    bases = []
    base = loaded.base
    while base is not None:
        bases.append(base.path)
        base = base.base
    return Workspace(
        root, assessment, questionnaire, loaded.path, answers, evidence_files, tuple(bases)
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
    root: Path, assessment: Assessment, data: CommentedMap, path: Path
) -> questionnaires.LoadedQuestionnaire:
    reference = assessment.questionnaire
    if reference.file is not None:
        loaded = questionnaires.load(root / reference.file)
    else:
        try:
            loaded = questionnaires.load(questionnaires.resolve(reference.id))
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


class AnswersDocument:
    """One respondent's answers file, as the form import (``assess.forms.merge_into``) uses it.

    Reads come from disk each time; writes go through :func:`apply_changes`, so they merge with
    other writers. Kept until the import builds its :class:`AnswerChange` list itself.
    """

    def __init__(self, workspace: Workspace, respondent: Respondent, *, today: date) -> None:
        self._workspace = workspace
        self._respondent = respondent
        self._today = today
        found = find_answers(workspace.root, respondent.name)
        self.path = found[0] if found else new_answers_path(workspace.root, respondent.name)
        """The answers file (the one a new respondent will get, until it is written)."""

    @classmethod
    def open(cls, workspace: Workspace, name: str, role: str, *, today: date) -> AnswersDocument:
        """The answers file of ``name`` in ``workspace``; written with the first answer.

        An existing file for the same respondent is found by the name inside it, whatever the
        file is called; ``role`` is written into it when it has none.
        """
        return cls(workspace, Respondent(name=name, role=role), today=today)

    @property
    def sheet(self) -> AnswersFile:
        """The content saved now."""
        found = find_answers(self._workspace.root, self._respondent.name)
        return found[1] if found else AnswersFile(respondent=self._respondent)

    def put_many(self, entries: Mapping[str, AnswerEntry]) -> None:
        """Replace the saved answers of these practices whole, in one atomic write."""
        applied = apply_changes(
            self._workspace.root,
            self._workspace.questionnaire,
            [AnswerChange.replacing(self._respondent, p, entry) for p, entry in entries.items()],
            today=self._today,
        )
        if applied:
            self.path = applied[0].path
