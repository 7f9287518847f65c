//! Pure fee and reserve math of the bonding curve and the PumpSwap pool, with the official
//! rounding (`../shared/reference/pump.md` §3.4 and §4.5). Every `a*b/d` goes through
//! `wide_math` (u64-only 128-bit intermediates). `None` means overflow or division by zero.

use wide_math::{mul_div_ceil, mul_div_floor};

pub const BPS_DENOMINATOR: u64 = 10_000;

/// `ceil(amount * bps / 10_000)`: each fee is rounded up separately.
#[inline(always)]
pub fn fee(amount: u64, bps: u64) -> Option<u64> {
    mul_div_ceil(amount, bps, BPS_DENOMINATOR)
}

/// Bonding-curve reserves a trade reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Curve {
    pub virtual_token_reserves: u64,
    pub virtual_sol_reserves: u64,
    pub real_token_reserves: u64,
}

/// Protocol and creator fee rates in basis points (creator 0 when the coin has no creator).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CurveFees {
    pub protocol_bps: u64,
    pub creator_bps: u64,
}

/// A curve buy: `tokens` out for `sol` into the curve, plus the two fees on `sol`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CurveBuy {
    pub tokens: u64,
    pub sol: u64,
    pub protocol_fee: u64,
    pub creator_fee: u64,
}

impl CurveBuy {
    /// What the buyer pays in total.
    #[inline(always)]
    pub fn total_cost(&self) -> Option<u64> {
        self.sol
            .checked_add(self.protocol_fee)?
            .checked_add(self.creator_fee)
    }
}

/// A curve sell: `sol_out` leaves the curve; the seller gets it minus both fees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CurveSell {
    pub sol_out: u64,
    pub protocol_fee: u64,
    pub creator_fee: u64,
    pub seller_receives: u64,
}

/// SOL the curve takes for exactly `tokens` (`tokens <= real reserves`, checked by the caller):
/// `floor(tokens * vS / (vT - tokens)) + 1`.
#[inline(always)]
fn curve_sol_for_tokens(curve: &Curve, tokens: u64) -> Option<u64> {
    let remaining = curve.virtual_token_reserves.checked_sub(tokens)?;
    mul_div_floor(tokens, curve.virtual_sol_reserves, remaining)?.checked_add(1)
}

#[inline(always)]
fn curve_buy_for_tokens(curve: &Curve, fees: &CurveFees, tokens: u64) -> Option<CurveBuy> {
    let sol = curve_sol_for_tokens(curve, tokens)?;
    Some(CurveBuy {
        tokens,
        sol,
        protocol_fee: fee(sol, fees.protocol_bps)?,
        creator_fee: fee(sol, fees.creator_bps)?,
    })
}

/// `buy(amount)`: the amount is clamped to the real token reserves (as the official SDK).
pub fn curve_buy_exact_out(curve: &Curve, fees: &CurveFees, amount: u64) -> Option<CurveBuy> {
    let tokens = if amount < curve.real_token_reserves {
        amount
    } else {
        curve.real_token_reserves
    };
    curve_buy_for_tokens(curve, fees, tokens)
}

/// `buy_exact_sol_in(spendable)`, the IDL's formula: net SOL after fees, then
/// `floor((net - 1) * vT / (vS + net - 1))` tokens. The curve takes `net`; the fees are
/// computed on `net`. If the tokens exceed the real reserves, the buy is clamped to the
/// reserves and priced as `buy(real reserves)`. Returns `tokens == 0` when `net <= 1`.
pub fn curve_buy_exact_in(curve: &Curve, fees: &CurveFees, spendable: u64) -> Option<CurveBuy> {
    let total_bps = BPS_DENOMINATOR
        .checked_add(fees.protocol_bps)?
        .checked_add(fees.creator_bps)?;
    let mut net = mul_div_floor(spendable, BPS_DENOMINATOR, total_bps)?;
    let fees_on_net = fee(net, fees.protocol_bps)?.checked_add(fee(net, fees.creator_bps)?)?;
    let with_fees = net.checked_add(fees_on_net)?;
    if with_fees > spendable {
        net = net.saturating_sub(with_fees - spendable);
    }
    if net <= 1 {
        return Some(CurveBuy {
            tokens: 0,
            sol: net,
            protocol_fee: 0,
            creator_fee: 0,
        });
    }
    let tokens = mul_div_floor(
        net - 1,
        curve.virtual_token_reserves,
        curve.virtual_sol_reserves.checked_add(net - 1)?,
    )?;
    if tokens > curve.real_token_reserves {
        return curve_buy_for_tokens(curve, fees, curve.real_token_reserves);
    }
    Some(CurveBuy {
        tokens,
        sol: net,
        protocol_fee: fee(net, fees.protocol_bps)?,
        creator_fee: fee(net, fees.creator_bps)?,
    })
}

