"""Hostile values inside well-formed inputs (issue 19): dates beyond the calendar, key modes
that are not octal, weights that are not finite, result numbers off every scale, file names
that are not UTF-8, links out of the workspace and out of the template folders, escape
sequences. Each is generated here and ends in exit 2 with one message naming the file and the
place, never a traceback."""

from __future__ import annotations

import json
import os
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from factories import mini_workspace
from hostile import bounded

from assess.support.dates import parse_moment
from assess.support.words import printable

DEMO = Path(__file__).parent.parent / "examples" / "demo"
BUNDLE = DEMO / "evidence" / "files-web-and-share.json"
RESULT = DEMO / "baseline" / "2026-05-29.result.json"
LATER_RESULT = DEMO / "baseline" / "2026-08-28.result.json"
DAY = "2026-11-30"


def workspace(tmp_path: Path, **fields) -> Path:
    return mini_workspace(tmp_path / "ws", {"Jane Doe": {"INV-01": {"answer": "fully"}}}, **fields)


def with_bundle(tmp_path: Path, change) -> Path:
    """A workspace holding the demo's file-scan bundle after ``change(data)``."""
    ws = workspace(tmp_path)
    data = json.loads(BUNDLE.read_text())
    change(data)
    (ws / "evidence" / "scan.json").write_text(json.dumps(data, indent=1))
    return ws


def assert_refused(result, message: str) -> None:
    """Exit 2, a message starting with ``message``, no traceback."""
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"error: {message}"), result.stderr
    assert "Traceback" not in result.stderr


# --- dates beyond the calendar -------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "moment", "where"),
    [
        ("collected_at", "9999-12-31T23:59:59-12:00", "in UTC it falls before year 1 or after"),
        ("not_after", "9999-12-31T23:59:59-00:01", "in UTC it falls before year 1 or after"),
        ("not_before", "0001-01-01T00:00:00+12:00", "in UTC it falls before year 1 or after"),
    ],
)
def test_a_bundle_time_beyond_the_calendar_is_a_field_error(cli, tmp_path, field, moment, where):
    def change(data):
        if field == "collected_at":
            data[field] = moment
        else:
            data["observations"][0]["certificates"][1][field] = moment

    ws = with_bundle(tmp_path, change)
    place = field if field == "collected_at" else f"observations[0].certificates[1].{field}"
    result = cli("score", ws, "--at", DAY)
    assert_refused(
        result,
        f"{ws / 'evidence' / 'scan.json'}: {place}: {moment} is outside the calendar: {where}",
    )


def test_the_end_of_the_calendar_in_utc_is_a_valid_expiry(cli, tmp_path):
    # RFC 5280: 99991231235959Z means "no well-defined expiration date".
    def change(data):
        data["observations"][0]["certificates"][1]["not_after"] = "9999-12-31T23:59:59Z"

    result = cli("score", with_bundle(tmp_path, change), "--at", DAY)
    assert result.exit_code == 0, result.output


def test_an_evaluation_date_of_9999_12_31_exits_2_and_the_day_before_is_scored(cli, tmp_path):
    ws = with_bundle(tmp_path, lambda data: None)
    assert_refused(
        cli("score", ws, "--at", "9999-12-31"),
        "the evaluation date 9999-12-31 is after 9999-12-30, the last day the tool evaluates at",
    )
    for day in ("9999-12-30", "0001-01-01"):
        result = cli("score", ws, "--at", day, "--json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["evaluated_at"] == day


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9999-12-31T23:59:59-12:00", None),
        ("0001-01-01T00:00:00+01:00", None),
        ("9999-12-31T23:59:59Z", datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)),
        ("0001-01-01T00:00:00-01:00", datetime(1, 1, 1, 1, 0, tzinfo=UTC)),
    ],
)
def test_the_moment_parser_says_a_time_beyond_the_calendar_is_not_one(text, expected):
    assert parse_moment(text) == expected


