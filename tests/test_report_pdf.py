"""The PDF report: structure, attachments, metadata, text, pages, reproducibility, URL policy.

The demo is rendered once per session (``demo_run``); the other PDFs are the small mini report.
Any WeasyPrint warning fails the test that caused it.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
from collections.abc import Iterator
from datetime import date
from html import unescape
from pathlib import Path

import pytest
from report_fixtures import (
    COMPLETE_ANSWERS,
    DEMO_SECTIONS,
    REPORT_DAY,
    WeasyPrintWarnings,
    mini_report_workspace,
    outline_titles,
    page_texts,
    pdf_reader,
)

from assess.engine.score import evaluate
from assess.inputs.workspace import load_workspace
from assess.publish.demo import EVALUATED_AT
from assess.publish.report import ReportFormat, render_outputs
from assess.render.html import render_html, template_dirs
from assess.render.pdf import local_only_fetcher, render_pdf
from assess.render.view import build_report
from assess.support.errors import InputError

pytestmark = pytest.mark.slow  # every test renders a PDF


@pytest.fixture(autouse=True)
def no_weasyprint_warnings() -> Iterator[None]:
    collector = WeasyPrintWarnings()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    yield
    logger.removeHandler(collector)
    assert collector.messages == []


def test_the_demo_renders_without_warnings(demo_run):
    assert demo_run.warnings == ()
    assert "wrote" in demo_run.stdout and "report.pdf" in demo_run.stdout


def test_outline_follows_the_contents(demo_run):
    titles = outline_titles(demo_run.pdf)
    top = [title for depth, title in titles if depth == 0]
    assert top == list(DEMO_SECTIONS)
    nested = [title for depth, title in titles if depth == 1]
    assert nested[0] == "6.1 Discovery & Inventory"
    assert any(t.startswith("Phase 1") for t in nested)


def test_attachments_hold_the_score_json_and_the_roadmap(demo_run, cli):
    reader = pdf_reader(demo_run.pdf)
    files = {name: data[0] for name, data in reader.attachments.items()}
    assert sorted(files) == [
        "baseline.json",  # the demo is reported with the previous quarter as its baseline
        "certificate-inventory.csv",
        "forecast.json",
        "manifest.json",
        "result.json",
        "roadmap.csv",
    ]
    forecast = cli("forecast", demo_run.root, "--json", "--at", EVALUATED_AT.isoformat()).stdout
    assert files["forecast.json"] == forecast.encode("utf-8")
    assert (
        files["baseline.json"]
        == (demo_run.root / "baseline" / "2026-08-28.result.json").read_bytes()
    )
    printed = cli("score", demo_run.root, "--json", "--at", EVALUATED_AT.isoformat()).stdout
    assert files["result.json"] == printed.encode("utf-8")
    assert files["result.json"] == demo_run.json
    rows = list(csv.reader(io.StringIO(files["roadmap.csv"].decode("utf-8"))))
    assert rows[0][:3] == ["Order", "Phase", "Practice"]
    document = json.loads(files["result.json"])
    assert len(rows) == 1 + len(document["immediate_actions"]) + len(document["roadmap"])


def test_metadata_and_pdfa_identification(demo_run):
    reader = pdf_reader(demo_run.pdf)
    info = reader.metadata
    assert info.title == "Certificate Management Maturity Assessment — Larkspur Mutual Assurance"
    assert "Priya Raman" in info.author
    assert info["/CreationDate"].startswith("D:20261127")
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    # PDF/A-3a, the tagged level of PDF/A-3, is the default.
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="A"' in xmp


def structure_elements(reader) -> Iterator[dict]:
    """Every structure element of a tagged PDF, in reading order."""
    stack = [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop()
        kids = node.get("/K", [])
        kids = kids if isinstance(kids, list) else [kids]
        elements = [k.get_object() for k in kids if not isinstance(k, int)]
        elements = [e for e in elements if "/S" in e]
        yield from (e for e in elements)
        stack.extend(reversed(elements))


def test_the_default_pdf_is_tagged_with_alternative_text_for_every_chart(demo_run):
    reader = pdf_reader(demo_run.pdf)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en"
    elements = list(structure_elements(reader))
    kinds = [str(e["/S"]) for e in elements]
    for kind in ("/H2", "/P", "/Table", "/TH", "/TD", "/L", "/LI", "/Caption", "/Figure"):
        assert kind in kinds, kind
    # Each chart is an inline SVG with a <title>; the figure's /Alt is that title, word for word.
    html = demo_run.html.decode("utf-8")
    titles = re.findall(r"<svg\b[^>]*>\s*<title\b[^>]*>([^<]+)</title>", html)
    assert len(titles) >= 3  # radar, level grid, gap chart at least
    figures = [e for e in elements if e["/S"] == "/Figure"]
    assert [str(f["/Alt"]) for f in figures] == [unescape(t) for t in titles]
    # Each chart's <figcaption> is a caption in the structure.
    assert kinds.count("/Caption") >= html.count("<figcaption")


def test_the_sign_off_fields_are_tagged_form_fields_over_the_signature_lines(demo_run):
    reader = pdf_reader(demo_run.pdf)
    root = reader.trailer["/Root"]
    form = root["/AcroForm"]
    assert "/NeedAppearances" not in form  # PDF/A forbids it
    tree = root["/StructTreeRoot"]
    nums = tree["/ParentTree"]["/Nums"]
    parents = {nums[i]: nums[i + 1].get_object() for i in range(0, len(nums), 2)}
    fields = [f.get_object() for f in form["/Fields"]]
    assert [str(f["/T"]) for f in fields] == [
        "AssessorSignature",
        "AssessorSignature2",
        "ClientSignature",
    ]
    assert [str(f["/TU"]) for f in fields] == [
        "Signature: Assessor, Priya Raman (Halden & Rowe Advisory)",
        "Signature: Assessor, Tomás Becker (Halden & Rowe Advisory)",
        "Signature: Accepted for Larkspur Mutual Assurance",
    ]
    for field in fields:
        assert field["/FT"] == "/Sig" and "/V" not in field
        assert field["/F"] == 4  # printed, as PDF/A wants
        assert field["/AP"]["/N"].get_object().get_data() == b""  # empty until signed
        # The field covers the signature line: 75 mm wide (the box) and 18 mm high.
        x1, y1, x2, y2 = (float(v) for v in field["/Rect"])
        assert x1 < x2 and y1 < y2
        assert x2 - x1 == pytest.approx(75 / 25.4 * 72, abs=0.5)
        assert y2 - y1 == pytest.approx(18 / 25.4 * 72, abs=0.5)
        # PDF/UA 7.18.4: a widget is the content of a Form structure element, found through its
        # /StructParent; the element refers back to it directly (/K is the object reference).
        element = parents[field["/StructParent"]]
        assert element["/S"] == "/Form"
        reference = element["/K"].get_object()
        assert reference["/Type"] == "/OBJR"
        assert reference["/Obj"].get_object() == field


def test_small_objects_are_stored_100_to_an_object_stream(demo_run):
    """One object stream of 7,000 objects made pyHanko's verify quadratic (objstreams.py)."""
    counts = [int(n) for n in re.findall(rb"/Type /ObjStm\s*/N (\d+)", demo_run.pdf)]
    assert len(counts) > 10 and max(counts) == 100
    reader = pdf_reader(demo_run.pdf)
    assert len(reader.pages) == len(page_texts(demo_run.pdf))


