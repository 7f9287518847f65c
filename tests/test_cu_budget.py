"""Compute-unit budgets of the cycle (issue 19), on the compiled programs in LiteSVM.

Our own CU (the asdf_dat invocation's `consumed` minus what its CPIs consumed, the CPI call
overhead included) are deterministic for given reserves: the bounds below are the measured
values plus a small margin, so a regression fails here. The random mints only move the pump
stand-in's CPI CU (its bump searches), never ours.

The packed case runs the orchestrator's executor on seven curve tokens: the shared creator
vault is collected once per transaction, so six curve tokens fit in the 64-entry instruction
trace, and our own CU per token are well below a single cycle's.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
from solders.signature import Signature

from asdf_dat.dat import instructions as dix
from asdf_dat.orchestrator.executor import MAX_INSTRUCTION_TRACE, execute
from asdf_dat.pump import addresses as paddr
from asdf_dat.sandbox import LAMPORTS_PER_SOL, TokenSpec, build_sandbox, fee_reports

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.cu import CuReport, InstructionCu, measure_cu  # noqa: E402
from bench.logs import breakdown, trace_entries  # noqa: E402
from bench.world import BenchWorld, per_token_conservation  # noqa: E402

OWN_CU_BOUNDS: dict[tuple[str, str], int] = {
    ("execute_cycle_bc", "secondary, Token-2022 (collect, split, buy, burn)"): 9_300,
    ("execute_cycle_bc", "secondary, SPL Token"): 9_800,
    ("execute_cycle_bc", "root, SPL Token, with treasury"): 9_800,
    ("execute_cycle_bc", "deferred (below the minimum: nothing moves)"): 2_620,
    ("execute_cycle_amm", "secondary, SPL Token (collect, split, buy from the WSOL, burn)"): 11_900,
    (
        "execute_cycle_amm",
        "fee-sharing secondary, graduated (config check, fee account, split, wrap, buy, burn)",
    ): 14_250,
}
"""Own CU per single-cycle transaction (`python -m bench cu`), measured + ~2.5 %: within issue 19's
goals (a curve cycle ≤ 10,000, a PumpSwap cycle ≤ 15,000)."""
CURVE_GOAL, PUMPSWAP_GOAL = 10_000, 15_000

PACKED_OWN_CU_PER_CURVE_TOKEN = 8_600
"""Own CU per curve token in a packed transaction (no collect after the first): 8,361 measured."""


@pytest.fixture(scope="module")
def cu_report() -> CuReport:
    return asyncio.run(measure_cu())


def _row(report: CuReport, instruction: str, variant: str) -> InstructionCu:
    return next(r for r in report.instructions if r.instruction == instruction and r.variant == variant)


@pytest.mark.parametrize(("instruction", "variant"), list(OWN_CU_BOUNDS))
async def test_single_cycle_own_cu_within_budget(cu_report: CuReport, instruction: str, variant: str) -> None:
    row = _row(cu_report, instruction, variant)
    assert row.own <= OWN_CU_BOUNDS[(instruction, variant)], f"{instruction} ({variant}): {row.own} own CU"
    assert row.own <= {"execute_cycle_bc": CURVE_GOAL, "execute_cycle_amm": PUMPSWAP_GOAL}[instruction]
    # The root's share is accounting (no transfer) and PumpSwap buys from its WSOL (no unwrap).
    assert row.trace <= {"execute_cycle_bc": 11, "execute_cycle_amm": 11}[instruction]


async def test_seven_curve_tokens_per_transaction(tmp_path: Path) -> None:
    """Seven curve secondaries land in one transaction (8 trace entries each, one collect), the
    root in the next (the packer keeps room for its WSOL unwrap)."""
    specs = [
        TokenSpec(
            f"PK{i}",
            f"Packed curve {i}",
            token_program=paddr.TOKEN_2022_PROGRAM_ID if i % 2 else paddr.TOKEN_PROGRAM_ID,
            is_root=i == 0,
        )
        for i in range(8)
    ]
    eco = await build_sandbox(specs, traders=2, follow_wall_clock=False, workdir=tmp_path, write_files=True)
    eco.ledger.svm.with_log_bytes_limit(None)  # a packed transaction's logs exceed the default 10 kB
    world = BenchWorld(eco, tmp_path)
    await world.attribute(await world.volume())
    eco.ledger.advance_clock(60)
    table_path = tmp_path / "table.json"
    run = await execute(eco.transport, eco.admin, world.file_ecosystem(), table_path=table_path, max_transactions=100)

    assert not run.failed and run.processed == 8, run.batches
    sizes = [len(b.mints) for b in run.batches]
    assert sizes == [7, 1], sizes
    for batch in run.batches:
        assert batch.signature is not None
        record = eco.ledger.transaction(Signature.from_string(batch.signature))
        assert record is not None
        logs = list(record.logs)
        assert trace_entries(logs) <= MAX_INSTRUCTION_TRACE
        if len(batch.mints) >= 6:
            own = breakdown(logs).ours
            assert own // len(batch.mints) <= PACKED_OWN_CU_PER_CURVE_TOKEN, (own, len(batch.mints))
            # One collect of the shared pump vault for the whole transaction, one buy per token.
            pump_calls = [line for line in logs if line == f"Program {paddr.PUMP_PROGRAM_ID} invoke [2]"]
            assert len(pump_calls) == len(batch.mints) + 1, len(pump_calls)
    # Every token's fees are accounted: attributed = spent + sent to root + still pending.
    assert per_token_conservation(await world.stats())


async def test_a_deferred_first_cycle_does_not_stop_the_next_one_collecting() -> None:
    """The shared vault is collected by the first cycle of its venue in a transaction. When that
    first cycle defers (it moved nothing), the next one must collect the vault itself: a keeper,
    or anyone once cycles are permissionless, could otherwise put a deferred cycle first to make
    a funded token's cycle fail."""
    specs = [TokenSpec("ROOT", "Root", is_root=True), TokenSpec("IDLE", "Idle"), TokenSpec("BUSY", "Busy")]
    eco = await build_sandbox(specs, traders=1, follow_wall_clock=False)
    root, idle, busy = eco.tokens
    trades = eco.trades(eco.buy(busy, 3 * LAMPORTS_PER_SOL))
    await eco.client.update_pending_fees(fee_reports(trades))
    eco.ledger.advance_clock(60)
    await eco.client.record_price_references([idle.mint, busy.mint])
    before = await eco.client.token_stats(busy.mint)
    assert before is not None and before.pending_fees > 0

    instructions = [
        dix.execute_cycle_bc(
            eco.client.pubkey, token.mint, token_program=token.token_program, root_mint=root.mint,
            fee_recipient=eco.pump.global_state.fee_recipient, quoted_tokens_out=1,
        )
        for token in (idle, busy)
    ]
    sent = await eco.client.send(instructions)

    after = await eco.client.token_stats(busy.mint)
    idle_after = await eco.client.token_stats(idle.mint)
    assert after is not None and idle_after is not None
    assert idle_after.cycles == 0  # deferred: nothing to spend
    assert after.cycles == before.cycles + 1 and after.total_tokens_burned > before.total_tokens_burned
    # BUSY's cycle collected the vault itself, then bought: two pump calls in the transaction.
    pump_calls = [line for line in sent.logs if line == f"Program {paddr.PUMP_PROGRAM_ID} invoke [2]"]
    assert len(pump_calls) == 2, sent.logs
