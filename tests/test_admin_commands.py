"""The operator's admin commands through the CLI (`asdf-dat <command>` as a subprocess) against the
localnet endpoint: each one's success path, and a bad input (wrong signer, out-of-bound value,
nothing to change, missing file) giving a clear error with no transaction sent."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from solders.account import Account
from solders.keypair import Keypair
from solders.pubkey import Pubkey

from asdf_dat.dat.pdas import token_stats_address
from asdf_dat.localnet.rpc_server import start_localnet_in_thread
from asdf_dat.network.wallet import write_keypair
from asdf_dat.pump import addresses as paddr
from asdf_dat.pump.addresses import TOKEN_2022_PROGRAM_ID
from asdf_dat.sandbox import TokenSpec, build_sandbox
from test_orchestrator_runbooks import SOL, World, make_world, register_all

pytestmark = pytest.mark.sbf

ASDF_DAT = Path(sys.executable).parent / "asdf-dat"


def cli(
    w: World, *args: str, ok: bool = True, wallet: Path | None = None, sends: bool = False
) -> subprocess.CompletedProcess[str]:
    """`asdf-dat <args>` in the world's directory; asserts the exit status and, on failure, that
    no transaction reached the ledger (unless `sends`: a failed cycle records its failure)."""
    env = {k: v for k, v in os.environ.items() if k not in ("RPC_URL", "WALLET_PATH", "HELIUS_API_KEY")}
    assert w.server is not None
    env.update(RPC_URL=w.server.url, DAEMON_URL="http://127.0.0.1:9", COLUMNS="200")
    if wallet is not None:
        env["WALLET_PATH"] = str(wallet)
    before = w.ledger.transaction_count()
    proc = subprocess.run([str(ASDF_DAT), *args], cwd=w.directory, env=env, capture_output=True, text=True, timeout=180)
    if ok:
        assert proc.returncode == 0, f"{args} failed:\n{proc.stdout}\n{proc.stderr}"
    else:
        assert proc.returncode != 0, f"{args} unexpectedly succeeded:\n{proc.stdout}"
        assert sends or w.ledger.transaction_count() == before, f"{args} sent a transaction"
    return proc


def cli_json(w: World, *args: str, wallet: Path | None = None) -> Any:
    return json.loads(cli(w, *args, "--json", wallet=wallet).stdout)


def stranger(w: World, name: str = "stranger") -> tuple[Keypair, Path]:
    keypair = Keypair()
    w.ledger.svm.airdrop(keypair.pubkey(), 10 * SOL)
    return keypair, write_keypair(w.directory / f"{name}-wallet.json", keypair)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    w = make_world(tmp_path)
    try:
        register_all(w)
        yield w
    finally:
        if w.server is not None:
            w.server.stop()


def test_set_keeper(world: World) -> None:
    keeper = Keypair().pubkey()
    out = cli(world, "set-keeper", str(keeper), "--network", "localnet").stdout
    assert f"-> {keeper}" in out and world.state().keeper == keeper
    err = cli(world, "set-keeper", str(keeper), "--network", "localnet", ok=False).stderr
    assert "already" in err and "nothing sent" in err
    _, other = stranger(world)
    err = cli(world, "set-keeper", str(Keypair().pubkey()), "--network", "localnet", ok=False, wallet=other).stderr
    assert "is not the DAT's admin" in err
    err = cli(world, "set-keeper", "not-a-key", "--network", "localnet", ok=False).stderr
    assert "not a base58 public key" in err


def test_pause_then_resume(world: World) -> None:
    _, other = stranger(world)
    assert "is not the DAT's admin" in cli(world, "pause", "--network", "localnet", ok=False, wallet=other).stderr
    data = cli_json(world, "pause", "--network", "localnet")
    assert data["changes"] == {"isActive": [True, False]} and not world.state().is_active
    assert "already paused" in cli(world, "pause", "--network", "localnet", ok=False).stderr
    cli(world, "resume", "--network", "localnet")
    assert world.state().is_active


def test_update_parameters(world: World) -> None:
    before = world.state()
    out = cli(world, "update-parameters", "--slippage-bps", "300", "--cooldown-seconds", "120",
              "--min-fees-per-token-sol", "0.01", "--network", "localnet").stdout
    row = next(line for line in out.splitlines() if "slippage_bps" in line)
    assert "--slippage-bps" in row and "500" in row and "300" in row
    after = world.state()
    assert (after.slippage_bps, after.min_cycle_interval_secs, after.min_fees_per_token) == (300, 120, 10_000_000)
    assert after.max_fees_per_cycle == before.max_fees_per_cycle  # untouched
    err = cli(world, "update-parameters", "--slippage-bps", "5000", "--network", "localnet", ok=False).stderr
    assert "slippage_bps = 5,000 is outside [10, 1,000]" in err and "nothing sent" in err
    err = cli(world, "update-parameters", "--cooldown-seconds", "10", "--network", "localnet", ok=False).stderr
    assert "min_cycle_interval_secs = 10 is outside [60, 86,400]" in err
    assert (
        "equals the current"
        in cli(world, "update-parameters", "--slippage-bps", "300", "--network", "localnet", ok=False).stderr
    )
    assert "no parameter given" in cli(world, "update-parameters", "--network", "localnet", ok=False).stderr
    _, other = stranger(world)
    assert "is not the DAT's admin" in cli(
        world, "update-parameters", "--slippage-bps", "400", "--network", "localnet", ok=False, wallet=other
    ).stderr
    data = cli_json(world, "update-parameters", "--max-fees-per-cycle-sol", "2", "--network", "localnet")
    assert data["changes"] == {"max_fees_per_cycle": [before.max_fees_per_cycle, 2_000_000_000]}


def test_admin_transfer(world: World) -> None:
    new_admin, new_wallet = stranger(world, "new-admin")
    assert (
        "no admin transfer is pending" in cli(world, "cancel-admin-transfer", "--network", "localnet", ok=False).stderr
    )
    assert (
        "no admin transfer is pending"
        in cli(world, "accept-admin", "--network", "localnet", ok=False, wallet=new_wallet).stderr
    )
    cli(world, "propose-admin", str(new_admin.pubkey()), "--network", "localnet")
    assert world.state().pending_admin == new_admin.pubkey()
    assert (
        "already the pending admin"
        in cli(world, "propose-admin", str(new_admin.pubkey()), "--network", "localnet", ok=False).stderr
    )
    cli(world, "cancel-admin-transfer", "--network", "localnet")
    assert world.state().pending_admin == Pubkey.default()
    cli(world, "propose-admin", str(new_admin.pubkey()), "--network", "localnet")
    # the old admin cannot accept for the new one
    err = cli(world, "accept-admin", "--network", "localnet", ok=False).stderr
    assert "is not the pending admin" in err
    out = cli(world, "accept-admin", "--network", "localnet", wallet=new_wallet).stdout
    assert f"-> {new_admin.pubkey()}" in out and world.state().admin == new_admin.pubkey()
    assert "is not the DAT's admin" in cli(world, "pause", "--network", "localnet", ok=False).stderr


def test_fee_split_change_with_timelock(world: World) -> None:
    err = cli(world, "propose-fee-split", "9500", "--network", "localnet", ok=False).stderr
    assert "outside [1000, 9000]" in err
    assert "at most 500 bps" in cli(world, "propose-fee-split", "4000", "--network", "localnet", ok=False).stderr
    assert "no fee split is proposed" in cli(world, "execute-fee-split", "--network", "localnet", ok=False).stderr
    data = cli_json(world, "propose-fee-split", "5300", "--network", "localnet")
    state = world.state()
    assert data["proposedBps"] == 5300 and data["executableAt"] == state.pending_fee_split_at + 3600
    assert abs(state.pending_fee_split_at - world.ledger.unix_timestamp) < 120
    err = cli(world, "execute-fee-split", "--network", "localnet", ok=False).stderr
    assert "the timelock ends at" in err and "nothing sent" in err
    assert world.state().fee_split_bps == 5520
    world.ledger.advance_clock(3600)
    cli(world, "execute-fee-split", "--network", "localnet")
    assert world.state().fee_split_bps == 5300 and world.state().pending_fee_split_bps == 0
    cli(world, "propose-fee-split", "5400", "--network", "localnet")
    out = cli(world, "cancel-fee-split", "--network", "localnet").stdout
    assert "5400 bps withdrawn" in out and world.state().pending_fee_split_bps == 0
    assert "no fee split is proposed" in cli(world, "cancel-fee-split", "--network", "localnet", ok=False).stderr


def test_set_token_pool_after_migration(world: World) -> None:
    # DATM registered on its (completed) bonding curve, as before its migration
    datm = world.tokens["DATM"]
    config = json.loads(datm.file.read_text())
    curve_file = world.directory / "datm-on-curve.json"
    curve_file.write_text(
        json.dumps(config | {"poolType": "bonding_curve", "bondingCurve": str(paddr.bonding_curve(datm.mint))})
    )
    from asdf_dat.dat import instructions as dix

    world.send([dix.set_token_pool(world.admin.pubkey(), datm.mint, pool=paddr.bonding_curve(datm.mint),
                                   pool_type=dix.POOL_BONDING_CURVE)])
    assert world.stats("DATM").pool_type == dix.POOL_BONDING_CURVE
    data = cli_json(world, "set-token-pool", str(datm.file.relative_to(world.directory)), "--network", "localnet")
    assert data["changes"]["poolType"] == ["bonding_curve", "pumpswap_amm"]
    assert world.stats("DATM").pool == datm.pool and world.stats("DATM").pool_type == dix.POOL_AMM
    err = cli(
        world, "set-token-pool", str(datm.file.relative_to(world.directory)), "--network", "localnet", ok=False
    ).stderr
    assert "already uses pool" in err
    assert "not found" in cli(world, "set-token-pool", "missing.json", "--network", "localnet", ok=False).stderr


def test_wallet_and_airdrop(world: World) -> None:
    data = cli_json(world, "wallet", "--network", "localnet")
    assert data["address"] == str(world.admin.pubkey())
    assert data["balanceLamports"] == world.ledger.get_balance(world.admin.pubkey())
    assert data["tokens"] == 3 and data["perCycleLamports"] >= 3 * 5000 and data["perDayAttributionLamports"] > 0
    funded = cli_json(world, "wallet", "--network", "localnet", "--airdrop", "2.5")
    assert funded["balanceLamports"] == data["balanceLamports"] + 2_500_000_000 and funded["airdropSignature"]
    text = cli(world, "wallet", "--network", "localnet").stdout
    assert "A cycle needs up to" in text and "A day of attribution needs up to" in text
    assert "not a number of SOL" in cli(world, "wallet", "--network", "localnet", "--airdrop", "lots", ok=False).stderr
    err = cli(world, "wallet", "--network", "localnet", ok=False, wallet=world.directory / "nope.json").stderr
    assert "wallet file" in err and "not found" in err


def test_generate_volume_until_ready(world: World) -> None:
    """The guide's 2 rounds of 0.5 SOL fall just short of 0.006 SOL; --until-ready trades on."""
    tok = world.tokens["DATS2"]
    before = world.vault_total(tok)
    data = cli_json(world, "generate-volume", str(tok.file.relative_to(world.directory)), "10", "0.5",
                    "--network", "localnet", "--until-ready")
    (entry,) = data["tokens"]
    assert entry["ready"] and entry["feesPaidByTrades"] >= entry["threshold"] == world.state().min_fees_per_token
    assert world.vault_total(tok) - before == entry["feesPaidByTrades"]  # counted from the vault's real balance
    world.sync_fees("DATS2", before)
    report, _ = world.dry_run()
    assert report["status"] == "READY"
    assert next(t for t in report["tokens"] if t["symbol"] == "DATS2")["willProcess"] is True
    # ready already: nothing is traded
    again = cli_json(world, "generate-volume", str(tok.file.relative_to(world.directory)), "--network", "localnet",
                     "--until-ready")
    assert again["tokens"][0]["roundTrips"] == 0
    err = cli(
        world, "generate-volume", "localnet-tokens/missing.json", "--network", "localnet", "--until-ready", ok=False
    )
    assert "missing.json" in err.stderr