def test_every_page_says_page_x_of_y_and_the_report_id(demo_run):
    texts = page_texts(demo_run.pdf)
    count = len(texts)
    assert 20 <= count <= 40  # a sanity range: 33 pages with evidence, progress and appendix B
    report_id = re.search(r"CMMM-[0-9A-F]{12}", texts[0]).group(0)
    for number, text in enumerate(texts[1:], start=2):
        assert f"Page {number} of {count}" in text
        assert report_id in text
    assert "Page 1 of" not in texts[0]  # the cover has no running footer


def test_the_text_reads_as_a_report(demo_run):
    text = " ".join(" ".join(page_texts(demo_run.pdf)).split())  # lines wrap anywhere
    for expected in (
        "Larkspur Mutual Assurance manages its certificates at level 2 (Basic) overall",
        "ASSESSOR-VALIDATED",
        # 4 of the demo's 12 key files (0644, 0644, 0666 and 0640), the rule in words
        "Private-key files readable by group or others: any · measured 4 of 12 (33.3%)",
        "Only the customer web tier renews through ACME",  # an override's justification
        "Larkspur distributes no software outside the company",  # an N/A reason
        "DO F · MK ? · SL P",  # a divergence, every answer shown
        # KEY-02: the respondents said largely, two RSA-1024 certificates cap it at partially
        "answered Largely, counted Partially",
    ):
        assert expected in text, expected
    contents = page_texts(demo_run.pdf)[1]
    # The contents' page numbers point at the pages that carry the headings.
    for title, page in re.findall(r"(Roadmap|Scan evidence)\s*\.*\s*(\d+)", contents):
        assert title in page_texts(demo_run.pdf)[int(page) - 1]


