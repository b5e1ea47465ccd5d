"""No output of the tool holds a fragment of a private key it read.

A corpus of keys is made here (RSA, EC and Ed25519; PEM, traditional and PKCS#8, PKCS#8
encrypted, OpenSSH, PKCS#12 with and without a password, a JKS made by keytool when there is
one; Kubernetes Secrets with the key in ``data`` and in ``stringData``, and broken Secrets whose
YAML syntax error is on the ``tls.key`` line, where the parser's message used to quote the
key). The corpus is scanned, imported in every format, scored, reported and exported as a CBOM;
then every output (bundles, the CBOM, result documents, the HTML and PDF reports with every PDF
stream decompressed and every attachment, the roadmap exports, the manifest, stdout and stderr
of every command) is searched for every 16-character window of every encoding of every key
(base64 of the DER, the base64 of the PEM text as a Secret's ``data`` holds it, hex) and every
16-byte window of the DER itself. Windows that also occur in public material (the certificates,
the public keys) are not secrets and are left out.
"""

from __future__ import annotations

import base64
import io
import shutil
import subprocess
import zipfile
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from certgen import key_pem, new_key
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from factories import write_yaml

WINDOW = 16
PASSWORD = "corpus-pass"
KEYTOOL = shutil.which("keytool")


def windows(data: bytes, size: int = WINDOW) -> set[bytes]:
    return {data[i : i + size] for i in range(len(data) - size + 1)}


def secret_forms(key) -> list[bytes]:
    """What a key looks like in the files and in any output that would betray it."""
    forms = []
    for private_format in (
        serialization.PrivateFormat.PKCS8,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.PrivateFormat.Raw,
    ):
        try:
            encoding = (
                serialization.Encoding.Raw
                if private_format is serialization.PrivateFormat.Raw
                else serialization.Encoding.DER
            )
            der = key.private_bytes(encoding, private_format, serialization.NoEncryption())
        except (ValueError, TypeError):
            continue  # Ed25519 has no traditional form; RSA and EC no raw one
        forms += [der, base64.b64encode(der), der.hex().encode(), der.hex().upper().encode()]
    pem = key_pem(key)
    forms.append(base64.b64encode(pem)[40:-60])  # a Secret's data, header and footer aside
    openssh = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.OpenSSH,
        serialization.NoEncryption(),
    )
    forms.append(b"".join(openssh.splitlines()[1:-1]))
    return forms


