"""The bundled demo: what it is made of, and its previous-quarter baseline kept up to date."""

from __future__ import annotations

import json
import os

import pytest
from demo_history import AUGUST, MAY, as_of

from assess.engine.score import evaluate
from assess.inputs.workspace import load_workspace
from assess.model.levels import Answer
from assess.model.result import Flag
from assess.publish import demo
from assess.render.json import result_document


def test_the_demo_has_what_the_report_should_show():
    workspace = load_workspace(demo.source())
    result = evaluate(workspace, demo.EVALUATED_AT)
    practices = [p for d in result.dimensions for p in d.practices]
    assert len(result.respondents) == 3
    assert len(workspace.assessment.overrides) == 2
    assert any(p.answer is Answer.NA for p in practices)
    assert any(Flag.DIVERGENT in p.flags for p in practices)
    assert any(r.note for p in practices for r in p.respondents)
    assert any(p.evidence_refs for p in practices)
    assert len({d.target for d in result.dimensions}) >= 3
    assert result.overall.level == 2 and len(result.roadmap) > 10


def test_the_demo_evidence_is_what_build_evidence_made():
    # Expected values from how examples/demo-sources/build_evidence.py builds the inputs: a
    # register of 473 certificates (2 RSA-1024; 22 ACME + 149 auto-enrolled), and 12 server
    # and share certificates with 12 key files, 11 unencrypted, 4 readable by others
    # (0644, 0644, 0666, 0640). Four issuers, however the two sources spell them.
    result = evaluate(load_workspace(demo.source()), demo.EVALUATED_AT)
    assert result.evidence is not None
    metrics = {m.metric.value: (m.value, m.denominator) for m in result.evidence.metrics}
    assert metrics["certificates"] == (485, 485)
    assert metrics["weak_key_share"] == pytest.approx((2 / 485, 485))
    assert metrics["automation_marker_share"] == pytest.approx((171 / 485, 485))
    assert metrics["unencrypted_key_share"] == pytest.approx((11 / 12, 12))
    assert metrics["world_readable_key_share"] == pytest.approx((4 / 12, 12))
    assert metrics["issuer_count"] == (4, 485)
    contradicted = {
        p.id for d in result.dimensions for p in d.practices if Flag.CONTRADICTED in p.flags
    }
    assert {"KEY-02", "KEY-03", "POL-05"} <= contradicted


def test_the_demo_is_complete_and_its_pki_is_the_one_the_scope_describes():
    # Every practice is answered (MON-09 "unknown" counts as answered): not a draft.
    workspace = load_workspace(demo.source())
    result = evaluate(workspace, demo.EVALUATED_AT)
    assert (result.complete, result.unanswered) == (True, 0)
    assert result.practice("MON-09").counted is Answer.UNKNOWN
    # "offline root, two issuing CAs": Issuing CA 02 is signed by the root, which no server
    # presents (an offline root is not served).
    bundle = json.loads((demo.source() / "evidence" / "files-web-and-share.json").read_text())
    certificates = [c for o in bundle["observations"] for c in o["certificates"]]
    issuing = [c for c in certificates if "CN=Larkspur Issuing CA 02" in c["subject"]]
    assert issuing and all(not c["self_signed"] for c in issuing)
    assert {c["issuer"] for c in issuing} == {
        "C=GB,O=Larkspur Mutual Assurance,CN=Larkspur Root CA"
    }
    assert not any("Root CA" in c["subject"] for c in certificates)
    # Three assessments exist (May, August, November): the note says so.
    (note,) = [r.note for r in result.practice("IMP-02").respondents if r.note]
    assert note.startswith("This is the third assessment.")


@pytest.mark.slow
@pytest.mark.parametrize(("quarter", "name"), [(MAY, "2026-05-29"), (AUGUST, "2026-08-28")])
def test_the_earlier_quarters_are_as_documented(tmp_path, quarter, name):
    result = as_of(demo.source(), tmp_path / name, quarter)
    assert result.evaluated_at == quarter.evaluated_at
    assert result.evaluated_at.isoformat() == name
    path = demo.source() / "baseline" / f"{name}.result.json"
    assert path.relative_to(demo.source()) in demo.HISTORY
    assert demo.HISTORY[-1] == demo.BASELINE  # the report's baseline is the latest of them
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_bytes(result_document(result))
    assert path.read_bytes() == result_document(result), (
        "examples/demo/baseline is stale: run UPDATE_GOLDEN=1 pytest tests/test_demo.py"
    )
