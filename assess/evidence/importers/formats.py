"""The formats ``assess evidence import`` reads: names and descriptions, nothing to import.

Kept apart from the importers so that the command line can list them without loading them.
"""

from __future__ import annotations

from enum import StrEnum


class ImportFormat(StrEnum):
    """The formats ``assess evidence import --format`` reads, by their ``--format`` name."""

    SSLYZE = "sslyze"
    TESTSSL = "testssl"
    CRTSH = "crtsh"
    CSV = "csv"
    CBOM = "cbom"

    @property
    def description(self) -> str:
        """One line for ``--help`` and the docs: what file this is and how it is made."""
        return _DESCRIPTIONS[self]


_DESCRIPTIONS = {
    ImportFormat.SSLYZE: "sslyze --json_out (5.x and 6.x)",
    ImportFormat.TESTSSL: "testssl.sh --jsonfile or --jsonfile-pretty",
    ImportFormat.CRTSH: "crt.sh JSON export (output=json)",
    ImportFormat.CSV: "inventory CSV: certutil -view csv, PowerShell Export-Csv, Venafi, "
    "Keyfactor or any export (columns matched by name, or --map COLUMN=FIELD)",
    ImportFormat.CBOM: "CycloneDX 1.6 or 1.7 cryptographic bill of materials (CBOM), JSON: "
    "CBOMkit-theia, CBOM-Lens, cbom4cert, assess export cbom",
}
