"""The report's registries: every format and PDF variant has its implementation and its help
line, and the enums load without the renderers (the CLI builds its options from them)."""

from __future__ import annotations

import subprocess
import sys

from assess.publish.formats import (
    DEFAULT_VARIANT,
    FORMATS,
    PDF_VARIANTS,
    PdfVariant,
    ReportFormat,
)
from assess.publish.report import WRITERS


def test_every_format_has_a_file_a_description_and_a_writer():
    assert set(FORMATS) == set(ReportFormat)
    assert set(WRITERS) == set(ReportFormat)
    names = [f.file_name for f in ReportFormat]
    assert len(set(names)) == len(names)
    for f in ReportFormat:
        assert f.description and "\n" not in f.description
        assert f.extension == "." + f.file_name.rsplit(".", 1)[1]


def test_every_pdf_variant_has_a_spec_and_a_description():
    assert set(PDF_VARIANTS) == set(PdfVariant)
    for variant in PdfVariant:
        assert variant.description and "\n" not in variant.description
    # The default is tagged (PDF/A-3a); a plain PDF makes no PDF/A or PDF/UA claim.
    assert DEFAULT_VARIANT == PdfVariant.A3A
    assert {v for v, spec in PDF_VARIANTS.items() if spec.is_tagged} == {
        PdfVariant.A3A,
        PdfVariant.UA1,
    }
    assert PDF_VARIANTS[PdfVariant.PLAIN].weasyprint_variant is None


def test_the_enums_load_without_weasyprint_or_jinja():
    code = (
        "import sys, assess.publish.formats; "
        "print(sorted(m for m in ('weasyprint', 'jinja2') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
