"""Make the inventory-export fixtures: real certificates, written as each tool writes them.

certutil, PowerShell, Excel, Venafi and Keyfactor do not run on this machine: each export is
written here following the tool's documented format (PROVENANCE.md names the documents). The
OpenSSL register is written by the real ``openssl`` command. The certificates are made here
(with cryptography, and with ``openssl`` for the SHA-1 one, which cryptography refuses to
sign), and expected.json records the facts each certificate was made with, read from the
certificates themselves, never from an importer.

Not run by the tests; run it by hand from the repository root when a format changes:

    python tests/data/evidence/exports/make_exports.py
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parents[2]))
from certgen import Made, issue  # noqa: E402

# Whole minutes: certutil and Excel write no seconds.
MADE_AT = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def name(*parts: tuple[x509.ObjectIdentifier, str]) -> x509.Name:
    return x509.Name([x509.NameAttribute(oid, value) for oid, value in parts])


def certificates(folder: Path) -> dict[str, x509.Certificate]:
    """The certificates the exports describe, by their fixture name."""
    public_ca = issue(
        (),
        issuer=None,
        not_before=datetime(2024, 1, 1, tzinfo=UTC),
        not_after=datetime(2034, 1, 1, tzinfo=UTC),
        ca=True,
        key="rsa2048",
        subject=name(
            (NameOID.COUNTRY_NAME, "US"),
            (NameOID.STATE_OR_PROVINCE_NAME, "Arizona"),
            (NameOID.LOCALITY_NAME, "Scottsdale"),
            (NameOID.ORGANIZATION_NAME, "Example Trust, Inc."),
            (NameOID.ORGANIZATIONAL_UNIT_NAME, "http://certs.example.com/repository/"),
            (NameOID.COMMON_NAME, "Example Secure Server CA - G2"),
        ),
    )
    corp_ca = issue(
        (),
        issuer=None,
        not_before=datetime(2024, 1, 1, tzinfo=UTC),
        not_after=datetime(2034, 1, 1, tzinfo=UTC),
        ca=True,
        key="rsa2048",
        subject=name(
            (NameOID.COUNTRY_NAME, "DE"),
            (NameOID.ORGANIZATION_NAME, "Corp"),
            (NameOID.COMMON_NAME, "Corp Issuing CA 01"),
        ),
    )
    made: dict[str, Made] = {
        "www": issue(
            ("www.shop.example", "shop.example", "xn--bcher-kva.example"),
            issuer=public_ca,
            not_before=datetime(2026, 6, 1, 10, 0, tzinfo=UTC),
            not_after=datetime(2026, 12, 18, 10, 0, tzinfo=UTC),
            key="rsa2048",
        ),
        "intranet": issue(
            ("intranet.corp.example", "*.apps.corp.example", "10.0.0.1"),
            issuer=corp_ca,
            not_before=datetime(2026, 7, 6, 2, 49, tzinfo=UTC),
            not_after=datetime(2028, 1, 3, 2, 49, tzinfo=UTC),
        ),
        "old": issue(
            ("old.shop.example",),
            issuer=public_ca,
            not_before=datetime(2024, 1, 1, 9, 0, tzinfo=UTC),
            not_after=datetime(2025, 1, 1, 9, 0, tzinfo=UTC),
            key="rsa2048",
        ),
    }
    found = {key: value.cert for key, value in made.items()}
    found["legacy"] = _sha1_leaf(folder, corp_ca)
    found["public_ca"] = public_ca.cert
    found["corp_ca"] = corp_ca.cert
    return found


def _sha1_leaf(folder: Path, ca: Made) -> x509.Certificate:
    """A SHA-1 leaf signed by ``ca``, made by openssl (cryptography refuses SHA-1)."""
    (folder / "ca.pem").write_bytes(ca.pem)
    (folder / "ca.key").write_bytes(ca.key_pem)
    (folder / "san.cnf").write_text("subjectAltName=DNS:legacy.corp.example\n")
    run = ["openssl"]
    subprocess.run(
        [
            *run,
            "req",
            "-new",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=legacy.corp.example",
            "-keyout",
            str(folder / "legacy.key"),
            "-out",
            str(folder / "legacy.csr"),
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            *run,
            "x509",
            "-req",
            "-sha1",
            "-days",
            "730",
            "-set_serial",
            "0x5E1A",
            "-in",
            str(folder / "legacy.csr"),
            "-CA",
            str(folder / "ca.pem"),
            "-CAkey",
            str(folder / "ca.key"),
            "-extfile",
            str(folder / "san.cnf"),
            "-out",
            str(folder / "legacy.pem"),
        ],
        check=True,
        capture_output=True,
    )
    return x509.load_pem_x509_certificate((folder / "legacy.pem").read_bytes())


def facts(cert: x509.Certificate) -> dict[str, object]:
    """What a certificate was made with, read from it."""
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        dns, ips = san.get_values_for_type(x509.DNSName), san.get_values_for_type(x509.IPAddress)
    except x509.ExtensionNotFound:
        dns, ips = [], []
    algorithm = cert.signature_hash_algorithm
    return {
        "serial": format(cert.serial_number, "x"),
        "subject": cert.subject.rfc4514_string(),
        "issuer": cert.issuer.rfc4514_string(),
        "not_before": cert.not_valid_before_utc.isoformat(),
        "not_after": cert.not_valid_after_utc.isoformat(),
        "key_size": cert.public_key().key_size,  # type: ignore[union-attr]
        "signature_hash": algorithm.name if algorithm else None,
        "san_dns": dns,
        "san_ip": [str(ip) for ip in ips],
        "sha1": cert.fingerprint(hashes.SHA1()).hex(),
        "sha256": cert.fingerprint(hashes.SHA256()).hex(),
    }


# -- how Windows spells things ---------------------------------------------------------------

_WINDOWS_KEYS = {"ST": "S", "emailAddress": "E"}


def windows_dn(value: x509.Name) -> str:
    """X500DistinguishedName.Name: most specific first, ``, `` between, ``S=`` for the state,
    values with a comma, quote or plus in double quotes (a quote doubled)."""
    parts = []
    for attribute in reversed(list(value)):
        key = attribute.rfc4514_attribute_name
        text = str(attribute.value)
        if any(c in text for c in ',"+=<>#;\n'):
            text = '"' + text.replace('"', '""') + '"'
        parts.append(f"{_WINDOWS_KEYS.get(key, key)}={text}")
    return ", ".join(parts)


def en_us(moment: datetime, *, seconds: bool = True) -> str:
    """DateTime.ToString() in en-US: M/d/yyyy h:mm:ss tt (certutil: without seconds)."""
    hour = moment.hour % 12 or 12
    clock = f"{hour}:{moment.minute:02d}" + (f":{moment.second:02d}" if seconds else "")
    return f"{moment.month}/{moment.day}/{moment.year} {clock} {'AM' if moment.hour < 12 else 'PM'}"


def de_de(moment: datetime, *, seconds: bool = True) -> str:
    """de-DE: dd.MM.yyyy HH:mm:ss (Excel's cell format: without seconds)."""
    day = f"{moment.day:02d}.{moment.month:02d}.{moment.year}"
    clock = f"{moment.hour:02d}:{moment.minute:02d}" + (f":{moment.second:02d}" if seconds else "")
    return f"{day} {clock}"


def quoted_csv(rows: list[list[str]], delimiter: str = ",") -> str:
    """Every field in double quotes, a quote doubled, CRLF: Export-Csv and certutil."""
    return "".join(
        delimiter.join('"' + cell.replace('"', '""') + '"' for cell in row) + "\r\n" for row in rows
    )


def shown_dns_name(ascii_name: str) -> str:
    """DnsNameRepresentation.ToString(): the name, or ``unicode (punycode)`` for an IDN."""
    unicode = ascii_name.encode().decode("idna")
    return ascii_name if unicode == ascii_name else f"{unicode} ({ascii_name})"


def spaced_hex(data: str) -> str:
    return " ".join(data[i : i + 2] for i in range(0, len(data), 2))


# -- the exports -----------------------------------------------------------------------------


def certutil(found: dict[str, x509.Certificate]) -> str:
    """certutil -view -out "RequestID,RequesterName,CommonName,DistinguishedName,SerialNumber,
    NotBefore,NotAfter,CertificateHash,CertificateTemplate,PublicKeyLength,Disposition" csv,
    on the Corp Issuing CA 01, en-US."""
    header = [
        "Issued Request ID",
        "Requester Name",
        "Issued Common Name",
        "Issued Distinguished Name",
        "Serial Number",
        "Certificate Effective Date",
        "Certificate Expiration Date",
        "Certificate Hash",
        "Certificate Template",
        "Public Key Length",
        "Request Disposition",
    ]
    rows = [header]
    for number, (key, disposition) in enumerate(
        (("intranet", "20 -- Issued"), ("legacy", "20 -- Issued"), ("revoked", "21 -- Revoked")),
        start=1041,
    ):
        cert = found["intranet" if key == "revoked" else key]
        fact = facts(cert)
        cn = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
        rows.append(
            [
                str(number),
                "CORP\\WEB01$",
                str(cn),
                windows_dn(cert.subject),
                str(fact["serial"]) if key != "revoked" else "61000004a2c1",
                en_us(cert.not_valid_before_utc, seconds=False),
                en_us(cert.not_valid_after_utc, seconds=False),
                spaced_hex(str(fact["sha1"])),
                "WebServer",
                str(fact["key_size"]),
                disposition,
            ]
        )
    rows.append(
        [
            "1044",
            "CORP\\jdoe",
            "EMPTY",
            "EMPTY",
            "EMPTY",
            "EMPTY",
            "EMPTY",
            "EMPTY",
            "WebServer",
            "2048",
            "30 -- Failed",
        ]
    )
    return quoted_csv(rows)


def powershell_51(found: dict[str, x509.Certificate]) -> str:
    """Windows PowerShell 5.1, en-US: Get-ChildItem Cert:\\LocalMachine\\My | Select-Object
    Subject, Issuer, Thumbprint, NotBefore, NotAfter, SerialNumber, DnsNameList,
    SignatureAlgorithm | Export-Csv store.csv (the #TYPE line, every field quoted, ASCII)."""
    header = ["Subject", "Issuer", "Thumbprint", "NotBefore", "NotAfter", "SerialNumber"]
    header += ["DnsNameList", "SignatureAlgorithm"]
    rows = [header]
    for key in ("www", "intranet", "legacy", "old"):
        cert = found[key]
        fact = facts(cert)
        rows.append(
            [
                windows_dn(cert.subject),
                windows_dn(cert.issuer),
                str(fact["sha1"]).upper(),
                en_us(cert.not_valid_before_utc),
                en_us(cert.not_valid_after_utc),
                format(cert.serial_number, "X").zfill(2),
                "System.Collections.Generic.List`1"
                "[Microsoft.PowerShell.Commands.DnsNameRepresentation]",
                "System.Security.Cryptography.Oid",
            ]
        )
    type_line = "#TYPE Selected.System.Security.Cryptography.X509Certificates.X509Certificate2\r\n"
    return type_line + quoted_csv(rows)


def powershell_7_de(found: dict[str, x509.Certificate]) -> str:
    """PowerShell 7, de-DE, with the lists joined: Select-Object Subject, Issuer, Thumbprint,
    NotBefore, NotAfter, SerialNumber, @{n='DnsNameList';e={$_.DnsNameList -join ', '}},
    @{n='SignatureAlgorithm';e={$_.SignatureAlgorithm.FriendlyName}} | Export-Csv -UseCulture
    (the de-DE list separator ';', no #TYPE line, UTF-8 without a byte-order mark)."""
    header = ["Subject", "Issuer", "Thumbprint", "NotBefore", "NotAfter", "SerialNumber"]
    header += ["DnsNameList", "SignatureAlgorithm"]
    friendly = {"sha256": "sha256RSA", "sha1": "sha1RSA"}
    rows = [header]
    for key in ("www", "intranet", "legacy"):
        cert = found[key]
        fact = facts(cert)
        names = [shown_dns_name(n) for n in fact["san_dns"]]  # type: ignore[attr-defined]
        rows.append(
            [
                windows_dn(cert.subject),
                windows_dn(cert.issuer),
                str(fact["sha1"]).upper(),
                de_de(cert.not_valid_before_utc),
                de_de(cert.not_valid_after_utc),
                format(cert.serial_number, "X").zfill(2),
                ", ".join(names),
                friendly[str(fact["signature_hash"])],
            ]
        )
    return quoted_csv(rows, ";")


def excel_de(found: dict[str, x509.Certificate]) -> bytes:
    """A register kept in Excel (German), saved as "CSV (Trennzeichen-getrennt)": Windows-1252,
    ';', quotes only where needed, dates as the cells show them (dd.MM.yyyy HH:mm)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Zertifikat", "Aussteller", "Seriennummer", "Gültig ab", "Gültig bis"])
    for key in ("www", "intranet"):
        cert = found[key]
        writer.writerow(
            [
                cert.subject.rfc4514_string(),
                cert.issuer.rfc4514_string(),
                format(cert.serial_number, "X"),
                de_de(cert.not_valid_before_utc, seconds=False),
                de_de(cert.not_valid_after_utc, seconds=False),
            ]
        )
    return out.getvalue().encode("cp1252")


def venafi(found: dict[str, x509.Certificate]) -> str:
    """Venafi TLS Protect: the WebSDK certificate fields (X509 Subject, Issuer, Serial,
    Thumbprint, ValidFrom, ValidTo, KeyAlgorithm, KeySize, SANS DNS, SignatureAlgorithm as an
    OID) and the ManagementType attribute, dates as the WebSDK writes them."""
    oids = {"www": "1.2.840.113549.1.1.11", "intranet": "1.2.840.113549.1.1.11"}
    oids["legacy"] = "1.2.840.113549.1.1.5"
    management = {"www": "Provisioning", "intranet": "Monitoring", "legacy": "Unassigned"}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            "Name",
            "Subject",
            "Issuer",
            "Serial",
            "Thumbprint",
            "ValidFrom",
            "ValidTo",
            "KeyAlgorithm",
            "KeySize",
            "SignatureAlgorithm",
            "SANS DNS",
            "ManagementType",
        ]
    )
    for key in ("www", "intranet", "legacy"):
        cert = found[key]
        fact = facts(cert)
        writer.writerow(
            [
                str(fact["san_dns"][0]),  # type: ignore[index]
                windows_dn(cert.subject),
                windows_dn(cert.issuer),
                str(fact["serial"]).upper(),
                str(fact["sha1"]).upper(),
                cert.not_valid_before_utc.strftime("%Y-%m-%dT%H:%M:%S.0000000Z"),
                cert.not_valid_after_utc.strftime("%Y-%m-%dT%H:%M:%S.0000000Z"),
                "EC" if key == "intranet" else "RSA",
                str(fact["key_size"]),
                oids[key],
                "; ".join(fact["san_dns"]),  # type: ignore[arg-type]
                management[key],
            ]
        )
    return out.getvalue()


def keyfactor(found: dict[str, x509.Certificate]) -> str:
    """Keyfactor Command: the certificate model's fields (GET /Certificates), dates ISO 8601."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            "Id",
            "Thumbprint",
            "SerialNumber",
            "IssuedDN",
            "IssuedCN",
            "NotBefore",
            "NotAfter",
            "IssuerDN",
            "KeySizeInBits",
            "KeyType",
            "KeyTypeString",
            "SigningAlgorithm",
        ]
    )
    signing = {"www": "SHA256-RSA", "intranet": "SHA256-RSA", "legacy": "SHA1-RSA"}
    for number, key in enumerate(("www", "intranet", "legacy"), start=7):
        cert = found[key]
        fact = facts(cert)
        writer.writerow(
            [
                str(number),
                str(fact["sha1"]).upper(),
                str(fact["serial"]).upper(),
                windows_dn(cert.subject),
                str(fact["san_dns"][0]),  # type: ignore[index]
                cert.not_valid_before_utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
                cert.not_valid_after_utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
                windows_dn(cert.issuer),
                str(fact["key_size"]),
                "3" if key == "intranet" else "1",
                "ECC" if key == "intranet" else "RSA",
                signing[key],
            ]
        )
    return out.getvalue()


