"""The fee daemon as a real process (pytest-xprocess) against the localnet JSON-RPC endpoint.

The endpoint runs in this test process over a LiteSVM with the DAT program and the pump
stand-in (`asdf_dat.sandbox`); trades go through it, the daemon sees them over HTTP.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from solders.pubkey import Pubkey
from solders.signature import Signature
from xprocess import ProcessStarter, XProcess  # type: ignore[import-untyped]

from asdf_dat.localnet.faults import FaultConfig
from asdf_dat.sandbox import Sandbox
from asdf_dat.sandbox.tokens import token_file_name
from conftest import free_port

pytestmark = pytest.mark.sbf

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "monitor-ecosystem-fees.py"
TOKEN = "e2e-token"
POLL = 0.3
FLUSH = 0.5




class Daemon:
    """One daemon under xprocess: start, kill -9, SIGTERM, talk to its API."""

    def __init__(self, xprocess: XProcess, sim: Sandbox, name: str, extra_env: dict[str, str] | None = None) -> None:
        self.xprocess = xprocess
        self.sim = sim
        self.name = name
        self.port = free_port()
        self.extra_env = extra_env or {}
        self.pid: int | None = None
        self.log: Path | None = None
        stale = Path(str(xprocess.getinfo(name).logpath))
        stale.unlink(missing_ok=True)  # logs of this test's earlier runs must not count

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        # The flag outranks the environment: a test that sets UPDATE_INTERVAL gets that interval.
        flush = self.extra_env.get("UPDATE_INTERVAL", str(FLUSH))
        return [sys.executable, str(SCRIPT), "--network", "localnet", "--workdir", str(self.sim.workdir),
                "--port", str(self.port), "--poll-interval", str(POLL), "--flush-interval", flush]

    def env(self) -> dict[str, str]:
        return {**os.environ, "RPC_URL": self.sim.url, "DAEMON_API_TOKEN": TOKEN, "PYTHONUNBUFFERED": "1",
                **self.extra_env}

    def start(self) -> None:
        daemon = self

        class Starter(ProcessStarter):  # type: ignore[misc]
            args = daemon.command()
            env = daemon.env()
            timeout = 60
            terminate_on_interrupt = True
            max_read_lines = 10_000

            def startup_check(self) -> bool:
                try:
                    return httpx.get(f"{daemon.url}/live", timeout=1).status_code == 200
                except httpx.HTTPError:
                    return False

        pid, log = self.xprocess.ensure(self.name, Starter, restart=True)
        self.pid, self.log = pid, Path(str(log))

    def kill9(self) -> None:
        assert self.pid is not None
        os.kill(self.pid, signal.SIGKILL)
        self._reap()

    def sigterm(self, timeout: float = 30.0) -> None:
        assert self.pid is not None
        os.kill(self.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and _alive(self.pid):
            time.sleep(0.05)
        assert not _alive(self.pid), "daemon did not exit after SIGTERM"
        self._reap()

    def _reap(self) -> None:
        for resource in self.xprocess.resources:
            popen = getattr(resource, "popen", None)
            if popen is not None and popen.pid == self.pid:
                popen.wait(timeout=30)

    def get(self, path: str) -> httpx.Response:
        return httpx.get(self.url + path, timeout=10)

    def status_code(self, path: str) -> int:
        """HTTP status of GET `path`, 0 if the request itself failed (a busy machine)."""
        try:
            return self.get(path).status_code
        except httpx.HTTPError:
            return 0

    def flush(self) -> httpx.Response:
        return httpx.post(self.url + "/flush", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log else ""

    def stop(self) -> None:
        if self.pid is not None and _alive(self.pid):
            self.sigterm()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:
        return False


class Trades:
    """Trades on the sim, with the truth: creator fees per mint from the transactions' events."""

    def __init__(self, sim: Sandbox, seed: int = 7) -> None:
        self.sim = sim
        self.rng = random.Random(seed)
        self.expected: dict[Pubkey, int] = {}
        self.signatures: list[Signature] = []

    def _record(self, signature: Signature | None) -> None:
        if signature is None:
            return
        self.signatures.append(signature)
        for mint, amount in self.sim.creator_fees(signature).items():
            self.expected[mint] = self.expected.get(mint, 0) + amount

    def some(self, count: int, tokens: list[Any] | None = None) -> None:
        pool = tokens or self.sim.tokens
        for _ in range(count):
            token = self.rng.choice(pool)
            if self.rng.random() < 0.65:
                self._record(self.sim.buy(token, self.rng.randint(10_000_000, 400_000_000)))
            else:
                self._record(self.sim.sell(token, self.rng.uniform(0.1, 0.9)))

    @property
    def total(self) -> int:
        return sum(self.expected.values())


