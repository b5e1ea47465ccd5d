"""The published JSON Schema of the result document matches the model, and results validate."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest
from factories import DAY, answers, assessment, entry, finding, practice, questionnaire

from assess.method.scoring import score
from assess.model.progress import CompareDocument, TrendDocument, document_json_schema
from assess.model.result import result_json_schema
from assess.model.workspace import Override

PUBLISHED = Path(__file__).parent.parent / "docs" / "schema" / "result.schema.json"


def test_published_schema_is_up_to_date():
    generated = json.dumps(result_json_schema(), indent=2, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_GOLDEN"):
        PUBLISHED.parent.mkdir(parents=True, exist_ok=True)
        PUBLISHED.write_text(generated, encoding="utf-8")
    assert PUBLISHED.read_text(encoding="utf-8") == generated, (
        "docs/schema/result.schema.json is stale: run UPDATE_GOLDEN=1 pytest tests/test_schema.py"
    )


def test_a_full_result_validates_against_the_published_schema():
    q = questionnaire(
        {"a": [practice("A2", 2), practice("A4", 4, depends_on=["A2"])], "b": [practice("B2", 2)]}
    )
    result = score(
        q,
        assessment(overrides={"A4": Override(answer="fully", justification="seen")}),
        {"x.yaml": answers("Ann", {"A2": entry("partially", evidence=["doc"]), "B2": "na"})},
        evaluated_at=DAY,
        findings=[finding("A4", "contradicts")],
    )
    document = json.loads(result.model_dump_json())
    schema = json.loads(PUBLISHED.read_text(encoding="utf-8"))
    jsonschema.validate(document, schema)
    assert document["schema"] == "cmmm-result/1"
    # The contract's required fields are all there.
    for key in (
        "questionnaire",
        "evaluated_at",
        "evidence_policy",
        "overall",
        "dimensions",
        "roadmap",
    ):
        assert key in document
    assert set(document["dimensions"][0]) >= {
        "id",
        "weight",
        "applicable",
        "level",
        "score",
        "completion",
        "coverage",
        "target",
        "gap",
        "practices",
    }
    assert set(document["dimensions"][0]["practices"][0]) >= {
        "id",
        "level",
        "weight",
        "answer",
        "value",
        "flags",
    }
    assert set(document["roadmap"][0]) >= {"order", "phase", "practice", "dimension"}


@pytest.mark.parametrize(("kind", "name"), [(CompareDocument, "compare"), (TrendDocument, "trend")])
def test_published_compare_and_trend_schemas_are_up_to_date(kind, name):
    published = PUBLISHED.parent / f"{name}.schema.json"
    generated = json.dumps(document_json_schema(kind), indent=2, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_GOLDEN"):
        published.write_text(generated, encoding="utf-8")
    assert published.read_text(encoding="utf-8") == generated, (
        f"docs/schema/{name}.schema.json is stale: run UPDATE_GOLDEN=1 pytest tests/test_schema.py"
    )


def test_compare_and_trend_output_validates(cli, tmp_path):
    demo = Path(__file__).parent.parent / "examples" / "demo" / "baseline"
    may, august = demo / "2026-05-29.result.json", demo / "2026-08-28.result.json"
    for args, name in ((("compare", may, august), "compare"), (("trend", may, august), "trend")):
        done = cli(*args, "-f", "json")
        assert done.exit_code == 0
        schema = json.loads((PUBLISHED.parent / f"{name}.schema.json").read_text("utf-8"))
        jsonschema.validate(json.loads(done.stdout), schema)
