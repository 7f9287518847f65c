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
#[inline]
pub const fn div_wide(high: u64, low: u64, divisor: u64) -> Option<(u64, u64)> {
    if divisor == 0 || high >= divisor {
        return None;
    }
    if high == 0 {
        return Some((low / divisor, low % divisor));
    }
    // Restoring long division, one quotient bit per step. `remainder < divisor`
    // holds before each step, so the shifted remainder fits in 65 bits.
    let mut remainder = high;
    let mut quotient = 0u64;
    let mut bit = 64;
    while bit > 0 {
        bit -= 1;
        let carry = remainder >> 63;
        remainder = (remainder << 1) | ((low >> bit) & 1);
        quotient <<= 1;
        if carry != 0 || remainder >= divisor {
            remainder = remainder.wrapping_sub(divisor);
            quotient |= 1;
        }
    }
    Some((quotient, remainder))
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
        fn matches_u128_small_divisors(a: u64, b in 0u64..1 << 40, d in 1u64..1 << 20) {
            prop_assert_eq!(mul_div_floor(a, b, d), reference_floor(a, b, d));
        }
    }
}
