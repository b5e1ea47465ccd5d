"""Every import format mapped to its importer: the one list, filled when this module is loaded.

The sslyze pattern: an enum of the formats (:class:`~.interface.ImportFormat`) and an explicit
dict from each member to its implementation, with a test that neither has one without the other.
"""

from __future__ import annotations

from assess.evidence.importers.cbom import CbomImporter
from assess.evidence.importers.crtsh import CrtshImporter
from assess.evidence.importers.formats import ImportFormat
from assess.evidence.importers.interface import Importer
from assess.evidence.importers.inventory import InventoryImporter
from assess.evidence.importers.sslyze import SslyzeImporter
from assess.evidence.importers.testssl import TestsslImporter
from assess.evidence.interface import CollectorError

IMPORTERS: dict[ImportFormat, type[Importer]] = {
    ImportFormat.SSLYZE: SslyzeImporter,
    ImportFormat.TESTSSL: TestsslImporter,
    ImportFormat.CRTSH: CrtshImporter,
    ImportFormat.CSV: InventoryImporter,
    ImportFormat.CBOM: CbomImporter,
}
"""The importer of each format."""


def importer_for(format_name: str) -> type[Importer]:
    """The importer of a ``--format`` name; an unknown name is a :class:`CollectorError`."""
    try:
        return IMPORTERS[ImportFormat(format_name)]
    except ValueError:
        known = ", ".join(sorted(member.value for member in ImportFormat))
        raise CollectorError(
            f"--format: unknown import format '{format_name}' (known: {known})"
        ) from None
