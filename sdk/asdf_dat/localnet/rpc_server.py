"""Solana JSON-RPC 2.0 over HTTP for a `LocalLedger`: a Starlette app and a uvicorn runner.

    ledger = LocalLedger(new_svm())
    with start_localnet_in_thread(ledger) as server:      # free port on 127.0.0.1
        client = AsyncClient(server.url)

`serve(ledger, LocalnetServerConfig(port=8899))` runs it in the foreground (the CLI's job).
Garbage gets JSON-RPC errors (-32700, -32600, -32601, -32602), never a crash.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from types import TracebackType
from typing import Any

import uvicorn
from pydantic import BaseModel, ConfigDict, Field
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from asdf_dat.localnet.encoding import JSONValue
from asdf_dat.localnet.faults import NO_FAULT, FaultConfig, FaultDecision, FaultInjector, FaultKind
from asdf_dat.localnet.ledger import LocalLedger
from asdf_dat.localnet.methods import JsonRpcError, LocalnetRpcMethods, RpcCallStats

logger = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8899
MAX_BODY_BYTES = 10 * 1024 * 1024
# Rust clients (solana-rpc-client / reqwest, so anchor-cli) keep idle connections pooled for up
# to 90 s and reuse them; uvicorn's default 5 s keep-alive closes them first, and the next
# request on one fails with "connection closed before message completed". A validator keeps
# them open: so do we.
KEEP_ALIVE_SECONDS = 120
_CONTROL_PREFIX = "asdf_"


class LocalnetServerConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    host: str = DEFAULT_HOST
    port: int = Field(default=DEFAULT_PORT, ge=0, le=65535)
    faults: FaultConfig = FaultConfig()
    log_level: str = "warning"


def create_rpc(ledger: LocalLedger, faults: FaultConfig | None = None) -> LocalnetRpcMethods:
    return LocalnetRpcMethods(ledger, FaultInjector(faults), RpcCallStats())


def create_app(rpc: LocalnetRpcMethods) -> Starlette:
    """The ASGI app: `POST /` for JSON-RPC (single or batch), `GET /health` like a validator."""

    async def handle_rpc(request: Request) -> Response:
        body = await _read_body(request, MAX_BODY_BYTES)
        if body is None:
            return _error_response(JsonRpcError(JsonRpcError.INVALID_REQUEST, "Request too large"), None, 413)
        try:
            payload = json.loads(body)
        except (ValueError, UnicodeDecodeError, RecursionError):
            return _error_response(JsonRpcError(JsonRpcError.PARSE_ERROR, "Parse error"), None)

        faulted_method = _fault_method(payload)
        fault = NO_FAULT if faulted_method is None else rpc.faults.decide(faulted_method)
        if fault.delay_seconds > 0:
            await asyncio.sleep(fault.delay_seconds)
        failure = await _injected_failure(fault, rpc.faults.config, payload)
        if failure is not None:
            return failure

        if isinstance(payload, list):
            if not payload:
                return _error_response(JsonRpcError(JsonRpcError.INVALID_REQUEST, "Invalid request"), None)
            result: JSONValue = [_handle_one(rpc, item) for item in payload]
        else:
            result = _handle_one(rpc, payload)
        if fault.lose_response:
            return PlainTextResponse("injected fault: response lost", status_code=503)
        return JSONResponse(result)

    async def handle_health(request: Request) -> Response:
        return PlainTextResponse("ok")

    return Starlette(
        routes=[
            Route("/", handle_rpc, methods=["POST"]),
            Route("/health", handle_health, methods=["GET"]),
        ]
    )


async def _read_body(request: Request, limit: int) -> bytes | None:
    """The request body, or None if it is larger than `limit` bytes (read no further than that)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _handle_one(rpc: LocalnetRpcMethods, request: JSONValue) -> JSONValue:
    request_id: JSONValue = None
    try:
        if not isinstance(request, dict):
            raise JsonRpcError(JsonRpcError.INVALID_REQUEST, "Invalid request")
        request_id = request.get("id")
        if not (request_id is None or isinstance(request_id, (str, int)) and not isinstance(request_id, bool)):
            request_id = None
            raise JsonRpcError(JsonRpcError.INVALID_REQUEST, "Invalid request: bad id")
        method = request.get("method")
        if request.get("jsonrpc") != "2.0" or not isinstance(method, str):
            raise JsonRpcError(JsonRpcError.INVALID_REQUEST, "Invalid request")
        params = request.get("params", [])
        if params is None:
            params = []
        if not isinstance(params, list):
            raise JsonRpcError(JsonRpcError.INVALID_PARAMS, "Invalid params: params must be an array")
        result = rpc.call(method, params)
        return {"jsonrpc": "2.0", "result": result, "id": request_id}
    except JsonRpcError as error:
        return {"jsonrpc": "2.0", "error": error.to_json(), "id": request_id}
    except Exception as exc:  # a bug must not take the endpoint down
        logger.exception("internal error while handling a JSON-RPC request")
        internal = JsonRpcError(JsonRpcError.INTERNAL_ERROR, f"Internal error: {type(exc).__name__}")
        return {"jsonrpc": "2.0", "error": internal.to_json(), "id": request_id}


