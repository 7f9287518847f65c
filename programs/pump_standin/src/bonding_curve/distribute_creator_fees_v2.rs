//! `distribute_creator_fees_v2(initialize_ata)`: permissionless. Pays what the coin's
//! creator vault `["creator-vault", sharing_config]` holds above rent-exemption to the
//! config's shareholders, `floor(amount * share_bps / 10_000)` each, as lamports straight
//! to each shareholder (SOL-paired coins). The shareholders come as remaining accounts, in
//! the config's order. Rounding dust stays in the vault for the next distribution.

use pinocchio::{
    cpi::{Seed, Signer},
    AccountView, Address, ProgramResult,
};
use pinocchio_system::instructions::Transfer;

use super::{
    check_discriminator, migrate_bonding_curve_creator::SHARING_CONFIG_SEED, BONDING_CURVE_SEED,
    CREATOR_VAULT_SEED,
};
use crate::{
    cpi::{find_bump, is_associated_token_address, is_canonical_pda, unix_timestamp},
    errors::{AnchorError, PumpError},
    events::{discriminator, EventData, PUMP_EVENT_AUTHORITY},
    is_token_program,
    state::{self, bonding_curve as bc, sharing_config as sc},
    ASSOCIATED_TOKEN_PROGRAM_ID, FEE_PROGRAM_ID, PUMP_ID, RENT_EXEMPT_ZERO, SYSTEM_PROGRAM_ID,
    WSOL_MINT,
};

pub const DISCRIMINATOR: [u8; 8] = [255, 203, 19, 79, 244, 68, 8, 159];

pub fn process(accounts: &mut [AccountView], args: &[u8]) -> ProgramResult {
    match args.first() {
        Some(0) | Some(1) => {}
        _ => return Err(AnchorError::InstructionDidNotDeserialize.into()),
    }
    if accounts.len() < 12 {
        return Err(AnchorError::AccountNotEnoughKeys.into());
    }
    let (fixed, remaining) = accounts.split_at(12);
    let [payer, mint, bonding_curve, sharing_config, creator_vault, system_program, event_authority, program, creator_vault_quote_token_account, quote_mint, quote_token_program, associated_token_program] =
        fixed
    else {
        return Err(AnchorError::AccountNotEnoughKeys.into());
    };

    // -- deserialization --
    if !payer.is_signer() {
        return Err(AnchorError::AccountNotSigner.into());
    }
    if !bonding_curve.owned_by(&PUMP_ID) || !sharing_config.owned_by(&FEE_PROGRAM_ID) {
        return Err(AnchorError::AccountOwnedByWrongProgram.into());
    }
    // SAFETY: read-only borrows for the whole instruction; only lamports move.
    let curve = unsafe { bonding_curve.borrow_unchecked() };
    check_discriminator(curve, &bc::DISCRIMINATOR, bc::MIN_LEN)?;
    // SAFETY: as above.
    let config = unsafe { sharing_config.borrow_unchecked() };
    check_discriminator(config, &sc::DISCRIMINATOR, sc::MIN_LEN)?;
    if *system_program.address() != SYSTEM_PROGRAM_ID
        || !is_token_program(quote_token_program.address())
        || *associated_token_program.address() != ASSOCIATED_TOKEN_PROGRAM_ID
    {
        return Err(AnchorError::InvalidProgramId.into());
    }
    if *program.address() != PUMP_ID {
        return Err(AnchorError::ConstraintAddress.into());
    }

    // -- constraints, in account order --
    if !payer.is_writable() || !creator_vault.is_writable() {
        return Err(AnchorError::ConstraintMut.into());
    }
    if !state::address_at(config, sc::MINT, mint.address()) {
        return Err(AnchorError::ConstraintHasOne.into());
    }
    if !is_canonical_pda(
        &[BONDING_CURVE_SEED, mint.address().as_ref()],
        &PUMP_ID,
        bonding_curve.address(),
    ) || !is_canonical_pda(
        &[SHARING_CONFIG_SEED, mint.address().as_ref()],
        &FEE_PROGRAM_ID,
        sharing_config.address(),
    ) {
        return Err(AnchorError::ConstraintSeeds.into());
    }
    let creator = state::read_address(curve, bc::CREATOR);
    let vault_bump = find_bump(
        &[CREATOR_VAULT_SEED, creator.as_ref()],
        &PUMP_ID,
        creator_vault.address(),
    )
    .ok_or(AnchorError::ConstraintSeeds)?;
    if *event_authority.address() != PUMP_EVENT_AUTHORITY
        || !is_associated_token_address(
            creator_vault_quote_token_account.address(),
            creator_vault.address(),
            quote_token_program.address(),
            quote_mint.address(),
        )
    {
        return Err(AnchorError::ConstraintSeeds.into());
    }

    // -- handler --
    if config[sc::STATUS] != sc::STATUS_ACTIVE {
        return Err(PumpError::SharingConfigNotActive.into());
    }
    if creator != *sharing_config.address() {
        return Err(PumpError::BondingCurveAndSharingConfigCreatorMismatch.into());
    }
    // SOL-paired coins only: the curve's quote mint is the default address, passed as WSOL.
    let curve_quote = state::read_address_or_default(curve, bc::QUOTE_MINT);
    if curve_quote != Address::new_from_array([0; 32]) || *quote_mint.address() != WSOL_MINT {
        return Err(PumpError::UnsupportedQuoteMint.into());
    }
    let (count, shareholders) =
        sc::shareholders(config).ok_or(AnchorError::AccountDidNotDeserialize)?;
    if remaining.len() < count {
        return Err(PumpError::ShareholdersAndRemainingAccountsMismatch.into());
    }
    let mut i = 0;
    while i < count {
        let at = 4 + i * sc::SHAREHOLDER_SIZE;
        if remaining[i].address().as_ref() != &shareholders[at..at + 32] {
            return Err(PumpError::ShareholdersAndRemainingAccountsMismatch.into());
        }
        if remaining[i].executable() {
            return Err(PumpError::UnableToDistributeCreatorFeesToExecutableRecipient.into());
        }
        i += 1;
    }

    let amount = creator_vault.lamports().saturating_sub(RENT_EXEMPT_ZERO);
    let bump = [vault_bump];
    let seeds = [
        Seed::from(CREATOR_VAULT_SEED),
        Seed::from(creator.as_ref()),
        Seed::from(&bump),
    ];
    let mut distributed = 0u64;
    let mut i = 0;
    while i < count {
        let at = 4 + i * sc::SHAREHOLDER_SIZE + 32;
        let share_bps = u16::from_le_bytes([shareholders[at], shareholders[at + 1]]) as u64;
        let share =
            wide_math::mul_div_floor(amount, share_bps, 10_000).ok_or(PumpError::Overflow)?;
        if share > 0 {
            Transfer {
                from: creator_vault,
                to: &remaining[i],
                lamports: share,
            }
            .invoke_signed(&[Signer::from(&seeds)])?;
            distributed += share;
        }
        i += 1;
    }

    let mut e = EventData::new(&discriminator::DISTRIBUTE_CREATOR_FEES_EVENT);
    e.i64(unix_timestamp()?)
        .address(mint.address())
        .address(bonding_curve.address())
        .address(sharing_config.address())
        .bytes(&config[sc::ADMIN..sc::ADMIN + 32])
        .bytes(shareholders)
        .u64(distributed)
        // quote_mint: default for SOL coins.
        .bytes(&[0; 32]);
    e.emit(&PUMP_ID, event_authority)
}
