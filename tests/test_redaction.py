"""`assess report --redact`: no host name, IP address, path or person name of the workspace
survives anywhere in the redacted files: page text, metadata, XMP, every decompressed stream,
every attachment, the HTML and the JSON. The sensitive values are the ones this test writes
into the workspace, so the list of what must vanish does not come from the code under test."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from report_fixtures import REPORT_DAY, mini_report_workspace, page_texts, pdf_reader, run_cli

pytestmark = pytest.mark.slow

HOSTS = ("web01.acme-internal.example", "pki.acme-internal.example", "api.acme-internal.example")
ADDRESSES = ("10.20.30.40", "2001:db8::42")
PATHS = ("/etc/pki/tls/private/web01.key", "/srv/certs/api.pem")
PEOPLE = ("Jane Doe", "Bob Roe", "Ann Auditor")
NOTE_ONLY = ("ca-old.corp.example", "192.168.7.9", "/opt/legacy/ca/root.crt")
"""Values that only appear in the respondents' notes: found by pattern, not from evidence."""
E_MAIL = "ann.auditor@acme-advisory.example"
"""The assessor's e-mail address, only in the classification label (printed on every page)."""
SENSITIVE = (
    *HOSTS,
    *ADDRESSES,
    *PATHS,
    *PEOPLE,
    *NOTE_ONLY,
    E_MAIL,
    "Jane",
    "jane-doe",
    "bob-roe",
)
IN_CAPITALS = re.compile(r"\b(?:DOE|ROE)\b")
"""A surname in capitals, as Bob's note writes Jane's ("doe" alone is in "does")."""


def _certificate(name: str, san: list[str], not_after: str) -> dict[str, object]:
    return {
        "sha256": (name.encode().hex() * 8)[:64],
        "serial": "0a",
        "subject": f"CN={name}",
        "issuer": "CN=Acme Issuing CA",
        "not_before": "2026-01-01T00:00:00Z",
        "not_after": not_after,
        "key_type": "rsa",
        "key_size": 2048,
        "signature_hash": "sha256",
        "san_dns": san,
        "self_signed": False,
    }


def _bundle() -> dict[str, object]:
    return {
        "schema": "cmmm-evidence/1",
        "collector": "tls",
        "collected_at": "2026-11-20T10:00:00Z",
        "tool": {"name": "cmmm-assess", "version": "0.1.0"},
        "scope": [f"{HOSTS[0]}:443", f"{ADDRESSES[0]}:8443"],
        "observations": [
            {
                "location": f"{HOSTS[0]}:443",
                "status": "ok",
                "kind": "endpoint",
                "server_name": HOSTS[0],
                "certificates": [_certificate(HOSTS[0], [HOSTS[0]], "2026-12-01T00:00:00Z")],
            },
            {
                "location": f"{ADDRESSES[0]}:8443",
                "status": "ok",
                "kind": "endpoint",
                "certificates": [_certificate(HOSTS[1], [HOSTS[1]], "2026-11-01T00:00:00Z")],
            },
            {
                "location": f"[{ADDRESSES[1]}]:443",
                "status": "ok",
                "kind": "endpoint",
                "certificates": [_certificate(HOSTS[1], [HOSTS[1]], "2026-11-01T00:00:00Z")],
            },
            {
                "location": PATHS[1],
                "status": "ok",
                "kind": "file",
                "certificates": [_certificate(HOSTS[2], [HOSTS[2]], "2026-11-30T00:00:00Z")],
            },
        ],
        "keys": [{"location": PATHS[0], "encrypted": False, "mode": "0644"}],
    }


ANSWERS = {
    "Jane Doe": {
        "INV-01": {
            "answer": "fully",
            "note": f"Inventory covers {HOSTS[0]} and {ADDRESSES[0]}; old root at {NOTE_ONLY[2]}",
        },
        "INV-02": {"answer": "largely", "evidence": [f"https://{HOSTS[1]}/inventory"]},
        "AUT-01": {"answer": "partially", "note": f"{NOTE_ONLY[0]} ({NOTE_ONLY[1]}) is manual"},
    },
    "Bob Roe": {
        "INV-01": {
            "answer": "partially",
            "note": f"Ask Jane about the keys in {PATHS[0]}; DOE has the list",
        },
        "INV-02": {"answer": "not"},
        "AUT-02": {"answer": "na", "reason": f"Only {ADDRESSES[1]} is public, says Jane Doe"},
    },
}


