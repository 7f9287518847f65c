"""Tokens per transaction and signatures per cycle, from the orchestrator's own packer.

For N tokens of one kind (or the ecosystem mix of `bench.scaling`), the cycle instructions the
executor would build (`dix.execute_cycle_bc` / `execute_cycle_amm`, distinct mints) are packed by
`executor.pack_transactions` with its constants (trace per venue, CU estimate, packet size) and a
lookup table filled as `lookup.ensure_table` fills it (first-seen addresses, at most
`lookup.MAX_ADDRESSES`). Offline: no chain is needed to count bytes and trace entries.
"""

from __future__ import annotations

from dataclasses import dataclass

from solders.address_lookup_table_account import AddressLookupTableAccount
from solders.instruction import Instruction
from solders.pubkey import Pubkey

from asdf_dat.dat import instructions as dix
from asdf_dat.dat.client import MAX_COMPUTE_UNITS
from asdf_dat.dat.cycle import TokenAction, TokenInput, TokenPlan
from asdf_dat.dat.price_reference import RECORDS_PER_TRANSACTION
from asdf_dat.orchestrator import executor
from asdf_dat.orchestrator.lookup import MAX_ADDRESSES, table_addresses
from asdf_dat.pump import addresses as paddr
from asdf_dat.sandbox import SeededKeypairs

PACKING_SIZES = (1, 5, 20, 100)
PRIORITY_MICRO_LAMPORTS = 100_000
"""Only its presence matters here (a SetComputeUnitPrice instruction in every transaction)."""
AMM_EVERY = 5
"""The ecosystem mix of `bench.scaling`: every 5th token on PumpSwap."""


@dataclass(frozen=True)
class TokenKind:
    """One kind of cycle instruction: venue, token program, attribution mode."""

    name: str
    cycle: str
    """The measured cycle of this kind (`bench.cu`)."""
    amm: bool = False
    token_program: Pubkey = paddr.TOKEN_PROGRAM_ID
    fee_sharing: bool = False

    @property
    def pool_type(self) -> int:
        return dix.POOL_AMM if self.amm else dix.POOL_BONDING_CURVE


CURVE = TokenKind("curve, SPL Token, shared vault", "curve secondary (SPL)")
CURVE_T22 = TokenKind(
    "curve, Token-2022, shared vault", "curve secondary (Token-2022)", token_program=paddr.TOKEN_2022_PROGRAM_ID
)
CURVE_FEE_SHARING = TokenKind("curve, SPL Token, fee sharing", "curve fee-sharing secondary (SPL)", fee_sharing=True)
AMM = TokenKind("PumpSwap, SPL Token, shared vault", "PumpSwap secondary (SPL)", amm=True)
AMM_FEE_SHARING = TokenKind(
    "PumpSwap, SPL Token, fee sharing", "PumpSwap fee-sharing secondary (SPL, graduated)", amm=True, fee_sharing=True
)
KINDS = (CURVE, CURVE_T22, CURVE_FEE_SHARING, AMM, AMM_FEE_SHARING)
MIX = "mix: every 5th on PumpSwap (shared vault)"


@dataclass(frozen=True)
class PackingRow:
    tokens: int
    kind: str
    transactions: int
    """Cycle transactions = their signatures (the operator signs alone)."""
    reference_transactions: int
    """`record_price_reference` transactions before the cycle (`RECORDS_PER_TRANSACTION` per transaction)."""
    max_tokens_per_transaction: int
    bound_by: str
    """The limits that closed the transactions (the next token would have broken them), with counts."""
    max_trace: int
    max_bytes: int

    @property
    def signatures(self) -> int:
        return self.transactions + self.reference_transactions


@dataclass(frozen=True)
class TokenCost:
    """What one more token of a kind adds to a cycle transaction, and what fits."""

    kind: TokenKind
    trace_constant: int
    """What the packer counts per token (`TokenInstruction.trace_entries`: executor.CYCLE_TRACE
    for the venue, +1 for a fee-sharing sweep), the venue's collect excepted."""
    bytes_legacy: int
    bytes_with_table: int
    """Marginal bytes of the second token of the kind, without / with the lookup table."""
    fit_by_trace: int
    fit_by_bytes: int
    fit_by_units: int
    fit: int
    """Tokens the packer puts in one transaction (all its limits)."""

    @property
    def lone_cycle_trace(self) -> int:
        """What the packer counts for a transaction's only token: its entries plus its venue's
        collect (`executor.COLLECT_TRACE`, once per venue and transaction)."""
        return self.trace_constant + executor.COLLECT_TRACE


class _Builder:
    """Cycle instructions for distinct seeded mints, as `executor.build_token_instruction` makes them."""

    def __init__(self, operator: Pubkey, fee_recipient: Pubkey, protocol_fee_recipient: Pubkey) -> None:
        self.operator = operator
        self.fee_recipient = fee_recipient
        self.protocol_fee_recipient = protocol_fee_recipient
        self.keys = SeededKeypairs("bench-packing")
        self.root_mint = self.keys().pubkey()

    def item(self, kind: TokenKind) -> executor.TokenInstruction:
        mint = self.keys().pubkey()
        if kind.amm:
            instruction = dix.execute_cycle_amm(
                self.operator, mint, token_program=kind.token_program, pool=paddr.canonical_pool(mint),
                root_mint=self.root_mint, protocol_fee_recipient=self.protocol_fee_recipient, quoted_tokens_out=1,
                fee_sharing=kind.fee_sharing,
            )
        else:
            instruction = dix.execute_cycle_bc(
                self.operator, mint, token_program=kind.token_program, root_mint=self.root_mint,
                fee_recipient=self.fee_recipient, quoted_tokens_out=1, fee_sharing=kind.fee_sharing,
            )
        token = TokenInput(mint=str(mint), symbol=kind.name, is_root=False, pending_fees=0)
        plan = TokenPlan(token, TokenAction.EXECUTE)
        return executor.TokenInstruction(
            plan, instruction, quoted_tokens_out=1, pool_type=kind.pool_type, fee_sharing=kind.fee_sharing
        )


