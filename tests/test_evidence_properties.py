"""Mutated certificate files never crash the file scanner: they read, or they are errors."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

from certgen import Pki
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7, pkcs12
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from assess.evidence.files import scan_bytes
from assess.model.bundle import KeyRecord, Observation

_PKI = Pki.create(datetime(2026, 11, 26, tzinfo=UTC))
_LEAF = _PKI.leaf("fuzz.example.test")
_P12 = pkcs12.serialize_key_and_certificates(
    b"f",
    _LEAF.key,
    _LEAF.cert,
    [_PKI.intermediate.cert],
    serialization.BestAvailableEncryption(b"pw"),
)
SEEDS = {
    "pem": b"junk\n" + _LEAF.chain_pem() + _LEAF.key_pem,
    "der": _LEAF.der,
    "p7": pkcs7.serialize_certificates([_LEAF.cert], serialization.Encoding.DER),
    "p12": _P12,
    "yaml": (
        b"kind: Secret\nmetadata: {name: a}\ndata:\n  tls.crt: "
        + base64.b64encode(_LEAF.pem)
        + b"\n  tls.key: "
        + base64.b64encode(_LEAF.key_pem)
        + b"\n"
    ),
}
SUFFIX = {"pem": ".pem", "der": ".der", "p7": ".p7b", "p12": ".p12", "yaml": ".yaml"}


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(sorted(SEEDS)))
    data = bytearray(SEEDS[kind])
    for _ in range(draw(st.integers(1, 8))):
        action = draw(st.sampled_from(["flip", "cut", "insert", "delete", "truncate"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if action == "flip" and data:
            data[at] ^= draw(st.integers(1, 255))
        elif action == "cut":
            del data[at : at + draw(st.integers(1, 64))]
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif action == "delete" and data:
            del data[at]
        elif action == "truncate":
            del data[at:]
    return kind, bytes(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
@example(("yaml", b"kind: Secret\nmetadata: {name: a}\ndata:\n  tls.crt:"))  # found by fuzzing
@example(("yaml", b"kind: Secret\ndata:\n  tls.crt: ''\n"))
def test_mutated_files_give_observations_never_exceptions(sample):
    kind, data = sample
    items = scan_bytes(
        data, f"fuzz{SUFFIX[kind]}", mode="0600", passwords=[b"pw"], suffix=SUFFIX[kind]
    )
    assert items, "a named file always answers"
    for item in items:
        assert isinstance(item, Observation | KeyRecord)
        if isinstance(item, Observation) and item.status == "error":
            assert item.error


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2048))
def test_random_bytes_are_an_error_or_nothing_to_read(data):
    items = scan_bytes(data, "random.bin")
    assert all(isinstance(item, Observation | KeyRecord) for item in items)


def test_the_unmutated_seeds_read():
    for kind, data in SEEDS.items():
        items = scan_bytes(data, f"seed{SUFFIX[kind]}", passwords=[b"pw"], suffix=SUFFIX[kind])
        certificates = [c for i in items if isinstance(i, Observation) for c in i.certificates]
        assert certificates and certificates[0].sha256 == _LEAF.sha256, kind
        assert certificates[0].not_after == _LEAF.not_after == _PKI.now + timedelta(days=89)
