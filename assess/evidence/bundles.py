"""Evidence bundle files: written as the evidence comes in, read back with clear errors.

Writing streams: each observation is serialised the moment the collector hands it over and then
dropped, so memory stays flat however many certificates a scan finds. The file appears
atomically when the collection ends.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from assess.evidence.interface import Collector
from assess.model.bundle import EvidenceBundle, KeyRecord, Observation, ObservationStatus
from assess.support.errors import InputError, Problem
from assess.support.files import atomic_stream, read_bytes
from assess.support.jsondoc import parse_json
from assess.support.yamlio import validation_problems


@dataclass(frozen=True)
class WriteSummary:
    """What a written bundle holds, for the command's closing line."""

    observations: int
    errors: int
    certificates: int
    keys: int


def write_bundle(path: Path, collector: Collector) -> WriteSummary:
    """Run a collector and write its bundle to ``path`` atomically, streaming observations."""
    header = collector.header()
    head = header.model_dump(mode="json", by_alias=True, exclude={"observations", "keys"})
    counts = {"observations": 0, "errors": 0, "certificates": 0}
    keys: list[KeyRecord] = []
    with atomic_stream(path) as out:
        out.write("{\n")
        for name, value in head.items():
            out.write(f"  {json.dumps(name)}: {json.dumps(value, ensure_ascii=False)},\n")
        out.write('  "observations": [')

        def sink(item: Observation | KeyRecord) -> None:
            if isinstance(item, KeyRecord):
                keys.append(item)
                return
            out.write("\n    " if counts["observations"] == 0 else ",\n    ")
            out.write(item.model_dump_json(exclude_defaults=False))
            counts["observations"] += 1
            counts["errors"] += item.status is ObservationStatus.ERROR
            counts["certificates"] += len(item.certificates)

        collector.collect(sink)
        out.write("\n  ],\n" if counts["observations"] else "],\n")
        out.write('  "keys": [')
        out.write(",".join("\n    " + key.model_dump_json() for key in keys))
        out.write("\n  ]\n}\n" if keys else "]\n}\n")
    return WriteSummary(counts["observations"], counts["errors"], counts["certificates"], len(keys))


_MADE_BY = "an evidence bundle is written by assess scan or assess evidence import"


@dataclass(frozen=True)
class LoadedBundle:
    """A bundle read from disk with the fingerprint of the file as read."""

    path: Path
    bundle: EvidenceBundle
    sha256: str


def load_bundle(path: Path) -> LoadedBundle:
    """Read and validate a bundle; a malformed one is an InputError naming file and JSON path."""
    raw = read_bytes(path)
    data = parse_json(raw, path, hint=_MADE_BY)
    if not isinstance(data, dict):
        raise InputError(Problem("expected a JSON object (an evidence bundle)", file=path))
    try:
        bundle = EvidenceBundle.model_validate(data)
    except ValidationError as error:
        raise InputError(validation_problems(error, data, path), hint=_MADE_BY) from None
    return LoadedBundle(path, bundle, hashlib.sha256(raw).hexdigest())
