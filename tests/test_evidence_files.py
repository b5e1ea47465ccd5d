"""The file scanner over a tree of certificate files made in the test: PEM with garbage, DER,
PKCS#7, PKCS#12 with and without passwords, keys, Kubernetes secrets, loops and special files."""

from __future__ import annotations

import base64
import json
import os
from datetime import timedelta

import pytest
from certgen import key_pem, new_key
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7, pkcs12

from assess.evidence.bundles import write_bundle
from assess.evidence.filescan.content import scan_bytes
from assess.evidence.filescan.scanner import FileScanner
from assess.model.bundle import KeyRecord, KeyType, Observation, ObservationStatus

PASSWORD = "s3cret-pass"


def k8s_secret(name: str, cert_pem: bytes, key: bytes, annotations: dict[str, str]) -> str:
    lines = [
        "apiVersion: v1",
        "kind: Secret",
        "type: kubernetes.io/tls",
        "metadata:",
        f"  name: {name}",
        "  namespace: shop",
    ]
    if annotations:
        lines.append("  annotations:")
        lines += [f"    {k}: {v}" for k, v in annotations.items()]
    lines += [
        "data:",
        f"  tls.crt: {base64.b64encode(cert_pem).decode()}",
        f"  tls.key: {base64.b64encode(key).decode()}",
    ]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def tree(pki, tmp_path_factory):
    """Files made from known certificates; returns (root, what was made)."""
    root = tmp_path_factory.mktemp("files")
    leaf = pki.leaf("www.example.test")
    der_leaf = pki.leaf("der.example.test", key="rsa2048")
    p12_none = pki.leaf("p12-none.example.test")
    p12_pass = pki.leaf("p12-pass.example.test", key="rsa2048")
    p12_unknown = pki.leaf("p12-unknown.example.test")
    k8s = pki.leaf("shop.example.test")
    plain_key = new_key("p256")
    encrypted_key = new_key("rsa2048")
    made = {
        "leaf": leaf,
        "der": der_leaf,
        "p12_none": p12_none,
        "p12_pass": p12_pass,
        "k8s": k8s,
        "plain_key": plain_key,
        "encrypted_key": encrypted_key,
        "keys": [
            leaf.key,
            der_leaf.key,
            p12_none.key,
            p12_pass.key,
            p12_unknown.key,
            k8s.key,
            plain_key,
            encrypted_key,
        ],
    }
    web = root / "etc" / "web"
    web.mkdir(parents=True)
    (web / "chain.pem").write_bytes(
        b"Certificate chain for www\nsubject=CN=www\n"
        + leaf.pem
        + b"\nsome garbage\n"
        + pki.intermediate.pem
        + b"trailing text"
    )
    (web / "server.key").write_bytes(key_pem(plain_key))
    (web / "server.key").chmod(0o644)
    (web / "backup.key").write_bytes(key_pem(encrypted_key, b"key-pass"))
    (web / "backup.key").chmod(0o600)
    (web / "leaf.der").write_bytes(der_leaf.der)
    (web / "bundle.p7b").write_bytes(
        pkcs7.serialize_certificates([leaf.cert, pki.intermediate.cert], serialization.Encoding.DER)
    )
    (web / "bundle-pem.p7c").write_bytes(
        pkcs7.serialize_certificates([pki.intermediate.cert], serialization.Encoding.PEM)
    )
    stores = root / "stores"
    stores.mkdir()
    for name, cert, password in (
        ("none.p12", p12_none, None),
        ("given.pfx", p12_pass, PASSWORD.encode()),
        ("unknown.p12", p12_unknown, b"nobody-knows"),
    ):
        encryption = (
            serialization.BestAvailableEncryption(password)
            if password
            else serialization.NoEncryption()
        )
        (stores / name).write_bytes(
            pkcs12.serialize_key_and_certificates(
                name.encode(), cert.key, cert.cert, [pki.intermediate.cert], encryption
            )
        )
    k8s_dir = root / "k8s"
    k8s_dir.mkdir()
    (k8s_dir / "secrets.yaml").write_text(
        k8s_secret(
            "shop-tls",
            k8s.chain_pem(),
            key_pem(k8s.key),
            {
                "cert-manager.io/issuer-name": "letsencrypt-prod",
                "cert-manager.io/issuer-kind": "ClusterIssuer",
            },
        )
        + "---\n"
        + "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other}\ndata: {a: b}\n"
    )
    (k8s_dir / "broken.yaml").write_text("kind: Secret\ndata:\n  tls.crt: [unclosed\n")
    junk = root / "junk"
    junk.mkdir()
    (junk / "README.txt").write_text("nothing to see here\n")
    (junk / "corrupt.pem").write_bytes(
        b"-----BEGIN CERTIFICATE-----\nTm90IGEgY2VydA==\n-----END CERTIFICATE-----\n"
    )
    (junk / "truncated.crt").write_bytes(leaf.der[:100])
    (junk / "loop").symlink_to(root)  # a symlink loop back to the top
    os.mkfifo(junk / "pipe.pem")  # a special file with a certificate name
    return root, made


