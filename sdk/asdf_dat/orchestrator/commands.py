"""The seed's operator commands (OPERATIONS.md) as typer commands: `app` is mounted under
`asdf-dat` by the CLI, and each `scripts/<name>.py` runs one of them (`run_script`)."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Coroutine
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import httpx
import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn
from rich.table import Table
from solders.keypair import Keypair
from solders.pubkey import Pubkey

from asdf_dat.config.lock import DaemonLock, LockError
from asdf_dat.dat.pdas import fee_vault_address, state_address, token_stats_address
from asdf_dat.network.config import Network, NetworkConfig, load_network_config, parse_network
from asdf_dat.network.endpoint import environment_secrets, redact_text
from asdf_dat.network.results import TransactionFailedError, TransportError
from asdf_dat.network.transport import RpcTransport, connect
from asdf_dat.network.wallet import WalletError, load_keypair
from asdf_dat.dat import instructions as dix
from asdf_dat.dat.accounts import DatNotInitializedError, DatState, fetch_all_token_stats, fetch_dat_state
from asdf_dat.dat.cycle import ATTRIBUTION_FEE_SHARING, has_root, treasury_balance
from asdf_dat.orchestrator import trading
from asdf_dat.orchestrator.executor import (
    CycleRun,
    build_transaction,
    chain_time,
    describe_error,
    dry_run,
    execute,
)
from asdf_dat.orchestrator.graduate import graduate
from asdf_dat.orchestrator.lookup import table_file
from asdf_dat.dat.math import MAX_CONSECUTIVE_FAILURES
from asdf_dat.orchestrator.report import NetworkName, build_report, write_report
from asdf_dat.config.ecosystem import (
    Ecosystem,
    TokenConfigError,
    file_network,
    is_amm,
    load_ecosystem,
    load_ecosystem_dir,
    load_token_config,
)
from asdf_dat.units import format_sol, sol_to_lamports

app = typer.Typer(
    help="Operator commands of OPERATIONS.md", no_args_is_help=True, add_completion=False,
    pretty_exceptions_show_locals=False,  # locals hold RPC URLs with API keys
)

T = TypeVar("T")

NETWORK_HELP = "devnet | mainnet | localnet (default: the config file's network, else devnet)"
DAEMON_URL_ENV = "DAEMON_URL"
CYCLE_LOCK_FILE = ".cycle-lock.json"
WALLET_WARNING_LAMPORTS = 100_000_000
WALLET_CRITICAL_LAMPORTS = 10_000_000
CYCLE_LOCK_OPERATION = "ecosystem-cycle"
DEFAULT_DAEMON_URL = "http://127.0.0.1:3030"


class CommandError(Exception):
    """A problem the operator can fix; printed without a traceback, exit code 1."""


# ---------------------------------------------------------------- plumbing


def _run(coro: Coroutine[Any, Any, int]) -> None:
    err = Console(stderr=True)
    try:
        code = asyncio.run(coro)
    except (CommandError, TokenConfigError, WalletError, DatNotInitializedError, LockError, ValueError) as exc:
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


def _fmt_time(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------- execute-ecosystem-cycle


async def _flush_daemon(console: Console) -> None:
    """Ask a running fee daemon to write its pending fees on-chain first (best effort)."""
    import os

    url = os.environ.get(DAEMON_URL_ENV, DEFAULT_DAEMON_URL).rstrip("/") + "/flush"
    headers: dict[str, str] = {}
    if os.environ.get("DAEMON_API_TOKEN"):
        headers["Authorization"] = f"Bearer {os.environ['DAEMON_API_TOKEN']}"
    if os.environ.get("DAEMON_API_KEY"):
        headers["X-Daemon-Key"] = os.environ["DAEMON_API_KEY"]
    try:
        async with httpx.AsyncClient(timeout=httpx.Timeout(120.0, connect=3.0)) as client:
            response = await client.post(url, headers=headers)
        console.print(f"Daemon flush: HTTP {response.status_code}")
    except httpx.HTTPError:
        console.print("Daemon flush: daemon not reachable, using on-chain pending fees as they are")


@app.command("execute-ecosystem-cycle")
def execute_ecosystem_cycle(
    config_file: Path = typer.Argument(..., help="a token config file; its directory is the ecosystem"),
    network: str | None = typer.Option(None, "--network", "-n", help=NETWORK_HELP),
    dry_run_flag: bool = typer.Option(False, "--dry-run", help="simulate only and write reports/dry-run-*.json"),
    as_json: bool = typer.Option(False, "--json", help="print the report / run summary as JSON"),
    reports_dir: Path = typer.Option(Path("reports"), "--reports-dir"),
    flush: bool = typer.Option(
        True, "--flush/--no-flush",
        help="POST /flush to the fee daemon first: at $DAEMON_URL (default http://127.0.0.1:3030), "
        "authenticated with $DAEMON_API_TOKEN (the daemon refuses /flush without it)",
    ),
) -> None:
    """Plan and run (or --dry-run) an ecosystem cycle.

    Before a live run the fee daemon is asked to flush its pending fees (DAEMON_URL,
    DAEMON_API_TOKEN); scripts/health-check.sh reads the same two variables.
    """
    _run(_cycle(config_file, network, dry_run_flag, as_json, reports_dir, flush))


app.command("cycle", help="Alias of execute-ecosystem-cycle (`asdf-dat cycle <config> --network ... [--dry-run]`).")(
    execute_ecosystem_cycle
)


async def _cycle(config_file: Path, network: str | None, dry: bool, as_json: bool, reports_dir: Path, flush: bool) -> int:
    config = _network(network, config_file)
    ecosystem = load_ecosystem(config_file, config.network)
    out = Console(stderr=as_json)
    wallet = _wallet(config)
    if flush and not dry:
        await _flush_daemon(out)
    async with _transport(config) as transport:
        balance = await transport.get_balance(wallet.pubkey())
        if not dry and balance < WALLET_CRITICAL_LAMPORTS:
            raise CommandError(
                f"wallet {wallet.pubkey()} holds {format_sol(balance)} (< {format_sol(WALLET_CRITICAL_LAMPORTS)}): fund it first"
            )
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=out, transient=True) as progress:
            task = progress.add_task("reading chain state", total=None)

            def step(text: str) -> None:
                progress.update(task, description=text)

            table_path = table_file(config.network.value)
            if dry:
                graduation = await graduate(transport, wallet, ecosystem, apply=False)
                run = await dry_run(transport, wallet, graduation.ecosystem, step, table_path=table_path)
                run.note_extra.extend(graduation.messages())
            else:
                with DaemonLock(Path(CYCLE_LOCK_FILE), operation=CYCLE_LOCK_OPERATION):
                    step("checking for tokens graduated to PumpSwap")
                    graduation = await graduate(transport, wallet, ecosystem)
                    for line in graduation.messages():
                        out.print(f"[yellow]graduation:[/yellow] {line}", highlight=False)
                    run = await execute(transport, wallet, graduation.ecosystem, step, table_path=table_path)
    if dry:
        return _finish_dry_run(run, config, ecosystem, out, as_json, reports_dir, balance)
    return _finish_live(run, config, out, as_json)


def _plan_table(run: CycleRun, title: str) -> Table:
    table = Table(title=title)
    for column in ("token", "root", "pending", "allocation", "to root", "status"):
        table.add_column(column, justify="right" if column in ("pending", "allocation", "to root") else "left")
    for t in run.plan.tokens:
        table.add_row(
            t.token.symbol,
            "yes" if t.token.is_root else "",
            format_sol(t.token.pending_fees),
            format_sol(t.report_allocation),
            format_sol(t.to_root),
            "process" if t.will_process else t.action.value,
        )
    return table


def _finish_dry_run(
    run: CycleRun,
    config: NetworkConfig,
    ecosystem: Ecosystem,
    out: Console,
    as_json: bool,
    reports_dir: Path,
    balance: int,
) -> int:
    moment = datetime.now(UTC)
    extra = wallet_warnings(balance) + [
        f"Simulation of transaction {i} ({', '.join(b.symbols)}) fails: {b.error}"
        for i, b in enumerate(run.batches, 1)
        if not b.ok
    ]
    if run.note:
        extra.append(run.note)
    extra.extend(run.note_extra)
    report = build_report(
        run.plan, network=_report_network(config.network), total_cost_lamports=run.total_fee, moment=moment,
        extra_warnings=extra, simulation_failed=any(not b.ok for b in run.batches),
    )
    path = write_report(report, reports_dir, moment)
    if as_json:
        typer.echo(report.to_json())
    else:
        out.print(_plan_table(run, f"Dry run ({config.network.value}) — status {report.status}"))
        if run.batches:
            table = Table(title="Simulated transactions")
            for column in ("#", "tokens", "CU", "CU limit", "fee", "outcome"):
                table.add_column(column)
            for i, b in enumerate(run.batches, 1):
                table.add_row(str(i), ", ".join(b.symbols), f"{b.compute_units or 0:,}", f"{b.unit_limit:,}",
                              format_sol(b.fee_lamports), "ok" if b.ok else f"[red]{b.error}[/red]")
            out.print(table)
        for w in report.warnings:
            out.print(f"[yellow]warning:[/yellow] {w}", highlight=False)
        for r in report.recommendations:
            out.print(f"recommendation: {r}", highlight=False)
        out.print(f"Status: {report.status}")
        out.print(f"Report: {path}")
    return 0


def _finish_live(run: CycleRun, config: NetworkConfig, out: Console, as_json: bool) -> int:
    plan = run.plan
    nothing = not run.batches
    code = 1 if run.failed or nothing else 0
    if as_json:
        _echo_json({
            "network": config.network.value,
            "status": plan.status.value,
            "success": code == 0,
            "note": run.note,
            "lostRace": run.lost_race,
            "transactions": [b.__dict__ | {"logs": list(b.logs[-20:])} for b in run.batches],
            "tokens": [o.__dict__ for o in run.outcomes],
        })
        return code
    if run.note and not as_json and not nothing:
        out.print(run.note, highlight=False)
    if run.lost_race is not None:
        out.print(f"[yellow]Lost the race to another cycle[/yellow]: {run.lost_race}", highlight=False)
        if nothing:
            return code
    if nothing:
        if plan.paused:
            out.print("[red]DAT is paused (DATNotActive)[/red]: fix the cause of the failures, then run resume")
        elif plan.cooldown_active:
            out.print(
                f"[yellow]Cycle too soon (CycleTooSoon)[/yellow]: last cycle at {_fmt_time(plan.state_before.cycle_started_at)}, "
                f"next possible in {plan.cooldown_remaining} s"
            )
        elif not plan.tokens:
            out.print("[red]No tokens found[/red]: check the token configs")
        else:
            out.print("[yellow]Insufficient fees (InsufficientFees)[/yellow]: no token reaches its threshold; generate volume")
        out.print(_plan_table(run, "Plan"))
        return code
    table = Table(title=f"Cycle ({config.network.value})")
    for column in ("token", "allocation", "sent to root", "SOL spent", "tokens burned", "result"):
        table.add_column(column)
    for o in run.outcomes:
        table.add_row(o.symbol + (" (root)" if o.is_root else ""), format_sol(o.allocation), format_sol(o.sent_to_root),
                      format_sol(o.sol_spent), f"{o.tokens_burned:,}",
                      "ok" if o.ok else f"[red]{o.error}[/red]")
    out.print(table)
    txs = Table(title="Transactions")
    for column in ("#", "tokens", "CU", "signature / error", "failure recorded"):
        txs.add_column(column)
    for i, b in enumerate(run.batches, 1):
        txs.add_row(str(i), ", ".join(b.symbols), f"{b.compute_units or 0:,}",
                    b.signature if b.ok else f"[red]{b.error}[/red]", b.failure_recorded or "")
    out.print(txs)
    out.print("Cycle " + ("[green]succeeded[/green]" if code == 0 else "[red]failed[/red]"))
    return code


def wallet_warnings(balance: int) -> list[str]:
    """The seed's wallet health thresholds (> 0.1 SOL healthy, > 0.01 warning, below critical)."""
    if balance < WALLET_CRITICAL_LAMPORTS:
        return [f"Wallet balance {format_sol(balance)} is critical (< {format_sol(WALLET_CRITICAL_LAMPORTS)}): fund the wallet"]
    if balance < WALLET_WARNING_LAMPORTS:
        return [f"Wallet balance {format_sol(balance)} is low (< {format_sol(WALLET_WARNING_LAMPORTS)})"]
    return []


