"""Tailoring: questionnaire extensions (``extends:``) merge with their base, validate with
located problems, score, and travel with the workspace."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from factories import MINI, write_yaml
from ruamel.yaml import YAML

from assess.inputs import questionnaire as questionnaires
from assess.support.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "tailoring" / "acme-cmmm.yaml"
CMMM = ROOT / "questionnaires" / "cmmm.yaml"

# An extension of tests/data/mini.yaml; line numbers in the tests below count from here.
EXTENSION = """\
extends: ../base/mini.yaml
base_version: "0.1.0"
id: mini-plus
version: "2"
title: Mini plus
change_dimensions:
  automation: {weight: 1, title: Automation}
add_practices:
  inventory:
    - id: INV-10
      title: Plant certificates listed
      level: 3
      question: Are plant certificates listed?
      recommendation: List them.
      depends_on: [INV-01]
add_dimensions:
  - id: ot
    title: OT
    weight: 2
    practices:
      - {id: OT-01, title: T, level: 2, question: Q?, recommendation: R.}
      - {id: OT-02, title: T, level: 3, question: Q?, recommendation: R., depends_on: [OT-01]}
      - {id: OT-03, title: T, level: 4, question: Q?, recommendation: R., depends_on: [AUT-03]}
      - {id: OT-04, title: T, level: 5, question: Q?, recommendation: R.}