@pytest.fixture(scope="module")
def redacted(tmp_path_factory):
    root = tmp_path_factory.mktemp("redact")
    workspace = mini_report_workspace(
        root / "ws", ANSWERS, classification=f"Confidential: questions to {E_MAIL}"
    )
    (workspace / "evidence" / "tls.json").write_text(json.dumps(_bundle()), encoding="utf-8")
    # A baseline that names everyone too: the redacted copy attaches it redacted.
    baseline = workspace / "baseline" / "2026-08-28.result.json"
    baseline.parent.mkdir()
    earlier = run_cli("score", workspace, "--json", "--at", "2026-08-28")
    baseline.write_text(earlier.stdout, encoding="utf-8")
    out = root / "out"
    args = ["report", workspace, "--at", REPORT_DAY, "--redact", "-o", out, "--baseline", baseline]
    result = run_cli(*args, "-f", "pdf", "-f", "html", "-f", "json", "-f", "manifest")
    assert result.exit_code == 0, result.output
    plain = run_cli("report", workspace, "--at", REPORT_DAY, "-o", out, "-f", "json")
    assert plain.exit_code == 0, plain.output
    return {
        "workspace": workspace,
        "pdf": (out / "report-redacted.pdf").read_bytes(),
        "html": (out / "report-redacted.html").read_text(encoding="utf-8"),
        "json": (out / "result-redacted.json").read_text(encoding="utf-8"),
        "manifest": (out / "manifest-redacted.json").read_text(encoding="utf-8"),
        "unredacted": (out / "result.json").read_text(encoding="utf-8"),
    }


def _squash(text: str) -> str:
    return re.sub(r"[\s\u00ad\u2010\u2011]+", "", text).casefold()


def _leaks(text: str) -> list[str]:
    squashed = _squash(text)
    return [v for v in SENSITIVE if _squash(v) in squashed]


def test_the_fixture_really_holds_the_values(redacted):
    """Guard: the unredacted result names them, so the tests below can fail."""
    leaks = _leaks(redacted["unredacted"])
    for value in (*PEOPLE, HOSTS[0], ADDRESSES[0], NOTE_ONLY[0], PATHS[1], E_MAIL):
        assert value in leaks
    assert IN_CAPITALS.search(redacted["unredacted"])


def _stream_texts(data: bytes) -> list[str]:
    """Every stream of the PDF, decompressed, as Latin-1 and as UTF-16 text."""
    from pypdf.generic import IndirectObject, StreamObject

    reader = pdf_reader(data)
    numbers = {n for table in reader.xref.values() for n in table} | set(reader.xref_objStm)
    texts = []
    for number in sorted(numbers):
        try:
            obj = reader.get_object(IndirectObject(number, 0, reader))
        except Exception:  # free or generation-shifted entries
            continue
        if isinstance(obj, StreamObject):
            raw = obj.get_data()
            texts.append(raw.decode("latin-1"))
            texts.append(raw.decode("utf-16-be", "ignore"))
    return texts


def test_no_original_value_in_the_pdf_text_metadata_streams_or_attachments(redacted):
    data = redacted["pdf"]
    reader = pdf_reader(data)
    places: dict[str, str] = {
        "pypdfium2 text": "\n".join(page_texts(data)),
        "pypdf text": "\n".join(page.extract_text() for page in reader.pages),
        "info": json.dumps({k: str(v) for k, v in (reader.metadata or {}).items()}),
        "raw bytes": data.decode("latin-1"),
    }
    for index, text in enumerate(_stream_texts(data)):
        places[f"stream {index}"] = text
    attachments = {name: content[0] for name, content in reader.attachments.items()}
    assert sorted(attachments) == [
        "baseline.json",
        "certificate-inventory.csv",
        "forecast.json",
        "manifest.json",
        "result.json",
        "roadmap.csv",
    ]
    for name, content in attachments.items():
        places[f"attachment {name}"] = content.decode("utf-8")
    leaks = {where: found for where, text in places.items() if (found := _leaks(text))}
    assert leaks == {}
    capitals = [where for where, text in places.items() if IN_CAPITALS.search(text)]
    assert capitals == []


def test_no_original_value_in_the_html_json_or_manifest(redacted):
    for name in ("html", "json", "manifest"):
        assert _leaks(redacted[name]) == [], name
        assert not IN_CAPITALS.search(redacted[name]), name


def test_the_classification_label_keeps_its_words_and_masks_the_e_mail(redacted):
    label = json.loads(redacted["json"])["assessment"]["classification"]
    assert re.fullmatch(r"Confidential: questions to EMAIL-\d+", label)
    assert all(label in text for text in page_texts(redacted["pdf"])[2:])


def test_the_cover_and_every_footer_say_redacted(redacted):
    texts = page_texts(redacted["pdf"])
    assert "REDACTED" in texts[0]
    assert all("REDACTED" in t for t in texts[2:])
    assert '<p class="redacted-banner"><strong>REDACTED</strong>' in redacted["html"]


def test_the_same_value_gets_the_same_token_everywhere(redacted):
    result = json.loads(redacted["json"])
    names = [r["name"] for r in result["respondents"]]
    assert names == ["PERSON-3", "PERSON-2"] or sorted(names) == sorted(set(names))
    assert all(re.fullmatch(r"PERSON-\d+", n) for n in names)
    assert re.fullmatch(r"PERSON-\d+", result["assessment"]["assessors"][0])
    # Jane's note names her; Bob's note names "Jane": both carry Jane's token.
    jane = next(r["name"] for r in result["respondents"] if r["file"].endswith(".yaml"))
    practices = {p["id"]: p for d in result["dimensions"] for p in d["practices"]}
    notes = {r["respondent"]: r["note"] for r in practices["INV-01"]["respondents"]}
    jane_token = next(t for t, note in notes.items() if "Inventory covers" in note)
    bob_note = next(note for t, note in notes.items() if t != jane_token)
    assert jane_token in bob_note and jane in names
    # The host in Jane's note, the endpoint in the inventory and the highlight: one token.
    host_token = re.search(r"Inventory covers (HOST-\d+)", notes[jane_token]).group(1)
    pdf = pdf_reader(redacted["pdf"])
    inventory = pdf.attachments["certificate-inventory.csv"][0].decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(inventory)))
    assert f"{host_token}:443" in [r["location"] for r in rows]
    assert any(f"CN={host_token}" == r["subject"] for r in rows)
    # The IPv6 endpoint keeps its shape.
    assert any(re.fullmatch(r"\[IP-\d+\]:443", r["location"]) for r in rows)


