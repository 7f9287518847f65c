//! Pure arithmetic: fee split, allocation, slippage and pump's fee-aware
//! exact-in quotes. u64 only (`wide_math` for a*b/d): upstream LLVM's BPF
//! backend cannot lower u128 multiply/divide.

use crate::constants::BPS_DENOMINATOR;
use wide_math::{mul_div_ceil, mul_div_floor};

/// Splits a secondary's allocation: `(kept, to_root)` with
/// `kept = floor(alloc * keep_bps / 1e4)` and the rounding going to the root.
#[inline]
pub fn split_allocation(allocation: u64, keep_bps: u16) -> Option<(u64, u64)> {
    if keep_bps as u64 > BPS_DENOMINATOR {
        return None;
    }
    let kept = mul_div_floor(allocation, keep_bps as u64, BPS_DENOMINATOR)?;
    Some((kept, allocation - kept))
}

/// Fees a token may take this cycle. While the ecosystem's pending total at the
/// cycle's opening fits the cap, a token takes all its pending; above the cap it
/// takes its proportional share `floor(pending * cap / pending_at_open)`, so no
/// token waits behind others. Never more than what is left of the cap.
#[inline]
pub fn allocation(
    pending: u64,
    cycle_cap: u64,
    taken_this_cycle: u64,
    pending_at_open: u64,
) -> u64 {
    let share = if pending_at_open > cycle_cap {
        // pending may have grown since the opening; the cap-left bound below still holds.
        mul_div_floor(pending, cycle_cap, pending_at_open).unwrap_or(u64::MAX)
    } else {
        pending
    };
    let remaining = cycle_cap.saturating_sub(taken_this_cycle);
    if share < remaining {
        share
    } else {
        remaining
    }
}

/// Root treasury lamports a root may spend with `allocation`: what is left of
/// the cap after the cycle's takes and its own allocation (the treasury counts
/// toward the cap; the rest waits for later cycles).
#[inline]
pub fn treasury_share(
    treasury: u64,
    cycle_cap: u64,
    taken_this_cycle: u64,
    allocation: u64,
) -> u64 {
    let left = cycle_cap
        .saturating_sub(taken_this_cycle)
        .saturating_sub(allocation);
    if treasury < left {
        treasury
    } else {
        left
    }
}

/// Where a root's `treasury_used` comes from: the share held in the fee pool
/// first (no lamports move), then the treasury account (a transfer).
/// Returns (from the held share, from the treasury account).
#[inline]
pub fn treasury_sources(treasury_used: u64, root_share_held: u64) -> (u64, u64) {
    let from_held = if treasury_used < root_share_held {
        treasury_used
    } else {
        root_share_held
    };
    (from_held, treasury_used - from_held)
}

/// Where a token's cycle at `now` falls: `Some(true)` opens a new ecosystem
/// cycle, `Some(false)` may join the open one (while it is younger than the
/// interval), `None` is too soon. A new cycle opens only once the interval has
/// passed both since the open cycle started and since it last took fees, so no
/// window of `interval` seconds ever holds takes of two cycles (the cap holds
/// over any such window).
#[inline]
pub fn cycle_timing(now: i64, started_at: i64, last_take_at: i64, interval: i64) -> Option<bool> {
    if now.saturating_sub(started_at) < interval {
        Some(false)
    } else if now.saturating_sub(last_take_at) >= interval {
        Some(true)
    } else {
        None
    }
}

/// `floor(quote * (1e4 - slippage) / 1e4)`.
#[inline]
pub fn min_out_after_slippage(quote: u64, slippage_bps: u16) -> Option<u64> {
    if slippage_bps as u64 >= BPS_DENOMINATOR {
        return None;
    }
    mul_div_floor(
        quote,
        BPS_DENOMINATOR - slippage_bps as u64,
        BPS_DENOMINATOR,
    )
}

/// A price reference recorded at `recorded_slot` may bound a cycle at `slot`:
/// recorded in an earlier slot (nothing in the cycle's own slot, where a bundle
/// could have moved the price first), at most `max_age` slots ago.
#[inline]
pub fn price_reference_usable(recorded_slot: u64, slot: u64, max_age: u64) -> bool {
    recorded_slot > 0 && recorded_slot < slot && slot - recorded_slot <= max_age
}

