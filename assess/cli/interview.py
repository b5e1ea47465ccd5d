"""`assess interview`: the terminal conversation.

Order, parsing and the words of the scale live in assess.inputs.interview; each answer, note
and evidence list is written through assess.inputs.changes the moment it is given."""

from __future__ import annotations

import contextlib
import shutil
import signal
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from assess.cli._app import AT_DEFAULT, app, evaluation_date, relative, today
from assess.cli._help import AssessCommand
from assess.support.errors import InputError

if TYPE_CHECKING:
    from assess.inputs.interview import Command, Stop
    from assess.inputs.workspace import Workspace
    from assess.model.levels import Answer
    from assess.model.workspace import AnswerEntry, AnswersFile, Respondent

HELP = (
    (
        "Answers:",
        "n not, p partially, l largely, f fully (the scale below); u unknown (you do not "
        "know); na not applicable (then say why). Enter accepts the answer in brackets.",
    ),
    (
        "Commands:",
        "b back to the previous practice, s skip (it stays unanswered), q quit (every answer "
        "given is saved), ? this help.",
    ),
    (
        "Note, evidence, reason:",
        "Enter keeps what is in brackets, '-' clears it, q quits, ? shows this help. Evidence "
        "references are documents, tickets, URLs or files, separated by commas.",
    ),
)
"""The help shown on ``?`` at any prompt, before the scale."""

NARROWEST = 40
"""Text is wrapped to the terminal's width, but never narrower than this."""
WIDEST = 100
"""…nor wider than this: long lines read badly on a wide terminal."""


class _Quit(Exception):
    """The respondent ended the interview (q, end of input, Ctrl-C)."""


def _width() -> int:
    return max(NARROWEST, min(WIDEST, shutil.get_terminal_size().columns))


def _say(text: str, indent: str = "", hanging: str | None = None) -> None:
    """Print ``text``, each line of it wrapped to the terminal's width."""
    for paragraph in text.strip().splitlines():
        if paragraph.strip():
            typer.echo(
                textwrap.fill(
                    paragraph.strip(),
                    width=_width(),
                    initial_indent=indent,
                    subsequent_indent=indent if hanging is None else hanging,
                    break_on_hyphens=False,
                )
            )


def _ask(prompt: str) -> str:
    try:
        return input(prompt)
    except (EOFError, KeyboardInterrupt):
        typer.echo("")
        raise _Quit from None


def _bracket(label: str, saved: str) -> str:
    """``label [saved]: ``, the saved text shortened to keep the prompt on one line."""
    if not saved:
        return f"{label}: "
    room = max(12, _width() - len(label) - 5)
    return f"{label} [{textwrap.shorten(saved, room, placeholder='…')}]: "


def _show_scale() -> None:
    from assess.inputs.interview import SCALE_MEANINGS

    typer.echo("The answer scale:")
    column = max(len(answer) for answer in SCALE_MEANINGS) + 4
    for answer, meaning in SCALE_MEANINGS.items():
        _say(f"{answer:<{column - 2}}{meaning}", indent="  ", hanging=" " * column)


def _show_help() -> None:
    for label, text in HELP:
        _say(f"{label} {text}", hanging="  ")
    _show_scale()


@dataclass(frozen=True)
class _Interview:
    """What every practice of one interview needs."""

    workspace: Workspace
    respondent: Respondent
    today: date
    stops: list[Stop]
    suggestions: dict[str, Answer]
    review: bool

    def found(self) -> tuple[Path, AnswersFile] | None:
        """The respondent's answers file and answers as saved now (another process may be
        writing too); ``None`` before the first answer."""
        from assess.inputs.changes import find_answers

        return find_answers(self.workspace.root, self.respondent.name)

    def answered(self) -> set[str]:
        """The practices answered now."""
        found = self.found()
        return set(found[1].answers) if found else set()

    def save(
        self,
        practice_id: str,
        *,
        answer: Answer | None = None,
        note: str | None = None,
        evidence: tuple[str, ...] | None = None,
        reason: str | None = None,
    ) -> None:
        """Write one change to one practice, merged with whatever else is saved now."""
        from assess.inputs.changes import AnswerChange, apply_changes

        change = AnswerChange(
            self.respondent, practice_id, answer, note=note, evidence=evidence, reason=reason
        )
        with _interrupt_after():
            apply_changes(
                self.workspace.root, self.workspace.questionnaire, [change], today=self.today
            )


