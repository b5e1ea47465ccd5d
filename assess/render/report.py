"""Every report format from one result: HTML, PDF, JSON and the roadmap exports.

The HTML is rendered once and is also the PDF's source; the PDF embeds the result document,
the roadmap CSV and, when the workspace has evidence bundles, the full certificate inventory.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from assess.model.result import Result
from assess.render.exports import inventory_csv, roadmap_csv, roadmap_xlsx
from assess.render.json import result_document
from assess.render.view import (
    INVENTORY_ATTACHMENT,
    RESULT_ATTACHMENT,
    ROADMAP_ATTACHMENT,
    attachments_for,
    build_report,
)
from assess.workspace import Workspace


class ReportFormat(StrEnum):
    """What ``assess report --format`` can write."""

    HTML = "html"
    PDF = "pdf"
    JSON = "json"
    ROADMAP_CSV = "roadmap-csv"
    ROADMAP_XLSX = "roadmap-xlsx"

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
}

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
) -> list[Output]:
    """Render the requested formats, in the order asked."""
    from assess.render.html import render_html, template_dirs

    wanted = list(dict.fromkeys(formats))
    outputs: dict[ReportFormat, Output] = {}
    has_inventory = bool(workspace.evidence_files)
    html: str | None = None
    if ReportFormat.HTML in wanted or ReportFormat.PDF in wanted:
        view = build_report(
            result, workspace.questionnaire, baseline=baseline, has_inventory=has_inventory
        )
        html = render_html(view, template_dir)
        outputs[ReportFormat.HTML] = Output(
            ReportFormat.HTML, html.encode("utf-8"), f"report {view.meta.report_id}"
        )
    if ReportFormat.PDF in wanted:
        from assess.render.pdf import DEFAULT_VARIANT, EmbeddedFile, PdfVariant, render_pdf

        assert html is not None
        variant = PdfVariant(pdf_variant) if pdf_variant else DEFAULT_VARIANT
        data = {
            RESULT_ATTACHMENT: result_document(result),
            ROADMAP_ATTACHMENT: roadmap_csv(result),
        }
        if has_inventory:
            data[INVENTORY_ATTACHMENT] = inventory_csv(
                workspace.root, workspace.evidence_files, result.evaluated_at
            )
        files = [
            EmbeddedFile(
                name=info.name,
                data=data[info.name],
                description=info.description,
            )
            for info in attachments_for(result, has_inventory=has_inventory)
        ]
        pdf = render_pdf(
            html,
            folders=template_dirs(template_dir),
            attachments=files,
            created=result.evaluated_at,
            variant=variant,
        )
        outputs[ReportFormat.PDF] = Output(
            ReportFormat.PDF,
            pdf.data,
            f"{pdf.pages} pages, {variant.value if variant.value != 'plain' else 'PDF 1.7'}, "
            f"{len(files)} files attached",
        )
    if ReportFormat.JSON in wanted:
        outputs[ReportFormat.JSON] = Output(
            ReportFormat.JSON, result_document(result), f"schema {result.schema_}"
        )
    if ReportFormat.ROADMAP_CSV in wanted:
        outputs[ReportFormat.ROADMAP_CSV] = Output(
            ReportFormat.ROADMAP_CSV, roadmap_csv(result), f"{len(result.roadmap)} steps"
        )
    if ReportFormat.ROADMAP_XLSX in wanted:
        outputs[ReportFormat.ROADMAP_XLSX] = Output(
            ReportFormat.ROADMAP_XLSX, roadmap_xlsx(result), f"{len(result.roadmap)} steps"
        )
    return [outputs[f] for f in wanted]
