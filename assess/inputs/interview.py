"""The interview: which practice comes next, and what a typed reply means. No terminal I/O here.

The terminal conversation lives in the CLI; this module decides the order (dimension by
dimension, questionnaire order), where to resume (the first unanswered practice) and how replies
are read, so that both can be tested without a terminal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from assess.model.levels import Answer
from assess.model.questionnaire import Dimension, Practice, Questionnaire
from assess.support.errors import InputError


class Command(StrEnum):
    """Replies that move through the interview instead of answering."""

    BACK = "back"
    SKIP = "skip"
    QUIT = "quit"
    HELP = "help"


REPLIES: dict[str, Answer | Command] = {
    "n": Answer.NOT,
    "not": Answer.NOT,
    "p": Answer.PARTIALLY,
    "partially": Answer.PARTIALLY,
    "l": Answer.LARGELY,
    "largely": Answer.LARGELY,
    "f": Answer.FULLY,
    "fully": Answer.FULLY,
    "u": Answer.UNKNOWN,
    "unknown": Answer.UNKNOWN,
    "na": Answer.NA,
    "n/a": Answer.NA,
    "b": Command.BACK,
    "back": Command.BACK,
    "s": Command.SKIP,
    "skip": Command.SKIP,
    "q": Command.QUIT,
    "quit": Command.QUIT,
    "?": Command.HELP,
    "h": Command.HELP,
    "help": Command.HELP,
}
"""What each typed reply means (case-insensitive)."""

PROMPT_KEYS = "[n]ot [p]artially [l]argely [f]ully [u]nknown [na] · [b]ack [s]kip [q]uit [?]"


def read_reply(text: str) -> Answer | Command | None:
    """The answer or command a reply stands for; ``None`` when it is not one."""
    return REPLIES.get(text.strip().lower())


def split_references(text: str) -> tuple[str, ...]:
    """Evidence references separated by commas or line breaks (one per line in a form cell)."""
    return tuple(part.strip() for part in re.split(r"[,\r\n]", text) if part.strip())


@dataclass(frozen=True)
class Stop:
    """One practice to ask, with where it sits in the interview."""

    practice: Practice
    """The practice."""
    dimension: Dimension
    """Its dimension."""
    index_in_dimension: int
    """1-based position inside the dimension."""
    dimension_size: int
    """Number of practices of the dimension in the interview."""


def plan(questionnaire: Questionnaire, dimensions: Sequence[str] = ()) -> list[Stop]:
    """The practices to ask, dimension by dimension; only ``dimensions`` when given."""
    unknown = [d for d in dimensions if d not in questionnaire.dimensions_by_id]
    if unknown:
        raise InputError(
            f"--dimension: unknown dimension '{unknown[0]}' "
            f"(known: {', '.join(questionnaire.dimensions_by_id)})"
        )
    chosen = [d for d in questionnaire.dimensions if not dimensions or d.id in dimensions]
    return [
        Stop(practice, dimension, index, len(dimension.practices))
        for dimension in chosen
        for index, practice in enumerate(dimension.practices, start=1)
    ]


def resume_index(
    stops: Sequence[Stop], answered: Iterable[str], start_at: str | None = None
) -> int:
    """Where to start: ``start_at`` when given, else the first unanswered practice.

    Returns ``len(stops)`` when every practice is answered.
    """
    if start_at is not None:
        for index, stop in enumerate(stops):
            if stop.practice.id == start_at:
                return index
        raise InputError(f"--from: practice '{start_at}' is not in this interview")
    done = set(answered)
    for index, stop in enumerate(stops):
        if stop.practice.id not in done:
            return index
    return len(stops)


def default_answer(
    practice_id: str, saved: Answer | None, suggestions: Mapping[str, Answer]
) -> Answer | None:
    """The answer Enter accepts: the saved one, else what scan evidence suggests."""
    return saved if saved is not None else suggestions.get(practice_id)
