"""A LiteSVM that behaves like a cluster: slots, blockhashes, clock and transaction history.

LiteSVM executes transactions; `LocalLedger` adds what a JSON-RPC node knows on top:

* every landed transaction gets its own slot (so signatures are totally ordered) and a fresh
  blockhash; the last `blockhash_window` blockhashes stay valid, like the cluster's 150;
* the clock and the slot follow wall time (optional; a slot per 0.4 s, read on every access, so a
  `sleep 60` ends a 60 s cooldown) and the clock can be jumped ahead (`advance_clock`);
* history for `getTransaction` / `getSignaturesForAddress`, indexed by every account key of each
  transaction (static and loaded from lookup tables), with balances, token balances, fee, logs;
* the same signed bytes sent twice land once.

All methods are thread-safe (one lock); LiteSVM calls are short.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from solders.account import Account
from solders.address_lookup_table_account import AddressLookupTable
from solders.clock import Clock
from solders.hash import Hash
from solders.litesvm import LiteSVM
from solders.message import MessageV0
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.transaction import VersionedTransaction
from solders.transaction_metadata import (
    FailedTransactionMetadata,
    InnerInstruction,
    SimulatedTransactionInfo,
    TransactionMetadata,
)
from solders.transaction_status import TransactionErrorFieldless, TransactionErrorType

from asdf_dat.localnet.records import (
    AirdropRecord,
    LoadedAddresses,
    ReturnData,
    TokenBalance,
    TransactionRecord,
    compute_unit_limit,
    compute_unit_price,
    mint_decimals,
    token_account_mint,
    token_balance,
)

DEFAULT_BLOCKHASH_WINDOW = 150
# A cluster's slot time: with the wall clock followed, slots advance at this pace between
# transactions too (each landed transaction still gets a slot of its own).
SLOT_SECONDS = 0.4
LAMPORTS_PER_SIGNATURE = 5_000


class TransactionRejected(Exception):
    """The transaction did not land (bad signature, unknown blockhash, no fee payer funds...)."""

    def __init__(self, err: TransactionErrorType, message: str) -> None:
        super().__init__(message)
        self.err = err


@dataclass(frozen=True)
class SimulationOutcome:
    err: TransactionErrorType | None
    logs: tuple[str, ...]
    units_consumed: int
    return_data: ReturnData | None
    inner_instructions: tuple[tuple[InnerInstruction, ...], ...]
    post_accounts: dict[Pubkey, Account | None] = field(default_factory=dict)
    replacement_blockhash: tuple[Hash, int] | None = None


class PreflightFailed(Exception):
    """Preflight simulation failed, so the transaction was not sent."""

    def __init__(self, outcome: SimulationOutcome) -> None:
        super().__init__(f"transaction simulation failed: {outcome.err}")
        self.outcome = outcome


@dataclass(frozen=True)
class BlockhashInfo:
    blockhash: Hash
    last_valid_block_height: int


def _existing(account: Account | None) -> Account | None:
    return None if account is None or account.lamports == 0 else account


class LocalLedger:
    """Cluster-like bookkeeping over a LiteSVM. Takes over the SVM's blockhash handling."""

    def __init__(
        self,
        svm: LiteSVM,
        *,
        follow_wall_clock: bool = True,
        blockhash_window: int = DEFAULT_BLOCKHASH_WINDOW,
        sig_verify: bool = True,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        if blockhash_window < 1:
            raise ValueError("blockhash_window must be at least 1")
        self._svm = svm
        self._lock = threading.RLock()
        self._follow_wall_clock = follow_wall_clock
        self._wall_clock = wall_clock
        self._clock_offset = 0
        self._start_wall = wall_clock()
        self._start_slot = svm.get_clock().slot
        self._window = blockhash_window
        self._sig_verify = sig_verify
        self._records: dict[Signature, TransactionRecord] = {}
        self._airdrops: dict[Signature, AirdropRecord] = {}
        self._by_address: dict[Pubkey, list[Signature]] = {}
        self._by_slot: dict[int, Signature] = {}
        self._blockhashes: OrderedDict[Hash, int] = OrderedDict()
        svm.with_blockhash_check(False)
        svm.with_sigverify(sig_verify)
        self._sync_clock()
        self._remember_blockhash(svm.latest_blockhash())

    # ----------------------------------------------------------------- chain state

    @property
    def svm(self) -> LiteSVM:
        """The underlying SVM (for setting up accounts; send transactions through the ledger)."""
        return self._svm

    @property
    def slot(self) -> int:
        with self._lock:
            self._sync_clock()
            return self._svm.get_clock().slot

    @property
    def block_height(self) -> int:
        return self.slot

    @property
    def unix_timestamp(self) -> int:
        with self._lock:
            self._sync_clock()
            return self._svm.get_clock().unix_timestamp

    def latest_blockhash(self) -> BlockhashInfo:
        with self._lock:
            blockhash = self._svm.latest_blockhash()
            if blockhash not in self._blockhashes:  # someone expired it on the SVM directly
                self._remember_blockhash(blockhash)
            elif self._blockhashes[blockhash] < self.block_height + self._window:
                # Slots moved on with the wall clock since it was made: a cluster would have a
                # newer one, valid for the full window.
                self._svm.expire_blockhash()
                blockhash = self._svm.latest_blockhash()
                self._remember_blockhash(blockhash)
            return BlockhashInfo(blockhash, self._blockhashes[blockhash])

    def is_blockhash_valid(self, blockhash: Hash) -> bool:
        with self._lock:
            if blockhash == self._svm.latest_blockhash():
                return True
            last_valid = self._blockhashes.get(blockhash)
            return last_valid is not None and last_valid >= self.block_height

    def get_account(self, address: Pubkey) -> Account | None:
        """None for an account with no lamports: LiteSVM keeps a closed account's husk, a
        validator drops it (`getAccountInfo` answers null)."""
        with self._lock:
            self._sync_clock()  # the Clock sysvar, read as an account, shows the time now
            return _existing(self._svm.get_account(address))

    def get_accounts(self, addresses: Sequence[Pubkey]) -> list[Account | None]:
        with self._lock:
            self._sync_clock()
            return [_existing(self._svm.get_account(address)) for address in addresses]

    def get_balance(self, address: Pubkey) -> int:
        with self._lock:
            return self._svm.get_balance(address) or 0

    def minimum_balance_for_rent_exemption(self, data_len: int) -> int:
        with self._lock:
            return self._svm.minimum_balance_for_rent_exemption(data_len)

    def advance_clock(self, seconds: int) -> int:
        """Move the on-chain clock forward by `seconds` (for cooldowns). Returns the new timestamp."""
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            self._clock_offset += seconds
            clock = self._svm.get_clock()
            self._set_timestamp(clock.unix_timestamp + seconds)
            self._sync_clock()
            return self._svm.get_clock().unix_timestamp

    # ----------------------------------------------------------------- execution

    def simulate(
        self,
        transaction: VersionedTransaction,
        *,
        sig_verify: bool = False,
        replace_blockhash: bool = False,
        account_addresses: Sequence[Pubkey] = (),
    ) -> SimulationOutcome:
        with self._lock:
            self._sync_clock()
            replacement: tuple[Hash, int] | None = None
            if replace_blockhash:
                if sig_verify:
                    raise ValueError("sigVerify and replaceRecentBlockhash are mutually exclusive")
                latest = self.latest_blockhash()
                replacement = (latest.blockhash, latest.last_valid_block_height)
            elif not self.is_blockhash_valid(transaction.message.recent_blockhash):
                return SimulationOutcome(TransactionErrorFieldless.BlockhashNotFound, (), 0, None, ())
            self._svm.with_sigverify(sig_verify and self._sig_verify)
            try:
                result = self._svm.simulate_transaction(transaction)
            finally:
                self._svm.with_sigverify(self._sig_verify)
            return _simulation_outcome(result, account_addresses, self._svm, replacement)

    def send(self, transaction: VersionedTransaction, *, preflight: bool = True) -> Signature:
        """Execute `transaction`; returns its signature once it has landed (successfully or not).

        Raises `PreflightFailed` (preflight on and simulation failed, nothing landed) or
        `TransactionRejected` (it could not land at all). Sending the bytes of a transaction that
        already landed returns its signature again (and, with preflight, raises AlreadyProcessed
        like a real node).
        """
        signature = transaction.signatures[0]
        with self._lock:
            if signature in self._records:
                if preflight:
                    raise PreflightFailed(
                        SimulationOutcome(TransactionErrorFieldless.AlreadyProcessed, (), 0, None, ())
                    )
                return signature
            if not self.is_blockhash_valid(transaction.message.recent_blockhash):
                raise TransactionRejected(TransactionErrorFieldless.BlockhashNotFound, "Blockhash not found")
            self._sync_clock()
            if preflight:
                simulated = self._svm.simulate_transaction(transaction)
                if isinstance(simulated, FailedTransactionMetadata):
                    raise PreflightFailed(_simulation_outcome(simulated, (), self._svm, None))
            keys, loaded = self._account_keys(transaction)
            pre_accounts = [self._svm.get_account(key) for key in keys]
            slot = self.slot
            block_time = self.unix_timestamp
            result = self._svm.send_transaction(transaction)
            priority_fee = self._charge_priority_fee(transaction, keys[0], pre_accounts[0])
            post_accounts = [self._svm.get_account(key) for key in keys]
            pre_balances = tuple(account.lamports if account else 0 for account in pre_accounts)
            post_balances = tuple(account.lamports if account else 0 for account in post_accounts)
            if isinstance(result, FailedTransactionMetadata):
                err: TransactionErrorType | None = result.err()
                meta = result.meta()
                landed = post_balances[0] != pre_balances[0]
                if not landed:
                    assert err is not None
                    raise TransactionRejected(err, f"transaction rejected: {err}")
                fee = pre_balances[0] - post_balances[0]
            else:
                err = None
                meta = result
                fee = LAMPORTS_PER_SIGNATURE * transaction.message.header.num_required_signatures + priority_fee
            decimals = self._mint_decimals([*pre_accounts, *post_accounts])
            record = TransactionRecord(
                signature=signature,
                slot=slot,
                block_time=block_time,
                transaction=transaction,
                account_keys=keys,
                loaded_addresses=loaded,
                writable_keys=_writable_keys(transaction, keys, loaded),
                err=err,
                fee=fee,
                pre_balances=pre_balances,
                post_balances=post_balances,
                pre_token_balances=_token_balances(pre_accounts, decimals),
                post_token_balances=_token_balances(post_accounts, decimals),
                logs=tuple(meta.logs()),
                inner_instructions=tuple(tuple(group) for group in meta.inner_instructions()),
                compute_units_consumed=meta.compute_units_consumed(),
                return_data=_return_data(meta),
                compute_unit_price=compute_unit_price(transaction),
            )
            self._records[signature] = record
            self._by_slot[slot] = signature
            for key in dict.fromkeys(keys):
                self._by_address.setdefault(key, []).append(signature)
            self._next_slot()
            return signature

    def _charge_priority_fee(self, transaction: VersionedTransaction, payer: Pubkey, before: Account | None) -> int:
        """LiteSVM charges the signature fee only; a validator also charges the priority fee,
        ceil(compute-unit price x compute-unit limit / 10^6) lamports, on every transaction that
        lands (failed ones included). Debit it from the fee payer the same way."""
        price = compute_unit_price(transaction)
        account = self._svm.get_account(payer)
        if price == 0 or account is None or before is None or account.lamports == before.lamports:
            return 0  # no price, or it did not land (nothing was charged)
        fee = min(-(-price * compute_unit_limit(transaction) // 1_000_000), account.lamports)
        self._svm.set_account(
            payer,
            Account(account.lamports - fee, bytes(account.data), account.owner, account.executable, account.rent_epoch),
        )
        return fee

    def airdrop(self, address: Pubkey, lamports: int) -> Signature:
        with self._lock:
            self._sync_clock()
            result = self._svm.airdrop(address, lamports)
            if isinstance(result, FailedTransactionMetadata):
                raise TransactionRejected(result.err(), f"airdrop failed: {result.err()}")
            record = AirdropRecord(result.signature(), self.slot, self.unix_timestamp, None)
            self._airdrops[record.signature] = record
            self._next_slot()
            return record.signature

    # ----------------------------------------------------------------- history

    def transaction(self, signature: Signature) -> TransactionRecord | None:
        with self._lock:
            return self._records.get(signature)

    def signature_status(self, signature: Signature) -> TransactionRecord | AirdropRecord | None:
        with self._lock:
            return self._records.get(signature) or self._airdrops.get(signature)

    def signatures_for_address(
        self,
        address: Pubkey,
        *,
        limit: int = 1000,
        before: Signature | None = None,
        until: Signature | None = None,
    ) -> list[TransactionRecord]:
        """Transactions touching `address`, newest first, strictly older than `before`, stopping
        (exclusive) at `until`."""
        with self._lock:
            signatures = self._by_address.get(address, [])
            start = len(signatures)
            if before is not None:
                try:
                    start = signatures.index(before)
                except ValueError:
                    return []
            found: list[TransactionRecord] = []
            for index in range(start - 1, -1, -1):
                if len(found) >= limit or signatures[index] == until:
                    break
                found.append(self._records[signatures[index]])
            return found

    def recent_prioritization_fees(self, addresses: Iterable[Pubkey] = ()) -> list[tuple[int, int]]:
        """(slot, minimum compute-unit price) for the recent slots, like `getRecentPrioritizationFees`.

        With addresses, only transactions write-locking one of them count; slots without a matching
        transaction report 0.
        """
        wanted = frozenset(addresses)
        with self._lock:
            current = self.slot
            fees: list[tuple[int, int]] = []
            for slot in range(max(0, current - self._window), current):
                signature = self._by_slot.get(slot)
                record = self._records.get(signature) if signature is not None else None
                price = 0
                if record is not None and (not wanted or wanted & record.writable_keys):
                    price = record.compute_unit_price
                fees.append((slot, price))
            return fees

    def block_time(self, slot: int) -> int | None:
        """Unix time of a slot that holds a transaction (None for other slots)."""
        with self._lock:
            signature = self._by_slot.get(slot)
            record = self._records.get(signature) if signature is not None else None
            return record.block_time if record is not None else None

    def transaction_count(self) -> int:
        with self._lock:
            return len(self._records)

    # ----------------------------------------------------------------- internals

    def _account_keys(self, transaction: VersionedTransaction) -> tuple[tuple[Pubkey, ...], LoadedAddresses]:
        message = transaction.message
        static = tuple(message.account_keys)
        if not isinstance(message, MessageV0) or not message.address_table_lookups:
            return static, LoadedAddresses()
        writable: list[Pubkey] = []
        readonly: list[Pubkey] = []
        for lookup in message.address_table_lookups:
            table_account = self._svm.get_account(lookup.account_key)
            if table_account is None:
                raise TransactionRejected(
                    TransactionErrorFieldless.AddressLookupTableNotFound, "address lookup table not found"
                )
            addresses = AddressLookupTable.deserialize(bytes(table_account.data)).addresses
            try:
                writable.extend(addresses[i] for i in bytes(lookup.writable_indexes))
                readonly.extend(addresses[i] for i in bytes(lookup.readonly_indexes))
            except IndexError:
                raise TransactionRejected(
                    TransactionErrorFieldless.InvalidAddressLookupTableIndex, "invalid address lookup table index"
                ) from None
        loaded = LoadedAddresses(tuple(writable), tuple(readonly))
        return (*static, *loaded.writable, *loaded.readonly), loaded

    def _mint_decimals(self, accounts: Sequence[Account | None]) -> dict[Pubkey, int]:
        decimals: dict[Pubkey, int] = {}
        for account in accounts:
            try:
                mint = token_account_mint(account)
                if mint is None or mint in decimals:
                    continue
                value = mint_decimals(self._svm.get_account(mint))
            except (IndexError, ValueError):  # malformed token data: report no token balance
                continue
            if value is not None:
                decimals[mint] = value
        return decimals

    def _remember_blockhash(self, blockhash: Hash) -> None:
        self._blockhashes[blockhash] = self.block_height + self._window
        while len(self._blockhashes) > self._window + 1:
            self._blockhashes.popitem(last=False)

    def _next_slot(self) -> None:
        self._svm.warp_to_slot(self.slot + 1)
        self._svm.expire_blockhash()
        self._remember_blockhash(self._svm.latest_blockhash())

    def _sync_clock(self) -> None:
        """Follow the wall clock: unix time (plus what `advance_clock` added) and the slot
        (one per SLOT_SECONDS since start). Both only move forward."""
        if not self._follow_wall_clock:
            return
        now = self._wall_clock()
        target = int(now) + self._clock_offset
        if target > self._svm.get_clock().unix_timestamp:
            self._set_timestamp(target)
        wall_slot = self._start_slot + int((now - self._start_wall) / SLOT_SECONDS)
        if wall_slot > self._svm.get_clock().slot:
            self._svm.warp_to_slot(wall_slot)

    def _set_timestamp(self, unix_timestamp: int) -> None:
        clock = self._svm.get_clock()
        self._svm.set_clock(
            Clock(
                slot=clock.slot,
                epoch_start_timestamp=clock.epoch_start_timestamp,
                epoch=clock.epoch,
                leader_schedule_epoch=clock.leader_schedule_epoch,
                unix_timestamp=unix_timestamp,
            )
        )


def _simulation_outcome(
    result: SimulatedTransactionInfo | FailedTransactionMetadata,
    account_addresses: Sequence[Pubkey],
    svm: LiteSVM,
    replacement: tuple[Hash, int] | None,
) -> SimulationOutcome:
    if isinstance(result, FailedTransactionMetadata):
        meta = result.meta()
        err: TransactionErrorType | None = result.err()
        post: dict[Pubkey, Account] = {}
    else:
        meta = result.meta()
        err = None
        post = dict(result.post_accounts())
    accounts: dict[Pubkey, Account | None] = {
        address: post[address] if address in post else svm.get_account(address) for address in account_addresses
    }
    return SimulationOutcome(
        err=err,
        logs=tuple(meta.logs()),
        units_consumed=meta.compute_units_consumed(),
        return_data=_return_data(meta),
        inner_instructions=tuple(tuple(group) for group in meta.inner_instructions()),
        post_accounts=accounts,
        replacement_blockhash=replacement,
    )


def _return_data(meta: TransactionMetadata) -> ReturnData | None:
    # solders 0.26's stub calls it `transaction_return_data`; the runtime method is `return_data`.
    returned = meta.return_data()  # type: ignore[attr-defined]
    data = bytes(returned.data)
    return ReturnData(returned.program_id, data) if data else None


def _token_balances(accounts: Sequence[Account | None], decimals: dict[Pubkey, int]) -> tuple[TokenBalance, ...]:
    balances: list[TokenBalance] = []
    for index, account in enumerate(accounts):
        try:
            balance = token_balance(index, account, decimals)
        except (IndexError, ValueError):  # malformed token data: report no token balance
            continue
        if balance is not None:
            balances.append(balance)
    return tuple(balances)


def _writable_keys(
    transaction: VersionedTransaction, keys: tuple[Pubkey, ...], loaded: LoadedAddresses
) -> frozenset[Pubkey]:
    header = transaction.message.header
    static_count = len(keys) - len(loaded.writable) - len(loaded.readonly)
    signed = header.num_required_signatures
    writable = [
        key
        for index, key in enumerate(keys[:static_count])
        if (index < signed - header.num_readonly_signed_accounts)
        or (signed <= index < static_count - header.num_readonly_unsigned_accounts)
    ]
    return frozenset((*writable, *loaded.writable))
