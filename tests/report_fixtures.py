"""Shared inputs for the report tests: a small assessment with every kind of judgement, the demo
rendered once per test session, and helpers to read PDFs."""

from __future__ import annotations

import io
import logging
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from factories import mini_workspace
from typer.testing import CliRunner

from assess.cli import app

REPORT_DAY = "2026-11-27"

MINI_ANSWERS: dict[str, dict[str, Any]] = {
    "Jane Doe": {
        "INV-01": {
            "answer": "fully",
            "note": "Spreadsheet kept by operations",
            "evidence": ["wiki/pki"],
        },
        "INV-02": {"answer": "largely"},
        "INV-03": {"answer": "partially"},
        "AUT-01": {"answer": "fully", "note": "acme.sh on the web farm"},
        "AUT-02": {"answer": "na", "reason": "No public TLS in scope"},
    },
    "Bob Roe": {
        "INV-01": {"answer": "partially"},
        "INV-02": {"answer": "not"},
        "AUT-01": {"answer": "partially"},
        "AUT-02": {"answer": "na", "reason": "Only internal services"},
        "AUT-03": {"answer": "unknown"},
    },
}
COMPLETE_ANSWERS: dict[str, dict[str, Any]] = {
    **MINI_ANSWERS,
    "Jane Doe": {
        **MINI_ANSWERS["Jane Doe"],
        "INV-04": {"answer": "not"},
        "AUT-04": {"answer": "partially"},
    },
}
"""``MINI_ANSWERS`` with the two practices nobody answered answered: a complete assessment,
whose report has sign-off boxes (the mini one is a draft)."""
MINI_OVERRIDES = {
    "INV-02": {
        "answer": "largely",
        "justification": "Seen the inventory on 2026-11-20",
        "evidence": ["CHG-1"],
    },
}


def mini_report_workspace(
    root: Path, answers: dict[str, dict[str, Any]] | None = None, **fields: Any
) -> Path:
    """The mini questionnaire with two respondents, an override, an N/A, a divergence, notes."""
    fields.setdefault("overrides", MINI_OVERRIDES)
    fields.setdefault("assessors", ["Ann Auditor"])
    return mini_workspace(root, answers or MINI_ANSWERS, **fields)


class WeasyPrintWarnings(logging.Handler):
    """Collects WARNING+ records of the weasyprint loggers."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith("weasyprint"):
            self.messages.append(record.getMessage())


def run_cli(*args: str) -> Any:
    """Run ``assess ARGS…`` in-process (for session fixtures, where ``cli`` is not available)."""
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


@dataclass(frozen=True)
class DemoRun:
    """The demo as ``assess demo`` wrote it."""

    root: Path
    html: bytes
    pdf: bytes
    json: bytes
    stdout: str
    warnings: tuple[str, ...]


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoRun]:
    """``assess demo`` run once for the whole session (the PDF takes a few seconds)."""
    out = tmp_path_factory.mktemp("demo") / "cmmm-demo"
    collector = WeasyPrintWarnings()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        result = run_cli("demo", "--out", str(out))
    finally:
        logger.removeHandler(collector)
    assert result.exit_code == 0, result.output
    reports = out / "reports"
    yield DemoRun(
        root=out,
        html=(reports / "report.html").read_bytes(),
        pdf=(reports / "report.pdf").read_bytes(),
        json=(reports / "result.json").read_bytes(),
        stdout=result.stdout,
        warnings=tuple(collector.messages),
    )
    shutil.rmtree(out, ignore_errors=True)


def pdf_reader(data: bytes) -> Any:
    """A pypdf reader over PDF bytes."""
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(data))


def page_texts(data: bytes) -> list[str]:
    """The text of every page, extracted with pypdfium2 (independent of WeasyPrint)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        return [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()


def outline_titles(data: bytes) -> list[tuple[int, str]]:
    """The PDF bookmarks as (depth, title)."""
    reader = pdf_reader(data)
    found: list[tuple[int, str]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, str(item.title)))

    walk(reader.outline, 0)
    return found


DEMO_SECTIONS = (
    "1 Executive summary",
    "2 Progress since the last assessment",
    "3 Immediate actions",
    "4 Scope, criteria and method",
    "5 Results at a glance",
    "6 Results by dimension",
    "7 Roadmap",
    "8 Scan evidence",
    "9 Readiness for shorter lifetimes and post-quantum",
    "10 Assessor judgements and diverging opinions",
    "11 Conclusion and sign-off",
    "A Embedded files and verification",
    "B How to verify this report",
)
"""The demo report's top-level sections with a baseline, as method.md and report.md list them:
the PDF's outline and the Word report's headings both follow them."""
