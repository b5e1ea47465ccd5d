"""Signed reports: a self-signed signing certificate, a PAdES signature on the sign-off box, and
the verification an auditor runs.

Signing and verifying use pyHanko (the optional extra ``sign``), imported inside the functions
so that nothing else pays for it. Signatures are PAdES B-B approval signatures made as an
incremental update: the PDF/A conformance, the attachments and any earlier signature stay as
they were, and the client or an auditor can countersign in the next field. Only RSA keys are
accepted: pyHanko marks a PDF signed with ECDSA or EdDSA as PDF 2.0 (ISO/TS 32002), which a
PDF/A-3 file (PDF 1.7) must not be. Private keys are read, used and dropped: they never appear
in an output, a log or an error message.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from assess.integrity.manifest import check_inputs, sha256_hex
from assess.model.manifest import (
    MANIFEST_ATTACHMENT,
    RESULT_ATTACHMENT,
    Manifest,
    SignatureCheck,
    Verification,
)
from assess.support.errors import CheckFailed, EnvironmentProblem, InputError, Problem
from assess.support.extras import install_hint

if TYPE_CHECKING:
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

DEFAULT_FIELD = "AssessorSignature"
"""The first assessor's sign-off box."""
KEY_SIZE = 3072
"""RSA key size of ``assess keygen`` (NIST SP 800-57: 128-bit security)."""
SELF_SIGNED_UNIT = "Self-signed with cmmm-assess"
"""The organisational unit ``assess keygen`` writes, so a PDF reader shows what it is."""
PASSPHRASE_ENV = "ASSESS_KEY_PASSPHRASE"
"""The environment variable holding a signing key's passphrase."""
SIGN_EXTRA_HINT = f"install the signing extra: {install_hint('sign')}"


def _pyhanko() -> Any:
    try:
        import pyhanko.sign
    except ImportError:
        raise EnvironmentProblem(
            "signing and verifying reports needs pyHanko, which is not installed",
            hint=SIGN_EXTRA_HINT,
        ) from None
    return pyhanko.sign


# --- keys and certificates ------------------------------------------------------------------


@dataclass(frozen=True)
class SigningIdentity:
    """A signer's key and certificate, loaded."""

    key: RSAPrivateKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()
    """Intermediate certificates to embed (not trust anchors)."""


