"""Distinguished names spelt the ways the sources spell them: RFC 4514 (cryptography, the
scanners, sslyze), Windows (certutil, PowerShell, most inventory exports) and crt.sh (OpenSSL's
one-line form). The spellings here are written by hand the way those tools write them."""

from __future__ import annotations

import csv
import itertools
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from certgen import issue
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID
from hypothesis import given, settings
from hypothesis import strategies as st

from assess.evidence.metrics import Evidence, compute_metrics
from assess.inputs.schedule import load_schedule
from assess.model.bundle import EvidenceBundle
from assess.model.evidence import MetricId
from assess.support.distinguished_names import common_name, dn_key

SCHEDULE = load_schedule().schedule

GODADDY = x509.Name(
    [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
        x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "Arizona"),
        x509.NameAttribute(NameOID.LOCALITY_NAME, "Scottsdale"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "GoDaddy.com, Inc."),
        x509.NameAttribute(
            NameOID.ORGANIZATIONAL_UNIT_NAME, "http://certs.godaddy.com/repository/"
        ),
        x509.NameAttribute(NameOID.COMMON_NAME, "Go Daddy Secure Certificate Authority - G2"),
        x509.NameAttribute(NameOID.EMAIL_ADDRESS, "pki@godaddy.example"),
    ]
)
WINDOWS = (
    "E=pki@godaddy.example, CN=Go Daddy Secure Certificate Authority - G2, "
    'OU=http://certs.godaddy.com/repository/, O="GoDaddy.com, Inc.", L=Scottsdale, S=Arizona, C=US'
)
CRTSH = (
    'C=US, ST=Arizona, L=Scottsdale, O="GoDaddy.com, Inc.", '
    "OU=http://certs.godaddy.com/repository/, CN=Go Daddy Secure Certificate Authority - G2, "
    "emailAddress=pki@godaddy.example"
)


@pytest.mark.parametrize(
    "spelling",
    [
        WINDOWS,
        CRTSH,
        WINDOWS.upper(),  # exports that upper-case everything
        WINDOWS.replace("E=", "OID.1.2.840.113549.1.9.1="),  # a type Windows has no name for
        WINDOWS.replace(", ", ",\t"),
        # RFC 4514 with #hex: 0c = UTF8String, 10 bytes; 13 = PrintableString, 2 bytes.
        "1.2.840.113549.1.9.1=pki@godaddy.example,CN=Go Daddy Secure Certificate Authority - G2,"
        "OU=http://certs.godaddy.com/repository/,O=GoDaddy.com\\, Inc.,"
        "L=#0c0a53636f74747364616c65,ST=Arizona,C=#13025553",
    ],
)
def test_one_name_spelt_the_ways_the_sources_spell_it_is_one_name(spelling):
    assert dn_key(spelling) == dn_key(GODADDY.rfc4514_string())


@pytest.mark.parametrize(
    "other",
    [
        WINDOWS.replace('O="GoDaddy.com, Inc."', 'O="GoDaddy.com"'),
        WINDOWS.replace('O="GoDaddy.com, Inc."', "O=GoDaddy.com, OU=Inc."),
        WINDOWS.replace("S=Arizona", "L=Arizona"),  # S is the state, not a place
        WINDOWS + ", OU=Another Unit",
    ],
)
def test_a_different_name_stays_different(other):
    assert dn_key(other) != dn_key(GODADDY.rfc4514_string())


def test_a_quoted_comma_is_one_value_and_an_escaped_one_too():
    # The naive split read 'O="Acme' and ' Inc."' as two attributes.
    assert dn_key('CN=x, O="Acme, Inc."') == dn_key("CN=x,O=Acme\\, Inc.")
    assert dn_key('CN=x, O="Acme, Inc."') == "2.5.4.10=acme, inc.\n2.5.4.3=x"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("CN=www.example.com,O=Example\\, Inc.,C=US", "www.example.com"),  # RFC 4514 order
        ("C=GB, O=Larkspur, CN=Larkspur Issuing CA 01", "Larkspur Issuing CA 01"),  # Windows
        ("cn=a\\+b.example+OU=web", "a+b.example"),  # multi-valued RDN, escaped plus
        ('CN="Smith, John", O=Acme', "Smith, John"),  # quoted by Windows
        ('CN="say ""hi""", O=Acme', 'say "hi"'),  # a quote inside, doubled
        ("CN=caf\\C3\\A9", "café"),  # UTF-8 bytes escaped as hex pairs
        ("CN=#0c0474657374", "test"),  # a UTF8String 'test' as BER hex
        ("O=No Common Name Ltd,C=GB", None),
        ("", None),
    ],
)
def test_common_name_in_any_spelling(name, expected):
    assert common_name(name) == expected


