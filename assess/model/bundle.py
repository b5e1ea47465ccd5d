"""The evidence bundle (schema ``cmmm-evidence/1``): what a scan or an import collected.

A bundle is a public contract (contracts.md, Evidence bundle): the field names listed there are
fixed; the fields added here are extensions readers may ignore. A bundle records what was seen,
never private key material: keys appear only as location, type, encryption and file mode.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, ConfigDict, Field

from assess.model.algorithms import UNKNOWN, is_key_type_name
from assess.model.base import Frozen, Moment

# common_name stays importable from here for the report and redaction, which name certificates.
from assess.support.distinguished_names import common_name as common_name
from assess.support.distinguished_names import dn_key

BUNDLE_SCHEMA: Literal["cmmm-evidence/1"] = "cmmm-evidence/1"


class KeyType(StrEnum):
    """The classical public-key algorithms, and ``unknown``.

    A ``key_type`` is any key name of the algorithm table (model/algorithms.yaml): these, and
    post-quantum names such as ``ml-dsa-65``, ``slh-dsa-sha2-128s``,
    ``composite-ml-dsa-65-ecdsa-p256`` or ``ml-kem-768``.
    """

    RSA = "rsa"
    EC = "ec"
    ED25519 = "ed25519"
    ED448 = "ed448"
    DSA = "dsa"
    UNKNOWN = UNKNOWN
    """A key seen whose algorithm the table does not list (its OID is in ``key_algorithm_oid``)."""


def _key_type_name(text: str) -> str:
    if not is_key_type_name(text):
        raise ValueError(
            f"'{text[:80]}' is not a key type: lowercase letters, digits and hyphens, like rsa, "
            "ec, ml-dsa-65 or unknown"
        )
    return text


KeyTypeName = Annotated[str, AfterValidator(_key_type_name)]
"""A key type: a key name of the algorithm table (``rsa``, ``ml-dsa-65``…) or ``unknown``. A
name this version's table does not list (a later table's) is read, and counted as unknown."""


def _dotted_oid(text: str) -> str:
    if not re.fullmatch(r"[0-2](\.(0|[1-9][0-9]{0,19})){1,40}", text):
        raise ValueError(f"'{text[:80]}' is not a dotted object identifier, like 1.2.840.10045.2.1")
    return text


DottedOid = Annotated[str, AfterValidator(_dotted_oid)]
"""An object identifier in dotted form."""


class ObservationKind(StrEnum):
    """Where an observation comes from; endpoint metrics read only ``endpoint`` observations."""

    ENDPOINT = "endpoint"
    """A TLS endpoint (our scan or a third-party scanner): certificates as presented."""
    FILE = "file"
    """A certificate file, store or Kubernetes secret."""
    INVENTORY = "inventory"
    """A row of an inventory export or a Certificate Transparency search."""


class TrustRoots(StrEnum):
    """The roots a TLS chain was judged against (``trusted``)."""

    PUBLIC = "public"
    """A public root store only: certifi's (our scan without ``--ca-file``), sslyze's and
    testssl.sh's own stores."""
    GIVEN = "given"
    """The roots the assessor gave: ``scan tls --ca-file``, sslyze ``--certinfo_ca_file``,
    testssl.sh ``--add-ca``."""


class ObservationStatus(StrEnum):
    """Whether the location could be read."""

    OK = "ok"
    ERROR = "error"


class CertificateRecord(Frozen):
    """One certificate as seen: identity, validity, key and signature, names.

    Imports fill what their source holds; a field the source lacks is ``null``.
    """

    sha256: str | None
    """Lowercase hex SHA-256 of the DER (``null`` when the source gives no fingerprint)."""
    serial: str
    """Serial number, lowercase hex."""
    subject: str
    """Subject distinguished name, RFC 4514."""
    issuer: str
    """Issuer distinguished name, RFC 4514."""
    not_before: Moment | None
    """Start of validity (UTC); ``null`` when the source does not say (an inventory with only
    an expiry column): the lifetime metrics leave such a certificate out."""
    not_after: Moment
    """End of validity (UTC)."""
    key_type: KeyTypeName | None = None
    """Public-key algorithm (model/algorithms.yaml): ``rsa``, ``ec``, ``ed25519``, ``ed448``,
    ``dsa``, a post-quantum name (``ml-dsa-65``), or ``unknown`` for an algorithm the table does
    not list; ``null`` when the source does not say."""
    key_size: int | None = None
    """Key size in bits (RSA/DSA modulus, EC curve size); ``null`` for post-quantum keys (the
    parameter set is in the name) and when unknown."""
    signature_hash: str | None = None
    """Hash of the issuer's signature (``sha256``, ``sha1``…); ``null`` for EdDSA or unknown."""
    san_dns: tuple[str, ...] = ()
    """DNS names of the subjectAltName extension."""
    self_signed: bool = False
    """Issuer equals subject and the certificate's own key verifies its signature."""
    # Extensions beyond the contract.
    signature_algorithm: str | None = None
    """Signature algorithm name (``sha256WithRSAEncryption``, ``ed25519``…); ``null`` if unknown."""
    curve: str | None = None
    """Elliptic curve name for EC keys (``secp384r1``)."""
    spki_sha256: str | None = None
    """SHA-256 of the SubjectPublicKeyInfo: the same key in two certificates shows here."""
    is_ca: bool | None = None
    """basicConstraints CA flag; ``null`` when the extension is absent or unknown."""
    eku: tuple[str, ...] = ()
    """Extended key usages by name (``serverAuth``) or dotted OID."""
    san_ip: tuple[str, ...] = ()
    """IP addresses of the subjectAltName extension."""
    automation: tuple[str, ...] = ()
    """Automation markers seen with the certificate (``cert-manager``, ``acme``…)."""
    key_algorithm_oid: DottedOid | None = None
    """The SubjectPublicKeyInfo algorithm OID, when the source gives it: how an ``unknown``
    key is told apart."""
    signature_algorithm_oid: DottedOid | None = None
    """The signature algorithm OID, when the source gives it."""

    @property
    def identity(self) -> str:
        """What deduplicates certificates: the fingerprint, else issuer and serial."""
        return self.sha256 or self.name_key

    @property
    def name_key(self) -> str:
        """Issuer and serial, however the source spells them (Windows writes a serial's bytes,
        so with a leading zero where the number has none); without a serial (an inventory that
        has no such column), issuer, subject and validity."""
        if self.serial:
            return f"{dn_key(self.issuer)}#{self.serial.lower().lstrip('0') or '0'}"
        start = self.not_before.isoformat() if self.not_before is not None else ""
        validity = f"{start}/{self.not_after.isoformat()}"
        return f"{dn_key(self.issuer)}#{dn_key(self.subject)}#{validity}"


