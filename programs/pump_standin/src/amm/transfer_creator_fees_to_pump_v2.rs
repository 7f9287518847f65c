//! `transfer_creator_fees_to_pump_v2()`: permissionless. For a coin whose `coin_creator`
//! is a fee-sharing config, moves the WSOL in the AMM coin-creator vault ATA into pump's
//! `["creator-vault", coin_creator]` as lamports, for `distribute_creator_fees_v2`. The
//! unwrap is close-and-recreate: the ATA is closed to its authority (WSOL amount + rent),
//! the amount goes on to pump's vault, and the rent pays for the recreated, empty ATA.
//! The payer tops pump's vault up to rent-exemption first, as buys do.

use pinocchio::{
    cpi::{Seed, Signer},
    AccountView, ProgramResult,
};
use pinocchio_system::instructions::Transfer;

use super::COIN_CREATOR_VAULT_SEED;
use crate::{
    bonding_curve::{check_discriminator, CREATOR_VAULT_SEED},
    cpi::{
        find_bump, is_associated_token_address, is_canonical_pda, CloseAccount,
        CreateAssociatedTokenAccount,
    },
    errors::{AmmError, AnchorError},
    events::AMM_EVENT_AUTHORITY,
    is_token_program,
    state::{self, sharing_config as sc, token_amount},
    AMM_ID, ASSOCIATED_TOKEN_PROGRAM_ID, FEE_PROGRAM_ID, PUMP_ID, RENT_EXEMPT_ZERO,
    SYSTEM_PROGRAM_ID, WSOL_MINT,
};

pub const DISCRIMINATOR: [u8; 8] = [1, 33, 78, 185, 33, 67, 44, 92];

pub fn process(accounts: &mut [AccountView]) -> ProgramResult {
    let [payer, quote_mint, token_program, system_program, associated_token_program, coin_creator, vault_authority, vault_ata, pump_creator_vault, pump_creator_vault_ata, event_authority, _program, ..] =
        accounts
    else {
        return Err(AnchorError::AccountNotEnoughKeys.into());
    };
    // -- deserialization --
    if !payer.is_signer() {
        return Err(AnchorError::AccountNotSigner.into());
    }
    if !is_token_program(quote_mint.owner()) {
        return Err(AnchorError::AccountOwnedByWrongProgram.into());
    }
    if !is_token_program(token_program.address())
        || *system_program.address() != SYSTEM_PROGRAM_ID
        || *associated_token_program.address() != ASSOCIATED_TOKEN_PROGRAM_ID
    {
        return Err(AnchorError::InvalidProgramId.into());
    }
    // -- constraints, in account order --
    if !payer.is_writable()
        || !vault_authority.is_writable()
        || !vault_ata.is_writable()
        || !pump_creator_vault.is_writable()
        || !pump_creator_vault_ata.is_writable()
    {
        return Err(AnchorError::ConstraintMut.into());
    }
    if !quote_mint.owned_by(token_program.address()) {
        return Err(AnchorError::ConstraintMintTokenProgram.into());
    }
    let authority_bump = find_bump(
        &[COIN_CREATOR_VAULT_SEED, coin_creator.address().as_ref()],
        &AMM_ID,
        vault_authority.address(),
    )
    .ok_or(AnchorError::ConstraintSeeds)?;
    if !is_associated_token_address(
        vault_ata.address(),
        vault_authority.address(),
        token_program.address(),
        quote_mint.address(),
    ) || !is_canonical_pda(
        &[CREATOR_VAULT_SEED, coin_creator.address().as_ref()],
        &PUMP_ID,
        pump_creator_vault.address(),
    ) || !is_associated_token_address(
        pump_creator_vault_ata.address(),
        pump_creator_vault.address(),
        token_program.address(),
        quote_mint.address(),
    ) || *event_authority.address() != AMM_EVENT_AUTHORITY
    {
        return Err(AnchorError::ConstraintSeeds.into());
    }
    // -- handler --
    let is_sharing_config = coin_creator.owned_by(&FEE_PROGRAM_ID)
        && check_discriminator(
            // SAFETY: read-only look at the fee program's account.
            unsafe { coin_creator.borrow_unchecked() },
            &sc::DISCRIMINATOR,
            sc::MIN_LEN,
        )
        .is_ok();
    if !is_sharing_config {
        return Err(AmmError::InvalidSharingConfigCoinCreator.into());
    }
    if *quote_mint.address() != WSOL_MINT {
        return Err(AmmError::InvalidQuoteMint.into());
    }
    if !vault_ata.owned_by(token_program.address())
        || vault_ata.data_len() < state::token_account::LEN
    {
        return Err(AnchorError::AccountOwnedByWrongProgram.into());
    }
    let amount = token_amount(vault_ata);
    if amount == 0 {
        return Ok(());
    }

    let bump = [authority_bump];
    let seeds = [
        Seed::from(COIN_CREATOR_VAULT_SEED),
        Seed::from(coin_creator.address().as_ref()),
        Seed::from(&bump),
    ];
    CloseAccount {
        token_program,
        account: vault_ata,
        destination: vault_authority,
        owner: vault_authority,
    }
    .invoke_signed(&[Signer::from(&seeds)])?;
    let vault_lamports = pump_creator_vault.lamports();
    if vault_lamports < RENT_EXEMPT_ZERO {
        Transfer {
            from: payer,
            to: pump_creator_vault,
            lamports: RENT_EXEMPT_ZERO - vault_lamports,
        }
        .invoke()?;
    }
    Transfer {
        from: vault_authority,
        to: pump_creator_vault,
        lamports: amount,
    }
    .invoke_signed(&[Signer::from(&seeds)])?;
    CreateAssociatedTokenAccount {
        payer: vault_authority,
        account: vault_ata,
        wallet: vault_authority,
        mint: quote_mint,
        system_program,
        token_program,
    }
    .invoke_signed(&[Signer::from(&seeds)])
}
