use anchor_lang::prelude::*;

/// Per-token record, PDA `["token_stats", mint]`.
#[account]
pub struct TokenStats {
    pub mint: Address,
    /// SPL Token or Token-2022; owner of `mint`.
    pub token_program: Address,
    /// Bonding curve (`POOL_BONDING_CURVE`) or canonical PumpSwap pool (`POOL_AMM`).
    pub pool: Address,
    /// ATA(authority, token_program, mint): receives buys, burned from.
    pub dat_token_account: Address,
    /// The pool's token vault: ATA(curve, token_program, mint) on the curve, the
    /// pool's base vault on PumpSwap.
    pub pool_token_account: Address,

    pub pool_type: u8,
    pub is_root: PodBool,
    pub bump: u8,
    pub decimals: u8,

    /// Attributed fees not yet spent (lamports).
    pub pending_fees: PodU64,
    /// Attribution watermark: (slot, sequence) of the last attributed trade.
    pub watermark_slot: PodU64,
    pub watermark_seq: PodU64,

    /// Lifetime fees attributed to this token.
    pub total_sol_attributed: PodU64,
    /// Lamports actually spent on buys (pump/AMM fees included).
    pub total_sol_spent: PodU64,
    pub total_sent_to_root: PodU64,
    /// Root only: treasury lamports spent.
    pub total_received_from_others: PodU64,
    pub total_tokens_burned: PodU64,
    pub cycles: PodU64,
    pub last_cycle_at: PodI64,
    pub last_cycle_id: PodU64,

    /// `ATTRIBUTION_KEEPER` or `ATTRIBUTION_FEE_SHARING` (switched once, never back).
    pub attribution: u8,
    /// Fee-sharing: bump of `fee_vault`.
    pub fee_vault_bump: u8,
    /// Fee-sharing: `["fee_vault", mint]`, sole shareholder of `sharing_config`.
    pub fee_vault: Address,
    /// Fee-sharing: fee program `["sharing-config", mint]` (the coin's pump creator).
    pub sharing_config: Address,
    /// Fee-sharing: where the token's current venue pays the coin's creator fees: pump
    /// `["creator-vault", sharing_config]` on the curve, the WSOL ATA of PumpSwap's
    /// `["creator_vault", sharing_config]` on its pool (set by `enable_fee_sharing` / `set_token_pool`).
    pub fee_creator_vault: Address,
    /// Price reference bounding every cycle's minimum out (`record_price_reference`):
    /// SOL side and token side (curve virtual reserves, or PumpSwap pool quote and
    /// base balances) and the slot they were recorded in.
    pub price_ref_virtual_sol: PodU64,
    pub price_ref_virtual_token: PodU64,
    pub price_ref_slot: PodU64,
    /// The reference of the last earlier slot it was recorded in: used when the latest
    /// was recorded in the cycle's own slot, so recording in that slot cannot block a cycle.
    pub price_ref_prev_sol: PodU64,
    pub price_ref_prev_token: PodU64,
    pub price_ref_prev_slot: PodU64,

    pub reserved: [u8; 6],
}
