"""Tabular exports: CSV injection guard and the certificate inventory read from bundles."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from assess.publish.report import bundle_inventory
from assess.render.exports import INVENTORY_COLUMNS, safe_cell
from assess.support.errors import InputError


def test_cells_that_a_spreadsheet_would_run_as_formulas_are_quoted():
    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert safe_cell("+1") == "'+1" and safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("CN=host,O=Acme") == "CN=host,O=Acme"


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
