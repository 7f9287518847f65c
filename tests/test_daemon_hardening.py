"""A daemon that cannot be knocked over (issue 12): the API server's connection limits, the log
rate limit, no stray temp file after a killed state write, lock messages that say what to do."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from asdf_dat.config.lock import DaemonLock, LockError
from asdf_dat.daemon.http_limits import RateLimitFilter, connection_cap, guarded_h11_protocol
from asdf_dat.daemon.state_file import StateFile


async def _ok(request: Request) -> PlainTextResponse:
    return PlainTextResponse("ok")


def test_idle_and_slow_header_connections_are_closed_and_capped() -> None:
    app = Starlette(routes=[Route("/health", _ok)])

    async def main() -> None:
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        protocol = guarded_h11_protocol(header_timeout=1.0, max_connections=8)
        server = uvicorn.Server(uvicorn.Config(app, http=protocol, log_config=None, lifespan="off",
                                               timeout_keep_alive=1, limit_concurrency=9))
        task = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started:
            await asyncio.sleep(0.01)
        idle = []
        for _ in range(30):  # far more than the cap
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            idle.append(writer)
        await asyncio.sleep(0.2)
        connections = server.server_state.connections
        assert len(connections) <= 8
        # A real request still gets through: the oldest idle connection makes room.
        async with httpx.AsyncClient() as client:
            assert (await client.get(f"http://127.0.0.1:{port}/health")).text == "ok"
        # A slow-header client is cut after the header timeout, like the idle ones.
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        closed_after = None
        started = time.monotonic()
        for byte in b"GET /health HTTP/1.1\r\nHost: x\r\n":
            writer.write(bytes([byte]))
            try:
                await writer.drain()
                if await asyncio.wait_for(reader.read(1), timeout=0.25) == b"":
                    closed_after = time.monotonic() - started
                    break
            except TimeoutError:
                continue
            except (ConnectionError, OSError):
                closed_after = time.monotonic() - started
                break
        assert closed_after is not None and closed_after < 5.0
        await asyncio.sleep(1.5)
        assert len(server.server_state.connections) == 0  # every idle one timed out
        for w in idle:
            w.close()
        server.should_exit = True
        await task

    asyncio.run(main())


def test_connection_cap_stays_below_the_descriptor_limit() -> None:
    import resource

    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    cap = connection_cap()
    assert cap <= 512 and (soft == resource.RLIM_INFINITY or 2 * cap + 128 + 128 <= max(soft, 272))


def test_log_lines_are_rate_limited() -> None:
    records = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep()
    handler.addFilter(RateLimitFilter(per_minute=20))
    log = logging.getLogger("test.storm")
    log.propagate = False
    log.addHandler(handler)
    try:
        for i in range(10_000):
            log.warning("poll failed (%d in a row): %s", i, "boom")
        log.warning("another message")
    finally:
        log.removeHandler(handler)
    assert len(records) == 21


def test_kill_9_during_state_writes_leaves_no_stray_temp_file(tmp_path: Path) -> None:
    child = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from asdf_dat.daemon.state_file import DaemonState, StateFile
        d = Path(sys.argv[1])
        sf = StateFile(d / ".daemon-state.json", d / ".daemon-state.backup.json")
        big = DaemonState(last_signatures={f"M{i}": "s" * 88 for i in range(2000)}, processed_signatures=[],
                          vault_cursors={}, pending_fees={f"M{i}": i for i in range(2000)}, inflight=())
        print("ready", flush=True)
        while True:
            sf.write(big)
        """
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "sdk")}
    strays = 0
    attempt = 0
    # Kill at varied moments until some kills have landed mid-write (at least 8 restarts, at
    # most 60): how often a kill lands inside a write depends on the machine's load.
    while attempt < 8 or (strays == 0 and attempt < 60):
        proc = subprocess.Popen([sys.executable, "-c", child, str(tmp_path)], stdout=subprocess.PIPE, env=env)
        assert proc.stdout is not None and proc.stdout.readline().strip() == b"ready"
        time.sleep(0.05 + 0.011 * (attempt % 17))
        attempt += 1
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        strays += len(list(tmp_path.glob(".*.tmp")))
        sf = StateFile(tmp_path / ".daemon-state.json", tmp_path / ".daemon-state.backup.json")
        outcome = sf.load()  # the next start
        assert outcome.state is not None
        assert list(tmp_path.glob(".*.tmp")) == []
    assert strays > 0  # some kills did land mid-write (else this test proves nothing)


def test_cycle_lock_refusal_says_cycle_and_a_foreign_live_pid_says_how_to_clear_it(tmp_path: Path) -> None:
    path = tmp_path / ".cycle-lock.json"
    held = DaemonLock(path, operation="ecosystem-cycle")
    held.acquire()
    try:
        with pytest.raises(LockError) as refused:
            DaemonLock(path, operation="ecosystem-cycle").acquire()
        assert "Cycle lock exists" in str(refused.value) and "second cycle" in str(refused.value)
        assert "daemon" not in str(refused.value)
    finally:
        held.release()
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        path.write_text(json.dumps({"pid": sleeper.pid, "timestamp": 0, "operation": "ecosystem-cycle",
                                    "hostname": socket.gethostname()}))
        with pytest.raises(LockError) as refused:
            DaemonLock(path, operation="ecosystem-cycle").acquire()
        assert f"delete {path}" in str(refused.value) and "does not hold this lock" in str(refused.value)
    finally:
        sleeper.kill()
        sleeper.wait()
