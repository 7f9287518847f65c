"""`asdf-dat wallet`: the operator wallet's address and balance, and what it pays for.

A cycle costs at most one transaction per token (signature fee + priority fee for the compute
units the cycle reserves per venue); a day of attribution at most one `update_pending_fees`
per daemon flush interval. Both use the network's current priority fee. `--airdrop SOL` asks
the cluster's faucet (localnet, devnet) and waits for the balance to show it.
"""

from __future__ import annotations

import asyncio
import os
from decimal import Decimal, InvalidOperation

import httpx
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
    pool_type_of,
)
from asdf_dat.cli.cycle import WALLET_CRITICAL_LAMPORTS, WALLET_WARNING_LAMPORTS
from asdf_dat.config.ecosystem import TokenConfigError, load_ecosystem_dir
from asdf_dat.network.config import Network
from asdf_dat.orchestrator.executor import CYCLE_COMPUTE_UNITS, transaction_fee
from asdf_dat.units import format_sol

app = command_group()

ATTRIBUTION_COMPUTE_UNITS = 200_000
SECONDS_PER_DAY = 86_400
AIRDROP_NETWORKS = (Network.LOCALNET, Network.DEVNET)
AIRDROP_WAIT_SECONDS = 30.0
# The daemon's default flush interval per network (asdf_dat.daemon.config, UPDATE_INTERVAL overrides).
DEFAULT_FLUSH_SECONDS = {Network.DEVNET: 30.0, Network.MAINNET: 60.0, Network.LOCALNET: 2.0}


@app.command("wallet")
def wallet(
    network: str | None = typer.Option(None, "--network", "-n", help=NETWORK_HELP),
    airdrop: str | None = typer.Option(None, "--airdrop", help="request this many SOL first (localnet, devnet)"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """The wallet's address, balance, and what a cycle and a day of fee attribution cost."""
    _run(_wallet_command(network, airdrop, as_json))


def _sol(value: str) -> int:
    try:
        lamports = Decimal(value) * 1_000_000_000
    except InvalidOperation:
        raise CommandError(f"--airdrop {value!r} is not a number of SOL") from None
    if lamports <= 0 or lamports != lamports.to_integral_value():
        raise CommandError(f"--airdrop {value} must be a positive whole number of lamports")
    return int(lamports)


async def _request_airdrop(url: str, address: str, lamports: int) -> str:
    async with httpx.AsyncClient(timeout=30.0) as client:
        response = await client.post(
            url, json={"jsonrpc": "2.0", "id": 1, "method": "requestAirdrop", "params": [address, lamports]}
        )
    body = response.json()
    if "error" in body:
        raise CommandError(f"airdrop refused: {body['error'].get('message', body['error'])}")
    return str(body["result"])


async def _wallet_command(network: str | None, airdrop: str | None, as_json: bool) -> int:
    config = _network(network)
    keypair = _wallet(config)
    address = keypair.pubkey()
    airdrop_lamports = _sol(airdrop) if airdrop is not None else None
    if airdrop_lamports is not None and config.network not in AIRDROP_NETWORKS:
        raise CommandError(f"--airdrop works on localnet and devnet, not {config.network.value}")
    try:
        tokens = load_ecosystem_dir(config.tokens_dir, config.network).tokens if config.tokens_dir.is_dir() else ()
    except TokenConfigError:
        tokens = ()
    async with _transport(config) as transport:
        airdrop_signature = None
        if airdrop_lamports is not None:
            before = await transport.get_balance(address)
            airdrop_signature = await _request_airdrop(config.rpc.url, str(address), airdrop_lamports)
            deadline = asyncio.get_running_loop().time() + AIRDROP_WAIT_SECONDS
            while await transport.get_balance(address) < before + airdrop_lamports:
                if asyncio.get_running_loop().time() > deadline:
                    raise CommandError(f"airdrop {airdrop_signature} not credited after {AIRDROP_WAIT_SECONDS:.0f} s")
                await asyncio.sleep(0.5)
        balance = await transport.get_balance(address)
        micro_lamports = await transport.get_priority_fee()
    units = [CYCLE_COMPUTE_UNITS[pool_type_of(t)] for t in tokens] or [
        max(CYCLE_COMPUTE_UNITS.values())
    ]
    per_cycle = sum(transaction_fee(1, u, micro_lamports) for u in units)
    flush_seconds = float(os.environ.get("UPDATE_INTERVAL", DEFAULT_FLUSH_SECONDS[config.network]))
    per_day_attribution = int(SECONDS_PER_DAY / flush_seconds) * transaction_fee(
        1, ATTRIBUTION_COMPUTE_UNITS, micro_lamports
    )
    status = (
        "healthy"
        if balance >= WALLET_WARNING_LAMPORTS
        else "warning"
        if balance >= WALLET_CRITICAL_LAMPORTS
        else "critical"
    )
    data = {
        "network": config.network.value,
        "address": str(address),
        "walletPath": str(config.wallet_path),
        "balanceLamports": balance,
        "balanceSOL": format_sol(balance),
        "status": status,
        "airdropSignature": airdrop_signature,
        "priorityFeeMicroLamports": micro_lamports,
        "tokens": len(tokens),
        "perCycleLamports": per_cycle,
        "perDayAttributionLamports": per_day_attribution,
        "flushIntervalSeconds": flush_seconds,
        "cyclesAffordable": balance // per_cycle if per_cycle else None,
    }
    if as_json:
        _echo_json(data)
        return 0
    if airdrop_signature is not None:
        typer.echo(f"Airdrop: {format_sol(airdrop_lamports or 0)} (tx {airdrop_signature})")
    typer.echo(f"Address: {address}")
    typer.echo(f"Wallet file: {config.wallet_path}")
    typer.echo(f"Balance: {format_sol(balance)} ({status})")
    typer.echo(
        f"A cycle needs up to {format_sol(per_cycle)} "
        f"({len(units)} transaction(s) at {micro_lamports} micro-lamports/CU)"
    )
    typer.echo(
        f"A day of attribution needs up to {format_sol(per_day_attribution)} "
        f"(one update_pending_fees per {flush_seconds:g} s flush)"
    )
    return 0
