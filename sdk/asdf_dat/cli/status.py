"""Read-only commands: `check-dat-state`, `check-current-stats`, `check-pool-liquidity`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table
from solders.pubkey import Pubkey

from asdf_dat.cli.common import NETWORK_HELP, _echo_json, _fmt_time, _network, _run, _transport, command_group
from asdf_dat.config.ecosystem import TokenConfigError, load_ecosystem_dir, load_token_config
from asdf_dat.dat.accounts import DatState, fetch_all_token_stats, fetch_dat_state
from asdf_dat.dat.cycle import ATTRIBUTION_FEE_SHARING, has_root, root_funds, treasury_balance
from asdf_dat.dat.math import MAX_CONSECUTIVE_FAILURES
from asdf_dat.dat.pdas import fee_vault_address, state_address
from asdf_dat.network.config import Network
from asdf_dat.orchestrator import trading
from asdf_dat.orchestrator.executor import chain_time
from asdf_dat.units import format_sol

app = command_group()


# ---------------------------------------------------------------- check-dat-state


def dat_state_lines(
    network: Network, state: DatState, now: int, root_symbol: str | None, root_funds_lamports: int = 0
) -> list[str]:
    """The lines `check-dat-state` prints; health-check.sh greps three of them.
    `root_funds_lamports`: what the root may spend besides its pending (`root_funds`)."""
    last = f"{_fmt_time(state.cycle_started_at)} ({now - state.cycle_started_at} s ago)" if state.cycle_id else "never"
    root = f"{state.root_mint}" + (f" ({root_symbol})" if root_symbol else "") if has_root(state) else "not set"
    ready_at = max(state.cycle_started_at, state.cycle_last_take_at) + state.min_cycle_interval_secs
    cooldown = f"{ready_at - now} s remaining" if state.cycle_id and now < ready_at else "ready"
    return [
        f"DAT State ({network.value})",
        f"State PDA: {state_address()}",
        f"Admin: {state.admin}",
        f"Keeper: {state.keeper}",
        f"Authority: {state.authority}",
        f"Active: {'yes' if state.is_active else 'NO (paused)'}",
        f"Consecutive Failures: {state.consecutive_failures}",
        f"Auto-pause At: {MAX_CONSECUTIVE_FAILURES}",
        f"Last Cycle: {last}",
        f"Cycle Cooldown: {cooldown}",
        f"Root Token: {root}",
        f"Root Treasury: {state.root_treasury if has_root(state) else 'not set'} ({format_sol(root_funds_lamports)})",
        f"Fee Split: {state.fee_split_bps / 100:g}% kept / {(10_000 - state.fee_split_bps) / 100:g}% to root",
        f"Total Pending Fees: {format_sol(state.total_pending_fees)}",
        f"Total SOL Spent: {format_sol(state.total_sol_spent)}",
        f"Total Sent To Root: {format_sol(state.total_sent_to_root)}",
        f"Total Cycles: {state.total_cycles}",
        f"Failed Cycles: {state.failed_cycles}",
    ]


@app.command("check-dat-state")
def check_dat_state(
    network: str | None = typer.Option(None, "--network", "-n", help=NETWORK_HELP),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """DAT state: status, failures, last cycle, root token, totals."""
    _run(_check_dat_state(network, as_json))


async def _check_dat_state(network: str | None, as_json: bool) -> int:
    config = _network(network)
    async with _transport(config) as transport:
        state = await fetch_dat_state(transport)
        now = await chain_time(transport)
        treasury_account = await transport.get_account(state.root_treasury) if has_root(state) else None
    treasury = root_funds(state, treasury_account.lamports if treasury_account is not None else 0)
    root_symbol = None
    if config.tokens_dir.is_dir():
        try:
            token = load_ecosystem_dir(config.tokens_dir, config.network).by_mint(state.root_mint)
            root_symbol = token.symbol if token else None
        except TokenConfigError:
            root_symbol = None
    if as_json:
        data = {k: (str(v) if isinstance(v, Pubkey) else v) for k, v in vars(state).items() if k != "reserved"}
        _echo_json(
            data
            | {"network": config.network.value, "now": now, "rootSymbol": root_symbol, "treasury_lamports": treasury}
        )
        return 0
    for line in dat_state_lines(config.network, state, now, root_symbol, treasury):
        typer.echo(line)
    return 0


# ---------------------------------------------------------------- check-current-stats


@app.command("check-current-stats")
def check_current_stats(
    network: str | None = typer.Option(None, "--network", "-n", help=NETWORK_HELP),
    tokens_dir: Path | None = typer.Option(None, "--tokens-dir", help="default: <network>-tokens/"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Per token: pending fees, burned, SOL spent, sent to root, cycles."""
    _run(_check_current_stats(network, tokens_dir, as_json))


