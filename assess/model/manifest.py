"""The report manifest and what verifying a report found.

The manifest (``manifest.json``, schema ``cmmm-manifest/1``) says what a report was built from:
every input file of the workspace with its SHA-256, the result document's hash and every file
the PDF carries. It travels inside the PDF and is printed in the report's appendix, so a
reader can tie a report to its inputs, and ``assess verify`` can check both.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import ConfigDict, Field

from assess.model.base import Frozen
from assess.model.result import ToolInfo

MANIFEST_SCHEMA: Literal["cmmm-manifest/1"] = "cmmm-manifest/1"

RESULT_ATTACHMENT = "result.json"
"""The result document, as ``assess score --json`` prints it."""
ROADMAP_ATTACHMENT = "roadmap.csv"
"""Every roadmap step, one row each."""
INVENTORY_ATTACHMENT = "certificate-inventory.csv"
"""Every certificate in the evidence, one row each."""
BASELINE_ATTACHMENT = "baseline.json"
"""The earlier result the progress section compares with (``assess report --baseline``)."""
MANIFEST_ATTACHMENT = "manifest.json"
"""This manifest."""
FORECAST_ATTACHMENT = "forecast.json"
"""The forecast document (``assess forecast --json``)."""


def report_id(document: bytes) -> str:
    """The report id printed on every page: ``CMMM-`` and the first 12 hex digits of the SHA-256
    of the embedded result document, so a paper copy can be tied to its data."""
    return "CMMM-" + hashlib.sha256(document).hexdigest()[:12].upper()


class InputRole(StrEnum):
    """What an input file is to the assessment."""

    QUESTIONNAIRE = "questionnaire"
    ASSESSMENT = "assessment"
    ANSWERS = "answers"
    EVIDENCE = "evidence"
    NARRATIVE = "narrative"
    """The assessor's narrative (``narrative/*.md``)."""
    BASELINE = "baseline"
    """The earlier result given with ``--baseline``: the progress section's figures."""
    SCHEDULE = "schedule"
    """The schedule file (lifetime caps, post-quantum milestones): the shipped one or
    ``--schedule``'s."""


class InputFile(Frozen):
    """An input file of the workspace, as it was when the report was made."""

    role: InputRole
    """questionnaire, assessment, answers, evidence, narrative or baseline."""
    path: str
    """Relative to the workspace (``answers/jane-doe.yaml``); a questionnaire bundled with the
    tool is ``bundled:questionnaires/cmmm.yaml``. Masked in a redacted report."""
    sha256: str
    """SHA-256 of the file's bytes (of the original file, also in a redacted report)."""
    size: int
    """Size in bytes."""


class EmbeddedDigest(Frozen):
    """A file the PDF carries as an attachment."""

    name: str
    """The attachment's name (``result.json``)."""
    sha256: str
    """SHA-256 of its bytes."""
    size: int
    """Size in bytes."""


class Manifest(Frozen):
    """What a report was built from (schema ``cmmm-manifest/1``)."""

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    schema_: Literal["cmmm-manifest/1"] = Field(default=MANIFEST_SCHEMA, alias="schema")
    """Schema id and version of this document."""
    tool: ToolInfo
    """The tool that made the report."""
    report_id: str
    """The report id printed on every page (``CMMM-`` and 12 hex digits of the result hash)."""
    evaluated_at: date
    """The evaluation date of the result."""
    result_sha256: str
    """SHA-256 of the result document embedded as ``result.json``."""
    inputs: tuple[InputFile, ...]
    """Every input file: the questionnaire, assessment.yaml, each answers file, each bundle
    and, for a report with a progress section, the baseline result."""
    attachments: tuple[EmbeddedDigest, ...]
    """Every file the PDF carries besides this manifest, in order."""
    is_redacted: bool = False
    """True for a copy made with ``assess report --redact``: the result and attachments are
    redacted, input paths are masked, input hashes are those of the original files."""


class SignatureCheck(Frozen):
    """One signature of a report as verified."""

    field: str
    """The signature field (``AssessorSignature``)."""
    signer: str
    """The signer's certificate subject, readable (``CN=Ann Auditor, O=…``)."""
    signed_at: datetime | None
    """The signing time the signer claims (not a trusted timestamp)."""
    certificate_sha256: str
    """SHA-256 fingerprint of the signer's certificate."""
    is_self_signed: bool
    """True when the certificate signed itself (as ``assess keygen`` makes them)."""
    is_intact: bool
    """The signed bytes hash to what the signature says."""
    is_valid: bool
    """The cryptographic signature verifies with the certificate's key."""
    is_trusted: bool
    """The certificate chains to a trust anchor given with ``--trust``."""
    covers_document: bool
    """Nothing that changes content was added after this signature."""
    has_timestamp: bool
    """A timestamp authority countersigned the signing time."""
    problems: tuple[str, ...]
    """Why it does not hold, in plain words; empty when it does."""


class Verification(Frozen):
    """What ``assess verify`` found."""

    report_id: str
    """The manifest's report id."""
    organisation: str
    """The organisation the report is about (from the embedded result)."""
    evaluated_at: date
    """The evaluation date of the report."""
    is_redacted: bool
    """True for a redacted copy."""
    checks: tuple[str, ...]
    """What was checked and held, in plain words."""
    problems: tuple[str, ...]
    """What failed, in plain words; empty when the report is valid."""
    signatures: tuple[SignatureCheck, ...]
    """Every signature, in signing order."""

    @property
    def is_valid(self) -> bool:
        """True when nothing failed."""
        return not self.problems
