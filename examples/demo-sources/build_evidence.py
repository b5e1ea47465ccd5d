"""Build the demo's evidence bundles (examples/demo/evidence/) the way a consultant would.

Larkspur's PKI team exported its certificate register on 2026-11-18 (a CSV, kept here as
``pki-register-2026-11-18.csv``), and the assessors read the certificate and key files of eight
web servers and of the ``pki-share`` file share on 2026-11-19. This script makes both inputs
and runs the tool on them:

- the register is generated from a fixed seed, so it is the same file every time, and imported
  with ``assess evidence import --format csv --collected-at 2026-11-18T16:00:00Z``;
- the server and share files are real certificates and keys made with ``cryptography`` in a
  scratch folder, read with ``assess scan files``, then deleted. A scan records the moment it
  runs, so the bundle's ``collected_at`` is then set to the demo's scan date (2026-11-19): the
  demo is fixed in time, and evidence read after its evaluation date would not count.

Nothing here is real: names, serials and keys are invented. Run from the repository root:

    python examples/demo-sources/build_evidence.py
"""

from __future__ import annotations

import csv
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

HERE = Path(__file__).resolve().parent
DEMO = HERE.parent / "demo"
REGISTER = HERE / "pki-register-2026-11-18.csv"
REGISTER_AT = "2026-11-18T16:00:00Z"
FILES_AT = "2026-11-19T10:30:00Z"
EVALUATED = datetime(2026, 11, 27, tzinfo=UTC)
EXPORTED = datetime.fromisoformat(REGISTER_AT.replace("Z", "+00:00"))
"""When the register was exported: nothing in it was issued later."""
PFX_PASSWORD = b"Partner-Gateway-2026"
"""The gateway team gave the assessors this one so the bundle could be opened."""

PUBLIC_CA = "CN=Meridian Trust TLS RSA CA 2025,O=Meridian Trust Services Ltd,C=GB"
ACME_CA = "CN=R11,O=Let's Encrypt,C=US"
INTERNAL_CAS = (
    "CN=Larkspur Issuing CA 01,O=Larkspur Mutual Assurance,C=GB",
    "CN=Larkspur Issuing CA 02,O=Larkspur Mutual Assurance,C=GB",
)
PUBLIC_NAMES = (
    "www",
    "portal",
    "broker",
    "claims",
    "quotes",
    "api",
    "partner-api",
    "sso",
    "mail",
    "autodiscover",
    "careers",
    "status",
    "docs",
    "cdn",
    "pay",
    "renewals",
    "agents",
)
BRANDS = (
    "larkspur.example",
    "larkspur-mutual.example",
    "larkspurhome.example",
    "larkspur-life.example",
    "larkspurmotor.example",
)
INTERNAL_ROLES = ("app", "db", "mq", "web", "k8s-node", "ldap", "print", "vpn", "backup", "jump")


