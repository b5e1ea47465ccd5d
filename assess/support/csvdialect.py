"""The delimiter of a CSV file, told from its header the way a reader of it would see it.

Spreadsheets save CSV with commas, or with semicolons where the comma is the decimal mark
(Excel in much of Europe), or with tabs; inventory exports sometimes use ``|``. The header names
the columns, so the delimiter is the character that splits it into the most of them, counted
outside quoted fields (a quoted ``"Issuer, as written"`` is one column).
"""

from __future__ import annotations

DELIMITERS = ",;\t"
"""What a spreadsheet saves CSV with, the comma first."""


def sniff_delimiter(text: str, candidates: str = DELIMITERS) -> str:
    """The delimiter of the CSV ``text``: of ``candidates``, the one found most often outside
    quotes in the first record; the earliest candidate on a tie, or when none is found.

    A line break inside quotes does not end the record; ``""`` inside quotes is a quote.
    """
    counts = dict.fromkeys(candidates, 0)
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted  # "" inside quotes toggles twice: still quoted
        elif quoted:
            continue
        elif char in "\r\n":
            break
        elif char in counts:
            counts[char] += 1
    return max(candidates, key=counts.__getitem__)
