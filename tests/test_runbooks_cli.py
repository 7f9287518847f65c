"""OPERATIONS.md's runbooks as an operator runs them: every step a `asdf-dat` subprocess (the fee
daemon too, attributing fees on-chain), against the localnet JSON-RPC endpoint whose clock and
slots follow wall time. Where the guide waits (`sleep 60` before a retry), the test really waits.
The test itself only plays the world around the operator: the tokens' launch, and, for the
auto-pause runbook, the root cause (a pool that became unusable).
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from solders.account import Account

from asdf_dat.dat.errors import InvalidPool
from asdf_dat.dat.pdas import authority_address
from conftest import free_port
from test_admin_commands import ASDF_DAT
from test_orchestrator_runbooks import World, make_world

pytestmark = pytest.mark.sbf

TOKEN = "runbook-daemon-token"
ROOT_CONFIG = "localnet-tokens/01-froot.json"


@dataclass
class Operator:
    world: World
    env: dict[str, str]
    daemon: subprocess.Popen[str]
    daemon_url: str

    def run(self, *args: str, ok: bool | None = True) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run([str(ASDF_DAT), *args], cwd=self.world.directory, env=self.env, capture_output=True,
                              text=True, timeout=300)
        if ok is not None:
            assert (proc.returncode == 0) == ok, f"{args} ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
        return proc

    def json(self, *args: str, ok: bool | None = True) -> Any:
        return json.loads(self.run(*args, "--json", ok=ok).stdout)

    def stats(self) -> dict[str, dict[str, Any]]:
        data = self.json("check-current-stats", "--network", "localnet")
        return {t["symbol"]: t for t in data["tokens"]}

    def wait_attributed(self, symbols: list[str], timeout: float = 120.0) -> None:
        """The guide's "wait for daemon sync": until the daemon has put the fees on-chain."""
        threshold = self.world.state().min_fees_per_token
        deadline = time.monotonic() + timeout
        while True:
            stats = self.stats()
            if all(stats[s]["pendingFees"] >= threshold for s in symbols):
                return
            assert time.monotonic() < deadline, stats
            time.sleep(1)




