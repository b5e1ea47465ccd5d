"""DER arithmetic: the ASN.1 lengths that tell certificate material from other bytes cheaply.

Only the outermost tag and length are read, never the content: enough to say that a file is
one DER structure, that it is shaped like PKCS#12, or where its first element ends.
"""

from __future__ import annotations


def spans_whole(data: bytes) -> bool:
    """True when ``data`` is one ASN.1 SEQUENCE filling the file (trailing whitespace aside)."""
    body = data.rstrip(b"\r\n\t ")
    if len(body) < 2 or body[0] != 0x30:
        return False
    first = body[1]
    if first < 0x80:
        return 2 + first == len(body)
    count = first & 0x7F
    if not 0 < count <= 4 or len(body) < 2 + count:
        return False
    length = int.from_bytes(body[2 : 2 + count], "big")
    return 2 + count + length == len(body)


def looks_like_pkcs12(data: bytes) -> bool:
    """PFX is a SEQUENCE whose first element is INTEGER 3 (RFC 7292): a cheap test that spares
    the slow password attempts on other DER files."""
    if len(data) < 5 or data[0] != 0x30:
        return False
    first = data[1]
    start = 2 if first < 0x80 else 2 + (first & 0x7F)
    return data[start : start + 3] == b"\x02\x01\x03"


def first_element(data: bytes) -> bytes:
    """The first ASN.1 element of ``data`` (OpenSSL's TRUSTED CERTIFICATE appends trust data)."""
    if len(data) < 2:
        return data
    first = data[1]
    if first < 0x80:
        return data[: 2 + first]
    count = first & 0x7F
    length = int.from_bytes(data[2 : 2 + count], "big")
    return data[: 2 + count + length]
