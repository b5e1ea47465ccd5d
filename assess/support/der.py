"""DER arithmetic: the ASN.1 lengths that tell certificate material from other bytes cheaply.

The outermost tag and length say that a file is one DER structure, that it is shaped like
PKCS#12, or where its first element ends. :func:`children` reads one level further, BER
included (indefinite lengths, as old Windows PKCS#12 files have them): enough to find the
numbers a PKCS#12 file asks its reader to compute with, before any is computed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

MAX_NESTING = 32
"""Elements inside elements that :func:`children` follows to find where an indefinite-length
element ends: a PKCS#12 file nests about ten deep."""


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


class AsnError(ValueError):
    """Bytes that are not the BER the reader expects: a length past the end, a bad tag."""


@dataclass(frozen=True)
class Element:
    """One BER element of a byte string: its tag and where its content lies."""

    tag: int
    """The identifier octet (``0x30`` SEQUENCE, ``0xa0`` context-specific 0, constructed…)."""
    start: int
    """Where the content starts."""
    end: int
    """Where the content ends (before the end-of-contents octets of an indefinite length)."""


def children(data: bytes, parent: Element | None = None) -> Iterator[Element]:
    """The elements inside ``parent`` (a constructed element of ``data``), or at the top of
    ``data`` when ``parent`` is ``None``, in order. Raises AsnError on anything malformed."""
    at, end = (0, len(data)) if parent is None else (parent.start, parent.end)
    while at < end:
        element, at = _element(data, at, end, 0)
        yield element


def integer(data: bytes, element: Element) -> int:
    """The value of an INTEGER element (any size)."""
    if element.tag != 0x02 or element.start == element.end:
        raise AsnError("expected an INTEGER")
    return int.from_bytes(data[element.start : element.end], "big", signed=True)


def oid(data: bytes, element: Element) -> str:
    """An OBJECT IDENTIFIER element in dotted form."""
    if element.tag != 0x06 or element.start == element.end:
        raise AsnError("expected an OBJECT IDENTIFIER")
    arcs: list[int] = []
    value = 0
    for byte in data[element.start : element.end]:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            arcs.append(value)
            value = 0
    if not arcs or value or data[element.end - 1] & 0x80:
        raise AsnError("a malformed OBJECT IDENTIFIER")
    first = min(arcs[0] // 40, 2)
    return ".".join(str(arc) for arc in (first, arcs[0] - 40 * first, *arcs[1:]))


def octets(data: bytes, element: Element) -> bytes:
    """The content of an OCTET STRING, primitive or (BER) constructed of primitive pieces."""
    if element.tag == 0x04:
        return data[element.start : element.end]
    if element.tag == 0x24:
        return b"".join(octets(data, piece) for piece in children(data, element))
    raise AsnError("expected an OCTET STRING")


def _element(data: bytes, at: int, limit: int, depth: int) -> tuple[Element, int]:
    """The element at ``at`` and where the next one starts; nothing may pass ``limit``."""
    if depth > MAX_NESTING:
        raise AsnError(f"elements nested more than {MAX_NESTING} deep")
    if at + 2 > limit:
        raise AsnError(f"truncated at byte {at}")
    tag, first = data[at], data[at + 1]
    if tag & 0x1F == 0x1F:
        raise AsnError(f"a multi-byte tag at byte {at}")
    at += 2
    if first == 0x80:  # indefinite length (BER): the content runs to two zero octets
        if not tag & 0x20:
            raise AsnError(f"an indefinite length on a primitive element at byte {at - 2}")
        start = at
        while True:
            if at + 2 > limit:
                raise AsnError(f"no end-of-contents for the element at byte {start - 2}")
            if data[at] == 0 and data[at + 1] == 0:
                return Element(tag, start, at), at + 2
            _, at = _element(data, at, limit, depth + 1)
    if first < 0x80:
        length = first
    else:
        count = first & 0x7F
        if count > 4 or at + count > limit:
            raise AsnError(f"a length that cannot be right at byte {at - 2}")
        length = int.from_bytes(data[at : at + count], "big")
        at += count
    if at + length > limit:
        raise AsnError(f"the element at byte {at} runs past its end")
    return Element(tag, at, at + length), at + length
