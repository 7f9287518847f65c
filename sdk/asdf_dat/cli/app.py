"""`asdf-dat` command line: the root command and its command groups, one module each.

    asdf-dat demo [--json]                          the main job, in-process          (cli/demo.py)
    asdf-dat localnet [--port 8899] [--state-dir .] a local JSON-RPC cluster          (cli/localnet.py)
    asdf-dat daemon --network ...                   the fee daemon                    (cli/localnet.py)
    asdf-dat <operator command> ...                 OPERATIONS.md's commands: the cycle (cli/cycle.py),
                                                    reads (cli/status.py), volume (cli/volume.py), tokens
                                                    (cli/tokens.py), admin and governance (cli/admin.py),
                                                    autopilot, failures, setup, wallet, deploy
    asdf-dat --version | doctor [--network N]        what is installed, what this machine reaches
"""

from __future__ import annotations

import typer

from asdf_dat.cli import (
    admin,
    autopilot,
    cycle,
    demo,
    deploy,
    doctor,
    history,
    localnet,
    setup,
    status,
    tokens,
    volume,
    wallet,
)

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


GROUPS: tuple[typer.Typer, ...] = (
    doctor.app,
    demo.app,
    localnet.app,
    cycle.app,
    status.app,
    volume.app,
    tokens.app,
    admin.app,
    autopilot.app,
    history.app,
    setup.app,
    wallet.app,
    deploy.app,
)
"""Every command group, in the order `asdf-dat --help` lists them."""


def mount(target: typer.Typer, groups: tuple[typer.Typer, ...]) -> typer.Typer:
    """Each group's commands as top-level commands of `target`."""
    for group in groups:
        target.registered_commands.extend(group.registered_commands)
    return target


mount(app, GROUPS)