def register_rows() -> list[dict[str, str]]:
    """The certificate register as the PKI team's CLM export writes it (473 certificates).

    63 public certificates: 22 renewed by ACME (Let's Encrypt, 90 days), 41 bought and installed
    by hand (200-day maximum since March 2026, 397 days before); three of the manual ones expire
    within two weeks of the evaluation date. 410 internal certificates from the two issuing CAs
    on the 180-day internal profile, 149 of them auto-enrolled; two legacy RSA-1024 certificates
    on the claims print gateway, and four expired certificates nobody removed.
    """
    rng = random.Random(20261118)
    rows: list[dict[str, str]] = []
    serials: set[int] = set()

    def serial() -> str:
        while True:
            value = rng.getrandbits(64)
            if value not in serials:
                serials.add(value)
                return f"{value:016X}"

    def row(
        cn: str,
        issuer: str,
        not_before: datetime,
        days: int,
        *,
        key: str = "RSA",
        size: int = 2048,
        method: str = "Manual",
        owner: str,
        sans: tuple[str, ...] = (),
    ) -> None:
        if not_before > EXPORTED:  # drawn after the export was taken: issued a week earlier
            not_before -= EVALUATED - EXPORTED
        rows.append(
            {
                "Common Name": cn,
                "Subject": f"CN={cn}",
                "Issuer": issuer,
                "Serial Number": serial(),
                "Valid From": not_before.strftime("%Y-%m-%d %H:%M:%S"),
                "Valid To": (not_before + timedelta(days=days)).strftime("%Y-%m-%d %H:%M:%S"),
                "Key Algorithm": key,
                "Key Size": str(size),
                "Signature Hash": "SHA256",
                "SAN": ";".join(sans or (cn,)),
                "Management Type": method,
                "Owner": owner,
            }
        )

    public = [f"{name}.{brand}" for brand in BRANDS for name in PUBLIC_NAMES]
    rng.shuffle(public)
    for cn in public[:22]:  # the customer web tier: ACME, renewed at day 60 of 90
        issued = EVALUATED - timedelta(days=rng.randint(1, 58), hours=rng.randint(0, 23))
        row(
            cn,
            ACME_CA,
            issued,
            90,
            key="ECDSA",
            size=256,
            method="Provisioning",
            owner="Web Platform",
        )
    for index, cn in enumerate(public[22:63]):
        if index < 3:  # bought a year ago, renewal tickets still open
            issued = EVALUATED - timedelta(days=390 - index * 2)
            days = 397
        else:
            issued = EVALUATED - timedelta(days=rng.randint(20, 330))
            if issued >= datetime(2026, 3, 15, tzinfo=UTC):  # the 200-day maximum
                issued = EVALUATED - timedelta(days=rng.randint(20, 180))
            days = 397 if issued < datetime(2026, 3, 15, tzinfo=UTC) else 199
        sans = (cn, f"*.{cn.split('.', 1)[1]}") if index % 13 == 5 else (cn,)
        row(
            cn,
            PUBLIC_CA,
            issued,
            days,
            owner=rng.choice(("Digital", "Brokers", "IT Ops")),
            sans=sans,
        )
    for number in range(410):
        role = INTERNAL_ROLES[number % len(INTERNAL_ROLES)]
        cn = f"{role}{number // len(INTERNAL_ROLES) + 1:02d}.corp.larkspur.example"
        issuer = INTERNAL_CAS[number % 2]
        if number in (17, 211):  # the claims print gateway's legacy certificates
            cn = f"print-gw{number % 3}.corp.larkspur.example"
            row(cn, issuer, EVALUATED - timedelta(days=120), 180, size=1024, owner="Claims IT")
            continue
        if number in (40, 41, 300, 301):  # expired, never removed from the register
            issued = EVALUATED - timedelta(days=200 + number % 7)
        else:
            issued = EVALUATED - timedelta(days=rng.randint(2, 175))
        method = "Provisioning" if number % 41 < 15 else "Manual"
        row(cn, issuer, issued, 180, method=method, owner="IT Ops")
    return rows


def write_register() -> None:
    rows = register_rows()
    with REGISTER.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _name(cn: str, org: str | None = None) -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COMMON_NAME, cn)]
    if org:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    return x509.Name(parts)


def _certificate(
    subject: x509.Name,
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey,
    issuer: x509.Name,
    issuer_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey,
    not_before: datetime,
    days: int,
    *,
    ca: bool = False,
    names: tuple[str, ...] = (),
) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_before + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if names:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False
        ).add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _key_pem(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _ca_name(cn: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Larkspur Mutual Assurance"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "GB"),
        ]
    )


