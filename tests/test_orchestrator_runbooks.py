"""The seed's runbooks (OPERATIONS.md), executed as written with our Python scripts, against the
localnet JSON-RPC endpoint (LiteSVM with the compiled asdf_dat program and the pump stand-in).

The fee daemon's role ("Wait for daemon sync") is played by `World.sync_fees`: it attributes
each token's creator-vault increase on-chain with `update_pending_fees`, as the keeper.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from solders.account import Account
from solders.instruction import Instruction
from solders.keypair import Keypair
from solders.message import Message
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.transaction import Transaction, VersionedTransaction

from asdf_dat.dat import instructions as dix
from asdf_dat.dat.accounts import DatState, TokenStats, decode_dat_state, decode_token_stats
from asdf_dat.dat.errors import InvalidPool
from asdf_dat.dat.events import decode_events, events_of_type
from asdf_dat.dat.pdas import authority_address, state_address, token_stats_address
from asdf_dat.generated.types import CycleFailed
from asdf_dat.localnet.ledger import LocalLedger
from asdf_dat.localnet.rpc_server import BackgroundLocalnet, start_localnet_in_thread
from asdf_dat.pump import addresses as paddr
from asdf_dat.pump.addresses import TOKEN_2022_PROGRAM_ID, TOKEN_PROGRAM_ID
from asdf_dat.pump.tokens import token_amount
from asdf_dat.pump.world import PumpWorld
from asdf_dat.sandbox import TokenSpec, build_sandbox
from test_orchestrator_report import SEED_SCHEMA, validate

pytestmark = pytest.mark.sbf

REPO = Path(__file__).resolve().parents[1]
SCRIPTS = REPO / "scripts"
SOL = 1_000_000_000
RENT_EXEMPT_ZERO = 890_880


@dataclass(frozen=True)
class Tok:
    symbol: str
    mint: Pubkey
    token_program: Pubkey
    pool: Pubkey
    amm: bool
    file: Path


@dataclass
class World:
    directory: Path
    ledger: LocalLedger
    server: BackgroundLocalnet | None
    admin: Keypair
    tokens: dict[str, Tok]
    pump: PumpWorld
    attributed: dict[str, int] = field(default_factory=dict)
    seq: int = 0

    @property
    def url(self) -> str:
        """The JSON-RPC endpoint serving this world's ledger."""
        assert self.server is not None, "this world is not served"
        return self.server.url

    # ---- commands, as an operator types them
    def run(self, script: str, *args: str, ok: bool | None = True) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k not in ("RPC_URL", "WALLET_PATH", "HELIUS_API_KEY")}
        env["RPC_URL"] = self.url
        env["DAEMON_URL"] = "http://127.0.0.1:9"  # no daemon: flush is skipped
        env["COLUMNS"] = "200"
        proc = subprocess.run(
            [sys.executable, str(SCRIPTS / script), *args],
            cwd=self.directory, env=env, capture_output=True, text=True, timeout=120,
        )
        if ok is True:
            assert proc.returncode == 0, f"{script} {args} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
        elif ok is False:
            assert proc.returncode != 0, f"{script} {args} unexpectedly succeeded:\n{proc.stdout}"
        return proc

    def json(self, script: str, *args: str, ok: bool | None = True) -> Any:
        return json.loads(self.run(script, *args, "--json", ok=ok).stdout)

    def dry_run(self, config: str = "localnet-tokens/01-froot.json") -> tuple[dict[str, Any], Path]:
        before = set((self.directory / "reports").glob("dry-run-*.json"))
        report = self.json("execute-ecosystem-cycle.py", config, "--network", "localnet", "--dry-run")
        validate(report, SEED_SCHEMA)
        written = set((self.directory / "reports").glob("dry-run-*.json")) - before
        assert len(written) == 1
        path = written.pop()
        assert json.loads(path.read_text()) == report
        return report, path

    # ---- chain
    def send(self, ixs: list[Instruction], *signers: Keypair) -> None:
        payer = signers[0] if signers else self.admin
        blockhash = self.ledger.latest_blockhash().blockhash
        tx = Transaction(
            list(signers) or [payer], Message.new_with_blockhash(ixs, payer.pubkey(), blockhash), blockhash
        )
        self.ledger.send(VersionedTransaction.from_bytes(bytes(tx)))

    def state(self) -> DatState:
        acc = self.ledger.get_account(state_address())
        assert acc is not None
        return decode_dat_state(bytes(acc.data))

    def stats(self, symbol: str) -> TokenStats:
        acc = self.ledger.get_account(token_stats_address(self.tokens[symbol].mint))
        assert acc is not None
        return decode_token_stats(bytes(acc.data))

    def vault_total(self, tok: Tok) -> int:
        auth = authority_address()
        if tok.amm:
            acc = self.ledger.get_account(paddr.coin_creator_vault_ata(auth))
            return 0 if acc is None else token_amount(bytes(acc.data))
        return max(self.ledger.get_balance(paddr.creator_vault(auth)) - RENT_EXEMPT_ZERO, 0)

    def sync_fees(self, symbol: str, before: int) -> int:
        """The daemon's job: attribute the vault increase since `before` to `symbol`."""
        tok = self.tokens[symbol]
        amount = self.vault_total(tok) - before
        if amount <= 0:
            return 0
        self.seq += 1
        acc = self.ledger.get_account(token_stats_address(tok.mint))
        assert acc is not None
        stats = decode_token_stats(bytes(acc.data))
        report = dix.FeeReport(tok.mint, amount, self.ledger.slot, self.seq, stats.watermark_slot, stats.watermark_seq)
        self.send([dix.update_pending_fees(self.admin.pubkey(), [report])])
        self.attributed[symbol] = self.attributed.get(symbol, 0) + amount
        return amount

    def trade(self, symbol: str, rounds: int, sol: str) -> int:
        """`generate-volume` + `sell-spl-tokens-simple` per round, then the daemon sync."""
        tok = self.tokens[symbol]
        before = self.vault_total(tok)
        rel = str(tok.file.relative_to(self.directory))
        for _ in range(rounds):
            self.run("generate-volume.py", rel, "1", sol)
            self.run("sell-spl-tokens-simple.py", rel)
        return self.sync_fees(symbol, before)


