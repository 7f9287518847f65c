"""`asdf-dat` command line.

    asdf-dat demo [--json]                          the main job, in-process
    asdf-dat localnet [--port 8899] [--state-dir .] a local JSON-RPC cluster with the ecosystem
    asdf-dat daemon --network ...                   the fee daemon
    asdf-dat <operator command> ...                 OPERATIONS.md's commands (cycle, stats...)
    asdf-dat --version | doctor [--network N]        what is installed, what this machine reaches
"""

from __future__ import annotations

import json
import signal
import socket
import sys
from pathlib import Path

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from asdf_dat.demo import DemoReport, run_demo
from asdf_dat.deploy_command import register as register_deploy_command
from asdf_dat.orchestrator.commands import app as operator_app
from asdf_dat.orchestrator.token_commands import app as token_app
from asdf_dat.units import format_sol, format_sol_amount, format_token_amount

app = typer.Typer(
    help="asdf-dat: buyback-and-burn engine for pump.fun ecosystems.\n\n"
    "The fee daemon's POST /flush (run by the cycle command first) and scripts/health-check.sh need "
    "DAEMON_URL (where the daemon listens, default http://127.0.0.1:3030) and DAEMON_API_TOKEN (the "
    "daemon refuses /flush without it; set the same value for the daemon and the caller).",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # locals hold RPC URLs with API keys
)


def _print_version(value: bool) -> None:
    if not value:
        return
    from asdf_dat.doctor import version_info

    info = version_info()
    typer.echo(f"asdf-dat {info.version} ({info.python})")
    typer.echo(f"program id {info.program_id} ({info.program_id_source})")
    for program in info.programs:
        digest = program.sha256 or "missing"
        typer.echo(f"{program.crate}.so sha256 {digest}  ({program.source}: {program.path})")
    raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_print_version, is_eager=True, help="package version, program id, program sha256"
    ),
    program_id: str | None = typer.Option(
        None, "--program-id",
        help="the asdf_dat program id for this run (sets ASDF_DAT_PROGRAM_ID; default: that variable, "
        "Anchor.toml's programs.<cluster> section, else the built-in id)",
    ),
) -> None:
    """asdf-dat command line.

    The daemon's POST /flush and scripts/health-check.sh authenticate with DAEMON_API_TOKEN
    (set it for the daemon and for the caller) and find the daemon at DAEMON_URL
    (default http://127.0.0.1:3030).
    """


@app.command()
def doctor(
    network: str = typer.Option("localnet", "--network", help="devnet | mainnet | localnet"),
    daemon_url: str | None = typer.Option(None, "--daemon-url", help="default: $DAEMON_URL, else http://127.0.0.1:3030"),
    as_json: bool = typer.Option(False, "--json", help="print one JSON object"),
) -> None:
    """Versions, programs (path, sha256), RPC, wallet and daemon: run this before asking for help."""
    import asyncio

    from asdf_dat.doctor import run_doctor
    from asdf_dat.network.config import load_network_config

    try:
        config = load_network_config(network)
    except ValueError as exc:
        Console(stderr=True).print(f"[red]Error:[/red] {exc}", highlight=False)
        raise typer.Exit(1) from None
    report = asyncio.run(run_doctor(config, daemon_url=daemon_url))
    if as_json:
        typer.echo(json.dumps(report.to_json(), indent=2))
    else:
        console = Console()
        info = report.version
        console.print(f"asdf-dat {info.version} on {info.python}, network {report.network}", highlight=False)
        console.print(", ".join(f"{name} {version}" for name, version in info.dependencies.items()), highlight=False)
        console.print(f"program id {info.program_id}", highlight=False)
        marks = {"ok": "[green]ok[/green]  ", "warn": "[yellow]warn[/yellow]", "fail": "[red]FAIL[/red]"}
        for check in report.checks:
            console.print(f"{marks[check.status]} {check.name}: {check.detail}", highlight=False, soft_wrap=True)
    raise typer.Exit(0 if report.ok else 1)


