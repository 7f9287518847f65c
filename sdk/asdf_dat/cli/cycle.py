"""`asdf-dat execute-ecosystem-cycle` (alias `cycle`): ask the fee daemon to flush, hold the cycle
lock, run the orchestrator's executor (`orchestrator.executor`: `dry_run` / `execute`) and print
or write its report."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import httpx
import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn
from rich.table import Table

from asdf_dat.cli.common import (
    NETWORK_HELP,
    CommandError,
    _echo_json,
    _fmt_time,
    _network,
    _report_network,
    _run,
    _transport,
    _wallet,
    command_group,
)
from asdf_dat.config.ecosystem import Ecosystem, load_ecosystem
from asdf_dat.config.lock import DaemonLock
from asdf_dat.network.config import NetworkConfig
from asdf_dat.orchestrator.executor import CycleRun, dry_run, execute
from asdf_dat.orchestrator.graduate import graduate
from asdf_dat.orchestrator.lookup import table_file
from asdf_dat.orchestrator.report import build_report, write_report
from asdf_dat.units import format_sol

app = command_group()

DAEMON_URL_ENV = "DAEMON_URL"
CYCLE_LOCK_FILE = ".cycle-lock.json"
WALLET_WARNING_LAMPORTS = 100_000_000
WALLET_CRITICAL_LAMPORTS = 10_000_000
CYCLE_LOCK_OPERATION = "ecosystem-cycle"
DEFAULT_DAEMON_URL = "http://127.0.0.1:3030"


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
        True,
        "--flush/--no-flush",
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


async def _cycle(
    config_file: Path, network: str | None, dry: bool, as_json: bool, reports_dir: Path, flush: bool
) -> int:
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
                f"wallet {wallet.pubkey()} holds {format_sol(balance)} "
                f"(< {format_sol(WALLET_CRITICAL_LAMPORTS)}): fund it first"
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
        run.plan,
        network=_report_network(config.network),
        total_cost_lamports=run.total_fee,
        moment=moment,
        extra_warnings=extra,
        simulation_failed=any(not b.ok for b in run.batches),
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
                table.add_row(
                    str(i),
                    ", ".join(b.symbols),
                    f"{b.compute_units or 0:,}",
                    f"{b.unit_limit:,}",
                    format_sol(b.fee_lamports),
                    "ok" if b.ok else f"[red]{b.error}[/red]",
                )
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
        _echo_json(
            {
                "network": config.network.value,
                "status": plan.status.value,
                "success": code == 0,
                "note": run.note,
                "lostRace": run.lost_race,
                "transactions": [b.__dict__ | {"logs": list(b.logs[-20:])} for b in run.batches],
                "tokens": [o.__dict__ for o in run.outcomes],
            }
        )
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
                f"[yellow]Cycle too soon (CycleTooSoon)[/yellow]: "
                f"last cycle at {_fmt_time(plan.state_before.cycle_started_at)}, "
                f"next possible in {plan.cooldown_remaining} s"
            )
        elif not plan.tokens:
            out.print("[red]No tokens found[/red]: check the token configs")
        else:
            out.print(
                "[yellow]Insufficient fees (InsufficientFees)[/yellow]: no token reaches its threshold; generate volume"
            )
        out.print(_plan_table(run, "Plan"))
        return code
    table = Table(title=f"Cycle ({config.network.value})")
    for column in ("token", "allocation", "sent to root", "SOL spent", "tokens burned", "result"):
        table.add_column(column)
    for o in run.outcomes:
        table.add_row(
            o.symbol + (" (root)" if o.is_root else ""),
            format_sol(o.allocation),
            format_sol(o.sent_to_root),
            format_sol(o.sol_spent),
            f"{o.tokens_burned:,}",
            "ok" if o.ok else f"[red]{o.error}[/red]",
        )
    out.print(table)
    txs = Table(title="Transactions")
    for column in ("#", "tokens", "CU", "signature / error", "failure recorded"):
        txs.add_column(column)
    for i, b in enumerate(run.batches, 1):
        txs.add_row(
            str(i),
            ", ".join(b.symbols),
            f"{b.compute_units or 0:,}",
            b.signature if b.ok else f"[red]{b.error}[/red]",
            b.failure_recorded or "",
        )
    out.print(txs)
    out.print("Cycle " + ("[green]succeeded[/green]" if code == 0 else "[red]failed[/red]"))
    return code


def wallet_warnings(balance: int) -> list[str]:
    """The seed's wallet health thresholds (> 0.1 SOL healthy, > 0.01 warning, below critical)."""
    if balance < WALLET_CRITICAL_LAMPORTS:
        return [
            f"Wallet balance {format_sol(balance)} is critical "
            f"(< {format_sol(WALLET_CRITICAL_LAMPORTS)}): fund the wallet"
        ]
    if balance < WALLET_WARNING_LAMPORTS:
        return [f"Wallet balance {format_sol(balance)} is low (< {format_sol(WALLET_WARNING_LAMPORTS)})"]
    return []
