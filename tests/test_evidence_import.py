"""Imports of real scanner output (made by the tools themselves, see
tests/data/evidence/tools/PROVENANCE.md), crt.sh rows and inventory CSV files."""

from __future__ import annotations

import importlib
import json
import pkgutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from cryptography import x509

from assess.evidence import importers
from assess.evidence.importers.formats import ImportFormat
from assess.evidence.importers.interface import Importer
from assess.evidence.importers.registry import IMPORTERS
from assess.evidence.metrics import Evidence, compute_metrics
from assess.inputs.schedule import load_schedule
from assess.model.bundle import EvidenceBundle
from assess.model.evidence import MetricId
from assess.support.csvdialect import sniff_delimiter

SCHEDULE = load_schedule().schedule

TOOLS = Path(__file__).parent / "data" / "evidence" / "tools"
EXPECTED = json.loads((TOOLS / "expected.json").read_text())
ENDPOINTS = {k: v for k, v in EXPECTED.items() if k.startswith("localhost:")}


def test_every_format_has_one_importer_and_every_importer_a_format():
    for module in pkgutil.iter_modules(importers.__path__, f"{importers.__name__}."):
        importlib.import_module(module.name)  # every importer the package defines
    defined = set(Importer.__subclasses__())
    assert set(IMPORTERS) == set(ImportFormat)
    assert set(IMPORTERS.values()) == defined
    assert len(defined) == len(ImportFormat)
    for member, importer in IMPORTERS.items():
        assert importer.format is member
        assert member.description


def test_format_help_lists_every_format_with_its_description(cli):
    result = cli("evidence", "import", "--help", env={"COLUMNS": "200"})
    text = " ".join(result.output.replace("│", " ").split())
    for member in ImportFormat:
        assert f"{member.value}: {member.description}" in text


def imported(cli, tmp_path, file: Path, fmt: str, *extra: str) -> EvidenceBundle:
    out = tmp_path / f"{fmt}.json"
    result = cli("evidence", "import", file, "--format", fmt, *extra, "--out", out)
    assert result.exit_code == 0, result.output
    return EvidenceBundle.model_validate_json(out.read_text())


# trusted per fixture: sslyze validated against the test root (--certinfo_ca_file); sslyze 6
# folds the host name into path validation, so a failure that is only the name says nothing of
# the chain (no verdict), and 5 judges the chain alone; testssl.sh does not know the test root.
TRUST = {
    "sslyze6.json": {
        "good": True,
        "rsa1024": True,
        "expired": False,
        "wronghost": None,
        "selfsigned": False,
    },
    "sslyze5.json": {
        "good": True,
        "rsa1024": True,
        "expired": False,
        "wronghost": True,
        "selfsigned": False,
    },
    "testssl.json": dict.fromkeys(["good", "rsa1024", "expired", "wronghost", "selfsigned"], False),
}


@pytest.mark.parametrize(
    ("file", "fmt"),
    [("sslyze6.json", "sslyze"), ("sslyze5.json", "sslyze"), ("testssl.json", "testssl")],
)
def test_real_scanner_output_matches_how_the_certificates_were_made(cli, tmp_path, file, fmt):
    bundle = imported(cli, tmp_path, TOOLS / file, fmt, "--collected-at", "2026-11-26T20:12:00Z")
    assert bundle.collector == fmt
    assert bundle.tool.name == {"sslyze": "sslyze", "testssl": "testssl.sh"}[fmt]
    assert bundle.collected_at == datetime(2026, 11, 26, 20, 12, tzinfo=UTC)
    seen = {o.location: o for o in bundle.observations}
    assert set(seen) == set(ENDPOINTS)
    for location, made in ENDPOINTS.items():
        observation = seen[location]
        assert observation.status == "ok" and observation.kind == "endpoint"
        leaf = observation.certificates[0]
        assert leaf.sha256 == made["sha256"]
        assert leaf.serial == made["serial"]
        assert leaf.not_before == datetime.fromisoformat(made["not_before"])
        assert leaf.not_after == datetime.fromisoformat(made["not_after"])
        assert (leaf.key_type, leaf.key_size) == (made["key_type"], made["key_size"])
        assert list(leaf.san_dns) == made["san_dns"]
        assert leaf.self_signed is made["self_signed"]
        if fmt == "sslyze":
            assert len(observation.certificates) == made["chain_length"]
        assert observation.hostname_match is (made["fixture"] != "wronghost")
        assert observation.trusted is TRUST[file][made["fixture"]], observation.validation_error