# ---------------------------------------------------------------- demo

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
        f"reported {format_sol(sum(r.feesLamports for r in keeper))} (per token, from the trades' events, watermarked); "
        f"fee-sharing mode ({', '.join(r.symbol for r in sharing)}): {format_sol(sum(r.feesLamports for r in sharing))} "
        "reached each token's own fee account on-chain (pump fee sharing, swept by distribute_creator_fees_v2)"
    )
    dry = Table(title="4. Dry run (each token simulated on the current state, nothing sent)", box=box.SIMPLE_HEAD)
    for column in ("token", "action", "budget (SOL)", "quoted tokens", "outcome", "CU"):
        dry.add_column(column, justify="right" if column in ("budget (SOL)", "quoted tokens", "CU") else "left")
    for dry_row in report.dryRun:
        dry.add_row(
            dry_row.symbol,
            dry_row.action,
            format_sol_amount(dry_row.budgetLamports),
            _whole_tokens(dry_row.quotedTokensOut),
            "ok" if dry_row.ok else (f"[yellow]{dry_row.note}[/yellow]" if dry_row.note else f"[red]{dry_row.error}[/red]"),
            f"{dry_row.computeUnits:,}" if dry_row.computeUnits is not None else "-",
        )
    console.print(dry)
    table = Table(title="5. Cycle (secondaries, then the root); amounts in SOL", box=box.SIMPLE_HEAD)
    for column in ("token", "mode", "venue", "fees", "SOL spent", "to root", "pending", "tokens burned", "CU"):
        table.add_column(column, justify="left" if column in ("token", "mode", "venue") else "right")
    for token_row in report.tokens:
        table.add_row(
            f"{token_row.symbol}{'*' if token_row.isRoot else ''}",
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
            f"* root. Its buy spent {format_sol(root.buySolLamports)}: its own fees ({format_sol(root.solSpentLamports)}) "
            f"plus the {format_sol(root.receivedFromOthersLamports)} its secondaries sent to the root treasury. "
            "Per token: fees = SOL spent + sent to root + pending. Tokens burned = tokens bought."
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


# ---------------------------------------------------------------- localnet


@app.command()
def localnet(
    port: int = typer.Option(8899, "--port", help="port on 127.0.0.1 (0: any free port)"),
    state_dir: Path = typer.Option(
        Path("."), "--state-dir", help="where localnet-tokens/ and localnet-wallet.json are written"
    ),
    validator: bool = typer.Option(
        False, "--validator", help="the same world on a real solana-test-validator (`make validator`); WebSocket on port + 1"
    ),
    no_dat: bool = typer.Option(
        False,
        "--no-dat",
        help="the world before your first step: no asdf_dat program at the program id (deploy it with "
        "`anchor deploy` or `asdf-dat deploy`, then `asdf-dat setup localnet-tokens`)",
    ),
) -> None:
    """Serve the ecosystem over Solana JSON-RPC on 127.0.0.1 until Ctrl-C / SIGTERM."""
    if validator and no_dat:
        typer.echo("--no-dat is for the embedded endpoint only", err=True)
        raise typer.Exit(2)
    if validator:
        from asdf_dat.validator.command import run_validator_localnet

        run_validator_localnet(port, state_dir)
        return
    from asdf_dat.sandbox import build_sandbox_sync
    from asdf_dat.localnet.rpc_server import DEFAULT_HOST, LocalnetServerConfig, serve

    if port == 0:
        with socket.socket() as probe:
            probe.bind((DEFAULT_HOST, 0))
            port = int(probe.getsockname()[1])
    eco = build_sandbox_sync(with_dat=not no_dat)
    files = eco.write_files(state_dir.resolve())
    typer.echo(f"asdf-dat localnet: http://{DEFAULT_HOST}:{port}  (ecosystem built in {eco.build_seconds:.2f} s)")
    typer.echo(f"  wallet (admin, keeper) {eco.admin.pubkey()}: {files.wallet}")
    if no_dat:
        from asdf_dat.programs import ASDF_DAT_PROGRAM_ID

        typer.echo(f"  no asdf_dat program at {ASDF_DAT_PROGRAM_ID}: deploy it with this wallet, then `asdf-dat setup localnet-tokens`")
    for path, token in zip(files.token_files, sorted(eco.tokens, key=lambda t: not t.is_root), strict=True):
        typer.echo(f"  {token.symbol}{' (root)' if token.is_root else ''} {token.mint}: {path}")
    for removed in files.removed:
        typer.echo(f"  removed stale {removed}")
    typer.echo("Ctrl-C or SIGTERM to stop.")
    sys.stdout.flush()
    # uvicorn handles SIGINT/SIGTERM (graceful shutdown), then re-raises the signal to the
    # handlers it found: make those record it, so that a requested stop exits with status 0.
    stops: list[int] = []
    previous = {sig: signal.signal(sig, lambda number, _frame: stops.append(number)) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        serve(eco.ledger, LocalnetServerConfig(port=port))
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    typer.echo("asdf-dat localnet stopped")


# ---------------------------------------------------------------- daemon and operator commands


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []},
    add_help_option=False,
)
def daemon(ctx: typer.Context) -> None:
    """The fee daemon (same options as scripts/monitor-ecosystem-fees.py; --help for them).
    `--autopilot <token-config>` also runs the autopilot in the same process (off by default)."""
    from asdf_dat.daemon.entry import main as daemon_main
    from asdf_dat.orchestrator.autopilot import daemon_companion

    raise typer.Exit(daemon_main(list(ctx.args), autopilot=daemon_companion))


def _mount_operator_commands() -> None:
    """OPERATIONS.md's commands (`asdf_dat.orchestrator.commands.app`) as top-level commands."""
    existing = {command.name for command in app.registered_commands}
    for command in [*operator_app.registered_commands, *token_app.registered_commands]:
        if command.name not in existing:
            app.registered_commands.append(command)


_mount_operator_commands()
register_deploy_command(app)
