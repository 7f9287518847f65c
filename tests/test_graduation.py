"""Graduation without the operator (issue 15), against the localnet JSON-RPC endpoint: a token
whose curve is bought out and whose coin migrates to PumpSwap is noticed by the orchestrator
(before it plans a cycle) or by the fee daemon (in its poll), moved on-chain with
`set_token_pool` and in its config file (atomically), then cycled on PumpSwap with no manual
step. Plus the atomic writer under a crash, and `set-permissionless-cycles`."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from solders.keypair import Keypair
from solders.pubkey import Pubkey

from asdf_dat.config.tokens import TokenConfigError, load_token_file, rewrite_token_file
from asdf_dat.daemon.alerts import Alerter
from asdf_dat.daemon.config import DaemonConfig
from asdf_dat.daemon.service import FeeDaemon
from asdf_dat.dat import instructions as dix
from asdf_dat.dat.accounts import decode_dat_state
from asdf_dat.dat.pdas import authority_address, fee_vault_address, state_address
from asdf_dat.network.config import Network
from asdf_dat.network.rpc_transport import RpcTransport
from asdf_dat.network.wallet import load_keypair, write_keypair
from asdf_dat.pump import addresses as paddr
from asdf_dat.pump import instructions as pix
from asdf_dat.pump.layouts import BondingCurve
from asdf_dat.pump.tokens import create_ata_idempotent
from test_fee_sharing_e2e import CLI, RENT_EXEMPT_ZERO, SOL, Net, net_fixture  # noqa: F401 - the localnet fixture

pytestmark = pytest.mark.sbf


def _cli_any(net: Net, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("RPC_URL", "WALLET_PATH", "HELIUS_API_KEY")}
    env["RPC_URL"] = net.server.url
    env["DAEMON_URL"] = "http://127.0.0.1:9"  # no daemon
    env["COLUMNS"] = "200"
    return subprocess.run([str(CLI), *args], cwd=net.directory, env=env, capture_output=True, text=True, timeout=180)


def _cli_fails(net: Net, *args: str) -> subprocess.CompletedProcess[str]:
    proc = _cli_any(net, *args)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    return proc


def _ecosystem(net: Net) -> tuple[Pubkey, Path]:
    """A fee-sharing root (create-token --root) and two legacy shared-vault tokens (keeper mode):
    LEG stays on its curve (first in file order), GRAD is the one that graduates.

    Why LEG: a keeper token's curve-era fees wait in the shared curve vault, which only a curve
    cycle collects (the PumpSwap cycle collects the PumpSwap vault); LEG's cycle, before GRAD's
    in the same transaction, makes them spendable. (Without any keeper curve token they stay in
    that vault: see the report of issue 15.)"""
    net.cli("create-token", "--name", "Root", "--symbol", "FROOT", "--uri", "https://x.invalid/r.json",
            "--root", "--network", "localnet")
    net.cli("create-token", "--name", "Legacy", "--symbol", "LEG", "--uri", "https://x.invalid/l.json",
            "--no-fee-sharing", "--network", "localnet", "--out", "localnet-tokens/01-leg.json")
    net.cli("create-token", "--name", "Graduate", "--symbol", "GRAD", "--uri", "https://x.invalid/g.json",
            "--no-fee-sharing", "--network", "localnet")
    grad = net.token("GRAD")
    assert grad["attribution"] == "keeper" and grad["poolType"] == "bonding_curve"
    return Pubkey.from_string(grad["mint"]), net.directory / "localnet-tokens" / "grad.json"


def _curve(net: Net, mint: Pubkey) -> BondingCurve:
    account = net.ledger.get_account(paddr.bonding_curve(mint))
    assert account is not None
    return BondingCurve.decode(bytes(account.data))


def _buy_out_and_migrate(net: Net, mint: Pubkey) -> Keypair:
    """Another wallet buys every token left on the curve (it completes), then migrates it."""
    trader = Keypair()
    net.ledger.airdrop(trader.pubkey(), 300 * SOL)
    user = trader.pubkey()
    net.send([
        create_ata_idempotent(user, user, mint, paddr.TOKEN_PROGRAM_ID),
        pix.buy(user=user, mint=mint, creator=authority_address(), fee_recipient=net.pump.global_state.fee_recipient,
                amount=_curve(net, mint).real_token_reserves, max_sol_cost=200 * SOL),
    ], trader)
    assert _curve(net, mint).complete
    net.send(
        [
            *dix.compute_budget(400_000),
            pix.migrate(user=user, mint=mint, withdraw_authority=net.pump.global_state.withdraw_authority),
        ],
        trader,
    )
    assert net.ledger.get_account(paddr.canonical_pool(mint)) is not None
    return trader


def _daemon(net: Net, alerter: Alerter | None = None) -> tuple[FeeDaemon, RpcTransport]:
    config = DaemonConfig.from_env("localnet", workdir=net.directory, env={}, api_enabled=False,
                                   flush_interval_seconds=0.001, token_rescan_seconds=10_000)
    transport = RpcTransport([net.server.url])
    keeper = load_keypair(net.directory / "localnet-wallet.json", network=Network.LOCALNET)
    daemon = FeeDaemon(config, transport, keeper, alerter=alerter)
    daemon.open()
    return daemon, transport


async def _attribute(net: Net) -> None:
    """The fee daemon's part in keeper mode: attribute the shared vaults' fees (a poll + flush)."""
    daemon, transport = _daemon(net)
    try:
        await daemon.prepare()
        await daemon.tick()
        await daemon.tick()
    finally:
        await daemon.shutdown()
        await transport.close()


def test_orchestrator_moves_a_graduated_keeper_token_then_cycles_it_on_pumpswap(net: Net) -> None:
    mint, path = _ecosystem(net)
    _buy_out_and_migrate(net, mint)
    before = path.read_bytes()

    # A dry run sends nothing: it names the graduation and leaves the token out of the plan.
    report = json.loads(net.cli("execute-ecosystem-cycle", "localnet-tokens/froot.json", "--network", "localnet",
                                "--dry-run", "--json"))
    assert any("GRAD" in w and "graduated to PumpSwap" in w for w in report["warnings"]), report["warnings"]
    assert "GRAD" not in {t["symbol"] for t in report["tokens"]}
    assert path.read_bytes() == before
    assert net.stats(mint).pool_type == dix.POOL_BONDING_CURVE

    # The live run moves it first (on-chain, then the file), then plans with it (no fees yet:
    # nothing to cycle, exit code 1).
    proc = _cli_any(net, "execute-ecosystem-cycle", "localnet-tokens/froot.json", "--network", "localnet")
    out = proc.stdout
    assert "GRAD" in out and "set_token_pool landed" in out and "Insufficient fees" in out, out + proc.stderr
    pool = paddr.canonical_pool(mint)
    stats = net.stats(mint)
    assert (stats.pool, stats.pool_type) == (pool, dix.POOL_AMM)
    rewritten = json.loads(path.read_text())
    assert rewritten["poolType"] == "pumpswap_amm" and rewritten["pool"] == str(pool)
    assert {k: v for k, v in rewritten.items() if k not in ("poolType", "pool")} == {
        k: v for k, v in json.loads(before).items() if k not in ("poolType", "pool")}
    config = load_token_file(path, Network.LOCALNET)
    assert config.pool_address == pool and config.pool_type == "pumpswap_amm"

    # Volume on the pool (generate-volume reads the rewritten config), the keeper attributes,
    # and the next cycle buys GRAD back on PumpSwap and burns it: no manual step.
    net.cli("generate-volume", "localnet-tokens/grad.json", "3", "5", "--network", "localnet")
    net.cli("generate-volume", "localnet-tokens/01-leg.json", "2", "2", "--network", "localnet")
    asyncio.run(_attribute(net))
    assert net.stats(mint).pending_fees > 0
    net.ledger.advance_clock(61)
    # The fee-sharing root was never traded: its config vault is funded by the executor first
    # (else pump's top-up would come out of the root's own buy: BudgetExceeded).
    proc = _cli_any(net, "execute-ecosystem-cycle", "localnet-tokens/froot.json", "--network", "localnet", "--json")
    result = json.loads(proc.stdout)
    assert proc.returncode == 0 and all(t["ok"] for t in result["tokens"]), result
    grad = next(t for t in result["tokens"] if t["symbol"] == "GRAD")
    assert next(t for t in result["tokens"] if t["symbol"] == "LEG")["ok"], result
    assert grad["ok"] and grad["tokens_burned"] > 0 and grad["sol_spent"] > 0, result
    after = net.stats(mint)
    assert after.cycles == 1 and after.total_tokens_burned == grad["tokens_burned"]
    # Money: what the keeper attributed is spent, sent to the root or still pending.
    assert after.total_sol_attributed == after.total_sol_spent + after.total_sent_to_root + after.pending_fees

    # Nothing left to graduate: the next run says nothing about it.
    net.ledger.advance_clock(61)
    assert "graduat" not in net.cli("execute-ecosystem-cycle", "localnet-tokens/froot.json", "--network", "localnet",
                                    "--dry-run")


def test_a_graduated_keeper_token_cycles_alone_with_its_curve_era_fees(net: Net) -> None:
    """No keeper curve token in the plan: GRAD's curve-era fees (the buy-out's creator fee) sit
    in the DAT's shared curve vault, which no PumpSwap cycle collects. The executor sends pump's
    permissionless `collect_creator_fee` for the DAT authority first, so GRAD's PumpSwap cycle
    is funded (before: InsufficientFees, counted toward auto-pause)."""
    mint, _ = _ecosystem(net)
    _buy_out_and_migrate(net, mint)
    _cli_any(net, "execute-ecosystem-cycle", "localnet-tokens/froot.json", "--network", "localnet")  # moves GRAD
    assert net.stats(mint).pool_type == dix.POOL_AMM
    net.cli("generate-volume", "localnet-tokens/grad.json", "2", "2", "--network", "localnet")
    asyncio.run(_attribute(net))
    curve_vault = paddr.creator_vault(authority_address())
    waiting = net.ledger.get_balance(curve_vault) - RENT_EXEMPT_ZERO
    pending = net.stats(mint).pending_fees
    assert waiting > 0 and pending > waiting  # curve-era fees attributed to GRAD, still in the curve vault
    failures_before = decode_dat_state(bytes(net.ledger.get_account(state_address()).data)).failed_cycles  # type: ignore[union-attr]
    net.ledger.advance_clock(61)
    proc = _cli_any(net, "execute-ecosystem-cycle", "localnet-tokens/froot.json", "--network", "localnet", "--json")
    result = json.loads(proc.stdout)
    executed = {t["symbol"]: t for t in result["tokens"] if t.get("ok") or t.get("error")}
    assert "LEG" not in executed, result  # no curve cycle collected the vault
    grad = next(t for t in result["tokens"] if t["symbol"] == "GRAD")
    assert grad["ok"] and grad["tokens_burned"] > 0, result
    assert net.ledger.get_balance(curve_vault) == RENT_EXEMPT_ZERO
    after = net.stats(mint)
    assert after.cycles == 1
    assert after.total_sol_attributed == after.total_sol_spent + after.total_sent_to_root + after.pending_fees
    state = decode_dat_state(bytes(net.ledger.get_account(state_address()).data))  # type: ignore[union-attr]
    assert "InsufficientFees" not in proc.stdout, result
    assert state.failed_cycles == failures_before


def test_daemon_moves_a_graduated_token_and_alerts_once(net: Net, caplog: pytest.LogCaptureFixture) -> None:
    mint, path = _ecosystem(net)
    _buy_out_and_migrate(net, mint)

    async def run() -> None:
        daemon, transport = _daemon(net)
        try:
            await daemon.prepare()
            with caplog.at_level(logging.INFO, logger="asdf_dat.daemon.alerts"):
                await daemon.tick()  # the first poll checks for graduations
                token = daemon.registry.get(mint)
                assert token is not None and token.pool_type == "pumpswap_amm"
                assert token.pool_address == paddr.canonical_pool(mint)
                await daemon.check_graduations()  # nothing more to do: no second alert
            alerts = [r for r in caplog.records if "token_graduated" in r.getMessage()]
            assert len(alerts) == 1 and "set_token_pool landed" in alerts[0].getMessage()
            status = daemon.status()
            modes = {t["symbol"]: (t["attribution"], t["poolType"]) for t in status["tokens"]}
            assert modes == {"FROOT": ("fee-sharing", "bonding_curve"), "LEG": ("keeper", "bonding_curve"),
                             "GRAD": ("keeper", "pumpswap_amm")}
            assert (status["feeSharingTokens"], status["keeperTokens"]) == (1, 2)
            metrics = daemon.metrics_text().decode()
            assert 'dat_pending_fees_total{attribution="keeper",token="GRAD"}' in metrics
            assert 'dat_pending_fees_total{attribution="fee-sharing",token="FROOT"}' in metrics
        finally:
            await daemon.shutdown()
            await transport.close()

    asyncio.run(run())
    assert json.loads(path.read_text())["poolType"] == "pumpswap_amm"
    stats = net.stats(mint)
    assert (stats.pool, stats.pool_type) == (paddr.canonical_pool(mint), dix.POOL_AMM)
    # The orchestrator finds nothing left to do and cycles GRAD on PumpSwap.
    net.cli("generate-volume", "localnet-tokens/grad.json", "3", "5", "--network", "localnet")
    net.cli("generate-volume", "localnet-tokens/01-leg.json", "2", "2", "--network", "localnet")
    asyncio.run(_attribute(net))
    out = _cli_any(net, "execute-ecosystem-cycle", "localnet-tokens/froot.json", "--network", "localnet").stdout
    assert "graduat" not in out and "GRAD" in out, out
    after = net.stats(mint)
    assert after.cycles == 1 and after.total_tokens_burned > 0 and after.pool_type == dix.POOL_AMM


def test_daemon_without_the_admin_key_alerts_and_keeps_the_file(net: Net, caplog: pytest.LogCaptureFixture) -> None:
    """set_token_pool is admin-only: a keeper-only daemon sends nothing, alerts once, keeps the file."""
    mint, path = _ecosystem(net)
    admin = load_keypair(net.directory / "localnet-wallet.json", network=Network.LOCALNET)
    keeper = Keypair()
    net.ledger.airdrop(keeper.pubkey(), 10 * SOL)
    net.send([dix.set_keeper(admin.pubkey(), keeper.pubkey())], admin)
    _buy_out_and_migrate(net, mint)
    before = path.read_bytes()

    async def run() -> None:
        config = DaemonConfig.from_env("localnet", workdir=net.directory, env={}, api_enabled=False)
        transport = RpcTransport([net.server.url])
        daemon = FeeDaemon(config, transport, keeper)
        daemon.open()
        try:
            await daemon.prepare()
            with caplog.at_level(logging.INFO, logger="asdf_dat.daemon.alerts"):
                await daemon.tick()
                outcomes = await daemon.check_graduations()
            assert [o.status for o in outcomes] == ["needs-admin"]
            alerts = [r for r in caplog.records if "token_graduated" in r.getMessage()]
            assert len(alerts) == 1 and "admin" in alerts[0].getMessage()
        finally:
            await daemon.shutdown()
            await transport.close()

    asyncio.run(run())
    assert path.read_bytes() == before
    assert net.stats(mint).pool_type == dix.POOL_BONDING_CURVE


# ---------------------------------------------------------------- the atomic writer

_CRASH = """
import os, sys
from pathlib import Path
from asdf_dat.config.tokens import rewrite_token_file
from asdf_dat.network.config import Network
os.replace = lambda *a, **k: os._exit(9)  # the process dies between the write and the rename
rewrite_token_file(Path(sys.argv[1]), Network.LOCALNET, {"poolType": "pumpswap_amm", "pool": sys.argv[2]})
"""


def _token_file(tmp_path: Path) -> Path:
    path = tmp_path / "grad.json"
    path.write_text(json.dumps({
        "mint": str(Keypair().pubkey()), "bondingCurve": str(Keypair().pubkey()), "creator": str(Keypair().pubkey()),
        "name": "Graduate", "symbol": "GRAD", "isRoot": False, "poolType": "bonding_curve", "network": "localnet",
    }, indent=2))
    return path


def test_a_crash_mid_write_leaves_the_old_file(tmp_path: Path) -> None:
    path = _token_file(tmp_path)
    before = path.read_bytes()
    proc = subprocess.run(
        [sys.executable, "-c", _CRASH, str(path), str(Keypair().pubkey())], capture_output=True, timeout=60
    )
    assert proc.returncode == 9, proc.stderr
    assert path.read_bytes() == before
    assert load_token_file(path, Network.LOCALNET).pool_type == "bonding_curve"
    # The next write (after the restart) succeeds; the crashed run's temporary file is ignored.
    pool = Keypair().pubkey()
    updated = rewrite_token_file(path, Network.LOCALNET, {"poolType": "pumpswap_amm", "pool": str(pool)})
    assert updated.pool_address == pool and load_token_file(path, Network.LOCALNET).pool_address == pool


def test_an_invalid_rewrite_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    path = _token_file(tmp_path)
    before = path.read_bytes()
    with pytest.raises(TokenConfigError, match="pool"):
        rewrite_token_file(path, Network.LOCALNET, {"poolType": "pumpswap_amm", "pool": "not-a-key"})
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["grad.json"]


# ---------------------------------------------------------------- set-permissionless-cycles


def _permissionless(net: Net) -> bool:
    account = net.ledger.get_account(state_address())
    assert account is not None
    return bool(decode_dat_state(bytes(account.data)).permissionless_cycles)


def test_set_permissionless_cycles_on_and_off(net: Net) -> None:
    net.cli("create-token", "--name", "Root", "--symbol", "FROOT", "--uri", "https://x.invalid/r.json",
            "--root", "--network", "localnet")
    out = json.loads(net.cli("set-permissionless-cycles", "--on", "--network", "localnet", "--json"))
    assert out["changes"] == {"permissionlessCycles": [False, True]} and out["signature"]
    assert _permissionless(net)
    again = _cli_fails(net, "set-permissionless-cycles", "--on", "--network", "localnet")
    assert "already on: nothing sent" in again.stderr
    assert "off" in net.cli("set-permissionless-cycles", "--off", "--network", "localnet")
    assert not _permissionless(net)


def test_set_permissionless_cycles_refuses_keeper_tokens_and_non_admins(net: Net) -> None:
    _ecosystem(net)  # LEG and GRAD are keeper-mode tokens
    refused = _cli_fails(net, "set-permissionless-cycles", "--on", "--network", "localnet")
    assert "2 registered token(s) still use keeper attribution" in refused.stderr and "nothing sent" in refused.stderr
    assert not _permissionless(net)
    off = _cli_fails(net, "set-permissionless-cycles", "--off", "--network", "localnet")
    assert "already off: nothing sent" in off.stderr
    missing = subprocess.run([str(CLI), "set-permissionless-cycles", "--network", "localnet"], cwd=net.directory,
                             capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2 and "--on" in missing.stderr
    # Another wallet is not the admin: refused before anything is sent.
    stranger = net.directory / "stranger"
    stranger.mkdir()
    write_keypair(stranger / "localnet-wallet.json", Keypair())
    (stranger / "localnet-tokens").mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("RPC_URL", "WALLET_PATH", "HELIUS_API_KEY")}
    env["RPC_URL"] = net.server.url
    env["COLUMNS"] = "200"
    proc = subprocess.run([str(CLI), "set-permissionless-cycles", "--off", "--network", "localnet"], cwd=stranger,
                          env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "is not the DAT's admin" in proc.stdout + proc.stderr


def test_a_graduated_fee_sharing_token_is_moved_and_cycled_on_pumpswap_to_the_lamport(net: Net) -> None:
    """Graduated fee-sharing tokens are moved like keeper tokens (set_token_pool takes a pool
    whose coin_creator is the sharing config), then the same run sweeps the config vault into
    the fee account and buys and burns on PumpSwap. Nobody traded on the pool yet: its config
    vault does not exist, the executor creates it first. To the lamport: creator fees paid
    (the buy-out's and the DAT's own buy's events) == received in the fee account == SOL spent
    + sent to root + remaining."""
    net.cli("create-token", "--name", "Root", "--symbol", "FROOT", "--uri", "https://x.invalid/r.json",
            "--root", "--network", "localnet")
    net.cli(
        "create-token",
        "--name",
        "Shared",
        "--symbol",
        "FSG",
        "--uri",
        "https://x.invalid/f.json",
        "--network",
        "localnet",
    )
    mint = Pubkey.from_string(net.token("FSG")["mint"])
    path = net.directory / "localnet-tokens" / "fsg.json"
    trader = Keypair()
    net.ledger.airdrop(trader.pubkey(), 300 * SOL)
    user = trader.pubkey()
    net.send(
        [
            create_ata_idempotent(user, user, mint, paddr.TOKEN_PROGRAM_ID),
            pix.buy(
                user=user,
                mint=mint,
                creator=paddr.sharing_config(mint),
                fee_recipient=net.pump.global_state.fee_recipient,
                amount=_curve(net, mint).real_token_reserves,
                max_sol_cost=200 * SOL,
            ),
        ],
        trader,
    )
    net.send(
        [
            *dix.compute_budget(400_000),
            pix.migrate(user=user, mint=mint, withdraw_authority=net.pump.global_state.withdraw_authority),
        ],
        trader,
    )
    assert net.ledger.get_account(paddr.coin_creator_vault_ata(paddr.sharing_config(mint))) is None
    proc = _cli_any(net, "execute-ecosystem-cycle", "localnet-tokens/froot.json", "--network", "localnet")
    assert proc.returncode == 0, proc.stdout + proc.stderr  # the never-traded root included
    assert "set_token_pool landed" in proc.stdout and "InvalidTokenAccount" not in proc.stdout, proc.stdout
    assert json.loads(path.read_text())["poolType"] == "pumpswap_amm"
    stats = net.stats(mint)
    assert (stats.pool, stats.pool_type) == (paddr.canonical_pool(mint), dix.POOL_AMM)
    assert stats.cycles == 1 and stats.total_tokens_burned > 0 and stats.total_sent_to_root > 0
    state = decode_dat_state(bytes(net.ledger.get_account(state_address()).data))  # type: ignore[union-attr]
    assert state.last_attribution_slot == 0  # no keeper report: the fee account is the source
    # The DAT's own pool buy paid the config's PumpSwap vault: swept by a stranger, ours again.
    stranger = Keypair()
    net.ledger.airdrop(stranger.pubkey(), SOL)
    net.sweep(stranger, mint)
    stats = net.stats(mint)
    paid = net.creator_fees_from_events(mint)
    in_fee_account = net.ledger.get_balance(fee_vault_address(mint)) - RENT_EXEMPT_ZERO
    assert in_fee_account > 0  # the DAT's own buy's coin-creator fee
    assert paid == stats.total_sol_attributed + in_fee_account
    assert stats.total_sol_attributed == stats.total_sol_spent + stats.total_sent_to_root + stats.pending_fees
