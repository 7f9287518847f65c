"""Limits of the API server that uvicorn does not set itself, and a log-rate limit.

uvicorn closes a keep-alive connection that stays idle after a response (`timeout_keep_alive`)
and answers 503 beyond `limit_concurrency`, but keeps a connection that never completes a request
(idle from the start, or trickling header bytes) forever, and accepts connections until the
process runs out of descriptors (then RPC calls and file writes fail). `guarded_h11_protocol` is
uvicorn's own h11 protocol with two more rules: the request headers must be complete within
`header_timeout` seconds of the connection opening (or of the previous response), and beyond
`max_connections` the oldest connection that is waiting for a request is closed (else the new
one): a flood of idle connections cannot lock out `/health`.
"""

from __future__ import annotations

import asyncio
import logging
import resource
import time
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_TIMEOUT_SECONDS = 10.0
KEEP_ALIVE_SECONDS = 5.0
# Listen backlog, which is also how many connections asyncio accepts in one go before any of them
# is closed: the cap plus this burst stays below the descriptor limit.
ACCEPT_BACKLOG = 64
# Descriptors kept for the daemon itself (ledger, RPC pool, logs, state files) out of the soft limit.
RESERVED_DESCRIPTORS = 128


def connection_cap(configured: int = 512) -> int:
    """At most `configured` connections, and at most half of what the soft RLIMIT_NOFILE leaves
    after the daemon's own descriptors and an accept burst."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return configured
    return max(8, min(configured, (int(soft) - RESERVED_DESCRIPTORS - 2 * ACCEPT_BACKLOG) // 2))


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a header deadline and a connection cap (set by subclassing,
    see `guarded_h11_protocol`)."""

    header_timeout: float = HEADER_TIMEOUT_SECONDS
    max_connections: int = 512

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._header_deadline: asyncio.TimerHandle | None = None
        self._opened_at = time.monotonic()
        if len(self.connections) > self.max_connections:
            idle = [c for c in self.connections if isinstance(c, GuardedH11Protocol) and c is not self and c.waiting]
            victim = min(idle, key=lambda c: c._opened_at) if idle else self
            victim.transport.abort()  # frees the descriptor now; connection_lost forgets it
            if victim is self:
                return
        self._arm()

    @property
    def waiting(self) -> bool:
        """No request in progress (before the first, or between keep-alive requests)."""
        return (self.cycle is None or self.cycle.response_complete) and not self.transport.is_closing()

    def _arm(self) -> None:
        self._disarm()
        self._header_deadline = self.loop.call_later(self.header_timeout, self._headers_too_late)

    def _disarm(self) -> None:
        deadline = getattr(self, "_header_deadline", None)
        if deadline is not None:
            deadline.cancel()
            self._header_deadline = None

    def _headers_too_late(self) -> None:
        self._header_deadline = None
        if self.waiting:
            self.transport.abort()

    def handle_events(self) -> None:
        super().handle_events()
        if self.cycle is not None and not self.cycle.response_complete:
            self._disarm()  # a request is being served: its headers arrived

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)


def guarded_h11_protocol(
    header_timeout: float = HEADER_TIMEOUT_SECONDS, max_connections: int | None = None
) -> type[H11Protocol]:
    cap = connection_cap() if max_connections is None else max_connections
    return type("GuardedH11", (GuardedH11Protocol,), {"header_timeout": header_timeout, "max_connections": cap})


class RateLimitFilter(logging.Filter):
    """At most `per_minute` records per (logger, message template) and minute; then one line
    saying how many were dropped. A storm (RPC down, connection flood) cannot fill the disk."""

    def __init__(self, per_minute: int = 20) -> None:
        super().__init__()
        self.per_minute = per_minute
        self._windows: dict[tuple[str, Any], tuple[float, int]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, record.msg if isinstance(record.msg, str) else type(record.msg).__name__)
        now = time.monotonic()
        start, count = self._windows.get(key, (now, 0))
        if now - start >= 60.0:
            dropped = count - self.per_minute
            if dropped > 0:
                record.msg = f"{record.msg} [{dropped} similar lines suppressed in the last minute]"
            start, count = now, 0
        count += 1
        if len(self._windows) > 10_000:
            self._windows.clear()
        self._windows[key] = (start, count)
        return count <= self.per_minute
