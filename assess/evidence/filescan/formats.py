"""The file formats certificates and keys come in: PEM text, DER, PKCS#7, PKCS#12, Java keystores.

Each reader takes a file's bytes and yields what it holds: an observation with the certificates,
error observations for what cannot be parsed, and key records (never key material).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator, Sequence

from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs7

from assess.evidence.certs import RecordCache, UnreadableCertificate
from assess.evidence.filescan.items import (
    PARSE_ERRORS,
    Item,
    file_error,
    file_read,
    reason_of,
    records_of,
)
from assess.evidence.filescan.keys import private_key_record
from assess.evidence.filescan.keystore import KeystoreError, read_keystore
from assess.evidence.filescan.others import other_pki_object
from assess.evidence.filescan.pem import certificate_der, pem_blocks
from assess.evidence.filescan.pkcs12 import Pkcs12Refused, scan_pkcs12
from assess.model.bundle import CertificateRecord, KeyRecord, Observation
from assess.support.der import first_element, looks_like_pkcs12

_CERTIFICATE_LABELS = {b"CERTIFICATE", b"X509 CERTIFICATE", b"TRUSTED CERTIFICATE"}
_PKCS7_LABELS = {b"PKCS7", b"PKCS #7 SIGNED DATA", b"CMS"}


def scan_pem(
    data: bytes,
    location: str,
    mode: str | None,
    automation: Sequence[str] = (),
    *,
    explicit: bool = True,
    cache: RecordCache,
) -> Iterator[Item]:
    """Certificates, PKCS#7 bundles and private keys in PEM text with anything around them.

    ``explicit`` is false for a file met in a folder walk without a certificate file name:
    text that only quotes PEM (no complete block, only requests or CRLs) is then skipped."""
    blocks = list(pem_blocks(data))
    if not blocks:
        if explicit:  # in a folder walk, a script or a document quoting a PEM header
            yield file_error(location, "a PEM header without its matching END line")
        return
    key_count = sum(1 for b in blocks if b.label.endswith(b"PRIVATE KEY"))
    records: list[CertificateRecord] = []
    errors: list[Observation] = []
    keys: list[KeyRecord] = []
    seen_material = False
    for number, pem in enumerate(blocks, start=1):
        label = pem.label
        block = pem.text
        where = f"{location}#{number}"
        if label.endswith(b"PRIVATE KEY"):
            seen_material = True
            keys.append(
                private_key_record(label, block, location if key_count == 1 else where, mode)
            )
            continue
        first = automation if not records else ()
        try:
            if label == b"CERTIFICATE" and (der := certificate_der(pem.body)) is not None:
                # The common case: the DER is at hand, and a certificate already described
                # in this scan (the issuing CA of every chain file) is not even parsed again.
                seen_material = True
                try:
                    records.append(cache.record_der(der, first))
                    continue
                except UnreadableCertificate as error:
                    errors.append(file_error(where, reason_of(error)))
                    continue
                except PARSE_ERRORS:
                    pass  # cryptography's PEM reader below gives the reason
            if label in _CERTIFICATE_LABELS:
                seen_material = True
                if label == b"CERTIFICATE":
                    found = [x509.load_pem_x509_certificate(block)]
                else:
                    der = first_element(base64.b64decode(pem.body, validate=False))
                    found = [x509.load_der_x509_certificate(der)]
            elif label in _PKCS7_LABELS:
                seen_material = True
                found = pkcs7.load_pem_pkcs7_certificates(
                    block.replace(b"-----BEGIN " + label, b"-----BEGIN PKCS7").replace(
                        b"-----END " + label, b"-----END PKCS7"
                    )
                )
            else:
                continue  # requests, CRLs, public keys, parameters: not evidence here
        except (*PARSE_ERRORS, binascii.Error, IndexError) as error:
            errors.append(file_error(where, f"{label.decode()} block: {reason_of(error)}"))
            continue
        more, bad = records_of(found, where, cache, first)
        records.extend(more)
        errors.extend(bad)
    if records:
        yield file_read(location, records, automation=tuple(automation))
    elif not errors and not keys and not seen_material and explicit:
        # Requests, CRLs and public keys met in a folder walk are not evidence, not errors.
        yield file_error(location, "PEM text without a certificate or private key")
    yield from errors
    yield from keys


def scan_binary(
    data: bytes,
    location: str,
    mode: str | None,
    passwords: Sequence[bytes],
    suffix: str,
    *,
    cache: RecordCache,
) -> Iterator[Item]:
    """A DER certificate, DER PKCS#7 or PKCS#12 file."""
    pkcs12_first = suffix in {".p12", ".pfx"}
    attempts = ("pkcs12", "der", "pkcs7") if pkcs12_first else ("der", "pkcs7", "pkcs12")
    first_error: str | None = None
    for attempt in attempts:
        try:
            if attempt == "der":
                certificates = [x509.load_der_x509_certificate(data)]
            elif attempt == "pkcs7":
                certificates = pkcs7.load_der_pkcs7_certificates(data)
            elif looks_like_pkcs12(data):
                try:
                    items = list(scan_pkcs12(data, location, mode, passwords, cache))
                except Pkcs12Refused as error:
                    yield file_error(location, str(error))
                    return
                yield from items
                return
            else:
                raise ValueError("not a PKCS#12 structure")
        except (*PARSE_ERRORS, IndexError) as error:
            first_error = first_error or f"{attempt}: {reason_of(error)}"
            continue
        records, errors = records_of(certificates, location, cache)
        if records:
            yield file_read(location, records)
        yield from errors
        return
    if other_pki_object(data) is not None:
        yield file_read(location, [])  # a CRL or a cross-certificate pair: read, nothing to count
        return
    yield file_error(
        location,
        f"not a certificate file (not PEM, a DER certificate, PKCS#7 or PKCS#12): {first_error}",
    )


def scan_keystore(
    data: bytes, location: str, mode: str | None, *, cache: RecordCache
) -> Iterator[Item]:
    """The certificates of a JKS or JCEKS file, and its private-key entries as encrypted keys
    (a keystore's keys always are)."""
    try:
        store = read_keystore(data)
    except KeystoreError as error:
        yield file_error(location, f"Java keystore: {error}")
        return
    if not store.entries and store.unread is None:
        yield file_read(location, [])
    for entry in store.entries:
        where = f"{location}#{entry.alias}"
        records: list[CertificateRecord] = []
        leaf = None  # the key's own certificate, first in the chain
        for position, der in enumerate(entry.certificates, start=1):
            try:
                records.append(cache.record_der(der))
            except (UnreadableCertificate, *PARSE_ERRORS) as error:
                yield file_error(f"{where}#{position}", reason_of(error))
                continue
            if position == 1:
                leaf = records[0]
        if records:
            yield file_read(where, records)
        if entry.has_private_key:
            yield KeyRecord(
                location=where,
                encrypted=True,
                mode=mode,
                key_type=leaf.key_type if leaf is not None else None,
                key_size=leaf.key_size if leaf is not None else None,
            )
    if store.unread is not None:
        yield file_error(location, f"{store.kind} keystore: {store.unread}")