# ---------------------------------------------------------------- check-dat-state


def dat_state_lines(
    network: Network, state: DatState, now: int, root_symbol: str | None, treasury_lamports: int = 0
) -> list[str]:
    """The lines `check-dat-state` prints; health-check.sh greps three of them.
    `treasury_lamports`: the root treasury's real balance above rent."""
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
        f"Root Treasury: {state.root_treasury if has_root(state) else 'not set'} ({format_sol(treasury_lamports)})",
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
    treasury = treasury_balance(treasury_account.lamports if treasury_account is not None else 0)
    root_symbol = None
    if config.tokens_dir.is_dir():
        try:
            token = load_ecosystem_dir(config.tokens_dir, config.network).by_mint(state.root_mint)
            root_symbol = token.symbol if token else None
        except TokenConfigError:
            root_symbol = None
    if as_json:
        data = {k: (str(v) if isinstance(v, Pubkey) else v) for k, v in vars(state).items() if k != "reserved"}
        _echo_json(data | {"network": config.network.value, "now": now, "rootSymbol": root_symbol,
                           "treasury_lamports": treasury})
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
        rows.append({
            "symbol": token.symbol, "mint": str(token.mint), "isRoot": token.is_root, "registered": s is not None,
            "attribution": "fee-sharing" if sharing else "keeper",
            "feeAccountLamports": treasury_balance(fee_account.lamports) if sharing and fee_account is not None else 0,
            "pendingFees": 0 if s is None else s.pending_fees,
            "pendingFeesSOL": format_sol(0 if s is None else s.pending_fees),
            "totalSolAttributed": 0 if s is None else s.total_sol_attributed,
            "totalSolSpent": 0 if s is None else s.total_sol_spent,
            "totalSentToRoot": 0 if s is None else s.total_sent_to_root,
            "totalReceivedFromOthers": 0 if s is None else s.total_received_from_others,
            "totalTokensBurned": 0 if s is None else s.total_tokens_burned,
            "cycles": 0 if s is None else s.cycles,
            "lastCycleAt": None if s is None or s.last_cycle_at == 0 else _fmt_time(s.last_cycle_at),
        })
    if as_json:
        _echo_json({"network": config.network.value, "tokens": rows,
                    "totalPendingFees": sum(int(r["pendingFees"]) for r in rows)})
        return 0
    table = Table(title=f"Token stats ({config.network.value})")
    for column in ("token", "mode", "pending", "fee account", "burned", "SOL spent", "to root", "from others", "cycles", "last cycle"):
        table.add_column(column)
    for r in rows:
        if not r["registered"]:
            table.add_row(str(r["symbol"]), "", "not registered", "", "", "", "", "", "", "")
            continue
        table.add_row(
            f"{r['symbol']}{' (root)' if r['isRoot'] else ''}", str(r["attribution"]), str(r["pendingFeesSOL"]),
            format_sol(int(r["feeAccountLamports"])), f"{r['totalTokensBurned']:,}",
            format_sol(int(r["totalSolSpent"])), format_sol(int(r["totalSentToRoot"])),
            format_sol(int(r["totalReceivedFromOthers"])), str(r["cycles"]), str(r["lastCycleAt"] or "never"),
        )
    Console().print(table)
    total = sum(int(r["pendingFees"]) for r in rows)
    typer.echo(f"Total Pending Fees: {format_sol(total)}")
    return 0


