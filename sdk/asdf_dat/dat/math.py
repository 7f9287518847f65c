"""The asdf_dat program's arithmetic (programs/asdf_dat/src/math.rs and the constants of
constants.rs), ported once with the same formulas and rounding.

Everything here is pure integer math on lamports/base units: fee rates, the exact-in net
(`net_after_fees`), the curve and PumpSwap exact-in quotes, the fee split and the per-cycle
allocation. The cycle planner (`asdf_dat.dat.cycle`), the orchestrator, the client, the embedded ecosystem,
the benchmarks and the pump models (`asdf_dat.pump.math`) all use these functions.
"""

from __future__ import annotations

from dataclasses import dataclass

BPS_DENOMINATOR = 10_000
U64_MAX = (1 << 64) - 1

# Defaults of programs/asdf_dat/src/constants.rs (the chain's values win when read).
DEFAULT_MIN_CYCLE_INTERVAL_SECS = 60
MAX_CONSECUTIVE_FAILURES = 5
DEFAULT_MAX_FEES_PER_CYCLE = 1_000_000_000
DEFAULT_MIN_FEES_PER_TOKEN = 6_000_000
DEFAULT_MIN_ALLOCATION_SECONDARY = 5_690_000
DEFAULT_MIN_ALLOCATION_ROOT = 2_000_000
DEFAULT_FEE_SPLIT_BPS = 5520
DEFAULT_SLIPPAGE_BPS = 500

# Volume needed per lamport of creator fee: the seed's 0.3 % ("shortfall / 0.003").
CREATOR_FEE_BPS_FOR_VOLUME = 30


def mul_div_floor(a: int, b: int, d: int) -> int | None:
    """floor(a*b/d) if it fits in a u64 (wide_math::mul_div_floor)."""
    if d == 0:
        return None
    q = (a * b) // d
    return q if q <= U64_MAX else None


