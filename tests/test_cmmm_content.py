"""The bundled CMMM questionnaire: structure and coverage of the seed article."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from assess.inputs import questionnaire as questionnaires

ROOT = Path(__file__).parent.parent
DIMENSIONS = {
    "inventory": 5, "governance": 3, "automation": 4, "devops": 2, "machine-identity": 3,
    "keys": 4, "monitoring": 4, "policy": 3, "roles": 3, "improvement": 2,
}  # fmt: skip
SEED_ITEMS = {
    ("1 Discover and inventory", "step"),
    ("2 Centralize", "step"),
    ("3 Automate lifecycle (ACLM/ACME)", "step"),
    ("4 Integrate with DevOps", "step"),
    ("5 Machine Identity Management", "step"),
    ("6 Robust key management", "step"),
    ("7 Monitor and alert", "step"),
}


@pytest.fixture(scope="module")
def cmmm():
    loaded = questionnaires.load(ROOT / "questionnaires" / "cmmm.yaml")
    assert loaded.warnings == ()
    return loaded.questionnaire


def test_ten_dimensions_with_their_weights(cmmm):
    assert cmmm.id == "cmmm" and cmmm.version == "1.1.0"
    assert {d.id: d.weight for d in cmmm.dimensions} == DIMENSIONS


def test_the_changelog_opens_with_this_version(cmmm):
    changelog = (ROOT / "questionnaires" / "CHANGELOG.md").read_text(encoding="utf-8")
    versions = re.findall(r"^## (\S+) \(\d{4}-\d{2}-\d{2}\)$", changelog, flags=re.MULTILINE)
    assert versions[0] == cmmm.version
    assert len(versions) == len(set(versions))
    rules = sum(len(p.evidence_rules) for p in cmmm.practices.values())
    assert f"{len(cmmm.practices)} practices, {rules} evidence rules" in changelog


def test_at_least_two_practices_per_level_in_every_dimension(cmmm):
    for dimension in cmmm.dimensions:
        per_level = Counter(p.level for p in dimension.practices)
        assert all(per_level[level] >= 2 for level in (2, 3, 4, 5)), (dimension.id, per_level)
    assert len(cmmm.practices) >= 80


def test_every_practice_carries_the_full_record(cmmm):
    for p in cmmm.practices.values():
        assert p.question.strip() and p.guidance.strip() and p.owner_role.strip(), p.id
        assert p.recommendation.strip() and p.references, p.id
        assert p.effort in ("S", "M", "L")


def test_dependencies_point_to_no_higher_level(cmmm):
    # The loader already rejects cycles and unknown ids; a dependency on a higher level would
    # pull a step ahead of its own level in the roadmap.
    for p in cmmm.practices.values():
        for dep in p.depends_on:
            assert cmmm.practices[dep].level <= p.level, (p.id, dep)


def mapping_rows():
    text = (ROOT / "docs" / "questionnaire-mapping.md").read_text(encoding="utf-8")
    table = text[text.index("| Seed item | Kind | Practices |") :].splitlines()
    rows = []
    for line in table[2:]:
        if not line.startswith("|"):
            break
        item, kind, practices = (cell.strip() for cell in line.strip("|").split("|"))
        rows.append((item, kind, [p.strip() for p in practices.split(",") if p.strip()]))
    return rows


def test_every_seed_step_and_best_practice_maps_to_practices(cmmm):
    rows = mapping_rows()
    kinds = Counter(kind for _, kind, _ in rows)
    # The seed article has seven steps, four best practices and three pitfalls.
    assert kinds == {"step": 7, "best practice": 4, "pitfall": 3}
    assert {(item, kind) for item, kind, _ in rows} >= SEED_ITEMS
    for item, _, practices in rows:
        assert practices, item
        for pid in practices:
            assert pid in cmmm.practices, (item, pid)
    covered = {pid for _, _, practices in rows for pid in practices}
    assert covered == set(cmmm.practices)


def test_no_commercial_product_is_named(cmmm):
    text = (ROOT / "questionnaires" / "cmmm.yaml").read_text(encoding="utf-8")
    for name in ("Venafi", "Keyfactor", "AppViewX", "Sectigo Certificate Manager", "DigiCert"):
        assert not re.search(name, text, re.IGNORECASE), name
