"""The interview: which practice comes next, and what a typed reply means. No terminal I/O here.

The terminal conversation lives in the CLI; this module decides the order (dimension by
dimension, questionnaire order), where to resume (the first unanswered practice), which practice
comes next, how replies are read and what the scale words mean, so that all of it can be tested
without a terminal.
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

ANSWER_KEYS: dict[Answer, str] = {
    Answer.NOT: "n",
    Answer.PARTIALLY: "p",
    Answer.LARGELY: "l",
    Answer.FULLY: "f",
    Answer.UNKNOWN: "u",
    Answer.NA: "a",
}
"""The one key that gives each answer where a single key press answers (the web interview):
the replies' first letters, and ``a`` for ``na``, whose first letter ``not`` has."""

PROMPT_KEYS = "[n]ot [p]artially [l]argely [f]ully [u]nknown [na] · [b]ack [s]kip [q]uit [?]"

SCALE_MEANINGS: dict[Answer, str] = {
    Answer.NOT: "not implemented",
    Answer.PARTIALLY: "implemented in places",
    Answer.LARGELY: "implemented nearly everywhere — the gate: a level is reached only when "
    "every practice of it is at least largely",
    Answer.FULLY: "implemented everywhere, as a routine",
}
"""What each word of the implementation scale means (docs/methodology.md, Answers), as the
interview explains it to a respondent."""

FIELD_COMMANDS: dict[str, Command] = {
    "q": Command.QUIT,
    "quit": Command.QUIT,
    "?": Command.HELP,
    "h": Command.HELP,
    "help": Command.HELP,
}
"""The commands understood at the note, evidence and reason prompts (case-insensitive)."""

CLEAR = "-"
"""Typed at a note, evidence or reason prompt: remove what is saved."""


def read_reply(text: str) -> Answer | Command | None:
    """The answer or command a reply stands for; ``None`` when it is not one."""
    return REPLIES.get(text.strip().lower())


def read_answer(text: str) -> Answer | None:
    """The answer a reply or a key of :data:`ANSWER_KEYS` stands for; ``None`` otherwise."""
    reply = read_reply(text)
    if isinstance(reply, Answer):
        return reply
    typed = text.strip().lower()
    return next((answer for answer, key in ANSWER_KEYS.items() if key == typed), None)


def read_field(text: str) -> Command | str | None:
    """A reply at the note, evidence or reason prompt.

    ``q`` and ``?`` (and their long forms) are commands; ``-`` clears the saved text (``""``);
    Enter keeps it (``None``); anything else is the new text, stripped.
    """
    typed = text.strip()
    if typed.lower() in FIELD_COMMANDS:
        return FIELD_COMMANDS[typed.lower()]
    if typed == CLEAR:
        return ""
    return typed or None


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
    stops: Sequence[Stop],
    answered: Iterable[str],
    start_at: str | None = None,
    *,
    review: bool = False,
) -> int:
    """Where to start: ``start_at`` when given, else the first practice when reviewing, else
    the first unanswered practice.

    Returns ``len(stops)`` when every practice is answered.
    """
    if start_at is not None:
        for index, stop in enumerate(stops):
            if stop.practice.id == start_at:
                return index
        raise InputError(f"--from: practice '{start_at}' is not in this interview")
    if review:
        return 0
    return next_index(stops, -1, answered)


def next_index(
    stops: Sequence[Stop], index: int, answered: Iterable[str], *, review: bool = False
) -> int:
    """The practice after ``index``: the next one when reviewing, else the next unanswered.

    Returns ``len(stops)`` when there is none.
    """
    if review:
        return min(index + 1, len(stops))
    done = set(answered)
    for later in range(index + 1, len(stops)):
        if stops[later].practice.id not in done:
            return later
    return len(stops)


def default_answer(
    practice_id: str, saved: Answer | None, suggestions: Mapping[str, Answer]
) -> Answer | None:
    """The answer Enter accepts: the saved one, else what scan evidence suggests."""
    return saved if saved is not None else suggestions.get(practice_id)
