"""Workaround for the orchestrator's packer (measured side by side with it, never instead of it).

`asdf_dat.orchestrator.executor.pack_by_size` fills a transaction up to the 1,232-byte packet
limit only. With the lookup table, 5 cycle instructions fit in a packet, but their CPIs exceed
the runtime's instruction trace limit (64 entries per transaction, top-level instructions and
every CPI included): the batch is refused in simulation with `MaxInstructionTraceLengthExceeded`
and `execute` then sends every token of it alone, so the live cycle ends up with one transaction
per token.

`TraceAwarePacking` replaces `pack_by_size` (for the duration of a `with` block) by the same
greedy packing that also keeps Σ trace entries ≤ 64 and Σ CU ≤ 1.4M per transaction, with each
token's trace entries and CU measured from its previous cycle transaction's logs.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from solders.address_lookup_table_account import AddressLookupTableAccount
from solders.pubkey import Pubkey

from asdf_dat.orchestrator import executor
from asdf_dat.orchestrator.executor import PACKET_DATA_SIZE, TokenInstruction, transaction_size

from bench.logs import COMPUTE_BUDGET_PROGRAM

MAX_INSTRUCTION_TRACE = 64
MAX_COMPUTE_UNITS = 1_400_000
COMPUTE_BUDGET_INSTRUCTIONS = 2


def trace_entries(logs: Sequence[str]) -> int:
    """Instruction trace entries of a transaction's work, ComputeBudget instructions excluded."""
    return sum(
        1 for line in logs
        if line.startswith("Program ") and " invoke [" in line and not line.startswith(f"Program {COMPUTE_BUDGET_PROGRAM} ")
    )


@dataclass
class TokenCost:
    trace: dict[str, int] = field(default_factory=dict)
    compute_units: dict[str, int] = field(default_factory=dict)

    def learn(self, mint: str, logs: Sequence[str], units: int) -> None:
        self.trace[mint] = max(self.trace.get(mint, 0), trace_entries(logs))
        self.compute_units[mint] = max(self.compute_units.get(mint, 0), units)

    def _trace(self, mint: str) -> int:
        return self.trace.get(mint, max(self.trace.values(), default=MAX_INSTRUCTION_TRACE))

    def _units(self, mint: str) -> int:
        return self.compute_units.get(mint, max(self.compute_units.values(), default=MAX_COMPUTE_UNITS))

    def pack(
        self,
        payer: Pubkey,
        items: Sequence[TokenInstruction],
        micro_lamports: int,
        table: AddressLookupTableAccount | None = None,
    ) -> list[list[TokenInstruction]]:
        batches: list[list[TokenInstruction]] = []
        current: list[TokenInstruction] = []
        trace = COMPUTE_BUDGET_INSTRUCTIONS
        units = 0
        for item in items:
            mint = item.plan.token.mint
            candidate = [*current, item]
            size = transaction_size(payer, [i.instruction for i in candidate], micro_lamports, table)
            fits = (
                size <= PACKET_DATA_SIZE
                and trace + self._trace(mint) <= MAX_INSTRUCTION_TRACE
                and (units + self._units(mint)) * 11 // 10 <= MAX_COMPUTE_UNITS
            )
            if current and not fits:
                batches.append(current)
                current = [item]
                trace = COMPUTE_BUDGET_INSTRUCTIONS + self._trace(mint)
                units = self._units(mint)
            else:
                current = candidate
                trace += self._trace(mint)
                units += self._units(mint)
        if current:
            batches.append(current)
        return batches


@contextmanager
def trace_aware_packing(costs: TokenCost) -> Iterator[None]:
    original = executor.pack_by_size
    executor.pack_by_size = costs.pack
    try:
        yield
    finally:
        executor.pack_by_size = original
