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

from assess.evidence.files import scan_bytes
from assess.evidence.keystore import KeystoreError, read_keystore
from assess.model.bundle import KeyRecord, KeyType, Observation, ObservationStatus

KEYTOOL = shutil.which("keytool")
STORE_PASSWORD = "store-pass-1"
pytestmark = pytest.mark.skipif(KEYTOOL is None, reason="keytool (a JDK) is not installed")


def keytool(*args: str) -> None:
    assert KEYTOOL is not None
    subprocess.run([KEYTOOL, *args], check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def stores(pki, tmp_path_factory):
    """A JKS and a JCEKS file: the leaf 'app' with its key and chain, the root as a trusted
    certificate; the JCEKS file also holds an AES secret key."""
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
    keytool(
        "-genseckey", "-alias", "sk", "-keyalg", "AES", "-keysize", "128",
        "-keystore", str(paths["JCEKS"]), "-storetype", "JCEKS", "-storepass", STORE_PASSWORD,
        "-keypass", STORE_PASSWORD,
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


def test_a_jceks_secret_key_is_never_a_certificate_or_a_key_record(stores):
    observations, keys = _scan(stores["JCEKS"])
    where = str(stores["JCEKS"])
    read = {o.location for o in observations if o.status is ObservationStatus.OK}
    errors = [o.error or "" for o in observations if o.status is ObservationStatus.ERROR]
    # keytool writes entries in hash-table order: the secret key may come before others, and
    # a reader cannot find the end of a serialised Java object without parsing it.
    after_secret = {f"{where}#app", f"{where}#root"} - read
    assert read <= {f"{where}#app", f"{where}#root"}
    if after_secret:
        assert errors == [
            f"JCEKS keystore: {len(after_secret)} "
            f"{'entry' if len(after_secret) == 1 else 'entries'} after the secret-key entry 'sk' "
            "not read (JCEKS stores secret keys as serialised Java objects)"
        ]
    else:
        assert errors == []
    assert [k.location for k in keys] == ([f"{where}#app"] if f"{where}#app" in read else [])


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