LEGEND = "n/m: practices met at the level"
GAP_TABLE_HEADER = re.compile(r"Weight\W+Level\W+Score\W+Next\W+Coverage\W+Target")


def test_the_level_grid_legend_is_whole_inside_the_text_column(demo_run):
    """The grid's legend ends before the right margin; once it ran past it, clipped mid-word.

    The right margin is read from the page itself: where the right-aligned running header ends.
    Text drawn beyond it is in the PDF but clipped by the chart's frame, so it is looked for only
    within the text column.
    """
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(demo_run.pdf)
    try:
        (index,) = [i for i, text in enumerate(page_texts(demo_run.pdf)) if LEGEND in text]
        page = document[index]
        textpage = page.get_textpage()
        search = textpage.search("Results at a glance")
        ends = []
        while (hit := search.get_next()) is not None:
            ends.append(textpage.get_charbox(hit[0] + hit[1] - 1)[2])
        right = max(ends)  # the running header, flush with the right margin
        _, height = page.get_size()
        assert LEGEND in textpage.get_text_bounded(0, 0, right + 0.5, height)
    finally:
        document.close()


def test_the_gap_table_is_whole_on_one_page(demo_run):
    """Header, every dimension and the overall row on one page, never split across two."""
    texts = page_texts(demo_run.pdf)
    with_header = [i for i, text in enumerate(texts) if GAP_TABLE_HEADER.search(text)]
    with_total = [i for i, text in enumerate(texts) if "Overall (weighted)" in text]
    assert len(with_header) == 1, with_header  # a header repeated on a second page: split
    assert with_total == with_header
    page = texts[with_header[0]]
    table = page[GAP_TABLE_HEADER.search(page).start() :]
    result = json.loads(demo_run.json)
    for dimension in result["dimensions"]:
        assert dimension["title"] in table.replace("\r\n", " "), dimension["title"]


def test_pages_render_to_images(demo_run, tmp_path):
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(demo_run.pdf)
    try:
        cover = document[0].render(scale=0.5).to_pil().convert("L")
        summary = document[2].render(scale=0.5).to_pil().convert("L")
        radar = document[3].render(scale=0.5).to_pil().convert("L")
    finally:
        document.close()
    cover.save(tmp_path / "cover.png")
    assert cover.size == (298, 421)  # A4 at 36 dpi
    # Ink on the page: the dark level box on the cover, text on the summary's first page and
    # the radar on its second (the first steps table and the radar follow the text).
    assert cover.getextrema()[0] < 60
    assert sum(summary.histogram()[:128]) > 500  # 922 on 2 December 2026
    assert sum(radar.histogram()[:128]) > 500  # 814 on 2 December 2026; a blank page has 0


@pytest.fixture
def mini_pdf_inputs(tmp_path):
    root = mini_report_workspace(tmp_path / "ws")
    workspace = load_workspace(root)
    result = evaluate(workspace, date.fromisoformat(REPORT_DAY))
    return workspace, result


