"""The seed's health indicators and their thresholds (OPERATIONS.md, "Health Indicators"), and
the daemon's own health/readiness rules. Pure functions of a snapshot."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict

Level = Literal["healthy", "warning", "critical"]

SYNC_HEALTHY_SECONDS = 30.0
SYNC_WARNING_SECONDS = 300.0
WALLET_HEALTHY_LAMPORTS = 100_000_000  # 0.1 SOL
WALLET_WARNING_LAMPORTS = 10_000_000  # 0.01 SOL
FAILURES_WARNING = 3
FAILURES_CRITICAL = 5


def failures_level(consecutive_failures: int) -> Level:
    """On-chain consecutive cycle failures: 0-2 healthy, 3-4 warning, 5+ critical (auto-pause)."""
    if consecutive_failures >= FAILURES_CRITICAL:
        return "critical"
    if consecutive_failures >= FAILURES_WARNING:
        return "warning"
    return "healthy"


def sync_level(age_seconds: float) -> Level:
    """Pending fees synced: < 30 s healthy, < 5 min warning, older critical."""
    if age_seconds < SYNC_HEALTHY_SECONDS:
        return "healthy"
    if age_seconds < SYNC_WARNING_SECONDS:
        return "warning"
    return "critical"


def wallet_level(lamports: int | None) -> Level:
    """Keeper wallet: > 0.1 SOL healthy, > 0.01 SOL warning, less critical."""
    if lamports is None:
        return "warning"
    if lamports > WALLET_HEALTHY_LAMPORTS:
        return "healthy"
    if lamports > WALLET_WARNING_LAMPORTS:
        return "warning"
    return "critical"


def running_level(running: bool, stopping: bool) -> Level:
    """Daemon running: yes healthy, restarting/stopping warning (down is seen from outside)."""
    if running and not stopping:
        return "healthy"
    return "warning"


def worst(levels: list[Level]) -> Level:
    if "critical" in levels:
        return "critical"
    if "warning" in levels:
        return "warning"
    return "healthy"


class Indicator(BaseModel):
    model_config = ConfigDict(frozen=True)

    value: str | int | float | bool | None
    level: Level


@dataclass(frozen=True)
class HealthInputs:
    running: bool
    stopping: bool
    polls_ok: int
    seconds_since_ok_poll: float | None
    consecutive_poll_failures: int
    poll_interval_seconds: float
    tokens: int


# Consecutive failed polls from which the daemon reports itself degraded.
DEGRADED_AFTER_FAILED_POLLS = 3


def degraded_reasons(inputs: HealthInputs) -> list[str]:
    """Why /health is not healthy (empty: healthy). Phrased without the substring the seed's
    health check greps for, so a degraded body never looks healthy."""
    reasons: list[str] = []
    if not inputs.running or inputs.stopping:
        reasons.append("daemon not running")
    if inputs.polls_ok == 0:
        reasons.append("no successful poll yet")
    elif inputs.seconds_since_ok_poll is not None:
        limit = max(3 * inputs.poll_interval_seconds, 15.0)
        if inputs.seconds_since_ok_poll > limit:
            reasons.append(f"last successful poll {inputs.seconds_since_ok_poll:.0f} s ago (limit {limit:.0f} s)")
    if inputs.consecutive_poll_failures >= DEGRADED_AFTER_FAILED_POLLS:
        reasons.append(f"{inputs.consecutive_poll_failures} consecutive failed polls")
    return [reason.replace("ok", "o-k") for reason in reasons]
