"""Exactly once across any number of daemons and any restored ledger, and a daemon that cannot be
knocked over (issue 12): real daemon processes (pytest-xprocess) against the localnet endpoint;
the truth is computed independently from each trade's events (`Trades`)."""

from __future__ import annotations

import os
import resource
import shutil
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from solders.system_program import TransferParams, transfer
from xprocess import XProcess  # type: ignore[import-untyped]

from asdf_dat.dat.pdas import authority_address
from asdf_dat.pump import addresses as paddr
from asdf_dat.sandbox import Sandbox
from test_daemon_e2e import Daemon, Trades, _alive, attributed, converged, wait_for

pytestmark = pytest.mark.sbf

LEDGER = ".daemon-ledger.sqlite3"


class WorkdirDaemon(Daemon):
    """A daemon on its own working directory, optionally under a soft descriptor limit."""

    def __init__(self, xprocess: XProcess, sim: Sandbox, name: str, workdir: Path,
                 extra_env: dict[str, str] | None = None, nofile: int | None = None) -> None:
        super().__init__(xprocess, sim, name, extra_env)
        self.workdir = workdir
        self.nofile = nofile

    def command(self) -> list[str]:
        command = super().command()
        command[command.index("--workdir") + 1] = str(self.workdir)
        if self.nofile is None:
            return command
        # Same pid (exec): the daemon itself runs with RLIMIT_NOFILE soft = `nofile`.
        wrapper = ("import os, resource, sys; h = resource.getrlimit(resource.RLIMIT_NOFILE)[1]; "
                   f"resource.setrlimit(resource.RLIMIT_NOFILE, ({self.nofile}, h)); "
                   "os.execv(sys.argv[1], sys.argv[1:])")
        return [sys.executable, "-c", wrapper, *command]


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[Sandbox]:
    world = Sandbox.create(tmp_path / "work", 5)
    world.start()
    yield world
    world.stop()


@pytest.fixture
def make_daemon(
    xprocess: XProcess, sim: Sandbox, request: pytest.FixtureRequest
) -> Iterator[Callable[..., WorkdirDaemon]]:
    started: list[WorkdirDaemon] = []

    def factory(suffix: str = "", workdir: Path | None = None, nofile: int | None = None, **env: str) -> WorkdirDaemon:
        name = f"once-{request.node.name}-{suffix}"
        daemon = WorkdirDaemon(xprocess, sim, name, workdir or sim.directory, env, nofile)
        started.append(daemon)
        return daemon

    yield factory
    for daemon in started:
        try:
            daemon.stop()
        except AssertionError:
            if daemon.pid is not None and _alive(daemon.pid):
                os.kill(daemon.pid, 9)


def exact_for(sim: Sandbox, trades: Trades, seconds: float) -> None:
    """Attribution equals the truth, and stays equal for `seconds` (no late double count)."""
    try:
        wait_for(converged(sim, trades), 60, "on-chain attribution to match the trades")
    except AssertionError:
        got = attributed(sim)
        diff = {str(t.mint)[:8]: got[t.mint] - trades.expected.get(t.mint, 0) for t in sim.tokens}
        raise AssertionError(f"attributed - creator fees of the trades, per token: {diff}") from None
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        got = attributed(sim)
        assert got == {t.mint: trades.expected.get(t.mint, 0) for t in sim.tokens}, (
            "attributed more than the trades paid"
        )
        time.sleep(0.2)


def donate(sim: Sandbox, lamports: int) -> None:
    """Lamports in the creator vault that no trade explains."""
    vault = paddr.creator_vault(authority_address())
    sim.send(
        [transfer(TransferParams(from_pubkey=sim.trader.pubkey(), to_pubkey=vault, lamports=lamports))], sim.trader
    )


def test_restored_older_ledger_without_wal_counts_each_trade_once(
    sim: Sandbox, make_daemon: Callable[..., WorkdirDaemon]
) -> None:
    trades = Trades(sim, seed=101)
    daemon = make_daemon()
    daemon.start()
    trades.some(10)
    wait_for(converged(sim, trades), 30, "first sync")
    daemon.sigterm()
    old = sim.directory / "ledger-copy.sqlite3"
    shutil.copyfile(sim.directory / LEDGER, old)  # an older backup of the ledger
    daemon.start()
    trades.some(12)
    wait_for(converged(sim, trades), 30, "second sync")
    daemon.kill9()
    # The operator restores the older backup; the -wal of the crashed run is lost.
    shutil.copyfile(old, sim.directory / LEDGER)
    for suffix in ("-wal", "-shm"):
        Path(str(sim.directory / LEDGER) + suffix).unlink(missing_ok=True)
    donate(sim, 50_000_000)  # enough to hide a double count from the over-attribution check
    daemon.start()
    trades.some(8)
    exact_for(sim, trades, 4.0)
    stats = daemon.get("/stats").json()
    assert stats["ledger"]["consistent"]


