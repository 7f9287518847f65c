"""Fault injection for the local JSON-RPC endpoint (tests of retries, failover, exactly-once).

Off by default. Per request, after an optional random latency, at most one of these happens:

* `rate_limit_rate`: HTTP 429 with `Retry-After` (the request is not executed);
* `http_error_rate`: HTTP 503 (not executed);
* `rpc_error_rate`: HTTP 200 with JSON-RPC error `rpc_error_code` (default -32005 "Node is
  unhealthy"; -32429 imitates a provider's rate limit) (not executed);
* `timeout_rate`: the server waits `timeout_seconds`, then answers HTTP 504 (not executed);

and, for `sendTransaction` only, `lost_response_rate`: the transaction IS executed but the client
gets HTTP 503, as when a response is lost on the way back; a retry must not create a second
transaction for the same intent.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator


class FaultConfig(BaseModel):
    """What to inject. The default injects nothing."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rate_limit_rate: float = Field(default=0.0, ge=0.0, le=1.0)
    retry_after_seconds: int = Field(default=1, ge=0)
    http_error_rate: float = Field(default=0.0, ge=0.0, le=1.0)
    rpc_error_rate: float = Field(default=0.0, ge=0.0, le=1.0)
    rpc_error_code: int = -32005
    timeout_rate: float = Field(default=0.0, ge=0.0, le=1.0)
    timeout_seconds: float = Field(default=30.0, ge=0.0)
    lost_response_rate: float = Field(default=0.0, ge=0.0, le=1.0)
    min_latency_ms: int = Field(default=0, ge=0)
    max_latency_ms: int = Field(default=0, ge=0)
    methods: frozenset[str] | None = Field(
        default=None, description="Methods the faults apply to (None: every standard method)."
    )
    seed: int | None = None

    @model_validator(mode="after")
    def _check_ranges(self) -> FaultConfig:
        if self.max_latency_ms < self.min_latency_ms:
            raise ValueError("max_latency_ms must be >= min_latency_ms")
        exclusive = self.rate_limit_rate + self.http_error_rate + self.rpc_error_rate + self.timeout_rate
        if exclusive > 1.0:
            raise ValueError("rate_limit_rate + http_error_rate + rpc_error_rate + timeout_rate must be <= 1")
        return self

    @property
    def enabled(self) -> bool:
        return (
            self.rate_limit_rate
            + self.http_error_rate
            + self.rpc_error_rate
            + self.timeout_rate
            + self.lost_response_rate
        ) > 0 or self.max_latency_ms > 0

    def applies_to(self, method: str) -> bool:
        return self.methods is None or method in self.methods


class FaultKind(StrEnum):
    NONE = "none"
    RATE_LIMIT = "rate_limit"
    HTTP_ERROR = "http_error"
    RPC_ERROR = "rpc_error"
    TIMEOUT = "timeout"


@dataclass(frozen=True)
class FaultDecision:
    """What to do with one request: wait `delay_seconds`, then fail with `kind` (or not), and, for
    an executed `sendTransaction`, whether to lose its response."""

    delay_seconds: float
    kind: FaultKind
    lose_response: bool


NO_FAULT = FaultDecision(0.0, FaultKind.NONE, False)


class FaultInjector:
    """Draws fault decisions from a `FaultConfig`; the config can be replaced at run time."""

    def __init__(self, config: FaultConfig | None = None) -> None:
        self._lock = threading.Lock()
        self._config = config or FaultConfig()
        self._random = random.Random(self._config.seed)
        self._injected: Counter[str] = Counter()

    @property
    def config(self) -> FaultConfig:
        with self._lock:
            return self._config

    def configure(self, config: FaultConfig) -> None:
        with self._lock:
            self._config = config
            self._random = random.Random(config.seed)

    def injected(self) -> dict[str, int]:
        """How many faults of each kind were injected so far."""
        with self._lock:
            return dict(self._injected)

    def decide(self, method: str) -> FaultDecision:
        with self._lock:
            config = self._config
            if not config.enabled or not config.applies_to(method):
                return NO_FAULT
            delay = self._random.uniform(config.min_latency_ms, config.max_latency_ms) / 1000.0
            draw = self._random.random()
            kind = FaultKind.NONE
            threshold = 0.0
            for candidate, rate in (
                (FaultKind.RATE_LIMIT, config.rate_limit_rate),
                (FaultKind.HTTP_ERROR, config.http_error_rate),
                (FaultKind.RPC_ERROR, config.rpc_error_rate),
                (FaultKind.TIMEOUT, config.timeout_rate),
            ):
                threshold += rate
                if draw < threshold:
                    kind = candidate
                    break
            lose = (
                kind is FaultKind.NONE
                and method == "sendTransaction"
                and self._random.random() < config.lost_response_rate
            )
            if kind is not FaultKind.NONE:
                self._injected[kind.value] += 1
            if lose:
                self._injected["lost_response"] += 1
            return FaultDecision(delay, kind, lose)