def test_sslyze_date_and_version_come_from_the_file(cli, tmp_path):
    bundle = imported(cli, tmp_path, TOOLS / "sslyze6.json", "sslyze")
    assert bundle.tool.version == "6.3.1"
    raw = json.loads((TOOLS / "sslyze6.json").read_text())["date_scans_started"]
    assert bundle.collected_at == datetime.fromisoformat(raw.replace("Z", "+00:00"))


def test_sslyze_roots_given_are_the_trust_store_and_name_each_verdict(cli, tmp_path):
    bundle = imported(cli, tmp_path, TOOLS / "sslyze5.json", "sslyze")
    assert bundle.trust_store == "/tmp/tmpo7gq6tmr/root.pem"  # --certinfo_ca_file, as written
    # The test root is no public one: what validates, validates against the roots given.
    assert {o.trust_roots for o in bundle.observations if o.trusted} == {"given"}


def crtsh_rows() -> list[dict]:
    """Rows in crt.sh's JSON shape, schema-derived from real certificates in the corpus."""
    vectors = pytest.importorskip("cryptography_vectors")
    folder = Path(vectors.__file__).parent / "x509"
    rows = []
    for number, name in enumerate(["cryptography.io.pem", "wildcard_san.pem"]):
        cert = x509.load_pem_x509_certificate((folder / name).read_bytes())
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        common = cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value
        row = {
            "issuer_ca_id": 16418 + number,
            "issuer_name": cert.issuer.rfc4514_string(),
            "common_name": common,
            "name_value": "\n".join(names.get_values_for_type(x509.DNSName)),
            "id": 1000 + 2 * number,
            "entry_timestamp": "2019-01-01T00:00:00.000",
            "not_before": cert.not_valid_before_utc.strftime("%Y-%m-%dT%H:%M:%S"),
            "not_after": cert.not_valid_after_utc.strftime("%Y-%m-%dT%H:%M:%S"),
            "serial_number": format(cert.serial_number, "032x"),
            "result_count": 3,
        }
        rows.append(row)
        rows.append({**row, "id": row["id"] + 1})  # the precertificate row: same issuer, serial
    rows.append({"id": 9999, "issuer_name": "C=US", "not_before": "garbage"})
    return rows


def test_crtsh_rows_are_inventory_and_precertificates_count_once(cli, tmp_path):
    export = tmp_path / "crtsh.json"
    rows = crtsh_rows()
    export.write_text(json.dumps(rows))
    bundle = imported(cli, tmp_path, export, "crtsh")
    ok = [o for o in bundle.observations if o.status == "ok"]
    assert len(ok) == 4 and all(o.kind == "inventory" for o in ok)
    (bad,) = [o for o in bundle.observations if o.status == "error"]
    assert bad.location == "crt.sh:9999"
    first = ok[0].certificates[0]
    assert first.not_after.strftime("%Y-%m-%dT%H:%M:%S") == rows[0]["not_after"]
    assert first.san_dns == tuple(rows[0]["name_value"].split("\n"))
    metrics = compute_metrics(Evidence.of([("crtsh.json", bundle)]), date(2026, 11, 26), SCHEDULE)
    assert metrics[MetricId.CERTIFICATES].value == 2
    assert metrics[MetricId.WEAK_KEY_SHARE].denominator == 0  # crt.sh rows carry no key


def test_crtsh_rows_of_smime_certificates_are_kept_apart(cli, tmp_path):
    # Item 15: CAs log S/MIME certificates too; their name_value holds e-mail addresses (the
    # rfc822Name and emailAddress values crt.sh indexes), not DNS names.
    rows = [
        {
            "id": 7001,
            "issuer_name": "C=US, O=Example Trust, CN=Example S/MIME CA",
            "common_name": "Jane Doe",
            "name_value": "jane.doe@example.com",
            "not_before": "2026-09-01T00:00:00",
            "not_after": "2027-09-01T00:00:00",
            "serial_number": "0a1b",
        },
        {
            "id": 7002,
            "issuer_name": "C=US, O=Example Trust, CN=Example TLS CA",
            "common_name": "www.example.com",
            "name_value": "www.example.com\nexample.com\nhostmaster@example.com",
            "not_before": "2026-09-01T00:00:00",
            "not_after": "2026-12-01T00:00:00",
            "serial_number": "0c2d",
        },
    ]
    export = tmp_path / "crtsh.json"
    export.write_text(json.dumps(rows))
    bundle = imported(cli, tmp_path, export, "crtsh")
    smime, tls = (o.certificates[0] for o in bundle.observations)
    assert smime.san_dns == () and smime.eku == ("emailProtection",)
    assert tls.san_dns == ("www.example.com", "example.com") and tls.eku == ()
    metrics = compute_metrics(Evidence.of([("crtsh.json", bundle)]), date(2026, 11, 26), SCHEDULE)
    assert metrics[MetricId.CERTIFICATES].value == 1  # the TLS server certificate only


