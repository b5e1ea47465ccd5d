"""Reading tool output: the file's JSON with clear errors, and the values tools write (hex
with separators, base64 fingerprints, PEM whose line breaks were lost)."""

from __future__ import annotations

import base64
import binascii
import re
from pathlib import Path
from typing import Any

from cryptography import x509

from assess.evidence.certs import UnreadableCertificate, record_of
from assess.evidence.interface import CollectorError
from assess.model.bundle import CertificateRecord
from assess.support.files import read_bytes
from assess.support.jsondoc import parse_json

_PEM_BODY = re.compile(r"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", re.DOTALL)


def load_json(path: Path, what: str) -> Any:
    """The parsed JSON of an import file; not JSON is a :class:`CollectorError` saying that
    ``what`` was expected."""
    return parse_json(read_bytes(path), path, hint=f"expected {what}", error=CollectorError)


def records_from_pem(text: str) -> list[CertificateRecord]:
    """Certificates in PEM text whose line breaks a tool may have turned into spaces."""
    records = []
    for match in _PEM_BODY.finditer(text):
        body = re.sub(r"\s+", "", match.group(1))
        try:
            der = base64.b64decode(body, validate=True)
            records.append(record_of(x509.load_der_x509_certificate(der), der=der))
        except (binascii.Error, ValueError, UnreadableCertificate):
            continue
    return records


def hex_of_base64(text: object) -> str | None:
    """Lowercase hex of a base64 value (sslyze writes fingerprints in base64)."""
    if not isinstance(text, str):
        return None
    try:
        return base64.b64decode(text, validate=True).hex()
    except (binascii.Error, ValueError):
        return None


def clean_hex(text: object, length: int | None = None) -> str | None:
    """Hex digits without separators, lowercase; ``None`` when not hex (or not ``length``)."""
    if not isinstance(text, str):
        return None
    value = re.sub(r"[\s:]", "", text).lower()
    if not value or any(c not in "0123456789abcdef" for c in value):
        return None
    if length is not None and len(value) != length:
        return None
    return value