TYPES = [
    (NameOID.COMMON_NAME, "CN", "CN", "CN"),
    (NameOID.ORGANIZATION_NAME, "O", "O", "O"),
    (NameOID.ORGANIZATIONAL_UNIT_NAME, "OU", "OU", "OU"),
    (NameOID.LOCALITY_NAME, "L", "L", "L"),
    (NameOID.STATE_OR_PROVINCE_NAME, "ST", "S", "ST"),
    (NameOID.EMAIL_ADDRESS, "1.2.840.113549.1.9.1", "E", "emailAddress"),
    (NameOID.SERIAL_NUMBER, "2.5.4.5", "SERIALNUMBER", "serialNumber"),
]
"""(type, its name in RFC 4514 as cryptography writes it, in Windows, in crt.sh)."""

VALUE = st.text(
    alphabet=st.sampled_from("abcXYZ019 .-_'é,+\";<>#=\\"), min_size=1, max_size=20
).filter(lambda v: v.strip())


def windows_value(value: str) -> str:
    """Windows quotes a value with a special character or outer spaces, doubling quotes."""
    if any(c in value for c in ',+";<>#=\\') or value != value.strip():
        return '"' + value.replace('"', '""') + '"'
    return value


@settings(max_examples=200, deadline=None)
@given(
    attributes=st.lists(
        st.tuples(st.sampled_from(range(len(TYPES))), VALUE), min_size=1, max_size=6
    )
)
def test_the_three_spellings_of_any_name_have_one_key(attributes):
    name = x509.Name([x509.NameAttribute(TYPES[t][0], value) for t, value in attributes])
    # The key: each attribute's OID and value, case and runs of white space ignored, sorted.
    expected = "\n".join(
        sorted(
            f"{TYPES[t][0].dotted_string}={' '.join(value.split()).casefold()}"
            for t, value in attributes
        )
    )
    # Windows lists the most specific first, like RFC 4514; crt.sh the other way round.
    windows = ", ".join(f"{TYPES[t][2]}={windows_value(v)}" for t, v in reversed(attributes))
    crtsh = ", ".join(f"{TYPES[t][3]}={windows_value(v)}" for t, v in attributes)
    assert dn_key(name.rfc4514_string()) == expected
    assert dn_key(windows) == expected
    if not any(c in v for _, v in attributes for c in '\\"'):  # OpenSSL escapes those its way
        assert dn_key(crtsh) == expected


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_a_certificate_scanned_listed_and_logged_is_one_certificate_of_one_issuer(
    cli, tmp_path, order
):
    now = datetime(2026, 11, 26, tzinfo=UTC)
    ca = issue(
        (),
        issuer=None,
        not_before=now - timedelta(days=400),
        not_after=now + timedelta(days=3000),
        ca=True,
        subject=GODADDY,
    )
    leaf = issue(
        ("shop.example",),
        issuer=ca,
        not_before=now - timedelta(days=10),
        not_after=now + timedelta(days=80),
        serial=0x0ABCDEF123,
    )
    folder = tmp_path / "server"
    folder.mkdir()
    (folder / "shop.pem").write_bytes(leaf.cert.public_bytes(serialization.Encoding.PEM))
    files = tmp_path / "files.json"
    assert cli("scan", "files", folder, "--out", files).exit_code == 0

    # The inventory spells the issuer the Windows way, and the serial as Windows does: the
    # bytes in upper-case hex, so with a leading zero.
    register = tmp_path / "register.csv"
    with register.open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["Subject", "Issuer", "SerialNumber", "NotBefore", "NotAfter"])
        writer.writerow(
            ["CN=shop.example", WINDOWS, "0ABCDEF123", "2026-11-16 00:00:00", "2027-02-14"]
        )
    listed = tmp_path / "listed.json"
    mapping = ["NotBefore=not_before", "NotAfter=not_after", "SerialNumber=serial"]
    maps = [part for pair in mapping for part in ("--map", pair)]
    result = cli("evidence", "import", register, "--format", "csv", *maps, "--out", listed)
    assert result.exit_code == 0, result.output

    # crt.sh logs it with its own spelling of the issuer and a zero-padded serial.
    log = tmp_path / "crtsh.json"
    log.write_text(
        json.dumps(
            [
                {
                    "id": 1,
                    "issuer_name": CRTSH,
                    "common_name": "shop.example",
                    "name_value": "shop.example",
                    "not_before": "2026-11-16T00:00:00",
                    "not_after": "2027-02-14T00:00:00",
                    "serial_number": "000000000abcdef123",
                }
            ]
        )
    )
    logged = tmp_path / "logged.json"
    assert cli("evidence", "import", log, "--format", "crtsh", "--out", logged).exit_code == 0

    bundles = [
        (path.name, EvidenceBundle.model_validate_json(path.read_text()))
        for path in (files, listed, logged)
    ]
    assert [len(b.observations) for _, b in bundles] == [1, 1, 1]
    assert all(b.observations[0].status == "ok" for _, b in bundles)
    # Whichever is read first (the scan, the register or the log): one of each.
    evidence = Evidence.of([bundles[i] for i in order])
    metrics = compute_metrics(evidence, date(2026, 11, 26), SCHEDULE)
    assert metrics[MetricId.CERTIFICATES].value == 1
    assert metrics[MetricId.ISSUER_COUNT].value == 1
    (only,) = evidence.leaves.values()
    assert only.record is not None and only.record.sha256 == leaf.sha256  # the scan describes it
