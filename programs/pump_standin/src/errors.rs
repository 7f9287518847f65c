//! Error codes, as the real (Anchor) programs return them: `Custom(code)`.

use pinocchio::error::ProgramError;

/// Anchor framework errors (anchor-lang 0.30 numbering) that the real programs raise
/// while validating accounts and instruction data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum AnchorError {
    InstructionMissing = 100,
    InstructionFallbackNotFound = 101,
    InstructionDidNotDeserialize = 102,
    ConstraintMut = 2000,
    ConstraintHasOne = 2001,
    ConstraintSigner = 2002,
    ConstraintSeeds = 2006,
    ConstraintAddress = 2012,
    ConstraintTokenMint = 2014,
    ConstraintTokenOwner = 2015,
    ConstraintMintTokenProgram = 2022,
    AccountDiscriminatorNotFound = 3001,
    AccountDiscriminatorMismatch = 3002,
    AccountDidNotDeserialize = 3003,
    AccountNotEnoughKeys = 3005,
    AccountOwnedByWrongProgram = 3007,
    InvalidProgramId = 3008,
    AccountNotSigner = 3010,
}

/// pump bonding-curve program errors (IDL `errors`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum PumpError {
    NotAuthorized = 6000,
    TooMuchSolRequired = 6002,
    TooLittleSolReceived = 6003,
    BondingCurveComplete = 6005,
    BondingCurveNotComplete = 6006,
    BuyZeroAmount = 6020,
    CreatorShouldNotBeZero = 6030,
    SellZeroAmount = 6022,
    Overflow = 6024,
    BuyNotEnoughSolToCoverFees = 6041,
    BuySlippageBelowMinTokensOut = 6042,
    NameTooLong = 6043,
    SymbolTooLong = 6044,
    UriTooLong = 6045,
    CreateV2Disabled = 6046,
    MayhemModeDisabled = 6048,
    CreatorMigratedToSharingConfig = 6049,
    UnableToDistributeCreatorVaultMigratedToSharingConfig = 6050,
    SharingConfigNotActive = 6051,
    UnableToDistributeCreatorFeesToExecutableRecipient = 6052,
    BondingCurveAndSharingConfigCreatorMismatch = 6053,
    ShareholdersAndRemainingAccountsMismatch = 6054,
    UnsupportedQuoteMint = 6063,
}

/// PumpSwap AMM errors (IDL `errors`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum AmmError {
    ZeroBaseAmount = 6001,
    ZeroQuoteAmount = 6002,
    TooLittlePoolTokenLiquidity = 6003,
    ExceededSlippage = 6004,
    InvalidBaseMint = 6008,
    InvalidQuoteMint = 6009,
    InvalidProtocolFeeRecipient = 6013,
    InvalidPoolBaseTokenAccount = 6014,
    InvalidPoolQuoteTokenAccount = 6015,
    BuyMoreBaseAmountThanPoolReserves = 6016,
    Overflow = 6023,
    OnlyCanonicalPumpPoolsCanHaveCoinCreator = 6028,
    MayhemModeDisabled = 6041,
    InvalidSharingConfigBaseMint = 6045,
    InvalidSharingConfigCoinCreator = 6046,
    CoinCreatorMigratedToSharingConfig = 6047,
    CreatorVaultMigratedToSharingConfig = 6048,
}

/// Fee program errors (pump_fees IDL `errors`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum FeeError {
    InvalidAdmin = 6001,
    InvalidSharingConfig = 6007,
    InvalidPool = 6008,
    SharingConfigAdminRevoked = 6009,
    NoShareholders = 6010,
    TooManyShareholders = 6011,
    DuplicateShareholder = 6012,
    NotEnoughRemainingAccounts = 6013,
    InvalidShareTotal = 6014,
    NotAuthorized = 6016,
    ZeroShareNotAllowed = 6017,
    SharingConfigNotActive = 6018,
    AmmAccountsRequiredForGraduatedCoin = 6019,
    ShareholderAccountMismatch = 6020,
}

impl From<FeeError> for ProgramError {
    #[inline(always)]
    fn from(e: FeeError) -> Self {
        ProgramError::Custom(e as u32)
    }
}

impl From<AnchorError> for ProgramError {
    #[inline(always)]
    fn from(e: AnchorError) -> Self {
        ProgramError::Custom(e as u32)
    }
}

impl From<PumpError> for ProgramError {
    #[inline(always)]
    fn from(e: PumpError) -> Self {
        ProgramError::Custom(e as u32)
    }
}

impl From<AmmError> for ProgramError {
    #[inline(always)]
    fn from(e: AmmError) -> Self {
        ProgramError::Custom(e as u32)
    }
}
