"""One endpoint seen by several sources counts once, each figure from the source the merge rules
name (docs/evidence.md, Merging).

The bundles are what the real tools wrote about one set of loopback servers
(tests/data/evidence/merge/PROVENANCE.md): our own scan with the test root, sslyze 6.3.1 and
5.2.0 with the test root, testssl.sh 3.0.8 in flat JSON with its own roots and in pretty JSON
with the test root added. The expected values come from how each server was made
(expected.json), never from a tool's output.
"""

from __future__ import annotations

import itertools
import json
import random
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from assess.evidence.merge import merge_endpoints
from assess.evidence.metrics import Evidence, compute_metrics, highlights
from assess.inputs.schedule import load_schedule
from assess.model.bundle import (
    BundleTool,
    CertificateRecord,
    EvidenceBundle,
    KeyType,
    Observation,
    ObservationKind,
    ObservationStatus,
    TrustRoots,
)
from assess.model.evidence import MetricId

SCHEDULE = load_schedule().schedule

HERE = Path(__file__).parent / "data" / "evidence" / "merge"
EXPECTED = json.loads((HERE / "expected.json").read_text())
MADE_AT = datetime.fromisoformat(EXPECTED["made_at"])
DAY = MADE_AT.date()
ENDPOINTS: dict[str, dict] = EXPECTED["endpoints"]
BY_FIXTURE = {facts["fixture"]: location for location, facts in ENDPOINTS.items()}
ANSWERING = [location for location, facts in ENDPOINTS.items() if facts["answers"]]
"""The five TLS servers; the other two targets are a service that is not TLS and a closed port."""

# What each tool could not read, and why: testssl.sh runs the system's OpenSSL 3, which has no
# TLS 1.0 at its default security level, so the TLS 1.0-only server is a failed target there.
NOT_READ_BY = {"testssl-flat": {"tls10"}, "testssl-pretty": {"tls10"}}


def location_of(fixture: str) -> str:
    return BY_FIXTURE[fixture]


@pytest.fixture(scope="module")
def bundles(tmp_path_factory) -> dict[str, EvidenceBundle]:
    """Every source's bundle: our scan as written, the tools' files imported by the CLI."""
    from typer.testing import CliRunner

    from assess.cli import app

    folder = tmp_path_factory.mktemp("merge")
    found = {"tls": EvidenceBundle.model_validate_json((HERE / "tls.json").read_text())}
    imports = {
        "sslyze6": ("sslyze6.json", "sslyze", []),
        "sslyze5": ("sslyze5.json", "sslyze", []),
        # The flat file does not say when testssl.sh ran: the assessor does.
        "testssl-flat": ("testssl-flat.json", "testssl", ["--collected-at", EXPECTED["made_at"]]),
        "testssl-pretty": ("testssl-pretty.json", "testssl", []),
    }
    for name, (file, fmt, extra) in imports.items():
        out = folder / f"{name}.json"
        result = CliRunner().invoke(
            app,
            ["evidence", "import", str(HERE / file), "--format", fmt, *extra, "--out", str(out)],
            catch_exceptions=False,
        )
        assert result.exit_code == 0, result.output
        found[name] = EvidenceBundle.model_validate_json(out.read_text())
    return found


def observations_at(bundle: EvidenceBundle, location: str) -> list[Observation]:
    return [o for o in bundle.observations if o.location == location]


