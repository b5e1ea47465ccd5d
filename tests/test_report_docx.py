"""`assess report --format docx`: the editable Word report, read back with python-docx.

The demo's Word report is checked against its own result document (every figure read from the
JSON, formatted as the report's tables print it: scores with two decimals), its charts against
the SVG of the HTML report rasterised here with CairoSVG, its structure against what Word
needs (heading styles, repeated header rows, fields). Letterheads are made with python-docx in
the test, the way a firm's template is: a header with text and a logo, styles of its own.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import struct
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from report_fixtures import DEMO_SECTIONS, REPORT_DAY, mini_report_workspace, run_cli
from test_narrative import _with_narrative

docx = pytest.importorskip("docx")

DEMO = Path(__file__).resolve().parent.parent / "examples" / "demo"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def demo_docx(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("docx")
    workspace = root / "demo"
    shutil.copytree(DEMO, workspace)
    out = root / "out"
    result = run_cli(
        "report",
        workspace,
        "-f",
        "docx",
        "-f",
        "json",
        "-f",
        "html",
        "--at",
        REPORT_DAY,
        "--baseline",
        workspace / "baseline" / "2026-08-28.result.json",
        "-o",
        out,
    )
    assert result.exit_code == 0, result.output
    data = (out / "report.docx").read_bytes()
    return {
        "root": root,
        "workspace": workspace,
        "data": data,
        "doc": docx.Document(io.BytesIO(data)),
        "result": json.loads((out / "result.json").read_text(encoding="utf-8")),
        "html": (out / "report.html").read_text(encoding="utf-8"),
        "stdout": result.stdout,
    }


def _headings(doc: Any, level: int) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == f"Heading {level}"]


def _text(doc: Any) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def _table(doc: Any, first_header: str, second_header: str) -> Any:
    for table in doc.tables:
        head = [c.text for c in table.rows[0].cells]
        if head[:2] == [first_header, second_header]:
            return table
    raise AssertionError(f"no table headed {first_header}, {second_header}")


def test_every_section_is_a_heading_1_and_every_dimension_a_heading_2(demo_docx):
    doc, result = demo_docx["doc"], demo_docx["result"]
    assert _headings(doc, 1) == list(DEMO_SECTIONS)
    dimensions = [f"6.{i} {d['title']}" for i, d in enumerate(result["dimensions"], start=1)]
    level_2 = _headings(doc, 2)
    assert [h for h in level_2 if h.startswith("6.")] == dimensions
    assert "Phase 1" in " ".join(level_2)


def test_every_practice_is_there_with_its_title(demo_docx):
    text = _text(demo_docx["doc"])
    practices = [p for d in demo_docx["result"]["dimensions"] for p in d["practices"]]
    assert len(practices) > 90
    for p in practices:
        assert f"{p['id']} " in text, p["id"]


def test_every_figure_equals_the_result_document(demo_docx):
    doc, result = demo_docx["doc"], demo_docx["result"]
    table = _table(doc, "Dimension", "Weight")
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in table.rows[1:]}
    header = [c.text for c in table.rows[0].cells]
    level, score, target = header.index("Level"), header.index("Score"), header.index("Target")
    for d in result["dimensions"]:
        row = rows[d["title"]]
        assert row[score] == f"{d['score']:.2f}", d["id"]
        assert row[level].split()[0] == str(d["level"]), d["id"]
        assert row[target] == str(d["target"]), d["id"]
    overall = result["overall"]
    total = [c.text for c in table.rows[-1].cells]
    assert total[score] == f"{overall['score']:.2f}"
    cover = {r.cells[0].text: r.cells[1].text for r in doc.tables[0].rows}
    assert cover["Overall score"] == f"{overall['score']:.2f} of 5"
    assert cover["Overall maturity"].startswith(f"Level {overall['level']} ")
    assert cover["Weighted target"] == f"{overall['target_score']:.2f}"
    steps = _table(doc, "Phase", "Steps")
    assert sum(int(r.cells[1].text) for r in steps.rows[1:]) == len(result["roadmap"])
    text = _text(doc)
    for step in result["roadmap"]:
        assert f"{step['order']}  {step['practice']} " in text


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_charts_are_the_html_reports_svg_rasterised(demo_docx):
    import cairosvg

    doc, html = demo_docx["doc"], demo_docx["html"]
    images = [
        doc.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
        for shape in doc.inline_shapes
    ]
    assert len(images) == 4
    for image in images:
        assert _png_size(image)[0] == 2000  # 300 dpi across the text column
    # The same SVG the HTML report inlines, rasterised independently: the same pixels.
    for index, kind in enumerate(("radar", "level-grid", "gap-bars", "renewal-bars")):
        svg = re.search(rf'<svg class="{kind}".*?</svg>', html, re.S)
        assert svg is not None, kind
        assert (
            cairosvg.svg2png(bytestring=svg.group(0).encode(), output_width=2000) == (images[index])
        ), kind
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert len(captions) == 4
    # Each chart's data table follows it: the radar's lists every dimension's score.
    radar_table = _table(doc, "Dimension", "Now")
    assert len(radar_table.rows) == len(demo_docx["result"]["dimensions"]) + 1


def test_header_footer_and_fields_name_the_report(demo_docx):
    doc, result = demo_docx["doc"], demo_docx["result"]
    report_id = "CMMM-" + _sha(demo_docx)[:12].upper()
    section = doc.sections[0]
    assert report_id in section.header.paragraphs[-1].text
    assert "Larkspur Mutual Assurance" in section.header.paragraphs[-1].text
    assert "Confidential" in section.header.paragraphs[-1].text
    footer = section.footer.paragraphs[-1]._p.xml
    assert report_id in section.footer.paragraphs[-1].text
    assert 'w:instr=" PAGE "' in footer and 'w:instr=" NUMPAGES "' in footer
    assert result["assessment"]["organisation"] == "Larkspur Mutual Assurance"


def _sha(demo_docx: dict[str, Any]) -> str:
    import hashlib

    out = demo_docx["root"] / "out" / "result.json"
    return hashlib.sha256(out.read_bytes()).hexdigest()


def test_contents_field_updates_on_open_and_tables_repeat_their_header(demo_docx):
    doc, data = demo_docx["doc"], demo_docx["data"]
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        settings = package.read("word/settings.xml").decode()
        document = package.read("word/document.xml").decode()
    assert '<w:updateFields w:val="true"/>' in settings
    assert 'TOC \\o "1-2" \\h \\z \\u' in document
    headed = [t for t in doc.tables if t.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None]
    assert len(headed) >= 30
    for table in headed:
        assert all(c.paragraphs[0].runs[0].bold for c in table.rows[0].cells if c.text)


def test_document_properties(demo_docx):
    props = demo_docx["doc"].core_properties
    assert props.title == "Certificate Management Maturity Assessment — Larkspur Mutual Assurance"
    assert props.author == (
        "Priya Raman (Halden & Rowe Advisory); Tomás Becker (Halden & Rowe Advisory)"
    )
    assert props.subject.startswith("CMMM maturity assessment of Larkspur Mutual Assurance")
    assert props.created.date().isoformat() == REPORT_DAY
    assert props.modified == props.created


def test_the_narrative_is_in_its_places(demo_docx):
    doc = demo_docx["doc"]
    texts = [p.text for p in doc.paragraphs]
    at = {t: i for i, t in enumerate(texts)}
    summary = at["1 Executive summary"]
    inventory = next(i for i, t in enumerate(texts) if t.endswith("Discovery & Inventory"))
    conclusion = at["11 Conclusion and sign-off"]
    first = next(i for i, t in enumerate(texts) if t.startswith("Larkspur has the foundations"))
    assert summary < first < at["2 Progress since the last assessment"]
    register = next(i for i, t in enumerate(texts) if t.startswith("The register kept by"))
    assert inventory < register
    closing = next(i for i, t in enumerate(texts) if t.startswith("The organisation stands"))
    assert conclusion < closing


def test_the_same_inputs_give_the_same_bytes(demo_docx, tmp_path):
    workspace = demo_docx["workspace"]
    again = tmp_path / "again.docx"
    result = run_cli(
        "report",
        workspace,
        "-f",
        "docx",
        "--at",
        REPORT_DAY,
        "--baseline",
        workspace / "baseline" / "2026-08-28.result.json",
        "-o",
        again,
    )
    assert result.exit_code == 0, result.output
    assert again.read_bytes() == demo_docx["data"]
    with zipfile.ZipFile(again) as package:
        assert {i.date_time for i in package.infolist()} == {(2026, 11, 27, 0, 0, 0)}


def test_source_date_epoch_sets_the_dates(tmp_path, cli):
    root = mini_report_workspace(tmp_path / "ws")
    epoch = "1795737600"  # 2026-11-27T00:00:00Z (date -d 2026-11-27Z +%s)
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    env = {"SOURCE_DATE_EPOCH": epoch}
    assert cli("report", root, "-f", "docx", "-o", first, env=env).exit_code == 0
    assert cli("report", root, "-f", "docx", "-o", second, env=env).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    assert docx.Document(str(first)).core_properties.created.date().isoformat() == REPORT_DAY


def test_hostile_narrative_is_inert_in_word(tmp_path, cli):
    root = _with_narrative(mini_report_workspace(tmp_path / "ws"))
    # A note with control characters YAML carries escaped: removed, not a broken document.
    (root / "answers" / "zed-zero.yaml").write_text(
        "respondent: {name: Zed Zero}\n"
        'answers:\n  INV-01: {answer: largely, note: "bad\\x01\\x0bnote {{ x }}"}\n',
        encoding="utf-8",
    )
    out = tmp_path / "r.docx"
    result = cli("report", root, "-f", "docx", "--at", REPORT_DAY, "-o", out)
    assert result.exit_code == 0, result.output
    doc = docx.Document(str(out))
    text = _text(doc)
    assert "<script>alert('x')</script>" in text
    assert "{{ report.meta.title }} {% if 1 %}" in text
    assert "link (https://evil.example/x)" in text
    assert "x" * 300 in text
    assert "שלום עולם — مرحبا بالعالم" in text
    assert "badnote {{ x }}" in text
    with zipfile.ZipFile(out) as package:
        names = package.namelist()
        assert not any("evil" in n for n in names)
        rels = package.read("word/_rels/document.xml.rels").decode()
    assert "evil.example" not in rels  # no hyperlink, no external image


def _letterhead(path: Path, *, drop: str | None = None) -> Path:
    from docx.shared import Mm, Pt
    from PIL import Image

    template = docx.Document()
    template.styles["Normal"].font.name = "Georgia"
    template.styles["Normal"].font.size = Pt(11)
    if drop is not None:
        template.styles.element.remove(template.styles[drop].element)
    header = template.sections[0].header
    header.paragraphs[0].text = "Halden & Rowe Advisory — Confidential client report"
    logo = io.BytesIO()
    Image.new("RGB", (120, 40), (29, 63, 110)).save(logo, format="PNG")
    logo.seek(0)
    header.add_paragraph().add_run().add_picture(logo, width=Mm(30))
    template.sections[0].footer.paragraphs[0].text = "Halden & Rowe · 1 Example Street"
    template.add_paragraph("Body text of the letterhead that the report replaces.")
    template.save(str(path))
    return path


def test_a_letterhead_keeps_its_header_logo_and_styles(tmp_path, cli):
    root = mini_report_workspace(tmp_path / "ws")
    template = _letterhead(tmp_path / "letterhead.docx")
    out = tmp_path / "r.docx"
    result = cli(
        "report", root, "-f", "docx", "--at", REPORT_DAY, "--docx-template", template, "-o", out
    )
    assert result.exit_code == 0, result.output
    assert "letterhead letterhead.docx" in result.stdout
    doc = docx.Document(str(out))
    header = doc.sections[0].header
    texts = [p.text for p in header.paragraphs]
    assert texts[0] == "Halden & Rowe Advisory — Confidential client report"
    assert "<w:drawing" in header.paragraphs[1]._p.xml  # the logo
    assert "Report CMMM-" in texts[-1]
    footer = [p.text for p in doc.sections[0].footer.paragraphs]
    assert footer[0] == "Halden & Rowe · 1 Example Street"
    assert "Page" in footer[-1]
    assert doc.styles["Normal"].font.name == "Georgia"
    assert "Body text of the letterhead" not in _text(doc)
    assert _headings(doc, 1)[0] == "1 Executive summary"


def test_a_letterhead_without_a_heading_style_is_refused(tmp_path, cli):
    root = mini_report_workspace(tmp_path / "ws")
    template = _letterhead(tmp_path / "plain.docx", drop="Heading 2")
    out = tmp_path / "r.docx"
    result = cli("report", root, "-f", "docx", "--docx-template", template, "-o", out)
    assert result.exit_code == 2
    assert "plain.docx" in result.stderr
    assert "'Heading 2'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "r.docx").exists()


def test_a_letterhead_that_is_not_a_word_document_is_refused(tmp_path, cli):
    root = mini_report_workspace(tmp_path / "ws")
    fake = tmp_path / "letterhead.docx"
    fake.write_text("not a zip")
    result = cli("report", root, "-f", "docx", "--docx-template", fake, "-o", tmp_path / "r.docx")
    assert result.exit_code == 2
    assert "letterhead.docx" in result.stderr
    assert "not a Word document" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_libreoffice_converts_the_demo_to_pdf(demo_docx, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (libreoffice-writer-nogui) is not installed")
    source = tmp_path / "report.docx"
    source.write_bytes(demo_docx["data"])
    profile = tmp_path / "profile"
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "report.pdf"
    assert pdf.is_file(), done.stdout + done.stderr
    from report_fixtures import page_texts

    pages = page_texts(pdf.read_bytes())
    assert len(pages) > 20
    text = " ".join(pages)
    for heading in DEMO_SECTIONS:
        assert heading.split(" ", 1)[1] in text
    assert "CMMM-" in pages[-1]  # the footer's report id on the last page


def test_a_redacted_word_report_masks_the_narrative_and_the_properties(tmp_path, cli):
    root = _with_narrative(
        mini_report_workspace(tmp_path / "ws"),
        "Ann Auditor walked through ca01.corp.acme.example with the team.\n",
    )
    out = tmp_path / "r.docx"
    result = cli("report", root, "-f", "docx", "--redact", "--at", REPORT_DAY, "-o", out)
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as package:
        everything = b"".join(package.read(name) for name in package.namelist())
    assert b"Ann Auditor" not in everything
    assert b"ca01.corp.acme.example" not in everything
    doc = docx.Document(str(out))
    assert "PERSON-1 walked through HOST-1 with the team." in _text(doc)
    assert doc.core_properties.author == "PERSON-1"
    assert "REDACTED" in doc.sections[0].header.paragraphs[-1].text


def test_the_forecast_says_in_word_what_the_html_says(demo_docx):
    import html as markup
    import re

    doc, page = demo_docx["doc"], demo_docx["html"]
    section = page[page.index('id="section-forecast"') :]
    section = section[: section.index("</section>")]
    # The population and the private-root hint, as the HTML prints them.
    paragraphs = [markup.unescape(p) for p in re.findall(r"<p[^>]*>([^<]+)</p>", section)]
    population = next(p for p in paragraphs if "counted under the CA/Browser Forum caps" in p)
    (hint,) = [p for p in paragraphs if p.startswith("Of the 481 whose trust no scan judged")]
    text = _text(doc)
    assert population in text and hint in text
    assert "counting all as capped though no scan judged their trust" in text  # the summary
    # The listed leaves: the demo's first is www.larkspur-life.example (pki-register.json:
    # 2025-11-02 → 2026-12-04, 397 days), renewed a third of that, 132⅓ days, before its
    # expiry: 2026-07-24T16:00, overdue on 27 November 2026.
    (table,) = [t for t in doc.tables if "Renew by" in [c.text for c in t.rows[0].cells]]
    first = [cell.text for cell in table.rows[1].cells]
    assert first[0] == "www.larkspur-life.example"
    assert first[1].endswith("\ntrust not judged") and first[3] == "2026-07-24\noverdue"
    issuers = [row.cells[1].text for row in table.rows[1:]]
    assert any("chains to 'Larkspur Root CA', not public" in cell for cell in issuers)


# --- the Word report says what the HTML report says -------------------------------------------

PROSE_TAGS = ("p", "li", "dd", "h3", "figcaption")
"""The HTML elements whose text the Word report must carry word for word."""
FRONT = "cover and contents"
"""The pages before the first section: in the HTML, the part of the contents about the report."""
RECORDS = ("practice", "phase")
"""Classes of the HTML's per-practice records and roadmap phases (a heading and its steps):
each edition lays their fields out in its own way (a Word paragraph has no right-aligned Harvey
ball), so the tests above compare them field by field, not as sentences."""


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def _html_section_texts(html: str) -> dict[str, list[str]]:
    """Every chapter of the HTML report by its heading, with the text of its paragraphs, list
    items, definitions, sub-headings and captions, read with lxml."""
    from lxml import html as lxml_html

    root = lxml_html.fromstring(html)
    sections: dict[str, list[str]] = {}
    for chapter in root.xpath(
        "//nav[@class='contents']/div[@class='about'] | //main/section[contains(@class, 'chapter')]"
    ):
        headings = chapter.xpath("./h2")
        title = _squeeze(headings[0].text_content()) if headings else FRONT
        texts = [
            _squeeze(e.text_content())
            for e in chapter.iter(*PROSE_TAGS)
            if not any(
                r in (a.get("class") or "").split() for a in e.iterancestors() for r in RECORDS
            )
        ]
        sections[title] = [t for t in texts if t]
    return sections


def _word_section_texts(doc: Any) -> dict[str, str]:
    """Every Heading 1 section of the Word report, and what comes before the first (:data:`FRONT`):
    its paragraphs and table cells, a line each."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    current: list[str] = []
    sections: dict[str, list[str]] = {FRONT: current}
    for child in doc.element.body.iterchildren():
        if child.tag == f"{W}p":
            paragraph = Paragraph(child, doc)
            if paragraph.style is not None and paragraph.style.name == "Heading 1":
                current = sections.setdefault(paragraph.text, [])
                continue
            current.append(_squeeze(paragraph.text))
        elif child.tag == f"{W}tbl":
            table = Table(child, doc)
            current.extend(_squeeze(c.text) for row in table.rows for c in row.cells)
    return {title: "\n".join(lines) for title, lines in sections.items()}


