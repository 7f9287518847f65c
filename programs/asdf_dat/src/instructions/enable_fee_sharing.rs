//! `enable_fee_sharing` (admin): switches a registered bonding-curve token to
//! fee-sharing mode, once. The DAT authority (the coin's pump creator) creates
//! the mint's sharing config by CPI (`create_fee_sharing_config`; the admin
//! pays its rent, any surplus goes back), then names the token's fee account
//! `["fee_vault", mint]` sole shareholder at 10,000 bps with
//! `update_fee_shares_v2`, which revokes the config's admin for ever. The
//! config is then verified (`crate::fee_sharing::require_sole_shareholder`) and
//! the curve's creator must be the config. What the keeper attributed to the
//! token before stays in its pending and remains spendable by its cycles.

use anchor_lang::prelude::*;
use pinocchio::cpi::Seed;

use crate::constants::*;
use crate::errors::DatError;
use crate::events::FeeSharingEnabled;
use crate::fee_sharing::*;
use crate::pump_accounts::{with_head, BondingCurveHead};
use crate::pump_cpi::*;
use crate::state::{DatState, TokenStats};

#[derive(Accounts)]
pub struct EnableFeeSharing {
    #[account(mut)]
    pub admin: Signer,
    #[account(mut, constraint = state.admin == *admin.address() @ DatError::Unauthorized)]
    pub state: Account<DatState>,
    #[account(mut)]
    pub token_stats: Account<TokenStats>,
    #[account(address = token_stats.mint @ DatError::MintMismatch)]
    pub mint: UncheckedAccount,
    #[account(mut, address = state.authority @ DatError::InvalidExternalAccount)]
    pub authority: UncheckedAccount,
    /// `["fee_vault", mint]`: system-owned, funded to its rent floor here.
    #[account(mut, seeds = [FEE_VAULT_SEED, mint.address().as_ref()], bump)]
    pub fee_vault: UncheckedAccount,
    #[account(mut, address = token_stats.pool @ DatError::InvalidPool)]
    pub bonding_curve: UncheckedAccount,
    /// fee program `["sharing-config", mint]` (checked in the handler).
    #[account(mut)]
    pub sharing_config: UncheckedAccount,
    /// pump `["creator-vault", sharing_config]`, its WSOL ATA, PumpSwap
    /// `["creator_vault", sharing_config]` and its WSOL ATA: checked by the fee program.
    #[account(mut)]
    pub config_creator_vault: UncheckedAccount,
    #[account(mut)]
    pub config_creator_vault_ata: UncheckedAccount,
    #[account(mut)]
    pub config_amm_vault_authority: UncheckedAccount,
    #[account(mut)]
    pub config_amm_vault_ata: UncheckedAccount,
    #[account(address = PUMP_GLOBAL @ DatError::InvalidExternalAccount)]
    pub global: UncheckedAccount,
    #[account(address = PUMP_FEE_EVENT_AUTHORITY @ DatError::InvalidExternalAccount)]
    pub fee_event_authority: UncheckedAccount,
    #[account(address = PUMP_FEE_PROGRAM_ID @ DatError::InvalidExternalAccount)]
    pub fee_program: UncheckedAccount,
    #[account(address = PUMP_EVENT_AUTHORITY @ DatError::InvalidExternalAccount)]
    pub pump_event_authority: UncheckedAccount,
    #[account(address = PUMP_PROGRAM_ID @ DatError::InvalidExternalAccount)]
    pub pump_program: UncheckedAccount,
    #[account(address = AMM_EVENT_AUTHORITY @ DatError::InvalidExternalAccount)]
    pub amm_event_authority: UncheckedAccount,
    #[account(address = PUMP_AMM_PROGRAM_ID @ DatError::InvalidExternalAccount)]
    pub amm_program: UncheckedAccount,
    #[account(address = WSOL_MINT @ DatError::InvalidExternalAccount)]
    pub wsol_mint: UncheckedAccount,
    #[account(address = SPL_TOKEN_PROGRAM_ID @ DatError::InvalidTokenProgram)]
    pub quote_token_program: UncheckedAccount,
    #[account(address = ASSOCIATED_TOKEN_PROGRAM_ID @ DatError::InvalidExternalAccount)]
    pub associated_token_program: UncheckedAccount,
    pub system_program: Program<System>,
}

/// `create_fee_sharing_config`: event_authority, program, payer, global, mint,
/// sharing_config, system_program, bonding_curve, pump_program,
/// pump_event_authority, then three absent optional AMM accounts.
const CREATE_FLAGS: [u8; 13] = [RO, RO, WS, RO, RO, W, RO, W, RO, RO, RO, RO, RO];
/// `update_fee_shares_v2`: 19 fixed accounts + the current shareholder (the authority).
const UPDATE_FLAGS: [u8; 20] = [
    RO, RO, WS, RO, RO, W, RO, W, W, RO, RO, RO, RO, RO, RO, RO, RO, W, W, W,
];

#[inline(never)]
fn create_config(a: &EnableFeeSharing) -> Result<()> {
    let fee_program = *a.fee_program.account();
    let accounts = [
        *a.fee_event_authority.account(),
        fee_program,
        *a.authority.account(),
        *a.global.account(),
        *a.mint.account(),
        *a.sharing_config.account(),
        *a.system_program.account(),
        *a.bonding_curve.account(),
        *a.pump_program.account(),
        *a.pump_event_authority.account(),
        fee_program,
        fee_program,
        fee_program,
    ];
    let bump = [a.state.authority_bump];
    invoke_signed_raw(
        &RawCpi {
            program_id: &PUMP_FEE_PROGRAM_ID,
            data: &CREATE_FEE_SHARING_CONFIG_DISC,
            accounts: &accounts,
            flags: &CREATE_FLAGS,
        },
        &authority_seeds(&bump),
    )
}

