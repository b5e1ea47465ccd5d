"""The PEM tokenizer: ``-----BEGIN L-----`` … ``-----END L-----`` blocks in any text.

The tokenizer is linear in the size of the text, whatever the text: 8 MB of nothing but
``-----BEGIN CERTIFICATE-----`` lines cost one search per line, not one search of the rest of
the file per line (which took minutes).
"""

from __future__ import annotations

import binascii
import re
from collections.abc import Iterator
from dataclasses import dataclass

_BEGIN = b"-----BEGIN "
_DASHES = b"-----"
_LABEL = re.compile(rb"[A-Z0-9 #/-]{1,64}")

MAX_LABELS = 64
"""Different labels whose END line is looked for in one text. Real PEM files hold a handful
(``CERTIFICATE``, ``PRIVATE KEY``…); a BEGIN line with yet another label is read as text
quoting a header, like a BEGIN line without its END. Each label costs at most one pass over
the text: this bounds the work on hostile input."""


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
    ``-----BEGIN ((?:(?!-----)[A-Z0-9 #/-]){1,64})-----(.*?)-----END \\1-----`` (DOTALL)
    finds: the label is what lies between ``-----BEGIN`` and the next five dashes, and the
    block ends at the first END line of that label. It is found here with plain byte searches:
    the expression searches the rest of the text again for each BEGIN line without its END,
    quadratic on a file of such lines; here each label's END line is searched for forward only
    (:class:`_EndLines`).
    """
    # A block's BEGIN line lies before the last END line of the text.
    last_end = data.rfind(b"-----END ")
    ends = _EndLines(data)
    position = 0
    while last_end > 0 and (start := data.find(_BEGIN, position, last_end)) >= 0:
        label_start = start + len(_BEGIN)
        label_end = data.find(_DASHES, label_start, label_start + 64 + len(_DASHES))
        position = start + 1
        if label_end <= label_start:
            continue
        label = data[label_start:label_end]
        end = ends.after(label, label_end + len(_DASHES))
        if end >= 0:
            position = end + len(b"-----END -----") + len(label)
            yield PemBlock(label, data[label_end + len(_DASHES) : end], data[start:position])


class _EndLines:
    """Where the END line of a label next occurs, each label's END line searched for forward.

    The tokenizer asks about a label at positions that only grow, so the line found for one
    position is still the answer for any later position up to it, and "none after here" holds
    for good: the text is searched at most once from end to end per label.
    """

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.found: dict[bytes, int] = {}
        """Label → where its END line was found last (-1: nowhere after the search's start)."""

    def after(self, label: bytes, position: int) -> int:
        """Where ``-----END label-----`` first occurs at or after ``position``, else -1."""
        known = self.found.get(label)
        if known is not None and (known < 0 or known >= position):
            return known
        if known is None and (len(self.found) >= MAX_LABELS or not _LABEL.fullmatch(label)):
            return -1  # a label with other characters is no label: never remembered
        found = self.data.find(b"-----END " + label + _DASHES, position)
        self.found[label] = found
        return found


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
