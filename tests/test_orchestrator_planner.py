"""Planner: hand-computed cases and properties of the program's cycle arithmetic."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from asdf_dat.orchestrator.planner import (
    CurveQuoteInput,
    CycleState,
    DatParams,
    FeeRates,
    PlanStatus,
    TokenAction,
    TokenInput,
    curve_buy_exact_sol_in_quote,
    cycle_allocation,
    min_out_after_slippage,
    net_after_fees,
    plan_cycle,
    split_allocation,
    volume_for_fees,
)

P = DatParams()
NOW = 1_800_000_000
FRESH = CurveQuoteInput(1_073_000_000_000_000, 30_000_000_000, 793_100_000_000_000, FeeRates(95, 30, 0))


def tok(symbol: str, pending: int, root: bool = False, last: int = 0) -> TokenInput:
    return TokenInput(mint=f"mint-{symbol}", symbol=symbol, is_root=root, pending_fees=pending, last_cycle_id=last)


# ---------------------------------------------------------------- math.rs vectors


def test_split_matches_math_rs_vectors() -> None:
    assert split_allocation(10_000_000, 5520) == (5_520_000, 4_480_000)
    assert split_allocation(3, 5520) == (1, 2)
    assert split_allocation(0, 5520) == (0, 0)
    assert split_allocation(1, 10_001) is None
    assert split_allocation(5_690_001, 5520) == (3_140_880, 2_549_121)


def test_allocation_cap_vectors() -> None:
    assert cycle_allocation(5, 100, 0) == 5
    assert cycle_allocation(500, 100, 30) == 70
    assert cycle_allocation(500, 100, 100) == 0
    assert cycle_allocation(500, 100, 200) == 0


def test_slippage_and_pump_vectors() -> None:
    assert min_out_after_slippage(10_000, 500) == 9_500
    assert min_out_after_slippage(19, 500) == 18
    assert min_out_after_slippage(1, 10_000) is None
    fees = FeeRates(95, 30, 0)
    assert net_after_fees(1_000_000_000, fees) == 987_654_320
    assert fees.fees_on(987_654_320) == 12_345_680
    assert curve_buy_exact_sol_in_quote(1_000_000_000, FRESH) == 34_199_203_120_618


def test_volume_needed_is_shortfall_over_0_003() -> None:
    assert volume_for_fees(6_000_000) == 2_000_000_000  # seed: 0.006 / 0.003 = 2 SOL
    assert volume_for_fees(3_000_000) == 1_000_000_000
    assert volume_for_fees(1) == 334
    assert volume_for_fees(0) == 0


# ---------------------------------------------------------------- hand-computed cycles


def test_secondary_executes_small_one_deferred_root_gets_only_executed_share() -> None:
    plan = plan_cycle(P, CycleState(), [tok("ROOT", 10_000_000, root=True), tok("A", 10_000_000), tok("B", 3_000_000)], NOW)
    a, b, root = plan.tokens
    assert [t.token.symbol for t in plan.tokens] == ["A", "B", "ROOT"]  # root last
    assert (a.action, a.allocation, a.budget, a.to_root, a.opens_cycle) == (TokenAction.EXECUTE, 10_000_000, 5_520_000, 4_480_000, True)
    assert (b.action, b.allocation, b.fees_short) == (TokenAction.DEFER_MIN_FEES, 3_000_000, 3_000_000)
    assert b.to_root == 0  # a deferred secondary sends nothing to the root
    assert (root.action, root.allocation, root.treasury_used, root.budget) == (TokenAction.EXECUTE, 10_000_000, 4_480_000, 14_480_000)
    assert root.report_allocation == 14_480_000
    assert plan.status is PlanStatus.READY
    assert plan.state_after.cycle_id == 1 and plan.state_after.cycle_started_at == NOW
    assert plan.state_after.cycle_fees_taken == 20_000_000
    assert plan.state_after.treasury_lamports == 0


def test_one_sol_cap_is_first_come_like_the_program() -> None:
    tokens = [tok("A", 600_000_000), tok("B", 500_000_000), tok("C", 300_000_000), tok("R", 0, root=True)]
    a, b, c, root = plan_cycle(P, CycleState(), tokens, NOW).tokens
    assert (a.allocation, a.to_root) == (600_000_000, 268_800_000)
    assert (b.allocation, b.to_root, b.cap_limited) == (400_000_000, 179_200_000, True)
    assert (c.action, c.allocation, c.fees_short, c.cap_limited) == (TokenAction.DEFER_MIN_ALLOCATION, 0, 0, True)
    assert (root.action, root.allocation, root.treasury_used, root.budget) == (TokenAction.EXECUTE, 0, 448_000_000, 448_000_000)


def test_cooldown_blocks_tokens_of_the_open_cycle_but_others_may_join() -> None:
    state = CycleState(cycle_id=3, cycle_started_at=NOW - 30, cycle_fees_taken=100_000_000)
    plan = plan_cycle(P, state, [tok("A", 50_000_000, last=3), tok("B", 50_000_000, last=2), tok("R", 0, root=True, last=3)], NOW)
    a, b, root = plan.tokens
    assert a.action is TokenAction.COOLDOWN
    assert (b.action, b.opens_cycle, b.allocation) == (TokenAction.EXECUTE, False, 50_000_000)
    assert root.action is TokenAction.COOLDOWN
    assert plan.state_after.cycle_fees_taken == 150_000_000
    assert plan.cooldown_active and plan.cooldown_remaining == 30


def test_cooldown_status_when_everything_ran_this_cycle() -> None:
    state = CycleState(cycle_id=1, cycle_started_at=NOW - 59)
    plan = plan_cycle(P, state, [tok("A", 9_000_000, last=1), tok("R", 9_000_000, root=True, last=1)], NOW)
    assert plan.status is PlanStatus.COOLDOWN_ACTIVE
    at_60 = plan_cycle(P, state, [tok("A", 9_000_000, last=1), tok("R", 9_000_000, root=True, last=1)], NOW + 1)
    assert at_60.status is PlanStatus.READY and at_60.tokens[0].opens_cycle


def test_insufficient_and_no_tokens() -> None:
    assert plan_cycle(P, CycleState(), [], NOW).status is PlanStatus.NO_TOKENS
    plan = plan_cycle(P, CycleState(), [tok("A", 5_999_999), tok("R", 1_000_000, root=True)], NOW)
    assert plan.status is PlanStatus.INSUFFICIENT_FEES
    assert plan.tokens[0].fees_short == 1 and plan.tokens[1].fees_short == 5_000_000


def test_min_allocation_deferral_with_lower_min_fees() -> None:
    params = DatParams(min_fees_per_token=1_000_000)
    a, root = plan_cycle(params, CycleState(), [tok("A", 3_000_000), tok("R", 1_500_000, root=True)], NOW).tokens
    assert (a.action, a.fees_short) == (TokenAction.DEFER_MIN_ALLOCATION, 2_690_000)
    assert (root.action, root.fees_short) == (TokenAction.DEFER_MIN_ALLOCATION, 500_000)


def test_root_counts_existing_treasury_for_thresholds() -> None:
    state = CycleState(treasury_lamports=5_000_000)
    (root,) = plan_cycle(P, state, [tok("R", 1_000_000, root=True)], NOW).tokens
    assert (root.action, root.budget, root.treasury_used) == (TokenAction.EXECUTE, 6_000_000, 5_000_000)


def test_no_root_and_unregistered() -> None:
    state = CycleState(has_root=False)
    unregistered = TokenInput("m", "U", False, 0, registered=False)
    a, u = plan_cycle(P, state, [tok("A", 10_000_000), unregistered], NOW).tokens
    assert a.action is TokenAction.NO_ROOT and u.action is TokenAction.NOT_REGISTERED


# ---------------------------------------------------------------- properties

u64 = st.integers(min_value=0, max_value=(1 << 64) - 1)
lamports = st.integers(min_value=0, max_value=3_000_000_000)


@given(u64, st.integers(min_value=0, max_value=10_000))
def test_split_is_exact_floor_and_conserves(allocation: int, bps: int) -> None:
    result = split_allocation(allocation, bps)
    assert result is not None
    kept, to_root = result
    assert kept == int(Fraction(allocation * bps, 10_000))  # floor
    assert kept + to_root == allocation


@given(st.integers(min_value=0, max_value=10**12), st.integers(0, 200), st.integers(0, 200), st.integers(0, 200))
def test_net_after_fees_never_overspends(spendable: int, a: int, b: int, c: int) -> None:
    fees = FeeRates(a, b, c)
    net = net_after_fees(spendable, fees)
    assert net is not None and 0 <= net <= spendable
    assert net + (fees.fees_on(net) or 0) <= spendable + 1


token_lists = st.lists(
    st.tuples(lamports, st.integers(0, 3)), min_size=0, max_size=6
)


@settings(max_examples=300)
@given(
    secondaries=token_lists,
    root=st.tuples(lamports, st.integers(0, 3)),
    treasury=st.integers(0, 100_000_000),
    cycle_id=st.integers(0, 3),
    elapsed=st.integers(0, 200),
    taken=st.integers(0, 1_000_000_000),
    cap=st.integers(10_000_000, 2_000_000_000),
)
def test_plan_conserves_lamports_and_never_touches_deferred(
    secondaries: list[tuple[int, int]], root: tuple[int, int], treasury: int, cycle_id: int, elapsed: int, taken: int, cap: int
) -> None:
    params = DatParams(max_fees_per_cycle=cap)
    state = CycleState(cycle_id=cycle_id, cycle_started_at=NOW - elapsed, cycle_fees_taken=min(taken, cap), treasury_lamports=treasury)
    tokens = [tok(f"S{i}", p, last=last) for i, (p, last) in enumerate(secondaries)] + [tok("R", root[0], root=True, last=root[1])]
    plan = plan_cycle(params, state, tokens, NOW)

    executed_secondaries = [t for t in plan.executing if not t.token.is_root]
    to_root = sum(t.to_root for t in executed_secondaries)
    for t in plan.tokens:
        assert 0 <= t.allocation <= t.token.pending_fees
        if t.will_process and not t.token.is_root:
            assert t.budget + t.to_root == t.allocation
            assert t.to_root == t.allocation - t.allocation * 5520 // 10_000
        if not t.will_process:
            assert t.to_root == 0 and t.budget == 0 and t.treasury_used == 0
    root_plan = plan.tokens[-1]
    if root_plan.will_process:
        # the root's share is exactly what executed secondaries sent, plus what was there
        assert root_plan.treasury_used == treasury + to_root
        assert root_plan.budget == root_plan.allocation + treasury + to_root
        assert plan.state_after.treasury_lamports == 0
    else:
        assert plan.state_after.treasury_lamports == treasury + to_root
    # the cycle never takes more than the cap
    if plan.executing:
        assert plan.state_after.cycle_fees_taken <= cap
        assert sum(t.allocation for t in plan.executing) <= cap
    # status is consistent
    if plan.executing:
        assert plan.status is PlanStatus.READY
    else:
        assert plan.status in (PlanStatus.INSUFFICIENT_FEES, PlanStatus.COOLDOWN_ACTIVE)


@settings(max_examples=200)
@given(pendings=st.lists(lamports, min_size=1, max_size=5), extra=lamports)
def test_deferred_fees_are_never_redistributed(pendings: list[int], extra: int) -> None:
    """Adding fees to a token that stays deferred changes nothing for the others."""
    tokens = [tok(f"S{i}", p) for i, p in enumerate(pendings)] + [tok("R", 0, root=True)]
    base = plan_cycle(P, CycleState(), tokens, NOW)
    small = tok("D", min(extra, P.min_fees_per_token - 1))
    with_deferred = plan_cycle(P, CycleState(), [*tokens[:-1], small, tokens[-1]], NOW)
    assert with_deferred.tokens[len(pendings)].action is TokenAction.DEFER_MIN_FEES
    others = [t for t in with_deferred.tokens if t.token.symbol != "D"]
    assert [(t.action, t.allocation, t.budget) for t in others] == [(t.action, t.allocation, t.budget) for t in base.tokens]


def test_proportional_shares() -> None:
    from asdf_dat.orchestrator.planner import proportional_shares

    assert proportional_shares([600, 300, 100], 2_000) == [600, 300, 100]
    assert proportional_shares([600, 300, 100], 500) == [300, 150, 50]
    assert proportional_shares([1, 1, 1], 2) == [0, 0, 0]


@given(st.lists(lamports, min_size=1, max_size=8), st.integers(1, 3_000_000_000))
def test_proportional_shares_never_exceed_budget_or_pending(pendings: list[int], budget: int) -> None:
    from asdf_dat.orchestrator.planner import proportional_shares

    shares = proportional_shares(pendings, budget)
    assert all(0 <= s <= p for s, p in zip(shares, pendings))
    assert sum(shares) <= max(budget, 0) or sum(pendings) <= budget
