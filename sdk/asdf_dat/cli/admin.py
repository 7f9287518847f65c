"""Admin and governance commands (`asdf-dat set-keeper`, `pause`, `update-parameters`, the admin
transfer and fee-split change, `set-token-pool`, `resume`, `set-permissionless-cycles`).

Every command reads the DAT state first and refuses, without sending anything, when the wallet
is not the signer the program requires or when nothing would change; out-of-bound values are
refused with the program's bounds (`asdf_dat.dat.parameters`).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table
from solders.keypair import Keypair
from solders.pubkey import Pubkey

from asdf_dat.cli.common import (
    NETWORK_HELP,
    CommandError,
    _echo_json,
    _fmt_time,
    _network,
    _run,
    _send,
    _transport,
    _wallet,
    command_group,
    pool_type_of,
)
from asdf_dat.config.ecosystem import load_token_config
from asdf_dat.dat import instructions as dix
from asdf_dat.dat.accounts import DatState, fetch_dat_state, fetch_token_stats
from asdf_dat.dat.parameters import Parameters, fee_split_problems, parameter_problems
from asdf_dat.network.config import NetworkConfig
from asdf_dat.network.transport import RpcTransport
from asdf_dat.orchestrator.executor import chain_time
from asdf_dat.units import format_sol

app = command_group()

ADMIN_UNITS = 40_000
DEFAULT_PUBKEY = Pubkey.default()


def parse_pubkey(value: str, what: str) -> Pubkey:
    try:
        return Pubkey.from_string(value.strip())
    except ValueError:
        raise CommandError(f"{what} {value!r} is not a base58 public key") from None


def require_admin(state: DatState, wallet: Keypair) -> None:
    if state.admin != wallet.pubkey():
        raise CommandError(
            f"the wallet {wallet.pubkey()} is not the DAT's admin ({state.admin}): nothing sent. "
            "Use the admin's keypair (WALLET_PATH)"
        )


async def _state_and_wallet(config: NetworkConfig, transport: RpcTransport) -> tuple[DatState, Keypair]:
    wallet = _wallet(config)
    return await fetch_dat_state(transport), wallet


# ---------------------------------------------------------------- keeper, pause


@app.command("set-keeper")
def set_keeper(
    new_keeper: str = typer.Argument(..., help="the keeper's public key (runs cycles, reports fees)"),
    network: str | None = typer.Option(None, "--network", "-n", help=NETWORK_HELP),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Set the keeper (admin)."""
    _run(_set_keeper(new_keeper, network, as_json))


async def _set_keeper(new_keeper: str, network: str | None, as_json: bool) -> int:
    keeper = parse_pubkey(new_keeper, "keeper")
    config = _network(network)
    async with _transport(config) as transport:
        state, wallet = await _state_and_wallet(config, transport)
        require_admin(state, wallet)
        if state.keeper == keeper:
            raise CommandError(f"the keeper is already {keeper}: nothing sent")
        sig = await _send(transport, wallet, [dix.set_keeper(wallet.pubkey(), keeper)], ADMIN_UNITS)
    _report(as_json, {"keeper": [str(state.keeper), str(keeper)]}, sig, f"Keeper: {state.keeper} -> {keeper}")
    return 0


