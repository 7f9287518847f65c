"""Ecosystems of N tokens: transactions, signatures, CU, fees per token and wall time per cycle.

Per size: build the world (`bench.world`), run one warm-up cycle (it creates the operator's
address lookup table, a one-off), then `runs` measured cycles. Each cycle: one buy per token by
another wallet, attribution as the daemon does it (10 tokens per `update_pending_fees`), the
clock moved 60 s (cooldown), then timed with `time.perf_counter`:

* plan: what the orchestrator does before its first send (`read_snapshot`, `plan_cycle`, a
  fee-aware quote and instruction per token, packing into transactions);
* dry run: `orchestrator.executor.dry_run` (plan + simulate every transaction);
* execute: `orchestrator.executor.execute` (live; re-plans from the chain after each transaction).
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from solders.pubkey import Pubkey

from asdf_dat.orchestrator import executor
from asdf_dat.orchestrator.executor import CycleRun, build_token_instructions, dry_run, execute, read_snapshot
from asdf_dat.orchestrator.lookup import load_table
from asdf_dat.pump.events import BuyEvent, TradeEvent, events_from_inner_instructions
from bench.logs import CuBreakdown, breakdown
from bench.world import Attribution, BenchWorld, make_world, per_token_conservation

SIGNATURE_FEE = 5_000
SEED_FEE_PER_TOKEN = 7_000_000
"""The seed's `estimatedTxFeesPerToken` (0.007 SOL), one transaction per token (secondaries + root)."""
COOLDOWN_SECONDS = 60
SHIPPED = "orchestrator as shipped"


