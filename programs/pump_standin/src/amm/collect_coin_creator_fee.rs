//! `collect_coin_creator_fee()`: moves the whole balance of the coin-creator vault ATA
//! (authority `["creator_vault", coin_creator]`) to `coin_creator_token_account`.

use pinocchio::{
    cpi::{Seed, Signer},
    AccountView, ProgramResult,
};

use super::COIN_CREATOR_VAULT_SEED;
use crate::{
    cpi::{find_bump, unix_timestamp, TransferChecked},
    errors::AnchorError,
    events::{discriminator, EventData, AMM_EVENT_AUTHORITY},
    is_token_program,
    state::{self, is_token_account_of, token_amount},
    AMM_ID,
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
    if !vault_ata.is_writable() || !destination.is_writable() {
        return Err(AnchorError::ConstraintMut.into());
    }
    if !is_token_account_of(
        vault_ata,
        quote_token_program.address(),
        quote_mint.address(),
        vault_authority.address(),
    ) {
        return Err(AnchorError::ConstraintSeeds.into());
    }
    if *event_authority.address() != AMM_EVENT_AUTHORITY {
        return Err(AnchorError::ConstraintSeeds.into());
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
