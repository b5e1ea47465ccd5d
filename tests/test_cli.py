"""The command line as a whole: exit codes, help that matches docs/cli.md, choices generated
from enums, the progress line, and dependencies used through their public API only."""

from __future__ import annotations

import ast
import importlib
import os
import pkgutil
import re
import sys
from enum import StrEnum
from pathlib import Path

import pexpect
import pytest
import typer.main

import assess
from assess.cli import app
from assess.cli._app import EXIT_CODES, ExitCode, exit_code_of
from assess.cli._choices import (
    choices_help,
    chosen_formats,
    completer,
    format_of_file,
    parse_choice,
)
from assess.support.errors import AssessError, CheckFailed, EnvironmentProblem, InputError

ROOT = Path(__file__).resolve().parent.parent
CLI_DOC = ROOT / "docs" / "cli.md"


# --- exit codes --------------------------------------------------------------------------


def _all_modules() -> None:
    for info in pkgutil.walk_packages(assess.__path__, "assess."):
        if info.name != "assess.__main__":  # runs the command line
            importlib.import_module(info.name)


def _subclasses(kind: type) -> set[type]:
    found = set()
    for sub in kind.__subclasses__():
        found |= {sub} | _subclasses(sub)
    return found


# docs/cli.md's exit-code table, by error class: written here by hand from the table, so a new
# error class fails this test until someone decides (and documents) its exit code.
DOCUMENTED = {
    "InputError": 2,
    "CollectorError": 2,
    "ChangeConflict": 2,  # an answer changed by someone else since it was read: input to redo
    "CheckFailed": 1,
    "EnvironmentProblem": 3,
}


def test_every_error_class_the_tool_defines_has_its_documented_exit_code():
    _all_modules()
    classes = {c for c in _subclasses(AssessError) if c.__module__.startswith("assess.")}
    assert {c.__name__ for c in classes} == set(DOCUMENTED)
    for kind in classes:
        error = kind.__new__(kind)  # the code depends on the class only
        assert exit_code_of(error) == DOCUMENTED[kind.__name__], kind


def test_the_exit_code_table_is_the_documented_one():
    assert {e: int(e) for e in ExitCode} == {
        ExitCode.OK: 0,
        ExitCode.CHECK_FAILED: 1,
        ExitCode.BAD_INPUT: 2,
        ExitCode.ENVIRONMENT: 3,
    }
    assert {InputError: 2, CheckFailed: 1, EnvironmentProblem: 3} == EXIT_CODES
    rows = re.findall(r"^\| (\d) \|", CLI_DOC.read_text(encoding="utf-8"), flags=re.M)
    assert rows == ["0", "1", "2", "3"]


def test_an_error_class_without_an_exit_code_is_a_bug_not_a_guess():
    class Unmapped(AssessError):
        pass

    with pytest.raises(TypeError, match="Unmapped has no exit code"):
        exit_code_of(Unmapped("x"))


def test_errors_are_one_line_and_their_exit_code(cli, tmp_path):
    done = cli("score", tmp_path / "nowhere")
    assert done.exit_code == 2
    assert done.stderr.startswith("error: ") and "Traceback" not in done.stderr
    done = cli("init", tmp_path / "ws", "--org", "Acme", "--start", "next week")
    assert done.exit_code == 2
    assert "--start: 'next week' is not an ISO 8601 date" in done.stderr
    assert not (tmp_path / "ws").exists()


# --- help and docs/cli.md ----------------------------------------------------------------


def _commands() -> list[tuple[tuple[str, ...], object]]:
    """Every command (not group) with its path: (("scan", "tls"), command)."""
    root = typer.main.get_command(app)
    found = []

    def walk(group, path, parent):
        ctx = group.make_context(
            " ".join(("assess", *path)), [], parent=parent, resilient_parsing=True
        )
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            if hasattr(command, "list_commands"):
                walk(command, (*path, name), ctx)
            else:
                found.append(((*path, name), command))

    walk(root, (), None)
    return found


COMMANDS = _commands()


def _options_in_help(text: str) -> set[str]:
    """Option names in the Options section of ``--help`` output."""
    section = text.split("\nOptions:\n", 1)[1].split("\n\n", 1)[0]
    names = set()
    for line in section.splitlines():
        if re.match(r"^  -", line):
            column = re.split(r"\s{2,}", line.strip(), maxsplit=1)[0]
            names |= set(re.findall(r"(?<![\w-])--?[a-z][a-z-]*", column))
    return names - {"-h", "--help"}