@pytest.fixture
def operator(tmp_path: Path) -> Iterator[Operator]:
    world = make_world(tmp_path)  # launched tokens, their configs, the admin wallet; DAT initialized
    assert world.server is not None
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("RPC_URL", "WALLET_PATH", "HELIUS_API_KEY", "ASDF_DAT_PROGRAM_ID")
    }
    env.update(RPC_URL=world.server.url, DAEMON_URL=f"http://127.0.0.1:{port}", DAEMON_API_TOKEN=TOKEN,
               COLUMNS="200", PYTHONUNBUFFERED="1")
    daemon = subprocess.Popen(
        [str(ASDF_DAT), "daemon", "--network", "localnet", "--workdir", str(tmp_path), "--port", str(port),
         "--poll-interval", "1", "--flush-interval", "2"],
        cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True,
    )
    op = Operator(world, env, daemon, f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"{op.daemon_url}/live", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline and daemon.poll() is None, "daemon did not start"
            time.sleep(0.5)
        yield op
    finally:
        daemon.terminate()
        daemon.wait(timeout=60)
        world.server.stop()


def _starting(op: Operator) -> None:
    """"Starting the system": setup (registration, root), state, daemon health."""
    out = op.run("setup", "localnet-tokens", "--network", "localnet").stdout
    assert "[skip] initialize" in out and "[done] register DATS2" in out and "[done] set-root-token" in out
    lines = op.run("check-dat-state", "--network", "localnet").stdout.splitlines()
    assert "Active: yes" in lines and "Consecutive Failures: 0" in lines
    assert httpx.get(f"{op.daemon_url}/health", timeout=5).status_code in (200, 503)


def test_starting_volume_and_running_a_cycle_then_cycle_too_soon(operator: Operator) -> None:
    op = operator
    _starting(op)
    # "Generating Volume": until every token reaches its threshold, then the daemon's sync
    volume = op.json("generate-volume", "localnet-tokens", "20", "0.5", "--network", "localnet", "--until-ready")
    assert {t["symbol"] for t in volume["tokens"]} == {"FROOT", "DATS2", "DATM"} and all(
        t["ready"] for t in volume["tokens"]
    )
    op.wait_attributed(["FROOT", "DATS2", "DATM"])
    # "Running a Cycle": dry run, cycle (the daemon is flushed first, with the token), stats
    report = op.json("execute-ecosystem-cycle", ROOT_CONFIG, "--network", "localnet", "--dry-run")
    assert report["status"] == "READY" and report["ecosystem"]["tokensEligible"] == 3
    run = op.json("execute-ecosystem-cycle", ROOT_CONFIG, "--network", "localnet")
    assert run["success"] is True
    stats = op.stats()
    assert all(s["cycles"] == 1 and s["totalTokensBurned"] > 0 for s in stats.values())
    # "Error: Cycle too soon": right away it is refused, nothing runs; after a real 60 s wait it runs
    op.json("generate-volume", "localnet-tokens/02-dats2.json", "20", "0.5", "--network", "localnet", "--until-ready")
    op.wait_attributed(["DATS2"])
    first = op.world.state().cycle_started_at
    too_soon = op.run("execute-ecosystem-cycle", ROOT_CONFIG, "--network", "localnet", ok=False).stdout
    assert "Cycle too soon" in too_soon
    last = next(line for line in op.run("check-dat-state", "--network", "localnet").stdout.splitlines()
                if line.startswith("Last Cycle"))
    assert "s ago" in last
    wait = first + op.world.state().min_cycle_interval_secs - time.time() + 1
    time.sleep(max(wait, 0))  # the guide's `sleep 60`: wall time, no clock control
    assert op.json("execute-ecosystem-cycle", ROOT_CONFIG, "--network", "localnet", "--dry-run")["status"] == "READY"
    assert op.json("execute-ecosystem-cycle", ROOT_CONFIG, "--network", "localnet")["success"] is True
    assert op.stats()["DATS2"]["cycles"] == 2 and op.world.state().cycle_id == 2


def test_auto_pause_then_failures_then_resume(operator: Operator) -> None:
    op = operator
    _starting(op)
    op.json("generate-volume", "localnet-tokens/02-dats2.json", "20", "0.5", "--network", "localnet", "--until-ready")
    op.wait_attributed(["DATS2"])
    # the root cause (the world, not the operator): DATS2's curve became unusable
    ledger = op.world.ledger
    curve = op.world.tokens["DATS2"].pool
    good = ledger.get_account(curve)
    assert good is not None
    broken = bytearray(good.data)
    broken[48] = 1
    ledger.svm.set_account(curve, Account(good.lamports, bytes(broken), good.owner, good.executable, good.rent_epoch))
    recorded = []
    for _ in range(5):
        run = op.json("execute-ecosystem-cycle", ROOT_CONFIG, "--network", "localnet", ok=False)
        recorded.append(run["transactions"][0]["failure_recorded"])
    lines = op.run("check-dat-state", "--network", "localnet").stdout.splitlines()
    assert "Active: NO (paused)" in lines and "Consecutive Failures: 5" in lines
    # 1. Check what failed: the five, from the chain, with codes and signatures
    failures = op.json("failures", "--network", "localnet")["failures"]
    assert [f["record_signature"] for f in failures] == recorded[::-1]
    assert {(f["error_code"], f["error_name"]) for f in failures} == {(InvalidPool.code, "InvalidPool")}
    # each failed in simulation (never landed: no signature of its own), said so with its details;
    # each record_failure transaction is on-chain under its signature
    assert all(f["failed_in"] == "simulation" and f["failed_signature"] is None for f in failures)
    assert all(f["tokens"] == ["DATS2"] and f["error"] == f"InvalidPool ({InvalidPool.code})" for f in failures), (
        failures
    )
    for f in failures:
        landed = httpx.post(op.world.url, json={"jsonrpc": "2.0", "id": 1, "method": "getTransaction",
                                                       "params": [f["record_signature"], {"encoding": "json"}]}).json()
        assert landed["result"]["meta"]["err"] is None
    table = op.run("failures", "--network", "localnet").stdout
    assert table.count("simulation only, no signature") == 5 and all(r in table for r in recorded)
    assert all(f["time"].endswith("Z") for f in failures)
    assert [f["consecutive_failures"] for f in failures] == [5, 4, 3, 2, 1]
    assert op.json("execute-ecosystem-cycle", ROOT_CONFIG, "--network", "localnet", "--dry-run")["status"] == "PAUSED"
    # 4. fix (the world), 5. resume, 6. the next cycle runs
    ledger.svm.set_account(curve, good)
    assert "Consecutive Failures: 0" in op.run("resume", "--network", "localnet").stdout
    assert op.json("execute-ecosystem-cycle", ROOT_CONFIG, "--network", "localnet")["success"] is True
    assert op.stats()["DATS2"]["cycles"] == 1


def test_adding_new_token(operator: Operator) -> None:
    op = operator
    _starting(op)
    new = op.world.pump.create_token(authority_address())  # launched on pump.fun (the world)
    path = op.world.directory / "localnet-tokens" / "04-new.json"
    path.write_text(json.dumps({
        "mint": str(new.mint), "bondingCurve": str(new.bonding_curve), "creator": str(authority_address()),
        "name": "New Token", "symbol": "NEW", "isRoot": False, "poolType": "bonding_curve", "tokenProgram": "SPL",
        "network": "localnet",
    }))
    out = op.run("init-token-stats", "localnet-tokens/04-new.json", "--network", "localnet").stdout
    assert out.startswith("Initialized TokenStats for NEW")
    # the running daemon picks the new config up (it rescans the directory)
    op.json("generate-volume", "localnet-tokens/04-new.json", "20", "0.5", "--network", "localnet", "--until-ready")
    op.wait_attributed(["NEW"])
    report = op.json("execute-ecosystem-cycle", ROOT_CONFIG, "--network", "localnet", "--dry-run")
    assert report["ecosystem"]["tokensTotal"] == 4
    assert next(t for t in report["tokens"] if t["symbol"] == "NEW")["willProcess"] is True
    assert op.json("execute-ecosystem-cycle", ROOT_CONFIG, "--network", "localnet")["success"] is True
    assert op.stats()["NEW"]["cycles"] == 1
