//! `sell(base_amount_in, min_quote_amount_out)`: `base_amount_in` base tokens in, at
//! least `min_quote_amount_out` quote tokens out after fees (the LP fee stays in the pool).

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
    math::pool_sell,
    state::token_amount,
    AMM_ID,
};

pub const DISCRIMINATOR: [u8; 8] = [51, 230, 133, 164, 1, 127, 131, 173];

pub fn process(accounts: &mut [AccountView], args: &[u8]) -> ProgramResult {
    let (base_amount_in, min_quote_amount_out, _) = parse_args(args, false)?;
    // 21 accounts; fee_config, fee_program and trailing ones ignored.
    let a = PoolAccounts::from_slice(accounts, 21)?;
    let ctx = load(&a)?;
    if base_amount_in == 0 {
        return Err(AmmError::ZeroBaseAmount.into());
    }
    let quote = pool_sell(&ctx.reserves, &ctx.fees, base_amount_in).ok_or(AmmError::Overflow)?;
    if quote.user_quote_out < min_quote_amount_out {
        return Err(AmmError::ExceededSlippage.into());
    }
    let user_base_before = token_amount(&a.user_base_token_account);
    let user_quote_before = token_amount(&a.user_quote_token_account);

    TransferChecked {
        token_program: &a.base_token_program,
        from: &a.user_base_token_account,
        mint: &a.base_mint,
        to: &a.pool_base_token_account,
        authority: &a.user,
        amount: base_amount_in,
        decimals: ctx.base_decimals,
    }
    .invoke_signed(&[])?;
    let bump = [ctx.pool_bump];
    let seeds = [
        Seed::from(POOL_SEED),
        Seed::from(&ctx.index),
        Seed::from(ctx.pool_creator.as_ref()),
        Seed::from(a.base_mint.address().as_ref()),
        Seed::from(a.quote_mint.address().as_ref()),
        Seed::from(&bump),
    ];
    let signer = [Signer::from(&seeds)];
    let pay = |to: &AccountView, amount: u64| -> ProgramResult {
        TransferChecked {
            token_program: &a.quote_token_program,
            from: &a.pool_quote_token_account,
            mint: &a.quote_mint,
            to,
            authority: &a.pool,
            amount,
            decimals: ctx.quote_decimals,
        }
        .invoke_signed(&signer)
    };
    pay(&a.user_quote_token_account, quote.user_quote_out)?;
    if quote.protocol_fee > 0 {
        pay(&a.protocol_fee_recipient_token_account, quote.protocol_fee)?;
    }
    if quote.creator_fee > 0 {
        pay(&a.coin_creator_vault_ata, quote.creator_fee)?;
    }

    let mut e = EventData::new(&discriminator::SELL_EVENT);
    e.i64(unix_timestamp()?)
        .u64(base_amount_in)
        .u64(min_quote_amount_out)
        .u64(user_base_before)
        .u64(user_quote_before)
        .u64(ctx.reserves.base)
        .u64(ctx.reserves.quote)
        .u64(quote.quote_out)
        .u64(ctx.fees.lp_bps)
        .u64(quote.lp_fee)
        .u64(ctx.fees.protocol_bps)
        .u64(quote.protocol_fee)
        .u64(quote.quote_out - quote.lp_fee)
        .u64(quote.user_quote_out)
        .address(a.pool.address())
        .address(a.user.address())
        .address(a.user_base_token_account.address())
        .address(a.user_quote_token_account.address())
        .address(a.protocol_fee_recipient.address())
        .address(a.protocol_fee_recipient_token_account.address())
        .address(&ctx.coin_creator)
        .u64(ctx.fees.creator_bps)
        .u64(quote.creator_fee)
        // cashback_fee_basis_points, cashback, buyback_fee_basis_points, buyback_fee
        .u64(0)
        .u64(0)
        .u64(0)
        .u64(0);
    e.emit(&AMM_ID, &a.event_authority)
}
