//! `update_pending_fees` (keeper or admin): batched fee attribution.
//!
//! Each report names the range of trades it covers: the token's previous
//! watermark (exclusive) and the (slot, sequence) of its last trade (inclusive).
//! The previous one must equal what `TokenStats` holds (compare-and-swap) and
//! the new one must advance and not be in the future, so a replayed report, or
//! one built on a stale view (another keeper, a restored ledger), is rejected
//! (`StaleWatermark`): each trade is attributed once. After the
//! batch, Σ pending over all tokens (`state.total_pending_fees`) must not exceed
//! what the pool really holds, read from its balances
//! (`treasury::require_pending_covered`, `OverAttribution`). Token stats accounts follow as remaining accounts, one
//! per report, in order.

use anchor_lang::prelude::*;

use crate::errors::DatError;
use crate::events::PendingFeesUpdated;
use crate::math::watermark_advances;
use crate::state::{DatState, TokenStats};
use crate::treasury::{require_pending_covered, PoolAccounts};

#[derive(AnchorSerialize, AnchorDeserialize, IdlType, Clone, Copy)]
pub struct FeeReport {
    pub amount: u64,
    /// The token's watermark this report starts from (exclusive).
    pub prev_watermark_slot: u64,
    pub prev_watermark_seq: u64,
    /// The last trade this report counts (inclusive).
    pub watermark_slot: u64,
    pub watermark_seq: u64,
}

#[derive(Accounts)]
pub struct UpdatePendingFees {
    pub keeper: Signer,
    #[account(mut, constraint = state.is_operator(keeper.address()) @ DatError::Unauthorized)]
    pub state: Account<DatState>,
    #[account(address = state.bc_creator_vault @ DatError::InvalidExternalAccount)]
    pub bc_creator_vault: UncheckedAccount,
    #[account(address = state.amm_vault_ata @ DatError::InvalidExternalAccount)]
    pub amm_vault_ata: UncheckedAccount,
    #[account(address = state.authority @ DatError::InvalidExternalAccount)]
    pub authority: UncheckedAccount,
    #[account(address = state.authority_wsol_ata @ DatError::InvalidExternalAccount)]
    pub authority_wsol_ata: UncheckedAccount,
}

pub fn handle_update_pending_fees(
    ctx: &mut Context<UpdatePendingFees>,
    reports: alloc::vec::Vec<FeeReport>,
) -> Result<()> {
    let remaining = ctx.remaining_accounts()?;
    require!(
        !reports.is_empty() && remaining.len() == reports.len(),
        DatError::InvalidParameter
    );
    let clock = Clock::get()?;
    let s = &mut ctx.accounts.state;
    let mut total = s.total_pending_fees.get();
    let mut max_slot = s.last_attribution_slot.get();
    for (report, view) in reports.iter().zip(remaining.iter()) {
        require!(view.is_writable(), DatError::InvalidParameter);
        // SAFETY: remaining accounts never alias the declared (non-stats) accounts;
        // a stats account listed twice fails the borrow check in `load_mut`.
        let mut t = unsafe { <Account<TokenStats> as AnchorAccount>::load_mut(*view)? };
        require!(
            t.attribution == crate::constants::ATTRIBUTION_KEEPER,
            DatError::FeeSharingNotAttributed
        );
        require!(
            report.prev_watermark_slot == t.watermark_slot.get()
                && report.prev_watermark_seq == t.watermark_seq.get(),
            DatError::StaleWatermark
        );
        require!(
            report.watermark_slot <= clock.slot,
            DatError::StaleWatermark
        );
        require!(
            watermark_advances(
                report.watermark_slot,
                report.watermark_seq,
                t.watermark_slot.get(),
                t.watermark_seq.get()
            ),
            DatError::StaleWatermark
        );
        let pending = t
            .pending_fees
            .get()
            .checked_add(report.amount)
            .ok_or(DatError::MathOverflow)?;
        total = total
            .checked_add(report.amount)
            .ok_or(DatError::MathOverflow)?;
        t.pending_fees = PodU64::from(pending);
        t.total_sol_attributed =
            PodU64::from(t.total_sol_attributed.get().saturating_add(report.amount));
        t.watermark_slot = PodU64::from(report.watermark_slot);
        t.watermark_seq = PodU64::from(report.watermark_seq);
        if report.watermark_slot > max_slot {
            max_slot = report.watermark_slot;
        }
        emit!(PendingFeesUpdated {
            mint: t.mint,
            amount: report.amount,
            pending_fees: pending,
            total_pending_fees: total,
            watermark_slot: report.watermark_slot,
            watermark_seq: report.watermark_seq,
            timestamp: clock.unix_timestamp,
        });
    }
    require_pending_covered(
        total.saturating_add(s.root_share_held.get()),
        &PoolAccounts {
            authority: ctx.accounts.authority.account(),
            authority_wsol_ata: ctx.accounts.authority_wsol_ata.account(),
            bc_creator_vault: ctx.accounts.bc_creator_vault.account(),
            amm_vault_ata: ctx.accounts.amm_vault_ata.account(),
        },
    )?;
    s.total_pending_fees = PodU64::from(total);
    s.last_attribution_slot = PodU64::from(max_slot);
    Ok(())
}
