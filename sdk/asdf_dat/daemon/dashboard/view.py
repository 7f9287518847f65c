"""Pure functions from what the daemon knows (chain snapshot, token configs, ledger history, its
/status) to the dashboard's JSON models. Numbers are formatted as the CLI formats them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from asdf_dat.daemon.dashboard.history import DERIVED_PREFIX
from asdf_dat.daemon.dashboard.models import (
    AttributionMode,
    CycleTransaction,
    DashboardData,
    Deferral,
    Failure,
    HealthView,
    HistorySeries,
    IndicatorView,
    TokenRow,
    Totals,
    Venue,
)
from asdf_dat.daemon.dashboard.snapshot import ChainSnapshot, TokenSnapshot
from asdf_dat.daemon.health import Level, worst
from asdf_dat.daemon.ledger import CycleEventRow, CyclePoint
from asdf_dat.dat.errors import error_for_code
from asdf_dat.network.config import Network
from asdf_dat.units import format_sol, format_token_amount

DEFAULT_DECIMALS = 6
POOL_TYPE_AMM = 1
EXPLORER_TX = "https://explorer.solana.com/tx/{signature}"
DEFER_REASONS = {
    1: "pending fees below the minimum per token",
    2: "allocation below the minimum (cycle cap reached or small pending)",
}
INDICATOR_LABELS = {
    "daemonRunning": "Daemon running",
    "consecutiveFailures": "Consecutive failures",
    "pendingFeesSync": "Pending fees synced",
    "walletBalance": "Keeper wallet",
}


@dataclass(frozen=True)
class TokenInfo:
    """A tracked token as its config file describes it."""

    symbol: str
    mint: str
    is_root: bool
    venue: Venue


def attribution_mode(token: TokenInfo, stats: TokenSnapshot | None) -> AttributionMode:
    """How a token's fees are attributed. Every token is attributed by the keeper (the fee daemon
    reporting trades' creator fees) today; a fee-sharing mode will be decided here."""
    return "keeper"


def explorer_url(network: Network, signature: str) -> str | None:
    if network is Network.MAINNET:
        return EXPLORER_TX.format(signature=signature)
    if network is Network.DEVNET:
        return EXPLORER_TX.format(signature=signature) + "?cluster=devnet"
    return None


def burned_share(burned: int, supply: int | None) -> str | None:
    """Tokens burned as a share of the supply before our burns (supply now + burned)."""
    if supply is None or supply + burned == 0:
        return None
    share = Decimal(burned * 100) / Decimal(supply + burned)
    return f"{share:.4f}%"


def venue_label(venue: Venue) -> str:
    return "PumpSwap" if venue == "pumpswap_amm" else "bonding curve"


def token_rows(tokens: Sequence[TokenInfo], snapshot: ChainSnapshot | None) -> list[TokenRow]:
    """Root first, then in config order."""
    rows: list[TokenRow] = []
    for token in sorted(tokens, key=lambda t: not t.is_root):
        stats = snapshot.tokens.get(token.mint) if snapshot is not None else None
        venue: Venue = token.venue
        if stats is not None:
            venue = "pumpswap_amm" if stats.pool_type == POOL_TYPE_AMM else "bonding_curve"
        decimals = stats.decimals if stats is not None else DEFAULT_DECIMALS
        pending = stats.pending_fees if stats else 0
        spent = stats.total_sol_spent if stats else 0
        to_root = stats.total_sent_to_root if stats else 0
        received = stats.total_received_from_others if stats else 0
        burned = stats.total_tokens_burned if stats else 0
        rows.append(TokenRow(
            symbol=token.symbol,
            mint=token.mint,
            isRoot=stats.is_root if stats is not None else token.is_root,
            registered=stats is not None,
            venue=venue,
            venueLabel=venue_label(venue),
            attributionMode=attribution_mode(token, stats),
            pendingFeesLamports=pending,
            pendingFeesSOL=format_sol(pending),
            solSpentLamports=spent,
            solSpentSOL=format_sol(spent),
            sentToRootLamports=to_root,
            sentToRootSOL=format_sol(to_root),
            receivedFromOthersLamports=received,
            receivedFromOthersSOL=format_sol(received),
            tokensBurned=burned,
            tokensBurnedText=format_token_amount(burned, decimals),
            decimals=decimals,
            supply=stats.supply if stats else None,
            burnedShareOfSupply=burned_share(burned, stats.supply) if stats else None,
            cycles=stats.cycles if stats else 0,
            lastCycleAt=stats.last_cycle_at if stats and stats.last_cycle_at else None,
        ))
    return rows


def health_view(status: Mapping[str, Any], snapshot: ChainSnapshot | None) -> HealthView:
    """The daemon's /status indicators, with the DAT's state from the dashboard's own read."""
    indicators: dict[str, IndicatorView] = {}
    levels: list[Level] = []
    for key, label in INDICATOR_LABELS.items():
        raw = status.get("indicators", {}).get(key)
        if raw is None:
            continue
        value = raw.get("value")
        if key == "daemonRunning":
            text = "yes" if value else "no"
        elif key == "pendingFeesSync":
            text = f"{value} s" if value is not None else "unknown"
        else:
            text = "unknown" if value is None else str(value)
        level: Level = raw.get("level", "warning")
        levels.append(level)
        indicators[key] = IndicatorView(label=label, value=text, level=level)
    dat = snapshot.dat if snapshot is not None else None
    next_at = dat.cycle_started_at + dat.min_cycle_interval_secs if dat is not None and dat.cycle_id > 0 else None
    if dat is not None and not dat.is_active:
        levels.append("critical")
    return HealthView(
        overall=worst(levels) if levels else "warning",
        indicators=indicators,
        datActive=dat.is_active if dat is not None else status.get("datActive"),
        consecutiveFailures=dat.consecutive_failures if dat is not None else None,
        nextCycleAt=next_at,
    )