def _html_table_headers(html: str) -> dict[str, list[tuple[str, ...]]]:
    """The header row of every table of every chapter of the HTML report, by its heading."""
    from lxml import html as lxml_html

    root = lxml_html.fromstring(html)
    return {
        _squeeze(chapter.xpath("./h2")[0].text_content()): [
            tuple(_squeeze(th.text_content()) for th in row.xpath("./th"))
            for row in chapter.xpath(".//table/thead/tr")
        ]
        for chapter in root.xpath("//main/section[contains(@class, 'chapter')]")
    }


def _word_table_headers(doc: Any) -> dict[str, list[tuple[str, ...]]]:
    """The header row (the one Word repeats) of every table of every Heading 1 section."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    headers: dict[str, list[tuple[str, ...]]] = {}
    current: list[tuple[str, ...]] = []
    for child in doc.element.body.iterchildren():
        if child.tag == f"{W}p":
            paragraph = Paragraph(child, doc)
            if paragraph.style is not None and paragraph.style.name == "Heading 1":
                current = headers.setdefault(paragraph.text, [])
        elif child.tag == f"{W}tbl" and child.find(f"{W}tr/{W}trPr/{W}tblHeader") is not None:
            first = Table(child, doc).rows[0]
            current.append(tuple(_squeeze(c.text) for c in first.cells))
    return headers


def test_the_word_tables_have_the_html_tables_headers(demo_docx):
    html = _html_table_headers(demo_docx["html"])
    word = _word_table_headers(demo_docx["doc"])
    assert sum(len(h) for h in html.values()) > 20
    missing = {
        title: [h for h in headers if h not in word[title]] for title, headers in html.items()
    }
    assert not {t: m for t, m in missing.items() if m}


def test_the_word_report_says_what_the_html_report_says(demo_docx):
    html = _html_section_texts(demo_docx["html"])
    word = _word_section_texts(demo_docx["doc"])
    assert list(html) == [FRONT, *DEMO_SECTIONS]
    assert list(word) == [FRONT, *DEMO_SECTIONS]
    missing = {title: [t for t in texts if t not in word[title]] for title, texts in html.items()}
    assert not {t: m for t, m in missing.items() if m}


DEJAVU_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


def _cell_margin(tbl: Any, side: str) -> int:
    """A table's cell margin at one side, in twips; Word's default, 108, when it sets none."""
    margin = tbl.find(f"{W}tblPr/{W}tblCellMar/{W}{side}")
    return 108 if margin is None else int(margin.get(f"{W}w"))


def test_no_header_word_breaks_in_two(demo_docx):
    """Every word of every table header fits its column on one line, measured with the advance
    widths of DejaVu Sans Bold (what LibreOffice sets for Arial here; Arial's are narrower)."""
    if not DEJAVU_BOLD.is_file():
        pytest.skip("DejaVu Sans Bold (fonts-dejavu-core) is not installed")
    from fontTools.ttLib import TTFont

    font = TTFont(DEJAVU_BOLD)
    cmap, advances, em = font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm

    def width_pt(word: str, size: float) -> float:
        return sum(advances[cmap[ord(c)]][0] for c in word) * size / em

    checked = 0
    for table in demo_docx["doc"].tables:
        tbl = table._tbl
        if tbl.find(f"{W}tr/{W}trPr/{W}tblHeader") is None:
            continue
        margins = sum(_cell_margin(tbl, side) for side in ("left", "right"))
        for cell in table.rows[0].cells:
            room = (int(cell._tc.find(f"{W}tcPr/{W}tcW").get(f"{W}w")) - margins) / 20
            for run in cell._tc.iter(f"{W}r"):
                size = int(run.find(f"{W}rPr/{W}sz").get(f"{W}val")) / 2
                for word in (run.findtext(f"{W}t") or "").split():
                    assert width_pt(word, size) <= room, (word, cell.text, room)
                    checked += 1
    assert checked > 100
