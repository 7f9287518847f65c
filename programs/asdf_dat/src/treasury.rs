//! Balance-derived pool accounting: one place that says what the DAT holds.
//!
//! Money is never tracked by deltas we observed. What the fee pool holds is read
//! from real balances at the time of use: the authority's lamports above its
//! rent reserve, the authority's WSOL amount, the pump creator vault above rent
//! and the PumpSwap creator-vault WSOL. Anyone may add to these (a donation, or
//! a stranger calling pump's permissionless collect for us): that only ever adds
//! spendable value. What is committed against the pool is Σ pending
//! (`state.total_pending_fees`) plus the root's share the secondaries left in
//! it (`state.root_share_held`): `DatState::committed_lamports`. The root also
//! owns the root treasury account's real balance above rent. `require_pending_covered` is the one
//! invariant check, called by every instruction that adds pending or moves pool
//! money.

use anchor_lang::prelude::*;

use crate::constants::*;
use crate::errors::DatError;
use crate::token::token_amount;

/// The four accounts that hold the fee pool.
pub struct PoolAccounts<'a> {
    pub authority: &'a AccountView,
    pub authority_wsol_ata: &'a AccountView,
    pub bc_creator_vault: &'a AccountView,
    pub amm_vault_ata: &'a AccountView,
}

/// Native lamports the authority can spend (above its rent reserve).
#[inline(always)]
pub fn authority_lamports(authority: &AccountView) -> u64 {
    authority.lamports().saturating_sub(RENT_EXEMPT_ZERO_DATA)
}

/// WSOL amount of an SPL Token account (0 when it does not exist yet).
#[inline(always)]
pub fn wsol_amount(account: &AccountView) -> u64 {
    if account.owned_by(&SPL_TOKEN_PROGRAM_ID) {
        token_amount(account)
    } else {
        0
    }
}

/// Lamports the root treasury holds for the root (above its rent floor).
#[inline(always)]
pub fn treasury_lamports(treasury: &AccountView) -> u64 {
    treasury.lamports().saturating_sub(RENT_EXEMPT_ZERO_DATA)
}

/// Everything the fee pool really holds, in lamports.
#[inline(never)]
pub fn pool_value(p: &PoolAccounts) -> u64 {
    authority_lamports(p.authority)
        .saturating_add(wsol_amount(p.authority_wsol_ata))
        .saturating_add(
            p.bc_creator_vault
                .lamports()
                .saturating_sub(RENT_EXEMPT_ZERO_DATA),
        )
        .saturating_add(wsol_amount(p.amm_vault_ata))
}

/// The invariant: what the pool owes (`DatState::committed_lamports`: Σ pending
/// + the root's held share) ≤ what it really holds.
#[inline(never)]
pub fn require_pending_covered(committed: u64, p: &PoolAccounts) -> Result<()> {
    require!(committed <= pool_value(p), DatError::OverAttribution);
    Ok(())
}
