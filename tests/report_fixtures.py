"""Shared inputs for the report tests: a small assessment with every kind of judgement, the demo
and the signed mini report made once per test run, and helpers to read PDFs."""

from __future__ import annotations

import io
import json
import logging
import os
import shutil
from collections.abc import Callable
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


MADE_ONCE_WAIT_SECONDS = 600.0
"""How long a worker waits for another to make a shared folder (a demo render under load
takes well under a minute)."""


def made_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]
) -> Path:
    """A copy of the folder ``make`` fills, made once for the whole test run.

    Under pytest-xdist each worker has a session of its own, so a session fixture would be
    made once per worker; instead the first worker to get here calls ``make`` in the run's
    base temporary folder (the one above the workers' own, the pattern xdist documents) while
    the others wait on its lock, and every worker then gets a copy of its own, so no test sees
    another worker's changes. Without xdist, the folder is made in the session's base folder.
    """
    from assess.support.files import exclusive_lock

    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    shared = base / f"made-once-{name}"
    lock = base / f"made-once-{name}.lock"
    lock.mkdir(exist_ok=True)
    with exclusive_lock(lock, timeout=MADE_ONCE_WAIT_SECONDS):
        if not shared.exists():
            work = base / f"made-once-{name}.{os.getpid()}"
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir()
            make(work)
            work.rename(shared)  # whole or not at all: a failed make leaves nothing shared
    copy = tmp_path_factory.mktemp(name) / name
    shutil.copytree(shared, copy)
    return copy


@dataclass(frozen=True)
class DemoRun:
    """The demo as ``assess demo`` wrote it."""

    root: Path
    html: bytes
    pdf: bytes
    json: bytes
    stdout: str
    warnings: tuple[str, ...]


def _make_demo(folder: Path) -> None:
    """``assess demo`` into ``folder/cmmm-demo``, with what it printed and WeasyPrint's
    warnings beside it."""
    collector = WeasyPrintWarnings()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        result = run_cli("demo", "--out", str(folder / "cmmm-demo"))
    finally:
        logger.removeHandler(collector)
    assert result.exit_code == 0, result.output
    (folder / "stdout.txt").write_text(result.stdout, encoding="utf-8")
    (folder / "warnings.json").write_text(json.dumps(collector.messages), encoding="utf-8")


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    """``assess demo`` run once for the whole test run (the PDF takes seconds), shared by the
    xdist workers (``made_once``)."""
    made = made_once(tmp_path_factory, "demo", _make_demo)
    out = made / "cmmm-demo"
    reports = out / "reports"
    return DemoRun(
        root=out,
        html=(reports / "report.html").read_bytes(),
        pdf=(reports / "report.pdf").read_bytes(),
        json=(reports / "result.json").read_bytes(),
        stdout=(made / "stdout.txt").read_text(encoding="utf-8"),
        warnings=tuple(json.loads((made / "warnings.json").read_text(encoding="utf-8"))),
    )


def self_signed(folder: Path, name: str) -> tuple[Path, Path]:
    """An RSA 2048 key and a self-signed certificate for ``name``, made with cryptography
    directly (not with ``assess keygen``), written to ``folder``: (key, certificate)."""
    from datetime import UTC, datetime, timedelta

    from certgen import key_pem
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    slug = name.lower().replace(" ", "-")
    key_path, cert_path = folder / f"{slug}.key", folder / f"{slug}.pem"
    key_path.write_bytes(key_pem(key))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


@dataclass(frozen=True)
class SignedMini:
    """The complete mini report (``COMPLETE_ANSWERS``), as PDF, signed with ``assess sign`` in
    its first sign-off box; the files are this worker's own copies."""

    root: Path
    """A folder of this worker's own, for the tests' files."""
    workspace: Path
    unsigned: bytes
    signed: bytes
    key: Path
    """The signer's key (``cert``'s): to sign more copies."""
    cert: Path
    stranger: Path
    """The certificate of someone else, who signed nothing."""


def _make_signed_mini(folder: Path) -> None:
    workspace = mini_report_workspace(folder / "ws", COMPLETE_ANSWERS)  # complete: not a draft
    unsigned = folder / "r.pdf"
    result = run_cli("report", workspace, "-f", "pdf", "--at", REPORT_DAY, "-o", unsigned)
    assert result.exit_code == 0, result.output
    keys = folder / "keys"
    keys.mkdir()
    key, cert = self_signed(keys, "Ann Auditor")
    self_signed(keys, "Mallory Stranger")
    result = run_cli("sign", unsigned, "--key", key, "--cert", cert, "--out", folder / "s.pdf")
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="session")
def signed_mini(tmp_path_factory: pytest.TempPathFactory) -> SignedMini:
    """The signed mini report, rendered and signed once for the whole test run (``made_once``):
    the integrity and tampering tests all start from these bytes."""
    root = made_once(tmp_path_factory, "signed-mini", _make_signed_mini)
    keys = root / "keys"
    return SignedMini(
        root=root,
        workspace=root / "ws",
        unsigned=(root / "r.pdf").read_bytes(),
        signed=(root / "s.pdf").read_bytes(),
        key=keys / "ann-auditor.key",
        cert=keys / "ann-auditor.pem",
        stranger=keys / "mallory-stranger.pem",
    )


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
