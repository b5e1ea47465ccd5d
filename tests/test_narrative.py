"""The assessor's narrative (narrative/*.md): parsed inert, read with limits, shown in every
format, fingerprinted by the manifest, covered by the signature, redacted.

The expected blocks are what CommonMark says the Markdown means (a list is a list, `<b>` with
raw HTML off is text), written out by hand.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from report_fixtures import (
    COMPLETE_ANSWERS,
    REPORT_DAY,
    mini_report_workspace,
    page_texts,
)

from assess.inputs.workspace import NARRATIVE_EXAMPLE, load_workspace
from assess.render.view.narrative import Block, BlockKind, ListItem, Run, narrative_blocks
from assess.support.errors import InputError

HOSTILE = (
    "# Findings\n\n"
    "<script>alert('x')</script> and <b>bold?</b> and {{ report.meta.title }} {% if 1 %}\n\n"
    "A [link](https://evil.example/x) and ![logo](https://evil.example/logo.png) and "
    "<img src=x onerror=alert(1)>.\n\n"
    "Bell\x07 and NUL\x00 and form feed\x0c go; tab\tstays.\n\n"
    "שלום עולם — مرحبا بالعالم, and a long word "
    + "x" * 300
    + "\n\n<!-- a note to self that shows nothing -->\n"
)


def test_markdown_becomes_inert_blocks():
    blocks = narrative_blocks(
        "## Head\n\nSome **bold** and *it* and `code`.\n\n- one\n  - inner\n- two\n\n"
        "1. first\n2. second\n\n> quoted\n"
    )
    assert blocks == (
        Block(kind=BlockKind.HEADING, level=2, runs=(Run(text="Head"),)),
        Block(
            kind=BlockKind.PARAGRAPH,
            runs=(
                Run(text="Some "),
                Run(text="bold", is_bold=True),
                Run(text=" and "),
                Run(text="it", is_italic=True),
                Run(text=" and "),
                Run(text="code", is_code=True),
                Run(text="."),
            ),
        ),
        Block(
            kind=BlockKind.BULLETS,
            items=(
                ListItem(runs=(Run(text="one"),)),
                ListItem(runs=(Run(text="inner"),), depth=1),
                ListItem(runs=(Run(text="two"),)),
            ),
        ),
        Block(
            kind=BlockKind.NUMBERED,
            items=(ListItem(runs=(Run(text="first"),)), ListItem(runs=(Run(text="second"),))),
        ),
        Block(kind=BlockKind.QUOTE, runs=(Run(text="quoted"),)),
    )


def test_hostile_markdown_is_text():
    blocks = narrative_blocks(HOSTILE)
    text = "\n".join(r.text for b in blocks for r in b.runs)
    assert "<script>alert('x')</script>" in text  # shown as written, never markup
    assert "<b>bold?</b>" in text
    assert "{{ report.meta.title }} {% if 1 %}" in text
    assert "link (https://evil.example/x)" in text  # a link is its text and its address
    assert "[image: logo]" in text  # an image is named, not loaded
    assert "logo.png" not in text
    assert "Bell and NUL and form feed go; tab\tstays." in text
    assert "שלום עולם — مرحبا بالعالم" in text
    assert "x" * 300 in text
    assert "note to self" not in text


def test_the_example_init_writes_shows_nothing():
    assert narrative_blocks(NARRATIVE_EXAMPLE) == ()


def test_a_file_naming_no_dimension_is_refused(tmp_path, cli):
    root = mini_report_workspace(tmp_path / "ws")
    (root / "narrative").mkdir()
    (root / "narrative" / "inventory.md").write_text("Fine.\n")
    (root / "narrative" / "automaton.md").write_text("A typo in the name.\n")
    with pytest.raises(InputError) as caught:
        load_workspace(root)
    assert [p.file for p in caught.value.problems] == [root / "narrative" / "automaton.md"]
    result = cli("score", root)
    assert result.exit_code == 2
    assert "automaton.md" in result.stderr
    assert "names no dimension" in result.stderr
    assert "inventory, automation" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_narrative_file_over_the_limit_is_refused_unread(tmp_path, cli):
    root = mini_report_workspace(tmp_path / "ws")
    (root / "narrative").mkdir()
    (root / "narrative" / "summary.md").write_bytes(b"a" * (1024 * 1024 + 1))
    result = cli("score", root)
    assert result.exit_code == 2
    assert "narrative/summary.md" in result.stderr
    assert "a narrative file" in result.stderr


def test_a_narrative_file_that_is_not_utf8_is_refused(tmp_path, cli):
    root = mini_report_workspace(tmp_path / "ws")
    (root / "narrative").mkdir()
    (root / "narrative" / "conclusion.md").write_bytes(b"caf\xe9\n")
    result = cli("score", root)
    assert result.exit_code == 2
    assert "conclusion.md" in result.stderr
    assert "UTF-8" in result.stderr


def test_init_creates_the_folder_with_a_comment(tmp_path, cli):
    root = tmp_path / "new"
    assert cli("init", root, "--org", "Acme").exit_code == 0
    example = root / "narrative" / "summary.md"
    assert example.read_text(encoding="utf-8") == NARRATIVE_EXAMPLE
    assert load_workspace(root).narrative.summary == NARRATIVE_EXAMPLE


def _with_narrative(root: Path, summary: str = HOSTILE) -> Path:
    folder = root / "narrative"
    folder.mkdir(exist_ok=True)
    (folder / "summary.md").write_text(summary, encoding="utf-8")
    (folder / "inventory.md").write_text("The register is **kept by hand**.\n", encoding="utf-8")
    (folder / "conclusion.md").write_text("We will re-assess in May.\n", encoding="utf-8")
    return root


def test_the_html_report_shows_the_narrative_escaped(tmp_path, cli):
    root = _with_narrative(mini_report_workspace(tmp_path / "ws"))
    out = tmp_path / "r.html"
    assert cli("report", root, "-f", "html", "--at", REPORT_DAY, "-o", out).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "<script" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "evil.example" in html and 'href="https://evil.example' not in html
    assert "{{ report.meta.title }}" in html
    assert "The register is <strong>kept by hand</strong>." in html
    summary = html.index('id="section-summary"')
    dimension = html.index('id="section-d-inventory"')
    conclusion = html.index('id="section-conclusion"')
    assert summary < html.index("Findings") < dimension
    assert dimension < html.index("kept by hand") < html.index('id="section-d-automation"')
    assert conclusion < html.index("We will re-assess in May.")


def test_the_manifest_lists_the_narrative(tmp_path, cli):
    root = _with_narrative(mini_report_workspace(tmp_path / "ws"))
    out = tmp_path / "manifest.json"
    assert cli("report", root, "-f", "manifest", "--at", REPORT_DAY, "-o", out).exit_code == 0
    inputs = json.loads(out.read_text())["inputs"]
    narrative = {e["path"]: e for e in inputs if e["role"] == "narrative"}
    assert sorted(narrative) == [
        "narrative/conclusion.md",
        "narrative/inventory.md",
        "narrative/summary.md",
    ]
    import hashlib

    data = (root / "narrative" / "summary.md").read_bytes()
    assert narrative["narrative/summary.md"]["sha256"] == hashlib.sha256(data).hexdigest()
    assert narrative["narrative/summary.md"]["size"] == len(data)


def test_redaction_masks_the_narrative(tmp_path, cli):
    root = _with_narrative(
        mini_report_workspace(tmp_path / "ws"),
        "Ann Auditor checked ca01.corp.acme.example at 10.1.2.3 and /etc/pki/key.pem with "
        "AUDITOR's help; mail ann@acme.example.\n",
    )
    out = tmp_path / "r.html"
    result = cli("report", root, "-f", "html", "--redact", "--at", REPORT_DAY, "-o", out)
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    for secret in ("Ann Auditor", "ca01.corp.acme.example", "10.1.2.3", "/etc/pki", "AUDITOR's"):
        assert secret not in html
    assert "PERSON-1 checked HOST-" in html
    assert "EMAIL-1" in html


@pytest.mark.slow
def test_the_pdf_shows_the_hostile_narrative_as_text(tmp_path, cli):
    root = _with_narrative(mini_report_workspace(tmp_path / "ws"))
    out = tmp_path / "r.pdf"
    assert cli("report", root, "-f", "pdf", "--at", REPORT_DAY, "-o", out).exit_code == 0
    text = " ".join(page_texts(out.read_bytes()))
    assert "<script>alert('x')</script>" in text
    assert "{{ report.meta.title }}" in text
    assert "link (https://evil.example/x)" in text


@pytest.mark.slow
def test_editing_the_narrative_after_signing_fails_verify(tmp_path, cli):
    pytest.importorskip("pyhanko")
    root = _with_narrative(mini_report_workspace(tmp_path / "ws", COMPLETE_ANSWERS))
    pdf, signed = tmp_path / "r.pdf", tmp_path / "s.pdf"
    assert cli("report", root, "-f", "pdf", "--at", REPORT_DAY, "-o", pdf).exit_code == 0
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    made = cli(
        "keygen", "--name", "Ann Auditor", "--no-passphrase", "--key-out", key, "--cert-out", cert
    )
    assert made.exit_code == 0, made.output
    assert cli("sign", pdf, "--key", key, "--cert", cert, "--out", signed).exit_code == 0
    held = cli("verify", signed, "--trust", cert, "--workspace", root)
    assert held.exit_code == 0, held.output
    conclusion = root / "narrative" / "conclusion.md"
    conclusion.write_text("We will never re-assess.\n", encoding="utf-8")
    (root / "narrative" / "automation.md").write_text("Added later.\n", encoding="utf-8")
    failed = cli("verify", signed, "--trust", cert, "--workspace", root)
    assert failed.exit_code == 1
    assert "narrative/conclusion.md changed since the report was made" in failed.stdout
    assert "narrative/automation.md was added to the workspace" in failed.stdout
