//! `set_token_pool` (admin): moves a token to its canonical PumpSwap pool
//! after migration (or back to its curve). The pool is derived and owner-checked;
//! its creator must be the DAT authority, or a fee-sharing token's sharing
//! config (whose venue creator vault is then recorded in `fee_creator_vault`).

use anchor_lang::prelude::*;

use crate::constants::*;
use crate::errors::DatError;
use crate::events::TokenPoolUpdated;
use crate::instructions::register_token::{expected_pool, pool_token_account, require_own_creator};
use crate::state::{DatState, TokenStats};
use crate::token::derive_ata;

/// Where `pool_type` pays the creator fees of a coin whose creator is `config`:
/// pump's `["creator-vault", config]`, or the WSOL ATA of PumpSwap's
/// `["creator_vault", config]` (cold path).
#[inline(never)]
fn config_creator_vault(config: &Address, pool_type: u8) -> Address {
    if pool_type == POOL_BONDING_CURVE {
        return find_program_address(
            &[PUMP_CREATOR_VAULT_SEED, config.as_ref()],
            &PUMP_PROGRAM_ID,
        )
        .0;
    }
    let (authority, _) = find_program_address(
        &[AMM_CREATOR_VAULT_SEED, config.as_ref()],
        &PUMP_AMM_PROGRAM_ID,
    );
    derive_ata(&authority, &SPL_TOKEN_PROGRAM_ID, &WSOL_MINT)
}

#[derive(Accounts)]
pub struct SetTokenPool {
    pub admin: Signer,
    #[account(constraint = state.admin == *admin.address() @ DatError::Unauthorized)]
    pub state: Account<DatState>,
    #[account(mut)]
    pub token_stats: Account<TokenStats>,
    pub pool: UncheckedAccount,
}

pub fn handle_set_token_pool(ctx: &mut Context<SetTokenPool>, pool_type: u8) -> Result<()> {
    let mint = ctx.accounts.token_stats.mint;
    let (pool, venue) = expected_pool(&mint, pool_type)?;
    require!(
        *ctx.accounts.pool.address() == pool && ctx.accounts.pool.account().owned_by(&venue),
        DatError::InvalidPool
    );
    // A fee-sharing coin's creator is its sharing config, on the curve and, after
    // graduation, as its pool's `coin_creator`.
    let fee_sharing = ctx.accounts.token_stats.attribution == ATTRIBUTION_FEE_SHARING;
    let creator = if fee_sharing {
        ctx.accounts.token_stats.sharing_config
    } else {
        ctx.accounts.state.authority
    };
    require_own_creator(ctx.accounts.pool.account(), pool_type, &creator)?;
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
    if fee_sharing {
        t.fee_creator_vault = config_creator_vault(&creator, pool_type);
    }
    emit!(TokenPoolUpdated {
        mint,
        old_pool,
        new_pool: pool,
        pool_type,
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
