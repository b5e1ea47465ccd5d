"""The small pieces every report section is built from: a numbered section, a headline figure,
a table row, a legend entry."""

from __future__ import annotations

from assess.model.base import Frozen


class SectionRef(Frozen):
    """A numbered section for the contents and the bookmarks."""

    anchor: str
    number: str
    title: str


class Figure(Frozen):
    """A headline figure: a label, a value and a note under it."""

    label: str
    value: str
    note: str


class TableRow(Frozen):
    """A plain row of text cells (data tables beside charts)."""

    cells: tuple[str, ...]


class LegendItem(Frozen):
    """A term and its meaning."""

    term: str
    meaning: str
