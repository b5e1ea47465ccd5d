"""The algorithm table: OIDs checked against cryptography's own names and the pqtest
certificates, strengths against NIST SP 800-57 Part 1 Rev. 5 Table 2 copied by hand."""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID, PublicKeyAlgorithmOID, SignatureAlgorithmOID

from assess.model import algorithms
from assess.support.errors import InputError

# SP 800-57 Part 1 Rev. 5, Table 2 ("Comparable security strengths"), read off the table:
# FFC/IFC L or k = 1024 → ≤ 80, 2048 → 112, 3072 → 128, 7680 → 192, 15360 → 256;
# ECC f = 160–223 → 80, 224–255 → 112, 256–383 → 128, 384–511 → 192, 512+ → 256.
SP800_57 = [
    ("rsa", 1024, 80),
    ("rsa", 2048, 112),
    ("rsa", 3072, 128),
    ("rsa", 4096, 128),
    ("rsa", 7680, 192),
    ("rsa", 8192, 192),
    ("rsa", 15360, 256),
    ("dsa", 1024, 80),
    ("dsa", 2048, 112),
    ("dsa", 3072, 128),
    ("ec", 192, 80),
    ("ec", 224, 112),
    ("ec", 256, 128),
    ("ec", 384, 192),
    ("ec", 521, 256),
    ("ed25519", 256, 128),
    ("ed448", 456, 224),
]


@pytest.mark.parametrize(("key_type", "size", "bits"), SP800_57)
def test_classical_strengths_are_those_of_sp_800_57(key_type, size, bits):
    assert algorithms.security_bits(key_type, size) == bits
    assert algorithms.family(key_type) == "classical"
    assert algorithms.quantum_category(key_type) == 0


def test_rsa_under_1024_bits_is_weaker_than_80():
    # FIPS 140 IG 7.5: 512-bit RSA ≈ 57 bits (x = 512·ln 2 = 354.9; (1.923·7.08·3.254 − 4.69)
    # / 0.693 = 57.1), worked by hand.
    assert algorithms.security_bits("rsa", 512) == 57
    assert algorithms.security_bits("rsa", 1023) < 80


# Post-quantum: FIPS 204 Table 1 (ML-DSA-44 category 2, -65 category 3, -87 category 5),
# FIPS 203 §8 (ML-KEM-512/768/1024: 1, 3, 5), FIPS 205 Table 2 (128* → 1, 192* → 3,
# 256* → 5); categories 1–2 compare with AES-128 / SHA-256, 3–4 with AES-192, 5 with AES-256.
POST_QUANTUM = [
    ("ml-dsa-44", 2, 128),
    ("ml-dsa-65", 3, 192),
    ("ml-dsa-87", 5, 256),
    ("ml-kem-512", 1, 128),
    ("ml-kem-768", 3, 192),
    ("ml-kem-1024", 5, 256),
    ("slh-dsa-sha2-128s", 1, 128),
    ("slh-dsa-shake-192f", 3, 192),
    ("slh-dsa-sha2-256f", 5, 256),
    ("composite-ml-dsa-65-ecdsa-p256", 3, 192),
    ("composite-ml-dsa-44-rsa2048-pss", 2, 128),
    ("composite-ml-dsa-87-ecdsa-p384", 5, 256),
]


@pytest.mark.parametrize(("key_type", "category", "bits"), POST_QUANTUM)
def test_post_quantum_strengths_follow_the_nist_category(key_type, category, bits):
    assert algorithms.family(key_type) == "post_quantum"
    assert algorithms.quantum_category(key_type) == category
    assert algorithms.security_bits(key_type, None) == bits


def test_an_unknown_key_type_has_no_family_and_no_strength():
    for name in ("unknown", "gost2012", "ml-dsa-99"):
        assert algorithms.family(name) == "unknown"
        assert algorithms.security_bits(name, 2048) is None
        assert algorithms.quantum_category(name) is None
    assert algorithms.security_bits("rsa", None) is None
    assert algorithms.key_type_of_oid("1.2.643.7.1.1.1.1") == "unknown"  # GOST R 34.10-2012


def test_the_oids_are_those_cryptography_names():
    # cryptography's OID constants are an independent source for every algorithm it knows.
    expected_keys = {
        PublicKeyAlgorithmOID.RSAES_PKCS1_v1_5: "rsa",
        PublicKeyAlgorithmOID.DSA: "dsa",
        PublicKeyAlgorithmOID.EC_PUBLIC_KEY: "ec",
        PublicKeyAlgorithmOID.ED25519: "ed25519",
        PublicKeyAlgorithmOID.ED448: "ed448",
        PublicKeyAlgorithmOID.X25519: "x25519",
        PublicKeyAlgorithmOID.X448: "x448",
    }
    for oid_name in ("ML_DSA_44", "ML_DSA_65", "ML_DSA_87", "ML_KEM_768", "ML_KEM_1024"):
        oid = getattr(PublicKeyAlgorithmOID, oid_name, None)  # cryptography ≥ 47
        if oid is not None:
            expected_keys[oid] = oid_name.lower().replace("_", "-")
    for oid, name in expected_keys.items():
        assert algorithms.key_type_of_oid(oid.dotted_string) == name
    for name, oid in vars(SignatureAlgorithmOID).items():
        if not isinstance(oid, x509.ObjectIdentifier) or name.startswith(("GOST", "UNSIGNED")):
            continue
        found = algorithms.by_oid(oid.dotted_string)
        assert found is not None, name
        assert "signature" in found.uses, name
        if "SHA" in name and not name.startswith(("ML_", "RSASSA")):
            digest = name.split("_WITH_")[1].lower().replace("_", "")
            assert found.hash == digest, name