def make_self_signed(
    name: str,
    *,
    organisation: str = "",
    email: str = "",
    days: int,
    now: datetime,
    passphrase: bytes | None,
) -> tuple[bytes, bytes]:
    """A new RSA key and a self-signed certificate for signing documents: (key PEM, cert PEM).

    The key is PKCS#8, encrypted with ``passphrase`` when one is given.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, name)]
    if organisation:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    attributes.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, SELF_SIGNED_UNIT))
    if email:
        attributes.append(x509.NameAttribute(NameOID.EMAIL_ADDRESS, email))
    subject = x509.Name(attributes)
    start = now.astimezone(UTC).replace(microsecond=0) - timedelta(minutes=5)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .sign(key, hashes.SHA256())
    )
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption()
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    return key_pem, certificate.public_bytes(serialization.Encoding.PEM)


def is_encrypted_key(data: bytes) -> bool:
    """True for a PEM private key protected by a passphrase."""
    return b"ENCRYPTED" in data[:200] or b"Proc-Type: 4,ENCRYPTED" in data


def read_certificates(data: bytes, file: Path) -> list[x509.Certificate]:
    """Certificates from a PEM (one or more) or DER file."""
    from cryptography import x509

    try:
        if b"-----BEGIN" in data:
            return list(x509.load_pem_x509_certificates(data))
        return [x509.load_der_x509_certificate(data)]
    except ValueError:
        raise InputError(
            Problem("not a certificate (expected PEM or DER X.509)", file=file)
        ) from None


def load_identity(
    key_data: bytes,
    key_file: Path,
    cert_data: bytes,
    cert_file: Path,
    *,
    passphrase: bytes | None,
    chain: Sequence[x509.Certificate] = (),
) -> SigningIdentity:
    """A signing key and its certificate; every problem named without showing key material."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    try:
        if b"-----BEGIN" in key_data:
            key = serialization.load_pem_private_key(key_data, password=passphrase)
        else:
            key = serialization.load_der_private_key(key_data, password=passphrase)
    except TypeError:
        # Raised for a passphrase given to a plain key or missing for an encrypted one.
        if passphrase is None:
            raise InputError(
                Problem("the key is protected by a passphrase", file=key_file),
                hint=f"set {PASSPHRASE_ENV}, or run the command in a terminal to be asked",
            ) from None
        raise InputError(
            Problem("the key is not protected by a passphrase, but one was given", file=key_file),
            hint=f"unset {PASSPHRASE_ENV}",
        ) from None
    except ValueError:
        raise InputError(
            Problem(
                "cannot read the private key: not a PEM or DER key, or a wrong passphrase",
                file=key_file,
            )
        ) from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise InputError(
            Problem(
                "not an RSA key: an ECDSA or EdDSA signature turns the PDF into PDF 2.0, which "
                "breaks its PDF/A-3 conformance",
                file=key_file,
            ),
            hint="make an RSA key with assess keygen, or ask your CA for an RSA certificate",
        )
    certificates = read_certificates(cert_data, cert_file)
    if not certificates:
        raise InputError(Problem("no certificate in the file", file=cert_file))
    certificate = certificates[0]
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    der = serialization.Encoding.DER
    if certificate.public_key().public_bytes(der, public) != key.public_key().public_bytes(
        der, public
    ):
        raise InputError(
            Problem("the certificate is not the key's: their public keys differ", file=cert_file)
        )
    return SigningIdentity(key=key, certificate=certificate, chain=(*certificates[1:], *chain))


def is_self_signed(certificate: x509.Certificate) -> bool:
    """True when the certificate is its own issuer and its own key verifies it."""
    if certificate.subject != certificate.issuer:
        return False
    try:
        certificate.verify_directly_issued_by(certificate)
    except Exception:  # cryptography raises several kinds for a signature that does not verify
        return False
    return True


# --- the PDF's attachments ------------------------------------------------------------------


def _embedded_files(reader: Any) -> dict[str, bytes]:
    """The attachments of a PDF by name (the catalog's EmbeddedFiles name tree)."""
    files: dict[str, bytes] = {}
    names = reader.root.get("/Names")
    tree = names.get("/EmbeddedFiles") if names is not None else None
    if tree is None:
        return files

    def walk(node: Any) -> None:
        node = node.get_object()
        if "/Names" in node:
            pairs = node["/Names"]
            for i in range(0, len(pairs) - 1, 2):
                spec = pairs[i + 1].get_object()
                stream = spec["/EF"]["/F"].get_object()
                files[str(pairs[i])] = stream.data
        for kid in node.get("/Kids", ()):
            walk(kid)

    walk(tree)
    return files


# --- signing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignedReport:
    """A signed PDF and what a user is told about it."""

    data: bytes
    field: str
    is_visible: bool
    """False when the report had no such sign-off box and the signature is invisible."""


def _stamp_pdf(signer: str, signed_at: datetime, fingerprint: str, self_signed: bool) -> bytes:
    """The visible signature's appearance, set by WeasyPrint in the report's own fonts."""
    from html import escape

    from assess.render.pdf import _weasyprint

    weasyprint = _weasyprint()
    kind = "self-signed certificate" if self_signed else "certificate"
    html = f"""<!DOCTYPE html><html lang="en"><head><style>
@page {{ size: 75mm 18mm; margin: 0 }}
body {{ margin: 0; font-family: "DejaVu Sans Condensed", sans-serif; color: #1f3b63; }}
div {{ height: 18mm; box-sizing: border-box; padding: 1.6mm 2.4mm;
  border-left: 1.2pt solid #1f3b63; }}
p {{ margin: 0; font-size: 6.4pt; line-height: 1.3; }}
p.who {{ font-size: 8.2pt; font-weight: bold; margin-bottom: 0.6mm; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; }}
</style></head><body><div>
<p class="who">Digitally signed by {escape(signer)}</p>
<p>{signed_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC · PAdES approval signature</p>
<p>{kind} SHA-256 {fingerprint[:16]}…</p>
<p>Check it: assess verify, or the PDF reader's signature panel</p>
</div></body></html>"""
    data = weasyprint.HTML(string=html).write_pdf()
    assert isinstance(data, bytes)
    return data


