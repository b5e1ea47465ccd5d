"""Small helpers for messages and reports in plain English."""

from __future__ import annotations


def plural(count: int, word: str, plural: str | None = None) -> str:
    """``1 assessment``, ``3 assessments``; ``plural`` for irregular words."""
    return f"{count} {word if count == 1 else plural or word + 's'}"
