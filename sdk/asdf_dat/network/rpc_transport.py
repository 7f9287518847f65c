"""`Transport` over Solana JSON-RPC (solana-py `AsyncClient`): failover, rate limit, retries that
resend the same signed bytes, confirmation, priority fee."""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ConfigDict, Field
from solana.rpc.async_api import AsyncClient
from solana.rpc.commitment import Commitment
from solana.rpc.core import RPCException
from solana.rpc.types import TxOpts
from solders.account import Account
from solders.pubkey import Pubkey
from solders.rpc.errors import SendTransactionPreflightFailureMessage
from solders.rpc.responses import (
    GetMultipleAccountsResp,
    GetSignatureStatusesResp,
    RpcConfirmedTransactionStatusWithSignature,
    RpcSimulateTransactionResult,
)
from solders.signature import Signature
from solders.transaction_status import (
    EncodedConfirmedTransactionWithStatusMeta,
    TransactionConfirmationStatus,
    TransactionErrorFieldless,
    TransactionStatus,
)

from asdf_dat.network.config import NetworkConfig
from asdf_dat.network.endpoint import RpcEndpoint, install_log_redaction, redact_text
from asdf_dat.network.priority_fee import (
    MAX_PRIORITY_FEE_MICRO_LAMPORTS,
    MIN_PRIORITY_FEE_MICRO_LAMPORTS,
    priority_fee_micro_lamports,
)
from asdf_dat.network.protocol import AnyTransaction, SignedTransaction, first_signature, wire_bytes
from asdf_dat.network.rate_limit import AsyncRateLimiter
from asdf_dat.network.results import (
    ConfirmationLevel,
    ConfirmationTimeoutError,
    LatestBlockhash,
    PrioritizationFee,
    RpcResponseError,
    RpcUnavailableError,
    SignatureStatus,
    SimulationResult,
    TransactionExpiredError,
    TransactionFailedError,
    TransportError,
    reaches,
)
from asdf_dat.network.retry import RetryPolicy, describe_failure, http_error_of, is_transient, retry_after_seconds

logger = logging.getLogger(__name__)

T = TypeVar("T")

MAX_ACCOUNTS_PER_REQUEST = 100
MAX_SIGNATURES_PER_STATUS_REQUEST = 256
_TRANSIENT_RPC_CODES = frozenset({-32004, -32005, -32014, -32016, -32603})
# solders' enum is unhashable, so this is a list of pairs, not a dict.
_LEVELS: tuple[tuple[TransactionConfirmationStatus, ConfirmationLevel], ...] = (
    (TransactionConfirmationStatus.Processed, "processed"),
    (TransactionConfirmationStatus.Confirmed, "confirmed"),
    (TransactionConfirmationStatus.Finalized, "finalized"),
)


class RpcTransportSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    commitment: ConfirmationLevel = "confirmed"
    request_timeout_seconds: float = Field(default=15.0, gt=0)
    requests_per_second: float | None = Field(default=None, gt=0)
    retry: RetryPolicy = RetryPolicy()
    poll_interval_seconds: float = Field(default=0.5, gt=0)
    rebroadcast_interval_seconds: float = Field(default=2.0, gt=0)
    confirm_timeout_seconds: float = Field(default=90.0, gt=0)
    endpoint_failure_threshold: int = Field(default=3, ge=1)
    endpoint_cooldown_seconds: float = Field(default=30.0, ge=0)
    priority_fee_floor: int = Field(default=MIN_PRIORITY_FEE_MICRO_LAMPORTS, ge=0)
    priority_fee_cap: int = Field(default=MAX_PRIORITY_FEE_MICRO_LAMPORTS, ge=0)


class _TransientRpcError(RpcResponseError):
    """A JSON-RPC error from a raw call that retrying may fix (node behind, internal error)."""


@dataclass
class _EndpointState:
    endpoint: RpcEndpoint
    client: AsyncClient
    http: httpx.AsyncClient
    consecutive_failures: int = 0
    unhealthy_until: float = 0.0