@pytest.mark.parametrize("source", ["tls", "sslyze6", "sslyze5", "testssl-flat", "testssl-pretty"])
def test_each_source_reads_each_server_as_it_was_made(bundles, source):
    bundle = bundles[source]
    for location, made in ENDPOINTS.items():
        seen = observations_at(bundle, location)
        read = [o for o in seen if o.status is ObservationStatus.OK]
        if not made["answers"] or made["fixture"] in NOT_READ_BY.get(source, ()):
            if source == "testssl-pretty":  # a failed target is named by its address there
                seen = observations_at(bundle, "127.0.0.1:" + location.rpartition(":")[2])
            assert seen and not any(o.status is ObservationStatus.OK for o in seen), location
            continue
        leaves = {o.certificates[0].sha256: o for o in read}
        made_leaves = {leaf["sha256"]: leaf for leaf in made["leaves"]}
        if source == "tls":  # one handshake: one of the server's chains
            assert len(read) == 1 and set(leaves) <= set(made_leaves)
        else:  # sslyze and testssl.sh ask for every chain: one observation each
            assert set(leaves) == set(made_leaves) and len(read) == len(made_leaves)
        for sha256, observation in leaves.items():
            leaf = observation.certificates[0]
            assert (leaf.key_type, leaf.key_size) == (
                made_leaves[sha256]["key_type"],
                made_leaves[sha256]["key_size"],
            )
            chain = [c.sha256 for c in observation.certificates]
            if source.startswith("testssl"):  # 3.0.8 writes the leaf only (3.1: intermediates)
                assert chain == made_leaves[sha256]["chain_sent"][:1]
            else:
                assert chain == made_leaves[sha256]["chain_sent"]
            # Item 12: the name is matched the same way for every source (RFC 6125, the
            # subjectAltName only): a leaf without one does not match, whatever sslyze 5 says.
            assert observation.hostname_match is (made["fixture"] != "no_san")
            assert observation.address == "127.0.0.1"


@pytest.mark.parametrize("source", ["tls", "sslyze6", "sslyze5", "testssl-flat", "testssl-pretty"])
def test_the_newest_protocol_each_source_saw(bundles, source):
    expected = {f["fixture"]: f["newest_protocol"] for f in ENDPOINTS.values() if f["answers"]}
    if source == "tls":
        # Our handshake with a server that requires a client certificate fails after the
        # chain: the chain is read, the version is not known.
        expected["client_auth"] = None
    for fixture in NOT_READ_BY.get(source, ()):
        del expected[fixture]
    seen = {
        made["fixture"]: {o.tls_version for o in observations_at(bundles[source], location)}
        for location, made in ENDPOINTS.items()
        if made["fixture"] in expected
    }
    assert seen == {fixture: {version} for fixture, version in expected.items()}


def test_why_a_tool_could_not_read_a_target_is_its_own_reason(bundles):
    # Item 15: testssl.sh says why; that reason is kept, not "recorded no certificate".
    reasons = {
        fixture: {o.error for o in observations_at(bundles["testssl-flat"], location_of(fixture))}
        for fixture in ("tls10", "not_tls", "refused")
    }
    port = {f: location_of(f).rpartition(":")[2] for f in reasons}
    assert reasons == {
        "tls10": {f"testssl.sh: Your OpenSSL cannot connect to 127.0.0.1:{port['tls10']}."},
        "not_tls": {
            f"testssl.sh: 127.0.0.1:{port['not_tls']} doesn't seem to be a TLS/SSL enabled server."
        },
        "refused": {
            f"testssl.sh: Can't connect to '127.0.0.1:{port['refused']}' Make sure a firewall is "
            "not between you and your scanning target!"
        },
    }


def metrics_of(pairs) -> dict[MetricId, tuple[float | None, int]]:
    metrics = compute_metrics(Evidence.of(pairs), DAY, SCHEDULE)
    return {m: (v.value, v.denominator) for m, v in metrics.items()}


ALL = ["tls", "sslyze6", "sslyze5", "testssl-flat", "testssl-pretty"]


