"""Answer forms: export, fill as a respondent would (openpyxl, the csv module), import, score.

Expected values come from what each test writes into the form; cell references come from the
cells the test wrote (openpyxl's own coordinates), never from the code under test.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from factories import MINI, mini_workspace
from formfill import answers_file, fill_csv, fill_xlsx, read_csv
from ruamel.yaml import YAML

from assess.forms.formats import FORM_FILES, FormFormat, format_of
from assess.forms.layout import Column, sheet_titles
from assess.inputs.questionnaire import builtin_dir
from assess.inputs.questionnaire import load as load_questionnaire
from assess.model.questionnaire import Dimension

CMMM = builtin_dir() / "cmmm.yaml"
SCALE = ["not", "partially", "largely", "fully", "unknown", "na"]
SCALE_TEXT = "not, partially, largely, fully, unknown, na"

FILLED: dict[str, dict[str, str]] = {
    "INV-01": {"Answer": "fully", "Note": "Spreadsheet kept by ops", "Evidence": "wiki/pki, T-1"},
    "INV-02": {"Answer": "largely"},
    "INV-03": {"Answer": "na", "Reason (for na)": "No cloud accounts"},
    "AUT-01": {"Answer": "partially"},
    "AUT-02": {"Answer": "mostly"},  # not an answer: the respondent's mistake
    "AUT-03": {"Answer": "fully", "Evidence": "CHG-1182\nrunbook/renewal"},
}
"""A respondent's form for tests/data/mini.yaml; INV-04 and AUT-04 stay blank."""


def practices(cli: Any, workspace: Path) -> dict[str, dict[str, Any]]:
    result = cli("score", workspace, "--json", "--at", "2026-11-26")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    return {p["id"]: p for d in document["dimensions"] for p in d["practices"]}


# --- the workbook as exported -------------------------------------------------------------------


@pytest.mark.slow
def test_xlsx_form_of_cmmm_has_a_sheet_per_dimension_with_dropdowns(cli, tmp_path):
    out = tmp_path / "form.xlsx"
    result = cli("questionnaire", "export", "cmmm", "--format", "xlsx", "--out", out)
    assert result.exit_code == 0, result.output
    questionnaire = load_questionnaire(CMMM).questionnaire
    workbook = openpyxl.load_workbook(out)
    assert workbook.sheetnames[0] == "Instructions"
    assert len(workbook.sheetnames) == 1 + len(questionnaire.dimensions) == 11
    instructions = workbook["Instructions"]
    fields = {a.value: b.value for a, b in instructions.iter_rows(min_col=1, max_col=2)}
    assert (fields["Questionnaire"], fields["Version"]) == ("cmmm", "1.1.0")
    assert "Respondent name" in fields and "Respondent role" in fields
    texts = [str(c.value) for row in instructions.iter_rows() for c in row if c.value]
    for answer in SCALE:  # the scale is explained
        assert answer in texts
    assert any("separated by commas or line breaks" in t for t in texts)

    for sheet, dimension in zip(workbook.worksheets[1:], questionnaire.dimensions, strict=True):
        assert len(sheet.title) <= 31
        headers = [c.value for c in sheet[1]]
        for header in ("Practice", "Level", "Question", "Guidance", "Answer", "Note", "Evidence"):
            assert header in headers
        assert "Reason (for na)" in headers
        practice_col = headers.index("Practice") + 1
        ids = [sheet.cell(r, practice_col).value for r in range(2, sheet.max_row + 1)]
        assert ids == [p.id for p in dimension.practices]
        question = sheet.cell(2, headers.index("Question") + 1)
        assert dimension.practices[0].title in str(question.value)
        assert question.alignment.wrap_text
        guidance = sheet.cell(2, headers.index("Guidance") + 1)
        assert guidance.value == " ".join(dimension.practices[0].guidance.split())
        assert sheet.freeze_panes is not None and sheet.freeze_panes.endswith("2")
        assert not sheet.protection.sheet
        # Every answer cell has the drop-down list of the six answers.
        answer_letter = openpyxl.utils.get_column_letter(headers.index("Answer") + 1)
        lists = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
        assert len(lists) == 1
        assert lists[0].formula1 == '"' + ",".join(SCALE) + '"'
        covered = {
            cell.coordinate
            for cell_range in lists[0].sqref.ranges
            for row in sheet[cell_range.coord]
            for cell in (row if isinstance(row, tuple) else (row,))
        }
        assert covered == {f"{answer_letter}{r}" for r in range(2, len(dimension.practices) + 2)}
        assert sheet.column_dimensions["C"].width >= 40  # the question is readable


