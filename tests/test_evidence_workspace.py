"""End to end: real TLS scans into a workspace on the CMMM questionnaire change the score the way
method.md says; the interview offers what evidence suggests; no output ever holds key material."""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, datetime

import pytest
from certgen import key_pem, new_key
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from factories import write_yaml
from ruamel.yaml import YAML
from tlsservers import ThreadServer, tls_handler

pytestmark = pytest.mark.slow  # real TLS servers, scans and reports


@pytest.fixture(scope="module")
def estate(pki, tmp_path_factory):
    """Ten loopback endpoints: nine good, one serving an expired certificate."""
    folder = tmp_path_factory.mktemp("estate")
    servers = []
    for number in range(10):
        leaf = (
            pki.leaf("localhost", days_before=100, days_after=-3)
            if number == 9
            else pki.leaf("localhost")
        )
        chain, key = leaf.write(folder, f"site{number}")
        servers.append(ThreadServer(tls_handler(chain, key)))
    root = folder / "root.pem"
    root.write_bytes(pki.root.pem)
    yield [f"localhost:{s.port}" for s in servers], root
    for server in servers:
        server.close()


@pytest.fixture
def workspace(cli, estate, tmp_path):
    targets, root = estate
    today = datetime.now(UTC).date().isoformat()
    ws = tmp_path / "acme"
    assert cli("init", ws, "--org", "Acme", "--start", today).exit_code == 0
    write_yaml(
        ws / "answers" / "jane.yaml",
        {"respondent": {"name": "Jane"}, "answers": {"MON-03": {"answer": "fully"}}},
    )
    result = cli("scan", "tls", *targets, "--ca-file", root, "--out", ws / "evidence" / "tls.json")
    assert result.exit_code == 0, result.output
    assert "10 observations, 20 certificates" in result.stdout
    return ws, today


def practice(document, pid):
    for dimension in document["dimensions"]:
        for item in dimension["practices"]:
            if item["id"] == pid:
                return item
    raise KeyError(pid)


def test_an_expired_endpoint_caps_a_fully_answer_and_an_override_lifts_it(cli, workspace):
    ws, today = workspace
    result = cli("score", ws, "--json", "--at", today)
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    mon03 = practice(document, "MON-03")
    assert mon03["answer"] == "fully"
    assert mon03["value"] == pytest.approx(1 / 3)
    assert "contradicted" in mon03["flags"]
    assert mon03["counted"] == "partially"  # the answer counted, beside the answer given
    assert mon03["flag_reasons"]["contradicted"].startswith(
        "Endpoints serving an expired certificate: 1 of 10 (10.0%)."
    )
    (source,) = document["evidence"]["sources"]
    assert source["file"] == "evidence/tls.json" and source["observations"] == 10
    metrics = {m["metric"]: m for m in document["evidence"]["metrics"]}
    assert metrics["expired_in_service_share"]["value"] == pytest.approx(0.1)
    assert metrics["expired_in_service_share"]["denominator"] == 10
    assert metrics["untrusted_chain_share"]["value"] == pytest.approx(0.1)  # the expired one

    table = cli("score", ws, "--at", today).stdout
    assert "Evidence: 1 bundle used" in table
    assert re.search(
        r"MON-03 +contradicted: endpoints serving an expired certificate: 1 of 10 \(10\.0%\) "
        r"\(counted partially, answered fully\)",
        table,
    )

    yaml = YAML()
    assessment = yaml.load((ws / "assessment.yaml").read_text())
    assessment["overrides"] = {
        "MON-03": {
            "answer": "fully",
            "justification": "The expired endpoint is a decommissioned test host",
        }
    }
    write_yaml(ws / "assessment.yaml", assessment)
    document = json.loads(cli("score", ws, "--json", "--at", today).stdout)
    mon03 = practice(document, "MON-03")
    assert mon03["value"] == 1
    assert "override" in mon03["flags"] and "contradicted" not in mon03["flags"]
    assert "lifts a scan contradiction" in mon03["flag_reasons"]["override"]
    table = cli("score", ws, "--at", today).stdout
    assert re.search(r"MON-03 +contradicted, lifted by the override", table)


