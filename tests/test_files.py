"""Output files: written through symbolic links, never over devices or folders, no temporary
file left by a killed writer, and the write lock that serialises read-change-write."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from factories import MINI

from assess.support.errors import EnvironmentProblem, InputError
from assess.support.files import atomic_write, exclusive_lock

TIMEOUT = 30


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_symbolic_link_is_written_through_and_stays_a_link(tmp_path):
    real = tmp_path / "reports" / "latest.json"
    real.parent.mkdir()
    real.write_text("old\n")
    link = tmp_path / "out.json"
    link.symlink_to(real)
    atomic_write(link, "new\n")
    assert link.is_symlink()
    assert os.readlink(link) == str(real)
    assert real.read_text() == "new\n"
    assert temporaries(real.parent) == [] and temporaries(tmp_path) == []


def test_a_dangling_link_gets_the_file_it_names(tmp_path):
    link = tmp_path / "out.json"
    link.symlink_to(tmp_path / "made.json")
    atomic_write(link, "data\n")
    assert link.is_symlink()
    assert (tmp_path / "made.json").read_text() == "data\n"


def make_folder(path: Path) -> Path:
    path.mkdir()
    return path


def make_pipe(path: Path) -> Path:
    os.mkfifo(path)
    return path


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (lambda tmp: Path("/dev/null"), "a character device"),
        (lambda tmp: make_folder(tmp / "out.json"), "a folder"),
        (lambda tmp: make_pipe(tmp / "out.json"), "a named pipe"),
    ],
)
def test_a_path_that_is_not_a_regular_file_is_refused(tmp_path, make, kind):
    target = make(tmp_path)
    before = os.stat(target)
    with pytest.raises(InputError) as raised:
        atomic_write(target, "data\n")
    assert str(raised.value) == (
        f"{target}: is {kind}: outputs are written to regular files or new paths only"
    )
    after = os.stat(target)
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    if target.parent == tmp_path:
        assert temporaries(tmp_path) == []


def test_a_link_to_a_device_is_refused_and_kept(tmp_path):
    link = tmp_path / "out.json"
    link.symlink_to("/dev/null")
    with pytest.raises(InputError, match="is a character device"):
        atomic_write(link, "data\n")
    assert link.is_symlink() and os.readlink(link) == "/dev/null"


def test_out_naming_a_device_exits_2_naming_the_path(cli, tmp_path):
    link = tmp_path / "null.json"
    link.symlink_to("/dev/null")
    for out in ("/dev/null", str(link)):
        result = cli("questionnaire", "export", MINI, "--format", "json", "--out", out)
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith(f"error: {out}: is a character device")
        assert "Traceback" not in result.stderr
    assert os.readlink(link) == "/dev/null"


def test_modes_are_kept_for_existing_files_and_set_when_asked(tmp_path):
    existing = tmp_path / "shared.yaml"
    existing.write_text("old\n")
    existing.chmod(0o640)
    atomic_write(existing, "new\n")
    assert stat.S_IMODE(existing.stat().st_mode) == 0o640
    key = tmp_path / "key.pem"
    atomic_write(key, "secret\n", mode=0o600)
    assert stat.S_IMODE(key.stat().st_mode) == 0o600


STREAMER = """
import sys, time
from pathlib import Path
from assess.support.files import atomic_stream
with atomic_stream(Path(sys.argv[1])) as out:
    out.write("half of it")
    out.flush()
    print("writing", flush=True)
    time.sleep(60)
"""


def start_streamer(target: Path) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", STREAMER, str(target)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "writing"
    return process


def test_the_next_write_removes_the_temporary_file_of_a_killed_writer(tmp_path):
    target = tmp_path / "bundle.json"
    target.write_text("previous\n")
    writer = start_streamer(target)
    left = temporaries(tmp_path)
    assert len(left) == 1 and left[0].startswith(f".bundle.json.{writer.pid}.")
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=TIMEOUT)
    assert temporaries(tmp_path) == left  # kill -9: nothing could clean up
    assert target.read_text() == "previous\n"
    unrelated = tmp_path / ".bundle.json.draft.tmp"  # not a name this tool makes
    unrelated.write_text("someone else's")
    atomic_write(target, "next\n")
    assert target.read_text() == "next\n"
    assert temporaries(tmp_path) == [unrelated.name]


def test_a_write_in_progress_elsewhere_keeps_its_temporary_file(tmp_path):
    target = tmp_path / "bundle.json"
    writer = start_streamer(target)
    try:
        left = temporaries(tmp_path)
        atomic_write(target, "mine\n")
        assert temporaries(tmp_path) == left
    finally:
        writer.kill()
        writer.wait(timeout=TIMEOUT)


HOLDER = """
import sys, time
from pathlib import Path
from assess.support.files import exclusive_lock
with exclusive_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def hold_lock(folder: Path, seconds: float) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(folder), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "locked"
    return process


def test_the_lock_waits_for_the_holder(tmp_path):
    holder = hold_lock(tmp_path, 1.0)
    started = time.monotonic()
    with exclusive_lock(tmp_path):
        waited = time.monotonic() - started
    holder.wait(timeout=TIMEOUT)
    assert waited > 0.5
    assert os.listdir(tmp_path) == []  # no lock file


def test_a_lock_held_too_long_is_an_environment_problem(tmp_path):
    holder = hold_lock(tmp_path, 20)
    try:
        with (
            pytest.raises(EnvironmentProblem, match="another process has been writing here"),
            exclusive_lock(tmp_path, timeout=0.3),
        ):
            pass
    finally:
        holder.kill()
        holder.wait(timeout=TIMEOUT)
    with exclusive_lock(tmp_path, timeout=5):  # a killed holder releases it
        pass
