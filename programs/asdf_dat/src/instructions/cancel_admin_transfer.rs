//! `cancel_admin_transfer` (admin).

use anchor_lang::prelude::*;

use crate::errors::DatError;
use crate::events::AdminTransferCancelled;
use crate::instructions::admin_only::AdminOnly;

pub fn handle_cancel_admin_transfer(ctx: &mut Context<AdminOnly>) -> Result<()> {
    let s = &mut ctx.accounts.state;
    require!(
        s.pending_admin != Address::default(),
        DatError::NoPendingAdmin
    );
    let cancelled = s.pending_admin;
    s.pending_admin = Address::default();
    emit!(AdminTransferCancelled {
        admin: s.admin,
        cancelled_admin: cancelled,
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
