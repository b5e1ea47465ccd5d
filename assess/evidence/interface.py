"""What every evidence collector is: a header, then observations and keys pushed to a sink.

Collectors never raise for the outside world (a host down, a corrupt file): that is an ``error``
observation. They raise :class:`CollectorError` only for input the user must fix (a target that
is not ``host:port``, an import file that is not in the format named), which the CLI reports
with exit code 2.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import ClassVar, TypeVar

from assess.model.bundle import EvidenceBundle, KeyRecord, Observation
from assess.support.errors import InputError

Sink = Callable[[Observation | KeyRecord], None]
"""Where a collector hands each observation or key as soon as it has it."""

Ticker = Callable[[int, int | None], None]
"""Told how far a collection is: (done, in all), with ``None`` for "in all" while unknown (a
folder walk not yet finished). A progress bar on a terminal is one."""


class CollectorError(InputError):
    """A collector was given input it cannot use; the message names the file and place."""


class Collector(ABC):
    """A source of evidence written as one bundle."""

    @abstractmethod
    def header(self) -> EvidenceBundle:
        """The bundle's collector, collection time, tool and scope (no observations)."""

    @abstractmethod
    def collect(self, sink: Sink) -> None:
        """Push every observation and key to ``sink``, in a stable order."""


class Retimed(Collector):
    """A collector whose collection time the user states (an export that does not say)."""

    def __init__(self, inner: Collector, collected_at: datetime) -> None:
        self.inner = inner
        self.collected_at = collected_at

    def header(self) -> EvidenceBundle:
        """The inner header with the stated time."""
        return self.inner.header().model_copy(update={"collected_at": self.collected_at})

    def collect(self, sink: Sink) -> None:
        """What the inner collector collects."""
        self.inner.collect(sink)


class Importer(Collector):
    """A collector that reads a third-party output or export file; never touches the network."""

    format: ClassVar[str]
    """The ``--format`` name."""
    summary: ClassVar[str]
    """One line for ``--help`` and the docs."""

    def __init__(self, path: Path, mapping: Mapping[str, str] | None = None) -> None:
        self.path = path
        self.mapping = dict(mapping or {})


ImporterT = TypeVar("ImporterT", bound=type[Importer])

IMPORTERS: dict[str, type[Importer]] = {}
"""Import formats by ``--format`` name."""


def register(importer: ImporterT) -> ImporterT:
    """Class decorator adding an importer to :data:`IMPORTERS`."""
    IMPORTERS[importer.format] = importer
    return importer


def importer_for(format_name: str) -> type[Importer]:
    """The importer of a format; an unknown name is a :class:`CollectorError`."""
    from assess.evidence import crtsh, inventory, sslyze, testssl  # noqa: F401  (registration)

    try:
        return IMPORTERS[format_name]
    except KeyError:
        known = ", ".join(sorted(IMPORTERS))
        raise CollectorError(
            f"--format: unknown import format '{format_name}' (known: {known})"
        ) from None
