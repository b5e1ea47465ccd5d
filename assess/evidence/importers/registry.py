"""Every import format mapped to its importer: the one list, filled when this module is loaded.

The sslyze pattern: an enum of the formats (:class:`~.interface.ImportFormat`) and an explicit
dict from each member to its implementation, with a test that neither has one without the other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from assess.evidence.importers.cbom import CbomImporter
from assess.evidence.importers.crtsh import CrtshImporter
from assess.evidence.importers.formats import ImportFormat
from assess.evidence.importers.interface import Importer
from assess.evidence.importers.inventory import InventoryImporter, parse_mapping
from assess.evidence.importers.sslyze import SslyzeImporter
from assess.evidence.importers.testssl import TestsslImporter
from assess.evidence.interface import Collector, CollectorError, Retimed
from assess.support.errors import InputError, Problem

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


@dataclass(frozen=True)
class Opened:
    """A file ready to import: its importer (for the notes it leaves) and what to write."""

    reader: Importer
    """Reads the file; :meth:`~Importer.notes` after the bundle is written."""
    collector: Collector
    """What :func:`~assess.evidence.bundles.write_bundle` writes: the reader, retimed when a
    collection time was stated."""


def open_import(
    format_name: str,
    file: Path,
    *,
    mapping: Sequence[str] = (),
    date_format: str | None = None,
    collected_at: str | None = None,
) -> Opened:
    """``assess evidence import``'s options checked and the file opened, for the command line
    and the web upload alike (one place, one wording): ``--format``, ``--map COLUMN=FIELD``
    (csv), ``--date-format`` (csv), ``--collected-at``. A bad option or a missing file is an
    :class:`~assess.support.errors.InputError` naming it."""
    importer = importer_for(format_name.strip().lower())
    if mapping and importer.format is not ImportFormat.CSV:
        raise CollectorError("--map applies to --format csv only")
    if date_format is not None and importer.format is not ImportFormat.CSV:
        raise CollectorError("--date-format applies to --format csv only")
    if not file.is_file():
        raise InputError(Problem("no such file" if not file.exists() else "not a file", file=file))
    reader: Importer
    if importer.format is ImportFormat.CSV:
        reader = InventoryImporter(file, parse_mapping(list(mapping)), date_format=date_format)
    else:
        reader = importer(file, parse_mapping(list(mapping)))
    if collected_at is None:
        return Opened(reader, reader)
    return Opened(reader, Retimed(reader, collection_time(collected_at)))


def collection_time(text: str) -> datetime:
    """``--collected-at TIME``: an ISO 8601 date or time, or the InputError saying why not."""
    from assess.support.dates import OUT_OF_RANGE, is_out_of_range, parse_moment

    moment = parse_moment(text)
    if moment is None and is_out_of_range(text):
        raise InputError(f"--collected-at: '{text}' {OUT_OF_RANGE}")
    if moment is None:
        raise InputError(f"--collected-at: '{text}' is not an ISO 8601 date or time")
    return moment
