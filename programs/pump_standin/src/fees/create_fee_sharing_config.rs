//! `create_fee_sharing_config()`: creates `["sharing-config", mint]` (1024 bytes, rent
//! paid by `payer`) with `admin = coin creator`, shareholders `[(creator, 10_000)]`, then
//! CPIs pump `migrate_bonding_curve_creator` and, for a graduated coin, PumpSwap
//! `migrate_pool_coin_creator`, so that every creator fee from now on accrues to vaults of
//! the config. `payer` must be the coin creator (`bonding_curve.creator` before
//! graduation, `pool.coin_creator` after) or pump's `admin_set_creator_authority`.
//! Calling it again for the same mint is a no-op.

use pinocchio::{
    cpi::{Seed, Signer},
    AccountView, Address, ProgramResult,
};

use crate::{
    bonding_curve::{
        check_discriminator, migrate_bonding_curve_creator, GLOBAL_ADDRESS, POOL_AUTHORITY_SEED,
    },
    cpi::{
        create_pda_account, find_bump, invoke_forward, is_canonical_pda, unix_timestamp, Forward,
    },
    errors::{AnchorError, FeeError},
    events::{
        discriminator, EventData, AMM_EVENT_AUTHORITY, FEE_EVENT_AUTHORITY, PUMP_EVENT_AUTHORITY,
    },
    is_token_program,
    state::{self, bonding_curve as bc, global, pool, sharing_config as sc},
    AMM_ID, FEE_PROGRAM_ID, PUMP_ID, SYSTEM_PROGRAM_ID, WSOL_MINT,
};

pub const DISCRIMINATOR: [u8; 8] = [195, 78, 86, 76, 111, 52, 251, 213];

