"""`asdf-dat doctor`: versions, programs, RPC, wallet and daemon, checked."""

from __future__ import annotations

import json

import typer
from rich.console import Console

from asdf_dat.cli.common import command_group

app = command_group()


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