#[inline(never)]
fn name_sole_shareholder(a: &EnableFeeSharing) -> Result<()> {
    let accounts = [
        *a.fee_event_authority.account(),
        *a.fee_program.account(),
        *a.authority.account(),
        *a.global.account(),
        *a.mint.account(),
        *a.sharing_config.account(),
        *a.bonding_curve.account(),
        *a.config_creator_vault.account(),
        *a.config_creator_vault_ata.account(),
        *a.system_program.account(),
        *a.pump_program.account(),
        *a.pump_event_authority.account(),
        *a.amm_program.account(),
        *a.amm_event_authority.account(),
        *a.wsol_mint.account(),
        *a.quote_token_program.account(),
        *a.associated_token_program.account(),
        *a.config_amm_vault_authority.account(),
        *a.config_amm_vault_ata.account(),
        *a.authority.account(),
    ];
    let mut data = [0u8; 8 + 4 + 34];
    data[..8].copy_from_slice(&UPDATE_FEE_SHARES_V2_DISC);
    data[8..12].copy_from_slice(&1u32.to_le_bytes());
    data[12..44].copy_from_slice(a.fee_vault.address().as_ref());
    data[44..46].copy_from_slice(&FULL_SHARE_BPS.to_le_bytes());
    let bump = [a.state.authority_bump];
    invoke_signed_raw(
        &RawCpi {
            program_id: &PUMP_FEE_PROGRAM_ID,
            data: &data,
            accounts: &accounts,
            flags: &UPDATE_FLAGS,
        },
        &authority_seeds(&bump),
    )
}

pub fn handle_enable_fee_sharing(ctx: &mut Context<EnableFeeSharing>) -> Result<()> {
    let vault_bump = ctx.bumps.fee_vault;
    let a = &mut ctx.accounts;
    require!(
        a.token_stats.attribution == ATTRIBUTION_KEEPER,
        DatError::AlreadyFeeSharing
    );
    require!(
        a.token_stats.pool_type == POOL_BONDING_CURVE,
        DatError::FeeSharingVenueUnsupported
    );
    let mint = a.token_stats.mint;
    let (config, _) =
        find_program_address(&[SHARING_CONFIG_SEED, mint.as_ref()], &PUMP_FEE_PROGRAM_ID);
    require!(
        *a.sharing_config.address() == config,
        DatError::SharingConfigInvalid
    );

    // The fee account: a system-owned PDA at its rent floor (a donation stays the token's).
    let vault = a.fee_vault.account();
    require!(
        vault.lamports() == 0 || (vault.owned_by(&SYSTEM_PROGRAM_ID) && vault.data_len() == 0),
        DatError::InvalidFeeVault
    );
    let shortfall = RENT_EXEMPT_ZERO_DATA.saturating_sub(vault.lamports());
    if shortfall > 0 {
        pinocchio_system::instructions::Transfer {
            from: a.admin.account(),
            to: vault,
            lamports: shortfall,
        }
        .invoke()?;
    }

    // The admin pays the config's rent through the authority; the pool is untouched.
    let rent = anchor_lang::cpi::rent_exempt_lamports(SHARING_CONFIG_SPACE)?;
    let before = a.authority.account().lamports();
    pinocchio_system::instructions::Transfer {
        from: a.admin.account(),
        to: a.authority.account(),
        lamports: rent,
    }
    .invoke()?;
    create_config(a)?;
    let surplus = a.authority.account().lamports().saturating_sub(before);
    if surplus > 0 {
        let bump = [a.state.authority_bump];
        let seeds: [Seed; 2] = authority_seeds(&bump);
        pinocchio_system::instructions::Transfer {
            from: a.authority.account(),
            to: a.admin.account(),
            lamports: surplus,
        }
        .invoke_signed(&[pinocchio::cpi::Signer::from(&seeds[..])])?;
    }
    name_sole_shareholder(a)?;

    require_sole_shareholder(
        a.sharing_config.account(),
        &config,
        &mint,
        a.fee_vault.address(),
    )?;
    require!(
        with_head(a.bonding_curve.account(), |c: &BondingCurveHead| c.creator
            == config)
            == Some(true),
        DatError::SharingConfigInvalid
    );

    let (creator_vault, _) = find_program_address(
        &[PUMP_CREATOR_VAULT_SEED, config.as_ref()],
        &PUMP_PROGRAM_ID,
    );
    let fee_vault = *a.fee_vault.address();
    let t = &mut a.token_stats;
    t.attribution = ATTRIBUTION_FEE_SHARING;
    t.fee_vault = fee_vault;
    t.fee_vault_bump = vault_bump;
    t.sharing_config = config;
    t.fee_creator_vault = creator_vault;
    let pending = t.pending_fees.get();
    let s = &mut a.state;
    s.keeper_mode_tokens = PodU64::from(s.keeper_mode_tokens.get().saturating_sub(1));
    emit!(FeeSharingEnabled {
        mint,
        sharing_config: config,
        fee_vault,
        pending_fees: pending,
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
