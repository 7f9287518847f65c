//! pump creator fee sharing: the typed view of a mint's `SharingConfig` (fee
//! program, `["sharing-config", mint]`) and the one check every fee-sharing
//! path runs: the config is the mint's, active, its admin revoked, and its only
//! shareholder is the token's own fee account at 10,000 bps. Then every lamport
//! of the coin's creator fees can only reach that token's fee account.

use anchor_lang::prelude::*;
use pinocchio::cpi::{Seed, Signer as CpiSigner};

use crate::constants::*;
use crate::errors::DatError;
use crate::pump_accounts::with_head;
pub use crate::pump_accounts::SharingConfigHead;
use crate::state::TokenStats;

/// `SharingConfig` discriminator (official pump_fees IDL).
pub const SHARING_CONFIG_DISC: [u8; 8] = [216, 74, 9, 0, 56, 140, 93, 75];
pub const CREATE_FEE_SHARING_CONFIG_DISC: [u8; 8] = [195, 78, 86, 76, 111, 52, 251, 213];
pub const UPDATE_FEE_SHARES_V2_DISC: [u8; 8] = [111, 251, 49, 6, 78, 78, 106, 18];
/// pump `distribute_creator_fees_v2` and PumpSwap `transfer_creator_fees_to_pump_v2`:
/// permissionless, they only move creator fees towards the shareholders, so a cycle
/// transaction may carry them before the cycle (the sweep).
pub const DISTRIBUTE_CREATOR_FEES_V2_DISC: [u8; 8] = [255, 203, 19, 79, 244, 68, 8, 159];
pub const TRANSFER_CREATOR_FEES_TO_PUMP_V2_DISC: [u8; 8] = [1, 33, 78, 185, 33, 67, 44, 92];
pub const CONFIG_STATUS_ACTIVE: u8 = 1;
pub const FULL_SHARE_BPS: u16 = 10_000;

/// What is wrong with a config's content, if anything (pure, unit-tested).
pub fn check_sole_shareholder(
    head: &SharingConfigHead,
    mint: &Address,
    fee_vault: &Address,
) -> core::result::Result<(), DatError> {
    if head.discriminator != SHARING_CONFIG_DISC
        || head.status != CONFIG_STATUS_ACTIVE
        || head.mint[..] != *mint.as_ref()
    {
        return Err(DatError::SharingConfigInvalid);
    }
    if u32::from_le_bytes(head.shareholders_len) != 1
        || head.first_address[..] != *fee_vault.as_ref()
        || u16::from_le_bytes(head.first_share_bps) != FULL_SHARE_BPS
    {
        return Err(DatError::SharingConfigForeignShareholder);
    }
    if head.admin_revoked == 0 {
        return Err(DatError::SharingConfigAdminLive);
    }
    Ok(())
}

/// Verifies `config` is the fee program's sharing config of `mint` at the
/// expected address and pays only `fee_vault`.
#[inline(never)]
pub fn require_sole_shareholder(
    config: &AccountView,
    expected_address: &Address,
    mint: &Address,
    fee_vault: &Address,
) -> Result<()> {
    require!(
        config.address() == expected_address && config.owned_by(&PUMP_FEE_PROGRAM_ID),
        DatError::SharingConfigInvalid
    );
    with_head(config, |head: &SharingConfigHead| {
        check_sole_shareholder(head, mint, fee_vault)
    })
    .unwrap_or(Err(DatError::SharingConfigInvalid))
    .map_err(Into::into)
}

/// A fee-sharing token's cycle source: its fee account and sharing config
/// (both verified against the stats), and the venue's shared creator vault of
/// the DAT authority (pump's, or PumpSwap's WSOL one: for the pool invariant,
/// since the cycle's own creator vault is the config's).
pub struct FeeSharingSource<'a> {
    pub fee_vault: &'a AccountView,
    pub sharing_config: &'a AccountView,
    pub shared_vault: &'a AccountView,
}

/// Lamports waiting in a fee account (above its rent floor).
#[inline(always)]
pub fn fee_vault_lamports(fee_vault: &AccountView) -> u64 {
    fee_vault.lamports().saturating_sub(RENT_EXEMPT_ZERO_DATA)
}

