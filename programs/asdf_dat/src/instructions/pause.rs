//! `pause` (admin): stops every fund-moving instruction (`DATNotActive`).

use anchor_lang::prelude::*;

use crate::events::StatusChanged;
use crate::instructions::admin_only::AdminOnly;

pub fn handle_pause(ctx: &mut Context<AdminOnly>) -> Result<()> {
    let s = &mut ctx.accounts.state;
    s.is_active = PodBool::from(false);
    emit!(StatusChanged {
        is_active: false,
        consecutive_failures: s.consecutive_failures,
        by: *ctx.accounts.admin.address(),
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
