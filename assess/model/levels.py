"""The five maturity levels and the answer scale with its values (method.md, Model and Answers)."""

from __future__ import annotations

from enum import StrEnum
from fractions import Fraction

LEVEL_NAMES: dict[int, str] = {
    1: "Ad-hoc",
    2: "Basic",
    3: "Defined",
    4: "Managed",
    5: "Optimized",
}
"""Level number → name. Level 1 needs no practice."""

MIN_PRACTICE_LEVEL = 2
MAX_LEVEL = 5


def level_name(level: int) -> str:
    """The name of a level number (``3`` → ``Defined``)."""
    return LEVEL_NAMES[level]


class Answer(StrEnum):
    """A word on the answer scale.

    ``unanswered`` only appears in results: a respondent never writes it.
    """

    NOT = "not"
    PARTIALLY = "partially"
    LARGELY = "largely"
    FULLY = "fully"
    UNKNOWN = "unknown"
    NA = "na"
    UNANSWERED = "unanswered"

    @property
    def value_fraction(self) -> Fraction | None:
        """The exact value of the answer; ``None`` for ``na`` (excluded from all sums)."""
        return ANSWER_VALUES[self]

    @property
    def is_scale(self) -> bool:
        """True for the four ordered implementation answers (not … fully)."""
        return self in SCALE


SCALE: tuple[Answer, ...] = (Answer.NOT, Answer.PARTIALLY, Answer.LARGELY, Answer.FULLY)
"""The implementation scale in ascending order."""

WRITABLE_ANSWERS: tuple[Answer, ...] = (*SCALE, Answer.UNKNOWN, Answer.NA)
"""The six answers a respondent or assessor may give."""

ANSWER_VALUES: dict[Answer, Fraction | None] = {
    Answer.NOT: Fraction(0),
    Answer.PARTIALLY: Fraction(1, 3),
    Answer.LARGELY: Fraction(2, 3),
    Answer.FULLY: Fraction(1),
    Answer.UNKNOWN: Fraction(0),
    Answer.UNANSWERED: Fraction(0),
    Answer.NA: None,
}

GATE = Fraction(2, 3)
"""A practice counts as met when its effective value is at least this (``largely``)."""