@pytest.fixture(scope="module")
def scanned(tree, made_at):
    root, _ = tree
    items: list[Observation | KeyRecord] = []
    FileScanner([root], passwords=["wrong", PASSWORD], now=made_at).collect(items.append)
    observations = {o.location: o for o in items if isinstance(o, Observation)}
    keys = {k.location: k for k in items if isinstance(k, KeyRecord)}
    return root, observations, keys, items


def test_pem_with_garbage_around_is_read_in_order(scanned, tree, pki):
    root, observations, _, _ = scanned
    _, made = tree
    chain = observations[str(root / "etc/web/chain.pem")]
    assert chain.status is ObservationStatus.OK
    assert [c.sha256 for c in chain.certificates] == [made["leaf"].sha256, pki.intermediate.sha256]
    assert chain.certificates[0].is_ca is False and chain.certificates[1].is_ca is True
    assert chain.certificates[0].not_after == made["leaf"].not_after


def test_der_and_pkcs7(scanned, tree, pki):
    root, observations, _, _ = scanned
    _, made = tree
    der = observations[str(root / "etc/web/leaf.der")]
    assert [c.sha256 for c in der.certificates] == [made["der"].sha256]
    assert der.certificates[0].key_type == KeyType.RSA and der.certificates[0].key_size == 2048
    p7b = observations[str(root / "etc/web/bundle.p7b")]
    assert {c.sha256 for c in p7b.certificates} == {made["leaf"].sha256, pki.intermediate.sha256}
    p7c = observations[str(root / "etc/web/bundle-pem.p7c")]
    assert [c.sha256 for c in p7c.certificates] == [pki.intermediate.sha256]


def test_pkcs12_passwords_none_then_empty_then_given(scanned, tree, pki):
    root, observations, keys, _ = scanned
    _, made = tree
    none = observations[str(root / "stores/none.p12")]
    assert [c.sha256 for c in none.certificates] == [
        made["p12_none"].sha256,
        pki.intermediate.sha256,
    ]
    assert keys[str(root / "stores/none.p12")].encrypted is False
    given = observations[str(root / "stores/given.pfx")]
    assert given.certificates[0].sha256 == made["p12_pass"].sha256
    key = keys[str(root / "stores/given.pfx")]
    assert key.encrypted is True and (key.key_type, key.key_size) == (KeyType.RSA, 2048)
    unknown = observations[str(root / "stores/unknown.p12")]
    assert unknown.status is ObservationStatus.ERROR
    assert (unknown.error or "").startswith("a PKCS#12 file none of the passwords opened")
    assert "2 given" in (unknown.error or "")


def test_private_keys_are_location_type_protection_and_mode_only(scanned):
    root, _, keys, _ = scanned
    plain = keys[str(root / "etc/web/server.key")]
    assert (plain.encrypted, plain.mode, plain.key_type, plain.key_size) == (
        False,
        "0644",
        KeyType.EC,
        256,
    )
    encrypted = keys[str(root / "etc/web/backup.key")]
    assert (encrypted.encrypted, encrypted.mode) == (True, "0600")
    assert encrypted.key_type is None  # not decrypted to find out


def test_kubernetes_secret_with_cert_manager_markers(scanned, tree, pki):
    root, observations, keys, _ = scanned
    _, made = tree
    where = f"{root / 'k8s/secrets.yaml'}#shop/shop-tls"
    secret = observations[where]
    assert [c.sha256 for c in secret.certificates] == [made["k8s"].sha256, pki.intermediate.sha256]
    assert secret.automation == (
        "cert-manager",
        "cert-manager.io/issuer-kind=ClusterIssuer",
        "cert-manager.io/issuer-name=letsencrypt-prod",
    )
    assert secret.certificates[0].automation == secret.automation
    assert secret.certificates[1].automation == ()
    key = keys[f"{where}/tls.key"]
    assert key.encrypted is False and key.key_type == KeyType.EC
    broken = observations[str(root / "k8s/broken.yaml")]
    assert broken.status is ObservationStatus.ERROR and "invalid YAML" in (broken.error or "")


def test_bad_files_are_errors_plain_files_and_loops_are_skipped_special_files_said_so(scanned):
    root, observations, _, items = scanned
    corrupt = observations[f"{root / 'junk/corrupt.pem'}#1"]
    assert corrupt.status is ObservationStatus.ERROR and "CERTIFICATE block" in (
        corrupt.error or ""
    )
    truncated = observations[str(root / "junk/truncated.crt")]
    assert truncated.status is ObservationStatus.ERROR
    assert not any("README" in o for o in observations)
    pipe = observations[str(root / "junk/pipe.pem")]
    assert pipe.error == "skipped: a named pipe, not a regular file (only regular files are read)"
    assert not any("/loop/" in o for o in observations), "the symlink loop is not followed twice"
    locations = [i.location for i in items if isinstance(i, Observation)]
    assert len(locations) == len(set(locations)), "every file read once"