RUNBOOK_TOKENS = (
    TokenSpec("FROOT", "Froot", is_root=True),
    TokenSpec("DATS2", "Dats2", token_program=TOKEN_2022_PROGRAM_ID),
    TokenSpec("DATM", "Datm", amm=True),
)


def make_world(tmp_path: Path, *, serve: bool = True) -> World:
    """The sandbox with the DAT initialized and three tokens created, none registered: the
    runbooks register them (`init-token-stats`, `set-root-token`)."""
    box = asyncio.run(build_sandbox(RUNBOOK_TOKENS, register=False, workdir=tmp_path, write_files=True))
    files = sorted((tmp_path / "localnet-tokens").glob("*.json"))
    tokens = {
        t.symbol: Tok(t.symbol, t.mint, t.token_program, t.pool, t.amm, path)
        for t, path in zip(box.tokens, files, strict=True)
    }
    server = start_localnet_in_thread(box.ledger) if serve else None
    return World(tmp_path, box.ledger, server, box.admin, tokens, box.pump)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    w = make_world(tmp_path)
    try:
        yield w
    finally:
        if w.server is not None:
            w.server.stop()


def register_all(w: World) -> None:
    for tok in w.tokens.values():
        w.run("init-token-stats.py", str(tok.file.relative_to(w.directory)), "--network", "localnet")
    w.run("set-root-token.py", "localnet-tokens/01-froot.json", "--network", "localnet")


# ---------------------------------------------------------------- smoke


