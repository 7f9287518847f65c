"""Solana JSON-RPC methods over a `LocalLedger` (transport-free: params in, result out)."""

from __future__ import annotations

import base64
import binascii
import threading
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

import based58
from solders.hash import Hash
from solders.message import from_bytes_versioned
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.transaction import VersionedTransaction
from solders.transaction_status import (
    InstructionErrorCustom,
    TransactionErrorFieldless,
    TransactionErrorInstructionError,
    TransactionErrorType,
)

from asdf_dat.localnet.encoding import (
    JSONValue,
    account_json,
    error_json,
    signature_info_json,
    signature_status_json,
    simulation_json,
    transaction_json,
    ui_token_amount_json,
)
from asdf_dat.localnet.faults import FaultConfig, FaultInjector
from asdf_dat.localnet.ledger import (
    LAMPORTS_PER_SIGNATURE,
    LocalLedger,
    PreflightFailed,
    SimulationOutcome,
    TransactionRejected,
)
from asdf_dat.localnet.records import mint_decimals, token_account_mint, token_balance

API_VERSION: Final = "2.2.0"
FEATURE_SET: Final = 3_294_202_862
MAX_MULTIPLE_ACCOUNTS: Final = 100
MAX_SIGNATURES_LIMIT: Final = 1000
MAX_SIGNATURE_STATUSES: Final = 256
MAX_PRIORITIZATION_ADDRESSES: Final = 128


