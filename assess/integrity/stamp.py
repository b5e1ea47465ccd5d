"""The visible signature: the appearance a signed sign-off box shows, set by WeasyPrint.

The stamp is a one-page PDF the size of the sign-off box (75 × 18 mm), in the report's own
fonts; pyHanko places it in the box edge to edge when it signs.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

from assess.support.weasyprint_loader import load_weasyprint

STAMP_CSS = """\
@page { size: 75mm 18mm; margin: 0 }
body { margin: 0; font-family: "DejaVu Sans Condensed", sans-serif; color: #1f3b63; }
div { height: 18mm; box-sizing: border-box; padding: 1.6mm 2.4mm;
  border-left: 1.2pt solid #1f3b63; }
p { margin: 0; font-size: 6.4pt; line-height: 1.3; }
p.who { font-size: 8.2pt; font-weight: bold; margin-bottom: 0.6mm; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; }
"""
"""The stamp's layout: the signer's name on the first line, what was signed and how below."""


def stamp_pdf(signer: str, signed_at: datetime, fingerprint: str, *, is_self_signed: bool) -> bytes:
    """The appearance of a signature by ``signer`` as a one-page PDF the size of the box."""
    kind = "self-signed certificate" if is_self_signed else "certificate"
    html = f"""<!DOCTYPE html><html lang="en"><head><style>
{STAMP_CSS}</style></head><body><div>
<p class="who">Digitally signed by {escape(signer)}</p>
<p>{signed_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC · PAdES approval signature</p>
<p>{kind} SHA-256 {fingerprint[:16]}…</p>
<p>Check it: assess verify, or the PDF reader's signature panel</p>
</div></body></html>"""
    data = load_weasyprint().HTML(string=html).write_pdf()
    assert isinstance(data, bytes)
    return data