/// `sell(amount)`: `floor(amount * vS / (vT + amount))` out, minus both fees.
pub fn curve_sell(curve: &Curve, fees: &CurveFees, amount: u64) -> Option<CurveSell> {
    let sol_out = mul_div_floor(
        amount,
        curve.virtual_sol_reserves,
        curve.virtual_token_reserves.checked_add(amount)?,
    )?;
    let protocol_fee = fee(sol_out, fees.protocol_bps)?;
    let creator_fee = fee(sol_out, fees.creator_bps)?;
    let seller_receives = sol_out
        .checked_sub(protocol_fee)?
        .checked_sub(creator_fee)?;
    Some(CurveSell {
        sol_out,
        protocol_fee,
        creator_fee,
        seller_receives,
    })
}

/// PumpSwap fee rates in basis points (creator 0 when the pool has no coin creator).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolFees {
    pub lp_bps: u64,
    pub protocol_bps: u64,
    pub creator_bps: u64,
}

/// Pool reserves: the base and quote vault balances.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolReserves {
    pub base: u64,
    pub quote: u64,
}

/// A pool buy: `quote_in` for the curve, fees on top (`lp_fee` stays in the pool).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolBuy {
    pub quote_in: u64,
    pub lp_fee: u64,
    pub protocol_fee: u64,
    pub creator_fee: u64,
}

impl PoolBuy {
    /// `quote_amount_in_with_lp_fee`: what the pool's quote vault receives.
    #[inline(always)]
    pub fn quote_in_with_lp_fee(&self) -> Option<u64> {
        self.quote_in.checked_add(self.lp_fee)
    }

    /// `user_quote_amount_in`: what the buyer pays in total.
    #[inline(always)]
    pub fn user_quote_in(&self) -> Option<u64> {
        self.quote_in_with_lp_fee()?
            .checked_add(self.protocol_fee)?
            .checked_add(self.creator_fee)
    }
}

/// A pool sell: `quote_out` from the curve, the seller gets it minus all three fees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolSell {
    pub quote_out: u64,
    pub lp_fee: u64,
    pub protocol_fee: u64,
    pub creator_fee: u64,
    pub user_quote_out: u64,
}

/// `buy(base_out)`: `ceil(Q * out / (B - out))`; the caller ensures `0 < out < B`.
pub fn pool_buy_exact_out(
    reserves: &PoolReserves,
    fees: &PoolFees,
    base_out: u64,
) -> Option<PoolBuy> {
    let quote_in = mul_div_ceil(
        reserves.quote,
        base_out,
        reserves.base.checked_sub(base_out)?,
    )?;
    Some(PoolBuy {
        quote_in,
        lp_fee: fee(quote_in, fees.lp_bps)?,
        protocol_fee: fee(quote_in, fees.protocol_bps)?,
        creator_fee: fee(quote_in, fees.creator_bps)?,
    })
}

