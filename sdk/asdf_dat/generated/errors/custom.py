import typing
from anchorpy.error import ProgramError


class DATNotActive(ProgramError):
    def __init__(self) -> None:
        super().__init__(6000, "DAT is paused")

    code = 6000
    name = "DATNotActive"
    msg = "DAT is paused"


class InsufficientFees(ProgramError):
    def __init__(self) -> None:
        super().__init__(6001, "not enough fees for this operation")

    code = 6001
    name = "InsufficientFees"
    msg = "not enough fees for this operation"


class CycleTooSoon(ProgramError):
    def __init__(self) -> None:
        super().__init__(6002, "cycle cooldown has not elapsed")

    code = 6002
    name = "CycleTooSoon"
    msg = "cycle cooldown has not elapsed"


class SlippageExceeded(ProgramError):
    def __init__(self) -> None:
        super().__init__(6003, "tokens out below the minimum")

    code = 6003
    name = "SlippageExceeded"
    msg = "tokens out below the minimum"


class InvalidRootTreasury(ProgramError):
    def __init__(self) -> None:
        super().__init__(6004, "root treasury missing or wrong")

    code = 6004
    name = "InvalidRootTreasury"
    msg = "root treasury missing or wrong"


class Unauthorized(ProgramError):
    def __init__(self) -> None:
        super().__init__(6005, "signer is not allowed")

    code = 6005
    name = "Unauthorized"
    msg = "signer is not allowed"


class InvalidParameter(ProgramError):
    def __init__(self) -> None:
        super().__init__(6006, "parameter out of bounds")

    code = 6006
    name = "InvalidParameter"
    msg = "parameter out of bounds"


class MathOverflow(ProgramError):
    def __init__(self) -> None:
        super().__init__(6007, "arithmetic overflow")

    code = 6007
    name = "MathOverflow"
    msg = "arithmetic overflow"


class InvalidFeeSplit(ProgramError):
    def __init__(self) -> None:
        super().__init__(6008, "fee split out of 1000..=9000 or change too large")

    code = 6008
    name = "InvalidFeeSplit"
    msg = "fee split out of 1000..=9000 or change too large"


class NoPendingFeeSplit(ProgramError):
    def __init__(self) -> None:
        super().__init__(6009, "no pending fee split")

    code = 6009
    name = "NoPendingFeeSplit"
    msg = "no pending fee split"


class TimelockNotElapsed(ProgramError):
    def __init__(self) -> None:
        super().__init__(6010, "fee split timelock has not elapsed")

    code = 6010
    name = "TimelockNotElapsed"
    msg = "fee split timelock has not elapsed"


class NoPendingAdmin(ProgramError):
    def __init__(self) -> None:
        super().__init__(6011, "no pending admin transfer")

    code = 6011
    name = "NoPendingAdmin"
    msg = "no pending admin transfer"


class StaleWatermark(ProgramError):
    def __init__(self) -> None:
        super().__init__(
            6012,
            "stale attribution watermark: the report's previous watermark is not the token's, or its new one does not advance",
        )

    code = 6012
    name = "StaleWatermark"
    msg = "stale attribution watermark: the report's previous watermark is not the token's, or its new one does not advance"


class OverAttribution(ProgramError):
    def __init__(self) -> None:
        super().__init__(6013, "pending fees would exceed what the vaults hold")

    code = 6013
    name = "OverAttribution"
    msg = "pending fees would exceed what the vaults hold"


class MintMismatch(ProgramError):
    def __init__(self) -> None:
        super().__init__(6014, "mint does not match")

    code = 6014
    name = "MintMismatch"
    msg = "mint does not match"


class InvalidTokenProgram(ProgramError):
    def __init__(self) -> None:
        super().__init__(
            6015, "token program must be SPL Token or Token-2022 and own the mint"
        )

    code = 6015
    name = "InvalidTokenProgram"
    msg = "token program must be SPL Token or Token-2022 and own the mint"


class InvalidTokenAccount(ProgramError):
    def __init__(self) -> None:
        super().__init__(6016, "token account is not the DAT's associated account")

    code = 6016
    name = "InvalidTokenAccount"
    msg = "token account is not the DAT's associated account"


