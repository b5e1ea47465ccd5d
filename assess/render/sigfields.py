"""Empty PDF signature fields on the report's sign-off boxes.

WeasyPrint lays the report out; before it writes the file, a finisher adds one empty signature
field per sign-off box (``AssessorSignature``, ``ClientSignature``…) exactly over the box's
signature line. ``assess sign`` then fills a field, so the visible signature lands on the box,
and a second signer (the client, an auditor) can sign the next field without invalidating the
first. Each field carries an empty appearance and the print flag, as PDF/A requires of every
annotation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

PRINT_FLAG = 4
"""Annotation flag 3 (Print): PDF/A wants every annotation printed."""
CSS_PX_TO_PT = 0.75
"""72 PDF points per inch / 96 CSS pixels per inch."""


@dataclass(frozen=True)
class SignatureBox:
    """Where a signature field goes."""

    element_id: str
    """The id of the HTML element the field covers (``assessor-signature-box``)."""
    field: str
    """The field's name (``AssessorSignature``)."""
    label: str
    """What a PDF reader shows as the field's tooltip (``Assessor signature``)."""


def signature_fields(boxes: Sequence[SignatureBox]) -> Callable[[Any, Any], None]:
    """A WeasyPrint finisher adding an empty signature field over each box found."""

    def finish(document: Any, pdf: Any) -> None:
        import pydyf

        fields = []
        for box in boxes:
            for index, page in enumerate(document.pages):
                if box.element_id not in page.anchors:
                    continue
                x1, y1, x2, y2 = page.anchors[box.element_id]
                height = page.height
                rect = [
                    round(x1 * CSS_PX_TO_PT, 2),
                    round((height - y2) * CSS_PX_TO_PT, 2),
                    round(x2 * CSS_PX_TO_PT, 2),
                    round((height - y1) * CSS_PX_TO_PT, 2),
                ]
                page_object = pdf.objects[pdf.pages["Kids"][3 * index]]
                appearance = pydyf.Stream(
                    [],
                    {
                        "Type": "/XObject",
                        "Subtype": "/Form",
                        "BBox": pydyf.Array([0, 0, rect[2] - rect[0], rect[3] - rect[1]]),
                    },
                )
                pdf.add_object(appearance)
                field = pydyf.Dictionary(
                    {
                        "Type": "/Annot",
                        "Subtype": "/Widget",
                        "FT": "/Sig",
                        "T": pydyf.String(box.field),
                        "TU": pydyf.String(box.label),
                        "Rect": pydyf.Array(rect),
                        "F": PRINT_FLAG,
                        "P": page_object.reference,
                        "AP": pydyf.Dictionary({"N": appearance.reference}),
                    }
                )
                pdf.add_object(field)
                if "Annots" not in page_object:
                    page_object["Annots"] = pydyf.Array()
                page_object["Annots"].append(field.reference)
                fields.append(field.reference)
                break
        if not fields:
            return
        if "AcroForm" not in pdf.catalog:
            pdf.catalog["AcroForm"] = pydyf.Dictionary({"Fields": pydyf.Array()})
        pdf.catalog["AcroForm"]["Fields"].extend(fields)

    return finish