def test_sheet_names_fit_excel_and_stay_unique():
    def dimension(id_: str, title: str) -> Dimension:
        return Dimension.model_validate(
            {
                "id": id_,
                "title": title,
                "practices": [
                    {
                        "id": f"{id_}-1",
                        "title": "T",
                        "level": 2,
                        "question": "Q?",
                        "recommendation": "R.",
                    }
                ],
            }
        )

    questionnaire = load_questionnaire(MINI).questionnaire.model_copy(
        update={
            "dimensions": (
                dimension("a", "Monitoring, Alerting & Incident Response"),
                dimension("b", "Monitoring, Alerting & Incident Handling"),
                dimension("c", "Instructions"),
                dimension("d", "CA [internal]: keys/certs?"),
            )
        }
    )
    assert sheet_titles(questionnaire) == {
        "a": "Monitoring, Alerting",
        "b": "Monitoring, Alerting (2)",
        "c": "Instructions (2)",
        "d": "CA -internal-- keys-certs-",
    }


# --- the formats --------------------------------------------------------------------------------

MINI_PRACTICES = ["INV-01", "INV-02", "INV-03", "INV-04", "AUT-01", "AUT-02", "AUT-03", "AUT-04"]
"""The practices of tests/data/mini.yaml, in file order (read from the file by eye)."""


@pytest.mark.parametrize("format", list(FormFormat))
def test_every_form_format_is_implemented_described_and_reads_back_what_it_writes(format):
    assert format in FORM_FILES
    form_file = FORM_FILES[format]
    assert format.description and "\n" not in format.description
    assert f".{format.value}" in form_file.suffixes
    blank = form_file.write(load_questionnaire(MINI).questionnaire)
    raw = form_file.read(Path(f"blank.{format.value}"), blank)
    assert [row.cells[Column.PRACTICE].text for row in raw.rows] == MINI_PRACTICES
    assert all(row.cells[Column.ANSWER].text == "" for row in raw.rows)
    assert raw.problems == ()


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("jane.xlsx", b"", FormFormat.XLSX),
        ("jane.XLSM", b"", FormFormat.XLSX),
        ("jane.csv", b"PK\x03\x04", FormFormat.CSV),  # the name's ending wins over the content
        ("jane.txt", b"Practice;Answer", FormFormat.CSV),
        ("jane", b"PK\x03\x04\x14\x00", FormFormat.XLSX),  # a workbook mailed without its ending
        ("jane.form", b"Practice,Answer", FormFormat.CSV),
    ],
)
def test_a_filled_form_is_read_in_the_format_its_name_or_content_says(name, head, expected):
    assert format_of(Path(name), head) is expected


def test_xlsx_export_needs_out(cli):
    result = cli("questionnaire", "export", "cmmm", "--format", "xlsx")
    assert result.exit_code == 2
    assert "--out" in result.stderr


# --- XLSX round trip ----------------------------------------------------------------------------