async def _check_current_stats(network: str | None, tokens_dir: Path | None, as_json: bool) -> int:
    config = _network(network)
    ecosystem = load_ecosystem_dir(tokens_dir or config.tokens_dir, config.network)
    async with _transport(config) as transport:
        by_mint = await fetch_all_token_stats(transport, [t.mint for t in ecosystem.tokens])
        fee_accounts = await transport.get_accounts([fee_vault_address(t.mint) for t in ecosystem.tokens])
    stats = [by_mint[t.mint] for t in ecosystem.tokens]
    rows: list[dict[str, Any]] = []
    for token, s, fee_account in zip(ecosystem.tokens, stats, fee_accounts, strict=True):
        sharing = s is not None and s.attribution == ATTRIBUTION_FEE_SHARING
        rows.append(
            {
                "symbol": token.symbol,
                "mint": str(token.mint),
                "isRoot": token.is_root,
                "registered": s is not None,
                "attribution": "fee-sharing" if sharing else "keeper",
                "feeAccountLamports": treasury_balance(fee_account.lamports)
                if sharing and fee_account is not None
                else 0,
                "pendingFees": 0 if s is None else s.pending_fees,
                "pendingFeesSOL": format_sol(0 if s is None else s.pending_fees),
                "totalSolAttributed": 0 if s is None else s.total_sol_attributed,
                "totalSolSpent": 0 if s is None else s.total_sol_spent,
                "totalSentToRoot": 0 if s is None else s.total_sent_to_root,
                "totalReceivedFromOthers": 0 if s is None else s.total_received_from_others,
                "totalTokensBurned": 0 if s is None else s.total_tokens_burned,
                "cycles": 0 if s is None else s.cycles,
                "lastCycleAt": None if s is None or s.last_cycle_at == 0 else _fmt_time(s.last_cycle_at),
            }
        )
    if as_json:
        _echo_json(
            {
                "network": config.network.value,
                "tokens": rows,
                "totalPendingFees": sum(int(r["pendingFees"]) for r in rows),
            }
        )
        return 0
    table = Table(title=f"Token stats ({config.network.value})")
    for column in (
        "token",
        "mode",
        "pending",
        "fee account",
        "burned",
        "SOL spent",
        "to root",
        "from others",
        "cycles",
        "last cycle",
    ):
        table.add_column(column)
    for r in rows:
        if not r["registered"]:
            table.add_row(str(r["symbol"]), "", "not registered", "", "", "", "", "", "", "")
            continue
        table.add_row(
            f"{r['symbol']}{' (root)' if r['isRoot'] else ''}",
            str(r["attribution"]),
            str(r["pendingFeesSOL"]),
            format_sol(int(r["feeAccountLamports"])),
            f"{r['totalTokensBurned']:,}",
            format_sol(int(r["totalSolSpent"])),
            format_sol(int(r["totalSentToRoot"])),
            format_sol(int(r["totalReceivedFromOthers"])),
            str(r["cycles"]),
            str(r["lastCycleAt"] or "never"),
        )
    Console().print(table)
    total = sum(int(r["pendingFees"]) for r in rows)
    typer.echo(f"Total Pending Fees: {format_sol(total)}")
    return 0


@app.command("check-pool-liquidity")
def check_pool_liquidity(
    config_file: Path = typer.Argument(...),
    network: str | None = typer.Option(None, "--network", "-n", help=NETWORK_HELP),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Reserves, price, and the price impact of typical buys."""
    _run(_check_pool_liquidity(config_file, network, as_json))


async def _check_pool_liquidity(config_file: Path, network: str | None, as_json: bool) -> int:
    config = _network(network, config_file)
    token = load_token_config(config_file, config.network)
    async with _transport(config) as transport:
        market = await trading.read_market(transport, token)
    price = market.price_lamports_per_token
    impacts = []
    for sol in (10_000_000, 100_000_000, 500_000_000, 1_000_000_000):
        out = market.venue.quote(sol)  # the cycle executor's quote (dat.quote)
        effective = sol / out if out else float("inf")
        impacts.append(
            {
                "sol": sol,
                "solFormatted": format_sol(sol),
                "tokensOut": out,
                "priceImpactPct": round((effective / price - 1) * 100, 3) if price and out else None,
            }
        )
    data = {
        "symbol": token.symbol,
        "mint": str(token.mint),
        "venue": "pumpswap_amm" if market.is_amm else "bonding_curve",
        "pool": str(token.pool_address),
        "baseReserve": market.base_reserve,
        "quoteReserve": market.quote_reserve,
        "quoteReserveSOL": format_sol(market.quote_reserve),
        "priceLamportsPerToken": price,
        "complete": bool(market.curve.complete) if market.curve is not None else None,
        "buys": impacts,
    }
    if as_json:
        _echo_json(data)
        return 0
    typer.echo(f"{token.symbol} on {data['venue']} ({data['pool']})")
    typer.echo(f"Token Reserve: {market.base_reserve:,}")
    typer.echo(f"SOL Reserve: {format_sol(market.quote_reserve)}")
    typer.echo(f"Price: {price:.9f} lamports per raw token")
    table = Table(title="Buy impact (fee-aware, slippage 5% default)")
    for column in ("buy", "tokens out", "price impact"):
        table.add_column(column)
    for row in impacts:
        table.add_row(str(row["solFormatted"]), f"{row['tokensOut']:,}", f"{row['priceImpactPct']}%")
    Console().print(table)
    return 0
