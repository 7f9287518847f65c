"""Token commands: `create-token` and `enable-fee-sharing` (fee-sharing mode, issue 15),
`init-token-stats` (register) and `set-root-token`.

    asdf-dat create-token --name N --symbol S --uri U [--token-2022] [--root] [--no-fee-sharing]
    asdf-dat enable-fee-sharing <token-config>

`create-token` creates the coin on pump with the DAT authority as its creator, registers it,
switches it to fee-sharing mode (its creator fees then reach only its own fee account) unless
`--no-fee-sharing`, optionally makes it the root, and writes its token config file
(`orchestrator.token_creation.create_token_onchain`).
"""

from __future__ import annotations

from pathlib import Path

import typer

from asdf_dat.cli.common import (
    NETWORK_HELP,
    CommandError,
    _network,
    _run,
    _send,
    _transport,
    _wallet,
    command_group,
    register_instruction,
)
from asdf_dat.config.ecosystem import load_token_config, rewrite_token_file, write_token_file
from asdf_dat.dat import instructions as dix
from asdf_dat.dat.accounts import fetch_dat_state, fetch_token_stats
from asdf_dat.dat.cycle import ATTRIBUTION_FEE_SHARING, has_root
from asdf_dat.dat.pdas import fee_vault_address, token_stats_address
from asdf_dat.orchestrator.token_creation import ENABLE_FEE_SHARING_UNITS, create_token_onchain

app = command_group()


@app.command("create-token")
def create_token(
    name: str = typer.Option(..., "--name", help="coin name (≤ 32 characters)"),
    symbol: str = typer.Option(..., "--symbol", help="coin symbol (≤ 10 characters)"),
    uri: str = typer.Option(..., "--uri", help="metadata URI"),
    token_2022: bool = typer.Option(False, "--token-2022", help="create with pump create_v2 (Token-2022)"),
    root: bool = typer.Option(False, "--root", help="make it the ecosystem's root token"),
    no_fee_sharing: bool = typer.Option(False, "--no-fee-sharing", help="keep keeper attribution (shared vault)"),
    network: str | None = typer.Option(None, "--network", "-n", help=NETWORK_HELP),
    out: Path | None = typer.Option(None, "--out", help="token config file (default: <network>-tokens/<symbol>.json)"),
) -> None:
    """Create a coin on pump with the DAT authority as creator, register it, opt it into fee sharing."""
    _run(_create_token(name, symbol, uri, token_2022, root, no_fee_sharing, network, out))


async def _create_token(
    name: str,
    symbol: str,
    uri: str,
    token_2022: bool,
    root: bool,
    no_fee_sharing: bool,
    network: str | None,
    out: Path | None,
) -> int:
    if not 0 < len(name) <= 32 or not 0 < len(symbol) <= 10:
        raise CommandError("--name must be 1-32 characters and --symbol 1-10")
    config = _network(network)
    path = out or config.tokens_dir / f"{symbol.lower()}.json"
    if path.exists():
        raise CommandError(f"{path} already exists: choose another --symbol or --out")
    wallet = _wallet(config)
    async with _transport(config) as transport:
        content = await create_token_onchain(
            transport,
            wallet,
            name=name,
            symbol=symbol,
            uri=uri,
            token_2022=token_2022,
            root=root,
            fee_sharing=not no_fee_sharing,
            network=config.network,
            echo=typer.echo,
        )
    write_token_file(path, config.network, content)
    typer.echo(f"Token config: {path}")
    return 0


@app.command("enable-fee-sharing")
def enable_fee_sharing(
    config_file: Path = typer.Argument(..., help="the token's config file"),
    network: str | None = typer.Option(None, "--network", "-n", help=NETWORK_HELP),
) -> None:
    """Switch a registered token to fee-sharing mode (once; what was attributed stays spendable)."""
    _run(_enable_fee_sharing(config_file, network))


async def _enable_fee_sharing(config_file: Path, network: str | None) -> int:
    config = _network(network, config_file)
    token = load_token_config(config_file, config.network)
    wallet = _wallet(config)
    async with _transport(config) as transport:
        stats = await fetch_token_stats(transport, token.mint)
        if stats is None:
            raise CommandError(f"{token.symbol} has no TokenStats: run init-token-stats {config_file} first")
        if stats.attribution == ATTRIBUTION_FEE_SHARING:
            typer.echo(f"{token.symbol} is already in fee-sharing mode (fee account {stats.fee_vault})")
        else:
            sig = await _send(
                transport, wallet, [dix.enable_fee_sharing(wallet.pubkey(), token.mint)], ENABLE_FEE_SHARING_UNITS
            )
            typer.echo(
                f"{token.symbol}: fee sharing enabled, sole shareholder {fee_vault_address(token.mint)} (tx {sig})"
            )
    rewrite_token_file(config_file, config.network, {"attribution": "fee-sharing"})
    return 0


@app.command("init-token-stats")
def init_token_stats(
    config_file: Path = typer.Argument(...),
    network: str | None = typer.Option(None, "--network", "-n", help=NETWORK_HELP),
) -> None:
    """Register the token on-chain (TokenStats PDA + the DAT's token account); idempotent."""
    _run(_init_token_stats(config_file, network))


async def _init_token_stats(config_file: Path, network: str | None) -> int:
    config = _network(network, config_file)
    token = load_token_config(config_file, config.network)
    wallet = _wallet(config)
    stats_address = token_stats_address(token.mint)
    async with _transport(config) as transport:
        if await transport.get_account(stats_address) is not None:
            typer.echo(f"TokenStats for {token.symbol} already initialized: {stats_address}")
            return 0
        sig = await _send(transport, wallet, [register_instruction(wallet.pubkey(), token)])
    typer.echo(f"Initialized TokenStats for {token.symbol}: {stats_address} (tx {sig})")
    return 0


@app.command("set-root-token")
def set_root_token(
    config_file: Path = typer.Argument(...),
    network: str | None = typer.Option(None, "--network", "-n", help=NETWORK_HELP),
) -> None:
    """Make the token the root (its treasury receives 44.8 % of every secondary's allocation)."""
    _run(_set_root_token(config_file, network))


async def _set_root_token(config_file: Path, network: str | None) -> int:
    config = _network(network, config_file)
    token = load_token_config(config_file, config.network)
    wallet = _wallet(config)
    async with _transport(config) as transport:
        state = await fetch_dat_state(transport)
        if await transport.get_account(token_stats_address(token.mint)) is None:
            raise CommandError(f"{token.symbol} has no TokenStats: run init-token-stats {config_file} first")
        if has_root(state) and state.root_mint == token.mint:
            typer.echo(f"Root Token: {token.mint} ({token.symbol}) already set")
            return 0
        old = state.root_mint if has_root(state) else None
        sig = await _send(transport, wallet, [dix.set_root_token(wallet.pubkey(), token.mint, old_root=old)])
    typer.echo(f"Previous Root Token: {old or 'not set'}")
    typer.echo(f"Root Token: {token.mint} ({token.symbol})")
    typer.echo(
        f"Fee Split: {state.fee_split_bps / 100:g}% kept by secondaries / "
        f"{(10_000 - state.fee_split_bps) / 100:g}% to root (tx {sig})"
    )
    return 0
