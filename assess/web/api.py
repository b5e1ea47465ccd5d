"""The JSON API (contracts.md, Workshop web app): the result, respondents, one answer."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from assess.inputs.changes import (
    AnswerChange,
    ChangeConflict,
    add_respondent,
    apply_changes,
    find_answers,
    tag,
)
from assess.inputs.interview import read_answer, split_references
from assess.model.workspace import AnswerEntry, Respondent
from assess.support.dates import parse_moment
from assess.support.errors import InputError
from assess.support.jsondoc import document_bytes
from assess.web.context import Served, served
from assess.web.respondents import Person, people, person
from assess.web.state import Snapshot


def problems(status: int, texts: list[str], **more: Any) -> JSONResponse:
    """An error answer: ``{"problems": [...]}``."""
    return JSONResponse({"problems": texts, **more}, status_code=status)


def entry_document(entry: AnswerEntry | None) -> dict[str, Any] | None:
    """A saved answer as the API returns it."""
    return None if entry is None else entry.model_dump(mode="json")


def etag(entry: AnswerEntry | None) -> str:
    """The ETag of a saved answer (the writer's :func:`~assess.inputs.changes.tag`)."""
    return f'"{tag(entry)}"'


async def result(request: Request) -> Response:
    """``GET /api/result[?at=DATE]``: the result document, as ``assess score DIR --json``."""
    at = request.query_params.get("at")
    when = None
    if at is not None:
        moment = parse_moment(at)
        if moment is None:
            return problems(400, [f"at: '{at}' is not an ISO 8601 date (for example 2026-11-30)"])
        when = moment.date()
    context = served(request)
    try:
        snapshot = await run_in_threadpool(context.live.snapshot, when)
    except InputError as error:
        return problems(400, context.problems(error))
    return Response(document_bytes(snapshot.result), media_type="application/json")


async def fingerprint(request: Request) -> Response:
    """``GET /api/fingerprint``: changes whenever a file of the workspace does (for polling)."""
    value = await run_in_threadpool(served(request).live.fingerprint)
    return JSONResponse({"fingerprint": value})


async def events(request: Request) -> Response:
    """``GET /api/events``: ``text/event-stream``, a ``change`` event carrying the fingerprint
    now and at every change (assess/web/events.py); 503 when too many pages listen already."""
    from assess.web.events import MAX_STREAMS

    changes = served(request).changes
    if changes.is_full():
        return problems(
            503, [f"{MAX_STREAMS} pages listen already: this one asks every 0.4 s instead"]
        )
    return StreamingResponse(
        changes.stream(), media_type="text/event-stream", headers={"X-Accel-Buffering": "no"}
    )


async def _respondent(request: Request) -> tuple[Served, Snapshot, Person] | Response:
    """The workspace as it is now and the respondent the path names, or the 400 (a workspace
    the CLI would refuse) or 404 (no such respondent) to answer with."""
    context = served(request)
    try:
        snapshot = await run_in_threadpool(context.live.snapshot)
    except InputError as error:
        return problems(400, context.problems(error))
    who = person(snapshot.workspace, request.path_params["respondent"])
    if who is None:
        return problems(404, [f"no respondent '{request.path_params['respondent']}'"])
    return context, snapshot, who


async def answers(request: Request) -> Response:
    """``GET /api/answers/{respondent}``: every saved answer of a respondent and the ETag of
    every practice (what an interview page checks its answers against)."""
    named = await _respondent(request)
    if isinstance(named, Response):
        return named
    _, snapshot, who = named
    saved = who.sheet.answers
    return JSONResponse(
        {
            "fingerprint": snapshot.fingerprint,
            "answers": {key: entry_document(entry) for key, entry in saved.items()},
            "etags": {
                key: tag(saved.get(key)) for key in snapshot.workspace.questionnaire.practices
            },
        }
    )


async def respondents(request: Request) -> Response:
    """``GET /api/respondents`` and ``POST /api/respondents`` ``{"name", "role"}``."""
    context = served(request)
    if request.method == "GET":
        try:
            snapshot = await run_in_threadpool(context.live.snapshot)
        except InputError as error:
            return problems(400, context.problems(error))
        return JSONResponse([p.document() for p in people(snapshot.workspace)])
    body = await _json_object(request)
    if isinstance(body, Response):
        return body
    name, role = body.get("name"), body.get("role", "")
    if not isinstance(name, str) or not name.strip():
        return problems(400, ["name: give the respondent's name"])
    if not isinstance(role, str):
        return problems(400, ["role: must be text"])
    try:
        document, created = await run_in_threadpool(add_named, context, name, role)
    except InputError as error:
        return problems(400, context.problems(error))
    return JSONResponse(document, status_code=201 if created else 200)


def add_named(context: Served, name: str, role: str) -> tuple[dict[str, str], bool]:
    """Add the respondent ``name`` (spacing tidied), or find them; their document and whether
    they were created."""
    from pydantic import ValidationError

    try:
        respondent = Respondent(name=" ".join(name.split()), role=role.strip())
    except ValidationError as error:
        raise InputError(f"name: {error.errors()[0]['msg']}") from None
    path, created = add_respondent(context.root, respondent, today=context.clock())
    snapshot = context.live.snapshot()
    found = next(
        p for p in people(snapshot.workspace) if (context.root / p.file).resolve() == path.resolve()
    )
    return found.document(), created


async def answer(request: Request) -> Response:
    """``GET`` or ``PUT /api/answers/{respondent}/{practice}``."""
    named = await _respondent(request)
    if isinstance(named, Response):
        return named
    context, snapshot, who = named
    practice_id = request.path_params["practice"]
    if practice_id not in snapshot.workspace.questionnaire.practices:
        return problems(404, [f"no practice '{practice_id}' in the questionnaire"])
    if request.method == "GET":
        entry = who.sheet.answers.get(practice_id)
        return JSONResponse(entry_document(entry), headers={"ETag": etag(entry)})
    body = await _json_object(request)
    if isinstance(body, Response):
        return body
    change = _change(body, who.respondent, practice_id, request.headers.get("if-match"))
    if isinstance(change, list):
        return problems(400, change)
    try:
        applied = await run_in_threadpool(
            apply_changes,
            context.root,
            snapshot.workspace.questionnaire,
            [change],
            today=context.clock(),
            cache=context.live.cache,
        )
    except ChangeConflict as error:
        found = await run_in_threadpool(find_answers, context.root, who.respondent.name)
        saved = found[1].answers.get(practice_id) if found else None
        return problems(
            409,
            context.problems(error),
            saved=entry_document(saved),
            etag=tag(saved),
        )
    except InputError as error:
        return problems(400, context.problems(error))
    after = applied[0].after
    assert after is None or isinstance(after, AnswerEntry)
    return JSONResponse(entry_document(after), headers={"ETag": etag(after)})


def _change(
    body: dict[str, Any], respondent: Respondent, practice_id: str, if_match: str | None
) -> AnswerChange | list[str]:
    """The change a PUT body asks for, or what is wrong with it."""
    wrong: list[str] = []
    unknown = sorted(set(body) - {"answer", "note", "reason", "evidence"})
    wrong += [
        f"{key}: not a field of an answer (answer, note, reason, evidence)" for key in unknown
    ]
    given = body.get("answer")
    answer = read_answer(given) if isinstance(given, str) else None
    if answer is None:
        words = "not, partially, largely, fully, unknown, na (or n, p, l, f, u, a)"
        wrong.append(f"answer: {given!r} is not an answer ({words})")
    texts: dict[str, str | None] = {}
    for key in ("note", "reason"):
        value = body.get(key)
        if value is not None and not isinstance(value, str):
            wrong.append(f"{key}: must be text")
        texts[key] = value if isinstance(value, str) else None
    references = body.get("evidence")
    evidence: tuple[str, ...] | None = None
    if isinstance(references, str):
        evidence = split_references(references)
    elif isinstance(references, list) and all(isinstance(r, str) for r in references):
        evidence = tuple(r.strip() for r in references if r.strip())
    elif references is not None:
        wrong.append("evidence: a list of references, or text separated by commas")
    if wrong or answer is None:
        return wrong
    match = None
    if if_match is not None:
        match = if_match.strip().removeprefix("W/").strip('"')
    return AnswerChange(
        respondent,
        practice_id,
        answer,
        note=texts["note"].strip() if texts["note"] is not None else None,
        evidence=evidence,
        reason=texts["reason"].strip() if texts["reason"] is not None else None,
        if_match=match,
    )


async def _json_object(request: Request) -> dict[str, Any] | Response:
    """The request's JSON object, or the 400 answer saying why it is not one."""
    import json

    try:
        body = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError) as error:
        return problems(400, [f"the body is not JSON: {error}"])
    if not isinstance(body, dict):
        return problems(400, ["the body must be a JSON object"])
    return body
