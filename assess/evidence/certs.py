"""A parsed certificate turned into a :class:`CertificateRecord`, whatever the source.

Certificates in the wild break parsers in many small ways (a malformed extension, an unsupported
key, a negative serial). Each field is read on its own: a field that cannot be read is ``null``
or empty, and only a certificate whose identity cannot be read at all is an error.
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Iterable

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID

from assess.model.bundle import CertificateRecord, KeyType
from assess.support.certificates import is_self_signed

_EKU_NAMES = {
    oid.dotted_string: name
    for name, oid in vars(ExtendedKeyUsageOID).items()
    if isinstance(oid, x509.ObjectIdentifier)
}
_CAMEL = {
    "SERVER_AUTH": "serverAuth",
    "CLIENT_AUTH": "clientAuth",
    "CODE_SIGNING": "codeSigning",
    "EMAIL_PROTECTION": "emailProtection",
    "TIME_STAMPING": "timeStamping",
    "OCSP_SIGNING": "OCSPSigning",
}


class UnreadableCertificate(ValueError):
    """A certificate parsed but its identity (names, validity) cannot be read."""


def key_description(
    key: object,
) -> tuple[KeyType | None, int | None, str | None]:
    """Key type, size in bits and curve name of a public or private key object."""
    match key:
        case rsa.RSAPublicKey() | rsa.RSAPrivateKey():
            return KeyType.RSA, key.key_size, None
        case ec.EllipticCurvePublicKey() | ec.EllipticCurvePrivateKey():
            return KeyType.EC, key.curve.key_size, key.curve.name
        case ed25519.Ed25519PublicKey() | ed25519.Ed25519PrivateKey():
            return KeyType.ED25519, 256, None
        case ed448.Ed448PublicKey() | ed448.Ed448PrivateKey():
            return KeyType.ED448, 456, None
        case dsa.DSAPublicKey() | dsa.DSAPrivateKey():
            return KeyType.DSA, key.key_size, None
    return None, None, None


def _extensions(
    cert: x509.Certificate,
) -> tuple[
    x509.SubjectAlternativeName | None, x509.BasicConstraints | None, x509.ExtendedKeyUsage | None
]:
    """The first subjectAltName, basicConstraints and extendedKeyUsage, in one pass; none of
    them when the extensions cannot be read (malformed, duplicated, unsupported name type)."""
    try:
        extensions = cert.extensions
    except (
        x509.DuplicateExtension,
        x509.UnsupportedGeneralNameType,
        ValueError,
        TypeError,
    ):
        return None, None, None
    san: x509.SubjectAlternativeName | None = None
    constraints: x509.BasicConstraints | None = None
    usages: x509.ExtendedKeyUsage | None = None
    for extension in extensions:
        value = extension.value
        if san is None and isinstance(value, x509.SubjectAlternativeName):
            san = value
        elif constraints is None and isinstance(value, x509.BasicConstraints):
            constraints = value
        elif usages is None and isinstance(value, x509.ExtendedKeyUsage):
            usages = value
    return san, constraints, usages


def record_of(
    cert: x509.Certificate, automation: Iterable[str] = (), *, der: bytes | None = None
) -> CertificateRecord:
    """The record of a parsed certificate; :class:`UnreadableCertificate` when its names or
    validity cannot be read.

    ``der`` is the encoding ``cert`` was loaded from, when the caller holds it: it spares
    re-encoding the certificate to fingerprint it."""
    with warnings.catch_warnings():
        # Negative serials and similar oddities warn; they are recorded, not shouted about.
        warnings.simplefilter("ignore")
        return _record_of(cert, tuple(automation), der)


def _record_of(
    cert: x509.Certificate, automation: tuple[str, ...], der: bytes | None
) -> CertificateRecord:
    try:
        if der is None:
            der = cert.public_bytes(serialization.Encoding.DER)
        subject = cert.subject.rfc4514_string()
        issuer = cert.issuer.rfc4514_string()
        not_before = cert.not_valid_before_utc
        not_after = cert.not_valid_after_utc
        serial = cert.serial_number
    except (ValueError, TypeError) as error:
        raise UnreadableCertificate(f"certificate names or validity unreadable: {error}") from None

    key_type: KeyType | None = None
    key_size: int | None = None
    curve: str | None = None
    spki: str | None = None
    try:
        public_key = cert.public_key()
    except (ValueError, UnsupportedAlgorithm, TypeError):
        pass
    else:
        key_type, key_size, curve = key_description(public_key)
        spki_der = public_key.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        spki = hashlib.sha256(spki_der).hexdigest()

    signature_hash: str | None = None
    try:
        algorithm = cert.signature_hash_algorithm
    except (UnsupportedAlgorithm, ValueError):
        algorithm = None
    if isinstance(algorithm, hashes.HashAlgorithm):
        signature_hash = algorithm.name.replace("-", "")
    signature_name: str | None
    try:
        oid = cert.signature_algorithm_oid
        signature_name = oid._name if oid._name != "Unknown OID" else oid.dotted_string
    except ValueError:
        signature_name = None
    if signature_name is not None and signature_hash is None and "sha1" in signature_name.lower():
        signature_hash = "sha1"
    if signature_name is not None and signature_hash is None and "md5" in signature_name.lower():
        signature_hash = "md5"

    dns: list[str] = []
    ips: list[str] = []
    san, constraints, usages = _extensions(cert)
    for name in san or ():
        if isinstance(name, x509.DNSName):
            dns.append(name.value)
        elif isinstance(name, x509.IPAddress):
            ips.append(str(name.value))
    is_ca = constraints.ca if constraints is not None else None
    eku: tuple[str, ...] = ()
    if usages is not None:
        eku = tuple(
            _CAMEL.get(_EKU_NAMES.get(u.dotted_string, ""), u.dotted_string) for u in usages
        )

    return CertificateRecord(
        sha256=hashlib.sha256(der).hexdigest(),
        serial=format(serial, "x"),
        subject=subject,
        issuer=issuer,
        not_before=not_before,
        not_after=not_after,
        key_type=key_type,
        key_size=key_size,
        signature_hash=signature_hash,
        san_dns=tuple(dns),
        self_signed=is_self_signed(cert),
        signature_algorithm=signature_name,
        curve=curve,
        spki_sha256=spki,
        is_ca=is_ca,
        eku=eku,
        san_ip=tuple(ips),
        automation=automation,
    )


class RecordCache:
    """Records of certificates already described in this scan, by DER (bounded).

    The same certificate comes back again and again in a real estate: the issuing CA in every
    chain file and on every endpoint, one certificate on a pool of servers. Describing it once
    changes no result. A cache lives as long as one scan: nothing is remembered across scans.
    """

    def __init__(self, size: int = 1024) -> None:
        self.size = size
        self._records: dict[tuple[bytes, tuple[str, ...]], CertificateRecord] = {}

    def record(
        self, cert: x509.Certificate, automation: Iterable[str] = (), *, der: bytes | None = None
    ) -> CertificateRecord:
        """``record_of(cert, automation)``, remembered; ``der`` as for :func:`record_of`."""
        if der is None:
            der = cert.public_bytes(serialization.Encoding.DER)
        key = (der, tuple(automation))
        found = self._records.get(key)
        if found is None:
            found = self._remember(key, record_of(cert, key[1], der=der))
        return found

    def record_der(self, der: bytes, automation: Iterable[str] = ()) -> CertificateRecord:
        """The record of the DER certificate ``der``, parsed only when not remembered; a
        certificate that does not parse raises as ``x509.load_der_x509_certificate``."""
        key = (der, tuple(automation))
        found = self._records.get(key)
        if found is None:
            cert = x509.load_der_x509_certificate(der)
            found = self._remember(key, record_of(cert, key[1], der=der))
        return found

    def _remember(
        self, key: tuple[bytes, tuple[str, ...]], record: CertificateRecord
    ) -> CertificateRecord:
        if self.size > 0:
            if len(self._records) >= self.size:
                del self._records[next(iter(self._records))]  # the oldest entry
            self._records[key] = record
        return record