def test_interview_offers_the_suggested_answer_and_enter_accepts_it(cli, workspace):
    ws, today = workspace
    # MON-01 (the first monitoring practice) has: expired_in_service_share > 0 suggests partially.
    result = cli(
        "interview",
        ws,
        "--respondent",
        "Bob",
        "--dimension",
        "monitoring",
        "--at",
        today,
        input="\n\n\nq\n",
    )
    assert result.exit_code == 0, result.output
    assert "MON-01" in result.stdout
    assert "Scan evidence suggests: partially (Enter to accept)" in result.stdout
    assert "[partially]" in result.stdout
    saved = YAML(typ="safe").load((ws / "answers" / "bob.yaml").read_text())
    assert saved["answers"]["MON-01"] == {"answer": "partially"}


def key_markers(key) -> list[bytes]:
    """Byte strings that would betray the key in an output: PEM body lines, DER windows."""
    pem = key_pem(key)
    body = [line for line in pem.splitlines() if line and not line.startswith(b"-----")]
    der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    windows = [der[i : i + 24] for i in range(0, len(der) - 24, 24)]
    return (
        body
        + [w.hex().encode() for w in windows]
        + [base64.b64encode(w)[:24] for w in windows]
        + windows
    )


def test_no_output_holds_private_key_material(cli, pki, tmp_path):
    today = datetime.now(UTC).date().isoformat()
    keys_dir = tmp_path / "keys"
    keys_dir.mkdir()
    leaf = pki.leaf("secret.example.test", key="rsa2048")
    leaf.write(keys_dir, "site")  # site.pem + site.key (PKCS#8, unencrypted)
    ec = new_key("p256")
    (keys_dir / "traditional.key").write_bytes(
        ec.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    store_key = pki.leaf("store.example.test")
    (keys_dir / "store.p12").write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"store", store_key.key, store_key.cert, None, serialization.NoEncryption()
        )
    )
    secret_key = pki.leaf("k8s.example.test")
    (keys_dir / "secret.yaml").write_text(
        "apiVersion: v1\nkind: Secret\ntype: kubernetes.io/tls\n"
        "metadata: {name: web, namespace: prod}\n"
        f"data:\n  tls.crt: {base64.b64encode(secret_key.pem).decode()}\n"
        f"  tls.key: {base64.b64encode(secret_key.key_pem).decode()}\n"
    )
    (keys_dir / "broken.key").write_bytes(key_pem(new_key("p256"))[:-40])  # torn PEM
    all_keys = [leaf.key, ec, store_key.key, secret_key.key]

    ws = tmp_path / "ws"
    assert cli("init", ws, "--org", "Acme", "--start", today).exit_code == 0
    outputs: list[bytes] = []
    for result in (
        cli("scan", "files", keys_dir, "--out", ws / "evidence" / "files.json"),
        cli("score", ws, "--at", today),
        cli("score", ws, "--json", "--at", today),
        cli("scan", "files", keys_dir / "broken.key", "--out", tmp_path / "broken.json"),
        cli("--debug", "scan", "files", keys_dir / "missing", "--out", tmp_path / "x.json"),
    ):
        outputs += [result.stdout.encode(), result.stderr.encode()]
    outputs.append((ws / "evidence" / "files.json").read_bytes())
    outputs.append((tmp_path / "broken.json").read_bytes())
    bundle = json.loads((ws / "evidence" / "files.json").read_text())
    assert len(bundle["keys"]) == 4, "the keys were found (so the test can fail)"
    everything = b"\n".join(outputs)
    assert b"PRIVATE KEY" not in everything
    for key in all_keys:
        for marker in key_markers(key):
            assert marker not in everything