@pytest.mark.slow
def test_xlsx_round_trip_reports_the_bad_cell_then_imports_and_scores(cli, tmp_path):
    workspace = mini_workspace(tmp_path / "ws")
    form = tmp_path / "form.xlsx"
    assert cli("questionnaire", "export", MINI, "--format", "xlsx", "--out", form).exit_code == 0
    where = fill_xlsx(form, FILLED)

    result = cli("answers", "import", workspace, form, "--respondent", "Jane Doe")
    assert result.exit_code == 2, result.output
    bad = where[("AUT-02", "Answer")]
    assert bad.startswith("sheet 'Lifecycle Automation' cell ")
    assert f"{form}: {bad}: 'mostly' is not an answer ({SCALE_TEXT})" in result.stderr
    assert "Traceback" not in result.output
    assert not list((workspace / "answers").iterdir())  # nothing written

    fill_xlsx(form, {"AUT-02": {"Answer": "largely"}})
    result = cli("answers", "import", workspace, form, "--respondent", "Jane Doe")
    assert result.exit_code == 0, result.output
    assert "6 answered (6 new, 0 changed, 0 unchanged), 2 blank" in result.stdout

    saved = answers_file(workspace)
    assert saved["respondent"] == {"name": "Jane Doe", "role": "PKI lead"}  # role from the form
    assert saved["answers"]["INV-01"] == {
        "answer": "fully",
        "note": "Spreadsheet kept by ops",
        "evidence": ["wiki/pki", "T-1"],
    }
    assert saved["answers"]["INV-03"] == {"answer": "na", "reason": "No cloud accounts"}
    assert saved["answers"]["AUT-03"]["evidence"] == ["CHG-1182", "runbook/renewal"]
    assert set(saved["answers"]) == {"INV-01", "INV-02", "INV-03", "AUT-01", "AUT-02", "AUT-03"}

    scored = practices(cli, workspace)
    expected = {
        "INV-01": ("fully", 1.0),
        "INV-02": ("largely", 2 / 3),
        "INV-03": ("na", None),
        "INV-04": ("unanswered", 0.0),
        "AUT-01": ("partially", 1 / 3),
        "AUT-02": ("largely", 2 / 3),
        "AUT-03": ("fully", 1.0),  # level 4 with documented evidence: the gate lets it count
        "AUT-04": ("unanswered", 0.0),
    }
    for practice, (answer, value) in expected.items():
        assert scored[practice]["answer"] == answer, practice
        assert scored[practice]["value"] == (pytest.approx(value) if value is not None else None)


@pytest.mark.slow
def test_every_bad_cell_is_reported_at_once(cli, tmp_path):
    workspace = mini_workspace(tmp_path / "ws")
    form = tmp_path / "form.xlsx"
    cli("questionnaire", "export", MINI, "--format", "xlsx", "--out", form)
    where = fill_xlsx(
        form,
        {
            "INV-01": {"Answer": "Fully"},  # case does not matter
            "INV-02": {"Answer": "na", "Reason (for na)": None},  # no reason
            "INV-03": {"Note": "ask Raj"},  # a note without an answer
            "AUT-01": {"Answer": "yes", "Evidence": "wiki"},
            "AUT-02": {"Reason (for na)": "n/a here"},  # a reason without an answer
        },
    )
    workbook = openpyxl.load_workbook(form)
    sheet = workbook["Lifecycle Automation"]
    sheet["A7"] = "AUT-99"  # a practice the questionnaire does not have
    sheet["E7"] = "fully"
    sheet["A8"] = "AUT-01"  # a second row for AUT-01
    sheet["J3"] = "see ticket 42"  # outside the form's columns
    sheet["F9"] = "orphan note"  # a row without a practice id
    workbook.save(form)

    result = cli("answers", "import", workspace, form, "--respondent", "Jane Doe")
    assert result.exit_code == 2
    lines = [line.strip() for line in result.stderr.splitlines()]
    assert lines[0] == "error: 8 problems:"
    prefix = f"{form}: "
    expected = [
        f"{where[('INV-02', 'Reason (for na)')]}: INV-02 is answered na: say why it does not "
        "apply in this cell",
        f"{where[('INV-03', 'Note')]}: INV-03 has a note but no answer: choose an answer "
        "(unknown if you do not know) or clear the cell",
        f"{where[('AUT-01', 'Answer')]}: 'yes' is not an answer ({SCALE_TEXT})",
        f"{where[('AUT-02', 'Reason (for na)')]}: AUT-02 has a reason but no answer: choose an "
        "answer (unknown if you do not know) or clear the cell",
        "sheet 'Lifecycle Automation' cell A7: unknown practice id 'AUT-99' (not in "
        "questionnaire mini 0.1.0)",
        "sheet 'Lifecycle Automation' cell A8: practice AUT-01 has a second row (the first is "
        "at sheet 'Lifecycle Automation' cell A2): keep one row per practice",
        "sheet 'Lifecycle Automation' cell F9: 'orphan note' is in a row without a practice "
        "id: put it on the row of its practice",
        "sheet 'Lifecycle Automation' cell J3: 'see ticket 42' is outside the form's columns: "
        "move it to the Note column",
    ]
    for message in expected:
        assert prefix + message in lines, message
    assert not list((workspace / "answers").iterdir())


