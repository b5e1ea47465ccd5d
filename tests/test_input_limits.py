"""The one reader of input files and its limits (docs/cli.md, Limits): only regular files, a
size limit per kind, YAML and JSON nesting, integers Python does not convert, numbers beyond a
float. Each hostile input is made here; each case is refused with exit 2 and one message naming
the file and the place, in moments (issue 19)."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest
from factories import mini_workspace
from hostile import bounded, release_reader, run_isolated

from assess.support.errors import InputError
from assess.support.files import read_bytes, read_text
from assess.support.jsondoc import parse_json
from assess.support.limits import ANSWERS, SizeLimit
from assess.support.yamlio import parse_yaml

DEMO = Path(__file__).parent.parent / "examples" / "demo"
BUNDLE = DEMO / "evidence" / "files-web-and-share.json"
RESULT = DEMO / "baseline" / "2026-05-29.result.json"
LATER_RESULT = DEMO / "baseline" / "2026-08-28.result.json"
MiB = 1024 * 1024


def refused(call) -> str:
    """The message of the InputError ``call()`` raises, within the time bound."""
    with pytest.raises(InputError) as raised:
        bounded(call)
    return str(raised.value)


def workspace(tmp_path: Path) -> Path:
    return mini_workspace(tmp_path / "ws", {"Jane Doe": {"INV-01": {"answer": "fully"}}})


def assert_refused(result, message: str) -> None:
    """Exit 2, one message starting with ``message``, no traceback."""
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"error: {message}"), result.stderr
    assert "Traceback" not in result.stderr


# --- only regular files --------------------------------------------------------------------


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path):
    pipe = tmp_path / "answers.yaml"
    os.mkfifo(pipe)
    try:
        assert refused(lambda: read_bytes(pipe)) == (
            f"{pipe}: is a named pipe: only regular files are read"
        )
    finally:
        release_reader(pipe)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_link_to_an_endless_device_is_refused_unread(tmp_path, device):
    link = tmp_path / "bundle.json"
    link.symlink_to(device)
    assert refused(lambda: read_bytes(link)) == (
        f"{link}: is a link to {device}, a character device: only regular files are read"
    )


def test_a_socket_is_refused(tmp_path):
    path = tmp_path / "s.yaml"
    with socket.socket(socket.AF_UNIX) as listening:
        listening.bind(str(path))
        assert refused(lambda: read_text(path)) == (
            f"{path}: is a socket: only regular files are read"
        )


def test_a_folder_is_refused(tmp_path):
    assert refused(lambda: read_bytes(tmp_path)) == f"{tmp_path}: is a directory, expected a file"


def test_an_answers_file_that_is_a_pipe_exits_2_instead_of_hanging(cli, tmp_path):
    ws = workspace(tmp_path)
    pipe = ws / "answers" / "bob.yaml"
    os.mkfifo(pipe)
    try:
        result = bounded(lambda: cli("score", ws))
    finally:
        release_reader(pipe)
    assert_refused(result, f"{pipe}: is a named pipe: only regular files are read")


def test_an_assessment_file_and_a_bundle_that_are_pipes_exit_2(cli, tmp_path):
    ws = workspace(tmp_path)
    (ws / "assessment.yaml").unlink()
    os.mkfifo(ws / "assessment.yaml")
    try:
        result = bounded(lambda: cli("score", ws))
    finally:
        release_reader(ws / "assessment.yaml")
    assert_refused(result, f"{ws / 'assessment.yaml'}: is a named pipe")
    ws = workspace(tmp_path / "second")
    os.mkfifo(ws / "evidence" / "scan.json")
    try:
        result = bounded(lambda: cli("score", ws))
    finally:
        release_reader(ws / "evidence" / "scan.json")
    assert_refused(result, f"{ws / 'evidence' / 'scan.json'}: is a named pipe")


@pytest.mark.slow
def test_endless_devices_as_inputs_exit_2_in_bounded_memory(tmp_path):
    ws = mini_workspace(
        tmp_path / "q", questionnaire={"id": "mini", "version": "0.1.0", "file": "/dev/zero"}
    )
    done = run_isolated("score", ws)
    assert (done.returncode, done.stderr) == (
        2,
        "error: /dev/zero: is a character device: only regular files are read\n",
    )
    done = run_isolated("compare", "/dev/zero", RESULT)
    assert (done.returncode, done.stderr) == (
        2,
        "error: /dev/zero: is a character device: only regular files are read\n",
    )
    link = tmp_path / "export.json"
    link.symlink_to("/dev/urandom")
    done = run_isolated("evidence", "import", link, "--format", "crtsh", "--out", tmp_path / "b")
    assert (done.returncode, done.stderr) == (
        2,
        f"error: {link}: not a file\n",  # the command checks this before the reader does
    )


# --- sizes ---------------------------------------------------------------------------------


def test_a_file_larger_than_its_kind_may_be_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "answers.yaml"
    with big.open("wb") as stream:
        stream.truncate(16 * MiB + 1)  # sparse: nothing is written to the disk
    with pytest.raises(InputError) as raised:
        bounded(lambda: read_bytes(big, limit=ANSWERS))
    assert raised.value.diagnostics() == (
        f"{big}: is 16,777,217 bytes, more than the 16 MiB an answers file may be: not read\n"
        "Hint: the limits of the inputs are in docs/cli.md (Limits)"
    )
    with big.open("wb") as stream:
        stream.truncate(16 * MiB)
    assert len(read_bytes(big, limit=ANSWERS)) == 16 * MiB


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs Linux's /proc")
def test_a_file_that_says_it_is_empty_is_still_read_within_the_limit():
    # /proc files say they are 0 bytes long and have content: the limit holds while reading.
    maps = Path("/proc/self/maps")
    assert maps.stat().st_size == 0
    small = SizeLimit("a test file", 10)
    assert refused(lambda: read_bytes(maps, limit=small)).startswith(
        f"{maps}: is more than the 10 bytes a test file may be: not read"
    )


def test_an_oversized_answers_file_in_a_workspace_exits_2(cli, tmp_path):
    ws = workspace(tmp_path)
    with (ws / "answers" / "huge.yaml").open("wb") as stream:
        stream.truncate(64 * MiB)
    result = cli("score", ws)
    assert_refused(
        result,
        f"{ws / 'answers' / 'huge.yaml'}: is 67,108,864 bytes, more than the 16 MiB an answers "
        "file may be: not read",
    )


# --- YAML ----------------------------------------------------------------------------------

NESTED_YAML = [
    pytest.param("answers: " + "[" * 50_000 + "]" * 50_000 + "\n", 1, id="flow lists 50,000"),
    pytest.param("answers: " + "{a: " * 50_000 + "1" + "}" * 50_000 + "\n", 1, id="flow maps"),
    pytest.param(
        "answers:\n" + "".join(" " * i + "- \n" for i in range(3_000)), 101, id="block 3,000"
    ),
]


@pytest.mark.parametrize(("text", "line"), NESTED_YAML)
def test_yaml_nested_thousands_deep_is_refused_at_its_line(tmp_path, text, line):
    path = tmp_path / "deep.yaml"
    path.write_text(text)
    assert refused(lambda: parse_yaml(path)) == (
        f"{path}:{line}: nested more than 100 levels deep (mappings or lists inside each "
        "other): not read"
    )


def test_yaml_nested_100_levels_is_read(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 99 + "]" * 99 + "\n")  # the top mapping is the first level
    assert len(str(parse_yaml(path))) > 99
    path.write_text("a: " + "[" * 100 + "]" * 100 + "\n")
    assert "nested more than 100 levels" in refused(lambda: parse_yaml(path))


@pytest.mark.parametrize("name", ["answers/deep.yaml", "assessment.yaml"])
def test_a_deeply_nested_workspace_file_exits_2(cli, tmp_path, name):
    ws = workspace(tmp_path)
    (ws / name).write_text("organisation: " + "[" * 50_000 + "]" * 50_000 + "\n")
    result = bounded(lambda: cli("score", ws))
    assert_refused(result, f"{ws / name}:1: nested more than 100 levels deep")


def test_an_integer_of_5000_digits_in_yaml_is_refused_at_its_line(cli, tmp_path):
    ws = workspace(tmp_path)
    path = ws / "assessment.yaml"
    path.write_text(path.read_text().replace("default: 3", "default: " + "3" * 5_000))
    result = cli("score", ws)
    line = path.read_text().splitlines().index("  default: " + "3" * 5_000) + 1
    assert_refused(
        result,
        f"{path}:{line}: invalid YAML: an integer of 5,000 digits is out of range (at most "
        "4,300 digits are read)",
    )


# --- JSON ----------------------------------------------------------------------------------


def test_json_nested_200000_deep_is_refused_at_its_line():
    raw = b"{\n" + b'"a": ' + b"[" * 200_000 + b"]" * 200_000 + b"\n}"
    assert refused(lambda: parse_json(raw, Path("deep.json"))) == (
        "deep.json:2: nested more than 500 levels deep (lists or objects inside each other): "
        "not read"
    )


def test_json_nested_500_deep_is_read():
    assert parse_json(b"[" * 500 + b"]" * 500, Path("deep.json")) is not None


def test_an_integer_of_5000_digits_in_json_names_its_line_and_field():
    raw = b'{\n  "observations": [\n    {"key_size": ' + b"9" * 5_000 + b"}\n  ]\n}"
    assert refused(lambda: parse_json(raw, Path("b.json"))) == (
        "b.json:3: observations[0].key_size: an integer of 5,000 digits is out of range (at "
        "most 4,300 digits are read)"
    )


@pytest.mark.parametrize("number", ["1e999", "-1e400"])
def test_a_number_beyond_a_float_is_refused_not_read_as_infinity(number):
    raw = f'{{"score":\n {number}}}'.encode()
    assert refused(lambda: parse_json(raw, Path("r.json"))) == (
        f"r.json:2: invalid JSON: {number} is not a number JSON allows"
    )


def bundle_with(tmp_path: Path, text: str) -> Path:
    ws = workspace(tmp_path)
    (ws / "evidence" / "scan.json").write_text(text)
    return ws


def test_a_bundle_nested_200000_deep_exits_2(cli, tmp_path):
    ws = bundle_with(tmp_path, "[" * 200_000 + "]" * 200_000)
    result = cli("score", ws)
    assert_refused(result, f"{ws / 'evidence' / 'scan.json'}:1: nested more than 500 levels")


def test_a_bundle_with_an_integer_of_5000_digits_names_the_field(cli, tmp_path):
    data = json.loads(BUNDLE.read_text())
    data["observations"][2]["certificates"][0]["key_size"] = "KEY SIZE"
    text = json.dumps(data, indent=1).replace('"KEY SIZE"', "7" * 5_000)
    ws = bundle_with(tmp_path, text)
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "7" * 5_000 in t)
    result = cli("score", ws, "--at", "2026-11-30")
    assert_refused(
        result,
        f"{ws / 'evidence' / 'scan.json'}:{line}: observations[2].certificates[0].key_size: an "
        "integer of 5,000 digits is out of range",
    )


def test_a_result_nested_200000_deep_or_with_a_huge_integer_is_an_input_error_for_compare(
    cli, tmp_path
):
    deep = tmp_path / "deep.json"
    deep.write_text('{"schema": "cmmm-result/1", "x": ' + "[" * 200_000 + "]" * 200_000 + "}")
    assert_refused(cli("compare", deep, LATER_RESULT), f"{deep}:1: nested more than 500 levels")
    text = RESULT.read_text()
    long = tmp_path / "long.json"
    long.write_text(text.replace('"level": 2,', '"level": ' + "2" * 5_000 + ",", 1))
    line = next(n for n, t in enumerate(long.read_text().splitlines(), 1) if "2" * 5_000 in t)
    result = cli("trend", long, LATER_RESULT)
    assert_refused(result, f"{long}:{line}: overall.level: an integer of 5,000 digits")


def test_an_import_file_nested_200000_deep_exits_2(cli, tmp_path):
    source = tmp_path / "sslyze.json"
    source.write_text("[" * 200_000 + "]" * 200_000)
    out = tmp_path / "bundle.json"
    result = cli("evidence", "import", source, "--format", "sslyze", "--out", out)
    assert_refused(result, f"{source}:1: nested more than 500 levels")
    assert not out.exists()