"""


def layout(tmp_path: Path, extension: str = EXTENSION) -> Path:
    """base/mini.yaml and ext/ext.yaml side by side; returns the extension."""
    (tmp_path / "base").mkdir()
    shutil.copyfile(MINI, tmp_path / "base" / "mini.yaml")
    (tmp_path / "ext").mkdir()
    path = tmp_path / "ext" / "ext.yaml"
    path.write_text(extension, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        questionnaires.load(path)
    return [str(p) for p in caught.value.problems]


def test_an_extension_merges_into_one_questionnaire(tmp_path, monkeypatch):
    path = layout(tmp_path)
    monkeypatch.chdir(tmp_path / "base")  # the base path is relative to the extension, not here
    loaded = questionnaires.load(path)
    q = loaded.questionnaire
    assert (q.id, q.version, q.title) == ("mini-plus", "2", "Mini plus")
    assert [d.id for d in q.dimensions] == ["inventory", "automation", "ot"]
    inventory, automation, ot = q.dimensions
    assert [p.id for p in inventory.practices] == ["INV-01", "INV-02", "INV-03", "INV-04", "INV-10"]
    assert inventory.weight == 5  # unchanged, as in mini.yaml
    assert (automation.title, automation.weight) == ("Automation", 1)
    assert [p.id for p in automation.practices] == ["AUT-01", "AUT-02", "AUT-03", "AUT-04"]
    assert (ot.weight, len(ot.practices)) == (2, 4)
    assert q.practices["OT-03"].depends_on == ("AUT-03",)  # a base practice: allowed
    assert loaded.base is not None and loaded.base.questionnaire.id == "mini"
    assert loaded.warnings == ()


@pytest.mark.slow
def test_the_example_extension_of_cmmm(cli):
    raw = YAML(typ="safe").load(EXAMPLE.read_text())
    cmmm = YAML(typ="safe").load(CMMM.read_text())
    added = sum(len(v) for v in raw["add_practices"].values()) + sum(
        len(d["practices"]) for d in raw["add_dimensions"]
    )
    cmmm_practices = sum(len(d["practices"]) for d in cmmm["dimensions"])
    result = cli("questionnaire", "validate", EXAMPLE)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # no warnings: base_version is set, every level has a practice
    assert (
        f"valid — acme-cmmm 1.1.0 (extends cmmm 1.1.0: +1 dimension, +{added} practices), "
        f"11 dimensions, {cmmm_practices + added} practices" in result.stdout
    )
    q = questionnaires.load(EXAMPLE).questionnaire
    assert q.dimensions_by_id["machine-identity"].weight == 4
    cmmm_weight = next(d["weight"] for d in cmmm["dimensions"] if d["id"] == "machine-identity")
    assert cmmm_weight == 3


def test_a_workspace_on_an_extension_scores_and_travels(cli, tmp_path):
    extension = layout(tmp_path)
    workspace = tmp_path / "work" / "ws"
    result = cli("init", workspace, "--org", "Acme", "--questionnaire", extension)
    assert result.exit_code == 0, result.output
    assert "(mini-plus 2, 13 practices)" in result.stdout
    write_yaml(
        workspace / "answers" / "jane.yaml",
        {
            "respondent": {"name": "Jane"},
            "answers": {
                "OT-01": {"answer": "fully"},
                "INV-10": {"answer": "largely"},
                "INV-01": {"answer": "fully"},
            },
        },
    )
    # Move the workspace and remove the extension and its base: the workspace holds a
    # standalone copy.
    moved = tmp_path / "elsewhere"
    shutil.copytree(workspace, moved)
    shutil.rmtree(tmp_path / "work")
    shutil.rmtree(tmp_path / "base")
    shutil.rmtree(tmp_path / "ext")
    result = cli("score", moved, "--json", "--at", "2026-11-26")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert (document["questionnaire"]["id"], document["questionnaire"]["version"]) == (
        "mini-plus",
        "2",
    )
    dimensions = {d["id"]: d for d in document["dimensions"]}
    assert list(dimensions) == ["inventory", "automation", "ot"]
    assert dimensions["ot"]["weight"] == 2 and dimensions["automation"]["weight"] == 1
    # ot: OT-01 (level 2) fully, OT-02 (level 3) unanswered → level 2, nothing toward 3.
    assert (dimensions["ot"]["level"], dimensions["ot"]["score"]) == (2, 2.0)
    answers = {p["id"]: p["answer"] for d in document["dimensions"] for p in d["practices"]}
    assert (answers["INV-10"], answers["OT-01"], answers["OT-02"]) == (
        "largely",
        "fully",
        "unanswered",
    )
    copy = (moved / "questionnaire.yaml").read_text()
    assert copy.startswith("# Standalone copy of ext.yaml: mini-plus 2, which extends mini 0.1.0.")


@pytest.mark.slow
def test_the_standalone_copy_is_the_merged_questionnaire(tmp_path):
    for source in (layout(tmp_path), EXAMPLE):
        loaded = questionnaires.load(source)
        copy = tmp_path / f"copy-{source.stem}.yaml"
        copy.write_text(questionnaires.flattened(loaded), encoding="utf-8")
        reloaded = questionnaires.load(copy)
        assert reloaded.base is None
        assert reloaded.questionnaire == loaded.questionnaire


def test_an_extension_of_an_extension(tmp_path):
    layout(tmp_path)
    second = tmp_path / "ext" / "second.yaml"
    second.write_text(
        "extends: ext.yaml\nid: mini-plus-plus\nversion: '3'\ntitle: More\nadd_practices:\n"
        "  ot:\n    - {id: OT-05, title: T, level: 5, question: Q?, recommendation: R.,"
        " depends_on: [OT-04, INV-10]}\n",
        encoding="utf-8",
    )
    loaded = questionnaires.load(second)
    q = loaded.questionnaire
    assert q.id == "mini-plus-plus"
    assert [p.id for p in q.dimensions_by_id["ot"].practices][-2:] == ["OT-04", "OT-05"]
    assert len(q.practices) == 14
    # Without base_version the extension follows whatever base is installed: a warning.
    assert [str(w) for w in loaded.warnings] == [
        f"{second}:1: extends: no base_version: this extension follows whatever version of "
        "'ext.yaml' is installed (now 2)"
    ]


def test_every_problem_of_an_extension_is_located(tmp_path):
    path = layout(
        tmp_path,
        """\
extends: ../base/mini.yaml
base_version: "0.0.9"
id: mini
version: "2"
title: Broken
change_dimensions:
  automaton: {weight: 2}
add_practices:
  automaton:
    - {id: X-01, title: T, level: 3, question: Q?, recommendation: R.}
  inventory:
    - {id: INV-02, title: T, level: 3, question: Q?, recommendation: R.}
    - {id: X-02, title: T, level: 3, question: Q?, recommendation: R., depends_on: [X-03, INV-01]}
    - {id: X-03, title: T, level: 7, question: Q?, recommendation: R., depends_on: [X-02, NOPE]}
add_dimensions:
  - id: inventory
    title: Again
    practices:
      - {id: Y-01, title: T, level: 2, question: Q?, recommendation: R., depends_on: [Y-01]}
      - {id: X-02, title: T, level: 2, question: Q?, recommendation: R.}
