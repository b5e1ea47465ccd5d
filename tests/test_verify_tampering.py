"""`assess verify` against hostile files: updates appended after the signature, and bit flips.

The updates are written with pyHanko's own incremental writer, as an attacker would, onto the
signed mini report of the run (report_fixtures.signed_mini, shared with test_integrity.py;
rendering it takes seconds, so those tests are slow). The verdict each test expects comes from
what the update does (a widget painting on page 1, a new organisation name), and the first
tests show that pyHanko's default policy accepts the attacks, which is why verify has a policy
of its own.

The fast bit-flip tests start from the committed signed sample
(sample_reports/demo-report-signed.pdf and its certificate), so nothing is rendered and the
seeded flips land on the same bytes every run; the slow sweep of a few hundred flips uses the
signed mini report, where each verify takes half as long. The verdict each flip must get is
worked out from the file's bytes alone (the signature's byte range and the length of its DER),
not from verify's code.
"""

from __future__ import annotations

import io
import random
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pyhanko")

SAMPLES = Path(__file__).resolve().parent.parent / "sample_reports"
SIGNED = (SAMPLES / "demo-report-signed.pdf").read_bytes()
CERT = SAMPLES / "demo-signer-cert.pem"
ORGANISATION = "Acme Corp"  # the mini report's organisation, named in its XMP title
CHANGED = "the document was changed after it was signed"
HARMLESS = "it changes nothing the report shows"


def _verify(cli: Any, folder: Path, data: bytes, *extra: Any, cert: Path = CERT) -> Any:
    path = folder / "check.pdf"
    path.write_bytes(data)
    return cli("verify", path, "--trust", cert, *extra)


def _updated(change: Callable[[Any], None], base: bytes) -> bytes:
    """``base`` with one incremental update appended by pyHanko's writer after ``change``."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(base), strict=False)
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    data = out.getvalue()
    assert data.startswith(base) and len(data) > len(base)  # an update after the signed bytes
    return data


def _name(value: str) -> Any:
    from pyhanko.pdf_utils.generic import NameObject

    return NameObject(value)


def _painting(writer: Any, text: bytes) -> Any:
    """A 400 × 60 pt appearance that blanks its box and writes ``text`` in red Helvetica."""
    from pyhanko.pdf_utils import generic

    font = writer.add_object(
        generic.DictionaryObject(
            {
                _name("/Type"): _name("/Font"),
                _name("/Subtype"): _name("/Type1"),
                _name("/BaseFont"): _name("/Helvetica"),
            }
        )
    )
    stream = generic.StreamObject(
        {
            _name("/Type"): _name("/XObject"),
            _name("/Subtype"): _name("/Form"),
            _name("/BBox"): generic.ArrayObject(generic.NumberObject(n) for n in (0, 0, 400, 60)),
            _name("/Resources"): generic.DictionaryObject(
                {_name("/Font"): generic.DictionaryObject({_name("/F1"): font})}
            ),
        },
        stream_data=b"1 1 1 rg 0 0 400 60 re f 0.8 0 0 rg BT /F1 28 Tf 10 18 Td ("
        + text
        + b") Tj ET",
    )
    return writer.add_object(stream)


def _add_shadow_field(writer: Any) -> None:
    """The shadow attack: a signature field that carries no signature, whose widget paints a
    new overall level over page 1."""
    from pyhanko.pdf_utils import generic

    page_ref = writer.find_page_for_modification(0)[0]
    widget = writer.add_object(
        generic.DictionaryObject(
            {
                _name("/Type"): _name("/Annot"),
                _name("/Subtype"): _name("/Widget"),
                _name("/FT"): _name("/Sig"),
                _name("/T"): generic.TextStringObject("Shadow"),
                _name("/F"): generic.NumberObject(4),
                _name("/Rect"): generic.ArrayObject(
                    generic.NumberObject(n) for n in (100, 600, 500, 660)
                ),
                _name("/P"): page_ref,
                _name("/AP"): generic.DictionaryObject(
                    {_name("/N"): _painting(writer, b"Overall level: 5 of 5")}
                ),
            }
        )
    )
    page = page_ref.get_object()
    if "/Annots" in page:
        annots = page["/Annots"]
        annots.append(widget)
        raw = page.raw_get("/Annots")
        writer.update_container(annots if isinstance(raw, generic.IndirectObject) else page)
    else:
        page[_name("/Annots")] = generic.ArrayObject([widget])
        writer.update_container(page)
    form = writer.root["/AcroForm"]
    form["/Fields"].append(widget)
    if isinstance(writer.root.raw_get("/AcroForm"), generic.IndirectObject):
        writer.update_container(form)
    writer.update_root()


def _replace_xmp(writer: Any) -> None:
    """New XMP metadata naming another organisation, as a new metadata stream."""
    from pyhanko.pdf_utils.metadata.xmp_xml import MetadataStream

    packet = writer.root["/Metadata"].data.replace(ORGANISATION.encode(), b"Evil Corp")
    writer.root[_name("/Metadata")] = writer.add_object(MetadataStream(stream_data=packet))
    writer.update_root()


def _page_image(data: bytes) -> bytes:
    """Page 1 rendered by PDFium with its annotations, as raw pixels."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        document.init_forms()  # else PDFium leaves form widgets out
        bitmap = document[0].render(scale=0.5, may_draw_forms=True)
        return bytes(bitmap.to_pil().tobytes())
    finally:
        document.close()


