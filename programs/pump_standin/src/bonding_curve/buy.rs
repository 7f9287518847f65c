//! `buy(amount, max_sol_cost, track_volume)`: exactly `amount` tokens out (clamped to the
//! real reserves), paying at most `max_sol_cost` lamports including fees.

use pinocchio::{error::ProgramError, AccountView, ProgramResult};

use super::{load, parse_args, settle_buy, BuyExtra, TradeAccounts};
use crate::{
    errors::{AnchorError, PumpError},
    math::curve_buy_exact_out,
};

pub const DISCRIMINATOR: [u8; 8] = [102, 6, 61, 18, 1, 218, 235, 234];

/// Accounts 0-15 of the IDL (16-17 and anything later are ignored); shared with
/// `buy_exact_sol_in`.
#[inline(always)]
pub(crate) fn buy_accounts(accounts: &[AccountView]) -> Result<TradeAccounts, ProgramError> {
    let [global, fee_recipient, mint, bonding_curve, associated_bonding_curve, associated_user, user, system_program, token_program, creator_vault, event_authority, program, global_volume_accumulator, user_volume_accumulator, fee_config, fee_program, ..] =
        accounts
    else {
        return Err(AnchorError::AccountNotEnoughKeys.into());
    };
    Ok(TradeAccounts {
        global: *global,
        fee_recipient: *fee_recipient,
        mint: *mint,
        bonding_curve: *bonding_curve,
        associated_bonding_curve: *associated_bonding_curve,
        associated_user: *associated_user,
        user: *user,
        system_program: *system_program,
        token_program: *token_program,
        creator_vault: *creator_vault,
        event_authority: *event_authority,
        program: *program,
        volume_accumulators: Some((*global_volume_accumulator, *user_volume_accumulator)),
        fee_config: *fee_config,
        fee_program: *fee_program,
    })
}

pub fn process(accounts: &mut [AccountView], args: &[u8]) -> ProgramResult {
    let (amount, max_sol_cost, track_volume) = parse_args(args, true)?;
    let mut a = buy_accounts(accounts)?;
    let ctx = load(&a)?;
    if amount == 0 {
        return Err(PumpError::BuyZeroAmount.into());
    }
    let quote = curve_buy_exact_out(&ctx.curve, &ctx.fees, amount).ok_or(PumpError::Overflow)?;
    if quote.tokens == 0 {
        return Err(PumpError::BuyZeroAmount.into());
    }
    if quote.total_cost().ok_or(PumpError::Overflow)? > max_sol_cost {
        return Err(PumpError::TooMuchSolRequired.into());
    }
    settle_buy(
        &mut a,
        &ctx,
        &quote,
        &BuyExtra {
            track_volume,
            ix_name: "buy",
        },
    )
}
