"""How large a filled form may be (docs/forms.md, Limits).

A form comes back from outside: a workbook with one cell at XFD1048576, or a few kilobytes that
unzip to a gigabyte, must be refused quickly rather than exhaust the machine. The limits are far
above any real form (the CMMM form is 40 KB and unzips to 150 KB, 94 rows of 12 columns); the
readers check them before doing the work they bound.
"""

from __future__ import annotations

MAX_FORM_BYTES = 10 * 1024 * 1024
"""The largest form file read (10 MiB)."""

MAX_UNZIPPED_BYTES = 10 * 1024 * 1024
"""The most a workbook may unzip to, all its parts together (10 MiB), as its archive declares
before anything is inflated (a part that inflates to more than it declared is unreadable).
Reading a sheet takes time in proportion to its XML: this bounds it to seconds."""

MAX_ROWS = 10_000
"""The last row a form sheet, or a CSV form, may have text in."""

MAX_COLUMNS = 100
"""The last column (CV) a form sheet, or a CSV form, may have text in."""

MAX_CELL_CHARS = 32_767
"""The longest text a cell may hold: Excel's own limit for a cell."""

MAX_PROBLEMS = 100
"""The most problems listed for one form: reading stops there (a pasted block of cells outside
the form's columns would otherwise fill the terminal)."""


def size(count: int) -> str:
    """A byte count for messages, rounded up (``10 MiB``, ``1,000.5 MiB``, ``512 KiB``): a size
    over a limit never reads as the limit itself."""
    if count >= 1024 * 1024:
        tenths = -(-count * 10 // (1024 * 1024))
        return f"{tenths / 10:,.1f}".removesuffix(".0") + " MiB"
    return f"{-(-count // 1024):,} KiB"
