"""The HTML report: golden file, self-containment, template overrides, refused resources and
hostile text rendered inert."""

from __future__ import annotations

import os
import re
from collections import Counter
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from report_fixtures import MINI_ANSWERS, REPORT_DAY, mini_report_workspace

from assess.engine.score import evaluate
from assess.inputs.workspace import load_workspace
from assess.render.html import external_resources, render_html
from assess.render.view import build_report
from assess.support.errors import InputError

GOLDEN = Path(__file__).parent / "golden" / "report-mini.html"


def _html(root: Path, template_dir: Path | None = None) -> str:
    workspace = load_workspace(root)
    result = evaluate(workspace, date.fromisoformat(REPORT_DAY))
    return render_html(build_report(result, workspace.questionnaire), template_dir)


class _Structure(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: Counter[str] = Counter()
        self.ids: list[str] = []
        self.lang: str | None = None
        self.svg_titles = 0
        self._in_svg = False

    def handle_starttag(self, tag, attrs):
        self.tags[tag] += 1
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang")
        if "id" in attributes:
            self.ids.append(attributes["id"] or "")
        if tag == "svg":
            self._in_svg = True
        if tag == "title" and self._in_svg:
            self.svg_titles += 1
            self._in_svg = False


def test_html_matches_the_golden_file(tmp_path):
    html = _html(mini_report_workspace(tmp_path / "ws"))
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(html, encoding="utf-8")
    assert GOLDEN.read_text(encoding="utf-8") == html, (
        "the HTML report changed: look at it, then run UPDATE_GOLDEN=1 pytest "
        "tests/test_report_html.py"
    )


def test_html_is_self_contained_and_well_formed(tmp_path):
    html = _html(mini_report_workspace(tmp_path / "ws"))
    parsed = _Structure()
    parsed.feed(html)
    assert parsed.lang == "en"
    assert parsed.tags["svg"] == parsed.svg_titles == 2  # gap bars and level grid, each titled
    assert len(parsed.ids) == len(set(parsed.ids)), "ids must be unique"
    assert external_resources(html) == []
    assert not re.search(r"(src|href)=\"(https?|file):", html)
    assert parsed.tags["script"] == 0


@pytest.mark.parametrize(
    ("markup", "found"),
    [
        ('<img src="http://example.com/x.png" alt="">', "http://example.com/x.png"),
        ('<img src="file:///etc/passwd" alt="">', "file:///etc/passwd"),
        ('<link rel="stylesheet" href="theme.css">', "theme.css"),
        ("<div style=\"background: url('//evil.example/a')\"></div>", "//evil.example/a"),
        ("<style>@import 'https://evil.example/x.css';</style>", "https://evil.example/x.css"),
        ('<svg><image href="logo.png"/></svg>', "logo.png"),
        ('<img srcset="a.png 1x, data:image/png;base64,AA 2x" alt="">', "a.png"),
        ('<a href="https://example.com">a link is not a load</a>', None),
        ('<img src="data:image/png;base64,AAAA" alt="">', None),
    ],
)
def test_external_resources_are_found(markup, found):
    assert external_resources(markup) == ([found] if found else [])


def test_a_template_override_replaces_one_partial(tmp_path):
    custom = tmp_path / "tpl" / "partials"
    custom.mkdir(parents=True)
    (custom / "contents.html.j2").write_text(
        "<nav id='contents'>Custom contents for {{ report.meta.organisation }}</nav>",
        encoding="utf-8",
    )
    (tmp_path / "tpl" / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (tmp_path / "tpl" / "style").mkdir()
    (tmp_path / "tpl" / "style" / "extra.css").write_text(
        ".cover { background: url({{ asset_data_uri('logo.svg') }}) }"
    )
    html = _html(mini_report_workspace(tmp_path / "ws"), tmp_path / "tpl")
    assert "Custom contents for Acme Corp" in html
    assert "url(data:image/svg+xml;base64," in html
    assert "Executive summary" in html  # everything else still comes from the bundle


def test_asset_data_uri_refuses_files_outside_the_template_folders(tmp_path):
    tpl = tmp_path / "tpl" / "style"
    tpl.mkdir(parents=True)
    (tpl / "extra.css").write_text("{{ asset_data_uri('../../../etc/passwd') }}")
    with pytest.raises(InputError, match="not a file inside the template folders"):
        _html(mini_report_workspace(tmp_path / "ws"), tmp_path / "tpl")


def test_a_template_using_an_unknown_field_is_an_input_error(tmp_path):
    tpl = tmp_path / "tpl" / "partials"
    tpl.mkdir(parents=True)
    (tpl / "cover.html.j2").write_text("{{ report.cover.no_such_field }}")
    with pytest.raises(InputError, match="no_such_field"):
        _html(mini_report_workspace(tmp_path / "ws"), tmp_path / "tpl")


def test_a_custom_template_loading_a_remote_image_fails_with_exit_2(tmp_path, cli):
    root = mini_report_workspace(tmp_path / "ws")
    tpl = tmp_path / "tpl" / "partials"
    tpl.mkdir(parents=True)
    (tpl / "cover.html.j2").write_text('<img src="https://tracker.example/p.gif" alt="">')
    done = cli("report", root, "--format", "html", "--template-dir", tmp_path / "tpl")
    assert done.exit_code == 2
    assert "https://tracker.example/p.gif" in done.stderr
    assert "from outside the document" in done.stderr
    assert not (root / "reports" / "report.html").exists()


HOSTILE_ORG = "Évil <script>alert('org')</script> & Co — 株式会社テスト שלום مرحبا"
HOSTILE_NOTE = (
    "<script>alert(1)</script> <img src=file:///etc/passwd> </style><style>body{display:none}"
    " Supercalifragilisticexpialidociouscertificatemanagementmaturityassessmentwithoutspaces"
    "0123456789abcdefghijklmnopqrstuvwxyz "
    "证书管理成熟度 and עברית and العربية"
)


def hostile_workspace(root: Path) -> Path:
    """A workspace whose organisation name, scope and a note carry hostile, multilingual text."""
    given = {name: dict(sheet) for name, sheet in MINI_ANSWERS.items()}
    given["Jane Doe"]["INV-01"] = {"answer": "fully", "note": HOSTILE_NOTE}
    return mini_report_workspace(root, given, organisation=HOSTILE_ORG, scope=HOSTILE_NOTE)


def test_hostile_text_is_escaped_in_html(tmp_path):
    root = hostile_workspace(tmp_path / "ws")
    html = _html(root)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=file:///etc/passwd&gt;" in html
    assert "&lt;/style&gt;&lt;style&gt;body{display:none}" in html
    assert "株式会社テスト שלום مرحبا" in html
    assert external_resources(html) == []
