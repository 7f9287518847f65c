"""What transports return, and the errors they raise (shared by the RPC and embedded transports)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from solders.account import Account
from solders.hash import Hash
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.transaction_status import (
    EncodedConfirmedTransactionWithStatusMeta,
    InstructionErrorCustom,
    TransactionErrorInstructionError,
    TransactionErrorType,
    UiRawMessage,
    UiTransaction,
)

ConfirmationLevel = Literal["processed", "confirmed", "finalized"]
_LEVEL_RANK: dict[str, int] = {"processed": 0, "confirmed": 1, "finalized": 2}


def reaches(status: ConfirmationLevel | None, wanted: ConfirmationLevel) -> bool:
    """Whether a signature at `status` satisfies the commitment `wanted`."""
    return status is not None and _LEVEL_RANK[status] >= _LEVEL_RANK[wanted]


def instruction_error(err: TransactionErrorType | None) -> tuple[int | None, int | None]:
    """(instruction index, custom code) of an `InstructionError`; (None, None) for any other
    error. The one place a program error code is read from a transaction error (re-exported by
    `asdf_dat.dat.errors`)."""
    if isinstance(err, TransactionErrorInstructionError):
        inner = err.err
        return err.index, int(inner.code) if isinstance(inner, InstructionErrorCustom) else None
    return None, None


def custom_error_code(err: TransactionErrorType | None) -> int | None:
    """The custom program error code of a failed instruction (ours or another program's), else None."""
    return instruction_error(err)[1]


@dataclass(frozen=True)
class LatestBlockhash:
    blockhash: Hash
    last_valid_block_height: int


@dataclass(frozen=True)
class SimulationResult:
    err: TransactionErrorType | None
    logs: tuple[str, ...]
    units_consumed: int | None
    return_data: tuple[Pubkey, bytes] | None = None
    accounts: tuple[Account | None, ...] = ()

    @property
    def ok(self) -> bool:
        return self.err is None


@dataclass(frozen=True)
class SignatureStatus:
    signature: Signature
    slot: int
    err: TransactionErrorType | None
    confirmation_status: ConfirmationLevel | None

    @property
    def ok(self) -> bool:
        return self.err is None


@dataclass(frozen=True)
class PrioritizationFee:
    slot: int
    micro_lamports: int


class TransportError(Exception):
    """Base class of the network layer's errors."""


class RpcUnavailableError(TransportError):
    """Every endpoint kept failing with transient errors (429, 5xx, timeouts) until retries ran out."""


class RpcResponseError(TransportError):
    """The node answered with a JSON-RPC error that retrying will not fix."""

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code


class TransactionFailedError(TransportError):
    """The transaction failed. `landed` says whether it is on-chain (fee paid, err recorded) or was
    refused before sending (preflight simulation failed)."""

    def __init__(
        self,
        signature: Signature,
        err: TransactionErrorType | None,
        logs: tuple[str, ...] = (),
        *,
        landed: bool = False,
        message: str = "",
    ) -> None:
        super().__init__(
            message or f"transaction {signature} failed{' on-chain' if landed else ' in preflight'}: {err}"
        )
        self.signature = signature
        self.err = err
        self.logs = logs
        self.landed = landed


class TransactionExpiredError(TransportError):
    """Its blockhash expired before it landed: it can never land, so rebuilding it is safe."""

    def __init__(self, signature: Signature) -> None:
        super().__init__(f"transaction {signature} expired (blockhash no longer valid) without landing")
        self.signature = signature


class ConfirmationTimeoutError(TransportError):
    """Still unconfirmed at the deadline, but its blockhash may still be valid: it MAY land later.
    Do not build a replacement; query the signature again (or wait for expiry)."""

    def __init__(self, signature: Signature) -> None:
        super().__init__(f"transaction {signature} not confirmed before the deadline; it may still land")
        self.signature = signature


class TransactionShapeError(ValueError):
    """A fetched transaction is not in the expected (json) shape."""


def account_keys(tx: EncodedConfirmedTransactionWithStatusMeta) -> list[Pubkey]:
    """Static keys followed by lookup-table keys (writable, then readonly), as instructions index
    them."""
    inner = tx.transaction.transaction
    if not isinstance(inner, UiTransaction) or not isinstance(inner.message, UiRawMessage):
        raise TransactionShapeError("expected a json-encoded transaction with a raw message")
    keys = list(inner.message.account_keys)
    meta = tx.transaction.meta
    loaded = meta.loaded_addresses if meta is not None else None
    if loaded is not None:
        keys.extend(loaded.writable)
        keys.extend(loaded.readonly)
    return keys
