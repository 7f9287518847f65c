//! The fee split (a secondary's share for the root): proposed within
//! bounds, executed after a timelock, or cancelled.

use anchor_lang::prelude::*;

use crate::constants::*;
use crate::errors::DatError;
use crate::events::{FeeSplitCancelled, FeeSplitProposed, FeeSplitUpdated};
use crate::instructions::admin_only::AdminOnly;

/// The bounds every fee-split change must satisfy.
#[inline(always)]
pub fn valid_fee_split_change(current: u16, new_bps: u16) -> bool {
    (MIN_FEE_SPLIT_BPS..=MAX_FEE_SPLIT_BPS).contains(&new_bps)
        && new_bps != current
        && current.abs_diff(new_bps) <= MAX_FEE_SPLIT_DELTA_BPS
}

/// `propose_fee_split` (admin): bounded (1000..=9000 bps, |Δ| ≤ 500 from the
/// current split), time-locked by `fee_split_timelock_secs` (default 1 h).
pub fn handle_propose_fee_split(ctx: &mut Context<AdminOnly>, new_bps: u16) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let s = &mut ctx.accounts.state;
    let current = s.fee_split_bps.get();
    require!(
        valid_fee_split_change(current, new_bps),
        DatError::InvalidFeeSplit
    );
    s.pending_fee_split_bps = PodU16::from(new_bps);
    s.pending_fee_split_at = PodI64::from(now);
    emit!(FeeSplitProposed {
        old_bps: current,
        new_bps,
        executable_at: now.saturating_add(s.fee_split_timelock_secs.get()),
        timestamp: now,
    });
    Ok(())
}

/// `execute_fee_split` (admin): applies the pending split once the timelock
/// has elapsed; bounds are re-checked against the split in force.
pub fn handle_execute_fee_split(ctx: &mut Context<AdminOnly>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let s = &mut ctx.accounts.state;
    let new_bps = s.pending_fee_split_bps.get();
    require!(new_bps != 0, DatError::NoPendingFeeSplit);
    let ready_at = s
        .pending_fee_split_at
        .get()
        .saturating_add(s.fee_split_timelock_secs.get());
    require!(now >= ready_at, DatError::TimelockNotElapsed);
    let old_bps = s.fee_split_bps.get();
    require!(
        valid_fee_split_change(old_bps, new_bps),
        DatError::InvalidFeeSplit
    );
    s.fee_split_bps = PodU16::from(new_bps);
    s.pending_fee_split_bps = PodU16::from(0);
    s.pending_fee_split_at = PodI64::from(0);
    emit!(FeeSplitUpdated {
        old_bps,
        new_bps,
        timestamp: now
    });
    Ok(())
}

/// `cancel_fee_split` (admin).
pub fn handle_cancel_fee_split(ctx: &mut Context<AdminOnly>) -> Result<()> {
    let s = &mut ctx.accounts.state;
    let pending = s.pending_fee_split_bps.get();
    require!(pending != 0, DatError::NoPendingFeeSplit);
    s.pending_fee_split_bps = PodU16::from(0);
    s.pending_fee_split_at = PodI64::from(0);
    emit!(FeeSplitCancelled {
        cancelled_bps: pending,
        timestamp: Clock::get()?.unix_timestamp
    });
    Ok(())
}
