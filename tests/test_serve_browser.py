"""`assess serve` in a real browser: Debian's chromium driven by Playwright (executable_path,
no browser download), two respondents interviewed at once in two browser contexts while a
third watches the dashboard. Screenshots of every page go to ``$ASSESS_SCREENSHOTS`` when set
(docs/images/ was made so: ``ASSESS_SCREENSHOTS=docs/images pytest tests/test_serve_browser.py``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from report_fixtures import mini_report_workspace

from assess.support.yamlio import parse_yaml
from tests.webserver import DAY, Running, demo_copy, running

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
"""What chromium needs here: no sandbox as root, nothing fetched from the network. Playwright
runs it headless with a fresh, empty profile of its own (it refuses ``--user-data-dir``)."""

pytestmark = [pytest.mark.slow, pytest.mark.browser]  # skipped without chromium (conftest.py)

# Two respondents' whole interviews on the mini questionnaire (tests/data/mini.yaml: 8 practices
# in 2 dimensions), one key a practice in questionnaire order: the letters of the scale, u, and
# a (not applicable, then a reason). The demo's 93 practices prove no more, at 35 s of keys.
PRACTICES = 8
ANA = ("fplnu" * 2)[: PRACTICES - 1] + "a"
BEN = ("nnppl" * 2)[:PRACTICES]
REASON = "no private CA here"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    with running(demo_copy(tmp_path_factory.mktemp("browser"))) as served:
        yield served


@pytest.fixture
def mini_server(tmp_path: Path) -> Iterator[Running]:
    """The app over the mini workspace of the report tests: two respondents who answered some
    practices, an assessor's override."""
    with running(mini_report_workspace(tmp_path / "mini")) as served:
        yield served


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, timeout=60000)
        yield browser
        browser.close()


