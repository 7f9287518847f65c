//! `execute_fee_split` (admin): applies the pending split once the timelock
//! has elapsed; bounds are re-checked against the split in force.

use anchor_lang::prelude::*;

use crate::errors::DatError;
use crate::events::FeeSplitUpdated;
use crate::instructions::admin_only::AdminOnly;
use crate::instructions::propose_fee_split::valid_fee_split_change;

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
