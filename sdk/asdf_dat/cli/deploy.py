"""`asdf-dat deploy`: deploy or upgrade the program from the SDK (`asdf_dat.deploy`), for
operators without Solana's or Anchor's CLI."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from solders.keypair import Keypair

from asdf_dat.cli.common import command_group
from asdf_dat.deploy import DeployError, DeployResult, deploy_program
from asdf_dat.network.config import Network, load_network_config, parse_network
from asdf_dat.network.results import TransportError
from asdf_dat.network.transport import connect
from asdf_dat.network.wallet import WalletError, load_keypair, write_keypair
from asdf_dat.programs import ASDF_DAT_PROGRAM_ID, deploy_dir
from asdf_dat.units import format_sol


def _program_keypair(path: Path, console: Console) -> Keypair:
    if path.exists():
        return load_keypair(path)
    keypair = Keypair()
    write_keypair(path, keypair)
    console.print(f"new program keypair {keypair.pubkey()} written to {path}")
    return keypair


async def _deploy(
    network: str,
    program: Path,
    program_keypair_file: Path,
    authority_file: Path | None,
    max_len: int | None,
    buffer_file: Path | None,
    as_json: bool,
) -> DeployResult:
    config = load_network_config(parse_network(network))
    payer = load_keypair(config.wallet_path, network=config.network)
    console = Console(stderr=True)
    program_keypair = _program_keypair(program_keypair_file, console)
    authority = load_keypair(authority_file) if authority_file is not None else None
    if program_keypair.pubkey() != ASDF_DAT_PROGRAM_ID and program.name == "asdf_dat.so":
        console.print(
            f"[yellow]note:[/yellow] this asdf_dat.so declares {ASDF_DAT_PROGRAM_ID}; Anchor rejects calls "
            f"under {program_keypair.pubkey()} unless it was built for that id"
        )
    buffer_path = buffer_file or program_keypair_file.with_name(f".{program_keypair.pubkey()}-buffer.json")
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=as_json,
        transient=False,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = bar.add_task("writing chunks" if phase == "write" else "verifying buffer", total=total)
            bar.update(tasks[phase], completed=done, total=total)

        async with connect(config) as transport:
            return await deploy_program(
                transport,
                payer,
                program.read_bytes(),
                program_keypair,
                buffer_file=buffer_path,
                upgrade_authority=authority,
                max_data_len=max_len,
                progress=progress,
            )


def deploy(
    network: str = typer.Option(Network.LOCALNET.value, "--network", help="localnet | devnet | mainnet"),
    program: Path = typer.Option(None, "--program", help="the .so to deploy (default: target/deploy/asdf_dat.so)"),
    program_keypair: Path = typer.Option(
        None,
        "--program-keypair",
        help="the program id's keypair (default: target/deploy/asdf_dat-keypair.json; created if missing)",
    ),
    upgrade_authority: Path = typer.Option(
        None, "--upgrade-authority", help="keypair file of the upgrade authority (default: the network's wallet)"
    ),
    max_len: int = typer.Option(None, "--max-len", help="ProgramData room in bytes (default: twice the program)"),
    buffer_file: Path = typer.Option(
        None, "--buffer-keypair", help="where the buffer keypair is kept between runs (a rerun resumes its writes)"
    ),
    as_json: bool = typer.Option(False, "--json", help="print the result as JSON"),
) -> None:
    """Deploy (or upgrade) the program with the BPF upgradeable loader: buffer, chunked writes
    (resumable), DeployWithMaxDataLen / Upgrade. The wallet pays; RPC_URL picks the endpoint."""
    err = Console(stderr=True, soft_wrap=True)
    so = program or deploy_dir() / "asdf_dat.so"
    keypair_file = program_keypair or so.with_name(f"{so.stem}-keypair.json")
    if not so.is_file():
        err.print(f"[red]Error:[/red] {so} not found (run `make build`)", highlight=False)
        raise typer.Exit(1)
    try:
        result = asyncio.run(_deploy(network, so, keypair_file, upgrade_authority, max_len, buffer_file, as_json))
    except (DeployError, WalletError, ValueError, OSError) as exc:
        err.print(f"[red]Error:[/red] {exc}", highlight=False)
        raise typer.Exit(1) from None
    except TransportError as exc:
        err.print(f"[red]Network error:[/red] {exc}", highlight=False)
        raise typer.Exit(1) from None
    summary = {
        "programId": str(result.program_id),
        "programData": str(result.programdata),
        "action": result.action,
        "signature": str(result.signature),
        "slot": result.slot,
        "programBytes": result.program_len,
        "maxDataLen": result.max_data_len,
        "chunks": result.chunks,
        "chunksWritten": result.chunks_written,
        "feesLamports": result.fees_lamports,
    }
    if as_json:
        typer.echo(json.dumps(summary, indent=2))
        return
    typer.echo(
        f"{result.action} of {so.name} ({result.program_len:,} bytes, max {result.max_data_len:,}) at "
        f"{result.program_id}: {result.chunks_written}/{result.chunks} chunks written, fees "
        f"{format_sol(result.fees_lamports)}\n  signature {result.signature} (slot {result.slot})"
    )


app = command_group()
app.command(name="deploy")(deploy)
