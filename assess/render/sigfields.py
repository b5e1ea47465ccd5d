"""Empty PDF signature fields on the report's sign-off boxes, tagged for accessibility.

WeasyPrint writes HTML form inputs as PDF form fields but has no signature field. So each
sign-off box holds a checkbox (``<input class="signature-widget" name="AssessorSignature">``,
hidden in browsers): WeasyPrint lays it out over the box's signature line and, in the tagged
variants, puts its widget in the structure tree (a ``Form`` element in the box's place in the
reading order, the widget's ``/StructParent`` in the parent tree) with the input's title as
its tooltip (``/TU``). Before the file is written, a finisher turns each such checkbox into an
empty signature field (``/FT /Sig``) with an empty appearance and the print flag, as PDF/A
requires of every annotation. ``assess sign`` then fills a field, so the visible signature
lands on the box, and a second signer (the client, an auditor) can sign the next field without
invalidating the first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

PRINT_FLAG = 4
"""Annotation flag 3 (Print): PDF/A wants every annotation printed."""
WIDGET_CSS = """\
.signature-widget { appearance: auto !important; display: block !important;
  width: 100% !important; height: 100% !important; margin: 0 !important;
  padding: 0 !important; border: 0 !important; }
"""
"""The user stylesheet that makes WeasyPrint write each box's input as a form field filling
the signature line (``!important``: the report's stylesheet hides the input from browsers)."""
CHECKBOX_ONLY = ("AS", "V", "MK", "Border")
"""The entries of WeasyPrint's checkbox widget that a signature field does not have."""


@dataclass(frozen=True)
class SignatureBox:
    """A signature field to make of a sign-off box's input."""

    field: str
    """The field's name, the input's ``name`` (``AssessorSignature``)."""
    label: str
    """What a PDF reader shows as the field's tooltip, and a screen reader reads out
    (``Signature: Assessor``)."""


def signature_fields(boxes: Sequence[SignatureBox]) -> Callable[[Any, Any], None]:
    """A WeasyPrint finisher making an empty signature field of each box's input found."""
    labels = {box.field: box.label for box in boxes}

    def finish(document: Any, pdf: Any) -> None:
        import pydyf

        form = pdf.catalog.get("AcroForm")
        if form is None:
            return
        # PDF/A forbids asking the reader to draw appearances; every widget here has its own.
        form.pop("NeedAppearances", None)
        for reference in form["Fields"]:
            widget = pdf.objects[_number(reference)]
            name = widget["T"].string
            if name not in labels or widget.get("FT") != "/Btn":
                continue
            appearances = widget["AP"]["N"]
            (checked,) = appearances.values()
            appearance = pdf.objects[_number(checked)]
            # The "checked" drawing becomes the empty appearance: it has the box's size already.
            appearance.stream = []
            for key in CHECKBOX_ONLY:
                widget.pop(key, None)
            x1, y1, x2, y2 = widget["Rect"]
            widget["Rect"] = pydyf.Array([min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)])
            widget["FT"] = "/Sig"
            widget["TU"] = pydyf.String(labels[name])
            widget["F"] = PRINT_FLAG
            widget["AP"] = pydyf.Dictionary({"N": checked})
            if "StructParent" in widget:
                _unwrap_form_element(pdf, widget["StructParent"])

    return finish


def _unwrap_form_element(pdf: Any, key: int) -> None:
    """Make the widget's reference the ``/K`` of its ``Form`` structure element itself rather
    than the one item of an array (both are valid PDF). pyHanko's difference analysis accepts a
    signature in a tagged field only when the field is reached that way from the structure tree
    (``…/K/Obj``), so a countersignature would otherwise count as a change to the first."""
    tree = pdf.objects[_number(pdf.catalog["StructTreeRoot"])]
    nums = pdf.objects[_number(tree["ParentTree"])]["Nums"]
    for index in range(0, len(nums), 2):
        if nums[index] == key:
            element = pdf.objects[_number(nums[index + 1])]
            if element.get("S") == "/Form" and len(element["K"]) == 1:
                element["K"] = element["K"][0]
            return


def _number(reference: bytes) -> int:
    """The object number of a pydyf reference (``b"9 0 R"`` → 9)."""
    return int(reference.split()[0])
