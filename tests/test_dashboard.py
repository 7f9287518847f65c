"""The dashboard's parts without a browser: the ledger's history table, events from logs, stats
deltas, the view's formatting, and the HTTP routes (page, typed JSON, RPC down, garbage)."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from solders.keypair import Keypair
from solders.pubkey import Pubkey
from starlette.applications import Starlette
from starlette.testclient import TestClient

from asdf_dat.config.tokens import TokenRegistry
from asdf_dat.daemon.config import DaemonConfig
from asdf_dat.daemon.dashboard.history import cycle_events_of, derived_cycle_events
from asdf_dat.daemon.dashboard.models import DashboardData, HistorySeries
from asdf_dat.daemon.dashboard.routes import PAGE_HEADERS, dashboard_routes, missing_assets
from asdf_dat.daemon.dashboard.service import SNAPSHOT_META_KEY, Dashboard
from asdf_dat.daemon.dashboard.snapshot import ChainSnapshot, DatSnapshot, TokenSnapshot, mint_supply
from asdf_dat.daemon.dashboard.view import (
    TokenInfo,
    attribution_mode,
    burned_share,
    explorer_url,
    failure_text,
    token_rows,
)
from asdf_dat.daemon.ledger import Cursor, CycleEventRow, Ledger
from asdf_dat.dat.events import event_discriminator
from asdf_dat.generated.types import CycleCompleted, CycleDeferred, CycleFailed
from asdf_dat.network.config import Network
from asdf_dat.network.results import TransportError
from asdf_dat.programs import ASDF_DAT_PROGRAM_ID
from asdf_dat.units import format_token_amount

DAT = str(ASDF_DAT_PROGRAM_ID)


def _line(name: str, event: Any) -> str:
    raw = event_discriminator(name) + type(event).layout.build(event.__dict__)
    return "Program data: " + base64.b64encode(raw).decode()


def _row(
    sig: str, index: int, mint: str, cycle: int, burned: int, spent: int, kind: str = "completed"
) -> CycleEventRow:
    return CycleEventRow(signature=sig, event_index=index, slot=cycle * 10, timestamp=1_800_000_000 + cycle,
                         kind=kind, mint=mint, cycle_id=cycle, sol_spent=spent, tokens_burned=burned)  # type: ignore[arg-type]


# ---------------------------------------------------------------- formatting


def test_token_amounts_and_shares_formatted_like_the_cli() -> None:
    assert format_token_amount(1_234_567_890_000) == "1,234,567.890000"
    assert format_token_amount(0) == "0.000000"
    assert format_token_amount(-5, 0) == "-5"
    assert burned_share(1, 999) == "0.1000%"
    assert burned_share(0, None) is None and burned_share(0, 0) is None
    assert mint_supply(b"\x00" * 36 + (10**15).to_bytes(8, "little") + b"\x06") == 10**15
    assert mint_supply(b"\x00" * 40) is None


def test_explorer_links_only_on_public_clusters() -> None:
    assert explorer_url(Network.LOCALNET, "sig") is None
    assert explorer_url(Network.DEVNET, "sig") == "https://explorer.solana.com/tx/sig?cluster=devnet"
    assert explorer_url(Network.MAINNET, "sig") == "https://explorer.solana.com/tx/sig"


def test_failures_named_from_the_program_errors() -> None:
    assert failure_text(6002).startswith("CycleTooSoon: ")
    assert "not a program error" in failure_text(0)
    assert failure_text(99) == "error 99"


def test_token_rows_root_first_with_chain_values() -> None:
    root, second = str(Keypair().pubkey()), str(Keypair().pubkey())
    stats = TokenSnapshot(mint=second, pool_type=1, is_root=False, decimals=6, pending_fees=25_000_000,
                          total_sol_spent=10**9, total_sent_to_root=5_690_000, total_received_from_others=0,
                          total_tokens_burned=2_500_000_000, cycles=3, last_cycle_at=1_800_000_000, last_cycle_id=3,
                          supply=997_500_000_000)
    snapshot = ChainSnapshot(fetched_at=1.0, dat=None, tokens={second: stats, root: None})
    tokens = [TokenInfo("SEC", second, False, "bonding_curve"), TokenInfo("ROOT", root, True, "bonding_curve")]
    rows = token_rows(tokens, snapshot)
    assert [r.symbol for r in rows] == ["ROOT", "SEC"]
    assert rows[0].registered is False and rows[0].pendingFeesSOL == "0 SOL"
    sec = rows[1]
    assert (sec.pendingFeesSOL, sec.solSpentSOL, sec.sentToRootSOL) == ("0.025 SOL", "1 SOL", "0.00569 SOL")
    assert sec.tokensBurnedText == "2,500.000000" and sec.burnedShareOfSupply == "0.2500%"
    assert sec.venue == "pumpswap_amm" and sec.venueLabel == "PumpSwap"  # the chain's pool type wins
    assert sec.attributionMode == "keeper" == attribution_mode(tokens[0], stats)


# ---------------------------------------------------------------- history


def test_cycle_events_from_logs_only_ours() -> None:
    mint = Keypair().pubkey()
    logs = [
        f"Program {DAT} invoke [1]",
        _line(
            "CycleCompleted", CycleCompleted(mint, 7, 100, 44, 0, 56, 0, 1_000, 0, 1_800_000_000, 1, 56, 900, 1_000, 44)
        ),
        _line("CycleDeferred", CycleDeferred(mint, 2, 5, 1, 1_800_000_001)),
        "Program 6EF8rrecthR5Dkzon8Nwu78hRvfCKubJ14M5uBEwF6P invoke [2]",
        _line("CycleFailed", CycleFailed(6003, 1, 1, 1_800_000_002)),  # logged by another program
        "Program 6EF8rrecthR5Dkzon8Nwu78hRvfCKubJ14M5uBEwF6P success",
        _line("CycleFailed", CycleFailed(6003, 2, 2, 1_800_000_003)),
        f"Program {DAT} success",
    ]
    rows = cycle_events_of("sig", 42, logs)
    assert [(r.kind, r.event_index) for r in rows] == [("completed", 1), ("deferred", 2), ("failed", 6)]
    done, deferred, failed = rows
    assert (done.mint, done.cycle_id, done.sol_spent, done.tokens_burned, done.sent_to_root) == (
        str(mint),
        7,
        56,
        1_000,
        44,
    )
    assert (deferred.code, deferred.pending_fees) == (2, 5)
    assert (failed.code, failed.consecutive_failures, failed.slot) == (6003, 2, 42)


def test_history_table_idempotent_one_completed_per_token_cycle_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    ledger = Ledger.open(path)
    a, b = "MintA", "MintB"
    rows = [_row("tx1", 1, a, 1, 100, 10), _row("tx1", 2, b, 1, 50, 5), _row("tx2", 1, a, 2, 200, 20)]
    assert ledger.record_cycle_events(rows, Cursor("history", "tx2", 20)) == 3
    assert ledger.record_cycle_events(rows, Cursor("history", "tx2", 20)) == 0  # same events again
    # a second `completed` of token A in cycle 2 (e.g. derived from its stats) is ignored
    assert ledger.record_cycle_events([_row("stats:MintA:2", 0, a, 2, 200, 20)], None) == 0
    version = ledger.history_version()
    ledger.close()
    ledger = Ledger.open(path)  # a restart keeps the history and the cursor
    assert ledger.history_cursor() == Cursor("history", "tx2", 20)
    assert ledger.history_version() == version
    total = ledger.cycle_series()
    assert [(p.cycle_id, p.tokens_burned, p.sol_spent) for p in total] == [(1, 150, 15), (2, 200, 20)]
    assert [(p.cycle_id, p.tokens_burned) for p in ledger.cycle_series(b)] == [(1, 50)]
    assert [e.signature for e in ledger.cycle_events("completed", limit=2)] == ["tx2", "tx1"]


def _stats(mint: str, cycles: int, burned: int, spent: int) -> TokenSnapshot:
    return TokenSnapshot(mint=mint, pool_type=0, is_root=False, decimals=6, pending_fees=0, total_sol_spent=spent,
                         total_sent_to_root=0, total_received_from_others=0, total_tokens_burned=burned,
                         cycles=cycles, last_cycle_at=1_800_000_000 + cycles, last_cycle_id=cycles, supply=10**15)


def test_stats_deltas_give_a_cycle_only_when_exactly_one_ran() -> None:
    before = ChainSnapshot(fetched_at=0, dat=None, tokens={"A": _stats("A", 1, 100, 10), "B": _stats("B", 1, 5, 1)})
    after = ChainSnapshot(fetched_at=1, dat=None, tokens={"A": _stats("A", 2, 350, 35), "B": _stats("B", 3, 9, 3)})
    (row,) = derived_cycle_events(before, after)
    assert (row.mint, row.cycle_id, row.tokens_burned, row.sol_spent) == ("A", 2, 250, 25)
    assert row.signature == "stats:A:2" and row.kind == "completed"
    assert derived_cycle_events(after, after) == []


# ---------------------------------------------------------------- routes


class _DownTransport:
    """Every read fails, as with the RPC down."""

    async def get_accounts(self, addresses: Any) -> Any:
        raise TransportError("connection refused")

    async def get_signatures_for_address(self, *args: Any, **kwargs: Any) -> Any:
        raise TransportError("connection refused")


class _Source:
    def __init__(self, tmp_path: Path, ledger: Ledger) -> None:
        self.config = DaemonConfig.from_env(Network.DEVNET, env={}, workdir=tmp_path)
        self.transport: Any = _DownTransport()
        self.ledger: Ledger | None = ledger
        (tmp_path / "devnet-tokens").mkdir()
        self.registry = TokenRegistry(tmp_path / "devnet-tokens", Network.DEVNET)
        self.dat_state = None

    def status(self) -> dict[str, Any]:
        return {"indicators": {"daemonRunning": {"value": True, "level": "healthy"},
                               "consecutiveFailures": {"value": 0, "level": "healthy"},
                               "pendingFeesSync": {"value": 1.5, "level": "healthy"},
                               "walletBalance": {"value": "0.05 SOL", "level": "warning"}}}


@pytest.fixture
def client(tmp_path: Path) -> Any:
    ledger = Ledger.open(tmp_path / "ledger.sqlite3")
    # what a previous run stored: the last snapshot and two cycles
    snapshot = ChainSnapshot(fetched_at=1_700_000_000.0,
                             dat=DatSnapshot(is_active=False, consecutive_failures=5, total_cycles=2, failed_cycles=5,
                                             cycle_id=2, cycle_started_at=1_700_000_000, min_cycle_interval_secs=60),
                             tokens={})
    ledger.set_meta(SNAPSHOT_META_KEY, snapshot.model_dump_json())
    ledger.record_cycle_events([_row("tx1", 1, "MintA", 1, 100, 10), _row("tx2", 1, "MintA", 2, 300, 20),
                                _row("tx3", 0, "MintA", 0, 0, 0, kind="failed")], None)
    source = _Source(tmp_path, ledger)
    dashboard = Dashboard(source)  # type: ignore[arg-type]
    dashboard.load_persisted()
    app = Starlette(routes=dashboard_routes(dashboard))
    with TestClient(app) as test_client:
        test_client.dashboard = dashboard  # type: ignore[attr-defined]
        yield test_client
    ledger.close()


def test_page_is_self_contained_and_vendored_chart_present(client: Any) -> None:
    assert missing_assets() == []
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert page.headers["content-security-policy"] == PAGE_HEADERS["Content-Security-Policy"]
    assert "http://" not in page.text and "https://" not in page.text  # no CDN
    assert 'aria-label="Token shown in the chart"' in page.text
    assert client.get("/dashboard/static/vendor/uPlot.iife.min.js").status_code == 200
    assert client.get("/dashboard/static/../routes.py").status_code == 404
    assert client.post("/").status_code == 405
    assert client.delete("/api/dashboard").status_code == 405


async def test_rpc_down_serves_the_last_known_data(client: Any) -> None:
    await client.dashboard.refresh()
    body = client.get("/api/dashboard").json()
    data = DashboardData.model_validate(body)
    assert data.rpcError is not None and "connection refused" in data.rpcError
    assert data.dataAt == 1_700_000_000.0 and data.stale and data.dataAgeSeconds is not None and data.dataAgeSeconds > 0
    assert data.health.datActive is False and data.health.overall == "critical"
    assert data.health.nextCycleAt == 1_700_000_060
    assert data.totals.cycles == 2 and data.totals.failedCycles == 5
    assert data.health.indicators["walletBalance"].value == "0.05 SOL"
    assert [c.cycleId for c in data.recentCycles] == [2, 1]
    assert data.recentCycles[0].explorerUrl == "https://explorer.solana.com/tx/tx2?cluster=devnet"
    assert "not a program error" in data.failures[0].error  # code 0
    series = HistorySeries.model_validate(client.get("/api/dashboard/history").json())
    assert series.cycleIds == [1, 2] and series.tokensBurned == [100, 300]


def test_history_rejects_unknown_and_garbage_mints(client: Any) -> None:
    assert client.get("/api/dashboard/history?mint=" + str(Pubkey.default())).status_code == 404
    assert client.get("/api/dashboard/history?mint=" + "x" * 500).status_code == 400
    schema = client.get("/api/dashboard/schema").json()
    assert set(schema) == {"DashboardData", "HistorySeries"}
    assert "tokens" in schema["DashboardData"]["properties"]
