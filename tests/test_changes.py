"""Changes to one practice: merged into the file as it is on disk, in questionnaire order, with
comments kept, refused whole when any is invalid, and safe with two writers at once."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from factories import mini_workspace
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from assess.inputs import changes as changes_module
from assess.inputs.changes import (
    AnswerChange,
    AnswerWithdrawal,
    Change,
    ChangeConflict,
    OverrideChange,
    apply_changes,
    find_answers,
    tag,
)
from assess.inputs.workspace import ReadCache, load_workspace
from assess.model.levels import Answer
from assess.model.workspace import AnswerEntry, Override, Respondent
from assess.support.errors import InputError

TODAY = date(2026, 11, 20)
ANN = Respondent(name="Ann")
TIMEOUT = 60


def load(path: Path):
    return YAML(typ="safe").load(path.read_text())


def apply(ws: Path, *changes):
    return apply_changes(ws, load_workspace(ws).questionnaire, list(changes), today=TODAY)


def test_a_new_respondent_gets_a_file_with_the_first_answer(tmp_path):
    ws = mini_workspace(tmp_path / "ws", {"Jane Doe": {}})
    applied = apply(
        ws, AnswerChange(Respondent(name="Jane-Doe", role="PKI lead"), "INV-01", Answer.FULLY)
    )
    # Another respondent's file already has the slug jane-doe.yaml.
    assert applied[0].path == ws / "answers" / "jane-doe-2.yaml"
    assert (ws / "answers" / "jane-doe-2.yaml").read_text() == (
        "respondent: {name: Jane-Doe, role: PKI lead}\n"
        "interviewed_at: 2026-11-20\n"
        "answers:\n"
        "  INV-01:\n"
        "    answer: fully\n"
    )
    assert applied[0].before is None
    assert applied[0].after == AnswerEntry(answer=Answer.FULLY)


def test_each_field_changes_alone(tmp_path):
    ws = mini_workspace(tmp_path / "ws")
    path = ws / "answers" / "ann.yaml"
    apply(ws, AnswerChange(ANN, "INV-01", Answer.PARTIALLY))
    apply(ws, AnswerChange(ANN, "INV-01", note="Spreadsheet on the share"))
    apply(ws, AnswerChange(ANN, "INV-01", evidence=("wiki/pki", "TICKET-1")))
    assert load(path)["answers"] == {
        "INV-01": {
            "answer": "partially",
            "note": "Spreadsheet on the share",
            "evidence": ["wiki/pki", "TICKET-1"],
        }
    }
    apply(ws, AnswerChange(ANN, "INV-01", Answer.LARGELY, note=""))
    assert load(path)["answers"] == {
        "INV-01": {"answer": "largely", "evidence": ["wiki/pki", "TICKET-1"]}
    }


def test_na_needs_its_reason_and_a_later_answer_drops_it(tmp_path):
    ws = mini_workspace(tmp_path / "ws", {"Ann": {"INV-01": {"answer": "fully"}}})
    path = ws / "answers" / "ann.yaml"
    before = path.read_bytes()
    with pytest.raises(InputError) as raised:
        apply(ws, AnswerChange(ANN, "INV-01", Answer.NA))
    assert str(raised.value) == f"{path}: answers.INV-01: an 'na' answer needs a written 'reason'"
    assert path.read_bytes() == before
    apply(ws, AnswerChange(ANN, "INV-01", Answer.NA, reason="No such systems"))
    apply(ws, AnswerChange(ANN, "INV-01", note="asked again"))  # the reason stays
    assert load(path)["answers"]["INV-01"] == {
        "answer": "na",
        "note": "asked again",
        "reason": "No such systems",
    }
    apply(ws, AnswerChange(ANN, "INV-01", Answer.NOT))
    assert load(path)["answers"]["INV-01"] == {"answer": "not", "note": "asked again"}


def test_every_problem_is_reported_and_nothing_is_written(tmp_path):
    ws = mini_workspace(tmp_path / "ws", {"Ann": {"INV-01": {"answer": "fully"}}})
    path = ws / "answers" / "ann.yaml"
    before = path.read_bytes()
    with pytest.raises(InputError) as raised:
        apply(
            ws, AnswerChange(ANN, "INV-09", Answer.FULLY), AnswerChange(ANN, "INV-02", Answer.NOT)
        )
    assert str(raised.value) == (
        "answers.INV-09: unknown practice id 'INV-09' (not in questionnaire mini 0.1.0)"
    )
    with pytest.raises(InputError) as raised:
        apply(
            ws,
            AnswerChange(ANN, "INV-02", Answer.NOT),
            AnswerChange(ANN, "INV-03", note="no answer yet"),
            AnswerChange(ANN, "INV-04", Answer.NA, reason=" "),
        )
    assert raised.value.problems[0].field == "answers.INV-03"
    assert raised.value.problems[0].message == "has no saved answer yet: give the answer first"
    assert raised.value.problems[1].field == "answers.INV-04"
    assert len(raised.value.problems) == 2
    assert path.read_bytes() == before


def test_a_change_from_a_stale_read_is_refused(tmp_path):
    ws = mini_workspace(tmp_path / "ws", {"Ann": {"INV-01": {"answer": "fully"}}})
    found = find_answers(ws, "Ann")
    assert found is not None
    read = tag(found[1].answers["INV-01"])
    assert read == tag(AnswerEntry(answer=Answer.FULLY))
    first = apply(ws, AnswerChange(ANN, "INV-01", note="first", if_match=read))
    assert first[0].tag == tag(AnswerEntry(answer=Answer.FULLY, note="first"))
    with pytest.raises(ChangeConflict) as raised:
        apply(ws, AnswerChange(ANN, "INV-01", note="second", if_match=read))
    assert raised.value.problems[0].field == "answers.INV-01"
    assert "changed by someone else since it was read" in str(raised.value)
    assert load(ws / "answers" / "ann.yaml")["answers"]["INV-01"]["note"] == "first"
    # Nothing saved is a state too: a first answer made from it conflicts with another one.
    apply(ws, AnswerChange(ANN, "INV-02", Answer.NOT, if_match=tag(None)))
    with pytest.raises(ChangeConflict):
        apply(ws, AnswerChange(ANN, "INV-02", Answer.FULLY, if_match=tag(None)))


HAND_WRITTEN = """\
# Ann's answers — keep this header
respondent: {name: Ann}
answers:
  INV-01:
    answer: largely  # checked together
  # asked twice, same answer
  INV-04: {answer: not}
  AUT-03:
    answer: fully
    note: drop me
    # about AUT-04
  AUT-04:
    answer: partially
    evidence:
      - X-1