/// `sell(base_in)`: `floor(Q * in / (B + in))`, minus the three fees.
pub fn pool_sell(reserves: &PoolReserves, fees: &PoolFees, base_in: u64) -> Option<PoolSell> {
    let quote_out = mul_div_floor(reserves.quote, base_in, reserves.base.checked_add(base_in)?)?;
    let lp_fee = fee(quote_out, fees.lp_bps)?;
    let protocol_fee = fee(quote_out, fees.protocol_bps)?;
    let creator_fee = fee(quote_out, fees.creator_bps)?;
    let user_quote_out = quote_out
        .checked_sub(lp_fee)?
        .checked_sub(protocol_fee)?
        .checked_sub(creator_fee)?;
    Some(PoolSell {
        quote_out,
        lp_fee,
        protocol_fee,
        creator_fee,
        user_quote_out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fresh mainnet curve (pump.md §3.1).
    const FRESH: Curve = Curve {
        virtual_token_reserves: 1_073_000_000_000_000,
        virtual_sol_reserves: 30_000_000_000,
        real_token_reserves: 793_100_000_000_000,
    };
    const FEES: CurveFees = CurveFees {
        protocol_bps: 95,
        creator_bps: 30,
    };

    #[test]
    fn pump_md_buy_vector() {
        let q = curve_buy_exact_out(&FRESH, &FEES, 1_000_000_000_000).unwrap();
        assert_eq!(
            q,
            CurveBuy {
                tokens: 1_000_000_000_000,
                sol: 27_985_075,
                protocol_fee: 265_859,
                creator_fee: 83_956
            }
        );
        assert_eq!(q.total_cost(), Some(27_985_075 + 265_859 + 83_956));
    }

    #[test]
    fn pump_md_buy_exact_sol_in_vector() {
        let q = curve_buy_exact_in(&FRESH, &FEES, 1_000_000_000).unwrap();
        assert_eq!(q.sol, 987_654_320);
        assert_eq!(q.protocol_fee + q.creator_fee, 12_345_680);
        assert_eq!(q.tokens, 34_199_203_120_618);
        assert_eq!(q.total_cost(), Some(1_000_000_000));
    }

    #[test]
    fn pump_md_sell_vector() {
        let q = curve_sell(&FRESH, &FEES, 1_000_000_000_000).unwrap();
        assert_eq!(q.sol_out, 27_932_960);
        assert_eq!((q.protocol_fee, q.creator_fee), (265_364, 83_799));
        assert_eq!(q.seller_receives, 27_932_960 - 265_364 - 83_799);
    }

    #[test]
    fn buy_clamps_to_real_reserves() {
        let q = curve_buy_exact_out(&FRESH, &FEES, u64::MAX / 2).unwrap();
        assert_eq!(q.tokens, FRESH.real_token_reserves);
        // Completion at ~85.005 SOL of real SOL (pump.md §3.4).
        assert!(
            (85_000_000_000..85_010_000_000).contains(&q.sol),
            "{}",
            q.sol
        );
        let q = curve_buy_exact_in(&FRESH, &FEES, 1_000_000_000_000).unwrap();
        assert_eq!(q.tokens, FRESH.real_token_reserves);
    }

    #[test]
    fn exact_in_never_exceeds_budget() {
        for s in [
            0u64,
            1,
            2,
            3,
            100,
            10_125,
            10_126,
            999_999,
            1_000_000_007,
            77_777_777_777,
        ] {
            let q = curve_buy_exact_in(&FRESH, &FEES, s).unwrap();
            assert!(q.total_cost().unwrap() <= s.max(1), "{s}: {q:?}");
        }
    }

    #[test]
    fn pool_vectors() {
        let r = PoolReserves {
            base: 206_900_000_000_000,
            quote: 84_990_359_057,
        };
        let f = PoolFees {
            lp_bps: 20,
            protocol_bps: 5,
            creator_bps: 5,
        };
        let b = pool_buy_exact_out(&r, &f, 1_000_000_000_000).unwrap();
        // ceil(84_990_359_057e12 / 205_900e12).
        assert_eq!(b.quote_in, 412_774_935);
        assert_eq!(
            (b.lp_fee, b.protocol_fee, b.creator_fee),
            (825_550, 206_388, 206_388)
        );
        let s = pool_sell(&r, &f, 1_000_000_000_000).unwrap();
        assert_eq!(s.quote_out, 408_804_035);
        assert_eq!(s.user_quote_out, 408_804_035 - 817_609 - 204_403 - 204_403);
        assert!(pool_buy_exact_out(&r, &f, r.base).is_none());
    }
}