def _doc_sections() -> dict[str, str]:
    """docs/cli.md's sections by the code span of their heading (``assess scan tls …``)."""
    text = CLI_DOC.read_text(encoding="utf-8")
    sections = {}
    for match in re.finditer(r"^(#{2,3}) `([^`]+)`[^\n]*\n(.*?)(?=^#{2,3} |\Z)", text, re.M | re.S):
        sections[match.group(2)] = match.group(3)
    return sections


def _doc_section(path: tuple[str, ...]) -> tuple[str, str]:
    prefix = " ".join(("assess", *path))
    # `assess scan tls [TARGET]... --out FILE`: the command, then its arguments or options
    # (not `assess scan …`, which introduces several commands)
    found = [
        (heading, body)
        for heading, body in _doc_sections().items()
        if heading == prefix or (path and re.match(re.escape(prefix) + r" [A-Z\[-]", heading))
    ]
    assert len(found) == 1, f"docs/cli.md needs one section headed `{prefix} …`, found {found}"
    return found[0]


def _options_in_doc(body: str) -> set[str]:
    """Option names in the first column of a section's option table."""
    names = set()
    for line in body.splitlines():
        cell = re.match(r"^\| (`-.*?)(?<!\\)\|", line)
        if cell:
            names |= set(re.findall(r"(?<![\w-])--?[a-z][a-z-]*", cell.group(1)))
    return names


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=" ".join)
def test_every_option_in_help_is_documented_and_every_documented_option_exists(cli, path):
    done = cli(*path, "--help")
    assert done.exit_code == 0, done.output
    heading, body = _doc_section(path)
    assert _options_in_help(done.stdout) == _options_in_doc(body), f"docs/cli.md `{heading}`"
    usage = done.stdout.splitlines()[0]
    for argument in re.findall(r"[A-Z][\w.|=-]*", usage.split("[OPTIONS]", 1)[1]):
        assert argument in heading, f"`{heading}` should name the argument {argument}"


def test_the_global_options_are_documented(cli):
    done = cli("--help")
    heading, body = _doc_section(())
    assert heading == "assess"
    assert _options_in_help(done.stdout) == _options_in_doc(body)


def test_every_command_is_in_the_command_list_with_its_whole_summary(cli):
    listed = cli("--help").stdout.split("\nCommands:\n", 1)[1]
    names = re.findall(r"^  (\S+)", listed, re.M)
    assert names[:3] == ["demo", "init", "interview"]  # the order of an assessment
    assert {p[0] for p, _ in COMMANDS} == set(names)
    assert "..." not in listed and "…" not in listed.replace("(PKI lead, …)", "")


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_help_has_one_style(cli, path, command):
    text = cli(*path, "--help").stdout
    assert not re.search(r"<[a-z]|\{[A-Z]|…\]|\[default: [^\]]*\]\s*\[default", text), text
    assert "(default" not in text.lower() and "default:" not in text.replace("[default:", "")
    for param in command.params:
        if param.param_type_name == "argument":
            assert re.fullmatch(r"[A-Z][A-Z0-9_]*(\.[a-z]+)?", param.metavar or ""), param.name
            continue
        if not param.is_flag:
            assert re.fullmatch(r"[A-Z][A-Z0-9_|=]*(\.[a-z]+)?", param.metavar or ""), param.opts
        if param.multiple:
            assert "(repeatable)" in param.help, param.opts
        if param.default not in (None, False, [], (), "") and not param.is_flag:
            assert isinstance(param.show_default, str), f"{param.opts}: show the default"


def test_help_wraps_at_spaces_only(cli):
    text = cli("keygen", "--help", env={"COLUMNS": "60"}).stdout
    assert "signing-cert.pem" in text and "signing-\n" not in text


def test_completion_is_on(cli):
    assert "--install-completion" in cli("--help").stdout


# --- choices from enums ------------------------------------------------------------------


class Fruit(StrEnum):
    APPLE = "apple"
    PEAR = "pear"
    PLUM = "plum"

    @property
    def description(self) -> str:
        return {"apple": "red or green", "pear": "soft", "plum": "a stone fruit"}[self.value]


class Bare(StrEnum):
    ONE = "one"
    TWO = "two"


def _suffixes(fruit: Fruit) -> tuple[str, ...]:
    return {"apple": (".apl",), "pear": (".per", ".pr"), "plum": (".per",)}[fruit.value]