# ---------------------------------------------------------------- setup, from an empty DAT


@pytest.fixture
def bare_world(tmp_path: Path) -> Iterator[World]:
    """The program deployed (upgrade authority = the wallet), the tokens launched and their config
    files written; nothing of the DAT initialized."""
    specs = (
        TokenSpec("ROOT", "Root", is_root=True),
        TokenSpec("SEC", "Sec", token_program=TOKEN_2022_PROGRAM_ID),
        TokenSpec("MIG", "Mig", amm=True),
    )
    box = asyncio.run(build_sandbox(specs, initialize=False, workdir=tmp_path, write_files=True))
    admin, ledger, pump = box.admin, box.ledger, box.pump
    w = World(tmp_path, ledger, start_localnet_in_thread(ledger), admin, {}, pump)
    try:
        yield w
    finally:
        assert w.server is not None
        w.server.stop()


def test_setup_from_an_empty_dat_is_idempotent(bare_world: World) -> None:
    w = bare_world
    _, other = stranger(w)
    err = cli(w, "setup", "localnet-tokens", "--network", "localnet", ok=False, wallet=other).stderr
    assert "upgrade authority" in err and str(w.admin.pubkey()) in err and "nothing sent" in err
    assert "not a directory" in cli(w, "setup", "no-such-dir", "--network", "localnet", ok=False).stderr
    out = cli(w, "setup", "localnet-tokens", "--network", "localnet").stdout
    lines = out.splitlines()
    for step in ("initialize", "init-wsol-accounts", "register ROOT", "register SEC", "register MIG", "set-root-token"):
        assert any(line.startswith(f"[done] {step}:") for line in lines), out
    state = w.state()
    assert state.admin == w.admin.pubkey() and state.keeper == w.admin.pubkey()
    root_mint = Pubkey.from_string(json.loads((w.directory / "localnet-tokens" / "01-root.json").read_text())["mint"])
    assert state.root_mint == root_mint
    for path in sorted((w.directory / "localnet-tokens").glob("*.json")):
        mint = Pubkey.from_string(json.loads(path.read_text())["mint"])
        assert w.ledger.get_account(token_stats_address(mint)) is not None
    before = w.ledger.transaction_count()
    again = cli_json(w, "setup", "localnet-tokens", "--network", "localnet")
    assert [s["done"] for s in again["steps"]] == [False] * 6
    assert w.ledger.transaction_count() == before
    # the DAT is ready for a cycle: dry run plans every token (no fees yet)
    report = json.loads(cli(w, "execute-ecosystem-cycle", "localnet-tokens/01-root.json", "--network", "localnet",
                            "--dry-run", "--json").stdout)
    assert report["status"] == "INSUFFICIENT_FEES" and report["ecosystem"]["tokensTotal"] == 3