def public_forms(*items) -> list[bytes]:
    forms = []
    for item in items:
        der = (
            item.public_bytes(serialization.Encoding.DER)
            if hasattr(item, "fingerprint")
            else item.public_bytes(
                serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
        forms += [der, base64.b64encode(der), der.hex().encode(), der.hex().upper().encode()]
    return forms


class Fragments:
    """The windows of every key, public windows removed, and where an output holds one."""

    def __init__(self, keys: Iterable, public: Iterable) -> None:
        self.secret: set[bytes] = set()
        for key in keys:
            for form in secret_forms(key):
                self.secret |= windows(form)
        shared = set()
        for form in public_forms(*public):
            shared |= windows(form)
        self.secret -= shared

    def found_in(self, data: bytes) -> list[bytes]:
        return [
            data[i : i + WINDOW] for i in range(len(data)) if data[i : i + WINDOW] in self.secret
        ]


def secret_yaml(name: str, section: str, certificate: bytes, key: bytes, *, broken: bool) -> str:
    """A Kubernetes TLS Secret; ``broken`` puts a YAML syntax error on the tls.key line."""
    head = (
        "apiVersion: v1\nkind: Secret\ntype: kubernetes.io/tls\n"
        f"metadata:\n  name: {name}\n  namespace: prod\n{section}:\n"
    )
    if section == "data":
        crt, encoded = base64.b64encode(certificate).decode(), base64.b64encode(key).decode()
        if broken:  # a colon in the middle of the value: "mapping values are not allowed"
            encoded = encoded[:70] + ": " + encoded[70:]
        return head + f"  tls.crt: {crt}\n  tls.key: {encoded}\n"
    indented = "".join(f"    {line}\n" for line in certificate.decode().splitlines())
    key_lines = key.decode().splitlines()
    if broken:  # a line of the key indented less than the block it belongs to
        key_lines[2] = key_lines[2][:1] + "\t" + key_lines[2][1:]
        body = "".join(f"    {line}\n" for line in key_lines[:2])
        body += f"  {key_lines[2]}\n" + "".join(f"    {line}\n" for line in key_lines[3:])
    else:
        body = "".join(f"    {line}\n" for line in key_lines)
    return head + f"  tls.crt: |\n{indented}  tls.key: |\n{body}"


@pytest.fixture(scope="module")
def corpus(pki, tmp_path_factory):
    """The key files, the keys, and the public material beside them."""
    folder = tmp_path_factory.mktemp("key-corpus")
    keys = []
    public = [pki.root.cert, pki.intermediate.cert]

    def leaf(name: str, kind: str):
        made = pki.leaf(f"{name}.example.test", key=kind if kind != "ed25519" else "p256")
        public.append(made.cert)
        return made

    for kind in ("rsa2048", "p256", "ed25519"):
        key = new_key(kind)
        keys.append(key)
        public.append(key.public_key())
        pem_dir = folder / "pem" / kind
        pem_dir.mkdir(parents=True)
        (pem_dir / "pkcs8.key").write_bytes(key_pem(key))
        (pem_dir / "pkcs8-encrypted.key").write_bytes(key_pem(key, PASSWORD.encode()))
        if kind != "ed25519":
            (pem_dir / "traditional.key").write_bytes(
                key.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.TraditionalOpenSSL,
                    serialization.NoEncryption(),
                )
            )
        (pem_dir / "id_openssh").write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.OpenSSH,
                serialization.NoEncryption(),
            )
        )
        pem = key_pem(key)
        (pem_dir / "torn.key").write_bytes(pem[: len(pem) * 3 // 4])  # a PEM block cut short
        # Secrets: the key in data and in stringData, whole and broken on its line.
        made = leaf(f"k8s-{kind}", kind)
        keys.append(made.key)
        for section in ("data", "stringData"):
            for broken in (False, True):
                name = f"{section}-{'broken' if broken else 'ok'}"
                (folder / "k8s").mkdir(exist_ok=True)
                (folder / "k8s" / f"{kind}-{name}.yaml").write_text(
                    secret_yaml(name, section, made.pem, made.key_pem, broken=broken)
                )
    stores = folder / "stores"
    stores.mkdir()
    for name, password in (("open", None), ("given", PASSWORD), ("unknown", "nobody-knows")):
        made = leaf(f"p12-{name}", "rsa2048")
        keys.append(made.key)
        encryption = (
            serialization.BestAvailableEncryption(password.encode())
            if password
            else serialization.NoEncryption()
        )
        (stores / f"{name}.p12").write_bytes(
            pkcs12.serialize_key_and_certificates(
                name.encode(), made.key, made.cert, [pki.intermediate.cert], encryption
            )
        )
    if KEYTOOL is not None:
        subprocess.run(
            [
                *(KEYTOOL, "-importkeystore", "-srckeystore", str(stores / "given.p12")),
                *("-srcstoretype", "PKCS12", "-srcstorepass", PASSWORD),
                *("-destkeystore", str(stores / "given.jks"), "-deststoretype", "JKS"),
                *("-deststorepass", PASSWORD, "-noprompt"),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    return folder, Fragments(keys, public)


def test_the_fragments_find_the_keys_in_the_corpus_itself(corpus):
    """The search can fail: every key file holds fragments (the encrypted ones aside)."""
    folder, fragments = corpus
    for path in folder.rglob("*"):
        if path.is_file() and "encrypted" not in path.name and path.suffix not in {".jks"}:
            if path.parent.name == "stores" and path.name != "open.p12":
                continue  # the key is encrypted inside
            assert fragments.found_in(path.read_bytes()), path


def outputs_of(folder: Path) -> Iterator[tuple[str, bytes]]:
    """Every file under ``folder``, PDF streams decompressed and attachments, zip members."""
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        yield str(path), data
        if path.suffix == ".pdf":
            yield from _pdf_parts(path, data)
        if data[:4] == b"PK\x03\x04":  # XLSX and other zip files
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for member in archive.namelist():
                    yield f"{path}!{member}", archive.read(member)


def _pdf_parts(path: Path, data: bytes) -> Iterator[tuple[str, bytes]]:
    from pypdf import PdfReader
    from pypdf.generic import IndirectObject, StreamObject

    reader = PdfReader(io.BytesIO(data))
    numbers = {n for table in reader.xref.values() for n in table} | set(reader.xref_objStm)
    for number in sorted(numbers):
        found = reader.get_object(IndirectObject(number, 0, reader))
        if isinstance(found, StreamObject):
            yield f"{path}#stream{number}", found.get_data()
    for name, contents in reader.attachments.items():
        for content in contents:
            yield f"{path}!{name}", content


@pytest.mark.slow
def test_no_output_of_scan_import_score_or_report_holds_a_key_fragment(cli, corpus, tmp_path):
    folder, fragments = corpus
    today = datetime.now(UTC).date().isoformat()
    ws = tmp_path / "ws"
    assert cli("init", ws, "--org", "Acme", "--start", today).exit_code == 0
    write_yaml(
        ws / "answers" / "jane.yaml",
        {"respondent": {"name": "Jane"}, "answers": {"INV-01": {"answer": "largely"}}},
    )
    evidence = ws / "evidence"
    elsewhere = tmp_path / "other"
    elsewhere.mkdir()
    runs = [
        cli("scan", "files", folder, "--password", PASSWORD, "--out", evidence / "files.json"),
    ]
    key_files = sorted(p for p in folder.rglob("*") if p.is_file())
    for number, path in enumerate(key_files):
        for format_name in ("sslyze", "testssl", "crtsh", "cbom"):
            out = elsewhere / f"import{number}-{format_name}.json"
            runs.append(cli("evidence", "import", path, "--format", format_name, "--out", out))
        # CSV: a file whose first line is the key is test_a_csv_import_... below.
        if not path.read_bytes().startswith((b"LS0t", b"MII")):
            out = elsewhere / f"import{number}-csv.json"
            runs.append(cli("evidence", "import", path, "--format", "csv", "--out", out))
    runs += [
        cli("score", ws, "--at", today),
        cli("score", ws, "--json", "--at", today),
        cli(
            "report",
            ws,
            *("--format", "html", "--format", "pdf", "--format", "json"),
            *("--format", "roadmap-csv", "--format", "roadmap-xlsx", "--format", "manifest"),
            *("--at", today),
        ),
        cli("report", ws, "--redact", "--format", "html", "--format", "json", "--at", today),
        cli("export", "cbom", ws, "--out", elsewhere / "inventory.cbom.json"),
    ]
    assert runs[0].exit_code == 0, runs[0].output
    assert all(run.exit_code in (0, 2) for run in runs), [r.output for r in runs]
    bundle = (evidence / "files.json").read_text()
    assert bundle.count('"encrypted"') >= 15, "the keys were found (so the test can fail)"
    assert "invalid YAML" in bundle, "the broken Secrets were read and reported"
    cbom = (elsewhere / "inventory.cbom.json").read_text()
    assert cbom.count('"private-key"') >= 15, "the CBOM lists the key files (so it can fail)"
    leaks = {}
    for name, data in [
        *((f"run{i}.stdout", r.stdout.encode()) for i, r in enumerate(runs)),
        *((f"run{i}.stderr", r.stderr.encode()) for i, r in enumerate(runs)),
        *outputs_of(ws),
        *outputs_of(elsewhere),
    ]:
        if found := fragments.found_in(data):
            leaks[name] = found[:3]
    assert leaks == {}
    assert (ws / "reports").is_dir() and any((ws / "reports").glob("*.pdf"))


def test_the_message_for_a_broken_secret_names_line_and_column_only(corpus, tmp_path, cli):
    folder, fragments = corpus
    out = tmp_path / "broken.json"
    broken = sorted((folder / "k8s").glob("*-broken.yaml"))
    assert cli("scan", "files", *broken, "--out", out).exit_code == 0
    text = out.read_text()
    for path in broken:
        if "-data-" in path.name:  # stringData's PEM is read as PEM when the YAML breaks
            assert f'"location":"{path}","status":"error","error":"invalid YAML (line ' in text
    assert fragments.found_in(text.encode()) == []


def test_a_csv_import_of_a_file_whose_first_line_is_a_key_quotes_no_fragment(corpus, tmp_path, cli):
    folder, fragments = corpus
    key_file = next((folder / "pem" / "p256").glob("pkcs8.key"))
    encoded = tmp_path / "tls.key.b64"
    encoded.write_bytes(base64.b64encode(key_file.read_bytes()) + b"\n")
    result = cli("evidence", "import", encoded, "--format", "csv", "--out", tmp_path / "x.json")
    assert result.exit_code == 2
    assert fragments.found_in(result.stderr.encode()) == []