@pytest.mark.slow
def test_a_form_for_another_questionnaire_version_is_refused(cli, tmp_path):
    workspace = mini_workspace(tmp_path / "ws")
    form = tmp_path / "form.xlsx"
    cli("questionnaire", "export", MINI, "--format", "xlsx", "--out", form)
    where = fill_xlsx(form, {"INV-01": {"Answer": "fully"}}, fields={"Version": "0.0.9"})
    result = cli("answers", "import", workspace, form, "--respondent", "Jane Doe")
    assert result.exit_code == 2
    assert (
        f"{form}: {where[('Instructions', 'Version')]}: the form is for version '0.0.9', but "
        "this workspace uses mini 0.1.0" in result.stderr
    )
    assert "assess questionnaire export mini --format xlsx|csv" in result.stderr

    cli("questionnaire", "export", "cmmm", "--format", "xlsx", "--out", form)
    result = cli("answers", "import", workspace, form, "--respondent", "Jane Doe")
    assert result.exit_code == 2
    assert "the form is for questionnaire 'cmmm', but this workspace uses mini" in result.stderr


@pytest.mark.slow
def test_reimport_replaces_answered_practices_and_keeps_the_rest(cli, tmp_path):
    workspace = mini_workspace(tmp_path / "ws")
    existing = workspace / "answers" / "jane.yaml"
    existing.write_text(
        "# Interview of 2026-11-02, notes by Ann\n"
        "respondent: {name: Jane Doe}\n"
        "answers:\n"
        "  INV-01:\n"
        "    answer: partially   # before the spreadsheet was shared\n"
        "    note: old note\n"
        "  INV-04:\n"
        "    answer: not\n"
        "  AUT-01:\n"
        "    answer: partially\n",
        encoding="utf-8",
    )
    form = tmp_path / "form.xlsx"
    cli("questionnaire", "export", MINI, "--format", "xlsx", "--out", form)
    fill_xlsx(
        form,
        {
            "INV-01": {"Answer": "largely"},
            "INV-02": {"Answer": "fully"},
            "AUT-01": {"Answer": "partially"},
        },
        name="Jane Doe",
        role="",
    )
    args = ("answers", "import", workspace, form, "--respondent", "Jane Doe", "--role", "PKI lead")
    before = existing.read_bytes()
    result = cli(*args)  # Jane has answers: the import must say what to do with them
    assert result.exit_code == 2
    assert (
        f"{existing}: Jane Doe already has answers to 3 practices; this form changes 1 of them "
        "and leaves 1 blank" in result.stderr
    )
    assert "--merge" in result.stderr and "--replace" in result.stderr
    assert existing.read_bytes() == before

    result = cli(*args, "--merge")
    assert result.exit_code == 0, result.output
    # INV-02 new; INV-01 changed; AUT-01 the same; 5 blank, INV-04 of them answered before.
    assert "3 answered (1 new, 1 changed, 1 unchanged), 5 blank (1 keep an earlier answer)" in (
        result.stdout
    )
    assert "  INV-01: partially → largely, note changed\n" in result.stdout
    assert "answers/jane.yaml" in result.stdout  # the respondent's existing file
    text = existing.read_text()
    assert "# Interview of 2026-11-02, notes by Ann" in text
    assert "# before the spreadsheet was shared" in text
    saved = YAML(typ="safe").load(text)
    assert saved["respondent"] == {"name": "Jane Doe", "role": "PKI lead"}
    # The form's answer replaces the whole entry: the old note goes with the old answer.
    assert saved["answers"]["INV-01"] == {"answer": "largely"}
    assert saved["answers"]["INV-04"] == {"answer": "not"}
    assert saved["answers"]["INV-02"] == {"answer": "fully"}
    assert sorted(p.name for p in (workspace / "answers").iterdir()) == ["jane.yaml"]


@pytest.mark.slow
def test_a_form_naming_another_respondent_is_refused(cli, tmp_path):
    workspace = mini_workspace(tmp_path / "ws")
    form = tmp_path / "form.xlsx"
    cli("questionnaire", "export", MINI, "--format", "xlsx", "--out", form)
    where = fill_xlsx(form, {"INV-01": {"Answer": "not"}}, name="Raj Patel")
    result = cli("answers", "import", workspace, form, "--respondent", "Jane Doe")
    assert result.exit_code == 2, result.output
    assert (
        f"{form}: {where[('Instructions', 'Respondent name')]}: the form names its respondent "
        "'Raj Patel', not 'Jane Doe': import it with --respondent 'Raj Patel', or correct the "
        "name on the form" in result.stderr
    )
    assert not list((workspace / "answers").iterdir())
    # The same name, written in other case and spacing, is the same person.
    fill_xlsx(form, {}, name="  jane   DOE ")
    result = cli("answers", "import", workspace, form, "--respondent", "Jane Doe")
    assert result.exit_code == 0, result.output
    assert answers_file(workspace)["respondent"]["name"] == "Jane Doe"