def test_named_files_always_answer(tmp_path):
    readme = tmp_path / "README.txt"
    readme.write_text("no certificates\n")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    items: list[Observation | KeyRecord] = []
    FileScanner([readme, fifo, tmp_path / "missing.pem"]).collect(items.append)
    assert [(i.location, i.status) for i in items if isinstance(i, Observation)] == [
        (str(readme), ObservationStatus.ERROR),
        (str(fifo), ObservationStatus.ERROR),
        (str(tmp_path / "missing.pem"), ObservationStatus.ERROR),
    ]


def test_certbot_lineage_is_an_automation_marker(pki, tmp_path):
    live = tmp_path / "letsencrypt" / "live" / "example.test"
    leaf = pki.leaf("example.test")
    leaf.write(live, "fullchain")
    items: list[Observation | KeyRecord] = []
    FileScanner([tmp_path]).collect(items.append)
    (observation,) = [i for i in items if isinstance(i, Observation)]
    assert observation.certificates[0].automation == ("certbot",)
    assert observation.certificates[1].automation == ()


def test_trusted_certificate_label_and_openssh_keys(pki):
    body = base64.encodebytes(pki.root.der + bytes.fromhex("3003060100")).replace(b"\n", b"")
    pem = b"-----BEGIN TRUSTED CERTIFICATE-----\n" + body + b"\n-----END TRUSTED CERTIFICATE-----\n"
    (observation,) = scan_bytes(pem, "trusted.pem")
    assert isinstance(observation, Observation)
    assert observation.certificates[0].sha256 == pki.root.sha256
    ssh = new_key("ed25519").private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.OpenSSH,
        serialization.NoEncryption(),
    )
    (key,) = scan_bytes(ssh, "id_ed25519", mode="0600")
    assert isinstance(key, KeyRecord)
    assert (key.encrypted, key.key_type) == (False, KeyType.ED25519)

    # An encrypted OpenSSH key names its cipher after the magic (PROTOCOL.key in OpenSSH);
    # built by hand: cryptography needs bcrypt to write one.
    def string(value: bytes) -> bytes:
        return len(value).to_bytes(4, "big") + value

    raw = b"openssh-key-v1\x00" + string(b"aes256-ctr") + string(b"bcrypt") + string(b"salt")
    body = base64.encodebytes(raw + bytes(64))
    protected = (
        b"-----BEGIN OPENSSH PRIVATE KEY-----\n" + body + b"-----END OPENSSH PRIVATE KEY-----\n"
    )
    (key,) = scan_bytes(protected, "id_protected")
    assert isinstance(key, KeyRecord) and key.encrypted is True


def test_cli_scan_files_bundle(cli, tree, tmp_path):
    root, made = tree
    out = tmp_path / "ws" / "evidence" / "files.json"
    result = cli("scan", "files", root, "--password", PASSWORD, "--out", out)
    assert result.exit_code == 0, result.output
    bundle = json.loads(out.read_text())
    assert bundle["collector"] == "files"
    assert "private keys (location and protection only)" in result.stdout
    assert PASSWORD not in out.read_text()
    leaf_days = made["leaf"].not_after - made["leaf"].not_before
    assert leaf_days == timedelta(days=90)


def test_cli_scan_files_refuses_a_path_that_does_not_exist(cli, tmp_path):
    out = tmp_path / "files.json"
    result = cli("scan", "files", tmp_path, tmp_path / "typo", "--out", out)
    assert result.exit_code == 2
    assert f"{tmp_path / 'typo'}: no such file or folder" in result.stderr
    assert not out.exists()


def test_dangling_links_matter_only_for_certificate_names(tmp_path):
    (tmp_path / "modules.conf").symlink_to(tmp_path / "gone.conf")
    (tmp_path / "site.pem").symlink_to(tmp_path / "gone.pem")
    (tmp_path / "CA.pl").write_text('print "-----BEGIN CERTIFICATE-----";\n')
    items: list[Observation | KeyRecord] = []
    FileScanner([tmp_path]).collect(items.append)
    assert [(i.location, i.status) for i in items if isinstance(i, Observation)] == [
        (str(tmp_path / "site.pem"), ObservationStatus.ERROR)
    ]


def test_worker_processes_write_the_bundle_one_process_writes(tree, made_at, tmp_path):
    root, _ = tree
    alone, shared = tmp_path / "alone.json", tmp_path / "shared.json"
    write_bundle(alone, FileScanner([root], passwords=[PASSWORD], now=made_at, workers=1))
    scanner = FileScanner([root], passwords=[PASSWORD], now=made_at, workers=2, chunk_size=2)
    write_bundle(shared, scanner)
    assert shared.read_bytes() == alone.read_bytes()
