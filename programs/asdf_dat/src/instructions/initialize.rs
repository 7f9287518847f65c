//! `initialize`: creates the state PDA and funds the authority's rent reserve.
//!
//! Front-running: only the program's upgrade authority may call it. The
//! handler reads the BPF-upgradeable `ProgramData` account at
//! `find_program_address([program_id], BPFLoaderUpgradeable)` and requires
//! its `upgrade_authority_address` to be `Some(admin)`, so a deployer who
//! initializes in a separate transaction cannot be raced. A program deployed
//! immutable (no upgrade authority) cannot be initialized.

use anchor_lang::prelude::*;

use crate::constants::*;
use crate::errors::DatError;
use crate::events::DatInitialized;
use crate::state::{create_pda, CreatePda, DatState};
use crate::token::derive_ata;
use pinocchio::cpi::Seed;

#[derive(Accounts)]
pub struct Initialize {
    /// Must be the program's upgrade authority; becomes the admin and pays rent.
    #[account(mut)]
    pub admin: Signer,
    /// `["dat_state"]`, created in the handler.
    #[account(mut, seeds = [STATE_SEED], bump)]
    pub state: UncheckedAccount,
    /// `["dat_authority"]`, system-owned, funded here with its rent reserve.
    #[account(mut, seeds = [AUTHORITY_SEED], bump)]
    pub authority: UncheckedAccount,
    /// This program's ProgramData (checked in the handler).
    pub program_data: UncheckedAccount,
    pub system_program: Program<System>,
}

/// Offsets in `UpgradeableLoaderState::ProgramData`: u32 tag (3), u64 slot,
/// Option<Pubkey> (1 tag byte + 32).
const PROGRAM_DATA_TAG: u32 = 3;
const PROGRAM_DATA_AUTHORITY_OFFSET: usize = 13;

#[inline(never)]
fn check_upgrade_authority(
    program_id: &Address,
    program_data: &AccountView,
    admin: &Address,
) -> Result<()> {
    let (expected, _) = find_program_address(&[program_id.as_ref()], &BPF_LOADER_UPGRADEABLE_ID);
    if *program_data.address() != expected || !program_data.owned_by(&BPF_LOADER_UPGRADEABLE_ID) {
        return Err(DatError::NotUpgradeAuthority.into());
    }
    // SAFETY: the loader-owned ProgramData (address and owner checked above) is only read; nothing
    // borrows it mutably.
    let data = unsafe { program_data.borrow_unchecked() };
    if data.len() < PROGRAM_DATA_AUTHORITY_OFFSET + 32
        || data[0..4] != PROGRAM_DATA_TAG.to_le_bytes()
        || data[12] != 1
        || data[PROGRAM_DATA_AUTHORITY_OFFSET..PROGRAM_DATA_AUTHORITY_OFFSET + 32]
            != *admin.as_ref()
    {
        return Err(DatError::NotUpgradeAuthority.into());
    }
    Ok(())
}

pub fn handle_initialize(ctx: &mut Context<Initialize>, keeper: Address) -> Result<()> {
    let admin_key = *ctx.accounts.admin.address();
    check_upgrade_authority(
        ctx.program_id,
        ctx.accounts.program_data.account(),
        &admin_key,
    )?;

    let authority = *ctx.accounts.authority.address();
    let top_up = RENT_EXEMPT_ZERO_DATA.saturating_sub(ctx.accounts.authority.account().lamports());
    if top_up > 0 {
        pinocchio_system::instructions::Transfer {
            from: ctx.accounts.admin.account(),
            to: ctx.accounts.authority.account(),
            lamports: top_up,
        }
        .invoke()?;
    }

    let (bc_vault, _) = find_program_address(
        &[PUMP_CREATOR_VAULT_SEED, authority.as_ref()],
        &PUMP_PROGRAM_ID,
    );
    let (amm_vault_authority, _) = find_program_address(
        &[AMM_CREATOR_VAULT_SEED, authority.as_ref()],
        &PUMP_AMM_PROGRAM_ID,
    );
    let amm_vault_ata = derive_ata(&amm_vault_authority, &SPL_TOKEN_PROGRAM_ID, &WSOL_MINT);
    let authority_wsol_ata = derive_ata(&authority, &SPL_TOKEN_PROGRAM_ID, &WSOL_MINT);
    let (wsol_scratch, wsol_scratch_bump) =
        find_program_address(&[WSOL_SCRATCH_SEED], ctx.program_id);
    let (pump_uva, _) = find_program_address(
        &[PUMP_USER_VOLUME_SEED, authority.as_ref()],
        &PUMP_PROGRAM_ID,
    );
    let (amm_uva, _) = find_program_address(
        &[PUMP_USER_VOLUME_SEED, authority.as_ref()],
        &PUMP_AMM_PROGRAM_ID,
    );

    let state_bump = [ctx.bumps.state];
    create_pda(&CreatePda {
        payer: ctx.accounts.admin.account(),
        target: ctx.accounts.state.account(),
        seeds: &[Seed::from(STATE_SEED), Seed::from(&state_bump[..])],
        space: 8 + core::mem::size_of::<DatState>(),
        owner: &crate::ID,
        discriminator: <DatState as Discriminator>::DISCRIMINATOR,
    })?;
    // SAFETY: just created with our discriminator; no other borrow exists.
    let mut s = unsafe {
        <Account<DatState> as AnchorAccount>::load_mut_after_init(*ctx.accounts.state.account())?
    };

    let now = Clock::get()?.unix_timestamp;
    s.admin = admin_key;
    s.keeper = keeper;
    s.authority = authority;
    s.bc_creator_vault = bc_vault;
    s.amm_vault_authority = amm_vault_authority;
    s.amm_vault_ata = amm_vault_ata;
    s.authority_wsol_ata = authority_wsol_ata;
    s.wsol_scratch = wsol_scratch;
    s.wsol_scratch_bump = wsol_scratch_bump;
    s.pump_user_volume_accumulator = pump_uva;
    s.amm_user_volume_accumulator = amm_uva;
    s.bump = ctx.bumps.state;
    s.authority_bump = ctx.bumps.authority;
    s.is_active = PodBool::from(true);
    s.fee_split_bps = PodU16::from(DEFAULT_FEE_SPLIT_BPS);
    s.fee_split_timelock_secs = PodI64::from(DEFAULT_FEE_SPLIT_TIMELOCK_SECS);
    s.min_fees_per_token = PodU64::from(DEFAULT_MIN_FEES_PER_TOKEN);
    s.max_fees_per_cycle = PodU64::from(DEFAULT_MAX_FEES_PER_CYCLE);
    s.min_allocation_secondary = PodU64::from(DEFAULT_MIN_ALLOCATION_SECONDARY);
    s.min_allocation_root = PodU64::from(DEFAULT_MIN_ALLOCATION_ROOT);
    s.slippage_bps = PodU16::from(DEFAULT_SLIPPAGE_BPS);
    s.min_cycle_interval_secs = PodI64::from(DEFAULT_MIN_CYCLE_INTERVAL_SECS);

    emit!(DatInitialized {
        admin: admin_key,
        keeper,
        authority,
        authority_reserve_funded: top_up,
        timestamp: now,
    });
    Ok(())
}
