"""The daemon's HTTP API (Starlette), bound to 127.0.0.1:3030 by default.

GET  /health   200 {"status": "ok", ...} when healthy, else 503 {"status": "degraded", ...}
GET  /ready    200 / 503 {ready, checks, timestamp}
GET  /live     200 {alive, uptime, timestamp}
GET  /status   the seed's health indicators (healthy / warning / critical) and pending fees
GET  /stats    detailed statistics, with `lastUpdate` (ISO time of the last full sync)
GET  /metrics  Prometheus text format
GET  /         the burn dashboard (read-only; routes in asdf_dat.daemon.dashboard.routes)
POST /flush    report pending fees now (bearer token `DAEMON_API_TOKEN`; refused when unset);
               the seed's FlushResult, 200 all ok / 207 partial / 500 failure

Garbage (bad JSON, oversize bodies, wrong methods, unknown routes) gets a 4xx, never a crash.
"""

from __future__ import annotations

import hmac
import json
import logging
import time
from collections import deque
from collections.abc import Sequence
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from asdf_dat.daemon.metrics import CONTENT_TYPE

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024


class FlushDetail(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    symbol: str
    mint: str
    amount: int
    success: bool
    error: str | None = None


class FlushResult(BaseModel):
    """The seed's `FlushResult`, plus `timestamp`."""

    model_config = ConfigDict(populate_by_name=True)

    success: bool
    tokens_updated: int = Field(alias="tokensUpdated")
    tokens_failed: int = Field(alias="tokensFailed")
    total_flushed: int = Field(alias="totalFlushed")
    remaining_pending: int = Field(alias="remainingPending")
    details: list[FlushDetail]
    timestamp: str
    error: str | None = None

    def http_status(self) -> int:
        if self.error is not None:
            return 500
        if self.tokens_failed and self.tokens_updated:
            return 207
        if self.tokens_failed:
            return 500
        return 200


class HealthReport(BaseModel):
    healthy: bool
    body: dict[str, Any]


class DaemonView(Protocol):
    """What the API needs from the daemon (the service implements it)."""

    def health(self) -> HealthReport: ...

    def readiness(self) -> tuple[bool, dict[str, Any]]: ...

    def liveness(self) -> dict[str, Any]: ...

    def status(self) -> dict[str, Any]: ...

    def stats(self) -> dict[str, Any]: ...

    def metrics_text(self) -> bytes: ...

    async def flush_now(self, reason: str) -> FlushResult: ...


class _RateLimit:
    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._calls: deque[float] = deque()

    def retry_after(self) -> int | None:
        now = time.monotonic()
        while self._calls and now - self._calls[0] >= 60.0:
            self._calls.popleft()
        if len(self._calls) >= self.per_minute:
            return max(1, int(60.0 - (now - self._calls[0])) + 1)
        self._calls.append(now)
        return None


def _json(body: Any, status_code: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, status_code=status_code, headers=headers)


def create_app(
    daemon: DaemonView,
    *,
    api_token: str | None,
    flush_per_minute: int = 10,
    extra_routes: Sequence[BaseRoute] = (),
) -> Starlette:
    """The API; `extra_routes` are read-only pages added beside it (the dashboard)."""
    limiter = _RateLimit(flush_per_minute)
    token_bytes = api_token.encode() if api_token else None

    async def health(request: Request) -> Response:
        report = daemon.health()
        return _json(report.body, 200 if report.healthy else 503)

    async def ready(request: Request) -> Response:
        is_ready, body = daemon.readiness()
        return _json(body, 200 if is_ready else 503)

    async def live(request: Request) -> Response:
        return _json(daemon.liveness())

    async def status(request: Request) -> Response:
        return _json(daemon.status())

    async def stats(request: Request) -> Response:
        return _json(daemon.stats())

    async def metrics(request: Request) -> Response:
        return Response(daemon.metrics_text(), media_type=CONTENT_TYPE)

    async def flush(request: Request) -> Response:
        if token_bytes is None:
            return _json(
                {"success": False, "error": "mutating routes are disabled: set DAEMON_API_TOKEN to enable POST /flush"},
                403,
            )
        header = request.headers.get("authorization", "")
        scheme, _, supplied = header.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(supplied.strip().encode(), token_bytes):
            return _json(
                {"success": False, "error": "missing or invalid bearer token"},
                401,
                {"WWW-Authenticate": 'Bearer realm="asdf-dat-daemon"'},
            )
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            return _json({"success": False, "error": "request body too large"}, 413)
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            return _json({"success": False, "error": "request body too large"}, 413)
        if body.strip():
            try:
                parsed = json.loads(body)
            except (ValueError, UnicodeDecodeError):
                return _json({"success": False, "error": "body must be empty or a JSON object"}, 400)
            if not isinstance(parsed, dict):
                return _json({"success": False, "error": "body must be empty or a JSON object"}, 400)
        retry = limiter.retry_after()
        if retry is not None:
            return _json({"success": False, "error": "flush rate limit exceeded"}, 429, {"Retry-After": str(retry)})
        result = await daemon.flush_now("api")
        return _json(result.model_dump(by_alias=True), result.http_status())

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return _json({"error": exc.detail}, exc.status_code, dict(exc.headers or {}))

    async def on_error(request: Request, exc: Exception) -> Response:
        logger.exception("API error on %s %s", request.method, request.url.path)
        return _json({"error": "internal error"}, 500)

    return Starlette(
        routes=[
            Route("/health", health, methods=["GET"]),
            Route("/ready", ready, methods=["GET"]),
            Route("/live", live, methods=["GET"]),
            Route("/status", status, methods=["GET"]),
            Route("/stats", stats, methods=["GET"]),
            Route("/metrics", metrics, methods=["GET"]),
            Route("/flush", flush, methods=["POST"]),
            *extra_routes,
        ],
        exception_handlers={HTTPException: on_http_error, Exception: on_error},
    )
