"""The web app: routes, static files and the guard around them."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from assess.support.resources import data_dir
from assess.web import api, pages
from assess.web.context import Served, page_templates
from assess.web.events import Changes
from assess.web.security import Access, BodyTooLarge, Guard, too_large
from assess.web.state import LiveWorkspace


def create_app(live: LiveWorkspace, access: Access, changes: Changes | None = None) -> ASGIApp:
    """The app serving workspace ``live`` to whoever holds ``access.token``; ``changes`` pushes
    the workspace's changes to the pages (made here when not given)."""
    from assess.web import deliverables, uploads

    routes = [
        Route("/", pages.dashboard),
        Route("/interview", pages.respondents_page, methods=["GET", "POST"]),
        Route("/interview/{respondent}", pages.interview),
        Route("/facilitator", pages.facilitator),
        Route("/facilitator/override", pages.override, methods=["POST"]),
        Route("/evidence", uploads.evidence),
        Route("/evidence/upload", uploads.upload, methods=["POST"]),
        Route("/roadmap", pages.roadmap),
        Route("/report", deliverables.report),
        Route("/download/{name}", deliverables.download),
        Route("/fragment/{name}", pages.fragment),
        Route("/api/result", api.result),
        Route("/api/fingerprint", api.fingerprint),
        Route("/api/events", api.events),
        Route("/api/respondents", api.respondents, methods=["GET", "POST"]),
        Route("/api/answers/{respondent}", api.answers),
        Route("/api/answers/{respondent}/{practice}", api.answer, methods=["GET", "PUT"]),
        Mount("/static", StaticFiles(directory=data_dir("templates") / "web" / "static")),
    ]
    app = Starlette(routes=routes, exception_handlers={BodyTooLarge: too_large})
    changes = changes if changes is not None else Changes(live)
    app.state.served = Served(live, access, page_templates(), live.clock, changes)
    return Guard(_PokeAfterWrites(app, changes), access)


class _PokeAfterWrites:
    """Wakes the changes' watcher when a request that may write (not GET or HEAD) has been
    answered, so the pages hear of an answer saved here at once."""

    def __init__(self, app: ASGIApp, changes: Changes) -> None:
        self.app = app
        self.changes = changes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        finally:
            if scope["type"] == "http" and scope["method"] not in ("GET", "HEAD"):
                self.changes.poke()
