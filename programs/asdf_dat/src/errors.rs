//! Program errors (Anchor custom codes, starting at 6000). The first five keep
//! the names the operations guide uses.

use anchor_lang::prelude::*;

#[error_code]
pub enum DatError {
    #[msg("DAT is paused")]
    DATNotActive,
    #[msg("not enough fees for this operation")]
    InsufficientFees,
    #[msg("cycle cooldown has not elapsed")]
    CycleTooSoon,
    #[msg("tokens out below the minimum")]
    SlippageExceeded,
    #[msg("root treasury missing or wrong")]
    InvalidRootTreasury,
    #[msg("signer is not allowed")]
    Unauthorized,
    #[msg("parameter out of bounds")]
    InvalidParameter,
    #[msg("arithmetic overflow")]
    MathOverflow,
    #[msg("fee split out of 1000..=9000 or change too large")]
    InvalidFeeSplit,
    #[msg("no pending fee split")]
    NoPendingFeeSplit,
    #[msg("fee split timelock has not elapsed")]
    TimelockNotElapsed,
    #[msg("no pending admin transfer")]
    NoPendingAdmin,
    #[msg("stale attribution watermark: the report's previous watermark is not the token's, or its new one does not advance")]
    StaleWatermark,
    #[msg("pending fees would exceed what the vaults hold")]
    OverAttribution,
    #[msg("mint does not match")]
    MintMismatch,
    #[msg("token program must be SPL Token or Token-2022 and own the mint")]
    InvalidTokenProgram,
    #[msg("token account is not the DAT's associated account")]
    InvalidTokenAccount,
    #[msg("pool account does not match the token's pool")]
    InvalidPool,
    #[msg("external account address mismatch")]
    InvalidExternalAccount,
    #[msg("only the program upgrade authority may initialize")]
    NotUpgradeAuthority,
    #[msg("token is not the root")]
    InvalidRootToken,
    #[msg("buy spent more than its budget")]
    BudgetExceeded,
    #[msg("wrong pool type for this instruction")]
    WrongPoolType,
    #[msg("the curve's or pool's creator is not the DAT authority")]
    ForeignCreator,
    #[msg("Token-2022 mint has a transfer fee")]
    MintTransferFee,
    #[msg("Token-2022 mint has a transfer hook")]
    MintTransferHook,
    #[msg("Token-2022 mint has a permanent delegate")]
    MintPermanentDelegate,
    #[msg("Token-2022 mint is non-transferable")]
    MintNonTransferable,
    #[msg("Token-2022 mint freezes new accounts by default")]
    MintDefaultFrozen,
    #[msg("a cycle transaction may hold only this program's and compute-budget instructions")]
    ForeignInstructionInCycle,
    #[msg("the mint's sharing config is not the fee program's PDA for it, or malformed")]
    SharingConfigInvalid,
    #[msg(
        "the sharing config's shareholders are not exactly the token's fee account at 10,000 bps"
    )]
    SharingConfigForeignShareholder,
    #[msg("the sharing config's admin is not revoked")]
    SharingConfigAdminLive,
    #[msg("fee account is not the token's")]
    InvalidFeeVault,
    #[msg("token is already in fee-sharing mode")]
    AlreadyFeeSharing,
    #[msg("fee-sharing tokens are not attributed by the keeper")]
    FeeSharingNotAttributed,
    #[msg("fee-sharing mode is not supported on this venue yet")]
    FeeSharingVenueUnsupported,
    #[msg("no fresh price reference from an earlier slot")]
    StalePriceReference,
}
