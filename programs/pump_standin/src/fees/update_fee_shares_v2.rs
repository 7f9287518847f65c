//! `update_fee_shares_v2(shareholders)`: the config's admin sets the final shareholder
//! list, once. Validation as documented: 1-10 shareholders, no duplicate address, every
//! `share_bps > 0`, sum exactly 10_000. What is pending is paid first to the *current*
//! shareholders: for a graduated coin PumpSwap `transfer_creator_fees_to_pump_v2` sweeps the
//! AMM vault into pump's creator vault, then pump `distribute_creator_fees_v2` pays it out
//! (the current shareholders are the remaining accounts, in config order). Then the new
//! list is written and the admin revoked.

use pinocchio::{AccountView, ProgramResult};

use crate::{
    amm::{transfer_creator_fees_to_pump_v2, COIN_CREATOR_VAULT_SEED},
    bonding_curve::{
        check_discriminator, distribute_creator_fees_v2,
        migrate_bonding_curve_creator::SHARING_CONFIG_SEED, BONDING_CURVE_SEED, CREATOR_VAULT_SEED,
        GLOBAL_ADDRESS,
    },
    cpi::{
        invoke_forward, is_associated_token_address, is_canonical_pda, unix_timestamp, Forward,
        MAX_CPI_ACCOUNTS,
    },
    errors::{AnchorError, FeeError},
    events::{
        discriminator, EventData, AMM_EVENT_AUTHORITY, FEE_EVENT_AUTHORITY, PUMP_EVENT_AUTHORITY,
    },
    is_token_program,
    state::{self, bonding_curve as bc, global, sharing_config as sc, token_amount},
    AMM_ID, ASSOCIATED_TOKEN_PROGRAM_ID, FEE_PROGRAM_ID, PUMP_ID, SYSTEM_PROGRAM_ID,
};

pub const DISCRIMINATOR: [u8; 8] = [111, 251, 49, 6, 78, 78, 106, 18];
const FIXED_ACCOUNTS: usize = 19;

/// Checks the documented rules on borsh `Vec<Shareholder>` bytes (length prefix included).
/// Returns the byte length used.
pub fn validate_shareholders(args: &[u8]) -> Result<usize, pinocchio::error::ProgramError> {
    if args.len() < 4 {
        return Err(AnchorError::InstructionDidNotDeserialize.into());
    }
    let count = u32::from_le_bytes([args[0], args[1], args[2], args[3]]) as usize;
    let end = count
        .checked_mul(sc::SHAREHOLDER_SIZE)
        .and_then(|n| n.checked_add(4))
        .ok_or(AnchorError::InstructionDidNotDeserialize)?;
    if args.len() < end {
        return Err(AnchorError::InstructionDidNotDeserialize.into());
    }
    if count == 0 {
        return Err(FeeError::NoShareholders.into());
    }
    if count > sc::MAX_SHAREHOLDERS {
        return Err(FeeError::TooManyShareholders.into());
    }
    let entry = |i: usize| &args[4 + i * sc::SHAREHOLDER_SIZE..4 + (i + 1) * sc::SHAREHOLDER_SIZE];
    let mut i = 0;
    while i < count {
        let mut j = 0;
        while j < i {
            if entry(i)[..32] == entry(j)[..32] {
                return Err(FeeError::DuplicateShareholder.into());
            }
            j += 1;
        }
        i += 1;
    }
    let mut total = 0u32;
    let mut i = 0;
    while i < count {
        let bps = u16::from_le_bytes([entry(i)[32], entry(i)[33]]);
        if bps == 0 {
            return Err(FeeError::ZeroShareNotAllowed.into());
        }
        total += bps as u32;
        i += 1;
    }
    if total != sc::FULL_SHARE_BPS as u32 {
        return Err(FeeError::InvalidShareTotal.into());
    }
    Ok(end)
}