/// Which of a token's two recorded references bounds a cycle at `slot`: the
/// latest (`Some(true)`), unless it was recorded in the cycle's own slot, then
/// the previous one (`Some(false)`, recorded in an earlier slot by
/// construction); `None` when the chosen one is not usable (missing, too old).
#[inline]
pub fn select_price_reference(
    latest_slot: u64,
    previous_slot: u64,
    slot: u64,
    max_age: u64,
) -> Option<bool> {
    if latest_slot < slot {
        return price_reference_usable(latest_slot, slot, max_age).then_some(true);
    }
    price_reference_usable(previous_slot, slot, max_age).then_some(false)
}

/// Every cycle's minimum out: the larger of the caller's quote and the quote
/// at the price reference, each less the slippage. A caller can only tighten
/// the bound, never loosen it.
#[inline]
pub fn bounded_min_out(
    quoted_tokens_out: u64,
    reference_quote: u64,
    slippage_bps: u16,
) -> Option<u64> {
    let caller = min_out_after_slippage(quoted_tokens_out, slippage_bps)?;
    let reference = min_out_after_slippage(reference_quote, slippage_bps)?;
    Some(if caller > reference {
        caller
    } else {
        reference
    })
}

/// Up to three fee rates (bps), each charged as `ceil(base * bps / 1e4)`.
#[derive(Clone, Copy, Default)]
pub struct FeeRates {
    pub a: u64,
    pub b: u64,
    pub c: u64,
}

impl FeeRates {
    #[inline]
    fn total_bps(&self) -> Option<u64> {
        self.a.checked_add(self.b)?.checked_add(self.c)
    }

    /// Σ ceil(base * bps_i / 1e4).
    #[inline]
    pub fn fees_on(&self, base: u64) -> Option<u64> {
        let fa = mul_div_ceil(base, self.a, BPS_DENOMINATOR)?;
        let fb = mul_div_ceil(base, self.b, BPS_DENOMINATOR)?;
        let fc = mul_div_ceil(base, self.c, BPS_DENOMINATOR)?;
        fa.checked_add(fb)?.checked_add(fc)
    }
}

/// Net amount that reaches the pool for an exact-in buy of `spendable`:
/// `net = floor(S*1e4/(1e4+Σbps))`, then reduced until `net + fees <= S`
/// (pump's rule: reduce by the excess once).
#[inline]
pub fn net_after_fees(spendable: u64, fees: &FeeRates) -> Option<u64> {
    let denom = BPS_DENOMINATOR.checked_add(fees.total_bps()?)?;
    let mut net = mul_div_floor(spendable, BPS_DENOMINATOR, denom)?;
    let total = net.checked_add(fees.fees_on(net)?)?;
    if total > spendable {
        net = net.saturating_sub(total - spendable);
    }
    Some(net)
}

/// Bonding-curve reserves and fee rates needed for a quote.
#[derive(Clone, Copy, Default)]
pub struct CurveQuoteInput {
    pub virtual_token_reserves: u64,
    pub virtual_sol_reserves: u64,
    pub real_token_reserves: u64,
    /// protocol (a) and creator (b) bps; c unused.
    pub fees: FeeRates,
}

/// Tokens out of pump `buy_exact_sol_in(spendable)`:
/// `floor((net-1) * vT / (vS + net - 1))`, capped at the real reserves.
#[inline]
pub fn curve_buy_exact_sol_in_quote(spendable: u64, input: &CurveQuoteInput) -> Option<u64> {
    curve_out_for_net(net_after_fees(spendable, &input.fees)?, input)
}