def test_choices_and_their_help_come_from_the_enum():
    assert choices_help(Fruit, "Which fruit.") == (
        "Which fruit. apple: red or green; pear: soft; plum: a stone fruit."
    )
    assert choices_help(Bare, "Count") == "Count: one, two."
    assert completer(Fruit)("p") == [("pear", "soft"), ("plum", "a stone fruit")]
    assert completer(Bare)("") == [("one", ""), ("two", "")]


def test_a_choice_is_read_whatever_its_case_and_anything_else_is_named():
    assert parse_choice(Fruit, " Pear ", "--fruit") is Fruit.PEAR
    with pytest.raises(InputError) as caught:
        parse_choice(Fruit, "fig", "--fruit", "fruit")
    assert caught.value.message == "--fruit: unknown fruit 'fig' (known: apple, pear, plum)"


def test_formats_come_from_format_else_from_the_out_extension_else_the_default(tmp_path):
    def chosen(values, out):
        return chosen_formats(Fruit, values, out, suffixes=_suffixes, default=[Fruit.APPLE])

    assert chosen(["plum", "PEAR", "plum"], None) == [Fruit.PLUM, Fruit.PEAR]
    assert chosen([], tmp_path / "x.pr") == [Fruit.PEAR]
    assert chosen([], tmp_path / "x.PER") == [Fruit.PEAR]  # shared extension: the first listed
    assert chosen([], tmp_path / "x.txt") == [Fruit.APPLE]
    assert chosen([], None) == [Fruit.APPLE]
    (tmp_path / "box.apl").mkdir()
    assert format_of_file(Fruit, tmp_path / "box.apl", _suffixes) is None  # a folder


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        (("report",), "assess.publish.formats:ReportFormat"),
        (("report",), "assess.publish.formats:PdfVariant"),
        (("evidence", "import"), "assess.evidence.importers.formats:ImportFormat"),
        (("compare",), "assess.cli.compare:SeriesFormat"),
        (("trend",), "assess.cli.compare:SeriesFormat"),
        (("questionnaire", "export"), "assess.cli.questionnaire:ExportFormat"),
    ],
)
def test_every_member_of_an_option_enum_is_offered_in_help(cli, path, kind):
    module, name = kind.split(":")
    enum = getattr(importlib.import_module(module), name)
    text = " ".join(cli(*path, "--help", env={"COLUMNS": "200"}).stdout.split())
    for member in enum:
        assert re.search(rf"[.:,;] {re.escape(member.value)}[:,.]", text), member


def test_the_enums_of_the_command_line_describe_every_member():
    from assess.cli.compare import SeriesFormat
    from assess.cli.questionnaire import ExportFormat

    for kind in (SeriesFormat, ExportFormat):
        for member in kind:
            assert member.description and member.suffixes, member


def test_the_export_format_follows_the_out_extension(cli, tmp_path):
    from factories import MINI

    out = tmp_path / "mini.yml"
    assert cli("questionnaire", "export", MINI, "--out", out).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("id: ")


# --- the progress line -------------------------------------------------------------------


def _certificate_folder(tmp_path: Path, pki) -> Path:
    folder = tmp_path / "certs"
    folder.mkdir()
    leaf = pki.leaf("www.example.test")
    (folder / "www.pem").write_bytes(leaf.pem)
    return folder


def _in_a_terminal(*args: str) -> str:
    child = pexpect.spawn(
        sys.executable,
        ["-m", "assess", *args],
        encoding="utf-8",
        timeout=60,
        env={**os.environ, "COLUMNS": "100", "TERM": "xterm"},
        cwd=str(ROOT),
    )
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    return str(child.before)


@pytest.mark.slow
def test_a_scan_shows_its_progress_on_a_terminal_only(tmp_path, pki, cli):
    folder = _certificate_folder(tmp_path, pki)
    shown = _in_a_terminal("scan", "files", str(folder), "--out", str(tmp_path / "a.json"))
    assert "Reading certificate and key files" in shown
    assert "wrote " in shown
    quiet = _in_a_terminal("scan", "files", str(folder), "-o", str(tmp_path / "b.json"), "-q")
    assert "Reading" not in quiet and "wrote " in quiet
    piped = cli("scan", "files", folder, "--out", tmp_path / "c.json")
    assert piped.exit_code == 0 and piped.stderr == ""


