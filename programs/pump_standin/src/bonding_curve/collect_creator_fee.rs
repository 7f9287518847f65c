//! `collect_creator_fee()`: moves everything above rent-exemption from
//! `["creator-vault", creator]` to `creator` (no signature needed since 2025-07).

use pinocchio::{
    cpi::{Seed, Signer},
    AccountView, ProgramResult,
};
use pinocchio_system::instructions::Transfer;

use super::CREATOR_VAULT_SEED;
use crate::{
    cpi::{find_bump, unix_timestamp},
    errors::AnchorError,
    events::{discriminator, EventData, PUMP_EVENT_AUTHORITY},
    PUMP_ID, RENT_EXEMPT_ZERO, SYSTEM_PROGRAM_ID,
};

pub const DISCRIMINATOR: [u8; 8] = [20, 22, 86, 123, 198, 28, 219, 132];

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
    let bump = find_bump(
        &[CREATOR_VAULT_SEED, creator.address().as_ref()],
        &PUMP_ID,
        creator_vault.address(),
    )
    .ok_or(AnchorError::ConstraintSeeds)?;
    if *event_authority.address() != PUMP_EVENT_AUTHORITY {
        return Err(AnchorError::ConstraintSeeds.into());
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
