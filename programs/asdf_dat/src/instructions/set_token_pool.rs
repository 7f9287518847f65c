//! `set_token_pool` (admin): moves a token to its canonical PumpSwap pool
//! after migration (or back to its curve). The pool is derived and owner-checked.

use anchor_lang::prelude::*;

use crate::errors::DatError;
use crate::events::TokenPoolUpdated;
use crate::instructions::register_token::{expected_pool, pool_token_account, require_own_creator};
use crate::state::{DatState, TokenStats};

#[derive(Accounts)]
pub struct SetTokenPool {
    pub admin: Signer,
    #[account(constraint = state.admin == *admin.address() @ DatError::Unauthorized)]
    pub state: Account<DatState>,
    #[account(mut)]
    pub token_stats: Account<TokenStats>,
    pub pool: UncheckedAccount,
}

pub fn handler(ctx: &mut Context<SetTokenPool>, pool_type: u8) -> Result<()> {
    let mint = ctx.accounts.token_stats.mint;
    let (pool, venue) = expected_pool(&mint, pool_type)?;
    require!(
        *ctx.accounts.pool.address() == pool && ctx.accounts.pool.account().owned_by(&venue),
        DatError::InvalidPool
    );
    require_own_creator(
        ctx.accounts.pool.account(),
        pool_type,
        &ctx.accounts.state.authority,
    )?;
    let vault = pool_token_account(
        ctx.accounts.pool.account(),
        &mint,
        &ctx.accounts.token_stats.token_program,
        pool_type,
    )?;
    let t = &mut ctx.accounts.token_stats;
    let old_pool = t.pool;
    t.pool_token_account = vault;
    t.pool = pool;
    t.pool_type = pool_type;
    emit!(TokenPoolUpdated {
        mint,
        old_pool,
        new_pool: pool,
        pool_type,
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
