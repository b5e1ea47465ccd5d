"""The report view model: every figure and sentence the templates print, checked by hand.

The mini workspace (tests/report_fixtures.py) scores as follows (worked from the answers):
- INV-01 (level 2): Bob partially, Jane fully → lower median partially, divergent; v = 1/3.
- INV-02 (level 3): Bob not, Jane largely → not, divergent; the override sets largely.
- AUT-01 (level 2): partially and fully → partially, divergent. AUT-02: both N/A.
- AUT-03: unknown; AUT-04: unanswered. Both dimensions: level 1, completion 1/3, S = 4/3.
- Overall O = (5·4/3 + 3·4/3) / 8 = 4/3 → level 1 (Ad-hoc); target 3 everywhere.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

import pytest
from factories import DAY, answers, assessment, entry, finding, practice, questionnaire
from report_fixtures import REPORT_DAY, mini_report_workspace

from assess.engine.score import evaluate
from assess.inputs.workspace import load_workspace
from assess.method.progress import compare
from assess.method.scoring import score
from assess.model.evidence import (
    CertificateHighlight,
    EvidenceSource,
    EvidenceSummary,
    MetricId,
    MetricValue,
)
from assess.render import view as v


@pytest.fixture
def mini(tmp_path):
    root = mini_report_workspace(tmp_path / "ws")
    workspace = load_workspace(root)
    return root, workspace, evaluate(workspace, date.fromisoformat(REPORT_DAY))


def test_formatting_helpers():
    assert v.long_date(date(2026, 11, 7)) == "7 November 2026"
    assert v.score_text(2.345) == "2.35" and v.score_text(None) == "—"
    assert v.percent(0.5333) == "53%" and v.percent(None) == "—"
    assert v.signed(0.4) == "+0.40" and v.signed(-1, 0) == "−1" and v.signed(0.001) == "0.00"
    assert v.level_text(2, "Basic") == "2 Basic" and v.level_text(None, None) == "n/a"


def test_report_id_is_the_start_of_the_sha256_of_the_score_json(mini, cli):
    root, workspace, result = mini
    printed = cli("score", root, "--json", "--at", REPORT_DAY).stdout.encode("utf-8")
    digest = hashlib.sha256(printed).hexdigest()
    report = v.build_report(result, workspace.questionnaire)
    assert report.meta.result_sha256 == digest
    assert report.meta.report_id == "CMMM-" + digest[:12].upper()
    assert report.cover.report_id == report.meta.report_id


def test_verdict_figures_and_cover(mini):
    _, workspace, result = mini
    report = v.build_report(result, workspace.questionnaire)
    assert report.summary.verdict == (
        "Acme Corp manages its certificates at level 1 (Ad-hoc) overall, below its weighted "
        "target of 3.00, and 0 of 2 dimensions reach their target level."
    )
    figures = {f.label: f for f in report.summary.figures}
    assert figures["Overall maturity"].value == "1 Ad-hoc"
    assert figures["Overall maturity"].note == "score 1.33 of 5"
    assert figures["Weighted target"].note == "shortfall 1.67"
    assert figures["Dimensions at target"].value == "0 of 2"
    assert report.cover.assurance == "Self-assessment"
    assert report.cover.overall_score == "1.33"
    assert report.summary.radar is None  # two dimensions: no radar, the table only
    assert [r.cells for r in report.summary.radar_rows] == [
        ("Discovery & Inventory", "1.33", "3"),
        ("Lifecycle Automation", "1.33", "3"),
    ]


def test_a_cover_without_scope_says_the_scope_is_not_stated(mini):
    _, workspace, result = mini
    stated = v.build_report(result, workspace.questionnaire).cover.scope
    assert stated == result.assessment.scope
    unscoped = result.model_copy(
        update={"assessment": result.assessment.model_copy(update={"scope": ""})}
    )
    cover = v.build_report(unscoped, workspace.questionnaire).cover
    assert cover.scope == "Scope not stated in the assessment"  # never a bare "Not stated"


def test_sections_are_numbered_in_order(mini):
    _, workspace, result = mini
    report = v.build_report(result, workspace.questionnaire)
    assert [(s.number, s.anchor) for s in report.contents] == [
        ("1", "summary"),
        ("2", "actions"),
        ("3", "method"),
        ("4", "overview"),
        ("5", "dimensions"),
        ("6", "roadmap"),
        ("7", "evidence"),
        ("8", "judgements"),
        ("9", "conclusion"),
        ("A", "files"),
    ]
    assert report.progress is None
    assert [d.section.number for d in report.dimensions.items] == ["5.1", "5.2"]


def test_practice_rows_carry_every_answer_note_and_override(mini):
    _, workspace, result = mini
    report = v.build_report(result, workspace.questionnaire)
    assert [r.initials for r in report.dimensions.respondents] == ["BR", "JD"]
    inventory = report.dimensions.items[0].practices
    inv01, inv02 = inventory[0], inventory[1]
    assert (inv01.answer, inv01.symbol, inv01.value, inv01.met_label) == (
        "Partially",
        "◔",
        "0.33",
        "not met",
    )
    assert (inv01.answers, inv01.given) == ("BR P · JD F", "")
    assert [(n.who, n.text) for n in inv01.notes] == [("JD", "Spreadsheet kept by operations")]
    assert (inv01.basis, inv01.evidence) == ("Documented", ("wiki/pki",))
    assert [f.label for f in inv01.flags] == ["divergent"]
    assert (inv02.answer, inv02.consolidated) == ("Largely", "Not")
    assert [f.label for f in inv02.flags] == ["divergent", "override"]
    aut02 = report.dimensions.items[1].practices[1]
    assert aut02.answer == "N/A"
    assert aut02.na_reasons == ("BR: Only internal services", "JD: No public TLS in scope")


def test_judgements_list_overrides_na_divergences_and_open_answers(mini):
    _, workspace, result = mini
    j = v.build_report(result, workspace.questionnaire).judgements
    assert [(x.practice, x.answers, x.evidence) for x in j.overrides] == [
        ("INV-02", "Respondents: Not → assessor: Largely", ("CHG-1",))
    ]
    assert j.overrides[0].detail == "Seen the inventory on 2026-11-20"
    assert [x.practice for x in j.not_applicable] == ["AUT-02"]
    assert j.not_applicable[0].detail == (
        "Bob Roe: Only internal services · Jane Doe: No public TLS in scope"
    )
    assert [x.practice for x in j.divergent] == ["INV-01", "INV-02", "AUT-01"]
    assert [(x.practice, x.detail) for x in j.open_answers] == [
        ("INV-04", "Unanswered"),
        ("AUT-03", "Unknown"),
        ("AUT-04", "Unanswered"),
    ]


def test_no_scan_evidence_is_said_plainly(mini):
    _, workspace, result = mini
    evidence = v.build_report(result, workspace.questionnaire).evidence
    assert not evidence.has_evidence
    assert evidence.highlights == () and evidence.findings == ()
    assert [a.name for a in v.attachments_for(result, has_inventory=False)] == [
        "result.json",
        "roadmap.csv",
    ]


def _evidence_summary(total: int) -> EvidenceSummary:
    now = datetime(2026, 11, 20, tzinfo=UTC)
    return EvidenceSummary(
        sources=(
            EvidenceSource(
                file="evidence/tls.json",
                collector="tls",
                collected_at=now,
                tool="cmmm-assess 0.1.0",
                observations=1300,
                errors=4,
                is_stale=False,
            ),
            EvidenceSource(
                file="evidence/old.json",
                collector="files",
                collected_at=now - timedelta(days=200),
                tool="cmmm-assess 0.1.0",
                observations=10,
                errors=0,
                is_stale=True,
            ),
        ),
        metrics=(
            MetricValue(metric=MetricId.CERTIFICATES, value=1234, denominator=1234),
            MetricValue(metric=MetricId.EXPIRED_SHARE, value=0.031, denominator=1234),
        ),
        highlights=tuple(
            CertificateHighlight(
                sha256=f"{i:064x}",
                subject=f"CN=host{i}.example",
                issuer="CN=Example CA",
                not_after=now + timedelta(days=i),
                locations=(f"host{i}.example:443", "10.0.0.1:443", "10.0.0.2:443"),
                problems=("expired",) if i < 6 else (f"expires in {i - 6} days",),
            )
            for i in range(60)
        ),
        highlights_total=total,
    )


def test_scan_evidence_is_shown_capped_with_the_inventory_attached():
    q = questionnaire({"a": [practice("A2", 2), practice("A4", 4)]})
    result = score(
        q,
        assessment(),
        {"x.yaml": answers("Ann", {"A2": entry("fully"), "A4": entry("fully", evidence=["doc"])})},
        evaluated_at=DAY,  # 2026-11-26
        findings=[finding("A4", "contradicts", value=0.031, denominator=1234)],
        evidence=_evidence_summary(1234),
    )
    evidence = v.build_report(result, q, has_inventory=True).evidence
    assert evidence.has_evidence
    assert len(evidence.highlights) == v.HIGHLIGHTS_SHOWN == 50
    # Names by their common name (CN=host0.example, CN=Example CA); three locations shown as two.
    assert evidence.highlights[0].cells == (
        "host0.example",
        "Example CA",
        "2026-11-20",
        "host0.example:443, 10.0.0.1:443 (+1 more)",
        "expired",
    )
    assert "50 most urgent of 1,234" in evidence.highlights_note
    assert "certificate-inventory.csv" in evidence.highlights_note
    assert [r.cells for r in evidence.metrics] == [
        ("Distinct certificates observed", "1,234", "1,234"),
        ("Expired certificates", "38 of 1,234 (3.1%)", "1,234"),  # 0.031 × 1,234 = 38.25
    ]
    assert [r.cells[-1] for r in evidence.sources] == ["fresh", "stale, ignored"]
    (contradiction,) = evidence.contradictions
    assert (contradiction.practice, contradiction.status) == ("A4", "answer capped at partially")
    assert contradiction.measured == "38 of 1,234 (3.1%)"
    assert contradiction.condition == "Expired certificates: any"  # expired_share > 0, in words
    assert [a.name for a in v.attachments_for(result, has_inventory=True)][-1] == (
        "certificate-inventory.csv"
    )


def test_a_baseline_adds_the_progress_section_and_series(mini, tmp_path):
    _, workspace, result = mini
    # The baseline: the same workspace without the override (INV-02 back to not).
    before_root = mini_report_workspace(tmp_path / "before", overrides={})
    baseline = evaluate(load_workspace(before_root), date(2026, 8, 28))
    report = v.build_report(result, workspace.questionnaire, progress=compare(baseline, result))
    assert [s.anchor for s in report.contents][:4] == ["summary", "progress", "actions", "method"]
    progress = report.progress
    assert progress is not None
    assert progress.baseline_date == "28 August 2026"
    assert [(c.practice, c.before, c.after) for c in progress.improved] == [
        ("INV-02", "Not", "Largely")
    ]
    assert progress.regressed == () and progress.unchanged == 7
    # Inventory: L1 1.33 both times (INV-01 still gates level 2).
    assert progress.rows[0].direction == "= same"
    assert report.overview.gaps.has_baseline
    assert report.summary.radar_header[-1] == "Before"


def test_top_level_and_all_na_assessments_render(tmp_path):
    from factories import mini_workspace

    from assess.render.html import render_html

    given = {
        p: {"answer": "na", "reason": "out of scope"}
        for p in ("AUT-01", "AUT-02", "AUT-03", "AUT-04")
    }
    given |= {
        "INV-01": {"answer": "fully"},
        "INV-02": {"answer": "fully"},
        "INV-03": {"answer": "fully", "evidence": ["x"]},
        "INV-04": {"answer": "fully", "evidence": ["y"]},
    }
    root = mini_workspace(tmp_path / "top", {"Ann": given}, targets={"default": 5})
    workspace = load_workspace(root)
    report = v.build_report(evaluate(workspace, DAY), workspace.questionnaire)
    assert "every dimension reaches its target level" in report.summary.verdict
    assert report.overview.rows[0].cells[4] == "top"  # no next level to complete
    assert report.overview.rows[1].cells[-1] == "Not applicable"
    assert report.roadmap.phases == () and "roadmap is empty" in report.roadmap.intro
    render_html(report)

    nothing = {p: {"answer": "na", "reason": "none"} for p in workspace.questionnaire.practices}
    root = mini_workspace(tmp_path / "none", {"Ann": nothing})
    report = v.build_report(evaluate(load_workspace(root), DAY), workspace.questionnaire)
    assert report.summary.verdict == "No dimension applies to Acme Corp: nothing could be scored."
    assert report.cover.overall_level == "n/a"
    render_html(report)


def test_the_progress_section_says_why_a_practice_moved(mini, tmp_path):
    _, workspace, result = mini
    # The baseline has no override: INV-02 was Jane largely, Bob not → lower median not.
    before_root = mini_report_workspace(tmp_path / "before", overrides={})
    baseline = evaluate(load_workspace(before_root), date(2026, 8, 28))
    progress = v.build_report(
        result, workspace.questionnaire, progress=compare(baseline, result)
    ).progress
    assert progress is not None
    (inv02,) = progress.improved
    assert inv02.evidence == (
        "Assessor override: Seen the inventory on 2026-11-20",
        "New evidence: CHG-1",
        "Basis: self-attested → documented",
    )
    # Nothing regressed or fell; dimensions below target that did not move are listed.
    assert progress.areas_of_concern[0].startswith("Discovery & Inventory: unchanged at 1.33")


def test_the_report_says_what_evidence_did_and_only_that():
    # A2 answered fully and contradicted: capped. A3 answered partially: a contradiction cannot
    # lower it, nothing changed. B2 answered fully with a suggestion: not used (answered).
    # B3 unanswered with a suggestion: suggested, and flagged (also unanswered).
    q = questionnaire(
        {"a": [practice("A2", 2), practice("A3", 3)], "b": [practice("B2", 2), practice("B3", 3)]}
    )
    given = {"A2": entry("fully"), "A3": entry("partially"), "B2": entry("fully")}
    result = score(
        q,
        assessment(),
        {"x.yaml": answers("Ann", given)},
        evaluated_at=DAY,
        findings=[
            finding("A2", "contradicts"),
            finding("A3", "contradicts"),
            finding("B2", "suggests", answer="partially"),
            finding("B3", "suggests", answer="partially"),
        ],
        evidence=_evidence_summary(20),
    )
    report = v.build_report(result, q)
    consequences = {c.practice: c.status for c in report.evidence.contradictions}
    assert consequences == {
        "A2": "answer capped at partially",
        "A3": "no change: the answer claimed no more than partially",
    }
    statuses = {(f.practice, f.effect): f.status for f in report.evidence.findings}
    assert statuses[("B2", "suggests")] == "holds; not used: the practice is answered"
    assert statuses[("B3", "suggests")] == "applies"
    # Flagged: A2 (contradicted), B3 (unanswered and suggested); A3 and B2 carry no flag.
    flagged = {f.label: f.value for f in report.summary.figures}
    assert flagged["Practices flagged"] == "2"


def test_percentages_never_read_minus_zero():
    assert (v.percent(-0.001), v.percent(0.004), v.percent(-0.2), v.percent(None)) == (
        "0%",
        "0%",
        "-20%",
        "—",
    )


# --- a draft (method.md, Completeness) and the words the summary uses ----------------------------


def test_a_draft_says_so_on_the_cover_every_header_and_has_no_sign_off(mini, tmp_path):
    # The mini workspace leaves INV-04 and AUT-04 unanswered; AUT-02 is N/A: 2 of 7 applicable.
    from report_fixtures import COMPLETE_ANSWERS

    _, workspace, result = mini
    report = v.build_report(result, workspace.questionnaire)
    assert (
        report.meta.draft == report.cover.draft == ("DRAFT: 2 of 7 applicable practices unanswered")
    )
    assert report.summary.draft is not None and report.summary.draft.startswith(
        "2 of 7 applicable practices are unanswered."
    )
    assert report.conclusion.signatories == ()
    assert "2 of 7 applicable practices are unanswered" in report.conclusion.draft
    assert report.contents[-2].title == "Conclusion"
    # Both are level 5, above the targets (3): no roadmap step to mark "not assessed".
    assert all(s.is_assessed for p in report.roadmap.phases for s in p.steps)
    assert "not assessed" not in report.roadmap.intro

    root = mini_report_workspace(tmp_path / "complete", COMPLETE_ANSWERS)
    complete = load_workspace(root)
    report = v.build_report(evaluate(complete, DAY), complete.questionnaire)
    assert (report.meta.draft, report.cover.draft, report.summary.draft) == ("", "", None)
    assert [s.caption for s in report.conclusion.signatories] == [
        "Assessor",
        "Accepted for Acme Corp",
    ]
    assert report.contents[-2].title == "Conclusion and sign-off"


def test_a_capped_answer_is_shown_beside_the_answer_counted():
    # A2 answered largely and contradicted: counts partially; B4 fully at level 4 without
    # evidence: the gate counts partially. The row shows what counts, the answer given beside.
    q = questionnaire({"a": [practice("A2", 2)], "b": [practice("B4", 4)]})
    result = score(
        q,
        assessment(),
        {"x.yaml": answers("Ann", {"A2": "largely", "B4": "fully"})},
        evaluated_at=DAY,
        findings=[finding("A2", "contradicts")],
    )
    report = v.build_report(result, q)
    a2 = report.dimensions.items[0].practices[0]
    b4 = report.dimensions.items[1].practices[0]
    assert (a2.symbol, a2.answer, a2.given) == ("◔", "Partially", "Largely")
    assert (b4.symbol, b4.answer, b4.given) == ("◔", "Partially", "Fully")
    step = next(s for p in report.roadmap.phases for s in p.steps if s.practice == "A2")
    assert step.answer == "Partially"
    assert "Answer counted: partially (the respondents said largely)." in step.why


def test_furthest_below_target_names_the_lowest_score_when_it_leaves_it_out():
    # Weights 5, 4, 3, 1; one level-2 practice each, target 3 everywhere.
    # h, m, k: partially → S = 4/3, shortfall 5/3; × 5 = 25/3, × 4 = 20/3, × 3 = 5.
    # w: not → S = 1, the lowest score; shortfall 2 × weight 1 = 2: fourth, not listed.
    q = questionnaire(
        {
            "h": [practice("H2", 2)],
            "m": [practice("M2", 2)],
            "k": [practice("K2", 2)],
            "w": [practice("W2", 2)],
        },
        weights={"h": 5, "m": 4, "k": 3, "w": 1},
    )
    given = {"H2": "partially", "M2": "partially", "K2": "partially", "W2": "not"}
    result = score(q, assessment(), {"x.yaml": answers("Ann", given)}, evaluated_at=DAY)
    summary = v.build_report(result, q).summary
    assert [g.title for g in summary.below_target] == ["H", "M", "K"]
    assert summary.below_target[0].text == (
        "2 levels short; shortfall 1.67 × weight 5; 33% of the way to level 2."
    )
    assert summary.below_target_note == (
        "Ranked by shortfall (target − score) times the dimension's weight. The lowest score, "
        "W (1.00, target 3, weight 1), is not among them: its shortfall times its weight is "
        "smaller."
    )
    figures = {f.label: f for f in summary.figures}
    assert figures["Dimensions at target"].note == "lowest score: W (1.00)"
    assert summary.targets_met == ()


def test_roadmap_steps_nobody_answered_are_marked_not_assessed():
    # P2 fully, P3 partially, Q3 unanswered; target 3: P3 and Q3 are steps, Q3 not assessed.
    q = questionnaire({"d": [practice("P2", 2), practice("P3", 3), practice("Q3", 3)]})
    result = score(
        q,
        assessment(),
        {"x.yaml": answers("Ann", {"P2": "fully", "P3": "partially"})},
        evaluated_at=DAY,
    )
    roadmap = v.build_report(result, q).roadmap
    (phase,) = roadmap.phases
    assert [(s.practice, s.is_assessed, s.answer) for s in phase.steps] == [
        ("P3", True, "Partially"),
        ("Q3", False, "Unanswered"),
    ]
    assert phase.summary == "2 steps in 1 dimension; effort 2 M; 1 not assessed."
    assert roadmap.intro.endswith(
        "1 step marked “not assessed” concern practices nobody answered: they may already be in "
        "place, and belong on the plan only once someone says they are not."
    )