# end of file
"""


def test_new_entries_take_their_questionnaire_place_and_comments_stay_put(tmp_path):
    ws = mini_workspace(tmp_path / "ws")
    path = ws / "answers" / "ann.yaml"
    path.write_text(HAND_WRITTEN)
    apply(
        ws,
        AnswerChange(ANN, "AUT-01", Answer.NA, reason="No renewals to script"),
        AnswerChange(ANN, "INV-02", Answer.FULLY, note="CMDB"),
        AnswerChange(ANN, "INV-01", evidence=("A", "B")),
        AnswerChange(ANN, "INV-04", note="Risk register"),
        AnswerChange(ANN, "AUT-03", note=""),
        AnswerChange(ANN, "AUT-04", evidence=("Y-1",)),
    )
    # Order of mini.yaml: INV-01..04, AUT-01..04; each comment above the entry it was above.
    assert path.read_text() == (
        "# Ann's answers — keep this header\n"
        "respondent: {name: Ann}\n"
        "answers:\n"
        "  INV-01:\n"
        "    answer: largely  # checked together\n"
        "    evidence: [A, B]\n"
        "  INV-02:\n"
        "    answer: fully\n"
        "    note: CMDB\n"
        "  # asked twice, same answer\n"
        "  INV-04: {answer: not, note: Risk register}\n"
        "  AUT-01:\n"
        "    answer: na\n"
        "    reason: No renewals to script\n"
        "  AUT-03:\n"
        "    answer: fully\n"
        "    # about AUT-04\n"
        "  AUT-04:\n"
        "    answer: partially\n"
        "    evidence:\n"
        "      - Y-1\n"
        "# end of file\n"
    )


def test_role_is_written_when_the_file_has_none(tmp_path):
    ws = mini_workspace(tmp_path / "ws", {"Ann": {"INV-01": {"answer": "fully"}}})
    apply(ws, AnswerChange(Respondent(name="Ann", role="Ops"), "INV-01", note="x"))
    assert load(ws / "answers" / "ann.yaml")["respondent"] == {"name": "Ann", "role": "Ops"}
    apply(ws, AnswerChange(Respondent(name="Ann", role="CISO"), "INV-01", note="y"))
    assert load(ws / "answers" / "ann.yaml")["respondent"] == {"name": "Ann", "role": "Ops"}


def test_overrides_are_set_replaced_and_withdrawn_in_assessment_yaml(tmp_path):
    ws = mini_workspace(tmp_path / "ws")
    path = ws / "assessment.yaml"
    path.write_text(
        path.read_text().replace("overrides: {}\n", "# decided with the CISO\noverrides: {}\n")
    )
    partially = Override(
        answer=Answer.PARTIALLY, justification="Only the web tier", evidence=("CHG-1",)
    )
    applied = apply(
        ws,
        OverrideChange("AUT-03", partially),
        OverrideChange("INV-02", Override(answer=Answer.NOT, justification="No owner field")),
    )
    assert [a.path for a in applied] == [path, path]
    text = path.read_text()
    assert text.endswith(
        "# decided with the CISO\n"
        "overrides:\n"
        "  INV-02: {answer: not, justification: No owner field}\n"
        "  AUT-03: {answer: partially, justification: Only the web tier, evidence: [CHG-1]}\n"
    )
    workspace = load_workspace(ws)
    assert workspace.assessment.overrides == {
        "INV-02": Override(answer=Answer.NOT, justification="No owner field"),
        "AUT-03": partially,
    }
    withdrawn = apply(
        ws, OverrideChange("INV-02", None, if_match=tag(workspace.assessment.overrides["INV-02"]))
    )
    assert withdrawn[0].after is None
    assert load_workspace(ws).assessment.overrides == {"AUT-03": partially}


WRITER = """
import sys, time
from datetime import date
from pathlib import Path
from assess.inputs.changes import AnswerChange, apply_changes
from assess.inputs.workspace import load_workspace
from assess.model.levels import Answer
from assess.model.workspace import Respondent

