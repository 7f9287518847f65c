"""Prometheus metrics, collected on scrape from the daemon's snapshot (one registry per daemon,
no global state). Names from the seed: `dat_pending_fees_total{token}` (plus `attribution`),
`dat_cycles_executed_total`, `dat_daemon_uptime_seconds`, `dat_last_sync_timestamp`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


@dataclass(frozen=True)
class TokenMetrics:
    symbol: str
    mint: str
    pending_total: int  # on-chain pending + not yet reported
    unreported: int
    onchain_pending: int | None
    credited_total: int
    reported_total: int
    attribution: str = "keeper"
    """`fee-sharing` | `keeper`: the `attribution` label of every per-token metric."""


@dataclass(frozen=True)
class MetricsSnapshot:
    uptime_seconds: float
    last_sync_timestamp: float
    cycles_executed: int
    failed_cycles: int
    polls: int
    poll_errors: int
    flushes: int
    flush_errors: int
    reports_landed: int
    reports_released: int
    inflight_reports: int
    fees_detected_lamports: int
    fees_reported_lamports: int
    tokens_monitored: int
    wallet_lamports: int | None
    vault_divergence_lamports: int | None
    consecutive_failures_onchain: int
    healthy: bool
    tokens: list[TokenMetrics] = field(default_factory=list)


def token_labels(tokens: list[TokenMetrics]) -> list[str]:
    """The symbol as the `token` label (as in the seed), made unique with the mint's prefix when
    two tokens share a symbol."""
    counts: dict[str, int] = {}
    for token in tokens:
        counts[token.symbol] = counts.get(token.symbol, 0) + 1
    return [t.symbol if counts[t.symbol] == 1 else f"{t.symbol}-{t.mint[:6]}" for t in tokens]


class DaemonCollector(Collector):
    def __init__(self, snapshot: Callable[[], MetricsSnapshot]) -> None:
        self._snapshot = snapshot

    def collect(self) -> Iterable[Metric]:
        s = self._snapshot()
        # `attribution`: fee-sharing (the token's own fee account: pending = its balance) or keeper.
        labels = ["token", "attribution"]
        pending = GaugeMetricFamily(
            "dat_pending_fees_total", "Pending fees per token in lamports (on-chain + not yet reported)", labels=labels
        )
        unreported = GaugeMetricFamily(
            "dat_unreported_fees_lamports",
            "Fees not yet on-chain per token (keeper: detected, not reported; fee-sharing: in its fee account)",
            labels=labels,
        )
        credited = CounterMetricFamily("dat_fees_attributed_lamports", "Fees attributed per token", labels=labels)
        info = GaugeMetricFamily("dat_token_info", "Token label to mint", labels=[*labels, "mint"])
        for label, token in zip(token_labels(s.tokens), s.tokens, strict=True):
            pending.add_metric([label, token.attribution], token.pending_total)
            unreported.add_metric([label, token.attribution], token.unreported)
            credited.add_metric([label, token.attribution], token.credited_total)
            info.add_metric([label, token.attribution, token.mint], 1)
        yield pending
        yield unreported
        yield credited
        yield info
        yield CounterMetricFamily(
            "dat_cycles_executed", "Ecosystem cycles executed (on-chain total)", value=s.cycles_executed
        )
        yield CounterMetricFamily("dat_cycles_failed", "Failed cycles recorded on-chain", value=s.failed_cycles)
        yield GaugeMetricFamily("dat_daemon_uptime_seconds", "Seconds since the daemon started", value=s.uptime_seconds)
        yield GaugeMetricFamily(
            "dat_last_sync_timestamp",
            "Unix time when every detected fee was last on-chain",
            value=s.last_sync_timestamp,
        )
        yield CounterMetricFamily("dat_daemon_polls", "Vault polls", value=s.polls)
        yield CounterMetricFamily("dat_daemon_poll_errors", "Failed vault polls", value=s.poll_errors)
        yield CounterMetricFamily("dat_daemon_flushes", "On-chain flushes", value=s.flushes)
        yield CounterMetricFamily("dat_daemon_flush_errors", "Flushes with a failed report", value=s.flush_errors)
        yield CounterMetricFamily(
            "dat_reports_landed", "update_pending_fees transactions landed", value=s.reports_landed
        )
        yield CounterMetricFamily(
            "dat_reports_released", "Reports that did not land (amounts returned to pending)", value=s.reports_released
        )
        yield GaugeMetricFamily("dat_reports_inflight", "Reports sent but not yet resolved", value=s.inflight_reports)
        yield CounterMetricFamily("dat_fees_detected_lamports", "Creator fees detected", value=s.fees_detected_lamports)
        yield CounterMetricFamily(
            "dat_fees_reported_lamports", "Creator fees reported on-chain", value=s.fees_reported_lamports
        )
        yield GaugeMetricFamily("dat_tokens_monitored", "Tracked tokens", value=s.tokens_monitored)
        if s.wallet_lamports is not None:
            yield GaugeMetricFamily("dat_wallet_balance_lamports", "Keeper wallet balance", value=s.wallet_lamports)
        if s.vault_divergence_lamports is not None:
            yield GaugeMetricFamily(
                "dat_vault_divergence_lamports",
                "Vault pool balance minus everything attributed (negative: over-attribution)",
                value=s.vault_divergence_lamports,
            )
        yield GaugeMetricFamily(
            "dat_consecutive_failures", "On-chain consecutive cycle failures", value=s.consecutive_failures_onchain
        )
        yield GaugeMetricFamily("dat_daemon_healthy", "1 when /health is healthy", value=1 if s.healthy else 0)


def build_registry(snapshot: Callable[[], MetricsSnapshot]) -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(DaemonCollector(snapshot))
    return registry


def render(registry: CollectorRegistry) -> bytes:
    return generate_latest(registry)
