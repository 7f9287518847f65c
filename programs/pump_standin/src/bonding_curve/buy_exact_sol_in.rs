//! `buy_exact_sol_in(spendable_sol_in, min_tokens_out, track_volume)`: spend at most
//! `spendable_sol_in` lamports including fees, for at least `min_tokens_out` tokens.

use pinocchio::{AccountView, ProgramResult};

use super::{buy::buy_accounts, load, parse_args, settle_buy, BuyExtra};
use crate::{errors::PumpError, math::curve_buy_exact_in};

pub const DISCRIMINATOR: [u8; 8] = [56, 252, 116, 8, 158, 223, 205, 95];

pub fn process(accounts: &mut [AccountView], args: &[u8]) -> ProgramResult {
    let (spendable_sol_in, min_tokens_out, track_volume) = parse_args(args, true)?;
    let mut a = buy_accounts(accounts)?;
    let ctx = load(&a)?;
    if spendable_sol_in == 0 {
        return Err(PumpError::BuyZeroAmount.into());
    }
    let quote =
        curve_buy_exact_in(&ctx.curve, &ctx.fees, spendable_sol_in).ok_or(PumpError::Overflow)?;
    if quote.sol <= 1 {
        return Err(PumpError::BuyNotEnoughSolToCoverFees.into());
    }
    if quote.tokens < min_tokens_out {
        return Err(PumpError::BuySlippageBelowMinTokensOut.into());
    }
    if quote.tokens == 0 {
        return Err(PumpError::BuyZeroAmount.into());
    }
    settle_buy(
        &mut a,
        &ctx,
        &quote,
        &BuyExtra {
            track_volume,
            ix_name: "buy_exact_sol_in",
        },
    )
}