def test_a_tls_scan_counts_its_targets_on_a_terminal(tmp_path):
    shown = _in_a_terminal("scan", "tls", "127.0.0.1:1", "--out", str(tmp_path / "t.json"))
    assert "Scanning TLS endpoints" in shown and "targets" in shown


# --- dependencies ------------------------------------------------------------------------


def _imported_modules() -> set[str]:
    """Every module name an ``import`` or ``from … import`` in assess/ names (absolute ones)."""
    names = set()
    for path in (ROOT / "assess").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module)
                names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names - {"__future__"} - {n for n in names if n.startswith("__future__.")}


def test_only_the_public_api_of_dependencies_is_used():
    """No private module or name of another package (``typer._click``): those change without
    notice, and the lowest versions pyproject allows may not have them."""
    private = {
        name
        for name in _imported_modules()
        if name.split(".")[0] != "assess" and any(p.startswith("_") for p in name.split("."))
    }
    assert private == set()


# Imported directly but installed by a pinned dependency, which chooses their version: part of
# that dependency's own API (pyHanko hands out asn1crypto objects; WeasyPrint writes with pydyf).
CHOSEN_BY_A_PINNED_DEPENDENCY = {"asn1crypto", "pyhanko-certvalidator", "pydyf"}
IMPORT_NAMES = {
    "ruamel": "ruamel-yaml",
    "cyclonedx": "cyclonedx-python-lib",
    "markdown_it": "markdown-it-py",
    "docx": "python-docx",
    "yaml": "pyyaml",
}


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_pyproject_declares_every_package_the_code_imports():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = project["dependencies"] + [
        r for extra in project["optional-dependencies"].values() for r in extra
    ]
    declared = {_normalised(re.split(r"[<>=!~\[; ]", r, maxsplit=1)[0]) for r in requirements}
    top = {name.split(".")[0] for name in _imported_modules()}
    imported = {
        _normalised(IMPORT_NAMES.get(name, name))
        for name in top
        if name not in sys.stdlib_module_names and name != "assess"
    }
    assert imported - declared == CHOSEN_BY_A_PINNED_DEPENDENCY


# --- what the system provides ------------------------------------------------------------


def test_without_harfbuzz_subsetting_the_check_says_so(monkeypatch):
    from assess.cli import report

    monkeypatch.setattr(report, "HARFBUZZ_SUBSET", ("libno-such-harfbuzz-subset.so.0",))
    assert not report.has_harfbuzz_subset()


@pytest.mark.slow
def test_a_pdf_without_harfbuzz_subsetting_is_written_with_a_warning(cli, tmp_path, monkeypatch):
    from report_fixtures import REPORT_DAY, mini_report_workspace

    from assess.cli import report

    ws = mini_report_workspace(tmp_path / "ws")
    monkeypatch.setattr(report, "HARFBUZZ_SUBSET", ("libno-such-harfbuzz-subset.so.0",))
    done = cli("report", ws, "-f", "pdf", "--at", REPORT_DAY)
    assert done.exit_code == 0, done.stderr
    assert (ws / "reports" / "report.pdf").is_file()
    assert done.stderr.startswith("warning: HarfBuzz's font subsetter")
    assert "sudo apt-get install libharfbuzz-subset0" in done.stderr
    html = cli("report", ws, "-f", "html", "--at", REPORT_DAY)
    assert html.exit_code == 0 and html.stderr == ""  # no PDF, nothing to warn about


def test_a_machine_without_the_pdf_packages_stops_the_slow_tests_once(monkeypatch):
    import conftest

    monkeypatch.setattr(conftest, "_font_families", lambda: {"DejaVu Sans"})
    monkeypatch.setattr(conftest, "_has_library", lambda name: name != "harfbuzz-subset")
    assert conftest.missing_system_packages() == [
        "libharfbuzz-subset0",
        "fonts-dejavu-extra",
        "fonts-wqy-microhei",
    ]

    class Item:
        def __init__(self, slow: bool) -> None:
            self.slow = slow

        def get_closest_marker(self, name: str) -> object:
            return object() if self.slow and name == "slow" else None

    conftest.pytest_collection_modifyitems(None, [Item(False)])  # fast tests only: no check
    with pytest.raises(pytest.UsageError) as stopped:
        conftest.pytest_collection_modifyitems(None, [Item(False), Item(True)])
    assert "sudo apt-get install libharfbuzz-subset0 fonts-dejavu-extra fonts-wqy-microhei" in str(
        stopped.value
    )
