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


@pytest.fixture(scope="session")
def made_at():
    """The moment the session's test certificates are made from (whole seconds, UTC)."""
    from datetime import UTC, datetime

    return datetime.now(UTC).replace(microsecond=0)


@pytest.fixture(scope="session")
def pki(made_at):
    """A root and an issuing CA, made once per session."""
    from certgen import Pki

    return Pki.create(made_at)


# The demo's reports, rendered once per session for the report tests.
from report_fixtures import demo_run  # noqa: E402

__all__ = ["demo_run"]