class JsonRpcError(Exception):
    """A JSON-RPC error object (`code`, `message`, optional `data`)."""

    PARSE_ERROR: Final = -32700
    INVALID_REQUEST: Final = -32600
    METHOD_NOT_FOUND: Final = -32601
    INVALID_PARAMS: Final = -32602
    INTERNAL_ERROR: Final = -32603
    SEND_TRANSACTION_PREFLIGHT_FAILURE: Final = -32002
    TRANSACTION_SIGNATURE_VERIFICATION_FAILURE: Final = -32003
    BLOCK_NOT_AVAILABLE: Final = -32004
    NODE_UNHEALTHY: Final = -32005
    UNSUPPORTED_TRANSACTION_VERSION: Final = -32015

    def __init__(self, code: int, message: str, data: JSONValue = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data

    def to_json(self) -> dict[str, JSONValue]:
        error: dict[str, JSONValue] = {"code": self.code, "message": self.message}
        if self.data is not None:
            error["data"] = self.data
        return error


def invalid_params(message: str) -> JsonRpcError:
    return JsonRpcError(JsonRpcError.INVALID_PARAMS, message)


Handler = Callable[[list[JSONValue]], JSONValue]


class RpcCallStats:
    """Calls per method and `sendTransaction` requests per signature (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._methods: Counter[str] = Counter()
        self._sends: Counter[str] = Counter()

    def count_call(self, method: str) -> None:
        with self._lock:
            self._methods[method] += 1

    def count_send(self, signature: Signature) -> None:
        with self._lock:
            self._sends[str(signature)] += 1

    def calls(self) -> dict[str, int]:
        with self._lock:
            return dict(self._methods)

    def sends_per_signature(self) -> dict[str, int]:
        with self._lock:
            return dict(self._sends)


class LocalnetRpcMethods:
    """The methods the SDK, daemon and orchestrator use, plus a few `asdf_*` test controls."""

    def __init__(self, ledger: LocalLedger, faults: FaultInjector, stats: RpcCallStats) -> None:
        self.ledger = ledger
        self.faults = faults
        self.stats = stats
        self._handlers: dict[str, Handler] = {
            "getAccountInfo": self.get_account_info,
            "getMultipleAccounts": self.get_multiple_accounts,
            "getBalance": self.get_balance,
            "getLatestBlockhash": self.get_latest_blockhash,
            "isBlockhashValid": self.is_blockhash_valid,
            "sendTransaction": self.send_transaction,
            "simulateTransaction": self.simulate_transaction,
            "getSignatureStatuses": self.get_signature_statuses,
            "getTransaction": self.get_transaction,
            "getSignaturesForAddress": self.get_signatures_for_address,
            "getSlot": self.get_slot,
            "getBlockHeight": self.get_block_height,
            "getRecentPrioritizationFees": self.get_recent_prioritization_fees,
            "getHealth": self.get_health,
            "getMinimumBalanceForRentExemption": self.get_minimum_balance_for_rent_exemption,
            "getVersion": self.get_version,
            "getGenesisHash": self.get_genesis_hash,
            "getEpochInfo": self.get_epoch_info,
            "getTokenAccountBalance": self.get_token_account_balance,
            "getFeeForMessage": self.get_fee_for_message,
            "getBlockTime": self.get_block_time,
            "requestAirdrop": self.request_airdrop,
            "asdf_advanceClock": self.advance_clock,
            "asdf_setFaults": self.set_faults,
            "asdf_getStats": self.get_stats,
        }

    @property
    def method_names(self) -> frozenset[str]:
        return frozenset(self._handlers)

    def call(self, method: str, params: list[JSONValue]) -> JSONValue:
        handler = self._handlers.get(method)
        if handler is None:
            raise JsonRpcError(JsonRpcError.METHOD_NOT_FOUND, "Method not found")
        self.stats.count_call(method)
        return handler(params)

    # ------------------------------------------------------------------ accounts

    def get_account_info(self, params: list[JSONValue]) -> JSONValue:
        address = _pubkey(_param(params, 0, "pubkey"))
        config = _config(params, 1)
        encoding, data_slice = _account_encoding(config)
        return self._with_context(account_json(self.ledger.get_account(address), encoding, data_slice))

    def get_multiple_accounts(self, params: list[JSONValue]) -> JSONValue:
        raw = _param(params, 0, "pubkeys")
        if not isinstance(raw, list):
            raise invalid_params("Invalid params: pubkeys must be an array")
        if len(raw) > MAX_MULTIPLE_ACCOUNTS:
            raise invalid_params(f"Too many inputs provided; max {MAX_MULTIPLE_ACCOUNTS}")
        addresses = [_pubkey(item) for item in raw]
        encoding, data_slice = _account_encoding(_config(params, 1))
        accounts = self.ledger.get_accounts(addresses)
        return self._with_context([account_json(account, encoding, data_slice) for account in accounts])

    def get_balance(self, params: list[JSONValue]) -> JSONValue:
        address = _pubkey(_param(params, 0, "pubkey"))
        return self._with_context(self.ledger.get_balance(address))

    def get_token_account_balance(self, params: list[JSONValue]) -> JSONValue:
        address = _pubkey(_param(params, 0, "pubkey"))
        account = self.ledger.get_account(address)
        mint = token_account_mint(account)
        decimals = mint_decimals(self.ledger.get_account(mint)) if mint is not None else None
        balance = token_balance(0, account, {mint: decimals}) if mint is not None and decimals is not None else None
        if balance is None:
            raise invalid_params("Invalid param: not a Token account")
        return self._with_context(ui_token_amount_json(balance.amount, balance.decimals))

    def get_minimum_balance_for_rent_exemption(self, params: list[JSONValue]) -> JSONValue:
        size = _param(params, 0, "data length")
        if not _is_uint(size):
            raise invalid_params("Invalid params: data length must be a non-negative integer")
        return self.ledger.minimum_balance_for_rent_exemption(size)

    # ------------------------------------------------------------------ blocks and slots

    def get_latest_blockhash(self, params: list[JSONValue]) -> JSONValue:
        _config(params, 0)
        latest = self.ledger.latest_blockhash()
        return self._with_context(
            {"blockhash": str(latest.blockhash), "lastValidBlockHeight": latest.last_valid_block_height}
        )

    def is_blockhash_valid(self, params: list[JSONValue]) -> JSONValue:
        text = _param(params, 0, "blockhash")
        try:
            blockhash = Hash.from_string(str(text))
        except ValueError:
            raise invalid_params("Invalid params: invalid blockhash") from None
        return self._with_context(self.ledger.is_blockhash_valid(blockhash))

    def get_slot(self, params: list[JSONValue]) -> JSONValue:
        _config(params, 0)
        return self.ledger.slot

    def get_block_height(self, params: list[JSONValue]) -> JSONValue:
        _config(params, 0)
        return self.ledger.block_height

    def get_epoch_info(self, params: list[JSONValue]) -> JSONValue:
        _config(params, 0)
        slot = self.ledger.slot
        return {
            "absoluteSlot": slot,
            "blockHeight": self.ledger.block_height,
            "epoch": 0,
            "slotIndex": slot,
            "slotsInEpoch": 432_000,
            "transactionCount": self.ledger.transaction_count(),
        }

    def get_recent_prioritization_fees(self, params: list[JSONValue]) -> JSONValue:
        raw = params[0] if params else []
        if raw is None:
            raw = []
        if not isinstance(raw, list):
            raise invalid_params("Invalid params: expected an array of account addresses")
        if len(raw) > MAX_PRIORITIZATION_ADDRESSES:
            raise invalid_params(f"Too many inputs provided; max {MAX_PRIORITIZATION_ADDRESSES}")
        addresses = [_pubkey(item) for item in raw]
        return [
            {"slot": slot, "prioritizationFee": fee} for slot, fee in self.ledger.recent_prioritization_fees(addresses)
        ]

    def get_block_time(self, params: list[JSONValue]) -> JSONValue:
        slot = _param(params, 0, "slot")
        if not _is_uint(slot):
            raise invalid_params("Invalid params: slot must be a non-negative integer")
        block_time = self.ledger.block_time(slot)
        if block_time is None:
            raise JsonRpcError(JsonRpcError.BLOCK_NOT_AVAILABLE, f"Block not available for slot {slot}")
        return block_time

    # ------------------------------------------------------------------ transactions

    def get_fee_for_message(self, params: list[JSONValue]) -> JSONValue:
        encoded = _param(params, 0, "message")
        if not isinstance(encoded, str):
            raise invalid_params("Invalid params: message must be a base64 string")
        try:
            message = from_bytes_versioned(base64.b64decode(encoded, validate=True))
        except Exception:  # solders raises its own error types for malformed messages
            raise invalid_params("Invalid params: failed to deserialize the message") from None
        if not self.ledger.is_blockhash_valid(message.recent_blockhash):
            return self._with_context(None)
        return self._with_context(LAMPORTS_PER_SIGNATURE * message.header.num_required_signatures)

    def send_transaction(self, params: list[JSONValue]) -> JSONValue:
        config = _config(params, 1)
        transaction = _decode_transaction(_param(params, 0, "transaction"), config)
        self.stats.count_send(transaction.signatures[0])
        skip_preflight = config.get("skipPreflight", False)
        if not isinstance(skip_preflight, bool):
            raise invalid_params("Invalid params: skipPreflight must be a boolean")
        try:
            signature = self.ledger.send(transaction, preflight=not skip_preflight)
        except PreflightFailed as failure:
            if failure.outcome.err == TransactionErrorFieldless.SignatureFailure:
                raise JsonRpcError(
                    JsonRpcError.TRANSACTION_SIGNATURE_VERIFICATION_FAILURE,
                    "Transaction signature verification failure",
                ) from None
            raise _preflight_error(failure.outcome) from None
        except TransactionRejected as rejected:
            if rejected.err == TransactionErrorFieldless.SignatureFailure:
                raise JsonRpcError(
                    JsonRpcError.TRANSACTION_SIGNATURE_VERIFICATION_FAILURE,
                    "Transaction signature verification failure",
                ) from None
            raise _preflight_error(SimulationOutcome(rejected.err, (), 0, None, ())) from None
        return str(signature)

    def simulate_transaction(self, params: list[JSONValue]) -> JSONValue:
        config = _config(params, 1)
        transaction = _decode_transaction(_param(params, 0, "transaction"), config)
        sig_verify = config.get("sigVerify", False)
        replace = config.get("replaceRecentBlockhash", False)
        inner = config.get("innerInstructions", False)
        if not all(isinstance(flag, bool) for flag in (sig_verify, replace, inner)):
            raise invalid_params("Invalid params: sigVerify, replaceRecentBlockhash, innerInstructions are booleans")
        if sig_verify and replace:
            raise invalid_params("sigVerify may not be used with replaceRecentBlockhash")
        addresses: list[Pubkey] = []
        accounts_config = config.get("accounts")
        if accounts_config is not None:
            if not isinstance(accounts_config, dict) or not isinstance(accounts_config.get("addresses"), list):
                raise invalid_params("Invalid params: accounts.addresses must be an array")
            addresses = [_pubkey(item) for item in accounts_config["addresses"]]
        outcome = self.ledger.simulate(
            transaction, sig_verify=bool(sig_verify), replace_blockhash=bool(replace), account_addresses=addresses
        )
        return self._with_context(simulation_json(outcome, with_inner_instructions=bool(inner)))

    def get_signature_statuses(self, params: list[JSONValue]) -> JSONValue:
        raw = _param(params, 0, "signatures")
        if not isinstance(raw, list):
            raise invalid_params("Invalid params: signatures must be an array")
        if len(raw) > MAX_SIGNATURE_STATUSES:
            raise invalid_params(f"Too many inputs provided; max {MAX_SIGNATURE_STATUSES}")
        _config(params, 1)
        signatures = [_signature(item) for item in raw]
        return self._with_context([signature_status_json(self.ledger.signature_status(sig)) for sig in signatures])

    def get_transaction(self, params: list[JSONValue]) -> JSONValue:
        signature = _signature(_param(params, 0, "signature"))
        config = params[1] if len(params) > 1 else None
        if isinstance(config, str):  # legacy form: the encoding as second param
            config = {"encoding": config}
        config = _config([config], 0)
        encoding = config.get("encoding", "json")
        if encoding == "jsonParsed":
            encoding = "json"
        if encoding not in ("json", "base64", "base58"):
            raise invalid_params(f"Invalid params: unsupported encoding {encoding!r}")
        max_version = config.get("maxSupportedTransactionVersion")
        if max_version is not None and not _is_uint(max_version):
            raise invalid_params("Invalid params: maxSupportedTransactionVersion must be a non-negative integer")
        record = self.ledger.transaction(signature)
        if record is None:
            return None
        version = record.transaction.version()
        if isinstance(version, int) and (max_version is None or version > max_version):
            raise JsonRpcError(
                JsonRpcError.UNSUPPORTED_TRANSACTION_VERSION,
                f"Transaction version ({version}) is not supported by the requesting client. Please try the "
                f'request again with the following configuration parameter: "maxSupportedTransactionVersion": '
                f'{version}',
            )
        return transaction_json(record, encoding, include_version=max_version is not None)

    def get_signatures_for_address(self, params: list[JSONValue]) -> JSONValue:
        address = _pubkey(_param(params, 0, "address"))
        config = _config(params, 1)
        limit = config.get("limit", MAX_SIGNATURES_LIMIT)
        if limit is None:
            limit = MAX_SIGNATURES_LIMIT
        if not _is_uint(limit) or not 1 <= limit <= MAX_SIGNATURES_LIMIT:
            raise invalid_params(f"Invalid limit; max {MAX_SIGNATURES_LIMIT}")
        before = config.get("before")
        until = config.get("until")
        records = self.ledger.signatures_for_address(
            address,
            limit=limit,
            before=_signature(before) if before is not None else None,
            until=_signature(until) if until is not None else None,
        )
        return [signature_info_json(record) for record in records]

    def request_airdrop(self, params: list[JSONValue]) -> JSONValue:
        address = _pubkey(_param(params, 0, "pubkey"))
        lamports = _param(params, 1, "lamports")
        if not _is_uint(lamports):
            raise invalid_params("Invalid params: lamports must be a non-negative integer")
        try:
            return str(self.ledger.airdrop(address, lamports))
        except TransactionRejected as rejected:
            raise JsonRpcError(JsonRpcError.INTERNAL_ERROR, str(rejected)) from None

    # ------------------------------------------------------------------ node

    def get_health(self, params: list[JSONValue]) -> JSONValue:
        return "ok"

    def get_version(self, params: list[JSONValue]) -> JSONValue:
        return {"solana-core": API_VERSION, "feature-set": FEATURE_SET}

    def get_genesis_hash(self, params: list[JSONValue]) -> JSONValue:
        return "EtWTRABZaYq6iMfeYKouRu166VU2xqa1wcaWoxPkrZBG"

    # ------------------------------------------------------------------ test controls (asdf_*)

    def advance_clock(self, params: list[JSONValue]) -> JSONValue:
        seconds = _param(params, 0, "seconds")
        if not _is_uint(seconds):
            raise invalid_params("Invalid params: seconds must be a non-negative integer")
        return self.ledger.advance_clock(seconds)

    def set_faults(self, params: list[JSONValue]) -> JSONValue:
        raw = params[0] if params else {}
        if not isinstance(raw, dict):
            raise invalid_params("Invalid params: expected a fault configuration object")
        try:
            config = FaultConfig.model_validate(raw)
        except ValueError as exc:
            raise invalid_params(f"Invalid fault configuration: {exc}") from None
        self.faults.configure(config)
        return True

    def get_stats(self, params: list[JSONValue]) -> JSONValue:
        return {
            "calls": self.stats.calls(),
            "sendsPerSignature": self.stats.sends_per_signature(),
            "faultsInjected": self.faults.injected(),
            "transactions": self.ledger.transaction_count(),
            "slot": self.ledger.slot,
        }

    # ------------------------------------------------------------------ helpers

    def _with_context(self, value: JSONValue) -> JSONValue:
        return {"context": {"slot": self.ledger.slot, "apiVersion": API_VERSION}, "value": value}


def _param(params: Sequence[JSONValue], index: int, name: str) -> JSONValue:
    if len(params) <= index or params[index] is None:
        raise invalid_params(f"Invalid params: missing {name}")
    return params[index]


def _config(params: Sequence[JSONValue], index: int) -> Mapping[str, Any]:
    if len(params) <= index or params[index] is None:
        return {}
    config = params[index]
    if not isinstance(config, dict):
        raise invalid_params("Invalid params: configuration must be an object")
    return config


def _is_uint(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _pubkey(value: JSONValue) -> Pubkey:
    if not isinstance(value, str):
        raise invalid_params("Invalid param: pubkey must be a base-58 string")
    try:
        return Pubkey.from_string(value)
    except ValueError:
        raise invalid_params(f"Invalid param: WrongSize or invalid base-58 pubkey {value[:64]!r}") from None


def _signature(value: JSONValue) -> Signature:
    if not isinstance(value, str):
        raise invalid_params("Invalid param: signature must be a base-58 string")
    try:
        return Signature.from_string(value)
    except ValueError:
        raise invalid_params(f"Invalid param: invalid signature {value[:100]!r}") from None


def _account_encoding(config: Mapping[str, Any]) -> tuple[Any, tuple[int, int] | None]:
    encoding = config.get("encoding", "base64")
    if encoding == "jsonParsed":
        encoding = "base64"  # no parsers: a real node falls back to base64 for unparsed accounts
    if encoding not in ("base64", "base58", "base64+zstd"):
        raise invalid_params(f"Invalid params: unsupported encoding {encoding!r} (use base64)")
    data_slice = config.get("dataSlice")
    if data_slice is None:
        return encoding, None
    if (
        not isinstance(data_slice, dict)
        or not _is_uint(data_slice.get("offset"))
        or not _is_uint(data_slice.get("length"))
    ):
        raise invalid_params("Invalid params: dataSlice needs non-negative integer offset and length")
    return encoding, (data_slice["offset"], data_slice["length"])


def _decode_transaction(value: JSONValue, config: Mapping[str, Any]) -> VersionedTransaction:
    if not isinstance(value, str):
        raise invalid_params("Invalid params: transaction must be an encoded string")
    encoding = config.get("encoding", "base58")
    try:
        if encoding == "base64":
            raw = base64.b64decode(value, validate=True)
        elif encoding == "base58":
            raw = bytes(based58.b58decode(value.encode()))
        else:
            raise invalid_params(f"Invalid params: unsupported encoding {encoding!r}")
    except (binascii.Error, ValueError) as exc:
        raise invalid_params(f"Invalid params: invalid {encoding} encoding: {exc}") from None
    try:
        transaction = VersionedTransaction.from_bytes(raw)
    except Exception:  # solders raises its own SerdeJSONError / ValueError subclasses
        raise invalid_params("failed to deserialize solana_sdk::transaction::versioned::VersionedTransaction") from None
    if not transaction.signatures:
        raise invalid_params("Invalid params: transaction has no signature")
    return transaction


def _preflight_error(outcome: SimulationOutcome) -> JsonRpcError:
    return JsonRpcError(
        JsonRpcError.SEND_TRANSACTION_PREFLIGHT_FAILURE,
        f"Transaction simulation failed: {describe_error(outcome.err)}",
        simulation_json(outcome, with_inner_instructions=False),
    )


def describe_error(err: TransactionErrorType | None) -> str:
    """Human text like the validator's, e.g. "Error processing Instruction 0: custom program error: 0x1773"."""
    if err is None:
        return "no error"
    if isinstance(err, TransactionErrorInstructionError):
        index, inner = err.index, err.err
        detail = f"custom program error: 0x{inner.code:x}" if isinstance(inner, InstructionErrorCustom) else str(inner)
        return f"Error processing Instruction {index}: {detail}"
    if err == TransactionErrorFieldless.BlockhashNotFound:
        return "Blockhash not found"
    if err == TransactionErrorFieldless.AlreadyProcessed:
        return "This transaction has already been processed"
    rendered = error_json(err)
    return str(rendered)
