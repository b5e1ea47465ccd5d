"""Whether a certificate is self-signed: one answer for the scanners and the signing commands,
checked on certificates made by ``openssl req`` with the algorithm under test."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime, timedelta

import pytest
from certgen import OPENSSL, Pki, openssl_sha1_rsa1024
from cryptography import x509

from assess.evidence.certs import record_of
from assess.support.certificates import is_self_signed

pytestmark = pytest.mark.skipif(OPENSSL is None, reason="needs the openssl command")


def load(path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def test_a_sha1_certificate_that_signed_itself_is_self_signed(tmp_path):
    # openssl req -x509 -sha1: its own key signs it with SHA-1, which cryptography's
    # verify_directly_issued_by refuses to check (it raises, it does not say "no").
    cert, _ = openssl_sha1_rsa1024(tmp_path, "legacy", "legacy.test")
    certificate = load(cert)
    assert certificate.signature_hash_algorithm is not None
    assert certificate.signature_hash_algorithm.name == "sha1"
    assert is_self_signed(certificate) is True
    assert record_of(certificate).self_signed is True


def test_a_sha1_certificate_signed_by_another_key_under_its_own_name_is_not(tmp_path):
    # Issuer and subject are both CN=same, but a second key signed it: the names alone must
    # not make it self-signed, on the legacy path as on the other.
    ca, ca_key = openssl_sha1_rsa1024(tmp_path, "ca", "same")
    request, key = tmp_path / "leaf.csr", tmp_path / "leaf.key"
    leaf = tmp_path / "leaf.pem"
    assert OPENSSL is not None
    request_args = ["-newkey", "rsa:1024", "-nodes", "-subj", "/CN=same", "-keyout", key]
    sign_args = ["-sha1", "-set_serial", "7", "-days", "30", "-CA", ca, "-CAkey", ca_key]
    for command in (
        ["req", "-new", *request_args, "-out", request],
        ["x509", "-req", *sign_args, "-in", request, "-out", leaf],
    ):
        subprocess.run([OPENSSL, *map(str, command)], check=True, capture_output=True)
    certificate = load(leaf)
    assert certificate.issuer == certificate.subject
    assert is_self_signed(certificate) is False
    assert record_of(certificate).self_signed is False


def test_modern_certificates_self_signed_or_issued():
    pki = Pki.create(datetime(2026, 11, 26, tzinfo=UTC))
    assert is_self_signed(pki.root.cert) is True
    assert is_self_signed(pki.self_signed("self.test").cert) is True
    assert is_self_signed(pki.intermediate.cert) is False
    assert is_self_signed(pki.leaf("leaf.test").cert) is False
    # Signed by the root, named like the root: the name matches, the signature does not.
    forged = (
        x509.CertificateBuilder()
        .subject_name(pki.root.cert.subject)
        .issuer_name(pki.root.cert.subject)
        .public_key(pki.intermediate.key.public_key())
        .serial_number(1)
        .not_valid_before(pki.now - timedelta(days=1))
        .not_valid_after(pki.now + timedelta(days=1))
        .sign(pki.root.key, pki.root.cert.signature_hash_algorithm)
    )
    assert is_self_signed(forged) is False
