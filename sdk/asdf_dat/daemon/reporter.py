"""Idempotent on-chain flushes: `update_pending_fees` batches.

1. Resolve every report still in flight (from this run or a previous one) before building new
   ones: its signature status, else the on-chain watermark of its tokens (a batch is atomic, so
   one token tells for all), else its blockhash expiry. Only a definite answer changes the
   ledger: landed → `mark_landed`; failed or expired → `release` (amounts back to pending).
   While unknown, the same signed bytes are re-sent and the tokens wait.
2. Read the chain's watermark of every token with fees to report and `rebase` the ledger where
   it differs (another daemon reported, or the ledger is a restored or rebuilt copy).
3. Build batches: per token, the credits in (chain watermark, newest credit scanned], sign,
   persist bytes + watermarks (`Ledger.record_report`), THEN send and confirm. A report refused
   as stale (`StaleWatermark`: the chain moved meanwhile) goes back to 2, once per flush.

Each report names the watermark it starts from and the program compares it with the token's
(compare-and-swap), so however many daemons report, from whatever ledger, a trade counts once.
The same signed bytes are never recorded twice: a rebuilt identical report is re-signed with a
fresh blockhash, or waits for the next flush.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from solders.compute_budget import set_compute_unit_limit, set_compute_unit_price
from solders.hash import Hash
from solders.keypair import Keypair
from solders.message import Message
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.transaction import Transaction

from asdf_dat.daemon.ledger import (
    DuplicateReportError,
    Ledger,
    LedgerError,
    MintState,
    ReportItem,
    StoredReport,
)
from asdf_dat.dat import instructions as dix
from asdf_dat.dat.accounts import AccountDecodeError, TokenStats, decode_token_stats, token_watermark
from asdf_dat.dat.errors import custom_error_code, error_for_code
from asdf_dat.dat.instructions import FeeReport
from asdf_dat.dat.pdas import token_stats_address
from asdf_dat.network.protocol import Transport
from asdf_dat.network.results import (
    ConfirmationTimeoutError,
    TransactionExpiredError,
    TransactionFailedError,
    TransportError,
    reaches,
)

logger = logging.getLogger(__name__)

# Compute budget of one report transaction (measured: ~6k CU per token, see test_dat_program).
CU_BASE = 20_000
CU_PER_TOKEN = 10_000

Resolution = Literal["landed", "released", "unknown"]


@dataclass(frozen=True)
class ReportTarget:
    """Where reports go: the keeper that signs and the vault accounts the program checks."""

    keeper: Keypair
    bc_creator_vault: Pubkey
    amm_vault_ata: Pubkey


@dataclass
class ItemOutcome:
    mint: str
    amount: int
    success: bool
    error: str | None = None

    @property
    def stale(self) -> bool:
        return self.error is not None and "StaleWatermark" in self.error


@dataclass
class FlushOutcome:
    items: list[ItemOutcome] = field(default_factory=list)
    landed_reports: int = 0
    released_reports: int = 0
    unresolved_reports: int = 0
    rebased: dict[str, int] = field(default_factory=dict)
    error: str | None = None

    @property
    def total_flushed(self) -> int:
        return sum(item.amount for item in self.items if item.success)


class Reporter:
    def __init__(self, transport: Transport, ledger: Ledger, target: ReportTarget, *, batch_size: int = 10,
                 confirm_timeout_seconds: float = 30.0, priority_fees: bool = False) -> None:
        self.transport = transport
        self.priority_fees = priority_fees
        self.ledger = ledger
        self.target = target
        self.batch_size = batch_size
        self.confirm_timeout_seconds = confirm_timeout_seconds
        self._lock = asyncio.Lock()

    # ------------------------------------------------------------------ chain reads

    async def read_stats(self, mints: Sequence[str]) -> dict[str, TokenStats | None]:
        """On-chain `TokenStats` of `mints` (None: not registered)."""
        pdas = [token_stats_address(Pubkey.from_string(m)) for m in mints]
        accounts = await self.transport.get_accounts(pdas)
        out: dict[str, TokenStats | None] = {}
        for mint, account in zip(mints, accounts, strict=True):
            view: TokenStats | None = None
            if account is not None:
                try:
                    view = decode_token_stats(bytes(account.data))
                except AccountDecodeError:
                    view = None
            out[mint] = view
        return out

    # ------------------------------------------------------------------ resolution

    async def resolve(self, report: StoredReport) -> Resolution:
        """Decide what became of an in-flight report; updates the ledger on a definite answer."""
        signature = Signature.from_string(report.signature)
        status = (await self.transport.get_signature_statuses([signature]))[0]
        if status is not None:
            if status.err is not None:
                code = custom_error_code(status.err)
                self.ledger.release(report.signature, f"landed with error {status.err}")
                logger.warning("report %s failed on-chain (%s, code %s); amounts back to pending",
                               report.signature, status.err, code)
                return "released"
            if reaches(status.confirmation_status, self.transport.commitment):
                self.ledger.mark_landed(report.signature, f"confirmed at slot {status.slot}")
                return "landed"
            return "unknown"
        first = report.items[0]
        stats = (await self.read_stats([first.mint]))[first.mint]
        if stats is not None and token_watermark(stats) >= (first.watermark_slot, first.watermark_seq):
            self.ledger.mark_landed(report.signature, "on-chain watermark reached")
            return "landed"
        height = await self.transport.get_block_height()
        if height > report.last_valid_block_height:
            # Expired: it can never land. Check the status once more (it may have landed just
            # before expiry and been indexed late), then release.
            again = (await self.transport.get_signature_statuses([signature]))[0]
            if again is not None:
                return await self.resolve(report)
            self.ledger.release(report.signature, "blockhash expired without landing")
            return "released"
        return "unknown"

    async def resolve_all(self) -> tuple[int, int, int]:
        """(landed, released, unknown) over every in-flight report; unknown ones are re-sent."""
        landed = released = unknown = 0
        for report in self.ledger.reports("inflight"):
            try:
                outcome = await self.resolve(report)
            except TransportError as exc:
                logger.info("cannot resolve report %s yet: %s", report.signature, exc)
                outcome = "unknown"
            if outcome == "landed":
                landed += 1
            elif outcome == "released":
                released += 1
            else:
                unknown += 1
                try:
                    await self.transport.send_raw_transaction(report.raw, skip_preflight=True)
                except TransportError as exc:
                    logger.info("re-send of report %s failed: %s", report.signature, exc)
        return landed, released, unknown

    # ------------------------------------------------------------------ building

    def plan(self, states: Mapping[str, MintState], reportable: set[str],
             up_to_slot: int | None = None) -> list[list[FeeReport]]:
        """Batches of everything pending for mints without a report in flight: each item covers
        the mint's credits from the known chain watermark to the newest one at or below
        `up_to_slot` (the slot through which every vault has been scanned)."""
        items: list[FeeReport] = []
        for mint in sorted(states):
            state = states[mint]
            if state.pending <= 0 or state.inflight > 0 or mint not in reportable:
                continue
            span = self.ledger.report_range(mint, up_to_slot)
            if span is None:
                continue
            items.append(FeeReport(Pubkey.from_string(mint), span.amount, span.new[0], span.new[1],
                                       span.previous[0], span.previous[1]))
        return [items[i : i + self.batch_size] for i in range(0, len(items), self.batch_size)]

    async def rebase(self, states: Mapping[str, MintState], reportable: set[str]) -> dict[str, int]:
        """Align the ledger to the chain's watermark of every token about to be reported;
        returns the change of pending per token that moved."""
        mints = [m for m, s in sorted(states.items()) if s.pending > 0 and s.inflight == 0 and m in reportable]
        if not mints:
            return {}
        moved: dict[str, int] = {}
        for mint, stats in (await self.read_stats(mints)).items():
            if stats is None or token_watermark(stats) == states[mint].reported:
                continue
            change = self.ledger.rebase(mint, token_watermark(stats))
            if change is not None:
                moved[mint] = change
                logger.warning("%s: the chain's watermark %s differs from the ledger's %s (another reporter, or "
                               "a restored ledger); pending recomputed from the trades after it (%+d lamports)",
                               mint, token_watermark(stats), states[mint].reported, change)
        return moved

    def sign(
        self, batch: Sequence[FeeReport], blockhash: Hash, priority_micro_lamports: int | None = None
    ) -> Transaction:
        instruction = dix.update_pending_fees(
            self.target.keeper.pubkey(), batch,
            bc_creator_vault=self.target.bc_creator_vault, amm_vault_ata=self.target.amm_vault_ata,
        )
        instructions = [instruction]
        if priority_micro_lamports is not None:
            units = CU_BASE + CU_PER_TOKEN * len(batch)
            instructions = [set_compute_unit_limit(units), set_compute_unit_price(priority_micro_lamports), instruction]
        message = Message.new_with_blockhash(instructions, self.target.keeper.pubkey(), blockhash)
        return Transaction([self.target.keeper], message, blockhash)

    # ------------------------------------------------------------------ flushing

    async def flush(self, reportable: set[str], up_to_slot: int | None = None) -> FlushOutcome:
        """Resolve in-flight reports, then report everything pending. Serialized: a timer flush and
        an API flush never run at the same time."""
        async with self._lock:
            return await self._flush(reportable, up_to_slot)

    async def _flush(self, reportable: set[str], up_to_slot: int | None) -> FlushOutcome:
        outcome = FlushOutcome()
        landed, released, unknown = await self.resolve_all()
        outcome.landed_reports += landed
        outcome.released_reports += released
        outcome.unresolved_reports = unknown
        for attempt in range(2):
            states = self.ledger.mint_states()
            outcome.rebased.update(await self.rebase(states, reportable))
            items = await self._report(self.plan(self.ledger.mint_states(), reportable, up_to_slot), outcome)
            if attempt == 0 and any(item.stale for item in items):
                # The chain moved between our read and the send: re-read, recompute, retry once.
                outcome.items.extend(i for i in items if not i.stale)
                continue
            outcome.items.extend(items)
            break
        return outcome

    async def _report(self, batches: list[list[FeeReport]], outcome: FlushOutcome) -> list[ItemOutcome]:
        if not batches:
            return []
        latest = await self.transport.get_latest_blockhash()
        price: int | None = None
        if self.priority_fees:
            try:
                price = await self.transport.get_priority_fee([self.target.bc_creator_vault])
            except TransportError as exc:
                logger.info("priority fee unavailable (%s); sending without", exc)
        prepared: list[tuple[Transaction, list[FeeReport], int]] = []
        for batch in batches:
            for retry in range(3):
                tx = self.sign(batch, latest.blockhash, price)
                try:
                    self.ledger.record_report(
                        str(tx.signatures[0]),
                        bytes(tx),
                        latest.last_valid_block_height,
                        [ReportItem(str(i.mint), i.amount, i.watermark_slot, i.watermark_seq) for i in batch],
                    )
                except DuplicateReportError:
                    # The same report with the same blockhash was sent (and refused) before: these
                    # bytes cannot land again. Re-sign with a fresh blockhash, or wait for one.
                    if retry < 2:
                        await asyncio.sleep(0.4 * (retry + 1))
                        latest = await self.transport.get_latest_blockhash()
                    else:
                        logger.info("report %s already sent and no fresh blockhash yet; next flush", tx.signatures[0])
                    continue
                except LedgerError as exc:
                    logger.warning("report not recorded: %s", exc)
                    break
                prepared.append((tx, batch, latest.last_valid_block_height))
                break
        results = await asyncio.gather(*(self._send(tx, batch, height) for tx, batch, height in prepared))
        out: list[ItemOutcome] = []
        for items in results:
            out.extend(items)
            if items and all(item.success for item in items):
                outcome.landed_reports += 1
        return out

    async def _send(self, tx: Transaction, batch: list[FeeReport], last_valid_block_height: int) -> list[ItemOutcome]:
        signature = str(tx.signatures[0])

        def items(success: bool, error: str | None = None) -> list[ItemOutcome]:
            return [ItemOutcome(str(i.mint), i.amount, success, error) for i in batch]

        try:
            await self.transport.send_and_confirm(
                bytes(tx), last_valid_block_height=last_valid_block_height, timeout_seconds=self.confirm_timeout_seconds
            )
        except TransactionFailedError as failure:
            note = f"{failure.err}{self._describe_code(custom_error_code(failure.err))}"
            if failure.landed:
                self.ledger.release(signature, f"landed with error {note}")
                logger.warning("report %s failed on-chain: %s; amounts back to pending", signature, note)
                return items(False, note)
            # Preflight refused these bytes, so the node did not forward them; an earlier send of
            # the same bytes would have answered AlreadyProcessed. Check the status once anyway.
            try:
                status = (await self.transport.get_signature_statuses([tx.signatures[0]]))[0]
            except TransportError as exc:
                return items(False, f"preflight failed ({note}); status unknown ({exc}), kept in flight")
            if status is not None:
                stored = self._stored(signature)
                if stored is not None and await self.resolve(stored) == "landed":
                    return items(True)
                return items(False, note)
            self.ledger.release(signature, f"preflight refused: {note}")
            logger.warning("report %s refused by preflight: %s; amounts back to pending", signature, note)
            return items(False, note)
        except TransactionExpiredError:
            stored = self._stored(signature)
            if stored is not None:
                try:
                    resolution = await self.resolve(stored)
                except TransportError:
                    resolution = "unknown"
                if resolution == "landed":
                    return items(True)
            return items(False, "expired before landing; will be rebuilt")
        except (ConfirmationTimeoutError, TransportError) as exc:
            logger.warning("report %s unconfirmed (%s); kept in flight, resolved next flush", signature, exc)
            return items(False, f"unconfirmed: {exc}")
        self.ledger.mark_landed(signature, "confirmed")
        return items(True)

    def _stored(self, signature: str) -> StoredReport | None:
        return next((r for r in self.ledger.reports("inflight") if r.signature == signature), None)

    @staticmethod
    def _describe_code(code: int | None) -> str:
        error = error_for_code(code)
        return f" ({error.name})" if error is not None else ""
