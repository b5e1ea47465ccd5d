"""Workspaces through the CLI: init, score, and every kind of bad input (exit 2, located, no
traceback)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from factories import MINI, mini_workspace, write_yaml

from assess.model.result import Result


def test_init_creates_the_workspace(cli, tmp_path):
    target = tmp_path / "acme-2026q4"
    result = cli(
        "init",
        target,
        "--org",
        "Acme Corp",
        "--questionnaire",
        MINI,
        "--target",
        "4",
        "--assessor",
        "Ann Auditor",
        "--assessor",
        "Bo Consultant",
        "--start",
        "2026-11-02",
        "--scope",
        "Public TLS",
    )
    assert result.exit_code == 0, result.output
    text = (target / "assessment.yaml").read_text()
    for line in (
        "organisation: Acme Corp",
        "  - Ann Auditor",
        "  - Bo Consultant",
        "  start: 2026-11-02",
        "  id: mini",
        "  version: 0.1.0",
        "  file: questionnaire.yaml",
        "  default: 4",
        "evidence_policy: strict",
        "scope: Public TLS",
    ):
        assert line in text.splitlines(), line
    assert (target / "answers").is_dir() and (target / "evidence").is_dir()
    # The tailored questionnaire travels with the workspace.
    assert (target / "questionnaire.yaml").read_bytes() == MINI.read_bytes()
    # A fresh workspace scores: everything unanswered, level 1.
    scored = cli("score", target, "--json", "--at", "2026-11-26")
    assert scored.exit_code == 0
    assert json.loads(scored.stdout)["overall"]["level"] == 1


def test_init_refuses_to_overwrite(cli, tmp_path):
    mini_workspace(tmp_path / "ws")
    result = cli("init", tmp_path / "ws", "--org", "Other", "--questionnaire", MINI)
    assert result.exit_code == 2
    assert "an assessment already exists here" in result.stderr


def test_score_json_is_the_result_document(cli, tmp_path):
    ws = mini_workspace(
        tmp_path / "ws",
        {
            "Jane Doe": {
                "INV-01": {"answer": "fully"},
                "INV-02": {"answer": "largely", "note": "CMDB"},
                "AUT-01": {"answer": "partially"},
            },
            "Raj Patel": {
                "INV-01": {"answer": "largely"},
                "INV-02": {"answer": "fully"},
                "AUT-04": {"answer": "na", "reason": "no automation platform"},
            },
        },
        targets={"default": 3, "automation": 4},
        overrides={
            "AUT-01": {
                "answer": "largely",
                "justification": "renewal scripts seen",
                "evidence": ["repo/scripts"],
            }
        },
    )
    result = cli("score", ws, "--json", "--at", "2026-11-26")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    Result.model_validate(document)  # the document parses back into the model
    assert document["schema"] == "cmmm-result/1"
    assert document["questionnaire"] == {
        "id": "mini",
        "version": "0.1.0",
        "title": "Mini certificate questionnaire",
    }
    assert document["evaluated_at"] == "2026-11-26"
    assert document["assessment"]["organisation"] == "Acme Corp"
    inventory, automation = document["dimensions"]
    # inventory: INV-01 [largely, fully] → largely; INV-02 [largely, fully] → largely; INV-03
    # unanswered → level 3, completion toward 4 = 0 → 3.0
    assert (inventory["level"], inventory["score"], inventory["gap"]) == (3, 3.0, 0)
    # automation: AUT-01 override largely (met), AUT-02 unanswered → level 2, completion 0;
    # AUT-04 is na.
    assert (automation["level"], automation["score"], automation["target"], automation["gap"]) == (
        2,
        2.0,
        4,
        2,
    )
    aut01 = automation["practices"][0]
    assert aut01["answer"] == "largely" and aut01["flags"] == ["override"]
    assert aut01["override"]["justification"] == "renewal scripts seen"
    aut04 = automation["practices"][3]
    assert (aut04["answer"], aut04["value"], aut04["na_reasons"]) == (
        "na",
        None,
        ["no automation platform"],
    )
    # overall (5·3 + 3·2) / 8 = 21/8 = 2.625
    assert document["overall"]["score"] == pytest.approx(2.625)
    assert document["overall"]["level"] == 2
    # roadmap: AUT-02 (phase 1; needs INV-02, met), AUT-03 (level 4 − 2 = phase 2)
    assert [(s["practice"], s["phase"], s["order"]) for s in document["roadmap"]] == [
        ("AUT-02", 1, 1),
        ("AUT-03", 2, 2),
    ]
    assert [r["name"] for r in document["respondents"]] == ["Jane Doe", "Raj Patel"]


def test_an_answers_file_ending_in_yml_is_read(cli, tmp_path):
    ws = mini_workspace(tmp_path / "ws", {"Jane Doe": {"INV-01": {"answer": "fully"}}})
    (ws / "answers" / "raj.yml").write_text(
        "respondent: {name: Raj Patel}\nanswers:\n  INV-01: {answer: not}\n", encoding="utf-8"
    )
    result = cli("score", ws, "--json", "--at", "2026-11-26")
    assert result.exit_code == 0, result.output
    (practice,) = [
        p
        for d in json.loads(result.stdout)["dimensions"]
        for p in d["practices"]
        if p["id"] == "INV-01"
    ]
    assert sorted(r["respondent"] for r in practice["respondents"]) == ["Jane Doe", "Raj Patel"]


def test_score_table_and_fail_under(cli, tmp_path):
    ws = mini_workspace(
        tmp_path / "ws", {"Jane": {"INV-01": {"answer": "fully"}, "AUT-01": {"answer": "fully"}}}
    )
    table = cli("score", ws, "--at", "2026-11-26")
    assert table.exit_code == 0
    assert "Discovery & Inventory" in table.stdout and "2 Basic" in table.stdout
    assert (
        "Overall" in table.stdout and "Roadmap: 2 steps in 1 phase; first: INV-02" in table.stdout
    )
    assert cli("score", ws, "--fail-under", "2", "--at", "2026-11-26").exit_code == 0
    failed = cli("score", ws, "--fail-under", "3", "--at", "2026-11-26")
    assert failed.exit_code == 1
    assert "overall level 2 is below --fail-under 3" in failed.stderr


def test_evaluation_date_defaults_to_source_date_epoch(cli, tmp_path):
    ws = mini_workspace(tmp_path / "ws")
    result = cli(
        "score", ws, "--json", env={"SOURCE_DATE_EPOCH": "1767225600"}
    )  # 2026-01-01T00:00Z
    assert json.loads(result.stdout)["evaluated_at"] == "2026-01-01"


# --- bad input: exit 2, the file and location in one message, no traceback --------------------


def answers_file(ws, text: str | bytes):
    path = ws / "answers" / "x.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


@pytest.mark.parametrize(
    ("content", "location", "message"),
    [
        (
            "respondent: {name: X}\nanswers:\n  INV-01: {answer: maybe}\n",
            ":3: answers.INV-01.answer",
            "'maybe' is not an answer (not, partially, largely, fully, unknown, na)",
        ),
        (
            "respondent: {name: X}\nanswers:\n  INV-01:\n    answer: na\n",
            ":3: answers.INV-01",
            "an 'na' answer needs a written 'reason'",
        ),
        (
            "respondent: {name: X}\nanswers:\n  INV-99: {answer: fully}\n",
            ":3: answers.INV-99",
            "unknown practice id 'INV-99'",
        ),
        (
            "respondent: {name: X}\nanswers:\n  INV-01: {answer: fully, evidence: TICKET-1}\n",
            ":3: answers.INV-01.evidence",
            "expected a list ([a, b], or one '- item' line each)",
        ),
        (
            "respondent: {name: X}\nanswers:\n  INV-01: [fully]\n",
            ":3: answers.INV-01",
            "expected a mapping (key: value lines, or {key: value})",
        ),
        ("respondent: X\n", ":1: respondent", "expected a mapping"),
        (
            "respondent: {name: X}\ninterviewed_at: 2026-13-45\nanswers: {}\n",
            ":2",
            "'2026-13-45' is not a valid date",
        ),
        ("respondent: {name: X}\nanswers:\n  INV-01: {answer: fully\n", ":4", "invalid YAML"),
        ("", "", "the file is empty"),
        (b"respondent: {name: J\xf6rg}\n", ":1", "not UTF-8"),
        (
            "respondent: {name: X}\nanswers:\n  INV-01: {answer: unanswered}\n",
            ":3: answers.INV-01.answer",
            "'unanswered' is not an answer",
        ),
    ],
)
def test_bad_answers_file(cli, tmp_path, content, location, message):
    ws = mini_workspace(tmp_path / "ws")
    path = answers_file(ws, content)
    result = cli("score", ws)
    assert result.exit_code == 2
    assert f"{path}{location}" in result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.output


def line_containing(path, text: str) -> int:
    """The 1-based number of the first line of ``path`` that contains ``text``."""
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


@pytest.mark.parametrize(
    ("fields", "field", "line_text", "message"),
    [
        (
            {"evidence_policy": "relaxed"},
            "evidence_policy",
            "evidence_policy:",
            "Input should be 'strict' or 'lenient'",
        ),
        ({"targets": {"default": 7}}, "targets.default", "default: 7", "less than or equal to 5"),
        (
            {"targets": {"default": 3, "nosuch": 4}},
            "targets.nosuch",
            "nosuch:",
            "unknown dimension 'nosuch'",
        ),
        (
            {"overrides": {"INV-01": {"answer": "fully"}}},
            "overrides.INV-01.justification",
            "INV-01:",
            "Field required",
        ),
        (
            {"overrides": {"XX-1": {"answer": "fully", "justification": "j"}}},
            "overrides.XX-1",
            "XX-1:",
            "unknown practice id 'XX-1'",
        ),
        (
            {"period": {"start": "yesterday"}},
            "period.start",
            "start: yesterday",
            "Input should be a valid date",
        ),
        ({"colour": "red"}, "colour", "colour: red", "unknown field"),
        (
            {"questionnaire": {"id": "mini", "version": "9.9", "file": "questionnaire.yaml"}},
            "questionnaire.version",
            "version: '9.9'",
            "is version 0.1.0",
        ),
    ],
)
def test_bad_assessment_file(cli, tmp_path, fields, field, line_text, message):
    ws = mini_workspace(tmp_path / "ws", **fields)
    path = ws / "assessment.yaml"
    result = cli("score", ws)
    assert result.exit_code == 2, result.output
    assert f"{path}:{line_containing(path, line_text)}: {field}: " in result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_several_problems_in_several_files_are_reported_together(cli, tmp_path):
    ws = mini_workspace(
        tmp_path / "ws", overrides={"XX-1": {"answer": "fully", "justification": "j"}}
    )
    write_yaml(
        ws / "answers" / "a.yaml",
        {"respondent": {"name": "A"}, "answers": {"ZZ-1": {"answer": "fully"}}},
    )
    write_yaml(ws / "answers" / "b.yaml", {"respondent": {"name": "A"}, "answers": {}})
    result = cli("score", ws)
    assert result.exit_code == 2
    assert "3 problems:" in result.stderr
    assert "unknown practice id 'XX-1'" in result.stderr
    assert "unknown practice id 'ZZ-1'" in result.stderr
    assert "respondent 'A' already has answers in answers/a.yaml" in result.stderr


def test_an_answers_file_s_schema_errors_and_unknown_practices_are_reported_together(cli, tmp_path):
    ws = mini_workspace(tmp_path / "ws")
    path = answers_file(
        ws,
        "respondent: {name: X}\n"
        "answers:\n"
        "  INV-01: {answer: mostly}\n"  # line 3: not an answer
        "  XYZ-99: {answer: fully}\n"  # line 4: no such practice
        "  INV-02: {answer: na}\n",  # line 5: na without a reason
    )
    result = cli("score", ws)
    assert result.exit_code == 2
    lines = [line.strip() for line in result.stderr.splitlines()]
    assert lines[0] == "error: 3 problems:"
    assert lines[1].startswith(f"{path}:3: answers.INV-01.answer: 'mostly' is not an answer")
    assert lines[2].startswith(f"{path}:4: answers.XYZ-99: unknown practice id 'XYZ-99'")
    assert lines[3] == f"{path}:5: answers.INV-02: an 'na' answer needs a written 'reason'"


def test_respondent_names_in_other_case_are_the_same_respondent(cli, tmp_path):
    ws = mini_workspace(tmp_path / "ws")
    write_yaml(ws / "answers" / "a.yaml", {"respondent": {"name": "Jane Doe"}, "answers": {}})
    write_yaml(ws / "answers" / "b.yaml", {"respondent": {"name": "jane  doe"}, "answers": {}})
    result = cli("score", ws)
    assert result.exit_code == 2
    assert "respondent 'jane  doe' already has answers in answers/a.yaml" in result.stderr


def test_workspace_that_is_not_one(cli, tmp_path):
    result = cli("score", tmp_path)
    assert result.exit_code == 2
    assert f"{tmp_path / 'assessment.yaml'}: missing" in result.stderr
    missing = cli("score", tmp_path / "nope")
    assert missing.exit_code == 2 and "no such workspace folder" in missing.stderr
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    assert cli("score", a_file).exit_code == 2


def test_assessment_yaml_that_is_a_directory(cli, tmp_path):
    ws = tmp_path / "ws"
    (ws / "assessment.yaml").mkdir(parents=True)
    result = cli("score", ws)
    assert result.exit_code == 2
    assert "assessment.yaml: is a directory, expected a file" in result.stderr


def test_bad_at_date(cli, tmp_path):
    ws = mini_workspace(tmp_path / "ws")
    result = cli("score", ws, "--at", "next tuesday")
    assert result.exit_code == 2
    assert "--at: 'next tuesday' is not an ISO 8601 date" in result.stderr


def test_an_at_date_no_calendar_holds_is_out_of_range_not_malformed(cli, tmp_path):
    # Valid ISO 8601, but 12 hours west of UTC on the last day of year 9999 is year 10000 in UTC.
    ws = mini_workspace(tmp_path / "ws")
    result = cli("score", ws, "--at", "9999-12-31T23:59:59-12:00")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: --at: '9999-12-31T23:59:59-12:00' is out of range: in UTC it falls before "
        "year 1 or after year 9999"
    )
    assert "Traceback" not in result.output


@pytest.mark.slow
def test_installed_entry_points_report_errors_without_traceback(tmp_path):
    """The real entry point (python -m assess): a bad file, no traceback; --debug shows it."""
    ws = mini_workspace(tmp_path / "ws")
    answers_file(ws, "respondent: {name: X}\nanswers:\n  INV-01: {answer: maybe}\n")
    plain = subprocess.run(
        [sys.executable, "-m", "assess", "score", str(ws)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert plain.returncode == 2
    assert "x.yaml:3: answers.INV-01.answer" in plain.stderr
    assert "Traceback" not in plain.stderr
    debug = subprocess.run(
        [sys.executable, "-m", "assess", "--debug", "score", str(ws)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert debug.returncode == 2 and "Traceback" in debug.stderr
