"""Questionnaire files: validation reports every problem with file, line and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from factories import MINI

from assess.inputs import questionnaire as questionnaires
from assess.support.errors import InputError

GOOD_PRACTICE = """\
      - id: {id}
        title: T
        level: {level}
        question: Q?
        recommendation: Do it.
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "q.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        questionnaires.load(path)
    return [str(p) for p in caught.value.problems]


def test_mini_questionnaire_loads():
    loaded = questionnaires.load(MINI)
    q = loaded.questionnaire
    assert q.id == "mini" and len(q.practices) == 8
    assert q.practices["INV-02"].weight == 2
    assert q.dimension_of["AUT-02"].id == "automation"
    assert loaded.warnings == ()


def test_every_problem_is_reported_at_once_with_line_and_field(tmp_path):
    text = """\
id: broken
version: "1"
title: Broken
dimensions:
  - id: inventory
    title: Inventory
    practices:
      - id: INV-01
        title: T
        level: 7
        question: Q?
        recommendation: Do it.
        depends_on: [NOPE]
      - id: INV-01
        title: T
        level: 2
        question: Q?
      - id: INV-03
        title: T
        level: 3
        weight: heavy
        question: Q?
        recommendation: Do it.
        colour: red
"""
    found = problems_of(write(tmp_path, text))
    path = str(tmp_path / "q.yaml")
    assert all(p.startswith(path + ":") for p in found), found
    joined = "\n".join(found)
    # level outside 2..5, line 10
    assert (
        f"{path}:10: dimensions[0].practices[0].level: Input should be less than or equal to 5"
        in joined
    )
    # missing recommendation on the second practice (line 14 starts it)
    assert (
        "dimensions[0].practices[1].recommendation: missing recommendation (the roadmap action"
        in joined
    )
    # said once, not also as pydantic's "Field required"
    assert "recommendation: Field required" not in joined
    # a practice list whose items fail is not also reported as empty
    assert "at least 1 item" not in joined
    # duplicate id, line 14
    assert f"{path}:14: dimensions[0].practices[1].id: duplicate practice id 'INV-01'" in joined
    # unknown depends_on, line 13
    assert f"{path}:13: dimensions[0].practices[0].depends_on[0]: unknown practice 'NOPE'" in joined
    # wrong type, line 21
    assert f"{path}:21: dimensions[0].practices[2].weight: Input should be a valid number" in joined
    # unknown field, line 24
    assert f"{path}:24: dimensions[0].practices[2].colour: unknown field" in joined


def test_dependency_cycle_is_reported(tmp_path):
    text = """\
id: cyc
version: "1"
title: Cycle
dimensions:
  - id: d
    title: D
    practices:
      - {id: A, title: T, level: 2, question: Q?, recommendation: R., depends_on: [C]}
      - {id: B, title: T, level: 2, question: Q?, recommendation: R., depends_on: [A]}
      - {id: C, title: T, level: 2, question: Q?, recommendation: R., depends_on: [B]}
      - {id: S, title: T, level: 2, question: Q?, recommendation: R., depends_on: [S]}
"""
    found = "\n".join(problems_of(write(tmp_path, text)))
    assert "dependency cycle: A → C → B → A" in found
    assert "practice 'S' depends on itself" in found


def test_duplicate_dimension_and_bad_evidence_rule(tmp_path):
    text = """\
id: dup
version: "1"
title: Dup
dimensions:
  - id: d
    title: D
    practices:
      - id: A
        title: T
        level: 2
        question: Q?
        recommendation: R.
        evidence_rules:
          - {metric: expired_share, op: ">", threshold: 0, effect: suggests, explanation: x}
          - {metric: no_such_metric, op: ">", threshold: 0, effect: supports, explanation: x}
  - id: d
    title: D again
    practices:
      - {id: B, title: T, level: 2, question: Q?, recommendation: R.}
"""
    found = "\n".join(problems_of(write(tmp_path, text)))
    assert "duplicate dimension id 'd'" in found
    assert "evidence_rules[0]: a 'suggests' rule needs an answer" in found
    assert "evidence_rules[1].metric: Input should be" in found


def test_missing_levels_are_warnings(tmp_path):
    path = write(
        tmp_path,
        "id: w\nversion: '1'\ntitle: W\ndimensions:\n  - id: d\n    title: D\n    practices:\n"
        + GOOD_PRACTICE.format(id="A", level=2),
    )
    loaded = questionnaires.load(path)
    assert len(loaded.warnings) == 1
    assert "no practice at level 3 Defined, 4 Managed, 5 Optimized" in str(loaded.warnings[0])


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "the file is empty"),
        (b"id: [unclosed\n", "invalid YAML"),
        (b"- just\n- a list\n", "expected a mapping"),
        (b"id: caf\xe9\n", "not UTF-8"),
        (b"id: a\nid: b\n", "invalid YAML: found duplicate key"),
    ],
)
def test_unreadable_files(tmp_path, content, expected):
    path = tmp_path / "q.yaml"
    path.write_bytes(content)
    found = problems_of(path)
    assert len(found) == 1 and expected in found[0] and str(path) in found[0]


def test_directory_instead_of_file(tmp_path):
    found = problems_of(tmp_path)
    assert found == [f"{tmp_path}: is a directory, expected a file"]


def test_cli_validate_and_export(cli, tmp_path):
    result = cli("questionnaire", "validate", MINI)
    assert result.exit_code == 0
    assert "valid — mini 0.1.0, 2 dimensions, 8 practices" in result.stdout

    exported = cli("questionnaire", "export", MINI, "--format", "json")
    document = json.loads(exported.stdout)
    assert document["id"] == "mini" and document["version"] == "0.1.0"
    assert [lvl["name"] for lvl in document["levels"]] == [
        "Ad-hoc",
        "Basic",
        "Defined",
        "Managed",
        "Optimized",
    ]
    first = document["dimensions"][0]["practices"][1]
    assert (first["id"], first["level"], first["weight"], first["effort"], first["depends_on"]) == (
        "INV-02",
        3,
        2.0,
        "M",
        ["INV-01"],
    )

    out = tmp_path / "q.yaml"
    assert cli("questionnaire", "export", MINI, "--format", "yaml", "--out", out).exit_code == 0
    # The YAML export is itself a valid questionnaire.
    assert questionnaires.load(out).questionnaire == questionnaires.load(MINI).questionnaire


def test_cli_validate_reports_problems_with_exit_2(cli, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("id: x\nversion: '1'\ntitle: X\ndimensions: []\n", encoding="utf-8")
    result = cli("questionnaire", "validate", path)
    assert result.exit_code == 2
    assert f"{path}:4: dimensions: Tuple should have at least 1 item" in result.stderr
    assert "Traceback" not in result.output


def test_cli_validate_strict_fails_on_warnings(cli, tmp_path):
    path = write(
        tmp_path,
        "id: w\nversion: '1'\ntitle: W\ndimensions:\n  - id: d\n    title: D\n    practices:\n"
        + GOOD_PRACTICE.format(id="A", level=2),
    )
    assert cli("questionnaire", "validate", path).exit_code == 0
    assert cli("questionnaire", "validate", path, "--strict").exit_code == 1


def test_cli_unknown_questionnaire(cli):
    result = cli("questionnaire", "show", "nonexistent")
    assert result.exit_code == 2
    assert "unknown questionnaire 'nonexistent'" in result.stderr
