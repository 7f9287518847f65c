"""Fee and reserve math of the bonding curve and PumpSwap, with the same rounding as the
stand-in (`programs/pump_standin/src/math.rs`) and the official SDKs (pump.md §3.4, §4.5)."""

from __future__ import annotations

from dataclasses import dataclass

from asdf_dat.dat.math import FeeRates, net_after_fees

__all__ = [
    "BPS",
    "CurveBuy",
    "CurveSell",
    "PoolBuy",
    "PoolSell",
    "curve_buy_exact_in",
    "curve_buy_exact_out",
    "curve_sell",
    "fee",
    "pool_buy_exact_out",
    "pool_sell",
]

BPS = 10_000


def _ceil_div(a: int, b: int) -> int:
    return (a + b - 1) // b


def fee(amount: int, bps: int) -> int:
    """`ceil(amount * bps / 10_000)`; every fee is rounded up on its own."""
    return _ceil_div(amount * bps, BPS)


@dataclass(frozen=True)
class CurveBuy:
    tokens: int
    sol: int
    protocol_fee: int
    creator_fee: int

    @property
    def total_cost(self) -> int:
        return self.sol + self.protocol_fee + self.creator_fee


@dataclass(frozen=True)
class CurveSell:
    sol_out: int
    protocol_fee: int
    creator_fee: int

    @property
    def seller_receives(self) -> int:
        return self.sol_out - self.protocol_fee - self.creator_fee


def _buy_for_tokens(vt: int, vs: int, tokens: int, protocol_bps: int, creator_bps: int) -> CurveBuy:
    sol = tokens * vs // (vt - tokens) + 1
    return CurveBuy(tokens, sol, fee(sol, protocol_bps), fee(sol, creator_bps))


def curve_buy_exact_out(
    vt: int, vs: int, rt: int, amount: int, protocol_bps: int = 95, creator_bps: int = 30
) -> CurveBuy:
    """`buy(amount)`: clamp to the real reserves, `sol = floor(a*vS/(vT-a)) + 1`, fees on sol."""
    return _buy_for_tokens(vt, vs, min(amount, rt), protocol_bps, creator_bps)


def curve_buy_exact_in(
    vt: int, vs: int, rt: int, spendable: int, protocol_bps: int = 95, creator_bps: int = 30
) -> CurveBuy:
    """`buy_exact_sol_in(spendable)` per the IDL docs; the curve takes `net` (the same exact-in net
    as the DAT's quotes, `asdf_dat.dat.math.net_after_fees`), fees on `net`."""
    net = net_after_fees(spendable, FeeRates(protocol_bps, creator_bps))
    if net is None:
        raise ValueError("spendable out of u64 range")
    if net <= 1:
        return CurveBuy(0, net, 0, 0)
    tokens = (net - 1) * vt // (vs + net - 1)
    if tokens > rt:
        return _buy_for_tokens(vt, vs, rt, protocol_bps, creator_bps)
    return CurveBuy(tokens, net, fee(net, protocol_bps), fee(net, creator_bps))


def curve_sell(vt: int, vs: int, amount: int, protocol_bps: int = 95, creator_bps: int = 30) -> CurveSell:
    """`sell(amount)`: `floor(a*vS/(vT+a))` out, minus both fees."""
    out = amount * vs // (vt + amount)
    return CurveSell(out, fee(out, protocol_bps), fee(out, creator_bps))


@dataclass(frozen=True)
class PoolBuy:
    quote_in: int
    lp_fee: int
    protocol_fee: int
    creator_fee: int

    @property
    def quote_in_with_lp_fee(self) -> int:
        return self.quote_in + self.lp_fee

    @property
    def user_quote_in(self) -> int:
        return self.quote_in + self.lp_fee + self.protocol_fee + self.creator_fee


@dataclass(frozen=True)
class PoolSell:
    quote_out: int
    lp_fee: int
    protocol_fee: int
    creator_fee: int

    @property
    def user_quote_out(self) -> int:
        return self.quote_out - self.lp_fee - self.protocol_fee - self.creator_fee


def pool_buy_exact_out(
    base: int, quote: int, base_out: int, lp_bps: int = 20, protocol_bps: int = 5, creator_bps: int = 5
) -> PoolBuy:
    """PumpSwap `buy(base_out)`: `ceil(Q*out/(B-out))`, fees on top."""
    if not 0 < base_out < base:
        raise ValueError("base_out must be in (0, base reserve)")
    q = _ceil_div(quote * base_out, base - base_out)
    return PoolBuy(q, fee(q, lp_bps), fee(q, protocol_bps), fee(q, creator_bps))


def pool_sell(
    base: int, quote: int, base_in: int, lp_bps: int = 20, protocol_bps: int = 5, creator_bps: int = 5
) -> PoolSell:
    """PumpSwap `sell(base_in)`: `floor(Q*in/(B+in))`, minus the three fees."""
    out = quote * base_in // (base + base_in)
    return PoolSell(out, fee(out, lp_bps), fee(out, protocol_bps), fee(out, creator_bps))
