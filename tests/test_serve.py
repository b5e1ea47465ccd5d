"""`assess serve` over HTTP: a real uvicorn on 127.0.0.1 serving a copy of the demo workspace
(one server for the module), talked to with httpx. The contract is contracts.md, Workshop web
app; the security rules are docs/serve.md's."""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from assess.support.yamlio import parse_yaml
from tests.formfill import fill_xlsx
from tests.webserver import DAY, Running, demo_copy, running

ASSESS = [sys.executable, "-m", "assess"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    with running(demo_copy(tmp_path_factory.mktemp("serve"))) as served:
        yield served


@pytest.fixture(scope="module")
def api(server: Running) -> Iterator[httpx.Client]:
    """A script's client: Bearer token, no CSRF token needed."""
    with httpx.Client(
        base_url=server.url, headers={"Authorization": f"Bearer {server.token}"}, timeout=30
    ) as client:
        yield client


@pytest.fixture
def browser(server: Running) -> Iterator[httpx.Client]:
    """A browser's client: the token once in the URL, then the cookie."""
    with httpx.Client(base_url=server.url, timeout=30) as client:
        response = client.get(f"/?token={server.token}")
        assert response.status_code == 303
        yield client


def csrf_of(page: str) -> str:
    found = re.search(r'<meta name="csrf-token" content="([0-9a-f]+)">', page)
    assert found is not None
    return found.group(1)


# --- the token ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/", "/interview", "/api/result", "/api/events", "/static/app.js", "/nowhere"]
)
def test_without_the_token_every_request_is_401(server: Running, path: str) -> None:
    assert httpx.get(server.url + path).status_code == 401
    wrong = {"Authorization": "Bearer " + "x" * len(server.token)}
    assert httpx.get(server.url + path, headers=wrong).status_code == 401
    assert httpx.get(server.url + path, cookies={"assess_token": "nope"}).status_code == 401


def test_the_token_in_the_url_becomes_a_strict_httponly_cookie(server: Running) -> None:
    response = httpx.get(f"{server.url}/roadmap?token={server.token}&x=1")
    assert response.status_code == 303
    assert response.headers["location"] == "/roadmap?x=1"  # out of the address bar
    cookie = response.headers["set-cookie"]
    assert f"assess_token={server.token}" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    again = httpx.get(f"{server.url}/roadmap", cookies={"assess_token": server.token})
    assert again.status_code == 200


