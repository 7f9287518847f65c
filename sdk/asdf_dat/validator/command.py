"""`asdf-dat localnet --validator`: run the world on solana-test-validator until Ctrl-C / SIGTERM."""

from __future__ import annotations

import asyncio
import signal
import sys
import threading
from pathlib import Path

import typer

from asdf_dat.validator.binary import ValidatorNotFoundError
from asdf_dat.validator.localnet import ValidatorLocalnet, start_validator_localnet
from asdf_dat.validator.process import free_port_pair


def run_validator_localnet(port: int, state_dir: Path) -> None:
    if port == 0:
        port = free_port_pair()
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    world: ValidatorLocalnet | None = None
    try:
        try:
            world = asyncio.run(
                start_validator_localnet(state_dir.resolve(), port=port, progress=lambda text: typer.echo(f"  {text}"))
            )
        except ValidatorNotFoundError as exc:
            typer.echo(f"Error: {exc}", err=True)
            raise typer.Exit(1) from None
        files = world.files
        assert files is not None
        typer.echo(f"asdf-dat localnet (solana-test-validator): {world.url}  WebSocket {world.ws_url}")
        typer.echo(f"  wallet (admin, keeper, upgrade authority) {world.admin.pubkey()}: {files.wallet}")
        for path, token in zip(files.token_files, sorted(world.tokens, key=lambda t: not t.is_root), strict=True):
            typer.echo(f"  {token.symbol}{' (root)' if token.is_root else ''} {token.mint}: {path}")
        typer.echo(f"  validator log: {world.process.ledger}/validator.log (pid {world.process.pid})")
        typer.echo("Ctrl-C or SIGTERM to stop.")
        sys.stdout.flush()
        while not stop.wait(0.5):
            if not world.process.alive():
                typer.echo(
                    f"solana-test-validator exited ({world.process.popen.returncode}):\n{world.process.log_tail()}",
                    err=True,
                )
                raise typer.Exit(1)
    finally:
        if world is not None:
            world.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    typer.echo("asdf-dat localnet stopped (validator stopped, ledger removed)")