def test_two_daemons_on_two_workdirs_count_each_trade_once(
    sim: Sandbox, make_daemon: Callable[..., WorkdirDaemon], tmp_path: Path
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    shutil.copytree(sim.directory / "localnet-tokens", other / "localnet-tokens")
    shutil.copyfile(sim.directory / "localnet-wallet.json", other / "localnet-wallet.json")
    donate(sim, 50_000_000)
    first = make_daemon("a")
    second = make_daemon("b", workdir=other)
    first.start()
    second.start()
    trades = Trades(sim, seed=202)
    for _ in range(6):
        trades.some(5)
        time.sleep(0.4)
    assert len(trades.signatures) >= 25
    exact_for(sim, trades, 4.0)
    assert first.pid is not None and _alive(first.pid) and second.pid is not None and _alive(second.pid)
    # Both reported (a race each lost was refused and recomputed, not double counted).
    text = first.log_text() + second.log_text()
    assert "differs from the ledger" in text or "StaleWatermark" in text


def test_keeper_wallet_running_dry_then_refilled_no_crash_loop(
    sim: Sandbox, make_daemon: Callable[..., WorkdirDaemon]
) -> None:
    trades = Trades(sim, seed=303)
    daemon = make_daemon()
    daemon.start()
    trades.some(6)
    wait_for(converged(sim, trades), 30, "first sync")
    keeper = sim.keeper.pubkey()
    balance = sim.ledger.get_balance(keeper)
    # Leave less than one signature fee.
    sim.send(
        [transfer(TransferParams(from_pubkey=keeper, to_pubkey=sim.trader.pubkey(), lamports=balance - 5_000 - 1_000))],
        sim.keeper,
    )
    assert sim.ledger.get_balance(keeper) < 5_000
    trades.some(8)
    time.sleep(6.0)  # many refused flushes
    assert daemon.pid is not None and _alive(daemon.pid), "the daemon died while the wallet was dry"
    assert sum(attributed(sim).values()) < trades.total
    sim.ledger.airdrop(keeper, 10 * 10**9)
    trades.some(4)
    exact_for(sim, trades, 3.0)
    assert _alive(daemon.pid)
    assert "IntegrityError" not in daemon.log_text()


def _raise_nofile() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 4096 <= hard or soft < hard < 4096:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 8192), hard))


def test_idle_connection_flood_and_slow_headers_under_1024_descriptors(
    sim: Sandbox, make_daemon: Callable[..., WorkdirDaemon]
) -> None:
    _raise_nofile()
    if resource.getrlimit(resource.RLIMIT_NOFILE)[0] < 1_700:
        pytest.skip("the test process cannot open 1,500 connections")
    daemon = make_daemon(nofile=1024, TOKEN_RESCAN_INTERVAL="1")
    daemon.start()
    trades = Trades(sim, seed=404)
    trades.some(4)
    wait_for(converged(sim, trades), 30, "first sync")
    stop = threading.Event()

    def slow_header() -> None:
        with socket.create_connection(("127.0.0.1", daemon.port), timeout=5) as conn:
            for byte in b"GET /health HTTP/1.1\r\nHost: x\r\n" * 20:
                if stop.is_set():
                    return
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    return  # closed by the server: the point
                time.sleep(0.5)

    slow = threading.Thread(target=slow_header, daemon=True)
    slow.start()
    idle: list[socket.socket] = []
    try:
        for _ in range(1_500):
            conn = socket.socket()
            conn.setblocking(False)
            try:
                conn.connect(("127.0.0.1", daemon.port))
            except BlockingIOError:
                pass
            except OSError:
                conn.close()
                continue
            idle.append(conn)
        time.sleep(1.0)
        # While they are all open: the daemon keeps polling and attributing, /health answers.
        trades.some(10)
        wait_for(converged(sim, trades), 60, "attribution during the flood")
        wait_for(lambda: daemon.status_code("/health") == 200, 30, "/health during the flood")
        assert daemon.pid is not None and _alive(daemon.pid)
        fds = len(os.listdir(f"/proc/{daemon.pid}/fd"))
        assert fds < 1024
    finally:
        stop.set()
        for conn in idle:
            conn.close()
    trades.some(3)
    exact_for(sim, trades, 2.0)
    assert _alive(daemon.pid)
    log_size = daemon.log.stat().st_size if daemon.log else 0
    assert log_size < 2_000_000
    assert "Too many open files" not in daemon.log_text()  # the cap kept it below the limit
