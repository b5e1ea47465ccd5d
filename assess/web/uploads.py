"""The evidence page and uploads: an evidence bundle, a filled answer form or a third-party
scanner file, checked by the same code as the CLI, so the messages are the same (sheet and
cell, file and line), and written only inside the workspace under a sanitised name."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from assess.evidence.importers.formats import ImportFormat
from assess.inputs.layout import EVIDENCE_DIR, slug
from assess.model.result import Flag
from assess.support.errors import InputError, Problem
from assess.support.files import exclusive_lock
from assess.web.context import Served, served
from assess.web.pages import page, snapshot_or_page
from assess.web.state import Snapshot

UPLOAD_DIR = ".assess-uploads"
"""Where an upload waits inside the workspace while it is checked (removed after)."""
BUNDLE = "bundle"
FORM = "form"


@dataclass(frozen=True)
class Outcome:
    """What an upload did, or why it did nothing."""

    is_ok: bool
    lines: tuple[str, ...]


def kinds() -> list[tuple[str, str]]:
    """The kinds of upload the form offers: value and description."""
    return [
        (BUNDLE, "an evidence bundle (written by assess scan or assess evidence import)"),
        (FORM, "a filled answer form (.xlsx or .csv)"),
        *[(f.value, f"{f.value}: {f.description}") for f in ImportFormat],
    ]


def safe_name(filename: str, suffixes: tuple[str, ...]) -> str:
    """A file name made safe: no folder, lower-case letters, digits and dashes, and one of
    ``suffixes``; an InputError naming the upload otherwise."""
    name = PurePosixPath(filename.replace("\\", "/")).name
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in suffixes:
        raise InputError(
            f"{name or 'the upload'}: expected a file ending in {' or '.join(suffixes)}"
        )
    return f"{slug(PurePosixPath(name).stem)}{suffix}"


async def evidence(request: Request) -> Response:
    """``/evidence``: sources, metrics, contradictions, certificates needing attention, and
    the upload form."""
    snapshot = await snapshot_or_page(request)
    if isinstance(snapshot, Response):
        return snapshot
    return page(served(request), "evidence.html.j2", request, **evidence_values(snapshot, None))


def evidence_values(snapshot: Snapshot, outcome: Outcome | None) -> dict[str, Any]:
    """What the evidence page shows."""
    result = snapshot.result
    contradicted = [
        (p.id, p.title, p.flag_reasons.get(Flag.CONTRADICTED.value, ""))
        for d in result.dimensions
        for p in d.practices
        if Flag.CONTRADICTED in p.flags
    ]
    return {
        "title": "Evidence",
        "summary": result.evidence,
        "contradicted": contradicted,
        "kinds": kinds(),
        "outcome": outcome,
    }


async def upload(request: Request) -> Response:
    """``POST /evidence/upload``: check an uploaded file and, when clean, add it."""
    context = served(request)
    form = await request.form()
    file = form.get("file")
    kind = str(form.get("kind", ""))
    if not isinstance(file, UploadFile) or not file.filename:
        outcome = Outcome(False, ("Choose a file to upload.",))
    else:
        data = await file.read()
        try:
            lines = await run_in_threadpool(
                _take,
                context,
                kind,
                file.filename,
                data,
                str(form.get("respondent", "")),
                str(form.get("mode", "")),
            )
            outcome = Outcome(True, lines)
        except InputError as error:
            outcome = Outcome(False, tuple(error.message.splitlines()))
    snapshot = await snapshot_or_page(request)
    if isinstance(snapshot, Response):
        return snapshot
    return page(
        context,
        "evidence.html.j2",
        request,
        status=200 if outcome.is_ok else 400,
        **evidence_values(snapshot, outcome),
    )


def _take(
    context: Served, kind: str, filename: str, data: bytes, respondent: str, mode: str
) -> tuple[str, ...]:
    """Check and add one upload; an InputError whose problems name the file as uploaded."""
    if kind == BUNDLE:
        name = safe_name(filename, (".json",))
    elif kind == FORM:
        name = safe_name(filename, (".xlsx", ".csv"))
    else:
        try:
            ImportFormat(kind)
        except ValueError:
            raise InputError(f"kind: '{kind}' is not a kind of upload") from None
        name = safe_name(filename, (PurePosixPath(filename).suffix.lower() or ".txt",))
    folder = context.root / UPLOAD_DIR / secrets.token_hex(8)
    folder.mkdir(parents=True)
    path = folder / name
    try:
        path.write_bytes(data)
        try:
            if kind == BUNDLE:
                return _bundle(context, path)
            if kind == FORM:
                return _form(context, path, respondent, mode)
            return _import(context, path, ImportFormat(kind))
        except InputError as error:
            raise InputError([_named(p, path) for p in error.problems], hint=error.hint) from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        with contextlib.suppress(OSError):
            (context.root / UPLOAD_DIR).rmdir()


def _named(problem: Problem, path: Path) -> Problem:
    """A problem about the waiting copy, named by the file as uploaded."""
    if problem.file is not None and problem.file.name == path.name:
        return Problem(problem.message, Path(path.name), problem.line, problem.field)
    return problem


def _taken(name: str) -> InputError:
    return InputError(
        f"{EVIDENCE_DIR}/{name} already exists: nothing was written",
        hint="rename the file you upload, or remove the bundle that has the name",
    )


def _add_bundle(context: Served, source: Path, name: str) -> Path:
    """Link ``source`` into evidence/ as ``name``; refused, never overwritten, when taken."""
    target = context.root / EVIDENCE_DIR / name
    with exclusive_lock(context.root):
        try:
            os.link(source, target)
        except FileExistsError:
            raise _taken(name) from None
    return target


def _bundle(context: Served, path: Path) -> tuple[str, ...]:
    from assess.evidence.bundles import load_bundle

    if os.path.lexists(context.root / EVIDENCE_DIR / path.name):
        raise _taken(path.name)  # said before the file is read; the link checks again
    loaded = load_bundle(path)
    target = _add_bundle(context, path, path.name)
    return (
        f"added {EVIDENCE_DIR}/{target.name}: {len(loaded.bundle.observations)} observations "
        f"collected {loaded.bundle.collected_at:%Y-%m-%d}",
    )


def _import(context: Served, path: Path, format: ImportFormat) -> tuple[str, ...]:
    from assess.evidence.bundles import write_bundle
    from assess.evidence.importers.registry import importer_for

    reader = importer_for(format.value)(path, {})
    bundle = path.with_name(f"{path.stem}-{format.value}.json")
    summary = write_bundle(bundle, reader)
    target = _add_bundle(context, bundle, bundle.name)
    return (
        f"imported {path.name} into {EVIDENCE_DIR}/{target.name}: "
        f"{summary.observations} observations, {summary.certificates} certificates",
        *(f"note: {note}" for note in reader.notes()),
    )


def _form(context: Served, path: Path, respondent: str, mode: str) -> tuple[str, ...]:
    from assess.forms.formats import read_form
    from assess.forms.interpret import interpret
    from assess.forms.merge import ImportMode, import_answers
    from assess.model.workspace import Respondent

    name = " ".join(respondent.split())
    if not name:
        raise InputError("respondent: give the name of the person who filled the form in")
    snapshot = context.live.snapshot()
    form = interpret(read_form(path), snapshot.workspace.questionnaire, name)
    if not form.answers:
        return (f"{path.name}: no practice is answered; nothing written",)
    chosen = {"merge": ImportMode.MERGE, "replace": ImportMode.REPLACE}.get(mode)
    summary = import_answers(
        context.root,
        snapshot.workspace.questionnaire,
        Respondent(name=name, role=form.respondent_role),
        form,
        chosen,
        today=context.clock(),
    )
    return (
        f"imported {path.name} for {summary.respondent}: {summary.describe()}",
        *(f"warning: {w}" for w in form.warnings),
    )
