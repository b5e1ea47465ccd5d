"""What ``assess report`` can write, one enum per axis: the report formats and the PDF variants.

Each member carries its file name and the line the command's help shows, so choices and help
are generated from here. Importing this module loads neither WeasyPrint nor Jinja: the
command-line interface builds its options from it at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePath

from assess.render.pdf import DEFAULT_VARIANT, PDF_VARIANTS, PdfVariant

__all__ = [
    "DEFAULT_FORMATS",
    "DEFAULT_VARIANT",
    "FORMATS",
    "PDF_VARIANTS",
    "FormatInfo",
    "PdfVariant",
    "ReportFormat",
]


class ReportFormat(StrEnum):
    """What ``assess report --format`` can write."""

    HTML = "html"
    PDF = "pdf"
    DOCX = "docx"
    JSON = "json"
    ROADMAP_CSV = "roadmap-csv"
    ROADMAP_XLSX = "roadmap-xlsx"
    MANIFEST = "manifest"

    @property
    def file_name(self) -> str:
        """The file written into the output folder."""
        return FORMATS[self].file_name

    @property
    def extension(self) -> str:
        """The file name's extension (``.json``): an ``--out`` file ending in it asks for the
        format (two formats share ``.json``; the first listed is meant)."""
        return PurePath(self.file_name).suffix

    @property
    def description(self) -> str:
        """What the format holds, in a line of the command's help."""
        return FORMATS[self].description


@dataclass(frozen=True)
class FormatInfo:
    """A report format's file and what it holds."""

    file_name: str
    description: str


FORMATS: dict[ReportFormat, FormatInfo] = {
    ReportFormat.HTML: FormatInfo("report.html", "the report as one self-contained HTML page"),
    ReportFormat.PDF: FormatInfo(
        "report.pdf", "the report as PDF, with the result, roadmap and manifest attached"
    ),
    ReportFormat.DOCX: FormatInfo(
        "report.docx", "the report as an editable Word document (--docx-template: letterhead)"
    ),
    ReportFormat.JSON: FormatInfo(
        "result.json", "the result document, what assess score --json prints"
    ),
    ReportFormat.ROADMAP_CSV: FormatInfo(
        "roadmap.csv", "the roadmap as CSV, one step a row, for a tracker"
    ),
    ReportFormat.ROADMAP_XLSX: FormatInfo(
        "roadmap.xlsx", "the roadmap as an Excel workbook (needs the xlsx extra)"
    ),
    ReportFormat.MANIFEST: FormatInfo(
        "manifest.json", "the SHA-256 of every input and attachment, checked by assess verify"
    ),
}
"""Every report format's file and description (a test checks that each has an entry)."""

DEFAULT_FORMATS: tuple[ReportFormat, ...] = (ReportFormat.HTML, ReportFormat.PDF, ReportFormat.JSON)
"""What ``assess report`` writes when no ``--format`` is given."""
