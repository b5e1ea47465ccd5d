"""Import a crt.sh JSON export (``https://crt.sh/?q=…&output=json``, saved to a file).

Each row is a certificate logged in Certificate Transparency: ``id``, ``issuer_name``,
``common_name``, ``name_value`` (the names, one a line), ``not_before``, ``not_after``,
``serial_number``. crt.sh lists a precertificate and its final certificate as two rows with the
same issuer and serial; the metrics count them once (no fingerprint is given, so certificates are
identified by issuer and serial). Rows carry no key or signature information: those metrics
leave CT rows out of their denominators.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assess.evidence.importing import clean_hex, file_time, load_json, parse_time
from assess.evidence.interface import CollectorError, Importer, Sink, register
from assess.model.bundle import (
    BundleTool,
    CertificateRecord,
    EvidenceBundle,
    Observation,
    ObservationKind,
    ObservationStatus,
)
from assess.support.errors import Problem


@register
class CrtshImporter(Importer):
    """crt.sh JSON export."""

    format = "crtsh"
    summary = "crt.sh JSON export (output=json)"

    def __init__(self, path: Path, mapping: dict[str, str] | None = None) -> None:
        super().__init__(path, mapping)
        data = load_json(path, "a crt.sh JSON export")
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise CollectorError(
                Problem("not a crt.sh export: expected a JSON list of certificate rows", file=path)
            )
        self.rows: list[dict[str, Any]] = data

    def header(self) -> EvidenceBundle:
        """Collected when the export was saved (its modification time)."""
        return EvidenceBundle(
            collector=self.format,
            collected_at=file_time(self.path),
            tool=BundleTool(name="crt.sh", version="json"),
            scope=(str(self.path),),
        )

    def collect(self, sink: Sink) -> None:
        """One inventory observation per row."""
        for index, row in enumerate(self.rows):
            sink(self._row(index, row))

    def _row(self, index: int, row: dict[str, Any]) -> Observation:
        location = f"crt.sh:{row.get('id', f'row {index + 1}')}"
        not_before = parse_time(row.get("not_before"))
        not_after = parse_time(row.get("not_after"))
        serial = clean_hex(row.get("serial_number"))
        if not_before is None or not_after is None or serial is None:
            return Observation(
                location=location,
                status=ObservationStatus.ERROR,
                error=f"row {index + 1}: not_before, not_after and serial_number are needed",
                kind=ObservationKind.INVENTORY,
            )
        names = str(row.get("name_value") or "").split("\n")
        common = str(row.get("common_name") or "")
        return Observation(
            location=location,
            status=ObservationStatus.OK,
            certificates=(
                CertificateRecord(
                    sha256=None,
                    serial=serial.lstrip("0") or "0",
                    subject=f"CN={common}" if common else "",
                    issuer=str(row.get("issuer_name") or ""),
                    not_before=not_before,
                    not_after=not_after,
                    san_dns=tuple(dict.fromkeys(n.strip().lower() for n in names if n.strip())),
                    is_ca=False,
                ),
            ),
            kind=ObservationKind.INVENTORY,
        )
