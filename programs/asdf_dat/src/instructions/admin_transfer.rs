//! Admin transfer, in two steps: the admin proposes, the proposed admin
//! accepts; the admin may cancel a pending proposal.

use anchor_lang::prelude::*;

use crate::errors::DatError;
use crate::events::{AdminTransferCancelled, AdminTransferProposed, AdminTransferred};
use crate::instructions::admin_only::AdminOnly;
use crate::state::DatState;

/// `propose_admin` (admin): first step of the two-step admin transfer.
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

/// `accept_admin` (the proposed admin signs): second step of the transfer.
#[derive(Accounts)]
pub struct AcceptAdmin {
    pub new_admin: Signer,
    #[account(mut)]
    pub state: Account<DatState>,
}

pub fn handle_accept_admin(ctx: &mut Context<AcceptAdmin>) -> Result<()> {
    let new_admin = *ctx.accounts.new_admin.address();
    let s = &mut ctx.accounts.state;
    require!(
        s.pending_admin != Address::default(),
        DatError::NoPendingAdmin
    );
    require!(s.pending_admin == new_admin, DatError::Unauthorized);
    let old_admin = s.admin;
    s.admin = new_admin;
    s.pending_admin = Address::default();
    emit!(AdminTransferred {
        old_admin,
        new_admin,
        timestamp: Clock::get()?.unix_timestamp
    });
    Ok(())
}

/// `cancel_admin_transfer` (admin).
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
