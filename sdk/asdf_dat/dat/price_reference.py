"""Price references before a cycle: every cycle's minimum out is bounded by the token's price as
recorded in an EARLIER slot (`record_price_reference`, permissionless), so nobody — the operator
included — can move the price and cycle in one bundle. The one cycle path (the orchestrator's
executor) therefore first sends the references of the tokens it plans
to cycle, in as few transactions as fit, and waits until the cluster's slot has moved past them.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass

from solders.keypair import Keypair
from solders.message import Message
from solders.pubkey import Pubkey
from solders.transaction import Transaction

from asdf_dat.dat import instructions as ix
from asdf_dat.dat.math import price_reference_usable
from asdf_dat.generated.accounts import TokenStats
from asdf_dat.network.priority_fee import priority_fee_lamports
from asdf_dat.network.protocol import Transport
from asdf_dat.programs import ASDF_DAT_PROGRAM_ID

RECORDS_PER_TRANSACTION = 8
"""Record instructions per transaction (4 accounts each at most: well under the packet size)."""
RECORD_COMPUTE_UNITS = 6_000
"""Compute limit per record instruction (measured: ≈ 2,000 on the curve, ≈ 3,500 on PumpSwap)."""
SIGNATURE_FEE_LAMPORTS = 5_000
SLOT_POLL_SECONDS = 0.1
SLOT_WAIT_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class PriceReferences:
    """What `record_price_references` sent."""

    mints: tuple[Pubkey, ...]
    signatures: tuple[str, ...]
    slot: int
    """The last slot a reference landed in; the cycles run in a later one."""
    fee_lamports: int


def price_reference_fee(tokens: int, micro_lamports: int = 0) -> int:
    """Fee of recording `tokens` references (`RECORDS_PER_TRANSACTION` per transaction)."""
    fee = 0
    for start in range(0, tokens, RECORDS_PER_TRANSACTION):
        limit = RECORD_COMPUTE_UNITS * min(RECORDS_PER_TRANSACTION, tokens - start)
        fee += SIGNATURE_FEE_LAMPORTS + priority_fee_lamports(micro_lamports, limit)
    return fee


def needs_reference(stats: TokenStats, slot: int, margin_slots: int = 10) -> bool:
    """Whether `stats` lacks a reference that a cycle landing within `margin_slots` after `slot`
    could still use."""
    return not price_reference_usable(stats.price_ref_slot, slot + 1 + margin_slots)


async def wait_for_slot_after(
    transport: Transport, slot: int, timeout_seconds: float = SLOT_WAIT_TIMEOUT_SECONDS
) -> int:
    """Polls until the cluster's slot is past `slot` (a LocalLedger moves on after every
    transaction; a cluster every ≈ 400 ms). Returns the new slot."""
    deadline = time.monotonic() + timeout_seconds
    while True:
        current = await transport.get_slot()
        if current > slot:
            return current
        if time.monotonic() > deadline:
            raise TimeoutError(f"the slot did not move past {slot} in {timeout_seconds:.0f} s")
        await asyncio.sleep(SLOT_POLL_SECONDS)


async def record_price_references(
    transport: Transport,
    payer: Keypair,
    stats: Sequence[TokenStats],
    *,
    micro_lamports: int = 0,
    program_id: Pubkey = ASDF_DAT_PROGRAM_ID,
) -> PriceReferences | None:
    """Records the price reference of every token in `stats` (packed, `RECORDS_PER_TRANSACTION`
    per transaction), then waits for the next slot. None when there is nothing to record."""
    if not stats:
        return None
    signatures: list[str] = []
    last_slot = 0
    for start in range(0, len(stats), RECORDS_PER_TRANSACTION):
        chunk = stats[start : start + RECORDS_PER_TRANSACTION]
        limit = RECORD_COMPUTE_UNITS * len(chunk)
        instructions = [
            *ix.compute_budget(limit, micro_lamports),
            *(ix.record_price_reference_for(s, program_id=program_id) for s in chunk),
        ]
        latest = await transport.get_latest_blockhash()
        message = Message.new_with_blockhash(instructions, payer.pubkey(), latest.blockhash)
        transaction = Transaction([payer], message, latest.blockhash)
        status = await transport.send_and_confirm(transaction, last_valid_block_height=latest.last_valid_block_height)
        signatures.append(str(status.signature))
        last_slot = max(last_slot, status.slot)
    await wait_for_slot_after(transport, last_slot)
    fee = price_reference_fee(len(stats), micro_lamports)
    return PriceReferences(tuple(s.mint for s in stats), tuple(signatures), last_slot, fee)
