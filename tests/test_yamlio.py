"""The two YAML readers agree: what parse_yaml reads through libyaml is what the round-trip
parser (parse_editable, the reader before there were two) reads, or parse_yaml uses that one.

The expected values come from the round-trip parser, an independent implementation of YAML 1.2:
on every YAML file of the repository, on the cases where YAML 1.1 and 1.2 differ, on hostile
ones, and on documents hypothesis writes and then damages.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assess.model.questionnaire import Questionnaire
from assess.model.workspace import AnswersFile
from assess.support.errors import InputError
from assess.support.yamlio import (
    Document,
    line_of,
    load_model,
    parse_editable,
    parse_yaml,
    plain_document,
)

ROOT = Path(__file__).resolve().parent.parent


def plain(value: Any) -> Any:
    """``value`` with its exact kind kept (``True`` is not ``1``) and ruamel.yaml's formatting
    subclasses (``ScalarFloat``, ``LiteralScalarString``, …) as the values they equal."""
    if isinstance(value, dict):
        return ("map", [(plain(key), plain(item)) for key, item in value.items()])
    if isinstance(value, list):
        return ("seq", [plain(item) for item in value])
    if value is None or type(value) is bool:
        return value
    if isinstance(value, int):
        return ("int", int(value))
    if isinstance(value, float):
        return ("float", repr(float(value)))
    if isinstance(value, str):
        return ("str", str(value))
    if isinstance(value, datetime.datetime):
        return ("datetime", value.isoformat())
    if isinstance(value, datetime.date):
        return ("date", value.isoformat())
    return ("other", type(value).__name__, repr(value))


def outcome(read: Any, path: Path) -> Any:
    """What a reader makes of ``path``: its values, or its message."""
    try:
        return plain(read(path))
    except InputError as error:
        return ("error", str(error))


def agree(path: Path, text: str) -> bool:
    """Both readers give the same values or the same message for ``text``; whether libyaml's
    reading was used."""
    path.write_text(text, encoding="utf-8", newline="")
    assert outcome(parse_yaml, path) == outcome(parse_editable, path), text
    return plain_document(text) is not None


REPOSITORY_YAML = sorted(
    path
    for folder in ("questionnaires", "schedules", "examples", "assess", "tests")
    for pattern in ("*.yaml", "*.yml")
    for path in (ROOT / folder).rglob(pattern)
)


@pytest.mark.parametrize("path", REPOSITORY_YAML, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_yaml_file_of_the_repository_reads_the_same(path, tmp_path):
    assert agree(tmp_path / "copy.yaml", path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "relative",
    [
        "questionnaires/cmmm.yaml",
        "schedules/cmmm.yaml",
        "assess/model/algorithms.yaml",
        "examples/demo/assessment.yaml",
        "examples/demo/answers/marta-kowalski.yaml",
    ],
)
def test_the_files_read_on_every_run_take_the_fast_reading(relative):
    # The point of the second reader: these are the files docs/performance.md measures.
    assert plain_document((ROOT / relative).read_text(encoding="utf-8")) is not None


SCALARS_1_1_VERSUS_1_2 = [
    # YAML 1.1 booleans are text in 1.2
    *["yes", "no", "Yes", "NO", "on", "off", "On", "OFF", "y", "n", "Y", "N"],
    *["true", "false", "True", "False", "TRUE", "FALSE", "tRUE"],
    # null
    *["~", "null", "Null", "NULL", "nULL"],
    "",
    # integers: octal, hexadecimal, binary, underscores, signs, leading zeros, sexagesimal
    *[
        "0",
        "-0",
        "+0",
        "7",
        "-7",
        "+7",
        "012",
        "0o17",
        "0O17",
        "0x1F",
        "0X1f",
        "0b101",
        "1_000",
        "00",
        "09",
        "190:20:30",
        "1:30",
    ],
    "9" * 5000,
    # floats
    *[
        "1.5",
        "-1.5",
        "+1.5",
        "1.",
        ".5",
        "1e3",
        "1E3",
        "1.5e3",
        "1.5e-3",
        "1_000.5",
        ".inf",
        "-.Inf",
        ".NaN",
        ".nan",
        "0.0",
        "-0.0",
    ],
    *["6.8523015e+5", "685.230_15e+03", "190:20:30.15", "1.50"],
    # timestamps, right and wrong
    *["2026-11-27", "2026-1-5", "2026-13-45", "2026-02-30", "0000-01-01", "9999-12-31"],
    "2026-11-27 10:00:00",
    "2026-11-27T10:00:00Z",
    "2026-11-27t10:00:00.5+02:00",
    "9999-12-31T23:59:59-01:00",
    # what is special in one version or reader or the other
    *[
        "<<",
        "=",
        "!",
        "&",
        "*",
        "-",
        "--",
        "---",
        "...",
        "?",
        ":",
        ",",
        "[",
        "]",
        "{",
        "}",
        "#",
        "%",
        "@",
        "`",
        "|",
        ">",
    ],
    "a b",
    "a: b",
    "a #b",
    "'quoted'",
    '"quoted"',
    "\\udcff",
    "tab\there",
]


@pytest.mark.parametrize("scalar", SCALARS_1_1_VERSUS_1_2)
@pytest.mark.parametrize(
    "form",
    ["a: {}\n", "a: [{}]\n", "a:\n  - {}\n", "{}: a\n", "a: '{}'\n", 'a: "{}"\n', "a: |\n  {}\n"],
)
def test_scalars_where_yaml_versions_and_readers_differ_read_the_same(tmp_path, scalar, form):
    agree(tmp_path / "x.yaml", form.replace("{}", scalar))


def test_plain_scalars_take_their_yaml_1_2_types():
    document = plain_document(
        "a: yes\nb: on\nc: true\ne: 12\nf: 1.5\ng: 2026-11-27\nh: ~\ni:\nj: '12'\n"
    )
    assert document == {
        "a": "yes",
        "b": "on",
        "c": True,
        "e": 12,
        "f": 1.5,
        "g": datetime.date(2026, 11, 27),
        "h": None,
        "i": None,
        "j": "12",
    }
    # Those the fast reading is not sure to make alike are left to the round-trip parser.
    for unusual in ("012", "0x1F", "1_000", "1e3", ".inf", "2026-11-27 10:00:00", "+5"):
        assert plain_document(f"a: {unusual}\n") is None, unusual


HOSTILE = {
    "billion laughs": "a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n",
    "an alias": "a: &x 1\nb: *x\n",
    "merge key": "a: &x {k: 1}\nb:\n  <<: *x\n",
    "merge key without alias": "b:\n  <<: {k: 1}\n",
    "duplicate key": "a: 1\nb: 2\na: 3\n",
    "duplicate key, int and bool": "1: a\ntrue: b\n",
    "YAML 1.1 directive": "%YAML 1.1\n---\na: yes\nb: 012\n",
    "tag directive": "%TAG !e! tag:example.com,2000:\n---\na: !e!x 1\n",
    "explicit tags": "a: !!str 12\nb: !!int '12'\nc: !!float 1\nd: !!binary aGk=\n",
    "set and omap": "a: !!set {x, y}\nb: !!omap [x: 1]\n",
    "python tag": "a: !!python/object/apply:os.system ['true']\n",
    "non-specific tag": "a: ! 12\n",
    "complex key": "? [a, b]\n: c\n",
    "mapping key": "? {a: b}\n: c\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "a list at the top": "- a\n- b\n",
    "a scalar at the top": "just text\n",
    "comments only": "# nothing\n",
    "half a UTF-16 pair": 'a: "\\udcff"\n',
    "control character": "a: b\x07c\n",
    "NUL": "a: b\x00c\n",
    "byte order mark": "\ufeffa: b\n",
    "CRLF": "a: b\r\nc:\r\n  - d\r\n",
    "tab indentation": "a:\n\t- b\n",
    "unclosed flow": "a: [b, c\n",
    "unclosed quote": "a: 'b\n",
    "deep flow": "a: " + "[" * 2000 + "]" * 2000 + "\n",
    "deep block": "a:\n" + "".join(" " * i + "- \n" for i in range(300)),
    "depth 99": "a: " + "[" * 98 + "]" * 98 + "\n",
    "depth 100": "a: " + "[" * 99 + "]" * 99 + "\n",
    "depth 101": "a: " + "[" * 100 + "]" * 100 + "\n",
    "huge integer": "a: " + "9" * 5000 + "\n",
    "impossible date": "a: 2026-13-45\n",
    "long key": "? " + "k" * 2000 + "\n: v\n",
    "escapes": 'a: "\\x41\\u00e9\\U0001F600\\t\\N\\_\\L\\P\\e\\0"\n',
    "folded": "a: >\n  one\n  two\n\n  three\nb: >-\n  x\n",
    "literal keep": "a: |+\n  x\n\n\nb: 1\n",
    "indentation indicator": "a: |2\n   x\n  y\n",
    "multi-line plain": "a: one\n  two\n   three\n",
    "flow in block": "a: {b: [1, {c: d}], e: f}\n",
    "empty values": "a:\nb: []\nc: {}\nd: ''\ne: \"\"\n",
    "null key": "~: a\nnull: b\n",
    "question mark plain": "a: ?b\nc: -d\n",
    "document end marker": "a: 1\n...\n",
    "explicit document start": "---\na: 1\n",
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_yaml_reads_the_same(tmp_path, text):
    agree(tmp_path / "x.yaml", text)


def test_a_key_the_round_trip_parser_cannot_hash_is_a_message_not_a_crash(tmp_path):
    # Found by the hypothesis test's documents: ruamel.yaml 0.19 raised a TypeError here.
    path = tmp_path / "x.yaml"
    path.write_text("a: 1\n? : {}\n", encoding="utf-8")
    for read in (parse_yaml, parse_editable):
        with pytest.raises(InputError) as raised:
            read(path)
        assert str(raised.value) == (
            f"{path}: invalid YAML: a key that is a mapping or a list cannot be read"
        )


def test_anchors_aliases_tags_and_directives_go_to_the_round_trip_parser():
    for name in ("billion laughs", "an alias", "merge key", "explicit tags", "YAML 1.1 directive"):
        assert plain_document(HOSTILE[name]) is None, name


# --- documents hypothesis writes ---------------------------------------------------------------

WORDS = [*SCALARS_1_1_VERSUS_1_2[:80], "practice", "INV-01", "Jane Doe", "é", "😀"]
TEXT = st.text(alphabet=st.sampled_from(list("ab01 :-#'\"\\{}[],&*!|>?%@`~.\t\n\r")), max_size=12)


def _scalar(draw: st.DrawFn) -> str:
    word = draw(st.one_of(st.sampled_from(WORDS), TEXT))
    style = draw(st.sampled_from(["plain", "single", "double"]))
    if style == "single":
        return "'" + word.replace("'", "''") + "'"
    if style == "double":
        return json.dumps(word, ensure_ascii=draw(st.booleans()))
    return word


@st.composite
def _node(draw: st.DrawFn, depth: int = 0) -> tuple[str, bool]:
    """YAML text for one value and whether it is written on its own lines (a block)."""
    kind = draw(st.sampled_from(["scalar", "map", "seq"] if depth < 4 else ["scalar"]))
    if kind == "scalar":
        return _scalar(draw), False
    count = draw(st.integers(0, 3))
    items = [draw(_node(depth + 1)) for _ in range(count)]
    keys = [_scalar(draw) for _ in range(count)]
    if count == 0 or draw(st.booleans()):  # flow style
        inner = [text.replace("\n", " ") for text, _ in items]
        if kind == "seq":
            return "[" + ", ".join(inner) + "]", False
        return "{" + ", ".join(f"{k}: {v}" for k, v in zip(keys, inner, strict=True)) + "}", False
    lines = []
    for key, (text, is_block) in zip(keys, items, strict=True):
        head = "- " if kind == "seq" else f"{key}:"
        if is_block:
            indented = "\n".join("  " + line for line in text.splitlines())
            lines.append(f"{head.rstrip()}\n{indented}")
        else:
            lines.append(f"{head}{'' if head.endswith(' ') else ' '}{text}")
    return "\n".join(lines), True


@st.composite
def documents(draw: st.DrawFn) -> str:
    """A top-level mapping, then maybe damaged by a few inserted or removed characters."""
    count = draw(st.integers(1, 4))
    lines = []
    for _ in range(count):
        key = _scalar(draw)
        text, is_block = draw(_node())
        if is_block:
            lines.append(f"{key}:\n" + "\n".join("  " + line for line in text.splitlines()))
        else:
            lines.append(f"{key}: {text}")
    text = "\n".join(lines) + "\n"
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(text)))
        if draw(st.booleans()):
            text = text[:at] + draw(st.sampled_from(list(" \t\n:-#'\"{}[],&*!|>?%"))) + text[at:]
        else:
            text = text[:at] + text[at + 1 :]
    return text


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=documents())
def test_documents_hypothesis_writes_read_the_same(tmp_path, text):
    agree(tmp_path / "x.yaml", text)


def test_hypothesis_documents_do_take_the_fast_reading():
    # The property above would hold trivially if the fast reading always gave up.
    assert plain_document("k: {a: [1, 'x', \"y\"], b: 2026-11-27}\nl:\n  - m: n\n") == {
        "k": {"a": [1, "x", "y"], "b": datetime.date(2026, 11, 27)},
        "l": [{"m": "n"}],
    }


# --- where things are --------------------------------------------------------------------------


def test_problems_in_a_fast_read_file_name_the_lines_the_round_trip_parser_finds(tmp_path):
    text = (ROOT / "examples/demo/answers/marta-kowalski.yaml").read_text(encoding="utf-8")
    path = tmp_path / "answers.yaml"
    path.write_text(text.replace("answer: fully", "answer: wholly", 1), encoding="utf-8")
    fast = parse_yaml(path)
    assert isinstance(fast, Document)
    located = parse_editable(path)
    practice = next(iter(located["answers"]))
    loc = ("answers", practice, "answer")
    assert line_of(fast, loc) == line_of(located, loc) is not None
    with pytest.raises(InputError) as raised:
        load_model(AnswersFile, path)
    wrong = text.splitlines().index(
        next(line for line in text.splitlines() if "answer: fully" in line)
    )
    assert f"{path}:{wrong + 1}: answers." in str(raised.value)


def test_the_questionnaire_validates_to_the_same_model_from_both_readers(tmp_path):
    path = ROOT / "questionnaires" / "cmmm.yaml"
    fast = Questionnaire.model_validate(parse_yaml(path))
    slow = Questionnaire.model_validate(parse_editable(path))
    assert fast == slow
    assert fast.model_dump_json() == slow.model_dump_json()
