//! `set_keeper` (admin): the keeper reports fees and runs cycles.

use anchor_lang::prelude::*;

use crate::events::KeeperSet;
use crate::instructions::admin_only::AdminOnly;

pub fn handle_set_keeper(ctx: &mut Context<AdminOnly>, new_keeper: Address) -> Result<()> {
    let old = ctx.accounts.state.keeper;
    ctx.accounts.state.keeper = new_keeper;
    emit!(KeeperSet {
        old_keeper: old,
        new_keeper,
        timestamp: Clock::get()?.unix_timestamp
    });
    Ok(())
}
