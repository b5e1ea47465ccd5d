"""Post-quantum, composite and unknown-algorithm certificates are inventoried, never errors.

Expected key types come from how each certificate was made (tests/data/pq/README.md, the
cryptography_vectors files' own names, the ML-DSA certificates built here), not from the
scanner. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import cryptography
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from tlsservers import ThreadServer, tls_handler

from assess.evidence.endpoints import parse_target
from assess.evidence.filescan.scanner import FileScanner
from assess.evidence.importers.exports import key_type_of
from assess.evidence.metrics import Evidence, compute_metrics, is_weak_key
from assess.evidence.tls import TlsScanner, TrustStore
from assess.inputs.schedule import load_schedule
from assess.model import algorithms
from assess.model.bundle import (
    BundleTool,
    CertificateRecord,
    EvidenceBundle,
    KeyRecord,
    Observation,
    ObservationStatus,
)
from assess.model.evidence import MetricId

PQ = Path(__file__).parent / "data" / "pq"
vectors = pytest.importorskip("cryptography_vectors")
VECTORS = Path(vectors.__file__).parent / "x509" / "custom"
NOW = datetime(2026, 11, 2, tzinfo=UTC)
CRYPTOGRAPHY = tuple(int(part) for part in cryptography.__version__.split(".")[:2])


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def mldsa_ca(days: int = 365) -> tuple[x509.Certificate, object]:
    """A self-signed ML-DSA-65 CA made with cryptography ≥ 48 (skips below)."""
    mldsa = pytest.importorskip("cryptography.hazmat.primitives.asymmetric.mldsa")
    if not hasattr(mldsa, "MLDSA65PrivateKey"):
        pytest.skip("cryptography without ML-DSA keys")
    key = mldsa.MLDSA65PrivateKey.generate()
    try:
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name("PQ Root"))
            .issuer_name(_name("PQ Root"))
            .public_key(key.public_key())
            .serial_number(0x5EED)
            .not_valid_before(NOW - timedelta(days=1))
            .not_valid_after(NOW + timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
        )
        cert = builder.sign(key, None)
    except TypeError:  # cryptography 48 loads ML-DSA keys but cannot put them in certificates
        pytest.skip(f"cryptography {cryptography.__version__} cannot make ML-DSA certificates")
    return cert, key


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """A folder as an estate in transition might hold: ML-DSA, ML-KEM, SLH-DSA, composite,
    a GOST-like unknown key, a certificate whose common name is not valid UTF-8."""
    where = tmp_path_factory.mktemp("pq")
    for file in PQ.glob("*.der"):
        shutil.copy(file, where / file.name)
    # cryptography_vectors: a yaSSL certificate whose key OID 1.3.6.1.4.1.8432.1.1.2 no one
    # knows, and a certificate whose UTF8String common name holds invalid UTF-8.
    shutil.copy(VECTORS / "unsupported_subject_public_key_info.pem", where / "unknown_key.pem")
    shutil.copy(VECTORS / "invalid_utf8_common_name.pem", where / "bad_name.pem")
    return where


@pytest.fixture(scope="module")
def scanned(folder) -> dict[str, CertificateRecord]:
    items: list[Observation | KeyRecord] = []
    FileScanner([folder]).collect(items.append)
    observations = [i for i in items if isinstance(i, Observation)]
    assert [o.error for o in observations if o.status is ObservationStatus.ERROR] == []
    return {Path(o.location).name: o.certificates[0] for o in observations}


@pytest.mark.parametrize(
    ("file", "key_type", "signature", "family"),
    [
        ("mldsa65.der", "ml-dsa-65", "ml-dsa-65", "post_quantum"),
        ("mlkem768_leaf.der", "ml-kem-768", "ml-dsa-65", "post_quantum"),
        ("slhdsa_sha2_128s.der", "slh-dsa-sha2-128s", "slh-dsa-sha2-128s", "post_quantum"),
        (
            "composite_mldsa65_p256.der",
            "composite-ml-dsa-65-ecdsa-p256",
            "composite-ml-dsa-65-ecdsa-p256",
            "post_quantum",
        ),
        ("ec_key_composite_sig.der", "ec", "composite-ml-dsa-65-ecdsa-p256", "classical"),
        # openssl x509 -text names the signatures of the two vectors files.
        ("unknown_key.pem", "unknown", "sha1WithRSAEncryption", "unknown"),
        ("bad_name.pem", "rsa", "sha1WithRSAEncryption", "classical"),
    ],
)
def test_every_certificate_in_the_folder_is_inventoried(scanned, file, key_type, signature, family):
    record = scanned[file]
    assert record.key_type == key_type
    assert record.signature_algorithm == signature
    assert algorithms.family(record.key_type) == family
    assert record.sha256 and record.serial and record.not_before and record.not_after
    assert record.spki_sha256 is not None
    if family == "post_quantum":
        assert record.key_size is None  # the parameter set is in the name


def test_the_unknown_key_keeps_its_oid(scanned):
    assert scanned["unknown_key.pem"].key_algorithm_oid == "1.3.6.1.4.1.8432.1.1.2"
    assert scanned["mldsa65.der"].key_algorithm_oid == "2.16.840.1.101.3.4.3.18"
    assert scanned["mldsa65.der"].signature_algorithm_oid == "2.16.840.1.101.3.4.3.18"


def test_a_name_that_cannot_be_decoded_is_kept_as_rfc_4514_hex(scanned):
    # RFC 4514 §2.4: an attribute value as '#' and the hex of its BER encoding. 0x0c is
    # UTF8String, 0x10 its length, then the bytes "We heart UTF8!" and an invalid sequence.
    # Serial and dates as `openssl asn1parse` shows them (openssl x509 refuses the file).
    record = scanned["bad_name.pem"]
    assert record.serial == "df0929da94b061ba"
    assert record.not_before == datetime(2015, 1, 18, 3, 53, 54, tzinfo=UTC)
    assert record.key_size == 2048
    assert record.subject == "2.5.4.3=#0c105765206865617274205554463821e284"
    assert record.subject.startswith("2.5.4.3=#0c10" + b"We heart UTF8!".hex())
    assert record.issuer == record.subject
    assert record.self_signed is False  # names that cannot be compared are not judged


def test_an_ml_dsa_certificate_made_here_is_counted_post_quantum(tmp_path):
    cert, _ = mldsa_ca()
    (tmp_path / "root.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    items: list[Observation | KeyRecord] = []
    FileScanner([tmp_path]).collect(items.append)
    (observation,) = items
    assert isinstance(observation, Observation)
    (record,) = observation.certificates
    assert (record.key_type, record.serial, record.subject) == ("ml-dsa-65", "5eed", "CN=PQ Root")
    assert record.self_signed is (CRYPTOGRAPHY >= (49, 0))  # 48 cannot verify ML-DSA


def _bundle(records: list[CertificateRecord]) -> EvidenceBundle:
    return EvidenceBundle(
        collector="files",
        collected_at=NOW,
        tool=BundleTool(name="test", version="1"),
        observations=tuple(
            Observation(location=f"f{n}.pem", status=ObservationStatus.OK, certificates=(r,))
            for n, r in enumerate(records)
        ),
    )


def test_post_quantum_keys_are_not_weak_and_unknown_ones_are_not_counted(scanned):
    records = list(scanned.values())
    assert [r.key_type for r in records if is_weak_key(r) is None] == ["unknown"]
    evidence = Evidence.of([("pq.json", _bundle(records))])
    metrics = compute_metrics(evidence, date(2026, 11, 20), load_schedule().schedule)
    weak = metrics[MetricId.WEAK_KEY_SHARE]
    # Seven certificates; the PQ test certificates are leaves (no basicConstraints) and so are
    # the two vectors files; the unknown key leaves the denominator; bad_name.pem is RSA-2048.
    assert weak.denominator == 6
    assert weak.value == 0


def test_key_type_names_in_bundles_are_checked():
    record = {
        "sha256": None,
        "serial": "1",
        "subject": "CN=a",
        "issuer": "CN=a",
        "not_before": None,
        "not_after": "2027-01-01T00:00:00Z",
    }
    assert CertificateRecord.model_validate({**record, "key_type": "ml-dsa-65"}).key_type
    # A name from a later table is read, and counted as unknown.
    later = CertificateRecord.model_validate({**record, "key_type": "ml-dsa-1024"})
    assert algorithms.family(later.key_type or "") == "unknown"
    with pytest.raises(ValueError, match="not a key type"):
        CertificateRecord.model_validate({**record, "key_type": "ML DSA"})
    with pytest.raises(ValueError, match="dotted object identifier"):
        CertificateRecord.model_validate({**record, "key_algorithm_oid": "1.2.x"})


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("ML-DSA-65", "ml-dsa-65"),
        ("mldsa87", "ml-dsa-87"),
        ("2.16.840.1.101.3.4.3.20", "slh-dsa-sha2-128s"),
        ("SLH-DSA-SHAKE-256f", "slh-dsa-shake-256f"),
        ("ML-KEM-1024", "ml-kem-1024"),
        ("MLDSA65PublicKey", "ml-dsa-65"),
        ("ML-DSA", "unknown"),  # no parameter set: post-quantum, but which one is not said
        ("SLH-DSA", "unknown"),  # not DSA
        ("DSA", "dsa"),
        ("RSA", "rsa"),
        ("ECDSA_P256", "ec"),
    ],
)
def test_inventory_cells_name_post_quantum_keys(cell, expected):
    assert key_type_of(cell) == expected


def test_a_tls_server_with_an_ml_dsa_root_is_read(tmp_path):
    # The server (Python's ssl, OpenSSL 3.0 here: no ML-DSA keys of its own) presents an EC
    # leaf that an ML-DSA-65 root signed, and the root itself: OpenSSL sends certificates it
    # cannot use, the scanner must read them.
    root, root_key = mldsa_ca()
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(_name("localhost"))
        .issuer_name(root.subject)
        .public_key(leaf_key.public_key())
        .serial_number(2)
        .not_valid_before(NOW - timedelta(days=1))
        .not_valid_after(NOW + timedelta(days=47))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(root_key, None)  # type: ignore[arg-type]
    )
    chain, key, ca = tmp_path / "chain.pem", tmp_path / "key.pem", tmp_path / "ca.pem"
    chain.write_bytes(
        leaf.public_bytes(serialization.Encoding.PEM)
        + root.public_bytes(serialization.Encoding.PEM)
    )
    key.write_bytes(
        leaf_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    ca.write_bytes(root.public_bytes(serialization.Encoding.PEM))
    server = ThreadServer(tls_handler(chain, key))
    try:
        seen: list[Observation] = []
        TlsScanner(
            [parse_target(f"localhost:{server.port}")], trust=TrustStore.load([ca]), timeout=3
        ).collect(seen.append)
    finally:
        server.close()
    (observation,) = seen
    assert observation.status is ObservationStatus.OK, observation.error
    served_leaf, served_root = observation.certificates
    assert (served_leaf.key_type, served_leaf.signature_algorithm) == ("ec", "ml-dsa-65")
    assert served_root.key_type == "ml-dsa-65"
    assert observation.hostname_match is True
    # cryptography verifies ML-DSA chains from 50 (49 refuses the key: "Forbidden public key
    # algorithm"); before, the chain is judged not to validate, with the reason, never a crash.
    assert observation.trusted is (CRYPTOGRAPHY >= (50, 0))
