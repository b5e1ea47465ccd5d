"""`assess report` and `assess demo` from the command line: formats, paths, errors."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys

import pytest
from report_fixtures import REPORT_DAY, mini_report_workspace

from assess.publish.demo import MARKER


@pytest.fixture
def ws(tmp_path):
    return mini_report_workspace(tmp_path / "ws")


def test_json_format_is_the_score_json(ws, cli):
    done = cli("report", ws, "-f", "json", "--at", REPORT_DAY)
    assert done.exit_code == 0, done.stderr
    assert "wrote" in done.stdout and "result.json" in done.stdout
    printed = cli("score", ws, "--json", "--at", REPORT_DAY).stdout
    assert (ws / "reports" / "result.json").read_text(encoding="utf-8") == printed


def test_a_single_format_can_be_written_to_a_file_name(ws, cli, tmp_path):
    target = tmp_path / "out" / "acme.html"
    done = cli("report", ws, "--format", "html", "--out", target, "--at", REPORT_DAY)
    assert done.exit_code == 0, done.stderr
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert not (ws / "reports").exists()


def test_the_out_file_name_chooses_the_format_and_must_agree_with_it(ws, cli, tmp_path):
    target = tmp_path / "acme.json"
    done = cli("report", ws, "--out", target, "--at", REPORT_DAY)  # no --format: from .json
    assert done.exit_code == 0, done.stderr
    assert json.loads(target.read_text(encoding="utf-8"))["schema"] == "cmmm-result/1"
    wrong = tmp_path / "acme.html"
    done = cli("report", ws, "-f", "pdf", "--out", wrong, "--at", REPORT_DAY)
    assert done.exit_code == 2
    assert f"--out {wrong}: a .html file cannot hold pdf" in done.stderr
    assert not wrong.exists()  # no folder named acme.html either


@pytest.mark.slow
def test_several_formats_go_into_the_out_folder(ws, cli, tmp_path):
    done = cli(
        "report",
        ws,
        "-f",
        "html",
        "-f",
        "roadmap-csv",
        "-f",
        "roadmap-xlsx",
        "-o",
        tmp_path / "out",
        "--at",
        REPORT_DAY,
    )
    assert done.exit_code == 0, done.stderr
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["report.html", "roadmap.csv", "roadmap.xlsx"]


def test_roadmap_exports_agree_with_the_result(ws, cli, tmp_path):
    from openpyxl import load_workbook

    result = json.loads(cli("score", ws, "--json", "--at", REPORT_DAY).stdout)
    cli("report", ws, "-f", "roadmap-csv", "-f", "roadmap-xlsx", "-o", tmp_path, "--at", REPORT_DAY)
    rows = list(csv.reader(io.StringIO((tmp_path / "roadmap.csv").read_text(encoding="utf-8"))))
    steps = result["roadmap"]
    assert len(rows) == 1 + len(steps)
    assert [r[2] for r in rows[1:]] == [s["practice"] for s in steps]
    assert [int(r[1]) for r in rows[1:]] == [s["phase"] for s in steps]
    header = rows[0]
    column = {name: header.index(name) for name in ("Answer counted", "Answer given", "Assessed")}
    assert [r[column["Answer counted"]].lower() for r in rows[1:]] == [s["counted"] for s in steps]
    assert [r[column["Assessed"]] for r in rows[1:]] == [str(s["is_assessed"]) for s in steps]
    sheet = load_workbook(tmp_path / "roadmap.xlsx").active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == rows[0]
    assert [v[2] for v in values[1:]] == [s["practice"] for s in steps]
    assert sheet.freeze_panes == "A2"


def test_score_warns_on_stderr_that_a_draft_is_a_draft(ws, cli, tmp_path):
    # The mini workspace leaves INV-04 and AUT-04 unanswered; AUT-02 is N/A: 2 of 7.
    from report_fixtures import COMPLETE_ANSWERS

    for args in (("--json",), ()):
        done = cli("score", ws, *args, "--at", REPORT_DAY)
        assert done.exit_code == 0
        assert done.stderr == (
            "DRAFT: 2 of 7 applicable practices are unanswered and count as not implemented; "
            "answer them before the report is signed\n"
        )
    document = json.loads(cli("score", ws, "--json", "--at", REPORT_DAY).stdout)
    assert (document["complete"], document["unanswered"]) == (False, 2)
    complete = mini_report_workspace(tmp_path / "complete", COMPLETE_ANSWERS)
    done = cli("score", complete, "--json", "--at", REPORT_DAY)
    assert done.stderr == "" and json.loads(done.stdout)["complete"] is True


def test_xlsx_without_openpyxl_is_an_environment_problem(ws, cli, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    done = cli("report", ws, "-f", "roadmap-xlsx", "-o", tmp_path, "--at", REPORT_DAY)
    assert done.exit_code == 3
    assert "openpyxl" in done.stderr and "cmmm-assess[xlsx]" in done.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-f", "odt"), "unknown format 'odt'"),
        (("--pdf-variant", "pdf/a-1b"), "unknown variant 'pdf/a-1b'"),
        (("--at", "yesterday"), "not an ISO 8601 date"),
    ],
)
def test_bad_options_exit_2(ws, cli, args, message):
    done = cli("report", ws, *args)
    assert done.exit_code == 2
    assert message in done.stderr


def test_a_bad_baseline_names_the_file_and_field(ws, cli, tmp_path):
    bad = tmp_path / "old.json"
    bad.write_text('{"schema": "cmmm-result/1", "evaluated_at": "soon"}', encoding="utf-8")
    done = cli("report", ws, "-f", "html", "--baseline", bad)
    assert done.exit_code == 2
    assert str(bad) in done.stderr and "evaluated_at" in done.stderr
    bad.write_text("[1, 2", encoding="utf-8")
    done = cli("report", ws, "-f", "html", "--baseline", bad)
    assert done.exit_code == 2 and "invalid JSON" in done.stderr


def test_a_baseline_of_another_questionnaire_is_refused(ws, cli, tmp_path):
    document = json.loads(cli("score", ws, "--json", "--at", REPORT_DAY).stdout)
    document["questionnaire"]["id"] = "other"
    document["added_by_a_later_version"] = True  # unknown fields are accepted
    baseline = tmp_path / "old.json"
    baseline.write_text(json.dumps(document), encoding="utf-8")
    done = cli("report", ws, "-f", "html", "--baseline", baseline)
    assert done.exit_code == 2
    assert "cannot be compared" in done.stderr


def test_demo_refuses_a_folder_it_did_not_write(cli, tmp_path):
    (tmp_path / "mine.txt").write_text("precious", encoding="utf-8")
    done = cli("demo", "--out", tmp_path)
    assert done.exit_code == 2
    assert "not written by assess demo" in done.stderr
    assert (tmp_path / "mine.txt").read_text(encoding="utf-8") == "precious"


@pytest.mark.slow
def test_demo_keeps_a_copy_someone_changed(cli, tmp_path, demo_run):
    out = tmp_path / "cmmm-demo"
    shutil.copytree(demo_run.root, out)  # what `assess demo` wrote, without rendering it again
    assert cli("demo", "--out", out).exit_code == 0  # unchanged, its reports aside: written again
    answers = out / "answers" / "dev-okafor.yaml"
    edited = answers.read_text(encoding="utf-8") + "# my experiment\n"
    answers.write_text(edited, encoding="utf-8")
    (out / "answers" / "new-person.yaml").write_text("respondent: {name: New}\n")
    again = cli("demo", "--out", out)
    assert again.exit_code == 2
    assert "answers/dev-okafor.yaml and 1 more changed since assess demo wrote" in again.stderr
    assert answers.read_text(encoding="utf-8") == edited
    assert (out / "answers" / "new-person.yaml").exists()


@pytest.mark.slow
def test_demo_copies_the_example_and_may_write_it_again(demo_run):
    root = demo_run.root
    assert (root / MARKER).exists()
    assert sorted(p.name for p in (root / "answers").iterdir()) == [
        "dev-okafor.yaml",
        "marta-kowalski.yaml",
        "sofia-lindqvist.yaml",
    ]
    for name in ("report.html", "report.pdf", "result.json"):
        assert f"reports/{name}" in demo_run.stdout
    assert "--baseline" in demo_run.stdout and "--at 2026-11-27" in demo_run.stdout


def test_pdf_without_weasyprint_is_an_environment_problem(ws, cli, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    done = cli("report", ws, "-f", "pdf", "--at", REPORT_DAY)
    assert done.exit_code == 3
    assert "WeasyPrint" in done.stderr and "--format html" in done.stderr
    assert not (ws / "reports").exists()


def test_the_command_line_starts_without_the_heavy_libraries():
    import subprocess

    probe = (
        "import sys, assess.cli; heavy = ('weasyprint', 'openpyxl', 'jinja2', 'pypdf'); "
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
