"""What a file scan yields, made alike: observations of files, and records of certificates."""

from __future__ import annotations

from collections.abc import Sequence

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm

from assess.evidence.certs import RecordCache, UnreadableCertificate
from assess.evidence.observations import error_observation, read_observation
from assess.model.bundle import CertificateRecord, KeyRecord, Observation, ObservationKind

Item = Observation | KeyRecord
"""What a scan hands its sink: an observation of a file, or a private key found."""

PARSE_ERRORS = (
    ValueError,
    TypeError,
    UnsupportedAlgorithm,
    UnreadableCertificate,
    x509.InvalidVersion,
)
"""What cryptography raises for material it cannot parse: the file's fault, not a bug."""


def file_read(
    location: str, certificates: Sequence[CertificateRecord], **extra: object
) -> Observation:
    """A file (or a place inside one) that was read, with its certificates."""
    return read_observation(location, certificates, ObservationKind.FILE, **extra)


def file_error(location: str, reason: str) -> Observation:
    """A file (or a place inside one) that could not be read."""
    return error_observation(location, reason, ObservationKind.FILE)


def reason_of(error: BaseException) -> str:
    """An exception as a reason in an observation: its message, shortened to 200 characters."""
    text = str(error).strip() or type(error).__name__
    return text if len(text) <= 200 else text[:197] + "..."


def records_of(
    certificates: Sequence[x509.Certificate],
    location: str,
    cache: RecordCache,
    automation: Sequence[str] = (),
) -> tuple[list[CertificateRecord], list[Observation]]:
    """Records of parsed certificates; an unreadable one becomes an error observation
    (``location#n`` when there are several)."""
    records: list[CertificateRecord] = []
    errors: list[Observation] = []
    for position, certificate in enumerate(certificates):
        try:
            records.append(cache.record(certificate, automation if position == 0 else ()))
        except UnreadableCertificate as error:
            where = f"{location}#{position + 1}" if len(certificates) > 1 else location
            errors.append(file_error(where, reason_of(error)))
    return records, errors
