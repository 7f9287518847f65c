//! `sell(amount, min_sol_output)`: `amount` tokens in, at least `min_sol_output` lamports
//! out after fees. The curve (owned by this program) pays by direct lamport moves.

use pinocchio::{error::ProgramError, AccountView, ProgramResult};

use super::{
    emit_trade, load, parse_args, top_up_creator_vault, write_reserves, Reserves, Trade,
    TradeAccounts,
};
use crate::{
    cpi::TransferChecked,
    errors::{AnchorError, PumpError},
    math::curve_sell,
};

pub const DISCRIMINATOR: [u8; 8] = [51, 230, 133, 164, 1, 127, 131, 173];

pub fn process(accounts: &mut [AccountView], args: &[u8]) -> ProgramResult {
    let (amount, min_sol_output, _) = parse_args(args, false)?;
    // Accounts 0-13 (creator_vault and token_program swapped versus buy); cashback and
    // buyback trailing accounts are ignored.
    let [global, fee_recipient, mint, bonding_curve, associated_bonding_curve, associated_user, user, system_program, creator_vault, token_program, event_authority, program, fee_config, fee_program, ..] =
        accounts
    else {
        return Err(AnchorError::AccountNotEnoughKeys.into());
    };
    let mut a = TradeAccounts {
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
        volume_accumulators: None,
        fee_config: *fee_config,
        fee_program: *fee_program,
    };
    let ctx = load(&a)?;
    if amount == 0 {
        return Err(PumpError::SellZeroAmount.into());
    }
    let quote = curve_sell(&ctx.curve, &ctx.fees, amount).ok_or(PumpError::Overflow)?;
    if quote.seller_receives < min_sol_output {
        return Err(PumpError::TooLittleSolReceived.into());
    }
    let overflow = || ProgramError::from(PumpError::Overflow);
    let c = &ctx.curve;
    let reserves = Reserves {
        virtual_token: c
            .virtual_token_reserves
            .checked_add(amount)
            .ok_or_else(overflow)?,
        virtual_sol: c
            .virtual_sol_reserves
            .checked_sub(quote.sol_out)
            .ok_or_else(overflow)?,
        real_token: c
            .real_token_reserves
            .checked_add(amount)
            .ok_or_else(overflow)?,
        real_sol: ctx
            .real_sol_reserves
            .checked_sub(quote.sol_out)
            .ok_or_else(overflow)?,
    };

    TransferChecked {
        token_program: &a.token_program,
        from: &a.associated_user,
        mint: &a.mint,
        to: &a.associated_bonding_curve,
        authority: &a.user,
        amount,
        decimals: ctx.decimals,
    }
    .invoke_signed(&[])?;
    if quote.creator_fee > 0 {
        top_up_creator_vault(&a)?;
    }

    // Lamports straight out of the curve account (owned by this program).
    let curve_lamports = a
        .bonding_curve
        .lamports()
        .checked_sub(quote.sol_out)
        .ok_or_else(overflow)?;
    a.bonding_curve.set_lamports(curve_lamports);
    let user_lamports = a.user.lamports() + quote.seller_receives;
    a.user.set_lamports(user_lamports);
    let fee_lamports = a.fee_recipient.lamports() + quote.protocol_fee;
    a.fee_recipient.set_lamports(fee_lamports);
    let vault_lamports = a.creator_vault.lamports() + quote.creator_fee;
    a.creator_vault.set_lamports(vault_lamports);

    write_reserves(&mut a.bonding_curve, &reserves);
    emit_trade(
        &a,
        &ctx,
        &Trade {
            sol_amount: quote.sol_out,
            token_amount: amount,
            is_buy: false,
            protocol_fee: quote.protocol_fee,
            creator_fee: quote.creator_fee,
            track_volume: false,
            ix_name: "sell",
            reserves,
        },
    )
}
