//! PumpSwap AMM: `buy`, `sell`, `collect_coin_creator_fee`, `migrate_pool_coin_creator`,
//! `transfer_creator_fees_to_pump_v2` and the event self-CPI.

pub mod buy;
pub mod collect_coin_creator_fee;
pub mod create_pool;
pub mod migrate_pool_coin_creator;
pub mod sell;
pub mod transfer_creator_fees_to_pump_v2;

use pinocchio::{error::ProgramError, AccountView, Address, ProgramResult};

use crate::{
    bonding_curve::{check_discriminator, check_fee_accounts, USER_VOLUME_ACCUMULATOR_SEED},
    cpi::{find_bump, is_associated_token_address, is_canonical_pda, CreateAssociatedTokenAccount},
    errors::{AmmError, AnchorError},
    events::{handle_event_instruction, AMM_EVENT_AUTHORITY, EVENT_IX_TAG},
    is_token_program,
    math::{PoolFees, PoolReserves},
    state::{self, global_config as gc, pool, read_u64, token_amount},
    AMM_ID, ASSOCIATED_TOKEN_PROGRAM_ID, SYSTEM_PROGRAM_ID,
};

pub const POOL_SEED: &[u8] = b"pool";
pub const COIN_CREATOR_VAULT_SEED: &[u8] = b"creator_vault";
/// PumpSwap `["global_volume_accumulator"]`.
pub const GLOBAL_VOLUME_ACCUMULATOR: Address =
    Address::from_str_const("C2aFPdENg4A2HQsmrd5rTw5TaYBX5Ku887cWjbFKtZpw");
/// Fee program `["fee_config", AMM_ID]`.
pub const FEE_CONFIG: Address =
    Address::from_str_const("5PHirr8joyTMp9JMm6nW7hNDVyEYdkzDqazxPD7RaTjx");

pub fn dispatch(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    if data.len() < 8 {
        return Err(AnchorError::InstructionMissing.into());
    }
    let (head, args) = data.split_at(8);
    let mut disc = [0u8; 8];
    disc.copy_from_slice(head);
    match disc {
        buy::DISCRIMINATOR => buy::process(accounts, args),
        sell::DISCRIMINATOR => sell::process(accounts, args),
        collect_coin_creator_fee::DISCRIMINATOR => collect_coin_creator_fee::process(accounts),
        create_pool::DISCRIMINATOR => create_pool::process(accounts, args),
        migrate_pool_coin_creator::DISCRIMINATOR => migrate_pool_coin_creator::process(accounts),
        transfer_creator_fees_to_pump_v2::DISCRIMINATOR => {
            transfer_creator_fees_to_pump_v2::process(accounts)
        }
        EVENT_IX_TAG => handle_event_instruction(accounts, &AMM_EVENT_AUTHORITY),
        _ => Err(AnchorError::InstructionFallbackNotFound.into()),
    }
}

/// Accounts 0-18, common to `buy` and `sell`.
pub(crate) struct PoolAccounts {
    pub pool: AccountView,
    pub user: AccountView,
    pub global_config: AccountView,
    pub base_mint: AccountView,
    pub quote_mint: AccountView,
    pub user_base_token_account: AccountView,
    pub user_quote_token_account: AccountView,
    pub pool_base_token_account: AccountView,
    pub pool_quote_token_account: AccountView,
    pub protocol_fee_recipient: AccountView,
    pub protocol_fee_recipient_token_account: AccountView,
    pub base_token_program: AccountView,
    pub quote_token_program: AccountView,
    pub system_program: AccountView,
    pub associated_token_program: AccountView,
    pub event_authority: AccountView,
    pub program: AccountView,
    pub coin_creator_vault_ata: AccountView,
    pub coin_creator_vault_authority: AccountView,
    /// Buys only: `global_volume_accumulator`, `user_volume_accumulator`.
    pub volume_accumulators: Option<(AccountView, AccountView)>,
    pub fee_config: AccountView,
    pub fee_program: AccountView,
}

