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
        options = Options(
            respondent=str(form.get("respondent", "")),
            role=str(form.get("role", "")),
            mode=str(form.get("mode", "")),
            mapping=tuple(str(form.get("map", "")).splitlines()),
            date_format=str(form.get("date_format", "")),
            collected_at=str(form.get("collected_at", "")),
        )
        try:
            lines = await run_in_threadpool(_take, context, kind, file.filename, data, options)
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


@dataclass(frozen=True)
class Options:
    """What the upload form says besides the file: the options of ``assess answers import``
    (a form) and ``assess evidence import`` (a scanner file), as typed (blank: not given)."""

    respondent: str = ""
    """``--respondent``: who filled the form in."""
    role: str = ""
    """``--role``: their role, replacing the form's."""
    mode: str = ""
    """``merge`` (``--merge``), ``replace`` (``--replace``) or blank."""
    mapping: tuple[str, ...] = ()
    """``--map COLUMN=FIELD``, one a line."""
    date_format: str = ""
    """``--date-format LAYOUT``."""
    collected_at: str = ""
    """``--collected-at TIME``."""

    def given(self, text: str) -> str | None:
        """An option as typed, ``None`` when left blank."""
        return text.strip() or None


def _take(
    context: Served, kind: str, filename: str, data: bytes, options: Options
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
                return _form(context, path, options)
            return _import(context, path, ImportFormat(kind), options)
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


def _import(context: Served, path: Path, format: ImportFormat, options: Options) -> tuple[str, ...]:
    from assess.evidence.bundles import write_bundle
    from assess.evidence.importers.registry import open_import

    opened = open_import(
        format.value,
        path,
        mapping=[line for line in options.mapping if line.strip()],
        date_format=options.given(options.date_format),
        collected_at=options.given(options.collected_at),
    )
    bundle = path.with_name(f"{path.stem}-{format.value}.json")
    summary = write_bundle(bundle, opened.collector)
    target = _add_bundle(context, bundle, bundle.name)
    return (
        f"imported {path.name} into {EVIDENCE_DIR}/{target.name}: "
        f"{summary.observations} observations, {summary.certificates} certificates",
        *(f"note: {note}" for note in opened.reader.notes()),
    )


def _form(context: Served, path: Path, options: Options) -> tuple[str, ...]:
    from assess.forms.merge import ImportMode, import_form

    snapshot = context.live.snapshot()
    done = import_form(
        context.root,
        snapshot.workspace.questionnaire,
        path,
        " ".join(options.respondent.split()),
        {"merge": ImportMode.MERGE, "replace": ImportMode.REPLACE}.get(options.mode),
        role=options.role,
        today=context.clock(),
    )
    warnings = tuple(f"warning: {w}" for w in done.form.warnings)
    if done.summary is None:
        return (done.nothing_written(path.name), *warnings)
    return (
        f"imported {path.name} for {done.summary.respondent}: {done.summary.describe()}",
        *warnings,
    )
