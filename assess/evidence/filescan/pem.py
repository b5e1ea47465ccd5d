"""The PEM tokenizer: ``-----BEGIN L-----`` … ``-----END L-----`` blocks in any text."""

from __future__ import annotations

import binascii
import re
from collections.abc import Iterator
from dataclasses import dataclass

_PEM_BEGIN = re.compile(rb"-----BEGIN ([A-Z0-9 #/-]{1,64})-----")


@dataclass(frozen=True)
class PemBlock:
    """One ``-----BEGIN L-----`` … ``-----END L-----`` block of PEM text."""

    label: bytes
    """``CERTIFICATE``, ``PRIVATE KEY``…"""
    body: bytes
    """What lies between the two lines (base64, perhaps headers)."""
    text: bytes
    """The whole block, both lines included."""


def pem_blocks(data: bytes) -> Iterator[PemBlock]:
    """The PEM blocks of ``data`` in order, anything around them ignored.

    A block is what the regular expression
    ``-----BEGIN ([A-Z0-9 #/-]{1,64})-----(.*?)-----END \\1-----`` (DOTALL) finds, found here
    with plain byte searches: the lazy body made the expression cost ten times the search.
    """
    position = 0
    while (begin := _PEM_BEGIN.search(data, position)) is not None:
        start = begin.start()
        label_start = start + len(b"-----BEGIN ")
        # The longest label followed by five dashes first, as the expression backtracks.
        for label_end in range(begin.end(1), label_start, -1):
            if not data.startswith(b"-----", label_end):
                continue
            label = data[label_start:label_end]
            end_line = b"-----END " + label + b"-----"
            end = data.find(end_line, label_end + 5)
            if end >= 0:
                position = end + len(end_line)
                yield PemBlock(label, data[label_end + 5 : end], data[start:position])
                break
        else:
            position = start + 1


def certificate_der(body: bytes) -> bytes | None:
    """The DER of a CERTIFICATE block whose body is plain base64 lines, else ``None`` (headers,
    stray characters: left to cryptography's PEM reader, which judges them)."""
    lines = body.replace(b"\r\n", b"\n")
    if b"\n\n" in lines or b"\r" in lines:
        return None  # a blank line means headers to the reader, or a malformed block
    text = lines.replace(b"\n", b"")
    try:
        der = binascii.a2b_base64(text, strict_mode=True)
    except binascii.Error:
        return None
    # The reader refuses base64 with stray bits in its last character; so must this.
    return der if binascii.b2a_base64(der, newline=False) == text else None
