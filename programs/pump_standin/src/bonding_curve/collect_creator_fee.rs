//! `collect_creator_fee()` and `collect_creator_fee_v2()` (SOL-paired coins): move
//! everything above rent-exemption from `["creator-vault", creator]` to `creator` (no
//! signature needed since 2025-07). Refused (6050) when `creator` is a fee-sharing config:
//! those vaults are paid out by `distribute_creator_fees_v2`.

use pinocchio::{
    cpi::{Seed, Signer},
    AccountView, ProgramResult,
};
use pinocchio_system::instructions::Transfer;

use super::CREATOR_VAULT_SEED;
use crate::{
    cpi::{find_bump, is_associated_token_address, unix_timestamp},
    errors::{AnchorError, PumpError},
    events::{discriminator, EventData, PUMP_EVENT_AUTHORITY},
    is_token_program, ASSOCIATED_TOKEN_PROGRAM_ID, FEE_PROGRAM_ID, PUMP_ID, RENT_EXEMPT_ZERO,
    SYSTEM_PROGRAM_ID, WSOL_MINT,
};

pub const DISCRIMINATOR: [u8; 8] = [20, 22, 86, 123, 198, 28, 219, 132];
pub const DISCRIMINATOR_V2: [u8; 8] = [207, 17, 138, 242, 4, 34, 19, 56];

pub fn process(accounts: &mut [AccountView]) -> ProgramResult {
    let [creator, creator_vault, system_program, event_authority, _program, ..] = accounts else {
        return Err(AnchorError::AccountNotEnoughKeys.into());
    };
    if *system_program.address() != SYSTEM_PROGRAM_ID {
        return Err(AnchorError::InvalidProgramId.into());
    }
    if !creator.is_writable() || !creator_vault.is_writable() {
        return Err(AnchorError::ConstraintMut.into());
    }
    collect(creator, creator_vault, event_authority)
}

/// `creator, creator_token_account, creator_vault, creator_vault_token_account, quote_mint,
/// quote_token_program, associated_token_program, system_program, event_authority,
/// program`. Only WSOL (SOL-paired coins) is supported: lamports move, the token accounts
/// are checked to be the ATAs and left alone.
pub fn process_v2(accounts: &mut [AccountView]) -> ProgramResult {
    let [creator, creator_token_account, creator_vault, creator_vault_token_account, quote_mint, quote_token_program, associated_token_program, system_program, event_authority, _program, ..] =
        accounts
    else {
        return Err(AnchorError::AccountNotEnoughKeys.into());
    };
    if !is_token_program(quote_token_program.address())
        || *associated_token_program.address() != ASSOCIATED_TOKEN_PROGRAM_ID
        || *system_program.address() != SYSTEM_PROGRAM_ID
    {
        return Err(AnchorError::InvalidProgramId.into());
    }
    if !creator.is_writable()
        || !creator_token_account.is_writable()
        || !creator_vault.is_writable()
        || !creator_vault_token_account.is_writable()
    {
        return Err(AnchorError::ConstraintMut.into());
    }
    if !is_associated_token_address(
        creator_token_account.address(),
        creator.address(),
        quote_token_program.address(),
        quote_mint.address(),
    ) || !is_associated_token_address(
        creator_vault_token_account.address(),
        creator_vault.address(),
        quote_token_program.address(),
        quote_mint.address(),
    ) {
        return Err(AnchorError::ConstraintSeeds.into());
    }
    if *quote_mint.address() != WSOL_MINT {
        return Err(PumpError::UnsupportedQuoteMint.into());
    }
    collect(creator, creator_vault, event_authority)
}

fn collect(
    creator: &AccountView,
    creator_vault: &AccountView,
    event_authority: &AccountView,
) -> ProgramResult {
    let bump = find_bump(
        &[CREATOR_VAULT_SEED, creator.address().as_ref()],
        &PUMP_ID,
        creator_vault.address(),
    )
    .ok_or(AnchorError::ConstraintSeeds)?;
    if *event_authority.address() != PUMP_EVENT_AUTHORITY {
        return Err(AnchorError::ConstraintSeeds.into());
    }
    if creator.owned_by(&FEE_PROGRAM_ID) {
        return Err(PumpError::UnableToDistributeCreatorVaultMigratedToSharingConfig.into());
    }

    let amount = creator_vault.lamports().saturating_sub(RENT_EXEMPT_ZERO);
    if amount > 0 {
        let bump = [bump];
        let seeds = [
            Seed::from(CREATOR_VAULT_SEED),
            Seed::from(creator.address().as_ref()),
            Seed::from(&bump),
        ];
        Transfer {
            from: creator_vault,
            to: creator,
            lamports: amount,
        }
        .invoke_signed(&[Signer::from(&seeds)])?;
    }

    let mut e = EventData::new(&discriminator::COLLECT_CREATOR_FEE_EVENT);
    e.i64(unix_timestamp()?)
        .address(creator.address())
        .u64(amount)
        // quote_mint: default for SOL coins.
        .bytes(&[0; 32]);
    e.emit(&PUMP_ID, event_authority)
}
