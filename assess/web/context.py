"""What every handler of the web app shares: the workspace served, the access rules, the page
templates and the clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import cast

import jinja2
from starlette.requests import Request

from assess.support.errors import InputError, Problem
from assess.support.resources import data_dir
from assess.web.events import Changes
from assess.web.security import Access
from assess.web.state import LiveWorkspace


def page_templates() -> jinja2.Environment:
    """The pages' templates (``templates/web/``): autoescaped, undefined names are errors."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(data_dir("templates") / "web")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


@dataclass(frozen=True)
class Served:
    """One workspace served."""

    live: LiveWorkspace
    """The workspace."""
    access: Access
    """Token, hosts and CSRF token."""
    templates: jinja2.Environment
    """The pages' templates."""
    clock: Callable[[], date]
    """Today (``SOURCE_DATE_EPOCH`` honoured): the evaluation date and new files' date."""
    changes: Changes
    """The workspace's changes, pushed to the pages (``/api/events``)."""

    @property
    def root(self) -> Path:
        """The workspace folder."""
        return self.live.root

    def problems(self, error: InputError) -> list[str]:
        """The problems of an error as the CLI words them, files named from the workspace."""
        return [str(self.relative(p)) for p in error.problems]

    def relative(self, problem: Problem) -> Problem:
        """``problem`` with its file named relative to the workspace when inside it."""
        if problem.file is None:
            return problem
        try:
            name = problem.file.resolve().relative_to(self.root.resolve())
        except (ValueError, OSError):
            return problem
        return Problem(problem.message, name, problem.line, problem.field)


def served(request: Request) -> Served:
    """The workspace a request is about."""
    return cast(Served, request.app.state.served)
