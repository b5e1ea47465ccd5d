"""The TLS scanner against real loopback servers with certificates made in the tests.

Expected values come from how each certificate was made (tests/certgen.py), never from the
scanner. Only 127.0.0.1 and ::1 are contacted; every wait is bounded.
"""

from __future__ import annotations

import json
import socket
import ssl
import subprocess
from datetime import timedelta

import pytest
from certgen import OPENSSL, openssl_sha1_rsa1024
from tlsservers import (
    OpensslServer,
    ThreadServer,
    hang_up,
    refused_port,
    silent,
    ssh_banner,
    tls_handler,
)

from assess.evidence.endpoints import matches_host, parse_target
from assess.evidence.interface import CollectorError
from assess.evidence.tls import TlsScanner, TrustStore, read_targets
from assess.model.bundle import KeyType, ObservationKind, ObservationStatus, TrustRoots

TIMEOUT = 1.5


@pytest.fixture(scope="module")
def fixtures(pki, made_at, tmp_path_factory):
    """Every certificate fixture served by its own Python ssl server."""
    folder = tmp_path_factory.mktemp("tls")
    made = {
        "good": pki.leaf("localhost"),
        "expired": pki.leaf("localhost", days_before=100, days_after=-10),
        "not_yet_valid": pki.leaf("localhost", days_before=-10, days_after=80),
        "wrong_host": pki.leaf("other.example"),
        "self_signed": pki.self_signed("localhost"),
        "missing_intermediate": pki.leaf("localhost"),
        "rsa1024": pki.leaf("localhost", key="rsa1024"),
        "p384": pki.leaf("localhost", key="p384"),
        "ed25519": pki.leaf("localhost", key="ed25519"),
        "wildcard": pki.leaf("*.localhost"),
        "no_san": pki.leaf("localhost", san=False),
        "tls10": pki.leaf("localhost", key="rsa2048"),
    }
    servers = {}
    for name, cert in made.items():
        chain, key = cert.write(folder, name, with_intermediates=name != "missing_intermediate")
        version = ssl.TLSVersion.TLSv1 if name == "tls10" else None
        servers[name] = ThreadServer(tls_handler(chain, key, max_version=version))
    servers["silent"] = ThreadServer(silent)
    servers["not_tls"] = ThreadServer(ssh_banner)
    servers["hang_up"] = ThreadServer(hang_up)
    root = folder / "root.pem"
    root.write_bytes(pki.root.pem)
    yield made, servers, root
    for server in servers.values():
        server.close()


@pytest.fixture(scope="module")
def scanned(fixtures, made_at):
    """One scan of every fixture plus a refused port; observations by fixture name."""
    _, servers, root = fixtures
    names = list(servers)
    targets = [parse_target(f"localhost:{servers[n].port}") for n in names]
    names.append("refused")
    targets.append(parse_target(f"127.0.0.1:{refused_port()}"))
    seen = []
    scanner = TlsScanner(
        targets,
        trust=TrustStore.load([root]),
        concurrency=20,
        timeout=TIMEOUT,
        now=lambda: made_at,
    )
    scanner.collect(seen.append)
    assert [o.location for o in seen] == [t.location for t in targets], "target order kept"
    return dict(zip(names, seen, strict=True))


def test_a_good_chain_is_read_leaf_first_and_trusted(scanned, fixtures, pki):
    made, _, _ = fixtures
    good = scanned["good"]
    assert good.status is ObservationStatus.OK
    assert good.kind is ObservationKind.ENDPOINT
    assert [c.sha256 for c in good.certificates] == [made["good"].sha256, pki.intermediate.sha256]
    leaf = good.certificates[0]
    assert leaf.not_before == made["good"].not_before
    assert leaf.not_after == made["good"].not_after
    assert (leaf.key_type, leaf.key_size, leaf.signature_hash) == (KeyType.EC, 256, "sha256")
    assert leaf.san_dns == ("localhost",)
    assert leaf.serial == format(made["good"].cert.serial_number, "x")
    assert leaf.subject == "CN=localhost" and leaf.issuer == "CN=Test Issuing CA"
    assert not leaf.self_signed
    assert good.trusted is True and good.hostname_match is True
    assert good.tls_version == "TLSv1.3"
    assert good.server_name == "localhost"


