"""Cycle planning (asdf_dat.dat.cycle): hand-computed cases and properties of the program's cycle sequence."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from asdf_dat.dat.cycle import (
    CycleState,
    DatParams,
    PlanStatus,
    TokenAction,
    TokenInput,
    plan_cycle,
)

P = DatParams()
NOW = 1_800_000_000


def tok(symbol: str, pending: int, root: bool = False, last: int = 0) -> TokenInput:
    return TokenInput(mint=f"mint-{symbol}", symbol=symbol, is_root=root, pending_fees=pending, last_cycle_id=last)


# ---------------------------------------------------------------- hand-computed cycles


def test_secondary_executes_small_one_deferred_root_gets_only_executed_share() -> None:
    plan = plan_cycle(
        P, CycleState(), [tok("ROOT", 10_000_000, root=True), tok("A", 10_000_000), tok("B", 3_000_000)], NOW
    )
    a, b, root = plan.tokens
    assert [t.token.symbol for t in plan.tokens] == ["A", "B", "ROOT"]  # root last
    assert (a.action, a.allocation, a.budget, a.to_root, a.opens_cycle) == (
        TokenAction.EXECUTE,
        10_000_000,
        5_520_000,
        4_480_000,
        True,
    )
    assert (b.action, b.allocation, b.fees_short) == (TokenAction.DEFER_MIN_FEES, 3_000_000, 3_000_000)
    assert b.to_root == 0  # a deferred secondary sends nothing to the root
    assert (root.action, root.allocation, root.treasury_used, root.budget) == (
        TokenAction.EXECUTE,
        10_000_000,
        4_480_000,
        14_480_000,
    )
    assert root.report_allocation == 14_480_000
    assert plan.status is PlanStatus.READY
    assert plan.state_after.cycle_id == 1 and plan.state_after.cycle_started_at == NOW
    assert plan.state_after.cycle_fees_taken == 24_480_000  # the treasury spent counts toward the cap
    assert plan.state_after.root_funds_lamports == 0


def test_one_sol_cap_is_shared_proportionally_like_the_program() -> None:
    tokens = [tok("A", 600_000_000), tok("B", 500_000_000), tok("C", 300_000_000), tok("R", 0, root=True)]
    # Σ pending 1.4 SOL > the 1 SOL cap: each secondary takes pending x 1 / 1.4, floor.
    a, b, c, root = plan_cycle(P, CycleState(total_pending_fees=1_400_000_000), tokens, NOW).tokens
    assert (a.allocation, a.to_root, a.cap_limited) == (428_571_428, 192_000_000, True)
    assert (b.allocation, b.to_root, b.cap_limited) == (357_142_857, 160_000_000, True)
    assert (c.action, c.allocation, c.to_root) == (TokenAction.EXECUTE, 214_285_714, 96_000_000)
    assert a.allocation + b.allocation + c.allocation == 999_999_999
    # The secondaries used the cap (but 1 lamport): the treasury waits for a later cycle.
    assert (root.action, root.allocation, root.treasury_used) == (TokenAction.DEFER_MIN_ALLOCATION, 0, 0)


def test_root_treasury_is_spent_within_the_cap_over_several_cycles() -> None:
    params = DatParams(max_fees_per_cycle=100_000_000)
    state = CycleState(root_funds_lamports=250_000_000)
    (root,) = plan_cycle(params, state, [tok("R", 10_000_000, root=True)], NOW).tokens
    assert (root.allocation, root.treasury_used, root.budget) == (10_000_000, 90_000_000, 100_000_000)


def test_next_cycle_waits_an_interval_after_the_last_take() -> None:
    # Opened at NOW-61, the root joined at NOW-2: nothing runs before NOW-2+60.
    state = CycleState(cycle_id=1, cycle_started_at=NOW - 61, cycle_last_take_at=NOW - 2)
    plan = plan_cycle(P, state, [tok("A", 100_000_000)], NOW)
    assert plan.tokens[0].action is TokenAction.COOLDOWN
    assert plan.next_cycle_at == NOW + 58 and plan.cooldown_remaining == 58
    later = plan_cycle(P, state, [tok("A", 100_000_000)], NOW + 58)
    assert later.tokens[0].action is TokenAction.EXECUTE and later.tokens[0].opens_cycle


def test_fees_attributed_after_the_cycle_opened_wait_for_the_next_cycle_when_the_cap_is_used() -> None:
    # The cycle opened with 1.5 SOL pending (snapshot) and has taken the whole cap already.
    state = CycleState(
        cycle_id=1, cycle_started_at=NOW - 10, cycle_fees_taken=1_000_000_000, cycle_pending_at_open=1_500_000_000
    )
    (late,) = plan_cycle(P, state, [tok("L", 300_000_000)], NOW).tokens
    assert (late.action, late.allocation, late.cap_limited) == (TokenAction.DEFER_MIN_ALLOCATION, 0, True)


def test_cooldown_blocks_tokens_of_the_open_cycle_but_others_may_join() -> None:
    state = CycleState(cycle_id=3, cycle_started_at=NOW - 30, cycle_fees_taken=100_000_000)
    plan = plan_cycle(
        P, state, [tok("A", 50_000_000, last=3), tok("B", 50_000_000, last=2), tok("R", 0, root=True, last=3)], NOW
    )
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
    state = CycleState(root_funds_lamports=5_000_000)
    (root,) = plan_cycle(P, state, [tok("R", 1_000_000, root=True)], NOW).tokens
    assert (root.action, root.budget, root.treasury_used) == (TokenAction.EXECUTE, 6_000_000, 5_000_000)


def test_no_root_and_unregistered() -> None:
    state = CycleState(has_root=False)
    unregistered = TokenInput("m", "U", False, 0, registered=False)
    a, u = plan_cycle(P, state, [tok("A", 10_000_000), unregistered], NOW).tokens
    assert a.action is TokenAction.NO_ROOT and u.action is TokenAction.NOT_REGISTERED


# ---------------------------------------------------------------- properties

lamports = st.integers(min_value=0, max_value=3_000_000_000)


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
    secondaries: list[tuple[int, int]],
    root: tuple[int, int],
    treasury: int,
    cycle_id: int,
    elapsed: int,
    taken: int,
    cap: int,
) -> None:
    params = DatParams(max_fees_per_cycle=cap)
    state = CycleState(
        cycle_id=cycle_id,
        cycle_started_at=NOW - elapsed,
        cycle_fees_taken=min(taken, cap),
        root_funds_lamports=treasury,
    )
    tokens = [tok(f"S{i}", p, last=last) for i, (p, last) in enumerate(secondaries)] + [
        tok("R", root[0], root=True, last=root[1])
    ]
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
        # the root's share is what executed secondaries sent plus what was there, within the cap
        assert root_plan.treasury_used <= treasury + to_root
        assert root_plan.budget == root_plan.allocation + root_plan.treasury_used
        assert plan.state_after.root_funds_lamports == treasury + to_root - root_plan.treasury_used
    else:
        assert plan.state_after.root_funds_lamports == treasury + to_root
    # the cycle never takes more than the cap
    if plan.executing:
        assert plan.state_after.cycle_fees_taken <= cap
        assert sum(t.allocation + t.treasury_used for t in plan.executing) <= cap
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
    assert [(t.action, t.allocation, t.budget) for t in others] == [
        (t.action, t.allocation, t.budget) for t in base.tokens
    ]