class Observation(Frozen):
    """One location looked at: a TLS endpoint, a file (``path#index`` inside a bundle), a row."""

    location: str
    """``host:port`` for endpoints, a file path (``#index`` or ``#namespace/name`` inside)."""
    status: ObservationStatus
    """``ok`` when read, ``error`` when not (the reason is in ``error``)."""
    error: str | None = None
    """Why the location could not be read."""
    certificates: tuple[CertificateRecord, ...] = ()
    """Certificates found; for TLS as presented, leaf first."""
    tls_version: str | None = None
    """Negotiated protocol (``TLSv1.3``), TLS observations only."""
    hostname_match: bool | None = None
    """Whether the leaf matches the host name asked for, TLS observations only."""
    trusted: bool | None = None
    """Whether the chain validates against the trust store, TLS observations only."""
    # Extensions beyond the contract.
    kind: ObservationKind = ObservationKind.FILE
    """Endpoint, file or inventory row: decides which metrics the observation counts in."""
    server_name: str | None = None
    """The SNI name sent (TLS); ``null`` when the target is an IP address."""
    validation_error: str | None = None
    """Why the chain did not validate, when ``trusted`` is false."""
    trust_roots: TrustRoots | None = None
    """The roots ``trusted`` was judged against; ``null`` when not judged, or in bundles
    written before this field (then the bundle's ``trust_store`` tells)."""
    address: str | None = None
    """The IP address the scanner reached (TLS), when it says."""
    automation: tuple[str, ...] = ()
    """Automation markers on the container (``cert-manager.io/issuer-name=…`` annotations)."""


def _octal_mode(text: str) -> str:
    """A file mode as the bundle writes it: three or four octal digits (``0600``)."""
    if not re.fullmatch(r"[0-7]{3,4}", text):
        raise ValueError(f"'{text}' is not a file mode in octal digits, like 0600")
    return text


class KeyRecord(Frozen):
    """A private key found in a file: where, what type, protected or not. Never the key."""

    location: str
    """File path (``#index`` or ``#namespace/name/tls.key`` inside a container)."""
    encrypted: bool
    """True when the key is protected by a passphrase."""
    mode: Annotated[str, AfterValidator(_octal_mode)] | None
    """File permission bits, ``0600``-style (three or four octal digits); ``null`` when not a
    local file."""
    # Extensions beyond the contract.
    key_type: KeyTypeName | None = None
    """Key algorithm (as a certificate's ``key_type``) when it can be told without decrypting;
    ``null`` otherwise."""
    key_size: int | None = None
    """Key size in bits, when known."""


class BundleTool(Frozen):
    """The program that collected the evidence."""

    name: str
    """``cmmm-assess``, ``sslyze``, ``testssl.sh``…"""
    version: str
    """Its version, as far as the source says."""


class EvidenceBundle(Frozen):
    """An evidence bundle file (``evidence/*.json``)."""

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    schema_: Literal["cmmm-evidence/1"] = Field(default=BUNDLE_SCHEMA, alias="schema")
    """Schema id and version."""
    collector: str
    """``tls``, ``files`` or the import format (``sslyze``, ``testssl``, ``crtsh``, ``csv``)."""
    collected_at: Moment
    """When the evidence was collected (UTC); freshness is judged from it."""
    tool: BundleTool
    """The collecting program."""
    observations: tuple[Observation, ...] = ()
    """Every location looked at, including those that failed."""
    keys: tuple[KeyRecord, ...] = ()
    """Private keys found (files only)."""
    # Extensions beyond the contract.
    scope: tuple[str, ...] = ()
    """What was asked for: targets, paths, or the imported file."""
    trust_store: str | None = None
    """The trust store TLS chains were validated against (``certifi 2026.10.19``, a file); for
    imports, the roots the assessor gave the tool (sslyze ``--certinfo_ca_file``, testssl.sh
    ``--add-ca``), ``null`` when it used only its own stores."""
