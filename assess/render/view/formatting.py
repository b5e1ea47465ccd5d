"""Numbers, dates and names as the report writes them: one spelling everywhere, no locale."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from assess.model.levels import LEVEL_NAMES

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(day: date | datetime) -> str:
    """``27 November 2026`` (locale-independent)."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def score_text(score: float | None) -> str:
    """A score with two decimals, or an en dash when there is none."""
    return "—" if score is None else f"{score:.2f}"


def percent(share: float | None) -> str:
    """A share as a whole percentage, or an en dash."""
    if share is None:
        return "—"
    return f"{share:.0%}" if round(share * 100) else "0%"  # never "-0%"


def signed(delta: float | None, digits: int = 2) -> str:
    """A difference with its sign (``+0.40``, ``−1``), or an en dash."""
    if delta is None:
        return "—"
    if round(delta, digits) == 0:
        return f"{0:.{digits}f}" if digits else "0"
    sign = "+" if delta > 0 else "−"
    return f"{sign}{abs(delta):.{digits}f}"


def level_text(level: int | None, name: str | None) -> str:
    """``2 Basic``, or ``n/a``."""
    return "n/a" if level is None else f"{level} {name or LEVEL_NAMES[level]}"


def value_text(value: float | None) -> str:
    """A practice's effective value with two decimals, or ``n/a`` (an N/A practice has none)."""
    return "n/a" if value is None else f"{value:.2f}"


def name_list(names: Sequence[str]) -> str:
    """``Ann``, ``Ann and Bob``, ``Ann, Bob and Cy``; an en dash for nobody."""
    if not names:
        return "—"
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def initials(name: str) -> str:
    """Up to three initials of a person's name (``Mary-Kate O'Neil`` → ``MKO``)."""
    parts = [p for p in name.replace("-", " ").split() if p]
    letters = "".join(p[0] for p in parts[:3]).upper()
    return letters or "?"
