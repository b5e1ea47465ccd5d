"""What ``assess export`` writes from a workspace's evidence: one member per format, and its
writer in :data:`EXPORTERS` (a test fails while a member has no writer).

Unlike a report, an export is not a view of the assessment's result: it is the inventory the
evidence bundles hold, in another tool's format, so that other tools can read it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from assess.evidence.bundles import load_bundle
from assess.inputs.workspace import ASSESSMENT_FILE, EVIDENCE_DIR
from assess.model.bundle import EvidenceBundle
from assess.support.errors import InputError, Problem


class ExportFormat(StrEnum):
    """What ``assess export`` writes, by its command name."""

    CBOM = "cbom"

    @property
    def description(self) -> str:
        """One line for ``--help`` and the docs."""
        return _DESCRIPTIONS[self]


_DESCRIPTIONS = {
    ExportFormat.CBOM: "the certificate and key inventory as a CycloneDX 1.6 cryptographic bill "
    "of materials (CBOM), JSON",
}


@dataclass(frozen=True)
class Export:
    """An export written in memory, with what the user is told about it."""

    data: bytes
    """The file's bytes."""
    bundles: int
    """How many evidence bundles it was made from."""
    certificates: int
    """Distinct certificates in it."""
    keys: int
    """Private-key files in it (location and protection only)."""


def _cbom(bundles: Sequence[tuple[str, EvidenceBundle]], timestamp: datetime) -> bytes:
    from assess.evidence.cbom import cbom_json

    return cbom_json(bundles, timestamp)


EXPORTERS: dict[ExportFormat, Callable[[Sequence[tuple[str, EvidenceBundle]], datetime], bytes]] = {
    ExportFormat.CBOM: _cbom,
}
"""The writer of each export format."""


def evidence_bundles(root: Path) -> list[Path]:
    """The bundles of the workspace at ``root`` (``evidence/*.json``), sorted; exit 2 when
    ``root`` is not a workspace or holds none."""
    if not (root / ASSESSMENT_FILE).is_file():
        raise InputError(
            Problem("not an assessment workspace (no assessment.yaml)", file=root),
            hint="give the workspace folder: assess export cbom DIR --out FILE",
        )
    found = sorted((root / EVIDENCE_DIR).glob("*.json"))
    if not found:
        raise InputError(
            Problem("no evidence bundle (evidence/*.json) to export", file=root),
            hint="collect some with assess scan or assess evidence import",
        )
    return found


def export(root: Path, kind: ExportFormat, timestamp: datetime | None) -> Export:
    """Every bundle of the workspace (stale ones too: an inventory, not a judgement) in the
    format ``kind``, dated ``timestamp`` or, without one, when the newest bundle was
    collected, so that the same evidence gives the same file."""
    bundles = []
    for path in evidence_bundles(root):
        bundles.append((path.relative_to(root).as_posix(), load_bundle(path).bundle))
    moment = timestamp or max(bundle.collected_at for _, bundle in bundles)
    data = EXPORTERS[kind](bundles, moment)
    certificates = {
        record.identity
        for _, bundle in bundles
        for observation in bundle.observations
        for record in observation.certificates
    }
    keys = {key.location for _, bundle in bundles for key in bundle.keys}
    return Export(data, len(bundles), len(certificates), len(keys))
