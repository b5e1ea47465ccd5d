"""What an importer is: a collector that reads one third-party file and never the network.

Adding a format: a member of :class:`~.formats.ImportFormat` with its description, an
:class:`Importer` subclass in a module of this package, and its line in
:data:`~.registry.IMPORTERS`; the registry's test fails until all three are there.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

from assess.evidence.importers.formats import ImportFormat
from assess.evidence.interface import Collector, CollectorError
from assess.model.bundle import BundleTool, EvidenceBundle
from assess.support.errors import Problem


class Importer(Collector):
    """A collector that reads a third-party output or export file; never touches the network.

    The file is read and checked when the importer is made (a file that is not in the format
    is a :class:`~assess.evidence.interface.CollectorError`); each record in it becomes an
    observation when collected.
    """

    format: ClassVar[ImportFormat]
    """The format read, which is also the bundle's ``collector``."""

    def __init__(self, path: Path, mapping: Mapping[str, str] | None = None) -> None:
        self.path = path
        self.mapping = dict(mapping or {})

    @abstractmethod
    def tool(self) -> BundleTool:
        """The program that wrote the file, with its version as far as the file says."""

    def notes(self) -> tuple[str, ...]:
        """What the user should know about how the file was read (values not understood, rows
        left out), once :meth:`collect` has run; none by default."""
        return ()

    def collected_at(self) -> datetime | None:
        """When the file's evidence was collected: by default when the file was saved;
        ``None`` for a format whose files do not say and whose copies would change the time
        (then ``--collected-at`` must)."""
        return datetime.fromtimestamp(self.path.stat().st_mtime, tz=UTC)

    def header(self) -> EvidenceBundle:
        """The format, when collected, the tool; the scope is the file."""
        moment = self.collected_at()
        if moment is None:
            raise CollectorError(
                Problem("the file does not say when its evidence was collected", file=self.path),
                hint="give the time of the scan with --collected-at (ISO 8601)",
            )
        return self.header_at(moment)

    def header_at(self, collected_at: datetime) -> EvidenceBundle:
        """The header with a collection time the user states."""
        return EvidenceBundle(
            collector=self.format.value,
            collected_at=collected_at,
            tool=self.tool(),
            scope=(str(self.path),),
        )