def test_all_sources_together_count_each_server_once(bundles):
    pairs = [(f"{name}.json", bundles[name]) for name in ALL]
    merged = merge_endpoints(pairs)
    assert set(merged) == set(ENDPOINTS)  # pretty's failed targets (by address) joined
    metrics = metrics_of(pairs)
    assert metrics[MetricId.ENDPOINTS] == (5, 7)
    # good 1, dual 2 (RSA and ECDSA), tls10 1, client_auth 1, no_san 1
    assert metrics[MetricId.CERTIFICATES] == (6, 6)
    # The TLS 1.0-only server: our scan and sslyze read TLS 1.0; testssl.sh could not connect.
    assert metrics[MetricId.LEGACY_TLS_SHARE] == (1 / 5, 5)
    # Every chain validates against the test root (the assessor's); testssl.sh's "untrusted"
    # against its public stores is set aside. The leaf without a subjectAltName is not judged
    # by the verifier (ours, sslyze 6): sslyze 5 validated its chain.
    assert metrics[MetricId.UNTRUSTED_CHAIN_SHARE] == (0, 5)
    assert metrics[MetricId.HOSTNAME_MISMATCH_SHARE] == (1 / 5, 5)  # no_san
    dual = merged[location_of("dual")]
    assert {d.leaf.sha256 for d in dual.deployments} == {
        leaf["sha256"] for leaf in ENDPOINTS[location_of("dual")]["leaves"]
    }
    assert {d.leaf.key_type for d in dual.deployments} == {KeyType.RSA, KeyType.EC}


@pytest.mark.parametrize("seed", range(6))
def test_the_order_of_collection_and_of_reading_changes_nothing(bundles, seed):
    # Each source collected at another moment of the week, in a random order: the same report.
    rng = random.Random(seed)
    names = ALL[:]
    rng.shuffle(names)
    moments = [MADE_AT - timedelta(days=rng.randint(0, 6), hours=i) for i in range(len(ALL))]
    pairs = [
        (f"{name}.json", bundles[name].model_copy(update={"collected_at": moment}))
        for name, moment in zip(names, moments, strict=True)
    ]
    rng.shuffle(pairs)
    reference = metrics_of([(f"{name}.json", bundles[name]) for name in ALL])
    assert metrics_of(pairs) == reference


@pytest.mark.parametrize(
    ("testssl", "scan_first"),
    list(itertools.product(["testssl-flat", "testssl-pretty"], [True, False])),
)
def test_our_scan_with_the_private_root_and_testssl_whatever_came_last(
    bundles, testssl, scan_first
):
    # Issue 14 item 4: whichever was newer decided (untrusted 100% <-> 0%; TLS 1.0 counted or not).
    scan = bundles["tls"].model_copy(update={"collected_at": MADE_AT})
    later = MADE_AT + timedelta(hours=1) if scan_first else MADE_AT - timedelta(hours=1)
    other = bundles[testssl].model_copy(update={"collected_at": later})
    metrics = metrics_of([("tls.json", scan), (f"{testssl}.json", other)])
    # The closed port: our scan reached no address there, and the pretty file names the
    # target only by its address, so the two stay apart (the flat file names it).
    assert metrics[MetricId.ENDPOINTS] == (5, 7 if testssl == "testssl-flat" else 8)
    # no_san: our scan cannot judge a leaf that names no host; testssl.sh's flat file judged it
    # against public roots only (set aside), its pretty file with the test root (validates).
    judged = 4 if testssl == "testssl-flat" else 5
    assert metrics[MetricId.UNTRUSTED_CHAIN_SHARE] == (0, judged)
    assert metrics[MetricId.LEGACY_TLS_SHARE] == (1 / 5, 5)


def test_immediate_actions_read_the_merged_endpoints(bundles):
    from assess.evidence.actions import CHAIN_NOT_VALID, NAME_MISMATCH, immediate_actions

    pairs = [("tls.json", bundles["tls"]), ("testssl.json", bundles["testssl-flat"])]
    actions = immediate_actions(Evidence.of(pairs), DAY)
    # testssl.sh's "untrusted" (its public roots) raises nothing where our scan, with the
    # assessor's root, validated the chain; the leaf without subjectAltName matches no name.
    found = {
        (a.finding, a.subject) for a in actions if a.finding in (CHAIN_NOT_VALID, NAME_MISMATCH)
    }
    assert found == {(NAME_MISMATCH, location_of("no_san"))}


