"""`asdf-dat localnet` (a JSON-RPC cluster with the ecosystem) and `asdf-dat daemon` (the fee daemon,
optionally with the autopilot in its process)."""

from __future__ import annotations

import signal
import socket
import sys
from pathlib import Path

import typer

from asdf_dat.cli.common import command_group

app = command_group()


@app.command()
def localnet(
    port: int = typer.Option(8899, "--port", help="port on 127.0.0.1 (0: any free port)"),
    state_dir: Path = typer.Option(
        Path("."), "--state-dir", help="where localnet-tokens/ and localnet-wallet.json are written"
    ),
    validator: bool = typer.Option(
        False,
        "--validator",
        help="the same world on a real solana-test-validator (`make validator`); WebSocket on port + 1",
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
    from asdf_dat.localnet.rpc_server import DEFAULT_HOST, LocalnetServerConfig, serve
    from asdf_dat.sandbox import build_sandbox_sync

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

        typer.echo(
            f"  no asdf_dat program at {ASDF_DAT_PROGRAM_ID}: deploy it with this wallet, "
            "then `asdf-dat setup localnet-tokens`"
        )
    for path, token in zip(files.token_files, sorted(eco.tokens, key=lambda t: not t.is_root), strict=True):
        typer.echo(f"  {token.symbol}{' (root)' if token.is_root else ''} {token.mint}: {path}")
    for removed in files.removed:
        typer.echo(f"  removed stale {removed}")
    typer.echo("Ctrl-C or SIGTERM to stop.")
    sys.stdout.flush()
    # uvicorn handles SIGINT/SIGTERM (graceful shutdown), then re-raises the signal to the
    # handlers it found: make those record it, so that a requested stop exits with status 0.
    stops: list[int] = []
    previous = {
        sig: signal.signal(sig, lambda number, _frame: stops.append(number)) for sig in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        serve(eco.ledger, LocalnetServerConfig(port=port))
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    typer.echo("asdf-dat localnet stopped")


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []},
    add_help_option=False,
)
def daemon(ctx: typer.Context) -> None:
    """The fee daemon (same options as scripts/monitor-ecosystem-fees.py; --help for them).
    `--autopilot <token-config>` also runs the autopilot in the same process (off by default)."""
    from asdf_dat.cli.autopilot import daemon_companion
    from asdf_dat.daemon.entry import main as daemon_main

    raise typer.Exit(daemon_main(list(ctx.args), autopilot=daemon_companion))
