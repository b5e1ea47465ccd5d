"""The forecast (forecast.md) against hand calculations: a workspace whose lifetimes, trust and
automation are known, `assess forecast --json` for the phase in force and each later one, the
settings set and unset, --at across phase boundaries, and schedule files that are wrong."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from factories import mini_workspace

from assess.engine.score import read_evidence
from assess.inputs.schedule import load_schedule, shipped_path
from assess.inputs.workspace import load_workspace
from assess.method.forecast import forecast, reached_by_next_cap
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
from assess.model.forecast import ForecastLeaf

SCHEDULE = load_schedule().schedule
DAY = date(2026, 11, 26)  # the forecast is taken at the end of this day: 2026-11-27T00:00Z


def t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def cert(name: str, not_before: str, not_after: str, **fields: object) -> CertificateRecord:
    values: dict[str, object] = {
        "sha256": hashlib.sha256(name.encode()).hexdigest(),
        "serial": name,
        "subject": f"CN={name}.test",
        "issuer": "CN=CA One",
        "not_before": t(not_before),
        "not_after": t(not_after),
        "key_type": KeyType.RSA,
        "key_size": 2048,
        "signature_hash": "sha256",
        "san_dns": (f"{name}.test",),
        "is_ca": False,
    }
    values.update(fields)
    return CertificateRecord.model_validate(values)


# The population at DAY, lifetimes L in days (not_after − not_before):
# P1 public (a TLS scan trusts it against public roots), manual, 2026-03-01 → 2027-04-03: L = 398
# P2 capped (trust unknown: a file), automated (cert-manager), 2026-11-01 → 2027-01-30: L = 90
# P3 private (trusted only against the assessor's --ca-file roots), manual,
#    2026-01-01 → 2028-01-01: L = 730
# P4 capped (a file), manual, RSA 2048 (112 bits), 2024-01-01 → 2036-01-01: L = 4383 (12 years,
#    three of them leap: 12 · 365 + 3)
# P5 capped (a file), automated, key algorithm not recorded, 2026-11-20 → 2027-01-06: L = 47
# Left out: an expired leaf, a CA certificate, a leaf not yet valid, a leaf of unknown start.
P1 = cert("p1", "2026-03-01", "2027-04-03")
P2 = cert("p2", "2026-11-01", "2027-01-30", key_type=KeyType.EC, key_size=256,
          automation=("cert-manager",))  # fmt: skip
P3 = cert("p3", "2026-01-01", "2028-01-01", issuer="CN=Internal CA")
P4 = cert("p4", "2024-01-01", "2036-01-01")
P5 = cert("p5", "2026-11-20", "2027-01-06", key_type=None, key_size=None,
          automation=("cert-manager",))  # fmt: skip
EXPIRED = cert("x1", "2025-01-01", "2025-12-01")
CA = cert("x2", "2020-01-01", "2040-01-01", is_ca=True)
LATER = cert("x3", "2026-12-01", "2027-02-01")
UNDATED = cert("x4", "2026-01-01", "2027-01-01").model_copy(update={"not_before": None})


def bundle(collector: str, observations: list[Observation]) -> EvidenceBundle:
    return EvidenceBundle(
        collector=collector,
        collected_at=t("2026-11-20"),
        tool=BundleTool(name="cmmm-assess", version="test"),
        observations=tuple(observations),
    )


def endpoint(location: str, leaf: CertificateRecord, roots: TrustRoots) -> Observation:
    return Observation(
        location=location,
        status=ObservationStatus.OK,
        certificates=(leaf,),
        kind=ObservationKind.ENDPOINT,
        trusted=True,
        trust_roots=roots,
        server_name=location.split(":")[0],
    )


def files(*certs: CertificateRecord) -> Observation:
    return Observation(location="/etc/ssl/all.pem", status=ObservationStatus.OK, certificates=certs)


def workspace(root: Path, **settings: object) -> Path:
    # Bundles collected 2026-11-20 stay fresh to 2032, for the dates across phase boundaries.
    mini_workspace(root, evidence_max_age_days=2000, **settings)
    tls = bundle(
        "tls",
        [
            endpoint("p1.test:443", P1, TrustRoots.PUBLIC),
            endpoint("p3.test:443", P3, TrustRoots.GIVEN),
        ],
    )
    scanned = bundle("files", [files(P1, P2, P4, P5, EXPIRED, CA, LATER, UNDATED)])
    for name, content in {"tls.json": tls, "files.json": scanned}.items():
        (root / "evidence" / name).write_text(content.model_dump_json(by_alias=True))
    return root


def run(cli, root: Path, *args: str) -> dict:
    done = cli("forecast", root, "--json", *args)
    assert done.exit_code == 0, done.output
    return json.loads(done.stdout)


def test_forecast_by_hand_with_the_default_settings(tmp_path, cli):
    document = run(cli, workspace(tmp_path / "ws"), "--at", DAY.isoformat())
    assert document["schema"] == "cmmm-forecast/1"
    assert document["evaluated_at"] == "2026-11-26"
    assert document["renewal_lead"] == pytest.approx(1 / 3)
    assert document["manual_renewal_minutes"] == 30
    assert document["population"] == {
        "leaves": 5,
        "capped": 4,  # P1, P2, P4, P5
        "private": 1,  # P3
        "automated": 2,  # P2, P5
        "manual": 3,  # P1, P3, P4
        # Of the capped: P1 has a verdict (trusted against public roots); P2, P4 and P5 are
        # only files, which judge no trust: capped by the method's default.
        "publicly_trusted": 1,  # P1
        "not_judged": 3,  # P2, P4, P5
    }
    # Renewed when a third of the lifetime remains: every (1 − 1/3) · L_P days, so
    # 365 / (L_P · 2/3) = 547.5 / L_P times a year. L_P = min(L, cap), but L for private P3.
    # 200 days (in force since 2026-03-15):
    #   P1 547.5/200 = 2.7375, P2 547.5/90 = 6.08333, P3 547.5/730 = 0.75, P4 2.7375,
    #   P5 547.5/47 = 11.64894 → 23.95727 a year; manual P1 + P3 + P4 = 6.225, at 30 minutes
    #   3.1125 hours; over the cap: P1 (398), P4 (4383).
    # 100 days (2027-03-15): P1 5.475, P2 6.08333 (90 < 100), P3 0.75, P4 5.475, P5 11.64894
    #   → 29.43227; manual 11.7 → 5.85 hours; over: P1, P4.
    # 47 days (2029-03-15): P1, P2, P4, P5 at 547.5/47 = 11.64894 each, P3 0.75 → 47.34574;
    #   manual 2 · 11.64894 + 0.75 = 24.04787 → 12.02394 hours; over: P1, P2, P4 (P5's 47 is
    #   not over 47).
    at47 = 547.5 / 47
    expected = [
        ("2026-03-15", 200, True, 2.7375 + 547.5 / 90 + 0.75 + 2.7375 + at47, 6.225, 2),
        ("2027-03-15", 100, False, 5.475 + 547.5 / 90 + 0.75 + 5.475 + at47, 11.7, 2),
        ("2029-03-15", 47, False, 4 * at47 + 0.75, 2 * at47 + 0.75, 3),
    ]
    assert len(document["phases"]) == len(expected)
    for phase, (since, cap, current, renewals, manual, over) in zip(
        document["phases"], expected, strict=True
    ):
        assert phase["effective_from"] == since
        assert phase["max_validity_days"] == cap
        assert phase["current"] is current
        assert phase["renewals_per_year"] == pytest.approx(renewals, rel=1e-12)
        assert phase["manual_renewals_per_year"] == pytest.approx(manual, rel=1e-12)
        assert phase["manual_hours_per_year"] == pytest.approx(manual * 30 / 60, rel=1e-12)
        assert phase["leaves_over_cap"] == over
    assert document["phases"][0]["renewals_per_year"] == pytest.approx(23.957269, abs=1e-6)
    # P1, P3 (RSA), P2 (EC) and P4 (RSA) are classical, P5 records no algorithm. Only P4
    # outlives 2030 (and 2035), with RSA 2048 at 112 bits.
    assert document["post_quantum"] == {
        "classical": 4,
        "post_quantum": 0,
        "unknown": 1,
        "weak_after_2030": 1,
        "classical_after_2035": 1,
    }


def test_forecast_by_hand_with_renewal_lead_and_minutes_set(tmp_path, cli):
    root = workspace(tmp_path / "ws", renewal_lead=0.5, manual_renewal_minutes=12)
    document = run(cli, root, "--at", DAY.isoformat())
    assert document["renewal_lead"] == 0.5
    assert document["manual_renewal_minutes"] == 12
    # Renewed at half the lifetime: 365 / (L_P · 0.5) = 730 / L_P.
    # 200 days: P1 3.65, P2 730/90, P3 1.0, P4 3.65, P5 730/47; manual 3.65 + 1 + 3.65 = 8.3,
    #   at 12 minutes 1.66 hours.
    # 100 days: P1 7.3, P2 730/90, P3 1, P4 7.3, P5 730/47; manual 15.6 → 3.12 hours.
    # 47 days: four at 730/47, P3 1; manual 2 · 730/47 + 1 → · 12/60.
    at47 = 730 / 47
    expected = [
        (3.65 + 730 / 90 + 1 + 3.65 + at47, 8.3),
        (7.3 + 730 / 90 + 1 + 7.3 + at47, 15.6),
        (4 * at47 + 1, 2 * at47 + 1),
    ]
    for phase, (renewals, manual) in zip(document["phases"], expected, strict=True):
        assert phase["renewals_per_year"] == pytest.approx(renewals, rel=1e-12)
        assert phase["manual_renewals_per_year"] == pytest.approx(manual, rel=1e-12)
        assert phase["manual_hours_per_year"] == pytest.approx(manual * 12 / 60, rel=1e-12)
    assert document["phases"][0]["manual_hours_per_year"] == pytest.approx(1.66, rel=1e-12)


@pytest.mark.parametrize(
    ("at", "caps", "leaves"),
    [
        # The day before the 100-day cap: 200 is in force. P2 (to 2027-01-30) and P5 (to
        # 2027-01-06) have expired; P1, P3, P4 remain.
        ("2027-03-14", [200, 100, 47], 3),
        # Certificates issued on or after 2027-03-15 are capped at 100 days: it is in force.
        ("2027-03-15", [100, 47], 3),
        ("2029-03-14", [100, 47], 1),  # only P4 is still valid (P3 ended 2028-01-01)
        ("2029-03-15", [47], 1),
    ],
)
def test_the_phase_in_force_follows_the_evaluation_date(tmp_path, cli, at, caps, leaves):
    document = run(cli, workspace(tmp_path / "ws"), "--at", at)
    assert [p["max_validity_days"] for p in document["phases"]] == caps
    assert [p["current"] for p in document["phases"]] == [True] + [False] * (len(caps) - 1)
    assert document["population"]["leaves"] == leaves


def test_one_phase_at_the_last_cap_with_p4_alone(tmp_path, cli):
    # At 2029-03-15 only P4 (capped, manual, L = 4383) is valid: 547.5 / 47 a year, all manual.
    document = run(cli, workspace(tmp_path / "ws"), "--at", "2029-03-15")
    (phase,) = document["phases"]
    assert phase["renewals_per_year"] == pytest.approx(547.5 / 47, rel=1e-12)
    assert phase["manual_renewals_per_year"] == pytest.approx(547.5 / 47, rel=1e-12)
    assert phase["leaves_over_cap"] == 1


def test_the_text_output_names_the_phases_and_the_leaves_the_next_cap_reaches(tmp_path, cli):
    done = cli("forecast", workspace(tmp_path / "ws"), "--at", DAY.isoformat())
    assert done.exit_code == 0, done.output
    out = done.stdout
    assert "5 leaf certificates" in out and "1 known to come from private CAs" in out
    # P1 is the one verdict among the four capped (P1, P2, P4, P5).
    assert "4 counted under the CA/Browser Forum caps (1 known publicly trusted; 3 whose " in out
    # The files hold no CA certificate of CN=CA One: no chain to hint at.
    assert "chain through" not in out
    assert "200 days *" in out and "15 March 2027" in out
    assert "23.96" not in out and "24.0" in out  # one decimal: 23.957… prints as 24.0
    # The 100-day cap reaches P1 (398 days) and P4 (4383 days), P1 first: it is renewed on
    # 2027-04-03 − 398/3 days = 2026-11-21, P4 on 2036-01-01 − 1461 days = 2032-01-01.
    reached = out[out.index("reaches first") :]
    assert reached.index("p1.test") < reached.index("p4.test")
    assert "2026-11-21" in reached and "2032-01-01" in reached and "p2.test" not in reached
    # P1's renew-by date (2026-11-21) is before DAY (2026-11-26): overdue; P4's is not.
    assert "2026-11-21  overdue   398 days  p1.test" in reached
    assert "2032-01-01           4383 days  p4.test" in reached
    assert "the 1 whose renew-by date is 26 November 2026 or earlier (marked overdue)" in reached
    assert "CA One, publicly trusted)" in reached and "CA One, trust not judged)" in reached


def test_reached_leaves_are_ordered_by_renewal_date():
    leaves = [
        ForecastLeaf("b", "CN=b", "CN=CA", t("2026-01-01"), t("2027-01-01"), False, False, "rsa",
                     2048),
        ForecastLeaf("a", "CN=a", "CN=CA", t("2026-06-01"), t("2027-06-01"), False, False, "rsa",
                     2048),
        ForecastLeaf("c", "CN=c", "CN=CA", t("2026-06-01"), t("2027-06-01"), True, False, "rsa",
                     2048),
        ForecastLeaf("d", "CN=d", "CN=CA", t("2026-06-01"), t("2027-06-01"), False, True, "rsa",
                     2048),
    ]  # fmt: skip
    document = forecast(leaves, SCHEDULE, DAY, renewal_lead=0.25, manual_renewal_minutes=30)
    reached = reached_by_next_cap(leaves, document)
    # c is private, d automated: neither is reached. b (365 days) is renewed on
    # 2027-01-01 − 91.25 days = 2026-10-01T18:00, a on 2027-06-01 − 91.25 days.
    assert [r.leaf.identity for r in reached] == ["b", "a"]
    assert reached[0].renew_by == t("2026-10-01T18:00:00")
    # a: 91 days before 2027-06-01 is 2027-03-02 (30 + 30 + 31 days back), a quarter-day
    # more is 2027-03-01T18:00. At DAY (2026-11-26) b's renew-by date has passed, a's not.
    assert reached[1].renew_by == t("2027-03-01T18:00:00")
    assert [r.overdue for r in reached] == [True, False]
    # Overdue means on the evaluation date or earlier, as an expiry on it counts as expired.
    for day, due in [(date(2027, 2, 28), False), (date(2027, 3, 1), True)]:
        later = forecast(leaves, SCHEDULE, day, renewal_lead=0.25, manual_renewal_minutes=30)
        assert [r.overdue for r in reached_by_next_cap(leaves, later)] == [True, due]
    # Before SC-081's first step the 398-day cap is in force, then come the three steps.
    early = forecast(leaves, SCHEDULE, date(2026, 3, 14), renewal_lead=0.25,
                     manual_renewal_minutes=30)  # fmt: skip
    assert [p.max_validity_days for p in early.phases] == [398, 200, 100, 47]
    assert early.phases[0].current and early.next_phase == early.phases[1]


def test_post_quantum_families_over_plain_records():
    def leaf(key_type: str | None, size: int | None, ends: str) -> ForecastLeaf:
        return ForecastLeaf(
            f"{key_type}{size}{ends}", "CN=x", "CN=CA", t("2026-01-01"), t(ends), False, False,
            key_type, size,
        )  # fmt: skip

    leaves = [
        leaf("rsa", 2048, "2031-01-01"),  # 112 bits after 2030: weak; not after 2035
        leaf("rsa", 2048, "2030-12-31T23:59:59"),  # ends on 2030-12-31: not after it
        leaf("rsa", 3072, "2036-01-01"),  # 128 bits: not weak, classical after 2035
        leaf("ec", 224, "2031-06-01"),  # P-224: 112 bits, weak
        leaf("ec", 256, "2036-06-01"),  # P-256: 128 bits, classical after 2035
        leaf("ed25519", None, "2036-06-01"),  # 128 bits, classical after 2035
        leaf("dsa", 1024, "2031-01-01"),  # 80 bits, weak
        leaf("ml-dsa-65", None, "2040-01-01"),
        leaf("slh-dsa-sha2-128s", None, "2040-01-01"),
        leaf("composite-ml-dsa-65-ecdsa-p256", None, "2040-01-01"),
        leaf("unknown", None, "2040-01-01"),
        leaf(None, None, "2040-01-01"),
    ]
    pq = forecast(leaves, SCHEDULE, DAY, renewal_lead=1 / 3, manual_renewal_minutes=30)
    assert pq.post_quantum.model_dump() == {
        "classical": 7,
        "post_quantum": 3,
        "unknown": 2,
        "weak_after_2030": 3,
        "classical_after_2035": 3,
    }


def test_forecast_metrics_feed_the_rules(tmp_path):
    read = read_evidence(load_workspace(workspace(tmp_path / "ws")), DAY)
    metrics = {m.metric: m for m in read.summary.metrics}
    # Of the 4 capped leaves, P1 and P4 are manual with lifetimes over the next cap (100).
    assert metrics[MetricId.MANUAL_OVER_NEXT_CAP_SHARE].value == pytest.approx(2 / 4)
    assert metrics[MetricId.MANUAL_OVER_NEXT_CAP_SHARE].denominator == 4
    assert metrics[MetricId.WEAK_AFTER_2030_SHARE].value == pytest.approx(1 / 5)  # P4
    assert metrics[MetricId.CLASSICAL_AFTER_2035_SHARE].value == pytest.approx(1 / 5)  # P4
    assert metrics[MetricId.UNKNOWN_ALGORITHM_SHARE].value == pytest.approx(1 / 5)  # P5
    assert metrics[MetricId.UNKNOWN_ALGORITHM_SHARE].sources == (
        "evidence/files.json",
        "evidence/tls.json",  # P1 and P3 were also seen on endpoints
    )


def test_a_workspace_without_evidence_forecasts_nothing(tmp_path, cli):
    root = mini_workspace(tmp_path / "ws")
    document = run(cli, root, "--at", DAY.isoformat())
    assert document["population"]["leaves"] == 0
    assert all(p["renewals_per_year"] == 0 for p in document["phases"])


def test_long_validity_reads_the_schedule(tmp_path, cli):
    # P1's 398 days, issued 2026-03-01, are within the shipped 398-day cap; a schedule whose cap
    # from 2020-09-01 is 365 days makes it too long.
    root = workspace(tmp_path / "ws")
    text = shipped_path().read_text(encoding="utf-8")
    assert "    max_validity_days: 398\n" in text
    own = tmp_path / "own.yaml"
    own.write_text(text.replace("    max_validity_days: 398\n", "    max_validity_days: 365\n"))

    def long_share(*args: object) -> float:
        done = cli("score", root, "--json", "--at", DAY.isoformat(), *args)
        assert done.exit_code == 0, done.output
        metrics = json.loads(done.stdout)["evidence"]["metrics"]
        return next(m["value"] for m in metrics if m["metric"] == "long_validity_share")

    # Over the leaves not known to be private and of known start, valid or not (P1, P2, P4,
    # P5, the expired one of 334 days, the one not yet valid of 62): P4's 4383 days exceed the
    # cap of 2024 (398); with the user's schedule P1's 398 days exceed 365 too.
    assert long_share() == pytest.approx(1 / 6)
    assert long_share("--schedule", own) == pytest.approx(2 / 6)


SCHEDULE_ERRORS = [
    (
        "    status: final\n",
        "    status: adopted\n",
        "lifetime_caps[0].status",
    ),
    (
        "  - effective_from: 2015-04-01\n",
        "  - effective_from: 2011-04-01\n",
        "lifetime_caps",
    ),
    (
        "    retires: classical\n",
        "",
        "post_quantum",
    ),
    (
        "    max_validity_days: 200\n",
        "    max_validity_days: 0\n",
        "lifetime_caps[4].max_validity_days",
    ),
]


@pytest.mark.parametrize(("old", "new", "field"), SCHEDULE_ERRORS)
def test_a_wrong_schedule_file_names_file_line_and_field(tmp_path, cli, old, new, field):
    root = workspace(tmp_path / "ws")
    text = shipped_path().read_text(encoding="utf-8")
    assert old in text
    bad = tmp_path / "schedule.yaml"
    bad.write_text(text.replace(old, new, 1))
    for command in ("forecast", "score"):
        done = cli(command, root, "--schedule", bad)
        assert done.exit_code == 2, done.output
        assert "schedule.yaml:" in done.stderr and field in done.stderr
        assert "Traceback" not in done.output


def test_a_missing_schedule_file_is_bad_input(tmp_path, cli):
    done = cli("forecast", workspace(tmp_path / "ws"), "--schedule", tmp_path / "nope.yaml")
    assert done.exit_code == 2 and "nope.yaml" in done.stderr


@pytest.mark.parametrize(
    ("field", "value"),
    [("renewal_lead", 1), ("renewal_lead", 0), ("renewal_lead", "a third"),
     ("manual_renewal_minutes", 0), ("manual_renewal_minutes", -5)],
)  # fmt: skip
def test_forecast_settings_are_validated(tmp_path, cli, field, value):
    root = workspace(tmp_path / "ws")
    data = (root / "assessment.yaml").read_text()
    (root / "assessment.yaml").write_text(data + f"{field}: {json.dumps(value)}\n")
    done = cli("forecast", root)
    assert done.exit_code == 2, done.output
    assert "assessment.yaml:" in done.stderr and field in done.stderr


def _report_html(root: Path, *, redact: bool = False) -> str:
    from assess.engine.score import evaluate_with_forecast
    from assess.publish.report import ReportFormat, render_outputs

    workspace = load_workspace(root)
    result, reading = evaluate_with_forecast(workspace, DAY)
    (output,) = render_outputs(
        workspace, result, [ReportFormat.HTML], forecast=reading, redact=redact
    )
    return output.data.decode("utf-8")


def test_the_report_section_words_the_figures(tmp_path):
    html = _report_html(workspace(tmp_path / "ws"))
    section = html[html.index('id="section-forecast"') :]
    section = section[: section.index("</section>")]
    # The hand calculation above, one decimal: 23.957 renewals, 6.225 manual (6.2), 3.1125
    # hours (3.1); under 100 days 29.432 and 11.7.
    assert "<td>24.0</td>" in section and "<td>6.2</td>" in section and "<td>3.1</td>" in section
    assert "<td>29.4</td>" in section and "<td>11.7</td>" in section
    assert "<svg" in section and "renewals-hatch" in section
    assert "p1.test" in section and "p4.test" in section
    assert "NIST IR 8547 initial public draft (November 2024), draft" in section
    assert "domain validation reused for at most 10 days" in section  # from 2029-03-15
    assert "set manual_renewal_minutes in assessment.yaml" in section  # the default is cited
    summary = html[html.index('id="section-summary"') : html.index('id="section-forecast"')]
    assert "Shorter lifetimes: under the 100-day cap from 15 March 2027" in summary
    assert "forecast.json" in html  # attached, listed in appendix A


def test_the_minutes_set_in_the_assessment_are_said_to_be_its_own(tmp_path):
    html = _report_html(workspace(tmp_path / "ws", manual_renewal_minutes=45))
    assert "one manual renewal takes 45 minutes (as assessment.yaml sets" in html
    assert "set manual_renewal_minutes in assessment.yaml" not in html


def test_a_redacted_report_masks_the_listed_leaves(tmp_path):
    html = _report_html(workspace(tmp_path / "ws"), redact=True)
    section = html[html.index('id="section-forecast"') :]
    section = section[: section.index("</section>")]
    assert "p1.test" not in section and "/etc/ssl" not in section
    assert "HOST-" in section and "<td>24.0</td>" in section


def test_the_schedule_is_an_input_of_the_manifest(tmp_path, cli):
    from assess.integrity.manifest import check_inputs, sha256_hex
    from assess.model.manifest import Manifest

    root = workspace(tmp_path / "ws")
    shipped = tmp_path / "shipped.json"
    done = cli("report", root, "-f", "manifest", "--out", shipped, "--at", DAY.isoformat())
    assert done.exit_code == 0, done.output
    manifest = Manifest.model_validate_json(shipped.read_bytes())
    (entry,) = [i for i in manifest.inputs if i.role == "schedule"]
    assert entry.path == "bundled:schedules/cmmm.yaml"
    assert entry.sha256 == sha256_hex(shipped_path().read_bytes())
    assert check_inputs(manifest, root)[1] == []

    own = root / "our-schedule.yaml"
    own.write_bytes(shipped_path().read_bytes())
    mine = tmp_path / "mine.json"
    done = cli("report", root, "-f", "manifest", "--out", mine, "--schedule", own)
    assert done.exit_code == 0, done.output
    manifest = Manifest.model_validate_json(mine.read_bytes())
    (entry,) = [i for i in manifest.inputs if i.role == "schedule"]
    assert entry.path == "our-schedule.yaml"
    own.write_text(own.read_text() + "# edited\n")
    _, problems = check_inputs(manifest, root)
    assert problems == [
        "the schedule file our-schedule.yaml (the lifetime caps and the forecast read it) "
        "changed since the report was made"
    ]


# Chains for the hint (assess.evidence.anchors), in file evidence. Names are written two ways,
# as the file scanner (RFC 4514, most specific first) and Windows exports (the other order,
# spaces) write them: one name either way.
ROOT = cert("root", "2020-01-01", "2040-01-01", subject="CN=Test Private Root,O=Test",
            issuer="CN=Test Private Root,O=Test", is_ca=True, self_signed=True)  # fmt: skip
ISSUING = cert("issuing", "2020-01-01", "2035-01-01", subject="CN=Test Issuing CA,O=Test",
               issuer="O=Test, CN=Test Private Root", is_ca=True)  # fmt: skip
# An issuing CA whose root the evidence does not hold, named by no public root.
ORPHAN = cert("orphan", "2020-01-01", "2035-01-01", subject="CN=Orphan Issuing CA",
              issuer="CN=Nowhere Root", is_ca=True)  # fmt: skip
# An intermediate under a name every public root store holds: ISRG Root X1 (Let's Encrypt's
# root, in Mozilla's store since 2018, so in certifi's). Not named after Let's Encrypt, whose
# name alone would make its leaves automated (an ACME-only issuer).
PUBLIC_CHILD = cert("r-test", "2024-01-01", "2027-01-01", subject="CN=R Test",
                    issuer="CN=ISRG Root X1,O=Internet Security Research Group,C=US",
                    is_ca=True)  # fmt: skip
PRIVATE_ISSUER = "O=Test, CN=Test Issuing CA"


def chained_workspace(root: Path) -> Path:
    """Eight leaves valid at DAY, all manual, each one year (2026-06-01 → 2027-06-01):
    H1, H2 under Test Issuing CA → Test Private Root (self-signed, held): not judged, hinted;
    H3 the same chain, but a TLS scan trusts it against public roots: judged, not hinted;
    H4 the same chain, trusted only against the assessor's roots: private, not hinted;
    H5 under Orphan Issuing CA → Nowhere Root (not held, no public root's name): hinted;
    H6 under R Test → ISRG Root X1 (a public root's name): not hinted;
    H7, H8 under an issuer the evidence holds no CA certificate of: not hinted.
    So: 8 leaves, 1 private (H4), 7 capped of which 1 publicly trusted (H3), 6 not judged; the
    hints: Test Private Root 2 (H1, H2), Nowhere Root 1 (H5)."""
    mini_workspace(root, evidence_max_age_days=2000)

    def leaf(name: str, issuer: str) -> CertificateRecord:
        return cert(name, "2026-06-01", "2027-06-01", issuer=issuer)

    h = {
        "h1": leaf("h1", PRIVATE_ISSUER),
        "h2": leaf("h2", "CN=Test Issuing CA,O=Test"),
        "h3": leaf("h3", PRIVATE_ISSUER),
        "h4": leaf("h4", PRIVATE_ISSUER),
        "h5": leaf("h5", "CN=Orphan Issuing CA"),
        "h6": leaf("h6", "CN=R Test"),
        "h7": leaf("h7", "CN=Unseen CA"),
        "h8": leaf("h8", "CN=Unseen CA"),
    }
    tls = bundle(
        "tls",
        [
            endpoint("h3.test:443", h["h3"], TrustRoots.PUBLIC),
            endpoint("h4.test:443", h["h4"], TrustRoots.GIVEN),
        ],
    )
    scanned = bundle("files", [files(ROOT, ISSUING, ORPHAN, PUBLIC_CHILD, *h.values())])
    for name, content in {"tls.json": tls, "files.json": scanned}.items():
        (root / "evidence" / name).write_text(content.model_dump_json(by_alias=True))
    return root


def test_the_population_splits_the_capped_by_trust_verdict_and_hints_at_private_roots(
    tmp_path, cli
):
    from assess.engine.score import read_forecast

    root = chained_workspace(tmp_path / "ws")
    document = run(cli, root, "--at", DAY.isoformat())
    assert document["population"] == {
        "leaves": 8,
        "capped": 7,
        "private": 1,  # H4
        "automated": 0,
        "manual": 8,
        "publicly_trusted": 1,  # H3
        "not_judged": 6,  # H1, H2, H5, H6, H7, H8
    }
    reading = read_forecast(load_workspace(root), DAY)
    hints = [(h.root, h.root_seen, h.through, h.leaves) for h in reading.private_hints]
    assert hints == [
        ("CN=Test Private Root,O=Test", True, ("Test Issuing CA",), 2),
        ("CN=Nowhere Root", False, ("Orphan Issuing CA",), 1),
    ]
    assert reading.private_hints[0].sources == ("evidence/files.json",)
    out = cli("forecast", root, "--at", DAY.isoformat()).stdout
    assert (
        "Of the 6 whose trust no scan judged, 2 chain through 'Test Issuing CA' to "
        "'Test Private Root' (as the CA certificates in evidence/files.json show), a self-signed "
        "root that is not one of the public roots"
    ) in out
    assert "1 chain through 'Orphan Issuing CA' to 'Nowhere Root'" in out
    assert "a root the evidence does not hold and that no public root is named after" in out
    assert "--ca-file ROOT.pem, ROOT.pem holding the 'Test Private Root' certificate" in out
    # The listed leaves say what their trust rests on: all eight are reached by the 100-day cap
    # (365 > 100) except H4 (private).
    listed = out[out.index("reaches first") :]
    assert "h4.test" not in listed
    assert "h3.test" in listed and "Test Issuing CA, publicly trusted)" in listed
    assert "Test Issuing CA, trust not judged; chains to 'Test Private Root', not public)" in listed
    assert "Unseen CA, trust not judged)" in listed
    # Every one of them was renewed by 2027-06-01 − 365/3 days = 2027-01-31T16:00: not yet due.
    assert "overdue" not in listed


def test_a_self_signed_root_in_the_public_store_gives_no_hint():
    from assess.evidence.anchors import PublicRoots, private_hints
    from assess.evidence.metrics import Evidence, forecast_leaves

    def leaves_and_evidence(root: CertificateRecord) -> list:
        leaf = cert("q1", "2026-06-01", "2027-06-01", issuer="CN=Test Issuing CA,O=Test")
        evidence = Evidence.of([("b", bundle("files", [files(root, ISSUING, leaf)]))])
        return [forecast_leaves(evidence, DAY), evidence]

    # The roots given by fingerprint: the held root's own fingerprint makes it public; a root
    # of the same name with another fingerprint is not (a name anyone can write).
    public = PublicRoots(fingerprints=frozenset({ROOT.sha256 or ""}), names=frozenset())
    assert private_hints(*leaves_and_evidence(ROOT), public) == ()
    other = PublicRoots(fingerprints=frozenset({"00" * 32}), names=frozenset())
    (hint,) = private_hints(*leaves_and_evidence(ROOT), other)
    assert hint.root_seen and hint.leaves == 1 and hint.issuers == ("CN=Test Issuing CA,O=Test",)
    # Names that loop (A issued by B, B by A) show no root: no hint.
    a = cert("a", "2020-01-01", "2035-01-01", subject="CN=A", issuer="CN=B", is_ca=True)
    b = cert("b", "2020-01-01", "2035-01-01", subject="CN=B", issuer="CN=A", is_ca=True)
    leaf = cert("q2", "2026-06-01", "2027-06-01", issuer="CN=A")
    evidence = Evidence.of([("b", bundle("files", [files(a, b, leaf)]))])
    assert private_hints(forecast_leaves(evidence, DAY), evidence, other) == ()
    # certifi's store, read as the TLS scanner reads it, holds ISRG Root X1 by name.
    from assess.evidence.anchors import public_root_names
    from assess.support.distinguished_names import dn_key

    isrg = "CN=ISRG Root X1,O=Internet Security Research Group,C=US"
    assert dn_key(isrg) in public_root_names().names
    assert len(public_root_names().fingerprints) > 100  # Mozilla's store: ~150 roots


def test_the_report_words_the_hint_and_redacts_its_names(tmp_path):
    root = chained_workspace(tmp_path / "ws")
    html = _report_html(root)
    section = html[html.index('id="section-forecast"') :]
    section = section[: section.index("</section>")]
    assert "1 known publicly trusted; 6 whose trust no scan judged" in section
    assert "2 chain through &#39;Test Issuing CA&#39; to &#39;Test Private Root&#39;" in section
    assert "trust not judged; chains to &#39;Test Private Root&#39;, not public" in section
    summary = html[html.index('id="section-summary"') : html.index('id="section-forecast"')]
    assert "counting as capped the 6 whose trust no scan judged" in summary
    # Redacted, the hint's names are treated as the listed leaves' issuers are (patterns
    # masked), so a leaf still finds its root by its issuer.
    redacted = _report_html(root, redact=True)
    assert "h1.test" not in redacted and "whose trust no scan judged, 2 chain through" in redacted
    assert "trust not judged; chains to &#39;Test Private Root&#39;, not public" in redacted


def test_the_demo_counts_every_leaf_as_not_judged_and_hints_at_the_larkspur_root():
    """The demo's figures against its evidence, read here as plain JSON: no bundle is a TLS
    scan or crt.sh, so no leaf has a verdict; the file scan holds 'Larkspur Issuing CA 02'
    (issued by 'Larkspur Root CA', which it does not hold), so its leaves valid at the date
    chain to that root."""
    from assess.engine.score import read_forecast
    from assess.evidence.metrics import end_of

    demo = Path(__file__).parent.parent / "examples" / "demo"
    day = date(2026, 11, 27)
    moment = end_of(day)
    bundles = [json.loads(p.read_text()) for p in sorted((demo / "evidence").glob("*.json"))]
    assert {b["collector"] for b in bundles} == {"files", "csv"}
    under_02: set[str] = set()
    for b in bundles:
        for observation in b["observations"]:
            for c in observation["certificates"]:
                if c["is_ca"] or "CN=Larkspur Issuing CA 02" not in c["issuer"]:
                    continue
                if c["not_before"] is None:
                    continue
                start = datetime.fromisoformat(c["not_before"])
                end = datetime.fromisoformat(c["not_after"])
                if start <= moment < end:
                    under_02.add(c["serial"])  # one serial per certificate of that issuer
    reading = read_forecast(load_workspace(demo), day)
    population = reading.forecast.population
    assert population.private == population.publicly_trusted == 0
    assert population.not_judged == population.capped == population.leaves
    (hint,) = reading.private_hints
    assert hint.root == "C=GB,O=Larkspur Mutual Assurance,CN=Larkspur Root CA"
    assert not hint.root_seen and hint.through == ("Larkspur Issuing CA 02",)
    assert hint.leaves == len(under_02)


@pytest.mark.parametrize(
    ("public", "private", "words", "summary"),
    [
        # Two leaves, both judged publicly trusted: nothing is assumed.
        ((True, True), (False, False),
         "2 counted under the CA/Browser Forum caps, all known publicly trusted, 0 known", ""),
        # One public, one private: the capped one is judged.
        ((True, False), (False, True),
         "1 counted under the CA/Browser Forum caps, known publicly trusted, 1 known", ""),
        # Both private: nothing is capped.
        ((False, False), (True, True), "none counted under the CA/Browser Forum caps, 2 known",
         ""),
        # One not judged of two: the sentence and the summary say it is assumed.
        ((True, False), (False, False),
         "2 counted under the CA/Browser Forum caps (1 known publicly trusted; 1 whose trust no "
         "scan judged, counted as capped as the method says), 0 known",
         ", counting as capped the 1 whose trust no scan judged;"),
    ],
)  # fmt: skip
def test_the_population_says_what_is_judged_and_what_is_assumed(public, private, words, summary):
    from assess.model.forecast import ForecastReading
    from assess.render.view.blocks import SectionRef
    from assess.render.view.forecast import forecast_section

    leaves = [
        ForecastLeaf(name, f"CN={name}", "CN=CA", t("2026-06-01"), t("2027-06-01"), is_private,
                     False, "rsa", 2048, is_public=is_public and not is_private)
        for name, is_public, is_private in zip("ab", public, private, strict=True)
    ]  # fmt: skip
    document = forecast(leaves, SCHEDULE, DAY, renewal_lead=0.25, manual_renewal_minutes=30)
    reading = ForecastReading(document, SCHEDULE, "cmmm.yaml", (), 0)
    view = forecast_section(reading, SectionRef(anchor="forecast", number="9", title=""))
    assert words in view.population
    assert ("counting" in view.summary_line) is bool(summary)
    assert summary in view.summary_line