def test_testssl_alone_judges_with_its_own_roots_unless_given_more(bundles):
    flat = metrics_of([("flat.json", bundles["testssl-flat"])])
    assert flat[MetricId.UNTRUSTED_CHAIN_SHARE] == (1.0, 4)  # the test root is not public
    pretty = metrics_of([("pretty.json", bundles["testssl-pretty"])])
    assert pretty[MetricId.UNTRUSTED_CHAIN_SHARE] == (0, 4)  # --add-ca: the test root given
    assert {
        o.trust_roots for o in bundles["testssl-pretty"].observations if o.trusted is not None
    } == {TrustRoots.GIVEN}


def test_a_testssl_pretty_file_and_the_flat_file_of_the_same_targets_do_not_double(bundles):
    # Issue 14 item 4: pretty named targets by address (127.0.0.1:port, 13 -> 26 endpoints) and
    # lost the ones it could not scan.
    pretty = bundles["testssl-pretty"]
    named = {o.location for o in pretty.observations if o.status is ObservationStatus.OK}
    assert named == {location_of(f) for f in ("good", "dual", "client_auth", "no_san")}
    failed = [o for o in pretty.observations if o.status is ObservationStatus.ERROR]
    assert {o.location.rpartition(":")[2] for o in failed} == {
        location_of(f).rpartition(":")[2] for f in ("tls10", "not_tls", "refused")
    }
    both = metrics_of([("flat.json", bundles["testssl-flat"]), ("pretty.json", pretty)])
    assert both[MetricId.ENDPOINTS] == (4, 7)
    assert both[MetricId.CERTIFICATES] == (5, 5)
    alone = metrics_of([("pretty.json", pretty)])
    assert alone[MetricId.ENDPOINTS] == (4, 7)  # its failed targets still count as scanned


