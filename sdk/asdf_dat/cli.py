"""`asdf-dat` command line."""

from __future__ import annotations

import json
from dataclasses import asdict

import typer
from rich.console import Console
from rich.table import Table

from asdf_dat.demo import run_demo

app = typer.Typer(help="asdf-dat: buyback-and-burn engine for pump.fun ecosystems", no_args_is_help=True)


@app.callback()
def main() -> None:
    """asdf-dat command line."""


@app.command()
def demo(as_json: bool = typer.Option(False, "--json", help="print one JSON object")) -> None:
    """Run the main job on the embedded SVM and print what it cost."""
    report = run_demo()
    if as_json:
        typer.echo(json.dumps(asdict(report), indent=2))
        return
    console = Console()
    programs = Table(title="Programs (target/deploy)")
    programs.add_column("program")
    programs.add_column("sha256")
    for name, digest in report.program_sha256.items():
        programs.add_row(name, digest)
    console.print(programs)
    costs = Table(title="Compute units (LiteSVM)")
    costs.add_column("instruction")
    costs.add_column("CU", justify="right")
    for name, units in report.compute_units.items():
        costs.add_row(name, f"{units:,}")
    console.print(costs)
