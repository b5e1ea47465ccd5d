"""The pages: dashboard, interview, facilitator, evidence, roadmap and report.

Each handler gathers what its template shows into plain values; the templates only lay them
out (autoescaped). The live parts of a page are fragments the page's script fetches again when
the workspace's fingerprint changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from assess.inputs.interview import ANSWER_KEYS, SCALE_MEANINGS
from assess.model.levels import SCALE, WRITABLE_ANSWERS, Answer
from assess.model.result import Flag, PracticeResult, Result
from assess.render.view.formatting import level_text, percent, score_text
from assess.support.errors import InputError
from assess.web.context import Served, served
from assess.web.respondents import Person, people, person
from assess.web.state import Snapshot

ANSWER_WORDS: dict[Answer, str] = {
    Answer.NOT: "not",
    Answer.PARTIALLY: "partially",
    Answer.LARGELY: "largely",
    Answer.FULLY: "fully",
    Answer.UNKNOWN: "unknown",
    Answer.NA: "n/a",
    Answer.UNANSWERED: "unanswered",
}
"""How an answer reads on a page."""

MEANINGS: dict[Answer, str] = {
    **SCALE_MEANINGS,
    Answer.UNKNOWN: "the respondent does not know",
    Answer.NA: "does not apply here (say why)",
}
"""What each answer means, as the interview explains it."""


def render(context: Served, name: str, request: Request, **values: Any) -> str:
    """A template rendered with what every page needs."""
    return context.templates.get_template(name).render(
        csrf=context.access.csrf, path=request.url.path, **values
    )


def page(
    context: Served, name: str, request: Request, status: int = 200, **values: Any
) -> HTMLResponse:
    """A whole page."""
    return HTMLResponse(render(context, name, request, **values), status_code=status)


async def snapshot_or_page(request: Request) -> Snapshot | HTMLResponse:
    """The workspace read and scored, or the page naming what is wrong with its files."""
    context = served(request)
    try:
        return await run_in_threadpool(context.live.snapshot)
    except InputError as error:
        return page(
            context,
            "broken.html.j2",
            request,
            status=500,
            title="The workspace has a problem",
            problems=context.problems(error),
        )


# --- dashboard -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DimensionRow:
    """One dimension on the dashboard."""

    id: str
    title: str
    level: str
    score: str
    target: int
    gap: int
    answered: int
    total: int


@dataclass(frozen=True)
class Divergence:
    """A practice the respondents disagree on."""

    id: str
    title: str
    answers: str
    """Who said what, in words."""


def _answered(practices: tuple[PracticeResult, ...]) -> int:
    return sum(1 for p in practices if p.answer is not Answer.UNANSWERED)


def dashboard_values(snapshot: Snapshot) -> dict[str, Any]:
    """What the dashboard shows."""
    result = snapshot.result
    rows = [
        DimensionRow(
            d.id,
            d.title,
            level_text(d.level, d.level_name),
            score_text(d.score),
            d.target,
            d.gap,
            _answered(d.practices),
            len(d.practices),
        )
        for d in result.dimensions
    ]
    total = sum(row.total for row in rows)
    divergent = [
        Divergence(
            p.id,
            p.title,
            "; ".join(f"{r.respondent}: {ANSWER_WORDS[r.answer]}" for r in p.respondents),
        )
        for d in result.dimensions
        for p in d.practices
        if Flag.DIVERGENT in p.flags
    ]
    radar, gaps = snapshot.charts
    return {
        "result": result,
        "overall_level": level_text(result.overall.level, result.overall.level_name),
        "overall_score": score_text(result.overall.score),
        "target_score": score_text(result.overall.target_score),
        "rows": rows,
        "answered": total - result.unanswered,
        "total": total,
        "share": percent((total - result.unanswered) / total if total else None),
        "respondents": [(r.name, r.role, r.answered) for r in result.respondents],
        "actions": result.immediate_actions,
        "divergent": divergent,
        "radar": radar,
        "gaps": gaps,
        "fingerprint": snapshot.fingerprint,
    }


async def dashboard(request: Request) -> Response:
    """``/``: the dashboard."""
    snapshot = await snapshot_or_page(request)
    if isinstance(snapshot, Response):
        return snapshot
    values = await run_in_threadpool(dashboard_values, snapshot)
    return page(served(request), "dashboard.html.j2", request, title="Dashboard", **values)


async def fragment(request: Request) -> Response:
    """``/fragment/{name}?known=FP``: a live part of a page, 204 while the workspace is as
    the page last saw it."""
    context = served(request)
    current = await run_in_threadpool(context.live.fingerprint)
    if request.query_params.get("known") == current:
        return Response(status_code=204)
    name = request.path_params["name"]
    snapshot = await snapshot_or_page(request)
    if isinstance(snapshot, Response):
        return snapshot
    if name == "dashboard":
        html = snapshot.rendered.get("dashboard", "")
        if not html:
            values = await run_in_threadpool(dashboard_values, snapshot)
            html = snapshot.rendered["dashboard"] = render(
                context, "dashboard_live.html.j2", request, **values
            )
    elif name == "facilitator":
        found = facilitator_values(snapshot, request.query_params.get("practice"))
        if found is None:
            return Response("no such practice", status_code=404)
        html = render(context, "facilitator_live.html.j2", request, **found)
    else:
        return Response("no such fragment", status_code=404)
    return HTMLResponse(html, headers={"X-Fingerprint": snapshot.fingerprint})


# --- interview -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """One practice on the interview page, with the respondent's saved answer."""

    id: str
    title: str
    question: str
    guidance: str
    level: str
    suggestion: str
    saved: Answer | None
    note: str
    evidence: str
    reason: str
    etag: str


