"""Report integrity: the manifest, `assess sign`, `assess verify`, `assess keygen`.

Keys are made (RSA 2048) and the report is rendered and signed once per test run
(report_fixtures.signed_mini, shared with test_verify_tampering.py); every tamper test starts
from the same signed bytes. Expected verdicts come from how each file was damaged, and
the signed report is also validated by pyHanko directly, without the project's code.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import stat
from datetime import UTC, datetime, timedelta

import pytest
from certgen import key_pem
from report_fixtures import (
    REPORT_DAY,
    mini_report_workspace,
    pdf_reader,
    run_cli,
)

pytest.importorskip("pyhanko")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def made(signed_mini):
    """A mini workspace, its PDF report, a signer and a stranger, and the signed report: the
    run's signed mini report (report_fixtures.signed_mini), which the tampering tests share."""
    return dataclasses.asdict(signed_mini)


def _verify(cli, made, data: bytes, *extra: str, name: str = "check.pdf"):
    path = made["root"] / name
    path.write_bytes(data)
    return cli("verify", path, "--trust", made["cert"], *extra)


# --- the manifest ----------------------------------------------------------------------------


def test_the_manifest_lists_every_input_and_attachment_with_its_hash(made):
    import hashlib

    from assess.inputs.schedule import shipped_path

    attachments = {n: c[0] for n, c in pdf_reader(made["unsigned"]).attachments.items()}
    manifest = json.loads(attachments["manifest.json"])
    workspace = made["workspace"]
    expected = {
        "questionnaire.yaml": "questionnaire",
        "assessment.yaml": "assessment",
        "answers/bob-roe.yaml": "answers",
        "answers/jane-doe.yaml": "answers",
        "bundled:schedules/cmmm.yaml": "schedule",  # the lifetime caps the result read
    }
    assert {i["path"]: i["role"] for i in manifest["inputs"]} == expected
    for entry in manifest["inputs"]:
        if entry["role"] == "schedule":
            data = shipped_path().read_bytes()
        else:
            data = (workspace / entry["path"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["size"] == len(data)
    assert [a["name"] for a in manifest["attachments"]] == [
        "result.json",
        "roadmap.csv",
        "forecast.json",
    ]
    for entry in manifest["attachments"]:
        assert entry["sha256"] == hashlib.sha256(attachments[entry["name"]]).hexdigest()
    assert manifest["result_sha256"] == hashlib.sha256(attachments["result.json"]).hexdigest()
    assert manifest["report_id"] == "CMMM-" + manifest["result_sha256"][:12].upper()
    assert manifest["is_redacted"] is False


def test_the_appendix_prints_the_manifest(made):
    from report_fixtures import page_texts

    text = "\n".join(page_texts(made["unsigned"]))
    attachments = pdf_reader(made["unsigned"]).attachments
    manifest = json.loads(attachments["manifest.json"][0])
    assert "How to verify this report" in text
    for entry in manifest["inputs"]:
        assert entry["path"] in text
        assert entry["sha256"][:32] in text.replace("\n", "").replace("\r", "")


# --- signing ---------------------------------------------------------------------------------


def test_sign_and_verify_round_trip(cli, made):
    result = _verify(cli, made, made["signed"], "--workspace", made["workspace"])
    assert result.exit_code == 0, result.output
    assert "is VALID" in result.stdout
    assert "SELF-SIGNED certificate" in result.stdout
    assert "signature AssessorSignature is valid" in result.stdout
    assert "input files the report was made from, unchanged" in result.stdout


def test_signing_never_replaces_an_earlier_signed_copy_unasked(cli, made, tmp_path):
    report = tmp_path / "r.pdf"
    report.write_bytes(made["unsigned"])
    earlier = tmp_path / "r.signed.pdf"
    earlier.write_bytes(made["signed"])  # say, already countersigned by the client
    result = cli("sign", report, "--key", made["key"], "--cert", made["cert"])
    assert result.exit_code == 2
    assert f"{earlier}: exists already" in result.stderr
    assert earlier.read_bytes() == made["signed"]


def test_the_signed_file_validates_with_pyhanko_itself(made):
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(io.BytesIO(made["signed"]))
    (signature,) = reader.embedded_signatures
    context = ValidationContext(trust_roots=[load_cert_from_pemder(str(made["cert"]))])
    status = validate_pdf_signature(signature, context)
    assert status.bottom_line and status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert signature.field_name == "AssessorSignature"
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"


def test_signing_keeps_pdfa_the_attachments_and_the_pdf_version(made):
    before, after = pdf_reader(made["unsigned"]), pdf_reader(made["signed"])
    assert after.attachments == before.attachments
    assert made["signed"].startswith(made["unsigned"])  # an incremental update
    assert made["signed"][:8] == b"%PDF-1.7"
    assert "/Version" not in after.trailer["/Root"]  # RSA: no bump to PDF 2.0
    xmp = after.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfaid:part="3"' in xmp
    # The signature widget lies on the first assessor's sign-off box, on the sign-off page.
    fields = {f["/T"]: f for f in _widgets(after)}
    assert set(fields) == {"AssessorSignature", "ClientSignature"}
    box = [float(v) for v in fields["AssessorSignature"]["/Rect"]]
    assert box[2] - box[0] == pytest.approx(75 / 25.4 * 72, abs=1)  # 75 mm wide (report.css)
    assert box[3] - box[1] == pytest.approx(18 / 25.4 * 72, abs=1)  # 18 mm high
    for page in after.pages:
        if any(a.get_object().get("/T") == "AssessorSignature" for a in page.get("/Annots", ())):
            assert "Conclusion and sign-off" in page.extract_text()
            break
    else:
        pytest.fail("no page carries the signature widget")


def _widgets(reader):
    for page in reader.pages:
        for annotation in page.get("/Annots", ()):
            annotation = annotation.get_object()
            if annotation.get("/FT") == "/Sig":
                yield annotation


def test_a_second_signer_countersigns_without_breaking_the_first(cli, made):
    first = made["root"] / "first.pdf"
    first.write_bytes(made["signed"])
    twice = made["root"] / "twice.pdf"
    result = cli(
        "sign",
        first,
        "--key",
        made["key"],
        "--cert",
        made["cert"],
        "--field",
        "ClientSignature",
        "--out",
        twice,
    )
    assert result.exit_code == 0, result.output
    result = cli("verify", twice, "--trust", made["cert"])
    assert result.exit_code == 0, result.output
    assert "signature AssessorSignature is valid" in result.stdout
    assert "signature ClientSignature is valid" in result.stdout


def test_a_timestamp_url_that_is_no_url_is_bad_input(cli, made, tmp_path):
    report = tmp_path / "r.pdf"
    report.write_bytes(made["unsigned"])
    args = ("--key", made["key"], "--cert", made["cert"], "--timestamp-url", "notaurl")
    result = cli("sign", report, *args)
    assert result.exit_code == 2
    assert "--timestamp-url: 'notaurl' is not an http(s) URL" in result.stderr


def test_a_misspelt_sign_off_box_is_refused_with_the_boxes_there_are(cli, made, tmp_path):
    report = tmp_path / "r.pdf"
    report.write_bytes(made["unsigned"])
    args = ("--key", made["key"], "--cert", made["cert"], "--out", tmp_path / "s.pdf")
    result = cli("sign", report, *args, "--field", "ClientSignatur")
    assert result.exit_code == 2
    assert "the report has no sign-off box ClientSignatur" in result.stderr
    assert "ClientSignature" in result.stderr and "AssessorSignature" in result.stderr
    assert not (tmp_path / "s.pdf").exists()


# --- tampering -------------------------------------------------------------------------------


def _flip(data: bytes, position: int) -> bytes:
    changed = bytearray(data)
    value = changed[position]
    # Keep a hex digit a hex digit and a letter a letter, so the file still parses.
    changed[position] = ord("0") if value != ord("0") else ord("1")
    if chr(value).isalpha():
        changed[position] = ord("a") if value != ord("a") else ord("b")
    return bytes(changed)


@pytest.mark.parametrize("where", ["first quarter", "middle", "attachment", "signature value"])
def test_one_changed_byte_anywhere_is_detected(cli, made, where):
    data = made["signed"]
    contents = data.rindex(b"/Contents <") + len(b"/Contents <") + 200
    attachment = data.index(b"/EmbeddedFile") + 300
    position = {
        "first quarter": len(data) // 4,
        "middle": len(data) // 2,
        "attachment": attachment,
        "signature value": contents,
    }[where]
    result = _verify(cli, made, _flip(data, position))
    assert result.exit_code == 1, result.output
    reasons = (
        "the signed bytes were altered",
        "does not verify",
        "damaged and cannot be checked",
        "damaged",
    )
    assert any(r in result.output for r in reasons), result.output
    # The --trust certificate is the signer's own: only the alteration is news.
    assert "does not chain to the trust anchor" not in result.output


def test_bytes_appended_after_the_signed_file_are_detected(cli, made):
    result = _verify(cli, made, made["signed"] + b"\n% appended after signing\n")
    assert result.exit_code == 1, result.output
    assert "26 bytes follow the last revision of the document" in result.output  # as added
    assert "covers the whole document" not in result.output
    clean = _verify(cli, made, made["signed"] + b"\n\n")  # whitespace alone changes nothing
    assert clean.exit_code == 0, clean.output


def test_an_incremental_update_that_alters_content_is_detected(cli, made):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(made["signed"]))
    page_ref = writer.find_page_for_modification(0)[0]
    page = page_ref.get_object()
    forged = generic.StreamObject(stream_data=b"BT /F1 30 Tf 100 700 Td (Level 5) Tj ET")
    page["/Contents"] = writer.add_object(forged)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    assert out.getvalue().startswith(made["signed"])
    result = _verify(cli, made, out.getvalue())
    assert result.exit_code == 1, result.output
    assert "the document was changed after it was signed" in result.stdout


def test_a_swapped_attachment_is_detected_even_when_signed_afterwards(cli, made, tmp_path):
    from pypdf import PdfWriter
    from pypdf.generic import NameObject

    writer = PdfWriter(clone_from=pdf_reader(made["unsigned"]))
    names = writer._root_object["/Names"]["/EmbeddedFiles"]["/Names"]
    for i in range(0, len(names), 2):
        if names[i] == "result.json":
            stream = names[i + 1].get_object()["/EF"]["/F"].get_object()
            stream.set_data(b'{"overall": {"level": 5}}\n')
            stream[NameObject("/Params")] = stream["/Params"]
    swapped = tmp_path / "swapped.pdf"
    with swapped.open("wb") as handle:
        writer.write(handle)
    signed = tmp_path / "swapped-signed.pdf"
    result = cli("sign", swapped, "--key", made["key"], "--cert", made["cert"], "-o", signed)
    assert result.exit_code == 0, result.output
    result = cli("verify", signed, "--trust", made["cert"])
    assert result.exit_code == 1, result.output
    assert "result.json does not match the hash the manifest records" in result.stdout
    assert "signature AssessorSignature is valid" in result.stdout


def test_a_wrong_trust_anchor_is_detected(cli, made):
    path = made["root"] / "anchor.pdf"
    path.write_bytes(made["signed"])
    result = cli("verify", path, "--trust", made["stranger"])
    assert result.exit_code == 1, result.output
    assert "does not chain to the trust anchor given with --trust" in result.stdout


def test_without_a_trust_anchor_the_signer_is_unverified(cli, made):
    path = made["root"] / "untrusted.pdf"
    path.write_bytes(made["signed"])
    result = cli("verify", path)
    assert result.exit_code == 1
    assert "the signer's identity was not checked" in result.stdout


def test_an_unsigned_report_is_not_valid(cli, made):
    result = _verify(cli, made, made["unsigned"], name="unsigned.pdf")
    assert result.exit_code == 1
    assert "the report is not signed" in result.stdout
    assert "the 3 attached files match the manifest" in result.stdout


def test_a_changed_workspace_is_detected(cli, made, tmp_path):
    import shutil

    copy = tmp_path / "ws"
    shutil.copytree(made["workspace"], copy)
    answers = copy / "answers" / "jane-doe.yaml"
    answers.write_text(answers.read_text() + "# edited\n")
    (copy / "answers" / "new-person.yaml").write_text("respondent: {name: New}\n")
    result = _verify(cli, made, made["signed"], "--workspace", copy, name="ws.pdf")
    assert result.exit_code == 1
    assert "answers/jane-doe.yaml changed since the report was made" in result.stdout
    assert "answers/new-person.yaml was added" in result.stdout


# --- a draft is not signed by accident (method.md, Completeness) -----------------------------


def test_a_draft_is_refused_unless_signed_on_purpose(cli, made, tmp_path):
    # The mini workspace as it is leaves INV-04 and AUT-04 unanswered: a draft.
    workspace = mini_report_workspace(tmp_path / "draft")
    draft = tmp_path / "draft.pdf"
    assert cli("report", workspace, "-f", "pdf", "--at", REPORT_DAY, "-o", draft).exit_code == 0
    assert "/AcroForm" not in draft.read_text(encoding="latin-1")  # no sign-off boxes
    key, cert = made["key"], made["cert"]
    signed = tmp_path / "draft-signed.pdf"
    refused = cli("sign", draft, "--key", key, "--cert", cert, "--out", signed)
    assert refused.exit_code == 1
    assert "is a DRAFT: 2 practices are unanswered, so it was not signed" in refused.output
    assert "--allow-draft" in refused.output and not signed.exists()
    allowed = cli("sign", draft, "--key", key, "--cert", cert, "--out", signed, "--allow-draft")
    assert allowed.exit_code == 0, allowed.output
    assert "invisibly" in allowed.stdout  # a draft has no sign-off box to sign in
    assert _verify(cli, made, signed.read_bytes(), name="draft-check.pdf").exit_code == 0


# --- the baseline is an input like the others ------------------------------------------------


@pytest.fixture(scope="module")
def with_baseline(made):
    """The complete mini report made with a baseline (its own result, scored in August),
    then signed."""
    root = made["root"] / "baseline-case"
    root.mkdir()
    workspace = made["workspace"]
    baseline = workspace / "baseline" / "2026-08-28.result.json"
    baseline.parent.mkdir()
    printed = run_cli("score", workspace, "--json", "--at", "2026-08-28")
    baseline.write_text(printed.stdout, encoding="utf-8")
    pdf = root / "r.pdf"
    result = run_cli(
        "report", workspace, "-f", "pdf", "--at", REPORT_DAY, "-o", pdf, "--baseline", baseline
    )
    assert result.exit_code == 0, result.output
    signed = root / "signed.pdf"
    result = run_cli("sign", pdf, "--key", made["key"], "--cert", made["cert"], "--out", signed)
    assert result.exit_code == 0, result.output
    yield {"baseline": baseline, "signed": signed.read_bytes()}
    baseline.unlink()
    baseline.parent.rmdir()


def test_the_baseline_is_attached_and_in_the_manifest(with_baseline):
    import hashlib

    attachments = {n: c[0] for n, c in pdf_reader(with_baseline["signed"]).attachments.items()}
    data = with_baseline["baseline"].read_bytes()
    assert attachments["baseline.json"] == data  # byte for byte the file given
    manifest = json.loads(attachments["manifest.json"])
    (entry,) = [i for i in manifest["inputs"] if i["role"] == "baseline"]
    assert entry == {
        "role": "baseline",
        "path": "baseline/2026-08-28.result.json",
        "sha256": hashlib.sha256(data).hexdigest(),
        "size": len(data),
    }
    assert "baseline.json" in [a["name"] for a in manifest["attachments"]]


def test_a_changed_or_missing_baseline_fails_verification_and_is_named(cli, made, with_baseline):
    baseline = with_baseline["baseline"]
    original = baseline.read_bytes()
    workspace = made["workspace"]
    held = _verify(cli, made, with_baseline["signed"], "--workspace", workspace, name="b0.pdf")
    assert held.exit_code == 0, held.output
    assert "the baseline baseline/2026-08-28.result.json among them" in held.stdout
    try:
        baseline.write_bytes(original.replace(b'"evaluated_at"', b'"evaluated_at" ', 1))
        changed = _verify(cli, made, with_baseline["signed"], "--workspace", workspace)
        assert changed.exit_code == 1
        assert (
            "FAILED: the baseline result baseline/2026-08-28.result.json (the progress section "
            "compares with it) changed since the report was made"
        ) in changed.stdout
        baseline.unlink()
        gone = _verify(cli, made, with_baseline["signed"], "--workspace", workspace)
        assert gone.exit_code == 1
        assert "baseline/2026-08-28.result.json (the progress section compares with it) is " in (
            gone.stdout
        )
        assert "is missing" in gone.stdout
    finally:
        baseline.write_bytes(original)


def test_the_base_of_a_tailored_questionnaire_is_an_input_too(cli, tmp_path):
    import hashlib

    from factories import MINI

    shared = tmp_path / "shared"
    shared.mkdir()
    base = shared / "mini.yaml"
    base.write_bytes(MINI.read_bytes())
    workspace = mini_report_workspace(
        tmp_path / "ws", questionnaire={"id": "mini-x", "version": "1.0.0", "file": "ext.yaml"}
    )
    (workspace / "ext.yaml").write_text(
        "extends: ../shared/mini.yaml\nid: mini-x\nversion: 1.0.0\ntitle: Mini, tailored\n"
    )
    pdf = tmp_path / "r.pdf"
    made = cli("report", workspace, "-f", "pdf", "--at", REPORT_DAY, "-o", pdf)
    assert made.exit_code == 0, made.output
    attachments = {n: c[0] for n, c in pdf_reader(pdf.read_bytes()).attachments.items()}
    inputs = json.loads(attachments["manifest.json"])["inputs"]
    questionnaires = [(i["path"], i["sha256"]) for i in inputs if i["role"] == "questionnaire"]
    assert questionnaires == [
        ("ext.yaml", hashlib.sha256((workspace / "ext.yaml").read_bytes()).hexdigest()),
        ("../shared/mini.yaml", hashlib.sha256(MINI.read_bytes()).hexdigest()),
    ]
    base.write_bytes(MINI.read_bytes() + b"# the shared model changed\n")
    result = cli("verify", pdf, "--workspace", workspace)
    assert "../shared/mini.yaml changed since the report was made" in result.stdout


def test_a_file_that_is_not_a_report_exits_2(cli, tmp_path):
    import weasyprint

    plain = tmp_path / "plain.pdf"
    plain.write_bytes(weasyprint.HTML(string="<p>hello</p>").write_pdf())
    result = cli("verify", plain)
    assert result.exit_code == 2
    assert f"{plain}: not a report made by cmmm-assess" in result.stderr
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    result = cli("verify", text)
    assert result.exit_code == 2
    assert f"{text}: not a PDF" in result.stderr


# --- keys ------------------------------------------------------------------------------------


def test_keygen_writes_a_private_encrypted_key_and_a_labelled_certificate(cli, made, tmp_path):
    from cryptography import x509

    key, cert = tmp_path / "k.pem", tmp_path / "c.pem"
    secret = "correct horse battery"
    env = {"ASSESS_KEY_PASSPHRASE": secret}
    result = cli("keygen", "--name", "Ann Auditor", "--key-out", key, "--cert-out", cert, env=env)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    assert b"ENCRYPTED PRIVATE KEY" in key.read_bytes()
    certificate = x509.load_pem_x509_certificate(cert.read_bytes())
    assert certificate.subject == certificate.issuer
    assert "Self-signed" in certificate.subject.rfc4514_string()
    assert secret not in result.output
    # The key signs with the passphrase from the environment; verify labels it self-signed.
    signed = tmp_path / "signed.pdf"
    source = tmp_path / "r.pdf"
    source.write_bytes(made["unsigned"])
    result = cli("sign", source, "--key", key, "--cert", cert, "-o", signed, env=env)
    assert result.exit_code == 0, result.output
    assert secret not in result.output
    result = cli("verify", signed, "--trust", cert)
    assert result.exit_code == 0, result.output
    assert "SELF-SIGNED certificate" in result.stdout
    # Never overwrites.
    again = cli("keygen", "--name", "X", "--key-out", key, "--cert-out", tmp_path / "d.pem")
    assert again.exit_code == 2 and "never overwrites" in again.stderr


def test_an_encrypted_key_without_its_passphrase_is_refused_clearly(cli, made, tmp_path):
    key, cert = tmp_path / "k.pem", tmp_path / "c.pem"
    env = {"ASSESS_KEY_PASSPHRASE": "pw-one"}
    assert (
        cli("keygen", "--name", "A", "--key-out", key, "--cert-out", cert, env=env).exit_code == 0
    )
    source = tmp_path / "r.pdf"
    source.write_bytes(made["unsigned"])
    result = cli("sign", source, "--key", key, "--cert", cert, env={"ASSESS_KEY_PASSPHRASE": ""})
    assert result.exit_code == 2
    assert "protected by a passphrase" in result.stderr
    wrong = cli("sign", source, "--key", key, "--cert", cert, env={"ASSESS_KEY_PASSPHRASE": "x"})
    assert wrong.exit_code == 2 and "wrong passphrase" in wrong.stderr
    assert "BEGIN" not in result.output + wrong.output


def test_an_ecdsa_key_is_refused_because_it_would_make_the_pdf_2_0(cli, made, tmp_path):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "EC signer")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = tmp_path / "ec.key", tmp_path / "ec.pem"
    key_path.write_bytes(key_pem(key))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    source = tmp_path / "r.pdf"
    source.write_bytes(made["unsigned"])
    result = cli("sign", source, "--key", key_path, "--cert", cert_path)
    assert result.exit_code == 2
    assert "not an RSA key" in result.stderr and "PDF/A-3" in result.stderr


def test_without_pyhanko_the_commands_say_how_to_install_it(cli, made, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pyhanko.sign", None)  # import pyhanko.sign now fails
    path = made["root"] / "nohanko.pdf"
    path.write_bytes(made["signed"])
    result = cli("verify", path, "--trust", made["cert"])
    assert result.exit_code == 3
    assert "pip install 'cmmm-assess[sign]'" in result.stderr
    result = cli("sign", path, "--key", made["key"], "--cert", made["cert"], "--field", "X")
    assert result.exit_code == 3


def test_without_weasyprint_signing_says_which_libraries_to_install(cli, made, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint now fails
    source = made["root"] / "noweasy.pdf"
    source.write_bytes(made["unsigned"])
    result = cli("sign", source, "--key", made["key"], "--cert", made["cert"])
    assert result.exit_code == 3
    assert "cannot load WeasyPrint" in result.stderr and "libpango" in result.stderr
    assert not source.with_suffix(".signed.pdf").exists()
