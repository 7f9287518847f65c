//! `migrate_bonding_curve_creator()`: points `bonding_curve.creator` at the coin's
//! `sharing_config` (fee program PDA `["sharing-config", mint]`). Called by the fee
//! program's `create_fee_sharing_config`; the config's existence is the authorization
//! (only the coin creator or `admin_set_creator_authority` can create it).

use pinocchio::{AccountView, ProgramResult};

use super::{check_discriminator, BONDING_CURVE_SEED};
use crate::{
    cpi::{is_canonical_pda, unix_timestamp},
    errors::{AnchorError, PumpError},
    events::{discriminator, EventData, PUMP_EVENT_AUTHORITY},
    state::{self, bonding_curve as bc, sharing_config as sc},
    FEE_PROGRAM_ID, PUMP_ID,
};

pub const DISCRIMINATOR: [u8; 8] = [87, 124, 52, 191, 52, 38, 214, 232];
pub const SHARING_CONFIG_SEED: &[u8] = b"sharing-config";

pub fn process(accounts: &mut [AccountView]) -> ProgramResult {
    let [mint, bonding_curve, sharing_config, event_authority, _program, ..] = accounts else {
        return Err(AnchorError::AccountNotEnoughKeys.into());
    };
    if !bonding_curve.owned_by(&PUMP_ID) || !sharing_config.owned_by(&FEE_PROGRAM_ID) {
        return Err(AnchorError::AccountOwnedByWrongProgram.into());
    }
    {
        check_discriminator(
            // SAFETY: short read-only borrows; nothing else borrows these accounts.
            unsafe { bonding_curve.borrow_unchecked() },
            &bc::DISCRIMINATOR,
            bc::MIN_LEN,
        )?;
        check_discriminator(
            // SAFETY: as above: a short read-only borrow; nothing else borrows the config here.
            unsafe { sharing_config.borrow_unchecked() },
            &sc::DISCRIMINATOR,
            sc::MIN_LEN,
        )?;
    }
    if !bonding_curve.is_writable() {
        return Err(AnchorError::ConstraintMut.into());
    }
    if !is_canonical_pda(
        &[BONDING_CURVE_SEED, mint.address().as_ref()],
        &PUMP_ID,
        bonding_curve.address(),
    ) || !is_canonical_pda(
        &[SHARING_CONFIG_SEED, mint.address().as_ref()],
        &FEE_PROGRAM_ID,
        sharing_config.address(),
    ) || *event_authority.address() != PUMP_EVENT_AUTHORITY
    {
        return Err(AnchorError::ConstraintSeeds.into());
    }
    // SAFETY: read-only; the config is owned by the fee program.
    let config = unsafe { sharing_config.borrow_unchecked() };
    if !state::address_at(config, sc::MINT, mint.address()) {
        return Err(AnchorError::ConstraintHasOne.into());
    }
    // SAFETY: the only borrow of the curve's data in this instruction.
    let curve = unsafe { bonding_curve.borrow_unchecked_mut() };
    let old_creator = state::read_address(curve, bc::CREATOR);
    if old_creator == *sharing_config.address() {
        return Err(PumpError::CreatorMigratedToSharingConfig.into());
    }
    curve[bc::CREATOR..bc::CREATOR + 32].copy_from_slice(sharing_config.address().as_ref());

    let mut e = EventData::new(&discriminator::MIGRATE_BONDING_CURVE_CREATOR_EVENT);
    e.i64(unix_timestamp()?)
        .address(mint.address())
        .address(bonding_curve.address())
        .address(sharing_config.address())
        .address(&old_creator)
        .address(sharing_config.address());
    e.emit(&PUMP_ID, event_authority)
}
