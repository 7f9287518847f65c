"""`asdf-dat demo`: the main job in-process (`asdf_dat.demo`), printed as tables or one JSON object."""

from __future__ import annotations

import json

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from asdf_dat.cli.common import command_group
from asdf_dat.demo import DemoReport, run_demo
from asdf_dat.units import format_sol, format_sol_amount, format_token_amount

app = command_group()

TOKEN_DECIMALS = 6


def _whole_tokens(raw: int) -> str:
    """Raw token units as whole tokens (pump coins have 6 decimals)."""
    return format_token_amount(raw, TOKEN_DECIMALS)


def _print_demo(report: DemoReport, console: Console) -> None:
    console.print(
        f"[bold]1. Ecosystem[/bold] built in {report.buildSeconds:.2f} s on an in-process LiteSVM: "
        "asdf_dat + pump/PumpSwap stand-in, DAT initialized, "
        + ", ".join(f"{r.symbol} ({'root, ' if r.isRoot else ''}{r.poolType}, {r.tokenProgram})" for r in report.tokens)
    )
    console.print(
        f"[bold]2. Volume[/bold]: {sum(r.trades for r in report.tokens)} trades by other wallets paid "
        f"{format_sol(report.totals['creatorFeesFromTrades'])} of creator fees (keeper tokens: into the DAT's shared "
        "vaults; fee-sharing tokens: into their own)"
    )
    for line in report.graduations:
        console.print(f"[bold]Graduation[/bold]: {line}", highlight=False)
    keeper = [r for r in report.tokens if r.attribution == "keeper"]
    sharing = [r for r in report.tokens if r.attribution == "fee-sharing"]
    console.print(
        f"[bold]3. Attribution[/bold]: keeper mode ({', '.join(r.symbol for r in keeper)}): update_pending_fees "
        f"reported {format_sol(sum(r.feesLamports for r in keeper))} "
        "(per token, from the trades' events, watermarked); "
        f"fee-sharing mode ({', '.join(r.symbol for r in sharing)}): "
        f"{format_sol(sum(r.feesLamports for r in sharing))} "
        "reached each token's own fee account on-chain (pump fee sharing, swept by distribute_creator_fees_v2)"
    )
    dry = Table(
        title="4. Dry run (`execute-ecosystem-cycle --dry-run`: every planned transaction simulated "
        "on the current state, "
        "nothing sent)",
        box=box.SIMPLE_HEAD,
    )
    for column in ("tx", "token", "action", "budget (SOL)", "quoted tokens", "outcome", "CU"):
        dry.add_column(column, justify="right" if column in ("tx", "budget (SOL)", "quoted tokens", "CU") else "left")
    for dry_row in report.dryRun:
        dry.add_row(
            str(dry_row.transaction or "-"),
            dry_row.symbol,
            dry_row.action,
            format_sol_amount(dry_row.budgetLamports),
            _whole_tokens(dry_row.quotedTokensOut),
            "ok"
            if dry_row.ok
            else (f"[yellow]{dry_row.note}[/yellow]" if dry_row.note else f"[red]{dry_row.error}[/red]"),
            f"{dry_row.computeUnits:,}" if dry_row.computeUnits is not None else "-",
        )
    console.print(dry)
    live = [t for t in report.transactions if t.stage == "live"]
    txs = Table(
        title=f"5. Cycle transactions (the operators' packed path, `orchestrator.executor.execute`): {len(live)} for "
        f"{len(report.tokens)} tokens",
        box=box.SIMPLE_HEAD,
    )
    for column in ("tx", "tokens", "message", "CU", "CU limit", "signature / error"):
        txs.add_column(column, justify="right" if column in ("tx", "CU", "CU limit") else "left")
    for tx in live:
        txs.add_row(
            str(tx.index),
            ", ".join(tx.symbols),
            "v0 + lookup table" if tx.lookupTable else "legacy",
            f"{tx.computeUnits:,}" if tx.computeUnits is not None else "-",
            f"{tx.unitLimit:,}",
            tx.signature or f"[red]{tx.error}[/red]",
        )
    console.print(txs)
    table = Table(title="6. Per token (secondaries, then the root); amounts in SOL", box=box.SIMPLE_HEAD)
    for column in ("token", "tx", "mode", "venue", "fees", "SOL spent", "to root", "pending", "tokens burned", "CU"):
        table.add_column(column, justify="left" if column in ("token", "mode", "venue") else "right")
    for token_row in report.tokens:
        table.add_row(
            f"{token_row.symbol}{'*' if token_row.isRoot else ''}",
            str(token_row.transaction or "-"),
            token_row.attribution,
            "PumpSwap" if token_row.poolType == "pumpswap_amm" else "curve",
            format_sol_amount(token_row.feesLamports),
            format_sol_amount(token_row.solSpentLamports),
            format_sol_amount(token_row.sentToRootLamports),
            format_sol_amount(token_row.pendingLamports),
            _whole_tokens(token_row.tokensBurned),
            f"{token_row.computeUnits:,}" if token_row.computeUnits is not None else "-",
        )
    t = report.totals
    table.add_row(
        "total",
        "",
        "",
        "",
        format_sol_amount(t["feesLamports"]),
        format_sol_amount(t["solSpentLamports"]),
        format_sol_amount(t["sentToRootLamports"]),
        format_sol_amount(t["pendingLamports"]),
        _whole_tokens(t["tokensBurned"]),
        "",
    )
    console.print(table)
    root = next((r for r in report.tokens if r.isRoot), None)
    if root is not None:
        console.print(
            f"* root. Its buy spent {format_sol(root.buySolLamports)}: "
            f"its own fees ({format_sol(root.solSpentLamports)}) "
            f"plus the {format_sol(root.receivedFromOthersLamports)} its secondaries set aside for it. "
            "Per token: fees = SOL spent + sent to root + pending. Tokens burned = tokens bought. "
            "CU '-': the runtime cut that transaction's logs at 10 KB before the instruction's line."
        )
    for failed in (r for r in report.tokens if r.status != "execute"):
        console.print(f"[red]{failed.symbol}: {failed.status}[/red]")
    costs = Table(title="Compute units per instruction (LiteSVM)", box=box.SIMPLE_HEAD)
    costs.add_column("instruction")
    costs.add_column("CU", justify="right")
    for name, units in report.computeUnits.items():
        costs.add_row(name, f"{units:,}")
    console.print(costs)
    for name, passed in report.checks.items():
        console.print(f"{'[green]✓[/green]' if passed else '[red]✗[/red]'} {name}")


@app.command()
def demo(as_json: bool = typer.Option(False, "--json", help="print one JSON object")) -> None:
    """Run the main job on an embedded localnet: ecosystem, volume, attribution, dry run, cycle."""
    report = run_demo()
    if as_json:
        typer.echo(json.dumps(report.to_json(), indent=2))
    else:
        console = Console()
        if not console.is_terminal:
            console = Console(width=max(console.width, 140))
        _print_demo(report, console)
    if not report.ok:
        raise typer.Exit(1)
