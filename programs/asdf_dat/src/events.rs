//! Events: one for every lamport and token movement, and for every
//! governance or configuration change.

use anchor_lang::prelude::*;

#[event]
pub struct DatInitialized {
    pub admin: Address,
    pub keeper: Address,
    pub authority: Address,
    /// Lamports the admin put into the authority as its rent reserve.
    pub authority_reserve_funded: u64,
    pub timestamp: i64,
}

#[event]
pub struct KeeperSet {
    pub old_keeper: Address,
    pub new_keeper: Address,
    pub timestamp: i64,
}

#[event]
pub struct TokenRegistered {
    pub mint: Address,
    pub token_program: Address,
    pub pool: Address,
    pub pool_type: u8,
    pub dat_token_account: Address,
    pub timestamp: i64,
}

#[event]
pub struct TokenPoolUpdated {
    pub mint: Address,
    pub old_pool: Address,
    pub new_pool: Address,
    pub pool_type: u8,
    pub timestamp: i64,
}

#[event]
pub struct RootTokenSet {
    pub old_root: Address,
    pub new_root: Address,
    pub new_treasury: Address,
    /// Treasury lamports moved from the old root's treasury to the new one.
    pub treasury_lamports_moved: u64,
    /// Rent floor the admin paid into the new treasury.
    pub treasury_rent_funded: u64,
    pub timestamp: i64,
}

#[event]
pub struct PendingFeesUpdated {
    pub mint: Address,
    pub amount: u64,
    pub pending_fees: u64,
    pub total_pending_fees: u64,
    pub watermark_slot: u64,
    pub watermark_seq: u64,
    pub timestamp: i64,
}

/// Fees moved from a pump creator vault (venue 0) or the PumpSwap creator
/// vault ATA (venue 1) into the DAT authority.
#[event]
pub struct FeesCollected {
    pub venue: u8,
    pub amount: u64,
    pub held_lamports: u64,
    pub held_wsol: u64,
    pub timestamp: i64,
}

#[event]
pub struct WsolWrapped {
    pub amount: u64,
    pub held_lamports: u64,
    pub held_wsol: u64,
}

/// Pool WSOL turned into native SOL (to pay a root share in SOL).
#[event]
pub struct WsolUnwrapped {
    pub amount: u64,
    pub held_lamports: u64,
    pub held_wsol: u64,
}

/// The one event of a token's cycle: the split, the buy and the burn. One event
/// rather than one per step: each `sol_log_data` costs 100 CU per call, 100 per
/// slice and 1 per byte, and every step's event repeated the mint.
#[event]
pub struct CycleCompleted {
    pub mint: Address,
    pub cycle_id: u64,
    /// Pending fees taken for this token.
    pub allocation: u64,
    /// Secondary: its allocation's 44.8 % set aside for the root (held in the pool).
    pub sent_to_root: u64,
    /// Root: root funds spent with its allocation (held share first, then the treasury account).
    pub treasury_used: u64,
    pub sol_spent: u64,
    /// Unspent budget returned to the token's pending fees.
    pub returned_to_pending: u64,
    /// Bought, and burned to the unit.
    pub tokens_burned: u64,
    pub pending_fees: u64,
    pub timestamp: i64,
    /// `POOL_BONDING_CURVE` or `POOL_AMM`.
    pub pool_type: u8,
    /// What the buy could spend.
    pub sol_budget: u64,
    /// The guarded minimum out of the buy.
    pub min_tokens_out: u64,
    /// The token's lifetime burned total after this cycle.
    pub total_burned: u64,
    /// `DatState::root_share_held` after this cycle.
    pub root_share_held: u64,
}

/// Reasons: 1 = pending below min fees per token, 2 = allocation below the minimum
/// (cycle cap reached or small pending).
#[event]
pub struct CycleDeferred {
    pub mint: Address,
    pub reason: u8,
    pub pending_fees: u64,
    pub allocation: u64,
    pub timestamp: i64,
}

#[event]
pub struct CycleFailed {
    pub error_code: u32,
    pub consecutive_failures: u8,
    pub failed_cycles: u64,
    pub timestamp: i64,
}

#[event]
pub struct StatusChanged {
    pub is_active: bool,
    pub consecutive_failures: u8,
    pub by: Address,
    pub timestamp: i64,
}

#[event]
pub struct AdminTransferProposed {
    pub current_admin: Address,
    pub proposed_admin: Address,
    pub timestamp: i64,
}

#[event]
pub struct AdminTransferred {
    pub old_admin: Address,
    pub new_admin: Address,
    pub timestamp: i64,
}

#[event]
pub struct AdminTransferCancelled {
    pub admin: Address,
    pub cancelled_admin: Address,
    pub timestamp: i64,
}

#[event]
pub struct FeeSplitProposed {
    pub old_bps: u16,
    pub new_bps: u16,
    pub executable_at: i64,
    pub timestamp: i64,
}

#[event]
pub struct FeeSplitUpdated {
    pub old_bps: u16,
    pub new_bps: u16,
    pub timestamp: i64,
}

#[event]
pub struct FeeSplitCancelled {
    pub cancelled_bps: u16,
    pub timestamp: i64,
}

#[event]
pub struct ParametersUpdated {
    pub min_fees_per_token: u64,
    pub max_fees_per_cycle: u64,
    pub min_allocation_secondary: u64,
    pub min_allocation_root: u64,
    pub slippage_bps: u16,
    pub min_cycle_interval_secs: i64,
    pub fee_split_timelock_secs: i64,
    pub timestamp: i64,
}

/// A token switched to fee-sharing mode (sole shareholder = its fee account, admin revoked).
#[event]
pub struct FeeSharingEnabled {
    pub mint: Address,
    pub sharing_config: Address,
    pub fee_vault: Address,
    /// Keeper-attributed pending the token keeps (spendable by its later cycles).
    pub pending_fees: u64,
    pub timestamp: i64,
}

/// Anyone may run cycles (while every token is in fee-sharing mode), or not.
#[event]
pub struct PermissionlessCyclesSet {
    pub enabled: bool,
    pub keeper_mode_tokens: u64,
}

/// A permissionless cycle's price reference was recorded.
#[event]
pub struct PriceReferenceRecorded {
    pub mint: Address,
    pub virtual_sol_reserves: u64,
    pub virtual_token_reserves: u64,
    pub slot: u64,
}
