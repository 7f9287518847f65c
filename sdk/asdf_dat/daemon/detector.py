"""Lossless detection of creator fees in the shared vaults.

Every ecosystem token has the DAT authority as creator, so their fees share two vaults:
the pump creator vault (native lamports) and the PumpSwap coin-creator vault ATA (WSOL). A
vault's balance cannot be split per token; attribution comes from the trade events each
transaction emits (self-CPI inner instructions tagged `EVENT_IX_TAG`):

* pump `TradeEvent` with `creator == authority`: `creator_fee` to `mint`, in the BC vault;
* PumpSwap `BuyEvent` / `SellEvent` with `coin_creator == authority`: `coin_creator_fee` to the
  mint whose pool it is, in the AMM vault (unknown pool: an orphan keyed `pool:<address>`).

A vault's history is paged back to its cursor (no gap however busy), each transaction is fetched
once, failed ones are skipped, lookup-table keys come from `loadedAddresses`, and a transaction's
credits and the cursor are committed together (`Ledger.apply`). A fetch that fails stops the
vault's scan there: the next poll resumes from the last committed transaction.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import based58
from solders.pubkey import Pubkey
from solders.rpc.responses import RpcConfirmedTransactionStatusWithSignature
from solders.signature import Signature
from solders.transaction_status import (
    EncodedConfirmedTransactionWithStatusMeta,
    UiCompiledInstruction,
)

from asdf_dat.daemon.ledger import Ledger, ProcessedTx
from asdf_dat.network.protocol import Transport
from asdf_dat.network.results import TransactionShapeError, TransportError, account_keys
from asdf_dat.pump.events import Event, creator_fees_paid, decode_event

logger = logging.getLogger(__name__)

VaultKind = Literal["bc", "amm"]
POOL_PREFIX = "pool:"


@dataclass(frozen=True)
class Vault:
    kind: VaultKind
    address: Pubkey

    @property
    def key(self) -> str:
        return str(self.address)


@dataclass(frozen=True)
class Attribution:
    """How events map to mints: the DAT authority (creator of every token) and pool → mint."""

    authority: Pubkey
    pool_to_mint: Mapping[Pubkey, Pubkey]


def credits_of(
    tx: EncodedConfirmedTransactionWithStatusMeta, attribution: Attribution
) -> dict[VaultKind, dict[str, int]]:
    """Creator fees paid by `tx`, per vault kind and mint (or `pool:<address>`)."""
    out: dict[VaultKind, dict[str, int]] = {"bc": {}, "amm": {}}
    meta = tx.transaction.meta
    if meta is None or meta.err is not None or not meta.inner_instructions:
        return out
    keys = account_keys(tx)
    events: list[Event] = []
    for group in meta.inner_instructions:
        for instruction in group.instructions:
            if not isinstance(instruction, UiCompiledInstruction):
                continue
            if instruction.program_id_index >= len(keys):
                raise TransactionShapeError("inner instruction program index out of range")
            program = keys[instruction.program_id_index]
            try:
                data = based58.b58decode(instruction.data.encode())
            except ValueError:
                continue
            try:
                event = decode_event(program, data)
            except (ValueError, IndexError, EOFError) as exc:
                logger.warning("undecodable event in %s: %s", tx.transaction.transaction, exc)
                continue
            if event is not None:
                events.append(event)
    for paid in creator_fees_paid(events, attribution.authority):
        if paid.fee <= 0:
            continue
        if paid.mint is not None:
            key = str(paid.mint)
        else:
            assert paid.pool is not None
            pool_mint = attribution.pool_to_mint.get(paid.pool)
            key = str(pool_mint) if pool_mint is not None else POOL_PREFIX + str(paid.pool)
        out[paid.venue][key] = out[paid.venue].get(key, 0) + paid.fee
    return out


@dataclass
class ScanResult:
    vault: Vault
    signatures_seen: int = 0
    processed: int = 0
    credited_lamports: int = 0
    complete: bool = True
    error: str | None = None
    failed_skipped: int = 0
    new_credits: dict[str, int] = field(default_factory=dict)


class Detector:
    """Scans vault histories into the ledger."""

    def __init__(
        self,
        transport: Transport,
        ledger: Ledger,
        *,
        page_limit: int = 1000,
        fetch_concurrency: int = 8,
        chunk_size: int = 64,
    ) -> None:
        self.transport = transport
        self.ledger = ledger
        self.page_limit = page_limit
        self.fetch_concurrency = fetch_concurrency
        self.chunk_size = chunk_size

    async def new_signatures(self, vault: Vault) -> list[RpcConfirmedTransactionStatusWithSignature]:
        """Signatures of `vault` newer than its cursor, OLDEST first, every page."""
        cursor = self.ledger.cursor(vault.key)
        until = Signature.from_string(cursor.signature) if cursor is not None else None
        newest_first: list[RpcConfirmedTransactionStatusWithSignature] = []
        before: Signature | None = None
        while True:
            page = await self.transport.get_signatures_for_address(
                vault.address, before=before, until=until, limit=self.page_limit
            )
            newest_first.extend(page)
            if len(page) < self.page_limit:
                break
            before = page[-1].signature
        seen: set[Signature] = set()
        ordered: list[RpcConfirmedTransactionStatusWithSignature] = []
        for info in reversed(newest_first):
            if info.signature not in seen:
                seen.add(info.signature)
                ordered.append(info)
        return ordered

    async def scan(
        self,
        vault: Vault,
        attribution: Attribution,
        tracked: set[str],
        cache: dict[Signature, EncodedConfirmedTransactionWithStatusMeta],
    ) -> ScanResult:
        """Bring `vault`'s cursor up to date. `cache` shares fetched transactions between the two
        vaults within one poll (a transaction touching both is fetched once)."""
        result = ScanResult(vault)
        try:
            infos = await self.new_signatures(vault)
        except TransportError as exc:
            result.complete = False
            result.error = f"getSignaturesForAddress failed: {exc}"
            return result
        result.signatures_seen = len(infos)
        own = self.ledger.report_signatures([str(info.signature) for info in infos])
        semaphore = asyncio.Semaphore(self.fetch_concurrency)

        async def fetch(
            info: RpcConfirmedTransactionStatusWithSignature,
        ) -> EncodedConfirmedTransactionWithStatusMeta | None:
            if info.err is not None or str(info.signature) in own:
                return None
            cached = cache.get(info.signature)
            if cached is not None:
                return cached
            async with semaphore:
                tx = await self.transport.get_transaction(info.signature)
            if tx is not None:
                cache[info.signature] = tx
            return tx

        for start in range(0, len(infos), self.chunk_size):
            chunk = infos[start : start + self.chunk_size]
            fetched = await asyncio.gather(*(fetch(info) for info in chunk), return_exceptions=True)
            batch: list[ProcessedTx] = []
            for info, outcome in zip(chunk, fetched, strict=True):
                signature = str(info.signature)
                if info.err is not None:
                    batch.append(ProcessedTx(signature, info.slot, failed=True))
                    result.failed_skipped += 1
                    continue
                if signature in own:
                    # Our own update_pending_fees (it reads the vaults): no trade in it.
                    batch.append(ProcessedTx(signature, info.slot))
                    continue
                if isinstance(outcome, BaseException) or outcome is None:
                    result.complete = False
                    result.error = (
                        f"getTransaction({signature}) failed: {outcome}"
                        if isinstance(outcome, BaseException)
                        else f"getTransaction({signature}) returned nothing yet"
                    )
                    break
                meta = outcome.transaction.meta
                if meta is not None and meta.err is not None:
                    batch.append(ProcessedTx(signature, info.slot, failed=True))
                    result.failed_skipped += 1
                    continue
                try:
                    credits = credits_of(outcome, attribution)[vault.kind]
                except TransactionShapeError as exc:
                    result.complete = False
                    result.error = f"transaction {signature}: {exc}"
                    break
                batch.append(ProcessedTx(signature, outcome.slot, credits=credits))
                for mint, amount in credits.items():
                    result.new_credits[mint] = result.new_credits.get(mint, 0) + amount
            if batch:
                result.credited_lamports += self.ledger.apply(vault.key, batch, tracked)
                result.processed += len(batch)
            if not result.complete:
                break
        return result


def pool_map(entries: Sequence[tuple[Pubkey, Sequence[Pubkey]]]) -> dict[Pubkey, Pubkey]:
    """pool → mint from (mint, its pool addresses) pairs."""
    out: dict[Pubkey, Pubkey] = {}
    for mint, pools in entries:
        for pool in pools:
            out[pool] = mint
    return out
