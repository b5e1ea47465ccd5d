"""The interview, driven through its prompts; resuming; surviving a kill; keeping hand edits."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pexpect
import pytest
from factories import mini_workspace
from ruamel.yaml import YAML

from assess.inputs.interview import Command, default_answer, read_reply, split_references
from assess.model.levels import Answer

PROMPT = r"Answer \[n\]ot"


def load(path):
    return YAML(typ="safe").load(path.read_text())


def test_replies_are_read_case_insensitively():
    assert read_reply(" F ") is Answer.FULLY
    assert read_reply("na") is Answer.NA
    assert read_reply("n") is Answer.NOT
    assert read_reply("b") is Command.BACK
    assert read_reply("maybe") is None
    assert split_references("wiki/pki, TICKET-1 ,, ") == ("wiki/pki", "TICKET-1")


def test_default_prefers_the_saved_answer_over_a_suggestion():
    suggestions = {"P": Answer.PARTIALLY}
    assert default_answer("P", None, suggestions) is Answer.PARTIALLY
    assert default_answer("P", Answer.FULLY, suggestions) is Answer.FULLY
    assert default_answer("Q", None, suggestions) is None


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
        "",
        "",
        "",
        "No risk register exists",  # INV-04: Enter on the reason asks again
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


def test_interview_resumes_at_the_first_unanswered_practice(cli, tmp_path):
    ws = mini_workspace(
        tmp_path / "ws", {"Jane Doe": {"INV-01": {"answer": "fully"}, "INV-02": {"answer": "not"}}}
    )
    result = cli("interview", ws, "--respondent", "Jane Doe", input="q\n")
    assert "2 of 8 practices answered" in result.stdout
    assert "INV-03 · level 4 Managed" in result.stdout
    assert "INV-01 ·" not in result.stdout


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
    assert "Saved answer: partially — first note" in result.stdout
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
    given = {
        pid: {"answer": "fully"}
        for pid in ["INV-01", "INV-02", "INV-03", "INV-04", "AUT-01", "AUT-02", "AUT-03", "AUT-04"]
    }
    ws = mini_workspace(tmp_path / "ws", {"Ann": given})
    result = cli("interview", ws, "--respondent", "Ann")
    assert "Every practice is answered" in result.stdout


def test_hand_edits_and_comments_survive_a_later_interview(cli, tmp_path):
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
        "      updated monthly\n",
        encoding="utf-8",
    )
    cli("interview", ws, "--respondent", "Ann", input="p\n\n\nq\n")
    text = path.read_text()
    assert text.startswith("# Interview notes for Ann — keep this header\n")
    assert "answer: largely  # checked the spreadsheet together" in text
    assert load(path)["answers"] == {
        "INV-01": {"answer": "largely", "note": "Spreadsheet on the share, updated monthly"},
        "INV-02": {"answer": "partially"},
    }


def test_killed_interview_keeps_every_saved_answer(tmp_path):
    """SIGKILL while the respondent is typing: the file holds every answer given, intact."""
    ws = mini_workspace(tmp_path / "ws")
    child = pexpect.spawn(
        sys.executable,
        ["-m", "assess", "interview", str(ws), "--respondent", "Ann"],
        encoding="utf-8",
        timeout=30,
        env={**os.environ, "COLUMNS": "120"},
    )
    for reply in ("f", "l"):
        child.expect(PROMPT)
        child.sendline(reply)
        child.expect("Note")
        child.sendline("kept")
        child.expect("Evidence references")
        child.sendline("DOC-1")
        child.expect("saved:")
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
