"""Program errors as named Python exceptions.

`decode_error(err, logs)` turns a failed transaction (or simulation) into an exception:

* `DatProgramError` subclasses, one per error of the program (`CycleTooSoon`, `DATNotActive`,
  ...), with the program's message; their codes and messages come from the generated client
  (`asdf_dat.generated.errors.custom`, checked by tests);
* `AnchorFrameworkError` for Anchor's own errors raised by our program (constraint checks...);
* `ExternalProgramError` when another program failed (pump, PumpSwap, SPL Token...): its
  custom codes overlap ours, so the logs decide which program failed;
* `TransactionError` for anything else (insufficient funds for fees, blockhash...).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, ClassVar

from solders.pubkey import Pubkey
from solders.transaction_status import TransactionErrorType

from asdf_dat.generated.errors import anchor as anchor_errors
from asdf_dat.generated.errors import custom
from asdf_dat.network.results import custom_error_code, instruction_error
from asdf_dat.programs import ASDF_DAT_PROGRAM_ID


class TransactionError(Exception):
    """A transaction failed. `err` is the runtime's error, `logs` the program logs."""

    def __init__(
        self,
        message: str,
        *,
        err: TransactionErrorType | None = None,
        logs: Sequence[str] = (),
        instruction_index: int | None = None,
    ) -> None:
        super().__init__(message)
        self.err = err
        self.logs = tuple(logs)
        self.instruction_index = instruction_index


class ExternalProgramError(TransactionError):
    """Another program (pump, PumpSwap, a token program...) failed with `code`."""

    def __init__(
        self,
        program_id: Pubkey,
        code: int | None,
        detail: str,
        *,
        err: TransactionErrorType | None = None,
        logs: Sequence[str] = (),
        instruction_index: int | None = None,
    ) -> None:
        super().__init__(
            f"program {program_id} failed: {detail}", err=err, logs=logs, instruction_index=instruction_index
        )
        self.program_id = program_id
        self.code = code