def attributed(sim: Sandbox) -> dict[Pubkey, int]:
    """Lifetime fees attributed on-chain per mint."""
    return {t.mint: sim.stats(t.mint).total_sol_attributed for t in sim.tokens}


def wait_for(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def converged(sim: Sandbox, trades: Trades) -> Callable[[], bool]:
    def check() -> bool:
        got = attributed(sim)
        return all(got[t.mint] == trades.expected.get(t.mint, 0) for t in sim.tokens)

    return check


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[Sandbox]:
    world = Sandbox.create(tmp_path / "work", 5)
    world.start()
    yield world
    world.stop()


@pytest.fixture
def make_daemon(xprocess: XProcess, sim: Sandbox, request: pytest.FixtureRequest) -> Iterator[Callable[..., Daemon]]:
    started: list[Daemon] = []

    def factory(suffix: str = "", **env: str) -> Daemon:
        daemon = Daemon(xprocess, sim, f"daemon-{request.node.name}-{suffix}", env)
        started.append(daemon)
        return daemon

    yield factory
    for daemon in started:
        try:
            daemon.stop()
        except AssertionError:
            if daemon.pid is not None and _alive(daemon.pid):
                os.kill(daemon.pid, signal.SIGKILL)


# ---------------------------------------------------------------------- tests


def test_trades_become_onchain_pending_to_the_lamport(sim: Sandbox, make_daemon: Callable[..., Daemon]) -> None:
    daemon = make_daemon()
    daemon.start()
    wait_for(lambda: daemon.status_code("/health") == 200, 20, "first poll")
    trades = Trades(sim)
    trades.some(25)
    assert len({t.pool_type for t in sim.tokens}) == 2  # curve and PumpSwap
    last_trade = time.monotonic()
    wait_for(converged(sim, trades), 20, "on-chain pending to match the trades")
    # Within one poll (plus one flush interval, and slack for a loaded CI machine) of the last trade.
    assert time.monotonic() - last_trade < POLL + FLUSH + 4.0
    pending = sim.onchain_pending()
    assert {m: p for m, p in pending.items() if p} == {m: a for m, a in trades.expected.items() if a}
    assert trades.total > 0
    # The API reflects it.
    wait_for(lambda: daemon.status_code("/health") == 200, 10, "healthy")
    health = daemon.get("/health")
    assert "ok" in health.text
    stats = daemon.get("/stats").json()
    assert stats["ledger"]["consistent"] and stats["ledger"]["reported"] == trades.total
    assert "lastUpdate" in stats
    status = daemon.get("/status").json()
    assert status["indicators"]["pendingFeesSync"]["level"] == "healthy"
    metrics = daemon.get("/metrics").text
    for name in (
        'dat_pending_fees_total{attribution="keeper",token=',
        "dat_cycles_executed_total",
        "dat_daemon_uptime_seconds",
        "dat_last_sync_timestamp",
    ):
        assert name in metrics
    assert daemon.get("/ready").status_code == 200
    assert daemon.get("/live").json()["alive"] is True
    # /flush: refused without the token, the FlushResult with it.
    assert httpx.post(daemon.url + "/flush", timeout=10).status_code == 401
    flush = daemon.flush()
    assert flush.status_code == 200 and flush.json()["remainingPending"] == 0
    state = json.loads((sim.directory / ".daemon-state.json").read_text())
    assert set(state["lastSignatures"]) == {str(m) for m, a in trades.expected.items() if a}


def test_kill_9_at_random_points_and_restart_counts_exactly(sim: Sandbox, make_daemon: Callable[..., Daemon]) -> None:
    rng = random.Random(42)
    trades = Trades(sim, seed=3)
    daemon = make_daemon()
    # Slow report confirmation, so that many kills land while a report is in flight.
    sim.set_faults(FaultConfig(min_latency_ms=200, max_latency_ms=700, lost_response_rate=0.2,
                               methods=frozenset({"sendTransaction", "getSignatureStatuses"}), seed=1))
    for round_ in range(10):
        daemon.start()
        trades.some(rng.randint(3, 10))
        # Die somewhere: while polling, mid-report, between send and confirmation...
        time.sleep(rng.uniform(0.0, 1.5))
        daemon.kill9()
        if round_ % 3 == 2:
            trades.some(3)  # trades while it is down
    sim.set_faults(FaultConfig())
    daemon.start()
    trades.some(5)
    wait_for(converged(sim, trades), 30, "exact attribution after restarts")
    assert "in-flight reports after restart" in daemon.log_text()  # some kills were mid-report
    got = attributed(sim)
    assert sum(got.values()) == trades.total
    assert got == {t.mint: trades.expected.get(t.mint, 0) for t in sim.tokens}
    stats = daemon.get("/stats").json()
    assert stats["ledger"]["consistent"] and stats["ledger"]["credited"] == trades.total


def test_second_daemon_refuses_and_dead_lock_is_taken_over(sim: Sandbox, make_daemon: Callable[..., Daemon]) -> None:
    first = make_daemon("a")
    first.start()
    second = make_daemon("b")
    result = subprocess.run(second.command(), env=second.env(), capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "Daemon lock exists" in result.stderr and str(first.pid) in result.stderr
    lock = json.loads((sim.directory / ".daemon-lock.json").read_text())
    assert lock["pid"] == first.pid and lock["operation"] == "fee-monitor-daemon"
    first.kill9()
    assert (sim.directory / ".daemon-lock.json").exists()  # stale lock of a dead pid
    second.start()
    lock = json.loads((sim.directory / ".daemon-lock.json").read_text())
    assert lock["pid"] == second.pid
    second.sigterm()
    assert not (sim.directory / ".daemon-lock.json").exists()


def test_corrupt_state_file_is_reported_and_recovered(sim: Sandbox, make_daemon: Callable[..., Daemon]) -> None:
    trades = Trades(sim, seed=11)
    daemon = make_daemon()
    daemon.start()
    trades.some(8)
    wait_for(converged(sim, trades), 20, "first sync")
    daemon.sigterm()
    state_path = sim.directory / ".daemon-state.json"
    text = state_path.read_text()
    state_path.write_text(text[: len(text) // 3])  # truncated
    (sim.directory / ".daemon-state.backup.json").write_text("garbage")
    trades.some(6)
    daemon.start()
    wait_for(converged(sim, trades), 20, "sync after recovery")
    assert "State file corrupted" in daemon.log_text()
    assert json.loads(state_path.read_text())["version"] == 1  # rewritten from the ledger
    assert sum(attributed(sim).values()) == trades.total


def test_new_token_file_is_picked_up_without_restart(sim: Sandbox, make_daemon: Callable[..., Daemon]) -> None:
    late = sim.tokens[-1]
    assert sim.workdir is not None
    (sim.directory / "localnet-tokens" / token_file_name(len(sim.tokens), late, len(sim.tokens))).unlink()
    daemon = make_daemon(TOKEN_RESCAN_INTERVAL="1")
    daemon.start()
    trades = Trades(sim, seed=5)
    trades.some(10)
    trades.some(4, tokens=[late])  # fees for a token nobody configured yet
    early = [t for t in sim.tokens if t != late]
    wait_for(lambda: all(attributed(sim)[t.mint] == trades.expected.get(t.mint, 0) for t in early), 20, "known tokens")
    assert attributed(sim)[late.mint] == 0
    sim.write_token_file(late)
    wait_for(converged(sim, trades), 30, "the late token's fees (kept as orphans) to be attributed")


def test_sigterm_flushes_and_exits_cleanly(sim: Sandbox, make_daemon: Callable[..., Daemon]) -> None:
    daemon = make_daemon(UPDATE_INTERVAL="300")
    daemon.start()
    trades = Trades(sim, seed=9)
    trades.some(2)
    wait_for(lambda: daemon.get("/stats").json()["ledger"]["credited"] == trades.total, 20, "detection")
    # The next timed flush is 300 s away: only the API's flushes report. A flush reports what the
    # daemon has scanned through a whole slot (`_scanned_through`), so a trade credited in the
    # slot being scanned waits for the next poll: flush until it has landed.
    def flushed_and_converged() -> bool:
        return daemon.flush().status_code == 200 and converged(sim, trades)()

    wait_for(flushed_and_converged, 20, "the API flush to report the first trades")
    trades.some(6)
    wait_for(lambda: daemon.get("/stats").json()["ledger"]["credited"] == trades.total, 20, "detection")
    assert sum(attributed(sim).values()) < trades.total
    daemon.sigterm()
    assert converged(sim, trades)()
    assert "stop requested" in daemon.log_text()


def test_rpc_faults_keep_it_running_and_health_recovers(sim: Sandbox, make_daemon: Callable[..., Daemon]) -> None:
    daemon = make_daemon()
    daemon.start()
    trades = Trades(sim, seed=21)
    third = FaultConfig(rate_limit_rate=0.11, http_error_rate=0.11, rpc_error_rate=0.06, timeout_rate=0.05,
                        timeout_seconds=0.5, lost_response_rate=0.3, retry_after_seconds=0, seed=4)
    sim.set_faults(third)
    for _ in range(5):
        trades.some(4)
        time.sleep(0.5)
    wait_for(converged(sim, trades), 120, "exact attribution under faults")
    assert daemon.pid is not None and _alive(daemon.pid)
    # Everything failing: /health degrades...
    sim.set_faults(FaultConfig(http_error_rate=1.0, retry_after_seconds=0))
    wait_for(lambda: daemon.status_code("/health") == 503, 120, "health to degrade")
    assert "ok" not in daemon.get("/health").text
    trades.some(3)
    # ... and recovers.
    sim.set_faults(FaultConfig())
    wait_for(lambda: daemon.status_code("/health") == 200, 120, "health to recover")
    wait_for(converged(sim, trades), 120, "exact attribution after recovery")
    injected = sim.server.rpc.faults.injected()  # type: ignore[union-attr]
    assert injected.get("http_error", 0) > 0 and injected.get("rate_limit", 0) > 0
    # The same signed report may be sent several times; it lands once (the totals above prove
    # no report counted twice).
    assert sum(attributed(sim).values()) == trades.total


def test_wallet_that_is_not_the_keeper_is_refused(
    sim: Sandbox, make_daemon: Callable[..., Daemon], tmp_path: Path
) -> None:
    from solders.keypair import Keypair

    from asdf_dat.network.wallet import write_keypair

    stranger = write_keypair(tmp_path / "stranger.json", Keypair())
    daemon = make_daemon(WALLET_PATH=str(stranger))
    result = subprocess.run(daemon.command(), env=daemon.env(), capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "is neither the keeper" in result.stderr
    assert not (sim.directory / ".daemon-lock.json").exists()  # released on the way out


def test_rpc_down_at_start_then_up(sim: Sandbox, make_daemon: Callable[..., Daemon]) -> None:
    sim.set_faults(FaultConfig(http_error_rate=1.0, retry_after_seconds=0))
    daemon = make_daemon()
    daemon.start()  # the API answers while the chain is unreachable
    assert daemon.get("/health").status_code == 503
    assert daemon.get("/ready").status_code == 503
    trades = Trades(sim, seed=31)
    trades.some(4)
    sim.set_faults(FaultConfig())
    wait_for(converged(sim, trades), 60, "attribution once the RPC is back")
    wait_for(lambda: daemon.status_code("/health") == 200, 30, "healthy")


def test_cycle_consumes_pending_and_its_own_buy_fee_is_attributed(
    sim: Sandbox, make_daemon: Callable[..., Daemon]
) -> None:
    """A real `execute_cycle_bc` between polls: the vault shrinks (the cycle takes the token's
    share), the DAT's own buy pays a creator fee back into the vault, and the daemon attributes
    that fee too, so Σ pending keeps matching what the vaults hold, to the lamport."""
    from solders.compute_budget import set_compute_unit_limit

    from asdf_dat.dat.accounts import decode_dat_state
    from asdf_dat.dat.math import RENT_EXEMPT_ZERO_DATA
    from asdf_dat.dat.pdas import authority_address, state_address
    from asdf_dat.pump import addresses as paddr
    from asdf_dat.pump.tokens import token_amount
    from dat_helpers import (
        POOL_BONDING_CURVE,
        TokenRef,
        bc_cycle_accounts,
        curve_exact_in_quote,
        ix_execute_cycle,
        ix_record_price_reference,
        planned_budget,
        read_state,
        read_stats,
    )

    daemon = make_daemon()
    daemon.start()
    token = sim.tokens[1]  # a secondary on the curve
    trades = Trades(sim, seed=41)
    for _ in range(4):
        trades._record(sim.buy(token, 1_000_000_000))
        trades._record(sim.sell(token, 0.5))
    trades.some(4)
    wait_for(converged(sim, trades), 20, "attribution before the cycle")
    with sim.ledger._lock:
        state, stats = read_state(sim.ledger.svm), read_stats(sim.ledger.svm, token.mint)
    _, _, budget = planned_budget(state, stats)
    curve = sim.curve(token)
    quoted = curve_exact_in_quote(
        budget, curve.virtual_token_reserves, curve.virtual_sol_reserves, curve.real_token_reserves
    )
    ref = TokenRef(token.mint, token.token_program, POOL_BONDING_CURVE)
    accounts = bc_cycle_accounts(sim.keeper.pubkey(), ref, sim.tokens[0].mint, sim.pump.global_state.fee_recipient)
    sim.send([ix_record_price_reference(token.mint)], sim.keeper)  # the ledger moves to the next slot
    signature = sim.send([set_compute_unit_limit(400_000), ix_execute_cycle(ref, quoted, accounts)], sim.keeper)
    own_fee = sim.creator_fees(signature)
    assert own_fee.get(token.mint, 0) > 0  # the DAT's buy paid the creator fee into the vault
    trades._record(signature)
    assert sim.stats(token.mint).cycles == 1
    trades.some(3)
    wait_for(converged(sim, trades), 20, "attribution after the cycle")

    def pool_matches_pending() -> bool:
        with sim.ledger._lock:
            auth = authority_address()
            bc = sim.ledger.get_balance(paddr.creator_vault(auth))
            amm = sim.ledger.get_account(paddr.coin_creator_vault_ata(auth))
            dat = decode_dat_state(bytes(sim.ledger.get_account(state_address()).data))  # type: ignore[union-attr]
            held = sim.ledger.get_balance(auth) - RENT_EXEMPT_ZERO_DATA
            wsol = sim.ledger.get_account(paddr.associated_token_address(auth, paddr.WSOL_MINT))
        pool = max(0, bc - RENT_EXEMPT_ZERO_DATA) + (token_amount(bytes(amm.data)) if amm else 0)
        pool += held + (token_amount(bytes(wsol.data)) if wsol else 0)
        committed = dat.total_pending_fees + dat.root_share_held  # the root's share stays in the pool
        return committed == pool and dat.total_pending_fees == sum(sim.onchain_pending().values())

    wait_for(pool_matches_pending, 20, "Σ pending == pool balance")
    wait_for(lambda: daemon.get("/stats").json()["reconciliation"]["divergence"] == 0, 20, "daemon reconciliation")
