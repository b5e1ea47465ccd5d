"""Verifying a report, as an auditor does: its signatures, what was appended after them, its
attachments against its manifest and, given the workspace, the inputs it was made from.

What is wrong is reported as data (:class:`~assess.model.manifest.Verification`), every problem
in plain words; only a file that is not a cmmm-assess report at all is an error. What verify
accepts after a signed revision is the policy of :mod:`assess.integrity.updates`; what it asks
of a signature's CMS container, :mod:`assess.integrity.cms`.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from assess.integrity.attachments import NOT_A_REPORT, embedded_files, load_pyhanko
from assess.integrity.cms import container_problem
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
    """Check a report: its signatures and what follows them, its attachments against its
    manifest and, given the workspace, its inputs. A file that is not a cmmm-assess report is
    an InputError."""
    load_pyhanko()
    from pyhanko.pdf_utils.reader import PdfFileReader

    from assess.integrity import updates

    if not pdf.startswith(b"%PDF-"):
        raise InputError("not a PDF file")
    problems: list[str] = []
    checks: list[str] = []
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        attachments = embedded_files(reader)
        embedded = list(reader.embedded_signatures)
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
    signatures = [s for s in embedded if s.sig_object_type != "/DocTimeStamp"]
    stamps = [s for s in embedded if s.sig_object_type == "/DocTimeStamp"]
    policy = updates.strict_policy()
    results = [_check_signature(s, trust_roots, policy, reader) for s in signatures]
    unsigned = _unsigned_tail(pdf, reader)
    if not results:
        problems.append("the report is not signed")
    elif unsigned is not None:
        problems.append(
            f"{unsigned} bytes follow the last revision of the document without being one: "
            "no signature covers them"
        )
    total = reader.xrefs.total_revisions
    for check, signature in zip(results, signatures, strict=True):
        problems.extend(f"signature {check.field}: {p}" for p in check.problems)
        if check.problems:
            continue
        covers = "covers the whole document and "
        if unsigned is not None:
            covers = ""
        elif signature.signed_revision < total - 1:
            covers = (
                f"covers the document as signed (revision {signature.signed_revision + 1} "
                f"of {total}) and "
            )
        checks.append(
            f"signature {check.field} is valid, {covers}was made by a trusted certificate"
        )
    for stamp in stamps:
        held, failed = _check_timestamp(stamp, trust_roots)
        checks.extend(held)
        problems.extend(failed)
    if results and all(check.covers_document for check in results):
        checks.extend(_accepted_updates(reader, signatures))
    if workspace is not None:
        held_inputs, missing = check_inputs(manifest, workspace)
        checks.extend(held_inputs)
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


def _check_signature(
    embedded: Any, trust_roots: Sequence[Any], policy: Any, reader: Any
) -> SignatureCheck:
    """What one embedded signature is worth: intact, valid, trusted, and followed only by
    updates the policy accepts."""
    from cryptography import x509
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    from assess.integrity.updates import RefusedUpdate

    context = ValidationContext(trust_roots=list(trust_roots), allow_fetching=False)
    try:
        signer_der = embedded.signer_cert.dump()
        certificate = x509.load_der_x509_certificate(signer_der)
        status = validate_pdf_signature(embedded, context, diff_policy=policy)
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
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION and bool(status.docmdp_ok)
    )
    container = container_problem(embedded.pkcs7_content)
    if not status.intact:
        problems.append(
            "the signed bytes were altered: they no longer hash to the value the signature "
            "was made over"
        )
    elif not status.valid:
        problems.append("the signature does not verify with the signer's certificate")
    elif container is not None:
        problems.append(f"{container}: the signature was altered after it was made")
    if status.intact and not covers:
        refused = status.diff_result
        if isinstance(refused, RefusedUpdate):
            problems.append(
                "the document was changed after it was signed: " + _refusal(reader, refused)
            )
        else:
            problems.append(
                "the document was changed after it was signed: the signature does not cover "
                "its own revision of the file as a signature must"
            )
    if not status.trusted and status.intact and status.valid and container is None:
        if trust_roots:  # else the altered bytes are the news
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
        is_valid=bool(status.valid) and container is None,
        is_trusted=bool(status.trusted),
        covers_document=covers,
        has_timestamp=status.timestamp_validity is not None,
        problems=tuple(problems),
    )


def _refusal(reader: Any, refused: Any) -> str:
    """A refused update in plain words: which revision, what it does and, when pyHanko's
    analysis refused it for a reason of its own, that reason."""
    from assess.integrity.updates import describe_update

    total = reader.xrefs.total_revisions
    phrases = list(describe_update(reader, refused.revision))
    if refused.is_plain and refused.reason not in phrases:
        phrases.append(refused.reason)
    if not phrases:
        phrases.append("rewrites objects in a way verify cannot show harmless")
    named = f"revision {refused.revision + 1} of {total} " + "; ".join(phrases)
    if not refused.is_plain:
        reason = refused.reason.splitlines()[0] if refused.reason else ""
        named += f" (pyHanko's difference analysis, counting revisions from 0: {reason[:200]})"
    return named


def _accepted_updates(reader: Any, signatures: Sequence[Any]) -> list[str]:
    """The updates after the first signature that are no signature of their own (those are
    named by their signature lines), each named with why verify accepts it."""
    from assess.integrity.updates import describe_update

    signed = {s.signed_revision for s in signatures}
    total = reader.xrefs.total_revisions
    return [
        f"revision {revision + 1} of {total} "
        + ("; ".join(describe_update(reader, revision)) or "updates the bookkeeping only")
        + ": it changes nothing the report shows"
        for revision in range(min(signed) + 1, total)
        if revision not in signed
    ]


def _check_timestamp(embedded: Any, trust_roots: Sequence[Any]) -> tuple[list[str], list[str]]:
    """A document timestamp (as archiving tools add): what held and what failed. A timestamp
    vouches only for when the document existed; a TSA outside ``--trust`` makes it the TSA's
    claim, not a failure, while altered bytes are one."""
    from pyhanko.sign.validation import validate_pdf_timestamp
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    name = f"document timestamp {embedded.field_name}"
    context = ValidationContext(trust_roots=list(trust_roots), allow_fetching=False)
    try:
        status = validate_pdf_timestamp(embedded, validation_context=context, skip_diff=True)
        tsa = embedded.signer_cert.subject.human_friendly
    except Exception as error:  # pyHanko raises many kinds for a mangled timestamp
        return [], [f"{name}: the timestamp is damaged and cannot be checked ({error})"]
    container = container_problem(embedded.pkcs7_content)
    if not status.intact:
        return [], [f"{name}: the bytes it timestamps were altered"]
    if not status.valid:
        return [], [f"{name}: the timestamp authority's signature does not verify"]
    if container is not None:
        return [], [f"{name}: {container}: the timestamp was altered after it was made"]
    if status.coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        return [], [f"{name}: it does not cover its own revision of the file"]
    when = f"{status.timestamp.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
    held = f"{name} by {tsa} ({when}) is intact"
    if not status.trusted:
        held += (
            "; its timestamp authority is not one given with --trust, so the time is the "
            "authority's claim"
        )
    return [held], []


def _unsigned_tail(pdf: bytes, reader: Any) -> int | None:
    """How many bytes (whitespace aside) follow the end of the file's last revision; ``None``
    when there are none. An appended incremental update is a revision of its own, judged by
    the signature checks; bytes that are not (anything written after the final %%EOF) are seen
    by no check but this one."""
    last = reader.xrefs.total_revisions - 1
    start = int(reader.xrefs.get_xref_container_info(last).end_location)
    marker = pdf.find(b"%%EOF", start)
    if marker < 0:
        return len(pdf) - start
    end = marker + len(b"%%EOF")
    for eol in (b"\r\n", b"\n", b"\r"):
        if pdf.startswith(eol, end):
            end += len(eol)
            break
    tail = pdf[end:]
    return len(tail) if tail.strip() else None


def _organisation(result: bytes) -> str:
    """The organisation the embedded result names, "" when it cannot be read (the verdict
    still stands on the hashes; the name only heads it)."""
    try:
        value = parse_json(result, Path(RESULT_ATTACHMENT))["assessment"]["organisation"]
    except (InputError, KeyError, TypeError):
        return ""
    return value if isinstance(value, str) else ""