@contextlib.contextmanager
def _interrupt_after() -> Iterator[None]:
    """Hold Ctrl-C until the block ends, then quit: an answer being written is written whole."""
    pressed: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, _frame: pressed.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if pressed:
        typer.echo("")
        raise _Quit


@app.command("interview", cls=AssessCommand)
def interview_command(
    directory: Path = typer.Argument(..., metavar="DIR", help="Assessment workspace."),
    respondent: str = typer.Option(
        ..., "--respondent", metavar="NAME", help="The person answering."
    ),
    role: str = typer.Option("", "--role", metavar="ROLE", help="Their role (PKI lead, …)."),
    dimension: list[str] = typer.Option(
        [], "--dimension", metavar="ID", help="Only this dimension id (repeatable)."
    ),
    start_at: str | None = typer.Option(
        None, "--from", metavar="PRACTICE", help="Start at this practice id (to revise answers)."
    ),
    at: str | None = typer.Option(
        None,
        "--at",
        metavar="DATE",
        help="Evaluation date for scan suggestions.",
        show_default=AT_DEFAULT,
    ),
    review: bool = typer.Option(
        False, "--review", help="Walk answered practices too, not only unanswered ones."
    ),
) -> None:
    """Interview a respondent in the terminal; saves every answer as it is given and resumes at
    the first unanswered practice."""
    from assess.engine.score import suggested_answers
    from assess.inputs.interview import plan, resume_index
    from assess.inputs.workspace import load_workspace
    from assess.model.workspace import Respondent

    name = respondent.strip()
    if not name:
        raise InputError("--respondent: the name is empty")
    workspace = load_workspace(directory)
    stops = plan(workspace.questionnaire, dimension)
    # The file is written with the first answer: an interview left at once leaves no
    # respondent who said nothing.
    interview = _Interview(
        workspace,
        Respondent(name=name, role=role.strip()),
        today(),
        stops,
        suggested_answers(workspace, evaluation_date(at)),
        review,
    )
    answered = interview.answered()
    index = resume_index(stops, answered, start_at, review=review)
    total = len(stops)
    done = sum(1 for s in stops if s.practice.id in answered)
    _say(f"Interview of {name} — {done} of {total} practices answered. Type ? for help.")
    if index >= total:
        _say(
            "Every practice is answered. Use --review to walk them again, or --from PRACTICE "
            "to revise one."
        )
        return
    _show_scale()
    try:
        while index < total:
            index = _one_practice(interview, index)
    except _Quit:
        pass
    found = interview.found()
    if found is None:
        typer.echo("No answer given: nothing saved.")
        return
    path, sheet = found
    done = sum(1 for s in stops if s.practice.id in sheet.answers)
    typer.echo(f"Saved {done} of {total} answers in {relative(path)}.")
    if done < total:
        typer.echo(f'Resume with: assess interview {relative(directory)} --respondent "{name}"')
    else:
        typer.echo(f"Next: assess score {relative(directory)}")