def test_every_answer_carries_a_csp_without_inline_script(api: httpx.Client) -> None:
    response = api.get("/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "<script>" not in response.text  # the only script is /static/app.js
    assert re.search(r"\son[a-z]+=", response.text) is None  # no inline event handler
    assert response.headers["x-frame-options"] == "DENY"


# --- the Host header ----------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["evil.example:80", "evil.example", "127.0.0.1:1", ""])
def test_a_foreign_host_header_is_400(server: Running, host: str) -> None:
    headers = {"Authorization": f"Bearer {server.token}", "Host": host}
    response = httpx.get(server.url + "/api/respondents", headers=headers)
    assert response.status_code == 400
    assert "Host" in response.json()["problems"][0]


def test_localhost_with_the_port_is_accepted(server: Running) -> None:
    headers = {"Authorization": f"Bearer {server.token}", "Host": f"localhost:{server.port}"}
    assert httpx.get(server.url + "/api/respondents", headers=headers).status_code == 200


# --- CSRF ---------------------------------------------------------------------------------------


def test_a_browser_write_needs_the_pages_csrf_token(browser: httpx.Client) -> None:
    body = {"answer": "p"}
    url = "/api/answers/dev-okafor/GOV-01"
    refused = browser.put(url, json=body)
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["problems"][0]
    assert browser.put(url, json=body, headers={"X-CSRF-Token": "0" * 32}).status_code == 403
    token = csrf_of(browser.get("/").text)
    assert browser.put(url, json=body, headers={"X-CSRF-Token": token}).status_code == 200
    other_site = {"X-CSRF-Token": token, "Origin": "http://evil.example"}
    assert browser.put(url, json=body, headers=other_site).status_code == 403


def test_a_form_post_without_the_csrf_token_is_refused(browser: httpx.Client) -> None:
    assert browser.post("/interview", data={"name": "Mallory"}).status_code == 403
    token = csrf_of(browser.get("/interview").text)
    assert f'action="/interview?csrf={token}"' in browser.get("/interview").text
    added = browser.post(f"/interview?csrf={token}", data={"name": "Form Person"})
    assert added.status_code == 303
    assert added.headers["location"] == "/interview/form-person"


def test_a_respondent_refused_is_said_on_the_same_page(browser: httpx.Client) -> None:
    token = csrf_of(browser.get("/interview").text)
    listed = browser.get("/interview").text
    assert 'href="/interview/dev-okafor"' in listed  # the demo's respondents, listed
    refused = browser.post(f"/interview?csrf={token}", data={"name": "   "})
    assert refused.status_code == 400
    assert '<p class="problem" role="alert">Give the respondent&#39;s name.</p>' in refused.text
    assert 'href="/interview/dev-okafor"' in refused.text  # the list, as on the page


def test_a_very_long_name_gets_a_file_name_the_file_system_takes(
    server: Running, browser: httpx.Client
) -> None:
    token = csrf_of(browser.get("/interview").text)
    added = browser.post(f"/interview?csrf={token}", data={"name": "Ab " * 100})
    assert added.status_code == 303  # was a 500: a 300-letter file name
    short = server.root / "answers" / f"{'ab-' * 21}a.yaml"  # 64 characters of slug
    try:
        assert parse_yaml(short)["respondent"]["name"] == ("Ab " * 100).strip()
        assert added.headers["location"] == f"/interview/{short.stem}"
    finally:
        short.unlink()


def test_a_bearer_script_needs_no_csrf_token(api: httpx.Client) -> None:
    assert api.put("/api/answers/dev-okafor/GOV-02", json={"answer": "l"}).status_code == 200


# --- the JSON API -------------------------------------------------------------------------------


def test_get_api_result_is_what_assess_score_json_prints(
    server: Running, api: httpx.Client
) -> None:
    cli = subprocess.run(
        [*ASSESS, "score", str(server.root), "--json", "--at", DAY.isoformat()],
        capture_output=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )
    response = api.get("/api/result")
    assert response.headers["content-type"] == "application/json"
    assert response.content == cli.stdout
    at = api.get("/api/result", params={"at": "2026-12-31"}).json()
    assert at["evaluated_at"] == "2026-12-31"
    assert api.get("/api/result", params={"at": "soon"}).status_code == 400


def test_respondents_are_listed_and_added_once_whatever_the_case(
    server: Running, api: httpx.Client
) -> None:
    listed = api.get("/api/respondents").json()
    assert {"id": "dev-okafor", "name": "Dev Okafor", "role": "Platform Engineering Lead"} in listed
    created = api.post("/api/respondents", json={"name": "Jane  Roe", "role": "CISO"})
    assert created.status_code == 201
    assert created.json() == {"id": "jane-roe", "name": "Jane Roe", "role": "CISO"}
    again = api.post("/api/respondents", json={"name": "JANE roe"})
    assert again.status_code == 200
    assert again.json() == created.json()
    saved = parse_yaml(server.root / "answers" / "jane-roe.yaml")
    assert saved["respondent"]["name"] == "Jane Roe"
    assert dict(saved["answers"]) == {}
    assert api.post("/api/respondents", json={"name": "  "}).status_code == 400
    assert api.post("/api/respondents", content=b"[1]").status_code == 400


def test_an_answer_is_saved_in_the_yaml_keeping_comments(
    server: Running, api: httpx.Client
) -> None:
    url = "/api/answers/marta-kowalski/INV-02"
    before = (server.root / "answers" / "marta-kowalski.yaml").read_text()
    assert "# --- Discovery & Inventory" in before
    put = api.put(url, json={"answer": "largely", "note": "two registers", "evidence": "a, b"})
    assert put.status_code == 200
    assert put.json() == {
        "answer": "largely",
        "note": "two registers",
        "evidence": ["a", "b"],
        "reason": "",
    }
    after = (server.root / "answers" / "marta-kowalski.yaml").read_text()
    assert "# --- Discovery & Inventory" in after
    saved = parse_yaml(server.root / "answers" / "marta-kowalski.yaml")["answers"]["INV-02"]
    assert saved["answer"] == "largely"
    assert saved["note"] == "two registers"
    got = api.get(url)
    assert got.json() == put.json()
    assert got.headers["etag"] == put.headers["etag"]


def test_a_stale_if_match_is_409_and_nothing_is_lost(server: Running, api: httpx.Client) -> None:
    url = "/api/answers/sofia-lindqvist/AUT-02"
    read = api.get(url).headers["etag"]
    first = api.put(url, json={"answer": "f"}, headers={"If-Match": read})
    assert first.status_code == 200
    stale = api.put(url, json={"answer": "n", "note": "mine"}, headers={"If-Match": read})
    assert stale.status_code == 409
    assert stale.json()["saved"]["answer"] == "fully"
    assert f'"{stale.json()["etag"]}"' == first.headers["etag"]
    saved = parse_yaml(server.root / "answers" / "sofia-lindqvist.yaml")["answers"]["AUT-02"]
    assert saved["answer"] == "fully"
    retry = api.put(url, json={"answer": "n"}, headers={"If-Match": first.headers["etag"]})
    assert retry.status_code == 200


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({"answer": "sometimes"}, "answer: 'sometimes' is not an answer"),
        ({"answer": "na"}, "an 'na' answer needs a written 'reason'"),
        ({"answer": "f", "note": 3}, "note: must be text"),
        ({"answer": "f", "colour": "red"}, "colour: not a field"),
        ({}, "answer: None is not an answer"),
    ],
)
def test_what_the_cli_refuses_is_400_with_the_problems(
    api: httpx.Client, body: dict[str, object], problem: str
) -> None:
    response = api.put("/api/answers/dev-okafor/INV-04", json=body)
    assert response.status_code == 400
    assert any(problem in p for p in response.json()["problems"]), response.json()


