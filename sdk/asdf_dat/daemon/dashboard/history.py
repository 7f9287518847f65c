"""Cycle history from the chain: the program's `CycleCompleted`, `CycleDeferred` and `CycleFailed`
events, stored in the daemon's ledger (`cycle_events`) so a restart keeps them.

Every cycle transaction (and `record_failure`) writes the DAT state account, so its signature
history holds them all. `sync_history` pages that history back to the stored cursor (the whole
history on first start: the backfill), fetches each transaction once, oldest first, and commits
its events together with the cursor, chunk by chunk: a failed fetch stops there and the next call
resumes from the last committed transaction. The daemon's own fee reports are skipped unread.

The runtime truncates a transaction's logs past 10,000 bytes ("Log truncated"): a cycle
transaction of several tokens can lose its last events. While the daemon runs it also derives
a token's cycle from its `TokenStats` when they advanced by exactly one cycle between two reads
(`derived_cycle_events`); the ledger keeps one `completed` row per (token, cycle), whichever
source came first. Cycles whose events were truncated before the daemon ran stay missing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from solders.pubkey import Pubkey
from solders.rpc.responses import RpcConfirmedTransactionStatusWithSignature
from solders.signature import Signature
from solders.transaction_status import EncodedConfirmedTransactionWithStatusMeta

from asdf_dat.daemon.dashboard.snapshot import ChainSnapshot
from asdf_dat.daemon.ledger import Cursor, CycleEventRow, Ledger
from asdf_dat.dat.events import CycleCompleted, CycleDeferred, CycleFailed, decode_events
from asdf_dat.network.protocol import Transport
from asdf_dat.network.results import TransportError

logger = logging.getLogger(__name__)

LOG_TRUNCATED = "Log truncated"
DERIVED_PREFIX = "stats:"
PAGE_LIMIT = 1000
CHUNK = 50
FETCH_CONCURRENCY = 8


def cycle_events_of(signature: str, slot: int, logs: Sequence[str]) -> list[CycleEventRow]:
    """The cycle events a transaction's logs carry (only lines logged by our program count)."""
    rows: list[CycleEventRow] = []
    for event in decode_events(logs):
        data = event.data
        if isinstance(data, CycleCompleted):
            rows.append(CycleEventRow(
                signature=signature, event_index=event.log_index, slot=slot, timestamp=int(data.timestamp),
                kind="completed", mint=str(data.mint), cycle_id=int(data.cycle_id), allocation=int(data.allocation),
                sent_to_root=int(data.sent_to_root), sol_spent=int(data.sol_spent),
                tokens_burned=int(data.tokens_burned), pending_fees=int(data.pending_fees),
            ))
        elif isinstance(data, CycleDeferred):
            rows.append(CycleEventRow(
                signature=signature, event_index=event.log_index, slot=slot, timestamp=int(data.timestamp),
                kind="deferred", mint=str(data.mint), allocation=int(data.allocation),
                pending_fees=int(data.pending_fees), code=int(data.reason),
            ))
        elif isinstance(data, CycleFailed):
            rows.append(CycleEventRow(
                signature=signature, event_index=event.log_index, slot=slot, timestamp=int(data.timestamp),
                kind="failed", code=int(data.error_code), consecutive_failures=int(data.consecutive_failures),
            ))
    return rows


def derived_cycle_events(previous: ChainSnapshot, current: ChainSnapshot) -> list[CycleEventRow]:
    """A `completed` row per token whose stats advanced by exactly one cycle between two reads:
    the deltas are that cycle's amounts (the signature is `stats:<mint>:<cycle id>`)."""
    rows: list[CycleEventRow] = []
    for mint, now in current.tokens.items():
        before = previous.tokens.get(mint)
        if (
            now is None
            or before is None
            or now.cycles != before.cycles + 1
            or now.last_cycle_id <= before.last_cycle_id
        ):
            continue
        rows.append(CycleEventRow(
            signature=f"{DERIVED_PREFIX}{mint}:{now.last_cycle_id}", event_index=0, slot=0,
            timestamp=now.last_cycle_at, kind="completed", mint=mint, cycle_id=now.last_cycle_id,
            sent_to_root=now.total_sent_to_root - before.total_sent_to_root,
            sol_spent=now.total_sol_spent - before.total_sol_spent,
            tokens_burned=now.total_tokens_burned - before.total_tokens_burned,
            pending_fees=now.pending_fees,
        ))
    return rows


@dataclass(frozen=True)
class HistorySyncResult:
    transactions_read: int
    events_added: int
    complete: bool
    error: str | None = None
    truncated: int = 0


async def _newer_signatures(
    transport: Transport, address: Pubkey, until: Signature | None
) -> list[RpcConfirmedTransactionStatusWithSignature]:
    """Every signature of `address` newer than `until` (all of them without one), newest first."""
    out: list[RpcConfirmedTransactionStatusWithSignature] = []
    before: Signature | None = None
    while True:
        page = await transport.get_signatures_for_address(address, before=before, until=until, limit=PAGE_LIMIT)
        out.extend(page)
        if len(page) < PAGE_LIMIT:
            return out
        before = page[-1].signature


def _logs(tx: EncodedConfirmedTransactionWithStatusMeta) -> list[str]:
    meta = tx.transaction.meta
    if meta is None or meta.err is not None or meta.log_messages is None:
        return []
    return list(meta.log_messages)


async def sync_history(transport: Transport, ledger: Ledger, state_address: Pubkey) -> HistorySyncResult:
    """Read the DAT state's transactions since the stored cursor and store their cycle events."""
    cursor = ledger.history_cursor()
    until = Signature.from_string(cursor.signature) if cursor is not None else None
    try:
        newest_first = await _newer_signatures(transport, state_address, until)
    except TransportError as exc:
        return HistorySyncResult(0, 0, False, str(exc))
    pending = list(reversed(newest_first))
    own_reports = ledger.report_signatures([str(s.signature) for s in pending])
    semaphore = asyncio.Semaphore(FETCH_CONCURRENCY)
    truncated = 0

    async def fetch(status: RpcConfirmedTransactionStatusWithSignature) -> list[CycleEventRow]:
        signature = str(status.signature)
        if status.err is not None or signature in own_reports:
            return []
        async with semaphore:
            tx = await transport.get_transaction(status.signature)
        if tx is None:
            raise TransportError(f"transaction {signature} not available yet")
        logs = _logs(tx)
        rows = cycle_events_of(signature, status.slot, logs)
        if rows and any(line.startswith(LOG_TRUNCATED) for line in logs):
            nonlocal truncated
            truncated += 1
            logger.warning(
                "cycle transaction %s: logs truncated by the runtime, some events are not readable", signature
            )
        return rows

    read = added = 0
    for start in range(0, len(pending), CHUNK):
        chunk = pending[start : start + CHUNK]
        try:
            found = await asyncio.gather(*(fetch(s) for s in chunk))
        except TransportError as exc:
            return HistorySyncResult(read, added, False, str(exc), truncated)
        last = chunk[-1]
        added += ledger.record_cycle_events([e for rows in found for e in rows],
                                            Cursor("history", str(last.signature), last.slot))
        read += len(chunk)
    if added:
        logger.info("cycle history: %d new events from %d transactions", added, read)
    return HistorySyncResult(read, added, True, None, truncated)
