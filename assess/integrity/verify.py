"""Verifying a report, as an auditor does: its signatures, its attachments against its
manifest and, given the workspace, the inputs it was made from.

What is wrong is reported as data (:class:`~assess.model.manifest.Verification`), every problem
in plain words; only a file that is not a cmmm-assess report at all is an error.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from assess.integrity.attachments import NOT_A_REPORT, embedded_files, load_pyhanko
from assess.integrity.keys import asn1_certificate
from assess.integrity.manifest import check_inputs, sha256_hex
from assess.model.manifest import (
    MANIFEST_ATTACHMENT,
    RESULT_ATTACHMENT,
    Manifest,
    SignatureCheck,
    Verification,
)
from assess.support.certificates import is_self_signed
from assess.support.errors import CheckFailed, InputError
from assess.support.jsondoc import parse_json

if TYPE_CHECKING:
    from cryptography import x509


def verify_report(
    pdf: bytes,
    *,
    trust: Sequence[x509.Certificate] = (),
    workspace: Path | None = None,
) -> Verification:
    """Check a report: its signatures, its attachments against its manifest and, given the
    workspace, its inputs. A file that is not a cmmm-assess report is an InputError."""
    load_pyhanko()
    from pyhanko.pdf_utils.reader import PdfFileReader

    if not pdf.startswith(b"%PDF-"):
        raise InputError("not a PDF file")
    problems: list[str] = []
    checks: list[str] = []
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        attachments = embedded_files(reader)
        signatures = list(reader.embedded_signatures)
    except Exception as error:  # a damaged PDF fails in many ways inside the parser
        if b"/ByteRange" in pdf or MANIFEST_ATTACHMENT.encode() in pdf:
            raise CheckFailed(
                f"the file is damaged and cannot be read as a PDF ({error})"
            ) from None
        raise InputError(f"not a readable PDF: {error}") from None
    if MANIFEST_ATTACHMENT not in attachments:
        raise InputError(NOT_A_REPORT)
    try:
        manifest = Manifest.model_validate_json(attachments[MANIFEST_ATTACHMENT])
    except ValidationError:
        raise CheckFailed("the embedded manifest.json is not a cmmm-assess manifest") from None

    organisation = ""
    result = attachments.get(RESULT_ATTACHMENT)
    if result is None:
        problems.append("the report carries no result.json")
    elif sha256_hex(result) != manifest.result_sha256:
        problems.append("result.json does not match the hash the manifest records for it")
    else:
        checks.append(f"result.json matches the manifest (SHA-256 {manifest.result_sha256})")
        organisation = _organisation(result)
    listed = {a.name: a for a in manifest.attachments}
    for name, digest in listed.items():
        data = attachments.get(name)
        if data is None:
            problems.append(f"{name} is listed in the manifest but not attached")
        elif sha256_hex(data) != digest.sha256:
            problems.append(f"the attached {name} does not match the manifest")
    extra = sorted(set(attachments) - set(listed) - {MANIFEST_ATTACHMENT})
    problems.extend(f"{name} is attached but not listed in the manifest" for name in extra)
    if not any(name in p for name in listed for p in problems):
        checks.append(f"the {len(listed)} attached files match the manifest")

    trust_roots = [asn1_certificate(c) for c in trust]
    results = [_check_signature(s, trust_roots) for s in signatures]
    unsigned = _unsigned_tail(pdf, reader, signatures)
    if not results:
        problems.append("the report is not signed")
    elif unsigned is not None:
        problems.append(
            f"{unsigned} bytes follow the last signed revision without being a revision of "
            "the document: no signature covers them"
        )
    for check in results:
        problems.extend(f"signature {check.field}: {p}" for p in check.problems)
        if not check.problems:
            covers = "" if unsigned is not None else "covers the whole document and "
            checks.append(
                f"signature {check.field} is valid, {covers}was made by a trusted certificate"
            )
    if workspace is not None:
        held, missing = check_inputs(manifest, workspace)
        checks.extend(held)
        problems.extend(missing)
    return Verification(
        report_id=manifest.report_id,
        organisation=organisation,
        evaluated_at=manifest.evaluated_at,
        is_redacted=manifest.is_redacted,
        checks=tuple(checks),
        problems=tuple(problems),
        signatures=tuple(results),
    )


def _check_signature(embedded: Any, trust_roots: Sequence[Any]) -> SignatureCheck:
    """What one embedded signature is worth: intact, valid, trusted, covering the document."""
    from cryptography import x509
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    context = ValidationContext(trust_roots=list(trust_roots), allow_fetching=False)
    try:
        signer_der = embedded.signer_cert.dump()
        certificate = x509.load_der_x509_certificate(signer_der)
        status = validate_pdf_signature(embedded, context)
    except Exception as error:  # pyHanko raises many kinds for a mangled signature
        return SignatureCheck(
            field=embedded.field_name,
            signer="unknown (the signature cannot be read)",
            signed_at=None,
            certificate_sha256="",
            is_self_signed=False,
            is_intact=False,
            is_valid=False,
            is_trusted=False,
            covers_document=False,
            has_timestamp=False,
            problems=(f"the signature value is damaged and cannot be checked ({error})",),
        )
    problems: list[str] = []
    covers = status.coverage == SignatureCoverageLevel.ENTIRE_FILE or (
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and status.modification_level is not None
        and status.modification_level <= ModificationLevel.FORM_FILLING
    )
    if not status.intact:
        problems.append(
            "the signed bytes were altered: they no longer hash to the value the signature "
            "was made over"
        )
    elif not status.valid:
        problems.append("the signature does not verify with the signer's certificate")
    if status.intact and not covers:
        problems.append(
            "the document was changed after it was signed: an update appended after the "
            "signature alters its content"
        )
    if not status.trusted and status.intact and status.valid:  # else the bytes are the news
        if trust_roots:
            problems.append(
                "the signer's certificate does not chain to the trust anchor given with --trust"
            )
        else:
            problems.append(
                "the signer's identity was not checked: pass the signer's certificate (or their "
                "CA's) with --trust, obtained from them, not from this PDF"
            )
    return SignatureCheck(
        field=embedded.field_name,
        signer=certificate.subject.rfc4514_string(),
        signed_at=status.signer_reported_dt,
        certificate_sha256=sha256_hex(signer_der),
        is_self_signed=is_self_signed(certificate),
        is_intact=bool(status.intact),
        is_valid=bool(status.valid),
        is_trusted=bool(status.trusted),
        covers_document=covers,
        has_timestamp=status.timestamp_validity is not None,
        problems=tuple(problems),
    )


def _unsigned_tail(pdf: bytes, reader: Any, signatures: Sequence[Any]) -> int | None:
    """How many bytes (whitespace aside) follow the signature that signed the last revision,
    when one did; ``None`` when there are none. An appended incremental update is a revision
    of its own, judged by the signature check; bytes that are not (anything written after the
    final %%EOF) are seen by no check but this one."""
    last = reader.xrefs.total_revisions - 1
    for embedded in signatures:
        if embedded.signed_revision == last:
            byte_range = embedded.sig_object["/ByteRange"]
            tail = pdf[int(byte_range[2]) + int(byte_range[3]) :]
            return len(tail) if tail.strip() else None
    return None


def _organisation(result: bytes) -> str:
    """The organisation the embedded result names, "" when it cannot be read (the verdict
    still stands on the hashes; the name only heads it)."""
    try:
        value = parse_json(result, Path(RESULT_ATTACHMENT))["assessment"]["organisation"]
    except (InputError, KeyError, TypeError):
        return ""
    return value if isinstance(value, str) else ""