def test_na_with_a_reason_is_saved(api: httpx.Client) -> None:
    # Not INV-04: the server is shared by the module, and a reason saved there would let the
    # refused "na without a reason" above pass when this test runs first.
    response = api.put(
        "/api/answers/dev-okafor/INV-05", json={"answer": "a", "reason": "no on-premises CA"}
    )
    assert response.json()["answer"] == "na"
    assert response.json()["reason"] == "no on-premises CA"


@pytest.mark.parametrize(
    "path",
    [
        "/api/answers/nobody/INV-01",
        "/api/answers/dev-okafor/NOPE-99",
        "/interview/nobody",
        "/facilitator?practice=NOPE-99",
        "/download/passwd",
        "/nowhere",
    ],
)
def test_unknown_things_are_404(api: httpx.Client, path: str) -> None:
    assert api.get(path).status_code == 404


# --- paths from requests --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/static/../assessment.yaml",
        "/static/%2e%2e/%2e%2e/assessment.yaml",
        "/static/..%2f..%2fassessment.yaml",
        "/static//etc/passwd",
        "/static/%2fetc%2fpasswd",
        "/download/..%2f..%2fassessment.yaml",
    ],
)
def test_no_path_from_a_request_leaves_the_served_folders(api: httpx.Client, path: str) -> None:
    response = api.get(path)
    assert response.status_code in (400, 404)
    assert "organisation" not in response.text
    assert "root:" not in response.text


def test_a_baseline_is_chosen_by_name_among_the_workspaces_results(
    server: Running, api: httpx.Client, tmp_path: Path
) -> None:
    page = api.get("/report")
    assert "baseline/2026-08-28.result.json" in page.text
    for hostile in ("../../etc/passwd", "/etc/passwd", "baseline/../assessment.yaml"):
        response = api.get("/report", params={"baseline": hostile})
        assert response.status_code == 400
        assert "is not a result document of this workspace" in response.text
    outside = tmp_path / "elsewhere.result.json"
    outside.write_bytes((server.root / "baseline" / "2026-08-28.result.json").read_bytes())
    link = server.root / "baseline" / "linked.result.json"
    link.symlink_to(outside)
    try:
        assert "linked.result.json" not in api.get("/report").text
        linked = api.get("/report", params={"baseline": "baseline/linked.result.json"})
        assert linked.status_code == 400
    finally:
        link.unlink()
    progress = api.get("/report", params={"baseline": "baseline/2026-08-28.result.json"})
    assert progress.status_code == 200
    assert "2026-08-28" in progress.text


# --- hostile text -------------------------------------------------------------------------------


