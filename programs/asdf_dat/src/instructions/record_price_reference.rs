//! `record_price_reference` (anyone): stores a token's current price and the
//! slot: a bonding curve's virtual reserves, or a PumpSwap pool's quote/base
//! vault balances (the vaults, as recorded in the pool account, are the two
//! remaining accounts: base then quote). Every cycle, whoever runs it, takes
//! the larger of its caller's minimum out and this reference's quote of the
//! budget (less the slippage); the reference must come from an earlier slot,
//! no older than `PRICE_REFERENCE_MAX_AGE_SLOTS`. The previous slot's reference is
//! kept next to the latest: a record in the cycle's own slot (by anyone) makes
//! the cycle use the previous one, so recording can never block a cycle. Moving the price against the
//! DAT then means holding the moved price across a slot boundary, open to
//! anyone trading back, instead of one atomic bundle.

use anchor_lang::prelude::*;

use crate::constants::*;
use crate::errors::DatError;
use crate::events::PriceReferenceRecorded;
use crate::pump_accounts::{curve_reserves, pool_reserves, PoolVaults};
use crate::state::TokenStats;

#[derive(Accounts)]
pub struct RecordPriceReference {
    #[account(mut)]
    pub token_stats: Account<TokenStats>,
    /// The token's bonding curve or PumpSwap pool.
    #[account(address = token_stats.pool @ DatError::InvalidPool)]
    pub pool: UncheckedAccount,
}

pub fn handle_record_price_reference(ctx: &mut Context<RecordPriceReference>) -> Result<()> {
    let remaining = ctx.remaining_accounts()?;
    let a = &mut ctx.accounts;
    let pool = a.pool.account();
    // (SOL side, token side)
    let (sol, token) = match a.token_stats.pool_type {
        POOL_BONDING_CURVE => {
            require!(pool.owned_by(&PUMP_PROGRAM_ID), DatError::WrongPoolType);
            curve_reserves(pool)?
        }
        POOL_AMM => {
            require!(remaining.len() >= 2, DatError::InvalidPool);
            require!(
                *remaining[0].address() == a.token_stats.pool_token_account,
                DatError::InvalidPool
            );
            let r = pool_reserves(
                &PoolVaults {
                    pool,
                    base_vault: &remaining[0],
                    quote_vault: &remaining[1],
                },
                &a.token_stats.mint,
                &a.token_stats.token_program,
            )?;
            (r.quote, r.base)
        }
        _ => return Err(DatError::WrongPoolType.into()),
    };
    require!(sol > 0 && token > 0, DatError::InvalidPool);
    let slot = Clock::get()?.slot;
    let t = &mut a.token_stats;
    if slot > t.price_ref_slot.get() {
        // A new slot: the latest becomes the previous (what a cycle in this slot uses).
        t.price_ref_prev_sol = t.price_ref_virtual_sol;
        t.price_ref_prev_token = t.price_ref_virtual_token;
        t.price_ref_prev_slot = t.price_ref_slot;
    }
    t.price_ref_virtual_sol = PodU64::from(sol);
    t.price_ref_virtual_token = PodU64::from(token);
    t.price_ref_slot = PodU64::from(slot);
    emit!(PriceReferenceRecorded {
        mint: t.mint,
        virtual_sol_reserves: sol,
        virtual_token_reserves: token,
        slot,
    });
    Ok(())
}
