//! `propose_admin` (admin): first step of the two-step admin transfer.

use anchor_lang::prelude::*;

use crate::errors::DatError;
use crate::events::AdminTransferProposed;
use crate::instructions::admin_only::AdminOnly;

pub fn handle_propose_admin(ctx: &mut Context<AdminOnly>, new_admin: Address) -> Result<()> {
    require!(new_admin != Address::default(), DatError::InvalidParameter);
    let s = &mut ctx.accounts.state;
    s.pending_admin = new_admin;
    emit!(AdminTransferProposed {
        current_admin: s.admin,
        proposed_admin: new_admin,
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