def priority_fee(unit_limit: int, micro_lamports: int) -> int:
    return -(-unit_limit * micro_lamports // 1_000_000)


@dataclass
class CycleMeasure:
    plan_seconds: float
    dry_run_seconds: float
    execute_seconds: float
    transactions: int
    """Every transaction the operator sent during the live cycle."""
    cycle_transactions: int
    signatures: int
    tokens_processed: int
    max_tokens_per_transaction: int
    compute_units: int
    unit_limit: int
    fee_charged: int
    """Lamports the operator's balance lost during the cycle (= Σ fees the ledger charged)."""
    fee_at: dict[int, int]
    """µlamports/CU -> lamports: signatures x 5,000 + ceil(limit x price / 1e6), summed."""
    breakdown: CuBreakdown
    attribution: Attribution
    checks: dict[str, bool]
    failed: bool
    note: str | None = None


@dataclass
class SizeResult:
    size: int
    amm_tokens: int
    build_seconds: float
    warmup_transactions: int
    warmup_note: str
    runs: dict[str, list[CycleMeasure]] = field(default_factory=dict)
    """Mode (the orchestrator as shipped) -> measured cycles."""


async def _plan_only(world: BenchWorld, table_path: Path) -> int:
    """The orchestrator's planning, up to the packed transactions; returns their number."""
    eco = world.eco
    transport = eco.transport
    payer = eco.admin
    snapshot = await read_snapshot(transport, world.file_ecosystem())
    plan = snapshot.plan()
    items = await build_token_instructions(transport, payer.pubkey(), snapshot, plan.executing)
    writable: dict[Pubkey, None] = {}
    for item in items:
        for meta in item.instruction.accounts:
            if meta.is_writable:
                writable[meta.pubkey] = None
    micro = await transport.get_priority_fee(list(writable)[:128])
    table = await load_table(transport, table_path)
    return len(executor.pack_transactions(payer.pubkey(), items, micro, table)) if items else 0


async def _cycle(
    world: BenchWorld, table_path: Path, prices: tuple[int, ...], *, measured: bool
) -> tuple[CycleMeasure, CycleRun]:
    eco = world.eco
    payer = eco.admin.pubkey()
    trades = await world.volume()
    attribution = await world.attribute(trades)
    eco.ledger.advance_clock(COOLDOWN_SECONDS)

    started = time.perf_counter()
    await _plan_only(world, table_path)
    plan_seconds = time.perf_counter() - started

    started = time.perf_counter()
    if measured:
        await dry_run(eco.transport, eco.admin, world.file_ecosystem(), table_path=table_path)
    dry_seconds = time.perf_counter() - started

    stats_before = await world.stats()
    funds_before = world.dat_funds()
    balance_before = eco.ledger.get_balance(payer)
    newest = eco.ledger.signatures_for_address(payer, limit=1)
    started = time.perf_counter()
    run = await execute(eco.transport, eco.admin, world.file_ecosystem(), table_path=table_path, max_transactions=1000)
    execute_seconds = time.perf_counter() - started
    balance_after = eco.ledger.get_balance(payer)
    funds_after = world.dat_funds()
    stats_after = await world.stats()

    records = eco.ledger.signatures_for_address(payer, until=newest[0].signature if newest else None, limit=100_000)
    batch_signatures = {b.signature for b in run.batches if b.signature is not None}
    cycle_records = [r for r in records if str(r.signature) in batch_signatures]
    limits = {b.signature: b.unit_limit for b in run.batches}
    fee_at: dict[int, int] = {}
    for price in prices:
        fee_at[price] = sum(
            SIGNATURE_FEE * len(r.transaction.signatures) + priority_fee(limits.get(str(r.signature), 0), price)
            for r in cycle_records
        )
    cu_split = CuBreakdown()
    for record in cycle_records:
        cu_split = cu_split + breakdown(record.logs)
    own_creator_fees = 0
    for record in cycle_records:
        events = events_from_inner_instructions(list(record.account_keys), [list(g) for g in record.inner_instructions])
        for event in events:
            if isinstance(event, TradeEvent):
                own_creator_fees += event.creator_fee
            elif isinstance(event, BuyEvent):
                own_creator_fees += event.coin_creator_fee
    spent = sum(stats_after[m].total_sol_spent - s.total_sol_spent for m, s in stats_before.items() if m in stats_after)
    processed = sum(1 for o in run.outcomes if o.ok)
    checks = {
        "every token cycled": processed == world.size and not run.failed,
        "fees == spent + sent to root + pending (per token)": per_token_conservation(stats_after),
        "DAT funds decrease == SOL spent on buys - creator fees they paid back": funds_before - funds_after
        == spent - own_creator_fees,
        "operator balance decrease == fees charged": balance_before - balance_after == sum(r.fee for r in records),
        "burned == bought": all(o.tokens_burned > 0 for o in run.outcomes if o.ok),
    }
    measure = CycleMeasure(
        plan_seconds=plan_seconds,
        dry_run_seconds=dry_seconds,
        execute_seconds=execute_seconds,
        transactions=len(records),
        cycle_transactions=len(cycle_records),
        signatures=sum(len(r.transaction.signatures) for r in records),
        tokens_processed=processed,
        max_tokens_per_transaction=max((len(b.mints) for b in run.batches), default=0),
        compute_units=sum(r.compute_units_consumed for r in cycle_records),
        unit_limit=sum(limits.get(str(r.signature), 0) for r in cycle_records),
        fee_charged=balance_before - balance_after,
        fee_at=fee_at,
        breakdown=cu_split,
        attribution=attribution,
        checks=checks,
        failed=run.failed,
        note=run.note,
    )
    return measure, run


async def measure_size(size: int, runs: int, prices: tuple[int, ...]) -> SizeResult:
    with tempfile.TemporaryDirectory(prefix="asdf-bench-") as tmp:
        directory = Path(tmp)
        started = time.perf_counter()
        world = await make_world(size, directory)
        build_seconds = time.perf_counter() - started
        table_path = directory / ".localnet-cycle-lookup-table.json"
        warm, _ = await _cycle(world, table_path, prices, measured=False)
        result = SizeResult(
            size=size,
            amm_tokens=world.amm_tokens,
            build_seconds=build_seconds,
            warmup_transactions=warm.transactions,
            warmup_note=(
                f"warm-up cycle: {warm.transactions} transaction{'s' if warm.transactions != 1 else ''} "
                f"({warm.transactions - warm.cycle_transactions} to create/extend the lookup table)"
            ),
        )
        for _ in range(runs):
            measure, _ = await _cycle(world, table_path, prices, measured=True)
            result.runs.setdefault(SHIPPED, []).append(measure)
        return result