THUMB = "A909502DD82AE41433E6F83886B00D4277A32A7B"  # Windows thumbprints are SHA-1
POWERSHELL = "\n".join(
    [
        "#TYPE Selected.System.Security.Cryptography.X509Certificates.X509Certificate2",
        '"Subject","Issuer","Thumbprint","NotBefore","NotAfter","SerialNumber"',
        f'"CN=intranet.corp","CN=Corp Issuing CA","{THUMB}",'
        '"11/30/2025 10:00:00 AM","11/30/2026 10:00:00 AM","1A2B3C"',
        f'"CN=old.corp","CN=Corp Issuing CA","{THUMB}",'
        '"1/1/2020 9:00:00 AM","1/1/2022 9:00:00 AM","00FF"',
        f'"CN=broken.corp","CN=Corp Issuing CA","{THUMB}","yesterday","tomorrow","01"',
        "",
    ]
)


def test_csv_with_column_mapping(cli, tmp_path):
    export = tmp_path / "certs.csv"
    export.write_text(POWERSHELL)
    bundle = imported(
        cli,
        tmp_path,
        export,
        "csv",
        "--map",
        "NotBefore=not_before",
        "--map",
        "NotAfter=not_after",
        "--map",
        "SerialNumber=serial",
    )
    first, second, third = bundle.observations
    assert first.status == "ok" and first.location == "certs.csv:3"
    record = first.certificates[0]
    assert record.subject == "CN=intranet.corp" and record.issuer == "CN=Corp Issuing CA"
    assert record.not_after == datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
    assert record.serial == "1a2b3c" and record.sha256 is None  # a SHA-1 thumbprint is not mapped
    assert second.certificates[0].not_before == datetime(2020, 1, 1, 9, 0, tzinfo=UTC)
    assert third.status == "error" and "line 5" in (third.error or "")


def test_csv_default_names_semicolons_and_automation(cli, tmp_path):
    export = tmp_path / "clm.csv"
    export.write_text(
        "sha256;subject;issuer;not_before;not_after;key_type;key_size;san_dns;location;automation\n"
        f"{'ab' * 32};CN=a;CN=CA;2026-10-01;2026-12-30;RSA;2048;a.test,www.a.test;lb-1:443;ACME\n"
        f"{'cd' * 32};CN=b;CN=CA;2026-01-01;2027-01-01;ECDSA;256;b.test;lb-2:443;manual\n"
        ";;;;;;;;;\n"
    )
    bundle = imported(cli, tmp_path, export, "csv")
    first, second = (o.certificates[0] for o in bundle.observations)
    assert bundle.observations[0].location == "lb-1:443"
    assert (first.key_type, first.key_size, first.san_dns) == (
        "rsa",
        2048,
        ("a.test", "www.a.test"),
    )
    assert first.automation == ("inventory:ACME",) and second.automation == ()
    assert len(bundle.observations) == 2  # the blank row at the end is no certificate
    metrics = compute_metrics(Evidence.of([("clm.json", bundle)]), date(2026, 11, 26), SCHEDULE)
    assert metrics[MetricId.AUTOMATION_MARKER_SHARE].value == 0.5


def test_an_empty_import_file_says_so(cli, tmp_path):
    empty = tmp_path / "scan.json"
    empty.write_text("")
    result = cli("evidence", "import", empty, "--format", "sslyze", "--out", tmp_path / "x.json")
    assert result.exit_code == 2 and f"{empty}: the file is empty" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["testssl.json", "--format", "sslyze"], "not sslyze output"),
        (["sslyze6.json", "--format", "testssl"], "not testssl.sh JSON"),
        (["sslyze6.json", "--format", "nessus"], "unknown import format 'nessus'"),
        (["sslyze6.json", "--format", "sslyze", "--map", "a=b"], "--map applies to --format csv"),
        (["missing.json", "--format", "sslyze"], "no such file"),
        (["PROVENANCE.md", "--format", "crtsh"], "invalid JSON"),
        (["sslyze6.json", "--format", "sslyze", "--collected-at", "last week"], "not an ISO 8601"),
        (
            ["sslyze6.json", "--format", "sslyze", "--collected-at", "9999-12-31T23:59:59-12:00"],
            "'9999-12-31T23:59:59-12:00' is out of range",
        ),
    ],
)
def test_bad_imports_are_exit_2(cli, tmp_path, args, message):
    result = cli("evidence", "import", TOOLS / args[0], *args[1:], "--out", tmp_path / "x.json")
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (tmp_path / "x.json").exists()


