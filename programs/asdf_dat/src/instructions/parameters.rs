//! Operating parameters (admin): thresholds and timings, the keeper, and
//! permissionless cycles.

use anchor_lang::prelude::*;

use crate::constants::*;
use crate::errors::DatError;
use crate::events::{KeeperSet, ParametersUpdated, PermissionlessCyclesSet};
use crate::instructions::admin_only::AdminOnly;

// `update_parameters`' argument (a `//` comment: docs would enter the IDL): every field
// bounded; evented. The cooldown cannot go below 60 s and the fee-split timelock not below 1 h.
#[derive(AnchorSerialize, AnchorDeserialize, IdlType, Clone, Copy)]
pub struct DatParameters {
    pub min_fees_per_token: u64,
    pub max_fees_per_cycle: u64,
    pub min_allocation_secondary: u64,
    pub min_allocation_root: u64,
    pub slippage_bps: u16,
    pub min_cycle_interval_secs: i64,
    pub fee_split_timelock_secs: i64,
}

#[inline(always)]
pub fn parameters_valid(p: &DatParameters) -> bool {
    (MIN_MIN_FEES_PER_TOKEN..=MAX_MIN_FEES_PER_TOKEN).contains(&p.min_fees_per_token)
        && (MIN_MAX_FEES_PER_CYCLE..=MAX_MAX_FEES_PER_CYCLE).contains(&p.max_fees_per_cycle)
        && (MIN_MIN_ALLOCATION_SECONDARY..=MAX_MIN_ALLOCATION).contains(&p.min_allocation_secondary)
        && (MIN_MIN_ALLOCATION_ROOT..=MAX_MIN_ALLOCATION).contains(&p.min_allocation_root)
        && p.min_fees_per_token <= p.max_fees_per_cycle
        && (MIN_SLIPPAGE_BPS..=MAX_SLIPPAGE_BPS).contains(&p.slippage_bps)
        && (MIN_CYCLE_INTERVAL_FLOOR_SECS..=MAX_CYCLE_INTERVAL_SECS)
            .contains(&p.min_cycle_interval_secs)
        && (MIN_FEE_SPLIT_TIMELOCK_SECS..=MAX_FEE_SPLIT_TIMELOCK_SECS)
            .contains(&p.fee_split_timelock_secs)
}

pub fn handle_update_parameters(ctx: &mut Context<AdminOnly>, params: DatParameters) -> Result<()> {
    require!(parameters_valid(&params), DatError::InvalidParameter);
    let s = &mut ctx.accounts.state;
    s.min_fees_per_token = PodU64::from(params.min_fees_per_token);
    s.max_fees_per_cycle = PodU64::from(params.max_fees_per_cycle);
    s.min_allocation_secondary = PodU64::from(params.min_allocation_secondary);
    s.min_allocation_root = PodU64::from(params.min_allocation_root);
    s.slippage_bps = PodU16::from(params.slippage_bps);
    s.min_cycle_interval_secs = PodI64::from(params.min_cycle_interval_secs);
    s.fee_split_timelock_secs = PodI64::from(params.fee_split_timelock_secs);
    emit!(ParametersUpdated {
        min_fees_per_token: params.min_fees_per_token,
        max_fees_per_cycle: params.max_fees_per_cycle,
        min_allocation_secondary: params.min_allocation_secondary,
        min_allocation_root: params.min_allocation_root,
        slippage_bps: params.slippage_bps,
        min_cycle_interval_secs: params.min_cycle_interval_secs,
        fee_split_timelock_secs: params.fee_split_timelock_secs,
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}

/// `set_keeper` (admin): the keeper reports fees and runs cycles.
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

/// `set_permissionless_cycles(enabled)` (admin): lets anyone run cycles. Takes
/// effect only while every registered token is in fee-sharing mode
/// (`DatState::may_run_cycle`): then nothing a cycle does depends on who calls
/// it (attribution is on-chain, accounts are checked, and a non-operator's
/// minimum out comes from a price reference of an earlier slot, not from the
/// caller). Enabling it while a keeper-mode token exists is refused.
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