@dataclass(frozen=True)
class Section:
    """One dimension on the interview page."""

    id: str
    title: str
    answered: int
    questions: list[Question]


def interview_values(snapshot: Snapshot, who: Person) -> dict[str, Any]:
    """What the interview page of one respondent shows."""
    from assess.inputs.changes import tag

    questionnaire = snapshot.workspace.questionnaire
    sections = []
    first_open = None
    for dimension in questionnaire.dimensions:
        questions = []
        for p in dimension.practices:
            entry = who.sheet.answers.get(p.id)
            suggestion = snapshot.suggestions.get(p.id)
            if entry is None and first_open is None:
                first_open = p.id
            questions.append(
                Question(
                    p.id,
                    p.title,
                    p.question,
                    p.guidance.strip(),
                    f"level {p.level} {questionnaire.level_label(p.level)}",
                    ANSWER_WORDS[suggestion] if suggestion is not None else "",
                    entry.answer if entry else None,
                    entry.note if entry else "",
                    ", ".join(entry.evidence) if entry else "",
                    entry.reason if entry else "",
                    tag(entry),
                )
            )
        answered = sum(1 for q in questions if q.saved is not None)
        sections.append(Section(dimension.id, dimension.title, answered, questions))
    total = sum(len(s.questions) for s in sections)
    return {
        "who": who,
        "sections": sections,
        "answered": sum(s.answered for s in sections),
        "total": total,
        "first_open": first_open or "",
        "choices": [(a, ANSWER_KEYS[a], ANSWER_WORDS[a], MEANINGS[a]) for a in WRITABLE_ANSWERS],
        "scale": [(ANSWER_WORDS[a], MEANINGS[a]) for a in SCALE],
        "fingerprint": snapshot.fingerprint,
    }


async def respondents_page(request: Request) -> Response:
    """``/interview``: pick or add a respondent (``POST``: add, then go to their page; a name
    refused is said on the page, 400)."""
    context = served(request)
    problem = ""
    if request.method == "POST":
        from assess.web.api import add_named

        form = await request.form()
        name, role = str(form.get("name", "")), str(form.get("role", ""))
        problem = "" if name.strip() else "Give the respondent's name."
        if not problem:
            try:
                document, _ = await run_in_threadpool(add_named, context, name, role)
            except InputError as error:
                problem = "; ".join(context.problems(error))
            else:
                return RedirectResponse(f"/interview/{document['id']}", status_code=303)
    snapshot = await snapshot_or_page(request)
    if isinstance(snapshot, Response):
        return snapshot
    return page(
        context,
        "respondents.html.j2",
        request,
        status=400 if problem else 200,
        title="Interview",
        people=people(snapshot.workspace),
        problem=problem,
    )


async def interview(request: Request) -> Response:
    """``/interview/{respondent}``: every practice, the saved answers, resume at the first
    unanswered one."""
    context = served(request)
    snapshot = await snapshot_or_page(request)
    if isinstance(snapshot, Response):
        return snapshot
    who = person(snapshot.workspace, request.path_params["respondent"])
    if who is None:
        return page(
            context,
            "broken.html.j2",
            request,
            status=404,
            title="No such respondent",
            problems=[f"no respondent '{request.path_params['respondent']}' in this workspace"],
        )
    values = interview_values(snapshot, who)
    return page(
        context, "interview.html.j2", request, title=f"Interview: {who.respondent.name}", **values
    )


# --- facilitator -----------------------------------------------------------------------------


