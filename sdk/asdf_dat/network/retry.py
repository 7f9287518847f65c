"""Which RPC failures are worth retrying, and how long to wait between attempts."""

from __future__ import annotations

import random

import httpx
from pydantic import BaseModel, ConfigDict, Field
from solana.exceptions import SolanaRpcException
from solana.rpc.core import RPCException
from solders.rpc.errors import (
    BlockNotAvailableMessage,
    InternalErrorMessage,
    MinContextSlotNotReachedMessage,
    NodeUnhealthyMessage,
)

from asdf_dat.network.results import RpcResponseError

_TRANSIENT_HTTP_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
_TRANSIENT_RPC_ERRORS = (
    NodeUnhealthyMessage,
    InternalErrorMessage,
    BlockNotAvailableMessage,
    MinContextSlotNotReachedMessage,
)
_MAX_RETRY_AFTER_SECONDS = 30.0


class RetryPolicy(BaseModel):
    """Attempts per request and exponential backoff with jitter."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    attempts: int = Field(default=5, ge=1)
    initial_backoff_seconds: float = Field(default=0.25, ge=0)
    max_backoff_seconds: float = Field(default=4.0, ge=0)
    jitter: float = Field(default=0.2, ge=0, le=1)

    def backoff(self, attempt: int, rng: random.Random | None = None) -> float:
        """Delay before retry number `attempt` (0-based)."""
        base = min(self.max_backoff_seconds, self.initial_backoff_seconds * (1 << min(attempt, 30)))
        spread = base * self.jitter
        offset: float = (rng or random.Random()).uniform(-spread, spread)
        return max(0.0, base + offset)


def http_error_of(exc: BaseException) -> httpx.HTTPError | None:
    """The httpx error behind `exc` (solana-py wraps them in `SolanaRpcException`)."""
    current: BaseException | None = exc
    while current is not None:
        if isinstance(current, httpx.HTTPError):
            return current
        if not isinstance(current, SolanaRpcException):
            return None
        current = current.__cause__
    return None


def is_transient(exc: BaseException) -> bool:
    """Connection problems, timeouts, 429, 5xx and "node unhealthy/internal" JSON-RPC errors."""
    http_error = http_error_of(exc)
    if isinstance(http_error, httpx.HTTPStatusError):
        return http_error.response.status_code in _TRANSIENT_HTTP_STATUSES
    if isinstance(http_error, httpx.TransportError):
        return True
    if isinstance(exc, TimeoutError):
        return True
    if isinstance(exc, RPCException) and exc.args:
        return isinstance(exc.args[0], _TRANSIENT_RPC_ERRORS)
    return False


def retry_after_seconds(exc: BaseException) -> float | None:
    """The server's `Retry-After` (seconds form), capped, if the failure carries one."""
    http_error = http_error_of(exc)
    if not isinstance(http_error, httpx.HTTPStatusError):
        return None
    header = http_error.response.headers.get("retry-after")
    if header is None:
        return None
    try:
        return min(_MAX_RETRY_AFTER_SECONDS, max(0.0, float(header)))
    except ValueError:
        return None


def describe_failure(exc: BaseException) -> str:
    """Short, secret-free text for logs (no URLs: they may carry API keys)."""
    http_error = http_error_of(exc)
    if isinstance(http_error, httpx.HTTPStatusError):
        return f"HTTP {http_error.response.status_code}"
    if http_error is not None:
        return type(http_error).__name__
    if isinstance(exc, RPCException) and exc.args:
        return f"RPC error {type(exc.args[0]).__name__}"
    if isinstance(exc, RpcResponseError):
        return f"RPC error {exc.code}" if exc.code is not None else "RPC error"
    return type(exc).__name__