def _subject(certificate: x509.Certificate) -> str:
    """The subject in the order it was written (``CN=Ann Auditor, O=Acme``)."""
    return ", ".join(a.rfc4514_string() for a in certificate.subject)


def _common_name(certificate: x509.Certificate) -> str:
    from cryptography.x509.oid import NameOID

    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    value = names[0].value if names else _subject(certificate)
    return value if isinstance(value, str) else value.decode("utf-8", "replace")


def _asn1_cert(certificate: x509.Certificate) -> Any:
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization

    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


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
    sign = _pyhanko()
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
        attachments = _embedded_files(reader)
        fields = [(name, value) for name, value, _ in enumerate_sig_fields(reader)]
        empty = {name for name, value in fields if value is None}
        taken = {name for name, value in fields if value is not None}
    except (PdfError, KeyError, ValueError, TypeError) as error:
        raise InputError(f"not a readable PDF: {error}") from None
    if MANIFEST_ATTACHMENT not in attachments:
        raise InputError(
            "not a report made by cmmm-assess: the PDF carries no manifest.json",
            hint="sign the PDF that assess report wrote",
        )
    if fields and field not in empty and field not in taken:
        # The report has sign-off boxes (the tagged variants have none): a name that is not
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
        signing_cert=_asn1_cert(identity.certificate),
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
            [_asn1_cert(c) for c in identity.chain]
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
                _stamp_pdf(
                    _common_name(identity.certificate),
                    signed_at,
                    certificate_fingerprint(identity.certificate),
                    is_self_signed(identity.certificate),
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


# --- verifying ------------------------------------------------------------------------------


def _check_signature(embedded: Any, trust_roots: Sequence[Any]) -> SignatureCheck:
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


def verify_report(
    pdf: bytes,
    *,
    trust: Sequence[x509.Certificate] = (),
    workspace: Path | None = None,
) -> Verification:
    """Check a report: its signatures, its attachments against its manifest and, given the
    workspace, its inputs. A file that is not a cmmm-assess report is an InputError."""
    _pyhanko()
    from pyhanko.pdf_utils.reader import PdfFileReader

    if not pdf.startswith(b"%PDF-"):
        raise InputError("not a PDF file")
    problems: list[str] = []
    checks: list[str] = []
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        attachments = _embedded_files(reader)
        signatures = list(reader.embedded_signatures)
    except Exception as error:  # a damaged PDF fails in many ways inside the parser
        if b"/ByteRange" in pdf or MANIFEST_ATTACHMENT.encode() in pdf:
            raise CheckFailed(
                f"the file is damaged and cannot be read as a PDF ({error})"
            ) from None
        raise InputError(f"not a readable PDF: {error}") from None
    if MANIFEST_ATTACHMENT not in attachments:
        raise InputError("not a report made by cmmm-assess: the PDF carries no manifest.json")
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

    trust_roots = [_asn1_cert(c) for c in trust]
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
    import json

    try:
        value = json.loads(result)["assessment"]["organisation"]
    except (ValueError, KeyError, TypeError):
        return ""
    return value if isinstance(value, str) else ""


def certificate_fingerprint(certificate: x509.Certificate) -> str:
    """SHA-256 of a certificate's DER, hex."""
    from cryptography.hazmat.primitives import serialization

    return sha256_hex(certificate.public_bytes(serialization.Encoding.DER))
