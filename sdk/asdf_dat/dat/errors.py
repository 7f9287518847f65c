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
from typing import ClassVar

from solders.pubkey import Pubkey
from solders.transaction_status import (
    InstructionErrorCustom,
    TransactionErrorInstructionError,
    TransactionErrorType,
)

from asdf_dat.generated.errors import anchor as anchor_errors
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
        super().__init__(f"program {program_id} failed: {detail}", err=err, logs=logs, instruction_index=instruction_index)
        self.program_id = program_id
        self.code = code


class DatProgramError(TransactionError):
    """An error raised by the asdf_dat program. Subclasses carry `code`, `name` and `msg`."""

    code: ClassVar[int] = -1
    name: ClassVar[str] = "DatProgramError"
    msg: ClassVar[str] = ""

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


class DATNotActive(DatProgramError):
    code = 6000
    name = "DATNotActive"
    msg = "DAT is paused"


class InsufficientFees(DatProgramError):
    code = 6001
    name = "InsufficientFees"
    msg = "not enough fees for this operation"


class CycleTooSoon(DatProgramError):
    code = 6002
    name = "CycleTooSoon"
    msg = "cycle cooldown has not elapsed"


class SlippageExceeded(DatProgramError):
    code = 6003
    name = "SlippageExceeded"
    msg = "tokens out below the minimum"


class InvalidRootTreasury(DatProgramError):
    code = 6004
    name = "InvalidRootTreasury"
    msg = "root treasury missing or wrong"


class Unauthorized(DatProgramError):
    code = 6005
    name = "Unauthorized"
    msg = "signer is not allowed"


class InvalidParameter(DatProgramError):
    code = 6006
    name = "InvalidParameter"
    msg = "parameter out of bounds"


class MathOverflow(DatProgramError):
    code = 6007
    name = "MathOverflow"
    msg = "arithmetic overflow"


class InvalidFeeSplit(DatProgramError):
    code = 6008
    name = "InvalidFeeSplit"
    msg = "fee split out of 1000..=9000 or change too large"


class NoPendingFeeSplit(DatProgramError):
    code = 6009
    name = "NoPendingFeeSplit"
    msg = "no pending fee split"


class TimelockNotElapsed(DatProgramError):
    code = 6010
    name = "TimelockNotElapsed"
    msg = "fee split timelock has not elapsed"


class NoPendingAdmin(DatProgramError):
    code = 6011
    name = "NoPendingAdmin"
    msg = "no pending admin transfer"


class StaleWatermark(DatProgramError):
    code = 6012
    name = "StaleWatermark"
    msg = "attribution watermark did not advance"


class OverAttribution(DatProgramError):
    code = 6013
    name = "OverAttribution"
    msg = "pending fees would exceed what the vaults hold"


class MintMismatch(DatProgramError):
    code = 6014
    name = "MintMismatch"
    msg = "mint does not match"


class InvalidTokenProgram(DatProgramError):
    code = 6015
    name = "InvalidTokenProgram"
    msg = "token program must be SPL Token or Token-2022 and own the mint"


class InvalidTokenAccount(DatProgramError):
    code = 6016
    name = "InvalidTokenAccount"
    msg = "token account is not the DAT's associated account"


class InvalidPool(DatProgramError):
    code = 6017
    name = "InvalidPool"
    msg = "pool account does not match the token's pool"


class InvalidExternalAccount(DatProgramError):
    code = 6018
    name = "InvalidExternalAccount"
    msg = "external account address mismatch"


class NotUpgradeAuthority(DatProgramError):
    code = 6019
    name = "NotUpgradeAuthority"
    msg = "only the program upgrade authority may initialize"


class InvalidRootToken(DatProgramError):
    code = 6020
    name = "InvalidRootToken"
    msg = "token is not the root"


class BudgetExceeded(DatProgramError):
    code = 6021
    name = "BudgetExceeded"
    msg = "buy spent more than its budget"


class WrongPoolType(DatProgramError):
    code = 6022
    name = "WrongPoolType"
    msg = "wrong pool type for this instruction"


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
    )
}
ERRORS_BY_NAME: dict[str, type[DatProgramError]] = {cls.name: cls for cls in PROGRAM_ERRORS.values()}

_FAILED = re.compile(r"^Program (\w+) failed: (.*)$")
_CUSTOM = re.compile(r"custom program error: (0x[0-9a-fA-F]+|\d+)")


def error_for_code(code: int) -> type[DatProgramError] | None:
    """The exception class of our program's error `code` (6000+), else None."""
    return PROGRAM_ERRORS.get(code)


def _custom_code(err: TransactionErrorType | None) -> tuple[int | None, int | None]:
    """(instruction index, custom code) of an `InstructionError`."""
    if isinstance(err, TransactionErrorInstructionError):
        inner = err.err
        return err.index, inner.code if isinstance(inner, InstructionErrorCustom) else None
    return None, None


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
    index, code = _custom_code(err)
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
            return AnchorFrameworkError(code, framework.name, framework.msg, err=err, logs=logs, instruction_index=index)
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
    "decode_error",
    "error_for_code",
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
]
