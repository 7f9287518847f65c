//! SPL Token / Token-2022 helpers: explicit account checks and the few token
//! CPIs the program needs (burn_checked, sync_native, ATA create-idempotent).

use anchor_lang::prelude::*;
use pinocchio::cpi::Seed;

use crate::constants::*;
use crate::errors::DatError;
use crate::pump_cpi::{invoke_signed_raw, RawCpi, RO, S, W, WS};
use crate::state::{create_pda, CreatePda};

pub const TOKEN_ACCOUNT_LEN: usize = 165;
pub const MINT_LEN: usize = 82;
const BURN_CHECKED: u8 = 15;
const SYNC_NATIVE: u8 = 17;
const ATA_CREATE_IDEMPOTENT: u8 = 1;
const TRANSFER: u8 = 3;
const CLOSE_ACCOUNT: u8 = 9;
const INITIALIZE_ACCOUNT3: u8 = 18;

#[inline(always)]
pub fn is_token_program(id: &Address) -> bool {
    *id == SPL_TOKEN_PROGRAM_ID || *id == TOKEN_2022_PROGRAM_ID
}

#[inline(always)]
fn read_u64(data: &[u8], offset: usize) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&data[offset..offset + 8]);
    u64::from_le_bytes(b)
}

/// Fields of an initialized token account, after checking its owner program.
pub struct TokenAccountInfo {
    pub mint: Address,
    pub owner: Address,
    pub amount: u64,
}

/// Reads a token account owned by `token_program` (SPL or Token-2022).
#[inline(always)]
pub fn read_token_account(view: &AccountView, token_program: &Address) -> Result<TokenAccountInfo> {
    if !view.owned_by(token_program) || !is_token_program(token_program) {
        return Err(DatError::InvalidTokenAccount.into());
    }
    // SAFETY: no mutable borrow of this account is alive (we only hold views).
    let data = unsafe { view.borrow_unchecked() };
    // state byte 108: 1 = initialized, 2 = frozen.
    if data.len() < TOKEN_ACCOUNT_LEN || data[108] != 1 {
        return Err(DatError::InvalidTokenAccount.into());
    }
    let mut mint = [0u8; 32];
    mint.copy_from_slice(&data[0..32]);
    let mut owner = [0u8; 32];
    owner.copy_from_slice(&data[32..64]);
    Ok(TokenAccountInfo {
        mint: Address::new_from_array(mint),
        owner: Address::new_from_array(owner),
        amount: read_u64(data, 64),
    })
}

/// Token amount of an account already known to be a token account of `token_program`.
#[inline(always)]
pub fn token_amount(view: &AccountView) -> u64 {
    // SAFETY: callers validated the account; no mutable borrow is alive.
    let data = unsafe { view.borrow_unchecked() };
    if data.len() < 72 {
        return 0;
    }
    read_u64(data, 64)
}

/// `(decimals, supply)` of a mint owned by `token_program`.
#[inline(always)]
pub fn read_mint(view: &AccountView, token_program: &Address) -> Result<(u8, u64)> {
    if !is_token_program(token_program) || !view.owned_by(token_program) {
        return Err(DatError::InvalidTokenProgram.into());
    }
    // SAFETY: the mint (owner checked above) is only read; no mutable borrow of it is alive.
    let data = unsafe { view.borrow_unchecked() };
    // is_initialized byte 45.
    if data.len() < MINT_LEN || data[45] != 1 {
        return Err(DatError::MintMismatch.into());
    }
    Ok((data[44], read_u64(data, 36)))
}

// Token-2022 extension types (spl-token-2022 `ExtensionType`) that break or divert a buy-and-burn.
const EXT_TRANSFER_FEE_CONFIG: u16 = 1;
const EXT_DEFAULT_ACCOUNT_STATE: u16 = 6;
const EXT_NON_TRANSFERABLE: u16 = 9;
const EXT_PERMANENT_DELEGATE: u16 = 12;
const EXT_TRANSFER_HOOK: u16 = 14;
/// Account-type byte of an extended Token-2022 account (after the 165-byte base).
const ACCOUNT_TYPE_OFFSET: usize = TOKEN_ACCOUNT_LEN;
const ACCOUNT_TYPE_MINT: u8 = 1;
/// `AccountState::Frozen` as the DefaultAccountState extension stores it.
const ACCOUNT_STATE_FROZEN: u8 = 2;

