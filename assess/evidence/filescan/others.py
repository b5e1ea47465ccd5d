"""DER files that are PKI material but hold no certificate to count: certificate revocation lists
and cross-certificate pairs (the X.509 ``CertificatePair`` of LDAP directories). They are
recognised, so that they read as what they are rather than as unreadable certificate files."""

from __future__ import annotations

from cryptography import x509

from assess.support.der import first_element

_FORWARD, _REVERSE = 0xA0, 0xA1
"""``CertificatePair ::= SEQUENCE { forward [0] Certificate OPTIONAL, reverse [1] … }``."""


def _content(data: bytes) -> bytes:
    """The content octets of the DER element at the start of ``data``."""
    if len(data) < 2:
        return b""
    first = data[1]
    start = 2 if first < 0x80 else 2 + (first & 0x7F)
    return first_element(data)[start:]


def other_pki_object(data: bytes) -> str | None:
    """``a certificate revocation list``, ``a cross-certificate pair``, or ``None``."""
    try:
        x509.load_der_x509_crl(data)
    except ValueError:
        pass
    else:
        return "a certificate revocation list"
    # A SEQUENCE whose first element is [0] or [1] holding a SEQUENCE (a certificate, parsed
    # or not: PKITS has pairs of DSA certificates that inherit their parameters).
    inner = _content(data) if data[:1] == b"\x30" else b""
    if len(inner) > 2 and inner[0] in (_FORWARD, _REVERSE) and _content(inner)[:1] == b"\x30":
        return "a cross-certificate pair"
    return None