def test_equal_inputs_give_equal_bytes(mini_pdf_inputs):
    workspace, result = mini_pdf_inputs
    first = render_outputs(workspace, result, [ReportFormat.PDF])[0].data
    second = render_outputs(workspace, result, [ReportFormat.PDF])[0].data
    assert first == second


@pytest.fixture
def complete_pdf_inputs(tmp_path):
    """The mini report with every practice answered: a draft would have no sign-off boxes."""
    root = mini_report_workspace(tmp_path / "ws", COMPLETE_ANSWERS)
    workspace = load_workspace(root)
    return workspace, evaluate(workspace, date.fromisoformat(REPORT_DAY))


def test_the_untagged_variant_stays_selectable_with_its_signature_fields(complete_pdf_inputs):
    workspace, result = complete_pdf_inputs
    (output,) = render_outputs(workspace, result, [ReportFormat.PDF], pdf_variant="pdf/a-3u")
    assert "pdf/a-3u" in output.detail
    reader = pdf_reader(output.data)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" not in root and "/MarkInfo" not in root
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfaid:conformance="U"' in xmp
    fields = [f.get_object() for f in root["/AcroForm"]["/Fields"]]
    assert [str(f["/T"]) for f in fields] == ["AssessorSignature", "ClientSignature"]
    assert all(f["/FT"] == "/Sig" and "/StructParent" not in f for f in fields)


def test_the_html_edition_hides_the_pdf_signature_inputs(complete_pdf_inputs):
    workspace, result = complete_pdf_inputs
    html = render_html(build_report(result, workspace.questionnaire))
    assert html.count('class="signature-widget"') == 2
    css = (template_dirs(None)[-1] / "style" / "report.css").read_text()
    assert ".signature-widget { display: none; }" in css


def test_the_fetcher_serves_template_files_and_data_only(tmp_path):
    from weasyprint.urls import FatalURLFetchingError

    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "logo.png").write_bytes(b"\x89PNG")
    fetcher = local_only_fetcher([folder])
    assert fetcher.fetch((folder / "logo.png").as_uri()).read() == b"\x89PNG"
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"
    for refused in ("file:///etc/passwd", "http://127.0.0.1:9/x", (folder / ".." / "x").as_uri()):
        with pytest.raises(FatalURLFetchingError):
            fetcher.fetch(refused)


def test_a_file_url_reaching_weasyprint_is_refused_with_a_clear_error(mini_pdf_inputs):
    # The HTML check runs first in the CLI; here the renderer is called directly, as a second
    # wall behind it.
    _, result = mini_pdf_inputs
    html = '<html><body><img src="file:///etc/passwd" alt="x"></body></html>'
    with pytest.raises(InputError, match="file:///etc/passwd"):
        render_pdf(html, folders=template_dirs(None), attachments=(), created=result.evaluated_at)


def test_a_custom_template_with_a_file_url_fails_pdf_with_exit_2(tmp_path, cli):
    root = mini_report_workspace(tmp_path / "ws")
    tpl = tmp_path / "tpl" / "style"
    tpl.mkdir(parents=True)
    (tpl / "extra.css").write_text("@font-face { font-family: x; src: url(file:///etc/passwd) }")
    done = cli("report", root, "-f", "pdf", "--template-dir", tmp_path / "tpl")
    assert done.exit_code == 2
    assert "file:///etc/passwd" in done.stderr
    assert not Path(root / "reports" / "report.pdf").exists()


