//! `buy(base_amount_out, max_quote_amount_in, track_volume)`: exactly `base_amount_out`
//! base tokens for at most `max_quote_amount_in` quote tokens including fees.

use pinocchio::{
    cpi::{Seed, Signer},
    AccountView, ProgramResult,
};

use super::{load, PoolAccounts, POOL_SEED};
use crate::{
    bonding_curve::parse_args,
    cpi::{unix_timestamp, TransferChecked},
    errors::AmmError,
    events::{discriminator, EventData},
    math::pool_buy_exact_out,
    state::token_amount,
    AMM_ID,
};

pub const DISCRIMINATOR: [u8; 8] = [102, 6, 61, 18, 1, 218, 235, 234];

pub fn process(accounts: &mut [AccountView], args: &[u8]) -> ProgramResult {
    let (base_amount_out, max_quote_amount_in, track_volume) = parse_args(args, true)?;
    // 23 accounts; volume accumulators, fee_config, fee_program and trailing ones ignored.
    let a = PoolAccounts::from_slice(accounts, 23)?;
    let ctx = load(&a)?;
    if base_amount_out == 0 {
        return Err(AmmError::ZeroBaseAmount.into());
    }
    if base_amount_out >= ctx.reserves.base {
        return Err(AmmError::BuyMoreBaseAmountThanPoolReserves.into());
    }
    let quote =
        pool_buy_exact_out(&ctx.reserves, &ctx.fees, base_amount_out).ok_or(AmmError::Overflow)?;
    let with_lp_fee = quote.quote_in_with_lp_fee().ok_or(AmmError::Overflow)?;
    let user_quote_in = quote.user_quote_in().ok_or(AmmError::Overflow)?;
    if user_quote_in > max_quote_amount_in {
        return Err(AmmError::ExceededSlippage.into());
    }
    let user_base_before = token_amount(&a.user_base_token_account);
    let user_quote_before = token_amount(&a.user_quote_token_account);

    let pay = |to: &AccountView, amount: u64| -> ProgramResult {
        TransferChecked {
            token_program: &a.quote_token_program,
            from: &a.user_quote_token_account,
            mint: &a.quote_mint,
            to,
            authority: &a.user,
            amount,
            decimals: ctx.quote_decimals,
        }
        .invoke_signed(&[])
    };
    pay(&a.pool_quote_token_account, with_lp_fee)?;
    if quote.protocol_fee > 0 {
        pay(&a.protocol_fee_recipient_token_account, quote.protocol_fee)?;
    }
    if quote.creator_fee > 0 {
        pay(&a.coin_creator_vault_ata, quote.creator_fee)?;
    }
    let bump = [ctx.pool_bump];
    let seeds = [
        Seed::from(POOL_SEED),
        Seed::from(&ctx.index),
        Seed::from(ctx.pool_creator.as_ref()),
        Seed::from(a.base_mint.address().as_ref()),
        Seed::from(a.quote_mint.address().as_ref()),
        Seed::from(&bump),
    ];
    TransferChecked {
        token_program: &a.base_token_program,
        from: &a.pool_base_token_account,
        mint: &a.base_mint,
        to: &a.user_base_token_account,
        authority: &a.pool,
        amount: base_amount_out,
        decimals: ctx.base_decimals,
    }
    .invoke_signed(&[Signer::from(&seeds)])?;

    let mut e = EventData::new(&discriminator::BUY_EVENT);
    e.i64(unix_timestamp()?)
        .u64(base_amount_out)
        .u64(max_quote_amount_in)
        .u64(user_base_before)
        .u64(user_quote_before)
        .u64(ctx.reserves.base)
        .u64(ctx.reserves.quote)
        .u64(quote.quote_in)
        .u64(ctx.fees.lp_bps)
        .u64(quote.lp_fee)
        .u64(ctx.fees.protocol_bps)
        .u64(quote.protocol_fee)
        .u64(with_lp_fee)
        .u64(user_quote_in)
        .address(a.pool.address())
        .address(a.user.address())
        .address(a.user_base_token_account.address())
        .address(a.user_quote_token_account.address())
        .address(a.protocol_fee_recipient.address())
        .address(a.protocol_fee_recipient_token_account.address())
        .address(&ctx.coin_creator)
        .u64(ctx.fees.creator_bps)
        .u64(quote.creator_fee)
        .bool(track_volume)
        // total_unclaimed_tokens, total_claimed_tokens, current_sol_volume, last_update_timestamp
        .u64(0)
        .u64(0)
        .u64(0)
        .i64(0)
        // min_base_amount_out: `buy` asks for exactly base_amount_out.
        .u64(base_amount_out)
        .string("buy")
        // cashback_fee_basis_points, cashback, buyback_fee_basis_points, buyback_fee
        .u64(0)
        .u64(0)
        .u64(0)
        .u64(0);
    e.emit(&AMM_ID, &a.event_authority)
}
