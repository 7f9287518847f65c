"""`python -m bench --quick` runs and its figures are sane, so the benchmark cannot rot.

Checks what does not depend on the machine: tables printed, CU > 0 and within bounds, every
measured cycle conserved lamports, our fees per token below the seed's estimate. Timings are
printed by the benchmark, never asserted.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
from rich.console import Console

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from asdf_dat.dat.price_reference import RECORDS_PER_TRANSACTION  # noqa: E402
from asdf_dat.orchestrator import executor  # noqa: E402
from bench import logs  # noqa: E402
from bench.__main__ import Options, main, run  # noqa: E402
from bench.cu import CuReport, measure_cu  # noqa: E402
from bench.report import all_tables, markdown  # noqa: E402
from bench.scaling import SEED_FEE_PER_TOKEN  # noqa: E402
from bench.tables import BenchTable  # noqa: E402

pytestmark = pytest.mark.sbf

TITLES = (
    "Compute units per instruction",
    "One full token cycle",
    "CPI floor per cycle",
    "What one token adds to a cycle transaction",
    "Tokens per transaction and signatures per cycle",
    "Fee check: lamports per token for the same cycle",
    "Transactions and compute units per cycle",
    "Lamports paid in fees per token per cycle",
    "Wall time per cycle",
    "Checks on every measured cycle",
    "Fee daemon: RPC requests",
    "Fee daemon: RPC requests per poll, every token in fee-sharing mode",
    "Embedded demo wall time",
)


def test_quick_benchmark(tmp_path: Path) -> None:
    console = Console(record=True, width=220)
    options = Options.quick_variant(out=tmp_path / "BENCHMARKS.md")
    results = run(options, console)

    # compute units: every instruction, and the three full cycles
    assert results.cu is not None
    names = {row.instruction for row in results.cu.instructions}
    assert {
        "initialize", "register_token", "init_wsol_accounts", "set_root_token", "set_token_pool", "update_pending_fees",
        "execute_cycle_bc", "execute_cycle_amm", "record_failure", "pause", "resume", "set_keeper", "propose_admin",
        "accept_admin", "cancel_admin_transfer", "propose_fee_split", "execute_fee_split", "cancel_fee_split",
        "update_parameters", "record_price_reference",
    } <= names
    assert all(row.program_cu > 0 and row.own > 0 for row in results.cu.instructions)
    check_cycles_and_their_floors(results.cu)
    check_packing(results.cu)
    check_fee_table(all_tables(results))

    # ecosystems of 1 and 5 tokens, packed by the orchestrator as shipped
    assert [s.size for s in results.scaling] == [1, 5]
    measures = results.measures()
    assert len(measures) == 2
    for m in measures:
        assert m.tokens_processed > 0
        assert all(m.checks.values()), m.checks
        assert m.compute_units > 0 and m.unit_limit >= m.compute_units
        assert m.signatures >= m.cycle_transactions >= 1
        for price in results.prices:
            assert 0 < m.fee_at[price] / m.tokens_processed < SEED_FEE_PER_TOKEN
    five = next(s for s in results.scaling if s.size == 5)
    assert min(m.cycle_transactions for runs in five.runs.values() for m in runs) < 5  # several tokens per transaction
    assert all(not m.failed and m.max_tokens_per_transaction > 1 for runs in five.runs.values() for m in runs)

    # daemon figures: idle polls cost something, busy ones more
    assert results.daemon is not None
    assert [d.tokens for d in results.daemon] == [1, 10]
    assert all(d.busy_per_poll > d.idle_per_poll > 0 for d in results.daemon)
    # fee-sharing tokens: no transaction to fetch, within ⌈N/100⌉ + 1 per poll whatever the trade rate
    assert results.daemon_fee_sharing is not None
    assert [d.tokens for d in results.daemon_fee_sharing] == [1, 10]
    for d in results.daemon_fee_sharing:
        assert d.fee_sharing and "getTransaction" not in d.breakdown
        assert 0 < d.idle_per_poll <= d.goal_per_poll and 0 < d.busy_per_poll <= d.goal_per_poll

    assert results.demo and all(d.ok for d in results.demo)

    tables = all_tables(results)
    for table in tables:
        table.print(console)
    printed = console.export_text()
    doc = markdown(results, tables, "python -m bench --quick")
    for title in TITLES:
        assert title in printed and title in doc


CYCLES = {
    # name: upper bound on the cycle's total CU
    "curve secondary (Token-2022)": 100_000,
    "curve secondary (SPL)": 100_000,
    "curve root (SPL, + treasury)": 100_000,
    "PumpSwap secondary (SPL)": 200_000,
    "curve fee-sharing secondary (SPL)": 100_000,
    "PumpSwap fee-sharing secondary (SPL, graduated)": 200_000,
}


def check_cycles_and_their_floors(cu: CuReport) -> None:
    """Every venue and both attribution modes measured, each next to its CPI floor."""
    assert sorted(c.variant for c in cu.cycles) == sorted(CYCLES)
    assert [f.cycle.variant for f in cu.floors] == [c.variant for c in cu.cycles]
    for cycle in cu.cycles:
        assert 0 < cycle.breakdown.ours < cycle.breakdown.total <= CYCLES[cycle.variant]
        assert cycle.breakdown.pool > 0 and cycle.breakdown.tokens > 0
        assert cycle.breakdown.total == cycle.program_cu  # the split accounts for every CU
        assert cycle.trace <= 64
    for row in cu.floors:
        floor = row.floor
        # the direct buy + burn: the pool program and a token program, never our program
        assert floor.ours == 0 and floor.pool > 0 and floor.tokens > 0
        assert floor.total == floor.pool + floor.tokens + floor.builtins + floor.get(logs.OTHER)
        # the same buy and burn cannot cost more than the cycle that also collects, splits and checks
        assert 0 < floor.total < row.cycle.breakdown.total
        assert row.distance == row.cycle.breakdown.total - floor.total >= row.cycle.breakdown.ours // 2


def check_packing(cu: CuReport) -> None:
    """1 / 5 / 20 / 100 tokens of every kind packed by the executor within the runtime's limits."""
    kinds = {row.kind for row in cu.packing}
    assert len(kinds) >= 5
    assert {(row.kind, row.tokens) for row in cu.packing} == {(k, n) for k in kinds for n in (1, 5, 20, 100)}
    for row in cu.packing:
        assert 1 <= row.max_tokens_per_transaction <= row.tokens
        assert -(-row.tokens // row.max_tokens_per_transaction) <= row.transactions <= row.tokens
        assert row.reference_transactions == -(-row.tokens // RECORDS_PER_TRANSACTION)
        assert row.signatures == row.transactions + row.reference_transactions
        assert row.max_trace <= executor.MAX_INSTRUCTION_TRACE and row.max_bytes <= executor.PACKET_DATA_SIZE
        if row.tokens == 1:
            assert row.transactions == 1 and row.bound_by == "–"
        elif row.transactions > 1:
            assert row.bound_by != "–"
    names = {c.kind.name for c in cu.token_costs}
    assert {"curve, SPL Token, shared vault", "PumpSwap, SPL Token, fee sharing"} <= names
    measured = {c.variant for c in cu.cycles}
    for cost in cu.token_costs:
        assert cost.trace_constant == executor.CYCLE_TRACE[cost.kind.pool_type] + (1 if cost.kind.fee_sharing else 0)
        if cost.kind.cycle in measured:
            # The packer must never count fewer entries than the program takes (64 is a hard limit).
            assert cu.cycle(cost.kind.cycle).trace <= cost.lone_cycle_trace, cost.kind.name
        assert 0 < cost.bytes_with_table < cost.bytes_legacy < executor.PACKET_DATA_SIZE
        assert 1 <= cost.fit <= min(cost.fit_by_trace, cost.fit_by_bytes, cost.fit_by_units)


def check_fee_table(tables: list[BenchTable]) -> None:
    """Per token: at least the signature fee, more at the higher price, less when packed."""
    (fees,) = [t for t in tables if t.title.startswith("Fee check")]
    assert len(fees.rows) == len(CYCLES)
    for row in fees.rows:
        alone_low, alone_high, per_tx, packed_low, packed_high = (int(c.replace(",", "")) for c in row[3:8])
        assert executor.SIGNATURE_FEE_LAMPORTS < alone_low < alone_high
        assert per_tx >= 1 and packed_low <= alone_low and packed_high <= alone_high
        assert packed_low < packed_high


def test_cu_is_the_same_on_every_run() -> None:
    """Seeded keys: two sessions give the same CU for every instruction, cycle and floor."""
    first, second = asyncio.run(measure_cu()), asyncio.run(measure_cu())
    assert first.instructions == second.instructions and len(first.instructions) > 20
    assert first.floors == second.floors and first.packing == second.packing


def test_cu_command_prints_the_cu_tables(tmp_path: Path) -> None:
    console = Console(record=True, width=220)
    assert main(["cu", "--out", str(tmp_path / "cu.md")], console=console) == 0
    printed = console.export_text()
    for title in TITLES[:6]:
        assert title in printed
    assert "execute_cycle_amm" in printed
    assert "Compute units per instruction" in (tmp_path / "cu.md").read_text()
    assert "Wall time" not in printed
