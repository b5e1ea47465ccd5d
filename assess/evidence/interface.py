"""What every evidence collector is: a header, then observations and keys pushed to a sink.

Collectors never raise for the outside world (a host down, a corrupt file): that is an ``error``
observation. They raise :class:`CollectorError` only for input the user must fix (a target that
is not ``host:port``, an import file that is not in the format named), which the CLI reports
with exit code 2.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import datetime

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

    def header_at(self, collected_at: datetime) -> EvidenceBundle:
        """The header with a collection time the user states."""
        return self.header().model_copy(update={"collected_at": collected_at})


class Retimed(Collector):
    """A collector whose collection time the user states (an export that does not say)."""

    def __init__(self, inner: Collector, collected_at: datetime) -> None:
        self.inner = inner
        self.collected_at = collected_at

    def header(self) -> EvidenceBundle:
        """The inner header with the stated time."""
        return self.inner.header_at(self.collected_at)

    def collect(self, sink: Sink) -> None:
        """What the inner collector collects."""
        self.inner.collect(sink)