/// Tokens out of a curve buy whose net (after fees) is `net`: the fees depend
/// only on the budget, so a cycle quotes the current reserves and its price
/// reference from one `net_after_fees`.
#[inline]
pub fn curve_out_for_net(net: u64, input: &CurveQuoteInput) -> Option<u64> {
    if net <= 1 {
        return Some(0);
    }
    let sol_in = net - 1;
    let denom = input.virtual_sol_reserves.checked_add(sol_in)?;
    let tokens = mul_div_floor(sol_in, input.virtual_token_reserves, denom)?;
    Some(if tokens < input.real_token_reserves {
        tokens
    } else {
        input.real_token_reserves
    })
}

/// PumpSwap pool balances and fee rates for a quote.
#[derive(Clone, Copy, Default)]
pub struct PoolQuoteInput {
    pub base_reserves: u64,
    pub quote_reserves: u64,
    /// lp (a), protocol (b), coin creator (c) bps.
    pub fees: FeeRates,
}

/// Base out of PumpSwap `buy_exact_quote_in(spendable)`:
/// `floor(B * (net-1) / (Q + net - 1))`.
#[inline]
pub fn pool_buy_exact_quote_in_quote(spendable: u64, input: &PoolQuoteInput) -> Option<u64> {
    pool_out_for_net(net_after_fees(spendable, &input.fees)?, input)
}

/// Base out of a pool buy whose net (after fees) is `net` (see `curve_out_for_net`).
#[inline]
pub fn pool_out_for_net(net: u64, input: &PoolQuoteInput) -> Option<u64> {
    if net <= 1 {
        return Some(0);
    }
    let quote_in = net - 1;
    let denom = input.quote_reserves.checked_add(quote_in)?;
    mul_div_floor(input.base_reserves, quote_in, denom)
}