@pytest.mark.parametrize(
    ("name", "trusted", "hostname_match"),
    [
        ("expired", False, True),
        ("not_yet_valid", False, True),
        ("wrong_host", True, False),  # the chain is fine; the name is recorded apart
        ("self_signed", False, True),
        ("missing_intermediate", False, True),
        ("rsa1024", True, True),  # weak keys are the metrics' business, not the verifier's
        ("p384", True, True),
        ("ed25519", True, True),
        ("wildcard", True, False),  # *.localhost does not cover localhost itself
        # A common name is no subjectAltName (RFC 6125): no match; and a leaf that names no
        # host cannot be judged by the verifier (nor by sslyze 6, which uses it): no verdict.
        ("no_san", None, False),
    ],
)
def test_each_fixture_reads_as_it_was_made(scanned, fixtures, name, trusted, hostname_match):
    made, _, _ = fixtures
    observation = scanned[name]
    cert = made[name]
    assert observation.status is ObservationStatus.OK, observation.error
    leaf = observation.certificates[0]
    assert leaf.sha256 == cert.sha256
    assert (leaf.not_before, leaf.not_after) == (cert.not_before, cert.not_after)
    assert (leaf.key_type, leaf.key_size) == (cert.key_type, cert.key_size)
    assert leaf.san_dns == cert.names
    assert leaf.self_signed is (cert.issuer is None)
    assert len(observation.certificates) == (
        1 if name in {"self_signed", "missing_intermediate"} else 2
    )
    assert observation.trusted is trusted, observation.validation_error
    assert observation.hostname_match is hostname_match
    assert (observation.validation_error is None) is (trusted is not False)
    assert observation.trust_roots == (None if trusted is None else TrustRoots.GIVEN)
    assert observation.address == "127.0.0.1"


def test_curves_and_ed25519(scanned):
    assert scanned["p384"].certificates[0].curve == "secp384r1"
    ed = scanned["ed25519"].certificates[0]
    assert ed.key_type == KeyType.ED25519 and ed.signature_hash == "sha256"  # signed by EC CA


def test_a_tls_1_0_only_server_is_still_read(scanned, fixtures):
    made, _, _ = fixtures
    observation = scanned["tls10"]
    assert observation.status is ObservationStatus.OK, observation.error
    assert observation.tls_version == "TLSv1"
    assert observation.certificates[0].sha256 == made["tls10"].sha256


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("refused", "connection refused"),
        ("silent", "did not answer"),
        ("not_tls", "not a TLS service"),
        ("hang_up", "closed the connection"),
    ],
)
def test_unreachable_targets_are_error_observations(scanned, name, reason):
    observation = scanned[name]
    assert observation.status is ObservationStatus.ERROR
    assert reason in (observation.error or ""), observation.error
    assert observation.certificates == ()


def test_the_timeout_bounds_a_handshake_that_drips_and_a_slow_resolver(monkeypatch):
    import socket
    import time

    from tlsservers import drip

    server = ThreadServer(drip)
    try:
        started = time.monotonic()
        seen = []
        TlsScanner(
            [parse_target(f"127.0.0.1:{server.port}")], trust=TrustStore.load([]), timeout=1
        ).collect(seen.append)
        assert time.monotonic() - started < 3  # the drip would go on for 20 s
        assert "no TLS handshake within 1 s" in (seen[0].error or "")
    finally:
        server.close()

    def slow_lookup(*args, **kwargs):
        time.sleep(3)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", slow_lookup)  # a resolver that takes 3 s
    started = time.monotonic()
    seen = []
    TlsScanner([parse_target("slow-dns.test:443")], trust=TrustStore.load([]), timeout=0.5).collect(
        seen.append
    )
    assert time.monotonic() - started < 2
    assert "no TCP connection within 0.5 s" in (seen[0].error or "")


def test_ipv6_loopback_without_sni(pki, made_at, tmp_path):
    try:
        socket.create_server(("::1", 0), family=socket.AF_INET6).close()
    except OSError:
        pytest.skip("no IPv6 loopback")
    cert = pki.leaf("::1")
    chain, key = cert.write(tmp_path, "v6")
    server = ThreadServer(tls_handler(chain, key), family=socket.AF_INET6)
    root = tmp_path / "root.pem"
    root.write_bytes(pki.root.pem)
    try:
        seen = []
        target = parse_target(f"[::1]:{server.port}")
        TlsScanner([target], trust=TrustStore.load([root]), timeout=TIMEOUT).collect(seen.append)
    finally:
        server.close()
    (observation,) = seen
    assert observation.location == f"[::1]:{server.port}"
    assert observation.server_name is None
    assert observation.certificates[0].san_ip == ("::1",)
    assert observation.hostname_match is True and observation.trusted is True


@pytest.fixture(scope="module")
def openssl_servers(fixtures, tmp_path_factory):
    if OPENSSL is None:
        pytest.skip("openssl is not installed")
    made, _, _ = fixtures
    folder = tmp_path_factory.mktemp("openssl")
    sha1_cert, sha1_key = openssl_sha1_rsa1024(folder, "sha1", "localhost")
    leaf, key = made["good"].write(folder, "good", with_intermediates=False)
    chain = folder / "intermediate.pem"
    chain.write_bytes(made["good"].chain[0].pem)
    servers = {
        "sha1_tls10": OpensslServer(sha1_cert, sha1_key, "-cipher", "DEFAULT@SECLEVEL=0", "-tls1"),
        "good": OpensslServer(leaf, key, chain=chain),
        # Servers that require a client certificate (-Verify), in TLS 1.2 (the handshake fails
        # once the client sends none) and TLS 1.3 (it fails only after the handshake).
        "client_auth_tls12": OpensslServer(leaf, key, "-tls1_2", "-Verify", "1", chain=chain),
        "client_auth_tls13": OpensslServer(leaf, key, "-tls1_3", "-Verify", "1", chain=chain),
    }
    yield servers, sha1_cert
    for server in servers.values():
        server.close()