pub fn process(accounts: &mut [AccountView], args: &[u8]) -> ProgramResult {
    if accounts.len() < FIXED_ACCOUNTS {
        return Err(AnchorError::AccountNotEnoughKeys.into());
    }
    let (fixed, remaining) = accounts.split_at(FIXED_ACCOUNTS);
    let [event_authority, program, authority, global_account, mint, sharing_config, bonding_curve, pump_creator_vault, pump_creator_vault_ata, system_program, pump_program, pump_event_authority, amm_program, amm_event_authority, quote_mint, token_program, associated_token_program, vault_authority, vault_ata] =
        fixed
    else {
        return Err(AnchorError::AccountNotEnoughKeys.into());
    };
    // borsh first, as Anchor deserializes the arguments before the accounts.
    if args.len() < 4 {
        return Err(AnchorError::InstructionDidNotDeserialize.into());
    }

    // -- deserialization --
    if *program.address() != FEE_PROGRAM_ID {
        return Err(AnchorError::ConstraintAddress.into());
    }
    if !authority.is_signer() {
        return Err(AnchorError::AccountNotSigner.into());
    }
    if !global_account.owned_by(&PUMP_ID)
        || !sharing_config.owned_by(&FEE_PROGRAM_ID)
        || !bonding_curve.owned_by(&PUMP_ID)
    {
        return Err(AnchorError::AccountOwnedByWrongProgram.into());
    }
    check_discriminator(
        // SAFETY: read-only borrows; the config is rewritten at the end after their last use.
        unsafe { global_account.borrow_unchecked() },
        &global::DISCRIMINATOR,
        global::MIN_LEN,
    )?;
    // SAFETY: as above.
    let curve = unsafe { bonding_curve.borrow_unchecked() };
    check_discriminator(curve, &bc::DISCRIMINATOR, bc::MIN_LEN)?;
    {
        // SAFETY: as above.
        let config = unsafe { sharing_config.borrow_unchecked() };
        check_discriminator(config, &sc::DISCRIMINATOR, sc::MIN_LEN)?;
    }
    if *system_program.address() != SYSTEM_PROGRAM_ID
        || *pump_program.address() != PUMP_ID
        || *amm_program.address() != AMM_ID
        || !is_token_program(token_program.address())
        || *associated_token_program.address() != ASSOCIATED_TOKEN_PROGRAM_ID
    {
        return Err(AnchorError::InvalidProgramId.into());
    }

    // -- constraints, in account order --
    if *event_authority.address() != FEE_EVENT_AUTHORITY {
        return Err(AnchorError::ConstraintSeeds.into());
    }
    if !authority.is_writable() || !sharing_config.is_writable() {
        return Err(AnchorError::ConstraintMut.into());
    }
    if *global_account.address() != GLOBAL_ADDRESS {
        return Err(AnchorError::ConstraintSeeds.into());
    }
    let config_key = sharing_config.address();
    {
        // SAFETY: as above.
        let config = unsafe { sharing_config.borrow_unchecked() };
        if !state::address_at(config, sc::MINT, mint.address()) {
            return Err(AnchorError::ConstraintHasOne.into());
        }
    }
    if !is_canonical_pda(
        &[SHARING_CONFIG_SEED, mint.address().as_ref()],
        &FEE_PROGRAM_ID,
        config_key,
    ) || !is_canonical_pda(
        &[BONDING_CURVE_SEED, mint.address().as_ref()],
        &PUMP_ID,
        bonding_curve.address(),
    ) {
        return Err(AnchorError::ConstraintSeeds.into());
    }
    if !pump_creator_vault.is_writable() || !pump_creator_vault_ata.is_writable() {
        return Err(AnchorError::ConstraintMut.into());
    }
    if !is_canonical_pda(
        &[CREATOR_VAULT_SEED, config_key.as_ref()],
        &PUMP_ID,
        pump_creator_vault.address(),
    ) || !is_associated_token_address(
        pump_creator_vault_ata.address(),
        pump_creator_vault.address(),
        token_program.address(),
        quote_mint.address(),
    ) || *pump_event_authority.address() != PUMP_EVENT_AUTHORITY
        || *amm_event_authority.address() != AMM_EVENT_AUTHORITY
    {
        return Err(AnchorError::ConstraintSeeds.into());
    }
    if !vault_authority.is_writable() || !vault_ata.is_writable() {
        return Err(AnchorError::ConstraintMut.into());
    }
    if !is_canonical_pda(
        &[COIN_CREATOR_VAULT_SEED, config_key.as_ref()],
        &AMM_ID,
        vault_authority.address(),
    ) || !is_associated_token_address(
        vault_ata.address(),
        vault_authority.address(),
        token_program.address(),
        quote_mint.address(),
    ) {
        return Err(AnchorError::ConstraintSeeds.into());
    }

    // -- handler --
    let current = {
        // SAFETY: as above.
        let config = unsafe { sharing_config.borrow_unchecked() };
        if !state::address_at(config, sc::ADMIN, authority.address()) {
            return Err(FeeError::InvalidAdmin.into());
        }
        if config[sc::ADMIN_REVOKED] != 0 {
            return Err(FeeError::SharingConfigAdminRevoked.into());
        }
        if config[sc::STATUS] != sc::STATUS_ACTIVE {
            return Err(FeeError::SharingConfigNotActive.into());
        }
        if config[sc::VERSION] == 1 {
            return Err(FeeError::InvalidSharingConfig.into());
        }
        sc::shareholders(config)
            .ok_or(AnchorError::AccountDidNotDeserialize)?
            .0
    };
    let used = validate_shareholders(args)?;
    // The distribution to the current shareholders needs them, in config order.
    if remaining.len() < current {
        return Err(FeeError::NotEnoughRemainingAccounts.into());
    }
    {
        // SAFETY: as above.
        let config = unsafe { sharing_config.borrow_unchecked() };
        let (_, holders) = sc::shareholders(config).ok_or(AnchorError::AccountDidNotDeserialize)?;
        let mut i = 0;
        while i < current {
            let at = 4 + i * sc::SHAREHOLDER_SIZE;
            if remaining[i].address().as_ref() != &holders[at..at + 32] {
                return Err(FeeError::ShareholderAccountMismatch.into());
            }
            i += 1;
        }
    }

    // Sweep the AMM side of a graduated coin into pump's creator vault.
    if curve[bc::COMPLETE] != 0
        && vault_ata.owned_by(token_program.address())
        && token_amount(vault_ata) > 0
    {
        invoke_forward(&Forward {
            program_id: &AMM_ID,
            accounts: &[
                authority,
                quote_mint,
                token_program,
                system_program,
                associated_token_program,
                sharing_config,
                vault_authority,
                vault_ata,
                pump_creator_vault,
                pump_creator_vault_ata,
                amm_event_authority,
                amm_program,
            ],
            data: &transfer_creator_fees_to_pump_v2::DISCRIMINATOR,
        })?;
    }
    // Pay what is pending to the current shareholders.
    let mut views: [&AccountView; MAX_CPI_ACCOUNTS] = [authority; MAX_CPI_ACCOUNTS];
    let fixed_views = [
        authority,
        mint,
        bonding_curve,
        sharing_config,
        pump_creator_vault,
        system_program,
        pump_event_authority,
        pump_program,
        pump_creator_vault_ata,
        quote_mint,
        token_program,
        associated_token_program,
    ];
    views[..12].copy_from_slice(&fixed_views);
    let mut i = 0;
    while i < current {
        views[12 + i] = &remaining[i];
        i += 1;
    }
    let mut data = [0u8; 9];
    data[..8].copy_from_slice(&distribute_creator_fees_v2::DISCRIMINATOR);
    data[8] = 1; // initialize_ata
    invoke_forward(&Forward {
        program_id: &PUMP_ID,
        accounts: &views[..12 + current],
        data: &data,
    })?;

    // The new list, and the admin revoked.
    {
        let mut config_view = *sharing_config;
        // SAFETY: the only live borrow of the config's data.
        let config = unsafe { config_view.borrow_unchecked_mut() };
        let end = sc::SHAREHOLDERS + used;
        config[sc::SHAREHOLDERS..end].copy_from_slice(&args[..used]);
        config[end..].fill(0);
        config[sc::ADMIN_REVOKED] = 1;
    }
    // SAFETY: read-only again, for the event.
    let config = unsafe { sharing_config.borrow_unchecked() };
    let mut e = EventData::new(&discriminator::UPDATE_FEE_SHARES_EVENT);
    e.i64(unix_timestamp()?)
        .address(mint.address())
        .address(config_key)
        .bytes(&config[sc::ADMIN..sc::ADMIN + 32])
        .bytes(&args[..used])
        .u8(config[sc::VERSION]);
    e.emit(&FEE_PROGRAM_ID, event_authority)
}