class DatProgramError(TransactionError):
    """An error raised by the asdf_dat program. Subclasses carry `code`, `name` and `msg`, taken
    from the generated error class they also derive from."""

    code: ClassVar[int] = -1
    name: ClassVar[str] = "DatProgramError"
    msg: ClassVar[str] = ""

    def __init_subclass__(cls, generated: type[custom.CustomError] | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if generated is not None:  # code, name and message of the generated error class
            cls.code, cls.name, cls.msg = generated.code, generated.name, generated.msg

    def __init__(
        self,
        message: str | None = None,
        *,
        err: TransactionErrorType | None = None,
        logs: Sequence[str] = (),
        instruction_index: int | None = None,
    ) -> None:
        super().__init__(
            message or f"{self.name} ({self.code}): {self.msg}",
            err=err,
            logs=logs,
            instruction_index=instruction_index,
        )


class AnchorFrameworkError(TransactionError):
    """One of Anchor's errors (codes below 6000) raised by the asdf_dat program."""

    def __init__(
        self,
        code: int,
        name: str,
        msg: str,
        *,
        err: TransactionErrorType | None = None,
        logs: Sequence[str] = (),
        instruction_index: int | None = None,
    ) -> None:
        super().__init__(f"{name} ({code}): {msg}", err=err, logs=logs, instruction_index=instruction_index)
        self.code = code
        self.name = name
        self.msg = msg


# One exception per program error, made from the generated one (`asdf_dat.generated.errors.custom`):
# code, name and message come from there; `DatProgramError` adds the transaction's error and logs.


class DATNotActive(DatProgramError, generated=custom.DATNotActive):
    pass


class InsufficientFees(DatProgramError, generated=custom.InsufficientFees):
    pass


class CycleTooSoon(DatProgramError, generated=custom.CycleTooSoon):
    pass


class SlippageExceeded(DatProgramError, generated=custom.SlippageExceeded):
    pass


class InvalidRootTreasury(DatProgramError, generated=custom.InvalidRootTreasury):
    pass


class Unauthorized(DatProgramError, generated=custom.Unauthorized):
    pass


class InvalidParameter(DatProgramError, generated=custom.InvalidParameter):
    pass


class MathOverflow(DatProgramError, generated=custom.MathOverflow):
    pass


class InvalidFeeSplit(DatProgramError, generated=custom.InvalidFeeSplit):
    pass


class NoPendingFeeSplit(DatProgramError, generated=custom.NoPendingFeeSplit):
    pass


class TimelockNotElapsed(DatProgramError, generated=custom.TimelockNotElapsed):
    pass


class NoPendingAdmin(DatProgramError, generated=custom.NoPendingAdmin):
    pass


class StaleWatermark(DatProgramError, generated=custom.StaleWatermark):
    pass


class OverAttribution(DatProgramError, generated=custom.OverAttribution):
    pass


class MintMismatch(DatProgramError, generated=custom.MintMismatch):
    pass


class InvalidTokenProgram(DatProgramError, generated=custom.InvalidTokenProgram):
    pass


class InvalidTokenAccount(DatProgramError, generated=custom.InvalidTokenAccount):
    pass


class InvalidPool(DatProgramError, generated=custom.InvalidPool):
    pass


class InvalidExternalAccount(DatProgramError, generated=custom.InvalidExternalAccount):
    pass


class NotUpgradeAuthority(DatProgramError, generated=custom.NotUpgradeAuthority):
    pass


class InvalidRootToken(DatProgramError, generated=custom.InvalidRootToken):
    pass


class BudgetExceeded(DatProgramError, generated=custom.BudgetExceeded):
    pass


class WrongPoolType(DatProgramError, generated=custom.WrongPoolType):
    pass


class ForeignCreator(DatProgramError, generated=custom.ForeignCreator):
    pass


class MintTransferFee(DatProgramError, generated=custom.MintTransferFee):
    pass


class MintTransferHook(DatProgramError, generated=custom.MintTransferHook):
    pass


class MintPermanentDelegate(DatProgramError, generated=custom.MintPermanentDelegate):
    pass


class MintNonTransferable(DatProgramError, generated=custom.MintNonTransferable):
    pass


class MintDefaultFrozen(DatProgramError, generated=custom.MintDefaultFrozen):
    pass


class ForeignInstructionInCycle(DatProgramError, generated=custom.ForeignInstructionInCycle):
    pass


class SharingConfigInvalid(DatProgramError, generated=custom.SharingConfigInvalid):
    pass


class SharingConfigForeignShareholder(DatProgramError, generated=custom.SharingConfigForeignShareholder):
    pass


class SharingConfigAdminLive(DatProgramError, generated=custom.SharingConfigAdminLive):
    pass


class InvalidFeeVault(DatProgramError, generated=custom.InvalidFeeVault):
    pass


class AlreadyFeeSharing(DatProgramError, generated=custom.AlreadyFeeSharing):
    pass


class FeeSharingNotAttributed(DatProgramError, generated=custom.FeeSharingNotAttributed):
    pass


class FeeSharingVenueUnsupported(DatProgramError, generated=custom.FeeSharingVenueUnsupported):
    pass


class StalePriceReference(DatProgramError, generated=custom.StalePriceReference):
    pass


PROGRAM_ERRORS: dict[int, type[DatProgramError]] = {
    cls.code: cls
    for cls in (
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
    )
}
ERRORS_BY_NAME: dict[str, type[DatProgramError]] = {cls.name: cls for cls in PROGRAM_ERRORS.values()}

_FAILED = re.compile(r"^Program (\w+) failed: (.*)$")
_CUSTOM = re.compile(r"custom program error: (0x[0-9a-fA-F]+|\d+)")


def error_for_code(code: int | None) -> type[DatProgramError] | None:
    """The exception class of our program's error `code` (6000+), else None."""
    return None if code is None else PROGRAM_ERRORS.get(code)




def _failing_program(logs: Sequence[str]) -> tuple[Pubkey, str] | None:
    """The innermost program that failed: the first `Program X failed: ...` line."""
    for line in logs:
        match = _FAILED.match(line)
        if match is not None:
            try:
                return Pubkey.from_string(match.group(1)), match.group(2)
            except ValueError:
                continue
    return None


def _code_from_detail(detail: str) -> int | None:
    match = _CUSTOM.search(detail)
    if match is None:
        return None
    return int(match.group(1), 0)


def decode_error(
    err: TransactionErrorType | None,
    logs: Sequence[str] = (),
    *,
    program_id: Pubkey = ASDF_DAT_PROGRAM_ID,
) -> TransactionError | None:
    """The exception describing a failed transaction; None when `err` is None (success)."""
    if err is None:
        return None
    index, code = instruction_error(err)
    failing = _failing_program(logs)
    if failing is not None and failing[0] != program_id:
        failed_program, detail = failing
        return ExternalProgramError(
            failed_program, _code_from_detail(detail) or code, detail, err=err, logs=logs, instruction_index=index
        )
    if code is None and failing is not None:
        code = _code_from_detail(failing[1])
    if code is not None:
        named = PROGRAM_ERRORS.get(code)
        if named is not None:
            return named(err=err, logs=tuple(logs), instruction_index=index)
        framework = anchor_errors.from_code(code)
        if framework is not None:
            return AnchorFrameworkError(
                code, framework.name, framework.msg, err=err, logs=logs, instruction_index=index
            )
    return TransactionError(f"transaction failed: {err}", err=err, logs=tuple(logs), instruction_index=index)


def raise_for_error(
    err: TransactionErrorType | None, logs: Sequence[str] = (), *, program_id: Pubkey = ASDF_DAT_PROGRAM_ID
) -> None:
    """Raises `decode_error(err, logs)` unless `err` is None."""
    error = decode_error(err, logs, program_id=program_id)
    if error is not None:
        raise error


__all__ = [
    "ERRORS_BY_NAME",
    "PROGRAM_ERRORS",
    "AnchorFrameworkError",
    "DatProgramError",
    "ExternalProgramError",
    "TransactionError",
    "custom_error_code",
    "decode_error",
    "error_for_code",
    "instruction_error",
    "raise_for_error",
    "DATNotActive",
    "InsufficientFees",
    "CycleTooSoon",
    "SlippageExceeded",
    "InvalidRootTreasury",
    "Unauthorized",
    "InvalidParameter",
    "MathOverflow",
    "InvalidFeeSplit",
    "NoPendingFeeSplit",
    "TimelockNotElapsed",
    "NoPendingAdmin",
    "StaleWatermark",
    "OverAttribution",
    "MintMismatch",
    "InvalidTokenProgram",
    "InvalidTokenAccount",
    "InvalidPool",
    "InvalidExternalAccount",
    "NotUpgradeAuthority",
    "InvalidRootToken",
    "BudgetExceeded",
    "WrongPoolType",
    "ForeignCreator",
    "MintTransferFee",
    "MintTransferHook",
    "MintPermanentDelegate",
    "MintNonTransferable",
    "MintDefaultFrozen",
    "ForeignInstructionInCycle",
    "SharingConfigInvalid",
    "SharingConfigForeignShareholder",
    "SharingConfigAdminLive",
    "InvalidFeeVault",
    "AlreadyFeeSharing",
    "FeeSharingNotAttributed",
    "FeeSharingVenueUnsupported",
    "StalePriceReference",
]