def test_an_assessment_date_with_a_time_beyond_the_calendar_is_a_field_error(cli, tmp_path):
    ws = workspace(tmp_path, period={"start": "2026-11-01", "end": "9999-12-31T23:59:59-12:00"})
    result = cli("score", ws, "--at", DAY)
    assert result.exit_code == 2, result.output
    assert f"{ws / 'assessment.yaml'}:" in result.stderr and "period.end" in result.stderr
    assert "Traceback" not in result.stderr


# --- values the model refuses --------------------------------------------------------------


def test_a_key_mode_that_is_not_octal_is_a_validation_error(cli, tmp_path):
    def change(data):
        data["keys"][0]["mode"] = "rw-r--r--"

    ws = with_bundle(tmp_path, change)
    assert_refused(
        cli("score", ws, "--at", DAY),
        f"{ws / 'evidence' / 'scan.json'}: keys[0].mode: 'rw-r--r--' is not a file mode in "
        "octal digits, like 0600",
    )


@pytest.mark.parametrize(
    ("weight", "message"),
    [
        (".inf", "Input should be a finite number"),
        ("-.inf", "Input should be a finite number"),
        (".nan", "Input should be a finite number"),
        ("0", "Input should be greater than 0"),
        ("-1", "Input should be greater than 0"),
    ],
)
@pytest.mark.parametrize(
    ("original", "field"),
    [("weight: 5", "dimensions[0].weight"), ("weight: 2", "dimensions[0].practices[1].weight")],
)
def test_questionnaire_weights_must_be_finite_and_positive(
    cli, tmp_path, weight, message, original, field
):
    ws = workspace(tmp_path)
    path = ws / "questionnaire.yaml"
    text = path.read_text()
    line = text[: text.index(original)].count("\n") + 1
    path.write_text(text.replace(original, f"weight: {weight}", 1))
    result = cli("report", ws, "--at", DAY, "--format", "html", "--out", tmp_path / "r.html")
    assert_refused(result, f"{path}:{line}: {field}: {message}")


@pytest.mark.parametrize("score", ["1e308", "-1e308"])
@pytest.mark.parametrize("form", ["text", "html"])
def test_compare_and_trend_refuse_a_result_whose_score_is_off_the_scale(cli, tmp_path, score, form):
    text = LATER_RESULT.read_text()
    changed = tmp_path / "later.json"
    changed.write_text(re.sub(r'"score": [0-9.]+', f'"score": {score}', text, count=1))
    expected = f"{changed}: overall.score: {float(score)!r} is out of range: a score is from 1 to 5"
    out = ["--format", form, "--out", tmp_path / f"out.{form}"]
    assert_refused(cli("compare", RESULT, changed, *out), expected)
    assert_refused(cli("trend", RESULT, changed, *out), expected)
    assert not (tmp_path / f"out.{form}").exists()


def test_every_number_off_its_scale_is_named_at_once(cli, tmp_path):
    data = json.loads(LATER_RESULT.read_text())
    data["dimensions"][1]["coverage"] = 1.5
    data["dimensions"][2]["practices"][0]["weight"] = 0
    data["overall"]["target_score"] = 0.5
    changed = tmp_path / "later.json"
    changed.write_text(json.dumps(data))
    result = cli("compare", RESULT, changed)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[1:4] == [
        f"  {changed}: overall.target_score: 0.5 is out of range: a score is from 1 to 5",
        f"  {changed}: dimensions[1].coverage: 1.5 is out of range: a completion, coverage or "
        "value is from 0 to 1",
        f"  {changed}: dimensions[2].practices[0].weight: 0.0 is out of range: a weight is a "
        "finite number above 0",
    ]


def test_the_demo_results_are_within_every_scale(cli):
    result = cli("compare", RESULT, LATER_RESULT, "--format", "json")
    assert result.exit_code == 0, result.output


# --- file names and links ------------------------------------------------------------------