def write_files(root: Path) -> list[str]:
    """Eight web servers' TLS folders and the pki-share, as the assessors copied them.

    The PKI the scope describes: an offline root (self-signed, never served) above the issuing
    CA 02, which signs the servers' and the share's certificates. Servers present their leaf
    and the issuing CA, as a server should; the root stays in the trust stores.
    """
    root_key = ec.generate_private_key(ec.SECP384R1())
    root_name = _ca_name("Larkspur Root CA")
    ca_key = ec.generate_private_key(ec.SECP384R1())
    ca_name = _ca_name("Larkspur Issuing CA 02")
    ca = _certificate(
        ca_name, ca_key, root_name, root_key, EVALUATED - timedelta(days=900), 3650, ca=True
    )
    servers = []
    for number in range(1, 9):
        host = f"web{number:02d}"
        folder = root / host / "etc" / "nginx" / "tls"
        folder.mkdir(parents=True)
        key = ec.generate_private_key(ec.SECP256R1())
        name = f"{host}.corp.larkspur.example"
        cert = _certificate(
            _name(name),
            key,
            ca_name,
            ca_key,
            EVALUATED - timedelta(days=10 * number),
            180,
            names=(name,),
        )
        (folder / f"{name}.pem").write_bytes(_pem(cert) + _pem(ca))
        (folder / f"{name}.key").write_bytes(_key_pem(key))
        (folder / f"{name}.key").chmod(0o600)
        servers.append(host)
    share = root / "fs01" / "pki-share"
    (share / "old").mkdir(parents=True)
    for stem, names, mode in (
        ("broker-portal", ("broker.larkspur.example",), 0o644),
        ("wildcard-larkspur", ("*.larkspur.example", "larkspur.example"), 0o644),
        ("old/claims-print-gw", ("print-gw2.corp.larkspur.example",), 0o666),
    ):
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        cert = _certificate(
            _name(names[0]), key, ca_name, ca_key, EVALUATED - timedelta(days=60), 180, names=names
        )
        (share / f"{stem}.crt").write_bytes(_pem(cert))
        (share / f"{stem}.key").write_bytes(_key_pem(key))
        (share / f"{stem}.key").chmod(mode)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = _certificate(
        _name("partner-api.larkspur.example"),
        key,
        ca_name,
        ca_key,
        EVALUATED - timedelta(days=30),
        180,
        names=("partner-api.larkspur.example",),
    )
    bundle = pkcs12.serialize_key_and_certificates(
        b"partner-gw",
        key,
        cert,
        [ca],
        serialization.BestAvailableEncryption(PFX_PASSWORD),
    )
    (share / "partner-gw.pfx").write_bytes(bundle)
    (share / "partner-gw.pfx").chmod(0o640)
    return [*servers, "fs01"]


def assess(*args: str, cwd: Path | None = None) -> None:
    subprocess.run([sys.executable, "-m", "assess", *args], check=True, cwd=cwd)


def main() -> None:
    evidence = DEMO / "evidence"
    evidence.mkdir(exist_ok=True)
    write_register()
    assess(
        "evidence",
        "import",
        REGISTER.name,
        "--format",
        "csv",
        "--map",
        "Valid From=not_before",
        "--map",
        "Valid To=not_after",
        "--map",
        "Serial Number=serial",
        "--map",
        "Key Algorithm=key_type",
        "--map",
        "Key Size=key_size",
        "--map",
        "Signature Hash=signature_hash",
        "--map",
        "SAN=san_dns",
        "--map",
        "Management Type=automation",
        "--collected-at",
        REGISTER_AT,
        "--out",
        str(evidence / "pki-register.json"),
        cwd=HERE,  # rows are located as pki-register-2026-11-18.csv:LINE
    )
    scratch = Path(tempfile.mkdtemp(prefix="larkspur-files-"))
    try:
        targets = write_files(scratch)
        out = evidence / "files-web-and-share.json"
        assess(
            "scan",
            "files",
            *targets,
            "--password",
            PFX_PASSWORD.decode(),
            "--out",
            str(out),
            cwd=scratch,
        )
        document = json.loads(out.read_text(encoding="utf-8"))
        document["collected_at"] = FILES_AT
        tmp = out.with_suffix(".tmp")
        tmp.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, out)
    finally:
        shutil.rmtree(scratch)


if __name__ == "__main__":
    main()