def mul_div_ceil(a: int, b: int, d: int) -> int | None:
    """ceil(a*b/d) if it fits in a u64 (wide_math::mul_div_ceil)."""
    if d == 0:
        return None
    q = -((-a * b) // d)
    return q if q <= U64_MAX else None


def split_allocation(allocation: int, keep_bps: int) -> tuple[int, int] | None:
    """(kept, to_root): kept = floor(allocation x keep_bps / 1e4), the rounding goes to the root."""
    if keep_bps > BPS_DENOMINATOR:
        return None
    kept = mul_div_floor(allocation, keep_bps, BPS_DENOMINATOR)
    if kept is None:
        return None
    return kept, allocation - kept


RENT_EXEMPT_ZERO_DATA = 890_880
"""Rent-exempt minimum of a 0-byte account: the authority's reserve, the vault and treasury floor."""


def cycle_allocation(pending: int, cycle_cap: int, taken_this_cycle: int, pending_at_open: int) -> int:
    """Fees a token may take this cycle (math.rs `allocation`): all its pending while the
    ecosystem's pending at the cycle's opening fits the cap, else its proportional share
    floor(pending x cap / pending_at_open); never more than what is left of the cap."""
    share = mul_div_floor(pending, cycle_cap, pending_at_open) if pending_at_open > cycle_cap else pending
    if share is None:
        share = pending
    remaining = max(cycle_cap - taken_this_cycle, 0)
    return share if share < remaining else remaining


def treasury_share(treasury: int, cycle_cap: int, taken_this_cycle: int, allocation: int) -> int:
    """Root treasury lamports a root spends with `allocation` (math.rs `treasury_share`): what
    is left of the cap after the cycle's takes and the allocation; the rest waits."""
    return min(treasury, max(cycle_cap - taken_this_cycle - allocation, 0))


def cycle_timing(now: int, started_at: int, last_take_at: int, interval: int) -> bool | None:
    """math.rs `cycle_timing`: True opens a new cycle, False may join the open one (younger
    than the interval), None is too soon (the interval has not passed since the open cycle's
    last take), so the cap holds over any window of `interval` seconds."""
    if now - started_at < interval:
        return False
    if now - last_take_at >= interval:
        return True
    return None


def min_out_after_slippage(quote: int, slippage_bps: int) -> int | None:
    """floor(quote x (1e4 - slippage) / 1e4)."""
    if slippage_bps >= BPS_DENOMINATOR:
        return None
    return mul_div_floor(quote, BPS_DENOMINATOR - slippage_bps, BPS_DENOMINATOR)


PRICE_REFERENCE_MAX_AGE_SLOTS = 150
"""A cycle's price reference must come from an earlier slot, at most this many slots old (≈ 60 s)."""


def price_reference_usable(recorded_slot: int, slot: int, max_age: int = PRICE_REFERENCE_MAX_AGE_SLOTS) -> bool:
    """math.rs `price_reference_usable`: recorded in an earlier slot, no older than `max_age`."""
    return 0 < recorded_slot < slot and slot - recorded_slot <= max_age


def select_price_reference(
    latest_slot: int, previous_slot: int, slot: int, max_age: int = PRICE_REFERENCE_MAX_AGE_SLOTS
) -> bool | None:
    """math.rs `select_price_reference`: True = the latest reference bounds a cycle at `slot`,
    False = the previous one (the latest was recorded in the cycle's own slot), None = neither."""
    if latest_slot < slot:
        return True if price_reference_usable(latest_slot, slot, max_age) else None
    return False if price_reference_usable(previous_slot, slot, max_age) else None


def bounded_min_out(quoted_tokens_out: int, reference_quote: int, slippage_bps: int) -> int | None:
    """math.rs `bounded_min_out`: every cycle's minimum out, the larger of the caller's quote and
    the quote at the recorded price reference, each less the slippage."""
    caller = min_out_after_slippage(quoted_tokens_out, slippage_bps)
    reference = min_out_after_slippage(reference_quote, slippage_bps)
    if caller is None or reference is None:
        return None
    return max(caller, reference)


@dataclass(frozen=True)
class FeeRates:
    """Up to three fee rates (bps), each charged as ceil(base x bps / 1e4)."""

    a: int = 0
    b: int = 0
    c: int = 0

    @property
    def total_bps(self) -> int:
        return self.a + self.b + self.c

    def fees_on(self, base: int) -> int | None:
        total = 0
        for bps in (self.a, self.b, self.c):
            fee = mul_div_ceil(base, bps, BPS_DENOMINATOR)
            if fee is None:
                return None
            total += fee
        return total if total <= U64_MAX else None


def net_after_fees(spendable: int, fees: FeeRates) -> int | None:
    """What reaches the pool of an exact-in buy: floor(S x 1e4 / (1e4 + Σbps)), reduced once by
    any excess so that net + fees <= S."""
    net = mul_div_floor(spendable, BPS_DENOMINATOR, BPS_DENOMINATOR + fees.total_bps)
    if net is None:
        return None
    fee = fees.fees_on(net)
    if fee is None:
        return None
    total = net + fee
    if total > spendable:
        net = max(net - (total - spendable), 0)
    return net


@dataclass(frozen=True)
class CurveQuoteInput:
    virtual_token_reserves: int
    virtual_sol_reserves: int
    real_token_reserves: int
    fees: FeeRates  # protocol (a), creator (b)


def curve_buy_exact_sol_in_quote(spendable: int, q: CurveQuoteInput) -> int | None:
    """Tokens out of pump buy_exact_sol_in: floor((net-1) vT / (vS + net - 1)), capped at the real reserves."""
    net = net_after_fees(spendable, q.fees)
    if net is None:
        return None
    if net <= 1:
        return 0
    sol_in = net - 1
    tokens = mul_div_floor(sol_in, q.virtual_token_reserves, q.virtual_sol_reserves + sol_in)
    if tokens is None:
        return None
    return min(tokens, q.real_token_reserves)


@dataclass(frozen=True)
class PoolQuoteInput:
    base_reserves: int
    quote_reserves: int
    fees: FeeRates  # lp (a), protocol (b), coin creator (c)


def pool_buy_exact_quote_in_quote(spendable: int, q: PoolQuoteInput) -> int | None:
    """Base out of PumpSwap buy_exact_quote_in: floor(B (net-1) / (Q + net - 1))."""
    net = net_after_fees(spendable, q.fees)
    if net is None:
        return None
    if net <= 1:
        return 0
    quote_in = net - 1
    return mul_div_floor(q.base_reserves, quote_in, q.quote_reserves + quote_in)


def volume_for_fees(fees: int, creator_fee_bps: int = CREATOR_FEE_BPS_FOR_VOLUME) -> int:
    """Lamports of trading volume that pay `fees` lamports of creator fee (ceil(fees / 0.003))."""
    if fees <= 0:
        return 0
    return -((-fees * BPS_DENOMINATOR) // creator_fee_bps)