/// Lexicographic `(slot, seq) > (old_slot, old_seq)`.
#[inline]
pub fn watermark_advances(slot: u64, seq: u64, old_slot: u64, old_seq: u64) -> bool {
    slot > old_slot || (slot == old_slot && seq > old_seq)
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;

    const FRESH: CurveQuoteInput = CurveQuoteInput {
        virtual_token_reserves: 1_073_000_000_000_000,
        virtual_sol_reserves: 30_000_000_000,
        real_token_reserves: 793_100_000_000_000,
        fees: FeeRates { a: 95, b: 30, c: 0 },
    };

    #[test]
    fn split_keeps_5520_and_rounds_to_root() {
        assert_eq!(
            split_allocation(10_000_000, 5520),
            Some((5_520_000, 4_480_000))
        );
        assert_eq!(split_allocation(3, 5520), Some((1, 2)));
        assert_eq!(split_allocation(0, 5520), Some((0, 0)));
        assert_eq!(split_allocation(1, 10_001), None);
        // No overflow on the largest allocation: the product is taken in u128.
        let (k, _) = split_allocation(u64::MAX, 9000).unwrap();
        assert_eq!(k as u128, u64::MAX as u128 * 9000 / 10_000);
    }

    #[test]
    fn allocation_respects_cap() {
        assert_eq!(allocation(5, 100, 0, 5), 5);
        assert_eq!(allocation(500, 100, 30, 100), 70);
        assert_eq!(allocation(500, 100, 100, 100), 0);
        assert_eq!(allocation(500, 100, 200, 100), 0);
    }

    #[test]
    fn allocation_is_proportional_above_the_cap() {
        // Σ pending 3 SOL against a 1 SOL cap: each token gets a third of its pending.
        let (cap, total) = (1_000_000_000, 3_000_000_000);
        let shares: [u64; 3] = [1_500_000_000, 900_000_000, 600_000_000]
            .map(|pending| allocation(pending, cap, 0, total));
        assert_eq!(shares, [500_000_000, 300_000_000, 200_000_000]);
        // Taken in any order, the shares fit the cap exactly.
        let mut taken = 0;
        for pending in [600_000_000u64, 1_500_000_000, 900_000_000] {
            taken += allocation(pending, cap, taken, total);
        }
        assert_eq!(taken, cap);
        // Rounding goes to the tokens' remaining pending, never over the cap.
        assert_eq!(allocation(1, 10, 0, 30), 0);
        assert_eq!(allocation(29, 10, 0, 30), 9);
    }

    #[test]
    fn treasury_counts_toward_the_cap() {
        assert_eq!(treasury_share(500, 100, 0, 10), 90);
        assert_eq!(treasury_share(50, 100, 0, 10), 50);
        assert_eq!(treasury_share(500, 100, 95, 10), 0);
    }

    #[test]
    fn cycle_timing_windows() {
        // Opened at 0, last take at 59: join until 59, nothing at 61, open at 119.
        assert_eq!(cycle_timing(59, 0, 59, 60), Some(false));
        assert_eq!(cycle_timing(61, 0, 59, 60), None);
        assert_eq!(cycle_timing(119, 0, 59, 60), Some(true));
        assert_eq!(cycle_timing(60, 0, 0, 60), Some(true));
        assert_eq!(cycle_timing(1_800_000_000, 0, 0, 60), Some(true));
    }

    #[test]
    fn price_reference_rules() {
        assert!(price_reference_usable(10, 11, 150));
        assert!(price_reference_usable(10, 160, 150));
        assert!(!price_reference_usable(10, 161, 150));
        assert!(!price_reference_usable(10, 10, 150));
        assert!(!price_reference_usable(11, 10, 150));
        assert!(!price_reference_usable(0, 5, 150));
    }

    #[test]
    fn same_slot_record_falls_back_to_the_previous_reference() {
        assert_eq!(select_price_reference(10, 5, 11, 150), Some(true));
        assert_eq!(select_price_reference(11, 5, 11, 150), Some(false));
        assert_eq!(select_price_reference(11, 0, 11, 150), None);
        assert_eq!(select_price_reference(10, 5, 161, 150), None);
        assert_eq!(select_price_reference(200, 40, 200, 150), None);
        assert_eq!(select_price_reference(0, 0, 1, 150), None);
    }

    #[test]
    fn bounded_min_out_takes_the_stricter_bound() {
        assert_eq!(bounded_min_out(10_000, 0, 500), Some(9_500));
        assert_eq!(bounded_min_out(0, 10_000, 500), Some(9_500));
        assert_eq!(bounded_min_out(10_000, 20_000, 500), Some(19_000));
        assert_eq!(bounded_min_out(20_000, 10_000, 500), Some(19_000));
        assert_eq!(bounded_min_out(1, 1, 10_000), None);
    }

    #[test]
    fn slippage() {
        assert_eq!(min_out_after_slippage(10_000, 500), Some(9_500));
        assert_eq!(min_out_after_slippage(19, 500), Some(18));
        assert_eq!(min_out_after_slippage(1, 10_000), None);
    }

    #[test]
    fn pump_exact_sol_in_vector() {
        // pump.md §3.4: buy_exact_sol_in(1e9) on a fresh curve.
        let fees = FRESH.fees;
        let net = net_after_fees(1_000_000_000, &fees).unwrap();
        assert_eq!(net, 987_654_320);
        assert_eq!(fees.fees_on(net).unwrap(), 12_345_680);
        assert_eq!(
            curve_buy_exact_sol_in_quote(1_000_000_000, &FRESH),
            Some(34_199_203_120_618)
        );
    }

    #[test]
    fn net_never_exceeds_spendable() {
        let fees = FeeRates { a: 95, b: 30, c: 0 };
        for s in [
            0u64,
            1,
            2,
            99,
            10_125,
            10_126,
            5_690_000,
            1_000_000_007,
            u64::MAX / 20_000,
        ] {
            let net = net_after_fees(s, &fees).unwrap();
            assert!(net + fees.fees_on(net).unwrap() <= s + 1, "s={s}");
        }
    }

    #[test]
    fn pool_quote_matches_formula() {
        let input = PoolQuoteInput {
            base_reserves: 200_000_000_000_000,
            quote_reserves: 85_000_000_000,
            fees: FeeRates { a: 20, b: 5, c: 5 },
        };
        let s = 1_000_000_000u64;
        let net = net_after_fees(s, &input.fees).unwrap();
        let expect = (input.base_reserves as u128 * (net as u128 - 1)
            / (input.quote_reserves as u128 + net as u128 - 1)) as u64;
        assert_eq!(pool_buy_exact_quote_in_quote(s, &input), Some(expect));
        assert_eq!(pool_buy_exact_quote_in_quote(1, &input), Some(0));
    }

    #[test]
    fn curve_quote_capped_by_real_reserves() {
        let mut input = FRESH;
        input.real_token_reserves = 10;
        assert_eq!(
            curve_buy_exact_sol_in_quote(1_000_000_000, &input),
            Some(10)
        );
    }

    #[test]
    fn watermark_order() {
        assert!(watermark_advances(10, 0, 9, 99));
        assert!(watermark_advances(10, 2, 10, 1));
        assert!(!watermark_advances(10, 1, 10, 1));
        assert!(!watermark_advances(9, 5, 10, 1));
    }
}