def test_hostile_text_renders_inert_and_legible(tmp_path):
    from test_report_html import HOSTILE_NOTE, HOSTILE_ORG, hostile_workspace

    workspace = load_workspace(hostile_workspace(tmp_path / "ws"))
    result = evaluate(workspace, date.fromisoformat(REPORT_DAY))
    (output,) = render_outputs(workspace, result, [ReportFormat.PDF])
    (tmp_path / "hostile.pdf").write_bytes(output.data)
    text = "\n".join(page_texts(output.data))
    flat = re.sub(r"\s+", "", text)
    # Markup shows as text: nothing was executed, fetched or hidden.
    assert "<script>alert(1)</script>" in text
    assert "<img src=file:///etc/passwd>" in text
    assert "</style><style>body{display:none}" in text
    # The long word is broken across lines, not lost; right-to-left and CJK text is there.
    assert re.sub(r"\s+", "", HOSTILE_NOTE.split(" ")[8]) in flat
    for words in ("株式会社テスト", "证书管理成熟度", "שלום", "עברית"):
        assert words in text, words
    assert "مرحبا" in text or "ابحرم" in text  # extraction order of Arabic varies by tool
    # CJK glyphs come from a CJK font, not tofu boxes.
    reader = pdf_reader(output.data)
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    }
    assert any("WenQuanYi" in f or "Noto" in f for f in fonts), fonts
    assert HOSTILE_ORG.split(" ")[0] in text


def _scanned_result():
    from factories import DAY, answers, assessment, entry, finding, practice, questionnaire
    from test_report_view import _evidence_summary

    from assess.method.scoring import score

    q = questionnaire({"a": [practice("A2", 2), practice("A4", 4)], "b": [practice("B2", 2)]})
    result = score(
        q,
        assessment(),
        {"x.yaml": answers("Ann", {"A2": entry("fully"), "A4": entry("fully", evidence=["d"])})},
        evaluated_at=DAY,
        findings=[finding("A4", "contradicts", value=0.031, denominator=1234)],
        evidence=_evidence_summary(1234),
    )
    return q, result


def test_scan_evidence_renders_with_repeated_table_headers():
    q, result = _scanned_result()
    html = render_html(build_report(result, q, has_inventory=True))
    assert len(re.findall(r">host\d+\.example<", html)) == 50  # the 50 most urgent of 60
    assert "38 of 1,234 (3.1%)" in html and "answer capped at partially" in html
    assert "No scan evidence was provided" not in html
    pdf = render_pdf(html, folders=template_dirs(None), attachments=(), created=result.evaluated_at)
    pages = [t for t in page_texts(pdf.data) if re.search(r"^host\d+\.example", t, re.M)]
    assert len(pages) >= 2  # the certificate table spans pages…
    for text in pages:  # …and its header row is repeated on each
        assert "Certificate (CN)" in text and "Not after" in text


def test_evidence_bundles_are_attached_as_the_inventory(tmp_path):
    root = mini_report_workspace(tmp_path / "ws")
    bundle = {
        "schema": "cmmm-evidence/1",
        "collector": "tls",
        "collected_at": "2026-11-20T10:00:00Z",
        "tool": {"name": "cmmm-assess", "version": "0.1.0"},
        "observations": [
            {
                "location": f"host{i}:443",
                "status": "ok",
                "certificates": [
                    {
                        "sha256": f"{i:064x}",
                        "serial": "01",
                        "subject": f"CN=host{i}",
                        "issuer": "CN=CA",
                        "not_before": "2026-01-01T00:00:00Z",
                        "not_after": "2027-01-01T00:00:00Z",
                    }
                ],
            }
            for i in range(3)
        ],
        "keys": [],
    }
    import json

    (root / "evidence" / "scan.json").write_text(json.dumps(bundle), encoding="utf-8")
    workspace = load_workspace(root)
    result = evaluate(workspace, date.fromisoformat(REPORT_DAY))
    (output,) = render_outputs(workspace, result, [ReportFormat.PDF])
    files = {name: data[0] for name, data in pdf_reader(output.data).attachments.items()}
    assert sorted(files) == [
        "certificate-inventory.csv",
        "manifest.json",
        "result.json",
        "roadmap.csv",
    ]
    rows = list(csv.reader(io.StringIO(files["certificate-inventory.csv"].decode("utf-8"))))
    assert [r[3] for r in rows[1:]] == ["host0:443", "host1:443", "host2:443"]
    assert "4 files attached" in output.detail
