"""TLS targets that cannot be host names: refused before any connection, exit 2, the target
named. The limits are DNS's (RFC 1035: 63-octet labels, 253 characters in all) and IDNA's
(RFC 3490: each label converts to ASCII and back); Python's resolver and SNI apply IDNA
themselves, and raised a UnicodeError traceback from a resolver thread."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from assess.evidence.endpoints import Target, parse_target
from assess.evidence.interface import CollectorError
from assess.evidence.tls import read_targets

LONG_LABEL = "a" * 300 + ".example"
MAX_NAME = ".".join(["d" * 63] * 3) + "." + "e" * 61  # 4 labels, 253 characters


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (LONG_LABEL, "label 1 is 300 characters long (a label holds at most 63)"),
        ("www." + "b" * 64 + ".example:443", "label 2 is 64 characters long"),
        ("a..example", "label 2 is empty"),
        (".".join(["c" * 63] * 4) + ".example", "the name is 263 characters long (at most 253)"),
        ("xn--a.example", "label 1 is not a valid internationalised name (IDNA)"),
        ("xn--zz--.example", "label 1 is not a valid internationalised name (IDNA)"),
        ("bad%name.example", "label 1 holds characters a host name cannot"),
        ("\u00e9" * 60 + ".example", "characters long once converted by IDNA (a label holds at"),
    ],
)
def test_names_dns_or_idna_refuse_are_input_errors(text, problem):
    with pytest.raises(ValueError, match="not a host name") as raised:
        parse_target(text)
    message = str(raised.value)
    assert message.startswith(f"'{text}': not a host name: ")
    assert problem in message


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("x" * 63 + ".example", Target("x" * 63 + ".example", 443)),
        ("www.example.com.:8443", Target("www.example.com.", 8443)),
        ("b\u00fccher.example", Target("b\u00fccher.example", 443)),  # xn--bcher-kva
        ("xn--bcher-kva.example", Target("xn--bcher-kva.example", 443)),
        ("build_01.corp", Target("build_01.corp", 443)),  # Windows names have underscores
        (
            ".".join(["d" * 63] * 3) + "." + "e" * 61,
            Target(".".join(["d" * 63] * 3) + "." + "e" * 61, 443),
        ),
    ],
)
def test_names_dns_and_idna_accept_are_read(text, target):
    assert parse_target(text) == target


def test_control_characters_in_a_target_are_shown_escaped(tmp_path):
    targets = tmp_path / "targets.txt"
    targets.write_text("ok.example\nevil\x1b[2J.example\n" + LONG_LABEL + "\n")
    with pytest.raises(CollectorError) as raised:
        read_targets([], targets)
    message = raised.value.message
    assert "\x1b" not in message
    assert f"{targets}:2: 'evil\\x1b[2J.example': not a host name" in message
    assert f"{targets}:3: '{LONG_LABEL}': not a host name: label 1 is 300 characters" in message


def test_cli_a_300_character_label_is_exit_2_naming_the_target_without_a_connection(tmp_path):
    """In a child process: the traceback came from a resolver thread, and the scan waited for
    the timeout before writing an error observation."""
    out = tmp_path / "tls.json"
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "assess", "scan", "tls", LONG_LABEL, "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert time.monotonic() - started < 30  # refused before the scan, not timed out
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "UnicodeError" not in done.stderr
    assert f"'{LONG_LABEL}': not a host name: label 1 is 300 characters long" in done.stderr
    assert not out.exists()
