"""The daemon's HTTP API: every endpoint, metric names, /flush auth, garbage requests."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from solders.keypair import Keypair
from starlette.testclient import TestClient

from asdf_dat.daemon.api import FlushDetail, FlushResult, HealthReport, create_app
from asdf_dat.daemon.config import DaemonConfig
from asdf_dat.daemon.health import HealthInputs, degraded_reasons, failures_level, sync_level, wallet_level
from asdf_dat.daemon.metrics import MetricsSnapshot, TokenMetrics, build_registry, render
from asdf_dat.daemon.service import FeeDaemon

TOKEN = "s3cret-token"


class FakeDaemon:
    def __init__(self) -> None:
        self.healthy = True
        self.flushes = 0
        self.partial = False

    def health(self) -> HealthReport:
        if self.healthy:
            return HealthReport(healthy=True, body={"status": "ok"})
        return HealthReport(healthy=False, body={"status": "degraded", "reasons": ["x"]})

    def readiness(self) -> tuple[bool, dict[str, Any]]:
        return self.healthy, {"ready": self.healthy}

    def liveness(self) -> dict[str, Any]:
        return {"alive": True, "uptime": 1.0}

    def status(self) -> dict[str, Any]:
        return {"running": True}

    def stats(self) -> dict[str, Any]:
        return {"lastUpdate": "2026-01-01T00:00:00.000Z"}

    def metrics_text(self) -> bytes:
        return render(build_registry(lambda: snapshot()))

    async def flush_now(self, reason: str) -> FlushResult:
        self.flushes += 1
        details = [FlushDetail(symbol="A", mint="MintA", amount=5, success=True)]
        if self.partial:
            details.append(FlushDetail(symbol="B", mint="MintB", amount=3, success=False, error="boom"))
        return FlushResult(
            success=not self.partial, tokensUpdated=1, tokensFailed=1 if self.partial else 0, totalFlushed=5,
            remainingPending=3 if self.partial else 0, details=details, timestamp="t",
        )


def snapshot() -> MetricsSnapshot:
    return MetricsSnapshot(
        uptime_seconds=12.5, last_sync_timestamp=1_701_388_800.0, cycles_executed=15, failed_cycles=1, polls=10,
        poll_errors=1, flushes=3, flush_errors=0, reports_landed=3, reports_released=0, inflight_reports=0,
        fees_detected_lamports=5_000_000, fees_reported_lamports=5_000_000, tokens_monitored=1, wallet_lamports=10**9,
        vault_divergence_lamports=0, consecutive_failures_onchain=0, healthy=True,
        tokens=[
            TokenMetrics("DATSPL", "MintA", 5_000_000, 0, 5_000_000, 5_000_000, 5_000_000),
            TokenMetrics("FEE1", "MintB", 7_000, 7_000, 0, 0, 0, attribution="fee-sharing"),
        ],
    )


@pytest.fixture
def fake() -> FakeDaemon:
    return FakeDaemon()


@pytest.fixture
def client(fake: FakeDaemon) -> TestClient:
    return TestClient(create_app(fake, api_token=TOKEN, flush_per_minute=3), raise_server_exceptions=False)


def test_read_endpoints(client: TestClient, fake: FakeDaemon) -> None:
    health = client.get("/health")
    assert health.status_code == 200 and "ok" in health.text
    assert client.get("/ready").status_code == 200
    assert client.get("/live").json()["alive"] is True
    assert client.get("/status").json()["running"] is True
    assert "lastUpdate" in client.get("/stats").json()
    assert client.get("/health?verbose=1").status_code == 200  # query strings do not break routes
    fake.healthy = False
    degraded = client.get("/health")
    assert degraded.status_code == 503 and "ok" not in degraded.text
    assert client.get("/ready").status_code == 503


def test_metrics_names(client: TestClient) -> None:
    response = client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert 'dat_pending_fees_total{attribution="keeper",token="DATSPL"} 5e+06' in text
    assert 'dat_token_info{attribution="keeper",mint="MintA",token="DATSPL"} 1.0' in text
    # Each token's mode on every per-token metric (issue 15).
    assert 'dat_pending_fees_total{attribution="fee-sharing",token="FEE1"} 7000.0' in text
    assert 'dat_unreported_fees_lamports{attribution="fee-sharing",token="FEE1"} 7000.0' in text
    assert 'dat_fees_attributed_lamports_total{attribution="fee-sharing",token="FEE1"} 0.0' in text
    for name in (
        "dat_cycles_executed_total 15.0",
        "dat_daemon_uptime_seconds 12.5",
        "dat_last_sync_timestamp 1.7013888e+09",
    ):
        assert name in text, name


def test_flush_requires_the_bearer_token(client: TestClient, fake: FakeDaemon) -> None:
    assert client.post("/flush").status_code == 401
    assert client.post("/flush", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.post("/flush", headers={"Authorization": f"Basic {TOKEN}"}).status_code == 401
    assert fake.flushes == 0
    ok = client.post("/flush", headers={"Authorization": f"Bearer {TOKEN}"})
    assert ok.status_code == 200
    body = ok.json()
    for key in ("success", "tokensUpdated", "tokensFailed", "totalFlushed", "remainingPending", "details", "timestamp"):
        assert key in body
    assert body["details"][0] == {"symbol": "A", "mint": "MintA", "amount": 5, "success": True, "error": None}
    fake.partial = True
    assert client.post("/flush", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 207


def test_flush_refused_without_configured_token(fake: FakeDaemon) -> None:
    client = TestClient(create_app(fake, api_token=None))
    response = client.post("/flush", headers={"Authorization": "Bearer anything"})
    assert response.status_code == 403 and "DAEMON_API_TOKEN" in response.text
    assert fake.flushes == 0


def test_flush_is_rate_limited(client: TestClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    codes = [client.post("/flush", headers=auth).status_code for _ in range(4)]
    assert codes[:3] == [200, 200, 200] and codes[3] == 429


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "expected"),
    [
        ("post", "/flush", {"content": b"{not json"}, 400),
        ("post", "/flush", {"content": b"[1,2,3]"}, 400),
        ("post", "/flush", {"content": b"\xff\xfe\x00"}, 400),
        ("post", "/flush", {"content": b"x" * (70 * 1024)}, 413),
        ("get", "/flush", {}, 405),
        ("post", "/health", {"content": b"{}"}, 405),
        ("get", "/nope", {}, 404),
        ("get", "/../../etc/passwd", {}, 404),
        ("delete", "/stats", {}, 405),
    ],
)
def test_garbage_gets_4xx(client: TestClient, method: str, path: str, kwargs: dict[str, Any], expected: int) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    response = getattr(client, method)(path, headers=headers, **kwargs)
    assert response.status_code == expected
    assert client.get("/live").status_code == 200  # still alive


# ---------------------------------------------------------------------- thresholds


def test_seed_thresholds() -> None:
    assert [failures_level(n) for n in (0, 2, 3, 4, 5, 9)] == [
        "healthy",
        "healthy",
        "warning",
        "warning",
        "critical",
        "critical",
    ]
    assert [sync_level(s) for s in (0, 29.9, 30, 299, 300)] == ["healthy", "healthy", "warning", "warning", "critical"]
    assert [wallet_level(v) for v in (10**9, 100_000_001, 100_000_000, 10_000_001, 10_000_000, 0)] == [
        "healthy", "healthy", "warning", "warning", "critical", "critical"]


def test_degraded_reasons_never_contain_ok() -> None:
    reasons = degraded_reasons(HealthInputs(False, True, 0, None, 7, 1.0, 0)) + degraded_reasons(
        HealthInputs(True, False, 5, 999.0, 3, 1.0, 3))
    assert reasons and all("ok" not in r for r in reasons)


# ---------------------------------------------------------------------- the real daemon's views


@pytest.fixture(name="offline_daemon")
def offline_daemon_fixture(tmp_path: Path) -> Iterator[tuple[FeeDaemon, TestClient]]:
    """The real daemon with one token file and no chain (no transport), behind its real app."""
    tokens = tmp_path / "localnet-tokens"
    tokens.mkdir()
    (tokens / "01-a.json").write_text(json.dumps({
        "mint": str(Keypair().pubkey()), "bondingCurve": str(Keypair().pubkey()), "creator": str(Keypair().pubkey()),
        "name": "A", "symbol": "DATSPL", "isRoot": True, "poolType": "bonding_curve", "tokenProgram": "SPL",
        "network": "localnet",
    }))
    config = DaemonConfig.from_env("localnet", workdir=tmp_path, env={})
    daemon = FeeDaemon(config, transport=None, keeper=Keypair())  # type: ignore[arg-type]
    daemon.open()
    try:
        yield daemon, TestClient(create_app(daemon, api_token=TOKEN), raise_server_exceptions=False)
    finally:
        daemon.ledger.close()  # type: ignore[union-attr]
        daemon.lock.release()


def test_real_daemon_views_before_the_first_poll(offline_daemon: tuple[FeeDaemon, TestClient]) -> None:
    daemon, client = offline_daemon
    health = client.get("/health")
    assert health.status_code == 503 and "ok" not in health.text
    daemon.running = True
    daemon.counters.polls_ok = 1
    daemon.counters.last_ok_poll_monotonic = time.monotonic()
    assert client.get("/health").status_code == 200
    status = client.get("/status").json()
    assert set(status["indicators"]) == {"daemonRunning", "consecutiveFailures", "pendingFeesSync", "walletBalance"}
    assert status["indicators"]["pendingFeesSync"]["level"] == "healthy"
    stats = client.get("/stats").json()
    assert stats["lastUpdate"].endswith("Z") and stats["tokens"][0]["symbol"] == "DATSPL"
    metrics = client.get("/metrics").text
    for name in ("dat_pending_fees_total{", "dat_cycles_executed_total", "dat_daemon_uptime_seconds",
                 "dat_last_sync_timestamp"):
        assert name in metrics
    # No chain: the flush fails, the API still answers (500 with the FlushResult shape).
    flush = client.post("/flush", headers={"Authorization": f"Bearer {TOKEN}"})
    assert flush.status_code == 500 and flush.json()["success"] is False


def test_real_daemon_views_keep_their_json_keys_in_order(offline_daemon: tuple[FeeDaemon, TestClient]) -> None:
    """The views are typed models now (`daemon/views.py`); their JSON must stay what the dict
    literals they replaced answered: the same keys, in the same order (byte-compatible)."""
    _, client = offline_daemon
    assert list(client.get("/health").json()) == ["status", "reasons", "timestamp"]
    assert list(client.get("/live").json()) == ["alive", "uptime", "timestamp"]
    ready = client.get("/ready").json()
    assert list(ready) == ["ready", "checks", "timestamp"]
    assert list(ready["checks"]) == ["running", "tokensMonitored", "errorRate", "lastPollAgoMs"]
    status = client.get("/status").json()
    assert list(status) == [
        "running", "network", "overall", "indicators", "pendingFees", "pendingFeesSOL", "feeSharingTokens",
        "keeperTokens", "tokens", "feeAccountLamports", "unreportedFees", "inflightFees", "datActive",
        "walletLamports", "timestamp",
    ]
    assert list(status["indicators"]["walletBalance"]) == ["value", "level"]
    assert list(status["tokens"][0]) == ["symbol", "mint", "attribution", "poolType"]
    stats = client.get("/stats").json()
    assert list(stats) == ["timestamp", "lastUpdate", "daemon", "ledger", "reconciliation", "cycles", "tokens"]
    assert list(stats["daemon"]) == [
        "network", "uptime", "pollCount", "pollErrors", "consecutivePollFailures", "lastPoll",
        "lastSuccessfulPoll", "lastError", "flushCount", "flushErrors", "lastFlush", "reportsLanded",
        "reportsReleased", "feesDetected", "feesReported", "tokensMonitored", "pollIntervalSeconds",
        "flushIntervalSeconds",
    ]
    assert list(stats["ledger"]) == [
        "credited", "pending", "inflight", "reported", "orphaned", "credits", "consistent",
    ]
    assert list(stats["reconciliation"]) == ["poolBalance", "divergence"]
    assert list(stats["cycles"]) == ["total", "failed", "consecutiveFailures"]
    assert list(stats["tokens"][0]) == [
        "symbol", "mint", "isRoot", "poolType", "attribution", "feeAccountLamports", "registered",
        "unreportedLamports", "inflightLamports", "onchainPendingLamports", "onchainPendingSOL",
        "attributedLamports", "reportedLamports", "watermark", "lastSignature",
    ]
    # Compact JSON, as the dict literals were rendered (Starlette's JSONResponse).
    assert client.get("/live").text.startswith('{"alive":true,"uptime":')

