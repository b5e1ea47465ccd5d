"""A parsed certificate turned into a :class:`CertificateRecord`, whatever the source.

Certificates in the wild break parsers in many small ways (a malformed extension, an unsupported
key, a negative serial). Each field is read on its own: a field that cannot be read is ``null``
or empty, and only a certificate whose identity cannot be read at all is an error.
"""

from __future__ import annotations

import hashlib
import re
import warnings
from collections.abc import Iterable
from functools import cached_property

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID

from assess.model import algorithms
from assess.model.bundle import CertificateRecord, KeyType
from assess.support import der
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


_SIGNATURE_OIDS = {
    # RFC 8017 (PKCS #1) and the OIW forms Windows still shows for old certificates.
    "1.2.840.113549.1.1.2": "md2",
    "1.2.840.113549.1.1.3": "md4",
    "1.2.840.113549.1.1.4": "md5",
    "1.2.840.113549.1.1.5": "sha1",
    "1.2.840.113549.1.1.14": "sha224",
    "1.2.840.113549.1.1.11": "sha256",
    "1.2.840.113549.1.1.12": "sha384",
    "1.2.840.113549.1.1.13": "sha512",
    "1.3.14.3.2.3": "md5",
    "1.3.14.3.2.29": "sha1",
    # RFC 5758 and RFC 3279: ECDSA and DSA.
    "1.2.840.10045.4.1": "sha1",
    "1.2.840.10045.4.3.1": "sha224",
    "1.2.840.10045.4.3.2": "sha256",
    "1.2.840.10045.4.3.3": "sha384",
    "1.2.840.10045.4.3.4": "sha512",
    "1.2.840.10040.4.3": "sha1",
    "2.16.840.1.101.3.4.3.1": "sha224",
    "2.16.840.1.101.3.4.3.2": "sha256",
}
_EDDSA_OIDS = {"1.3.101.112": "ed25519", "1.3.101.113": "ed448"}
_HASH_IN_NAME = re.compile(r"(md[245])|sha3-?(224|256|384|512)|sha-?(1|224|256|384|512)(?!\d)")


def signature_of(name: str) -> tuple[str | None, str | None]:
    """The hash and the algorithm a signature name written by some tool stands for, as
    ``(signature_hash, signature_algorithm)``; ``(None, None)`` when it is not recognised.

    Tools spell the same signature many ways: ``sha1RSA`` and ``sha256ECDSA`` (Windows,
    PowerShell, certutil), ``sha1WithRSAEncryption`` and ``ecdsa-with-SHA1`` (OpenSSL, RFC
    names), ``SHA1-ECDSA``, ``SHA256withRSA`` (Java), ``SHA256 with RSA`` (testssl.sh), the
    dotted OID. EdDSA has no separate hash: ``(None, "ed25519")``. RSASSA-PSS names its hash in
    parameters a name does not show: not recognised.
    """
    text = name.strip()
    spelled = re.sub(r"[\s_]+", "", text.lower())
    if spelled in _SIGNATURE_OIDS:
        return _SIGNATURE_OIDS[spelled], text
    if spelled in _EDDSA_OIDS:
        return None, _EDDSA_OIDS[spelled]
    if spelled in ("ed25519", "ed448", "pureed25519", "pureed448"):
        return None, spelled.removeprefix("pure")
    found = _HASH_IN_NAME.search(spelled)
    if found is None:
        return None, None
    md, sha3, sha2 = found.groups()
    return md or (f"sha3{sha3}" if sha3 else f"sha{sha2}"), text  # as record_of names them


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
        not_before = cert.not_valid_before_utc
        not_after = cert.not_valid_after_utc
        serial = cert.serial_number
    except (ValueError, TypeError) as error:
        raise UnreadableCertificate(f"certificate validity or serial unreadable: {error}") from None
    raw = _raw_parts(cert)
    subject = _name_of(cert, "subject", raw)
    issuer = _name_of(cert, "issuer", raw)

    key_type, key_size, curve, spki, key_oid = _key_of(cert, raw)
    signature_oid, signature_name, signature_hash = _signature_of(cert)

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
    try:
        self_signed = is_self_signed(cert)
    except ValueError:  # names that cannot be decoded cannot be compared
        self_signed = False

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
        self_signed=self_signed,
        signature_algorithm=signature_name,
        curve=curve,
        spki_sha256=spki,
        is_ca=is_ca,
        eku=eku,
        san_ip=tuple(ips),
        automation=automation,
        key_algorithm_oid=key_oid,
        signature_algorithm_oid=signature_oid,
    )


