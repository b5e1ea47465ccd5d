"""`assess serve` budgets (docs/performance.md, "## Workshop web app").

    python bench/serve_bench.py                 # both measures on the bundled demo
    python bench/serve_bench.py --respondents 20 --seconds 20 --think 1.0

(a) Save an answer, then see the dashboard reflect it: `assess serve` runs in its own process
over a copy of the demo workspace; 20 respondents added to it answer at once (each waits
``--think`` seconds, ±50%, between answers), each through its own connection on loopback and
each with the dashboard's event stream open (/api/events), as a browser has; a respondent's
latency runs from sending the PUT to the dashboard fragment, fetched at a change event the way
the page fetches it, showing their new answer count. Budget: p95 < 100 ms.
(b) `assess serve` ready: from starting the process to the first 200 on the dashboard.
Budget: < 1 s.
(c) `assess score` on the demo, from starting the process to its exit (the CLI reads the same
files the same way).

(b) and (c) run the tool as installed: compiled bytecode is allowed (a PYTHONDONTWRITEBYTECODE
in the environment is dropped and one unmeasured run writes it), and each run's CPU time
(user + system) is given beside its wall time, since other processes on the machine stretch the
latter. ``--baseline TREE`` alternates their runs with runs of another checkout of the code, so
that both see the same load; (a) measures the tree this script imports (``PYTHONPATH=``).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import queue
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo"
TOKEN = "bench-token-0123456789abcdef"
DAY = date(2026, 11, 27)


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))]


def listen(base: str, heard: queue.Queue[str], ready: threading.Event) -> None:
    """A page's event stream: every ``change`` event's fingerprint into ``heard``, until the
    server stops."""
    with (
        httpx.Client(
            base_url=base,
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=httpx.Timeout(30, read=None),
        ) as client,
        client.stream("GET", "/api/events") as stream,
    ):
        assert stream.status_code == 200, stream.status_code
        ready.set()
        with contextlib.suppress(httpx.HTTPError):
            for line in stream.iter_lines():
                if line.startswith("data: "):
                    heard.put(line.removeprefix("data: "))


def respondent(
    base: str,
    ident: str,
    name: str,
    practices: list[str],
    until: float,
    think: float,
    latencies: list[tuple[float, float]],
    lock: threading.Lock,
    seed: int,
) -> None:
    """One respondent with the dashboard open beside the interview: answer, then, as the page
    does at each change event, fetch the dashboard until it shows the new count."""
    chance = random.Random(seed)
    row = re.compile(re.escape(name) + r"</th><td>[^<]*</td><td class=\"num\">(\d+) of")
    heard: queue.Queue[str] = queue.Queue()
    ready = threading.Event()
    threading.Thread(target=listen, args=(base, heard, ready), daemon=True).start()
    assert ready.wait(30), "no event stream"
    with httpx.Client(
        base_url=base, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30
    ) as client:
        for count, practice in enumerate(practices, start=1):
            if time.monotonic() > until:
                return
            time.sleep(think * chance.uniform(0.5, 1.5))
            start = time.perf_counter()
            saved = client.put(f"/api/answers/{ident}/{practice}", json={"answer": "l"})
            assert saved.status_code == 200, saved.text
            put = time.perf_counter() - start
            while True:
                heard.get(timeout=30)  # a change event (perhaps another respondent's)
                while not heard.empty():
                    heard.get_nowait()
                found = row.search(client.get("/fragment/dashboard").text)
                if found is not None and int(found[1]) >= count:
                    break
            with lock:
                latencies.append((time.perf_counter() - start, put))


def concurrent_answers(respondents: int, seconds: float, think: float) -> None:
    folder = Path(tempfile.mkdtemp())
    root = folder / "demo"
    shutil.copytree(DEMO, root)
    env = _installed_env()
    server = subprocess.Popen(
        [sys.executable, "-m", "assess", "serve", str(root), "--port", "0", "--token", TOKEN],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**env, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
    )
    assert server.stdout is not None
    base = server.stdout.readline().strip().split("?")[0].rstrip("/")
    headers = {"Authorization": f"Bearer {TOKEN}"}
    people = []
    for number in range(respondents):
        name = f"Bench Respondent {number:02d}"
        made = httpx.post(f"{base}/api/respondents", json={"name": name}, headers=headers)
        people.append((made.json()["id"], name))
    result = httpx.get(f"{base}/api/result", headers=headers).json()
    practices = [p["id"] for dimension in result["dimensions"] for p in dimension["practices"]]
    latencies: list[tuple[float, float]] = []
    lock = threading.Lock()
    until = time.monotonic() + seconds
    workers = [
        threading.Thread(
            target=respondent,
            args=(base, ident, name, practices, until, think, latencies, lock, seed),
        )
        for seed, (ident, name) in enumerate(people)
    ]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    server.terminate()
    server.wait(10)
    server.stdout.close()
    shutil.rmtree(folder)
    shown = [total for total, _ in latencies]
    saves = [put for _, put in latencies]
    print(
        f"(a) {respondents} respondents, think {think:g} s, {len(latencies)} answers in "
        f"{elapsed:.1f} s ({len(latencies) / elapsed:.1f}/s): save → dashboard shows it "
        f"p50 {statistics.median(shown) * 1000:.0f} ms, "
        f"p95 {percentile(shown, 0.95) * 1000:.0f} ms, "
        f"max {max(shown) * 1000:.0f} ms (budget p95 < 100 ms); the save alone "
        f"p50 {statistics.median(saves) * 1000:.0f} ms, p95 {percentile(saves, 0.95) * 1000:.0f} ms"
    )


def _installed_env() -> dict[str, str]:
    """The environment with bytecode allowed, as an installed package runs (a
    ``PYTHONDONTWRITEBYTECODE`` adds about 0.3 s of compiling to every start)."""
    return {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def _run(
    command: list[str], tree: Path, env: dict[str, str], until_ready: bool
) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``command`` with the code of ``tree``: to its first
    dashboard 200 when ``until_ready`` (then it is stopped), else to its exit."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**env, "PYTHONPATH": str(tree)},
        cwd=tree,  # `python -m` puts the working folder first on the path
    )
    assert process.stdout is not None
    if until_ready:
        url = process.stdout.readline().strip().split("?")[0]
        while True:
            try:
                answer = httpx.get(url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)
            except httpx.ConnectError:
                continue
            if answer.status_code == 200:
                break
        wall = time.perf_counter() - start
        process.terminate()
    else:
        process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    if not until_ready:
        wall = time.perf_counter() - start
        assert os.waitstatus_to_exitcode(status) == 0, command
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stdout.close()
    return wall, usage.ru_utime + usage.ru_stime


def _runs(
    label: str,
    command: list[str],
    runs: int,
    *,
    until_ready: bool,
    budget: str,
    baseline: Path | None,
) -> None:
    """``runs`` measured runs of ``command`` with this tree, alternating with as many with the
    ``baseline`` tree when one is given, so that both see the same load."""
    env = _installed_env()
    trees = (
        [("this tree", ROOT)] if baseline is None else [("baseline", baseline), ("this tree", ROOT)]
    )
    measured: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in trees}
    for number in range(runs + 1):  # the first writes the bytecode an installed package has
        for name, tree in trees:
            result = _run(command, tree, env, until_ready)
            if number:
                measured[name].append(result)
    for name, results in measured.items():
        walls = [wall for wall, _ in results]
        cpus = [cpu for _, cpu in results]
        print(
            f"{label}, {name}, best of {runs}: {min(walls):.2f} s "
            f"(median {statistics.median(walls):.2f} s), CPU {min(cpus):.2f} s "
            f"(median {statistics.median(cpus):.2f} s){budget}"
        )


def ready(runs: int, baseline: Path | None) -> None:
    folder = Path(tempfile.mkdtemp())
    root = folder / "demo"
    shutil.copytree(DEMO, root)
    command = [sys.executable, "-m", "assess", "serve", str(root), "--port", "0"]
    _runs(
        "(b) assess serve ready (process start → dashboard 200)",
        [*command, "--token", TOKEN],
        runs,
        until_ready=True,
        budget=" (budget < 1 s)",
        baseline=baseline,
    )
    shutil.rmtree(folder)


def score(runs: int, baseline: Path | None) -> None:
    _runs(
        "(c) assess score --json on the demo (process start → exit)",
        [sys.executable, "-m", "assess", "score", str(DEMO), "--json", "--at", DAY.isoformat()],
        runs,
        until_ready=False,
        budget="",
        baseline=baseline,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--ready-runs", type=int, default=5, help="0: not measured")
    parser.add_argument("--score-runs", type=int, default=5, help="0: not measured")
    parser.add_argument("--skip-answers", action="store_true", help="only (b) and (c)")
    parser.add_argument(
        "--baseline",
        type=Path,
        metavar="TREE",
        help="another checkout of the code: (b) and (c) alternate runs of it with this tree's",
    )
    options = parser.parse_args()
    import assess

    print(f"assess from {Path(assess.__file__).parent}; load average {os.getloadavg()}")
    if not options.skip_answers:
        concurrent_answers(options.respondents, options.seconds, options.think)
    if options.ready_runs:
        ready(options.ready_runs, options.baseline)
    if options.score_runs:
        score(options.score_runs, options.baseline)
    print(f"load average {os.getloadavg()}")


if __name__ == "__main__":
    main()
