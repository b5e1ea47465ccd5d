"""Observations made alike by every collector: a location that was read, or one that was not."""

from __future__ import annotations

from collections.abc import Sequence

from assess.model.bundle import CertificateRecord, Observation, ObservationKind, ObservationStatus


def read_observation(
    location: str,
    certificates: Sequence[CertificateRecord],
    kind: ObservationKind,
    **fields: object,
) -> Observation:
    """``location`` was read and showed ``certificates``; ``fields`` are the other values."""
    return Observation.model_validate(
        {
            "location": location,
            "status": ObservationStatus.OK,
            "certificates": tuple(certificates),
            "kind": kind,
            **fields,
        }
    )


def error_observation(
    location: str, reason: str, kind: ObservationKind, **fields: object
) -> Observation:
    """``location`` could not be read, for ``reason``; ``fields`` are what was known anyway."""
    return Observation.model_validate(
        {
            "location": location,
            "status": ObservationStatus.ERROR,
            "error": reason,
            "kind": kind,
            **fields,
        }
    )