def _fault_method(payload: Any) -> str | None:
    """The method whose faults apply to this request (a batch: its first), None for test controls
    (never faulted, or a test could not switch faults off again)."""
    first = payload[0] if isinstance(payload, list) and payload else payload
    method = first.get("method") if isinstance(first, dict) else None
    if not isinstance(method, str):
        return "<invalid>"
    return None if method.startswith(_CONTROL_PREFIX) else method


async def _injected_failure(fault: FaultDecision, config: FaultConfig, payload: Any) -> Response | None:
    if fault.kind is FaultKind.NONE:
        return None
    if fault.kind is FaultKind.RATE_LIMIT:
        return PlainTextResponse(
            "Too many requests (injected fault)",
            status_code=429,
            headers={"Retry-After": str(config.retry_after_seconds)},
        )
    if fault.kind is FaultKind.HTTP_ERROR:
        return PlainTextResponse("Service unavailable (injected fault)", status_code=503)
    if fault.kind is FaultKind.TIMEOUT:
        await asyncio.sleep(config.timeout_seconds)
        return PlainTextResponse("Gateway timeout (injected fault)", status_code=504)
    request_id = payload.get("id") if isinstance(payload, dict) else None
    if config.rpc_error_code == JsonRpcError.NODE_UNHEALTHY:
        error = JsonRpcError(
            JsonRpcError.NODE_UNHEALTHY, "Node is unhealthy (injected fault)", {"numSlotsBehind": None}
        )
    else:
        error = JsonRpcError(config.rpc_error_code, "Injected fault")
    return _error_response(error, request_id if isinstance(request_id, (str, int)) else None)


def _error_response(error: JsonRpcError, request_id: JSONValue, status_code: int = 200) -> Response:
    return JSONResponse({"jsonrpc": "2.0", "error": error.to_json(), "id": request_id}, status_code=status_code)


# ---------------------------------------------------------------------- runners


def serve(ledger: LocalLedger, config: LocalnetServerConfig | None = None) -> None:
    """Serve in the foreground until interrupted (Ctrl-C / SIGTERM)."""
    settings = config or LocalnetServerConfig()
    app = create_app(create_rpc(ledger, settings.faults))
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        access_log=False,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
    )


class BackgroundLocalnet:
    """A localnet endpoint served by uvicorn in a daemon thread; a context manager."""

    def __init__(
        self, rpc: LocalnetRpcMethods, *, host: str = DEFAULT_HOST, port: int = 0, log_level: str = "warning"
    ) -> None:
        self.rpc = rpc
        self.host = host
        self.port = port
        config = uvicorn.Config(
            create_app(rpc),
            host=host,
            port=port,
            log_level=log_level,
            access_log=False,
            lifespan="off",
            timeout_keep_alive=KEEP_ALIVE_SECONDS,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="localnet-rpc", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def ledger(self) -> LocalLedger:
        return self.rpc.ledger

    def start(self, timeout: float = 10.0) -> BackgroundLocalnet:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError(f"the localnet RPC server could not start on {self.host}:{self.port}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"the localnet RPC server did not start within {timeout} s")
            time.sleep(0.005)
        # With port 0 the OS picked a free port: read it back from the listening socket.
        listening = [sock for server in self._server.servers for sock in (server.sockets or ())]
        if listening:
            self.port = int(listening[0].getsockname()[1])
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(timeout)

    def __enter__(self) -> BackgroundLocalnet:
        return self if self._server.started else self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def start_localnet_in_thread(
    ledger: LocalLedger, *, host: str = DEFAULT_HOST, port: int = 0, faults: FaultConfig | None = None
) -> BackgroundLocalnet:
    """Start serving `ledger` in a background thread (port 0: any free port); returns once listening."""
    return BackgroundLocalnet(create_rpc(ledger, faults), host=host, port=port).start()
