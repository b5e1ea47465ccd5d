"""Every report format from one result: HTML, PDF, JSON and the roadmap exports.

The HTML is rendered once and is also the PDF's source; the PDF embeds the result document,
the roadmap CSV and, when the workspace has evidence bundles, the full certificate inventory.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from assess.inputs.workspace import Workspace
from assess.integrity.manifest import build_manifest, manifest_document
from assess.integrity.redact import redactor_for
from assess.method.progress import compare
from assess.model.manifest import (
    INVENTORY_ATTACHMENT,
    MANIFEST_ATTACHMENT,
    RESULT_ATTACHMENT,
    ROADMAP_ATTACHMENT,
    Manifest,
)
from assess.model.result import Result
from assess.render.exports import inventory_csv, roadmap_csv, roadmap_xlsx
from assess.render.json import result_document
from assess.render.view import attachments_for, build_report, signature_field_name


class ReportFormat(StrEnum):
    """What ``assess report --format`` can write."""

    HTML = "html"
    PDF = "pdf"
    JSON = "json"
    ROADMAP_CSV = "roadmap-csv"
    ROADMAP_XLSX = "roadmap-xlsx"
    MANIFEST = "manifest"

    @property
    def file_name(self) -> str:
        """The file written into the output folder."""
        return FILE_NAMES[self]


FILE_NAMES: dict[ReportFormat, str] = {
    ReportFormat.HTML: "report.html",
    ReportFormat.PDF: "report.pdf",
    ReportFormat.JSON: "result.json",
    ReportFormat.ROADMAP_CSV: "roadmap.csv",
    ReportFormat.ROADMAP_XLSX: "roadmap.xlsx",
    ReportFormat.MANIFEST: "manifest.json",
}

MANIFEST_DESCRIPTION = (
    "The manifest: SHA-256 of every input file, of the result and of every other attachment "
    "(checked by `assess verify`)."
)

DEFAULT_FORMATS: tuple[ReportFormat, ...] = (ReportFormat.HTML, ReportFormat.PDF, ReportFormat.JSON)


@dataclass(frozen=True)
class Output:
    """One rendered format."""

    format: ReportFormat
    data: bytes
    detail: str
    """What a user is told about it (``31 pages, PDF/A-3a``)."""


def render_outputs(
    workspace: Workspace,
    result: Result,
    formats: Sequence[ReportFormat],
    *,
    baseline: Result | None = None,
    template_dir: Path | None = None,
    pdf_variant: str | None = None,
    redact: bool = False,
) -> list[Output]:
    """Render the requested formats, in the order asked.

    ``baseline`` adds the progress section: the comparison is made here, the view only words
    it. ``redact`` makes a copy for external sharing (assess/redact.py): every format, the PDF's
    metadata and attachments and the manifest are rendered from the redacted result.
    """
    from assess.render.html import render_html, template_dirs

    redactor = redactor_for(workspace, result, baseline) if redact else None
    if redactor is not None:
        result = redactor.result(result)
        baseline = redactor.result(baseline) if baseline is not None else None
    wanted = list(dict.fromkeys(formats))
    outputs: dict[ReportFormat, Output] = {}
    has_inventory = bool(workspace.evidence_files)
    document = result_document(result)
    embedded: dict[str, bytes] = {}
    manifest: Manifest | None = None
    if {ReportFormat.HTML, ReportFormat.PDF, ReportFormat.MANIFEST} & set(wanted):
        embedded = {RESULT_ATTACHMENT: document, ROADMAP_ATTACHMENT: roadmap_csv(result)}
        if has_inventory:
            inventory = inventory_csv(workspace.root, workspace.evidence_files, result.evaluated_at)
            embedded[INVENTORY_ATTACHMENT] = (
                redactor.inventory(inventory) if redactor is not None else inventory
            )
        manifest = build_manifest(
            workspace,
            document,
            result,
            list(embedded.items()),
            mask_path=redactor.path if redactor is not None else None,
        )
    html: str | None = None
    view = None
    if ReportFormat.HTML in wanted or ReportFormat.PDF in wanted:
        view = build_report(
            result,
            workspace.questionnaire,
            progress=compare(baseline, result) if baseline is not None else None,
            has_inventory=has_inventory,
            manifest=manifest,
        )
        html = render_html(view, template_dir)
        outputs[ReportFormat.HTML] = Output(
            ReportFormat.HTML, html.encode("utf-8"), f"report {view.meta.report_id}"
        )
    if ReportFormat.PDF in wanted:
        from assess.render.pdf import DEFAULT_VARIANT, EmbeddedFile, PdfVariant, render_pdf
        from assess.render.sigfields import SignatureBox

        assert html is not None and view is not None and manifest is not None
        variant = PdfVariant(pdf_variant) if pdf_variant else DEFAULT_VARIANT
        files = [
            EmbeddedFile(
                name=info.name,
                data=embedded[info.name],
                description=info.description,
            )
            for info in attachments_for(result, has_inventory=has_inventory)
        ]
        files.append(
            EmbeddedFile(
                name=MANIFEST_ATTACHMENT,
                data=manifest_document(manifest),
                description=MANIFEST_DESCRIPTION,
                relationship="Supplement",
            )
        )
        pdf = render_pdf(
            html,
            folders=template_dirs(template_dir),
            attachments=files,
            created=result.evaluated_at,
            variant=variant,
            signature_boxes=[
                SignatureBox(
                    element_id=f"{s.anchor}-box",
                    field=signature_field_name(s.anchor),
                    label=f"Signature: {s.caption}",
                )
                for s in view.conclusion.signatories
            ],
        )
        outputs[ReportFormat.PDF] = Output(
            ReportFormat.PDF,
            pdf.data,
            f"{pdf.pages} pages, {variant.value if variant.value != 'plain' else 'PDF 1.7'}, "
            f"{len(files)} files attached" + (", redacted" if redactor is not None else ""),
        )
    if ReportFormat.JSON in wanted:
        outputs[ReportFormat.JSON] = Output(ReportFormat.JSON, document, f"schema {result.schema_}")
    if ReportFormat.ROADMAP_CSV in wanted:
        outputs[ReportFormat.ROADMAP_CSV] = Output(
            ReportFormat.ROADMAP_CSV, roadmap_csv(result), f"{len(result.roadmap)} steps"
        )
    if ReportFormat.ROADMAP_XLSX in wanted:
        outputs[ReportFormat.ROADMAP_XLSX] = Output(
            ReportFormat.ROADMAP_XLSX, roadmap_xlsx(result), f"{len(result.roadmap)} steps"
        )
    if ReportFormat.MANIFEST in wanted:
        assert manifest is not None
        outputs[ReportFormat.MANIFEST] = Output(
            ReportFormat.MANIFEST,
            manifest_document(manifest),
            f"{len(manifest.inputs)} inputs, report {manifest.report_id}",
        )
    return [outputs[f] for f in wanted]