""",
    )
    found = problems_of(path)
    p = str(path)
    expected = [
        # schema: a level outside 2..5
        f"{p}:14: add_practices.inventory[2].level: Input should be less than or equal to 5",
        # its own id and version
        f"{p}:3: id: an extension needs its own id, not its base's 'mini'",
        f"{p}:2: base_version: written for mini version 0.0.9, but the base found is version 0.1.0",
        # an unknown dimension, to change and to add practices to
        f"{p}:7: change_dimensions.automaton: unknown dimension 'automaton': the base mini "
        "0.1.0 has inventory, automation",
        f"{p}:9: add_practices.automaton: unknown dimension 'automaton': the base mini 0.1.0 "
        "has inventory, automation; a new dimension goes under add_dimensions",
        # a new dimension that the base already has
        f"{p}:16: add_dimensions[0].id: dimension 'inventory' is already in the base mini "
        "0.1.0: add practices to it under add_practices",
        # a practice id the base already has, and one used twice in the extension
        f"{p}:12: add_practices.inventory[0].id: duplicate practice id 'INV-02': the base mini "
        "0.1.0 already has it (dimension 'inventory'); choose a new id",
        f"{p}:20: add_dimensions[0].practices[1].id: duplicate practice id 'X-02' (first at "
        "add_practices.inventory[1].id)",
        # dependencies: unknown, on itself, and a cycle (through a base practice is fine)
        f"{p}:14: add_practices.inventory[2].depends_on[1]: unknown practice 'NOPE' in "
        "depends_on of 'X-03' (not in this file or in the base mini 0.1.0)",
        f"{p}:19: add_dimensions[0].practices[0].depends_on[0]: practice 'Y-01' depends on itself",
        f"{p}:13: add_practices.inventory[1].depends_on: dependency cycle: X-02 → X-03 → X-02",
    ]
    for message in expected:
        assert message in found, message
    assert len(found) == len(expected), found


@pytest.mark.parametrize(
    ("extends", "message"),
    [
        ("cmm", "1: extends: unknown base questionnaire 'cmm' (bundled: cmmm"),
        ("../base/nope.yaml", "1: extends: base questionnaire file not found: "),
        ("ext.yaml", "1: extends: circular extends: ext.yaml → ext.yaml"),
    ],
)
def test_a_base_that_cannot_be_used(tmp_path, extends, message):
    path = layout(tmp_path, EXTENSION.replace("../base/mini.yaml", extends))
    found = problems_of(path)
    assert any(f.startswith(f"{path}:{message}") for f in found), found


def test_a_base_with_problems_and_a_dimensions_list(tmp_path, cli):
    path = layout(tmp_path, EXTENSION + "dimensions: []\n")
    base = tmp_path / "base" / "mini.yaml"
    base.write_text(base.read_text().replace("level: 4", "level: 6", 1), encoding="utf-8")
    result = cli("questionnaire", "validate", path)
    assert result.exit_code == 2
    assert f"{path}:1: extends: the base questionnaire " in result.stderr
    assert f"{base}:" in result.stderr and "level: Input should be less than or equal to 5" in (
        result.stderr
    )
    assert (
        f"{path}:25: dimensions: an extension does not list dimensions: add practices to base "
        "dimensions under add_practices" in result.stderr
    )


def test_missing_base_version_is_a_warning_that_strict_fails(tmp_path, cli):
    path = layout(tmp_path, EXTENSION.replace('base_version: "0.1.0"\n', ""))
    result = cli("questionnaire", "validate", path)
    assert result.exit_code == 0
    assert "warning:" in result.stderr and "no base_version" in result.stderr
    assert cli("questionnaire", "validate", path, "--strict").exit_code == 1


def test_forms_of_an_extension(cli, tmp_path):
    """The answer form of a tailored questionnaire carries its id and practices."""
    out = tmp_path / "form.csv"
    assert cli("questionnaire", "export", EXAMPLE, "--format", "csv", "--out", out).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"), newline="")))
    assert {"OT-04", "ACME-INV-01"} <= {row["Practice"] for row in rows}
    assert {(row["Questionnaire"], row["Version"]) for row in rows} == {("acme-cmmm", "1.1.0")}
