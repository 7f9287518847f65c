//! Whether the DAT runs: pause, resume, and the failure count that pauses
//! it after `MAX_CONSECUTIVE_FAILURES`.

use anchor_lang::prelude::*;

use crate::constants::MAX_CONSECUTIVE_FAILURES;
use crate::events::{CycleFailed, StatusChanged};
use crate::instructions::admin_only::{AdminOnly, OperatorOnly};

/// `pause` (admin): stops every fund-moving instruction (`DATNotActive`).
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

/// `resume` (admin): reactivates and clears the consecutive-failure count.
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

/// `record_failure` (keeper or admin): counts a failed cycle; the 5th
/// consecutive failure pauses the system. A completed cycle resets the count.
pub fn handle_record_failure(ctx: &mut Context<OperatorOnly>, error_code: u32) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let s = &mut ctx.accounts.state;
    s.consecutive_failures = s.consecutive_failures.saturating_add(1);
    s.failed_cycles = PodU64::from(s.failed_cycles.get().saturating_add(1));
    emit!(CycleFailed {
        error_code,
        consecutive_failures: s.consecutive_failures,
        failed_cycles: s.failed_cycles.get(),
        timestamp: now,
    });
    if s.consecutive_failures >= MAX_CONSECUTIVE_FAILURES && s.is_active.get() {
        s.is_active = PodBool::from(false);
        emit!(StatusChanged {
            is_active: false,
            consecutive_failures: s.consecutive_failures,
            by: *ctx.accounts.operator.address(),
            timestamp: now,
        });
    }
    Ok(())
}
