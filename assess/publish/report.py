"""Every report format from one result: HTML, PDF, JSON, the roadmap exports and the manifest.

Each :class:`ReportFormat` has one writer in :data:`WRITERS`. What several formats share (the
result document, the attachments, the manifest, the view, the HTML) is made once, when a writer
first asks for it: the HTML is rendered once and is also the PDF's source; the PDF embeds the
result document, the roadmap CSV and, when the workspace has evidence bundles, the full
certificate inventory and, with a baseline, the baseline result: the progress section's figures
travel inside the PDF and the manifest fingerprints the baseline like every other input. The
comparison with the baseline is made here too, so the renderers only word it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path

from assess.evidence.bundles import load_bundle
from assess.inputs.workspace import Workspace
from assess.integrity.manifest import build_manifest
from assess.integrity.redact import Redactor, redactor_for
from assess.method.progress import compare
from assess.model.forecast import ForecastReading
from assess.model.manifest import (
    BASELINE_ATTACHMENT,
    FORECAST_ATTACHMENT,
    INVENTORY_ATTACHMENT,
    MANIFEST_ATTACHMENT,
    RESULT_ATTACHMENT,
    ROADMAP_ATTACHMENT,
    Manifest,
)
from assess.model.progress import Progress
from assess.model.result import Result
from assess.publish.formats import (
    DEFAULT_FORMATS,
    DEFAULT_VARIANT,
    PDF_VARIANTS,
    PdfVariant,
    ReportFormat,
)
from assess.render.exports import inventory_csv, roadmap_csv, roadmap_xlsx
from assess.render.json import result_document
from assess.render.view import ReportView, attachments_for, build_report
from assess.support.files import read_bytes
from assess.support.jsondoc import document_bytes

__all__ = [
    "DEFAULT_FORMATS",
    "MANIFEST_DESCRIPTION",
    "WRITERS",
    "Output",
    "ReportFormat",
    "bundle_inventory",
    "render_outputs",
]

MANIFEST_DESCRIPTION = (
    "The manifest: SHA-256 of every input file, of the result and of every other attachment "
    "(checked by `assess verify`)."
)


@dataclass(frozen=True)
class Output:
    """One rendered format."""

    format: ReportFormat
    data: bytes
    detail: str
    """What a user is told about it (``31 pages, PDF/A-3a``)."""


def _bundle_name(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


def bundle_inventory(root: Path, bundles: Sequence[Path], evaluated_at: date) -> bytes:
    """The certificate inventory CSV of the evidence bundles at ``bundles`` (named by their path
    below ``root``), read one file at a time; a malformed bundle is an InputError naming it."""
    loaded = ((_bundle_name(root, path), load_bundle(path).bundle) for path in bundles)
    return inventory_csv(loaded, evaluated_at)


@dataclass(frozen=True)
class _Rendering:
    """One report being written: what several formats share, made when first asked for."""

    workspace: Workspace
    result: Result
    progress: Progress | None
    template_dir: Path | None
    variant: PdfVariant
    redactor: Redactor | None
    baseline: Result | None = None
    """The baseline result as the report shows it (redacted in a redacted copy)."""
    baseline_file: tuple[Path, bytes] | None = None
    """The file given with ``--baseline`` and its bytes as read."""
    forecast: ForecastReading | None = None
    """The forecast of the same evidence (redacted in a redacted copy)."""
    schedule_file: tuple[Path, bytes] | None = None
    """The schedule file the result and the forecast were computed with, and its bytes."""
    docx_template: Path | None = None
    """The letterhead the Word report is written into (``--docx-template``)."""

    @cached_property
    def document(self) -> bytes:
        return result_document(self.result)

    @property
    def has_baseline(self) -> bool:
        return self.baseline_file is not None

    @property
    def has_inventory(self) -> bool:
        return bool(self.workspace.evidence_files)

    @cached_property
    def attachments(self) -> dict[str, bytes]:
        """The files the PDF embeds and the manifest fingerprints, by name (the manifest aside)."""
        files = {RESULT_ATTACHMENT: self.document, ROADMAP_ATTACHMENT: roadmap_csv(self.result)}
        if self.has_inventory:
            inventory = bundle_inventory(
                self.workspace.root, self.workspace.evidence_files, self.result.evaluated_at
            )
            files[INVENTORY_ATTACHMENT] = (
                self.redactor.inventory(inventory) if self.redactor is not None else inventory
            )
        if self.baseline_file is not None:
            # The file byte for byte, so its hash is the manifest's input hash; a redacted copy
            # carries the baseline as redacted for the report instead.
            files[BASELINE_ATTACHMENT] = (
                result_document(self.baseline)
                if self.redactor is not None and self.baseline is not None
                else self.baseline_file[1]
            )
        if self.forecast is not None:
            files[FORECAST_ATTACHMENT] = document_bytes(self.forecast.forecast)
        return files

    @cached_property
    def manifest(self) -> Manifest:
        return build_manifest(
            self.workspace,
            self.document,
            self.result,
            list(self.attachments.items()),
            mask_path=self.redactor.path if self.redactor is not None else None,
            baseline=self.baseline_file,
            schedule=self.schedule_file,
        )

    @cached_property
    def view(self) -> ReportView:
        return build_report(
            self.result,
            self.workspace.questionnaire,
            progress=self.progress,
            has_inventory=self.has_inventory,
            has_baseline=self.has_baseline,
            manifest=self.manifest,
            forecast=self.forecast,
            narrative=(
                self.redactor.narrative(self.workspace.narrative)
                if self.redactor is not None
                else self.workspace.narrative
            ),
        )

    @cached_property
    def html(self) -> str:
        from assess.render.html import render_html

        return render_html(self.view, self.template_dir)


def _html(r: _Rendering) -> Output:
    return Output(ReportFormat.HTML, r.html.encode("utf-8"), f"report {r.view.meta.report_id}")


def _pdf(r: _Rendering) -> Output:
    from assess.render.html import template_dirs
    from assess.render.pdf import EmbeddedFile, render_pdf
    from assess.render.sigfields import SignatureBox

    files = [
        EmbeddedFile(name=info.name, data=r.attachments[info.name], description=info.description)
        for info in attachments_for(
            r.result,
            has_inventory=r.has_inventory,
            has_baseline=r.has_baseline,
            has_forecast=r.forecast is not None,
        )
    ]
    files.append(
        EmbeddedFile(
            name=MANIFEST_ATTACHMENT,
            data=document_bytes(r.manifest),
            description=MANIFEST_DESCRIPTION,
            relationship="Supplement",
        )
    )
    pdf = render_pdf(
        r.html,
        folders=template_dirs(r.template_dir),
        attachments=files,
        created=r.result.evaluated_at,
        variant=r.variant,
        signature_boxes=[
            SignatureBox(field=s.field, label=s.label) for s in r.view.conclusion.signatories
        ],
    )
    return Output(
        ReportFormat.PDF,
        pdf.data,
        f"{pdf.pages} pages, {PDF_VARIANTS[r.variant].label}, {len(files)} files attached"
        + (", redacted" if r.redactor is not None else ""),
    )


def _docx(r: _Rendering) -> Output:
    from assess.render.raster import chart_images
    from assess.render.word import render_docx

    word = render_docx(
        r.view,
        chart_images(r.view, r.template_dir),
        created=r.result.evaluated_at,
        template=r.docx_template,
    )
    return Output(
        ReportFormat.DOCX,
        word.data,
        f"{word.tables} tables, {word.images} charts"
        + (f", letterhead {r.docx_template.name}" if r.docx_template is not None else "")
        + (", redacted" if r.redactor is not None else ""),
    )


def _json(r: _Rendering) -> Output:
    return Output(ReportFormat.JSON, r.document, f"schema {r.result.schema_}")


def _roadmap_csv(r: _Rendering) -> Output:
    steps = f"{len(r.result.roadmap)} steps"
    return Output(ReportFormat.ROADMAP_CSV, roadmap_csv(r.result), steps)


def _roadmap_xlsx(r: _Rendering) -> Output:
    steps = f"{len(r.result.roadmap)} steps"
    return Output(ReportFormat.ROADMAP_XLSX, roadmap_xlsx(r.result), steps)


def _manifest(r: _Rendering) -> Output:
    return Output(
        ReportFormat.MANIFEST,
        document_bytes(r.manifest),
        f"{len(r.manifest.inputs)} inputs, report {r.manifest.report_id}",
    )


WRITERS: dict[ReportFormat, Callable[[_Rendering], Output]] = {
    ReportFormat.HTML: _html,
    ReportFormat.PDF: _pdf,
    ReportFormat.DOCX: _docx,
    ReportFormat.JSON: _json,
    ReportFormat.ROADMAP_CSV: _roadmap_csv,
    ReportFormat.ROADMAP_XLSX: _roadmap_xlsx,
    ReportFormat.MANIFEST: _manifest,
}
"""The writer of each report format (a test checks that every format has one)."""


def render_outputs(
    workspace: Workspace,
    result: Result,
    formats: Sequence[ReportFormat],
    *,
    baseline: Result | None = None,
    baseline_file: Path | None = None,
    template_dir: Path | None = None,
    pdf_variant: str | None = None,
    redact: bool = False,
    forecast: ForecastReading | None = None,
    schedule_file: Path | None = None,
    docx_template: Path | None = None,
) -> list[Output]:
    """Render the requested formats, in the order asked (a format asked twice is written once).

    ``baseline`` adds the progress section; ``baseline_file`` is the file it was read from,
    attached to the PDF and listed in the manifest. ``pdf_variant`` is a :class:`PdfVariant`
    value. ``forecast`` adds the forecast section and attaches its document; ``schedule_file``,
    the schedule it and the result were computed with, is listed among the manifest's inputs.
    ``docx_template`` is the letterhead of the Word report (a ``.docx``).
    ``redact`` makes a copy for external sharing (:mod:`assess.integrity.redact`): every
    format, the PDF's metadata and attachments and the manifest are rendered from the redacted
    result.
    """
    redactor = redactor_for(workspace, result, baseline) if redact else None
    if redactor is not None:
        result = redactor.result(result)
        baseline = redactor.result(baseline) if baseline is not None else None
        forecast = redactor.forecast(forecast) if forecast is not None else None
    rendering = _Rendering(
        workspace=workspace,
        result=result,
        progress=compare(baseline, result) if baseline is not None else None,
        template_dir=template_dir,
        variant=PdfVariant(pdf_variant) if pdf_variant else DEFAULT_VARIANT,
        redactor=redactor,
        baseline=baseline,
        baseline_file=(
            (baseline_file, read_bytes(baseline_file))
            if baseline is not None and baseline_file is not None
            else None
        ),
        forecast=forecast,
        schedule_file=(
            (schedule_file, read_bytes(schedule_file)) if schedule_file is not None else None
        ),
        docx_template=docx_template,
    )
    return [WRITERS[f](rendering) for f in dict.fromkeys(formats)]