def undecodable(folder: Path, name: bytes) -> Path:
    """A path in ``folder`` whose name holds bytes that are not UTF-8."""
    return Path(os.fsdecode(os.fsencode(folder) + b"/" + name))


def test_file_names_that_are_not_utf8_are_named_not_read(cli, tmp_path):
    ws = workspace(tmp_path)
    (ws / "answers" / "jane-doe.yaml").rename(undecodable(ws / "answers", b"j\xf6rg.yaml"))
    shutil.copy(BUNDLE, undecodable(ws / "evidence", b"scan-\xff.json"))
    result = cli("report", ws, "--at", DAY, "--format", "json", "--out", tmp_path / "r.json")
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [
        "error: 2 problems:",
        f"  {ws}/answers/j\\xf6rg.yaml: the file name is not UTF-8 text: rename the file (the "
        "report names every input file, in UTF-8)",
        f"  {ws}/evidence/scan-\\xff.json: the file name is not UTF-8 text: rename the file "
        "(the report names every input file, in UTF-8)",
    ]
    assert not (tmp_path / "r.json").exists()


def test_a_path_in_a_bundle_escaping_half_a_utf16_pair_is_named_not_reported(cli, tmp_path):
    def change(data):
        data["observations"][3]["location"] = "web04/etc/tls/\udcff.pem"

    ws = with_bundle(tmp_path, change)  # json.dumps writes the lone half as \udcff
    line = (
        (ws / "evidence" / "scan.json")
        .read_text()
        .splitlines()
        .index('   "location": "web04/etc/tls/\\udcff.pem",')
    )
    result = cli("report", ws, "--at", DAY, "--format", "html", "--out", tmp_path / "r.html")
    assert_refused(
        result,
        f"{ws / 'evidence' / 'scan.json'}:{line + 1}: observations[3].location: invalid JSON: "
        "\\udcff is half of a UTF-16 pair, not a character",
    )


def test_an_escaped_pair_is_one_character_and_is_read():
    from assess.support.jsondoc import parse_json

    assert parse_json(b'{"note": "\\ud83d\\ude00"}', Path("x.json")) == {"note": "\U0001f600"}


def test_yaml_escaping_half_a_utf16_pair_is_refused_at_its_line(cli, tmp_path):
    ws = workspace(tmp_path)
    (ws / "answers" / "x.yaml").write_text(
        'respondent: {name: X}\nanswers:\n  INV-02: {answer: fully, note: "caf\\udce9"}\n'
    )
    assert_refused(
        cli("score", ws),
        f"{ws / 'answers' / 'x.yaml'}:3: invalid YAML: \\udce9 is half of a UTF-16 pair, not a "
        "character: write the character itself",
    )


def test_a_workspace_in_a_folder_whose_name_is_not_utf8_is_scored(cli, tmp_path):
    ws = mini_workspace(undecodable(tmp_path, b"acme-\xe9t\xe9"), {"Jane Doe": {}})
    shutil.copy(BUNDLE, ws / "evidence" / "scan.json")
    result = cli("report", ws, "--at", DAY, "--format", "json", "--out", tmp_path / "r.json")
    assert result.exit_code == 0, result.output
    document = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert document["respondents"][0]["file"] == "answers/jane-doe.yaml"


@pytest.mark.parametrize(("folder", "name"), [("answers", "o.yaml"), ("evidence", "o.json")])
def test_a_link_to_a_file_outside_the_workspace_is_refused(cli, tmp_path, folder, name):
    ws = workspace(tmp_path)
    outside = tmp_path / "elsewhere" / name
    outside.parent.mkdir()
    outside.write_text(
        BUNDLE.read_text() if folder == "evidence" else "respondent: {name: Out}\nanswers: {}\n"
    )
    (ws / folder / name).symlink_to(outside)
    assert_refused(
        cli("score", ws, "--at", DAY),
        f"{ws / folder / name}: is a link to {outside}, outside the workspace: inputs are read "
        "from inside it only (copy the file into the workspace)",
    )


