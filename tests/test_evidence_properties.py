"""Mutated certificate files never crash the file scanner: they read, or they are errors."""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime, timedelta

import pytest
from certgen import Pki
from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7, pkcs12
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from assess.evidence.certs import record_of
from assess.evidence.filescan.content import scan_bytes
from assess.evidence.filescan.pem import pem_blocks
from assess.model.bundle import KeyRecord, Observation

pytestmark = pytest.mark.slow  # property tests: hundreds of examples each

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
    return kind, _mutate(draw, SEEDS[kind])


@st.composite
def mutated_chain(draw: st.DrawFn) -> bytes:
    return _mutate(draw, _LEAF.chain_pem())


def _mutate(draw: st.DrawFn, seed: bytes) -> bytes:
    data = bytearray(seed)
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
    return bytes(data)


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


PEM_EXPRESSION = re.compile(
    rb"-----BEGIN ((?:(?!-----)[A-Z0-9 #/-]){1,64})-----(.*?)-----END \1-----", re.DOTALL
)
"""What a PEM block is: the label runs to the first five dashes (the scanner finds blocks
without this expression, which is quadratic on BEGIN lines without their END)."""


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [b"-----BEGIN ", b"-----END ", b"-----", b"-", b"CERTIFICATE", b"A", b"A-", b" ", b"\n"]
        ),
        max_size=24,
    )
)
@example([b"-----BEGIN ", b"A-", b"-----", b"x", b"-----END ", b"A", b"-----"])
def test_pem_blocks_are_what_the_expression_finds(pieces):
    data = b"".join(pieces)
    expected = [(m.group(1), m.group(2), m.group(0)) for m in PEM_EXPRESSION.finditer(data)]
    assert [(b.label, b.body, b.text) for b in pem_blocks(data)] == expected


@settings(max_examples=200, deadline=None)
@given(mutated_chain())
def test_certificate_blocks_read_as_cryptographys_pem_reader_reads_them(data):
    blocks = list(PEM_EXPRESSION.finditer(data))
    assume(blocks and all(m.group(1) == b"CERTIFICATE" for m in blocks))
    assert_read_as_the_pem_reader_reads(data)


def _base64_lines(layout: str) -> bytes:
    text = base64.b64encode(_LEAF.der)
    lines = b"\n".join(text[i : i + 64] for i in range(0, len(text), 64))
    last = text.rstrip(b"=")[-1:]
    stray = bytes([last[0] ^ 1]) if last.isalpha() else b"B"  # same 6 bits but one
    return {
        "lf": b"\n" + lines + b"\n",
        "crlf": b"\r\n" + lines.replace(b"\n", b"\r\n") + b"\r\n",
        "cr": b"\r" + lines.replace(b"\n", b"\r") + b"\r",
        "one line": b"\n" + text + b"\n",
        "blank line first": b"\n\n" + lines + b"\n",
        "blank line inside": b"\n" + lines.replace(b"\n", b"\n\n", 1) + b"\n",
        "blank line last": b"\n" + lines + b"\n\n",
        "header": b"\nComment: x\n\n" + lines + b"\n",
        "stray bits": b"\n" + lines.rstrip(b"=")[:-1] + stray + text[len(text.rstrip(b"=")) :],
    }[layout]


@pytest.mark.parametrize(
    "layout",
    [
        "lf",
        "crlf",
        "cr",
        "one line",
        "blank line first",
        "blank line inside",
        "blank line last",
        "header",
        "stray bits",
    ],
)
def test_certificate_block_layouts_read_as_cryptographys_pem_reader_reads_them(layout):
    block = b"-----BEGIN CERTIFICATE-----" + _base64_lines(layout) + b"-----END CERTIFICATE-----"
    assert_read_as_the_pem_reader_reads(block)


def assert_read_as_the_pem_reader_reads(data: bytes) -> None:
    """Each CERTIFICATE block of ``data`` is the record of what cryptography's PEM reader makes
    of it, or an error where the reader refuses it."""
    expected = []
    for block in PEM_EXPRESSION.finditer(data):
        try:
            expected.append(record_of(x509.load_pem_x509_certificate(block.group(0))))
        except (ValueError, TypeError, UnsupportedAlgorithm, x509.InvalidVersion):
            expected.append(None)
    items = scan_bytes(data, "chain.pem")
    read = [c for i in items if isinstance(i, Observation) for c in i.certificates]
    errors = [i for i in items if isinstance(i, Observation) and i.status == "error"]
    assert read == [record for record in expected if record is not None]
    assert len(errors) == expected.count(None)
