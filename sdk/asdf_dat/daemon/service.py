"""The fee daemon, `FeeDaemon`: start-up checks, the poll loop (`run_loop` / `tick`, one obvious
place), flushes, the state file, and a clean SIGTERM shutdown. What the API answers is built in
`daemon/views.py` (typed models); the HTTP server and the process around the loop in
`daemon/server.py` (`serve`).

One tick:
1. one `getMultipleAccounts` for the DAT state, both vaults and the keeper wallet;
2. for each vault whose account changed (or on the first tick / every `full_scan_interval`):
   page its signatures to the cursor and credit the trades (`Detector.scan`);
3. pick up new token config files; refresh on-chain token stats when due;
4. flush to the chain when due (`Reporter.flush`), reconcile vaults against attributions;
5. rewrite `.daemon-state.json` if anything changed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
from dataclasses import dataclass, field
from typing import Any, Literal

from solders.account import Account
from solders.keypair import Keypair
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.transaction_status import EncodedConfirmedTransactionWithStatusMeta

from asdf_dat.config.lock import DaemonLock
from asdf_dat.config.tokens import TokenConfig, TokenRegistry, graduated_changes, rewrite_token_file
from asdf_dat.daemon.alerts import Alerter
from asdf_dat.daemon.api import DaemonView, FlushDetail, FlushResult, HealthReport
from asdf_dat.daemon.config import DaemonConfig
from asdf_dat.daemon.detector import POOL_PREFIX, Attribution, Detector, Vault
from asdf_dat.daemon.health import failures_level, sync_level, wallet_level
from asdf_dat.daemon.ledger import Ledger, LedgerError
from asdf_dat.daemon.metrics import MetricsSnapshot, build_registry, render
from asdf_dat.daemon.reporter import FlushOutcome, Reporter, ReportTarget
from asdf_dat.daemon.state_file import DaemonState, InflightView, StateFile
from asdf_dat.daemon.views import (
    dump,
    health_report,
    iso,
    liveness_view,
    metrics_snapshot,
    readiness_view,
    stats_view,
    status_view,
)
from asdf_dat.dat.accounts import (
    AccountDecodeError,
    DatState,
    TokenStats,
    decode_dat_state,
    is_operator,
    token_watermark,
)
from asdf_dat.dat.cycle import committed_lamports
from asdf_dat.dat.graduation import Graduation, GraduationOutcome, apply_graduations, find_graduations
from asdf_dat.dat.math import RENT_EXEMPT_ZERO_DATA
from asdf_dat.dat.pdas import authority_address, fee_vault_address, state_address
from asdf_dat.network.protocol import Transport
from asdf_dat.network.results import TransportError
from asdf_dat.programs import ASDF_DAT_PROGRAM_ID
from asdf_dat.pump import addresses as paddr
from asdf_dat.pump.tokens import token_amount
from asdf_dat.units import format_sol

logger = logging.getLogger(__name__)


class StartupError(RuntimeError):
    """The daemon cannot start; the message says what to fix."""


@dataclass
class Counters:
    polls: int = 0
    polls_ok: int = 0
    poll_errors: int = 0
    consecutive_poll_failures: int = 0
    last_poll_at: float | None = None
    last_ok_poll_at: float | None = None
    last_ok_poll_monotonic: float | None = None
    last_error: str | None = None
    flushes: int = 0
    flush_errors: int = 0
    last_flush_at: float | None = None
    reports_landed: int = 0
    reports_released: int = 0
    fees_detected: int = 0
    fees_reported: int = 0
    last_sync_at: float = field(default_factory=time.time)
    unsynced_since: float | None = None
    divergence: int | None = None
    pool_balance: int | None = None
    divergent_ticks: int = 0


class FeeDaemon(DaemonView):
    def __init__(
        self,
        config: DaemonConfig,
        transport: Transport,
        keeper: Keypair,
        *,
        alerter: Alerter | None = None,
    ) -> None:
        self.config = config
        self.transport = transport
        self.keeper = keeper
        self.alerter = alerter or Alerter(config.alerts)
        self.registry = TokenRegistry(config.tokens_dir, config.network)
        self.lock = DaemonLock(config.lock_path)
        self.state_file = StateFile(config.state_path, config.state_backup_path)
        self.ledger: Ledger | None = None
        self.detector: Detector | None = None
        self.reporter: Reporter | None = None
        self.vaults: list[Vault] = []
        self.dat_state: DatState | None = None
        self.onchain: dict[str, TokenStats | None] = {}
        self.counters = Counters()
        self.wallet_lamports: int | None = None
        # Fee-sharing tokens: their fee-account balance above rent, read every poll (nothing to
        # attribute: their creator fees never touch the shared vaults).
        self.fee_account_lamports: dict[str, int] = {}
        self.started_at = time.time()
        self._started_monotonic = time.monotonic()
        self.running = False
        self.stopping = False
        self._stop = asyncio.Event()
        self._flush_requested = asyncio.Event()
        self._last_accounts: dict[Pubkey, tuple[int, bytes] | None] = {}
        self._last_full_scan = 0.0
        self._last_stats_refresh = 0.0
        self._last_rescan = time.monotonic()
        self._last_flush_monotonic = 0.0
        self._state_dirty = True
        self._metrics = build_registry(self.metrics_snapshot)
        self._state_from_file: DaemonState | None = None
        self._vault_accounts: dict[Pubkey, Account | None] = {}
        self._held_accounts: dict[Pubkey, Account | None] = {}
        self._unregistered_warned: set[str] = set()
        self._attribution: tuple[int, Attribution] | None = None
        self._graduations_reported: set[tuple[str, str]] = set()
        self._last_graduation_check = 0.0  # the first poll checks, then every stats refresh interval
        # Every vault's history is in the ledger through this slot (reports stop there, so a trade
        # of a vault scanned later is never left below a watermark already reported).
        self._scanned_through = -1
        self._loop_failures = 0

    # ================================================================== start-up

    def open(self) -> None:
        """Lock, token configs, ledger (synchronous part of start-up). Raises on any problem."""
        self.lock.acquire()
        try:
            tokens = self.registry.load_initial()
            if not tokens:
                logger.warning("no token config files in %s yet; waiting for some", self.config.tokens_dir)
            self.ledger = Ledger.open(self.config.ledger_path)
            self.ledger.bind(self.config.network.value, str(ASDF_DAT_PROGRAM_ID))
            outcome = self.state_file.load()
            for problem in outcome.problems:
                self.alerter.send("state_file_corrupt", "warning", "State file corrupted", problem)
            self._state_from_file = outcome.state
        except BaseException:
            self.lock.release()
            raise

    async def prepare(self) -> None:
        """Chain checks and recovery: DAT state, vaults, in-flight reports, watermarks."""
        assert self.ledger is not None
        account = await self.transport.get_account(state_address())
        if account is None:
            raise StartupError(
                f"DAT state {state_address()} not found on {self.config.network.value}: initialize the program first"
            )
        try:
            dat = decode_dat_state(bytes(account.data))
        except AccountDecodeError as exc:
            raise StartupError(f"DAT state {state_address()}: {exc}") from None
        if not is_operator(dat, self.keeper.pubkey()):
            raise StartupError(
                f"wallet {self.keeper.pubkey()} is neither the keeper ({dat.keeper}) nor the admin ({dat.admin}); "
                "it cannot report fees"
            )
        self.dat_state = dat
        for token in self.registry.tokens:
            if token.creator != dat.authority:
                logger.warning(
                    "%s: creator %s is not the DAT authority %s; its fees are not in the DAT vaults",
                    token.path,
                    token.creator,
                    dat.authority,
                )
        self.vaults = [Vault("bc", dat.bc_creator_vault), Vault("amm", dat.amm_vault_ata)]
        self.detector = Detector(
            self.transport,
            self.ledger,
            page_limit=self.config.signatures_page_limit,
            fetch_concurrency=self.config.fetch_concurrency,
        )
        self.reporter = Reporter(
            self.transport,
            self.ledger,
            ReportTarget(self.keeper, dat.bc_creator_vault, dat.amm_vault_ata),
            batch_size=self.config.report_batch_size,
            confirm_timeout_seconds=self.config.report_confirm_timeout_seconds,
            priority_fees=self.config.priority_fees,
        )
        fresh = self.ledger.is_empty and not self.ledger.reports(None)
        if fresh and self._state_from_file is not None and self._state_from_file.inflight:
            await self._wait_for_foreign_inflight(self._state_from_file.inflight)
        self.ledger.ensure_mints(str(t.mint) for t in self.registry.tokens)
        landed, released, unknown = await self.reporter.resolve_all()
        if landed or released or unknown:
            logger.info(
                "in-flight reports after restart: %d landed, %d released, %d still unknown", landed, released, unknown
            )
        self.counters.reports_landed += landed
        self.counters.reports_released += released
        await self.refresh_stats()
        for mint, stats in self.onchain.items():
            if stats is None:
                continue
            # The chain's watermark is the truth: a new, restored or rebuilt ledger starts from it
            # (credits at or before it are attributed already).
            change = self.ledger.rebase(mint, token_watermark(stats))
            if change:
                logger.warning(
                    "%s: ledger rebased onto the on-chain watermark %s (%+d lamports pending)",
                    mint,
                    token_watermark(stats),
                    change,
                )
        for token in self.registry.tokens:
            self._adopt(token)
        self._write_state()

    async def _wait_for_foreign_inflight(self, inflight: tuple[InflightView, ...], timeout: float = 120.0) -> None:
        """The ledger is gone but the state file lists reports in flight: wait until each either
        landed or can no longer land, so the chain's watermarks are final before we rebuild."""
        deadline = time.monotonic() + timeout
        for report in inflight:
            while time.monotonic() < deadline:
                try:
                    status = (await self.transport.get_signature_statuses([Signature.from_string(report.signature)]))[0]
                    if status is not None:
                        break
                    if await self.transport.get_block_height() > report.last_valid_block_height:
                        break
                except TransportError:
                    pass
                await asyncio.sleep(1.0)

    def _adopt(self, token: TokenConfig) -> None:
        assert self.ledger is not None
        aliases = [POOL_PREFIX + str(token.canonical_pool), POOL_PREFIX + str(token.pool_address)]
        adopted = self.ledger.adopt_orphans(str(token.mint), aliases)
        if adopted:
            logger.info("%s: adopted %s of fees detected before its config appeared", token.symbol, format_sol(adopted))
            self._state_dirty = True

    def attribution(self) -> Attribution:
        """Event → mint mapping (cached; rebuilt when tokens are added)."""
        assert self.dat_state is not None
        cached = self._attribution
        if cached is not None and cached[0] == len(self.registry) and cached[1].authority == self.dat_state.authority:
            return cached[1]
        pools: dict[Pubkey, Pubkey] = {}
        for token in self.registry.tokens:
            pools[token.canonical_pool] = token.mint
            if token.pool_type == "pumpswap_amm":
                pools[token.pool_address] = token.mint
        attribution = Attribution(self.dat_state.authority, pools)
        self._attribution = (len(self.registry), attribution)
        return attribution

    # ================================================================== the loop

    async def tick(self, *, allow_flush: bool = True) -> None:
        """One poll (and, when due and allowed, a flush). Raises nothing: failures are counted."""
        assert self.detector is not None and self.ledger is not None
        now = time.time()
        self.counters.polls += 1
        self.counters.last_poll_at = now
        changed_any = True
        try:
            # The slot bounds keeper reports (`_scanned_through`); an ecosystem whose tokens are all
            # in fee-sharing mode reports nothing, so its poll skips the request (issue 15's budget:
            # ⌈N/100⌉ + 1 per poll). A keeper token appearing later gets it on the next poll.
            keeper_tokens = not self.registry.tokens or any(not t.fee_sharing for t in self.registry.tokens)
            slot_before_scan = await self.transport.get_slot() if keeper_tokens else self._scanned_through
            changed = await self._read_accounts()
            changed_any = bool(changed)
            full = time.monotonic() - self._last_full_scan >= self.config.full_scan_interval_seconds
            tracked = {str(t.mint) for t in self.registry.tokens}
            cache: dict[Signature, EncodedConfirmedTransactionWithStatusMeta] = {}
            errors: list[str] = []
            for vault in self.vaults:
                if not (full or vault.address in changed):
                    continue
                result = await self.detector.scan(vault, self.attribution(), tracked, cache)
                if result.processed:
                    self._state_dirty = True
                self.counters.fees_detected += result.credited_lamports
                if not result.complete:
                    errors.append(f"{vault.kind} vault: {result.error}")
                    # Re-scan next tick even if the balance does not change again.
                    self._last_accounts.pop(vault.address, None)
            if full and not errors:
                self._last_full_scan = time.monotonic()
            if not errors:
                self._scanned_through = max(self._scanned_through, slot_before_scan)
            self._rescan_tokens()
            if time.monotonic() - self._last_stats_refresh >= self.config.stats_refresh_seconds:
                await self.refresh_stats()
            if time.monotonic() - self._last_graduation_check >= self.config.stats_refresh_seconds:
                self._last_graduation_check = time.monotonic()
                await self.check_graduations()
            if errors:
                raise _PollError("; ".join(errors))
        except (TransportError, _PollError) as exc:
            self.poll_failed(str(exc))
        else:
            self.counters.polls_ok += 1
            self.counters.consecutive_poll_failures = 0
            self.counters.last_ok_poll_at = now
            self.counters.last_ok_poll_monotonic = time.monotonic()
        flushed = False
        if allow_flush and self._flush_due():
            await self._flush("timer")
            flushed = True
        self._update_sync()
        self._check_thresholds()
        if not flushed and not changed_any and self.counters.consecutive_poll_failures == 0:
            self._reconcile()
        if self._state_dirty:
            self._write_state()

    def poll_failed(self, message: str) -> None:
        self.counters.poll_errors += 1
        self.counters.consecutive_poll_failures += 1
        self.counters.last_error = message
        logger.warning("poll failed (%d in a row): %s", self.counters.consecutive_poll_failures, message)
        if self.counters.consecutive_poll_failures == 5:
            self.alerter.send(
                "poll_failing",
                "warning",
                "Fee daemon polls failing",
                message,
                {"consecutiveFailures": self.counters.consecutive_poll_failures},
            )

    def _pool_holders(self) -> list[Pubkey]:
        """The authority and its WSOL account: with the vaults, what the pool really holds."""
        if not self.vaults:
            return []
        authority = authority_address()
        return [authority, paddr.associated_token_address(authority, paddr.WSOL_MINT)]

    async def _read_accounts(self) -> set[Pubkey]:
        """DAT state, vaults and wallet in one request; returns the vaults that changed."""
        holders = self._pool_holders()
        sharing = [t.mint for t in self.registry.tokens if t.fee_sharing]
        keys = [
            state_address(),
            *(v.address for v in self.vaults),
            *holders,
            self.keeper.pubkey(),
            *(fee_vault_address(m) for m in sharing),
        ]
        # One getMultipleAccounts per 100 keys (the transport chunks): ⌈(N + 6) / 100⌉ per poll.
        accounts = await self.transport.get_accounts(keys)
        fee_accounts = accounts[len(accounts) - len(sharing) :]
        accounts = accounts[: len(accounts) - len(sharing)]
        self.fee_account_lamports = {
            str(m): max((a.lamports if a is not None else 0) - RENT_EXEMPT_ZERO_DATA, 0)
            for m, a in zip(sharing, fee_accounts, strict=True)
        }
        held = accounts[1 + len(self.vaults) : 1 + len(self.vaults) + len(holders)]
        self._held_accounts = dict(zip(holders, held, strict=True))
        accounts = [*accounts[: 1 + len(self.vaults)], accounts[-1]]
        state_account = accounts[0]
        if state_account is not None:
            with contextlib.suppress(AccountDecodeError):
                self.dat_state = decode_dat_state(bytes(state_account.data))
        wallet = accounts[-1]
        self.wallet_lamports = wallet.lamports if wallet is not None else 0
        changed: set[Pubkey] = set()
        self._vault_accounts = {}
        for vault, account in zip(self.vaults, accounts[1:-1], strict=True):
            self._vault_accounts[vault.address] = account
            fingerprint = None if account is None else (account.lamports, bytes(account.data))
            if vault.address not in self._last_accounts or self._last_accounts[vault.address] != fingerprint:
                changed.add(vault.address)
            self._last_accounts[vault.address] = fingerprint
        return changed

    def _rescan_tokens(self) -> None:
        if time.monotonic() - self._last_rescan < self.config.token_rescan_seconds:
            return
        self._last_rescan = time.monotonic()
        result = self.registry.rescan()
        for error in result.errors:
            logger.error("%s", error)
            self.alerter.send("token_config_invalid", "warning", "Invalid token config", str(error))
        if result.added:
            assert self.ledger is not None
            self.ledger.ensure_mints(str(t.mint) for t in result.added)
            for token in result.added:
                logger.info("now tracking %s (%s) from %s", token.symbol, token.mint, token.path)
                self._adopt(token)
            self._last_stats_refresh = 0.0  # read their on-chain stats this tick
            self._state_dirty = True

    async def refresh_stats(self, mints: list[str] | None = None) -> None:
        """Re-read on-chain token stats (all tracked tokens, or just `mints`)."""
        assert self.reporter is not None
        wanted = [str(t.mint) for t in self.registry.tokens] if mints is None else mints
        if wanted:
            fresh = await self.reporter.read_stats(wanted)
            for mint, stats in fresh.items():
                if stats is None and mint not in self._unregistered_warned:
                    self._unregistered_warned.add(mint)
                    logger.warning(
                        "%s (%s) has no TokenStats on-chain: register it; its fees wait in the ledger",
                        self._symbol(mint),
                        mint,
                    )
            self.onchain.update(fresh)
        if mints is None:
            self._last_stats_refresh = time.monotonic()

    async def check_graduations(self) -> list[GraduationOutcome]:
        """Curve tokens whose coin migrated to PumpSwap: `set_token_pool` (when the daemon's
        wallet is the admin) and the config file rewritten (`asdf_dat.dat.graduation`). Runs on
        the stats-refresh cadence, not every poll; each graduation is logged and alerted once."""
        assert self.dat_state is not None
        found = await find_graduations(self.transport, self.registry.tokens)
        if not found:
            return []

        def rewrite(graduation: Graduation) -> None:
            token = self.registry.get(graduation.mint)
            assert token is not None
            updated = rewrite_token_file(token.path, self.config.network, graduated_changes(graduation.pool))
            self.registry.add([updated])

        outcomes = await apply_graduations(self.transport, self.keeper, self.dat_state.admin, found, rewrite)
        for outcome in outcomes:
            key = (str(outcome.graduation.mint), outcome.status)
            if key in self._graduations_reported:
                continue
            self._graduations_reported.add(key)
            severity: Literal["info", "warning"] = "info" if outcome.done else "warning"
            self.alerter.send(
                "token_graduated",
                severity,
                f"{outcome.graduation.symbol} graduated to PumpSwap",
                outcome.describe(),
                {"mint": str(outcome.graduation.mint), "status": outcome.status},
            )
        if any(o.done for o in outcomes):
            self._attribution = None
            self._state_dirty = True
            await self.refresh_stats([str(o.graduation.mint) for o in outcomes if o.done])
        return outcomes

    def _flush_due(self) -> bool:
        if self._flush_requested.is_set():
            return True
        if time.monotonic() - self._last_flush_monotonic < self.config.flush_interval_seconds:
            return False
        assert self.ledger is not None
        states = self.ledger.mint_states()
        return any(s.pending > 0 or s.inflight > 0 for s in states.values())

    def reportable(self) -> set[str]:
        return {mint for mint, stats in self.onchain.items() if stats is not None}

    async def _flush(self, reason: str) -> FlushOutcome:
        assert self.reporter is not None
        self._flush_requested.clear()
        self._last_flush_monotonic = time.monotonic()
        self.counters.flushes += 1
        self.counters.last_flush_at = time.time()
        try:
            outcome = await self.reporter.flush(self.reportable(), self._scanned_through)
        except (TransportError, LedgerError, sqlite3.Error, OSError) as exc:
            self.counters.flush_errors += 1
            logger.warning("flush (%s) failed: %s", reason, exc)
            return FlushOutcome(error=str(exc))
        self.counters.reports_landed += outcome.landed_reports
        self.counters.reports_released += outcome.released_reports
        landed = [item for item in outcome.items if item.success]
        failed = [item for item in outcome.items if not item.success]
        self.counters.fees_reported += sum(i.amount for i in landed)
        if outcome.rebased:
            self.alerter.send(
                "watermark_ahead",
                "warning",
                "On-chain watermark differs from the daemon's ledger",
                "another keeper reported, or the ledger is a restored copy; recomputed from the trades "
                "after the chain's watermark: "
                + ", ".join(f"{self._symbol(m)} {c:+d}" for m, c in sorted(outcome.rebased.items())),
                {},
            )
            self._state_dirty = True
        if failed:
            self.counters.flush_errors += 1
            await self._realign([i.mint for i in failed])
            self.alerter.send(
                "flush_failed",
                "warning",
                "Fee report failed",
                "; ".join(f"{i.mint}: {i.error}" for i in failed[:5]),
                {"failed": len(failed)},
            )
        if landed or outcome.landed_reports:
            self._state_dirty = True
            with contextlib.suppress(TransportError):
                await self.refresh_stats(sorted({i.mint for i in outcome.items}))
        if outcome.items or outcome.landed_reports or outcome.released_reports:
            self._state_dirty = True
        return outcome

    async def _realign(self, mints: list[str]) -> None:
        """After refused reports: re-read the chain's watermarks (the next flush rebases onto them)."""
        with contextlib.suppress(TransportError):
            await self.refresh_stats(sorted(set(mints)))

    def _update_sync(self) -> None:
        assert self.ledger is not None
        states = self.ledger.mint_states()
        reportable = self.reportable()
        unsynced = any(s.pending > 0 or s.inflight > 0 for s in states.values() if s.mint in reportable)
        now = time.time()
        if unsynced:
            if self.counters.unsynced_since is None:
                self.counters.unsynced_since = now
        else:
            self.counters.unsynced_since = None
            if self.counters.polls_ok and self.counters.consecutive_poll_failures == 0:
                self.counters.last_sync_at = now

    def _check_thresholds(self) -> None:
        """Alerts for the seed's critical levels (rate-limited by the alerter)."""
        if wallet_level(self.wallet_lamports) == "critical":
            self.alerter.send(
                "wallet_low",
                "critical",
                "Keeper wallet almost empty",
                f"{format_sol(self.wallet_lamports or 0)} left; reports will fail",
                {},
            )
        if sync_level(self.sync_age()) == "critical":
            self.alerter.send(
                "pending_fees_stuck",
                "warning",
                "Pending fees not synced",
                f"fees detected {self.sync_age():.0f} s ago are not on-chain yet",
                {},
            )
        dat = self.dat_state
        if dat is not None and (not dat.is_active or failures_level(dat.consecutive_failures) != "healthy"):
            # A standing condition: once per change of (active, failures), then a reminder at most
            # every ALERT_REMINDER_MINUTES, not once per poll.
            severity: Literal["warning", "critical"] = (
                "critical" if not dat.is_active or failures_level(dat.consecutive_failures) == "critical" else "warning"
            )
            self.alerter.send_on_change(
                "consecutive_failures",
                (dat.is_active, dat.consecutive_failures),
                severity,
                "DAT paused" if not dat.is_active else "Cycle failures",
                f"{dat.consecutive_failures} consecutive failed cycles on-chain"
                + (" (paused: cycles fail with DATNotActive until resume)" if not dat.is_active else ""),
                {},
            )
        elif dat is not None:
            self.alerter.clear_condition("consecutive_failures")

    def _reconcile(self) -> None:
        """Vault pool balance vs everything attributed and not yet spent, on a quiet tick (vaults
        unchanged since the last complete scan, no flush in between, nothing in flight), when
        both sides are exact. Alerts on a divergence that persists; never changes any amount."""
        assert self.ledger is not None
        dat = self.dat_state
        accounts = self._vault_accounts
        if dat is None or len(accounts) != 2 or self.counters.consecutive_poll_failures:
            return
        if self.ledger.reports("inflight"):
            return
        bc = accounts.get(self.vaults[0].address)
        amm = accounts.get(self.vaults[1].address)
        pool = max(0, (bc.lamports if bc else 0) - RENT_EXEMPT_ZERO_DATA)
        pool += token_amount(bytes(amm.data)) if amm is not None else 0
        holders = [self._held_accounts.get(key) for key in self._pool_holders()]
        if len(holders) == 2:
            authority, wsol = holders
            pool += max(0, (authority.lamports if authority else 0) - RENT_EXEMPT_ZERO_DATA)
            pool += token_amount(bytes(wsol.data)) if wsol is not None else 0
        states = self.ledger.mint_states()
        local = sum(s.pending for s in states.values())
        attributed = committed_lamports(dat) + local + sum(self.ledger.orphans().values())
        divergence = pool - attributed
        self.counters.pool_balance = pool
        self.counters.divergence = divergence
        if abs(divergence) > self.config.divergence_alert_lamports:
            self.counters.divergent_ticks += 1
            if self.counters.divergent_ticks == 3:
                kind = "over-attributed" if divergence < 0 else "unattributed fees in the vaults"
                self.alerter.send(
                    "fee_divergence",
                    "warning",
                    "Vault / attribution divergence",
                    f"{kind}: {format_sol(abs(divergence))}",
                    {"poolBalance": format_sol(pool), "attributed": format_sol(attributed)},
                )
        else:
            self.counters.divergent_ticks = 0

    async def run_loop(self) -> None:
        self.running = True
        while not self._stop.is_set():
            started = time.monotonic()
            try:
                await self.tick()
                self._loop_failures = 0
            except Exception as exc:  # ledger, file system, RPC: nothing ends the loop
                self._loop_failed(exc)
            remaining = self.config.poll_interval_seconds + self._backoff_seconds() - (time.monotonic() - started)
            if remaining > 0:
                stop_task = asyncio.ensure_future(self._stop.wait())
                flush_task = asyncio.ensure_future(self._flush_requested.wait())
                await asyncio.wait({stop_task, flush_task}, timeout=remaining, return_when=asyncio.FIRST_COMPLETED)
                stop_task.cancel()
                flush_task.cancel()

    def _backoff_seconds(self) -> float:
        """Extra wait after consecutive loop failures: 1 s, 2 s, ... up to 30 s."""
        return min(30.0, 0.5 * 2 ** min(self._loop_failures, 6)) if self._loop_failures else 0.0

    def _loop_failed(self, exc: Exception) -> None:
        self._loop_failures += 1
        self.poll_failed(f"{type(exc).__name__}: {exc}")
        if self._loop_failures == 1:
            logger.exception("poll loop error (continuing, with back-off)")
            self.alerter.send(
                "poll_loop_error", "warning", "Fee daemon poll loop error", f"{type(exc).__name__}: {exc}", {}
            )

    async def wait_stop(self, timeout: float) -> bool:
        """Sleep up to `timeout` seconds; True as soon as a stop is requested (at once if it was)."""
        if self._stop.is_set():
            return True
        if timeout <= 0:
            return False
        try:
            await asyncio.wait_for(self._stop.wait(), timeout=timeout)
        except TimeoutError:
            return False
        return True

    def request_stop(self) -> None:
        if not self._stop.is_set():
            logger.info("stop requested: flushing and exiting")
            self.stopping = True
            self._stop.set()

    async def _final_flush(self) -> None:
        """One last poll (so that every trade credited so far is below the scanned-through slot),
        then the flush."""
        if self.detector is not None and self.dat_state is not None:
            try:
                await self.tick(allow_flush=False)
            except Exception as exc:  # the flush still runs on what the ledger has
                logger.warning("final poll failed: %s", exc)
        await self._flush("shutdown")

    async def shutdown(self) -> None:
        """Final flush (bounded), state file, release the lock."""
        try:
            if self.reporter is not None and self.ledger is not None:
                try:
                    await asyncio.wait_for(self._final_flush(), timeout=self.config.shutdown_flush_timeout_seconds)
                except TimeoutError:
                    logger.warning("final flush timed out; pending fees stay in the ledger for the next start")
                self._write_state()
        finally:
            self.running = False
            await self.alerter.close()
            if self.ledger is not None:
                self.ledger.close()
            self.lock.release()

    # ================================================================== state file

    def _write_state(self) -> None:
        assert self.ledger is not None
        states = self.ledger.mint_states()
        inflight = tuple(
            InflightView(
                r.signature,
                r.raw,
                r.last_valid_block_height,
                tuple((i.mint, i.amount, i.watermark_slot, i.watermark_seq) for i in r.items),
            )
            for r in self.ledger.reports("inflight")
        )
        state = DaemonState(
            last_signatures={m: s.last_signature for m, s in states.items() if s.last_signature},
            processed_signatures=self.ledger.recent_processed(1000),
            vault_cursors={v: (c.signature, c.slot) for v, c in self.ledger.cursors().items()},
            pending_fees={m: s.pending for m, s in states.items()},
            inflight=inflight,
        )
        try:
            self.state_file.write(state)
            self._state_dirty = False
        except OSError as exc:
            logger.error("cannot write %s: %s", self.state_file.path, exc)

    # ================================================================== views (API)

    def _symbol(self, mint: str) -> str:
        token = self.registry.get(Pubkey.from_string(mint))
        return token.symbol if token is not None else mint[:8]

    def uptime_seconds(self) -> float:
        return time.monotonic() - self._started_monotonic

    def health(self) -> HealthReport:
        return health_report(self)

    def readiness(self) -> tuple[bool, dict[str, Any]]:
        view = readiness_view(self)
        return view.ready, dump(view)

    def liveness(self) -> dict[str, Any]:
        return dump(liveness_view(self))

    def sync_age(self) -> float:
        since = self.counters.unsynced_since
        return 0.0 if since is None else max(0.0, time.time() - since)

    def ledger_totals(self) -> tuple[int, int]:
        """(pending, in flight) lamports over every token of the ledger."""
        if self.ledger is None:
            return 0, 0
        states = self.ledger.mint_states()
        return sum(s.pending for s in states.values()), sum(s.inflight for s in states.values())

    def status(self) -> dict[str, Any]:
        return dump(status_view(self))

    def stats(self) -> dict[str, Any]:
        return dump(stats_view(self))

    def metrics_snapshot(self) -> MetricsSnapshot:
        return metrics_snapshot(self)

    def metrics_text(self) -> bytes:
        return render(self._metrics)

    async def flush_now(self, reason: str) -> FlushResult:
        """A flush right away (API or operator), serialized with the timer's."""
        try:
            outcome = await self._flush(reason)
        except Exception as exc:  # the API must answer, whatever happened
            logger.exception("flush failed")
            outcome = FlushOutcome(error=f"{type(exc).__name__}: {exc}")
        self._update_sync()
        if self._state_dirty:
            self._write_state()
        pending, inflight = self.ledger_totals()
        details = [
            FlushDetail(symbol=self._symbol(i.mint), mint=i.mint, amount=i.amount, success=i.success, error=i.error)
            for i in outcome.items
        ]
        updated = sum(1 for d in details if d.success)
        failed = sum(1 for d in details if not d.success)
        return FlushResult(
            success=outcome.error is None and failed == 0,
            tokensUpdated=updated,
            tokensFailed=failed,
            totalFlushed=outcome.total_flushed,
            remainingPending=pending + inflight,
            details=details,
            timestamp=iso(time.time()),
            error=outcome.error,
        )


class _PollError(Exception):
    pass
