"""Shared fixtures: an in-process CLI runner that goes through the real error handling."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from typer.testing import CliRunner, Result

from assess.cli import app


@pytest.fixture
def cli() -> Callable[..., Result]:
    """Run `assess ARGS…` in-process; returns the result with exit code, stdout and stderr."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        return runner.invoke(
            app, [str(a) for a in args], input=input, env=env, catch_exceptions=False
        )

    return invoke


# The demo's reports, rendered once per session for the report tests.
from report_fixtures import demo_run  # noqa: E402

__all__ = ["demo_run"]
