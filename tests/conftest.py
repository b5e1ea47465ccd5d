"""Shared fixtures: an in-process CLI runner that goes through the real error handling; and a
check, before any test runs, that the system has what the slow tests need."""

from __future__ import annotations

import ctypes.util
import os
import shutil
import subprocess
from collections.abc import Callable

import pytest
from typer.testing import CliRunner, Result

from assess.cli import app


def _has_library(name: str) -> bool:
    return ctypes.util.find_library(name) is not None


def _font_families() -> set[str]:
    if shutil.which("fc-list") is None:
        return set()
    listed = subprocess.run(
        ["fc-list", ":", "family"], capture_output=True, text=True, check=False
    ).stdout
    return {name.strip() for line in listed.splitlines() for name in line.split(",")}


def missing_system_packages() -> list[str]:
    """The Debian packages the PDF tests need that this machine lacks (.ci/run installs them):
    Pango for WeasyPrint, HarfBuzz's subsetter for reproducible PDFs, the report's fonts, the
    CJK glyphs the hostile-text test renders, Cairo for the Word report's charts and LibreOffice
    to open the Word report."""
    fonts = _font_families()
    needs = {
        "libpango-1.0-0": _has_library("pango-1.0"),
        "libpangoft2-1.0-0": _has_library("pangoft2-1.0"),
        "libharfbuzz-subset0": _has_library("harfbuzz-subset"),
        "fontconfig": shutil.which("fc-list") is not None,
        "fonts-dejavu-core": "DejaVu Sans" in fonts,
        "fonts-dejavu-extra": "DejaVu Sans Condensed" in fonts,
        "fonts-wqy-microhei": "WenQuanYi Micro Hei" in fonts,
        # CairoSVG rasterises the Word report's charts; LibreOffice converts the Word report to
        # PDF in the slow test that checks Word-compatible software opens it.
        "libcairo2": _has_library("cairo"),
        "libreoffice-writer-nogui": shutil.which("soffice") is not None,
    }
    return [package for package, present in needs.items() if not present]


def missing_browser() -> list[str]:
    """The Debian package the browser tests need when this machine lacks it (.ci/run installs
    it): chromium, which Playwright drives by its path."""
    return [] if shutil.which("chromium") else ["chromium"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Stop once, naming the packages to install, when slow (PDF) tests are to run on a machine
    without them: one clear message instead of a failure in every PDF test. Browser tests are
    skipped, saying which package to install, where chromium is missing; in CI (``CI`` set)
    that is an error instead, since .ci/run installs it."""
    browser = missing_browser()
    if browser and any(item.get_closest_marker("browser") for item in items):
        install = f"sudo apt-get install {' '.join(browser)}"
        if os.environ.get("CI"):
            raise pytest.UsageError(f"the browser tests need chromium: {install}")
        skip = pytest.mark.skip(reason=f"needs Debian's chromium: {install}")
        for item in items:
            if item.get_closest_marker("browser"):
                item.add_marker(skip)
    if not any(item.get_closest_marker("slow") for item in items):
        return
    missing = missing_system_packages()
    if missing:
        raise pytest.UsageError(
            "the slow tests render PDFs and need system packages this machine lacks. On Debian "
            f"or Ubuntu: sudo apt-get install {' '.join(missing)}\n"
            "Or run only the fast tests: python -m pytest -m 'not slow'"
        )


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


# The demo's reports and the signed mini report, made once per test run for the report tests.
from report_fixtures import demo_run, signed_mini  # noqa: E402

__all__ = ["demo_run", "signed_mini"]
