//! `record_failure` (keeper or admin): counts a failed cycle; the 5th
//! consecutive failure pauses the system. A completed cycle resets the count.

use anchor_lang::prelude::*;

use crate::constants::MAX_CONSECUTIVE_FAILURES;
use crate::events::{CycleFailed, StatusChanged};
use crate::instructions::admin_only::OperatorOnly;

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