def test_setup_and_state_commands(world: World) -> None:
    register_all(world)
    out = world.run("check-dat-state.py", "--network", "localnet").stdout
    lines = out.splitlines()
    assert "Consecutive Failures: 0" in lines
    assert "Last Cycle: never" in lines
    assert f"Root Token: {world.tokens['FROOT'].mint} (FROOT)" in lines
    stats = world.json("check-current-stats.py", "--network", "localnet")
    assert [t["symbol"] for t in stats["tokens"]] == ["FROOT", "DATS2", "DATM"]
    assert all(t["registered"] for t in stats["tokens"])
    report, _ = world.dry_run()
    assert report["status"] == "INSUFFICIENT_FEES"


# ---------------------------------------------------------------- Running a Cycle


def test_running_a_cycle(world: World) -> None:
    """OPERATIONS.md "Running a Cycle": check stats, verify thresholds (generate volume first),
    execute, verify; the dry-run's plan is what the program then does, to the lamport."""
    register_all(world)
    # 1. Check pending fees
    stats = world.json("check-current-stats.py", "--network", "localnet")
    assert stats["totalPendingFees"] == 0
    # 2. Verify minimum thresholds met (0.006 SOL per token); if not, generate volume first
    report, _ = world.dry_run()
    assert report["status"] == "INSUFFICIENT_FEES"
    world.trade("FROOT", 2, "1")
    world.trade("DATS2", 2, "1.5")
    world.trade("DATM", 2, "4")
    report, _ = world.dry_run()
    assert report["status"] == "READY", report
    assert report["ecosystem"]["tokensEligible"] == 3
    planned = {t["symbol"]: t for t in report["tokens"]}
    assert all(t["pendingFees"] == world.attributed[s] for s, t in planned.items())
    before = {s: world.stats(s) for s in world.tokens}
    # 3. Execute cycle
    out = world.run("execute-ecosystem-cycle.py", "localnet-tokens/01-froot.json", "--network", "localnet").stdout
    assert "Cycle succeeded" in out
    # 4. Verify results
    after_stats = world.json("check-current-stats.py", "--network", "localnet")
    by_symbol = {t["symbol"]: t for t in after_stats["tokens"]}
    for symbol in world.tokens:
        assert by_symbol[symbol]["totalTokensBurned"] > 0, symbol
        assert by_symbol[symbol]["cycles"] == 1
    # the plan matched the program: secondaries sent exactly 44.8 % (floor rounding to root),
    # the root spent exactly what they sent
    to_root = 0
    for symbol in ("DATS2", "DATM"):
        alloc = planned[symbol]["allocation"]
        sent = world.stats(symbol).total_sent_to_root - before[symbol].total_sent_to_root
        assert sent == alloc - alloc * 5520 // 10_000
        to_root += sent
    root = world.stats("FROOT")
    assert root.total_received_from_others == to_root
    assert planned["FROOT"]["allocation"] == world.attributed["FROOT"] + to_root
    state = world.state()
    treasury = world.ledger.get_balance(state.root_treasury) - RENT_EXEMPT_ZERO
    assert state.cycle_id == 1 and state.consecutive_failures == 0 and treasury == 0


def _cycle(w: World, *extra: str, ok: bool | None = True) -> subprocess.CompletedProcess[str]:
    return w.run("execute-ecosystem-cycle.py", "localnet-tokens/01-froot.json", "--network", "localnet", *extra, ok=ok)


def _state_lines(w: World) -> list[str]:
    return w.run("check-dat-state.py", "--network", "localnet").stdout.splitlines()


def _line(lines: list[str], prefix: str) -> str:
    return next(line for line in lines if line.startswith(prefix))


# ---------------------------------------------------------------- Generating Volume


