"""The dashboard's JSON (GET /api/dashboard, GET /api/dashboard/history), as pydantic models.

Amounts come twice: exact integers (lamports, raw token units) for programs, and the CLI's text
("0.025 SOL", "1,234.567890") for people; the page shows the text. Times are unix seconds.
GET /api/dashboard/schema returns the JSON Schema of both documents.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from asdf_dat.daemon.health import Level

AttributionMode = Literal["keeper"]
Venue = Literal["bonding_curve", "pumpswap_amm"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TokenRow(_Model):
    """One token, as the chain holds it (root first)."""

    symbol: str
    mint: str
    isRoot: bool
    registered: bool
    venue: Venue
    venueLabel: str
    attributionMode: AttributionMode
    pendingFeesLamports: int
    pendingFeesSOL: str
    solSpentLamports: int
    solSpentSOL: str
    sentToRootLamports: int
    sentToRootSOL: str
    receivedFromOthersLamports: int
    receivedFromOthersSOL: str
    tokensBurned: int
    tokensBurnedText: str
    decimals: int
    supply: int | None
    burnedShareOfSupply: str | None
    cycles: int
    lastCycleAt: int | None


class Totals(_Model):
    pendingFeesLamports: int
    pendingFeesSOL: str
    solSpentLamports: int
    solSpentSOL: str
    cycles: int
    """Ecosystem cycles (the DAT's cycle id)."""
    tokenCycles: int
    """Token cycles (a token's buy and burn) over all tokens."""
    failedCycles: int
    tokens: int


class IndicatorView(_Model):
    label: str
    value: str
    level: Level


class HealthView(_Model):
    """The guide's four indicators (the daemon's /status), the DAT's state and the cooldown."""

    overall: Level
    indicators: dict[str, IndicatorView]
    datActive: bool | None
    consecutiveFailures: int | None
    nextCycleAt: int | None


class CycleTransaction(_Model):
    """One cycle transaction: the tokens it bought and burned. `derived`: rebuilt from the
    tokens' stats (the transaction's logs were truncated); `signature` is then not a transaction."""

    signature: str
    derived: bool
    explorerUrl: str | None
    slot: int
    timestamp: int
    cycleId: int
    symbols: list[str]
    solSpentSOL: str
    tokensBurnedText: str


class Deferral(_Model):
    signature: str
    explorerUrl: str | None
    timestamp: int
    symbol: str
    reason: str
    pendingFeesSOL: str


class Failure(_Model):
    signature: str
    explorerUrl: str | None
    timestamp: int
    errorCode: int
    error: str
    consecutiveFailures: int


class DashboardData(_Model):
    """GET /api/dashboard."""

    network: str
    generatedAt: float
    dataAt: float | None
    """When the chain was last read successfully (None: not yet)."""
    dataAgeSeconds: float | None
    stale: bool
    rpcError: str | None
    historyVersion: int
    refreshSeconds: float
    totals: Totals
    health: HealthView
    tokens: list[TokenRow]
    recentCycles: list[CycleTransaction]
    deferrals: list[Deferral]
    failures: list[Failure]


class HistorySeries(_Model):
    """GET /api/dashboard/history[?mint=]: per ecosystem cycle (oldest first), one token's or
    every token's SOL spent and tokens burned; parallel arrays."""

    mint: str | None
    symbol: str
    historyVersion: int
    decimals: int
    cycleIds: list[int]
    timestamps: list[int]
    solSpentLamports: list[int]
    tokensBurned: list[int]
