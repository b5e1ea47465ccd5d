"""`assess compare` and `assess trend` as a user runs them: formats, refusals, --force, PDF.

Result files are written the way `assess score --json` writes them. The small fixture is the
one worked by hand in test_progress.py (two dimensions a and b, targets 4 and 3):
May O = 1, August O = 2, November O = 7/3; ΔO Aug→Nov = 1/3, progress to date 2/9,
percent to target 2/5 → 8/15.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from factories import DAY, answers, assessment, entry, practice, questionnaire
from report_fixtures import page_texts, pdf_reader
from test_progress import BASELINE, CURRENT

from assess.method.scoring import score
from assess.render.json import result_document

MAY, AUGUST = date(2026, 5, 29), date(2026, 8, 28)


def _write(path: Path, given: dict[str, str], at: date, *, version="1", extra=None, **fields):
    dims = {
        "a": [practice(f"A{level}", level) for level in (2, 3, 4, 5)],
        "b": [practice(f"B{level}", level) for level in (2, 3, 4, 5)],
    }
    if extra:
        dims["b"].append(practice(extra, 5))
    q = questionnaire(dims).model_copy(update={"version": version})
    full = dict.fromkeys(q.practices, "not") | given
    result = score(
        q,
        assessment(targets={"a": 4, "b": 3}),
        {"x.yaml": answers("Ann", {p: entry(a) for p, a in full.items()})},
        evaluated_at=at,
    )
    if fields:
        document = json.loads(result_document(result))
        for dotted, value in fields.items():
            node = document
            *parents, last = dotted.split("__")
            for key in parents:
                node = node[key]
            node[last] = value
        path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    else:
        path.write_bytes(result_document(result))
    return path


@pytest.fixture
def quarters(tmp_path):
    return (
        _write(tmp_path / "may.json", {}, MAY),
        _write(tmp_path / "aug.json", BASELINE, AUGUST),
        _write(tmp_path / "nov.json", CURRENT, DAY),
    )


def test_compare_json_has_the_hand_worked_figures(cli, quarters):
    _, aug, nov = quarters
    done = cli("compare", aug, nov, "--format", "json")
    assert done.exit_code == 0, done.output
    document = json.loads(done.stdout)
    assert document["schema"] == "cmmm-compare/1" and document["warnings"] == []
    assert [i["file"] for i in document["inputs"]] == [str(aug), str(nov)]
    p = document["progress"]
    assert p["delta_overall"] == pytest.approx(1 / 3)
    assert p["progress_to_date"] == pytest.approx(2 / 9)
    assert p["percent_to_target"] == pytest.approx(8 / 15)
    assert p["baseline_percent_to_target"] == pytest.approx(2 / 5)
    assert p["most_improved"] == ["a"] and p["areas_of_concern"] == ["b"]
    b2 = next(c for c in p["practices"] if c["practice"] == "B2")
    assert (b2["kind"], b2["baseline_answer"], b2["current_answer"]) == (
        "regressed",
        "fully",
        "partially",
    )


def test_compare_text_reads_as_a_summary(cli, quarters):
    _, aug, nov = quarters
    done = cli("compare", aug, nov)
    assert done.exit_code == 0
    out = done.stdout
    assert "Overall score      2.00 → 2.33  (+0.33)" in out
    assert "Percent to target  40% → 53%" in out
    assert "Progress to date   22%" in out
    assert "▼ regressed  B2       Fully → Partially" in out
    assert "Respondents: Ann Fully → Partially" in out
    assert "◇ rescoped" in out and "A5" in out
    assert "B (−0.67): B2 regressed" in out  # the area of concern and why


def test_a_version_change_lists_new_and_removed_practices(cli, tmp_path):
    old = _write(tmp_path / "v1.json", BASELINE, AUGUST, version="1", extra="B9")
    new = _write(tmp_path / "v2.json", CURRENT, DAY, version="2", extra="B6")
    done = cli("compare", old, new)
    assert done.exit_code == 0
    assert "questionnaire test 1 → 2 (version changed)" in done.stdout
    assert "+ new        B6       — → Not" in done.stdout
    assert "− removed    B9       Not → —" in done.stdout
    document = json.loads(cli("compare", old, new, "-f", "json").stdout)
    assert document["progress"]["is_questionnaire_changed"] is True
    kinds = {c["practice"]: c["kind"] for c in document["progress"]["practices"]}
    assert (kinds["B6"], kinds["B9"]) == ("new", "removed")
    trend = cli("trend", old, new, "-f", "html")
    assert "changed from version 1 to 2" in trend.stdout
    assert "1 practices are new and 1 no longer exist" in trend.stdout


def test_trend_json_and_text_of_three_quarters(cli, quarters):
    done = cli("trend", *quarters, "-f", "json")
    assert done.exit_code == 0, done.output
    document = json.loads(done.stdout)
    assert document["schema"] == "cmmm-trend/1"
    t = document["trend"]
    assert [p["overall_score"] for p in t["points"]] == pytest.approx([1, 2, 7 / 3])
    assert t["progress_to_date"] == pytest.approx(8 / 15)
    assert [d["levels"] for d in t["dimensions"]] == [[1, 2, 3], [1, 2, 1]]
    text = cli("trend", *quarters).stdout
    assert "2026-05-29     1.00      1    3.50         0%" in text
    assert "▼  −0.67  B (2026-08-28 → 2026-11-26)" in text


@pytest.mark.parametrize(
    ("content", "field", "message"),
    [
        ("[1, 2", None, "invalid JSON"),
        ("[1, 2]", None, "expected a JSON object"),
        ('{"schema": "cmmm-evidence/1"}', "schema", "expected 'cmmm-result/1'"),
        ('{"schema": "cmmm-result/1", "evaluated_at": "soon"}', "evaluated_at", ""),
        ('{"schema": "cmmm-result/1",\n "overall": {"score": NaN}}', None, ":2: invalid JSON: NaN"),
        ("", None, "the file is empty"),
        ("%PDF-1.7\n%\u00e2\u00e3\n", None, "a PDF, not a result document"),
    ],
)
def test_malformed_inputs_exit_2_naming_the_file(cli, quarters, tmp_path, content, field, message):
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    for args in (("compare", quarters[1], bad), ("trend", quarters[0], bad)):
        done = cli(*args)
        assert done.exit_code == 2
        assert str(bad) in done.stderr and message in done.stderr
        if field:
            assert f"{bad}: {field}" in done.stderr or f"{bad}:1: {field}" in done.stderr
        assert "Traceback" not in done.stderr


def test_a_missing_file_exits_2(cli, quarters, tmp_path):
    done = cli("compare", quarters[0], tmp_path / "nope.json")
    assert done.exit_code == 2 and "nope.json: no such file" in done.stderr


def test_another_organisation_is_refused_unless_forced(cli, quarters, tmp_path):
    may, aug, _ = quarters
    other = _write(tmp_path / "other.json", CURRENT, DAY, assessment__organisation="Globex")
    done = cli("compare", aug, other)
    assert done.exit_code == 2
    assert f"{other}: assessment.organisation: is about 'Globex', {aug} about 'Acme'" in (
        done.stderr
    )
    assert "--force" in done.stderr
    forced = cli("compare", aug, other, "--force")
    assert forced.exit_code == 0
    assert forced.stdout.startswith("WARNING: compared with --force")
    assert "is about 'Globex'" in forced.stdout and "warning:" in forced.stderr
    document = json.loads(cli("compare", aug, other, "--force", "-f", "json").stdout)
    assert "Globex" in document["warnings"][0]
    # One organisation's score against another's target is no progress: withheld, with why.
    assert document["progress"]["progress_to_date"] is None
    assert document["progress"]["no_progress_to_date"] == "other-organisation"
    assert (
        "Progress to date   not given: the results assess different organisations" in forced.stdout
    )
    compared = cli("compare", aug, other, "--force", "-f", "html").stdout
    assert "no progress of one organisation" in compared
    trended = cli("trend", may, aug, other, "--force").stdout
    assert "progress to date not given: the results assess different organisations" in trended
    html = cli("trend", may, aug, other, "--force", "-f", "html").stdout
    assert 'class="warning"' in html and "Globex" in html


def test_another_questionnaire_is_refused(cli, quarters, tmp_path):
    other = _write(tmp_path / "q.json", CURRENT, DAY, questionnaire__id="other")
    done = cli("trend", quarters[0], other)
    assert done.exit_code == 2
    assert f"{other}: questionnaire.id: was scored against questionnaire 'other'" in done.stderr
    assert "cannot be compared" in done.stderr


def test_duplicates_and_wrong_order_are_refused_or_sorted_with_force(cli, quarters):
    may, aug, nov = quarters
    done = cli("trend", may, nov, aug)
    assert done.exit_code == 2
    assert f"{aug}: evaluated_at: 2026-08-28 is before 2026-11-26" in done.stderr
    twice = cli("trend", may, aug, aug)
    assert twice.exit_code == 2 and f"{aug}: the same file is given twice" in twice.stderr
    copy = aug.with_name("aug-copy.json")
    copy.write_bytes(aug.read_bytes())
    duplicate = cli("trend", may, aug, copy)
    assert duplicate.exit_code == 2 and "a duplicate" in duplicate.stderr
    forced = cli("trend", may, nov, aug, "--force", "-f", "json")
    assert forced.exit_code == 0
    document = json.loads(forced.stdout)
    assert [i["file"] for i in document["inputs"]] == [str(may), str(aug), str(nov)]
    assert document["warnings"][-1] == "the results were put in order of their evaluation dates"
    backwards = cli("compare", nov, aug)
    assert backwards.exit_code == 2 and "give the results oldest first" in backwards.stderr


def test_a_report_baseline_must_be_earlier_and_of_the_same_organisation(cli, tmp_path):
    from report_fixtures import REPORT_DAY, mini_report_workspace

    ws = mini_report_workspace(tmp_path / "ws")
    later = tmp_path / "later.json"
    later.write_text(cli("score", ws, "--json", "--at", "2026-12-31").stdout, encoding="utf-8")
    done = cli("report", ws, "-f", "html", "--at", REPORT_DAY, "--baseline", later)
    assert done.exit_code == 2
    assert f"{later}: evaluated_at: 2026-12-31 is after 2026-11-27" in done.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-f", "docx"), "unknown format 'docx'"),
        (("-f", "pdf"), "--format pdf needs --out FILE"),
    ],
)
def test_bad_options_exit_2(cli, quarters, args, message):
    done = cli("compare", quarters[0], quarters[1], *args)
    assert done.exit_code == 2 and message in done.stderr


def test_the_format_follows_the_out_extension(cli, quarters, tmp_path):
    out = tmp_path / "trend.json"
    done = cli("trend", *quarters, "--out", out)
    assert done.exit_code == 0 and "wrote" in done.stdout
    assert json.loads(out.read_text(encoding="utf-8"))["schema"] == "cmmm-trend/1"
    odd = tmp_path / "trend.docx"
    done = cli("trend", *quarters, "--out", odd)
    assert done.exit_code == 2 and "cannot tell the format from '.docx'" in done.stderr
    assert not odd.exists()


@pytest.mark.slow
def test_compare_and_trend_pdfs_say_what_the_html_says(cli, quarters, tmp_path):
    _, aug, nov = quarters
    compare_pdf = tmp_path / "compare.pdf"
    assert cli("compare", aug, nov, "-o", compare_pdf).exit_code == 0
    text = "\n".join(page_texts(compare_pdf.read_bytes()))
    for expected in ("Progress between assessments", "What moved and why", "B2", "AREAS OF"):
        assert expected in text
    reader = pdf_reader(compare_pdf.read_bytes())
    attached = json.loads(reader.attachments["compare.json"][0])
    assert attached == json.loads(cli("compare", aug, nov, "-f", "json").stdout)

    trend_pdf = tmp_path / "trend.pdf"
    done = cli("trend", *quarters, "-o", trend_pdf)
    assert done.exit_code == 0 and "trend.json attached" in done.stdout
    data = trend_pdf.read_bytes()
    text = "\n".join(page_texts(data))
    for expected in (
        "Maturity trend",
        "Overall score against the target",
        "Levels by assessment",
        "Largest movements",
        "2026-05-29",
        "L3 · 3.33",  # a in November
    ):
        assert expected in text
    assert pdf_reader(data).metadata.title == "Maturity trend — Acme"
    # Every page carries the results' classification marking, as the report's pages do.
    assert json.loads(pdf_reader(data).attachments["trend.json"][0])["classification"] == (
        "Confidential"
    )
    assert all("Confidential ·" in page for page in page_texts(data))


def test_a_trend_of_differently_marked_results_carries_every_marking(cli, quarters, tmp_path):
    may, aug, _ = quarters
    secret = _write(tmp_path / "secret.json", CURRENT, DAY, assessment__classification="Secret")
    document = json.loads(cli("trend", may, aug, secret, "-f", "json").stdout)
    assert document["classification"] == "Confidential / Secret"


def test_compare_shows_answers_counted_not_a_largely_to_largely_regression(cli, demo_run):
    # KEY-02: largely in August; largely again in November, capped at partially by the two
    # RSA-1024 certificates. It regressed from largely to partially, and says why.
    text = cli(
        "compare",
        demo_run.root / "baseline" / "2026-08-28.result.json",
        demo_run.root / "reports" / "result.json",
    ).stdout
    (line,) = [x for x in text.splitlines() if "▼ regressed  KEY-02" in x]
    assert "Largely → Partially" in line
    moved = [x for x in text.splitlines() if "▲ improved" in x or "▼ regressed" in x]
    assert not any(f"{a} → {a}" in x for x in moved for a in ("Not", "Partially", "Largely"))
    # What was said is beside what counts, never in its place.
    assert "Answer given, before any cap: Largely → Largely" in text
    assert (
        "Scan evidence now contradicts the answer: certificates with weak keys: 2 of 485 (0.4%)"
        in text
    )
    assert "weak_key_share" not in text