def test_generating_volume(world: World) -> None:
    """OPERATIONS.md "Generating Volume (Testing)": 2 rounds of buy 0.5 SOL + sell, then the
    daemon sync: ~0.006 SOL of fees for the token."""
    register_all(world)
    tok = world.tokens["FROOT"]
    before = world.vault_total(tok)
    for _ in (1, 2):
        out = world.run("generate-volume.py", "localnet-tokens/01-froot.json", "1", "0.5").stdout
        assert "Buy 1/1: 0.5 SOL" in out and "creator vault" in out
        out = world.run("sell-spl-tokens-simple.py", "localnet-tokens/01-froot.json").stdout
        assert out.startswith("Sold ") and "received" in out
    assert "No FROOT to sell" in world.run("sell-spl-tokens-simple.py", "localnet-tokens/01-froot.json").stdout
    fees = world.sync_fees("FROOT", before)
    assert 5_800_000 <= fees <= 6_100_000  # "~0.006 SOL fees per token"
    stats = {t["symbol"]: t for t in world.json("check-current-stats.py", "--network", "localnet")["tokens"]}
    assert stats["FROOT"]["pendingFees"] == fees


# ---------------------------------------------------------------- Insufficient fees


def test_insufficient_fees_then_follow_the_recommendation(world: World) -> None:
    """OPERATIONS.md "Error: Insufficient fees": the dry run says how much volume is missing;
    generating it makes the token eligible."""
    register_all(world)
    world.trade("DATS2", 2, "1.5")  # a secondary that runs, so the cycle itself is READY
    tok = world.tokens["FROOT"]
    before = world.vault_total(tok)
    world.run("generate-volume.py", "localnet-tokens/01-froot.json", "2", "0.5")
    world.run("sell-spl-tokens-simple.py", "localnet-tokens/01-froot.json")
    world.sync_fees("FROOT", before)
    report, _ = world.dry_run()
    froot = next(t for t in report["tokens"] if t["symbol"] == "FROOT")
    # the root: its pending + the 44.8 % DATS2 sends this cycle reach the minimum allocation
    assert froot["willProcess"] is True
    # now a secondary with too little: DATM (AMM)
    datm_before = world.vault_total(world.tokens["DATM"])
    world.run("generate-volume.py", "localnet-tokens/03-datm.json", "1", "2")
    world.run("sell-spl-tokens-simple.py", "localnet-tokens/03-datm.json")
    short_fees = world.sync_fees("DATM", datm_before)
    assert 0 < short_fees < 6_000_000
    report, _ = world.dry_run()
    datm = next(t for t in report["tokens"] if t["symbol"] == "DATM")
    assert datm["willProcess"] is False and "below minimum" in datm["deferReason"]
    assert any(w.startswith("DATM below minimum threshold") for w in report["warnings"])
    rec = next(r for r in report["recommendations"] if r.endswith("(needs " + r.split("(needs ")[1]) and "DATM" in r)
    volume = rec.split("Generate ")[1].split(" SOL")[0]
    # shortfall / PumpSwap's 0.05 % coin-creator fee (the seed's 0.003 is the curve's 0.3 %)
    assert int(round(float(volume) * 1e9)) == -(-(6_000_000 - short_fees) * 10_000 // 5)
    assert "at 0.05% creator fee" in rec
    # the daemon's job done: DATM's fees stay pending, untouched, when the cycle runs without it
    _cycle(world)
    assert world.stats("DATM").pending_fees == short_fees and world.stats("DATM").cycles == 0
    # follow the recommendation (buy + sell the volume), wait for the cooldown, retry
    world.ledger.advance_clock(60)
    datm_before = world.vault_total(world.tokens["DATM"])
    world.run("generate-volume.py", "localnet-tokens/03-datm.json", "1", volume)
    world.run("sell-spl-tokens-simple.py", "localnet-tokens/03-datm.json")
    world.sync_fees("DATM", datm_before)
    report, _ = world.dry_run()
    assert next(t for t in report["tokens"] if t["symbol"] == "DATM")["willProcess"] is True


# ---------------------------------------------------------------- Cycle too soon


def test_cycle_too_soon(world: World) -> None:
    """OPERATIONS.md "Error: Cycle too soon": a second cycle within 60 s is refused; after the
    wait it runs."""
    register_all(world)
    world.trade("DATS2", 2, "1.5")
    _cycle(world)
    world.trade("DATS2", 2, "1.5")
    report, _ = world.dry_run()
    assert report["status"] == "COOLDOWN_ACTIVE"
    assert any(r.startswith("Wait ") for r in report["recommendations"])
    out = _cycle(world, ok=False).stdout
    assert "Cycle too soon" in out and "CycleTooSoon" in out
    last = _line(_state_lines(world), "Last Cycle:")
    assert last.startswith("Last Cycle: 20") and "s ago" in last
    world.ledger.advance_clock(60)  # sleep 60
    report, _ = world.dry_run()
    assert report["status"] == "READY"
    _cycle(world)
    assert world.stats("DATS2").cycles == 2 and world.state().cycle_id == 2


# ---------------------------------------------------------------- Auto-Pause Triggered


def test_auto_pause_after_five_failures_then_resume(world: World) -> None:
    """OPERATIONS.md "Auto-Pause Triggered (5+ Failures)": each failed cycle is recorded
    on-chain (`record_failure`); the 5th pauses; after the fix, `resume` and the next cycle runs."""
    register_all(world)
    world.trade("DATS2", 2, "1.5")
    curve = world.tokens["DATS2"].pool
    good = world.ledger.get_account(curve)
    assert good is not None
    # root cause: the curve's pool became unusable (complete flag set: InvalidPool)
    data = bytearray(good.data)
    data[48] = 1
    world.ledger.svm.set_account(
        curve, Account(good.lamports, bytes(data), good.owner, good.executable, good.rent_epoch)
    )
    for attempt in range(1, 6):
        result = _cycle(world, "--json", ok=False)
        summary = json.loads(result.stdout)
        assert summary["success"] is False
        (tx,) = summary["transactions"]
        assert "InvalidPool" in tx["error"] and tx["failure_recorded"]
        record = world.ledger.transaction(Signature.from_string(tx["failure_recorded"]))
        assert record is not None and record.err is None
        (failed,) = events_of_type(decode_events(record.logs), CycleFailed)
        assert failed.error_code == tx["error_code"] == InvalidPool.code
        assert failed.consecutive_failures == attempt
        lines = _state_lines(world)
        assert _line(lines, "Consecutive Failures:") == f"Consecutive Failures: {attempt}"
    # 1. Check what failed
    lines = _state_lines(world)
    assert "Active: NO (paused)" in lines and "Failed Cycles: 5" in lines
    assert world.state().failed_cycles == 5 and not world.state().is_active
    # while paused nothing is sent, and the dry run says so
    out = _cycle(world, ok=False).stdout
    assert "DAT is paused" in out
    report, _ = world.dry_run()
    assert any("paused" in w for w in report["warnings"])
    assert world.state().failed_cycles == 5
    # 4. Fix root cause; 5. Resume system
    world.ledger.svm.set_account(curve, good)
    out = world.run("resume.py", "--network", "localnet").stdout
    assert "Consecutive Failures: 0" in out.splitlines()
    # 6. Monitor next few cycles
    _cycle(world)
    lines = _state_lines(world)
    assert "Active: yes" in lines and "Consecutive Failures: 0" in lines
    assert world.stats("DATS2").cycles == 1


def test_a_failure_is_reset_by_the_next_success(world: World) -> None:
    register_all(world)
    world.trade("DATS2", 2, "1.5")
    curve = world.tokens["DATS2"].pool
    good = world.ledger.get_account(curve)
    assert good is not None
    data = bytearray(good.data)
    data[48] = 1
    world.ledger.svm.set_account(
        curve, Account(good.lamports, bytes(data), good.owner, good.executable, good.rent_epoch)
    )
    _cycle(world, ok=False)
    assert world.state().consecutive_failures == 1
    world.ledger.svm.set_account(curve, good)
    _cycle(world)
    assert world.state().consecutive_failures == 0 and world.state().failed_cycles == 1


# ---------------------------------------------------------------- Adding New Token


def test_adding_new_token(world: World) -> None:
    """OPERATIONS.md "Adding New Token": config file, init-token-stats, volume; the next cycle
    includes it."""
    register_all(world)
    new = world.pump.create_token(authority_address())
    # 1. Create config file
    path = world.directory / "localnet-tokens" / "XX-newtoken.json"
    path.write_text(json.dumps({
        "mint": str(new.mint), "bondingCurve": str(new.bonding_curve), "creator": str(authority_address()),
        "name": "New Token", "symbol": "NEW", "isRoot": False, "poolType": "bonding_curve",
        "tokenProgram": "SPL", "network": "localnet",
    }, indent=2))
    report, _ = world.dry_run()
    new_entry = next(t for t in report["tokens"] if t["symbol"] == "NEW")
    assert new_entry["willProcess"] is False and "not registered" in new_entry["deferReason"]
    # 2. Initialize on-chain stats (idempotent)
    out = world.run("init-token-stats.py", "localnet-tokens/XX-newtoken.json", "--network", "localnet").stdout
    assert out.startswith("Initialized TokenStats for NEW")
    out = world.run("init-token-stats.py", "localnet-tokens/XX-newtoken.json", "--network", "localnet").stdout
    assert "already initialized" in out
    # 4. Generate initial volume
    world.tokens["NEW"] = Tok("NEW", new.mint, TOKEN_PROGRAM_ID, new.bonding_curve, False, path)
    before = world.vault_total(world.tokens["NEW"])
    world.run("generate-volume.py", "localnet-tokens/XX-newtoken.json", "2", "0.5")
    world.run("sell-spl-tokens-simple.py", "localnet-tokens/XX-newtoken.json")
    world.run("generate-volume.py", "localnet-tokens/XX-newtoken.json", "2", "0.5")
    world.run("sell-spl-tokens-simple.py", "localnet-tokens/XX-newtoken.json")
    world.sync_fees("NEW", before)
    report, _ = world.dry_run()
    assert report["ecosystem"]["tokensTotal"] == 4
    assert next(t for t in report["tokens"] if t["symbol"] == "NEW")["willProcess"] is True
    _cycle(world)
    assert world.stats("NEW").cycles == 1 and world.stats("NEW").total_tokens_burned > 0


# ---------------------------------------------------------------- every status, errors


def test_no_tokens_status_before_registration(world: World) -> None:
    report, _ = world.dry_run()
    assert report["status"] == "NO_TOKENS"
    assert any("init-token-stats" in r for r in report["recommendations"])


def test_malformed_config_is_a_clear_error(world: World) -> None:
    bad = world.directory / "localnet-tokens" / "04-bad.json"
    bad.write_text(json.dumps({"mint": "not-a-key", "network": "localnet"}))
    result = _cycle(world, "--dry-run", ok=False)
    assert "04-bad.json" in result.stderr and "'mint'" in result.stderr
    assert "Traceback" not in result.stderr


def test_set_root_token_moves_the_root(world: World) -> None:
    register_all(world)
    lines = world.run("set-root-token.py", "localnet-tokens/02-dats2.json", "--network", "localnet").stdout.splitlines()
    assert f"Previous Root Token: {world.tokens['FROOT'].mint}" in lines
    assert _line(_state_lines(world), "Root Token:") == f"Root Token: {world.tokens['DATS2'].mint} (DATS2)"


# ---------------------------------------------------------------- health check, lock


class _FakeDaemon:
    """`/health` and `/stats` of the fee daemon, as health-check.sh reads them."""

    def __init__(self, last_update: str) -> None:
        import http.server
        import threading

        body_stats = json.dumps({"lastUpdate": last_update}).encode()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                body = b'{"status":"ok"}' if self.path == "/health" else body_stats
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                return None

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.httpd.shutdown()


def _health(w: World, daemon_url: str) -> subprocess.CompletedProcess[str]:
    assert w.server is not None
    env = {k: v for k, v in os.environ.items() if k not in ("RPC_URL", "WALLET_PATH")}
    env.update({"RPC_URL": w.url, "DAEMON_URL": daemon_url, "NETWORK": "localnet", "PYTHON": sys.executable})
    return subprocess.run(["bash", str(SCRIPTS / "health-check.sh")], cwd=w.directory, env=env,
                          capture_output=True, text=True, timeout=120)


def test_health_check_script(world: World) -> None:
    from datetime import UTC, datetime

    register_all(world)
    daemon = _FakeDaemon(datetime.now(UTC).isoformat())
    try:
        result = _health(world, daemon.url)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "✅ Daemon: Healthy" in result.stdout
        assert "✅ Sync: Recent" in result.stdout
        assert "✅ Failures: 0" in result.stdout
        for _ in range(3):
            world.send([dix.record_failure(world.admin.pubkey(), 1)])
        result = _health(world, daemon.url)
        assert "⚠️ Failures: 3 (warning threshold)" in result.stdout
    finally:
        daemon.stop()
    down = _health(world, "http://127.0.0.1:9")
    assert down.returncode == 1 and "❌ Daemon: Down" in down.stdout


def test_cycle_lock_refuses_a_second_orchestrator(world: World) -> None:
    from asdf_dat.config.lock import DaemonLock

    register_all(world)
    world.trade("DATS2", 2, "1.5")
    with DaemonLock(world.directory / ".cycle-lock.json", operation="ecosystem-cycle"):
        result = _cycle(world, ok=False)
        assert "lock" in result.stderr.lower()
    assert world.stats("DATS2").cycles == 0
    _cycle(world)
    assert world.stats("DATS2").cycles == 1


def test_several_tokens_per_transaction_with_lookup_table(world: World) -> None:
    """Root + a Token-2022 curve token + a PumpSwap token: one v0 transaction once the
    operator's lookup table exists; the dry run then simulates that exact transaction."""
    register_all(world)
    world.trade("FROOT", 2, "1")
    world.trade("DATS2", 2, "1.5")
    world.trade("DATM", 2, "4")
    report, _ = world.dry_run()
    assert any("lookup table" in w for w in report["warnings"])  # none yet: legacy packing
    summary = world.json("execute-ecosystem-cycle.py", "localnet-tokens/01-froot.json", "--network", "localnet")
    assert summary["success"] is True
    (tx,) = summary["transactions"]
    assert tx["symbols"] == ["DATS2", "DATM", "FROOT"] and tx["ok"]
    assert 0 < tx["compute_units"] <= tx["unit_limit"] <= 1_400_000
    assert (world.directory / ".localnet-cycle-lookup-table.json").is_file()
    world.ledger.advance_clock(60)
    world.trade("FROOT", 2, "1")
    world.trade("DATS2", 2, "1.5")
    world.trade("DATM", 2, "4")
    report, _ = world.dry_run()
    assert report["status"] == "READY" and not any("transactions:" in w for w in report["warnings"])
    assert report["costs"]["totalEstimatedCost"] > 0
    summary = world.json("execute-ecosystem-cycle.py", "localnet-tokens/01-froot.json", "--network", "localnet")
    assert len(summary["transactions"]) == 1 and summary["success"]


# ---------------------------------------------------------------- with the real fee daemon


def test_running_a_cycle_with_the_fee_daemon(world: World) -> None:
    """"Starting the System" + "Generating Volume" + "Running a Cycle" with the real daemon
    (`monitor-ecosystem-fees.py`): trades -> daemon attribution -> the cycle's POST /flush ->
    on-chain pending -> cycle."""
    import socket
    import time

    import httpx

    register_all(world)
    assert world.server is not None
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    env = {**os.environ, "RPC_URL": world.url, "DAEMON_API_TOKEN": "orchestrator-test", "PYTHONUNBUFFERED": "1"}
    log = (world.directory / "daemon.log").open("w")
    daemon = subprocess.Popen(
        [sys.executable, str(SCRIPTS / "monitor-ecosystem-fees.py"), "--network", "localnet", "--workdir",
         str(world.directory), "--port", str(port), "--poll-interval", "0.5", "--flush-interval", "300"],
        cwd=world.directory, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(url + "/ready", timeout=1).status_code == 200:  # polled at least once
                    break
            except httpx.HTTPError:
                pass
            assert daemon.poll() is None and time.monotonic() < deadline, (world.directory / "daemon.log").read_text()
            time.sleep(0.2)
        before = world.vault_total(world.tokens["FROOT"])  # one creator vault for every curve token
        for symbol, sol in (("DATS2", "1.5"), ("FROOT", "1")):
            rel = str(world.tokens[symbol].file.relative_to(world.directory))
            for _ in (1, 2):
                world.run("generate-volume.py", rel, "1", sol)
                world.run("sell-spl-tokens-simple.py", rel)
        expected = world.vault_total(world.tokens["FROOT"]) - before
        # Wait for daemon sync (detected: unflushed in the daemon + already written on-chain)
        def attributed() -> int:
            return world.stats("DATS2").total_sol_attributed + world.stats("FROOT").total_sol_attributed

        deadline = time.monotonic() + 60
        while httpx.get(url + "/status", timeout=5).json().get("pendingFees", 0) + attributed() < expected:
            assert time.monotonic() < deadline, (expected, attributed(), httpx.get(url + "/status", timeout=5).text)
            time.sleep(0.3)
        env_run = {"DAEMON_URL": url, "DAEMON_API_TOKEN": "orchestrator-test"}
        proc = subprocess.run(
            [
                sys.executable,
                str(SCRIPTS / "execute-ecosystem-cycle.py"),
                "localnet-tokens/01-froot.json",
                "--network",
                "localnet",
            ],
            cwd=world.directory,
            env={**os.environ, "RPC_URL": world.url, "COLUMNS": "200", **env_run},
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "Daemon flush: HTTP 200" in proc.stdout and "Cycle succeeded" in proc.stdout
        assert attributed() == expected  # every trade's creator fee, exactly once
        assert world.stats("DATS2").cycles == 1 and world.stats("FROOT").cycles == 1
    finally:
        daemon.terminate()
        daemon.wait(timeout=30)
        log.close()


def test_a_cycle_that_lost_the_race_to_another_says_so(world: World) -> None:
    """Another operator's cycle (another working directory: the cycle lock does not see it) lands
    between this run's read of the chain and its send: the run says it lost the race, not
    "Insufficient fees ... generate volume" with its out-of-date plan."""
    import asyncio

    from rich.console import Console

    from asdf_dat.cli.cycle import _finish_live
    from asdf_dat.config.ecosystem import load_ecosystem
    from asdf_dat.network.config import Network, load_network_config
    from asdf_dat.network.rpc_transport import RpcTransport
    from asdf_dat.orchestrator.executor import execute

    register_all(world)
    world.trade("DATS2", 2, "1.5")
    world.trade("FROOT", 2, "1.5")
    ecosystem = load_ecosystem(world.tokens["FROOT"].file, Network.LOCALNET)
    assert world.server is not None

    class RacedTransport(RpcTransport):
        """The other cycle runs right after this run planned (first priority-fee read)."""

        raced = False

        async def get_priority_fee(self, addresses: Any = ()) -> int:
            if not self.raced:
                self.raced = True
                _cycle(world)  # the other operator's cycle, to completion
            return await super().get_priority_fee(addresses)

    async def main() -> Any:
        transport = RacedTransport([world.url])
        try:
            return await execute(transport, world.admin, ecosystem, record_failures=False)
        finally:
            await transport.close()

    run = asyncio.run(main())
    assert run.lost_race is not None and "another cycle ran meanwhile" in run.lost_race
    console = Console(record=True, width=200)
    _finish_live(run, load_network_config(Network.LOCALNET), console, as_json=False)
    text = console.export_text()
    assert "Lost the race to another cycle" in text
    assert "Insufficient fees" not in text and "generate volume" not in text