class InvalidPool(ProgramError):
    def __init__(self) -> None:
        super().__init__(6017, "pool account does not match the token's pool")

    code = 6017
    name = "InvalidPool"
    msg = "pool account does not match the token's pool"


class InvalidExternalAccount(ProgramError):
    def __init__(self) -> None:
        super().__init__(6018, "external account address mismatch")

    code = 6018
    name = "InvalidExternalAccount"
    msg = "external account address mismatch"


class NotUpgradeAuthority(ProgramError):
    def __init__(self) -> None:
        super().__init__(6019, "only the program upgrade authority may initialize")

    code = 6019
    name = "NotUpgradeAuthority"
    msg = "only the program upgrade authority may initialize"


class InvalidRootToken(ProgramError):
    def __init__(self) -> None:
        super().__init__(6020, "token is not the root")

    code = 6020
    name = "InvalidRootToken"
    msg = "token is not the root"


class BudgetExceeded(ProgramError):
    def __init__(self) -> None:
        super().__init__(6021, "buy spent more than its budget")

    code = 6021
    name = "BudgetExceeded"
    msg = "buy spent more than its budget"


class WrongPoolType(ProgramError):
    def __init__(self) -> None:
        super().__init__(6022, "wrong pool type for this instruction")

    code = 6022
    name = "WrongPoolType"
    msg = "wrong pool type for this instruction"


class ForeignCreator(ProgramError):
    def __init__(self) -> None:
        super().__init__(6023, "the curve's or pool's creator is not the DAT authority")

    code = 6023
    name = "ForeignCreator"
    msg = "the curve's or pool's creator is not the DAT authority"


class MintTransferFee(ProgramError):
    def __init__(self) -> None:
        super().__init__(6024, "Token-2022 mint has a transfer fee")

    code = 6024
    name = "MintTransferFee"
    msg = "Token-2022 mint has a transfer fee"


class MintTransferHook(ProgramError):
    def __init__(self) -> None:
        super().__init__(6025, "Token-2022 mint has a transfer hook")

    code = 6025
    name = "MintTransferHook"
    msg = "Token-2022 mint has a transfer hook"


class MintPermanentDelegate(ProgramError):
    def __init__(self) -> None:
        super().__init__(6026, "Token-2022 mint has a permanent delegate")

    code = 6026
    name = "MintPermanentDelegate"
    msg = "Token-2022 mint has a permanent delegate"


class MintNonTransferable(ProgramError):
    def __init__(self) -> None:
        super().__init__(6027, "Token-2022 mint is non-transferable")

    code = 6027
    name = "MintNonTransferable"
    msg = "Token-2022 mint is non-transferable"


class MintDefaultFrozen(ProgramError):
    def __init__(self) -> None:
        super().__init__(6028, "Token-2022 mint freezes new accounts by default")

    code = 6028
    name = "MintDefaultFrozen"
    msg = "Token-2022 mint freezes new accounts by default"


class ForeignInstructionInCycle(ProgramError):
    def __init__(self) -> None:
        super().__init__(
            6029,
            "a cycle transaction may hold only this program's and compute-budget instructions",
        )

    code = 6029
    name = "ForeignInstructionInCycle"
    msg = "a cycle transaction may hold only this program's and compute-budget instructions"


class SharingConfigInvalid(ProgramError):
    def __init__(self) -> None:
        super().__init__(
            6030,
            "the mint's sharing config is not the fee program's PDA for it, or malformed",
        )

    code = 6030
    name = "SharingConfigInvalid"
    msg = "the mint's sharing config is not the fee program's PDA for it, or malformed"


class SharingConfigForeignShareholder(ProgramError):
    def __init__(self) -> None:
        super().__init__(
            6031,
            "the sharing config's shareholders are not exactly the token's fee account at 10,000 bps",
        )

    code = 6031
    name = "SharingConfigForeignShareholder"
    msg = "the sharing config's shareholders are not exactly the token's fee account at 10,000 bps"


class SharingConfigAdminLive(ProgramError):
    def __init__(self) -> None:
        super().__init__(6032, "the sharing config's admin is not revoked")

    code = 6032
    name = "SharingConfigAdminLive"
    msg = "the sharing config's admin is not revoked"


