"""The appendices: the files the PDF embeds (A) and how to verify the report against its
manifest (B), with the signature fields the sign-off boxes carry and the note on a redacted
copy."""

from __future__ import annotations

from assess.model.base import Frozen
from assess.model.manifest import (
    BASELINE_ATTACHMENT,
    FORECAST_ATTACHMENT,
    INVENTORY_ATTACHMENT,
    RESULT_ATTACHMENT,
    ROADMAP_ATTACHMENT,
    Manifest,
)
from assess.model.result import Result
from assess.render.view.blocks import SectionRef, TableRow
from assess.render.view.conclusion import Conclusion

REDACTION_NOTE = (
    "A copy for external sharing: host names, IP addresses, file paths and person names "
    "are replaced by tokens (HOST-1, IP-1, PATH-1, PERSON-1); the same value has the same token "
    "throughout, attachments included."
)
"""Printed on the cover of a redacted copy."""


class AttachmentInfo(Frozen):
    """A file the PDF embeds."""

    name: str
    description: str


class Appendix(Frozen):
    """Embedded files and how to verify the report."""

    files: SectionRef
    attachments: tuple[AttachmentInfo, ...]
    baseline: str = ""
    """The attached baseline result's name when the report has a progress section, else
    empty."""


class IntegrityView(Frozen):
    """The manifest and how to verify the report (appendix B); whether the copy is redacted."""

    section: SectionRef
    report_id: str
    result_sha256: str
    inputs: tuple[TableRow, ...]
    """Role, path, size and SHA-256 of every input file."""
    attachments: tuple[TableRow, ...]
    """Name, size and SHA-256 of every attached file."""
    signature_fields: tuple[str, ...]
    """The PDF's empty signature fields, by sign-off box (``AssessorSignature``)."""
    is_redacted: bool
    redaction_note: str
    """Printed on the cover of a redacted copy; empty otherwise."""


def attachments_for(
    result: Result, *, has_inventory: bool, has_baseline: bool = False, has_forecast: bool = False
) -> tuple[AttachmentInfo, ...]:
    """The files the PDF embeds, in order (also listed in the report's appendix)."""
    files = [
        AttachmentInfo(
            name=RESULT_ATTACHMENT,
            description=(
                f"The result document (schema {result.schema_}): every number in this report, "
                f"byte for byte what `assess score --json --at {result.evaluated_at}` prints."
            ),
        ),
        AttachmentInfo(
            name=ROADMAP_ATTACHMENT,
            description="The roadmap as a plan of action, one step a row, for import into a "
            "tracker.",
        ),
    ]
    if has_inventory:
        files.append(
            AttachmentInfo(
                name=INVENTORY_ATTACHMENT,
                description="Every certificate sighting in the evidence bundles: one row per "
                "certificate and location.",
            )
        )
    if has_baseline:
        files.append(
            AttachmentInfo(
                name=BASELINE_ATTACHMENT,
                description="The earlier result the progress section compares with: the file "
                "given with --baseline, byte for byte (its SHA-256 is among the manifest's "
                "inputs, so assess verify --workspace sees it change).",
            )
        )
    if has_forecast:
        files.append(
            AttachmentInfo(
                name=FORECAST_ATTACHMENT,
                description=(
                    "The forecast document (schema cmmm-forecast/1): the renewal workload under "
                    "each lifetime cap and the post-quantum figures, as `assess forecast --json "
                    f"--at {result.evaluated_at}` prints them."
                ),
            )
        )
    return tuple(files)


def appendix(
    result: Result,
    has_inventory: bool,
    ref: SectionRef,
    *,
    has_baseline: bool = False,
    has_forecast: bool = False,
) -> Appendix:
    """Appendix A: the embedded files."""
    return Appendix(
        files=ref,
        attachments=attachments_for(
            result,
            has_inventory=has_inventory,
            has_baseline=has_baseline,
            has_forecast=has_forecast,
        ),
        baseline=BASELINE_ATTACHMENT if has_baseline else "",
    )


def integrity(manifest: Manifest, conclusion: Conclusion, ref: SectionRef) -> IntegrityView:
    """Appendix B, from the report's manifest."""
    return IntegrityView(
        section=ref,
        report_id=manifest.report_id,
        result_sha256=manifest.result_sha256,
        inputs=tuple(
            TableRow(cells=(f.role.value, f.path, f"{f.size:,}", f.sha256)) for f in manifest.inputs
        ),
        attachments=tuple(
            TableRow(cells=(a.name, f"{a.size:,}", a.sha256)) for a in manifest.attachments
        ),
        signature_fields=tuple(s.field for s in conclusion.signatories),
        is_redacted=manifest.is_redacted,
        redaction_note=REDACTION_NOTE if manifest.is_redacted else "",
    )