def _default_policy_level(data: bytes, cert: Path) -> Any:
    """What pyHanko's default difference policy makes of the first signature of ``data``."""
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    context = ValidationContext(trust_roots=[load_cert_from_pemder(cert)], allow_fetching=False)
    status = validate_pdf_signature(reader.embedded_signatures[0], context)
    assert status.intact and status.valid and status.trusted
    return status.modification_level


# --- updates that change what the report shows ------------------------------------------------


@pytest.mark.slow
def test_a_shadow_signature_field_painting_over_page_one_is_refused(cli, tmp_path, signed_mini):
    from pyhanko.sign.diff_analysis import ModificationLevel

    shadowed = _updated(_add_shadow_field, signed_mini.signed)
    assert _page_image(shadowed) != _page_image(signed_mini.signed)  # the attack shows on page 1
    # pyHanko's default policy counts it as form filling, which an approval signature allows.
    assert _default_policy_level(shadowed, signed_mini.cert) == ModificationLevel.FORM_FILLING
    result = _verify(cli, tmp_path, shadowed, cert=signed_mini.cert)
    assert result.exit_code == 1, result.output
    assert (
        f"{CHANGED}: revision 3 of 3 adds a signature field Shadow that shows on page 1 and "
        "carries no signature"
    ) in result.stdout
    assert "is VALID" not in result.stdout


@pytest.mark.slow
def test_an_empty_sign_off_box_given_an_appearance_is_refused(cli, tmp_path, signed_mini):
    def paint_client_box(writer: Any) -> None:
        from pyhanko.pdf_utils import generic

        for field_ref in writer.root["/AcroForm"]["/Fields"]:
            field = field_ref.get_object()
            if field["/T"] == "ClientSignature":
                field[_name("/AP")] = generic.DictionaryObject(
                    {_name("/N"): _painting(writer, b"Approved: no findings")}
                )
                writer.update_container(field)

    result = _verify(
        cli, tmp_path, _updated(paint_client_box, signed_mini.signed), cert=signed_mini.cert
    )
    assert result.exit_code == 1, result.output
    assert f"{CHANGED}: revision 3 of 3 changes the signature field ClientSignature" in (
        result.stdout
    )


@pytest.mark.slow
def test_replaced_xmp_metadata_is_refused_naming_the_properties(cli, tmp_path, signed_mini):
    from pyhanko.sign.diff_analysis import ModificationLevel

    replaced = _updated(_replace_xmp, signed_mini.signed)
    assert b"Evil Corp" in replaced
    assert _default_policy_level(replaced, signed_mini.cert) == ModificationLevel.LTA_UPDATES
    result = _verify(cli, tmp_path, replaced, cert=signed_mini.cert)
    assert result.exit_code == 1, result.output
    assert (
        f"{CHANGED}: revision 3 of 3 replaces the XMP metadata (dc:description, dc:title changed)"
    ) in result.stdout


@pytest.mark.slow
def test_a_new_title_in_the_document_information_and_the_xmp_is_refused(cli, tmp_path, signed_mini):
    def retitle(writer: Any) -> None:
        # pyHanko's own metadata API: it rewrites /Info and the XMP packet in place when it
        # writes an update (here one that rewrites the catalog as it was).
        writer.document_meta.title = "Certificate Management Maturity Assessment — Evil Corp"
        writer.update_root()

    result = _verify(cli, tmp_path, _updated(retitle, signed_mini.signed), cert=signed_mini.cert)
    assert result.exit_code == 1, result.output
    assert "changes the document information (Title)" in result.stdout
    assert "replaces the XMP metadata (dc:title changed)" in result.stdout


