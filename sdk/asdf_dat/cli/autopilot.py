"""`asdf-dat autopilot <config>`: run the cycle by itself whenever every rule allows it.

Off unless started. Each check is a dry run (the same planning and simulation as
`execute-ecosystem-cycle --dry-run`); only when its status is READY (tokens over their
thresholds, cooldown over, DAT active, every planned transaction simulating cleanly) does it run
the live cycle through the same code as a manual run (daemon flush, wallet check, cycle lock,
failures recorded on-chain, the same summary), so at most one cycle runs at a time, together
with manual runs. Every decision is one JSON line on stdout.

`asdf-dat daemon --autopilot <config>` runs the same loop inside the fee daemon's process
(`daemon_companion`): before each cycle it flushes that daemon directly (no HTTP, no token),
and it stops with the daemon.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable, Coroutine
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import typer

from asdf_dat.cli.common import NETWORK_HELP, CommandError, _network, _run, _transport, _wallet, command_group
from asdf_dat.cli.cycle import _cycle
from asdf_dat.config.ecosystem import TokenConfigError, load_ecosystem
from asdf_dat.config.lock import LockError
from asdf_dat.network.results import TransportError
from asdf_dat.orchestrator.executor import dry_run
from asdf_dat.orchestrator.graduate import graduate
from asdf_dat.orchestrator.lookup import table_file
from asdf_dat.orchestrator.report import Status, report_status

app = command_group()


class FlushSummary(Protocol):
    """What the autopilot reads of a daemon flush (`daemon.api.FlushResult`)."""

    @property
    def success(self) -> bool: ...
    @property
    def tokens_updated(self) -> int: ...
    @property
    def error(self) -> str | None: ...


class InProcessDaemon(Protocol):
    """The fee daemon as its companion sees it (`daemon.service.FeeDaemon`), typed here so that
    `cli/` does not import `daemon/`."""

    async def flush_now(self, reason: str) -> FlushSummary: ...
    async def wait_stop(self, timeout: float) -> bool: ...


def _line(event: str, **fields: object) -> None:
    typer.echo(json.dumps({"time": datetime.now(UTC).isoformat(timespec="seconds"), "event": event, **fields}))


async def check_status(config_file: Path, network: str | None) -> Status:
    """What a dry run says right now. Tokens graduated to PumpSwap are moved there first
    (`orchestrator.graduate`, the only thing sent), so that their fees count in the plan."""
    config = _network(network, config_file)
    ecosystem = load_ecosystem(config_file, config.network)
    wallet = _wallet(config)
    async with _transport(config) as transport:
        graduation = await graduate(transport, wallet, ecosystem)
        for outcome in graduation.outcomes:
            _line("graduation", token=outcome.graduation.symbol, status=outcome.status, detail=outcome.describe())
        run = await dry_run(transport, wallet, graduation.ecosystem, table_path=table_file(config.network.value))
    return report_status(run.plan, simulation_failed=run.failed)


@app.command("autopilot")
def autopilot(
    config_file: Path = typer.Argument(..., help="a token config file; its directory is the ecosystem"),
    network: str | None = typer.Option(None, "--network", "-n", help=NETWORK_HELP),
    interval_seconds: float = typer.Option(30.0, "--interval-seconds", min=1.0, help="seconds between checks"),
    max_cycles: int | None = typer.Option(
        None, "--max-cycles", min=1, help="stop after this many cycles (default: never)"
    ),
    reports_dir: Path = typer.Option(Path("reports"), "--reports-dir"),
    flush: bool = typer.Option(True, "--flush/--no-flush", help="POST /flush to the fee daemon before each cycle"),
) -> None:
    """Run the cycle whenever a dry run says READY; one at a time, same records as a manual run."""
    _run(_autopilot(config_file, network, interval_seconds, max_cycles, reports_dir, flush))


async def _autopilot(
    config_file: Path,
    network: str | None,
    interval: float,
    max_cycles: int | None,
    reports_dir: Path,
    flush: bool,
    *,
    before_cycle: Callable[[], Awaitable[None]] | None = None,
    wait_stop: Callable[[float], Awaitable[bool]] | None = None,
) -> int:
    """The loop. `before_cycle` replaces the HTTP flush (`flush`) when the daemon is in-process;
    `wait_stop(seconds)` replaces the sleep between checks and ends the loop when it says True."""
    if not config_file.is_file():
        raise CommandError(f"token config {config_file} not found")
    cycles = failures = 0
    _line("started", config=str(config_file), intervalSeconds=interval, maxCycles=max_cycles)
    while max_cycles is None or cycles < max_cycles:
        if wait_stop is not None and await wait_stop(0):
            break
        started = time.monotonic()
        try:
            status = await check_status(config_file, network)
        except (TransportError, TokenConfigError) as exc:
            _line("check_failed", error=str(exc))
            status = None
        if status == "READY":
            _line("cycle_start", status=status)
            try:
                if before_cycle is not None:
                    await before_cycle()
                code = await _cycle(config_file, network, False, True, reports_dir, flush and before_cycle is None)
            except LockError as exc:  # a manual run holds the cycle lock: next check
                _line("cycle_skipped", reason=str(exc))
            except (CommandError, TransportError) as exc:
                failures += 1
                _line("cycle_error", error=str(exc))
            else:
                cycles += 1
                failures += code != 0
                _line("cycle_done", success=code == 0, cycles=cycles)
                continue  # re-check at once: the next status is usually COOLDOWN_ACTIVE
        elif status is not None:
            _line("waiting", status=status)
        remaining = max(0.0, interval - (time.monotonic() - started))
        if wait_stop is None:
            await asyncio.sleep(remaining)
        elif await wait_stop(remaining):
            break
    _line("stopped", cycles=cycles, failures=failures)
    return 0


def daemon_companion(
    config_file: Path, interval: float, network: str
) -> Callable[[InProcessDaemon], Coroutine[Any, Any, object]]:
    """The autopilot as a companion of the fee daemon (`asdf-dat daemon --autopilot`)."""

    async def companion(daemon: InProcessDaemon) -> object:
        async def flush() -> None:
            result = await daemon.flush_now("autopilot")
            _line("daemon_flush", success=result.success, tokensUpdated=result.tokens_updated, error=result.error)

        return await _autopilot(config_file, network, interval, None, Path("reports"), False,
                                before_cycle=flush, wait_stop=daemon.wait_stop)

    return companion