@app.command("pause")
def pause(
    network: str | None = typer.Option(None, "--network", "-n", help=NETWORK_HELP),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Pause the DAT (admin): no cycle runs until `resume`."""
    _run(_pause(network, as_json))


async def _pause(network: str | None, as_json: bool) -> int:
    config = _network(network)
    async with _transport(config) as transport:
        state, wallet = await _state_and_wallet(config, transport)
        require_admin(state, wallet)
        if not state.is_active:
            raise CommandError("the DAT is already paused: nothing sent (resume with `asdf-dat resume`)")
        sig = await _send(transport, wallet, [dix.pause(wallet.pubkey())], ADMIN_UNITS)
    _report(as_json, {"isActive": [True, False]}, sig, "Active: yes -> NO (paused)")
    return 0


@app.command("resume")
def resume(network: str | None = typer.Option(None, "--network", "-n", help=NETWORK_HELP)) -> None:
    """Reactivate the DAT after an auto-pause and clear the failure count (admin)."""
    _run(_resume(network))


async def _resume(network: str | None) -> int:
    config = _network(network)
    wallet = _wallet(config)
    async with _transport(config) as transport:
        before = await fetch_dat_state(transport)
        sig = await _send(transport, wallet, [dix.resume(wallet.pubkey())], 20_000)
        after = await fetch_dat_state(transport)
    typer.echo(
        f"Resumed (was {'active' if before.is_active else 'paused'}, "
        f"{before.consecutive_failures} consecutive failures) (tx {sig})"
    )
    typer.echo(f"Active: {'yes' if after.is_active else 'no'}")
    typer.echo(f"Consecutive Failures: {after.consecutive_failures}")
    return 0


def _report(as_json: bool, changes: dict[str, list[object]], signature: str, text: str) -> None:
    if as_json:
        _echo_json({"signature": signature, "changes": changes})
    else:
        typer.echo(text)
        typer.echo(f"Transaction: {signature}")


# ---------------------------------------------------------------- update-parameters


def _lamports_option(value: str | None, flag: str) -> int | None:
    if value is None:
        return None
    try:
        sol = Decimal(value)
    except InvalidOperation:
        raise CommandError(f"{flag} {value!r} is not a number of SOL") from None
    lamports = sol * 1_000_000_000
    if lamports != lamports.to_integral_value() or lamports < 0:
        raise CommandError(f"{flag} {value} is not a whole number of lamports")
    return int(lamports)


PARAMETER_LABELS = {
    "min_fees_per_token": ("--min-fees-per-token-sol", True),
    "max_fees_per_cycle": ("--max-fees-per-cycle-sol", True),
    "min_allocation_secondary": ("--min-allocation-secondary-sol", True),
    "min_allocation_root": ("--min-allocation-root-sol", True),
    "slippage_bps": ("--slippage-bps", False),
    "min_cycle_interval_secs": ("--cooldown-seconds", False),
    "fee_split_timelock_secs": ("--fee-split-timelock-seconds", False),
}


@app.command("update-parameters")
def update_parameters(
    cooldown_seconds: int | None = typer.Option(
        None, "--cooldown-seconds", help="min seconds between cycles [60, 86400]"
    ),
    max_fees_per_cycle_sol: str | None = typer.Option(None, "--max-fees-per-cycle-sol", help="[0.01, 10] SOL"),
    min_fees_per_token_sol: str | None = typer.Option(
        None, "--min-fees-per-token-sol", help="threshold [0.001, 1] SOL"
    ),
    min_allocation_secondary_sol: str | None = typer.Option(
        None, "--min-allocation-secondary-sol", help="[0.001, 1] SOL"
    ),
    min_allocation_root_sol: str | None = typer.Option(None, "--min-allocation-root-sol", help="[0.001, 1] SOL"),
    slippage_bps: int | None = typer.Option(None, "--slippage-bps", help="[10, 1000] bps"),
    fee_split_timelock_seconds: int | None = typer.Option(
        None, "--fee-split-timelock-seconds", help="[3600, 2592000] seconds"
    ),
    network: str | None = typer.Option(None, "--network", "-n", help=NETWORK_HELP),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Change the DAT's parameters (admin); shows old -> new, refuses out-of-bound values."""
    _run(
        _update_parameters(
            {
                "min_cycle_interval_secs": cooldown_seconds,
                "max_fees_per_cycle": _lamports_option(max_fees_per_cycle_sol, "--max-fees-per-cycle-sol"),
                "min_fees_per_token": _lamports_option(min_fees_per_token_sol, "--min-fees-per-token-sol"),
                "min_allocation_secondary": _lamports_option(
                    min_allocation_secondary_sol, "--min-allocation-secondary-sol"
                ),
                "min_allocation_root": _lamports_option(min_allocation_root_sol, "--min-allocation-root-sol"),
                "slippage_bps": slippage_bps,
                "fee_split_timelock_secs": fee_split_timelock_seconds,
            },
            network,
            as_json,
        )
    )


def _show(name: str, value: int) -> str:
    return format_sol(value) if PARAMETER_LABELS[name][1] else f"{value:,}"


async def _update_parameters(changes: dict[str, int | None], network: str | None, as_json: bool) -> int:
    if all(value is None for value in changes.values()):
        raise CommandError("no parameter given: pass at least one flag (see --help)")
    config = _network(network)
    async with _transport(config) as transport:
        state, wallet = await _state_and_wallet(config, transport)
        require_admin(state, wallet)
        old = Parameters.of_state(state)
        new = old.with_changes(**changes)
        problems = parameter_problems(new)
        if problems:
            raise CommandError("out of the program's bounds, nothing sent: " + "; ".join(problems))
        diff = old.changed(new)
        if not diff:
            raise CommandError("every given value equals the current one: nothing sent")
        sig = await _send(transport, wallet, [dix.update_parameters(wallet.pubkey(), new.to_generated())], ADMIN_UNITS)
    if as_json:
        _echo_json({"signature": sig, "changes": {name: list(pair) for name, pair in diff.items()}})
        return 0
    table = Table(title="Parameters updated")
    for column in ("parameter", "flag", "old", "new"):
        table.add_column(column)
    for name, (before, after) in diff.items():
        table.add_row(name, PARAMETER_LABELS[name][0], _show(name, before), _show(name, after))
    Console().print(table)
    typer.echo(f"Transaction: {sig}")
    return 0


# ---------------------------------------------------------------- admin transfer


@app.command("propose-admin")
def propose_admin(
    new_admin: str = typer.Argument(..., help="the proposed admin's public key; it must run accept-admin"),
    network: str | None = typer.Option(None, "--network", "-n", help=NETWORK_HELP),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Propose a new admin (admin); the new admin completes it with `accept-admin`."""
    _run(_propose_admin(new_admin, network, as_json))


async def _propose_admin(new_admin: str, network: str | None, as_json: bool) -> int:
    proposed = parse_pubkey(new_admin, "new admin")
    config = _network(network)
    async with _transport(config) as transport:
        state, wallet = await _state_and_wallet(config, transport)
        require_admin(state, wallet)
        if proposed == state.admin:
            raise CommandError(f"{proposed} is already the admin: nothing sent")
        if state.pending_admin == proposed:
            raise CommandError(f"{proposed} is already the pending admin: nothing sent")
        sig = await _send(transport, wallet, [dix.propose_admin(wallet.pubkey(), proposed)], ADMIN_UNITS)
    _report(
        as_json,
        {"pendingAdmin": [_opt(state.pending_admin), str(proposed)]},
        sig,
        f"Pending admin: {_opt(state.pending_admin)} -> {proposed} (it must run accept-admin)",
    )
    return 0


def _opt(key: Pubkey) -> str:
    return "none" if key == DEFAULT_PUBKEY else str(key)


@app.command("accept-admin")
def accept_admin(
    network: str | None = typer.Option(None, "--network", "-n", help=NETWORK_HELP),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Accept a proposed admin transfer (signed by the proposed admin's wallet)."""
    _run(_accept_admin(network, as_json))


async def _accept_admin(network: str | None, as_json: bool) -> int:
    config = _network(network)
    async with _transport(config) as transport:
        state, wallet = await _state_and_wallet(config, transport)
        if state.pending_admin == DEFAULT_PUBKEY:
            raise CommandError("no admin transfer is pending: nothing sent")
        if state.pending_admin != wallet.pubkey():
            raise CommandError(
                f"the wallet {wallet.pubkey()} is not the pending admin ({state.pending_admin}): nothing sent"
            )
        sig = await _send(transport, wallet, [dix.accept_admin(wallet.pubkey())], ADMIN_UNITS)
    _report(
        as_json, {"admin": [str(state.admin), str(wallet.pubkey())]}, sig, f"Admin: {state.admin} -> {wallet.pubkey()}"
    )
    return 0


@app.command("cancel-admin-transfer")
def cancel_admin_transfer(
    network: str | None = typer.Option(None, "--network", "-n", help=NETWORK_HELP),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Cancel a pending admin transfer (admin)."""
    _run(_cancel_admin_transfer(network, as_json))


async def _cancel_admin_transfer(network: str | None, as_json: bool) -> int:
    config = _network(network)
    async with _transport(config) as transport:
        state, wallet = await _state_and_wallet(config, transport)
        require_admin(state, wallet)
        if state.pending_admin == DEFAULT_PUBKEY:
            raise CommandError("no admin transfer is pending: nothing sent")
        sig = await _send(transport, wallet, [dix.cancel_admin_transfer(wallet.pubkey())], ADMIN_UNITS)
    _report(
        as_json,
        {"pendingAdmin": [str(state.pending_admin), "none"]},
        sig,
        f"Pending admin: {state.pending_admin} -> none",
    )
    return 0


# ---------------------------------------------------------------- fee split


def _split_text(bps: int) -> str:
    return f"{bps / 100:g}% kept / {(10_000 - bps) / 100:g}% to root"


@app.command("propose-fee-split")
def propose_fee_split(
    new_bps: int = typer.Argument(
        ..., help="share secondaries keep, in bps [1000, 9000], at most 500 from the current"
    ),
    network: str | None = typer.Option(None, "--network", "-n", help=NETWORK_HELP),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Propose a new fee split (admin); executable after the timelock with `execute-fee-split`."""
    _run(_propose_fee_split(new_bps, network, as_json))


async def _propose_fee_split(new_bps: int, network: str | None, as_json: bool) -> int:
    config = _network(network)
    async with _transport(config) as transport:
        state, wallet = await _state_and_wallet(config, transport)
        require_admin(state, wallet)
        problems = fee_split_problems(state.fee_split_bps, new_bps)
        if problems:
            raise CommandError("; ".join(problems) + ": nothing sent")
        if state.pending_fee_split_bps == new_bps:
            raise CommandError(f"{new_bps} bps is already proposed: nothing sent")
        sig = await _send(transport, wallet, [dix.propose_fee_split(wallet.pubkey(), new_bps)], ADMIN_UNITS)
        proposed = await fetch_dat_state(transport)
    ends = proposed.pending_fee_split_at + proposed.fee_split_timelock_secs
    if as_json:
        _echo_json(
            {
                "signature": sig,
                "currentBps": state.fee_split_bps,
                "proposedBps": new_bps,
                "executableAt": ends,
                "executableAtIso": _fmt_time(ends),
            }
        )
        return 0
    typer.echo(f"Fee split proposed: {_split_text(state.fee_split_bps)} -> {_split_text(new_bps)}")
    typer.echo(f"Timelock ends: {_fmt_time(ends)} (in {state.fee_split_timelock_secs} s); then run execute-fee-split")
    typer.echo(f"Transaction: {sig}")
    return 0


@app.command("execute-fee-split")
def execute_fee_split(
    network: str | None = typer.Option(None, "--network", "-n", help=NETWORK_HELP),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Apply the proposed fee split once its timelock has ended (admin)."""
    _run(_execute_fee_split(network, as_json))


async def _execute_fee_split(network: str | None, as_json: bool) -> int:
    config = _network(network)
    async with _transport(config) as transport:
        state, wallet = await _state_and_wallet(config, transport)
        require_admin(state, wallet)
        if state.pending_fee_split_bps == 0:
            raise CommandError("no fee split is proposed: nothing sent (propose-fee-split first)")
        now = await chain_time(transport)
        ends = state.pending_fee_split_at + state.fee_split_timelock_secs
        if now < ends:
            raise CommandError(f"the timelock ends at {_fmt_time(ends)} (in {ends - now} s): nothing sent")
        sig = await _send(transport, wallet, [dix.execute_fee_split(wallet.pubkey())], ADMIN_UNITS)
    _report(
        as_json,
        {"feeSplitBps": [state.fee_split_bps, state.pending_fee_split_bps]},
        sig,
        f"Fee split: {_split_text(state.fee_split_bps)} -> {_split_text(state.pending_fee_split_bps)}",
    )
    return 0


@app.command("cancel-fee-split")
def cancel_fee_split(
    network: str | None = typer.Option(None, "--network", "-n", help=NETWORK_HELP),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Withdraw a proposed fee split (admin)."""
    _run(_cancel_fee_split(network, as_json))


async def _cancel_fee_split(network: str | None, as_json: bool) -> int:
    config = _network(network)
    async with _transport(config) as transport:
        state, wallet = await _state_and_wallet(config, transport)
        require_admin(state, wallet)
        if state.pending_fee_split_bps == 0:
            raise CommandError("no fee split is proposed: nothing sent")
        sig = await _send(transport, wallet, [dix.cancel_fee_split(wallet.pubkey())], ADMIN_UNITS)
    _report(
        as_json,
        {"pendingFeeSplitBps": [state.pending_fee_split_bps, 0]},
        sig,
        f"Proposed fee split {state.pending_fee_split_bps} bps withdrawn",
    )
    return 0


# ---------------------------------------------------------------- set-token-pool


@app.command("set-token-pool")
def set_token_pool(
    config_file: Path = typer.Argument(..., help="the token's config, with its new pool (after a migration)"),
    network: str | None = typer.Option(None, "--network", "-n", help=NETWORK_HELP),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Point a registered token at the pool its config names (admin), e.g. after migrating to PumpSwap."""
    _run(_set_token_pool(config_file, network, as_json))


async def _set_token_pool(config_file: Path, network: str | None, as_json: bool) -> int:
    config = _network(network, config_file)
    token = load_token_config(config_file, config.network)
    pool_type = pool_type_of(token)
    async with _transport(config) as transport:
        state, wallet = await _state_and_wallet(config, transport)
        require_admin(state, wallet)
        stats = await fetch_token_stats(transport, token.mint)
        if stats is None:
            raise CommandError(f"{token.symbol} is not registered: run init-token-stats {config_file} first")
        if stats.pool == token.pool_address and stats.pool_type == pool_type:
            raise CommandError(f"{token.symbol} already uses pool {token.pool_address}: nothing sent")
        sig = await _send(
            transport,
            wallet,
            [dix.set_token_pool(wallet.pubkey(), token.mint, pool=token.pool_address, pool_type=pool_type)],
            ADMIN_UNITS,
        )
    kinds = {dix.POOL_AMM: "pumpswap_amm", dix.POOL_BONDING_CURVE: "bonding_curve"}
    _report(
        as_json,
        {"pool": [str(stats.pool), str(token.pool_address)], "poolType": [kinds[stats.pool_type], kinds[pool_type]]},
        sig,
        f"{token.symbol} pool: {stats.pool} ({kinds[stats.pool_type]}) -> {token.pool_address} ({kinds[pool_type]})",
    )
    return 0


# ---------------------------------------------------------------- permissionless cycles


@app.command("set-permissionless-cycles")
def set_permissionless_cycles(
    enabled: bool = typer.Option(..., "--on/--off", help="let anyone run cycles (--on) or only the operator (--off)"),
    network: str | None = typer.Option(None, "--network", "-n", help=NETWORK_HELP),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Let anyone run cycles, or only the keeper/admin again (admin). `--on` needs every
    registered token in fee-sharing mode, as the program does."""
    _run(_set_permissionless_cycles(enabled, network, as_json))


async def _set_permissionless_cycles(enabled: bool, network: str | None, as_json: bool) -> int:
    config = _network(network)
    async with _transport(config) as transport:
        state, wallet = await _state_and_wallet(config, transport)
        require_admin(state, wallet)
        if state.permissionless_cycles == enabled:
            raise CommandError(f"permissionless cycles are already {'on' if enabled else 'off'}: nothing sent")
        if enabled and state.keeper_mode_tokens > 0:
            raise CommandError(
                f"{state.keeper_mode_tokens} registered token(s) still use keeper attribution (the shared vault): "
                "the program refuses permissionless cycles until every token is in fee-sharing mode "
                "(`asdf-dat enable-fee-sharing <token-config>`): nothing sent"
            )
        sig = await _send(transport, wallet, [dix.set_permissionless_cycles(wallet.pubkey(), enabled)], ADMIN_UNITS)
    _report(
        as_json,
        {"permissionlessCycles": [state.permissionless_cycles, enabled]},
        sig,
        f"Permissionless cycles: {'on' if state.permissionless_cycles else 'off'} -> {'on' if enabled else 'off'}",
    )
    return 0
