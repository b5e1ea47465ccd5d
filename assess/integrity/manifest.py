"""The report manifest: build it from a workspace, and check a workspace against it.

Input paths are written relative to the workspace, so a manifest reads the same on every
machine and names no folder of the consultant's disk; a questionnaire bundled with the tool is
``bundled:questionnaires/<id>.yaml``, the shipped schedule ``bundled:schedules/cmmm.yaml``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from assess.inputs.layout import narrative_files
from assess.inputs.questionnaire import builtin_dir
from assess.inputs.schedule import shipped_path
from assess.inputs.workspace import ASSESSMENT_FILE, EVIDENCE_DIR, Workspace, answers_files
from assess.model.manifest import (
    EmbeddedDigest,
    InputFile,
    InputRole,
    Manifest,
    report_id,
)
from assess.model.result import Result
from assess.support.errors import InputError, Problem
from assess.support.files import read_bytes

BUNDLED_PREFIX = "bundled:"


def sha256_hex(data: bytes) -> str:
    """Lowercase hex SHA-256."""
    return hashlib.sha256(data).hexdigest()


def input_label(path: Path, root: Path) -> str:
    """How the manifest names an input file: relative to the workspace, or ``bundled:…``."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(root.resolve()).as_posix()
    except ValueError:
        pass
    bundled = builtin_dir().resolve()
    if bundled in resolved.parents:
        return BUNDLED_PREFIX + "questionnaires/" + resolved.relative_to(bundled).as_posix()
    schedules = shipped_path().parent.resolve()
    if schedules in resolved.parents:
        return BUNDLED_PREFIX + "schedules/" + resolved.relative_to(schedules).as_posix()
    # A questionnaire beside the workspace (``file: ../shared/q.yaml``): as written, relative.
    return Path(os.path.relpath(resolved, root.resolve())).as_posix()


def workspace_inputs(workspace: Workspace) -> list[tuple[InputRole, Path]]:
    """Every input file of a workspace with its role, in manifest order."""
    root = workspace.root
    return [
        (InputRole.QUESTIONNAIRE, workspace.questionnaire_path),
        *((InputRole.QUESTIONNAIRE, base) for base in workspace.questionnaire_bases),
        (InputRole.ASSESSMENT, root / ASSESSMENT_FILE),
        *((InputRole.ANSWERS, root / name) for name in sorted(workspace.answers)),
        *((InputRole.EVIDENCE, path) for path in workspace.evidence_files),
        *((InputRole.NARRATIVE, path) for path in workspace.narrative_files),
    ]


def build_manifest(
    workspace: Workspace,
    result_document: bytes,
    result: Result,
    attachments: Sequence[tuple[str, bytes]],
    *,
    mask_path: Callable[[str], str] | None = None,
    baseline: tuple[Path, bytes] | None = None,
    schedule: tuple[Path, bytes] | None = None,
) -> Manifest:
    """The manifest of a report: its inputs as they are now, the result and the attachments.

    ``mask_path`` rewrites input paths for a redacted copy (``answers/PERSON-1.yaml``).
    ``baseline`` is the file given with ``--baseline`` and the bytes the report was made from:
    an input like the others, so that ``assess verify --workspace`` sees it change; so is
    ``schedule``, the schedule file the result and the forecast were computed with.
    """
    files = [(role, path, read_bytes(path)) for role, path in workspace_inputs(workspace)]
    if baseline is not None:
        files.append((InputRole.BASELINE, *baseline))
    if schedule is not None:
        files.append((InputRole.SCHEDULE, *schedule))
    inputs = []
    for role, path, data in files:
        label = input_label(path, workspace.root)
        inputs.append(
            InputFile(
                role=role,
                path=mask_path(label) if mask_path is not None else label,
                sha256=sha256_hex(data),
                size=len(data),
            )
        )
    return Manifest(
        tool=result.tool,
        report_id=report_id(result_document),
        evaluated_at=result.evaluated_at,
        result_sha256=sha256_hex(result_document),
        inputs=tuple(inputs),
        attachments=tuple(
            EmbeddedDigest(name=name, sha256=sha256_hex(data), size=len(data))
            for name, data in attachments
        ),
        is_redacted=mask_path is not None,
    )