# ---------------------------------------------------------------- volume


@app.command("generate-volume")
def generate_volume(
    config_file: Path = typer.Argument(..., help="a token config file (or, with --until-ready, a directory of them)"),
    rounds: int = typer.Argument(2, min=1, help="number of buys (with --until-ready: the most round trips per token)"),
    sol: str = typer.Argument("0.5", help="SOL per buy"),
    network: str | None = typer.Option(None, "--network", "-n", help=NETWORK_HELP),
    until_ready: bool = typer.Option(
        False, "--until-ready",
        help="buy and sell back until each token's fees (on-chain pending + fees these trades paid) reach the "
        "DAT's min fees per token",
    ),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Buy the token `rounds` times for `sol` SOL each (test volume; creator fees accrue)."""
    if until_ready:
        _run(_generate_until_ready(config_file, rounds, sol, network, as_json))
    _run(_generate_volume(config_file, rounds, sol, network, as_json))


async def _generate_until_ready(config_path: Path, max_rounds: int, sol: str, network: str | None, as_json: bool) -> int:
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
                        f"{token.symbol}: {format_sol(pending + paid)} after {trades} round trips of {format_sol(lamports)}, "
                        f"still under {format_sol(threshold)}: raise the rounds or the SOL per buy"
                    )
                vault_before = await trading.creator_fees_in_vault(transport, token)
                await trading.buy(transport, wallet, token, lamports)
                await trading.sell_all(transport, wallet, token)
                paid += await trading.creator_fees_in_vault(transport, token) - vault_before
                trades += 1
                if not as_json:
                    typer.echo(f"{token.symbol} round {trades}: buy {format_sol(lamports)}, sell back; creator fees "
                               f"{format_sol(pending + paid)} / {format_sol(threshold)}")
            summary.append({"symbol": token.symbol, "mint": str(token.mint), "roundTrips": trades,
                            "pendingOnChain": pending, "feesPaidByTrades": paid, "threshold": threshold,
                            "ready": pending + paid >= threshold})
            if not as_json:
                typer.echo(f"{token.symbol}: ready ({format_sol(pending + paid)} >= {format_sol(threshold)}; "
                           "attributed on-chain by the fee daemon)")
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
                typer.echo(f"Buy {i + 1}/{rounds}: {format_sol(lamports)} -> {r.tokens:,} {token.symbol} "
                           f"(tx {r.signature}); creator vault {format_sol(r.creator_vault_lamports)}")
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
        typer.echo(f"Sold {r.tokens:,} {token.symbol}, received {format_sol(r.sol_out)} (tx {r.signature}); "
                   f"creator vault {format_sol(r.creator_vault_lamports)}")
    return 0


# ---------------------------------------------------------------- admin


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
        pool_type = dix.POOL_AMM if is_amm(token) else dix.POOL_BONDING_CURVE
        sig = await _send(transport, wallet, [
            dix.register_token(
                wallet.pubkey(), token.mint, token_program=token.token_program, pool=token.pool_address, pool_type=pool_type
            )
        ])
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
    typer.echo(f"Fee Split: {state.fee_split_bps / 100:g}% kept by secondaries / "
               f"{(10_000 - state.fee_split_bps) / 100:g}% to root (tx {sig})")
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
    typer.echo(f"Resumed (was {'active' if before.is_active else 'paused'}, "
               f"{before.consecutive_failures} consecutive failures) (tx {sig})")
    typer.echo(f"Active: {'yes' if after.is_active else 'no'}")
    typer.echo(f"Consecutive Failures: {after.consecutive_failures}")
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
        impacts.append({"sol": sol, "solFormatted": format_sol(sol), "tokensOut": out,
                        "priceImpactPct": round((effective / price - 1) * 100, 3) if price and out else None})
    data = {
        "symbol": token.symbol, "mint": str(token.mint), "venue": "pumpswap_amm" if market.is_amm else "bonding_curve",
        "pool": str(token.pool_address), "baseReserve": market.base_reserve, "quoteReserve": market.quote_reserve,
        "quoteReserveSOL": format_sol(market.quote_reserve), "priceLamportsPerToken": price,
        "complete": bool(market.curve.complete) if market.curve is not None else None, "buys": impacts,
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


# ---------------------------------------------------------------- scripts


def run_script(command: str, argv: list[str] | None = None) -> None:
    """Entry point of `scripts/<command>.py`: runs the typer command with the script's arguments."""
    args = sys.argv[1:] if argv is None else argv
    app(args=[command, *args], prog_name=f"{command}.py")



# Admin, setup, history and wallet commands live in their own modules and register on `app`.
from asdf_dat.orchestrator import admin_commands, autopilot, history_commands, setup_command, wallet_command  # noqa: E402,F401
