"""`Transport` over an in-process LiteSVM (through `LocalLedger`): no network, same semantics."""

from __future__ import annotations

import json
from collections.abc import Sequence

from solders.account import Account
from solders.litesvm import LiteSVM
from solders.pubkey import Pubkey
from solders.rpc.responses import RpcConfirmedTransactionStatusWithSignature
from solders.signature import Signature
from solders.transaction import VersionedTransaction
from solders.transaction_status import EncodedConfirmedTransactionWithStatusMeta, TransactionErrorFieldless

from asdf_dat.localnet.encoding import signature_info_json, transaction_json
from asdf_dat.localnet.ledger import LocalLedger, PreflightFailed, TransactionRejected
from asdf_dat.localnet.records import TransactionRecord
from asdf_dat.network.priority_fee import (
    MAX_PRIORITY_FEE_MICRO_LAMPORTS,
    MIN_PRIORITY_FEE_MICRO_LAMPORTS,
    priority_fee_micro_lamports,
)
from asdf_dat.network.protocol import AnyTransaction, SignedTransaction, wire_bytes
from asdf_dat.network.results import (
    ConfirmationLevel,
    LatestBlockhash,
    PrioritizationFee,
    SignatureStatus,
    SimulationResult,
    TransactionExpiredError,
    TransactionFailedError,
)


class EmbeddedTransport:
    """Everything lands (or fails) synchronously and is immediately finalized."""

    def __init__(self, ledger: LocalLedger | LiteSVM, *, commitment: ConfirmationLevel = "confirmed") -> None:
        self.ledger = ledger if isinstance(ledger, LocalLedger) else LocalLedger(ledger)
        self._commitment: ConfirmationLevel = commitment

    def __repr__(self) -> str:
        return f"EmbeddedTransport(slot={self.ledger.slot})"

    @property
    def commitment(self) -> ConfirmationLevel:
        return self._commitment

    async def close(self) -> None:
        return None

    async def __aenter__(self) -> EmbeddedTransport:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    # ------------------------------------------------------------------ reads

    async def get_account(self, address: Pubkey) -> Account | None:
        return self.ledger.get_account(address)

    async def get_accounts(self, addresses: Sequence[Pubkey]) -> list[Account | None]:
        return self.ledger.get_accounts(addresses)

    async def get_balance(self, address: Pubkey) -> int:
        return self.ledger.get_balance(address)

    async def get_latest_blockhash(self) -> LatestBlockhash:
        latest = self.ledger.latest_blockhash()
        return LatestBlockhash(latest.blockhash, latest.last_valid_block_height)

    async def get_slot(self) -> int:
        return self.ledger.slot

    async def get_block_height(self) -> int:
        return self.ledger.block_height

    async def get_minimum_balance_for_rent_exemption(self, data_len: int) -> int:
        return self.ledger.minimum_balance_for_rent_exemption(data_len)

    async def get_signature_statuses(self, signatures: Sequence[Signature]) -> list[SignatureStatus | None]:
        statuses: list[SignatureStatus | None] = []
        for signature in signatures:
            record = self.ledger.signature_status(signature)
            statuses.append(
                None if record is None else SignatureStatus(signature, record.slot, record.err, "finalized")
            )
        return statuses

    async def get_transaction(self, signature: Signature) -> EncodedConfirmedTransactionWithStatusMeta | None:
        record = self.ledger.transaction(signature)
        if record is None:
            return None
        return EncodedConfirmedTransactionWithStatusMeta.from_json(
            json.dumps(transaction_json(record, "json", include_version=True))
        )

    async def get_signatures_for_address(
        self,
        address: Pubkey,
        *,
        before: Signature | None = None,
        until: Signature | None = None,
        limit: int = 1000,
    ) -> list[RpcConfirmedTransactionStatusWithSignature]:
        records = self.ledger.signatures_for_address(address, limit=limit, before=before, until=until)
        return [
            RpcConfirmedTransactionStatusWithSignature.from_json(json.dumps(signature_info_json(r))) for r in records
        ]

    async def get_recent_prioritization_fees(self, addresses: Sequence[Pubkey] = ()) -> list[PrioritizationFee]:
        return [PrioritizationFee(slot, fee) for slot, fee in self.ledger.recent_prioritization_fees(addresses)]

    async def get_priority_fee(self, addresses: Sequence[Pubkey] = ()) -> int:
        fees = await self.get_recent_prioritization_fees(addresses)
        return priority_fee_micro_lamports(
            (fee.micro_lamports for fee in fees),
            floor=MIN_PRIORITY_FEE_MICRO_LAMPORTS,
            cap=MAX_PRIORITY_FEE_MICRO_LAMPORTS,
        )

    # ------------------------------------------------------------------ simulate and send

    async def simulate(self, transaction: AnyTransaction, *, sig_verify: bool = False) -> SimulationResult:
        versioned = VersionedTransaction.from_bytes(bytes(transaction))
        outcome = self.ledger.simulate(versioned, sig_verify=sig_verify)
        return_data = (
            (outcome.return_data.program_id, outcome.return_data.data) if outcome.return_data is not None else None
        )
        return SimulationResult(outcome.err, outcome.logs, outcome.units_consumed, return_data)

    async def send_raw_transaction(self, transaction: SignedTransaction, *, skip_preflight: bool = False) -> Signature:
        record = self._send(wire_bytes(transaction), preflight=not skip_preflight)
        return record.signature

    async def send_and_confirm(
        self,
        transaction: SignedTransaction,
        *,
        last_valid_block_height: int | None = None,
        timeout_seconds: float | None = None,
    ) -> SignatureStatus:
        record = self._send(wire_bytes(transaction), preflight=True)
        if record.err is not None:
            raise TransactionFailedError(record.signature, record.err, record.logs, landed=True)
        return SignatureStatus(record.signature, record.slot, None, "finalized")

    async def confirm(
        self,
        signature: Signature,
        *,
        last_valid_block_height: int | None = None,
        timeout_seconds: float | None = None,
    ) -> SignatureStatus:
        record = self.ledger.signature_status(signature)
        if record is None:
            raise TransactionExpiredError(signature)
        if record.err is not None:
            logs = record.logs if isinstance(record, TransactionRecord) else ()
            raise TransactionFailedError(signature, record.err, logs, landed=True)
        return SignatureStatus(signature, record.slot, None, "finalized")

    def _send(self, raw: bytes, *, preflight: bool) -> TransactionRecord:
        transaction = VersionedTransaction.from_bytes(raw)
        signature = transaction.signatures[0]
        try:
            self.ledger.send(transaction, preflight=preflight)
        except PreflightFailed as failure:
            if failure.outcome.err != TransactionErrorFieldless.AlreadyProcessed:
                raise TransactionFailedError(
                    signature, failure.outcome.err, failure.outcome.logs, landed=False
                ) from None
        except TransactionRejected as rejected:
            if rejected.err == TransactionErrorFieldless.BlockhashNotFound:
                raise TransactionExpiredError(signature) from None
            raise TransactionFailedError(signature, rejected.err, landed=False, message=str(rejected)) from None
        record = self.ledger.transaction(signature)
        assert record is not None, "a sent transaction is always recorded"
        return record
