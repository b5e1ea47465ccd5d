"""Signing keys and certificates: ``assess keygen``'s self-signed pair, loading a signer's key
and certificate, and the facts a verdict states about a certificate.

Only RSA keys are accepted: pyHanko marks a PDF signed with ECDSA or EdDSA as PDF 2.0
(ISO/TS 32002), which a PDF/A-3 file (PDF 1.7) must not be. Private keys are read, used and
dropped: they never appear in an output, a log or an error message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assess.integrity.manifest import sha256_hex
from assess.support.errors import InputError, Problem

if TYPE_CHECKING:
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

KEY_SIZE = 3072
"""RSA key size of ``assess keygen`` (NIST SP 800-57: 128-bit security)."""
SELF_SIGNED_UNIT = "Self-signed with cmmm-assess"
"""The organisational unit ``assess keygen`` writes, so a PDF reader shows what it is."""
PASSPHRASE_ENV = "ASSESS_KEY_PASSPHRASE"
"""The environment variable holding a signing key's passphrase."""


@dataclass(frozen=True)
class SigningIdentity:
    """A signer's key and certificate, loaded."""

    key: RSAPrivateKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()
    """Intermediate certificates to embed (not trust anchors)."""


def make_self_signed(
    name: str,
    *,
    organisation: str = "",
    email: str = "",
    days: int,
    now: datetime,
    passphrase: bytes | None,
) -> tuple[bytes, bytes]:
    """A new RSA key and a self-signed certificate for signing documents: (key PEM, cert PEM).

    The key is PKCS#8, encrypted with ``passphrase`` when one is given.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, name)]
    if organisation:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    attributes.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, SELF_SIGNED_UNIT))
    if email:
        attributes.append(x509.NameAttribute(NameOID.EMAIL_ADDRESS, email))
    subject = x509.Name(attributes)
    start = now.astimezone(UTC).replace(microsecond=0) - timedelta(minutes=5)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .sign(key, hashes.SHA256())
    )
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption()
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    return key_pem, certificate.public_bytes(serialization.Encoding.PEM)


def is_encrypted_key(data: bytes) -> bool:
    """True for a PEM private key protected by a passphrase."""
    return b"ENCRYPTED" in data[:200] or b"Proc-Type: 4,ENCRYPTED" in data


def read_certificates(data: bytes, file: Path) -> list[x509.Certificate]:
    """Certificates from a PEM (one or more) or DER file."""
    from cryptography import x509

    try:
        if b"-----BEGIN" in data:
            return list(x509.load_pem_x509_certificates(data))
        return [x509.load_der_x509_certificate(data)]
    except ValueError:
        raise InputError(
            Problem("not a certificate (expected PEM or DER X.509)", file=file)
        ) from None


def load_identity(
    key_data: bytes,
    key_file: Path,
    cert_data: bytes,
    cert_file: Path,
    *,
    passphrase: bytes | None,
    chain: Sequence[x509.Certificate] = (),
) -> SigningIdentity:
    """A signing key and its certificate; every problem named without showing key material."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    try:
        if b"-----BEGIN" in key_data:
            key = serialization.load_pem_private_key(key_data, password=passphrase)
        else:
            key = serialization.load_der_private_key(key_data, password=passphrase)
    except TypeError:
        # Raised for a passphrase given to a plain key or missing for an encrypted one.
        if passphrase is None:
            raise InputError(
                Problem("the key is protected by a passphrase", file=key_file),
                hint=f"set {PASSPHRASE_ENV}, or run the command in a terminal to be asked",
            ) from None
        raise InputError(
            Problem("the key is not protected by a passphrase, but one was given", file=key_file),
            hint=f"unset {PASSPHRASE_ENV}",
        ) from None
    except ValueError:
        raise InputError(
            Problem(
                "cannot read the private key: not a PEM or DER key, or a wrong passphrase",
                file=key_file,
            )
        ) from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise InputError(
            Problem(
                "not an RSA key: an ECDSA or EdDSA signature turns the PDF into PDF 2.0, which "
                "breaks its PDF/A-3 conformance",
                file=key_file,
            ),
            hint="make an RSA key with assess keygen, or ask your CA for an RSA certificate",
        )
    certificates = read_certificates(cert_data, cert_file)
    if not certificates:
        raise InputError(Problem("no certificate in the file", file=cert_file))
    certificate = certificates[0]
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    der = serialization.Encoding.DER
    if certificate.public_key().public_bytes(der, public) != key.public_key().public_bytes(
        der, public
    ):
        raise InputError(
            Problem("the certificate is not the key's: their public keys differ", file=cert_file)
        )
    return SigningIdentity(key=key, certificate=certificate, chain=(*certificates[1:], *chain))


def certificate_fingerprint(certificate: x509.Certificate) -> str:
    """SHA-256 of a certificate's DER, hex."""
    from cryptography.hazmat.primitives import serialization

    return sha256_hex(certificate.public_bytes(serialization.Encoding.DER))


def common_name(certificate: x509.Certificate) -> str:
    """The certificate's CN, or its whole subject when it has none."""
    from cryptography.x509.oid import NameOID

    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    if not names:
        # The subject in the order it was written (``CN=Ann Auditor, O=Acme``).
        return ", ".join(a.rfc4514_string() for a in certificate.subject)
    value = names[0].value
    return value if isinstance(value, str) else value.decode("utf-8", "replace")


def asn1_certificate(certificate: x509.Certificate) -> Any:
    """The certificate as pyHanko takes it (an asn1crypto ``Certificate``)."""
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization

    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))
