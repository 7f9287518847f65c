//! `collect_coin_creator_fee()`: moves the whole balance of the coin-creator vault ATA
//! (authority `["creator_vault", coin_creator]`) to `coin_creator_token_account`.

use pinocchio::{
    cpi::{Seed, Signer},
    AccountView, ProgramResult,
};

use super::COIN_CREATOR_VAULT_SEED;
use crate::{
    cpi::{find_bump, is_associated_token_address, unix_timestamp, TransferChecked},
    errors::{AmmError, AnchorError},
    events::{discriminator, EventData, AMM_EVENT_AUTHORITY},
    is_token_program,
    state::{self, token_account, token_amount},
    AMM_ID, FEE_PROGRAM_ID,
};

pub const DISCRIMINATOR: [u8; 8] = [160, 57, 89, 42, 181, 139, 43, 66];

pub fn process(accounts: &mut [AccountView]) -> ProgramResult {
    let [quote_mint, quote_token_program, coin_creator, vault_authority, vault_ata, destination, event_authority, _program, ..] =
        accounts
    else {
        return Err(AnchorError::AccountNotEnoughKeys.into());
    };
    if !is_token_program(quote_mint.owner()) {
        return Err(AnchorError::AccountOwnedByWrongProgram.into());
    }
    if quote_mint.data_len() < state::mint::LEN {
        return Err(AnchorError::AccountDidNotDeserialize.into());
    }
    if !is_token_program(quote_token_program.address()) {
        return Err(AnchorError::InvalidProgramId.into());
    }
    if !quote_mint.owned_by(quote_token_program.address()) {
        return Err(AnchorError::ConstraintMintTokenProgram.into());
    }
    let bump = find_bump(
        &[COIN_CREATOR_VAULT_SEED, coin_creator.address().as_ref()],
        &AMM_ID,
        vault_authority.address(),
    )
    .ok_or(AnchorError::ConstraintSeeds)?;
    if !vault_ata.is_writable() {
        return Err(AnchorError::ConstraintMut.into());
    }
    if !is_associated_token_address(
        vault_ata.address(),
        vault_authority.address(),
        quote_token_program.address(),
        quote_mint.address(),
    ) {
        return Err(AnchorError::ConstraintSeeds.into());
    }
    // The destination is the coin creator's own quote token account (any account of
    // theirs, not only the ATA): `token::mint` (2014), `token::authority` (2015).
    if !destination.is_writable() {
        return Err(AnchorError::ConstraintMut.into());
    }
    if !destination.owned_by(quote_token_program.address())
        || destination.data_len() < token_account::LEN
    {
        return Err(AnchorError::AccountOwnedByWrongProgram.into());
    }
    // SAFETY: read-only look at a token account; no mutable borrow is live.
    let dest = unsafe { destination.borrow_unchecked() };
    if !state::address_at(dest, token_account::MINT, quote_mint.address()) {
        return Err(AnchorError::ConstraintTokenMint.into());
    }
    if !state::address_at(dest, token_account::OWNER, coin_creator.address()) {
        return Err(AnchorError::ConstraintTokenOwner.into());
    }
    if *event_authority.address() != AMM_EVENT_AUTHORITY {
        return Err(AnchorError::ConstraintSeeds.into());
    }

    if coin_creator.owned_by(&FEE_PROGRAM_ID) {
        return Err(AmmError::CreatorVaultMigratedToSharingConfig.into());
    }

    let amount = token_amount(vault_ata);
    if amount > 0 {
        // SAFETY: the mint is only read.
        let decimals = unsafe { quote_mint.borrow_unchecked() }[state::mint::DECIMALS];
        let bump = [bump];
        let seeds = [
            Seed::from(COIN_CREATOR_VAULT_SEED),
            Seed::from(coin_creator.address().as_ref()),
            Seed::from(&bump),
        ];
        TransferChecked {
            token_program: quote_token_program,
            from: vault_ata,
            mint: quote_mint,
            to: destination,
            authority: vault_authority,
            amount,
            decimals,
        }
        .invoke_signed(&[Signer::from(&seeds)])?;
    }

    let mut e = EventData::new(&discriminator::COLLECT_COIN_CREATOR_FEE_EVENT);
    e.i64(unix_timestamp()?)
        .address(coin_creator.address())
        .u64(amount)
        .address(vault_ata.address())
        .address(destination.address());
    e.emit(&AMM_ID, event_authority)
}