def test_the_curves_are_those_cryptography_names():
    curves = list(algorithms.load_table().curves)
    assert curves
    for curve in curves:
        known = ec.get_curve_for_oid(x509.ObjectIdentifier(curve.oid))
        assert known.name.lower() == curve.name.lower()
        assert known.key_size == curve.size
        assert algorithms.curve_by_name(known.name) == curve


PQTEST = Path(__file__).parent / "data" / "pq"


@pytest.mark.parametrize(
    ("file", "key_type", "signature"),
    [
        ("slhdsa_sha2_128s.der", "slh-dsa-sha2-128s", "slh-dsa-sha2-128s"),
        ("composite_mldsa65_p256.der", "composite-ml-dsa-65-ecdsa-p256", None),
        ("ec_key_composite_sig.der", "ec", "composite-ml-dsa-65-ecdsa-p256"),
    ],
)
def test_hand_built_certificates_are_classified_by_their_oids(file, key_type, signature):
    cert = x509.load_der_x509_certificate((PQTEST / file).read_bytes())
    assert algorithms.key_type_of_oid(cert.public_key_algorithm_oid.dotted_string) == key_type
    found = algorithms.by_oid(cert.signature_algorithm_oid.dotted_string)
    assert found is not None
    assert found.name == (signature or key_type)


def test_an_ml_dsa_certificate_made_by_cryptography_is_post_quantum():
    mldsa = pytest.importorskip("cryptography.hazmat.primitives.asymmetric.mldsa")
    key = mldsa.MLDSA65PrivateKey.generate()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "pq.test")])
    now = datetime(2026, 11, 1, tzinfo=UTC)
    try:
        builder = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(1)
            .not_valid_before(now)
            .not_valid_after(now + timedelta(days=47))
        )
        cert = builder.sign(key, None)
    except TypeError:  # cryptography 48 loads ML-DSA keys but cannot put them in certificates
        pytest.skip("this cryptography cannot make ML-DSA certificates")
    key_type = algorithms.key_type_of_oid(cert.public_key_algorithm_oid.dotted_string)
    assert key_type == "ml-dsa-65"
    assert algorithms.family(key_type) == "post_quantum"
    signature = algorithms.by_oid(cert.signature_algorithm_oid.dotted_string)
    assert signature is not None and signature.is_post_quantum


def test_every_key_name_is_written_like_a_key_type():
    for algorithm in algorithms.algorithms():
        if "key" in algorithm.uses:
            assert algorithms.is_key_type_name(algorithm.name), algorithm.name


def _table(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "table.yaml"
    path.write_text(f"version: 1\nalgorithms:\n{rows}", encoding="utf-8")
    return path


ROW = (
    "  - {oid: 1.2.3, name: %s, label: X, family: %s, primitive: signature, uses: [key],\n"
    "     nist_category: %d, security_bits: 128, status: standard, source: test}\n"
)


def test_a_table_listing_an_oid_twice_is_refused(tmp_path):
    path = _table(tmp_path, ROW % ("a", "classical", 0) + ROW % ("b", "classical", 0))
    with pytest.raises(InputError, match=r"table\.yaml:2: algorithms: OID listed more .* 1\.2\.3"):
        algorithms.load_table(path)


def test_a_post_quantum_row_without_its_category_is_refused_at_its_line(tmp_path):
    path = _table(tmp_path, ROW % ("a", "post_quantum", 0))
    with pytest.raises(InputError, match=r"table\.yaml:3: algorithms\[0\]: .*nist_category"):
        algorithms.load_table(path)


_FILE_CALLS = {"open", "read_text", "read_bytes", "write_text", "write_bytes", "glob", "iterdir"}
_FILE_MODULES = {"files", "yamlio", "jsondoc", "resources"}


def _reads_files(source: str) -> bool:
    """True when a module calls a file method or imports a support module that reads files."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            called = node.func
            name = called.attr if isinstance(called, ast.Attribute) else getattr(called, "id", "")
            if name in _FILE_CALLS:
                return True
        if isinstance(node, ast.ImportFrom) and node.module:
            parts = node.module.split(".")
            named = {a.name for a in node.names}
            if parts[:2] == ["assess", "support"] and (
                set(parts[2:]) & _FILE_MODULES or (len(parts) == 2 and named & _FILE_MODULES)
            ):
                return True
    return False


def test_the_model_layer_reads_no_file_but_the_algorithm_table():
    """docs/architecture.md: model/ does no I/O, except algorithms.py reading its table."""
    model = Path(algorithms.__file__).parent
    readers = {p.name for p in sorted(model.glob("*.py")) if _reads_files(p.read_text())}
    assert readers == {"algorithms.py"}
    assert _reads_files("from assess.support.files import read_input\n")
    assert _reads_files("from assess.support import jsondoc\n")
    assert _reads_files("data = path.read_bytes()\n")
    assert not _reads_files("from assess.support.dates import parse_moment\n")
