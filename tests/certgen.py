"""Test certificates made the way real PKIs make them (SKI, AKI, EKU, SAN, basic constraints).

Every fixture's expected values come from the arguments it was made with: tests compare what a
scanner reports with the ``Made`` record, never with the scanner's own output.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey

OPENSSL = shutil.which("openssl")


def new_key(kind: str) -> PrivateKey:
    """``rsa2048``, ``rsa1024``, ``p256``, ``p384`` or ``ed25519``."""
    if kind.startswith("rsa"):
        return rsa.generate_private_key(public_exponent=65537, key_size=int(kind[3:]))
    if kind == "p256":
        return ec.generate_private_key(ec.SECP256R1())
    if kind == "p384":
        return ec.generate_private_key(ec.SECP384R1())
    if kind == "ed25519":
        return ed25519.Ed25519PrivateKey.generate()
    raise ValueError(kind)


def key_pem(key: PrivateKey, password: bytes | None = None) -> bytes:
    """PKCS#8 PEM of a key, encrypted when a password is given."""
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(password)
        if password
        else serialization.NoEncryption()
    )
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )


@dataclass
class Made:
    """A certificate with its key and the facts it was made with."""

    cert: x509.Certificate
    key: PrivateKey
    names: tuple[str, ...]
    not_before: datetime
    not_after: datetime
    key_type: str
    key_size: int
    issuer: Made | None = None
    chain: list[Made] = field(default_factory=list)

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    @property
    def der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)

    @property
    def sha256(self) -> str:
        return self.cert.fingerprint(hashes.SHA256()).hex()

    @property
    def key_pem(self) -> bytes:
        return key_pem(self.key)

    def chain_pem(self, *, with_intermediates: bool = True) -> bytes:
        """The leaf, then its intermediates (not the root), as a server sends them."""
        parts = [self.pem]
        if with_intermediates:
            parts += [c.pem for c in self.chain]
        return b"".join(parts)

    def write(
        self, folder: Path, name: str, *, with_intermediates: bool = True
    ) -> tuple[Path, Path]:
        """``name.pem`` (chain) and ``name.key`` in ``folder``."""
        folder.mkdir(parents=True, exist_ok=True)
        cert_path = folder / f"{name}.pem"
        key_path = folder / f"{name}.key"
        cert_path.write_bytes(self.chain_pem(with_intermediates=with_intermediates))
        key_path.write_bytes(self.key_pem)
        key_path.chmod(0o600)
        return cert_path, key_path


def _key_facts(kind: str) -> tuple[str, int]:
    if kind.startswith("rsa"):
        return "rsa", int(kind[3:])
    return {"p256": ("ec", 256), "p384": ("ec", 384), "ed25519": ("ed25519", 256)}[kind]


def issue(
    names: tuple[str, ...],
    *,
    issuer: Made | None,
    not_before: datetime,
    not_after: datetime,
    key: str = "p256",
    ca: bool = False,
    common_name: str | None = None,
    serial: int | None = None,
    subject: x509.Name | None = None,
    san: bool = True,
) -> Made:
    """A certificate for ``names`` (SAN DNS, or IP for addresses) signed by ``issuer``
    (self-signed when ``None``); its subject is ``subject``, else the common name alone;
    without ``san`` the names are only in the common name (no subjectAltName at all)."""
    private = new_key(key)
    cn = common_name or (names[0] if names else "Test CA")
    subject = subject or x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    signer_key = issuer.key if issuer is not None else private
    issuer_name = issuer.cert.subject if issuer is not None else subject
    public = private.public_key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(public)
        .serial_number(serial if serial is not None else x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
    )
    issuer_public = issuer.key.public_key() if issuer is not None else public
    builder = builder.add_extension(
        x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_public), critical=False
    )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    else:
        import ipaddress

        general: list[x509.GeneralName] = []
        for name in names:
            try:
                general.append(x509.IPAddress(ipaddress.ip_address(name)))
            except ValueError:
                general.append(x509.DNSName(name))
        if san:
            builder = builder.add_extension(x509.SubjectAlternativeName(general), critical=False)
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
    algorithm = None if isinstance(signer_key, ed25519.Ed25519PrivateKey) else hashes.SHA256()
    cert = builder.sign(signer_key, algorithm)
    key_type, key_size = _key_facts(key)
    named = names if san or ca else ()
    made = Made(cert, private, named, not_before, not_after, key_type, key_size, issuer)
    if issuer is not None and issuer.issuer is not None:
        made.chain = [issuer, *issuer.chain]
    return made


@dataclass
class Pki:
    """A root, an intermediate, and leaves issued by the intermediate."""

    root: Made
    intermediate: Made
    now: datetime

    @classmethod
    def create(cls, now: datetime) -> Pki:
        root = issue(
            (),
            issuer=None,
            not_before=now - timedelta(days=365),
            not_after=now + timedelta(days=3650),
            ca=True,
            common_name="Test Root CA",
        )
        intermediate = issue(
            (),
            issuer=root,
            not_before=now - timedelta(days=300),
            not_after=now + timedelta(days=1800),
            ca=True,
            common_name="Test Issuing CA",
        )
        return cls(root, intermediate, now)

    def leaf(
        self,
        *names: str,
        days_before: int = 1,
        days_after: int = 89,
        key: str = "p256",
        san: bool = True,
    ) -> Made:
        """A leaf valid from ``now - days_before`` to ``now + days_after`` (negative: past)."""
        made = issue(
            names,
            issuer=self.intermediate,
            not_before=self.now - timedelta(days=days_before),
            not_after=self.now + timedelta(days=days_after),
            key=key,
            san=san,
        )
        made.chain = [self.intermediate]
        return made

    def self_signed(self, *names: str, days_after: int = 3650) -> Made:
        return issue(
            names,
            issuer=None,
            not_before=self.now - timedelta(days=1),
            not_after=self.now + timedelta(days=days_after),
            key="rsa2048",
        )


def openssl_sha1_rsa1024(folder: Path, name: str, host: str, days: int = 30) -> tuple[Path, Path]:
    """A self-signed RSA-1024 certificate signed with SHA-1, made by ``openssl req`` (the
    cryptography library refuses to sign with SHA-1)."""
    assert OPENSSL is not None
    folder.mkdir(parents=True, exist_ok=True)
    cert, key = folder / f"{name}.pem", folder / f"{name}.key"
    subprocess.run(
        [
            OPENSSL,
            "req",
            "-x509",
            "-sha1",
            "-newkey",
            "rsa:1024",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            str(days),
            "-subj",
            f"/CN={host}",
            "-addext",
            f"subjectAltName=DNS:{host}",
        ],
        check=True,
        capture_output=True,
        timeout=30,
    )
    return cert, key


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)
