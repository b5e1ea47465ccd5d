"""Small helpers for messages and reports in plain English."""

from __future__ import annotations

import re


def plural(count: int, word: str, plural: str | None = None) -> str:
    """``1 assessment``, ``3 assessments``; ``plural`` for irregular words."""
    return f"{count} {word if count == 1 else plural or word + 's'}"


_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff]"
)
"""Control characters (C0 but tab and line feed, DEL, C1), the marks and overrides that
reorder text on screen, and lone surrogates (a file name byte that is not UTF-8)."""


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8, as Python keeps it
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` safe to show in a terminal: what could act on it or hide text is escaped.

    An escape sequence from an input file could recolour the terminal, set its title or erase
    the message around it; it is shown as ``\\x1b[31m``. A byte of a file name that is not
    UTF-8 is shown as ``\\xff``, bidirectional overrides as ``\\u202e``. Line feeds and tabs
    stay.
    """
    return _UNPRINTABLE.sub(_escaped, text)
