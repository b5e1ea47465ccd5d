"""Spreadsheet cells that show text and never run it (assess.support.spreadsheet), and the answer
forms written with them.

The characters and the quoting come from OWASP's CSV Injection page; the expected bytes are
written out by hand from RFC 4180; the workbooks are checked in their XML and with openpyxl.
"""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pytest
from factories import mini_workspace
from formfill import answers_file, fill_csv, fill_xlsx
from ruamel.yaml import YAML

from assess.support.spreadsheet import csv_bytes, put_text, safe_cell

OWASP = ["=", "+", "-", "@", "\t", "\r"]
"""The first characters OWASP says make a spreadsheet read a cell as a formula."""


@pytest.mark.parametrize("first", OWASP)
def test_a_cell_starting_like_a_formula_gets_a_quote(first):
    text = first + "cmd|' /C calc'!A0"
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["", "CN=host,O=Acme", "a = b", "'=already quoted", "5-4"])
def test_other_text_is_left_as_it_is(text):
    assert safe_cell(text) == text


def test_csv_quotes_every_text_field_and_guards_formulas():
    rows = [["Note", "Count"], ['=HYPERLINK("http://x")', 3], ["ok;=1+2", -1], [None, True]]
    assert csv_bytes(rows) == (
        b'"Note","Count"\r\n'
        b'"\'=HYPERLINK(""http://x"")",3\r\n'
        b'"ok;=1+2",-1\r\n'  # quoted: a spreadsheet set to ';' cannot split it at the ';'
        b'"",True\r\n'
    )
    assert csv_bytes([["a"]], bom=True) == b'\xef\xbb\xbf"a"\r\n'


def test_an_xlsx_cell_keeps_formula_looking_text_as_text(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    put_text(sheet["A1"], "=cmd|' /C calc'!A0")
    put_text(sheet["A2"], "+44 20 7946 0000")
    put_text(sheet["A3"], "plain")
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml  # no formula anywhere
    reread = openpyxl.load_workbook(path).active
    assert reread is not None
    assert [reread[f"A{n}"].value for n in (1, 2, 3)] == [
        "=cmd|' /C calc'!A0",
        "+44 20 7946 0000",
        "plain",
    ]
    assert [reread[f"A{n}"].data_type for n in (1, 2, 3)] == ["s", "s", "s"]
    assert [reread[f"A{n}"].quotePrefix for n in (1, 2, 3)] == [True, True, False]


# --- the answer forms ---------------------------------------------------------------------------

HOSTILE = {
    "dimension": '=HYPERLINK("http://evil.example","Inventory")',
    "title": "@SUM(1+1)",
    "question": "-2+3 certificates?",
    "guidance": "=cmd|' /C calc'!A0",
}


def _hostile_workspace(tmp_path):
    """A workspace whose (tailored) questionnaire's texts start like formulas."""
    workspace = mini_workspace(tmp_path / "ws")
    path = workspace / "questionnaire.yaml"
    yaml = YAML()
    data = yaml.load(path.read_text())
    dimension = data["dimensions"][0]
    dimension["title"] = HOSTILE["dimension"]
    first = dimension["practices"][0]
    first["title"], first["question"] = HOSTILE["title"], HOSTILE["question"]
    first["guidance"] = HOSTILE["guidance"]
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    path.write_text(buffer.getvalue())
    return workspace


def test_the_workbook_form_shows_a_questionnaire_s_formulas_as_text(cli, tmp_path):
    workspace = _hostile_workspace(tmp_path)
    form = tmp_path / "form.xlsx"
    source = workspace / "questionnaire.yaml"
    assert cli("questionnaire", "export", source, "--format", "xlsx", "--out", form).exit_code == 0
    archive = zipfile.ZipFile(form)
    for name in archive.namelist():
        if name.startswith("xl/worksheets/"):
            xml = archive.read(name).decode()
            assert "<f>" not in xml and "<f " not in xml, name
    workbook = openpyxl.load_workbook(form)
    texts = {
        cell.value: cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    }
    guidance = texts[HOSTILE["guidance"]]
    assert guidance.data_type == "s" and guidance.quotePrefix
    listed = [cell for text, cell in texts.items() if text.startswith(HOSTILE["dimension"])]
    assert listed and all(cell.quotePrefix for cell in listed)  # the Instructions' sheet list
    where = fill_xlsx(form, {"INV-01": {"Answer": "fully"}})
    assert where[("INV-01", "Answer")].startswith("sheet '=HYPERLINK(")
    result = cli("answers", "import", workspace, form, "--respondent", "Jane Doe")
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr  # the form's own texts read back as written
    assert answers_file(workspace)["answers"] == {"INV-01": {"answer": "fully"}}


def test_the_csv_form_guards_a_questionnaire_s_formulas(cli, tmp_path):
    workspace = _hostile_workspace(tmp_path)
    form = tmp_path / "form.csv"
    source = workspace / "questionnaire.yaml"
    assert cli("questionnaire", "export", source, "--format", "csv", "--out", form).exit_code == 0
    text = form.read_bytes().decode("utf-8-sig")
    for line in text.split("\r\n")[:-1]:
        assert line.startswith('"') and line.endswith('"')  # every field quoted
    rows = list(csv.reader(io.StringIO(text, newline="")))
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["Dimension"] == "'" + HOSTILE["dimension"]
    assert first["Title"] == "'" + HOSTILE["title"]
    assert first["Question"] == "'" + HOSTILE["question"]
    assert first["Guidance"] == "'" + HOSTILE["guidance"]
    assert first["Practice"] == "INV-01"
    fill_csv(form, {"INV-01": {"Answer": "fully"}})
    result = cli("answers", "import", workspace, form, "--respondent", "Jane Doe")
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr
    assert answers_file(workspace)["answers"] == {"INV-01": {"answer": "fully"}}