@pytest.mark.slow
def test_an_empty_form_writes_nothing(cli, tmp_path):
    workspace = mini_workspace(tmp_path / "ws")
    form = tmp_path / "form.xlsx"
    cli("questionnaire", "export", MINI, "--format", "xlsx", "--out", form)
    result = cli("answers", "import", workspace, form, "--respondent", "Jane Doe")
    assert result.exit_code == 0
    assert "no practice is answered; nothing written (8 blank)" in result.stderr
    assert not list((workspace / "answers").iterdir())


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("form.xlsx", b"PK\x03\x04 not really a zip", "not a readable XLSX workbook"),
        ("form.ods", b"whatever", "cannot read .ods files"),
        ("missing.xlsx", None, "no such file"),
    ],
)
def test_unreadable_forms(cli, tmp_path, name, content, message):
    workspace = mini_workspace(tmp_path / "ws")
    form = tmp_path / name
    if content is not None:
        form.write_bytes(content)
    result = cli("answers", "import", workspace, form, "--respondent", "Jane Doe")
    assert result.exit_code == 2
    assert f"{form}: {message}" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.slow
def test_without_openpyxl_the_xlsx_form_says_how_to_install_it(cli, tmp_path, monkeypatch):
    workspace = mini_workspace(tmp_path / "ws")
    form = tmp_path / "form.xlsx"
    cli("questionnaire", "export", MINI, "--format", "xlsx", "--out", form)
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # `import openpyxl` now fails
    for args in (
        ("questionnaire", "export", MINI, "--format", "xlsx", "--out", tmp_path / "new.xlsx"),
        ("answers", "import", workspace, form, "--respondent", "Jane Doe"),
    ):
        result = cli(*args)
        assert result.exit_code == 3, result.output
        assert "pip install 'cmmm-assess[xlsx]'" in result.stderr
        assert "pip install '.[xlsx]' in a clone" in result.stderr
    assert not (tmp_path / "new.xlsx").exists()
    # CSV needs nothing extra.
    assert cli("questionnaire", "export", MINI, "--format", "csv").exit_code == 0


# --- CSV ----------------------------------------------------------------------------------------


@pytest.mark.slow
def test_csv_form_goes_to_stdout_with_a_bom_and_one_row_per_practice(cli):
    result = cli("questionnaire", "export", "cmmm", "--format", "csv")
    assert result.exit_code == 0
    data = result.stdout_bytes
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark, for Excel
    text = data.decode("utf-8-sig")
    assert "\r\n" in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = rows[0]
    assert header == [
        "Dimension", "Practice", "Level", "Title", "Question", "Guidance",
        "Answer", "Note", "Evidence", "Reason (for na)", "Questionnaire", "Version",
    ]  # fmt: skip
    questionnaire = load_questionnaire(CMMM).questionnaire
    assert [r[1] for r in rows[1:]] == list(questionnaire.practices) and len(rows) == 94
    assert {(r[10], r[11]) for r in rows[1:]} == {("cmmm", "1.1.0")}
    assert text.count("\r\n") == 94  # one physical line per row: line numbers are row numbers


@pytest.mark.slow
def test_csv_round_trip_reports_the_bad_cell_then_imports_and_scores(cli, tmp_path):
    workspace = mini_workspace(tmp_path / "ws")
    form = tmp_path / "form.csv"
    assert cli("questionnaire", "export", MINI, "--format", "csv", "--out", form).exit_code == 0
    where = fill_csv(form, FILLED)
    result = cli("answers", "import", workspace, form, "--respondent", "Jane Doe")
    assert result.exit_code == 2
    line, letter = where[("AUT-02", "Answer")]
    assert (
        f"{form}:{line}: column {letter} (Answer): 'mostly' is not an answer ({SCALE_TEXT})"
        in result.stderr
    )
    assert not list((workspace / "answers").iterdir())

    fill_csv(form, {"AUT-02": {"Answer": "largely"}})
    result = cli("answers", "import", workspace, form, "--respondent", "Jane Doe")
    assert result.exit_code == 0, result.output
    assert "6 answered (6 new, 0 changed, 0 unchanged), 2 blank" in result.stdout
    scored = practices(cli, workspace)
    assert {p: scored[p]["answer"] for p in scored} == {
        "INV-01": "fully", "INV-02": "largely", "INV-03": "na", "INV-04": "unanswered",
        "AUT-01": "partially", "AUT-02": "largely", "AUT-03": "fully", "AUT-04": "unanswered",
    }  # fmt: skip
    assert answers_file(workspace)["answers"]["AUT-03"]["evidence"] == [
        "CHG-1182",
        "runbook/renewal",
    ]