def facilitator_values(snapshot: Snapshot, practice_id: str | None) -> dict[str, Any] | None:
    """One practice with every respondent's answer; ``None`` for an unknown practice."""
    result: Result = snapshot.result
    order = [p for d in result.dimensions for p in d.practices]
    if not order:
        return None
    index = 0
    if practice_id:
        index = next((i for i, p in enumerate(order) if p.id == practice_id), -1)
        if index < 0:
            return None
    practice = order[index]
    definition = snapshot.workspace.questionnaire.practices[practice.id]
    answers = {r.respondent: r for r in practice.respondents}
    rows = []
    for who in people(snapshot.workspace):
        given = answers.get(who.respondent.name)
        rows.append(
            (
                who.respondent.name,
                who.respondent.role,
                ANSWER_WORDS[given.answer] if given else "unanswered",
                given.note if given else "",
                ", ".join(given.evidence) if given else "",
                given.reason if given else "",
            )
        )
    from assess.inputs.changes import tag

    override = snapshot.workspace.assessment.overrides.get(practice.id)
    return {
        "practice": practice,
        "guidance": definition.guidance.strip(),
        "rows": rows,
        "is_divergent": Flag.DIVERGENT in practice.flags,
        "flag_reasons": practice.flag_reasons,
        "consolidated": ANSWER_WORDS[practice.consolidated_answer],
        "counted": ANSWER_WORDS[practice.answer],
        "override": override,
        "override_tag": tag(override),
        "position": index + 1,
        "count": len(order),
        "previous": order[index - 1].id if index > 0 else "",
        "next": order[index + 1].id if index + 1 < len(order) else "",
        "all": [(p.id, p.title) for p in order],
        "override_choices": [(a.value, ANSWER_WORDS[a]) for a in WRITABLE_ANSWERS],
        "fingerprint": snapshot.fingerprint,
    }


async def facilitator(request: Request) -> Response:
    """``/facilitator?practice=ID``: one practice for the projector, and the override."""
    context = served(request)
    snapshot = await snapshot_or_page(request)
    if isinstance(snapshot, Response):
        return snapshot
    values = facilitator_values(snapshot, request.query_params.get("practice"))
    if values is None:
        return page(
            context,
            "broken.html.j2",
            request,
            status=404,
            title="No such practice",
            problems=[f"no practice '{request.query_params.get('practice')}' in the questionnaire"],
        )
    return page(
        context,
        "facilitator.html.j2",
        request,
        title="Facilitator",
        problems=[],
        **values,
    )


async def override(request: Request) -> Response:
    """``POST /facilitator/override``: set, replace or withdraw the assessor's override."""
    from assess.inputs.changes import ChangeConflict, OverrideChange, apply_changes
    from assess.inputs.interview import split_references
    from assess.model.workspace import Override

    context = served(request)
    form = await request.form()
    practice_id = str(form.get("practice", ""))
    snapshot = await snapshot_or_page(request)
    if isinstance(snapshot, Response):
        return snapshot
    if practice_id not in snapshot.workspace.questionnaire.practices:
        return Response("no such practice", status_code=404)
    problems: list[str] = []
    new: Override | None = None
    if form.get("action") != "withdraw":
        justification = str(form.get("justification", "")).strip()
        if not justification:
            problems.append("An override needs a justification: say why it replaces the answers.")
        try:
            new = Override(
                answer=Answer(str(form.get("answer", ""))),
                justification=justification or "-",
                evidence=split_references(str(form.get("evidence", ""))),
            )
        except ValueError as error:
            problems.append(f"answer: {error}")
    if not problems:
        change = OverrideChange(practice_id, new, if_match=str(form.get("if_match", "")) or None)
        try:
            await run_in_threadpool(
                apply_changes,
                context.root,
                snapshot.workspace.questionnaire,
                [change],
                today=context.clock(),
                cache=context.live.cache,
            )
        except ChangeConflict:
            problems.append(
                "Someone changed this override since you opened the page: nothing was saved. "
                "The override saved now is shown; enter yours again to replace it."
            )
        except InputError as error:
            problems += context.problems(error)
        else:
            return RedirectResponse(f"/facilitator?practice={practice_id}", status_code=303)
    snapshot = await snapshot_or_page(request)
    if isinstance(snapshot, Response):
        return snapshot
    values = facilitator_values(snapshot, practice_id)
    assert values is not None
    return page(
        context,
        "facilitator.html.j2",
        request,
        status=409 if any("Someone" in p for p in problems) else 400,
        title="Facilitator",
        problems=problems,
        **values,
    )


# --- roadmap ---------------------------------------------------------------------------------


async def roadmap(request: Request) -> Response:
    """``/roadmap``: the roadmap by phase."""
    snapshot = await snapshot_or_page(request)
    if isinstance(snapshot, Response):
        return snapshot
    phases: dict[int, list[Any]] = {}
    for step in snapshot.result.roadmap:
        phases.setdefault(step.phase, []).append(step)
    return page(
        served(request),
        "roadmap.html.j2",
        request,
        title="Roadmap",
        phases=sorted(phases.items()),
        words=ANSWER_WORDS,
    )