class _RawParts:
    """The TBS elements a record needs when cryptography cannot decode them: the issuer and
    subject names and the SubjectPublicKeyInfo, as DER (``None`` when the TBS is malformed).
    Read only when first asked for: a certificate cryptography reads whole never needs them."""

    def __init__(self, cert: x509.Certificate) -> None:
        self._cert = cert

    @cached_property
    def _fields(self) -> tuple[bytes | None, bytes | None, bytes | None]:
        try:
            tbs = self._cert.tbs_certificate_bytes
            (top,) = der.children(tbs)
            fields = _encoded(tbs, top)
        except (der.AsnError, ValueError):
            return None, None, None
        if fields and fields[0][0].tag == 0xA0:  # [0] version
            fields = fields[1:]
        # serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo
        if len(fields) < 6:
            return None, None, None
        return fields[2][1], fields[4][1], fields[5][1]

    @property
    def issuer(self) -> bytes | None:
        """The issuer Name's DER."""
        return self._fields[0]

    @property
    def subject(self) -> bytes | None:
        """The subject Name's DER."""
        return self._fields[1]

    @property
    def spki(self) -> bytes | None:
        """The SubjectPublicKeyInfo's DER."""
        return self._fields[2]


def _encoded(data: bytes, parent: der.Element) -> list[tuple[der.Element, bytes]]:
    """The elements inside ``parent`` with their whole encoding (tag, length and content)."""
    found = []
    at = parent.start
    for element in der.children(data, parent):
        found.append((element, data[at : element.end]))
        at = element.end
    return found


def _raw_parts(cert: x509.Certificate) -> _RawParts:
    return _RawParts(cert)


def _name_of(cert: x509.Certificate, which: str, raw: _RawParts) -> str:
    """The RFC 4514 form of the subject or issuer; when an attribute cannot be decoded (a
    string type that does not hold its bytes), every attribute in RFC 4514's ``oid=#hex`` form
    of its DER value, so that the certificate is still recorded with the name as it is."""
    try:
        name = cert.subject if which == "subject" else cert.issuer
        return name.rfc4514_string()
    except (ValueError, TypeError):
        pass
    encoded = raw.subject if which == "subject" else raw.issuer
    if encoded is None:
        return ""
    try:
        (sequence,) = der.children(encoded)
        parts = []
        for rdn in der.children(encoded, sequence):
            attributes = []
            for attribute in der.children(encoded, rdn):
                (kind, _), (_, value) = _encoded(encoded, attribute)
                attributes.append(f"{der.oid(encoded, kind)}=#{value.hex()}")
            parts.append("+".join(attributes))
    except (der.AsnError, ValueError):
        return ""
    return ",".join(reversed(parts))


def _key_of(
    cert: x509.Certificate, raw: _RawParts
) -> tuple[str | None, int | None, str | None, str | None, str | None]:
    """Key type, size, curve, SHA-256 of the SubjectPublicKeyInfo and its algorithm OID.

    The type comes from the key object for the classical algorithms cryptography loads, and
    from the algorithm table by OID for the others (post-quantum, composite): cryptography
    raises ``ValueError`` (≤ 46) or ``UnsupportedAlgorithm`` (≥ 47) for keys it does not know.
    """
    try:
        key_oid: str | None = cert.public_key_algorithm_oid.dotted_string
    except ValueError:
        key_oid = None
    key_type: str | None = None
    key_size: int | None = None
    curve: str | None = None
    spki_der: bytes | None = None
    try:
        public_key = cert.public_key()
    except (ValueError, UnsupportedAlgorithm, TypeError):
        spki_der = raw.spki
    else:
        key_type, key_size, curve = key_description(public_key)
        # As the key encodes itself: the same key found by other sources hashes alike.
        spki_der = public_key.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    if key_type is None and key_oid is not None:
        key_type = algorithms.key_type_of_oid(key_oid)
        key_size = None
    spki = hashlib.sha256(spki_der).hexdigest() if spki_der is not None else None
    return key_type, key_size, curve, spki, key_oid


def _signature_of(cert: x509.Certificate) -> tuple[str | None, str | None, str | None]:
    """Signature algorithm OID, name and hash. The name is cryptography's, else the algorithm
    table's (cryptography names ML-DSA only from 48), else the dotted OID."""
    try:
        oid = cert.signature_algorithm_oid
    except ValueError:
        return None, None, None
    dotted = oid.dotted_string
    found = algorithms.by_oid(dotted)
    if found is not None and found.is_post_quantum:
        name = found.name
    elif oid._name != "Unknown OID":
        name = oid._name
    else:
        name = found.name if found is not None else dotted
    signature_hash: str | None = None
    try:
        algorithm = cert.signature_hash_algorithm
    except (UnsupportedAlgorithm, ValueError):
        algorithm = None
    if isinstance(algorithm, hashes.HashAlgorithm):
        signature_hash = algorithm.name.replace("-", "")
    elif found is not None and found.hash is not None:
        # An algorithm cryptography cannot hash with (MD2, MD4) still names its hash.
        signature_hash = found.hash
    elif found is None:
        signature_hash = signature_of(name)[0]
    return dotted, name, signature_hash


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
