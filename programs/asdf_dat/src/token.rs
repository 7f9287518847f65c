//! SPL Token / Token-2022 helpers: explicit account checks and the few token
//! CPIs the program needs (burn_checked, sync_native, ATA create-idempotent).

use anchor_lang::prelude::*;
use pinocchio::cpi::Seed;

use crate::constants::*;
use crate::errors::DatError;
use crate::pump_cpi::{invoke_signed_raw, RawCpi, RO, S, W, WS};

pub const TOKEN_ACCOUNT_LEN: usize = 165;
pub const MINT_LEN: usize = 82;
const BURN_CHECKED: u8 = 15;
const SYNC_NATIVE: u8 = 17;
const ATA_CREATE_IDEMPOTENT: u8 = 1;
const TRANSFER_CHECKED: u8 = 12;
const CLOSE_ACCOUNT: u8 = 9;
const INITIALIZE_ACCOUNT3: u8 = 18;
const WSOL_DECIMALS: u8 = 9;

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
    let data = unsafe { view.borrow_unchecked() };
    // is_initialized byte 45.
    if data.len() < MINT_LEN || data[45] != 1 {
        return Err(DatError::MintMismatch.into());
    }
    Ok((data[44], read_u64(data, 36)))
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
/// the authority: a scratch WSOL account (PDA, rent advanced by `payer`) is
/// created, receives `amount`, and is closed into the authority, which then
/// refunds the rent to `payer`.
pub struct UnwrapWsol<'a> {
    pub payer: &'a AccountView,
    pub authority: &'a AccountView,
    pub authority_wsol_ata: &'a AccountView,
    pub scratch: &'a AccountView,
    pub wsol_mint: &'a AccountView,
    pub token_program: &'a AccountView,
    pub authority_seeds: &'a [Seed<'a>],
    pub scratch_seeds: &'a [Seed<'a>],
    pub amount: u64,
}

#[inline(never)]
pub fn unwrap_wsol(u: &UnwrapWsol) -> Result<()> {
    let rent = anchor_lang::cpi::rent_exempt_lamports(TOKEN_ACCOUNT_LEN)?;
    pinocchio_system::instructions::CreateAccount {
        from: u.payer,
        to: u.scratch,
        lamports: rent,
        space: TOKEN_ACCOUNT_LEN as u64,
        owner: &SPL_TOKEN_PROGRAM_ID,
    }
    .invoke_signed(&[pinocchio::cpi::Signer::from(u.scratch_seeds)])?;

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

    let mut xfer = [0u8; 10];
    xfer[0] = TRANSFER_CHECKED;
    xfer[1..9].copy_from_slice(&u.amount.to_le_bytes());
    xfer[9] = WSOL_DECIMALS;
    let accounts = [
        *u.authority_wsol_ata,
        *u.wsol_mint,
        *u.scratch,
        *u.authority,
    ];
    invoke_signed_raw(
        &RawCpi {
            program_id: &SPL_TOKEN_PROGRAM_ID,
            data: &xfer,
            accounts: &accounts,
            flags: &[W, RO, W, S],
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

    pinocchio_system::instructions::Transfer {
        from: u.authority,
        to: u.payer,
        lamports: rent,
    }
    .invoke_signed(&[pinocchio::cpi::Signer::from(u.authority_seeds)])?;
    let _ = u.token_program;
    Ok(())
}
