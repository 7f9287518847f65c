//! asdf-dat: buyback-and-burn engine for a pump.fun token ecosystem.
//!
//! Fees of every ecosystem token accrue in the DAT authority's shared pump /
//! PumpSwap creator vaults; a keeper attributes them per token
//! (`update_pending_fees`, watermarked, bounded by what the vaults hold); a
//! cycle (`execute_cycle_bc` / `execute_cycle_amm`) spends one token's share,
//! sets a secondary's 44.8 % aside for the root (held in the pool), buys and burns.
#![cfg_attr(not(test), no_std)]
extern crate alloc;

use anchor_lang::prelude::*;

mod entrypoint;
mod mem;

pub mod constants;
pub mod errors;
pub mod events;
pub mod fee_sharing;
pub mod instructions;
pub mod math;
pub mod pump_accounts;
pub mod pump_cpi;
pub mod state;
pub mod token;
pub mod treasury;

use instructions::*;
pub use state::*;

// The id is chosen at build time (build.rs: `ASDF_DAT_PROGRAM_ID`, default Da57QBZ…9dC4).
declare_id!(env!("ASDF_DAT_PROGRAM_ID"));

#[program]
pub mod asdf_dat {
    use super::*;

    // ---------------------------------------------------------------- set-up
    pub fn initialize(ctx: &mut Context<Initialize>, keeper: Address) -> Result<()> {
        instructions::initialize::handle_initialize(ctx, keeper)
    }

    pub fn register_token(ctx: &mut Context<RegisterToken>, pool_type: u8) -> Result<()> {
        instructions::register_token::handle_register_token(ctx, pool_type)
    }

    pub fn set_token_pool(ctx: &mut Context<SetTokenPool>, pool_type: u8) -> Result<()> {
        instructions::set_token_pool::handle_set_token_pool(ctx, pool_type)
    }

    pub fn set_root_token(ctx: &mut Context<SetRootToken>) -> Result<()> {
        instructions::set_root_token::handle_set_root_token(ctx)
    }

    pub fn init_wsol_accounts(ctx: &mut Context<InitWsolAccounts>) -> Result<()> {
        instructions::init_wsol_accounts::handle_init_wsol_accounts(ctx)
    }

    pub fn enable_fee_sharing(ctx: &mut Context<EnableFeeSharing>) -> Result<()> {
        instructions::enable_fee_sharing::handle_enable_fee_sharing(ctx)
    }

    pub fn record_price_reference(ctx: &mut Context<RecordPriceReference>) -> Result<()> {
        instructions::record_price_reference::handle_record_price_reference(ctx)
    }

    // ---------------------------------------------------------------- attribution
    pub fn update_pending_fees(
        ctx: &mut Context<UpdatePendingFees>,
        reports: alloc::vec::Vec<FeeReport>,
    ) -> Result<()> {
        instructions::update_pending_fees::handle_update_pending_fees(ctx, reports)
    }

    // ---------------------------------------------------------------- cycle
    pub fn execute_cycle_bc(
        ctx: &mut Context<ExecuteCycleBc>,
        quoted_tokens_out: u64,
    ) -> Result<()> {
        instructions::execute_cycle_bc::handle_execute_cycle_bc(ctx, quoted_tokens_out)
    }

    pub fn execute_cycle_amm(
        ctx: &mut Context<ExecuteCycleAmm>,
        quoted_tokens_out: u64,
    ) -> Result<()> {
        instructions::execute_cycle_amm::handle_execute_cycle_amm(ctx, quoted_tokens_out)
    }

    pub fn record_failure(ctx: &mut Context<OperatorOnly>, error_code: u32) -> Result<()> {
        instructions::status::handle_record_failure(ctx, error_code)
    }

    // ---------------------------------------------------------------- governance
    pub fn set_keeper(ctx: &mut Context<AdminOnly>, new_keeper: Address) -> Result<()> {
        instructions::parameters::handle_set_keeper(ctx, new_keeper)
    }

    pub fn set_permissionless_cycles(ctx: &mut Context<AdminOnly>, enabled: bool) -> Result<()> {
        instructions::parameters::handle_set_permissionless_cycles(ctx, enabled)
    }

    pub fn pause(ctx: &mut Context<AdminOnly>) -> Result<()> {
        instructions::status::handle_pause(ctx)
    }

    pub fn resume(ctx: &mut Context<AdminOnly>) -> Result<()> {
        instructions::status::handle_resume(ctx)
    }

    pub fn propose_admin(ctx: &mut Context<AdminOnly>, new_admin: Address) -> Result<()> {
        instructions::admin_transfer::handle_propose_admin(ctx, new_admin)
    }

    pub fn accept_admin(ctx: &mut Context<AcceptAdmin>) -> Result<()> {
        instructions::admin_transfer::handle_accept_admin(ctx)
    }

    pub fn cancel_admin_transfer(ctx: &mut Context<AdminOnly>) -> Result<()> {
        instructions::admin_transfer::handle_cancel_admin_transfer(ctx)
    }

    pub fn propose_fee_split(ctx: &mut Context<AdminOnly>, new_bps: u16) -> Result<()> {
        instructions::fee_split::handle_propose_fee_split(ctx, new_bps)
    }

    pub fn execute_fee_split(ctx: &mut Context<AdminOnly>) -> Result<()> {
        instructions::fee_split::handle_execute_fee_split(ctx)
    }

    pub fn cancel_fee_split(ctx: &mut Context<AdminOnly>) -> Result<()> {
        instructions::fee_split::handle_cancel_fee_split(ctx)
    }

    pub fn update_parameters(ctx: &mut Context<AdminOnly>, params: DatParameters) -> Result<()> {
        instructions::parameters::handle_update_parameters(ctx, params)
    }
}
