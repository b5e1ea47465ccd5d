"""Import a crt.sh JSON export (``https://crt.sh/?q=…&output=json``, saved to a file).

Each row is a certificate logged in Certificate Transparency: ``id``, ``issuer_name``,
``common_name``, ``name_value`` (the names, one a line), ``not_before``, ``not_after``,
``serial_number``. crt.sh lists a precertificate and its final certificate as two rows with the
same issuer and serial; the metrics count them once (no fingerprint is given, so certificates are
identified by issuer and serial). Rows carry no key or signature information: those metrics
leave CT rows out of their denominators.

``name_value`` mixes DNS names with the e-mail addresses of S/MIME certificates, which CAs log
too. E-mail addresses are not DNS names; a row that names only e-mail addresses is an S/MIME
certificate, recorded as such (extended key usage ``emailProtection``, which crt.sh does not
give but the names imply) and kept out of the certificate metrics, which are about TLS servers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assess.evidence.importers.formats import ImportFormat
from assess.evidence.importers.interface import Importer
from assess.evidence.importers.reading import clean_hex, load_json
from assess.evidence.interface import CollectorError, Sink
from assess.evidence.observations import error_observation, read_observation
from assess.model.bundle import BundleTool, CertificateRecord, Observation, ObservationKind
from assess.support.dates import parse_moment
from assess.support.errors import Problem


class CrtshImporter(Importer):
    """crt.sh JSON export."""

    format = ImportFormat.CRTSH

    def __init__(self, path: Path, mapping: dict[str, str] | None = None) -> None:
        super().__init__(path, mapping)
        data = load_json(path, "a crt.sh JSON export")
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise CollectorError(
                Problem("not a crt.sh export: expected a JSON list of certificate rows", file=path)
            )
        self.rows: list[dict[str, Any]] = data

    def tool(self) -> BundleTool:
        """crt.sh, whose JSON output has no version."""
        return BundleTool(name="crt.sh", version="json")

    def collect(self, sink: Sink) -> None:
        """One inventory observation per row."""
        for index, row in enumerate(self.rows):
            sink(self._row(index, row))

    def _row(self, index: int, row: dict[str, Any]) -> Observation:
        location = f"crt.sh:{row.get('id', f'row {index + 1}')}"
        not_before = parse_moment(row.get("not_before"))
        not_after = parse_moment(row.get("not_after"))
        serial = clean_hex(row.get("serial_number"))
        if not_before is None or not_after is None or serial is None:
            return error_observation(
                location,
                f"row {index + 1}: not_before, not_after and serial_number are needed",
                ObservationKind.INVENTORY,
            )
        names = [n.strip().lower() for n in str(row.get("name_value") or "").split("\n")]
        dns = tuple(dict.fromkeys(n for n in names if n and "@" not in n))
        common = str(row.get("common_name") or "")
        smime = not dns and any("@" in n for n in (*names, common))
        return read_observation(
            location,
            (
                CertificateRecord(
                    sha256=None,
                    serial=serial.lstrip("0") or "0",
                    subject=f"CN={common}" if common else "",
                    issuer=str(row.get("issuer_name") or ""),
                    not_before=not_before,
                    not_after=not_after,
                    san_dns=dns,
                    is_ca=False,
                    eku=("emailProtection",) if smime else (),
                ),
            ),
            ObservationKind.INVENTORY,
        )
