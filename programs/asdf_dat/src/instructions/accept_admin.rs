//! `accept_admin` (the proposed admin signs): second step of the transfer.

use anchor_lang::prelude::*;

use crate::errors::DatError;
use crate::events::AdminTransferred;
use crate::state::DatState;

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
