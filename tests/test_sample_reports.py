"""sample_reports/ holds the demo's reports as `assess demo` writes them; fail when they drift.

HTML and JSON are compared byte for byte. The PDF is compared by what it says and carries
(page count, the text of every page, bookmarks, attachments, title): its bytes are reproducible
on one machine (see test_report_pdf.py), but they also depend on the exact WeasyPrint, Pango,
HarfBuzz and font versions installed, which a content comparison does not.
Regenerate on purpose with: UPDATE_GOLDEN=1 python -m pytest tests/test_sample_reports.py
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from report_fixtures import outline_titles, page_texts, pdf_reader

pytestmark = pytest.mark.slow  # renders the demo's reports

SAMPLES = Path(__file__).parent.parent / "sample_reports"
HINT = (
    "sample_reports/ drifted: look at the new reports, then "
    "UPDATE_GOLDEN=1 pytest tests/test_sample_reports.py"
)


def _update(demo_run) -> None:
    SAMPLES.mkdir(exist_ok=True)
    (SAMPLES / "demo-report.html").write_bytes(demo_run.html)
    (SAMPLES / "demo-report.pdf").write_bytes(demo_run.pdf)
    (SAMPLES / "demo-result.json").write_bytes(demo_run.json)


def test_html_and_json_match(demo_run):
    if os.environ.get("UPDATE_GOLDEN"):
        _update(demo_run)
    assert (SAMPLES / "demo-report.html").read_bytes() == demo_run.html, HINT
    assert (SAMPLES / "demo-result.json").read_bytes() == demo_run.json, HINT


def test_pdf_says_and_carries_the_same(demo_run):
    committed = (SAMPLES / "demo-report.pdf").read_bytes()
    assert page_texts(committed) == page_texts(demo_run.pdf), HINT
    assert outline_titles(committed) == outline_titles(demo_run.pdf), HINT
    old, new = pdf_reader(committed), pdf_reader(demo_run.pdf)
    assert old.attachments == new.attachments, HINT
    assert old.metadata.title == new.metadata.title
    assert _flavour(old) == _flavour(new), HINT


def _flavour(reader) -> tuple[str, bool, list[str]]:
    """What kind of PDF a sample is: its PDF/A identification, whether it is tagged, and its
    signature fields."""
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    ids = "".join(sorted(re.findall(r'pdfaid:\w+="[^"]*"', xmp)))
    form = root.get("/AcroForm")
    fields = [str(f.get_object()["/T"]) for f in form["/Fields"]] if form else []
    return ids, "/StructTreeRoot" in root, fields


# The demo's progress documents, made by `assess compare` and `assess trend` in the demo folder
# (paths relative to it, as docs/demo.md shows).
COMPARE_ARGS = ("compare", "baseline/2026-08-28.result.json", "reports/result.json")
TREND_ARGS = (
    "trend",
    "baseline/2026-05-29.result.json",
    "baseline/2026-08-28.result.json",
    "reports/result.json",
)


def test_progress_samples_match(demo_run, cli, monkeypatch, tmp_path):
    monkeypatch.chdir(demo_run.root)
    fresh = {
        "demo-compare.txt": cli(*COMPARE_ARGS).stdout.encode("utf-8"),
        "demo-compare.html": cli(*COMPARE_ARGS, "-f", "html").stdout.encode("utf-8"),
        "demo-trend.html": cli(*TREND_ARGS, "-f", "html").stdout.encode("utf-8"),
    }
    pdf = tmp_path / "demo-trend.pdf"
    assert cli(*TREND_ARGS, "-o", pdf).exit_code == 0
    if os.environ.get("UPDATE_GOLDEN"):
        for name, data in fresh.items():
            (SAMPLES / name).write_bytes(data)
        (SAMPLES / "demo-trend.pdf").write_bytes(pdf.read_bytes())
    for name, data in fresh.items():
        assert (SAMPLES / name).read_bytes() == data, HINT
    committed = (SAMPLES / "demo-trend.pdf").read_bytes()
    assert page_texts(committed) == page_texts(pdf.read_bytes()), HINT
    assert pdf_reader(committed).attachments == pdf_reader(pdf.read_bytes()).attachments, HINT


def _redacted_demo(demo_run, folder: Path) -> bytes:
    from report_fixtures import run_cli

    from assess.publish import demo

    out = folder / "redacted.pdf"
    baseline = demo_run.root / demo.BASELINE
    at = demo.EVALUATED_AT.isoformat()
    args = ("report", demo_run.root, "--redact", "-f", "pdf", "--at", at, "-o", out)
    result = run_cli(*args, "--baseline", baseline)
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def test_the_redacted_sample_says_the_same(demo_run, tmp_path):
    fresh = _redacted_demo(demo_run, tmp_path)
    if os.environ.get("UPDATE_GOLDEN"):
        (SAMPLES / "demo-report-redacted.pdf").write_bytes(fresh)
    committed = (SAMPLES / "demo-report-redacted.pdf").read_bytes()
    assert page_texts(committed) == page_texts(fresh), HINT
    assert pdf_reader(committed).attachments == pdf_reader(fresh).attachments, HINT


def _docx_parts(data: bytes) -> dict[str, bytes]:
    """The Word report's parts; its chart images by their pixel size only (their pixels
    depend on the Cairo and FreeType versions that drew them, as a PDF's glyphs do)."""
    import io
    import struct
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {
            name: struct.pack(">II", *struct.unpack(">II", blob[16:24]))
            if name.startswith("word/media/")
            else blob
            for name in package.namelist()
            for blob in [package.read(name)]
        }


def test_the_word_sample_says_the_same(demo_run, tmp_path):
    from report_fixtures import run_cli

    from assess.publish import demo

    out = tmp_path / "demo-report.docx"
    args = ("report", demo_run.root, "-f", "docx", "--at", demo.EVALUATED_AT.isoformat())
    result = run_cli(*args, "--baseline", demo_run.root / demo.BASELINE, "-o", out)
    assert result.exit_code == 0, result.output
    if os.environ.get("UPDATE_GOLDEN"):
        (SAMPLES / "demo-report.docx").write_bytes(out.read_bytes())
    committed = (SAMPLES / "demo-report.docx").read_bytes()
    assert _docx_parts(committed) == _docx_parts(out.read_bytes()), HINT


def test_the_signed_sample_verifies(cli):
    """The signed sample is the demo report signed once with a throwaway key (its certificate
    is committed); it is not regenerated, only checked: see sample_reports/README.md."""
    import pytest

    pytest.importorskip("pyhanko")
    signed, cert = SAMPLES / "demo-report-signed.pdf", SAMPLES / "demo-signer-cert.pem"
    result = cli("verify", signed, "--trust", cert)
    assert result.exit_code == 0, result.output
    assert "SELF-SIGNED certificate" in result.stdout