def _current_file(label: str, root: Path) -> Path:
    if label.startswith(BUNDLED_PREFIX + "schedules/"):
        return shipped_path().parent / label.removeprefix(BUNDLED_PREFIX + "schedules/")
    if label.startswith(BUNDLED_PREFIX):
        return builtin_dir() / label.removeprefix(BUNDLED_PREFIX).removeprefix("questionnaires/")
    return root / label


def _workspace_files(root: Path) -> list[str]:
    """Answers files, evidence bundles and narrative files now in the workspace (found the way
    loading does)."""
    found = [
        *answers_files(root),
        *sorted((root / EVIDENCE_DIR).glob("*.json")),
        *narrative_files(root),
    ]
    return [p.relative_to(root).as_posix() for p in found]


def check_inputs(manifest: Manifest, root: Path) -> tuple[list[str], list[str]]:
    """Compare a workspace with a manifest: (what matches, what does not), in plain words.

    A redacted manifest masks the paths, so its inputs are matched by role and hash instead.
    """
    if not root.is_dir():
        raise InputError(Problem("no such workspace folder", file=root))
    held: list[str] = []
    problems: list[str] = []
    present = _workspace_files(root)
    if manifest.is_redacted:
        by_hash: dict[str, str] = {}
        for label in [ASSESSMENT_FILE, *present]:
            path = root / label
            if path.is_file():
                by_hash.setdefault(sha256_hex(path.read_bytes()), label)
        matched = set()
        for entry in manifest.inputs:
            found = by_hash.get(entry.sha256)
            if found is None and entry.role is InputRole.QUESTIONNAIRE:
                found = _find_questionnaire(entry.sha256, root)
            if found is None and entry.role in (InputRole.BASELINE, InputRole.SCHEDULE):
                found = _find_baseline(entry, root)
            if found is None:
                problems.append(
                    f"{entry.role.value} input {entry.path} (sha256 {entry.sha256[:12]}…) is not "
                    "in the workspace: it changed or was removed since the report was made"
                )
            else:
                matched.add(found)
        added = [p for p in present if p not in matched]
    else:
        listed = {entry.path for entry in manifest.inputs}
        for entry in manifest.inputs:
            path = _current_file(entry.path, root)
            if not path.is_file():
                problems.append(_gone(entry))
            elif sha256_hex(path.read_bytes()) != entry.sha256:
                problems.append(f"{_named(entry)} changed since the report was made")
        added = [p for p in present if p not in listed]
    problems.extend(f"{p} was added to the workspace after the report was made" for p in added)
    if not problems:
        baseline = [e.path for e in manifest.inputs if e.role is InputRole.BASELINE]
        held.append(
            f"the workspace still holds the {len(manifest.inputs)} input files the report was "
            "made from, unchanged"
            + (f", the baseline {baseline[0]} among them" if baseline else "")
        )
    return held, problems


def _named(entry: InputFile) -> str:
    """An input as a problem names it; the baseline says what it is, since it sits anywhere."""
    if entry.role is InputRole.BASELINE:
        return f"the baseline result {entry.path} (the progress section compares with it)"
    if entry.role is InputRole.SCHEDULE:
        return f"the schedule file {entry.path} (the lifetime caps and the forecast read it)"
    return entry.path


def _gone(entry: InputFile) -> str:
    """The problem of an input that is no longer where the manifest says."""
    if entry.role in (InputRole.BASELINE, InputRole.SCHEDULE):
        return f"{_named(entry)} is missing: no such file relative to the workspace"
    return f"{entry.path} is no longer in the workspace"


def _find_baseline(entry: InputFile, root: Path) -> str | None:
    """A redacted copy's baseline (or schedule): at its path when that was not masked, else any
    JSON (YAML) file of the workspace with its hash."""
    at = _current_file(entry.path, root)
    if at.is_file() and sha256_hex(at.read_bytes()) == entry.sha256:
        return entry.path
    pattern = "*.json" if entry.role is InputRole.BASELINE else "*.y*ml"
    for path in sorted(root.rglob(pattern)):
        if path.is_file() and sha256_hex(path.read_bytes()) == entry.sha256:
            return path.relative_to(root).as_posix()
    return None


def _find_questionnaire(sha256: str, root: Path) -> str | None:
    candidates = [*root.glob("*.yaml"), *builtin_dir().glob("*.yaml")]
    for path in candidates:
        if path.is_file() and sha256_hex(path.read_bytes()) == sha256:
            return path.name
    return None
