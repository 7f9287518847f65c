"""`python -m bench --quick` runs and its figures are sane, so the benchmark cannot rot.

Checks what does not depend on the machine: tables printed, CU > 0 and within bounds, every
measured cycle conserved lamports, our fees per token below the seed's estimate. Timings are
printed by the benchmark, never asserted.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from rich.console import Console

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.__main__ import Options, main, run  # noqa: E402
from bench.report import all_tables, markdown  # noqa: E402
from bench.scaling import SEED_FEE_PER_TOKEN  # noqa: E402

pytestmark = pytest.mark.sbf

TITLES = (
    "Compute units per instruction",
    "One full token cycle",
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
    curve_secondary, curve_root, amm_secondary, amm_fee_sharing = results.cu.cycles
    for cycle, bound in (
        (curve_secondary, 100_000),
        (curve_root, 100_000),
        (amm_secondary, 200_000),
        (amm_fee_sharing, 200_000),
    ):
        assert 0 < cycle.breakdown.ours < cycle.breakdown.total <= bound
        assert cycle.breakdown.pool > 0 and cycle.breakdown.tokens > 0
        assert cycle.breakdown.total == cycle.program_cu  # the split accounts for every CU
        assert cycle.trace <= 64

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


def test_cu_command_prints_the_cu_tables(tmp_path: Path) -> None:
    console = Console(record=True, width=220)
    assert main(["cu", "--out", str(tmp_path / "cu.md")], console=console) == 0
    printed = console.export_text()
    assert "Compute units per instruction" in printed and "execute_cycle_amm" in printed
    assert "Compute units per instruction" in (tmp_path / "cu.md").read_text()
    assert "Wall time" not in printed
