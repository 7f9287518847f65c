"""The executor's packer keeps every transaction within the runtime's limits: packet size,
instruction trace (64 entries, CPIs included) and compute units."""

from __future__ import annotations

from dataclasses import dataclass

from solders.instruction import AccountMeta, Instruction
from solders.pubkey import Pubkey

from asdf_dat.dat import instructions as dix
from asdf_dat.dat.client import MAX_COMPUTE_UNITS
from asdf_dat.dat.cycle import TokenAction, TokenInput, TokenPlan
from asdf_dat.orchestrator.executor import (
    COLLECT_TRACE,
    COMPUTE_BUDGET_TRACE,
    CYCLE_TRACE,
    MAX_INSTRUCTION_TRACE,
    PACKET_DATA_SIZE,
    UNWRAP_TRACE,
    TokenInstruction,
    batch_trace,
    pack_transactions,
    transaction_size,
    with_margin,
)

PAYER = Pubkey.new_unique()
PROGRAM = Pubkey.new_unique()


def _item(i: int, pool_type: int, accounts: int = 1) -> TokenInstruction:
    mint = Pubkey.new_unique()
    metas = [AccountMeta(Pubkey.new_unique(), is_signer=False, is_writable=True) for _ in range(accounts)]
    plan = TokenPlan(TokenInput(str(mint), f"T{i}", False, 10_000_000), TokenAction.EXECUTE)
    return TokenInstruction(plan, Instruction(PROGRAM, bytes(16), metas), 1, pool_type)


def _sizes(batches: list[list[TokenInstruction]]) -> list[int]:
    return [len(b) for b in batches]


def test_trace_limit_curve_and_pumpswap() -> None:
    # Seven curve tokens per transaction: 2 + one collect (3) + 7 x 8 = 61; an eighth would be 69.
    assert COMPUTE_BUDGET_TRACE + COLLECT_TRACE + 7 * CYCLE_TRACE[dix.POOL_BONDING_CURVE] <= MAX_INSTRUCTION_TRACE
    assert COMPUTE_BUDGET_TRACE + COLLECT_TRACE + 8 * CYCLE_TRACE[dix.POOL_BONDING_CURVE] > MAX_INSTRUCTION_TRACE
    curves = [_item(i, dix.POOL_BONDING_CURVE) for i in range(15)]
    assert _sizes(pack_transactions(PAYER, curves, 0)) == [7, 7, 1]
    amms = [_item(i, dix.POOL_AMM) for i in range(11)]
    assert _sizes(pack_transactions(PAYER, amms, 0)) == [5, 5, 1]  # 2 + 3 + 5 x 10 = 55; 6 would be 65
    mixed = [_item(0, dix.POOL_AMM), _item(1, dix.POOL_AMM), *(_item(i, dix.POOL_BONDING_CURVE) for i in range(2, 7))]
    assert _sizes(pack_transactions(PAYER, mixed, 0)) == [6, 1]  # 2 + 3 + 3 + 10 + 10 + 4 x 8 = 60; one more 68
    sharing = TokenInstruction(curves[0].plan, curves[0].instruction, 1, dix.POOL_BONDING_CURVE, fee_sharing=True)
    assert sharing.trace_entries == CYCLE_TRACE[dix.POOL_BONDING_CURVE] + 1  # its fee account's sweep
    # A curve root may unwrap the share PumpSwap secondaries left as WSOL: the packer keeps room.
    root_plan = TokenPlan(TokenInput(str(Pubkey.new_unique()), "ROOT", True, 10_000_000), TokenAction.EXECUTE)
    root = TokenInstruction(root_plan, curves[0].instruction, 1, dix.POOL_BONDING_CURVE)
    assert root.trace_entries == CYCLE_TRACE[dix.POOL_BONDING_CURVE] + UNWRAP_TRACE
    assert _sizes(pack_transactions(PAYER, [*curves[:6], root], 0)) == [6, 1]  # 2 + 3 + 6 x 8 + 15 = 68
    for batch in pack_transactions(PAYER, [*curves, *amms, sharing], 0):
        assert batch_trace(batch) <= MAX_INSTRUCTION_TRACE


@dataclass(frozen=True)
class _Heavy(TokenInstruction):
    units: int = 0

    @property
    def trace_entries(self) -> int:
        return 1

    @property
    def compute_units(self) -> int:
        return self.units


def test_compute_unit_limit() -> None:
    def heavy(i: int) -> _Heavy:
        base = _item(i, dix.POOL_BONDING_CURVE)
        return _Heavy(base.plan, base.instruction, 1, base.pool_type, units=400_000)

    batches = pack_transactions(PAYER, [heavy(i) for i in range(7)], 0)
    assert _sizes(batches) == [3, 3, 1]  # 3 x 400k + margin fits in 1.4M, 4 do not
    for batch in batches:
        assert with_margin(sum(i.compute_units for i in batch)) <= MAX_COMPUTE_UNITS


def test_packet_size_limit_and_order() -> None:
    items = [_item(i, dix.POOL_BONDING_CURVE, accounts=12) for i in range(5)]
    batches = pack_transactions(PAYER, items, 1_000)
    assert len(batches) > 1
    assert [i for b in batches for i in b] == items  # order kept, nothing lost
    for batch in batches:
        assert transaction_size(PAYER, [i.instruction for i in batch], 1_000) <= PACKET_DATA_SIZE


def test_a_token_alone_is_always_packed() -> None:
    big = _item(0, dix.POOL_AMM, accounts=40)
    assert transaction_size(PAYER, [big.instruction], 0) > PACKET_DATA_SIZE
    assert _sizes(pack_transactions(PAYER, [big, _item(1, dix.POOL_AMM)], 0)) == [1, 1]
