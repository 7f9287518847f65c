//! Seeds, protocol thresholds, parameter bounds and external program addresses.

use anchor_lang::prelude::*;

// ---------------------------------------------------------------- PDA seeds
pub const STATE_SEED: &[u8] = b"dat_state";
pub const AUTHORITY_SEED: &[u8] = b"dat_authority";
pub const TOKEN_STATS_SEED: &[u8] = b"token_stats";
pub const ROOT_TREASURY_SEED: &[u8] = b"root_treasury";
pub const WSOL_SCRATCH_SEED: &[u8] = b"wsol_scratch";
/// Per-token fee account of a fee-sharing token (system-owned, sole shareholder of its mint's sharing config).
pub const FEE_VAULT_SEED: &[u8] = b"fee_vault";

// ---------------------------------------------------------------- defaults (OPERATIONS.md)
/// Minimum time between two ecosystem cycles.
pub const DEFAULT_MIN_CYCLE_INTERVAL_SECS: i64 = 60;
/// Consecutive failures that pause the system.
pub const MAX_CONSECUTIVE_FAILURES: u8 = 5;
/// At most this many lamports of fees are taken from pending per ecosystem cycle.
pub const DEFAULT_MAX_FEES_PER_CYCLE: u64 = 1_000_000_000;
/// A token needs this much pending (root: pending + treasury) to run a cycle.
pub const DEFAULT_MIN_FEES_PER_TOKEN: u64 = 6_000_000;
/// Allocation below which a secondary is deferred: (890,880 + 50,000 + 2,100,000 + 100,000) / 0.552.
pub const DEFAULT_MIN_ALLOCATION_SECONDARY: u64 = 5_690_000;
/// Allocation below which the root is deferred.
pub const DEFAULT_MIN_ALLOCATION_ROOT: u64 = 2_000_000;
/// Share of a secondary's allocation it keeps (the rest, 44.8 %, is the root's, held in the pool).
pub const DEFAULT_FEE_SPLIT_BPS: u16 = 5520;
/// Minimum-out haircut applied to the caller's quote.
pub const DEFAULT_SLIPPAGE_BPS: u16 = 500;
/// Delay between `propose_fee_split` and `execute_fee_split`.
pub const DEFAULT_FEE_SPLIT_TIMELOCK_SECS: i64 = 3600;

pub const BPS_DENOMINATOR: u64 = 10_000;
/// A permissionless cycle's price reference must be at most this many slots old (≈ 60 s).
pub const PRICE_REFERENCE_MAX_AGE_SLOTS: u64 = 150;

// ---------------------------------------------------------------- parameter bounds
pub const MIN_FEE_SPLIT_BPS: u16 = 1000;
pub const MAX_FEE_SPLIT_BPS: u16 = 9000;
pub const MAX_FEE_SPLIT_DELTA_BPS: u16 = 500;
pub const MIN_FEE_SPLIT_TIMELOCK_SECS: i64 = 3600;
pub const MAX_FEE_SPLIT_TIMELOCK_SECS: i64 = 30 * 86_400;
pub const MIN_SLIPPAGE_BPS: u16 = 10;
pub const MAX_SLIPPAGE_BPS: u16 = 1000;
/// The cooldown can be lengthened, never shortened below 60 s.
pub const MIN_CYCLE_INTERVAL_FLOOR_SECS: i64 = 60;
pub const MAX_CYCLE_INTERVAL_SECS: i64 = 86_400;
pub const MIN_MAX_FEES_PER_CYCLE: u64 = 10_000_000;
pub const MAX_MAX_FEES_PER_CYCLE: u64 = 10_000_000_000;
pub const MIN_MIN_FEES_PER_TOKEN: u64 = 1_000_000;
pub const MAX_MIN_FEES_PER_TOKEN: u64 = 1_000_000_000;
/// Floors for the minimum allocations: below these a buy cannot pay its own costs.
pub const MIN_MIN_ALLOCATION_SECONDARY: u64 = 1_000_000;
pub const MIN_MIN_ALLOCATION_ROOT: u64 = 1_000_000;
pub const MAX_MIN_ALLOCATION: u64 = 1_000_000_000;

// ---------------------------------------------------------------- pool types
pub const POOL_BONDING_CURVE: u8 = 0;
pub const POOL_AMM: u8 = 1;

// ---------------------------------------------------------------- attribution modes
/// Fees accrue in the shared creator vaults; the keeper attributes them (`update_pending_fees`).
pub const ATTRIBUTION_KEEPER: u8 = 0;
/// Fees accrue in the token's own fee account through pump creator fee sharing.
pub const ATTRIBUTION_FEE_SHARING: u8 = 1;
/// `FeesCollected.venue` of a fee-sharing token's fee account swept into the authority.
pub const VENUE_FEE_VAULT: u8 = 2;

// ---------------------------------------------------------------- external programs
pub const SYSTEM_PROGRAM_ID: Address = anchor_lang::address!("11111111111111111111111111111111");
pub const SPL_TOKEN_PROGRAM_ID: Address =
    anchor_lang::address!("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");
pub const TOKEN_2022_PROGRAM_ID: Address =
    anchor_lang::address!("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb");
pub const ASSOCIATED_TOKEN_PROGRAM_ID: Address =
    anchor_lang::address!("ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL");