def operator_table(instructions: list[Instruction]) -> AddressLookupTableAccount:
    """The operator's table after `ensure_table` for these instructions (first-seen, capped)."""
    return AddressLookupTableAccount(Pubkey.default(), table_addresses(instructions)[:MAX_ADDRESSES])


def _bound_by(
    operator: Pubkey, batches: list[list[executor.TokenInstruction]], table: AddressLookupTableAccount
) -> str:
    """Which of the packer's limits closed each transaction but the last (the next token would
    have broken them), with how many transactions each closed."""
    closed: dict[str, int] = {}
    for batch, following in zip(batches, batches[1:], strict=False):
        extra = [*batch, following[0]]
        limits = []
        if executor.batch_trace(extra) > executor.MAX_INSTRUCTION_TRACE:
            limits.append("trace")
        if executor.with_margin(sum(i.compute_units for i in extra)) > MAX_COMPUTE_UNITS:
            limits.append("CU")
        size = executor.transaction_size(operator, [i.instruction for i in extra], PRIORITY_MICRO_LAMPORTS, table)
        if size > executor.PACKET_DATA_SIZE:
            limits.append("bytes")
        key = " + ".join(limits)
        closed[key] = closed.get(key, 0) + 1
    return ", ".join(f"{key} ({count})" for key, count in closed.items()) or "–"


Batches = list[list[executor.TokenInstruction]]


def _pack(operator: Pubkey, items: list[executor.TokenInstruction]) -> tuple[Batches, AddressLookupTableAccount]:
    table = operator_table([i.instruction for i in items])
    return executor.pack_transactions(operator, items, PRIORITY_MICRO_LAMPORTS, table), table


def packing_rows(
    operator: Pubkey, fee_recipient: Pubkey, protocol_fee_recipient: Pubkey, sizes: tuple[int, ...] = PACKING_SIZES
) -> list[PackingRow]:
    rows = []
    kinds: list[tuple[str, list[TokenKind]]] = [(k.name, [k]) for k in (CURVE, CURVE_FEE_SHARING, AMM, AMM_FEE_SHARING)]
    kinds.append((MIX, [AMM if i % AMM_EVERY == AMM_EVERY - 1 else CURVE for i in range(max(sizes))]))
    for name, pattern in kinds:
        for size in sizes:
            builder = _Builder(operator, fee_recipient, protocol_fee_recipient)
            items = [builder.item(pattern[i % len(pattern)]) for i in range(size)]
            batches, table = _pack(operator, items)
            fullest = max(batches, key=len)
            sizes_bytes = [
                executor.transaction_size(operator, [i.instruction for i in b], PRIORITY_MICRO_LAMPORTS, table)
                for b in batches
            ]
            rows.append(PackingRow(
                tokens=size,
                kind=name,
                transactions=len(batches),
                reference_transactions=-(-size // RECORDS_PER_TRANSACTION),
                max_tokens_per_transaction=len(fullest),
                bound_by=_bound_by(operator, batches, table),
                max_trace=max(executor.batch_trace(b) for b in batches),
                max_bytes=max(sizes_bytes),
            ))
    return rows


def _size(operator: Pubkey, items: list[executor.TokenInstruction], table: AddressLookupTableAccount | None) -> int:
    return executor.transaction_size(operator, [i.instruction for i in items], PRIORITY_MICRO_LAMPORTS, table)


def token_costs(operator: Pubkey, fee_recipient: Pubkey, protocol_fee_recipient: Pubkey) -> list[TokenCost]:
    out = []
    for kind in KINDS:
        builder = _Builder(operator, fee_recipient, protocol_fee_recipient)
        items = [builder.item(kind) for _ in range(64)]
        table = operator_table([i.instruction for i in items])

        trace = items[0].trace_entries
        by_bytes = 1
        while by_bytes < len(items) and _size(operator, items[: by_bytes + 1], table) <= executor.PACKET_DATA_SIZE:
            by_bytes += 1
        by_units = max(n for n in range(1, len(items) + 1)
                       if executor.with_margin(n * items[0].compute_units) <= MAX_COMPUTE_UNITS)
        batches = executor.pack_transactions(operator, items, PRIORITY_MICRO_LAMPORTS, table)
        out.append(TokenCost(
            kind=kind,
            trace_constant=trace,
            bytes_legacy=_size(operator, items[:2], None) - _size(operator, items[:1], None),
            bytes_with_table=_size(operator, items[:2], table) - _size(operator, items[:1], table),
            fit_by_trace=(executor.MAX_INSTRUCTION_TRACE - executor.COMPUTE_BUDGET_TRACE - executor.COLLECT_TRACE)
            // trace,
            fit_by_bytes=by_bytes,
            fit_by_units=by_units,
            fit=len(batches[0]),
        ))
    return out