def _symbol(mint: str | None, symbols: Mapping[str, str]) -> str:
    if mint is None:
        return "-"
    return symbols.get(mint, mint[:8])


def recent_cycles(events: Sequence[CycleEventRow], symbols: Mapping[str, str], decimals: Mapping[str, int],
                  network: Network, limit: int) -> list[CycleTransaction]:
    """`completed` events (newest first) grouped by transaction."""
    by_tx: dict[str, list[CycleEventRow]] = {}
    for event in events:
        by_tx.setdefault(event.signature, []).append(event)
    out: list[CycleTransaction] = []
    for signature, group in list(by_tx.items())[:limit]:
        group = sorted(group, key=lambda e: e.event_index)
        units = {decimals.get(e.mint or "", DEFAULT_DECIMALS) for e in group}
        burned = sum(e.tokens_burned for e in group)
        derived = signature.startswith(DERIVED_PREFIX)
        out.append(CycleTransaction(
            signature=signature,
            derived=derived,
            explorerUrl=None if derived else explorer_url(network, signature),
            slot=group[0].slot,
            timestamp=group[0].timestamp,
            cycleId=group[0].cycle_id or 0,
            symbols=[_symbol(e.mint, symbols) for e in group],
            solSpentSOL=format_sol(sum(e.sol_spent for e in group)),
            tokensBurnedText=format_token_amount(burned, units.pop() if len(units) == 1 else DEFAULT_DECIMALS),
        ))
    return out


def deferrals(events: Sequence[CycleEventRow], symbols: Mapping[str, str], network: Network) -> list[Deferral]:
    return [
        Deferral(
            signature=e.signature, explorerUrl=explorer_url(network, e.signature), timestamp=e.timestamp,
            symbol=_symbol(e.mint, symbols), reason=DEFER_REASONS.get(e.code, f"reason {e.code}"),
            pendingFeesSOL=format_sol(e.pending_fees),
        )
        for e in events
    ]


def failure_text(code: int) -> str:
    error = error_for_code(code)
    if error is not None:
        return f"{error.name}: {error.msg}"
    if code == 0:
        return "not a program error (transport, fees or another program)"
    return f"error {code}"


def failures(events: Sequence[CycleEventRow], network: Network) -> list[Failure]:
    return [
        Failure(
            signature=e.signature, explorerUrl=explorer_url(network, e.signature), timestamp=e.timestamp,
            errorCode=e.code, error=failure_text(e.code), consecutiveFailures=e.consecutive_failures,
        )
        for e in events
    ]


def totals(rows: Sequence[TokenRow], snapshot: ChainSnapshot | None) -> Totals:
    dat = snapshot.dat if snapshot is not None else None
    pending = sum(r.pendingFeesLamports for r in rows)
    # A secondary's SOL spent excludes what it sent to the root; the root's includes it: no overlap.
    spent = sum(r.solSpentLamports for r in rows)
    return Totals(
        pendingFeesLamports=pending,
        pendingFeesSOL=format_sol(pending),
        solSpentLamports=spent,
        solSpentSOL=format_sol(spent),
        cycles=dat.cycle_id if dat is not None else 0,
        tokenCycles=dat.total_cycles if dat is not None else 0,
        failedCycles=dat.failed_cycles if dat is not None else 0,
        tokens=len(rows),
    )


@dataclass(frozen=True)
class ViewInputs:
    network: Network
    now: float
    refresh_seconds: float
    stale_after_seconds: float
    snapshot: ChainSnapshot | None
    rpc_error: str | None
    tokens: Sequence[TokenInfo]
    status: Mapping[str, Any]
    history_version: int
    completed: Sequence[CycleEventRow]
    deferred: Sequence[CycleEventRow]
    failed: Sequence[CycleEventRow]
    recent_limit: int = 20


def dashboard_data(inputs: ViewInputs) -> DashboardData:
    rows = token_rows(inputs.tokens, inputs.snapshot)
    symbols = {r.mint: r.symbol for r in rows}
    decimals = {r.mint: r.decimals for r in rows}
    data_at = inputs.snapshot.fetched_at if inputs.snapshot is not None else None
    age = None if data_at is None else max(0.0, inputs.now - data_at)
    return DashboardData(
        network=inputs.network.value,
        generatedAt=inputs.now,
        dataAt=data_at,
        dataAgeSeconds=None if age is None else round(age, 1),
        stale=age is None or age > inputs.stale_after_seconds,
        rpcError=inputs.rpc_error,
        historyVersion=inputs.history_version,
        refreshSeconds=inputs.refresh_seconds,
        totals=totals(rows, inputs.snapshot),
        health=health_view(inputs.status, inputs.snapshot),
        tokens=rows,
        recentCycles=recent_cycles(inputs.completed, symbols, decimals, inputs.network, inputs.recent_limit),
        deferrals=deferrals(inputs.deferred, symbols, inputs.network),
        failures=failures(inputs.failed, inputs.network),
    )


def history_series(points: Sequence[CyclePoint], mint: str | None, symbol: str, decimals: int,
                   version: int) -> HistorySeries:
    return HistorySeries(
        mint=mint,
        symbol=symbol,
        historyVersion=version,
        decimals=decimals,
        cycleIds=[p.cycle_id for p in points],
        timestamps=[p.timestamp for p in points],
        solSpentLamports=[p.sol_spent for p in points],
        tokensBurned=[p.tokens_burned for p in points],
    )
