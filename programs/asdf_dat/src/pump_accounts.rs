//! pump's accounts as this program reads them: typed `#[repr(C)]` heads at
//! the offsets of `reference/pump.md` §3.1 (bonding curve, Global), §4.1
//! (PumpSwap Pool, GlobalConfig) and the fee program's `SharingConfig`, all
//! read through one function, `with_head`, the only unsafe read of a foreign
//! account's data. Each head covers the prefix we use (its size is the
//! shortest account accepted); later fields are not read. Owner and address
//! checks stay with the callers, which know the error to return.

use anchor_lang::prelude::*;

use crate::constants::*;
use crate::errors::DatError;
use crate::token::read_token_account;

/// A little-endian u64 as stored by borsh (alignment 1).
#[repr(transparent)]
#[derive(Clone, Copy)]
pub struct Le64([u8; 8]);

impl Le64 {
    #[inline(always)]
    pub fn get(self) -> u64 {
        u64::from_le_bytes(self.0)
    }
}

/// A head of a foreign account that may be read from raw account bytes.
///
/// # Safety
/// Implementors are `#[repr(C)]` structs of byte arrays, `u8`, `Le64` and
/// `Address` only: alignment 1, no padding, every bit pattern valid.
pub unsafe trait ForeignHead: Copy {}

/// Runs `read` on the head `T` of `view`'s data; `None` when the account is
/// shorter. The head is borrowed in place (no copy); the borrow cannot leave
/// `read`, which only reads fields (no CPI runs while it is alive).
#[inline(always)]
pub fn with_head<T: ForeignHead, R>(view: &AccountView, read: impl FnOnce(&T) -> R) -> Option<R> {
    // SAFETY: a read-only view of an account this program never writes (pump's, PumpSwap's or
    // the fee program's); the borrow ends with this call, and `read` runs no CPI, so nothing
    // writes the data while it is alive.
    let data = unsafe { view.borrow_unchecked() };
    if data.len() < core::mem::size_of::<T>() {
        return None;
    }
    // SAFETY: `data` holds at least `size_of::<T>()` bytes (checked above); `ForeignHead`
    // guarantees alignment 1 and that any bytes are a valid `T`.
    Some(read(unsafe { &*(data.as_ptr() as *const T) }))
}

/// pump `BondingCurve` through `creator` (pump.md §3.1; curves since May 2025 are at least this long).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct BondingCurveHead {
    pub discriminator: [u8; 8],
    pub virtual_token_reserves: Le64,
    pub virtual_sol_reserves: Le64,
    pub real_token_reserves: Le64,
    pub real_sol_reserves: Le64,
    pub token_total_supply: Le64,
    pub complete: u8,
    pub creator: Address,
}

/// pump `Global` through `creator_fee_basis_points` (pump.md §3.1).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct GlobalHead {
    pub discriminator: [u8; 8],
    pub initialized: u8,
    pub authority: Address,
    pub fee_recipient: Address,
    pub initial_virtual_token_reserves: Le64,
    pub initial_virtual_sol_reserves: Le64,
    pub initial_real_token_reserves: Le64,
    pub token_total_supply: Le64,
    pub fee_basis_points: Le64,
    pub withdraw_authority: Address,
    pub enable_migrate: u8,
    pub pool_migration_fee: Le64,
    pub creator_fee_basis_points: Le64,
}

/// PumpSwap `Pool` through `coin_creator` (pump.md §4.1).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct PoolHead {
    pub discriminator: [u8; 8],
    pub pool_bump: u8,
    pub index: [u8; 2],
    pub creator: Address,
    pub base_mint: Address,
    pub quote_mint: Address,
    pub lp_mint: Address,
    pub pool_base_token_account: Address,
    pub pool_quote_token_account: Address,
    pub lp_supply: Le64,
    pub coin_creator: Address,
}

/// PumpSwap `GlobalConfig` through `coin_creator_fee_basis_points` (pump.md §4.1).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct GlobalConfigHead {
    pub discriminator: [u8; 8],
    pub admin: Address,
    pub lp_fee_basis_points: Le64,
    pub protocol_fee_basis_points: Le64,
    pub disable_flags: u8,
    pub protocol_fee_recipients: [Address; 8],
    pub coin_creator_fee_basis_points: Le64,
}

/// The head of a fee-program `SharingConfig` with its first shareholder
/// (borsh, IDL field order): disc, bump, version, status, mint, admin,
/// admin_revoked, `Vec<Shareholder{address, share_bps}>` length and first entry.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct SharingConfigHead {
    pub discriminator: [u8; 8],
    pub bump: u8,
    pub version: u8,
    pub status: u8,
    pub mint: [u8; 32],
    pub admin: [u8; 32],
    pub admin_revoked: u8,
    pub shareholders_len: [u8; 4],
    pub first_address: [u8; 32],
    pub first_share_bps: [u8; 2],
}

