"""The one network interface the SDK, daemon and orchestrator use; see `RpcTransport` and
`EmbeddedTransport` for the two implementations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from solders.account import Account
from solders.pubkey import Pubkey
from solders.rpc.responses import RpcConfirmedTransactionStatusWithSignature
from solders.signature import Signature
from solders.transaction import Transaction, VersionedTransaction
from solders.transaction_status import EncodedConfirmedTransactionWithStatusMeta

from asdf_dat.network.results import (
    ConfirmationLevel,
    LatestBlockhash,
    PrioritizationFee,
    SignatureStatus,
    SimulationResult,
)

AnyTransaction = VersionedTransaction | Transaction
SignedTransaction = bytes | VersionedTransaction | Transaction


def wire_bytes(transaction: SignedTransaction) -> bytes:
    """The serialized (wire) form of a signed transaction."""
    return transaction if isinstance(transaction, bytes) else bytes(transaction)


def first_signature(raw: bytes) -> Signature:
    """The transaction id of serialized transaction `raw`."""
    return VersionedTransaction.from_bytes(raw).signatures[0]


@runtime_checkable
class Transport(Protocol):
    """Reads, simulation, sending and confirmation against one cluster.

    Sending is idempotent per signed transaction: retries resend the same bytes (same signature),
    never a new transaction. Only `TransactionExpiredError` means "safe to build a replacement".
    """

    @property
    def commitment(self) -> ConfirmationLevel: ...

    async def get_account(self, address: Pubkey) -> Account | None: ...

    async def get_accounts(self, addresses: Sequence[Pubkey]) -> list[Account | None]: ...

    async def get_balance(self, address: Pubkey) -> int: ...

    async def get_latest_blockhash(self) -> LatestBlockhash: ...

    async def get_slot(self) -> int: ...

    async def get_block_height(self) -> int: ...

    async def get_minimum_balance_for_rent_exemption(self, data_len: int) -> int: ...

    async def simulate(self, transaction: AnyTransaction, *, sig_verify: bool = False) -> SimulationResult: ...

    async def send_raw_transaction(self, transaction: SignedTransaction, *, skip_preflight: bool = False) -> Signature:
        """Submit once (transient failures retried with the same bytes); does not wait."""
        ...

    async def send_and_confirm(
        self,
        transaction: SignedTransaction,
        *,
        last_valid_block_height: int | None = None,
        timeout_seconds: float | None = None,
    ) -> SignatureStatus:
        """Submit, rebroadcast the same bytes until confirmed at `commitment`, and return the status.

        Raises `TransactionFailedError` (preflight failed, or landed with an error),
        `TransactionExpiredError` (never landed, safe to rebuild) or `ConfirmationTimeoutError`
        (unknown yet; do not rebuild).
        """
        ...

    async def get_signature_statuses(self, signatures: Sequence[Signature]) -> list[SignatureStatus | None]: ...

    async def confirm(
        self,
        signature: Signature,
        *,
        last_valid_block_height: int | None = None,
        timeout_seconds: float | None = None,
    ) -> SignatureStatus: ...

    async def get_recent_prioritization_fees(self, addresses: Sequence[Pubkey] = ()) -> list[PrioritizationFee]: ...

    async def get_priority_fee(self, addresses: Sequence[Pubkey] = ()) -> int:
        """Compute-unit price in micro-lamports: p75 of non-zero recent fees, clamped."""
        ...

    async def get_transaction(self, signature: Signature) -> EncodedConfirmedTransactionWithStatusMeta | None: ...

    async def get_signatures_for_address(
        self,
        address: Pubkey,
        *,
        before: Signature | None = None,
        until: Signature | None = None,
        limit: int = 1000,
    ) -> list[RpcConfirmedTransactionStatusWithSignature]: ...

    async def close(self) -> None: ...