def test_csv_saved_by_a_semicolon_locale_without_bom(cli, tmp_path):
    workspace = mini_workspace(tmp_path / "ws")
    form = tmp_path / "form.csv"
    cli("questionnaire", "export", MINI, "--format", "csv", "--out", form)
    fill_csv(
        form,
        {
            "INV-01": {"Answer": "Fully", "Note": "ok; see wiki"},
            "INV-02": {"Answer": "N/A", "Reason (for na)": "one CA only"},
            "AUT-01": {"Answer": "p"},
        },
        delimiter=";",
        bom=False,
    )
    result = cli("answers", "import", workspace, form, "--respondent", "Jane Doe")
    assert result.exit_code == 0, result.output
    saved = answers_file(workspace)["answers"]
    assert saved["INV-01"] == {"answer": "fully", "note": "ok; see wiki"}
    assert saved["INV-02"] == {"answer": "na", "reason": "one CA only"}
    assert saved["AUT-01"] == {"answer": "partially"}


def test_csv_resaved_after_a_windows_1252_reading_keeps_its_header(cli, tmp_path):
    # LibreOffice reads a CSV file as Windows-1252 unless told otherwise: the BOM becomes three
    # characters in the first cell; saved again as UTF-8, they stay.
    workspace = mini_workspace(tmp_path / "ws")
    form = tmp_path / "form.csv"
    cli("questionnaire", "export", MINI, "--format", "csv", "--out", form)
    fill_csv(form, {"INV-01": {"Answer": "fully"}}, bom=False)
    text = form.read_bytes().decode("utf-8")
    form.write_bytes(("\ufeff".encode().decode("cp1252") + text).encode("utf-8"))
    assert form.read_text(encoding="utf-8").startswith("ï»¿Dimension,")
    result = cli("answers", "import", workspace, form, "--respondent", "Jane Doe")
    assert result.exit_code == 0, result.output
    assert answers_file(workspace)["answers"] == {"INV-01": {"answer": "fully"}}


@pytest.mark.slow
def test_csv_problems_with_line_and_column(cli, tmp_path):
    workspace = mini_workspace(tmp_path / "ws")
    form = tmp_path / "form.csv"
    cli("questionnaire", "export", MINI, "--format", "csv", "--out", form)
    rows = read_csv(form)
    rows[1][6] = "fully"
    rows.append(list(rows[1]))  # a duplicate row for INV-01, line 10
    rows[2][-1] = ""  # a blank version cell is fine when the others say it
    rows[3] += ["stray"]  # column M, line 4
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    form.write_text(buffer.getvalue(), encoding="utf-8")
    result = cli("answers", "import", workspace, form, "--respondent", "Jane Doe")
    assert result.exit_code == 2
    assert f"{form}:4: column M: 'stray' is outside the form's columns" in result.stderr
    assert (
        f"{form}:10: column B (Practice): practice INV-01 has a second row (the first is at "
        "line 2 column B (Practice))" in result.stderr
    )

    form.write_bytes("Practice,Answer\nINV-01,caf\xe9\n".encode("latin-1"))
    result = cli("answers", "import", workspace, form, "--respondent", "Jane Doe")
    assert result.exit_code == 2
    assert f"{form}:2: not UTF-8 text" in result.stderr and "CSV UTF-8" in result.stderr

    form.write_text("Practice,Answer\nINV-01,fully\n", encoding="utf-8")
    result = cli("answers", "import", workspace, form, "--respondent", "Jane Doe")
    assert result.exit_code == 2
    assert "the form does not say which questionnaire it is for" in result.stderr

    form.write_text("Id,Response\nINV-01,fully\n", encoding="utf-8")
    result = cli("answers", "import", workspace, form, "--respondent", "Jane Doe")
    assert result.exit_code == 2
    assert f"{form}:1: no 'Practice' and 'Answer' column in the first line" in result.stderr