@pytest.mark.slow
def test_a_shadow_field_after_an_archive_timestamp_is_still_refused(
    cli, tmp_path, signed_mini, tsa
):
    stamped = _timestamped(signed_mini.signed, tsa)
    result = _verify(cli, tmp_path, _updated(_add_shadow_field, stamped), cert=signed_mini.cert)
    assert result.exit_code == 1, result.output
    assert f"{CHANGED}: revision 4 of 4 adds a signature field Shadow" in result.stdout
    # The timestamp covers the file up to its own revision, and still holds.
    assert "document timestamp Archive by" in result.stdout


@pytest.mark.slow
def test_bytes_after_the_last_update_are_refused_whatever_that_update_is(
    cli, tmp_path, signed_mini
):
    extended = _with_validation_data(signed_mini.signed, signed_mini.cert) + b"% after the end\n"
    result = _verify(cli, tmp_path, extended, cert=signed_mini.cert)
    assert result.exit_code == 1, result.output
    assert "16 bytes follow the last revision of the document" in result.stdout


# --- updates that archiving tools make --------------------------------------------------------


def _with_validation_data(base: bytes, cert: Path) -> bytes:
    """``base`` after pyHanko's LTV step (``pyhanko sign ltvfix``): the signer's certificate
    path in a DSS."""
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import add_validation_info
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(io.BytesIO(base), strict=False)
    context = ValidationContext(trust_roots=[load_cert_from_pemder(cert)], allow_fetching=False)
    out = io.BytesIO()
    add_validation_info(reader.embedded_signatures[0], context, output=out)
    data = out.getvalue()
    assert data.startswith(base) and len(data) > len(base)
    return data


