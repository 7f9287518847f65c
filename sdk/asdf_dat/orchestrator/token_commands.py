"""Token lifecycle commands of fee-sharing mode (issue 15):

    asdf-dat create-token --name N --symbol S --uri U [--token-2022] [--root] [--no-fee-sharing]
    asdf-dat enable-fee-sharing <token-config>

`create-token` creates the coin on pump with the DAT authority as its creator, registers it,
switches it to fee-sharing mode (its creator fees then reach only its own fee account) unless
`--no-fee-sharing`, optionally makes it the root, and writes its token config file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import typer
from solders.instruction import Instruction
from solders.keypair import Keypair

from asdf_dat.dat import instructions as dix
from asdf_dat.dat.accounts import fetch_dat_state, fetch_token_stats
from asdf_dat.dat.cycle import ATTRIBUTION_FEE_SHARING, has_root
from asdf_dat.dat.pdas import authority_address, fee_vault_address, token_stats_address
from asdf_dat.network.results import TransactionFailedError
from asdf_dat.network.config import Network
from asdf_dat.network.protocol import Transport
from asdf_dat.orchestrator.commands import (
    NETWORK_HELP,
    CommandError,
    _network,
    _run,
    _send,
    _transport,
    _wallet,
)
from asdf_dat.orchestrator.executor import build_transaction, describe_error
from asdf_dat.config.ecosystem import load_token_config, rewrite_token_file, write_token_file
from asdf_dat.pump import addresses as paddr
from asdf_dat.pump import instructions as pix

app = typer.Typer(add_completion=False, pretty_exceptions_show_locals=False)

ENABLE_FEE_SHARING_UNITS = 250_000
CREATE_UNITS = 400_000
REGISTER_UNITS = 200_000


async def _send_signed(transport: Transport, payer: Keypair, signers: list[Keypair], ixs: list[Instruction], units: int) -> str:
    latest = await transport.get_latest_blockhash()
    tx = build_transaction(payer, ixs, latest.blockhash, units, 0, signers)
    try:
        status = await transport.send_and_confirm(tx, last_valid_block_height=latest.last_valid_block_height)
    except TransactionFailedError as failure:
        raise CommandError(f"transaction failed: {describe_error(failure.err)}") from None
    return str(status.signature)


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
    name: str, symbol: str, uri: str, token_2022: bool, root: bool, no_fee_sharing: bool,
    network: str | None, out: Path | None,
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
            transport, wallet, name=name, symbol=symbol, uri=uri, token_2022=token_2022, root=root,
            fee_sharing=not no_fee_sharing, network=config.network, echo=typer.echo,
        )
    write_token_file(path, config.network, content)
    typer.echo(f"Token config: {path}")
    return 0


async def create_token_onchain(
    transport: Transport,
    wallet: Keypair,
    *,
    name: str,
    symbol: str,
    uri: str,
    token_2022: bool,
    root: bool,
    fee_sharing: bool,
    network: Network,
    echo: Callable[[str], None],
) -> dict[str, object]:
    """`create-token` on-chain: the coin on pump (creator: the DAT authority), `register_token`,
    `enable_fee_sharing` (unless keeper mode), `set_root_token` (with `root`). Returns the token
    config file's content (not written)."""
    authority = authority_address()
    mint = Keypair()
    build = pix.create_v2 if token_2022 else pix.create
    created = build(mint=mint.pubkey(), user=wallet.pubkey(), creator=authority, name=name, symbol=symbol, uri=uri)
    token_program = paddr.TOKEN_2022_PROGRAM_ID if token_2022 else paddr.TOKEN_PROGRAM_ID
    curve = paddr.bonding_curve(mint.pubkey())
    state = await fetch_dat_state(transport)
    sig = await _send_signed(transport, wallet, [mint], [created], CREATE_UNITS)
    echo(f"Created {symbol} on pump: mint {mint.pubkey()} (creator: DAT authority {authority}, tx {sig})")
    register = dix.register_token(
        wallet.pubkey(), mint.pubkey(), token_program=token_program, pool=curve, pool_type=dix.POOL_BONDING_CURVE
    )
    sig = await _send_signed(transport, wallet, [], [register], REGISTER_UNITS)
    echo(f"Registered: TokenStats {token_stats_address(mint.pubkey())} (tx {sig})")
    attribution = "keeper"
    if fee_sharing:
        enable = dix.enable_fee_sharing(wallet.pubkey(), mint.pubkey())
        sig = await _send_signed(transport, wallet, [], [enable], ENABLE_FEE_SHARING_UNITS)
        attribution = "fee-sharing"
        echo(f"Fee sharing: sole shareholder {fee_vault_address(mint.pubkey())}, admin revoked (tx {sig})")
    if root:
        old = state.root_mint if has_root(state) else None
        sig = await _send_signed(transport, wallet, [], [dix.set_root_token(wallet.pubkey(), mint.pubkey(), old_root=old)], REGISTER_UNITS)
        echo(f"Root Token: {mint.pubkey()} ({symbol}) (tx {sig})")
    return {
        "mint": str(mint.pubkey()),
        "bondingCurve": str(curve),
        "creator": str(authority),
        "name": name,
        "symbol": symbol,
        "isRoot": root,
        "poolType": "bonding_curve",
        "tokenProgram": "Token2022" if token_2022 else "SPL",
        "attribution": attribution,
        "network": network.value,
    }


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
            sig = await _send(transport, wallet, [dix.enable_fee_sharing(wallet.pubkey(), token.mint)], ENABLE_FEE_SHARING_UNITS)
            typer.echo(f"{token.symbol}: fee sharing enabled, sole shareholder {fee_vault_address(token.mint)} (tx {sig})")
    rewrite_token_file(config_file, config.network, {"attribution": "fee-sharing"})
    return 0