def _show(interview: _Interview, index: int, saved: AnswerEntry | None) -> None:
    from assess.inputs.interview import PROMPT_KEYS

    stop = interview.stops[index]
    p = stop.practice
    level_name = interview.workspace.questionnaire.level_label(p.level)
    typer.echo("")
    _say(
        f"── {stop.dimension.title} · {stop.index_in_dimension}/{stop.dimension_size} "
        f"· practice {index + 1} of {len(interview.stops)} ──"
    )
    _say(f"{p.id} · level {p.level} {level_name} · {p.title}")
    _say(p.question, indent="  ")
    if p.guidance.strip():
        typer.echo("Guidance:")
        _say(p.guidance, indent="    ")
    suggestion = interview.suggestions.get(p.id)
    if saved is not None:
        typer.echo(f"Saved answer: {saved.answer}")
        for label, value in (
            ("reason", saved.reason),
            ("note", saved.note),
            ("evidence", ", ".join(saved.evidence)),
        ):
            if value:
                _say(f"{label}: {value}", indent="  ", hanging="    ")
    elif suggestion is not None:
        typer.echo(f"Scan evidence suggests: {suggestion} (Enter to accept)")
    _say(PROMPT_KEYS)


def _ask_answer(default: Answer | None) -> Answer | Command:
    from assess.inputs.interview import Command, read_reply

    while True:
        typed = _ask(f"Answer [{default}]: " if default is not None else "Answer: ")
        reply = read_reply(typed) if typed.strip() else default
        if reply is Command.HELP:
            _show_help()
        elif reply is None:
            typer.echo(
                "Not understood. "
                + ("Type ? for help." if typed.strip() else "Type an answer, or s to skip.")
            )
        else:
            return reply


def _ask_field(label: str, saved: str) -> str | None:
    """The new text for a note, evidence or reason; ``None`` keeps the saved one."""
    from assess.inputs.interview import Command, read_field

    while True:
        reply = read_field(_ask(_bracket(label, saved)))
        if reply is Command.QUIT:
            raise _Quit
        if reply is Command.HELP:
            _show_help()
            continue
        assert not isinstance(reply, Command)
        return reply


def _ask_reason(saved: str) -> str:
    """The reason an ``na`` needs: asked again, saying why, until there is one."""
    while True:
        reply = _ask_field("Why does this practice not apply here? (required)", saved)
        reason = saved if reply is None else reply
        if reason:
            return reason
        saved = ""
        typer.echo("An 'na' answer needs a reason: say why the practice does not apply here.")


def _one_practice(interview: _Interview, index: int) -> int:
    """Ask one practice; returns the index of the next one to ask."""
    from assess.inputs.interview import Command, default_answer, next_index, split_references
    from assess.model.levels import Answer

    pid = interview.stops[index].practice.id
    found = interview.found()
    saved = found[1].answers.get(pid) if found else None
    _show(interview, index, saved)
    reply = _ask_answer(default_answer(pid, saved.answer if saved else None, interview.suggestions))
    match reply:
        case Command.QUIT:
            raise _Quit
        case Command.SKIP:
            return next_index(interview.stops, index, interview.answered(), review=interview.review)
        case Command.BACK:
            if index == 0:
                typer.echo("This is the first practice.")
            return max(index - 1, 0)
    assert isinstance(reply, Answer)
    reason = None
    if reply is Answer.NA:
        try:
            reason = _ask_reason(saved.reason if saved else "")
        except _Quit:
            typer.echo(f"not saved: {pid} (na needs a reason)")
            raise
    interview.save(pid, answer=reply, reason=reason)
    typer.echo(f"saved: {pid} = {reply}")
    saved_note = saved.note if saved else ""
    note = _ask_field("Note" if saved_note else "Note (optional)", saved_note)
    if note is not None and note != saved_note:
        interview.save(pid, note=note)
    saved_evidence = saved.evidence if saved else ()
    references = ", ".join(saved_evidence)
    typed = _ask_field(
        "Evidence references, comma-separated" + ("" if references else " (optional)"),
        references,
    )
    if typed is not None and split_references(typed) != saved_evidence:
        interview.save(pid, evidence=split_references(typed))
    return next_index(interview.stops, index, interview.answered(), review=interview.review)
