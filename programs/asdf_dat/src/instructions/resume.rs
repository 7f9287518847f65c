//! `resume` (admin): reactivates and clears the consecutive-failure count.

use anchor_lang::prelude::*;

use crate::events::StatusChanged;
use crate::instructions::admin_only::AdminOnly;

pub fn handle_resume(ctx: &mut Context<AdminOnly>) -> Result<()> {
    let s = &mut ctx.accounts.state;
    s.is_active = PodBool::from(true);
    s.consecutive_failures = 0;
    emit!(StatusChanged {
        is_active: true,
        consecutive_failures: 0,
        by: *ctx.accounts.admin.address(),
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
