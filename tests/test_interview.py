"""The interview, driven through its prompts: saving on the choice, quitting anywhere, resuming
at the first unanswered practice, the scale explained, text wrapped to the terminal, two
interviews at once, surviving a kill, keeping hand edits."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pexpect
import pytest
from factories import MINI, mini_workspace
from ruamel.yaml import YAML

from assess.inputs import questionnaire as questionnaires
from assess.inputs.interview import (
    Command,
    default_answer,
    next_index,
    plan,
    read_field,
    read_reply,
    resume_index,
    split_references,
)
from assess.model.levels import Answer

PROMPT = r"Answer( \[[a-z]+\])?: "
NOTE = r"Note[^\n]*: "
EVIDENCE = r"Evidence references[^\n]*: "
REASON = r"Why does this practice not apply here\?[^\n]*: "
ROOT = Path(__file__).resolve().parent.parent
MINI_ORDER = ["INV-01", "INV-02", "INV-03", "INV-04", "AUT-01", "AUT-02", "AUT-03", "AUT-04"]
"""The practices of tests/data/mini.yaml, in the file's order."""


def load(path):
    return YAML(typ="safe").load(path.read_text())


def spawn(*args: str, columns: int = 120) -> pexpect.spawn:
    """`python -m assess ARGS…` in a real terminal (24 rows; ``columns`` wide)."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    return pexpect.spawn(
        sys.executable,
        ["-m", "assess", *args],
        encoding="utf-8",
        timeout=30,
        env=env,
        dimensions=(24, columns),
    )


# --- replies and order, without a terminal ------------------------------------------------------


def test_replies_are_read_case_insensitively():
    assert read_reply(" F ") is Answer.FULLY
    assert read_reply("na") is Answer.NA
    assert read_reply("n") is Answer.NOT
    assert read_reply("b") is Command.BACK
    assert read_reply("maybe") is None
    assert split_references("wiki/pki, TICKET-1 ,, ") == ("wiki/pki", "TICKET-1")


def test_text_prompts_know_quit_help_clear_and_keep():
    assert read_field("q") is Command.QUIT
    assert read_field(" Quit ") is Command.QUIT
    assert read_field("?") is Command.HELP
    assert read_field("-") == ""
    assert read_field("   ") is None
    assert read_field(" Spreadsheet kept by ops ") == "Spreadsheet kept by ops"
    assert read_field("queue") == "queue"


def test_default_prefers_the_saved_answer_over_a_suggestion():
    suggestions = {"P": Answer.PARTIALLY}
    assert default_answer("P", None, suggestions) is Answer.PARTIALLY
    assert default_answer("P", Answer.FULLY, suggestions) is Answer.FULLY
    assert default_answer("Q", None, suggestions) is None


def test_the_next_practice_is_the_next_unanswered_unless_reviewing():
    stops = plan(questionnaires.load(MINI).questionnaire)
    assert [s.practice.id for s in stops] == MINI_ORDER
    answered = {"INV-01", "INV-03", "AUT-04"}
    assert resume_index(stops, answered) == 1  # INV-02
    assert next_index(stops, 1, answered) == 3  # INV-04: INV-03 is answered
    assert next_index(stops, 6, answered) == 8  # AUT-04 answered: the end
    assert resume_index(stops, answered, review=True) == 0
    assert next_index(stops, 1, answered, review=True) == 2
    assert resume_index(stops, answered, "INV-03") == 2


# --- the conversation, in-process ---------------------------------------------------------------


def test_interview_records_answers_notes_evidence_and_na_reasons(cli, tmp_path):
    ws = mini_workspace(tmp_path / "ws")
    replies = [
        "f",
        "Spreadsheet kept by ops",
        "wiki/pki-inventory, TICKET-123",  # INV-01
        "maybe",  # not understood: asked again
        "l",
        "",
        "",  # INV-02
        "s",  # INV-03 skipped
        "na",
        "No risk register exists",  # INV-04: the reason comes first
        "",
        "",
        "q",
    ]
    result = cli(
        "interview",
        ws,
        "--respondent",
        "Jane Doe",
        "--role",
        "PKI lead",
        input="\n".join(replies) + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "Not understood" in result.stdout
    assert "Saved 3 of 8 answers" in result.stdout
    data = load(ws / "answers" / "jane-doe.yaml")
    assert data["respondent"] == {"name": "Jane Doe", "role": "PKI lead"}
    assert data["answers"] == {
        "INV-01": {
            "answer": "fully",
            "note": "Spreadsheet kept by ops",
            "evidence": ["wiki/pki-inventory", "TICKET-123"],
        },
        "INV-02": {"answer": "largely"},
        "INV-04": {"answer": "na", "reason": "No risk register exists"},
    }


def test_na_asks_its_reason_first_and_says_why_an_empty_one_is_refused(cli, tmp_path):
    ws = mini_workspace(tmp_path / "ws")
    result = cli(
        "interview", ws, "--respondent", "Ann", input="na\n\n-\nNo such systems\nkept\n\nq\n"
    )
    out = result.stdout
    assert out.index("Why does this practice not apply here? (required): ") < out.index("Note")
    refusal = "An 'na' answer needs a reason: say why the practice does not apply here."
    assert out.count(refusal) == 2  # Enter, then '-'
    assert load(ws / "answers" / "ann.yaml")["answers"] == {
        "INV-01": {"answer": "na", "note": "kept", "reason": "No such systems"}
    }


def test_q_at_the_note_prompt_quits_and_the_answer_is_already_saved(cli, tmp_path):
    ws = mini_workspace(tmp_path / "ws")
    result = cli("interview", ws, "--respondent", "Ann", input="p\nq\n")
    assert result.exit_code == 0
    assert "saved: INV-01 = partially" in result.stdout
    assert "Saved 1 of 8 answers" in result.stdout
    assert load(ws / "answers" / "ann.yaml")["answers"] == {"INV-01": {"answer": "partially"}}
    again = cli("interview", ws, "--respondent", "Ann", input="f\n\nq\n")
    assert load(ws / "answers" / "ann.yaml")["answers"]["INV-02"] == {"answer": "fully"}
    assert "Saved 2 of 8 answers" in again.stdout


def test_q_at_the_reason_prompt_saves_no_na(cli, tmp_path):
    ws = mini_workspace(tmp_path / "ws", {"Ann": {"INV-01": {"answer": "fully"}}})
    result = cli("interview", ws, "--respondent", "Ann", input="na\nq\n")
    assert "not saved: INV-02 (na needs a reason)" in result.stdout
    assert load(ws / "answers" / "ann.yaml")["answers"] == {"INV-01": {"answer": "fully"}}


def test_resuming_skips_answered_practices_and_review_walks_them(cli, tmp_path):
    ws = mini_workspace(
        tmp_path / "ws",
        {
            "Ann": {
                "INV-01": {"answer": "largely", "note": "first note", "evidence": ["DOC-1"]},
                "INV-03": {"answer": "not"},
            }
        },
    )
    result = cli("interview", ws, "--respondent", "Ann", input="l\n\n\nq\n")
    shown = re.findall(r"^([A-Z]+-\d\d) · level", result.stdout, flags=re.MULTILINE)
    assert shown == ["INV-02", "INV-04"]  # INV-03 was answered before: not asked again
    assert "2 of 8 practices answered" in result.stdout

    review = cli("interview", ws, "--respondent", "Ann", "--review", input="\n\n\nq\n")
    assert re.findall(r"^([A-Z]+-\d\d) · level", review.stdout, flags=re.MULTILINE) == [
        "INV-01",
        "INV-02",
    ]
    # The saved values are shown, and are what Enter keeps.
    assert "Saved answer: largely\n  note: first note\n  evidence: DOC-1\n" in review.stdout
    assert "Answer [largely]: " in review.stdout
    assert "Note [first note]: " in review.stdout
    assert "Evidence references, comma-separated [DOC-1]: " in review.stdout
    assert load(ws / "answers" / "ann.yaml")["answers"]["INV-01"] == {
        "answer": "largely",
        "note": "first note",
        "evidence": ["DOC-1"],
    }


def test_back_revisits_and_enter_keeps_the_saved_answer(cli, tmp_path):
    ws = mini_workspace(tmp_path / "ws")
    replies = [
        "p",
        "first note",
        "",  # INV-01 partially
        "b",  # back from INV-02 to INV-01
        "",
        "",
        "",  # INV-01: Enter keeps partially, the note and evidence
        "b",
        "b",  # back to INV-01 again, then "first practice"
        "f",
        "-",
        "",  # change to fully and clear the note
        "q",
    ]
    result = cli("interview", ws, "--respondent", "Ann", input="\n".join(replies) + "\n")
    assert "This is the first practice." in result.stdout
    assert "Saved answer: partially\n  note: first note\n" in result.stdout
    assert load(ws / "answers" / "ann.yaml")["answers"] == {"INV-01": {"answer": "fully"}}


def test_dimension_filter_and_from(cli, tmp_path):
    ws = mini_workspace(tmp_path / "ws")
    result = cli(
        "interview", ws, "--respondent", "Ann", "--dimension", "automation", input="n\n\n\nq\n"
    )
    assert "Lifecycle Automation · 1/4 · practice 1 of 4" in result.stdout
    assert list(load(ws / "answers" / "ann.yaml")["answers"]) == ["AUT-01"]
    again = cli("interview", ws, "--respondent", "Ann", "--from", "AUT-03", input="q\n")
    assert "AUT-03 · level 4" in again.stdout
    bad = cli("interview", ws, "--respondent", "Ann", "--dimension", "nope")
    assert bad.exit_code == 2 and "unknown dimension 'nope'" in bad.stderr


def test_end_of_input_saves_and_says_how_to_resume(cli, tmp_path):
    ws = mini_workspace(tmp_path / "ws")
    result = cli("interview", ws, "--respondent", "Ann", input="f\n\n\n")
    assert result.exit_code == 0
    assert "Resume with: assess interview" in result.stdout
    assert load(ws / "answers" / "ann.yaml")["answers"] == {"INV-01": {"answer": "fully"}}


def test_an_interview_left_before_any_answer_leaves_no_file(cli, tmp_path):
    ws = mini_workspace(tmp_path / "ws")
    result = cli("interview", ws, "--respondent", "Ann", input="q\n")
    assert result.exit_code == 0
    assert "No answer given: nothing saved." in result.stdout
    assert list((ws / "answers").iterdir()) == []


def test_complete_interview_says_so(cli, tmp_path):
    given = {pid: {"answer": "fully"} for pid in MINI_ORDER}
    ws = mini_workspace(tmp_path / "ws", {"Ann": given})
    result = cli("interview", ws, "--respondent", "Ann")
    assert "Every practice is answered. Use --review to walk them again" in result.stdout


def test_hand_edits_comments_and_questionnaire_order_survive_a_later_interview(cli, tmp_path):
    ws = mini_workspace(tmp_path / "ws")
    path = ws / "answers" / "ann.yaml"
    path.write_text(
        "# Interview notes for Ann — keep this header\n"
        "respondent: {name: Ann, role: Ops}\n"
        "interviewed_at: 2026-11-20\n"
        "answers:\n"
        "  INV-01:\n"
        "    answer: largely  # checked the spreadsheet together\n"
        "    note: >-\n"
        "      Spreadsheet on the share,\n"
        "      updated monthly\n"
        "  # asked in the workshop\n"
        "  INV-04:\n"
        "    answer: not\n",
        encoding="utf-8",
    )
    cli("interview", ws, "--respondent", "Ann", input="p\n\n\nq\n")  # INV-02
    text = path.read_text()
    assert text.startswith("# Interview notes for Ann — keep this header\n")
    assert "answer: largely  # checked the spreadsheet together" in text
    assert "  # asked in the workshop\n  INV-04:\n" in text
    assert list(load(path)["answers"]) == ["INV-01", "INV-02", "INV-04"]
    assert load(path)["answers"]["INV-01"] == {
        "answer": "largely",
        "note": "Spreadsheet on the share, updated monthly",
    }


def methodology_meanings() -> dict[str, str]:
    """The answer table of docs/methodology.md: word → meaning, Markdown removed."""
    text = (ROOT / "docs" / "methodology.md").read_text()
    rows = re.findall(r"^\| `([a-z]+)` +\| [^|]+\| (.+?) +\|$", text, flags=re.MULTILINE)
    return {word: meaning.replace("**", "").replace("`", "") for word, meaning in rows}


def test_the_scale_is_explained_once_and_on_question_mark_in_the_methodology_words(cli, tmp_path):
    documented = methodology_meanings()
    assert list(documented)[:4] == ["not", "partially", "largely", "fully"]
    ws = mini_workspace(tmp_path / "ws")
    result = cli("interview", ws, "--respondent", "Ann", input="p\n?\n\n\nq\n")
    out = " ".join(result.stdout.split())
    for word in ("not", "partially", "largely", "fully"):
        assert f"{word} {documented[word]}" in out, word
    # Once at the start, once more for the ? typed at the note prompt.
    assert out.count("The answer scale:") == 2
    assert out.count(f"partially {documented['partially']}") == 2


# --- real terminals -----------------------------------------------------------------------------


def answer_one(child: pexpect.spawn, reply: str, note: str = "", evidence: str = "") -> None:
    child.expect(PROMPT)
    child.sendline(reply)
    child.expect("saved:")
    child.expect(NOTE)
    child.sendline(note)
    child.expect(EVIDENCE)
    child.sendline(evidence)


@pytest.mark.slow
def test_killed_interview_keeps_every_saved_answer(tmp_path):
    """SIGKILL while the respondent is typing: the file holds every answer given, intact."""
    ws = mini_workspace(tmp_path / "ws")
    child = spawn("interview", str(ws), "--respondent", "Ann")
    for reply in ("f", "l"):
        answer_one(child, reply, "kept", "DOC-1")
    child.expect(PROMPT)
    child.send("par")  # half-typed, never confirmed
    child.kill(signal.SIGKILL)
    child.wait()
    data = load(ws / "answers" / "ann.yaml")
    assert data["answers"] == {
        "INV-01": {"answer": "fully", "note": "kept", "evidence": ["DOC-1"]},
        "INV-02": {"answer": "largely", "note": "kept", "evidence": ["DOC-1"]},
    }
    assert not [p for p in (ws / "answers").iterdir() if p.name != "ann.yaml"]


@pytest.mark.slow
@pytest.mark.parametrize("how", ["dropped terminal", "ctrl-c"])
def test_the_answer_is_saved_before_its_note_is_asked(tmp_path, how):
    ws = mini_workspace(tmp_path / "ws")
    child = spawn("interview", str(ws), "--respondent", "Ann")
    child.expect(PROMPT)
    child.sendline("l")
    child.expect(NOTE)
    child.send("half a no")
    if how == "dropped terminal":
        child.close(force=True)  # hang-up, then kill: the process never reaches its end
    else:
        child.sendintr()
        child.expect("Saved 1 of 8 answers")
        child.expect(pexpect.EOF)
        child.wait()
        assert child.exitstatus == 0
    assert load(ws / "answers" / "ann.yaml")["answers"] == {"INV-01": {"answer": "largely"}}


@pytest.mark.slow
def test_text_is_wrapped_to_an_80_column_terminal(cli, tmp_path):
    """The bundled questionnaire's long guidance in an 80x24 terminal: no line is longer than
    the terminal, so the terminal never breaks a word."""
    ws = tmp_path / "ws"
    assert cli("init", ws, "--org", "Acme").exit_code == 0
    bundled = YAML(typ="safe").load((ROOT / "questionnaires" / "cmmm.yaml").read_text())
    first = bundled["dimensions"][0]["practices"][:3]
    child = spawn("interview", str(ws), "--respondent", "Ann", columns=80)
    pages = []
    for _ in first:
        child.expect(PROMPT)
        pages.append(child.before)
        child.sendline("s")
    child.expect(PROMPT)
    child.sendline("q")
    child.expect(pexpect.EOF)
    lines = "".join(pages).replace("\r\n", "\n").split("\n")
    too_long = [line for line in lines if len(line) > 80]
    assert too_long == []
    text = " ".join("".join(pages).split())
    for practice in first:  # every word whole, in order
        assert " ".join(practice["question"].split()) in text
        assert " ".join(practice["guidance"].split()) in text


@pytest.mark.slow
def test_two_interviews_of_one_respondent_at_once_keep_both_sets_of_answers(tmp_path):
    """Two terminals, same respondent, turns taken answer by answer; no file existed before."""
    ws = mini_workspace(tmp_path / "ws")
    inventory = spawn("interview", str(ws), "--respondent", "Ann", "--dimension", "inventory")
    automation = spawn("interview", str(ws), "--respondent", "Ann", "--dimension", "automation")
    for turn in range(4):
        answer_one(inventory, "lpfn"[turn], f"inv {turn}", f"I-{turn}")
        answer_one(automation, "nfpl"[turn], f"aut {turn}", "")
    for child in (inventory, automation):
        child.expect("Saved 4 of 4 answers")
        child.expect(pexpect.EOF)
    words = {"l": "largely", "p": "partially", "f": "fully", "n": "not"}
    expected = {}
    for turn in range(4):
        expected[f"INV-0{turn + 1}"] = {
            "answer": words["lpfn"[turn]],
            "note": f"inv {turn}",
            "evidence": [f"I-{turn}"],
        }
    for turn in range(4):
        expected[f"AUT-0{turn + 1}"] = {"answer": words["nfpl"[turn]], "note": f"aut {turn}"}
    assert sorted(p.name for p in (ws / "answers").iterdir()) == ["ann.yaml"]
    data = load(ws / "answers" / "ann.yaml")
    assert data["answers"] == expected
    assert list(data["answers"]) == MINI_ORDER


WRITER = """
import sys
from pathlib import Path
from assess.support.files import atomic_write
path = Path(sys.argv[1])
contents = [("A" * 200_000 + "\\n"), ("B" * 300_000 + "\\n")]
print("ready", flush=True)
i = 0
while True:
    atomic_write(path, contents[i % 2])
    i += 1
"""


@pytest.mark.parametrize("delay", [0.05, 0.11, 0.17, 0.23, 0.31])
def test_atomic_write_never_leaves_a_torn_file(tmp_path, delay):
    target = tmp_path / "answers.yaml"
    target.write_text("A" * 200_000 + "\n")
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(target)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready"
    time.sleep(delay)
    process.kill()
    process.wait(timeout=10)
    content = target.read_text()
    assert content in ("A" * 200_000 + "\n", "B" * 300_000 + "\n")
