"""Inventory exports read as their tools write them: certutil, PowerShell (5.1 and 7), Excel,
Venafi, Keyfactor and an OpenSSL-made register (tests/data/evidence/exports/PROVENANCE.md).

Expected values come from expected.json, written from the certificates the fixtures describe
when they were made, never from the importer.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from assess.evidence.certs import signature_of
from assess.evidence.importers.exports import DateSniffer, is_automated, split_names
from assess.evidence.metrics import Evidence, compute_metrics, is_weak_signature
from assess.inputs.schedule import load_schedule
from assess.model.bundle import CertificateRecord, EvidenceBundle, ObservationStatus
from assess.model.evidence import MetricId
from assess.support.distinguished_names import dn_key

SCHEDULE = load_schedule().schedule

EXPORTS = Path(__file__).parent / "data" / "evidence" / "exports"
MADE = json.loads((EXPORTS / "expected.json").read_text())
EVALUATED = date(2026, 12, 2)  # the day the fixtures were made (the SHA-1 leaf's first day)


def run(cli, tmp_path, source: Path, *extra: str):
    out = tmp_path / f"{source.stem}.json"
    result = cli("evidence", "import", source, "--format", "csv", *extra, "--out", out)
    return result, out


def imported(cli, tmp_path, source: Path, *extra: str) -> tuple[EvidenceBundle, str]:
    result, out = run(cli, tmp_path, source, *extra)
    assert result.exit_code == 0, result.output
    return EvidenceBundle.model_validate_json(out.read_text()), result.stderr


def records(bundle: EvidenceBundle) -> list[CertificateRecord]:
    assert all(o.status is ObservationStatus.OK for o in bundle.observations)
    return [o.certificates[0] for o in bundle.observations]


def moment(text: str, *, minutes: bool = False) -> datetime:
    value = datetime.fromisoformat(text).astimezone(UTC)
    return value.replace(second=0) if minutes else value


def assert_describes(record: CertificateRecord, key: str, *, minutes: bool = False) -> None:
    """The row describes the certificate ``key`` as it was made (``minutes``: the export
    writes no seconds)."""
    made = MADE[key]
    assert record.serial.lstrip("0") == made["serial"].lstrip("0")
    assert dn_key(record.subject) == dn_key(made["subject"])
    assert record.not_after == moment(made["not_after"], minutes=minutes)
    if record.not_before is not None:
        assert record.not_before == moment(made["not_before"], minutes=minutes)


def metrics(bundle: EvidenceBundle, at: date = EVALUATED):
    return compute_metrics(Evidence.of([("export.json", bundle)]), at, SCHEDULE)


# -- item 5 and 11: PowerShell as it writes, no --map -------------------------------------


def test_powershell_51_export_with_quotes_inside_quoted_fields(cli, tmp_path):
    bundle, notes = imported(cli, tmp_path, EXPORTS / "powershell-5.1.csv")
    assert bundle.tool.name == "PowerShell"
    www, intranet, legacy, old = records(bundle)
    for record, key in ((www, "www"), (intranet, "intranet"), (legacy, "legacy"), (old, "old")):
        assert_describes(record, key)
    # O="Example Trust, Inc." written as O=""Example Trust, Inc."" inside a quoted field
    assert www.issuer.count('"') == 2 and dn_key(www.issuer) == dn_key(MADE["www"]["issuer"])
    assert www.sha256 is None  # the Thumbprint is SHA-1: never taken for a SHA-256
    assert bundle.observations[0].location == "powershell-5.1.csv:3"  # after the #TYPE line
    # DnsNameList and SignatureAlgorithm exported raw: .NET type names, not values
    assert www.san_dns == () and www.signature_hash is None
    assert "DnsNameList: 4 rows hold the .NET type name" in notes
    assert "$_.SignatureAlgorithm.FriendlyName" in notes


def test_powershell_7_german_culture_export(cli, tmp_path):
    bundle, _ = imported(cli, tmp_path, EXPORTS / "powershell-7-de.csv")
    www, intranet, legacy = records(bundle)
    for record, key in ((www, "www"), (intranet, "intranet"), (legacy, "legacy")):
        assert_describes(record, key)
        assert list(record.san_dns) == MADE[key]["san_dns"]  # the IDN by its A-label
        assert record.signature_hash == MADE[key]["signature_hash"]
    found = metrics(bundle)
    assert found[MetricId.WEAK_SIGNATURE_SHARE].value == pytest.approx(1 / 3)  # sha1RSA
    assert found[MetricId.WILDCARD_SHARE].value == pytest.approx(1 / 3)


# -- item 6: certutil and Excel dates; nothing imported is exit 2 ---------------------------


def test_certutil_view_csv(cli, tmp_path):
    bundle, notes = imported(cli, tmp_path, EXPORTS / "certutil-view.csv")
    assert bundle.tool.name == "certutil"
    intranet, legacy = records(bundle)
    assert_describes(intranet, "intranet", minutes=True)  # 1/3/2028 2:49 AM
    assert_describes(legacy, "legacy", minutes=True)
    assert intranet.key_size == MADE["intranet"]["key_size"] and intranet.issuer == ""
    assert "2 rows skipped, not issued certificates in service" in notes
    assert "'21 -- Revoked' ×1" in notes and "'30 -- Failed' ×1" in notes


def test_excel_csv_from_windows_in_german(cli, tmp_path):
    source = EXPORTS / "excel-de.csv"
    result, _ = run(cli, tmp_path, source)
    assert result.exit_code == 2 and "Gültig bis" in result.stderr  # read as Windows-1252
    bundle, notes = imported(
        cli,
        tmp_path,
        source,
        *("--map", "Gültig ab=not_before", "--map", "Gültig bis=not_after"),
        *("--map", "Seriennummer=serial", "--map", "Zertifikat=subject"),
        *("--map", "Aussteller=issuer"),
    )
    www, intranet = records(bundle)
    assert_describes(www, "www", minutes=True)  # 18.12.2026 10:00
    assert_describes(intranet, "intranet", minutes=True)
    assert "not UTF-8: read as Windows-1252" in notes


def test_an_import_that_imports_nothing_is_exit_2_and_says_why(cli, tmp_path):
    source = tmp_path / "register.csv"
    source.write_text("Subject,Serial,NotBefore,NotAfter\nCN=a,01,2026-01-03 02:49,3-1-2028 2:49\n")
    result, out = run(cli, tmp_path, source)
    assert result.exit_code == 2 and not out.exists()
    assert "no certificate imported: 1 row below the header, none readable" in result.stderr
    assert "not_after '3-1-2028 2:49' is not a date" in result.stderr
    assert "--date-format" in result.stderr
    bundle, _ = imported(cli, tmp_path, source, "--date-format", "%d-%m-%Y %H:%M")
    assert records(bundle)[0].not_after == datetime(2028, 1, 3, 2, 49, tzinfo=UTC)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("Subject,NotAfter\n", "no rows below the header"),
        ("Subject,NotAfter\nCN=a,soon\nCN=b,\n", "2 rows below the header, none readable"),
    ],
)
def test_files_without_a_readable_row_are_refused(cli, tmp_path, body, message):
    source = tmp_path / "register.csv"
    source.write_text(body)
    result, out = run(cli, tmp_path, source)
    assert result.exit_code == 2 and message in result.stderr and not out.exists()


def test_ambiguous_day_month_dates_are_refused_until_named(cli, tmp_path):
    source = tmp_path / "register.csv"
    source.write_text("Subject,NotAfter\nCN=a,03/01/2028 14:00\nCN=b,04/02/2028 09:30\n")
    result, _ = run(cli, tmp_path, source)
    assert result.exit_code == 2
    assert "'03/01/2028 14:00' read both month first and day first" in result.stderr
    bundle, _ = imported(cli, tmp_path, source, "--date-format", "%d/%m/%Y %H:%M")
    assert [r.not_after.date() for r in records(bundle)] == [date(2028, 1, 3), date(2028, 2, 4)]


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        (["1/3/2028 2:49 AM", "12/1/2028 6:44 AM"], datetime(2028, 1, 3, 2, 49)),  # en-US
        (["03.01.2028 02:49", "18.12.2026 10:00"], datetime(2028, 1, 3, 2, 49)),  # de-DE
        (["03/01/2028 02:49", "13/01/2028 02:49"], datetime(2028, 1, 3, 2, 49)),  # a 13th
        (["03/01/2028 02:49", "01/13/2028 02:49"], datetime(2028, 3, 1, 2, 49)),  # day 13
        (["Jan  3 02:49:00 2028 GMT"], datetime(2028, 1, 3, 2, 49)),  # openssl x509
    ],
)
def test_the_file_decides_one_date_layout(dates, expected):
    from assess.evidence.importers.exports import parse_in

    sniffer = DateSniffer()
    for text in dates:
        sniffer.add(text)
    layouts = sniffer.layouts()
    assert layouts is not None
    assert parse_in(dates[0], layouts) == expected.replace(tzinfo=UTC)


# -- item 7: signature names as inventories write them --------------------------------------


@pytest.mark.parametrize(
    ("name", "digest"),
    [
        ("sha1RSA", "sha1"),  # Windows, PowerShell SignatureAlgorithm.FriendlyName
        ("sha1WithRSAEncryption", "sha1"),  # OpenSSL, RFC 8017
        ("SHA1-ECDSA", "sha1"),
        ("SHA1-RSA", "sha1"),  # Keyfactor SigningAlgorithm
        ("md5RSA", "md5"),
        ("md2WithRSAEncryption", "md2"),
        ("ecdsa-with-SHA1", "sha1"),
        ("1.2.840.113549.1.1.5", "sha1"),  # Venafi writes the OID
        ("1.2.840.113549.1.1.4", "md5"),
        ("sha256RSA", "sha256"),
        ("sha384ECDSA", "sha384"),
        ("SHA256withRSA", "sha256"),  # Java
        ("SHA256 with RSA", "sha256"),  # testssl.sh
        ("ecdsa-with-SHA384", "sha384"),
        ("1.2.840.10045.4.3.2", "sha256"),
    ],
)
def test_signature_names_name_their_hash(name, digest):
    assert signature_of(name)[0] == digest


def test_eddsa_has_no_hash_and_unknown_names_are_unknown():
    assert signature_of("Ed25519") == (None, "ed25519")
    assert signature_of("1.3.101.113") == (None, "ed448")
    assert signature_of("RSASSA-PSS") == (None, None)  # the hash is in its parameters


def test_weak_signatures_from_an_inventory_count_as_weak(cli, tmp_path):
    source = tmp_path / "register.csv"
    names = ["sha1RSA", "sha1WithRSAEncryption", "SHA1-ECDSA", "md5RSA", "sha256RSA", "Ed25519"]
    lines = ["Subject,NotBefore,NotAfter,SignatureAlgorithm"]
    lines += [f"CN=h{n},2026-06-01,2027-06-01,{name}" for n, name in enumerate(names)]
    lines.append("CN=pss,2026-06-01,2027-06-01,RSASSA-PSS")
    source.write_text("\n".join(lines) + "\n")
    bundle, notes = imported(cli, tmp_path, source)
    weak = [is_weak_signature(r) for r in records(bundle)]
    assert weak == [True, True, True, True, False, False, None]
    assert metrics(bundle)[MetricId.WEAK_SIGNATURE_SHARE].value == pytest.approx(4 / 6)
    assert "signature names not recognised" in notes and "'RSASSA-PSS' ×1" in notes


# -- item 8: only what is automated counts as automated -------------------------------------


def test_venafi_management_type_only_provisioning_is_automated(cli, tmp_path):
    bundle, _ = imported(cli, tmp_path, EXPORTS / "venafi.csv")
    assert bundle.tool.name == "Venafi"
    www, intranet, legacy = records(bundle)
    for record, key in ((www, "www"), (intranet, "intranet"), (legacy, "legacy")):
        assert_describes(record, key)
        assert list(record.san_dns) == MADE[key]["san_dns"]
        assert record.signature_hash == MADE[key]["signature_hash"]  # from the OID
    assert (www.key_type, intranet.key_type, intranet.key_size) == ("rsa", "ec", 256)
    assert [r.automation for r in (www, intranet, legacy)] == [("inventory:Provisioning",), (), ()]
    found = metrics(bundle)
    assert found[MetricId.AUTOMATION_MARKER_SHARE].value == pytest.approx(1 / 3)


@pytest.mark.parametrize(
    ("value", "automated"),
    [
        ("Provisioning", True),
        ("Enrollment", False),  # renewed by Venafi, installed by hand
        ("Monitoring", False),
        ("Unassigned", False),
        ("manual", False),
        ("Yes", True),
        ("ACME", True),
        ("Scripted", None),
    ],
)
def test_automation_values(value, automated):
    assert is_automated(value) is automated


def test_unknown_automation_values_are_not_counted_and_said(cli, tmp_path):
    source = tmp_path / "register.csv"
    source.write_text(
        "Subject,NotAfter,automation\nCN=a,2027-01-01,Scripted\nCN=b,2027-01-01,yes\n"
    )
    bundle, notes = imported(cli, tmp_path, source)
    assert [r.automation for r in records(bundle)] == [(), ("inventory:yes",)]
    assert "values not known as automated, counted as not automated: 'Scripted' ×1" in notes


# -- item 9: only an expiry column ----------------------------------------------------------


def test_a_register_with_only_expiry_dates_is_imported_and_kept_out_of_lifetime_metrics(
    cli, tmp_path
):
    bundle, notes = imported(cli, tmp_path, EXPORTS / "expiry-only.csv")
    www, intranet, old = records(bundle)
    assert all(r.not_before is None for r in (www, intranet, old))
    assert [r.not_after.date().isoformat() for r in (www, intranet, old)] == [
        MADE[key]["not_after"][:10] for key in ("www", "intranet", "old")
    ]
    assert "3 certificates with no start of validity column: imported, and left out of the " in (
        notes
    )
    found = metrics(bundle)
    assert found[MetricId.CERTIFICATES].value == 3
    assert found[MetricId.EXPIRED_SHARE].value == pytest.approx(1 / 3)
    for lifetime in (
        MetricId.SHORT_VALIDITY_SHARE,
        MetricId.LONG_VALIDITY_SHARE,
        MetricId.LATE_RENEWAL_SHARE,
    ):
        assert found[lifetime].denominator == 0


# -- item 10: subjectAltName spellings ------------------------------------------------------


def test_openssl_register_made_by_openssl(cli, tmp_path):
    bundle, _ = imported(cli, tmp_path, EXPORTS / "openssl-register.csv", "--map", "file=location")
    www, intranet, legacy = records(bundle)
    for record, key in ((www, "www"), (intranet, "intranet"), (legacy, "legacy")):
        assert_describes(record, key)
        assert list(record.san_dns) == MADE[key]["san_dns"]
        assert list(record.san_ip) == MADE[key]["san_ip"]
    assert bundle.observations[1].location == "/etc/ssl/intranet.pem"
    assert metrics(bundle)[MetricId.WILDCARD_SHARE].value == pytest.approx(1 / 3)


@pytest.mark.parametrize(
    ("cell", "dns", "ips"),
    [
        # certutil / Windows CryptoAPI, one line
        (
            "DNS Name=a.example, DNS Name=*.b.example, IP Address=10.0.0.1",
            ["a.example", "*.b.example"],
            ["10.0.0.1"],
        ),
        # Windows, one name a line, with an e-mail and a UPN that are not DNS names
        (
            "DNS Name=a.example\r\nRFC822 Name=ops@a.example\r\n"
            "Other Name:\r\n     Principal Name=svc@corp.example\r\nDNS Name=c.example",
            ["a.example", "c.example"],
            [],
        ),
        # OpenSSL, IPv6 included
        (
            "DNS:a.example, IP Address:2001:DB8:0:0:0:0:0:1, email:x@a.example, URI:https://a",
            ["a.example"],
            ["2001:DB8:0:0:0:0:0:1"],
        ),
        # PowerShell DnsNameList joined, an IDN shown with its A-label
        (
            "a.example, bücher.example (xn--bcher-kva.example)",
            ["a.example", "xn--bcher-kva.example"],
            [],
        ),
        ("a.example;b.example *.c.example", ["a.example", "b.example", "*.c.example"], []),
        ("a.example\nb.example", ["a.example", "b.example"], []),  # crt.sh name_value
        ("DNS:localhost, DNS:a.example", ["localhost", "a.example"], []),
        ("none", [], []),
    ],
)
def test_subject_alternative_names_as_tools_spell_them(cell, dns, ips):
    assert split_names(cell) == (dns, ips)


# -- item 11: the tools' own column names, encodings ----------------------------------------


def test_keyfactor_columns_without_map(cli, tmp_path):
    bundle, _ = imported(cli, tmp_path, EXPORTS / "keyfactor.csv")
    assert bundle.tool.name == "Keyfactor"
    www, intranet, legacy = records(bundle)
    for record, key in ((www, "www"), (intranet, "intranet"), (legacy, "legacy")):
        assert_describes(record, key)
        assert dn_key(record.issuer) == dn_key(MADE[key]["issuer"])
        assert record.signature_hash == MADE[key]["signature_hash"]  # SHA1-RSA
    assert (intranet.key_type, intranet.key_size) == ("ec", 256)  # KeyTypeString, not KeyType


def test_utf16_with_its_mark_is_read(cli, tmp_path):
    source = tmp_path / "store.csv"  # Export-Csv -Encoding Unicode
    text = (EXPORTS / "powershell-7-de.csv").read_text(encoding="utf-8")
    source.write_bytes(text.encode("utf-16"))
    bundle, notes = imported(cli, tmp_path, source)
    assert next(r.serial for r in records(bundle)) == MADE["www"]["serial"]
    assert "read as UTF-16" in notes


def test_text_in_no_known_encoding_is_refused_with_a_hint(cli, tmp_path):
    source = tmp_path / "register.csv"
    source.write_bytes(b"Subject,NotAfter\nCN=\x81\x8d,2027-01-01\n")  # undefined in cp1252
    result, _ = run(cli, tmp_path, source)
    assert result.exit_code == 2
    assert "neither UTF-8 nor Windows-1252" in result.stderr and "CSV UTF-8" in result.stderr


def test_date_format_applies_to_csv_only(cli, tmp_path):
    source = tmp_path / "x.json"
    source.write_text("[]")
    result = cli(
        "evidence", "import", source, "--format", "crtsh", "--date-format", "%d",
        "--out", tmp_path / "o.json",
    )  # fmt: skip
    assert result.exit_code == 2 and "--date-format applies to --format csv" in result.stderr