def test_openssl_s_server_weak_server_is_read(openssl_servers, fixtures, made_at):
    servers, sha1_cert = openssl_servers
    _, _, root = fixtures
    printed = subprocess.run(
        [OPENSSL, "x509", "-in", str(sha1_cert), "-noout", "-fingerprint", "-sha256"],
        check=True,
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout
    expected_fingerprint = printed.split("=", 1)[1].strip().replace(":", "").lower()
    seen = []
    targets = [parse_target(f"localhost:{servers[n].port}") for n in ("sha1_tls10", "good")]
    TlsScanner(
        targets, trust=TrustStore.load([root]), timeout=TIMEOUT, now=lambda: made_at
    ).collect(seen.append)
    weak, good = seen
    assert weak.status is ObservationStatus.OK, weak.error
    assert weak.tls_version == "TLSv1"
    leaf = weak.certificates[0]
    # Made by `openssl req -x509 -sha1 -newkey rsa:1024 -days 30`:
    assert (leaf.key_type, leaf.key_size, leaf.signature_hash) == (KeyType.RSA, 1024, "sha1")
    assert leaf.self_signed is True
    assert leaf.not_after - leaf.not_before == timedelta(days=30)
    assert leaf.sha256 == expected_fingerprint
    assert weak.trusted is False
    assert good.status is ObservationStatus.OK
    assert len(good.certificates) == 2 and good.trusted is True


@pytest.mark.parametrize(
    ("name", "version"), [("client_auth_tls12", None), ("client_auth_tls13", "TLSv1.3")]
)
def test_a_server_that_requires_a_client_certificate_is_read(
    openssl_servers, fixtures, made_at, name, version
):
    # The server sends its chain before it asks for a client certificate; in TLS 1.2 the
    # handshake then fails (we send none), so the version is not known, but the chain is.
    servers, _ = openssl_servers
    made, _, root = fixtures
    seen = []
    TlsScanner(
        [parse_target(f"localhost:{servers[name].port}")],
        trust=TrustStore.load([root]),
        timeout=TIMEOUT,
        now=lambda: made_at,
    ).collect(seen.append)
    (observation,) = seen
    assert observation.status is ObservationStatus.OK, observation.error
    assert [c.sha256 for c in observation.certificates] == [
        made["good"].sha256,
        made["good"].chain[0].sha256,
    ]
    assert observation.trusted is True and observation.hostname_match is True
    assert observation.tls_version == version


def test_targets_are_parsed_and_bad_ones_reported_together(tmp_path):
    assert parse_target("example.com").location == "example.com:443"
    assert parse_target("example.com:8443").port == 8443
    assert parse_target("[2001:db8::1]:993").location == "[2001:db8::1]:993"
    assert parse_target("2001:db8::1").port == 443
    listing = tmp_path / "targets.txt"
    listing.write_text("# estate\nexample.com:443\n\nbad:port\nexample.com  # again\n")
    with pytest.raises(CollectorError) as caught:
        read_targets(["ok.example", "[nope]:1"], listing)
    message = str(caught.value)
    assert "[nope]:1" in message and f"{listing}:4" in message
    found = read_targets(["a.example", "a.example:443"], None)
    assert [t.location for t in found] == ["a.example:443"]


def test_host_name_matching_follows_rfc_6125():
    assert matches_host("www.example.com", ["*.example.com"], [])
    assert not matches_host("a.b.example.com", ["*.example.com"], [])
    assert not matches_host("example.com", ["*.example.com"], [])
    assert matches_host("WWW.Example.com.", ["www.example.com"], [])
    assert matches_host("10.0.0.1", ["10.0.0.1"], ["10.0.0.1"])
    assert not matches_host("10.0.0.2", [], ["10.0.0.1"])


def test_cli_scan_tls_writes_a_bundle_and_stays_quiet_off_a_terminal(cli, fixtures, tmp_path):
    _, servers, root = fixtures
    out = tmp_path / "ws" / "evidence" / "tls.json"
    result = cli(
        "scan",
        "tls",
        f"localhost:{servers['good'].port}",
        f"127.0.0.1:{refused_port()}",
        "--ca-file",
        root,
        "--timeout",
        "2",
        "--out",
        out,
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert "2 observations (1 could not be read)" in result.stdout
    bundle = json.loads(out.read_text())
    assert bundle["schema"] == "cmmm-evidence/1" and bundle["collector"] == "tls"
    assert bundle["trust_store"] == str(root)
    assert [o["status"] for o in bundle["observations"]] == ["ok", "error"]


def test_cli_scan_tls_bad_target_is_exit_2(cli, tmp_path):
    result = cli("scan", "tls", "host:99999", "--out", tmp_path / "x.json")
    assert result.exit_code == 2
    assert "port must be a number" in result.stderr
    assert not (tmp_path / "x.json").exists()
