"""Test volume: `generate-volume` (buys, or `--until-ready` round trips) and `sell-spl-tokens-simple`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from asdf_dat.cli.common import (
    NETWORK_HELP,
    CommandError,
    _echo_json,
    _network,
    _run,
    _transport,
    _wallet,
    command_group,
)
from asdf_dat.config.ecosystem import load_ecosystem_dir, load_token_config
from asdf_dat.dat.accounts import fetch_all_token_stats, fetch_dat_state
from asdf_dat.orchestrator import trading
from asdf_dat.units import format_sol, sol_to_lamports

app = command_group()


@app.command("generate-volume")
def generate_volume(
    config_file: Path = typer.Argument(..., help="a token config file (or, with --until-ready, a directory of them)"),
    rounds: int = typer.Argument(2, min=1, help="number of buys (with --until-ready: the most round trips per token)"),
    sol: str = typer.Argument("0.5", help="SOL per buy"),
    network: str | None = typer.Option(None, "--network", "-n", help=NETWORK_HELP),
    until_ready: bool = typer.Option(
        False,
        "--until-ready",
        help="buy and sell back until each token's fees (on-chain pending + fees these trades paid) reach the "
        "DAT's min fees per token",
    ),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Buy the token `rounds` times for `sol` SOL each (test volume; creator fees accrue)."""
    if until_ready:
        _run(_generate_until_ready(config_file, rounds, sol, network, as_json))
    _run(_generate_volume(config_file, rounds, sol, network, as_json))


async def _generate_until_ready(
    config_path: Path, max_rounds: int, sol: str, network: str | None, as_json: bool
) -> int:
    config = _network(network, None if config_path.is_dir() else config_path)
    if config_path.is_dir():
        tokens = list(load_ecosystem_dir(config_path, config.network).tokens)
    else:
        tokens = [load_token_config(config_path, config.network)]
    wallet = _wallet(config)
    lamports = sol_to_lamports(sol)
    summary: list[dict[str, Any]] = []
    async with _transport(config) as transport:
        state = await fetch_dat_state(transport)
        threshold = state.min_fees_per_token
        stats = await fetch_all_token_stats(transport, [t.mint for t in tokens])
        for token in tokens:
            token_stats = stats[token.mint]
            if token_stats is None:
                raise CommandError(f"{token.symbol} is not registered: run init-token-stats first")
            pending = token_stats.pending_fees
            paid = 0
            trades = 0
            while pending + paid < threshold:
                if trades >= max_rounds:
                    raise CommandError(
                        f"{token.symbol}: {format_sol(pending + paid)} after {trades} round trips "
                        f"of {format_sol(lamports)}, "
                        f"still under {format_sol(threshold)}: raise the rounds or the SOL per buy"
                    )
                vault_before = await trading.creator_fees_in_vault(transport, token)
                await trading.buy(transport, wallet, token, lamports)
                await trading.sell_all(transport, wallet, token)
                paid += await trading.creator_fees_in_vault(transport, token) - vault_before
                trades += 1
                if not as_json:
                    typer.echo(
                        f"{token.symbol} round {trades}: buy {format_sol(lamports)}, sell back; creator fees "
                        f"{format_sol(pending + paid)} / {format_sol(threshold)}"
                    )
            summary.append(
                {
                    "symbol": token.symbol,
                    "mint": str(token.mint),
                    "roundTrips": trades,
                    "pendingOnChain": pending,
                    "feesPaidByTrades": paid,
                    "threshold": threshold,
                    "ready": pending + paid >= threshold,
                }
            )
            if not as_json:
                typer.echo(
                    f"{token.symbol}: ready ({format_sol(pending + paid)} >= {format_sol(threshold)}; "
                    "attributed on-chain by the fee daemon)"
                )
    if as_json:
        _echo_json({"network": config.network.value, "tokens": summary})
    return 0


async def _generate_volume(config_file: Path, rounds: int, sol: str, network: str | None, as_json: bool) -> int:
    config = _network(network, config_file)
    token = load_token_config(config_file, config.network)
    wallet = _wallet(config)
    lamports = sol_to_lamports(sol)
    results = []
    async with _transport(config) as transport:
        for i in range(rounds):
            r = await trading.buy(transport, wallet, token, lamports)
            results.append(r)
            if not as_json:
                typer.echo(
                    f"Buy {i + 1}/{rounds}: {format_sol(lamports)} -> {r.tokens:,} {token.symbol} "
                    f"(tx {r.signature}); creator vault {format_sol(r.creator_vault_lamports)}"
                )
    if as_json:
        _echo_json([r.__dict__ for r in results])
    return 0


@app.command("sell-spl-tokens-simple")
def sell_spl_tokens_simple(
    config_file: Path = typer.Argument(...),
    network: str | None = typer.Option(None, "--network", "-n", help=NETWORK_HELP),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Sell the wallet's whole balance of the token (25 % slippage)."""
    _run(_sell(config_file, network, as_json))


async def _sell(config_file: Path, network: str | None, as_json: bool) -> int:
    config = _network(network, config_file)
    token = load_token_config(config_file, config.network)
    wallet = _wallet(config)
    async with _transport(config) as transport:
        r = await trading.sell_all(transport, wallet, token)
    if as_json:
        _echo_json(None if r is None else r.__dict__)
    elif r is None:
        typer.echo(f"No {token.symbol} to sell")
    else:
        typer.echo(
            f"Sold {r.tokens:,} {token.symbol}, received {format_sol(r.sol_out)} (tx {r.signature}); "
            f"creator vault {format_sol(r.creator_vault_lamports)}"
        )
    return 0
