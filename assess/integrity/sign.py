"""Signing a report: a PAdES approval signature in one of its sign-off boxes.

Signatures are PAdES B-B (B-T with a timestamp server) approval signatures made as an
incremental update: the PDF/A conformance, the attachments and any earlier signature stay as
they were, and the client or an auditor can countersign in the next field. The private key is
handed to pyHanko and dropped; it never appears in an output, a log or an error message.
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from assess.integrity.attachments import NOT_A_REPORT, embedded_files, load_pyhanko
from assess.integrity.keys import (
    SigningIdentity,
    asn1_certificate,
    certificate_fingerprint,
    common_name,
)
from assess.integrity.stamp import stamp_pdf
from assess.model.manifest import MANIFEST_ATTACHMENT, RESULT_ATTACHMENT
from assess.support.certificates import is_self_signed
from assess.support.errors import EnvironmentProblem, InputError
from assess.support.jsondoc import parse_json

DEFAULT_FIELD = "AssessorSignature"
"""The first assessor's sign-off box."""


@dataclass(frozen=True)
class SignedReport:
    """A signed PDF and what a user is told about it."""

    data: bytes
    field: str
    is_visible: bool
    """False when the report had no such sign-off box and the signature is invisible."""


def sign_report(
    pdf: bytes,
    identity: SigningIdentity,
    *,
    field: str = DEFAULT_FIELD,
    signed_at: datetime,
    timestamp_url: str | None = None,
) -> SignedReport:
    """Sign a report in its sign-off box ``field`` (an approval signature, PAdES B-B or, with a
    timestamp server, B-T)."""
    sign = load_pyhanko()
    from asn1crypto import keys as asn1_keys
    from cryptography.hazmat.primitives import serialization
    from pyhanko.pdf_utils import content, layout
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import SigSeedSubFilter, enumerate_sig_fields
    from pyhanko.stamp import StaticStampStyle
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        attachments = embedded_files(reader)
        fields = [(name, value) for name, value, _ in enumerate_sig_fields(reader)]
        empty = {name for name, value in fields if value is None}
        taken = {name for name, value in fields if value is not None}
    except (PdfError, KeyError, ValueError, TypeError) as error:
        raise InputError(f"not a readable PDF: {error}") from None
    if MANIFEST_ATTACHMENT not in attachments:
        raise InputError(NOT_A_REPORT, hint="sign the PDF that assess report wrote")
    if fields and field not in empty and field not in taken:
        # The report has sign-off boxes (a draft has none): a name that is not
        # one of them is a typo, not a wish for an invisible signature.
        raise InputError(
            f"the report has no sign-off box {field}",
            hint="choose one with --field: " + ", ".join(name for name, _ in fields),
        )
    if field in taken:
        raise InputError(
            f"the sign-off box {field} is already signed",
            hint="choose another field with --field ("
            + (", ".join(sorted(empty)) or "none left")
            + ")",
        )
    key_der = identity.key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    signer = sign.signers.SimpleSigner(
        signing_cert=asn1_certificate(identity.certificate),
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
            [asn1_certificate(c) for c in identity.chain]
        ),
    )
    timestamper = None
    if timestamp_url:
        from pyhanko.sign.timestamps import HTTPTimeStamper

        timestamper = HTTPTimeStamper(timestamp_url, timeout=20)
    metadata = sign.signers.PdfSignatureMetadata(
        field_name=field,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason="Approval of the assessment report",
    )
    is_visible = field in empty
    with tempfile.TemporaryDirectory(prefix="assess-sign-") as folder:
        style = None
        if is_visible:
            stamp = Path(folder) / "stamp.pdf"
            stamp.write_bytes(
                stamp_pdf(
                    common_name(identity.certificate),
                    signed_at,
                    certificate_fingerprint(identity.certificate),
                    is_self_signed=is_self_signed(identity.certificate),
                )
            )
            page = content.ImportedPdfPage(str(stamp))  # type: ignore[no-untyped-call]
            # The stamp page is the box's size: place it edge to edge, unscaled.
            fill = layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MIN,
                y_align=layout.AxisAlignment.ALIGN_MIN,
                margins=layout.Margins(0, 0, 0, 0),
                inner_content_scaling=layout.InnerScaling.STRETCH_TO_FIT,
            )
            style = StaticStampStyle(background=page, border_width=0, background_layout=fill)
        output = io.BytesIO()
        try:
            writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
            sign.signers.PdfSigner(
                metadata, signer=signer, timestamper=timestamper, stamp_style=style
            ).sign_pdf(writer, output=output)
        except (PdfError, OSError) as error:
            raise EnvironmentProblem(f"signing failed: {error}") from None
    return SignedReport(data=output.getvalue(), field=field, is_visible=is_visible)


def unanswered_in(pdf: bytes) -> int:
    """How many practices the report's embedded result leaves unanswered: more than 0 makes the
    report a draft, which is signed only on purpose (method.md, Completeness). 0 for a complete
    report, and for a file whose result cannot be read (signing then says what is wrong)."""
    load_pyhanko()
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        attachments = embedded_files(PdfFileReader(io.BytesIO(pdf), strict=False))
    except (PdfError, KeyError, ValueError, TypeError):
        return 0
    document = attachments.get(RESULT_ATTACHMENT)
    if document is None:
        return 0
    try:
        data = parse_json(document, Path(RESULT_ATTACHMENT))
    except InputError:
        return 0
    count = data.get("unanswered") if isinstance(data, dict) else None
    return count if isinstance(count, int) and data.get("complete") is False else 0
