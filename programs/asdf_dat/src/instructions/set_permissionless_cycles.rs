//! `set_permissionless_cycles(enabled)` (admin): lets anyone run cycles. Takes
//! effect only while every registered token is in fee-sharing mode
//! (`DatState::may_run_cycle`): then nothing a cycle does depends on who calls
//! it (attribution is on-chain, accounts are checked, and a non-operator's
//! minimum out comes from a price reference of an earlier slot, not from the
//! caller). Enabling it while a keeper-mode token exists is refused.

use anchor_lang::prelude::*;

use crate::errors::DatError;
use crate::events::PermissionlessCyclesSet;
use crate::instructions::admin_only::AdminOnly;

pub fn handle_set_permissionless_cycles(ctx: &mut Context<AdminOnly>, enabled: bool) -> Result<()> {
    let s = &mut ctx.accounts.state;
    let keeper_mode = s.keeper_mode_tokens.get();
    require!(
        !enabled || keeper_mode == 0,
        DatError::FeeSharingNotAttributed
    );
    s.permissionless_cycles = PodBool::from(enabled);
    emit!(PermissionlessCyclesSet {
        enabled,
        keeper_mode_tokens: keeper_mode,
    });
    Ok(())
}