def test_a_link_inside_the_workspace_is_followed(cli, tmp_path):
    ws = workspace(tmp_path)
    kept = ws / "scans" / "2026-11.json"
    kept.parent.mkdir()
    shutil.copy(BUNDLE, kept)
    (ws / "evidence" / "latest.json").symlink_to(kept)
    result = cli("score", ws, "--at", DAY, "--json")
    assert result.exit_code == 0, result.output
    sources = json.loads(result.stdout)["evidence"]["sources"]
    assert [s["file"] for s in sources] == ["evidence/latest.json"]


# --- templates -----------------------------------------------------------------------------


def test_a_template_linking_to_etc_passwd_is_refused_not_included(cli, tmp_path):
    templates = tmp_path / "templates"
    (templates / "partials").mkdir(parents=True)
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n")
    (templates / "report.html.j2").write_text('{% include "partials/footer.html.j2" %}\n')
    (templates / "partials" / "footer.html.j2").symlink_to(secret)
    out = tmp_path / "r.html"
    args = ["--at", DAY, "--format", "html", "--out", out, "--template-dir", templates]
    result = cli("report", workspace(tmp_path), *args)
    assert_refused(
        result,
        f"{templates}/partials/footer.html.j2: template 'partials/footer.html.j2' is a link to "
        f"{secret}, outside the template folders: templates are read only from inside them",
    )
    assert not out.exists()
    (templates / "report.html.j2").unlink()
    (templates / "report.html.j2").symlink_to("/etc/passwd")
    result = cli("report", workspace(tmp_path / "2"), *args)
    assert_refused(result, f"{templates}/report.html.j2: template 'report.html.j2' is a link to")


def test_a_template_linking_inside_the_template_folder_is_read(cli, tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "mine.html.j2").write_text("<p>{{ report.cover.organisation }}</p>\n")
    (templates / "report.html.j2").symlink_to(templates / "mine.html.j2")
    out = tmp_path / "r.html"
    args = ["--at", DAY, "--format", "html", "--out", out, "--template-dir", templates]
    result = cli("report", workspace(tmp_path), *args)
    assert result.exit_code == 0, result.output
    assert out.read_text() == "<p>Acme Corp</p>\n"


def test_a_template_that_is_a_named_pipe_is_not_waited_for(cli, tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    os.mkfifo(templates / "report.html.j2")  # not a file: the bundled template is used
    out = tmp_path / "r.html"
    args = ["--at", DAY, "--format", "html", "--out", out, "--template-dir", templates]
    result = bounded(lambda: cli("report", workspace(tmp_path), *args))
    assert result.exit_code == 0, result.output


# --- what error messages echo --------------------------------------------------------------


def test_escape_sequences_from_an_input_are_shown_escaped(cli, tmp_path):
    ws = workspace(tmp_path)
    (ws / "answers" / "x.yaml").write_text(
        'respondent: {name: X}\nanswers: {"\\e[31mRED\\e]0;owned\\a\\u202e": {answer: yes}}\n'
    )
    result = cli("score", ws)
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "\u202e" not in result.stderr
    assert (
        f"  {ws / 'answers' / 'x.yaml'}:2: answers.\\x1b[31mRED\\x1b]0;owned\\x07\\u202e.answer: "
        "'yes' is not an answer" in result.stderr
    )


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain, with tab\tand\nline feed", "plain, with tab\tand\nline feed"),
        ("\x1b[2J\rcleared", "\\x1b[2J\\x0dcleared"),
        ("\x9b31m C1 CSI, \x7f DEL", "\\x9b31m C1 CSI, \\x7f DEL"),
        ("abc\u202edef\u2066", "abc\\u202edef\\u2066"),
        (os.fsdecode(b"caf\xe9.yaml"), "caf\\xe9.yaml"),
        ("Kowalski – Zürich ✓", "Kowalski – Zürich ✓"),
    ],
)
def test_printable_escapes_what_acts_on_a_terminal_and_keeps_text(text, shown):
    assert printable(text) == shown
