use anchor_lang::prelude::*;

/// The singleton state PDA `["dat_state"]`.
///
/// Fee pool accounting: nothing here counts money. What the pool holds is read
/// from real balances when used (`crate::treasury`); `total_pending_fees` (Σ of
/// every token's pending) plus `root_share_held` may never exceed it. The root
/// also owns the root treasury account's real balance above rent.
#[account]
pub struct DatState {
    pub admin: Address,
    /// Set by `propose_admin`, cleared by accept/cancel. Default = none.
    pub pending_admin: Address,
    /// Reports fees and runs cycles (the admin may too).
    pub keeper: Address,
    /// `["dat_authority"]`: system-owned, signs every CPI, pump creator of every token.
    pub authority: Address,
    /// pump `["creator-vault", authority]`.
    pub bc_creator_vault: Address,
    /// PumpSwap `["creator_vault", authority]`.
    pub amm_vault_authority: Address,
    /// WSOL ATA of `amm_vault_authority`, where PumpSwap creator fees accrue.
    pub amm_vault_ata: Address,
    /// WSOL ATA of `authority` (collected AMM fees, AMM buys).
    pub authority_wsol_ata: Address,
    /// Root token mint; default = no root.
    pub root_mint: Address,
    /// `["root_treasury", root_mint]`.
    pub root_treasury: Address,

    pub bump: u8,
    pub authority_bump: u8,
    pub root_treasury_bump: u8,
    pub is_active: PodBool,
    pub consecutive_failures: u8,

    // --- fee split governance
    pub fee_split_bps: PodU16,
    /// 0 = none pending.
    pub pending_fee_split_bps: PodU16,
    pub pending_fee_split_at: PodI64,
    pub fee_split_timelock_secs: PodI64,

    // --- parameters
    pub min_fees_per_token: PodU64,
    pub max_fees_per_cycle: PodU64,
    pub min_allocation_secondary: PodU64,
    pub min_allocation_root: PodU64,
    pub slippage_bps: PodU16,
    pub min_cycle_interval_secs: PodI64,

    // --- current ecosystem cycle
    pub cycle_id: PodU64,
    pub cycle_started_at: PodI64,
    /// Pending fees taken in the current cycle (≤ max_fees_per_cycle).
    pub cycle_fees_taken: PodU64,

    // --- fee pool accounting (committed side only; held value is read from balances)
    pub total_pending_fees: PodU64,

    // --- lifetime totals
    pub total_collected: PodU64,
    pub total_sol_spent: PodU64,
    pub total_sent_to_root: PodU64,
    pub total_cycles: PodU64,
    pub failed_cycles: PodU64,
    /// Last attribution across tokens (monitoring only).
    pub last_attribution_slot: PodU64,
    /// `["wsol_scratch"]`: transient WSOL account used to unwrap pool WSOL.
    pub wsol_scratch: Address,
    pub wsol_scratch_bump: u8,
    /// pump `["user_volume_accumulator", authority]`.
    pub pump_user_volume_accumulator: Address,
    /// PumpSwap `["user_volume_accumulator", authority]`.
    pub amm_user_volume_accumulator: Address,
    /// Σ pending of all tokens when the current cycle opened: when it exceeds the
    /// cycle cap, each token's allocation is its proportional share of the cap.
    pub cycle_pending_at_open: PodU64,
    /// When the current cycle last took fees: the next cycle opens no earlier than
    /// `min_cycle_interval_secs` after it, so the cap holds over any such window.
    pub cycle_last_take_at: PodI64,

    /// Admin switch: anyone may run cycles while every token is in fee-sharing mode.
    pub permissionless_cycles: PodBool,
    /// Registered tokens still in keeper-attribution mode (permissionless cycles need 0).
    pub keeper_mode_tokens: PodU64,

    /// The root's share of the secondaries' fees, kept in the fee pool (the authority's SOL
    /// and WSOL) instead of moved to the treasury account: a secondary's cycle adds to it, the
    /// root's cycle spends it first (then the treasury account's balance). Committed like
    /// pending: Σ pending + this ≤ what the pool really holds.
    pub root_share_held: PodU64,

    /// Reserved (239 bytes, split into `Pod` array sizes).
    pub reserved_tail: [u8; 15],
    pub reserved_mid: [u8; 96],
    pub reserved: [u8; 128],
}

impl DatState {
    #[inline(always)]
    pub fn is_operator(&self, key: &Address) -> bool {
        self.admin == *key || (self.keeper == *key && self.keeper != Address::default())
    }

    /// May `key` run a cycle? The operator always; anyone when the admin opened
    /// cycles and no token depends on the keeper's attribution.
    #[inline(always)]
    pub fn may_run_cycle(&self, key: &Address) -> bool {
        self.is_operator(key)
            || (self.permissionless_cycles.get() && self.keeper_mode_tokens.get() == 0)
    }

    /// What the fee pool owes: every token's pending plus the root's held share.
    #[inline(always)]
    pub fn committed_lamports(&self) -> u64 {
        self.total_pending_fees
            .get()
            .saturating_add(self.root_share_held.get())
    }

    #[inline(always)]
    pub fn has_root(&self) -> bool {
        self.root_mint != Address::default()
    }
}
