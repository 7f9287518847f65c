"""Off-chain attack tests of issue 11: a failure the operator did not cause must not count
toward the auto-pause, and an RPC API key never reaches any output."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import threading
import traceback
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from asdf_dat.network.results import TransactionExpiredError, TransportError
from asdf_dat.network.retry import RetryPolicy
from asdf_dat.network.rpc_transport import RpcTransport, RpcTransportSettings

SECRET = "SECRETKEY0123456789abcdef"
SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


# ---------------------------------------------------------------- API-key masking
class _Refusing(BaseHTTPRequestHandler):
    status = 401

    def do_POST(self) -> None:  # noqa: N802
        self.send_response(self.status)
        self.send_header("Content-Type", "text/plain")
        body = f"denied {self.path}".encode()  # a provider echoing the URL back
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(params=[401, 404, 500])
def refusing_url(request: pytest.FixtureRequest) -> Iterator[str]:
    handler = type("H", (_Refusing,), {"status": request.param})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/?api-key={SECRET}"
    finally:
        server.shutdown()


def _everything(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc)) + repr(exc) + str(exc)


def test_attack_api_key_never_printed_transport(refusing_url: str, caplog: pytest.LogCaptureFixture) -> None:
    async def go() -> BaseException:
        transport = RpcTransport(
            [refusing_url],
            RpcTransportSettings(retry=RetryPolicy(attempts=2, initial_backoff_seconds=0.0, max_backoff_seconds=0.0)),
        )
        try:
            await transport.get_slot()
        except BaseException as exc:  # noqa: BLE001
            return exc
        finally:
            await transport.close()
        raise AssertionError("a refusing endpoint answered")

    caplog.set_level(logging.DEBUG)
    exc = asyncio.run(go())
    assert isinstance(exc, TransportError), type(exc)
    text = _everything(exc)
    assert SECRET not in text, text
    assert SECRET not in caplog.text, caplog.text


def test_attack_api_key_never_printed_cli(refusing_url: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("HELIUS_API_KEY", "RPC_FALLBACK_URL")}
    env["RPC_URL"] = refusing_url
    proc = subprocess.run(
        [sys.executable, str(SCRIPTS / "check-dat-state.py"), "--network", "localnet"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode != 0
    assert SECRET not in proc.stdout + proc.stderr, proc.stdout + proc.stderr
    assert "***" in proc.stdout + proc.stderr or "RPC" in proc.stdout + proc.stderr


# ---------------------------------------------------------------- record_failure only for our failures
@pytest.mark.sbf
def test_attack_rpc_failure_does_not_pause(tmp_path: Path) -> None:
    """The send of a cycle transaction fails for a reason outside the program (its blockhash
    expires, the RPC errors): nothing is recorded on-chain, the transaction is retried, and
    the cycle completes."""
    from asdf_dat.config.ecosystem import load_ecosystem
    from asdf_dat.network.config import Network
    from asdf_dat.network.embedded_transport import EmbeddedTransport
    from asdf_dat.orchestrator import executor
    from test_orchestrator_runbooks import make_world, register_all

    w = make_world(tmp_path)
    try:
        register_all(w)
        w.trade("DATS2", 2, "1.5")

        class Flaky(EmbeddedTransport):
            failures = 0

            async def send_and_confirm(self, transaction, **kwargs):  # type: ignore[no-untyped-def]
                from solders.transaction import VersionedTransaction

                if (
                    Flaky.failures < 2
                    and len(VersionedTransaction.from_bytes(bytes(transaction)).message.instructions) > 2
                ):
                    Flaky.failures += 1
                    if Flaky.failures == 1:
                        raise TransactionExpiredError(transaction.signatures[0])
                    raise TransportError("sendTransaction failed on every attempt: HTTP 503")
                return await super().send_and_confirm(transaction, **kwargs)

        ecosystem = load_ecosystem(w.tokens["FROOT"].file, Network.LOCALNET)
        run = asyncio.run(executor.execute(Flaky(w.ledger), w.admin, ecosystem))
        state = w.state()
        assert Flaky.failures == 2
        assert state.consecutive_failures == 0 and state.failed_cycles == 0, state
        assert not any(b.failure_recorded for b in run.batches)
        assert w.stats("DATS2").cycles == 1
    finally:
        if w.server is not None:
            w.server.stop()
