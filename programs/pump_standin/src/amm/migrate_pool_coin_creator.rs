//! `migrate_pool_coin_creator()`: points a canonical pool's `coin_creator` at the coin's
//! `sharing_config` (fee program PDA `["sharing-config", pool.base_mint]`), so that
//! PumpSwap creator fees accrue to `["creator_vault", sharing_config]`. Called by the fee
//! program's `create_fee_sharing_config` for graduated coins.

use pinocchio::{AccountView, Address, ProgramResult};

use super::POOL_SEED;
use crate::{
    bonding_curve::{
        check_discriminator, migrate_bonding_curve_creator::SHARING_CONFIG_SEED,
        POOL_AUTHORITY_SEED,
    },
    cpi::{is_canonical_pda, unix_timestamp},
    errors::{AmmError, AnchorError},
    events::{discriminator, EventData, AMM_EVENT_AUTHORITY},
    state::{self, pool, sharing_config as sc},
    AMM_ID, FEE_PROGRAM_ID, PUMP_ID,
};

pub const DISCRIMINATOR: [u8; 8] = [208, 8, 159, 4, 74, 175, 16, 58];

pub fn process(accounts: &mut [AccountView]) -> ProgramResult {
    let [pool_account, sharing_config, event_authority, _program, ..] = accounts else {
        return Err(AnchorError::AccountNotEnoughKeys.into());
    };
    if !pool_account.owned_by(&AMM_ID) || !sharing_config.owned_by(&FEE_PROGRAM_ID) {
        return Err(AnchorError::AccountOwnedByWrongProgram.into());
    }
    // SAFETY: read-only until the single write below, after this borrow's last use.
    let p = unsafe { pool_account.borrow_unchecked() };
    check_discriminator(p, &pool::DISCRIMINATOR, pool::MIN_LEN)?;
    // SAFETY: as above (read-only).
    let config = unsafe { sharing_config.borrow_unchecked() };
    check_discriminator(config, &sc::DISCRIMINATOR, sc::MIN_LEN)?;
    if !pool_account.is_writable() {
        return Err(AnchorError::ConstraintMut.into());
    }
    let base_mint = state::read_address(p, pool::BASE_MINT);
    let creator = state::read_address(p, pool::CREATOR);
    let derived = Address::derive_address(
        &[
            POOL_SEED,
            &p[pool::INDEX..pool::INDEX + 2],
            creator.as_ref(),
            base_mint.as_ref(),
            &p[pool::QUOTE_MINT..pool::QUOTE_MINT + 32],
        ],
        Some(p[pool::POOL_BUMP]),
        &AMM_ID,
    );
    if derived != *pool_account.address()
        || !is_canonical_pda(
            &[SHARING_CONFIG_SEED, base_mint.as_ref()],
            &FEE_PROGRAM_ID,
            sharing_config.address(),
        )
        || *event_authority.address() != AMM_EVENT_AUTHORITY
    {
        return Err(AnchorError::ConstraintSeeds.into());
    }
    if !state::address_at(config, sc::MINT, &base_mint) {
        return Err(AmmError::InvalidSharingConfigBaseMint.into());
    }
    // Only canonical pools (created by the coin's pump pool authority) carry a coin creator.
    if !is_canonical_pda(
        &[POOL_AUTHORITY_SEED, base_mint.as_ref()],
        &PUMP_ID,
        &creator,
    ) {
        return Err(AmmError::OnlyCanonicalPumpPoolsCanHaveCoinCreator.into());
    }
    let old_coin_creator = state::read_address(p, pool::COIN_CREATOR);
    if old_coin_creator == *sharing_config.address() {
        return Err(AmmError::CoinCreatorMigratedToSharingConfig.into());
    }
    // SAFETY: the only live borrow of the pool's data.
    let p = unsafe { pool_account.borrow_unchecked_mut() };
    p[pool::COIN_CREATOR..pool::COIN_CREATOR + 32]
        .copy_from_slice(sharing_config.address().as_ref());

    let mut e = EventData::new(&discriminator::MIGRATE_POOL_COIN_CREATOR_EVENT);
    e.i64(unix_timestamp()?)
        .address(&base_mint)
        .address(pool_account.address())
        .address(sharing_config.address())
        .address(&old_coin_creator)
        .address(sharing_config.address());
    e.emit(&AMM_ID, event_authority)
}
