"""`assess interview`: the terminal conversation.

Order and parsing live in assess.inputs.interview."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from assess.cli._app import AT_DEFAULT, app, evaluation_date, relative, today
from assess.cli._help import Command
from assess.support.errors import InputError

if TYPE_CHECKING:
    from assess.inputs.interview import Stop
    from assess.inputs.workspace import AnswersDocument
    from assess.model.levels import Answer
    from assess.model.questionnaire import Questionnaire
    from assess.model.workspace import AnswerEntry

HELP_TEXT = """\
Answers:  n = not implemented, p = partially, l = largely, f = fully,
          u = unknown (you do not know), na = not applicable (a reason is required).
          Enter accepts the answer shown as default.
Commands: b = back to the previous practice, s = skip (stays unanswered),
          q = quit (every answer given so far is saved), ? = this help.
Notes and evidence: Enter keeps what was saved before; '-' clears it.
Evidence references: documents, tickets, URLs or files, separated by commas."""


class _Quit(Exception):
    """The respondent ended the interview (q, end of input, Ctrl-C)."""


def _ask(prompt: str) -> str:
    try:
        return input(prompt)
    except (EOFError, KeyboardInterrupt):
        typer.echo("")
        raise _Quit from None


def _wrap(text: str, indent: str = "  ") -> str:
    return "\n".join(
        textwrap.fill(paragraph, width=96, initial_indent=indent, subsequent_indent=indent)
        for paragraph in text.strip().splitlines()
        if paragraph.strip()
    )


def _show(
    stop: Stop,
    number: int,
    total: int,
    saved: AnswerEntry | None,
    level_name: str,
    suggestion: Answer | None,
) -> None:
    p = stop.practice
    typer.echo("")
    typer.echo(
        f"── {stop.dimension.title} · {stop.index_in_dimension}/{stop.dimension_size} "
        f"· practice {number} of {total} ──"
    )
    typer.echo(f"{p.id} · level {p.level} {level_name} · {p.title}")
    typer.echo(_wrap(p.question))
    if p.guidance.strip():
        typer.echo("Guidance:")
        typer.echo(_wrap(p.guidance, "    "))
    if saved is not None:
        typer.echo(f"Saved answer: {saved.answer}" + (f" — {saved.note}" if saved.note else ""))
    elif suggestion is not None:
        typer.echo(f"Scan evidence suggests: {suggestion} (Enter to accept)")


def _keep_or_replace(typed: str, saved: str) -> str:
    if typed.strip() == "-":
        return ""
    return typed.strip() or saved


@app.command("interview", cls=Command)
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
) -> None:
    """Interview a respondent in the terminal; saves after every answer and resumes."""
    from assess.engine.score import suggested_answers
    from assess.inputs.interview import plan, resume_index
    from assess.inputs.workspace import AnswersDocument, load_workspace

    if not respondent.strip():
        raise InputError("--respondent: the name is empty")
    workspace = load_workspace(directory)
    questionnaire = workspace.questionnaire
    stops = plan(questionnaire, dimension)
    # The file is written with the first answer: an interview left at once leaves no
    # respondent who said nothing.
    document = AnswersDocument.open(
        directory, respondent.strip(), role.strip(), today=today(), save_new=False
    )
    suggestions = suggested_answers(workspace, evaluation_date(at))
    answered = document.sheet.answers
    index = resume_index(stops, answered, start_at)
    total = len(stops)
    done = sum(1 for s in stops if s.practice.id in answered)
    typer.echo(f"Interview of {respondent} — answers in {relative(document.path)}")
    typer.echo(f"{done} of {total} practices answered. Type ? for help.")
    if index >= total:
        typer.echo("Every practice is answered. Use --from PRACTICE to revise an answer.")
        return
    try:
        while index < total:
            index = _one_practice(stops, index, document, suggestions, questionnaire)
    except _Quit:
        pass
    answered = document.sheet.answers
    done = sum(1 for s in stops if s.practice.id in answered)
    if not document.path.exists():
        typer.echo("No answer given: nothing saved.")
        return
    typer.echo(f"Saved {done} of {total} answers in {relative(document.path)}.")
    if done < total:
        typer.echo(
            f'Resume with: assess interview {relative(directory)} --respondent "{respondent}"'
        )
    else:
        typer.echo(f"Next: assess score {relative(directory)}")


def _one_practice(
    stops: list[Stop],
    index: int,
    document: AnswersDocument,
    suggestions: dict[str, Answer],
    questionnaire: Questionnaire,
) -> int:
    """Ask one practice; returns the index of the next one to ask."""
    from assess.inputs.interview import (
        PROMPT_KEYS,
        Command,
        default_answer,
        read_reply,
        split_references,
    )
    from assess.model.levels import Answer
    from assess.model.workspace import AnswerEntry

    stop = stops[index]
    pid = stop.practice.id
    saved = document.get(pid)
    suggestion = suggestions.get(pid)
    _show(
        stop,
        index + 1,
        len(stops),
        saved,
        questionnaire.level_label(stop.practice.level),
        suggestion,
    )
    default = default_answer(pid, saved.answer if saved else None, suggestions)
    while True:
        hint = f" [{default}]" if default is not None else ""
        typed = _ask(f"Answer {PROMPT_KEYS}{hint}: ")
        reply = read_reply(typed) if typed.strip() else default
        if reply is None:
            typer.echo(
                "Not understood. "
                + ("Type ? for help." if typed.strip() else "Type an answer, or s to skip.")
            )
            continue
        break
    match reply:
        case Command.HELP:
            typer.echo(HELP_TEXT)
            return index
        case Command.QUIT:
            raise _Quit
        case Command.SKIP:
            return index + 1
        case Command.BACK:
            if index == 0:
                typer.echo("This is the first practice.")
            return max(index - 1, 0)
    assert isinstance(reply, Answer)
    note = _keep_or_replace(_ask("Note (optional): "), saved.note if saved else "")
    typed_refs = _ask("Evidence references, comma-separated (optional): ")
    if typed_refs.strip() == "-":
        evidence: tuple[str, ...] = ()
    else:
        evidence = split_references(typed_refs) or (saved.evidence if saved else ())
    reason = ""
    if reply is Answer.NA:
        while not reason:
            reason = _keep_or_replace(
                _ask("Why does this not apply? (required): "), saved.reason if saved else ""
            )
    document.put(pid, AnswerEntry(answer=reply, note=note, evidence=evidence, reason=reason))
    typer.echo(f"saved: {pid} = {reply}")
    return index + 1
