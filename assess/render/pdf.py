"""The report's HTML → PDF with WeasyPrint: PDF/A-3, attachments, reproducible bytes.

WeasyPrint is imported here, inside the functions, so that commands not writing PDF start fast.
It may only read files inside the template folders (plus ``data:`` URIs); any other URL is
refused and the rendering stops with an InputError (exit 2). The bytes are reproducible: the
creation dates (document and attachments) are the evaluation date, the PDF identifier is a
hash of the content, and fonts are subset with HarfBuzz (Debian ``libharfbuzz-subset0``).
The small objects go into object streams of 100 objects (:mod:`assess.render.objstreams`), so
that pyHanko reads a tagged report in linear time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assess.render.objstreams import chunked_writer
from assess.render.sigfields import WIDGET_CSS, SignatureBox, signature_fields
from assess.support.errors import InputError
from assess.support.weasyprint_loader import load_weasyprint

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcherResponse


class PdfVariant(StrEnum):
    """The PDF flavours the report can be written as (``assess report --pdf-variant``)."""

    A3U = "pdf/a-3u"
    A3A = "pdf/a-3a"
    UA1 = "pdf/ua-1"
    PLAIN = "plain"

    @property
    def description(self) -> str:
        """What the variant is for, in a line of the command's help."""
        return PDF_VARIANTS[self].description


@dataclass(frozen=True)
class VariantSpec:
    """How a PDF variant is written and named."""

    description: str
    weasyprint_variant: str | None
    """WeasyPrint's ``pdf_variant`` option; ``None`` for a plain PDF."""
    is_tagged: bool
    """A structure tree for assistive technology: headings, lists, tables, figures with their
    alternative text, the signature fields as form fields, in reading order."""
    label: str
    """How the command's closing line names the file's flavour."""


PDF_VARIANTS: dict[PdfVariant, VariantSpec] = {
    PdfVariant.A3U: VariantSpec(
        description="archival, untagged: smaller and about 10% faster to write",
        weasyprint_variant="pdf/a-3u",
        is_tagged=False,
        label="pdf/a-3u",
    ),
    PdfVariant.A3A: VariantSpec(
        description="archival and tagged for accessibility (the default)",
        weasyprint_variant="pdf/a-3a",
        is_tagged=True,
        label="pdf/a-3a",
    ),
    PdfVariant.UA1: VariantSpec(
        description="accessibility conformance (PDF/UA), tagged, attachments kept",
        weasyprint_variant="pdf/ua-1",
        is_tagged=True,
        label="pdf/ua-1",
    ),
    PdfVariant.PLAIN: VariantSpec(
        description="a plain PDF 1.7: no archival claim, no tags",
        weasyprint_variant=None,
        is_tagged=False,
        label="PDF 1.7",
    ),
}
"""Every PDF variant and how it is written (a test checks that each has an entry)."""

DEFAULT_VARIANT = PdfVariant.A3A


@dataclass(frozen=True)
class EmbeddedFile:
    """A file to attach to the PDF."""

    name: str
    data: bytes
    description: str
    relationship: str = "Data"
    """PDF/A-3 ``AFRelationship``: Data, Source, Supplement, Alternative or Unspecified."""


@dataclass(frozen=True)
class RenderedPdf:
    """The PDF and what a user is told about it."""

    data: bytes
    pages: int


def _fetcher_class() -> Any:
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    class LocalOnlyFetcher(URLFetcher):  # type: ignore[misc]
        """Serves ``data:`` URIs and files inside the template folders; refuses the rest."""

        def __init__(self, folders: Sequence[Path]) -> None:
            super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
            self.folders = tuple(f.resolve() for f in folders)

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                from urllib.request import url2pathname

                path = Path(url2pathname(url.split("?", 1)[0].removeprefix("file:"))).resolve()
                if any(path == f or f in path.parents for f in self.folders):
                    return super().fetch(url, headers)
            raise FatalURLFetchingError(f"refused to load {url!r}: outside the template folders")

    return LocalOnlyFetcher


def local_only_fetcher(folders: Sequence[Path]) -> Any:
    """A WeasyPrint URL fetcher serving only ``data:`` URIs and files in ``folders``."""
    return _fetcher_class()(folders)


def _moment(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def render_pdf(
    html: str,
    *,
    folders: Sequence[Path],
    attachments: Sequence[EmbeddedFile],
    created: date,
    variant: PdfVariant = DEFAULT_VARIANT,
    signature_boxes: Sequence[SignatureBox] = (),
) -> RenderedPdf:
    """Render the report HTML to PDF bytes with the files attached.

    ``created`` (the evaluation date) dates the attachments, so equal inputs give equal bytes.
    ``signature_boxes`` get empty signature fields, tagged in the tagged variants (see
    :mod:`assess.render.sigfields`).
    """
    weasyprint = load_weasyprint()
    from weasyprint.urls import FatalURLFetchingError

    moment = _moment(created)
    files = [
        weasyprint.Attachment(
            string=f.data,
            name=f.name,
            description=f.description,
            relationship=f.relationship,
            created=moment,
            modified=moment,
        )
        for f in attachments
    ]
    spec = PDF_VARIANTS[variant]
    options: dict[str, Any] = {"attachments": files, "pdf_identifier": True}
    if spec.weasyprint_variant is not None:
        options["pdf_variant"] = spec.weasyprint_variant
    base = folders[-1]
    try:
        stylesheets = [weasyprint.CSS(string=WIDGET_CSS)] if signature_boxes else []
        document = weasyprint.HTML(
            string=html, base_url=base.as_uri() + "/", url_fetcher=local_only_fetcher(folders)
        ).render(stylesheets=stylesheets)
        fields = signature_fields(signature_boxes) if signature_boxes else None

        def finish(document: Any, pdf: Any) -> None:
            if fields is not None:
                fields(document, pdf)
            pdf.write = chunked_writer(pdf)

        data = document.write_pdf(finisher=finish, **options)
    except FatalURLFetchingError as error:
        raise InputError(
            f"the report refers to a resource it may not load: {error}",
            hint="reports load nothing from files or the network; inline a file of your "
            "template folder with {{ asset_data_uri('logo.png') }}",
        ) from None
    assert isinstance(data, bytes)
    return RenderedPdf(data=data, pages=len(document.pages))
