"""`asdf-dat setup <token-config-dir>`: bring a freshly deployed program to a running DAT.

Steps, each skipped when the chain already shows it done (so a rerun after an interruption
finishes the job): initialize (signed by the program's upgrade authority), the WSOL accounts,
register every token of the directory, set the root.
"""

from __future__ import annotations

import struct
from dataclasses import asdict, dataclass
from pathlib import Path

import typer
from solders.pubkey import Pubkey

from asdf_dat.cli.admin import ADMIN_UNITS, parse_pubkey
from asdf_dat.cli.common import (
    CommandError,
    _echo_json,
    _network,
    _run,
    _send,
    _transport,
    _wallet,
    command_group,
    register_instruction,
)
from asdf_dat.config.ecosystem import load_ecosystem_dir
from asdf_dat.dat import instructions as dix
from asdf_dat.dat.accounts import DatNotInitializedError, DatState, fetch_dat_state
from asdf_dat.dat.cycle import has_root
from asdf_dat.dat.pdas import authority_address, program_data_address, state_address, token_stats_address
from asdf_dat.network.transport import RpcTransport
from asdf_dat.programs import ASDF_DAT_PROGRAM_ID
from asdf_dat.pump import addresses as paddr
from asdf_dat.pump.addresses import WSOL_MINT

# BPF upgradeable loader ProgramData: u32 tag (3), u64 slot, Option<Pubkey> upgrade authority.
app = command_group()

_PROGRAM_DATA_HEADER = struct.Struct("<IQB")


@dataclass
class SetupStep:
    name: str
    done: bool  # True: sent now; False: skipped because already done
    detail: str
    signature: str | None = None


async def upgrade_authority(transport: RpcTransport) -> Pubkey | None:
    """The program's upgrade authority from its ProgramData account (None: immutable or absent)."""
    account = await transport.get_account(program_data_address())
    if account is None or len(account.data) < _PROGRAM_DATA_HEADER.size + 32:
        return None
    tag, _slot, has_authority = _PROGRAM_DATA_HEADER.unpack_from(bytes(account.data))
    if tag != 3 or not has_authority:
        return None
    return Pubkey.from_bytes(bytes(account.data)[_PROGRAM_DATA_HEADER.size : _PROGRAM_DATA_HEADER.size + 32])


@app.command("setup")
def setup(
    tokens_dir: Path = typer.Argument(..., help="the token config directory (e.g. devnet-tokens/), one root"),
    network: str | None = typer.Option(None, "--network", "-n", help="devnet | mainnet | localnet (default devnet)"),
    keeper: str | None = typer.Option(None, "--keeper", help="keeper public key at initialize (default: the wallet)"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Initialize the DAT, its WSOL accounts, register every token and set the root; skips what is done."""
    _run(_setup(tokens_dir, network, keeper, as_json))


def _say(as_json: bool, step: SetupStep) -> None:
    if not as_json:
        mark = "done" if step.done else "skip"
        typer.echo(f"[{mark}] {step.name}: {step.detail}" + (f" (tx {step.signature})" if step.signature else ""))


async def _setup(tokens_dir: Path, network: str | None, keeper_text: str | None, as_json: bool) -> int:
    if not tokens_dir.is_dir():
        raise CommandError(f"{tokens_dir} is not a directory of token configs")
    config = _network(network)
    ecosystem = load_ecosystem_dir(tokens_dir, config.network)
    wallet = _wallet(config)
    keeper = parse_pubkey(keeper_text, "keeper") if keeper_text else wallet.pubkey()
    steps: list[SetupStep] = []

    def record(step: SetupStep) -> None:
        steps.append(step)
        _say(as_json, step)

    async with _transport(config) as transport:
        if await transport.get_account(ASDF_DAT_PROGRAM_ID) is None:
            raise CommandError(f"no program at {ASDF_DAT_PROGRAM_ID} on {config.network.value}: deploy it first")
        state: DatState | None
        try:
            state = await fetch_dat_state(transport)
        except DatNotInitializedError:
            state = None
        if state is None:
            authority = await upgrade_authority(transport)
            if authority != wallet.pubkey():
                raise CommandError(
                    f"initialize must be signed by the program's upgrade authority ({authority or 'none'}), "
                    f"the wallet is {wallet.pubkey()}: nothing sent"
                )
            sig = await _send(transport, wallet, [dix.initialize(wallet.pubkey(), keeper)], ADMIN_UNITS)
            record(
                SetupStep(
                    "initialize", True, f"DAT state {state_address()}, admin {wallet.pubkey()}, keeper {keeper}", sig
                )
            )
            state = await fetch_dat_state(transport)
        else:
            record(SetupStep("initialize", False, f"DAT state {state_address()} exists (admin {state.admin})"))
        if state.admin != wallet.pubkey():
            raise CommandError(
                f"the wallet {wallet.pubkey()} is not the DAT's admin ({state.admin}): nothing more sent"
            )

        authority = authority_address()
        wsol_accounts = [
            paddr.associated_token_address(authority, WSOL_MINT),
            paddr.associated_token_address(paddr.coin_creator_vault_authority(authority), WSOL_MINT),
        ]
        existing = await transport.get_accounts(wsol_accounts)
        if all(account is not None for account in existing):
            record(SetupStep("init-wsol-accounts", False, "WSOL accounts exist"))
        else:
            sig = await _send(transport, wallet, [dix.init_wsol_accounts(wallet.pubkey())], ADMIN_UNITS)
            record(SetupStep("init-wsol-accounts", True, ", ".join(map(str, wsol_accounts)), sig))

        stats_accounts = await transport.get_accounts([token_stats_address(t.mint) for t in ecosystem.tokens])
        for token, stats in zip(ecosystem.tokens, stats_accounts, strict=True):
            name = f"register {token.symbol}"
            if stats is not None:
                record(SetupStep(name, False, f"TokenStats {token_stats_address(token.mint)} exists"))
                continue
            sig = await _send(transport, wallet, [register_instruction(wallet.pubkey(), token)])
            record(SetupStep(name, True, f"{token.mint} on {token.pool_type} {token.pool_address}", sig))

        root = ecosystem.root
        state = await fetch_dat_state(transport)
        if has_root(state) and state.root_mint == root.mint:
            record(SetupStep("set-root-token", False, f"{root.symbol} ({root.mint}) is the root"))
        else:
            old = state.root_mint if has_root(state) else None
            sig = await _send(transport, wallet, [dix.set_root_token(wallet.pubkey(), root.mint, old_root=old)])
            record(SetupStep("set-root-token", True, f"{root.symbol} ({root.mint})", sig))
    if as_json:
        _echo_json({"network": config.network.value, "steps": [asdict(step) for step in steps]})
    else:
        sent = sum(step.done for step in steps)
        typer.echo(f"Setup complete: {sent} step(s) sent, {len(steps) - sent} already done")
    return 0