#[cfg(test)]
mod props {
    extern crate std;
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Kept is the floor of its share, and the root gets the rounding: its share is the
        /// ceiling of the complement.
        #[test]
        fn split_floors_kept_and_rounds_to_root(alloc: u64, bps in 0u16..=10_000) {
            let (kept, to_root) = split_allocation(alloc, bps).unwrap();
            prop_assert_eq!(kept as u128, alloc as u128 * bps as u128 / 10_000);
            prop_assert_eq!(to_root as u128, (alloc as u128 * (10_000 - bps as u128)).div_ceil(10_000));
        }

        /// An exact-in buy never costs more than it may spend.
        #[test]
        fn exact_in_within_budget(s in 0u64..u64::MAX / 20_000, a in 0u64..500, b in 0u64..500, c in 0u64..500) {
            let fees = FeeRates { a, b, c };
            let net = net_after_fees(s, &fees).unwrap();
            prop_assert!(net + fees.fees_on(net).unwrap() <= s);
            prop_assert!(net <= s);
        }

        /// Quotes match the u128 formula and grow with the budget.
        #[test]
        fn curve_quote_formula_and_monotonic(s in 2u64..100_000_000_000, vt in 1u64..2_000_000_000_000_000, vs in 1u64..200_000_000_000) {
            let input = CurveQuoteInput { virtual_token_reserves: vt, virtual_sol_reserves: vs, real_token_reserves: u64::MAX, fees: FeeRates { a: 95, b: 30, c: 0 } };
            let q = curve_buy_exact_sol_in_quote(s, &input).unwrap();
            let net = net_after_fees(s, &input.fees).unwrap();
            let expect = if net <= 1 { 0 } else { ((net as u128 - 1) * vt as u128 / (vs as u128 + net as u128 - 1)) as u64 };
            prop_assert_eq!(q, expect);
            prop_assert!(curve_buy_exact_sol_in_quote(s + 1_000, &input).unwrap() >= q);
        }

        /// The exact-out cost of the exact-in pool quote stays within the budget
        /// (what `execute_cycle_amm` relies on when it buys with PumpSwap `buy`).
        #[test]
        fn pool_quote_exact_out_cost_within_budget(s in 10_000u64..100_000_000_000, b in 1_000_000u64..1_000_000_000_000_000, q in 1_000_000u64..1_000_000_000_000) {
            let input = PoolQuoteInput { base_reserves: b, quote_reserves: q, fees: FeeRates { a: 20, b: 5, c: 5 } };
            let out = pool_buy_exact_quote_in_quote(s, &input).unwrap();
            prop_assume!(out > 0 && out < b);
            let cost = (q as u128 * out as u128).div_ceil((b - out) as u128) as u64;
            prop_assert!(cost + input.fees.fees_on(cost).unwrap() <= s);
        }
    }

    #[test]
    fn treasury_sources_spend_the_held_share_first() {
        assert_eq!(treasury_sources(0, 0), (0, 0));
        assert_eq!(treasury_sources(500, 800), (500, 0));
        assert_eq!(treasury_sources(800, 800), (800, 0));
        assert_eq!(treasury_sources(1_000, 800), (800, 200));
        assert_eq!(treasury_sources(1_000, 0), (0, 1_000));
        assert_eq!(treasury_sources(u64::MAX, u64::MAX - 1), (u64::MAX - 1, 1));
    }
}