/// Refuses a Token-2022 mint whose extensions would tax, hook, claw back,
/// lock or freeze what the DAT buys (it could not burn it, or the buy would
/// feed someone else). A mint without extensions (82 bytes) passes.
#[inline(never)]
pub fn check_mint_extensions(view: &AccountView) -> Result<()> {
    // SAFETY: no mutable borrow of the mint is alive (read-only here).
    let data = unsafe { view.borrow_unchecked() };
    if data.len() <= MINT_LEN {
        return Ok(());
    }
    require!(
        data.len() > ACCOUNT_TYPE_OFFSET && data[ACCOUNT_TYPE_OFFSET] == ACCOUNT_TYPE_MINT,
        DatError::MintMismatch
    );
    let mut at = ACCOUNT_TYPE_OFFSET + 1;
    while at + 4 <= data.len() {
        let kind = u16::from_le_bytes([data[at], data[at + 1]]);
        let len = u16::from_le_bytes([data[at + 2], data[at + 3]]) as usize;
        let value = at + 4;
        if kind == 0 && len == 0 {
            break; // uninitialized tail
        }
        require!(value + len <= data.len(), DatError::MintMismatch);
        match kind {
            EXT_TRANSFER_FEE_CONFIG => return Err(DatError::MintTransferFee.into()),
            EXT_TRANSFER_HOOK => return Err(DatError::MintTransferHook.into()),
            EXT_PERMANENT_DELEGATE => return Err(DatError::MintPermanentDelegate.into()),
            EXT_NON_TRANSFERABLE => return Err(DatError::MintNonTransferable.into()),
            EXT_DEFAULT_ACCOUNT_STATE if len >= 1 && data[value] == ACCOUNT_STATE_FROZEN => {
                return Err(DatError::MintDefaultFrozen.into())
            }
            _ => {}
        }
        at = value + len;
    }
    Ok(())
}

/// Accounts of a `burn_checked` by a PDA owner.
pub struct BurnChecked<'a> {
    pub token_program: &'a AccountView,
    pub account: &'a AccountView,
    pub mint: &'a AccountView,
    pub owner: &'a AccountView,
    pub amount: u64,
    pub decimals: u8,
}

#[inline(always)]
pub fn burn_checked(b: &BurnChecked, seeds: &[Seed]) -> Result<()> {
    let mut data = [0u8; 10];
    data[0] = BURN_CHECKED;
    data[1..9].copy_from_slice(&b.amount.to_le_bytes());
    data[9] = b.decimals;
    let accounts = [*b.account, *b.mint, *b.owner];
    invoke_signed_raw(
        &RawCpi {
            program_id: b.token_program.address(),
            data: &data,
            accounts: &accounts,
            flags: &[W, W, S],
        },
        seeds,
    )
}

/// SPL Token `sync_native` on a WSOL account.
#[inline(always)]
pub fn sync_native(token_program: &AccountView, account: &AccountView) -> Result<()> {
    let accounts = [*account];
    invoke_signed_raw(
        &RawCpi {
            program_id: token_program.address(),
            data: &[SYNC_NATIVE],
            accounts: &accounts,
            flags: &[W],
        },
        &[],
    )
}

/// Accounts of an ATA `CreateIdempotent`.
pub struct CreateAta<'a> {
    pub ata_program: &'a AccountView,
    pub payer: &'a AccountView,
    pub ata: &'a AccountView,
    pub owner: &'a AccountView,
    pub mint: &'a AccountView,
    pub system_program: &'a AccountView,
    pub token_program: &'a AccountView,
}

#[inline(never)]
pub fn create_ata_idempotent(c: &CreateAta) -> Result<()> {
    let accounts = [
        *c.payer,
        *c.ata,
        *c.owner,
        *c.mint,
        *c.system_program,
        *c.token_program,
    ];
    invoke_signed_raw(
        &RawCpi {
            program_id: c.ata_program.address(),
            data: &[ATA_CREATE_IDEMPOTENT],
            accounts: &accounts,
            flags: &[WS, W, RO, RO, RO, RO],
        },
        &[],
    )
}