// SAFETY: each is `repr(C)` of u8, byte arrays, `Le64` and `Address` (`[u8; 32]`) only; the
// asserts below pin their sizes to pump.md's offsets and their alignment to 1.
unsafe impl ForeignHead for BondingCurveHead {}
// SAFETY: as above.
unsafe impl ForeignHead for GlobalHead {}
// SAFETY: as above.
unsafe impl ForeignHead for PoolHead {}
// SAFETY: as above.
unsafe impl ForeignHead for GlobalConfigHead {}
// SAFETY: as above.
unsafe impl ForeignHead for SharingConfigHead {}

const _: () = assert!(core::mem::size_of::<BondingCurveHead>() == 81);
const _: () = assert!(core::mem::align_of::<BondingCurveHead>() == 1);
const _: () = assert!(core::mem::size_of::<GlobalHead>() == 162);
const _: () = assert!(core::mem::align_of::<GlobalHead>() == 1);
const _: () = assert!(core::mem::size_of::<PoolHead>() == 243);
const _: () = assert!(core::mem::align_of::<PoolHead>() == 1);
const _: () = assert!(core::mem::size_of::<GlobalConfigHead>() == 321);
const _: () = assert!(core::mem::align_of::<GlobalConfigHead>() == 1);
const _: () = assert!(core::mem::size_of::<SharingConfigHead>() == 114);
// The fields the program reads sit at pump.md's offsets.
const _: () = {
    use core::mem::offset_of;
    assert!(offset_of!(BondingCurveHead, virtual_token_reserves) == 8);
    assert!(offset_of!(BondingCurveHead, virtual_sol_reserves) == 16);
    assert!(offset_of!(BondingCurveHead, real_token_reserves) == 24);
    assert!(offset_of!(BondingCurveHead, complete) == 48);
    assert!(offset_of!(BondingCurveHead, creator) == 49);
    assert!(offset_of!(GlobalHead, fee_basis_points) == 105);
    assert!(offset_of!(GlobalHead, creator_fee_basis_points) == 154);
    assert!(offset_of!(PoolHead, base_mint) == 43);
    assert!(offset_of!(PoolHead, quote_mint) == 75);
    assert!(offset_of!(PoolHead, pool_base_token_account) == 139);
    assert!(offset_of!(PoolHead, pool_quote_token_account) == 171);
    assert!(offset_of!(PoolHead, coin_creator) == 211);
    assert!(offset_of!(GlobalConfigHead, lp_fee_basis_points) == 40);
    assert!(offset_of!(GlobalConfigHead, protocol_fee_basis_points) == 48);
    assert!(offset_of!(GlobalConfigHead, coin_creator_fee_basis_points) == 313);
    assert!(offset_of!(SharingConfigHead, admin_revoked) == 75);
    assert!(offset_of!(SharingConfigHead, shareholders_len) == 76);
};
const _: () = assert!(core::mem::align_of::<SharingConfigHead>() == 1);

/// The curve's virtual reserves as (SOL side, token side); `InvalidPool` when
/// the account is shorter than a curve.
#[inline(always)]
pub fn curve_reserves(curve: &AccountView) -> Result<(u64, u64)> {
    with_head(curve, |c: &BondingCurveHead| {
        (c.virtual_sol_reserves.get(), c.virtual_token_reserves.get())
    })
    .ok_or(DatError::InvalidPool.into())
}

/// The base and quote vault balances of a PumpSwap pool, after checking that
/// the pool is PumpSwap's, pairs `mint` with WSOL, and that these are its
/// recorded vaults (the base one of `base_token_program`).
pub struct PoolVaults<'a> {
    pub pool: &'a AccountView,
    pub base_vault: &'a AccountView,
    pub quote_vault: &'a AccountView,
}

/// What `pool_reserves` read: the pool's `coin_creator` and its reserves.
pub struct PoolReserves {
    pub coin_creator: Address,
    pub base: u64,
    pub quote: u64,
}

#[inline(never)]
pub fn pool_reserves(
    v: &PoolVaults,
    mint: &Address,
    base_token_program: &Address,
) -> Result<PoolReserves> {
    require!(v.pool.owned_by(&PUMP_AMM_PROGRAM_ID), DatError::InvalidPool);
    let coin_creator = with_head(v.pool, |p: &PoolHead| {
        (p.base_mint == *mint
            && p.quote_mint == WSOL_MINT
            && p.pool_base_token_account == *v.base_vault.address()
            && p.pool_quote_token_account == *v.quote_vault.address())
        .then_some(p.coin_creator)
    })
    .flatten()
    .ok_or(DatError::InvalidPool)?;
    let base = read_token_account(v.base_vault, base_token_program)?;
    let quote = read_token_account(v.quote_vault, &SPL_TOKEN_PROGRAM_ID)?;
    require!(
        base.mint == *mint && quote.mint == WSOL_MINT,
        DatError::InvalidPool
    );
    Ok(PoolReserves {
        coin_creator,
        base: base.amount,
        quote: quote.amount,
    })
}
