"""The burn dashboard in a real headless browser (Debian's chromium through chromedriver), served
by the fee daemon (a real process) on the localnet JSON-RPC endpoint, after trading volume and
two cycles run with the operator's script; then a third cycle, the RPC going down, a restart with
the RPC down, and a history backfill from the chain.

Screenshots are written to tests/artifacts/ (paths printed).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from solders.pubkey import Pubkey

from asdf_dat.dat.accounts import TokenStats, decode_token_stats
from asdf_dat.dat.pdas import token_stats_address
from asdf_dat.localnet.faults import FaultConfig
from asdf_dat.sandbox import Sandbox, SandboxToken
from asdf_dat.units import format_sol, format_token_amount
from test_daemon_e2e import TOKEN, Daemon, attributed, make_daemon, wait_for  # noqa: F401 (fixture)

pytestmark = pytest.mark.sbf

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SOL = 1_000_000_000


def chromium(user_data_dir: Path) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={user_data_dir}", "--window-size=1280,1800"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[Sandbox]:
    # root (curve, SPL), curve SPL, PumpSwap SPL, curve Token-2022
    world = Sandbox.create(tmp_path / "work", 4)
    world.start()
    yield world
    world.stop()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[webdriver.Chrome]:
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.fail("chromium / chromedriver missing: run scripts/build.sh (it installs them)")
    driver = chromium(tmp_path / "chromium-profile")
    yield driver
    driver.quit()


def volume(sim: Sandbox) -> dict[Pubkey, int]:
    """Enough volume for every token to pass the cycle thresholds (curve 0.3 %, PumpSwap 0.05 %).
    Returns the creator fees the trades paid, per mint."""
    fees: dict[Pubkey, int] = {}
    for token in sim.tokens:
        lamports = 25 * SOL if token.amm else 3 * SOL
        for signature in (sim.buy(token, lamports), sim.sell(token, 1.0)):
            if signature is not None:
                for mint, amount in sim.creator_fees(signature).items():
                    fees[mint] = fees.get(mint, 0) + amount
    return fees


def run_cycle(sim: Sandbox, daemon: Daemon) -> dict[str, Any]:
    root_file = sorted((sim.directory / "localnet-tokens").glob("*.json"))[0]
    env = {k: v for k, v in os.environ.items() if k not in ("WALLET_PATH", "HELIUS_API_KEY")}
    env.update(RPC_URL=sim.url, DAEMON_URL=daemon.url, DAEMON_API_TOKEN=TOKEN, COLUMNS="200")
    proc = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "execute-ecosystem-cycle.py"), str(root_file), "--network", "localnet",
         "--json"],
        cwd=sim.workdir, env=env, capture_output=True, text=True, timeout=180,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    summary: dict[str, Any] = json.loads(proc.stdout)
    assert summary["success"] is True, summary
    return summary


def cycle_with_volume(sim: Sandbox, daemon: Daemon) -> dict[str, Any]:
    """Volume, the daemon's attribution of it on-chain, then a cycle. (The cycle's own buys pay
    creator fees too, which the daemon attributes: hence "at least".)"""
    before = attributed(sim)
    fees = volume(sim)
    wait_for(lambda: all(attributed(sim)[m] >= before[m] + fees.get(m, 0) for m in before), 60,
             "the daemon to attribute the volume on-chain")
    summary = run_cycle(sim, daemon)
    sim.ledger.advance_clock(61)  # the cooldown between ecosystem cycles
    return summary


def full_stats(sim: Sandbox, token: SandboxToken) -> TokenStats:
    account = sim.ledger.get_account(token_stats_address(token.mint))
    assert account is not None
    return decode_token_stats(bytes(account.data))


def cell(driver: webdriver.Chrome, mint: str, field: str) -> str:
    return str(driver.find_element(By.CSS_SELECTOR, f'tr[data-mint="{mint}"] td[data-field="{field}"]').text)


def page_matches_chain(driver: webdriver.Chrome, sim: Sandbox) -> Callable[[], bool]:
    def check() -> bool:
        try:
            for token in sim.tokens:
                s = full_stats(sim, token)
                if cell(driver, str(token.mint), "pendingFees") != format_sol(s.pending_fees):
                    return False
                if cell(driver, str(token.mint), "solSpent") != format_sol(s.total_sol_spent):
                    return False
                flow = format_sol(s.total_received_from_others if s.is_root else s.total_sent_to_root)
                if cell(driver, str(token.mint), "received" if s.is_root else "sentToRoot").splitlines()[0] != flow:
                    return False
                if cell(driver, str(token.mint), "tokensBurned").splitlines()[0] != format_token_amount(
                        s.total_tokens_burned, s.decimals):
                    return False
                if cell(driver, str(token.mint), "cycles") != str(s.cycles):
                    return False
            return True
        except Exception:  # rows not rendered yet
            return False

    return check


def chart_points(driver: webdriver.Chrome) -> int:
    return int(driver.find_element(By.ID, "chart").get_attribute("data-points") or 0)


def console_errors(driver: webdriver.Chrome) -> list[dict[str, Any]]:
    return [entry for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]


def screenshot(driver: webdriver.Chrome, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    height = driver.execute_script("return document.documentElement.scrollHeight")
    width = driver.execute_script("return window.innerWidth")
    driver.set_window_size(max(width, 360), int(height) + 140)
    time.sleep(0.3)
    driver.save_screenshot(str(path))
    print(f"dashboard screenshot: {path}")
    return path


def test_dashboard_in_a_browser(sim: Sandbox, make_daemon: Callable[..., Daemon], browser: webdriver.Chrome) -> None:  # noqa: F811
    daemon = make_daemon()
    daemon.start()
    for _ in range(2):
        summary = cycle_with_volume(sim, daemon)
        assert [t["ok"] for t in summary["tokens"]] == [True] * len(sim.tokens)
    assert all(full_stats(sim, t).cycles == 2 for t in sim.tokens)

    # ---- the page: every token's row holds the chain's values; one chart point per cycle
    browser.get(daemon.url + "/")
    wait_for(page_matches_chain(browser, sim), 30, "the token rows to show the chain's values")
    rows = browser.find_elements(By.CSS_SELECTOR, "#tokens tbody tr")
    assert [r.get_attribute("data-mint") for r in rows][0] == str(sim.tokens[0].mint)  # root first
    assert "root" in rows[0].text
    assert {cell(browser, str(t.mint), "venue") for t in sim.tokens} == {"bonding curve", "PumpSwap"}
    assert {cell(browser, str(t.mint), "attributionMode") for t in sim.tokens} == {"keeper"}
    root = full_stats(sim, sim.tokens[0])
    assert root.total_received_from_others > 0 and "SOL" in cell(browser, str(sim.tokens[0].mint), "received")
    wait_for(lambda: chart_points(browser) == 2, 20, "two chart points")
    assert browser.find_element(By.ID, "total-cycles").text == "2"
    assert len(browser.find_elements(By.CSS_SELECTOR, "#cycles tbody tr")) >= 2
    health = browser.find_element(By.ID, "health").text
    for label in (
        "Daemon running",
        "Consecutive failures",
        "Pending fees synced",
        "Keeper wallet",
        "DAT",
        "Next cycle possible",
    ):
        assert label in health
    assert browser.find_element(By.CSS_SELECTOR, '[data-indicator="datActive"] .val').text == "active"
    # per token: the select (an accessible control) switches the chart to one token
    select = browser.find_element(By.ID, "chart-token")
    assert select.get_attribute("aria-label") == "Token shown in the chart"
    Select(select).select_by_value(str(sim.tokens[1].mint))
    wait_for(
        lambda: "T0001" in (browser.find_element(By.ID, "chart").get_attribute("aria-label") or ""),
        10,
        "per-token chart",
    )
    assert chart_points(browser) == 2
    Select(select).select_by_value("")
    timing = browser.execute_script(
        "const n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd - n.startTime;")
    print(f"dashboard load (Navigation Timing, 4 tokens, 2 cycles): {timing:.0f} ms")

    # ---- a new cycle shows up without a reload
    browser.execute_script("window.__sameDocument = 'yes';")
    cycle_with_volume(sim, daemon)
    wait_for(lambda: chart_points(browser) == 3, 30, "the third cycle in the chart")
    wait_for(page_matches_chain(browser, sim), 30, "the rows after the third cycle")
    assert browser.execute_script("return window.__sameDocument") == "yes"  # not reloaded
    assert browser.find_element(By.ID, "total-cycles").text == "3"
    # the chart's history holds every token's burns: events from the transactions' logs, and
    # what the runtime's log truncation lost (the root runs last in a 4-token transaction)
    # from the stats' per-cycle deltas
    live = daemon.get("/api/dashboard/history").json()
    assert live["cycleIds"] == [1, 2, 3]
    assert sum(live["tokensBurned"]) == sum(full_stats(sim, t).total_tokens_burned for t in sim.tokens)
    assert sum(live["solSpentLamports"]) == sum(full_stats(sim, t).total_sol_spent for t in sim.tokens)
    for token in sim.tokens:
        mine = daemon.get(f"/api/dashboard/history?mint={token.mint}").json()
        assert mine["cycleIds"] == [1, 2, 3], token.symbol
        assert sum(mine["tokensBurned"]) == full_stats(sim, token).total_tokens_burned, token.symbol
    assert console_errors(browser) == []
    shot = screenshot(browser, "dashboard.png")
    assert shot.stat().st_size > 10_000

    # ---- phone width: nothing sticks out of the viewport (tables scroll inside their card)
    browser.set_window_size(390, 844)
    time.sleep(0.5)
    overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page wider than a phone screen by {overflow} px"
    screenshot(browser, "dashboard-phone.png")
    browser.set_window_size(1280, 1800)

    # ---- RPC down: the last known data stays, with its age and the error
    # Let the daemon attribute the third cycle's own buy fees first, so that the chain does not
    # move after the page's last read (a report landing just before the outage would).
    def pending_is_stable() -> bool:
        first = sim.onchain_pending()
        time.sleep(3)  # several of the daemon's 0.5 s flush intervals
        return sim.onchain_pending() == first

    wait_for(pending_is_stable, 60, "the daemon to settle")
    wait_for(page_matches_chain(browser, sim), 30, "the page to show the settled chain")
    before = daemon.get("/api/dashboard").json()
    # The daemon may still complete one read between `before` and the outage (seconds under
    # load): the data kept is that last read's, never one made while the RPC was down.
    outage_at = time.time()
    sim.set_faults(FaultConfig(http_error_rate=1.0, retry_after_seconds=0))
    wait_for(
        lambda: "RPC unreachable" in browser.find_element(By.ID, "freshness").text,
        60,
        "the page to say the RPC is down",
    )
    assert page_matches_chain(browser, sim)()
    down = daemon.get("/api/dashboard").json()
    assert down["rpcError"] and before["dataAt"] <= down["dataAt"] <= outage_at + 1
    assert [t["pendingFeesLamports"] for t in down["tokens"]] == [t["pendingFeesLamports"] for t in before["tokens"]]

    # ---- restart with the RPC still down: history and the last snapshot come from the ledger
    daemon.sigterm()
    daemon.start()
    wait_for(lambda: daemon.get("/api/dashboard").json()["rpcError"] is not None, 60, "the failed read after restart")
    restarted = daemon.get("/api/dashboard").json()
    assert before["dataAt"] - 10 <= restarted["dataAt"] <= outage_at + 1
    assert [t["tokensBurned"] for t in restarted["tokens"]] == [t["tokensBurned"] for t in before["tokens"]]
    assert len(daemon.get("/api/dashboard/history").json()["cycleIds"]) == 3
    browser.get_log("browser")  # drop the old page's refused polls while the daemon restarted
    browser.get(daemon.url + "/")
    wait_for(lambda: chart_points(browser) == 3, 20, "the chart from the stored history")
    assert "RPC unreachable" in browser.find_element(By.ID, "freshness").text
    assert console_errors(browser) == []

    # ---- backfill: a ledger without the history (older daemon) fills it from the chain
    daemon.sigterm()
    with sqlite3.connect(sim.directory / ".daemon-ledger.sqlite3") as db:
        db.execute("DELETE FROM cycle_events")
        db.execute("DELETE FROM history_cursor")
    sim.set_faults(FaultConfig())
    daemon.start()
    wait_for(lambda: len(daemon.get("/api/dashboard/history").json()["cycleIds"]) == 3, 60, "the backfill")
    assert daemon.get("/api/dashboard/history").json()["cycleIds"] == [1, 2, 3]
    # A backfill can only recover what the logs kept: the runtime truncates a packed cycle
    # transaction's logs at 10 KB (pump's own event lines count too), so tokens late in the
    # transaction may miss events (see above). What it recovers must match the chain exactly;
    # the first secondary (early in every transaction) must be complete.
    for index, token in enumerate(sim.tokens[1:]):
        mine = daemon.get(f"/api/dashboard/history?mint={token.mint}").json()
        stats = full_stats(sim, token)
        assert set(mine["cycleIds"]) <= {1, 2, 3}, token.symbol
        if index == 0:
            assert mine["cycleIds"] == [1, 2, 3], token.symbol
        if mine["cycleIds"] == [1, 2, 3]:
            assert sum(mine["tokensBurned"]) == stats.total_tokens_burned, token.symbol
            assert sum(mine["solSpentLamports"]) == stats.total_sol_spent, token.symbol
        else:
            assert sum(mine["tokensBurned"]) < stats.total_tokens_burned, token.symbol
    assert "logs truncated" in daemon.log_text()
    assert daemon.get("/api/dashboard/history?mint=nope").status_code == 404
