"""Real-browser tests: the real server (``viz.server.serve``) in a subprocess, driven by
Playwright with Debian's chromium. No internet: every front-end file comes from the offline
asset cache. Set ``WG_SCREENSHOTS=1`` to refresh the screenshots in ``docs/img/``."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from wargame import assets

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "docs" / "img"
ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-gpu"]
LOAD = 60_000  # ms: first page loads on a busy CI machine


def _chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is required for the browser tests in CI (apt-get install "
                        "chromium)")
        pytest.skip("no chromium on this machine (apt-get install chromium)")
    if assets.missing():
        pytest.fail(f"offline asset cache incomplete: {assets.missing()}; run assets.ensure()")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    chromium = _chromium()
    data = tmp_path_factory.mktemp("wgdata")
    port = _free_port()
    env = {**os.environ, "WARGAME_DATA_DIR": str(data), assets.ENV: str(assets.cache_dir())}
    proc = subprocess.Popen(
        [sys.executable, "-c", f"from viz.server import serve; serve('127.0.0.1', {port})"],
        env=env, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while True:
        with contextlib.suppress(OSError):
            if urllib.request.urlopen(base + "/", timeout=5).status == 200:
                break
        if proc.poll() is not None or time.time() > deadline:
            proc.kill()
            pytest.fail("the UI server did not start")
        time.sleep(0.5)
    db = sqlite3.connect(data / "exercises.sqlite")
    codes = json.loads(db.execute("SELECT settings_json FROM exercises").fetchone()[0])["codes"]
    db.close()
    yield {"base": base, "codes": codes, "chromium": chromium}
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C does
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=server["chromium"], args=ARGS)
        yield b
        b.close()


def _open(browser, server, path: str):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.goto(server["base"] + path)
    page.wait_for_selector(".wg-lang", timeout=LOAD)
    page.failed = failed
    return page


def _shot(page, name: str) -> None:
    if os.environ.get("WG_SCREENSHOTS"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _turn(page) -> str:
    return page.locator(".wg-turn").first.inner_text()


RENDERED = """() => [...document.querySelectorAll('.wg-chart img')]
    .filter(i => i.complete && i.naturalWidth > 0).length"""


def _charts_rendered(page, n: int) -> int:
    """Wait until ``n`` chart images are really drawn (decoded, non-empty); their count."""
    page.wait_for_function(f"({RENDERED})() >= {n}", timeout=LOAD)
    return page.evaluate(RENDERED)


def test_lobby_and_language_switch(browser, server):
    page = _open(browser, server, "/")
    assert page.get_by_text("Buat latihan").count() == 1
    _shot(page, "lobby")
    page.locator(".wg-lang").get_by_text("EN").click()
    page.get_by_text("Create exercise").wait_for(timeout=10_000)
    assert page.get_by_text("Buat latihan").count() == 0
    assert not page.failed, page.failed
    page.context.close()


def test_facilitator_sees_everything_and_charts_render(browser, server):
    page = _open(browser, server, f"/facilitator/{server['codes']['white']}")
    for sel in (".wg-msel", ".wg-advance", ".wg-incidents", ".wg-map-card", ".wg-metrics"):
        assert page.locator(sel).count() >= 1, sel
    assert _charts_rendered(page, 2) >= 2  # the map and the time series, really drawn
    _shot(page, "facilitator")
    assert not page.failed, page.failed
    page.context.close()


def test_team_and_observer_see_only_their_part(browser, server):
    team = _open(browser, server, f"/team/{server['codes']['blue']}")
    team.wait_for_selector(".wg-orders-form", timeout=LOAD)
    for sel in (".wg-msel", ".wg-advance", ".wg-metrics", ".wg-orders-view"):
        assert team.locator(sel).count() == 0, sel
    assert team.get_by_text("Peta kondisi sebenarnya").count() == 0  # no ground truth
    assert _charts_rendered(team, 1) >= 1
    obs = _open(browser, server, f"/observer/{server['codes']['observer']}")
    obs.wait_for_selector(".wg-metrics", timeout=LOAD)
    for sel in (".wg-advance", ".wg-orders-form", ".wg-msel", ".wg-fire"):
        assert obs.locator(sel).count() == 0, sel
    assert _charts_rendered(obs, 2) >= 2
    _shot(obs, "observer")
    bad = _open(browser, server, f"/team/{server['codes']['white']}")  # wrong role's page
    bad.get_by_text("Kode tidak dikenal").wait_for(timeout=LOAD)
    for p in (team, obs, bad):
        p.context.close()


def _choose(page, label: str, option: str) -> None:
    page.locator(".wg-orders-form .v-select").filter(has_text=label).first.click()
    page.locator(".v-overlay-container .v-list-item").filter(has_text=option).first.click()


def test_order_refusal_success_and_live_update(browser, server):
    team = _open(browser, server, f"/team/{server['codes']['blue']}")
    fac = _open(browser, server, f"/facilitator/{server['codes']['white']}")
    team.wait_for_selector(".wg-orders-form", timeout=LOAD)
    _choose(team, "Satuan", "Polsek Muncar")
    _choose(team, "Kecamatan", "Genteng")
    _choose(team, "Tugas", "presence")
    team.locator(".wg-personnel input").fill("500")
    team.locator(".wg-preview").filter(has_text="Ditolak").wait_for(timeout=15_000)
    assert "23" in team.locator(".wg-preview").inner_text()  # the refusal's reason
    team.locator(".wg-personnel input").fill("5")
    team.locator(".wg-preview").filter(has_text="tiba dalam").wait_for(timeout=15_000)
    team.locator(".wg-add").click()
    team.locator(".wg-line-verdict").first.wait_for(timeout=15_000)
    team.locator(".wg-submit").click()
    team.locator(".wg-sealed").wait_for(timeout=15_000)
    _shot(team, "team")
    # the facilitator's page learns of the submission by itself
    fac.locator(".wg-status-blue").filter(has_text="✔").wait_for(timeout=15_000)
    before = _turn(team)
    n = int(re.search(r"(\d+)/", before).group(1))
    fac.locator(".wg-advance").click()
    team.locator(".wg-turn").filter(has_text=f"{n + 1}/").wait_for(timeout=20_000)  # no reload
    assert team.locator(".wg-report").inner_text() != ""
    for p in (team, fac):
        p.context.close()


def test_policy_lab_steps(browser, server):
    page = _open(browser, server, "/lab")
    page.wait_for_selector(".wg-step", timeout=LOAD)
    before = _turn(page)
    page.locator(".wg-step").click()
    page.wait_for_function(f"document.querySelector('.wg-turn').innerText != {before!r}",
                           timeout=20_000)
    page.locator(".wg-step").click()
    assert _charts_rendered(page, 2) >= 2
    page.wait_for_timeout(5000)  # let the redrawn charts land before the picture
    _shot(page, "lab")
    page.context.close()