root, go, practices = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3].split(",")
questionnaire = load_workspace(root).questionnaire
ann = Respondent(name="Ann")
print("ready", flush=True)
while not go.exists():
    time.sleep(0.005)
for practice in practices:
    for change in (
        AnswerChange(ann, practice, Answer.LARGELY),
        AnswerChange(ann, practice, note=f"note on {practice}"),
        AnswerChange(ann, practice, evidence=(f"DOC-{practice}",)),
    ):
        apply_changes(root, questionnaire, [change], today=date(2026, 11, 20))
"""


@pytest.mark.slow
def test_two_processes_writing_one_respondent_at_once_keep_every_change(tmp_path):
    ws = mini_workspace(tmp_path / "ws", {"Ann": {"AUT-04": {"answer": "na", "reason": "earlier"}}})
    go = tmp_path / "go"
    groups = ["INV-01,INV-02,INV-03,INV-04", "AUT-01,AUT-02,AUT-03"]
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(ws), str(go), group],
            stdout=subprocess.PIPE,
            text=True,
        )
        for group in groups
    ]
    for writer in writers:  # both have read the questionnaire: start them together
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
    go.touch()
    for writer in writers:
        assert writer.wait(timeout=TIMEOUT) == 0
    expected = {
        practice: {
            "answer": "largely",
            "note": f"note on {practice}",
            "evidence": [f"DOC-{practice}"],
        }
        for group in groups
        for practice in group.split(",")
    }
    expected["AUT-04"] = {"answer": "na", "reason": "earlier"}
    assert load(ws / "answers" / "ann.yaml")["answers"] == expected
    assert list(load(ws / "answers" / "ann.yaml")["answers"]) == [
        "INV-01",
        "INV-02",
        "INV-03",
        "INV-04",
        "AUT-01",
        "AUT-02",
        "AUT-03",
        "AUT-04",
    ]
    assert sorted(p.name for p in (ws / "answers").iterdir()) == ["ann.yaml"]


def test_a_withdrawn_answer_leaves_the_practice_unanswered_and_the_comments_in_place(tmp_path):
    ws = mini_workspace(tmp_path / "ws")
    path = ws / "answers" / "ann.yaml"
    path.write_text(
        "respondent: {name: Ann}\n"
        "answers:\n"
        "  # interview of 2 November\n"
        "  INV-01:\n"
        "    answer: fully\n"
        "\n"
        "  # asked again in December\n"
        "  INV-02:\n"
        "    answer: not\n"
    )
    # The name in other case finds Ann's file (a new one would be answers/ann-2.yaml).
    applied = apply(ws, AnswerWithdrawal(Respondent(name="ANN"), "INV-01"))
    assert (applied[0].path, applied[0].before, applied[0].after) == (
        path,
        AnswerEntry(answer=Answer.FULLY),
        None,
    )
    assert path.read_text() == (
        "respondent: {name: Ann}\n"
        "answers:\n"
        "  # interview of 2 November\n"
        "\n"
        "  # asked again in December\n"
        "  INV-02:\n"
        "    answer: not\n"
    )
    apply(ws, AnswerWithdrawal(ANN, "INV-02"))
    assert load(path)["answers"] in (None, {})
    assert sorted(p.name for p in (ws / "answers").iterdir()) == ["ann.yaml"]


def test_withdrawing_the_only_override_under_a_comment_leaves_valid_yaml(tmp_path):
    ws = mini_workspace(tmp_path / "ws")
    path = ws / "assessment.yaml"
    text = path.read_text()
    assert "overrides: {}\n" in text
    path.write_text(
        text.replace(
            "overrides: {}\n",
            "overrides:\n  # agreed with Ann\n  INV-01: {answer: fully, justification: seen}\n",
        )
    )
    apply(ws, OverrideChange("INV-01", None))
    assert "overrides: {}\n" in path.read_text()
    assert load_workspace(ws).assessment.overrides == {}


# --- a writer that keeps what it wrote (assess serve) ------------------------------------------

PRACTICES = ["INV-01", "INV-02", "INV-03", "INV-04", "AUT-01", "AUT-02", "AUT-03", "AUT-04"]
CHANGES = st.one_of(
    st.builds(
        AnswerChange,
        st.just(ANN),
        st.sampled_from(PRACTICES),
        st.sampled_from([Answer.FULLY, Answer.LARGELY, Answer.NOT, None]),
        note=st.sampled_from([None, "", "CMDB", "a note: with # signs\nand two lines"]),
        evidence=st.sampled_from([None, (), ("X-1",), ("A", "B")]),
    ),
    st.builds(AnswerWithdrawal, st.just(ANN), st.sampled_from(PRACTICES)),
    st.builds(
        OverrideChange,
        st.sampled_from(PRACTICES),
        st.sampled_from(
            [None, Override(answer=Answer.NOT, justification="No owner field", evidence=("C",))]
        ),
    ),
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(st.lists(CHANGES, min_size=1, max_size=3), min_size=1, max_size=8))
def test_a_writer_with_a_cache_writes_what_one_parsing_every_time_writes(steps):
    # The cache hands the writer the round-trip document it wrote last instead of parsing the
    # file again; the files must come out as when every change parses them: the same lines,
    # but for whole-line comments, of which it keeps at least those (parsing again loses the
    # comment above a withdrawn practice when the entry before it ends with a flow list).
    with tempfile.TemporaryDirectory() as folder:
        parsing, keeping = (mini_workspace(Path(folder) / name) for name in ("parse", "keep"))
        for ws in (parsing, keeping):
            (ws / "answers" / "ann.yaml").write_text(HAND_WRITTEN)
        cache = ReadCache()
        questionnaire = load_workspace(parsing).questionnaire
        for changes in steps:
            outcomes = []
            for ws, kept in ((parsing, None), (keeping, cache)):
                try:
                    apply_changes(ws, questionnaire, changes, today=TODAY, cache=kept)
                    outcomes.append("written")
                except InputError as error:
                    outcomes.append(str(error).replace(str(ws), "WS"))
            assert outcomes[0] == outcomes[1]
            for name in ("answers/ann.yaml", "assessment.yaml"):
                kept, parsed = ((ws / name).read_text().splitlines() for ws in (keeping, parsing))
                assert [x for x in kept if not is_comment(x)] == [
                    x for x in parsed if not is_comment(x)
                ]
                assert not Counter(x for x in parsed if is_comment(x)) - Counter(
                    x for x in kept if is_comment(x)
                )
        assert load_workspace(keeping, cache=cache) == load_workspace(keeping)


def is_comment(line: str) -> bool:
    return line.lstrip().startswith("#")


def counting_round_trip_parses(monkeypatch) -> list[Path]:
    """The files the writer parses with the round-trip parser from now on."""
    parsed: list[Path] = []
    real = changes_module.parse_editable

    def parse_editable(path, **options):
        parsed.append(path)
        return real(path, **options)

    monkeypatch.setattr(changes_module, "parse_editable", parse_editable)
    return parsed


def test_a_file_the_writer_wrote_is_not_parsed_again_until_someone_else_changes_it(
    tmp_path, monkeypatch
):
    ws = mini_workspace(tmp_path / "ws", {"Ann": {"INV-01": {"answer": "fully"}}})
    path = ws / "answers" / "ann.yaml"
    questionnaire = load_workspace(ws).questionnaire
    cache = ReadCache()
    parsed = counting_round_trip_parses(monkeypatch)

    def change(*changes: Change) -> None:
        apply_changes(ws, questionnaire, list(changes), today=TODAY, cache=cache)

    change(AnswerChange(ANN, "INV-02", Answer.NOT))
    change(AnswerChange(ANN, "INV-03", Answer.FULLY))
    change(AnswerChange(ANN, "INV-03", note="kept in memory"))
    assert parsed == [path]
    # A hand edit of the same size, with the old modification time put back: still seen.
    stat = path.stat()
    path.write_text(path.read_text().replace("answer: not", "answer: all"))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    with pytest.raises(InputError) as raised:
        change(AnswerChange(ANN, "INV-04", Answer.FULLY))
    assert "answers.INV-02.answer" in str(raised.value)
    assert "answer: all" in path.read_text()  # reported, not overwritten
    path.write_text(path.read_text().replace("answer: all", "answer: largely  # by hand"))
    change(AnswerChange(ANN, "INV-04", Answer.FULLY))
    assert "answer: largely  # by hand" in path.read_text()
    assert parsed == [path, path]
    # A change refused leaves nothing half-applied in memory: the next one parses again.
    with pytest.raises(InputError):
        change(AnswerChange(ANN, "AUT-01", Answer.NOT), AnswerChange(ANN, "AUT-02", Answer.NA))
    change(AnswerChange(ANN, "AUT-01", Answer.NOT))
    assert parsed == [path, path, path]
    assert "AUT-02" not in load(path)["answers"]
    assert load(path)["answers"]["AUT-01"] == {"answer": "not"}
