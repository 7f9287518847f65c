"""What the daemon's HTTP API answers, as typed models (pydantic, like `FlushResult`), and the
functions that read them off a running `FeeDaemon`.

Each model's field names and order are the JSON keys and their order (OPERATIONS.md's endpoints;
the API serializes `model_dump()`), so the responses stay byte-compatible with the dict literals
they replace: `/health`, `/ready`, `/live`, `/status`, `/stats`; and the metrics snapshot
behind `/metrics`.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict

from asdf_dat.daemon.api import HealthReport
from asdf_dat.daemon.health import (
    HealthInputs,
    Indicator,
    Level,
    degraded_reasons,
    failures_level,
    running_level,
    sync_level,
    wallet_level,
    worst,
)
from asdf_dat.daemon.ledger import Audit
from asdf_dat.daemon.metrics import MetricsSnapshot, TokenMetrics
from asdf_dat.dat.accounts import token_watermark
from asdf_dat.units import format_sol

if TYPE_CHECKING:
    from asdf_dat.daemon.service import FeeDaemon

__all__ = [
    "HealthDegraded",
    "HealthOk",
    "LivenessView",
    "ReadinessView",
    "StatsView",
    "StatusView",
    "health_inputs",
    "health_report",
    "iso",
    "liveness_view",
    "metrics_snapshot",
    "readiness_view",
    "stats_view",
    "status_view",
]


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class _View(BaseModel):
    """JSON keys are the field names (camelCase, as the seed's API)."""

    model_config = ConfigDict(frozen=True)


# ---------------------------------------------------------------- /health, /ready, /live


class HealthOk(_View):
    status: Literal["ok"] = "ok"
    healthy: Literal[True] = True
    timestamp: str


class HealthDegraded(_View):
    status: Literal["degraded"] = "degraded"
    reasons: list[str]
    timestamp: str


class ReadinessChecks(_View):
    running: bool
    tokensMonitored: int  # noqa: N815 - JSON keys
    errorRate: str  # noqa: N815
    lastPollAgoMs: int | None  # noqa: N815


class ReadinessView(_View):
    ready: bool
    checks: ReadinessChecks
    timestamp: str


class LivenessView(_View):
    alive: Literal[True] = True
    uptime: float
    timestamp: str


# ---------------------------------------------------------------- /status


class TokenMode(_View):
    """Which mode a token is in (issue 15): symbol, mint, attribution, venue."""

    symbol: str
    mint: str
    attribution: str
    poolType: str  # noqa: N815


class StatusView(_View):
    """The seed's health indicators (healthy / warning / critical) and pending fees."""

    running: bool
    network: str
    overall: Level
    indicators: dict[str, Indicator]
    pendingFees: int  # noqa: N815
    pendingFeesSOL: str  # noqa: N815
    feeSharingTokens: int  # noqa: N815
    keeperTokens: int  # noqa: N815
    tokens: list[TokenMode]
    feeAccountLamports: int  # noqa: N815
    unreportedFees: int  # noqa: N815
    inflightFees: int  # noqa: N815
    datActive: bool | None  # noqa: N815
    walletLamports: int | None  # noqa: N815
    timestamp: str


# ---------------------------------------------------------------- /stats


class DaemonCounters(_View):
    network: str
    uptime: float
    pollCount: int  # noqa: N815
    pollErrors: int  # noqa: N815
    consecutivePollFailures: int  # noqa: N815
    lastPoll: str | None  # noqa: N815
    lastSuccessfulPoll: str | None  # noqa: N815
    lastError: str | None  # noqa: N815
    flushCount: int  # noqa: N815
    flushErrors: int  # noqa: N815
    lastFlush: str | None  # noqa: N815
    reportsLanded: int  # noqa: N815
    reportsReleased: int  # noqa: N815
    feesDetected: int  # noqa: N815
    feesReported: int  # noqa: N815
    tokensMonitored: int  # noqa: N815
    pollIntervalSeconds: float  # noqa: N815
    flushIntervalSeconds: float  # noqa: N815


class Reconciliation(_View):
    poolBalance: int | None  # noqa: N815
    divergence: int | None


class CycleCounts(_View):
    total: int | None
    failed: int | None
    consecutiveFailures: int | None  # noqa: N815


class TokenStatsRow(_View):
    symbol: str
    mint: str
    isRoot: bool  # noqa: N815
    poolType: str  # noqa: N815
    attribution: str
    feeAccountLamports: int | None  # noqa: N815
    registered: bool
    unreportedLamports: int  # noqa: N815
    inflightLamports: int  # noqa: N815
    onchainPendingLamports: int | None  # noqa: N815
    onchainPendingSOL: str | None  # noqa: N815
    attributedLamports: int  # noqa: N815
    reportedLamports: int  # noqa: N815
    watermark: list[int] | None
    lastSignature: str | None  # noqa: N815


class StatsView(_View):
    """Detailed statistics, with `lastUpdate` (ISO time of the last full sync)."""

    timestamp: str
    lastUpdate: str  # noqa: N815
    daemon: DaemonCounters
    ledger: Audit | None
    """The ledger's totals (`Ledger.audit`), its fields as they are."""
    reconciliation: Reconciliation
    cycles: CycleCounts
    tokens: list[TokenStatsRow]


# ---------------------------------------------------------------- read off the daemon


def health_inputs(daemon: FeeDaemon) -> HealthInputs:
    counters = daemon.counters
    since = None
    if counters.last_ok_poll_monotonic is not None:
        since = time.monotonic() - counters.last_ok_poll_monotonic
    return HealthInputs(
        running=daemon.running,
        stopping=daemon.stopping,
        polls_ok=counters.polls_ok,
        seconds_since_ok_poll=since,
        consecutive_poll_failures=counters.consecutive_poll_failures,
        poll_interval_seconds=daemon.config.poll_interval_seconds,
        tokens=len(daemon.registry),
    )


def health_report(daemon: FeeDaemon) -> HealthReport:
    reasons = degraded_reasons(health_inputs(daemon))
    if not reasons:
        return HealthReport(healthy=True, body=HealthOk(timestamp=iso(time.time())).model_dump())
    return HealthReport(healthy=False, body=HealthDegraded(reasons=reasons, timestamp=iso(time.time())).model_dump())


def readiness_view(daemon: FeeDaemon) -> ReadinessView:
    inputs = health_inputs(daemon)
    ready = not degraded_reasons(inputs) and inputs.tokens > 0
    last_ms = None if inputs.seconds_since_ok_poll is None else int(inputs.seconds_since_ok_poll * 1000)
    total = max(1, daemon.counters.polls)
    return ReadinessView(
        ready=ready,
        checks=ReadinessChecks(
            running=daemon.running and not daemon.stopping,
            tokensMonitored=inputs.tokens,
            errorRate=f"{daemon.counters.poll_errors / total:.3f}",
            lastPollAgoMs=last_ms,
        ),
        timestamp=iso(time.time()),
    )


def liveness_view(daemon: FeeDaemon) -> LivenessView:
    return LivenessView(uptime=round(daemon.uptime_seconds(), 3), timestamp=iso(time.time()))


def status_view(daemon: FeeDaemon) -> StatusView:
    pending, inflight = daemon.ledger_totals()
    dat = daemon.dat_state
    failures = dat.consecutive_failures if dat is not None else 0
    age = daemon.sync_age()
    wallet = daemon.wallet_lamports
    indicators = {
        "daemonRunning": Indicator(
            value=daemon.running and not daemon.stopping, level=running_level(daemon.running, daemon.stopping)
        ),
        "consecutiveFailures": Indicator(value=failures, level=failures_level(failures)),
        "pendingFeesSync": Indicator(value=round(age, 1), level=sync_level(age)),
        "walletBalance": Indicator(
            value=format_sol(wallet) if wallet is not None else None, level=wallet_level(wallet)
        ),
    }
    fee_accounts = daemon.fee_account_lamports
    return StatusView(
        running=daemon.running,
        network=daemon.config.network.value,
        overall=worst([i.level for i in indicators.values()]),
        indicators=indicators,
        pendingFees=pending + inflight,
        pendingFeesSOL=format_sol(pending + inflight),
        feeSharingTokens=len(fee_accounts),
        keeperTokens=len(daemon.registry) - len(fee_accounts),
        tokens=[
            TokenMode(symbol=t.symbol, mint=str(t.mint), attribution=t.attribution, poolType=t.pool_type)
            for t in daemon.registry.tokens
        ],
        feeAccountLamports=sum(fee_accounts.values()),
        unreportedFees=pending,
        inflightFees=inflight,
        datActive=dat.is_active if dat is not None else None,
        walletLamports=wallet,
        timestamp=iso(time.time()),
    )


def stats_view(daemon: FeeDaemon) -> StatsView:
    c = daemon.counters
    ledger = daemon.ledger
    states = ledger.mint_states() if ledger is not None else {}
    tokens: list[TokenStatsRow] = []
    for token in daemon.registry.tokens:
        mint = str(token.mint)
        s = states.get(mint)
        onchain = daemon.onchain.get(mint)
        tokens.append(
            TokenStatsRow(
                symbol=token.symbol,
                mint=mint,
                isRoot=token.is_root,
                poolType=token.pool_type,
                attribution=token.attribution,
                feeAccountLamports=daemon.fee_account_lamports.get(mint),
                registered=onchain is not None,
                unreportedLamports=s.pending if s else 0,
                inflightLamports=s.inflight if s else 0,
                onchainPendingLamports=onchain.pending_fees if onchain else None,
                onchainPendingSOL=format_sol(onchain.pending_fees) if onchain else None,
                attributedLamports=s.total_credited if s else 0,
                reportedLamports=s.total_reported if s else 0,
                watermark=list(token_watermark(onchain)) if onchain else None,
                lastSignature=s.last_signature if s else None,
            )
        )
    audit = ledger.audit() if ledger is not None else None
    dat = daemon.dat_state
    return StatsView(
        timestamp=iso(time.time()),
        lastUpdate=iso(c.last_sync_at),
        daemon=DaemonCounters(
            network=daemon.config.network.value,
            uptime=round(daemon.uptime_seconds(), 3),
            pollCount=c.polls,
            pollErrors=c.poll_errors,
            consecutivePollFailures=c.consecutive_poll_failures,
            lastPoll=iso(c.last_poll_at) if c.last_poll_at else None,
            lastSuccessfulPoll=iso(c.last_ok_poll_at) if c.last_ok_poll_at else None,
            lastError=c.last_error,
            flushCount=c.flushes,
            flushErrors=c.flush_errors,
            lastFlush=iso(c.last_flush_at) if c.last_flush_at else None,
            reportsLanded=c.reports_landed,
            reportsReleased=c.reports_released,
            feesDetected=c.fees_detected,
            feesReported=c.fees_reported,
            tokensMonitored=len(daemon.registry),
            pollIntervalSeconds=daemon.config.poll_interval_seconds,
            flushIntervalSeconds=daemon.config.flush_interval_seconds,
        ),
        ledger=audit,
        reconciliation=Reconciliation(poolBalance=c.pool_balance, divergence=c.divergence),
        cycles=CycleCounts(
            total=dat.total_cycles if dat else None,
            failed=dat.failed_cycles if dat else None,
            consecutiveFailures=dat.consecutive_failures if dat else None,
        ),
        tokens=tokens,
    )


def metrics_snapshot(daemon: FeeDaemon) -> MetricsSnapshot:
    """What `/metrics` renders (`daemon/metrics.py`)."""
    ledger = daemon.ledger
    states = ledger.mint_states() if ledger is not None else {}
    tokens = []
    for token in daemon.registry.tokens:
        mint = str(token.mint)
        s = states.get(mint)
        onchain = daemon.onchain.get(mint)
        # A fee-sharing token's pending is what its fee account holds (plus any old pending).
        unreported = (s.pending + s.inflight) if s else daemon.fee_account_lamports.get(mint, 0)
        tokens.append(
            TokenMetrics(
                symbol=token.symbol,
                mint=mint,
                pending_total=(onchain.pending_fees if onchain else 0) + unreported,
                unreported=unreported,
                onchain_pending=onchain.pending_fees if onchain else None,
                credited_total=s.total_credited if s else 0,
                reported_total=s.total_reported if s else 0,
                attribution=token.attribution,
            )
        )
    dat = daemon.dat_state
    counters = daemon.counters
    return MetricsSnapshot(
        uptime_seconds=daemon.uptime_seconds(),
        last_sync_timestamp=counters.last_sync_at,
        cycles_executed=dat.total_cycles if dat else 0,
        failed_cycles=dat.failed_cycles if dat else 0,
        polls=counters.polls,
        poll_errors=counters.poll_errors,
        flushes=counters.flushes,
        flush_errors=counters.flush_errors,
        reports_landed=counters.reports_landed,
        reports_released=counters.reports_released,
        inflight_reports=len(ledger.reports("inflight")) if ledger is not None else 0,
        fees_detected_lamports=counters.fees_detected,
        fees_reported_lamports=counters.fees_reported,
        tokens_monitored=len(daemon.registry),
        wallet_lamports=daemon.wallet_lamports,
        vault_divergence_lamports=counters.divergence,
        consecutive_failures_onchain=dat.consecutive_failures if dat else 0,
        healthy=health_report(daemon).healthy,
        tokens=tokens,
    )


def dump(view: BaseModel) -> dict[str, Any]:
    """A view as the API's JSON object (field order kept)."""
    return view.model_dump()
