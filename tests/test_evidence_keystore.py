"""Java keystores made by the real keytool (skipped without a JDK): certificates read by alias,
private-key entries recorded as encrypted keys, damaged files recorded as errors.

The keystores hold certificates made by certgen, imported with keytool, so the expected
fingerprints, names and key facts come from how the certificates were made."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from assess.evidence.filescan.content import scan_bytes
from assess.evidence.filescan.keystore import KeystoreError, read_keystore
from assess.model.bundle import KeyRecord, KeyType, Observation, ObservationStatus

KEYTOOL = shutil.which("keytool")
STORE_PASSWORD = "store-pass-1"
pytestmark = [
    pytest.mark.skipif(KEYTOOL is None, reason="keytool (a JDK) is not installed"),
    pytest.mark.slow,  # runs the JDK's keytool
]


def keytool(*args: str) -> None:
    assert KEYTOOL is not None
    subprocess.run([KEYTOOL, *args], check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def stores(pki, tmp_path_factory):
    """A JKS and a JCEKS file: the leaf 'app' with its key and chain, the root as a trusted
    certificate; the JCEKS file also holds two secret keys (AES, HMAC)."""
    folder = tmp_path_factory.mktemp("keystores")
    leaf = pki.leaf("app.example.test", key="rsa2048")
    p12 = folder / "app.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"app",
            leaf.key,
            leaf.cert,
            [pki.intermediate.cert],
            serialization.BestAvailableEncryption(STORE_PASSWORD.encode()),
        )
    )
    root = folder / "root.pem"
    root.write_bytes(pki.root.pem)
    paths = {}
    for kind in ("JKS", "JCEKS"):
        store = folder / f"store.{kind.lower()}"
        common = ("-storetype", kind, "-storepass", STORE_PASSWORD)
        keytool(
            "-importkeystore",
            *("-srckeystore", str(p12), "-srcstoretype", "PKCS12"),
            *("-srcstorepass", STORE_PASSWORD, "-destkeystore", str(store)),
            *("-deststoretype", kind, "-deststorepass", STORE_PASSWORD, "-noprompt"),
        )
        keytool(
            "-importcert", "-noprompt", "-alias", "root", "-file", str(root),
            "-keystore", str(store), *common,
        )  # fmt: skip
        paths[kind] = store
    for alias, algorithm in (("sk-aes", "AES"), ("sk-hmac", "HmacSHA256")):
        keytool(
            "-genseckey", "-alias", alias, "-keyalg", algorithm, "-keysize", "128",
            "-keystore", str(paths["JCEKS"]), "-storetype", "JCEKS",
            "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD,
        )  # fmt: skip
    paths["JKS"].chmod(0o640)
    return {"leaf": leaf, "root": pki.root, "intermediate": pki.intermediate, **paths}


def _scan(path) -> tuple[list[Observation], list[KeyRecord]]:
    items = scan_bytes(path.read_bytes(), str(path), mode="0640", suffix=path.suffix)
    observations = [i for i in items if isinstance(i, Observation)]
    keys = [i for i in items if isinstance(i, KeyRecord)]
    return observations, keys


def test_a_jks_file_gives_its_certificates_by_alias_and_its_key_as_encrypted(stores):
    observations, keys = _scan(stores["JKS"])
    by_location = {o.location: o for o in observations}
    where = str(stores["JKS"])
    assert set(by_location) == {f"{where}#app", f"{where}#root"}
    assert all(o.status is ObservationStatus.OK for o in observations)
    chain = [c.sha256 for c in by_location[f"{where}#app"].certificates]
    assert chain == [stores["leaf"].sha256, stores["intermediate"].sha256]
    assert [c.sha256 for c in by_location[f"{where}#root"].certificates] == [stores["root"].sha256]
    assert keys == [
        KeyRecord(
            location=f"{where}#app",
            encrypted=True,
            mode="0640",
            key_type=KeyType.RSA,
            key_size=2048,
        )
    ]


def test_jceks_entries_are_all_read_around_its_secret_keys(stores):
    # keytool writes entries in hash-table order: secret keys (serialised Java objects) may
    # come before the others, and are walked over to find them.
    observations, keys = _scan(stores["JCEKS"])
    where = str(stores["JCEKS"])
    assert all(o.status is ObservationStatus.OK for o in observations), observations
    by_location = {o.location: o for o in observations}
    assert set(by_location) == {f"{where}#app", f"{where}#root"}
    chain = [c.sha256 for c in by_location[f"{where}#app"].certificates]
    assert chain == [stores["leaf"].sha256, stores["intermediate"].sha256]
    assert [k.location for k in keys] == [f"{where}#app"]  # the secret keys are no key files
    store = read_keystore(stores["JCEKS"].read_bytes())
    assert sorted(e.alias for e in store.entries) == ["app", "root"] and store.unread is None


def test_a_damaged_secret_key_leaves_the_rest_unread_and_says_so(stores):
    data = stores["JCEKS"].read_bytes()
    start = data.index(b"\xac\xed\x00\x05")  # the first secret key's serialisation stream
    damaged = data[: start + 4] + b"\x01" + data[start + 5 :]  # no valid type code
    store = read_keystore(damaged)
    # Four entries; the first secret key comes after the entries read, and before the other
    # secret key at least, so 3 - (entries read) entries follow it.
    before = len(store.entries)
    assert before <= 2 and store.unread is not None
    after = 3 - before
    assert store.unread.startswith(f"{after} {'entry' if after == 1 else 'entries'} after the")
    assert "'sk-" in store.unread and "unexpected type code 0x01" in store.unread


def test_a_damaged_keystore_is_an_error_observation_at_every_length(stores):
    data = stores["JKS"].read_bytes()
    for end in range(4, len(data) - 20):  # the last 20 bytes are the digest, not read
        items = scan_bytes(data[:end], "cut.jks", mode=None)
        assert items, end
        assert any(
            isinstance(i, Observation) and i.status is ObservationStatus.ERROR for i in items
        )
    with pytest.raises(KeystoreError, match="version 7"):
        read_keystore(data[:4] + b"\x00\x00\x00\x07" + data[8:])


def test_any_changed_byte_of_a_jceks_file_is_read_or_reported_never_raised(stores):
    data = stores["JCEKS"].read_bytes()
    for position in range(len(data)):
        for value in (0x00, 0xFF):
            mutated = data[:position] + bytes([value]) + data[position + 1 :]
            items = scan_bytes(mutated, "flipped.jceks", mode=None)
            assert all(isinstance(i, Observation | KeyRecord) for i in items)