# ---------------------------------------------------------------- failures, from the chain


def test_failures_lists_the_recorded_failures_from_the_chain(world: World) -> None:
    from solders.signature import Signature

    from asdf_dat.dat.errors import InvalidPool

    assert "No recorded failures" in cli(world, "failures", "--network", "localnet").stdout
    world.trade("DATS2", 2, "1.5")
    curve = world.tokens["DATS2"].pool
    good = world.ledger.get_account(curve)
    assert good is not None
    broken = bytearray(good.data)
    broken[48] = 1  # complete: the cycle fails with InvalidPool
    world.ledger.svm.set_account(
        curve, Account(good.lamports, bytes(broken), good.owner, good.executable, good.rent_epoch)
    )
    recorded = []
    for _ in range(5):
        summary = json.loads(
            cli(
                world,
                "execute-ecosystem-cycle",
                "localnet-tokens/01-froot.json",
                "--network",
                "localnet",
                "--json",
                ok=False,
                sends=True,
            ).stdout
        )
        recorded.append(summary["transactions"][0]["failure_recorded"])
    data = cli_json(world, "failures", "--network", "localnet")
    failures = data["failures"]
    assert [f["record_signature"] for f in failures] == recorded[::-1]  # newest first
    assert [f["consecutive_failures"] for f in failures] == [5, 4, 3, 2, 1]
    assert {(f["error_code"], f["error_name"]) for f in failures} == {(InvalidPool.code, "InvalidPool")}
    for f in failures:
        record = world.ledger.transaction(Signature.from_string(f["record_signature"]))
        assert record is not None and record.block_time == f["timestamp"]
        # caught in simulation: no failed signature, said so, with the simulated transaction's details
        assert f["failed_in"] == "simulation" and f["failed_signature"] is None
        assert f["tokens"] == ["DATS2"] and f["error"] == f"InvalidPool ({InvalidPool.code})"
    assert len(cli_json(world, "failures", "--network", "localnet", "--limit", "2")["failures"]) == 2
    text = cli(world, "failures", "--network", "localnet").stdout
    assert "InvalidPool" in text and recorded[-1] in text
    assert text.count("simulation only, no signature") == 5 and "DATS2" in text
    assert "--limit" in cli(world, "failures", "--network", "localnet", "--limit", "0", ok=False).stderr


def test_selling_a_pumpswap_token_unwraps_and_reports_what_was_received(world: World) -> None:
    datm = str(world.tokens["DATM"].file.relative_to(world.directory))
    cli(world, "generate-volume", datm, "1", "0.5", "--network", "localnet")
    owner = world.admin.pubkey()
    wsol = paddr.associated_token_address(owner, paddr.WSOL_MINT)
    before = world.ledger.get_balance(owner)
    held = world.ledger.get_account(wsol)
    sold = cli_json(world, "sell-spl-tokens-simple", datm, "--network", "localnet")
    closed = world.ledger.get_account(wsol)
    assert closed is None or closed.lamports == 0  # closed: the proceeds are SOL, not WSOL
    after = world.ledger.get_balance(owner)
    received = sold["sol_out"]
    assert 0.4e9 < received < 0.5e9  # about what was paid, less fees and price impact
    assert after - before == received - 5_000 + (held.lamports if held is not None else 0)
    text = cli(world, "generate-volume", datm, "1", "0.2", "--network", "localnet").stdout
    assert "Buy 1/1" in text
    out = cli(world, "sell-spl-tokens-simple", datm, "--network", "localnet").stdout
    assert "received 0.1" in out and "received 0 SOL" not in out