class RpcTransport:
    """JSON-RPC transport with a primary endpoint and ordered fallbacks.

    Each request goes to the first endpoint not cooling down; transient failures (connection
    errors, timeouts, 429 honoring Retry-After, 5xx, "node unhealthy") are retried with backoff,
    moving to the next endpoint after `endpoint_failure_threshold` consecutive failures.
    """

    def __init__(self, endpoints: Sequence[RpcEndpoint | str], settings: RpcTransportSettings | None = None) -> None:
        if not endpoints:
            raise ValueError("at least one RPC endpoint is required")
        self.settings = settings or RpcTransportSettings()
        self._endpoints = [
            _EndpointState(
                endpoint=endpoint,
                client=AsyncClient(
                    endpoint.url,
                    commitment=Commitment(self.settings.commitment),
                    timeout=self.settings.request_timeout_seconds,
                ),
                http=httpx.AsyncClient(timeout=self.settings.request_timeout_seconds),
            )
            for endpoint in (e if isinstance(e, RpcEndpoint) else RpcEndpoint(e) for e in endpoints)
        ]
        rate = self.settings.requests_per_second
        self._limiter = AsyncRateLimiter(rate) if rate is not None else None
        self._random = random.Random()
        # httpx logs every request with its full URL: mask the keys there too.
        install_log_redaction(secret for state in self._endpoints for secret in state.endpoint.secrets)

    @classmethod
    def from_config(cls, config: NetworkConfig, **overrides: Any) -> RpcTransport:
        """A transport for `config`'s endpoints, commitment and rate limit (settings overridable)."""
        fields: dict[str, Any] = {
            "commitment": config.commitment,
            "requests_per_second": config.requests_per_second,
            **overrides,
        }
        return cls(config.endpoints, RpcTransportSettings(**fields))

    def __repr__(self) -> str:
        return f"RpcTransport({', '.join(state.endpoint.masked for state in self._endpoints)})"

    @property
    def commitment(self) -> ConfirmationLevel:
        return self.settings.commitment

    @property
    def endpoints(self) -> tuple[RpcEndpoint, ...]:
        return tuple(state.endpoint for state in self._endpoints)

    @property
    def client(self) -> AsyncClient:
        """The primary endpoint's `AsyncClient` (for libraries such as anchorpy that need one)."""
        return self._endpoints[0].client

    async def close(self) -> None:
        for state in self._endpoints:
            await state.client.close()
            await state.http.aclose()

    async def __aenter__(self) -> RpcTransport:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    # ------------------------------------------------------------------ reads

    async def get_account(self, address: Pubkey) -> Account | None:
        response = await self._request("getAccountInfo", lambda c: c.get_account_info(address))
        return response.value

    async def get_accounts(self, addresses: Sequence[Pubkey]) -> list[Account | None]:
        accounts: list[Account | None] = []
        for start in range(0, len(addresses), MAX_ACCOUNTS_PER_REQUEST):
            chunk = list(addresses[start : start + MAX_ACCOUNTS_PER_REQUEST])
            response = await self._request("getMultipleAccounts", _get_multiple_accounts(chunk))
            accounts.extend(response.value)
        return accounts

    async def get_balance(self, address: Pubkey) -> int:
        response = await self._request("getBalance", lambda c: c.get_balance(address))
        return response.value

    async def get_latest_blockhash(self) -> LatestBlockhash:
        response = await self._request("getLatestBlockhash", lambda c: c.get_latest_blockhash())
        return LatestBlockhash(response.value.blockhash, response.value.last_valid_block_height)

    async def get_slot(self) -> int:
        response = await self._request("getSlot", lambda c: c.get_slot())
        return response.value

    async def get_block_height(self) -> int:
        response = await self._request("getBlockHeight", lambda c: c.get_block_height())
        return response.value

    async def get_minimum_balance_for_rent_exemption(self, data_len: int) -> int:
        response = await self._request(
            "getMinimumBalanceForRentExemption", lambda c: c.get_minimum_balance_for_rent_exemption(data_len)
        )
        return response.value

    async def get_signature_statuses(self, signatures: Sequence[Signature]) -> list[SignatureStatus | None]:
        statuses: list[SignatureStatus | None] = []
        for start in range(0, len(signatures), MAX_SIGNATURES_PER_STATUS_REQUEST):
            chunk = list(signatures[start : start + MAX_SIGNATURES_PER_STATUS_REQUEST])
            response = await self._request("getSignatureStatuses", _get_signature_statuses(chunk))
            statuses.extend(_status(sig, status) for sig, status in zip(chunk, response.value, strict=True))
        return statuses

    async def get_transaction(self, signature: Signature) -> EncodedConfirmedTransactionWithStatusMeta | None:
        commitment = Commitment("confirmed" if self.commitment == "processed" else self.commitment)
        response = await self._request(
            "getTransaction",
            lambda c: c.get_transaction(
                signature, encoding="json", commitment=commitment, max_supported_transaction_version=0
            ),
        )
        return response.value

    async def get_signatures_for_address(
        self,
        address: Pubkey,
        *,
        before: Signature | None = None,
        until: Signature | None = None,
        limit: int = 1000,
    ) -> list[RpcConfirmedTransactionStatusWithSignature]:
        commitment = Commitment("confirmed" if self.commitment == "processed" else self.commitment)
        response = await self._request(
            "getSignaturesForAddress",
            lambda c: c.get_signatures_for_address(
                address, before=before, until=until, limit=limit, commitment=commitment
            ),
        )
        return list(response.value)

    async def get_recent_prioritization_fees(self, addresses: Sequence[Pubkey] = ()) -> list[PrioritizationFee]:
        result = await self._request_raw("getRecentPrioritizationFees", [[str(a) for a in addresses]])
        if not isinstance(result, list):
            raise RpcResponseError("getRecentPrioritizationFees: unexpected result")
        return [PrioritizationFee(int(item["slot"]), int(item["prioritizationFee"])) for item in result]

    async def get_priority_fee(self, addresses: Sequence[Pubkey] = ()) -> int:
        fees = await self.get_recent_prioritization_fees(addresses)
        return priority_fee_micro_lamports(
            (fee.micro_lamports for fee in fees),
            floor=self.settings.priority_fee_floor,
            cap=self.settings.priority_fee_cap,
        )

    # ------------------------------------------------------------------ simulate and send

    async def simulate(self, transaction: AnyTransaction, *, sig_verify: bool = False) -> SimulationResult:
        response = await self._request(
            "simulateTransaction", lambda c: c.simulate_transaction(transaction, sig_verify=sig_verify)
        )
        return _simulation(response.value)

    async def send_raw_transaction(self, transaction: SignedTransaction, *, skip_preflight: bool = False) -> Signature:
        """Submit the signed bytes once; transient failures resend the SAME bytes.

        A resend of a transaction that already landed is reported as sent (AlreadyProcessed).
        Raises `TransactionFailedError(landed=False)` if preflight simulation fails.
        """
        raw = wire_bytes(transaction)
        signature = first_signature(raw)
        options = TxOpts(
            skip_confirmation=True,
            skip_preflight=skip_preflight,
            preflight_commitment=Commitment(self.commitment),
            max_retries=0,
        )
        try:
            response = await self._request("sendTransaction", lambda c: c.send_raw_transaction(raw, options))
        except RPCException as exc:
            message = exc.args[0] if exc.args else None
            if isinstance(message, SendTransactionPreflightFailureMessage):
                err = message.data.err
                if err == TransactionErrorFieldless.AlreadyProcessed:
                    return signature
                raise TransactionFailedError(
                    signature, err, tuple(message.data.logs or ()), landed=False, message=message.message
                ) from None
            raise RpcResponseError(f"sendTransaction failed: {describe_failure(exc)}") from exc
        if response.value != signature:
            raise RpcResponseError(f"node returned signature {response.value}, expected {signature}")
        return signature

    async def send_and_confirm(
        self,
        transaction: SignedTransaction,
        *,
        last_valid_block_height: int | None = None,
        timeout_seconds: float | None = None,
    ) -> SignatureStatus:
        raw = wire_bytes(transaction)
        signature = first_signature(raw)
        if last_valid_block_height is None:
            # The transaction's blockhash is no newer than the latest one, so it expires no later.
            last_valid_block_height = (await self.get_latest_blockhash()).last_valid_block_height
        try:
            await self.send_raw_transaction(raw)
        except TransactionFailedError as failure:
            if failure.err != TransactionErrorFieldless.BlockhashNotFound:
                raise
            logger.info("preflight of %s: blockhash not found yet; rebroadcasting until expiry", signature)
        except (RpcUnavailableError, RpcResponseError) as exc:
            logger.warning("send of %s failed (%s); will rebroadcast the same bytes", signature, exc)
        return await self._await_confirmation(signature, raw, last_valid_block_height, timeout_seconds)

    async def confirm(
        self,
        signature: Signature,
        *,
        last_valid_block_height: int | None = None,
        timeout_seconds: float | None = None,
    ) -> SignatureStatus:
        return await self._await_confirmation(signature, None, last_valid_block_height, timeout_seconds)

    async def _await_confirmation(
        self,
        signature: Signature,
        raw: bytes | None,
        last_valid_block_height: int | None,
        timeout_seconds: float | None,
    ) -> SignatureStatus:
        settings = self.settings
        deadline = time.monotonic() + (timeout_seconds or settings.confirm_timeout_seconds)
        last_broadcast = time.monotonic()
        while True:
            status = await self._status_or_none(signature)
            if status is not None:
                if status.err is not None:
                    raise TransactionFailedError(signature, status.err, await self._logs(signature), landed=True)
                if reaches(status.confirmation_status, self.commitment):
                    return status
            elif last_valid_block_height is not None and await self._past_block_height(last_valid_block_height):
                if await self._status_or_none(signature) is None:
                    raise TransactionExpiredError(signature)
                continue
            now = time.monotonic()
            if now >= deadline:
                raise ConfirmationTimeoutError(signature)
            if raw is not None and status is None and now - last_broadcast >= settings.rebroadcast_interval_seconds:
                last_broadcast = now
                try:
                    await self.send_raw_transaction(raw, skip_preflight=True)
                except TransportError as exc:
                    logger.info("rebroadcast of %s failed: %s", signature, exc)
            await asyncio.sleep(settings.poll_interval_seconds)

    async def _status_or_none(self, signature: Signature) -> SignatureStatus | None:
        try:
            return (await self.get_signature_statuses([signature]))[0]
        except TransportError as exc:
            logger.info("status of %s unavailable: %s", signature, exc)
            return None

    async def _past_block_height(self, last_valid_block_height: int) -> bool:
        try:
            return await self.get_block_height() > last_valid_block_height
        except TransportError:
            return False

    async def _logs(self, signature: Signature) -> tuple[str, ...]:
        try:
            transaction = await self.get_transaction(signature)
        except TransportError:
            return ()
        meta = transaction.transaction.meta if transaction is not None else None
        return tuple(meta.log_messages or ()) if meta is not None else ()

    # ------------------------------------------------------------------ plumbing

    async def _request(self, method: str, call: Callable[[AsyncClient], Awaitable[T]]) -> T:
        async def invoke(state: _EndpointState) -> T:
            result = await call(state.client)
            if isinstance(result, int) and not isinstance(result, bool):
                # solders turns JSON-RPC errors with codes it does not know (e.g. a provider's
                # -32429 rate limit) into the bare code instead of raising.
                raise _TransientRpcError(f"{method}: JSON-RPC error {result}", result)
            return result

        return await self._with_retries(method, invoke)

    async def _request_raw(self, method: str, params: list[Any]) -> Any:
        async def call(state: _EndpointState) -> Any:
            body = {"jsonrpc": "2.0", "id": 1, "method": method, "params": params}
            response = await state.http.post(state.endpoint.url, json=body)
            response.raise_for_status()
            payload = response.json()
            error = payload.get("error") if isinstance(payload, dict) else None
            if error is not None:
                code = error.get("code") if isinstance(error, dict) else None
                text = str(error.get("message", "")) if isinstance(error, dict) else str(error)
                kind = _TransientRpcError if code in _TRANSIENT_RPC_CODES else RpcResponseError
                raise kind(f"{method}: {text}", code if isinstance(code, int) else None)
            return payload.get("result") if isinstance(payload, dict) else None

        return await self._with_retries(method, call)

    async def _with_retries(self, method: str, call: Callable[[_EndpointState], Awaitable[T]]) -> T:
        policy = self.settings.retry
        last_error: BaseException | None = None
        for attempt in range(policy.attempts):
            state = self._pick_endpoint()
            if self._limiter is not None:
                await self._limiter.acquire()
            try:
                result = await call(state)
            except Exception as exc:
                if not (is_transient(exc) or isinstance(exc, (_TransientRpcError, json.JSONDecodeError))):
                    raise self._without_secrets(method, state, exc) from None
                last_error = exc
            except BaseException as exc:
                # solders panics (pyo3 PanicException, a BaseException) on some malformed replies.
                if type(exc).__name__ != "PanicException":
                    raise
                last_error = exc
            else:
                state.consecutive_failures = 0
                return result
            self._record_failure(state)
            delay = retry_after_seconds(last_error)
            if delay is None:
                delay = policy.backoff(attempt, self._random)
            logger.warning(
                "%s on %s failed (%s), attempt %d/%d%s",
                method,
                state.endpoint.masked,
                describe_failure(last_error),
                attempt + 1,
                policy.attempts,
                f", retrying in {delay:.2f}s" if attempt + 1 < policy.attempts else "",
            )
            if attempt + 1 < policy.attempts:
                await asyncio.sleep(delay)
        # Not chained to the last error: httpx errors quote the request URL (and its API key).
        raise RpcUnavailableError(
            f"{method} failed on every attempt ({policy.attempts}); last error: "
            f"{describe_failure(last_error) if last_error else 'none'}"
        ) from None

    def _without_secrets(self, method: str, state: _EndpointState, exc: Exception) -> Exception:
        """The error to raise for a non-retryable failure, with no URL or API key in it: an
        httpx error (its text and chain quote the URL) becomes an `RpcResponseError`; our own
        errors keep their type with their text redacted."""
        if http_error_of(exc) is not None:
            status = describe_failure(exc)
            return RpcResponseError(f"{method} on {state.endpoint.masked} failed: {status}")
        secrets = [secret for endpoint_state in self._endpoints for secret in endpoint_state.endpoint.secrets]
        exc.args = tuple(redact_text(a, secrets) if isinstance(a, str) else a for a in exc.args)
        return exc

    def _pick_endpoint(self) -> _EndpointState:
        now = time.monotonic()
        for state in self._endpoints:
            if state.unhealthy_until <= now:
                return state
        return min(self._endpoints, key=lambda state: state.unhealthy_until)

    def _record_failure(self, state: _EndpointState) -> None:
        state.consecutive_failures += 1
        if state.consecutive_failures >= self.settings.endpoint_failure_threshold and len(self._endpoints) > 1:
            state.unhealthy_until = time.monotonic() + self.settings.endpoint_cooldown_seconds
            state.consecutive_failures = 0
            logger.warning(
                "RPC endpoint %s marked unhealthy for %.0fs",
                state.endpoint.masked,
                self.settings.endpoint_cooldown_seconds,
            )


def _get_multiple_accounts(keys: list[Pubkey]) -> Callable[[AsyncClient], Awaitable[GetMultipleAccountsResp]]:
    return lambda client: client.get_multiple_accounts(keys)


def _get_signature_statuses(
    signatures: list[Signature],
) -> Callable[[AsyncClient], Awaitable[GetSignatureStatusesResp]]:
    return lambda client: client.get_signature_statuses(signatures)


def _status(signature: Signature, status: TransactionStatus | None) -> SignatureStatus | None:
    if status is None:
        return None
    level: ConfirmationLevel | None
    if status.confirmation_status is not None:
        level = next(name for value, name in _LEVELS if value == status.confirmation_status)
    else:
        level = "finalized" if status.confirmations is None else "confirmed"
    return SignatureStatus(signature, status.slot, status.err, level)


def _simulation(value: RpcSimulateTransactionResult) -> SimulationResult:
    return_data = None
    if value.return_data is not None:
        return_data = (value.return_data.program_id, bytes(value.return_data.data))
    return SimulationResult(
        err=value.err,
        logs=tuple(value.logs or ()),
        units_consumed=value.units_consumed,
        return_data=return_data,
        accounts=tuple(value.accounts or ()),
    )
