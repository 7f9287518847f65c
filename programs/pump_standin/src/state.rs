//! Account layouts at the exact offsets of pump.md §3.1 / §4.1 (offsets include the 8-byte
//! Anchor discriminator), plus the SPL Token mint / account fields we read.

use pinocchio::Address;

// ---- pump bonding curve -------------------------------------------------------------

pub mod global {
    pub const DISCRIMINATOR: [u8; 8] = [167, 232, 232, 177, 200, 108, 114, 127];
    pub const FEE_RECIPIENT: usize = 41;
    pub const INITIAL_VIRTUAL_TOKEN_RESERVES: usize = 73;
    pub const INITIAL_VIRTUAL_SOL_RESERVES: usize = 81;
    pub const INITIAL_REAL_TOKEN_RESERVES: usize = 89;
    pub const TOKEN_TOTAL_SUPPLY: usize = 97;
    pub const FEE_BASIS_POINTS: usize = 105;
    pub const CREATOR_FEE_BASIS_POINTS: usize = 154;
    pub const FEE_RECIPIENTS: usize = 162;
    pub const FEE_RECIPIENTS_LEN: usize = 7;
    pub const ADMIN_SET_CREATOR_AUTHORITY: usize = 418;
    /// End of `whitelisted_quote_mints`, the last field of the current IDL.
    pub const LEN: usize = 1045;
    /// Shortest account we accept: through `fee_recipients`.
    pub const MIN_LEN: usize = FEE_RECIPIENTS + 32 * FEE_RECIPIENTS_LEN;
}

pub mod bonding_curve {
    pub const DISCRIMINATOR: [u8; 8] = [23, 183, 248, 55, 96, 216, 172, 96];
    pub const VIRTUAL_TOKEN_RESERVES: usize = 8;
    pub const VIRTUAL_SOL_RESERVES: usize = 16;
    pub const REAL_TOKEN_RESERVES: usize = 24;
    pub const REAL_SOL_RESERVES: usize = 32;
    pub const TOKEN_TOTAL_SUPPLY: usize = 40;
    pub const COMPLETE: usize = 48;
    pub const CREATOR: usize = 49;
    pub const IS_MAYHEM_MODE: usize = 81;
    pub const IS_CASHBACK_COIN: usize = 82;
    pub const QUOTE_MINT: usize = 83;
    /// Size new curves are allocated with (SDK `BONDING_CURVE_NEW_SIZE`).
    pub const LEN: usize = 151;
    /// Shortest account we accept: through `creator` (May 2025 curves); later fields read as 0.
    pub const MIN_LEN: usize = CREATOR + 32;
}

// ---- PumpSwap AMM ----------------------------------------------------------------------

pub mod global_config {
    pub const DISCRIMINATOR: [u8; 8] = [149, 8, 156, 202, 160, 252, 176, 217];
    pub const LP_FEE_BASIS_POINTS: usize = 40;
    pub const PROTOCOL_FEE_BASIS_POINTS: usize = 48;
    pub const DISABLE_FLAGS: usize = 56;
    pub const PROTOCOL_FEE_RECIPIENTS: usize = 57;
    pub const PROTOCOL_FEE_RECIPIENTS_LEN: usize = 8;
    pub const COIN_CREATOR_FEE_BASIS_POINTS: usize = 313;
    /// Through `buyback_basis_points`, the last field of the current IDL.
    pub const LEN: usize = 907;
    pub const MIN_LEN: usize = COIN_CREATOR_FEE_BASIS_POINTS + 8;
}

pub mod pool {
    pub const DISCRIMINATOR: [u8; 8] = [241, 154, 109, 4, 17, 177, 109, 188];
    pub const POOL_BUMP: usize = 8;
    pub const INDEX: usize = 9;
    pub const CREATOR: usize = 11;
    pub const BASE_MINT: usize = 43;
    pub const QUOTE_MINT: usize = 75;
    pub const LP_MINT: usize = 107;
    pub const POOL_BASE_TOKEN_ACCOUNT: usize = 139;
    pub const POOL_QUOTE_TOKEN_ACCOUNT: usize = 171;
    pub const LP_SUPPLY: usize = 203;
    pub const COIN_CREATOR: usize = 211;
    pub const IS_MAYHEM_MODE: usize = 243;
    pub const IS_CASHBACK_COIN: usize = 244;
    /// Pools are allocated at 300 bytes.
    pub const LEN: usize = 300;
    pub const MIN_LEN: usize = COIN_CREATOR + 32;
}

// ---- fee program ---------------------------------------------------------------------

