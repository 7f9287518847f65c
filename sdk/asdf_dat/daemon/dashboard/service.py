"""The dashboard's live part: re-reads the chain and the cycle history in the background, keeps
the last good read when the RPC fails, and builds the JSON the page polls.

It refreshes every `refresh_seconds` while someone looks at the page (an API request in the
last `viewer_window_seconds`), else every `idle_refresh_seconds`, so an unwatched daemon
spends almost no RPC calls on it; and right after the DAT state the daemon polls anyway shows a
new cycle or failure, so each cycle is seen (its per-token deltas fill events the runtime's log
truncation lost). History is synced on each refresh (incremental).
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Protocol

from pydantic import ValidationError

from asdf_dat.config.tokens import TokenRegistry
from asdf_dat.daemon.config import DaemonConfig
from asdf_dat.daemon.dashboard.history import derived_cycle_events, sync_history
from asdf_dat.daemon.dashboard.models import DashboardData, HistorySeries
from asdf_dat.daemon.dashboard.snapshot import ChainSnapshot, read_chain
from asdf_dat.daemon.dashboard.view import (
    DEFAULT_DECIMALS,
    TokenInfo,
    ViewInputs,
    dashboard_data,
    history_series,
)
from asdf_dat.daemon.ledger import Ledger
from asdf_dat.dat.accounts import AccountDecodeError, DatState
from asdf_dat.dat.pdas import state_address
from asdf_dat.network.protocol import Transport
from asdf_dat.network.results import TransportError

logger = logging.getLogger(__name__)

SNAPSHOT_META_KEY = "dashboard_snapshot"
PERSIST_EVERY_SECONDS = 60.0
# How often the loop looks at the daemon's own DAT state for a new cycle (no RPC call).
CHECK_SECONDS = 0.5


class DashboardSource(Protocol):
    """What the dashboard reads from the daemon (`FeeDaemon` has it)."""

    config: DaemonConfig
    transport: Transport
    ledger: Ledger | None
    registry: TokenRegistry
    dat_state: DatState | None

    def status(self) -> dict[str, Any]: ...


class UnknownMint(LookupError):
    pass


class Dashboard:
    def __init__(
        self,
        source: DashboardSource,
        *,
        refresh_seconds: float | None = None,
        idle_refresh_seconds: float = 60.0,
        viewer_window_seconds: float = 60.0,
    ) -> None:
        self.source = source
        self.refresh_seconds = refresh_seconds or max(2.0, source.config.poll_interval_seconds)
        self.idle_refresh_seconds = max(idle_refresh_seconds, self.refresh_seconds)
        self.viewer_window_seconds = viewer_window_seconds
        self.snapshot: ChainSnapshot | None = None
        self.rpc_error: str | None = None
        self.refreshes = 0
        self._last_viewed: float | None = None
        self._last_persist = 0.0
        self._persisted: str | None = None
        self._wake = asyncio.Event()
        self._series_cache: dict[str | None, HistorySeries] = {}

    # ------------------------------------------------------------------ background

    def load_persisted(self) -> None:
        """The last snapshot a previous run stored, so a restart with the RPC down shows it."""
        ledger = self.source.ledger
        if ledger is None or self.snapshot is not None:
            return
        raw = ledger.get_meta(SNAPSHOT_META_KEY)
        if raw is None:
            return
        try:
            self.snapshot = ChainSnapshot.model_validate_json(raw)
            self._persisted = raw
        except ValidationError:
            logger.warning("ignoring an unreadable stored dashboard snapshot")

    def _persist(self, snapshot: ChainSnapshot) -> None:
        ledger = self.source.ledger
        if ledger is None:
            return
        content = snapshot.model_dump_json(exclude={"fetched_at"})
        previous = self._persisted
        if previous is not None and time.monotonic() - self._last_persist < PERSIST_EVERY_SECONDS:
            old = ChainSnapshot.model_validate_json(previous).model_dump_json(exclude={"fetched_at"})
            if old == content:
                return
        raw = snapshot.model_dump_json()
        ledger.set_meta(SNAPSHOT_META_KEY, raw)
        self._persisted = raw
        self._last_persist = time.monotonic()

    async def refresh(self) -> None:
        """One read of the chain and the history; failures are kept as `rpc_error`."""
        self.refreshes += 1
        errors: list[str] = []
        mints = [t.mint for t in self.source.registry.tokens]
        try:
            snapshot = await read_chain(self.source.transport, mints)
        except (TransportError, AccountDecodeError) as exc:
            errors.append(str(exc))
        ledger = self.source.ledger
        if ledger is not None and not errors:
            result = await sync_history(self.source.transport, ledger, state_address())
            if result.error is not None:
                errors.append(f"cycle history: {result.error}")
        if not errors:
            previous = self.snapshot
            if ledger is not None and previous is not None:
                ledger.record_cycle_events(derived_cycle_events(previous, snapshot), None)
            self.snapshot = snapshot
            self._persist(snapshot)
        self.rpc_error = "; ".join(errors) or None

    def _cycle_counter(self) -> tuple[int, int] | None:
        dat = self.source.dat_state
        return None if dat is None else (dat.total_cycles, dat.failed_cycles)

    async def run(self) -> None:
        """Refresh until cancelled."""
        self.load_persisted()
        last_refresh: float | None = None
        last_counter = self._cycle_counter()
        while True:
            counter = self._cycle_counter()
            due = last_refresh is None or time.monotonic() - last_refresh >= self._interval()
            if due or counter != last_counter or self._wake.is_set():
                self._wake.clear()
                last_counter = counter
                try:
                    await self.refresh()
                except Exception as exc:  # the loop must survive anything a refresh hits
                    logger.exception("dashboard refresh failed")
                    self.rpc_error = f"{type(exc).__name__}: {exc}"
                last_refresh = time.monotonic()
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=CHECK_SECONDS)
            except TimeoutError:
                pass

    def _watched(self) -> bool:
        return self._last_viewed is not None and time.monotonic() - self._last_viewed < self.viewer_window_seconds

    def _interval(self) -> float:
        return self.refresh_seconds if self._watched() else self.idle_refresh_seconds

    def viewed(self) -> None:
        """A page asked for data: refresh at the live pace (now, if it was idle)."""
        if not self._watched():
            self._wake.set()
        self._last_viewed = time.monotonic()

    # ------------------------------------------------------------------ views

    def _tokens(self) -> list[TokenInfo]:
        return [
            TokenInfo(symbol=t.symbol, mint=str(t.mint), is_root=t.is_root, venue=t.pool_type)
            for t in self.source.registry.tokens
        ]

    def data(self, *, recent_limit: int = 20) -> DashboardData:
        ledger = self.source.ledger
        return dashboard_data(ViewInputs(
            network=self.source.config.network,
            now=time.time(),
            refresh_seconds=self.refresh_seconds,
            stale_after_seconds=max(3 * self.refresh_seconds, 15.0),
            snapshot=self.snapshot,
            rpc_error=self.rpc_error,
            tokens=self._tokens(),
            status=self.source.status(),
            history_version=ledger.history_version() if ledger is not None else 0,
            completed=ledger.cycle_events("completed", limit=recent_limit * 16) if ledger is not None else [],
            deferred=ledger.cycle_events("deferred", limit=recent_limit) if ledger is not None else [],
            failed=ledger.cycle_events("failed", limit=recent_limit) if ledger is not None else [],
            recent_limit=recent_limit,
        ))

    def history(self, mint: str | None) -> HistorySeries:
        ledger = self.source.ledger
        symbol = "All tokens"
        decimals = DEFAULT_DECIMALS
        if mint is not None:
            token = next((t for t in self._tokens() if t.mint == mint), None)
            if token is None:
                raise UnknownMint(mint)
            symbol = token.symbol
            stats = self.snapshot.tokens.get(mint) if self.snapshot is not None else None
            decimals = stats.decimals if stats is not None else DEFAULT_DECIMALS
        version = ledger.history_version() if ledger is not None else 0
        cached = self._series_cache.get(mint)
        if cached is not None and cached.historyVersion == version and cached.decimals == decimals:
            return cached
        points = ledger.cycle_series(mint) if ledger is not None else []
        series = history_series(points, mint, symbol, decimals, version)
        if len(self._series_cache) > 256:
            self._series_cache.clear()
        self._series_cache[mint] = series
        return series