def test_a_flat_testssl_file_needs_the_time_of_its_scan(cli, tmp_path):
    copy = tmp_path / "testssl.json"
    shutil.copyfile(HERE / "testssl-flat.json", copy)  # a copy has a new modification time
    out = tmp_path / "x.json"
    result = cli("evidence", "import", copy, "--format", "testssl", "--out", out)
    assert result.exit_code == 2
    assert f"{copy}: the file does not say when its evidence was collected" in result.stderr
    assert "--collected-at" in result.stderr and not out.exists()
    result = cli(
        "evidence", "import", copy, "--format", "testssl", "--collected-at", "2026-11-30T10:00Z",
        "--out", out,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    bundle = EvidenceBundle.model_validate_json(out.read_text())
    assert bundle.collected_at == datetime(2026, 11, 30, 10, 0, tzinfo=UTC)


def test_each_metric_names_the_bundles_its_figures_came_from(bundles):
    pairs = [
        ("tls.json", bundles["tls"].model_copy(update={"collected_at": MADE_AT})),
        (
            "testssl.json",
            bundles["testssl-flat"].model_copy(update={"collected_at": MADE_AT + timedelta(1)}),
        ),
    ]
    metrics = compute_metrics(Evidence.of(pairs), DAY + timedelta(1), SCHEDULE)
    # Trust: only our scan used the assessor's roots; testssl.sh's verdicts are set aside.
    assert metrics[MetricId.UNTRUSTED_CHAIN_SHARE].sources == ("tls.json",)
    # Protocols: TLS 1.3 and 1.2 from both (the newest of either kind is the same), TLS 1.0
    # only from our scan; the figure names the source whose protocol won.
    assert set(metrics[MetricId.LEGACY_TLS_SHARE].sources) == {"tls.json", "testssl.json"}
    assert metrics[MetricId.ENDPOINTS].sources == ("testssl.json", "tls.json")


# Hand-made looks for the rules field by field.

T0 = datetime(2026, 11, 20, 12, tzinfo=UTC)


def leaf(name: str, key_type: KeyType = KeyType.EC) -> CertificateRecord:
    return CertificateRecord(
        sha256=(name * 64)[:64],
        serial=name,
        subject=f"CN={name}",
        issuer="CN=CA",
        not_before=T0 - timedelta(days=10),
        not_after=T0 + timedelta(days=80),
        key_type=key_type,
        key_size=2048 if key_type == KeyType.RSA else 256,
        san_dns=("h.test",),
    )


def look(
    collector: str, hours: int, *observations: Observation, store: str | None = None
) -> tuple[str, EvidenceBundle]:
    return (
        f"{collector}-{hours}.json",
        EvidenceBundle(
            collector=collector,
            collected_at=T0 + timedelta(hours=hours),
            tool=BundleTool(name=collector, version="test"),
            observations=observations,
            trust_store=store,
        ),
    )


def seen(*certificates: CertificateRecord, location: str = "h.test:443", **fields) -> Observation:
    values = {"status": ObservationStatus.OK, "hostname_match": True, **fields}
    return Observation(
        location=location, certificates=certificates, kind=ObservationKind.ENDPOINT, **values
    )


def failed(reason: str, location: str = "h.test:443", **fields) -> Observation:
    return Observation(
        location=location,
        status=ObservationStatus.ERROR,
        error=reason,
        kind=ObservationKind.ENDPOINT,
        **fields,
    )


def one(*pairs):
    (endpoint,) = merge_endpoints(pairs).values()
    return endpoint


def test_an_error_never_replaces_a_read():
    endpoint = one(
        look("tls", 0, seen(leaf("a"), tls_version="TLSv1.2")),
        look("tls", 5, failed("connection refused")),
    )
    assert endpoint.answered and endpoint.error is None
    assert endpoint.tls_version is not None and endpoint.tls_version.value == "TLSv1.2"
    gone = one(look("tls", 0, failed("timeout")), look("testssl", 5, failed("testssl.sh: x")))
    assert not gone.answered
    assert gone.error is not None and (gone.error.value, gone.error.source) == (
        "testssl.sh: x",
        "testssl-5.json",
    )


def test_the_newest_protocol_wins_only_against_the_same_kind_of_source():
    # The server dropped TLS 1.0: the later scan of the same kind says so.
    later = one(
        look("tls", 0, seen(leaf("a"), tls_version="TLSv1")),
        look("tls", 5, seen(leaf("a"), tls_version="TLSv1.2")),
    )
    assert later.tls_version is not None and later.tls_version.source == "tls-5.json"
    # A tool whose client lacks TLS 1.3 does not overrule one that got it, newer or not.
    for hours in (-5, 5):
        mixed = one(
            look("tls", 0, seen(leaf("a"), tls_version="TLSv1.3")),
            look("sslyze", hours, seen(leaf("a"), tls_version="TLSv1.2")),
        )
        assert mixed.tls_version is not None
        assert (mixed.tls_version.value, mixed.tls_version.source) == ("TLSv1.3", "tls-0.json")


def test_two_chains_of_two_key_types_whatever_their_numbering():
    rsa, ec = leaf("r", KeyType.RSA), leaf("e")
    for order in ((rsa, ec), (ec, rsa)):
        # testssl.sh numbers them the other way round; bundles written before merging gave
        # the second chain its number in the location.
        numbered = [seen(c, location=f"h.test:443#{n}") for n, c in enumerate(order[::-1], 1)]
        endpoint = one(
            look("sslyze", 0, *(seen(c) for c in order)),
            look("testssl", 1, *numbered),
            look("tls", 2, seen(ec)),
        )
        assert sorted(d.leaf.serial for d in endpoint.deployments) == ["e", "r"]


def test_a_renewed_certificate_replaces_the_old_one_of_its_key_type():
    old, new, other = leaf("a"), leaf("b"), leaf("r", KeyType.RSA)
    endpoint = one(
        look("sslyze", 0, seen(old), seen(other)),
        look("tls", 5, seen(new)),  # one handshake: the RSA chain is not seen, not gone
    )
    assert sorted(d.leaf.serial for d in endpoint.deployments) == ["b", "r"]
    # A tool that asks for every chain shows the RSA one is gone.
    endpoint = one(look("sslyze", 0, seen(old), seen(other)), look("testssl", 5, seen(new)))
    assert [d.leaf.serial for d in endpoint.deployments] == ["b"]


def test_trust_against_the_assessors_roots_and_public_roots():
    given = {"trust_roots": TrustRoots.GIVEN}
    public = {"trust_roots": TrustRoots.PUBLIC}
    chain = leaf("a")
    # Private CA: trusted against the given roots, untrusted against public ones, any order.
    for hours in (-3, 3):
        endpoint = one(
            look("tls", 0, seen(chain, trusted=True, **given)),
            look("testssl", hours, seen(chain, trusted=False, validation_error="x", **public)),
        )
        (deployment,) = endpoint.deployments
        assert deployment.trusted is not None
        assert (deployment.trusted.value, deployment.trusted.source) == (True, "tls-0.json")
    # Public CA scanned with only private roots given: public roots say it validates.
    endpoint = one(
        look("tls", 0, seen(chain, trusted=False, validation_error="no path", **given)),
        look("testssl", 3, seen(chain, trusted=True, **public)),
    )
    assert endpoint.deployments[0].trusted is not None
    assert endpoint.deployments[0].trusted.value is True
    # Broken against both: untrusted, for the reason the assessor's roots gave.
    endpoint = one(
        look("tls", 0, seen(chain, trusted=False, validation_error="expired", **given)),
        look("testssl", 3, seen(chain, trusted=False, validation_error="failed", **public)),
    )
    (deployment,) = endpoint.deployments
    assert deployment.trusted is not None and deployment.trusted.value is False
    assert deployment.reason == "expired"
    # Bundles written before observations named their roots: the scan's trust store tells.
    endpoint = one(
        look("tls", 0, seen(chain, trusted=True), store="/etc/pki/corp-root.pem"),
        look("testssl", 3, seen(chain, trusted=False)),
    )
    assert endpoint.deployments[0].trusted is not None
    assert endpoint.deployments[0].trusted.value is True


def test_a_failed_target_named_by_address_joins_the_one_endpoint_reached_there():
    flat = look("testssl", 0, failed("x", location="h.test:443", address="10.0.0.1"))
    pretty = look("testssl", 1, failed("y", location="10.0.0.1:443", address="10.0.0.1"))
    assert list(merge_endpoints([flat, pretty])) == ["h.test:443"]
    # Two names on that address and port (virtual hosts): which one failed is not known.
    other = look("tls", 0, seen(leaf("b"), location="i.test:443", address="10.0.0.1"))
    assert len(merge_endpoints([flat, pretty, other])) == 3
    # An address scanned as such (and read) is its own endpoint.
    direct = look("tls", 2, seen(leaf("a"), location="10.0.0.1:443", address="10.0.0.1"))
    assert len(merge_endpoints([flat, direct])) == 2


def test_highlights_name_every_chain_of_an_endpoint():
    rsa = leaf("r", KeyType.RSA).model_copy(update={"self_signed": True})
    pairs = [
        look("sslyze", 0, seen(leaf("e")), seen(rsa, trusted=False, trust_roots=TrustRoots.GIVEN))
    ]
    shown, _ = highlights(Evidence.of(pairs), date(2026, 11, 20))
    assert [(h.subject, h.problems) for h in shown] == [
        ("CN=r", ("chain does not validate", "self-signed on an endpoint"))
    ]
