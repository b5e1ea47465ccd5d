"""What the importers share: reading JSON with clear errors, times, PEM text in tool output."""

from __future__ import annotations

import base64
import binascii
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography import x509

from assess.evidence.certs import UnreadableCertificate, record_of
from assess.evidence.interface import CollectorError
from assess.model.bundle import CertificateRecord
from assess.support.errors import Problem

_PEM_BODY = re.compile(r"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", re.DOTALL)


def load_json(path: Path, what: str) -> Any:
    """The parsed JSON of an import file; not JSON is a :class:`CollectorError`."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise CollectorError(Problem(f"cannot read: {error.strerror}", file=path)) from None
    if not raw.strip():
        raise CollectorError(Problem("the file is empty", file=path), hint=f"expected {what}")
    try:
        return json.loads(raw)
    except UnicodeDecodeError as error:
        raise CollectorError(Problem(f"not UTF-8 text (byte {error.start})", file=path)) from None
    except json.JSONDecodeError as error:
        raise CollectorError(
            Problem(f"invalid JSON: {error.msg}", file=path, line=error.lineno),
            hint=f"expected {what}",
        ) from None


def file_time(path: Path) -> datetime:
    """The file's modification time (UTC): when an export does not say when it was made."""
    return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)


def parse_time(text: object) -> datetime | None:
    """An ISO 8601 time (``Z`` or offset; naive means UTC), ``YYYY-MM-DD HH:MM``, or ``None``."""
    if not isinstance(text, str) or not text.strip():
        return None
    value = text.strip()
    if value.endswith(" UTC") or value.endswith(" GMT"):
        value = value[:-4]
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


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
