//! `cancel_fee_split` (admin).

use anchor_lang::prelude::*;

use crate::errors::DatError;
use crate::events::FeeSplitCancelled;
use crate::instructions::admin_only::AdminOnly;

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
