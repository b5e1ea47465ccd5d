"""Importing forms: whose answers they are, what happens to saved ones, and every typed cell kept
or accounted for.

Expected answers come from what each test writes into the form or the answers file; cell
references from openpyxl's own coordinates of the cells the test filled.
"""

from __future__ import annotations

import openpyxl
from factories import MINI, mini_workspace
from formfill import answers_file, fill_csv, fill_xlsx
from ruamel.yaml import YAML

JANE = (
    "# Interview of 2026-11-02\n"
    "respondent: {name: Jane Doe, role: PKI lead}\n"
    "answers:\n"
    "  INV-01:\n"
    "    answer: partially   # before the spreadsheet was shared\n"
    "    note: a list in the wiki\n"
    "  INV-04:\n"
    "    answer: not\n"
    "  AUT-01:\n"
    "    answer: partially\n"
)
"""Jane's answers from an interview: three practices, comments by hand."""


def _workspace_with_jane(tmp_path):
    workspace = mini_workspace(tmp_path / "ws")
    (workspace / "answers" / "jane-doe.yaml").write_text(JANE, encoding="utf-8")
    return workspace


def _form(cli, tmp_path, format="xlsx"):
    form = tmp_path / f"form.{format}"
    assert cli("questionnaire", "export", MINI, "--format", format, "--out", form).exit_code == 0
    return form


def test_raj_s_form_imported_as_jane_changes_nothing(cli, tmp_path):
    workspace = _workspace_with_jane(tmp_path)
    form = _form(cli, tmp_path)
    where = fill_xlsx(
        form,
        {"INV-01": {"Answer": "fully"}, "INV-04": {"Answer": "largely"}},
        name="Raj Patel",
        role="Ops",
    )
    for mode in ((), ("--merge",), ("--replace",)):
        result = cli("answers", "import", workspace, form, "--respondent", "Jane Doe", *mode)
        assert result.exit_code == 2, result.output
        assert f"{form}: {where[('Instructions', 'Respondent name')]}: the form names" in (
            result.stderr
        )
        assert (workspace / "answers" / "jane-doe.yaml").read_text() == JANE


def test_a_name_in_other_case_finds_the_respondent_s_file(cli, tmp_path):
    workspace = _workspace_with_jane(tmp_path)
    form = _form(cli, tmp_path, "csv")
    fill_csv(form, {"AUT-02": {"Answer": "fully"}})
    result = cli("answers", "import", workspace, form, "--respondent", "jane  doe", "--merge")
    assert result.exit_code == 0, result.output
    assert "jane-doe.yaml (Jane Doe): 1 answered (1 new, 0 changed, 0 unchanged)" in result.stdout
    assert sorted(p.name for p in (workspace / "answers").iterdir()) == ["jane-doe.yaml"]
    saved = answers_file(workspace)
    assert saved["respondent"]["name"] == "Jane Doe"
    assert set(saved["answers"]) == {"INV-01", "INV-04", "AUT-01", "AUT-02"}


def test_replace_withdraws_the_answers_the_form_leaves_blank_and_says_so(cli, tmp_path):
    workspace = _workspace_with_jane(tmp_path)
    form = _form(cli, tmp_path)
    fill_xlsx(
        form,
        {
            "INV-01": {"Answer": "partially", "Note": "a list in the wiki"},  # as saved
            "INV-02": {"Answer": "fully"},
            "AUT-01": {"Answer": "largely", "Evidence": "CHG-7"},
        },
    )
    result = cli("answers", "import", workspace, form, "--respondent", "Jane Doe", "--replace")
    assert result.exit_code == 0, result.output
    # The summary's line, wherever the runner puts the warnings (older typer mixes stderr in).
    lines = result.stdout.splitlines()
    lines = lines[next(i for i, line in enumerate(lines) if " answered (" in line) :]
    # INV-02 new, AUT-01 changed, INV-01 unchanged; of the 5 blank ones INV-04 had an answer.
    assert lines[0].endswith(
        "3 answered (1 new, 1 changed, 1 unchanged), 5 blank (1 earlier answer withdrawn)"
    )
    assert lines[1:3] == [
        "  AUT-01: partially → largely, evidence changed",
        "  INV-04: not withdrawn",
    ]
    text = (workspace / "answers" / "jane-doe.yaml").read_text()
    assert "# Interview of 2026-11-02" in text and "# before the spreadsheet was shared" in text
    saved = YAML(typ="safe").load(text)["answers"]
    assert saved == {
        "INV-01": {"answer": "partially", "note": "a list in the wiki"},
        "INV-02": {"answer": "fully"},
        "AUT-01": {"answer": "largely", "evidence": ["CHG-7"]},
    }