def openssl_register(folder: Path, found: dict[str, x509.Certificate]) -> str:
    """A register assembled from what ``openssl x509`` prints for each certificate file."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["file", "serial", "subject", "issuer", "not_before", "not_after", "san"])
    for key in ("www", "intranet", "legacy"):
        path = folder / f"{key}.pem"
        path.write_bytes(found[key].public_bytes(serialization.Encoding.PEM))
        printed = subprocess.run(
            [
                "openssl",
                "x509",
                "-in",
                str(path),
                "-noout",
                "-nameopt",
                "RFC2253",
                "-serial",
                "-subject",
                "-issuer",
                "-startdate",
                "-enddate",
                "-ext",
                "subjectAltName",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.splitlines()
        values = {}
        for line in printed[:5]:
            field, _, value = line.partition("=")
            values[field.strip()] = value.strip()
        san = printed[-1].strip() if "Subject Alternative Name" in printed[-2] else ""
        writer.writerow(
            [
                f"/etc/ssl/{key}.pem",
                values["serial"],
                values["subject"],
                values["issuer"],
                values["notBefore"],
                values["notAfter"],
                san,
            ]
        )
    return out.getvalue()


def expiry_only(found: dict[str, x509.Certificate]) -> str:
    """A register that records only the end of validity."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Subject", "Serial", "Expires"])
    for key in ("www", "intranet", "old"):
        cert = found[key]
        writer.writerow(
            [
                cert.subject.rfc4514_string(),
                format(cert.serial_number, "x"),
                cert.not_valid_after_utc.date().isoformat(),
            ]
        )
    return out.getvalue()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        found = certificates(folder)
        (HERE / "certutil-view.csv").write_bytes(certutil(found).encode("ascii"))
        (HERE / "powershell-5.1.csv").write_bytes(powershell_51(found).encode("ascii"))
        (HERE / "powershell-7-de.csv").write_bytes(powershell_7_de(found).encode("utf-8"))
        (HERE / "excel-de.csv").write_bytes(excel_de(found))
        (HERE / "venafi.csv").write_bytes(venafi(found).encode("utf-8"))
        (HERE / "keyfactor.csv").write_bytes(keyfactor(found).encode("utf-8"))
        (HERE / "openssl-register.csv").write_text(openssl_register(folder, found))
        (HERE / "expiry-only.csv").write_text(expiry_only(found))
    expected = {"made_at": MADE_AT.isoformat()}
    expected.update({key: facts(cert) for key, cert in found.items()})  # type: ignore[misc]
    (HERE / "expected.json").write_text(json.dumps(expected, indent=2) + "\n")


if __name__ == "__main__":
    main()
