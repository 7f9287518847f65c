"""The fee daemon's process around its poll loop: the HTTP API server (uvicorn over
`daemon/api.py`'s app and the dashboard's routes, bound up front), start-up retried while the RPC
is down, the companion task (`asdf-dat daemon --autopilot`), and a clean SIGTERM / SIGINT stop.
The loop itself is `FeeDaemon.run_loop` (`daemon/service.py`)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
from collections.abc import Callable, Coroutine, Iterator
from typing import Any

import uvicorn

from asdf_dat.daemon.api import create_app
from asdf_dat.daemon.dashboard.routes import dashboard_routes
from asdf_dat.daemon.dashboard.service import Dashboard
from asdf_dat.daemon.http_limits import (
    ACCEPT_BACKLOG,
    HEADER_TIMEOUT_SECONDS,
    KEEP_ALIVE_SECONDS,
    connection_cap,
    guarded_h11_protocol,
)
from asdf_dat.daemon.service import FeeDaemon, StartupError
from asdf_dat.network.results import TransportError

__all__ = ["COMPANION_STOP_SECONDS", "Companion", "bind_api_socket", "serve"]

logger = logging.getLogger(__name__)

Companion = Callable[[FeeDaemon], Coroutine[Any, Any, object]]
"""A task run beside the poll loop, in the same process, once the daemon is ready (the autopilot
of `asdf-dat daemon --autopilot`). It should return soon after `FeeDaemon.wait_stop` says stop."""
COMPANION_STOP_SECONDS = 45.0
"""How long a stop waits for a companion to finish (a cycle in flight) before cancelling it;
with the final flush it stays within the unit's TimeoutStopSec."""


class _ApiServer(uvicorn.Server):
    """uvicorn without its own signal handling (the daemon handles SIGTERM/SIGINT)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def bind_api_socket(host: str, port: int) -> socket.socket:
    """Bind the API socket up front, so a busy port is a clear start-up error."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError as exc:
        raise StartupError(
            f"cannot serve the API on {host}:{port}: {exc.strerror or exc} (set API_PORT or --port)"
        ) from None
    return sock


async def _serve_api(server: uvicorn.Server, sock: socket.socket) -> None:
    """The API; its failure is logged and never reaches the poll loop."""
    try:
        await server.serve(sockets=[sock])
    except Exception:
        logger.exception("the HTTP API stopped; the daemon keeps polling and reporting")


async def _prepare_until_ready(daemon: FeeDaemon) -> bool:
    """`prepare()`, retried while the RPC is unreachable; False if stopped meanwhile."""
    delay = 1.0
    while True:
        try:
            await daemon.prepare()
            return True
        except TransportError as exc:
            logger.warning("start-up needs the RPC, which failed (%s); retrying in %.0f s", exc, delay)
            daemon.poll_failed(f"start-up: {exc}")
        if await daemon.wait_stop(delay):
            return False
        delay = min(delay * 2, 30.0)


def _companion_ended(task: asyncio.Task[object]) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.error("autopilot stopped: %r (the daemon goes on without it)", task.exception())


async def _stop_companion(task: asyncio.Task[object]) -> None:
    """Let the companion finish what it is doing (a cycle), then cancel it if it has not."""
    await asyncio.wait({task}, timeout=COMPANION_STOP_SECONDS)
    if not task.done():
        logger.warning("autopilot still busy after %.0f s: cancelled", COMPANION_STOP_SECONDS)
        task.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await task


async def serve(daemon: FeeDaemon, companion: Companion | None = None) -> int:
    """Run a daemon whose `open()` succeeded: API, prepare, loop (and `companion` beside it),
    until SIGTERM/SIGINT."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, daemon.request_stop)
    server: _ApiServer | None = None
    api_task: asyncio.Task[None] | None = None
    dashboard_task: asyncio.Task[None] | None = None
    companion_task: asyncio.Task[object] | None = None
    try:
        if daemon.config.api_enabled:
            dashboard = Dashboard(daemon)
            dashboard_task = asyncio.create_task(dashboard.run())
            sock = bind_api_socket(daemon.config.api_host, daemon.config.api_port)
            token = daemon.config.api_token.get_secret_value() if daemon.config.api_token else None
            if token is None:
                logger.warning("DAEMON_API_TOKEN is not set: POST /flush is refused")
            app = create_app(
                daemon,
                api_token=token,
                flush_per_minute=daemon.config.flush_rate_per_minute,
                extra_routes=dashboard_routes(dashboard),
            )
            cap = connection_cap()  # concurrency limit cap + 1: uvicorn 503s at len(connections) >= limit
            server = _ApiServer(
                uvicorn.Config(
                    app,
                    log_level="warning",
                    log_config=None,
                    access_log=False,
                    lifespan="off",
                    http=guarded_h11_protocol(HEADER_TIMEOUT_SECONDS, cap),
                    timeout_keep_alive=int(KEEP_ALIVE_SECONDS),
                    limit_concurrency=cap + 1,
                    backlog=ACCEPT_BACKLOG,
                )
            )
            api_task = asyncio.create_task(_serve_api(server, sock))
        daemon.running = True
        if not await _prepare_until_ready(daemon):
            return 0
        logger.info(
            "fee daemon running on %s: %d tokens, API %s",
            daemon.config.network.value,
            len(daemon.registry),
            f"http://{daemon.config.api_host}:{daemon.config.api_port}" if server else "off",
        )
        daemon.alerter.send(
            "daemon_restart",
            "info",
            "Fee daemon started",
            f"network {daemon.config.network.value}, {len(daemon.registry)} tokens",
        )
        if companion is not None:
            companion_task = asyncio.create_task(companion(daemon))
            companion_task.add_done_callback(_companion_ended)
        await daemon.run_loop()
        return 0
    finally:
        if companion_task is not None:
            await _stop_companion(companion_task)
        if dashboard_task is not None:
            dashboard_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await dashboard_task
        await daemon.shutdown()
        if server is not None:
            server.should_exit = True
        if api_task is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(api_task, timeout=5.0)
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)