#[cfg(test)]
mod tests {
    extern crate std;
    use std::vec::Vec;

    use super::validate_shareholders;
    use pinocchio::error::ProgramError;

    fn encode(holders: &[([u8; 32], u16)]) -> Vec<u8> {
        let mut out = (holders.len() as u32).to_le_bytes().to_vec();
        for (address, bps) in holders {
            out.extend_from_slice(address);
            out.extend_from_slice(&bps.to_le_bytes());
        }
        out
    }

    fn code(result: Result<usize, ProgramError>) -> u32 {
        match result {
            Err(ProgramError::Custom(code)) => code,
            other => panic!("expected a custom error, got {other:?}"),
        }
    }

    #[test]
    fn documented_rules_in_order() {
        let (a, b) = ([1u8; 32], [2u8; 32]);
        assert_eq!(validate_shareholders(&encode(&[(a, 10_000)])), Ok(38));
        assert_eq!(code(validate_shareholders(&encode(&[]))), 6010);
        let eleven: Vec<_> = (0..11u8).map(|i| ([i; 32], 1_000)).collect();
        assert_eq!(code(validate_shareholders(&encode(&eleven))), 6011);
        assert_eq!(
            code(validate_shareholders(&encode(&[(a, 5_000), (a, 5_000)]))),
            6012
        );
        assert_eq!(
            code(validate_shareholders(&encode(&[(a, 10_000), (b, 0)]))),
            6017
        );
        assert_eq!(
            code(validate_shareholders(&encode(&[(a, 5_000), (b, 4_999)]))),
            6014
        );
        assert_eq!(
            code(validate_shareholders(&encode(&[(a, 5_000), (b, 5_001)]))),
            6014
        );
        // Truncated borsh: Anchor's InstructionDidNotDeserialize.
        assert_eq!(
            code(validate_shareholders(&encode(&[(a, 10_000)])[..30])),
            102
        );
    }
}
