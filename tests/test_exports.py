"""Tabular exports: no cell runs as a formula, and the certificate inventory read from bundles."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from assess.model.result import Result
from assess.publish.report import bundle_inventory
from assess.render.exports import INVENTORY_COLUMNS, roadmap_csv, roadmap_xlsx
from assess.support.errors import InputError

DEMO_RESULT = Path(__file__).parents[1] / "sample_reports" / "demo-result.json"


def _hostile_result() -> Result:
    """The demo's result with spreadsheet formulas written where an assessor's or a scanned
    text goes: an action's subject and detail, a step's title."""
    result = Result.model_validate_json(DEMO_RESULT.read_bytes())
    action = result.immediate_actions[0].model_copy(
        update={"subject": "-2+3", "detail": '=HYPERLINK("http://x";"y")'}
    )
    step = result.roadmap[0].model_copy(update={"title": "@SUM(A1)", "owner_role": "PKI;=1+1"})
    return result.model_copy(
        update={
            "immediate_actions": (action, *result.immediate_actions[1:]),
            "roadmap": (step, *result.roadmap[1:]),
        }
    )


def test_the_roadmap_csv_runs_no_formula_and_quotes_every_text():
    data = roadmap_csv(_hostile_result())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    action, step = rows[1], rows[1 + len(_hostile_result().immediate_actions)]
    assert action[7].startswith("Fix -2+3: ")  # not at the start of the cell: no quote
    assert action[8] == '\'=HYPERLINK("http://x";"y")'
    assert step[3] == "'@SUM(A1)"
    # A spreadsheet set to semicolons splits an unquoted field at the ';' and would run the
    # '=1+1' after it: every text field is quoted, numbers are not.
    assert b',"PKI;=1+1",' in data
    assert data.startswith(b'"Order","Phase",') and b'\r\n"A1","immediate",' in data


def test_the_roadmap_workbook_keeps_formula_text_as_text():
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(roadmap_xlsx(_hostile_result()))).active
    assert sheet is not None
    detail = sheet.cell(row=2, column=9)
    assert (detail.value, detail.data_type, detail.quotePrefix) == (
        '=HYPERLINK("http://x";"y")',
        "s",
        True,
    )
    title = sheet.cell(row=2 + len(_hostile_result().immediate_actions), column=4)
    assert (title.value, title.data_type, title.quotePrefix) == ("@SUM(A1)", "s", True)
    plain = sheet.cell(row=2, column=2)
    assert (plain.value, plain.quotePrefix) == ("immediate", False)


def _bundle(path, observations):
    path.write_text(
        json.dumps(
            {
                "schema": "cmmm-evidence/1",
                "collector": "tls",
                "collected_at": "2026-11-20T10:00:00Z",
                "tool": {"name": "cmmm-assess", "version": "0.1.0"},
                "observations": observations,
                "keys": [],
            }
        ),
        encoding="utf-8",
    )


def _cert(name, not_after):
    return {
        "sha256": name * 4,
        "serial": "0a",
        "subject": f"CN={name}",
        "issuer": "CN=CA",
        "not_before": "2026-01-01T00:00:00Z",
        "not_after": not_after,
        "key_type": "rsa",
        "key_size": 2048,
        "signature_hash": "sha256",
        "san_dns": [f"{name}.example", f"www.{name}.example"],
        "self_signed": False,
    }


def test_inventory_has_a_row_per_certificate_and_location(tmp_path):
    evidence = tmp_path / "evidence"
    evidence.mkdir()
    _bundle(
        evidence / "a.json",
        [
            {
                "location": "web:443",
                "status": "ok",
                "certificates": [
                    _cert("web", "2026-11-30T00:00:00Z"),
                    _cert("ca", "2030-01-01T00:00:00Z"),
                ],
            },
            {"location": "down:443", "status": "error", "error": "timeout", "certificates": []},
        ],
    )
    _bundle(
        evidence / "b.json",
        [
            {
                "location": "=cmd|' /C calc'!A0",
                "status": "ok",
                "certificates": [_cert("old", "2026-11-01T00:00:00Z")],
            }
        ],
    )
    data = bundle_inventory(tmp_path, sorted(evidence.glob("*.json")), date(2026, 11, 27))
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert list(rows[0]) == list(INVENTORY_COLUMNS)
    assert [(r["bundle"], r["location"], r["position"], r["subject"]) for r in rows] == [
        ("evidence/a.json", "web:443", "0", "CN=web"),
        ("evidence/a.json", "web:443", "1", "CN=ca"),
        ("evidence/b.json", "'=cmd|' /C calc'!A0", "0", "CN=old"),
    ]
    # 2026-11-30 is 3 days after the evaluation date; 2030-01-01 is 1096 days (2028 is a leap
    # year) to 2029-11-27 plus 35; 2026-11-01 is 26 days before it.
    assert [(r["days_left"], r["expired"]) for r in rows] == [
        ("3", "false"),
        ("1131", "false"),
        ("-26", "true"),
    ]
    assert rows[0]["san_dns"] == "web.example www.web.example"


def test_a_corrupt_bundle_is_an_input_error_naming_it(tmp_path):
    bad = tmp_path / "evidence" / "bad.json"
    bad.parent.mkdir()
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.json"):
        bundle_inventory(tmp_path, [bad], date(2026, 11, 27))
