"""`asdf-dat failures`: the recorded cycle failures, read from the chain only.

Source: the DAT state account's transaction history (`getSignaturesForAddress`), newest first.
Each `record_failure` transaction logs a `CycleFailed` event (error code, consecutive count,
time). A failed cycle transaction that landed on-chain (error after preflight) touches the
state too: the nearest one before a record is reported as the failed transaction. A failure
caught by simulation never landed, so it has no failed signature, only the record's.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime

import typer
from solders.rpc.responses import RpcConfirmedTransactionStatusWithSignature
from rich.console import Console
from rich.table import Table

from asdf_dat.dat.errors import error_for_code
from asdf_dat.dat.events import CycleFailed, decode_events
from asdf_dat.dat.pdas import state_address
from asdf_dat.network.protocol import Transport
from asdf_dat.orchestrator.commands import NETWORK_HELP, _echo_json, _network, _run, _transport, app

PAGE_SIZE = 1000


@dataclass(frozen=True)
class RecordedFailure:
    timestamp: int
    time: str
    error_code: int
    error_name: str
    consecutive_failures: int
    failed_cycles: int
    record_signature: str
    failed_signature: str | None
    slot: int


def error_name(code: int) -> str:
    if code == 0:
        return "not a program error"
    known = error_for_code(code)
    return known.name if known is not None else f"unknown ({code})"


async def read_failures(transport: Transport, *, limit: int, max_history: int = 10_000) -> list[RecordedFailure]:
    """The last `limit` recorded failures, newest first (scans at most `max_history` transactions)."""
    history: list[tuple[RpcConfirmedTransactionStatusWithSignature, CycleFailed | None]] = []
    records = 0
    before = None
    while records < limit and len(history) < max_history:
        page = await transport.get_signatures_for_address(state_address(), before=before, limit=PAGE_SIZE)
        for info in page:
            event = None if info.err is not None else await _cycle_failed(transport, info)
            history.append((info, event))
            records += event is not None
        if len(page) < PAGE_SIZE:
            break
        before = page[-1].signature
    # Oldest first: a record takes the latest failed transaction since the previous record.
    found: list[RecordedFailure] = []
    failed_since_last: str | None = None
    for info, event in reversed(history):
        if info.err is not None:
            failed_since_last = str(info.signature)
        elif event is not None:
            found.append(RecordedFailure(
                timestamp=event.timestamp,
                time=datetime.fromtimestamp(event.timestamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                error_code=event.error_code,
                error_name=error_name(event.error_code),
                consecutive_failures=event.consecutive_failures,
                failed_cycles=event.failed_cycles,
                record_signature=str(info.signature),
                failed_signature=failed_since_last,
                slot=info.slot,
            ))
            failed_since_last = None
    return found[::-1][:limit]


async def _cycle_failed(
    transport: Transport, info: RpcConfirmedTransactionStatusWithSignature
) -> CycleFailed | None:
    tx = await transport.get_transaction(info.signature)
    meta = tx.transaction.meta if tx is not None else None
    if meta is None or meta.log_messages is None:
        return None
    for event in decode_events(meta.log_messages):
        if isinstance(event.data, CycleFailed):
            return event.data
    return None


@app.command("failures")
def failures(
    limit: int = typer.Option(10, "--limit", min=1, max=1000, help="how many (newest first)"),
    network: str | None = typer.Option(None, "--network", "-n", help=NETWORK_HELP),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Recorded cycle failures from the chain: time, error code and name, transaction, consecutive count."""
    _run(_failures(limit, network, as_json))


async def _failures(limit: int, network: str | None, as_json: bool) -> int:
    config = _network(network)
    async with _transport(config) as transport:
        found = await read_failures(transport, limit=limit)
    if as_json:
        _echo_json({"network": config.network.value, "failures": [asdict(f) for f in found]})
        return 0
    if not found:
        typer.echo("No recorded failures")
        return 0
    table = Table(title=f"Recorded failures ({config.network.value}), newest first")
    for column in ("time (UTC)", "code", "error", "consecutive", "failed tx", "record_failure tx"):
        table.add_column(column)
    for f in found:
        table.add_row(f.time, str(f.error_code), f.error_name, str(f.consecutive_failures),
                      f.failed_signature or "(caught in simulation)", f.record_signature)
    Console(width=250).print(table)
    return 0
