"""Hostile files for the file scanner, each made here: no hang, no runaway, no traceback.

Every case is bounded in time: pure-Python work by an alarm in the test (:func:`within`), work
in C (key derivation) or that could block (pipes, devices) in a child process with a timeout.
The limits the expectations come from are the formats' own (RFC 7468 for PEM, RFC 7292 for
PKCS#12, the Java Object Serialization Specification for JCEKS) and those docs/scan.md states.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from certgen import key_pem
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from assess.evidence.certs import RecordCache
from assess.evidence.filescan import walk as walk_module
from assess.evidence.filescan.content import scan_bytes
from assess.evidence.filescan.deadline import ReadDeadline
from assess.evidence.filescan.keystore import read_keystore
from assess.evidence.filescan.pem import pem_blocks
from assess.evidence.filescan.pool import scan_chunk
from assess.evidence.filescan.scanner import FileScanner
from assess.evidence.filescan.walk import FileEntry
from assess.model.bundle import KeyRecord, Observation, ObservationStatus


class TookTooLong(Exception):
    """The code under test ran past the time the test gives it."""


@contextlib.contextmanager
def within(seconds: float) -> Iterator[None]:
    """Fails the test (TookTooLong) when the block runs longer than ``seconds``."""

    def expired(*_: object) -> None:
        raise TookTooLong(f"more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def assess(*args: object, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``assess ARGS…`` in a child process, killed (the test failing) after ``timeout``."""
    return subprocess.run(
        [sys.executable, "-m", "assess", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def observations(items: list[Observation | KeyRecord]) -> dict[str, Observation]:
    return {i.location: i for i in items if isinstance(i, Observation)}


# --- PEM ------------------------------------------------------------------------------------

BEGIN_LINE = b"-----BEGIN CERTIFICATE-----\n"


def test_8_mb_of_begin_lines_without_end_in_well_under_a_second():
    data = BEGIN_LINE * (8 * 1024 * 1024 // len(BEGIN_LINE))
    with within(5):
        started = time.process_time()  # CPU time: a loaded machine does not stretch it
        items = scan_bytes(data, "begins.pem")
        elapsed = time.process_time() - started
    assert elapsed < 1.0
    (observation,) = items
    assert isinstance(observation, Observation)
    assert observation.error == "a PEM header without its matching END line"


def _best_of_three(data: bytes) -> float:
    times = []
    for _ in range(3):
        started = time.process_time()  # CPU time, as above
        list(pem_blocks(data))
        times.append(time.process_time() - started)
    return min(times)


def test_the_pem_tokenizer_is_linear_whatever_the_begin_lines_ask_for():
    """BEGIN lines whose END never comes, with an END line of another label at the very end
    (so the tokenizer cannot stop at once), and BEGIN lines with ever new labels: eight times
    the text costs about eight times as long, not sixty-four."""
    cases = {
        "one label": lambda n: BEGIN_LINE * n + b"-----END OTHER-----\n",
        "new labels": lambda n: (
            b"".join(b"-----BEGIN L%d-----\n" % i for i in range(n)) + b"-----END OTHER-----\n"
        ),
        "dashes": lambda n: (b"-----BEGIN " + b"-" * 70 + b"\n") * n + b"-----END -----\n",
    }
    with within(60):
        for name, make in cases.items():
            small, large = _best_of_three(make(20_000)), _best_of_three(make(160_000))
            assert large < 24 * max(small, 1e-3), (name, small, large)


def test_blocks_among_begin_lines_are_still_found(pki):
    leaf = pki.leaf("among.example.test")
    data = b"-----BEGIN X509 CRL-----\n" * 1000 + leaf.pem + BEGIN_LINE * 1000
    with within(5):
        items = scan_bytes(data, "among.pem")
    (observation,) = items
    assert isinstance(observation, Observation)
    assert [c.sha256 for c in observation.certificates] == [leaf.sha256]


# --- JCEKS ----------------------------------------------------------------------------------
# Built from the Java Object Serialization Specification (chapter 6), not from the reader.

STREAM_MAGIC = b"\xac\xed\x00\x05"
TC_NULL, TC_REFERENCE, TC_CLASSDESC, TC_OBJECT = b"\x70", b"\x71", b"\x72", b"\x73"
TC_ENDBLOCKDATA = b"\x78"
BASE_HANDLE = 0x7E0000


def _utf(text: bytes) -> bytes:
    return struct.pack(">H", len(text)) + text


def _class_desc(name: bytes, parent: bytes) -> bytes:
    """TC_CLASSDESC, no fields, serializable, no annotation, then the superclass."""
    return (
        TC_CLASSDESC
        + _utf(name)
        + bytes(8)
        + b"\x02"
        + struct.pack(">H", 0)
        + (TC_ENDBLOCKDATA + parent)
    )


def _reference(handle: int) -> bytes:
    return TC_REFERENCE + struct.pack(">I", BASE_HANDLE + handle)


def _jceks(secret: bytes, *, then_a_certificate: bytes | None = None) -> bytes:
    """A JCEKS file holding one secret-key entry (tag 3) whose sealed object is ``secret``,
    and after it, when given, a trusted-certificate entry (tag 2)."""
    count = 2 if then_a_certificate is not None else 1
    data = b"\xce\xce\xce\xce" + struct.pack(">II", 2, count)
    data += struct.pack(">I", 3) + _utf(b"sk") + bytes(8) + secret
    if then_a_certificate is not None:
        data += struct.pack(">I", 2) + _utf(b"ca") + bytes(8)
        data += _utf(b"X.509") + struct.pack(">I", len(then_a_certificate)) + then_a_certificate
    return data


def test_a_76_byte_jceks_whose_class_is_its_own_parent_is_refused_at_once(pki):
    own_parent = STREAM_MAGIC + TC_OBJECT + _class_desc(b"Seal", _reference(0))
    alone = _jceks(own_parent)
    assert len(alone) < 80  # the size of the file that ran out of memory
    with within(5):
        store = read_keystore(alone)
        items = scan_bytes(alone, "tiny.jceks")
    assert store.entries == [] and store.unread is None  # nothing after it was lost
    assert all(isinstance(i, Observation) for i in items)
    with within(5):
        store = read_keystore(_jceks(own_parent, then_a_certificate=pki.root.der))
    assert store.unread is not None
    assert store.unread.startswith("1 entry after the secret-key entry 'sk' not read")
    assert "a class that is its own ancestor" in store.unread


def test_a_jceks_class_loop_through_two_classes_and_a_hierarchy_too_deep(pki):
    # A's superclass is B, whose superclass is a reference back to A (handle 0).
    loop = STREAM_MAGIC + TC_OBJECT + _class_desc(b"A", _class_desc(b"B", _reference(0)))
    deep = TC_NULL
    for level in range(70):  # 70 classes, each the superclass of the next
        deep = _class_desc(b"C%d" % level, deep)
    for secret, reason in (
        (loop, "a class that is its own ancestor"),
        (STREAM_MAGIC + TC_OBJECT + deep, "nested too deep"),
    ):
        with within(5):
            store = read_keystore(_jceks(secret, then_a_certificate=pki.root.der))
        assert store.unread is not None and reason in store.unread


# --- PKCS#12 --------------------------------------------------------------------------------


def _tlv(data: bytes, at: int) -> tuple[int, bytes, int]:
    """A DER element at ``at``: its tag, its content, where the next one starts (X.690)."""
    tag, first, at = data[at], data[at + 1], at + 2
    if first < 0x80:
        return tag, data[at : at + first], at + first
    count = first & 0x7F
    length = int.from_bytes(data[at : at + count], "big")
    return tag, data[at + count : at + count + length], at + count + length


def _elements(content: bytes) -> list[bytes]:
    """The elements of a constructed element's content, each whole (tag, length, content)."""
    found, at = [], 0
    while at < len(content):
        _, _, after = _tlv(content, at)
        found.append(content[at:after])
        at = after
    return found


def _der(tag: int, content: bytes) -> bytes:
    size = len(content)
    if size < 0x80:
        return bytes([tag, size]) + content
    width = (size.bit_length() + 7) // 8
    return bytes([tag, 0x80 | width]) + size.to_bytes(width, "big") + content


def _ber(tag: int, *parts: bytes) -> bytes:
    """An indefinite-length element (X.690 8.1.3.6): the parts, then two zero octets."""
    return bytes([tag, 0x80]) + b"".join(parts) + b"\x00\x00"


def _p12(pki, password: bytes, rounds: int | None = None) -> bytes:
    leaf = pki.leaf("p12.example.test")
    encryption: serialization.KeySerializationEncryption
    if rounds is None:
        encryption = serialization.BestAvailableEncryption(password)
    else:
        encryption = (
            serialization.PrivateFormat.PKCS12.encryption_builder()
            .kdf_rounds(rounds)
            .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
            .build(password)
        )
    return pkcs12.serialize_key_and_certificates(
        b"p12", leaf.key, leaf.cert, [pki.intermediate.cert], encryption
    )


def test_a_pkcs12_mac_iteration_count_of_2_31_minus_1_is_refused_before_any_derivation(
    pki, tmp_path
):
    """About six minutes of SHA-256 per password before; refused in moments now. The count is
    set in the file's MacData (RFC 7292, 4) with the X.690 helpers of this test."""
    data = _p12(pki, b"pw")
    version, auth_safe, mac_data = _elements(_tlv(data, 0)[1])
    digest_info, salt, _count = _elements(_tlv(mac_data, 0)[1])
    count = _der(0x02, (2**31 - 1).to_bytes(4, "big"))
    forged = _der(0x30, version + auth_safe + _der(0x30, digest_info + salt + count))
    hostile = tmp_path / "hostile.p12"
    hostile.write_bytes(forged)
    out = tmp_path / "files.json"
    started = time.monotonic()
    done = assess("scan", "files", hostile, "--password", "pw", "--out", out, timeout=90)
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started < 60
    (observation,) = json.loads(out.read_text())["observations"]
    assert observation["status"] == "error"
    assert observation["error"] == (
        "a PKCS#12 file whose MAC asks for 2,147,483,647 iterations, over the limit of "
        "600,000: not opened (each password would cost that many)"
    )


def test_pkcs12_counts_inside_are_checked_too_and_common_files_open(pki, tmp_path):
    # cryptography writes the MAC with 2,048 iterations and the key and certificates with
    # the rounds asked for.
    costly = _p12(pki, b"pw", rounds=700_000)
    with within(30):
        (refused,) = scan_bytes(costly, "costly.p12", passwords=[b"pw"], suffix=".p12")
    assert isinstance(refused, Observation)
    assert refused.error is not None and "asks for 700,000 iterations" in refused.error
    with within(30):
        items = scan_bytes(_p12(pki, b"pw"), "common.p12", passwords=[b"pw"], suffix=".p12")
    assert [type(i) for i in items] == [Observation, KeyRecord]
    assert items[0].status is ObservationStatus.OK


def test_a_ber_pkcs12_as_old_windows_exports_write_it_is_counted_and_opened(pki):
    """Indefinite lengths and the authenticated safe's OCTET STRING in 100-byte pieces; the
    MAC covers the octets, not their encoding, so the file still verifies."""
    data = _p12(pki, b"pw")
    _, pfx, _ = _tlv(data, 0)
    version = _tlv(pfx, 0)
    auth_safe = _tlv(pfx, version[2])
    mac_data = _tlv(pfx, auth_safe[2])
    content_type = _tlv(auth_safe[1], 0)
    _, explicit, _ = _tlv(auth_safe[1], content_type[2])
    _, octets, _ = _tlv(explicit, 0)
    pieces = [_der(0x04, octets[i : i + 100]) for i in range(0, len(octets), 100)]
    ber = _ber(
        0x30,
        _der(0x02, version[1]),
        _ber(0x30, _der(0x06, content_type[1]), _ber(0xA0, _ber(0x24, *pieces))),
        _ber(0x30, mac_data[1]),
    )
    with within(30):
        items = scan_bytes(ber, "windows.pfx", passwords=[b"pw"], suffix=".pfx")
    assert [type(i) for i in items] == [Observation, KeyRecord]
    assert items[0].status is ObservationStatus.OK and len(items[0].certificates) == 2


@pytest.mark.skipif(shutil.which("openssl") is None, reason="no openssl command")
def test_pkcs12_files_written_by_openssl_open(pki, tmp_path):
    """The openssl command's defaults (2,048 iterations), and its legacy BER-free layout."""
    leaf = pki.leaf("openssl.example.test")
    (tmp_path / "leaf.pem").write_bytes(leaf.pem)
    (tmp_path / "leaf.key").write_bytes(key_pem(leaf.key))
    store = tmp_path / "openssl.p12"
    subprocess.run(
        [
            *("openssl", "pkcs12", "-export", "-in", str(tmp_path / "leaf.pem")),
            *("-inkey", str(tmp_path / "leaf.key"), "-out", str(store), "-passout", "pass:pw"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    with within(30):
        items = scan_bytes(store.read_bytes(), str(store), passwords=[b"pw"], suffix=".p12")
    (observation,) = [i for i in items if isinstance(i, Observation)]
    assert [c.sha256 for c in observation.certificates] == [leaf.sha256]


# --- the walk: only regular files, no pseudo-filesystem, reads bounded ------------------------


def test_devices_pipes_sockets_and_pseudo_filesystems_are_skipped_and_said_so(pki, tmp_path):
    """A folder holding what once made a scan wait forever or run out of memory: links to
    /proc/kmsg, /dev/zero and /dev/urandom, a named pipe, a socket, and links to /proc, /sys
    and /dev as `scan files /` meets them. Run in a child process, killed if it hangs."""
    folder = tmp_path / "estate"
    folder.mkdir()
    leaf = pki.leaf("estate.example.test")
    (folder / "site.pem").write_bytes(leaf.pem)
    links = {
        "kmsg.pem": "/proc/kmsg",
        "zero.pem": "/dev/zero",
        "urandom.crt": "/dev/urandom",
        "proc": "/proc",
        "sys": "/sys",
        "dev": "/dev",
    }
    for name, target in links.items():
        if os.path.exists(target):
            (folder / name).symlink_to(target)
    os.mkfifo(folder / "pipe.pem")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / "agent.sock"))
    out = tmp_path / "files.json"
    try:
        done = assess("scan", "files", folder, "--out", out, timeout=120)
    finally:
        server.close()
    assert done.returncode == 0, done.stderr
    found = {
        Path(o["location"]).name: (o["status"], o["error"])
        for o in json.loads(out.read_text())["observations"]
    }
    assert found.pop("site.pem") == ("ok", None)
    assert found.pop("pipe.pem") == (
        "error",
        "skipped: a named pipe, not a regular file (only regular files are read)",
    )
    assert found.pop("agent.sock")[1] == (
        "skipped: a socket, not a regular file (only regular files are read)"
    )
    for name in ("zero.pem", "urandom.crt"):
        if name in found:  # /dev is devtmpfs: the pseudo-filesystem is named first
            assert found.pop(name)[1].startswith("skipped: ")
    for name in ("kmsg.pem", "proc", "sys", "dev"):
        if (folder / name).exists():
            status, error = found.pop(name)
            assert status == "error" and error.startswith("skipped: on the ")
            assert error.endswith(
                " pseudo-filesystem (the kernel's state, not stored files); name it to scan it"
            )
    assert found == {}


def test_a_pseudo_filesystem_named_is_read(tmp_path):
    out = tmp_path / "files.json"
    done = assess("scan", "files", "/proc/self/status", "--out", out, timeout=60)
    assert done.returncode == 0, done.stderr
    (observation,) = json.loads(out.read_text())["observations"]
    assert observation["location"] == "/proc/self/status"
    assert observation["error"].startswith("not a certificate file")


@pytest.fixture
def blocking_reads(tmp_path, monkeypatch):
    """Makes reads of the files named ``slow*`` block in the kernel the way a read of
    /proc/kmsg or of a hung NFS server does: they open a named pipe nobody writes to, without
    O_NONBLOCK. (A read that really blocks on a regular file needs root or a FUSE mount.) A
    writer opens the pipe after 60 s so that a broken deadline fails the test instead of
    hanging it."""
    pipe = tmp_path / "never-written"
    os.mkfifo(pipe)
    real = walk_module.read_file

    def read_file(path: str, deadline: ReadDeadline) -> bytes:
        return real(str(pipe) if Path(path).name.startswith("slow") else path, deadline)

    monkeypatch.setattr(walk_module, "read_file", read_file)
    monkeypatch.setattr(walk_module, "_OPEN_FLAGS", os.O_RDONLY)
    rescue = threading.Timer(60, lambda: os.close(os.open(pipe, os.O_WRONLY)))
    rescue.daemon = True
    rescue.start()
    yield
    rescue.cancel()
    with contextlib.suppress(OSError):  # lets a reader left behind (a helper thread) go
        os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))


def _estate(pki, folder: Path, count: int) -> dict[str, str]:
    """``count`` certificate files and a slow one in the middle; sha256 by file name."""
    folder.mkdir()
    made = {}
    for index in range(count):
        leaf = pki.leaf(f"host{index}.example.test")
        name = f"{'slow' if index == count // 2 else 'cert'}{index:02}.pem"
        (folder / name).write_bytes(leaf.pem)
        made[name] = leaf.sha256
    return made


def test_a_read_that_does_not_finish_is_an_error_and_the_scan_goes_on(
    pki, tmp_path, blocking_reads
):
    made = _estate(pki, tmp_path / "estate", 5)
    items: list[Observation | KeyRecord] = []
    started = time.monotonic()
    FileScanner([tmp_path / "estate"], workers=1, timeout=0.5).collect(items.append)
    assert time.monotonic() - started < 30
    found = {Path(o.location).name: o for o in observations(items).values()}
    assert set(found) == set(made)
    for name, sha256 in made.items():
        if name.startswith("slow"):
            assert found[name].error == "not read: a read did not return within 0.5 s"
        else:
            assert [c.sha256 for c in found[name].certificates] == [sha256]


def test_worker_processes_do_not_hang_on_a_read_that_never_finishes(pki, tmp_path, blocking_reads):
    if "fork" not in __import__("multiprocessing").get_all_start_methods():
        pytest.skip("the blocking read is arranged before the workers fork")
    made = _estate(pki, tmp_path / "estate", 6)
    items: list[Observation | KeyRecord] = []
    started = time.monotonic()
    scanner = FileScanner([tmp_path / "estate"], workers=2, chunk_size=1, timeout=0.5)
    scanner.collect(items.append)
    assert time.monotonic() - started < 45
    found = {Path(o.location).name: o for o in observations(items).values()}
    assert set(found) == set(made)
    (slow,) = [o for name, o in found.items() if name.startswith("slow")]
    assert slow.error == "not read: a read did not return within 0.5 s"


def test_a_scan_from_another_thread_bounds_its_reads_too(pki, tmp_path, blocking_reads):
    """Only the main thread can be interrupted by a signal: elsewhere a helper thread reads."""
    made = _estate(pki, tmp_path / "estate", 3)
    items: list[Observation | KeyRecord] = []
    scan = threading.Thread(
        target=lambda: FileScanner([tmp_path / "estate"], timeout=0.5).collect(items.append)
    )
    scan.start()
    scan.join(30)
    assert not scan.is_alive()
    found = {Path(o.location).name: o.error for o in observations(items).values()}
    assert len(found) == len(made)
    assert [e for n, e in found.items() if n.startswith("slow")] == [
        "not read: a read did not return within 0.5 s"
    ]


def test_a_file_turned_into_a_pipe_after_the_walk_is_not_opened_for_a_wait(tmp_path):
    """The walk saw a regular file; by the time it is read it is a named pipe."""
    path = tmp_path / "swapped.pem"
    path.write_bytes(b"x")
    entry = FileEntry(str(path), 0o100644, 1, explicit=True)
    path.unlink()
    os.mkfifo(path)
    with within(5), ReadDeadline(2) as deadline:
        (observation,) = scan_chunk([entry], (), RecordCache(), deadline)
    assert isinstance(observation, Observation)
    assert observation.error == (
        "skipped: a named pipe, not a regular file (only regular files are read)"
    )


def test_file_names_that_are_not_utf8_are_written_escaped(pki, tmp_path, cli):
    folder = tmp_path / "names"
    folder.mkdir()
    leaf = pki.leaf("latin1.example.test")
    name = os.fsdecode(b"caf\xe9.pem")  # Latin-1, as an old system wrote it
    (folder / name).write_bytes(leaf.pem)
    out = tmp_path / "files.json"
    result = cli("scan", "files", folder, "--out", out)
    assert result.exit_code == 0, result.output
    (observation,) = json.loads(out.read_text(encoding="utf-8"))["observations"]
    assert observation["location"] == f"{folder}/caf\\xe9.pem"
    assert observation["certificates"][0]["sha256"] == leaf.sha256
