"""The program's arithmetic (asdf_dat.dat.math): math.rs vectors and properties."""

from __future__ import annotations

import math
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from asdf_dat.dat.math import (
    PRICE_REFERENCE_MAX_AGE_SLOTS,
    CurveQuoteInput,
    FeeRates,
    bounded_min_out,
    curve_buy_exact_sol_in_quote,
    cycle_allocation,
    min_out_after_slippage,
    net_after_fees,
    price_reference_usable,
    select_price_reference,
    split_allocation,
    volume_for_fees,
)

FRESH = CurveQuoteInput(1_073_000_000_000_000, 30_000_000_000, 793_100_000_000_000, FeeRates(95, 30, 0))
u64 = st.integers(min_value=0, max_value=(1 << 64) - 1)
lamports = st.integers(min_value=0, max_value=3_000_000_000)


def test_split_matches_math_rs_vectors() -> None:
    assert split_allocation(10_000_000, 5520) == (5_520_000, 4_480_000)
    assert split_allocation(3, 5520) == (1, 2)
    assert split_allocation(0, 5520) == (0, 0)
    assert split_allocation(1, 10_001) is None
    assert split_allocation(5_690_001, 5520) == (3_140_880, 2_549_121)


def test_allocation_cap_vectors() -> None:
    assert cycle_allocation(5, 100, 0, 5) == 5
    assert cycle_allocation(500, 100, 30, 100) == 70
    assert cycle_allocation(500, 100, 100, 100) == 0
    assert cycle_allocation(500, 100, 200, 100) == 0


def test_allocation_is_proportional_above_the_cap() -> None:
    # math.rs `allocation_is_proportional_above_the_cap`: 3 SOL pending against a 1 SOL cap.
    cap, total = 1_000_000_000, 3_000_000_000
    assert [cycle_allocation(p, cap, 0, total) for p in (1_500_000_000, 900_000_000, 600_000_000)] == [
        500_000_000,
        300_000_000,
        200_000_000,
    ]
    taken = 0
    for pending in (600_000_000, 1_500_000_000, 900_000_000):
        taken += cycle_allocation(pending, cap, taken, total)
    assert taken == cap
    assert cycle_allocation(1, 10, 0, 30) == 0
    assert cycle_allocation(29, 10, 0, 30) == 9


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


@given(u64, st.integers(min_value=0, max_value=10_000))
def test_split_floors_kept_and_rounds_to_root(allocation: int, bps: int) -> None:
    result = split_allocation(allocation, bps)
    assert result is not None
    kept, to_root = result
    assert kept == math.floor(Fraction(allocation * bps, 10_000))
    assert to_root == math.ceil(Fraction(allocation * (10_000 - bps), 10_000))  # the rounding goes to the root


@given(st.integers(min_value=0, max_value=10**12), st.integers(0, 200), st.integers(0, 200), st.integers(0, 200))
def test_net_after_fees_never_overspends(spendable: int, a: int, b: int, c: int) -> None:
    fees = FeeRates(a, b, c)
    net = net_after_fees(spendable, fees)
    assert net is not None and 0 <= net <= spendable
    assert net + (fees.fees_on(net) or 0) <= spendable + 1




def test_price_reference_rules_match_math_rs_vectors() -> None:
    assert PRICE_REFERENCE_MAX_AGE_SLOTS == 150
    assert price_reference_usable(10, 11)
    assert price_reference_usable(10, 160)
    assert not price_reference_usable(10, 161)  # too old
    assert not price_reference_usable(10, 10)  # same slot: a bundle could have moved it
    assert not price_reference_usable(11, 10)
    assert not price_reference_usable(0, 5)  # never recorded


def test_bounded_min_out_takes_the_stricter_bound() -> None:
    assert bounded_min_out(10_000, 0, 500) == 9_500  # caller's quote
    assert bounded_min_out(0, 10_000, 500) == 9_500  # reference (a permissionless caller)
    assert bounded_min_out(10_000, 20_000, 500) == 19_000  # a self-serving low quote is overridden
    assert bounded_min_out(20_000, 10_000, 500) == 19_000
    assert bounded_min_out(1, 1, 10_000) is None


@given(u64, u64, st.integers(min_value=0, max_value=9_999))
def test_bounded_min_out_never_below_either_bound(quoted: int, reference: int, bps: int) -> None:
    bound = bounded_min_out(quoted, reference, bps)
    assert bound is not None
    assert bound >= (min_out_after_slippage(quoted, bps) or 0)
    assert bound >= (min_out_after_slippage(reference, bps) or 0)


def test_same_slot_record_falls_back_to_the_previous_reference() -> None:
    assert select_price_reference(10, 5, 11) is True
    assert select_price_reference(11, 5, 11) is False
    assert select_price_reference(11, 0, 11) is None
    assert select_price_reference(10, 5, 161) is None
    assert select_price_reference(200, 40, 200) is None
    assert select_price_reference(0, 0, 1) is None