def test_hostile_notes_are_rendered_inert(server: Running, api: httpx.Client) -> None:
    note = "<script>alert(1)</script> {{ 7*7 }} <img src=x onerror=alert(2)>"
    api.post("/api/respondents", json={"name": "<b>Eve</b> {{ 7*7 }}"})
    ident = next(r["id"] for r in api.get("/api/respondents").json() if r["name"].startswith("<b>"))
    saved = api.put(f"/api/answers/{ident}/INV-01", json={"answer": "n", "note": note})
    assert saved.status_code == 200
    for path in (f"/interview/{ident}", "/facilitator?practice=INV-01", "/", "/interview"):
        text = api.get(path).text
        assert "<script>alert" not in text
        assert "<img src=x" not in text
        assert "<b>Eve</b>" not in text
        assert " 49 " not in text
    interview = api.get(f"/interview/{ident}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }}" in interview
    facilitator = api.get("/facilitator?practice=INV-01").text
    assert "&lt;b&gt;Eve&lt;/b&gt; {{ 7*7 }}" in facilitator


# --- uploads --------------------------------------------------------------------------------------


def csrf_post(browser: httpx.Client, path: str, **kwargs: object) -> httpx.Response:
    token = csrf_of(browser.get("/evidence").text)
    return browser.post(f"{path}?csrf={token}", **kwargs)  # type: ignore[arg-type]


def test_a_bundle_upload_lands_in_evidence_under_a_sanitised_name(
    server: Running, browser: httpx.Client
) -> None:
    bundle = (server.root / "evidence" / "files-web-and-share.json").read_bytes()
    response = csrf_post(
        browser,
        "/evidence/upload",
        data={"kind": "bundle"},
        files={"file": ("../../Escape Attempt.JSON", bundle)},
    )
    assert response.status_code == 200, response.text
    assert "added evidence/escape-attempt.json" in response.text
    assert (server.root / "evidence" / "escape-attempt.json").read_bytes() == bundle
    assert not (server.root.parent / "Escape Attempt.JSON").exists()
    again = csrf_post(
        browser,
        "/evidence/upload",
        data={"kind": "bundle"},
        files={"file": ("/etc/escape-attempt.json", b"[]")},
    )
    assert again.status_code == 400
    assert "evidence/escape-attempt.json already exists: nothing was written" in again.text
    assert (server.root / "evidence" / "escape-attempt.json").read_bytes() == bundle
    (server.root / "evidence" / "escape-attempt.json").unlink()
    assert not (server.root / ".assess-uploads").exists()


def test_a_broken_bundle_gets_the_clis_message_naming_file_and_line(
    browser: httpx.Client,
) -> None:
    response = csrf_post(
        browser,
        "/evidence/upload",
        data={"kind": "bundle"},
        files={"file": ("scan.json", b'{\n  "schema": "cmmm-evidence/1",\n  oops\n}')},
    )
    assert response.status_code == 400
    assert "scan.json:3" in response.text


def test_a_form_with_a_bad_cell_is_refused_naming_the_cell(
    server: Running, browser: httpx.Client, tmp_path: Path
) -> None:
    # The form as respondents get it (assess questionnaire export), one answer mistyped.
    subprocess.run(
        [*ASSESS, "questionnaire", "export", "cmmm", "--format", "csv", "--out", "form.csv"],
        cwd=tmp_path,
        capture_output=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )
    rows = list(csv.reader(io.StringIO((tmp_path / "form.csv").read_text("utf-8-sig"))))
    answer = rows[0].index("Answer")
    rows[1][answer] = "maybe"  # INV-01, on line 2 of the file
    rows[2][answer] = "fully"
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    response = csrf_post(
        browser,
        "/evidence/upload",
        data={"kind": "form", "respondent": "Form Filler"},
        files={"file": ("Filled Form.csv", out.getvalue().encode())},
    )
    assert response.status_code == 400, response.text
    assert "filled-form.csv:2" in response.text
    assert "maybe" in response.text
    assert not (server.root / "answers" / "form-filler.yaml").exists()
    rows[1][answer] = "largely"
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    clean = csrf_post(
        browser,
        "/evidence/upload",
        data={"kind": "form", "respondent": "Form Filler"},
        files={"file": ("filled.csv", out.getvalue().encode())},
    )
    assert clean.status_code == 200, clean.text
    saved = parse_yaml(server.root / "answers" / "form-filler.yaml")["answers"]
    assert (saved["INV-01"]["answer"], saved["INV-02"]["answer"]) == ("largely", "fully")


def _xlsx_form(cli: Any, folder: Path) -> Path:
    """The demo's form as respondents get it (``assess questionnaire export --format xlsx``)."""
    form = folder / "form.xlsx"
    result = cli("questionnaire", "export", "cmmm", "--format", "xlsx", "--out", form)
    assert result.exit_code == 0, result.output
    return form


def test_an_xlsx_form_filled_in_a_spreadsheet_lands_in_answers_and_on_the_dashboard(
    server: Running, browser: httpx.Client, cli: Any, tmp_path: Path
) -> None:
    form = _xlsx_form(cli, tmp_path)
    typed = {
        "INV-01": {"Answer": "fully", "Note": "CMDB <b>export</b> weekly"},
        "AUT-01": {"Answer": "partially", "Evidence": "CHG-7, CHG-9"},
        "KEY-01": {"Answer": "na", "Reason (for na)": "no HSM in scope"},
    }
    fill_xlsx(form, typed, name="Xena Sheet", role="Sheet filler")
    response = csrf_post(
        browser,
        "/evidence/upload",
        data={"kind": "form", "respondent": "Xena Sheet", "role": "Auditor"},
        files={"file": ("Xena's form.xlsx", form.read_bytes())},
    )
    try:
        assert response.status_code == 200, response.text
        assert "imported xena-s-form.xlsx for Xena Sheet" in html.unescape(response.text)
        saved = parse_yaml(server.root / "answers" / "xena-sheet.yaml")
        assert saved["respondent"] == {"name": "Xena Sheet", "role": "Auditor"}  # --role wins
        assert saved["answers"] == {
            "INV-01": {"answer": "fully", "note": "CMDB <b>export</b> weekly"},
            "AUT-01": {"answer": "partially", "evidence": ["CHG-7", "CHG-9"]},
            "KEY-01": {"answer": "na", "reason": "no HSM in scope"},
        }
        dashboard = browser.get("/").text
        row = re.search(r"<tr><th scope=\"row\">Xena Sheet</th>.*?</tr>", dashboard)
        assert row is not None and "3 of 93" in row.group(0)
    finally:
        (server.root / "answers" / "xena-sheet.yaml").unlink(missing_ok=True)


def test_a_broken_xlsx_form_names_sheet_and_cell_as_the_cli_does(
    server: Running, browser: httpx.Client, cli: Any, tmp_path: Path
) -> None:
    form = _xlsx_form(cli, tmp_path)
    where = fill_xlsx(form, {"INV-01": {"Answer": "fully"}, "AUT-02": {"Answer": "sometimes"}})
    said = cli("answers", "import", server.root, form, "--respondent", "Jane Doe")
    assert said.exit_code == 2
    line = next(x for x in said.stderr.splitlines() if where[("AUT-02", "Answer")] in x)
    assert line.startswith(f"error: {form}: {where[('AUT-02', 'Answer')]}: ")
    response = csrf_post(
        browser,
        "/evidence/upload",
        data={"kind": "form", "respondent": "Jane Doe"},
        files={"file": ("form.xlsx", form.read_bytes())},
    )
    assert response.status_code == 400
    # The same words, the file named as uploaded.
    assert line.removeprefix(f"error: {form}") in html.unescape(response.text)
    assert "form.xlsx: sheet '" in html.unescape(response.text)
    assert not (server.root / "answers" / "jane-doe.yaml").exists()


INVENTORY = (
    "Subject;Issuer;Ablauf;Beginn;Nummer\n"
    "CN=intranet.corp;CN=Corp CA;30/11/2027 10:00;30/11/2026 10:00;1A2B3C\n"
)
"""An inventory export whose columns need ``--map`` and whose dates ``--date-format``."""
INVENTORY_OPTIONS = {
    "map": "Ablauf=not_after\r\nBeginn=not_before\r\n\r\nNummer=serial",
    "date_format": "%d/%m/%Y %H:%M",
    "collected_at": "2026-11-20T09:00:00Z",
}


def test_a_scanner_upload_takes_the_clis_map_date_format_and_collected_at(
    server: Running, browser: httpx.Client
) -> None:
    from assess.model.bundle import EvidenceBundle

    response = csrf_post(
        browser,
        "/evidence/upload",
        data={"kind": "csv", **INVENTORY_OPTIONS},
        files={"file": ("Certs.csv", INVENTORY.encode())},
    )
    target = server.root / "evidence" / "certs-csv.json"
    try:
        assert response.status_code == 200, response.text
        assert "imported certs.csv into evidence/certs-csv.json: 1 observations" in response.text
        bundle = EvidenceBundle.model_validate_json(target.read_text())
        assert bundle.collected_at == datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
        record = bundle.observations[0].certificates[0]
        assert record.not_after == datetime(2027, 11, 30, 10, 0, tzinfo=UTC)
        assert record.not_before == datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
        assert record.serial == "1a2b3c"
    finally:
        target.unlink(missing_ok=True)


def _as_options(form: dict[str, str]) -> list[str]:
    """The command-line options an upload form's fields stand for."""
    args = [x for line in form.get("map", "").split() for x in ("--map", line)]
    args += ["--date-format", form["date_format"]] if "date_format" in form else []
    return args + (["--collected-at", form["collected_at"]] if "collected_at" in form else [])


@pytest.mark.parametrize(
    ("kind", "options"),
    [
        ("csv", {"map": "Ablauf=expiry"}),
        ("sslyze", {"map": "a=b"}),
        ("sslyze", {"date_format": "%d"}),
        ("csv", {**INVENTORY_OPTIONS, "collected_at": "last week"}),
        ("csv", {**INVENTORY_OPTIONS, "collected_at": "9999-12-31T23:59:59-12:00"}),
    ],
)
def test_a_scanner_upload_with_a_bad_option_gets_the_clis_message(
    server: Running,
    browser: httpx.Client,
    cli: Any,
    tmp_path: Path,
    kind: str,
    options: dict[str, str],
) -> None:
    source = tmp_path / "certs.csv"
    source.write_text(INVENTORY)
    args = _as_options(options)
    said = cli("evidence", "import", source, "--format", kind, *args, "--out", tmp_path / "x.json")
    assert said.exit_code == 2
    message = said.stderr.splitlines()[0].removeprefix("error: ")
    assert "--" in message  # the option is named
    before = sorted((server.root / "evidence").iterdir())
    response = csrf_post(
        browser,
        "/evidence/upload",
        data={"kind": kind, **options},
        files={"file": ("certs.csv", INVENTORY.encode())},
    )
    assert response.status_code == 400
    assert message in html.unescape(response.text)
    assert sorted((server.root / "evidence").iterdir()) == before


def test_an_oversized_upload_is_413_and_writes_nothing(
    server: Running, browser: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    import assess.web.security as security

    monkeypatch.setattr(security, "MAX_BODY_BYTES", 1024 * 1024)
    big = b"x" * (2 * 1024 * 1024)
    token = csrf_of(browser.get("/evidence").text)
    declared = browser.post(
        f"/evidence/upload?csrf={token}", files={"file": ("big.json", big)}, data={"kind": "bundle"}
    )
    assert declared.status_code == 413

    def chunks() -> Iterator[bytes]:  # sent without a length: counted as it arrives
        yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.json"\r\n\r\n'
        for _ in range(32):
            yield b"y" * 65536

    streamed = browser.post(
        f"/evidence/upload?csrf={token}",
        content=chunks(),
        headers={"Content-Type": "multipart/form-data; boundary=b"},
    )
    assert streamed.status_code == 413
    assert not (server.root / "evidence" / "big.json").exists()


def test_an_unknown_upload_kind_is_refused(browser: httpx.Client) -> None:
    response = csrf_post(
        browser, "/evidence/upload", data={"kind": "../x"}, files={"file": ("a.json", b"{}")}
    )
    assert response.status_code == 400
    assert "is not a kind of upload" in response.text


# --- the facilitator's override ---------------------------------------------------------------


def test_an_override_is_written_into_assessment_yaml(
    server: Running, browser: httpx.Client
) -> None:
    page = browser.get("/facilitator?practice=GOV-03").text
    token = csrf_of(page)
    tag = re.search(r'name="if_match" value="([0-9a-f]+)"', page)
    assert tag is not None
    missing = browser.post(
        f"/facilitator/override?csrf={token}",
        data={"practice": "GOV-03", "answer": "largely", "justification": " ", "if_match": tag[1]},
    )
    assert missing.status_code == 400
    assert "needs a justification" in missing.text
    saved = browser.post(
        f"/facilitator/override?csrf={token}",
        data={
            "practice": "GOV-03",
            "answer": "largely",
            "justification": "Seen the policy",
            "evidence": "POL-7",
            "if_match": tag[1],
        },
    )
    assert saved.status_code == 303
    overrides = parse_yaml(server.root / "assessment.yaml")["overrides"]
    assert overrides["GOV-03"]["answer"] == "largely"
    assert overrides["GOV-03"]["justification"] == "Seen the policy"
    assert list(overrides["GOV-03"]["evidence"]) == ["POL-7"]
    stale = browser.post(
        f"/facilitator/override?csrf={token}",
        data={"practice": "GOV-03", "answer": "not", "justification": "x", "if_match": tag[1]},
    )
    assert stale.status_code == 409
    assert "Someone changed this override" in stale.text
    assert parse_yaml(server.root / "assessment.yaml")["overrides"]["GOV-03"]["answer"] == "largely"
    result = json.loads(browser.get("/api/result").content)
    practice = next(p for d in result["dimensions"] for p in d["practices"] if p["id"] == "GOV-03")
    assert practice["override"]["justification"] == "Seen the policy"


# --- the dashboard's fragment ------------------------------------------------------------------


def test_the_dashboard_fragment_is_204_until_something_changes(
    server: Running, api: httpx.Client
) -> None:
    first = api.get("/fragment/dashboard")
    known = first.headers["x-fingerprint"]
    assert api.get("/fragment/dashboard", params={"known": known}).status_code == 204
    assert api.put("/api/answers/dev-okafor/KEY-01", json={"answer": "u"}).status_code == 200
    changed = api.get("/fragment/dashboard", params={"known": known})
    assert changed.status_code == 200
    assert changed.headers["x-fingerprint"] != known


def sse(response: httpx.Response) -> Iterator[tuple[str, str]]:
    """The events of a ``text/event-stream`` as (event, data), a comment as ("", text), the
    ``retry`` field as ("retry", value) (the format of the HTML standard, 9.2)."""
    fields: dict[str, str] = {}
    for line in response.iter_lines():
        if line.startswith(":"):
            yield "", line[1:].strip()
        elif line:
            name, _, value = line.partition(":")
            fields[name] = value.removeprefix(" ")
        elif fields:
            if "retry" in fields:
                yield "retry", fields.pop("retry")
            if "data" in fields:
                yield fields.get("event", "message"), fields["data"]
            fields = {}


def test_the_event_stream_says_each_change_as_it_happens(
    server: Running, api: httpx.Client
) -> None:
    with api.stream("GET", "/api/events", timeout=5) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        assert "script-src 'self'" in response.headers["content-security-policy"]
        events = sse(response)
        assert next(events) == ("retry", "1000")
        assert next(events) == ("change", api.get("/api/fingerprint").json()["fingerprint"])
        before = time.monotonic()
        (server.root / "answers" / "streamed.yaml").write_text(
            "respondent: {name: Streamed}\nanswers:\n  INV-01: {answer: fully}\n"
        )
        try:
            kind, fingerprint = next(events)
            assert time.monotonic() - before < 1  # within a second of the file changing
            assert (kind, fingerprint) == (
                "change",
                api.get("/api/fingerprint").json()["fingerprint"],
            )
            assert api.get("/api/answers/streamed").json()["answers"] == {
                "INV-01": {"answer": "fully", "note": "", "evidence": [], "reason": ""}
            }
        finally:
            (server.root / "answers" / "streamed.yaml").unlink()
        assert next(events)[0] == "change"  # the file gone is a change too


def test_an_answer_saved_here_is_pushed_without_waiting_for_the_watcher(
    server: Running, api: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    import assess.web.events as events

    monkeypatch.setattr(events, "WATCH_SECONDS", 30.0)  # the watcher alone would be too late
    with api.stream("GET", "/api/events", timeout=5) as response:
        stream = sse(response)
        assert [next(stream)[0] for _ in range(2)] == ["retry", "change"]
        before = time.monotonic()
        saved = api.put("/api/answers/dev-okafor/KEY-02", json={"answer": "p"})
        assert saved.status_code == 200
        kind, fingerprint = next(stream)
        assert time.monotonic() - before < 1
        assert (kind, fingerprint) == ("change", api.get("/api/fingerprint").json()["fingerprint"])


def test_the_event_stream_needs_the_token_and_our_host(server: Running) -> None:
    with httpx.Client(base_url=server.url, timeout=5) as client:
        assert client.get("/api/events").status_code == 401
        foreign = {"Authorization": f"Bearer {server.token}", "Host": "evil.example"}
        assert client.get("/api/events", headers=foreign).status_code == 400
        client.get(f"/?token={server.token}")  # a browser: the cookie
        with client.stream("GET", "/api/events") as response:
            assert response.status_code == 200


def test_streams_are_capped_and_a_quiet_one_beats(
    server: Running, api: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    import assess.web.events as events

    monkeypatch.setattr(events, "MAX_STREAMS", 2)
    monkeypatch.setattr(events, "HEARTBEAT_SECONDS", 0.3)
    with api.stream("GET", "/api/events", timeout=5) as first:
        first_events = sse(first)
        assert [next(first_events)[0] for _ in range(2)] == ["retry", "change"]
        with api.stream("GET", "/api/events", timeout=5) as second:
            second_events = sse(second)  # kept: closing it would close the stream
            assert next(second_events)[0] == "retry"
            refused = api.get("/api/events")
            assert refused.status_code == 503
            assert "2 pages listen already" in refused.json()["problems"][0]
        assert next(first_events) == ("", "still here")  # nothing changed for 0.3 s
    deadline = time.monotonic() + 5  # the closed streams are counted out
    while True:
        with api.stream("GET", "/api/events", timeout=5) as again:
            if again.status_code == 200:
                break
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_a_server_with_a_page_listening_stops_promptly(tmp_path: Path) -> None:
    with running(demo_copy(tmp_path)) as other:
        client = httpx.Client(
            base_url=other.url, headers={"Authorization": f"Bearer {other.token}"}, timeout=5
        )
        with client, client.stream("GET", "/api/events") as response:
            events = sse(response)
            assert next(events)[0] == "retry"
            stopping = time.monotonic()
            other.stop()
            assert {kind for kind, _ in events} <= {"change"}  # then the stream ends
    assert time.monotonic() - stopping < 2  # stopped, not the 3 s uvicorn would wait


def test_a_hand_edit_on_disk_shows_up(server: Running, api: httpx.Client) -> None:
    before = api.get("/api/respondents").json()
    (server.root / "answers" / "by-hand.yaml").write_text(
        "respondent: {name: By Hand}\nanswers:\n  INV-01: {answer: fully}\n"
    )
    try:
        after = api.get("/api/respondents").json()
        assert {"id": "by-hand", "name": "By Hand", "role": ""} in after
        assert len(after) == len(before) + 1
        assert api.get("/api/answers/by-hand/INV-01").json()["answer"] == "fully"
    finally:
        (server.root / "answers" / "by-hand.yaml").unlink()


def test_a_broken_file_is_named_on_the_page(server: Running, api: httpx.Client) -> None:
    broken = server.root / "answers" / "broken.yaml"
    broken.write_text("respondent: {name: Broken}\nanswers:\n  INV-01: {answer: sometimes}\n")
    try:
        page = api.get("/")
        assert page.status_code == 500
        assert "answers/broken.yaml:3" in page.text
        assert api.get("/api/result").status_code == 400
    finally:
        broken.unlink()
    assert api.get("/").status_code == 200


# --- downloads ----------------------------------------------------------------------------------


def _cli_report(root: Path, out: Path, *options: str) -> bytes:
    subprocess.run(
        [*ASSESS, "report", str(root), "--at", DAY.isoformat(), "--out", str(out), *options],
        capture_output=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )
    return out.read_bytes()


def test_the_roadmap_download_is_what_assess_report_writes(
    server: Running, api: httpx.Client, tmp_path: Path
) -> None:
    response = api.get("/download/roadmap-csv")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="roadmap.csv"'
    expected = _cli_report(server.root, tmp_path / "roadmap.csv", "--format", "roadmap-csv")
    assert response.content == expected
    json_download = api.get(
        "/download/json", params={"baseline": "baseline/2026-08-28.result.json"}
    )
    assert json_download.content == api.get("/api/result").content


@pytest.mark.slow
def test_the_pdf_download_is_a_pdf_with_the_baselines_progress(
    server: Running, api: httpx.Client
) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    response = api.get(
        "/download/pdf", params={"baseline": "baseline/2026-08-28.result.json"}, timeout=120
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages[:6])
    assert "Progress since the last assessment" in text


def test_the_facilitator_fragment_follows_the_answers(server: Running, api: httpx.Client) -> None:
    first = api.get("/fragment/facilitator", params={"practice": "POL-02"})
    assert first.status_code == 200
    known = first.headers["x-fingerprint"]
    assert "Sofia Lindqvist" in first.text
    unchanged = api.get("/fragment/facilitator", params={"practice": "POL-02", "known": known})
    assert unchanged.status_code == 204
    api.put("/api/answers/sofia-lindqvist/POL-02", json={"answer": "u", "note": "asked Legal"})
    changed = api.get("/fragment/facilitator", params={"practice": "POL-02", "known": known})
    assert changed.status_code == 200
    assert "asked Legal" in changed.text
    assert api.get("/fragment/facilitator", params={"practice": "NOPE-1"}).status_code == 404
    assert api.get("/fragment/elsewhere").status_code == 404


def test_an_override_is_withdrawn_from_the_facilitator(
    server: Running, browser: httpx.Client
) -> None:
    page = browser.get("/facilitator?practice=KEY-03").text
    token = csrf_of(page)
    tag = re.search(r'name="if_match" value="([0-9a-f]+)"', page)
    assert tag is not None
    form = {"practice": "KEY-03", "answer": "not", "justification": "Keys in git"}
    form["if_match"] = tag[1]
    assert browser.post(f"/facilitator/override?csrf={token}", data=form).status_code == 303
    assert "KEY-03" in parse_yaml(server.root / "assessment.yaml")["overrides"]
    page = browser.get("/facilitator?practice=KEY-03").text
    assert "Withdraw the override" in page
    tag = re.search(r'name="if_match" value="([0-9a-f]+)"', page)
    assert tag is not None
    withdrawn = browser.post(
        f"/facilitator/override?csrf={token}",
        data={"practice": "KEY-03", "action": "withdraw", "if_match": tag[1]},
    )
    assert withdrawn.status_code == 303
    assert "KEY-03" not in parse_yaml(server.root / "assessment.yaml")["overrides"]
    assert (server.root / "assessment.yaml").read_text().startswith("# Larkspur Mutual")
