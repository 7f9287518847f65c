"""Daemon RPC load: calls `bench/daemon_rpc_load.py` (the fee daemon's load script) in-process.

That script runs the fee daemon against the localnet JSON-RPC endpoint over HTTP, as against
devnet, and counts the requests the endpoint served (`asdf_getStats`) per poll: idle (no trade)
and busy (`trades` trades per poll on random tokens, a flush every poll).
"""

from __future__ import annotations

import asyncio
import math
from collections import Counter
from dataclasses import dataclass

from bench.daemon_rpc_load import FULL_SCAN_SECONDS, POLL_SECONDS, STATS_REFRESH_SECONDS, measure


@dataclass(frozen=True)
class DaemonLoad:
    tokens: int
    polls: int
    trades_per_poll: int
    idle_per_poll: float
    busy_per_poll: float
    periodic_per_poll: float
    busy_tick_seconds: float
    breakdown: dict[str, float]
    fee_sharing: bool = False

    @property
    def goal_per_poll(self) -> int:
        """Issue 15's goal for fee-sharing tokens: ⌈N/100⌉ + 1 requests per poll, whatever the trade rate."""
        return math.ceil(self.tokens / 100) + 1

    @property
    def per_trade(self) -> float:
        """Busy requests per poll divided by the trades it attributed."""
        return self.busy_per_poll / self.trades_per_poll if self.trades_per_poll else 0.0

    @property
    def marginal_per_trade(self) -> float:
        """(busy - idle) / trades: what one more trade costs."""
        return (self.busy_per_poll - self.idle_per_poll) / self.trades_per_poll if self.trades_per_poll else 0.0


def measure_daemon(sizes: list[int], polls: int, trades: int, *, fee_sharing: bool = False) -> list[DaemonLoad]:
    """Idle and busy requests per poll for each number of tracked tokens. `fee_sharing`: every
    token on its curve and in fee-sharing mode (nothing to attribute: the daemon reads their fee
    accounts)."""
    out: list[DaemonLoad] = []
    for size in sizes:
        idle, busy, seconds = asyncio.run(measure(size, polls, trades, fee_sharing))
        idle_c: Counter[str] = Counter(idle)
        busy_c: Counter[str] = Counter(busy)
        poll, scan, refresh = POLL_SECONDS, FULL_SCAN_SECONDS, STATS_REFRESH_SECONDS
        # vault full scan (2 vaults), stats refresh and graduation check (curves), 100 tokens per request
        periodic = 2 / (scan / poll) + 2 * math.ceil(size / 100) / (refresh / poll)
        out.append(
            DaemonLoad(
                tokens=size,
                polls=polls,
                trades_per_poll=trades,
                idle_per_poll=sum(idle_c.values()) / polls,
                busy_per_poll=sum(busy_c.values()) / polls,
                periodic_per_poll=periodic,
                busy_tick_seconds=float(seconds),
                breakdown={k: v / polls for k, v in sorted(busy_c.items())},
                fee_sharing=fee_sharing,
            )
        )
    return out