class InvalidFeeVault(ProgramError):
    def __init__(self) -> None:
        super().__init__(6033, "fee account is not the token's")

    code = 6033
    name = "InvalidFeeVault"
    msg = "fee account is not the token's"


class AlreadyFeeSharing(ProgramError):
    def __init__(self) -> None:
        super().__init__(6034, "token is already in fee-sharing mode")

    code = 6034
    name = "AlreadyFeeSharing"
    msg = "token is already in fee-sharing mode"


class FeeSharingNotAttributed(ProgramError):
    def __init__(self) -> None:
        super().__init__(6035, "fee-sharing tokens are not attributed by the keeper")

    code = 6035
    name = "FeeSharingNotAttributed"
    msg = "fee-sharing tokens are not attributed by the keeper"


class FeeSharingVenueUnsupported(ProgramError):
    def __init__(self) -> None:
        super().__init__(6036, "fee-sharing mode is not supported on this venue yet")

    code = 6036
    name = "FeeSharingVenueUnsupported"
    msg = "fee-sharing mode is not supported on this venue yet"


class StalePriceReference(ProgramError):
    def __init__(self) -> None:
        super().__init__(6037, "no fresh price reference from an earlier slot")

    code = 6037
    name = "StalePriceReference"
    msg = "no fresh price reference from an earlier slot"


CustomError = typing.Union[
    DATNotActive,
    InsufficientFees,
    CycleTooSoon,
    SlippageExceeded,
    InvalidRootTreasury,
    Unauthorized,
    InvalidParameter,
    MathOverflow,
    InvalidFeeSplit,
    NoPendingFeeSplit,
    TimelockNotElapsed,
    NoPendingAdmin,
    StaleWatermark,
    OverAttribution,
    MintMismatch,
    InvalidTokenProgram,
    InvalidTokenAccount,
    InvalidPool,
    InvalidExternalAccount,
    NotUpgradeAuthority,
    InvalidRootToken,
    BudgetExceeded,
    WrongPoolType,
    ForeignCreator,
    MintTransferFee,
    MintTransferHook,
    MintPermanentDelegate,
    MintNonTransferable,
    MintDefaultFrozen,
    ForeignInstructionInCycle,
    SharingConfigInvalid,
    SharingConfigForeignShareholder,
    SharingConfigAdminLive,
    InvalidFeeVault,
    AlreadyFeeSharing,
    FeeSharingNotAttributed,
    FeeSharingVenueUnsupported,
    StalePriceReference,
]
CUSTOM_ERROR_MAP: dict[int, CustomError] = {
    6000: DATNotActive(),
    6001: InsufficientFees(),
    6002: CycleTooSoon(),
    6003: SlippageExceeded(),
    6004: InvalidRootTreasury(),
    6005: Unauthorized(),
    6006: InvalidParameter(),
    6007: MathOverflow(),
    6008: InvalidFeeSplit(),
    6009: NoPendingFeeSplit(),
    6010: TimelockNotElapsed(),
    6011: NoPendingAdmin(),
    6012: StaleWatermark(),
    6013: OverAttribution(),
    6014: MintMismatch(),
    6015: InvalidTokenProgram(),
    6016: InvalidTokenAccount(),
    6017: InvalidPool(),
    6018: InvalidExternalAccount(),
    6019: NotUpgradeAuthority(),
    6020: InvalidRootToken(),
    6021: BudgetExceeded(),
    6022: WrongPoolType(),
    6023: ForeignCreator(),
    6024: MintTransferFee(),
    6025: MintTransferHook(),
    6026: MintPermanentDelegate(),
    6027: MintNonTransferable(),
    6028: MintDefaultFrozen(),
    6029: ForeignInstructionInCycle(),
    6030: SharingConfigInvalid(),
    6031: SharingConfigForeignShareholder(),
    6032: SharingConfigAdminLive(),
    6033: InvalidFeeVault(),
    6034: AlreadyFeeSharing(),
    6035: FeeSharingNotAttributed(),
    6036: FeeSharingVenueUnsupported(),
    6037: StalePriceReference(),
}


def from_code(code: int) -> typing.Optional[CustomError]:
    maybe_err = CUSTOM_ERROR_MAP.get(code)
    if maybe_err is None:
        return None
    return maybe_err