pub const WSOL_MINT: Address = anchor_lang::address!("So11111111111111111111111111111111111111112");
pub const INSTRUCTIONS_SYSVAR_ID: Address =
    anchor_lang::address!("Sysvar1nstructions1111111111111111111111111");
pub const COMPUTE_BUDGET_PROGRAM_ID: Address =
    anchor_lang::address!("ComputeBudget111111111111111111111111111111");
pub const BPF_LOADER_UPGRADEABLE_ID: Address =
    anchor_lang::address!("BPFLoaderUpgradeab1e11111111111111111111111");

pub const PUMP_PROGRAM_ID: Address =
    anchor_lang::address!("6EF8rrecthR5Dkzon8Nwu78hRvfCKubJ14M5uBEwF6P");
pub const PUMP_AMM_PROGRAM_ID: Address =
    anchor_lang::address!("pAMMBay6oceH9fJKBRHGP5D4bD4sWpmSwMn52FMfXEA");
pub const PUMP_FEE_PROGRAM_ID: Address =
    anchor_lang::address!("pfeeUxB6jkeY1Hxd7CsFCAjcbHA9rWtchMGdZ6VojVZ");
/// pump `["global"]`.
pub const PUMP_GLOBAL: Address =
    anchor_lang::address!("4wTV1YmiEkRvAtNtsSGPtUrqRYQMe5SKy2uB4Jjaxnjf");
/// pump `["__event_authority"]`.
pub const PUMP_EVENT_AUTHORITY: Address =
    anchor_lang::address!("Ce6TQqeHC9p8KetsN6JsjHK7UTZk7nasjjnr7XxXp9F1");
/// pump `["global_volume_accumulator"]`.
pub const PUMP_GLOBAL_VOLUME_ACCUMULATOR: Address =
    anchor_lang::address!("Hq2wp8uJ9jCPsYgNHex8RtqdvMPfVGoYwjvF1ATiwn2Y");
/// fee program `["fee_config", pump]`.
pub const PUMP_FEE_CONFIG: Address =
    anchor_lang::address!("8Wf5TiAheLUqBrKXeYg2JtAFFMWtKdG2BSFgqUcPVwTt");
/// fee program `["__event_authority"]`.
pub const PUMP_FEE_EVENT_AUTHORITY: Address =
    anchor_lang::address!("D6QxXDt6hhcCpto4HiZKkN2YQ2iZRF5R7S3caCHpUsML");
/// PumpSwap `["global_config"]`.
pub const AMM_GLOBAL_CONFIG: Address =
    anchor_lang::address!("ADyA8hdefvWN2dbGGWFotbzWxrAvLW83WG6QCVXvJKqw");
/// PumpSwap `["__event_authority"]`.
pub const AMM_EVENT_AUTHORITY: Address =
    anchor_lang::address!("GS4CU59F31iL7aR2Q8zVS8DRrcRnXX1yjQ66TqNVQnaR");
/// PumpSwap `["global_volume_accumulator"]`.
pub const AMM_GLOBAL_VOLUME_ACCUMULATOR: Address =
    anchor_lang::address!("C2aFPdENg4A2HQsmrd5rTw5TaYBX5Ku887cWjbFKtZpw");
/// fee program `["fee_config", amm]`.
pub const AMM_FEE_CONFIG: Address =
    anchor_lang::address!("5PHirr8joyTMp9JMm6nW7hNDVyEYdkzDqazxPD7RaTjx");

// pump PDA seeds (hyphen for pump, underscore for PumpSwap).
pub const PUMP_CREATOR_VAULT_SEED: &[u8] = b"creator-vault";
pub const PUMP_BONDING_CURVE_SEED: &[u8] = b"bonding-curve";
pub const PUMP_POOL_AUTHORITY_SEED: &[u8] = b"pool-authority";
pub const PUMP_USER_VOLUME_SEED: &[u8] = b"user_volume_accumulator";
pub const AMM_CREATOR_VAULT_SEED: &[u8] = b"creator_vault";
pub const AMM_POOL_SEED: &[u8] = b"pool";
/// fee program `["sharing-config", mint]`.
pub const SHARING_CONFIG_SEED: &[u8] = b"sharing-config";
/// `SharingConfig::MAX_SIZE` (what `create_fee_sharing_config` allocates).
pub const SHARING_CONFIG_SPACE: usize = 1024;

/// Rent-exempt minimum of a 0-byte account (creator vault / authority / treasury floor).
pub const RENT_EXEMPT_ZERO_DATA: u64 = 890_880;

// ---------------------------------------------------------------- our cycle instructions
/// Anchor discriminators (`sha256("global:<name>")[..8]`) of the two cycle
/// instructions: a cycle finds the earlier cycles of its venue in its transaction.
pub const EXECUTE_CYCLE_BC_DISC: [u8; 8] = [93, 32, 1, 103, 144, 52, 253, 39];
pub const EXECUTE_CYCLE_AMM_DISC: [u8; 8] = [158, 226, 36, 210, 170, 58, 159, 16];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycle_discriminators_are_anchors() {
        for (name, disc) in [
            ("execute_cycle_bc", EXECUTE_CYCLE_BC_DISC),
            ("execute_cycle_amm", EXECUTE_CYCLE_AMM_DISC),
        ] {
            let hash = anchor_lang::hash::sha256(alloc::format!("global:{name}").as_bytes());
            assert_eq!(hash[..8], disc, "{name}");
        }
    }
}
