//! `record_price_reference` (anyone): stores a bonding-curve token's current
//! virtual reserves and the slot. A cycle run by someone other than the
//! operator takes its minimum out from this reference, which must come from an
//! earlier slot, no older than `PRICE_REFERENCE_MAX_AGE_SLOTS`: moving the
//! price against the DAT then means holding the moved price across a slot
//! boundary, open to anyone trading back, instead of one atomic bundle.

use anchor_lang::prelude::*;

use crate::constants::*;
use crate::errors::DatError;
use crate::events::PriceReferenceRecorded;
use crate::instructions::cycle::read_u64_at;
use crate::state::TokenStats;

#[derive(Accounts)]
pub struct RecordPriceReference {
    #[account(mut)]
    pub token_stats: Account<TokenStats>,
    #[account(address = token_stats.pool @ DatError::InvalidPool)]
    pub bonding_curve: UncheckedAccount,
}

const CURVE_VIRTUAL_TOKEN: usize = 8;
const CURVE_VIRTUAL_SOL: usize = 16;

pub fn handler(ctx: &mut Context<RecordPriceReference>) -> Result<()> {
    let a = &mut ctx.accounts;
    require!(
        a.token_stats.pool_type == POOL_BONDING_CURVE
            && a.bonding_curve.account().owned_by(&PUMP_PROGRAM_ID),
        DatError::WrongPoolType
    );
    let slot = Clock::get()?.slot;
    let sol = read_u64_at(a.bonding_curve.account(), CURVE_VIRTUAL_SOL);
    let token = read_u64_at(a.bonding_curve.account(), CURVE_VIRTUAL_TOKEN);
    require!(sol > 0 && token > 0, DatError::InvalidPool);
    let t = &mut a.token_stats;
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