def test_the_redacted_manifest_masks_paths_and_keeps_the_original_hashes(redacted):
    import hashlib

    manifest = json.loads(redacted["manifest"])
    assert manifest["is_redacted"] is True
    paths = [i["path"] for i in manifest["inputs"]]
    assert "answers/jane-doe.yaml" not in paths
    assert all(re.fullmatch(r"answers/PERSON-\d+\.yaml", p) for p in paths if "answers" in p)
    original = hashlib.sha256(
        (redacted["workspace"] / "answers" / "jane-doe.yaml").read_bytes()
    ).hexdigest()
    assert original in [i["sha256"] for i in manifest["inputs"]]


def test_a_signed_redacted_copy_verifies_against_the_workspace_by_hash(redacted, cli, tmp_path):
    pytest.importorskip("pyhanko")
    source = tmp_path / "r.pdf"
    source.write_bytes(redacted["pdf"])
    key, cert = tmp_path / "k.pem", tmp_path / "c.pem"
    made = cli("keygen", "--name", "A", "--key-out", key, "--cert-out", cert, "--no-passphrase")
    assert made.exit_code == 0, made.output
    signed = tmp_path / "s.pdf"
    # The fixture leaves practices unanswered: a draft, signed on purpose.
    made = cli("sign", source, "--key", key, "--cert", cert, "-o", signed, "--allow-draft")
    assert made.exit_code == 0, made.output
    result = cli("verify", signed, "--trust", cert, "--workspace", redacted["workspace"])
    assert result.exit_code == 0, result.output
    assert "REDACTED copy" in result.stdout
    # The path may be masked (the redactor reads 2026-08-28.result as a host name), so the
    # baseline is found by its hash; once edited, it is not.
    assert re.search(r"the baseline baseline/\S+ among them", result.stdout)
    baseline = redacted["workspace"] / "baseline" / "2026-08-28.result.json"
    original = baseline.read_bytes()
    try:
        baseline.write_bytes(original + b"\n")
        result = cli("verify", signed, "--trust", cert, "--workspace", redacted["workspace"])
        assert result.exit_code == 1
        assert re.search(r"FAILED: baseline input baseline/\S+ \(sha256 ", result.stdout)
    finally:
        baseline.write_bytes(original)


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("register-2026-11-18.csv:24", ("register-2026-11-18.csv", "PATH")),  # a CSV import row
        ("web01.acme-internal.example:443", ("web01.acme-internal.example", "HOST")),
        ("10.20.30.40:8443", ("10.20.30.40", "IP")),
        ("/srv/certs/api.pem", ("/srv/certs/api.pem", "PATH")),
    ],
)
def test_an_evidence_location_is_masked_as_what_it_is(location, expected):
    from assess.integrity.redact import _split_location

    value, kind = _split_location(location)
    assert (value, kind.value) == expected


def test_a_known_surname_is_masked_in_capitals_but_not_in_lower_case():
    from assess.integrity.redact import Redactor

    redactor = Redactor()
    redactor.add_person("Will Kowalski")
    text = "KOWALSKI and Kowalski agree; WILL will check"
    assert redactor.text(text, written=True) == "PERSON-1 and PERSON-1 agree; PERSON-1 will check"


def test_e_mail_addresses_are_masked_in_every_text_and_in_a_person_s_name():
    from assess.integrity.redact import Redactor

    redactor = Redactor()
    redactor.add_person("Priya Raman <priya.raman@halden-rowe.example>")
    assert redactor.text("Priya Raman <priya.raman@halden-rowe.example>") == "PERSON-1"
    # Not a written text, still masked; the same address keeps its token.
    assert redactor.text("write to priya.raman@halden-rowe.example") == "write to EMAIL-1"
    assert redactor.text("or ops+pki@acme.example.") == "or EMAIL-2."


@pytest.mark.parametrize(
    "text",
    [
        "baseline/2026-08-28.result.json",  # a baseline's file name, as the manifest lists it
        "see tls.json and renew.sh",
        "the report.v2.pdf",
    ],
)
def test_a_file_name_is_not_taken_for_a_host_name(text):
    from assess.integrity.redact import Redactor

    assert Redactor().text(text, written=True) == text


def test_a_host_name_at_the_end_of_a_sentence_is_still_masked():
    from assess.integrity.redact import Redactor

    assert Redactor().text("Ask ca-old.corp.example. Then", written=True) == "Ask HOST-1. Then"
