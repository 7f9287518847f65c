"""`asdf-dat failures`: the recorded cycle failures, read from the chain only.

Source: the DAT state account's transaction history (`getSignaturesForAddress`), newest first.
Each `record_failure` transaction logs a `CycleFailed` event (error code, consecutive count,
time) and carries a memo of what failed (orchestrator/failure_memo.py): the stage, the tokens,
the error, and the failed transaction's signature when it landed. A failure caught in
simulation never landed, so it has no failed signature: it is shown as "simulation only, no
signature" with the tokens and error of the simulated transaction; the record's own signature
is always there. Records without a memo (another client's): the nearest failed transaction
that touched the state before the record is reported as the failed one.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime

import typer
from rich.console import Console
from rich.table import Table
from solders.rpc.responses import RpcConfirmedTransactionStatusWithSignature

from asdf_dat.cli.common import NETWORK_HELP, _echo_json, _network, _run, _transport, command_group
from asdf_dat.dat.errors import error_for_code
from asdf_dat.dat.events import CycleFailed, decode_events
from asdf_dat.dat.pdas import state_address
from asdf_dat.network.protocol import Transport
from asdf_dat.orchestrator.failure_memo import FailureDetail, failure_detail_of

app = command_group()

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
    """The landed `record_failure` transaction."""
    failed_in: str
    """`simulation` (refused in preflight, never landed), `transaction` (landed and failed), or
    `unknown` (a record without our memo)."""
    failed_signature: str | None
    """The failed cycle transaction, when it landed; None when it failed in simulation."""
    tokens: list[str]
    error: str | None
    slot: int


def error_name(code: int) -> str:
    if code == 0:
        return "not a program error"
    known = error_for_code(code)
    return known.name if known is not None else f"unknown ({code})"


async def read_failures(transport: Transport, *, limit: int, max_history: int = 10_000) -> list[RecordedFailure]:
    """The last `limit` recorded failures, newest first (scans at most `max_history` transactions)."""
    history: list[tuple[RpcConfirmedTransactionStatusWithSignature, _Record | None]] = []
    records = 0
    before = None
    while records < limit and len(history) < max_history:
        page = await transport.get_signatures_for_address(state_address(), before=before, limit=PAGE_SIZE)
        for info in page:
            record = None if info.err is not None else await _cycle_failed(transport, info)
            history.append((info, record))
            records += record is not None
        if len(page) < PAGE_SIZE:
            break
        before = page[-1].signature
    # Oldest first: a record takes the latest failed transaction since the previous record.
    found: list[RecordedFailure] = []
    failed_since_last: str | None = None
    for info, record in reversed(history):
        if info.err is not None:
            failed_since_last = str(info.signature)
        elif record is not None:
            event, detail = record
            failed_in: str
            if detail is not None:
                failed_in, failed_signature = detail.stage, detail.signature
            else:
                failed_in, failed_signature = "unknown", failed_since_last
            found.append(RecordedFailure(
                timestamp=event.timestamp,
                time=datetime.fromtimestamp(event.timestamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                error_code=event.error_code,
                error_name=error_name(event.error_code),
                consecutive_failures=event.consecutive_failures,
                failed_cycles=event.failed_cycles,
                record_signature=str(info.signature),
                failed_in=failed_in,
                failed_signature=failed_signature,
                tokens=list(detail.tokens) if detail is not None else [],
                error=detail.error if detail is not None else None,
                slot=info.slot,
            ))
            failed_since_last = None
    return found[::-1][:limit]


_Record = tuple[CycleFailed, FailureDetail | None]


async def _cycle_failed(transport: Transport, info: RpcConfirmedTransactionStatusWithSignature) -> _Record | None:
    """The `CycleFailed` event of a `record_failure` transaction, with its memo if it has one."""
    tx = await transport.get_transaction(info.signature)
    meta = tx.transaction.meta if tx is not None else None
    if tx is None or meta is None or meta.log_messages is None:
        return None
    for event in decode_events(meta.log_messages):
        if isinstance(event.data, CycleFailed):
            return event.data, failure_detail_of(tx)
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
    for column in ("time (UTC)", "code", "error", "consecutive", "tokens", "failed tx", "record_failure tx"):
        table.add_column(column, overflow="fold")
    for f in found:
        table.add_row(f.time, str(f.error_code), f.error_name, str(f.consecutive_failures), ", ".join(f.tokens) or "?",
                      _failed_tx(f), f.record_signature)
    Console(width=250).print(table)
    return 0


def _failed_tx(failure: RecordedFailure) -> str:
    if failure.failed_in == "simulation":
        return f"simulation only, no signature ({failure.error or 'no detail'})"
    if failure.failed_signature is None:
        return "unknown (no memo, no failed transaction found)"
    return failure.failed_signature