def test_the_help_says_a_flat_testssl_file_needs_collected_at(cli):
    # A flat testssl.sh file records no time; its import refuses to guess (docs/evidence.md).
    text = " ".join(cli("evidence", "import", "--help").stdout.split())
    assert "required for a flat testssl.sh file, which records no time" in text
    assert "(testssl flat: none)" in text


def test_csv_missing_columns_and_bad_mapping_are_exit_2(cli, tmp_path):
    export = tmp_path / "certs.csv"
    export.write_text("Name;Ablauf;Nummer\nweb;2027-01-01;01\n")
    result = cli("evidence", "import", export, "--format", "csv", "--out", tmp_path / "x.json")
    assert result.exit_code == 2
    assert "no column for not_after" in result.stderr and "Ablauf" in result.stderr
    export.write_text(POWERSHELL)
    result = cli(
        "evidence",
        "import",
        export,
        "--format",
        "csv",
        "--map",
        "NotAfter=expiry",
        "--out",
        tmp_path / "x.json",
    )
    assert result.exit_code == 2 and "unknown field 'expiry'" in result.stderr


@pytest.mark.parametrize(
    ("fmt", "document", "errors"),
    [
        ("sslyze", {"server_scan_results": [1, {"server_location": "x"}, {}]}, 3),
        (
            "sslyze",
            {
                "server_scan_results": [
                    {
                        "server_location": {"hostname": "h", "port": 1},
                        "connectivity_status": "ERROR",
                        "connectivity_error_trace": "Traceback…\nConnectionRefused: refused",
                    }
                ]
            },
            1,
        ),
        ("testssl", [{"id": "scanProblem", "ip": "h/1.2.3.4", "port": "443", "finding": "x"}], 1),
        ("testssl", [{"id": "cert", "ip": "h/1.2.3.4", "port": "443", "finding": "junk"}], 1),
        ("crtsh", [{}, {"not_before": 3, "not_after": [], "serial_number": {}}], 2),
    ],
)
def test_odd_shapes_become_error_observations(cli, tmp_path, fmt, document, errors):
    source = tmp_path / "odd.json"
    source.write_text(json.dumps(document))
    bundle = imported(cli, tmp_path, source, fmt, "--collected-at", "2026-11-26T12:00Z")
    assert [o.status for o in bundle.observations] == ["error"] * errors
    assert all(o.error for o in bundle.observations)


@pytest.mark.parametrize(
    ("text", "candidates", "expected"),
    [
        ("a,b,c\n1;2;3;4;5\n", ",;\t", ","),  # the header decides, not the rows
        ("a;b;c\nCN=x,O=y,C=GB;2;3\n", ",;\t", ";"),
        ('"Issuer, as written";Serial;NotAfter\n', ",;\t", ";"),  # a quoted comma is text
        ('"two\nlines, one column";b;c\n', ",;\t", ";"),  # a quoted line break ends nothing
        ('"say ""a,b"" twice";c;d\n', ",;\t", ";"),  # "" inside quotes is a quote
        ("a\tb\tc,d\n", ",;\t", "\t"),
        ("a,b;c\n", ",;\t", ","),  # a tie goes to the earlier candidate
        ("single column\n", ",;\t", ","),  # nothing found: the first candidate
        ("a|b|c\n", ",;\t|", "|"),
    ],
)
def test_the_delimiter_is_what_splits_the_header_outside_quotes(text, candidates, expected):
    assert sniff_delimiter(text, candidates) == expected


def test_csv_with_semicolons_and_commas_inside_names(cli, tmp_path):
    export = tmp_path / "register.csv"
    export.write_text(
        '"Subject, as written";Issuer;Serial;not_before;not_after\n'
        'CN=a.test,O=Acme;"CN=Acme CA; 2026,O=Acme";0A;2026-01-01;2027-01-01\n'
    )
    bundle = imported(cli, tmp_path, export, "csv", "--map", "Subject, as written=subject")
    (observation,) = bundle.observations
    record = observation.certificates[0]
    assert (record.subject, record.issuer, record.serial) == (
        "CN=a.test,O=Acme",
        "CN=Acme CA; 2026,O=Acme",
        "0a",
    )