/// `SharingConfig` (IDL layout): bump u8, version u8, status `ConfigStatus` (u8: Paused 0,
/// Active 1), mint, admin, admin_revoked bool, shareholders `Vec<{address, share_bps u16}>`.
pub mod sharing_config {
    pub const DISCRIMINATOR: [u8; 8] = [216, 74, 9, 0, 56, 140, 93, 75];
    pub const BUMP: usize = 8;
    pub const VERSION: usize = 9;
    pub const STATUS: usize = 10;
    pub const MINT: usize = 11;
    pub const ADMIN: usize = 43;
    pub const ADMIN_REVOKED: usize = 75;
    /// borsh `u32` length, then `SHAREHOLDER_SIZE` bytes per shareholder.
    pub const SHAREHOLDERS: usize = 76;
    pub const SHAREHOLDER_SIZE: usize = 34;
    pub const MAX_SHAREHOLDERS: usize = 10;
    /// `SharingConfig::MAX_SIZE`: what `create_fee_sharing_config` allocates.
    pub const LEN: usize = 1024;
    pub const MIN_LEN: usize = SHAREHOLDERS + 4;
    pub const STATUS_ACTIVE: u8 = 1;
    /// Configs made by the V2 deployment (`update_fee_shares_v2` refuses version 1).
    pub const VERSION_V2: u8 = 2;
    pub const FULL_SHARE_BPS: u16 = 10_000;

    /// The borsh bytes of `shareholders` (length prefix included) and their count.
    #[inline(always)]
    pub fn shareholders(data: &[u8]) -> Option<(usize, &[u8])> {
        let mut len = [0u8; 4];
        len.copy_from_slice(data.get(SHAREHOLDERS..SHAREHOLDERS + 4)?);
        let count = u32::from_le_bytes(len) as usize;
        if count > MAX_SHAREHOLDERS {
            return None;
        }
        let end = SHAREHOLDERS + 4 + count * SHAREHOLDER_SIZE;
        Some((count, data.get(SHAREHOLDERS..end)?))
    }
}

// ---- SPL Token (both programs share the base layouts) ---------------------------------

pub mod mint {
    pub const DECIMALS: usize = 44;
    pub const LEN: usize = 82;
}

pub mod token_account {
    pub const MINT: usize = 0;
    pub const OWNER: usize = 32;
    pub const AMOUNT: usize = 64;
    pub const LEN: usize = 165;
}

/// Token amount of a token account (0 if it is not one).
#[inline(always)]
pub fn token_amount(account: &pinocchio::AccountView) -> u64 {
    if account.data_len() < token_account::LEN {
        return 0;
    }
    // SAFETY: read-only look at a token account; no mutable borrow is live.
    read_u64(unsafe { account.borrow_unchecked() }, token_account::AMOUNT)
}

/// Rent-exempt minimum of a `space`-byte account at the default rent
/// (`(space + 128) * 3480 * 2`), what LiteSVM and mainnet charge.
#[inline(always)]
pub const fn rent_exempt(space: usize) -> u64 {
    ((space as u64) + 128) * 6960
}

// ---- readers ---------------------------------------------------------------------------

#[inline(always)]
pub fn read_u64(data: &[u8], offset: usize) -> u64 {
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&data[offset..offset + 8]);
    u64::from_le_bytes(bytes)
}

#[inline(always)]
pub fn write_u64(data: &mut [u8], offset: usize, value: u64) {
    data[offset..offset + 8].copy_from_slice(&value.to_le_bytes());
}

#[inline(always)]
pub fn read_address(data: &[u8], offset: usize) -> Address {
    let mut bytes = [0u8; 32];
    bytes.copy_from_slice(&data[offset..offset + 32]);
    Address::new_from_array(bytes)
}

/// `data[offset..offset+32] == address`.
#[inline(always)]
pub fn address_at(data: &[u8], offset: usize, address: &Address) -> bool {
    data[offset..offset + 32] == *address.as_array()
}

/// A field that older (shorter) accounts may lack reads as zero.
#[inline(always)]
pub fn read_u8_or_zero(data: &[u8], offset: usize) -> u8 {
    if offset < data.len() {
        data[offset]
    } else {
        0
    }
}

/// An address that older (shorter) accounts may lack reads as the default address.
#[inline(always)]
pub fn read_address_or_default(data: &[u8], offset: usize) -> Address {
    if offset + 32 <= data.len() {
        read_address(data, offset)
    } else {
        Address::new_from_array([0; 32])
    }
}

/// Is `list` (count addresses from `offset`) holding `address`?
#[inline(always)]
pub fn list_contains(data: &[u8], offset: usize, count: usize, address: &Address) -> bool {
    let mut i = 0;
    while i < count {
        if address_at(data, offset + 32 * i, address) {
            return true;
        }
        i += 1;
    }
    false
}