/// Checks the source accounts of a fee-sharing token; returns what its fee
/// account holds for it.
#[inline(never)]
pub fn check_source(
    stats: &TokenStats,
    shared_vault: &Address,
    src: &FeeSharingSource,
) -> Result<u64> {
    require!(
        *src.fee_vault.address() == stats.fee_vault && src.fee_vault.is_writable(),
        DatError::InvalidFeeVault
    );
    require!(
        src.shared_vault.address() == shared_vault,
        DatError::InvalidExternalAccount
    );
    require_sole_shareholder(
        src.sharing_config,
        &stats.sharing_config,
        &stats.mint,
        &stats.fee_vault,
    )?;
    Ok(fee_vault_lamports(src.fee_vault))
}

/// Moves `amount` from the token's fee account into the authority (signed by the fee account PDA).
/// A CPI on purpose: an account of this program debited by lamport arithmetic here would make
/// the cycle's next CPI that carries the authority (an unwrap or wrap, the buy) fail with
/// `UnbalancedInstruction`: at each CPI the runtime takes the caller's changes only from the
/// accounts passed to that CPI, then checks the lamport sum over all the caller's accounts, and
/// the fee account is in none of them. (Measured: a program-owned fee account debited here.)
#[inline(never)]
pub fn sweep_fee_vault(
    stats: &TokenStats,
    fee_vault: &AccountView,
    authority: &AccountView,
    amount: u64,
) -> Result<()> {
    if amount == 0 {
        return Ok(());
    }
    let bump = [stats.fee_vault_bump];
    let seeds = [
        Seed::from(FEE_VAULT_SEED),
        Seed::from(stats.mint.as_ref()),
        Seed::from(&bump[..]),
    ];
    pinocchio_system::instructions::Transfer {
        from: fee_vault,
        to: authority,
        lamports: amount,
    }
    .invoke_signed(&[CpiSigner::from(&seeds[..])])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(mint: &Address, holder: &Address) -> SharingConfigHead {
        SharingConfigHead {
            discriminator: SHARING_CONFIG_DISC,
            bump: 255,
            version: 2,
            status: 1,
            mint: mint.to_bytes(),
            admin: [0; 32],
            admin_revoked: 1,
            shareholders_len: 1u32.to_le_bytes(),
            first_address: holder.to_bytes(),
            first_share_bps: 10_000u16.to_le_bytes(),
        }
    }

    #[test]
    fn sole_shareholder_rules() {
        let mint = Address::new_from_array([1; 32]);
        let vault = Address::new_from_array([2; 32]);
        let other = Address::new_from_array([3; 32]);
        assert!(check_sole_shareholder(&head(&mint, &vault), &mint, &vault).is_ok());
        assert!(matches!(
            check_sole_shareholder(&head(&mint, &other), &mint, &vault),
            Err(DatError::SharingConfigForeignShareholder)
        ));
        assert!(matches!(
            check_sole_shareholder(&head(&other, &vault), &mint, &vault),
            Err(DatError::SharingConfigInvalid)
        ));
        let mut h = head(&mint, &vault);
        h.admin_revoked = 0;
        assert!(matches!(
            check_sole_shareholder(&h, &mint, &vault),
            Err(DatError::SharingConfigAdminLive)
        ));
        let mut h = head(&mint, &vault);
        h.shareholders_len = 2u32.to_le_bytes();
        assert!(matches!(
            check_sole_shareholder(&h, &mint, &vault),
            Err(DatError::SharingConfigForeignShareholder)
        ));
        let mut h = head(&mint, &vault);
        h.first_share_bps = 9_999u16.to_le_bytes();
        assert!(matches!(
            check_sole_shareholder(&h, &mint, &vault),
            Err(DatError::SharingConfigForeignShareholder)
        ));
        let mut h = head(&mint, &vault);
        h.status = 0;
        assert!(matches!(
            check_sole_shareholder(&h, &mint, &vault),
            Err(DatError::SharingConfigInvalid)
        ));
        let mut h = head(&mint, &vault);
        h.discriminator[0] ^= 1;
        assert!(matches!(
            check_sole_shareholder(&h, &mint, &vault),
            Err(DatError::SharingConfigInvalid)
        ));
    }
}