def test_merge_and_replace_exclude_each_other(cli, tmp_path):
    workspace = _workspace_with_jane(tmp_path)
    form = _form(cli, tmp_path)
    fill_xlsx(form, {"INV-01": {"Answer": "fully"}})
    args = ("answers", "import", workspace, form, "--respondent", "Jane Doe")
    result = cli(*args, "--merge", "--replace")
    assert result.exit_code == 2
    assert "--merge and --replace exclude each other" in result.stderr
    assert (workspace / "answers" / "jane-doe.yaml").read_text() == JANE


def test_text_that_looks_like_a_formula_is_kept_as_typed(cli, tmp_path):
    workspace = mini_workspace(tmp_path / "ws")
    typed = {
        "INV-01": {"Answer": "fully", "Note": "=see wiki", "Evidence": '=HYPERLINK("x")'},
        "INV-02": {"Answer": "largely", "Note": "+44 20 7946 0000"},
        "AUT-01": {"Answer": "partially", "Note": "@ops-team owns it"},
        "AUT-02": {"Answer": "not", "Note": "- nothing yet"},
    }
    form = _form(cli, tmp_path)
    where = fill_xlsx(form, typed)  # openpyxl saves "=see wiki" as a formula, with no value
    sheet, _, coordinate = where[("INV-01", "Note")].removeprefix("sheet '").partition("' cell ")
    assert openpyxl.load_workbook(form)[sheet][coordinate].data_type == "f"
    result = cli("answers", "import", workspace, form, "--respondent", "Jane Doe")
    assert result.exit_code == 0, result.output
    saved = answers_file(workspace)["answers"]
    assert saved["INV-01"] == {
        "answer": "fully",
        "note": "=see wiki",
        "evidence": ['=HYPERLINK("x")'],
    }
    assert saved["INV-02"]["note"] == "+44 20 7946 0000"
    assert saved["AUT-01"]["note"] == "@ops-team owns it"
    assert saved["AUT-02"]["note"] == "- nothing yet"

    other = mini_workspace(tmp_path / "ws2")
    form = _form(cli, tmp_path, "csv")
    fill_csv(form, typed)
    result = cli("answers", "import", other, form, "--respondent", "Jane Doe")
    assert result.exit_code == 0, result.output
    assert answers_file(other)["answers"] == saved


def test_an_answer_given_by_a_formula_is_refused(cli, tmp_path):
    workspace = mini_workspace(tmp_path / "ws")
    form = _form(cli, tmp_path)
    where = fill_xlsx(form, {"INV-01": {"Answer": '=IF(TRUE,"fully","not")'}})
    result = cli("answers", "import", workspace, form, "--respondent", "Jane Doe")
    assert result.exit_code == 2
    assert (
        f'{form}: {where[("INV-01", "Answer")]}: holds a formula (=IF(TRUE,"fully","not")), '
        "which is never evaluated: type the answer itself" in result.stderr
    )
    assert not list((workspace / "answers").iterdir())


def test_cells_that_are_not_imported_are_warned_about(cli, tmp_path):
    workspace = mini_workspace(tmp_path / "ws")
    form = _form(cli, tmp_path)
    where = fill_xlsx(
        form,
        {
            "INV-01": {"Answer": "fully", "Reason (for na)": "we only have one CA"},
            "INV-02": {"Answer": "na", "Reason (for na)": "one team only"},
            "AUT-01": {"Answer": "partially", "Guidance": "we do this for the web servers"},
        },
    )
    result = cli("answers", "import", workspace, form, "--respondent", "Jane Doe")
    assert result.exit_code == 0, result.output
    assert (
        f"warning: {form}: {where[('INV-01', 'Reason (for na)')]}: not imported: INV-01 is "
        "answered fully, and a reason only says why a practice does not apply (na); move it to "
        "the Note column to keep it" in result.stderr
    )
    assert (
        f"warning: {form}: {where[('AUT-01', 'Guidance')]}: not imported: 'we do this for the "
        "web servers' replaces the form's text in the Guidance column" in result.stderr
    )
    assert result.stderr.count("warning:") == 2  # the untouched read-only cells are fine
    saved = answers_file(workspace)["answers"]
    assert saved["INV-01"] == {"answer": "fully"}
    assert saved["INV-02"] == {"answer": "na", "reason": "one team only"}
    assert saved["AUT-01"] == {"answer": "partially"}