@pytest.fixture(scope="module")
def tsa(tmp_path_factory):
    """A throwaway timestamp authority: its certificate (pyHanko's type), key, and PEM file."""
    from asn1crypto import keys, x509
    from cryptography import x509 as cx509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = cx509.Name([cx509.NameAttribute(NameOID.COMMON_NAME, "Test Timestamp Authority")])
    now = datetime.now(UTC)
    cert = (
        cx509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(cx509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(cx509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(key, hashes.SHA256())
    )
    pem = tmp_path_factory.mktemp("tsa") / "tsa.pem"
    pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    pkcs8 = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return (
        x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        keys.PrivateKeyInfo.load(pkcs8),
        pem,
    )


def _timestamped(base: bytes, tsa: Any) -> bytes:
    """``base`` with a document timestamp appended (PAdES B-LTA's archive timestamp), in an
    invisible field named Archive."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.signers.pdf_signer import PdfTimeStamper
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    cert, key, _ = tsa
    writer = IncrementalPdfFileWriter(io.BytesIO(base), strict=False)
    stamper = PdfTimeStamper(DummyTimeStamper(cert, key), field_name="Archive")
    data = stamper.timestamp_pdf(writer, "sha256").getvalue()
    assert data.startswith(base) and len(data) > len(base)
    return data


@pytest.mark.slow
def test_validation_data_added_after_signing_stays_valid_and_is_named(cli, tmp_path, signed_mini):
    extended = _with_validation_data(signed_mini.signed, signed_mini.cert)
    result = _verify(cli, tmp_path, extended, cert=signed_mini.cert)
    assert result.exit_code == 0, result.output
    assert "covers the document as signed (revision 2 of 3)" in result.stdout
    assert (
        "revision 3 of 3 adds validation data for the signatures (DSS: 1 certificate, "
        f"0 OCSP responses, 0 CRLs): {HARMLESS}"
    ) in result.stdout
    assert "is VALID" in result.stdout


@pytest.mark.slow
def test_an_archive_timestamp_stays_valid_and_is_named(cli, tmp_path, signed_mini, tsa):
    stamped = _timestamped(_with_validation_data(signed_mini.signed, signed_mini.cert), tsa)
    result = _verify(cli, tmp_path, stamped, cert=signed_mini.cert)
    assert result.exit_code == 0, result.output
    assert (
        f"revision 4 of 4 adds a document timestamp in the new invisible field Archive: {HARMLESS}"
    ) in result.stdout
    assert "document timestamp Archive by Common Name: Test Timestamp Authority" in result.stdout
    assert "so the time is the authority's claim" in result.stdout
    trusted = _verify(cli, tmp_path, stamped, "--trust", tsa[2], cert=signed_mini.cert)
    assert trusted.exit_code == 0, trusted.output
    assert "authority's claim" not in trusted.stdout


@pytest.mark.slow
def test_a_flip_in_an_update_counts_by_the_objects_it_parses_to(cli, tmp_path, signed_mini):
    """An update after the signature is covered by no signature; verify compares the objects
    it makes with the signed ones, not its bytes. A space turned into NUL (whitespace too, ISO
    32000-1 7.2.2) makes the same catalog; a letter changing case makes another name. A byte
    of the certificate in the DSS is data verify does not use."""
    extended = _with_validation_data(signed_mini.signed, signed_mini.cert)
    # The catalog the update rewrites.
    at = extended.index(b"/Type /Catalog", len(signed_mini.signed))
    certificate = extended.index(b"stream\n0\x82", len(signed_mini.signed)) + len(b"stream\n")
    same, unused, other = bytearray(extended), bytearray(extended), bytearray(extended)
    same[at + 5] ^= 0x20  # the space before /Catalog becomes NUL
    unused[certificate + 100] ^= 0x01
    other[at + 7] ^= 0x20  # /Catalog becomes /catalog
    for harmless in (same, unused):
        accepted = _verify(cli, tmp_path, bytes(harmless), cert=signed_mini.cert)
        assert accepted.exit_code == 0, accepted.output
    refused = _verify(cli, tmp_path, bytes(other), cert=signed_mini.cert)
    assert refused.exit_code == 1, refused.output
    assert f"{CHANGED}: revision 3 of 3 " in refused.stdout
    assert "changes the document catalog (/Type)" in refused.stdout


@pytest.mark.slow
def test_a_flip_the_signature_allows_still_breaks_a_later_timestamp(
    cli, tmp_path, signed_mini, tsa
):
    stamped = bytearray(_timestamped(signed_mini.signed, tsa))
    # In the signature's padding: harmless to the signature, but timestamped afterwards.
    stamped[signed_mini.signed.rindex(b"0000000000>")] ^= 0x01
    result = _verify(cli, tmp_path, bytes(stamped), cert=signed_mini.cert)
    assert result.exit_code == 1, result.output
    assert "document timestamp Archive: the bytes it timestamps were altered" in result.stdout


# --- bit flips --------------------------------------------------------------------------------


def _hole(data: bytes) -> tuple[int, int]:
    """The signature's gap in the signed bytes, ``<`` and ``>`` included, from its /ByteRange."""
    found = re.search(rb"/ByteRange\s*\[\s*0\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", data)
    assert found is not None
    return int(found[1]), int(found[2])


def _der_hex_length(data: bytes) -> int:
    """How many hex digits of /Contents the signature's DER takes (tag, length, value), read
    from its first bytes: 30 82 LL LL is a SEQUENCE of LLLL bytes."""
    start = _hole(data)[0] + 1
    header = bytes.fromhex(data[start : start + 8].decode())
    assert header[0] == 0x30 and header[1] == 0x82  # a SEQUENCE with a two-byte length
    return 2 * (4 + int.from_bytes(header[2:4], "big"))


HEX = b"0123456789abcdefABCDEF"


def _expected(data: bytes, position: int, mask: int) -> str:
    """What a flip must do: "same bytes" (a hex digit changes case: /Contents decodes to the
    same bytes), "padding" (a hex digit after the DER: read by no one), or "refused"."""
    start, end = _hole(data)
    if not start < position < end - 1:
        return "refused"  # a signed byte, or the < > around the signature
    old, new = data[position], data[position] ^ mask
    if new not in HEX:
        return "refused"  # no longer a hex string
    if int(chr(old), 16) == int(chr(new), 16):
        return "same bytes"
    if position - (start + 1) >= _der_hex_length(data):
        return "padding"
    return "refused"  # the DER of the signature, signed or not


def _flipped_verdict(data: bytes, position: int, mask: int, trust: Any) -> str:
    from assess.integrity.verify import verify_report
    from assess.support.errors import CheckFailed, InputError

    flipped = bytearray(data)
    flipped[position] ^= mask
    try:
        found = verify_report(bytes(flipped), trust=trust)
    except (CheckFailed, InputError):  # damaged, or no longer a report: refused either way
        return "refused"
    return "accepted" if found.is_valid else "refused"


@pytest.fixture(scope="module")
def trust():
    from assess.integrity.keys import read_certificates

    return read_certificates(CERT.read_bytes(), CERT)


def _check_flips(data: bytes, positions: list[int], trust: Any) -> dict[str, int]:
    """Flip 0x01 and 0x20 at each position of ``data``; every flip verify accepts must be one
    the file's bytes show harmless, and every harmless one accepted. Returns how many of each
    kind."""
    seen: dict[str, int] = {}
    for position in positions:
        for mask in (0x01, 0x20):
            expected = _expected(data, position, mask)
            verdict = _flipped_verdict(data, position, mask, trust)
            wanted = "refused" if expected == "refused" else "accepted"
            assert verdict == wanted, (
                position,
                hex(mask),
                expected,
                data[position - 8 : position + 8],
            )
            seen[expected] = seen.get(expected, 0) + 1
    return seen


def test_the_sample_is_valid_to_start_with(cli, tmp_path):
    result = _verify(cli, tmp_path, SIGNED)
    assert result.exit_code == 0, result.output
    assert "covers the whole document" in result.stdout


def test_flips_in_the_signature_container_that_no_signature_covers_are_refused(trust):
    """Before verify checked the CMS container, flips like these were accepted: the
    SignedData version, the digest algorithm OID in its list and its NULL parameters, the
    SignerInfo version and the NULL parameters of the signer's digest algorithm. The
    signer signs none of them; pyHanko reads none of them."""
    from asn1crypto import cms

    start = _hole(SIGNED)[0] + 1
    der = bytes.fromhex(SIGNED[start : start + _der_hex_length(SIGNED)].decode())
    signed_data = cms.ContentInfo.load(der)["content"]
    listed = signed_data["digest_algorithms"].dump()  # 31 0F 30 0D 06 09 <9-byte OID> 05 00
    at_list = der.index(listed)
    signer = signed_data["signer_infos"][0]
    at_signer = der.index(signer.dump())  # 30 82 LL LL 02 01 01 ...
    digest = signer["digest_algorithm"].dump()
    at_digest = der.index(digest, at_signer)
    positions = {
        "SignedData version": at_list - 1,
        "OID in the digest algorithm list": at_list + 14,
        "NULL in the digest algorithm list": at_list + 15,
        "SignerInfo version": at_signer + 6,
        "NULL of the signer's digest algorithm": at_digest + len(digest) - 2,
    }
    assert der[positions["SignedData version"]] == 1 and der[positions["SignerInfo version"]] == 1
    for what, byte in positions.items():
        hex_digit = start + 2 * byte + 1  # the low nibble of that byte
        assert _expected(SIGNED, hex_digit, 0x01) == "refused"
        assert _flipped_verdict(SIGNED, hex_digit, 0x01, trust) == "refused", what


def test_flips_in_the_hex_padding_and_in_hex_case_are_accepted_as_harmless(trust):
    """Two kinds of flips change no signed byte and nothing the signature means: a hex digit
    after the DER (the zeros the signer reserved room with, which no reader reads), and a hex
    letter changing case (the same byte). docs/verify.md says so."""
    start = _hole(SIGNED)[0] + 1
    padding = start + _der_hex_length(SIGNED) + 100
    letter = next(i for i in range(start, start + 200) if SIGNED[i] in b"abcdefABCDEF")
    assert _expected(SIGNED, padding, 0x01) == "padding"
    assert _expected(SIGNED, letter, 0x20) == "same bytes"
    assert _flipped_verdict(SIGNED, padding, 0x01, trust) == "accepted"
    assert _flipped_verdict(SIGNED, letter, 0x20, trust) == "accepted"


def test_a_few_seeded_bit_flips_anywhere(trust):
    positions = sorted(random.Random(19).sample(range(len(SIGNED)), 8))
    _check_flips(SIGNED, positions, trust)


@pytest.mark.slow
def test_a_few_hundred_seeded_bit_flips_anywhere(signed_mini):
    """60 positions over the whole file and 40 inside the signature's gap, two masks each: 20
    of those anywhere in the gap, 10 on hex letters of the DER (0x20 turns them into the same
    byte) and 10 in the padding after it, so that both kinds of harmless flips are tried
    whatever the run's signature holds. On the signed mini report of the run (15 pages,
    rendered and signed once for every test that needs it): what this proves is verify's
    logic, the same on every report, and a flip takes half the time it takes on the 37-page
    sample, whose cross-reference entries pyHanko reads each time."""
    from assess.integrity.keys import read_certificates

    data = signed_mini.signed
    trust = read_certificates(signed_mini.cert.read_bytes(), signed_mini.cert)
    rng = random.Random(2026)
    start, end = _hole(data)
    der_end = start + 1 + _der_hex_length(data)
    letters = [i for i in range(start + 1, der_end) if data[i] in b"abcdefABCDEF"]
    positions = [
        *rng.sample(range(len(data)), 60),
        *rng.sample(range(start, end), 20),
        *rng.sample(letters, 10),
        *rng.sample(range(der_end, end - 1), 10),
    ]
    seen = _check_flips(data, sorted(set(positions)), trust)
    # At least the 10 letters and 10 padding digits chosen; most flips elsewhere are refused.
    assert seen["refused"] > 120 and seen["padding"] >= 10 and seen["same bytes"] >= 10, seen


# --- XMP statements ---------------------------------------------------------------------------

WEASYPRINT_XMP = b"""<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
 xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
<rdf:Description rdf:about="" pdf:Producer="WeasyPrint 70.0" />
<rdf:Description rdf:about=""><dc:title><rdf:Alt>
<rdf:li xml:lang="x-default">Report \xe2\x80\x94 Acme Corp</rdf:li>
</rdf:Alt></dc:title></rdf:Description>
<rdf:Description rdf:about=""><pdf:Keywords>PKI, CMMM</pdf:Keywords></rdf:Description>
<rdf:Description rdf:about=""><xmp:ModifyDate>2026-11-27</xmp:ModifyDate></rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="r"?>"""
"""The layout WeasyPrint writes: one description per property, keywords as an element."""

PYHANKO_XMP = b"""<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="pyHanko 0.38.0">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" rdf:about=""
 pdf:Producer="pyHanko 0.38.0" pdf:Keywords="PKI, CMMM"
 xmp:ModifyDate="2026-12-02T06:09:57+00:00"><dc:title
 xmlns:dc="http://purl.org/dc/elements/1.1/"><rdf:Alt><rdf:li
 xml:lang="x-default">Report \xe2\x80\x94 Acme Corp</rdf:li></rdf:Alt></dc:title></rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="r"?>"""
"""The same statements as pyHanko rewrites them when it signs: one description, attributes."""


def test_an_xmp_packet_rewritten_in_another_layout_states_the_same():
    from assess.integrity.xmp import changed_properties

    assert changed_properties(WEASYPRINT_XMP, PYHANKO_XMP) == []  # dates and producer aside


def test_an_xmp_property_changed_or_stated_twice_is_named():
    from assess.integrity.xmp import changed_properties

    evil = PYHANKO_XMP.replace(b"Acme Corp", b"Evil Corp")
    assert changed_properties(PYHANKO_XMP, evil) == ["dc:title"]
    # A second title a reader may show first, while a last-wins reading sees the old one.
    title = WEASYPRINT_XMP.split(b"<dc:title>")[1].split(b"</dc:title>")[0]
    twice = WEASYPRINT_XMP.replace(
        b"<pdf:Keywords>",
        b"<dc:title>" + title.replace(b"Acme", b"Evil") + b"</dc:title><pdf:Keywords>",
    )
    assert changed_properties(WEASYPRINT_XMP, twice) == ["dc:title"]


@pytest.mark.parametrize(
    "extra",
    [
        b'<!DOCTYPE x [<!ENTITY t "Evil Corp">]>',  # entities a reader may expand
        b"<!-- Evil Corp -->",  # a comment
    ],
)
def test_an_xmp_packet_with_more_than_properties_cannot_be_compared(extra):
    from assess.integrity.xmp import changed_properties

    packet = PYHANKO_XMP.replace(b"<x:xmpmeta", extra + b"<x:xmpmeta", 1)
    assert changed_properties(PYHANKO_XMP, packet) is None


def test_a_second_rdf_graph_cannot_be_compared():
    from assess.integrity.xmp import changed_properties

    graph = b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF>'
    packet = PYHANKO_XMP.replace(b"</x:xmpmeta>", graph + b"</x:xmpmeta>")
    assert changed_properties(PYHANKO_XMP, packet) is None
