"""Immediate actions (method.md) from real scans of files and of an openssl s_server.

Expected actions come from how each fixture was made: the permission bits chmod'ed, whether
the key was written with a password, the validity each certificate was issued with, the key
size asked of the generator and the ``-sha1`` given to ``openssl req``. Only 127.0.0.1 is
contacted.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
from datetime import date

import pytest
from certgen import OPENSSL, key_pem, new_key, openssl_sha1_rsa1024
from factories import mini_workspace
from tlsservers import OpensslServer

from assess.evidence.actions import immediate_actions, readability
from assess.evidence.metrics import Evidence
from assess.method.progress import compare
from assess.model.bundle import (
    BundleTool,
    CertificateRecord,
    EvidenceBundle,
    Observation,
    ObservationKind,
    ObservationStatus,
)
from assess.model.evidence import ImmediateAction, Severity
from assess.model.result import Result

pytestmark = pytest.mark.skipif(OPENSSL is None, reason="needs the openssl command")

KEYS = {
    # name: (mode, encrypted)
    "world.key": (0o666, False),
    "world-encrypted.key": (0o644, True),
    "group.key": (0o640, False),
    "group-encrypted.key": (0o640, True),
    "owner.key": (0o600, False),
}


def fingerprint(pem_file) -> str:
    printed = subprocess.run(
        [OPENSSL, "x509", "-in", str(pem_file), "-noout", "-fingerprint", "-sha256"],
        check=True,
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout
    return printed.split("=", 1)[1].strip().replace(":", "").lower()


@pytest.fixture(scope="module")
def estate(pki, tmp_path_factory):
    """Key files with chosen modes and an RSA-1024 leaf in a share; two openssl s_servers:
    one presenting an expired leaf, one a self-signed RSA-1024 SHA-1 leaf."""
    folder = tmp_path_factory.mktemp("actions")
    share = folder / "share"
    share.mkdir()
    for name, (mode, encrypted) in KEYS.items():
        path = share / name
        path.write_bytes(key_pem(new_key("p256"), b"secret" if encrypted else None))
        path.chmod(mode)
    weak = pki.leaf("print.example", key="rsa1024")
    (share / "print.pem").write_bytes(weak.pem)
    expired_cert, expired_key = pki.leaf("localhost", days_before=100, days_after=-10).write(
        folder / "served", "expired"
    )
    sha1_cert, sha1_key = openssl_sha1_rsa1024(folder / "served", "legacy", "localhost")
    servers = {
        "expired": OpensslServer(expired_cert, expired_key),
        "legacy": OpensslServer(sha1_cert, sha1_key, "-cipher", "DEFAULT:@SECLEVEL=0"),
    }
    root = folder / "root.pem"
    root.write_bytes(pki.root.pem)
    yield share, weak.sha256, fingerprint(sha1_cert), servers, root
    for server in servers.values():
        server.close()


@pytest.fixture(scope="module")
def scored(estate, made_at, tmp_path_factory):
    """The workspace scanned and scored at the day the fixtures were made."""
    from typer.testing import CliRunner

    from assess.cli import app

    share, _, _, servers, root = estate
    ws = mini_workspace(tmp_path_factory.mktemp("ws") / "acme")
    runner = CliRunner()
    files = runner.invoke(app, ["scan", "files", str(share), "--out", str(ws / "evidence/f.json")])
    assert files.exit_code == 0, files.output
    targets = [f"localhost:{s.port}" for s in servers.values()]
    tls = runner.invoke(
        app,
        ["scan", "tls", *targets, "--ca-file", str(root), "--out", str(ws / "evidence/t.json")],
    )
    assert tls.exit_code == 0, tls.output
    at = made_at.date().isoformat()
    document = runner.invoke(app, ["score", str(ws), "--json", "--at", at])
    assert document.exit_code == 0, document.output
    table = runner.invoke(app, ["score", str(ws), "--at", at])
    return json.loads(document.stdout), table.stdout


def test_each_finding_is_named_with_its_severity(estate, scored):
    share, weak_sha, legacy_sha, servers, _ = estate
    document, _ = scored
    got = {(a["severity"], a["finding"], a["subject"]) for a in document["immediate_actions"]}
    expired_at = f"localhost:{servers['expired'].port}"
    legacy_at = f"localhost:{servers['legacy'].port}"
    expected = {
        ("critical", "private key readable by others", str(share / "world.key")),
        ("critical", "private key readable by others", str(share / "world-encrypted.key")),
        ("critical", "expired certificate still served", expired_at),
        ("high", "unencrypted private key readable by its group", str(share / "group.key")),
        ("high", "leaf certificate with a weak key", weak_sha),
        ("high", "leaf certificate with a weak key", legacy_sha),
        ("high", "leaf certificate with a weak signature", legacy_sha),
        # Neither chain validates against the test root: one expired, one self-signed.
        ("medium", "chain does not validate", expired_at),
        ("medium", "chain does not validate", legacy_at),
    }
    assert got == expected
    # 0640 encrypted and 0600 keys are no action; nothing else is either.
    severities = [a["severity"] for a in document["immediate_actions"]]
    assert severities == sorted(severities, key=lambda s: list(Severity).index(Severity(s)))


def test_the_details_say_who_can_read_and_what_is_weak(estate, scored):
    share, weak_sha, legacy_sha, _, _ = estate
    document, _ = scored
    detail = {(a["finding"], a["subject"]): a["detail"] for a in document["immediate_actions"]}
    world = detail[("private key readable by others", str(share / "world.key"))]
    assert world.startswith("mode 0666: any account on the machine") and "unencrypted" in world
    group = detail[("unencrypted private key readable by its group", str(share / "group.key"))]
    assert group.startswith("mode 0640: the file's group (not others)")
    assert "RSA 1024-bit key" in detail[("leaf certificate with a weak key", weak_sha)]
    assert "SHA1" in detail[("leaf certificate with a weak signature", legacy_sha)]


def test_score_output_lists_them(estate, scored):
    share, *_ = estate
    document, table = scored
    assert f"Immediate actions: {len(document['immediate_actions'])} (3 critical, 4 high" in table
    assert f"critical private key readable by others: {share / 'world.key'}" in table


def _record(name: str, spki: str, not_after: str, *san: str) -> CertificateRecord:
    return CertificateRecord.model_validate(
        {
            "sha256": name * 64,
            "serial": name,
            "subject": f"CN={name}.example",
            "issuer": "CN=Issuing CA",
            "not_before": "2026-01-01T00:00:00Z",
            "not_after": not_after,
            "key_type": "ec",
            "key_size": 256,
            "signature_hash": "sha256",
            "spki_sha256": spki * 64,
            "san_dns": san,
        }
    )


def test_expiry_shared_keys_and_names_are_worded_and_ranked():
    """Written by hand: three leaves on files, two of them (``a``, ``b``) sharing one public
    key, ``a`` expiring the day after the evaluation date and ``b`` in 3 days; and an endpoint
    presenting ``c`` (far from expiry, its own key) for a name it does not carry."""
    a = _record("a", "1", "2026-11-28T12:00:00Z")
    b = _record("b", "1", "2026-11-30T12:00:00Z")
    c = _record("c", "2", "2027-06-01T00:00:00Z", "c.example")
    files = EvidenceBundle(
        collector="files",
        collected_at="2026-11-27T08:00:00Z",
        tool=BundleTool(name="cmmm-assess", version="0"),
        observations=(
            Observation(location="/etc/a.pem", status=ObservationStatus.OK, certificates=(a,)),
            Observation(location="/etc/b.pem", status=ObservationStatus.OK, certificates=(b,)),
            Observation(location="/srv/b.pem", status=ObservationStatus.OK, certificates=(b,)),
        ),
    )
    tls = EvidenceBundle(
        collector="tls",
        collected_at="2026-11-27T08:00:00Z",
        tool=BundleTool(name="cmmm-assess", version="0"),
        observations=(
            Observation(
                location="www.example:443",
                status=ObservationStatus.OK,
                kind=ObservationKind.ENDPOINT,
                certificates=(c,),
                hostname_match=False,
                trusted=True,
            ),
        ),
    )
    got = immediate_actions(Evidence.of([("f", files), ("t", tls)]), date(2026, 11, 27))
    assert [(a.severity, a.finding, a.subject, a.detail) for a in got] == [
        (
            Severity.HIGH,
            "certificate expires within 7 days",
            "a" * 64,
            "CN=a.example, seen at /etc/a.pem: expires on 2026-11-28, in 1 day",
        ),
        (
            Severity.HIGH,
            "certificate expires within 7 days",
            "b" * 64,
            "CN=b.example, seen at /etc/b.pem, /srv/b.pem: expires on 2026-11-30, in 3 days",
        ),
        # Two leaves share a key, one endpoint a wrong name: the most widespread first.
        (
            Severity.MEDIUM,
            "public key shared by several leaf certificates",
            "a" * 64,
            "CN=a.example, seen at /etc/a.pem: its public key is in 1 other leaf certificate",
        ),
        (
            Severity.MEDIUM,
            "public key shared by several leaf certificates",
            "b" * 64,
            "CN=b.example, seen at /etc/b.pem, /srv/b.pem: its public key is in 1 other leaf "
            "certificate",
        ),
        (
            Severity.MEDIUM,
            "certificate does not match the host name",
            "www.example:443",
            "CN=c.example names c.example, not www.example",
        ),
    ]


def test_readability_tells_others_from_group():
    assert [readability(m) for m in ("0666", "0644", "0604", "0640", "0600", None)] == [
        "others",
        "others",
        "others",
        "group",
        None,
        None,
    ]


def test_compare_says_what_was_resolved_and_what_is_new(scored):
    document, _ = scored
    current = Result.model_validate(document)
    fixed = current.immediate_actions[0]
    extra = ImmediateAction(
        severity=Severity.MEDIUM, finding="chain does not validate", subject="old:443", detail="x"
    )
    baseline = current.model_copy(
        update={
            "evaluated_at": date(2026, 1, 1),
            "immediate_actions": (extra, *current.immediate_actions[1:]),
        }
    )
    progress = compare(baseline, current)
    assert progress.actions_compared
    assert progress.actions_resolved == (extra,)
    assert progress.actions_new == (fixed,)
    older = Result.model_validate({k: v for k, v in document.items() if k != "immediate_actions"})
    assert not compare(older, current).actions_compared


def test_the_roadmap_export_lists_them_first(scored):
    from assess.render.exports import roadmap_csv

    document, _ = scored
    current = Result.model_validate(document)
    rows = list(csv.reader(io.StringIO(roadmap_csv(current).decode("utf-8"))))
    assert rows[0][-2:] == ["Beyond target", "Severity"]
    first = rows[1]
    action = current.immediate_actions[0]
    assert first[:2] == ["A1", "immediate"] and first[-1] == action.severity.value
    assert len(rows) - 1 == len(current.immediate_actions) + len(current.roadmap)


def _change(**fields):
    from assess.model.progress import ChangeKind, PracticeChange

    base = {
        "practice": "KEY-02",
        "dimension": "KEY",
        "title": "t",
        "kind": ChangeKind.REGRESSED,
        "baseline_answer": "largely",
        "current_answer": "largely",
        "baseline_counted": "largely",
        "current_counted": "partially",
        "baseline_value": 2 / 3,
        "current_value": 1 / 3,
    }
    return PracticeChange(**{**base, **fields})


def test_what_moved_a_practice_override_then_evidence_then_answers():
    from assess.method.progress import cause
    from assess.model.progress import LevelReason
    from assess.model.result import Flag

    contradicted = _change(scan_added=("contradicts: weak_key_share > 0",))
    overridden = _change(flags_added=(Flag.OVERRIDE, Flag.CONTRADICTED), scan_added=("x",))
    answered = _change(current_answer="partially")
    assert [cause(c) for c in (contradicted, overridden, answered)] == [
        LevelReason.EVIDENCE,
        LevelReason.OVERRIDES,
        LevelReason.ANSWERS,
    ]
