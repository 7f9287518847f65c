"""What every command of the `asdf-dat` command line shares: the error the operator can fix, the
way a command runs (`_run`: exit codes, no traceback, RPC secrets redacted), the network, wallet
and transport of a run, one-transaction sends, JSON and time formatting."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Coroutine
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from solders.instruction import Instruction
from solders.keypair import Keypair
from solders.pubkey import Pubkey

from asdf_dat.config.ecosystem import TokenConfig, TokenConfigError, file_network, is_amm
from asdf_dat.config.lock import LockError
from asdf_dat.dat import instructions as dix
from asdf_dat.dat.accounts import DatNotInitializedError
from asdf_dat.network.config import Network, NetworkConfig, load_network_config, parse_network
from asdf_dat.network.endpoint import environment_secrets, redact_text
from asdf_dat.network.results import TransactionFailedError, TransportError
from asdf_dat.network.transport import RpcTransport, connect
from asdf_dat.network.wallet import WalletError, load_keypair
from asdf_dat.orchestrator.executor import build_transaction, describe_error
from asdf_dat.orchestrator.report import NetworkName
from asdf_dat.orchestrator.token_creation import TransactionRefused

NETWORK_HELP = "devnet | mainnet | localnet (default: the config file's network, else devnet)"


def command_group() -> typer.Typer:
    """A group of commands, mounted on `asdf-dat` (`asdf_dat.cli.app`) and on the scripts' app."""
    return typer.Typer(
        help="Operator commands of OPERATIONS.md",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_show_locals=False,  # locals hold RPC URLs with API keys
    )


class CommandError(Exception):
    """A problem the operator can fix; printed without a traceback, exit code 1."""


# ---------------------------------------------------------------- plumbing


def _run(coro: Coroutine[Any, Any, int]) -> None:
    err = Console(stderr=True)
    try:
        code = asyncio.run(coro)
    except (
        CommandError,
        TransactionRefused,
        TokenConfigError,
        WalletError,
        DatNotInitializedError,
        LockError,
        ValueError,
    ) as exc:
        err.print(f"[red]Error:[/red] {exc}", highlight=False)
        raise typer.Exit(1) from None
    except TransportError as exc:
        err.print(f"[red]Network error:[/red] {redact_text(str(exc), environment_secrets())}", highlight=False)
        raise typer.Exit(1) from None
    except Exception as exc:  # noqa: BLE001 - last line of defence: never print a traceback with an RPC URL
        text = redact_text(f"{type(exc).__name__}: {exc}", environment_secrets())
        err.print(f"[red]Unexpected error:[/red] {text}", highlight=False)
        raise typer.Exit(1) from None
    raise typer.Exit(code)


def _network(name: str | None, config_file: Path | None = None) -> NetworkConfig:
    """`--network`, else the network the config file declares, else devnet."""
    if name is not None:
        return load_network_config(parse_network(name))
    declared = file_network(config_file) if config_file is not None else None
    return load_network_config(declared or Network.DEVNET)


def _transport(config: NetworkConfig) -> AbstractAsyncContextManager[RpcTransport]:
    return connect(config)


def _wallet(config: NetworkConfig) -> Keypair:
    return load_keypair(config.wallet_path, network=config.network)


def _report_network(network: Network) -> NetworkName:
    return network.value


def _echo_json(data: object) -> None:
    typer.echo(json.dumps(data, indent=2, default=str))


async def _send(transport: RpcTransport, payer: Keypair, ixs: list[Any], units: int = 200_000) -> str:
    latest = await transport.get_latest_blockhash()
    tx = build_transaction(payer, ixs, latest.blockhash, units, 0)
    try:
        status = await transport.send_and_confirm(tx, last_valid_block_height=latest.last_valid_block_height)
    except TransactionFailedError as failure:
        raise CommandError(f"transaction failed: {describe_error(failure.err)}") from None
    return str(status.signature)


def pool_type_of(token: TokenConfig) -> int:
    """The program's pool type of a token config's venue."""
    return dix.POOL_AMM if is_amm(token) else dix.POOL_BONDING_CURVE


def register_instruction(admin: Pubkey, token: TokenConfig) -> Instruction:
    """`register_token` for a token config: its mint, token program and pool."""
    return dix.register_token(
        admin, token.mint, token_program=token.token_program, pool=token.pool_address, pool_type=pool_type_of(token)
    )


def _fmt_time(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