def shot(page: Any, name: str) -> None:
    folder = os.environ.get("ASSESS_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"serve-{name}.png"))


def signed_in(chromium: Any, server: Running, path: str = "/") -> Any:
    context = chromium.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.set_default_timeout(30000)
    page.goto(f"{server.url}{path}?token={server.token}")
    return page


def add_respondent(page: Any, name: str, role: str) -> None:
    page.click("text=Interview")
    page.fill("#name", name)
    page.fill("#role", role)
    page.click("text=Add and start the interview")
    page.wait_for_selector("#interview")


def answer_by_keyboard(page: Any, key: str) -> None:
    page.keyboard.press(key)
    if key == "a":
        page.keyboard.type(REASON)
        page.keyboard.press("Enter")


def test_two_respondents_interviewed_at_once_while_the_dashboard_follows(
    mini_server: Running, chromium: Any
) -> None:
    server = mini_server
    from playwright.sync_api import expect

    dashboard = signed_in(chromium, server)
    polled: list[str] = []
    dashboard.on("request", lambda r: polled.append(r.url) if "/api/fingerprint" in r.url else 0)
    dashboard.evaluate("window.notReloaded = true")
    before_score = dashboard.inner_text("#overall-score")

    ana = signed_in(chromium, server)
    ben = signed_in(chromium, server)
    add_respondent(ana, "Ana Ruiz", "PKI engineer")
    add_respondent(ben, "Ben Stone", "CISO")
    assert ana.url.endswith("/interview/ana-ruiz")
    # Resume where the respondent stopped: a new one starts at the first practice.
    assert ana.evaluate("document.activeElement.name") == "answer-INV-01"
    for ana_key, ben_key in zip(ANA, BEN, strict=True):  # interleaved: both at once
        answer_by_keyboard(ana, ana_key)
        answer_by_keyboard(ben, ben_key)
    for page in (ana, ben):
        expect(page.locator("#answered-count")).to_have_text(str(PRACTICES), timeout=60000)
    shot(ana, "interview")

    # The dashboard followed without a reload: both new respondents, every answer counted.
    for name in ("Ana Ruiz", "Ben Stone"):
        row = dashboard.locator(f"#respondents tr:has-text('{name}')")
        expect(row).to_contain_text(f"{PRACTICES} of {PRACTICES}", timeout=10000)
    expect(dashboard.locator("#overall-score")).not_to_have_text(before_score)
    assert dashboard.evaluate("window.notReloaded") is True
    # Pushed by the server (Server-Sent Events): the page never had to ask.
    assert dashboard.evaluate("document.documentElement.dataset.live") == "stream"
    assert polled == []

    # The YAML on disk holds every key pressed.
    words = {"n": "not", "p": "partially", "l": "largely", "f": "fully", "u": "unknown", "a": "na"}
    for file, keys in (("ana-ruiz.yaml", ANA), ("ben-stone.yaml", BEN)):
        saved = parse_yaml(server.root / "answers" / file)["answers"]
        assert [saved[p]["answer"] for p in saved] == [words[k] for k in keys]
    ana_saved = parse_yaml(server.root / "answers" / "ana-ruiz.yaml")
    assert ana_saved["respondent"]["role"] == "PKI engineer"
    last = list(ana_saved["answers"])[-1]  # the one answered with a (not applicable)
    assert ana_saved["answers"][last]["reason"] == REASON

    # The app's result is the command line's.
    cli = subprocess.run(
        [sys.executable, "-m", "assess", "score", str(server.root), "--json", "--at", str(DAY)],
        capture_output=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )
    api = httpx.get(
        f"{server.url}/api/result",
        headers={"Authorization": f"Bearer {server.token}"},
        timeout=30,
    )
    assert api.content == cli.stdout
    for page in (dashboard, ana, ben):
        page.context.close()


def test_two_browsers_on_one_answer_the_later_is_told_and_chooses(
    server: Running, chromium: Any
) -> None:
    from playwright.sync_api import expect

    first = signed_in(chromium, server, "/interview/dev-okafor")
    second = chromium.new_context(viewport={"width": 1280, "height": 720}).new_page()
    second.set_default_timeout(30000)
    # The second browser cannot hold a stream (as behind a proxy that drops it): it polls; and
    # until the conflict is made, its polls fail too, so it does not learn of the first's save.
    offline = [True]
    second.route("**/api/events", lambda route: route.abort())
    second.route(
        "**/api/fingerprint", lambda route: route.abort() if offline[0] else route.continue_()
    )
    second.goto(f"{server.url}/interview/dev-okafor?token={server.token}")
    first.click("#p-MON-01 label:has-text('fully')")
    first.wait_for_selector("#p-MON-01 .status:has-text('Saved: fully')")
    second.click("#p-MON-01 label:has-text('partially')")  # from the page read before
    conflict = second.wait_for_selector("#p-MON-01 .conflict:not([hidden])")
    assert "saved now is fully" in conflict.inner_text()
    assert "partially, was NOT saved" in conflict.inner_text()
    shot(second, "conflict")
    saved = parse_yaml(server.root / "answers" / "dev-okafor.yaml")["answers"]["MON-01"]
    assert saved["answer"] == "fully"
    second.click("#p-MON-01 >> text=Keep mine")
    second.wait_for_selector("#p-MON-01 .status:has-text('Saved: partially')")
    saved = parse_yaml(server.root / "answers" / "dev-okafor.yaml")["answers"]["MON-01"]
    assert saved["answer"] == "partially"
    offline[0] = False

    # The first browser follows without a reload, and says so in words.
    expect(first.locator("#p-MON-01 input[value='partially']")).to_be_checked(timeout=5000)
    expect(first.locator("#p-MON-01 .elsewhere")).to_contain_text("now partially")
    assert first.evaluate("document.documentElement.dataset.live") == "stream"
    assert second.evaluate("document.documentElement.dataset.live") == "polling"

    # While someone types a note, a change made elsewhere (here a script; an edit of the file
    # is the same) never overwrites it: the page tells them and they choose.
    first.fill("#note-MON-02", "half typed")  # the field keeps the focus
    api = httpx.put(
        f"{server.url}/api/answers/dev-okafor/MON-02",
        json={"answer": "p", "note": "from the script"},
        headers={"Authorization": f"Bearer {server.token}"},
        timeout=30,
    )
    assert api.status_code == 200
    told = first.locator("#p-MON-02 .elsewhere")
    expect(told).to_contain_text("while you were editing", timeout=5000)
    expect(told).to_contain_text("partially (note: from the script)")
    assert first.input_value("#note-MON-02") == "half typed"
    assert first.is_checked("#p-MON-02 input[value='largely']")  # still what they saw
    shot(first, "changed-elsewhere")
    # The polling browser, not typing there, shows the new answer.
    expect(second.locator("#p-MON-02 input[value='partially']")).to_be_checked(timeout=5000)
    expect(second.locator("#note-MON-02")).to_have_value("from the script")
    expect(second.locator("#p-MON-02 .elsewhere")).to_contain_text("Changed elsewhere")
    first.click("#p-MON-02 >> text=Save mine")
    first.wait_for_selector("#p-MON-02 .status:has-text('Saved: largely')")
    saved = parse_yaml(server.root / "answers" / "dev-okafor.yaml")["answers"]["MON-02"]
    assert (saved["answer"], saved["note"]) == ("largely", "half typed")
    for page in (first, second):
        page.context.close()


def test_the_other_pages_render_and_fit_200_percent_zoom(server: Running, chromium: Any) -> None:
    page = signed_in(chromium, server)
    shot(page, "dashboard")  # the demo's dashboard, for docs/serve.md
    page.goto(f"{server.url}/facilitator?practice=DEV-02")  # divergent in the demo
    assert "Divergent" in page.inner_text("#live")  # said in words, not only in colour
    shot(page, "facilitator")
    for path, name in (("/evidence", "evidence"), ("/roadmap", "roadmap"), ("/report", "report")):
        page.goto(server.url + path)
        assert page.locator("h1").count() == 1
        shot(page, name)
    # 200% zoom of a 1280×720 screen: 640×360 CSS pixels; nothing needs scrolling sideways.
    page.set_viewport_size({"width": 640, "height": 360})
    for path in ("/", "/interview/dev-okafor", "/facilitator?practice=DEV-02", "/evidence"):
        page.goto(server.url + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, path
    page.context.close()