/// ATA address of `(owner, token_program, mint)` (cold path only).
#[inline(never)]
pub fn derive_ata(owner: &Address, token_program: &Address, mint: &Address) -> Address {
    find_program_address(
        &[owner.as_ref(), token_program.as_ref(), mint.as_ref()],
        &ASSOCIATED_TOKEN_PROGRAM_ID,
    )
    .0
}

/// Accounts to turn `amount` of the authority's WSOL into native lamports of
/// the authority: a scratch WSOL account (PDA) is created, receives `amount`,
/// and is closed into the authority. Its rent comes from the authority when
/// it holds that much above its own rent (it returns with the close: one CPI
/// and one trace entry fewer); otherwise `payer` advances it (through
/// `create_pda`: a pre-funded scratch address cannot block it) and the
/// authority refunds exactly what `payer` advanced (a donation stays with the
/// authority).
pub struct UnwrapWsol<'a> {
    pub payer: &'a AccountView,
    pub authority: &'a AccountView,
    pub authority_wsol_ata: &'a AccountView,
    pub scratch: &'a AccountView,
    pub wsol_mint: &'a AccountView,
    pub authority_seeds: &'a [Seed<'a>],
    pub scratch_seeds: &'a [Seed<'a>],
    pub amount: u64,
}

#[inline(never)]
pub fn unwrap_wsol(u: &UnwrapWsol) -> Result<()> {
    let rent = anchor_lang::cpi::rent_exempt_lamports(TOKEN_ACCOUNT_LEN)?;
    let advanced = if u.scratch.lamports() == 0
        && u.authority.lamports().saturating_sub(RENT_EXEMPT_ZERO_DATA) >= rent
    {
        pinocchio_system::instructions::CreateAccount {
            from: u.authority,
            to: u.scratch,
            lamports: rent,
            space: TOKEN_ACCOUNT_LEN as u64,
            owner: &SPL_TOKEN_PROGRAM_ID,
        }
        .invoke_signed(&[
            pinocchio::cpi::Signer::from(u.authority_seeds),
            pinocchio::cpi::Signer::from(u.scratch_seeds),
        ])?;
        0
    } else {
        create_pda(&CreatePda {
            payer: u.payer,
            target: u.scratch,
            seeds: u.scratch_seeds,
            space: TOKEN_ACCOUNT_LEN,
            owner: &SPL_TOKEN_PROGRAM_ID,
            discriminator: &[],
        })?
    };

    let mut init = [0u8; 33];
    init[0] = INITIALIZE_ACCOUNT3;
    init[1..].copy_from_slice(u.authority.address().as_ref());
    let accounts = [*u.scratch, *u.wsol_mint];
    invoke_signed_raw(
        &RawCpi {
            program_id: &SPL_TOKEN_PROGRAM_ID,
            data: &init,
            accounts: &accounts,
            flags: &[W, RO],
        },
        &[],
    )?;

    // Plain `Transfer` (SPL Token, WSOL's program): the mint and decimals are fixed, and it
    // costs the token program ~1.5k CU less than `TransferChecked`.
    let mut xfer = [0u8; 9];
    xfer[0] = TRANSFER;
    xfer[1..9].copy_from_slice(&u.amount.to_le_bytes());
    let accounts = [*u.authority_wsol_ata, *u.scratch, *u.authority];
    invoke_signed_raw(
        &RawCpi {
            program_id: &SPL_TOKEN_PROGRAM_ID,
            data: &xfer,
            accounts: &accounts,
            flags: &[W, W, S],
        },
        u.authority_seeds,
    )?;

    let accounts = [*u.scratch, *u.authority, *u.authority];
    invoke_signed_raw(
        &RawCpi {
            program_id: &SPL_TOKEN_PROGRAM_ID,
            data: &[CLOSE_ACCOUNT],
            accounts: &accounts,
            flags: &[W, W, S],
        },
        u.authority_seeds,
    )?;

    if advanced > 0 {
        pinocchio_system::instructions::Transfer {
            from: u.authority,
            to: u.payer,
            lamports: advanced,
        }
        .invoke_signed(&[pinocchio::cpi::Signer::from(u.authority_seeds)])?;
    }
    Ok(())
}
