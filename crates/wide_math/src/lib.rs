//! `a * b / d` with a 128-bit intermediate, written with u64 operations only.
//!
//! Upstream LLVM 22's BPF backend refuses the `__multi3` / `__udivti3` libcalls
//! that Rust emits for `u128` multiply and divide, so SBF programs built with it
//! cannot use `u128` arithmetic. These functions give the same results as the
//! `u128` expressions (property-tested against them on the host).
#![no_std]

/// Full 64x64 -> 128-bit product as `(high, low)`.
#[inline]
pub const fn mul_wide(a: u64, b: u64) -> (u64, u64) {
    const LOW32: u64 = 0xFFFF_FFFF;
    let (a_hi, a_lo) = (a >> 32, a & LOW32);
    let (b_hi, b_lo) = (b >> 32, b & LOW32);
    let lo_lo = a_lo * b_lo;
    let hi_lo = a_hi * b_lo;
    let lo_hi = a_lo * b_hi;
    let hi_hi = a_hi * b_hi;
    // Middle column: at most 3 * (2^32 - 1)^2 / 2^32 < 2^64, so no overflow.
    let middle = (lo_lo >> 32) + (hi_lo & LOW32) + (lo_hi & LOW32);
    let low = (middle << 32) | (lo_lo & LOW32);
    let high = hi_hi + (hi_lo >> 32) + (lo_hi >> 32) + (middle >> 32);
    (high, low)
}

/// Divides the 128-bit value `(high, low)` by `divisor`.
/// Returns `(quotient, remainder)`, or `None` when `divisor` is zero or the
/// quotient does not fit in 64 bits (`high >= divisor`).
///
/// Two-digit long division in base 2^32 after normalising the divisor (Knuth's
/// algorithm D as in Hacker's Delight's `divlu`): two 64/32 estimates, each
/// corrected at most twice, instead of 64 one-bit steps.
#[inline]
pub const fn div_wide(high: u64, low: u64, divisor: u64) -> Option<(u64, u64)> {
    if divisor == 0 || high >= divisor {
        return None;
    }
    if high == 0 {
        return Some((low / divisor, low % divisor));
    }
    const BASE: u64 = 1 << 32;
    const LOW32: u64 = BASE - 1;
    // high < divisor, so the shift moves no set bit of `high` out.
    let shift = divisor.leading_zeros();
    let v = divisor << shift;
    let (v1, v0) = (v >> 32, v & LOW32);
    let u32_ = if shift == 0 {
        high
    } else {
        (high << shift) | (low >> (64 - shift))
    };
    let u10 = low << shift;
    let (u1, u0) = (u10 >> 32, u10 & LOW32);

    // Wrapping operations where the bounds below hold (an overflow check would make
    // LLVM emit a 128-bit multiply, which SBF cannot link): q·v1 ≤ the dividend digit,
    // q < 2^32 before q·v0 is formed (`||` short-circuits), rhat < 2^32 before the shift.
    let mut q1 = u32_ / v1;
    let mut rhat = u32_.wrapping_sub(q1.wrapping_mul(v1));
    while q1 >= BASE || q1.wrapping_mul(v0) > (rhat << 32).wrapping_add(u1) {
        q1 -= 1;
        rhat = rhat.wrapping_add(v1);
        if rhat >= BASE {
            break;
        }
    }
    // The partial remainder fits in 64 bits (it is < v).
    let u21 = (u32_ << 32)
        .wrapping_add(u1)
        .wrapping_sub(q1.wrapping_mul(v));
    let mut q0 = u21 / v1;
    rhat = u21.wrapping_sub(q0.wrapping_mul(v1));
    while q0 >= BASE || q0.wrapping_mul(v0) > (rhat << 32).wrapping_add(u0) {
        q0 -= 1;
        rhat = rhat.wrapping_add(v1);
        if rhat >= BASE {
            break;
        }
    }
    let remainder = (u21 << 32)
        .wrapping_add(u0)
        .wrapping_sub(q0.wrapping_mul(v))
        >> shift;
    Some(((q1 << 32) | q0, remainder))
}

/// `floor(a * b / d)`, or `None` if `d == 0` or the result exceeds `u64::MAX`.
#[inline]
pub const fn mul_div_floor(a: u64, b: u64, d: u64) -> Option<u64> {
    let (high, low) = mul_wide(a, b);
    match div_wide(high, low, d) {
        Some((quotient, _)) => Some(quotient),
        None => None,
    }
}

/// `ceil(a * b / d)`, or `None` if `d == 0` or the result exceeds `u64::MAX`.
#[inline]
pub const fn mul_div_ceil(a: u64, b: u64, d: u64) -> Option<u64> {
    let (high, low) = mul_wide(a, b);
    match div_wide(high, low, d) {
        Some((quotient, 0)) => Some(quotient),
        Some((quotient, _)) => quotient.checked_add(1),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use proptest::prelude::*;

    fn reference_floor(a: u64, b: u64, d: u64) -> Option<u64> {
        if d == 0 {
            return None;
        }
        u64::try_from(a as u128 * b as u128 / d as u128).ok()
    }

    fn reference_ceil(a: u64, b: u64, d: u64) -> Option<u64> {
        if d == 0 {
            return None;
        }
        u64::try_from((a as u128 * b as u128).div_ceil(d as u128)).ok()
    }

    #[test]
    fn edges() {
        assert_eq!(mul_wide(u64::MAX, u64::MAX), (u64::MAX - 1, 1));
        assert_eq!(mul_div_floor(u64::MAX, u64::MAX, u64::MAX), Some(u64::MAX));
        assert_eq!(mul_div_floor(u64::MAX, 2, 1), None);
        assert_eq!(mul_div_floor(1, 1, 0), None);
        assert_eq!(mul_div_ceil(7, 3, 2), Some(11));
        assert_eq!(mul_div_ceil(u64::MAX, u64::MAX, u64::MAX), Some(u64::MAX));
        // pump.md vector: fresh curve, 1e12 tokens out -> 27,985,074 + 1.
        assert_eq!(
            mul_div_floor(
                1_000_000_000_000,
                30_000_000_000,
                1_073_000_000_000_000 - 1_000_000_000_000
            ),
            Some(27_985_074)
        );
    }

    proptest! {
        #[test]
        fn matches_u128(a: u64, b: u64, d in 1u64..) {
            prop_assert_eq!(mul_div_floor(a, b, d), reference_floor(a, b, d));
            prop_assert_eq!(mul_div_ceil(a, b, d), reference_ceil(a, b, d));
            let (high, low) = mul_wide(a, b);
            prop_assert_eq!(((high as u128) << 64) | low as u128, a as u128 * b as u128);
        }

        #[test]
        fn div_wide_matches_u128(high: u64, low: u64, d in 1u64..) {
            let n = ((high as u128) << 64) | low as u128;
            let expected = (high < d).then(|| ((n / d as u128) as u64, (n % d as u128) as u64));
            prop_assert_eq!(div_wide(high, low, d), expected);
        }

        #[test]
        fn div_wide_matches_u128_near_divisor(d in 2u64.., below in 1u64..1 << 20, low: u64) {
            // Quotients near 2^64 exercise both correction loops.
            let high = d.saturating_sub(below);
            let n = ((high as u128) << 64) | low as u128;
            prop_assert_eq!(div_wide(high, low, d), Some(((n / d as u128) as u64, (n % d as u128) as u64)));
        }

        #[test]
        fn matches_u128_small_divisors(a: u64, b in 0u64..1 << 40, d in 1u64..1 << 20) {
            prop_assert_eq!(mul_div_floor(a, b, d), reference_floor(a, b, d));
        }
    }
}