impl PoolAccounts {
    /// The IDL's accounts: 19 common ones, then (buy) the volume accumulators, then
    /// `fee_config` and `fee_program`; `required` is the IDL count (23 buy, 21 sell).
    #[inline(always)]
    pub(crate) fn from_slice(
        accounts: &[AccountView],
        required: usize,
    ) -> Result<Self, ProgramError> {
        if accounts.len() < required {
            return Err(AnchorError::AccountNotEnoughKeys.into());
        }
        let [pool, user, global_config, base_mint, quote_mint, user_base_token_account, user_quote_token_account, pool_base_token_account, pool_quote_token_account, protocol_fee_recipient, protocol_fee_recipient_token_account, base_token_program, quote_token_program, system_program, associated_token_program, event_authority, program, coin_creator_vault_ata, coin_creator_vault_authority, ..] =
            accounts
        else {
            return Err(AnchorError::AccountNotEnoughKeys.into());
        };
        let volume_accumulators = if required == 23 {
            Some((accounts[19], accounts[20]))
        } else {
            None
        };
        Ok(PoolAccounts {
            pool: *pool,
            user: *user,
            global_config: *global_config,
            base_mint: *base_mint,
            quote_mint: *quote_mint,
            user_base_token_account: *user_base_token_account,
            user_quote_token_account: *user_quote_token_account,
            pool_base_token_account: *pool_base_token_account,
            pool_quote_token_account: *pool_quote_token_account,
            protocol_fee_recipient: *protocol_fee_recipient,
            protocol_fee_recipient_token_account: *protocol_fee_recipient_token_account,
            base_token_program: *base_token_program,
            quote_token_program: *quote_token_program,
            system_program: *system_program,
            associated_token_program: *associated_token_program,
            event_authority: *event_authority,
            program: *program,
            coin_creator_vault_ata: *coin_creator_vault_ata,
            coin_creator_vault_authority: *coin_creator_vault_authority,
            volume_accumulators,
            fee_config: accounts[required - 2],
            fee_program: accounts[required - 1],
        })
    }
}

/// What a validated pool trade needs.
pub(crate) struct PoolContext {
    pub reserves: PoolReserves,
    pub fees: PoolFees,
    pub coin_creator: Address,
    pub pool_creator: Address,
    pub index: [u8; 2],
    pub pool_bump: u8,
    pub base_decimals: u8,
    pub quote_decimals: u8,
}

#[inline(always)]
fn writable(account: &AccountView) -> Result<(), ProgramError> {
    if account.is_writable() {
        Ok(())
    } else {
        Err(AnchorError::ConstraintMut.into())
    }
}

#[inline(always)]
fn token_account(account: &AccountView) -> Result<(), ProgramError> {
    if !is_token_program(account.owner()) {
        return Err(AnchorError::AccountOwnedByWrongProgram.into());
    }
    if account.data_len() < state::token_account::LEN {
        return Err(AnchorError::AccountDidNotDeserialize.into());
    }
    Ok(())
}

#[inline(always)]
fn mint_decimals(account: &AccountView) -> Result<u8, ProgramError> {
    if !is_token_program(account.owner()) {
        return Err(AnchorError::AccountOwnedByWrongProgram.into());
    }
    if account.data_len() < state::mint::LEN {
        return Err(AnchorError::AccountDidNotDeserialize.into());
    }
    // SAFETY: mints are only read.
    Ok(unsafe { account.borrow_unchecked() }[state::mint::DECIMALS])
}

