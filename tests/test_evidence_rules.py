"""Metrics from hand-built bundles, computed by hand; rules: sample, freshness, stale, future."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from factories import MINI, write_yaml
from ruamel.yaml import YAML

from assess.engine.score import evaluate, evidence_findings
from assess.evidence.metrics import Evidence, compute_metrics, highlights
from assess.evidence.rules import evaluate_rule
from assess.inputs.schedule import load_schedule
from assess.inputs.workspace import load_workspace
from assess.model.bundle import (
    BundleTool,
    CertificateRecord,
    EvidenceBundle,
    KeyRecord,
    KeyType,
    Observation,
    ObservationKind,
    ObservationStatus,
)
from assess.model.evidence import (
    Comparison,
    EvidenceEffect,
    EvidenceRule,
    FindingStatus,
    MetricId,
    MetricValue,
)
from assess.support.errors import InputError

SCHEDULE = load_schedule().schedule

DAY = date(2026, 11, 26)  # metrics are taken at the end of this day: 2026-11-27T00:00Z


def t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def cert(sha: str, not_before: str, not_after: str, **fields: object) -> CertificateRecord:
    values: dict[str, object] = {
        "sha256": sha * 64,
        "serial": sha,
        "subject": f"CN={sha}.test",
        "issuer": "CN=CA One",
        "not_before": t(not_before),
        "not_after": t(not_after),
        "key_type": KeyType.EC,
        "key_size": 256,
        "signature_hash": "sha256",
        "san_dns": (f"{sha}.test",),
        "spki_sha256": sha * 64,
        "is_ca": False,
    }
    values.update(fields)
    return CertificateRecord.model_validate(values)


A = cert("a", "2026-10-01", "2026-12-30", issuer="CN=R3,O=Let's Encrypt,C=US", spki_sha256="f" * 64)
B = cert("b", "2026-06-01", "2026-11-20", self_signed=True, issuer="CN=b.test")
C = cert("c", "2025-12-01", "2026-12-05", spki_sha256="f" * 64, automation=("cert-manager",))
D = cert(
    "d",
    "2026-04-01",
    "2027-04-01",
    issuer="CN=CA Two",
    key_type=KeyType.RSA,
    key_size=1024,
    signature_hash="sha1",
    san_dns=("*.d.test",),
)
CA = cert("e", "2020-01-01", "2040-01-01", is_ca=True, key_type=KeyType.RSA, key_size=1024)


def file_observation(location: str, *certs: CertificateRecord) -> Observation:
    return Observation(location=location, status=ObservationStatus.OK, certificates=certs)


def endpoint(location: str, leaf: CertificateRecord | None, **fields: object) -> Observation:
    values: dict[str, object] = {
        "location": location,
        "status": ObservationStatus.OK if leaf else ObservationStatus.ERROR,
        "error": None if leaf else "connection refused",
        "certificates": (leaf,) if leaf else (),
        "kind": ObservationKind.ENDPOINT,
    }
    values.update(fields)
    return Observation.model_validate(values)


def bundle(collected: str, observations=(), keys=(), collector: str = "files") -> EvidenceBundle:
    return EvidenceBundle(
        collector=collector,
        collected_at=t(collected),
        tool=BundleTool(name="cmmm-assess", version="test"),
        observations=tuple(observations),
        keys=tuple(keys),
    )


FILES = bundle(
    "2026-11-20",
    [
        file_observation("/etc/ssl/a.pem", A, CA),
        file_observation("/etc/ssl/cd.pem", C, D),
        file_observation("/b.pem", B),
    ],
    [
        KeyRecord(location="/k1", encrypted=False, mode="0644"),
        KeyRecord(location="/k2", encrypted=True, mode="0600"),
        KeyRecord(location="/k3", encrypted=False, mode=None),
    ],
)
TLS = bundle(
    "2026-11-21",
    [
        endpoint("a.test:443", A, trusted=True, hostname_match=True, tls_version="TLSv1.3"),
        endpoint("b.test:443", B, trusted=False, hostname_match=False, tls_version="TLSv1"),
        endpoint("down.test:443", None),
    ],
    collector="tls",
)
COPY = bundle("2026-11-22", [file_observation("/backup/a.pem", A)])


def test_metrics_by_hand():
    metrics = compute_metrics(
        Evidence.of(
            [
                ("evidence/files.json", FILES),
                ("evidence/tls.json", TLS),
                ("evidence/copy.json", COPY),
            ]
        ),
        DAY,
        SCHEDULE,
    )

    def v(metric: MetricId) -> tuple[float | None, int]:
        return metrics[metric].value, metrics[metric].denominator

    # Leaves A, B, C, D (the CA certificate is left out; A seen three times counts once).
    assert v(MetricId.CERTIFICATES) == (4, 4)
    assert v(MetricId.ENDPOINTS) == (2, 3)
    assert v(MetricId.EXPIRED_SHARE) == (1 / 4, 4)  # B
    assert v(MetricId.EXPIRED_IN_SERVICE_SHARE) == (1 / 2, 2)  # b.test serves B
    # Still valid: A (33 days left), C (8 days left), D.
    assert v(MetricId.EXPIRING_7D_SHARE) == (0, 3)
    assert v(MetricId.EXPIRING_14D_SHARE) == (1 / 3, 3)
    assert v(MetricId.EXPIRING_30D_SHARE) == (1 / 3, 3)
    assert v(MetricId.SHORT_VALIDITY_SHARE) == (1 / 4, 4)  # A: 90 days
    # D: 365 days issued after 2026-03-15; B (self-signed, untrusted at b.test against the
    # public roots) is no public CA's certificate, so the CA/B limits do not apply to it.
    assert v(MetricId.LONG_VALIDITY_SHARE) == (1 / 3, 3)
    # A: 33/90 left, C: 8/369, D: 125/365 (0.342 > 1/3): only C is late.
    assert v(MetricId.LATE_RENEWAL_SHARE) == (1 / 3, 3)
    assert v(MetricId.ISSUER_COUNT) == (4, 4)  # R3, b.test (self-signed), CA One, CA Two
    assert v(MetricId.WEAK_KEY_SHARE) == (1 / 4, 4)
    assert v(MetricId.WEAK_SIGNATURE_SHARE) == (1 / 4, 4)
    assert v(MetricId.SELF_SIGNED_IN_SERVICE_SHARE) == (1 / 2, 2)
    assert v(MetricId.UNTRUSTED_CHAIN_SHARE) == (1 / 2, 2)
    assert v(MetricId.HOSTNAME_MISMATCH_SHARE) == (1 / 2, 2)
    assert v(MetricId.LEGACY_TLS_SHARE) == (1 / 2, 2)
    assert v(MetricId.WILDCARD_SHARE) == (1 / 4, 4)
    assert v(MetricId.KEY_REUSE_SHARE) == (2 / 4, 4)  # A and C share a key
    assert v(MetricId.UNENCRYPTED_KEY_SHARE) == (2 / 3, 3)
    assert v(MetricId.WORLD_READABLE_KEY_SHARE) == (1 / 2, 2)  # k3 has no mode
    assert v(MetricId.AUTOMATION_MARKER_SHARE) == (2 / 4, 4)  # A (ACME issuer), C (cert-manager)
    assert metrics[MetricId.EXPIRED_IN_SERVICE_SHARE].sources == ("evidence/tls.json",)
    assert metrics[MetricId.CERTIFICATES].sources == (
        "evidence/copy.json",
        "evidence/files.json",
        "evidence/tls.json",
    )
    assert metrics[MetricId.CERTIFICATES].collected_at == t("2026-11-20")


def test_an_issuer_spelt_two_ways_is_one_issuer_and_one_certificate():
    # The scanner writes RFC 4514 (CN first); a Windows-style inventory export writes the same
    # name C first with spaces, and may upper-case the serial: one issuer, one certificate.
    scanned = cert("a", "2026-10-01", "2026-12-30", issuer="C=GB,O=Larkspur,CN=Issuing CA 02")
    exported = scanned.model_copy(
        update={"sha256": None, "serial": "A", "issuer": "CN=Issuing CA 02, O=Larkspur, C=GB"}
    )
    also_exported = exported.model_copy(
        update={"serial": "a", "issuer": "cn=issuing ca 02,o=LARKSPUR,c=gb"}
    )
    other = cert("b", "2026-10-01", "2026-12-30", issuer="CN=Issuing CA 01,O=Larkspur,C=GB")
    evidence = Evidence.of(
        [
            ("scan.json", bundle("2026-11-20", [file_observation("x.pem", scanned, other)])),
            ("csv.json", bundle("2026-11-20", [file_observation("r1", exported)], collector="csv")),
            (
                "csv2.json",
                bundle("2026-11-20", [file_observation("r2", also_exported)], collector="csv"),
            ),
        ]
    )
    metrics = compute_metrics(evidence, DAY, SCHEDULE)
    assert metrics[MetricId.ISSUER_COUNT].value == 2
    # scanned and the exported rows are one certificate (same issuer and serial), and other
    assert metrics[MetricId.CERTIFICATES].value == 2


def test_inventory_rows_without_serials_are_one_certificate_each():
    # A register export with no serial column: three certificates from one CA, and the first
    # listed twice (same subject, issuer and validity).
    def row(subject: str, not_after: str) -> CertificateRecord:
        return cert("x", "2026-01-01", not_after, sha256=None, serial="", subject=subject)

    rows = [row("CN=a.test", "2026-12-01"), row("CN=b.test", "2026-12-01")]
    rows += [row("CN=a.test", "2027-01-01"), row("CN=a.test", "2026-12-01")]
    observations = [file_observation(f"r{n}", r) for n, r in enumerate(rows)]
    evidence = Evidence.of([("csv.json", bundle("2026-11-20", observations, collector="csv"))])
    assert compute_metrics(evidence, DAY, SCHEDULE)[MetricId.CERTIFICATES].value == 3


def test_long_validity_counts_public_and_unknown_certificates_not_private_ones():
    # Three leaves of two years each, issued 2026-04-01 (after the 398-day limit began): one
    # seen in crt.sh (public), one at an endpoint trusted only against the private roots given
    # with --ca-file (a private CA's), one in a file (unknown).
    two_years = ("2026-04-01", "2028-04-01")
    public, private, unknown = (cert(n, *two_years) for n in "abc")
    crtsh = bundle("2026-11-20", [file_observation("crt.sh:1", public)], collector="crtsh")
    scanned = bundle(
        "2026-11-20",
        [endpoint("intranet.test:443", private, trusted=True)],
        collector="tls",
    ).model_copy(update={"trust_store": "/etc/pki/corp-root.pem"})
    files = bundle("2026-11-20", [file_observation("/srv/c.pem", unknown)])
    evidence = Evidence.of([("ct.json", crtsh), ("tls.json", scanned), ("files.json", files)])
    long = compute_metrics(evidence, DAY, SCHEDULE)[MetricId.LONG_VALIDITY_SHARE]
    assert (long.value, long.denominator) == (1.0, 2)  # the public and the unknown one


@pytest.mark.parametrize("scan_first", [True, False])
def test_a_certificate_with_and_without_its_fingerprint_counts_once(scan_first):
    scanned = cert("a", "2026-10-01", "2026-12-30", issuer="C=GB,O=Larkspur,CN=Issuing CA 02")
    row = scanned.model_copy(update={"sha256": None, "issuer": "CN=Issuing CA 02,O=Larkspur,C=GB"})
    # Same issuer, another serial and fingerprint: a different certificate.
    sibling = cert("b", "2026-10-01", "2026-12-30", issuer="C=GB,O=Larkspur,CN=Issuing CA 02")
    bundles = [
        ("scan.json", bundle("2026-11-20", [file_observation("x.pem", scanned, sibling)])),
        ("csv.json", bundle("2026-11-20", [file_observation("r1", row)], collector="csv")),
    ]
    evidence = Evidence.of(bundles if scan_first else bundles[::-1])
    assert compute_metrics(evidence, DAY, SCHEDULE)[MetricId.CERTIFICATES].value == 2
    (leaf,) = [leaf for leaf in evidence.leaves.values() if leaf.locations == {"x.pem", "r1"}]
    assert leaf.record == scanned and leaf.sources == {"scan.json", "csv.json"}


def test_an_empty_evidence_has_no_values():
    metrics = compute_metrics(Evidence.of([]), DAY, SCHEDULE)
    assert all(m.value is None and m.denominator == 0 for m in metrics.values())


def test_highlights_most_urgent_first_and_capped():
    many = [
        file_observation(f"/f{i}.pem", cert(f"{i:x}", "2026-01-01", f"2026-{1 + i % 10:02d}-15"))
        for i in range(60)
    ]
    shown, total = highlights(Evidence.of([("b.json", bundle("2026-11-20", many))]), DAY)
    assert total == 60 and len(shown) == 50
    assert [h.not_after for h in shown] == sorted(h.not_after for h in shown)
    shown, total = highlights(Evidence.of([("f", FILES), ("t", TLS)]), DAY)
    # Expired first, then expiring soon, then weak.
    assert [h.subject for h in shown] == ["CN=b.test", "CN=c.test", "CN=d.test"]
    # Calendar days from DAY (2026-11-26): B ended 2026-11-20, C ends 2026-12-05.
    assert shown[0].problems[0] == "expired 6 days ago"
    assert "self-signed on an endpoint" in shown[0].problems
    assert shown[1].problems == ("expires in 9 days",)
    assert shown[2].problems == ("weak key: RSA 1024", "weak signature: sha1")
    assert total == 3


RULE = EvidenceRule(
    metric=MetricId.EXPIRED_SHARE,
    op=Comparison.GT,
    threshold=0.1,
    effect=EvidenceEffect.CONTRADICTS,
    explanation="expired certificates",
)


def measured(value: float | None, denominator: int) -> dict[MetricId, MetricValue]:
    return {
        MetricId.EXPIRED_SHARE: MetricValue(
            metric=MetricId.EXPIRED_SHARE, value=value, denominator=denominator, sources=("s",)
        )
    }


@pytest.mark.parametrize(
    ("fresh", "stale", "rule_min", "status"),
    [
        (measured(0.5, 10), {}, None, FindingStatus.FIRED),
        (measured(0.1, 10), {}, None, FindingStatus.NOT_MET),  # > 0.1 does not hold at 0.1
        (measured(0.5, 9), {}, None, FindingStatus.INSUFFICIENT),  # default minimum 10
        (measured(0.5, 9), {}, 5, FindingStatus.FIRED),
        (measured(0.5, 4), {}, 5, FindingStatus.INSUFFICIENT),
        ({}, measured(0.5, 50), None, FindingStatus.STALE),
        (measured(None, 0), measured(0.5, 50), None, FindingStatus.STALE),
        ({}, {}, None, FindingStatus.NO_DATA),
    ],
)
def test_rule_status(fresh, stale, rule_min, status):
    rule = RULE.model_copy(update={"min_sample": rule_min})
    finding = evaluate_rule("P", rule, fresh, stale, 10)
    assert finding.status is status
    if status is FindingStatus.NO_DATA:
        assert (finding.value, finding.denominator) == (None, 0)


# A tailored mini questionnaire with one rule per effect, for workspace-level tests.
def tailored_workspace(root: Path, bundles: dict[str, EvidenceBundle], **assessment) -> Path:
    yaml = YAML(typ="safe")
    data = yaml.load(MINI.read_text())
    practices = {p["id"]: p for d in data["dimensions"] for p in d["practices"]}
    practices["INV-01"]["evidence_rules"] = [
        {
            "metric": "expired_share",
            "op": ">",
            "threshold": 0,
            "effect": "contradicts",
            "explanation": "expired certificates were found",
            "min_sample": 3,
        }
    ]
    practices["INV-02"]["evidence_rules"] = [
        {
            "metric": "expired_share",
            "op": ">",
            "threshold": 0,
            "effect": "suggests",
            "answer": "partially",
            "explanation": "expired certificates were found",
            "min_sample": 3,
        }
    ]
    root.mkdir(parents=True)
    write_yaml(root / "questionnaire.yaml", data)
    write_yaml(
        root / "assessment.yaml",
        {
            "organisation": "Acme",
            "period": {"start": "2026-11-01"},
            "questionnaire": {"id": "mini", "version": "0.1.0", "file": "questionnaire.yaml"},
            **assessment,
        },
    )
    write_yaml(
        root / "answers" / "ann.yaml",
        {"respondent": {"name": "Ann"}, "answers": {"INV-01": {"answer": "fully"}}},
    )
    (root / "evidence").mkdir()
    for name, content in bundles.items():
        (root / "evidence" / name).write_text(content.model_dump_json(by_alias=True))
    return root


def statuses(root: Path, day: date) -> dict[str, FindingStatus]:
    _, findings = evidence_findings(load_workspace(root), day)
    return {f.practice: f.status for f in findings}


@pytest.mark.parametrize(
    ("age_days", "status"),
    [
        (0, FindingStatus.FIRED),
        (90, FindingStatus.FIRED),
        (91, FindingStatus.STALE),
        (-1, FindingStatus.NO_DATA),
    ],
)
def test_freshness_is_90_days_and_future_evidence_is_not_used(tmp_path, age_days, status):
    collected = datetime.combine(
        DAY - timedelta(days=age_days), datetime.min.time(), UTC
    ) + timedelta(hours=23)
    old = FILES.model_copy(update={"collected_at": collected})
    root = tailored_workspace(tmp_path / "ws", {"files.json": old})
    assert statuses(root, DAY)["INV-01"] is status
    summary, _ = evidence_findings(load_workspace(root), DAY)
    (source,) = summary.sources
    assert source.is_stale is (status is FindingStatus.STALE)
    assert source.is_future is (age_days < 0)
    assert len(source.sha256) == 64


def test_max_age_and_min_sample_come_from_the_assessment(tmp_path):
    old = FILES.model_copy(update={"collected_at": t("2026-10-20")})  # 37 days before DAY
    root = tailored_workspace(tmp_path / "ws", {"files.json": old}, evidence_max_age_days=30)
    assert statuses(root, DAY)["INV-01"] is FindingStatus.STALE


def test_contradiction_caps_and_suggestion_proposes(tmp_path):
    root = tailored_workspace(tmp_path / "ws", {"files.json": FILES})
    result = evaluate(load_workspace(root), DAY)
    inv1 = result.practice("INV-01")
    assert inv1.value == pytest.approx(1 / 3) and "contradicted" in inv1.flags
    inv2 = result.practice("INV-02")
    assert inv2.suggested_answer == "partially" and inv2.value == 0
    assert result.evidence.metrics and result.evidence.highlights_total == 3


def test_a_malformed_bundle_names_file_and_json_path(tmp_path, cli):
    root = tailored_workspace(tmp_path / "ws", {"files.json": FILES})
    broken = json.loads((root / "evidence" / "files.json").read_text())
    broken["observations"][1]["certificates"][0]["not_after"] = "soon"
    (root / "evidence" / "bad.json").write_text(json.dumps(broken))
    (root / "evidence" / "notjson.json").write_text("{\n  oops\n}")
    with pytest.raises(InputError) as caught:
        evidence_findings(load_workspace(root), DAY)
    message = str(caught.value)
    assert "bad.json: observations[1].certificates[0].not_after" in message
    assert "notjson.json:2: invalid JSON" in message
    result = cli("score", root, "--at", "2026-11-26")
    assert result.exit_code == 2
    assert "bad.json" in result.stderr and "Traceback" not in result.stderr
