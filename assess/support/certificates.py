"""What the tool asks of an X.509 certificate wherever it meets one: is it self-signed?

Shared by the evidence scanners (a self-signed certificate in service is a finding) and the
signing commands (a self-signed signing certificate is reported as such when a report is
verified): one answer for both.
"""

from __future__ import annotations

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import dsa, ec, padding, rsa


def is_self_signed(certificate: x509.Certificate) -> bool:
    """True when the certificate names itself as its issuer and its own key verifies its
    signature, whatever the signature algorithm (legacy SHA-1 and MD5 included)."""
    if certificate.issuer != certificate.subject:
        return False
    try:
        certificate.verify_directly_issued_by(certificate)
    except (InvalidSignature, TypeError):
        return False
    except (ValueError, UnsupportedAlgorithm):
        # verify_directly_issued_by refuses legacy algorithms (SHA-1, MD5); the primitives
        # still verify them, and whether a certificate signed itself does not depend on
        # whether its algorithm is still acceptable.
        return _legacy_signature_verifies(certificate)
    return True


def _legacy_signature_verifies(certificate: x509.Certificate) -> bool:
    """Whether the certificate's own key verifies its signature, with the hash and padding
    the certificate names."""
    try:
        key = certificate.public_key()
        algorithm = certificate.signature_hash_algorithm
        parameters = certificate.signature_algorithm_parameters
        signature, signed = certificate.signature, certificate.tbs_certificate_bytes
        if algorithm is None:
            return False
        if isinstance(key, rsa.RSAPublicKey) and isinstance(
            parameters, padding.PKCS1v15 | padding.PSS
        ):
            key.verify(signature, signed, parameters, algorithm)
        elif isinstance(key, ec.EllipticCurvePublicKey) and isinstance(parameters, ec.ECDSA):
            key.verify(signature, signed, parameters)
        elif isinstance(key, dsa.DSAPublicKey):
            key.verify(signature, signed, algorithm)
        else:
            return False
    except (InvalidSignature, ValueError, TypeError, UnsupportedAlgorithm):
        return False
    return True