pub fn process(accounts: &mut [AccountView]) -> ProgramResult {
    let [event_authority, program, payer, global_account, mint, sharing_config, system_program, bonding_curve, pump_program, pump_event_authority, rest @ ..] =
        accounts
    else {
        return Err(AnchorError::AccountNotEnoughKeys.into());
    };
    // Optional accounts: absent when missing or passed as this program's id (Anchor).
    let optional = |i: usize| rest.get(i).filter(|a| *a.address() != FEE_PROGRAM_ID);
    let pool_account = optional(0);
    let amm_program = optional(1);
    let amm_event_authority = optional(2);

    // -- deserialization --
    if *program.address() != FEE_PROGRAM_ID {
        return Err(AnchorError::ConstraintAddress.into());
    }
    if !payer.is_signer() {
        return Err(AnchorError::AccountNotSigner.into());
    }
    if !global_account.owned_by(&PUMP_ID) || !bonding_curve.owned_by(&PUMP_ID) {
        return Err(AnchorError::AccountOwnedByWrongProgram.into());
    }
    // SAFETY: Global and the curve are only read here (the curve is written by pump,
    // through the CPI below, after these borrows' last use).
    let g = unsafe { global_account.borrow_unchecked() };
    check_discriminator(
        g,
        &global::DISCRIMINATOR,
        global::ADMIN_SET_CREATOR_AUTHORITY + 32,
    )?;
    if !is_token_program(mint.owner()) {
        return Err(AnchorError::AccountOwnedByWrongProgram.into());
    }
    // SAFETY: as above.
    let curve = unsafe { bonding_curve.borrow_unchecked() };
    check_discriminator(curve, &bc::DISCRIMINATOR, bc::MIN_LEN)?;
    if *system_program.address() != SYSTEM_PROGRAM_ID || *pump_program.address() != PUMP_ID {
        return Err(AnchorError::InvalidProgramId.into());
    }
    if let Some(p) = pool_account {
        if !p.owned_by(&AMM_ID) {
            return Err(AnchorError::AccountOwnedByWrongProgram.into());
        }
        check_discriminator(
            // SAFETY: read-only look at the pool (PumpSwap writes it in the CPI below).
            unsafe { p.borrow_unchecked() },
            &pool::DISCRIMINATOR,
            pool::MIN_LEN,
        )?;
    }
    if let Some(a) = amm_program {
        if *a.address() != AMM_ID {
            return Err(AnchorError::InvalidProgramId.into());
        }
    }

    // -- constraints, in account order --
    if *event_authority.address() != FEE_EVENT_AUTHORITY {
        return Err(AnchorError::ConstraintSeeds.into());
    }
    if !payer.is_writable() || !sharing_config.is_writable() || !bonding_curve.is_writable() {
        return Err(AnchorError::ConstraintMut.into());
    }
    if *global_account.address() != GLOBAL_ADDRESS {
        return Err(AnchorError::ConstraintSeeds.into());
    }
    let config_bump = find_bump(
        &[
            migrate_bonding_curve_creator::SHARING_CONFIG_SEED,
            mint.address().as_ref(),
        ],
        &FEE_PROGRAM_ID,
        sharing_config.address(),
    )
    .ok_or(AnchorError::ConstraintSeeds)?;
    if !is_canonical_pda(
        &[
            crate::bonding_curve::BONDING_CURVE_SEED,
            mint.address().as_ref(),
        ],
        &PUMP_ID,
        bonding_curve.address(),
    ) || *pump_event_authority.address() != PUMP_EVENT_AUTHORITY
    {
        return Err(AnchorError::ConstraintSeeds.into());
    }
    if let Some(p) = pool_account {
        if !p.is_writable() {
            return Err(AnchorError::ConstraintMut.into());
        }
    }
    if let Some(a) = amm_event_authority {
        if *a.address() != AMM_EVENT_AUTHORITY {
            return Err(AnchorError::ConstraintSeeds.into());
        }
    }

    // -- handler --
    if sharing_config.owned_by(&FEE_PROGRAM_ID) {
        // Already created: nothing to do.
        return Ok(());
    }
    let graduated = curve[bc::COMPLETE] != 0;
    let pool_accounts = match (pool_account, amm_program, amm_event_authority) {
        (Some(p), Some(a), Some(e)) => Some((p, a, e)),
        (None, _, _) if graduated => {
            return Err(FeeError::AmmAccountsRequiredForGraduatedCoin.into())
        }
        (None, _, _) => None,
        _ => return Err(FeeError::AmmAccountsRequiredForGraduatedCoin.into()),
    };
    let coin_creator = match pool_accounts {
        Some((p, _, _)) => {
            // SAFETY: read-only look at the pool.
            let data = unsafe { p.borrow_unchecked() };
            if !is_canonical_pool(p.address(), data, mint.address()) {
                return Err(FeeError::InvalidPool.into());
            }
            state::read_address(data, pool::COIN_CREATOR)
        }
        None => state::read_address(curve, bc::CREATOR),
    };
    if *payer.address() != coin_creator
        && !state::address_at(g, global::ADMIN_SET_CREATOR_AUTHORITY, payer.address())
    {
        return Err(FeeError::NotAuthorized.into());
    }

    let bump = [config_bump];
    let seeds = [
        Seed::from(migrate_bonding_curve_creator::SHARING_CONFIG_SEED),
        Seed::from(mint.address().as_ref()),
        Seed::from(&bump),
    ];
    create_pda_account(
        payer,
        sharing_config,
        sc::LEN,
        &FEE_PROGRAM_ID,
        &[Signer::from(&seeds)],
    )?;
    let mut initial = [0u8; 4 + sc::SHAREHOLDER_SIZE];
    initial[..4].copy_from_slice(&1u32.to_le_bytes());
    initial[4..36].copy_from_slice(coin_creator.as_ref());
    initial[36..38].copy_from_slice(&sc::FULL_SHARE_BPS.to_le_bytes());
    {
        // SAFETY: the account was just created and is owned by this program; no other
        // borrow of its data is live.
        let data = unsafe { sharing_config.borrow_unchecked_mut() };
        data[..8].copy_from_slice(&sc::DISCRIMINATOR);
        data[sc::BUMP] = config_bump;
        data[sc::VERSION] = sc::VERSION_V2;
        data[sc::STATUS] = sc::STATUS_ACTIVE;
        data[sc::MINT..sc::MINT + 32].copy_from_slice(mint.address().as_ref());
        data[sc::ADMIN..sc::ADMIN + 32].copy_from_slice(coin_creator.as_ref());
        data[sc::ADMIN_REVOKED] = 0;
        data[sc::SHAREHOLDERS..sc::SHAREHOLDERS + initial.len()].copy_from_slice(&initial);
    }

    invoke_forward(&Forward {
        program_id: &PUMP_ID,
        accounts: &[
            mint,
            bonding_curve,
            sharing_config,
            pump_event_authority,
            pump_program,
        ],
        data: &migrate_bonding_curve_creator::DISCRIMINATOR,
    })?;
    if let Some((p, a, e)) = pool_accounts {
        invoke_forward(&Forward {
            program_id: &AMM_ID,
            accounts: &[p, sharing_config, e, a],
            data: &crate::amm::migrate_pool_coin_creator::DISCRIMINATOR,
        })?;
    }

    let mut e = EventData::new(&discriminator::CREATE_FEE_SHARING_CONFIG_EVENT);
    e.i64(unix_timestamp()?)
        .address(mint.address())
        .address(bonding_curve.address());
    match pool_accounts {
        Some((p, _, _)) => e.u8(1).address(p.address()),
        None => e.u8(0),
    };
    e.address(sharing_config.address())
        .address(&coin_creator)
        .bytes(&initial)
        .u8(sc::STATUS_ACTIVE);
    e.emit(&FEE_PROGRAM_ID, event_authority)
}

/// The pool `migrate` creates for `mint`: index 0, created by pump's
/// `["pool-authority", mint]`, quote WSOL, at its stored bump.
fn is_canonical_pool(address: &Address, data: &[u8], mint: &Address) -> bool {
    if !state::address_at(data, pool::BASE_MINT, mint)
        || !state::address_at(data, pool::QUOTE_MINT, &WSOL_MINT)
        || data[pool::INDEX..pool::INDEX + 2] != [0, 0]
    {
        return false;
    }
    let creator = state::read_address(data, pool::CREATOR);
    if !is_canonical_pda(&[POOL_AUTHORITY_SEED, mint.as_ref()], &PUMP_ID, &creator) {
        return false;
    }
    Address::derive_address(
        &[
            crate::amm::POOL_SEED,
            &[0, 0],
            creator.as_ref(),
            mint.as_ref(),
            WSOL_MINT.as_ref(),
        ],
        Some(data[pool::POOL_BUMP]),
        &AMM_ID,
    ) == *address
}