/// Validates accounts 0-18 in Anchor's order and reads pool, config and reserves. Creates
/// the coin-creator vault ATA (user pays) when it does not exist yet.
#[inline(never)]
pub(crate) fn load(a: &PoolAccounts) -> Result<PoolContext, ProgramError> {
    // -- deserialization --
    if !a.pool.owned_by(&AMM_ID) {
        return Err(AnchorError::AccountOwnedByWrongProgram.into());
    }
    // SAFETY: the pool is only read by this program.
    let p = unsafe { a.pool.borrow_unchecked() };
    check_discriminator(p, &pool::DISCRIMINATOR, pool::MIN_LEN)?;
    if !a.user.is_signer() {
        return Err(AnchorError::AccountNotSigner.into());
    }
    if !a.global_config.owned_by(&AMM_ID) {
        return Err(AnchorError::AccountOwnedByWrongProgram.into());
    }
    // SAFETY: the config is only read.
    let g = unsafe { a.global_config.borrow_unchecked() };
    check_discriminator(g, &gc::DISCRIMINATOR, gc::MIN_LEN)?;
    let base_decimals = mint_decimals(&a.base_mint)?;
    let quote_decimals = mint_decimals(&a.quote_mint)?;
    token_account(&a.user_base_token_account)?;
    token_account(&a.user_quote_token_account)?;
    token_account(&a.pool_base_token_account)?;
    token_account(&a.pool_quote_token_account)?;
    if !is_token_program(a.base_token_program.address())
        || !is_token_program(a.quote_token_program.address())
        || *a.system_program.address() != SYSTEM_PROGRAM_ID
        || *a.associated_token_program.address() != ASSOCIATED_TOKEN_PROGRAM_ID
    {
        return Err(AnchorError::InvalidProgramId.into());
    }
    if *a.program.address() != AMM_ID {
        return Err(AnchorError::ConstraintAddress.into());
    }

    // -- constraints, in account order --
    writable(&a.pool)?;
    writable(&a.user)?;
    if !state::address_at(p, pool::BASE_MINT, a.base_mint.address()) {
        return Err(AmmError::InvalidBaseMint.into());
    }
    if !a.base_mint.owned_by(a.base_token_program.address()) {
        return Err(AnchorError::ConstraintMintTokenProgram.into());
    }
    if !state::address_at(p, pool::QUOTE_MINT, a.quote_mint.address()) {
        return Err(AmmError::InvalidQuoteMint.into());
    }
    if !a.quote_mint.owned_by(a.quote_token_program.address()) {
        return Err(AnchorError::ConstraintMintTokenProgram.into());
    }
    writable(&a.user_base_token_account)?;
    writable(&a.user_quote_token_account)?;
    writable(&a.pool_base_token_account)?;
    if !state::address_at(
        p,
        pool::POOL_BASE_TOKEN_ACCOUNT,
        a.pool_base_token_account.address(),
    ) {
        return Err(AmmError::InvalidPoolBaseTokenAccount.into());
    }
    writable(&a.pool_quote_token_account)?;
    if !state::address_at(
        p,
        pool::POOL_QUOTE_TOKEN_ACCOUNT,
        a.pool_quote_token_account.address(),
    ) {
        return Err(AmmError::InvalidPoolQuoteTokenAccount.into());
    }
    writable(&a.protocol_fee_recipient_token_account)?;
    if !is_associated_token_address(
        a.protocol_fee_recipient_token_account.address(),
        a.protocol_fee_recipient.address(),
        a.quote_token_program.address(),
        a.quote_mint.address(),
    ) {
        return Err(AnchorError::ConstraintSeeds.into());
    }
    if *a.event_authority.address() != AMM_EVENT_AUTHORITY {
        return Err(AnchorError::ConstraintSeeds.into());
    }
    let coin_creator = state::read_address(p, pool::COIN_CREATOR);
    writable(&a.coin_creator_vault_ata)?;
    if !is_associated_token_address(
        a.coin_creator_vault_ata.address(),
        a.coin_creator_vault_authority.address(),
        a.quote_token_program.address(),
        a.quote_mint.address(),
    ) {
        return Err(AnchorError::ConstraintSeeds.into());
    }
    find_bump(
        &[COIN_CREATOR_VAULT_SEED, coin_creator.as_ref()],
        &AMM_ID,
        a.coin_creator_vault_authority.address(),
    )
    .ok_or(AnchorError::ConstraintSeeds)?;
    if let Some((global_volume, user_volume)) = &a.volume_accumulators {
        if *global_volume.address() != GLOBAL_VOLUME_ACCUMULATOR {
            return Err(AnchorError::ConstraintSeeds.into());
        }
        writable(user_volume)?;
        if !is_canonical_pda(
            &[USER_VOLUME_ACCUMULATOR_SEED, a.user.address().as_ref()],
            &AMM_ID,
            user_volume.address(),
        ) {
            return Err(AnchorError::ConstraintSeeds.into());
        }
    }
    check_fee_accounts(&a.fee_config, &a.fee_program, &FEE_CONFIG)?;
    let vault_ata = &a.coin_creator_vault_ata;
    if vault_ata.data_len() == 0 && vault_ata.owned_by(&SYSTEM_PROGRAM_ID) {
        CreateAssociatedTokenAccount {
            payer: &a.user,
            account: vault_ata,
            wallet: &a.coin_creator_vault_authority,
            mint: &a.quote_mint,
            system_program: &a.system_program,
            token_program: &a.quote_token_program,
        }
        .invoke()?;
    }
    if !vault_ata.owned_by(a.quote_token_program.address()) {
        return Err(AnchorError::AccountOwnedByWrongProgram.into());
    }

    // -- handler checks --
    if !state::list_contains(
        g,
        gc::PROTOCOL_FEE_RECIPIENTS,
        gc::PROTOCOL_FEE_RECIPIENTS_LEN,
        a.protocol_fee_recipient.address(),
    ) {
        return Err(AmmError::InvalidProtocolFeeRecipient.into());
    }
    let has_creator = coin_creator != Address::new_from_array([0; 32]);
    Ok(PoolContext {
        reserves: PoolReserves {
            base: token_amount(&a.pool_base_token_account),
            quote: token_amount(&a.pool_quote_token_account),
        },
        fees: PoolFees {
            lp_bps: read_u64(g, gc::LP_FEE_BASIS_POINTS),
            protocol_bps: read_u64(g, gc::PROTOCOL_FEE_BASIS_POINTS),
            creator_bps: if has_creator {
                read_u64(g, gc::COIN_CREATOR_FEE_BASIS_POINTS)
            } else {
                0
            },
        },
        coin_creator,
        pool_creator: state::read_address(p, pool::CREATOR),
        index: [p[pool::INDEX], p[pool::INDEX + 1]],
        pool_bump: p[pool::POOL_BUMP],
        base_decimals,
        quote_decimals,
    })
}
