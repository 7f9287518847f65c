"""Webhook alerts (Discord or Slack) via httpx, rate-limited.

`ALERT_ENABLED=true`, `WEBHOOK_URL`, `WEBHOOK_TYPE` (auto | discord | slack; auto looks at the
host). At most `max_per_minute` alerts per 60 s overall and one per `cooldown_seconds` per alert
type; POSTs time out and are never retried; a failing webhook never disturbs the daemon.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import urlparse

import httpx

from asdf_dat.daemon.config import AlertConfig

logger = logging.getLogger(__name__)

Severity = Literal["info", "warning", "critical"]
_DISCORD_COLORS: Mapping[Severity, int] = {"info": 0x3498DB, "warning": 0xF1C40F, "critical": 0xE74C3C}
_SLACK_COLORS: Mapping[Severity, str] = {"info": "#3498db", "warning": "#f1c40f", "critical": "#e74c3c"}
_EMOJI: Mapping[Severity, str] = {
    "info": ":information_source:",
    "warning": ":warning:",
    "critical": ":rotating_light:",
}


def webhook_kind(url: str, configured: str) -> Literal["discord", "slack"]:
    if configured in ("discord", "slack"):
        return "discord" if configured == "discord" else "slack"
    host = (urlparse(url).hostname or "").lower()
    return "slack" if "slack" in host else "discord"


def _title_case(key: str) -> str:
    spaced = "".join(f" {c}" if c.isupper() else c for c in key).replace("_", " ")
    return spaced.strip().title()


def discord_payload(severity: Severity, title: str, message: str, fields: Mapping[str, object]) -> dict[str, Any]:
    return {
        "embeds": [
            {
                "title": f"{_EMOJI[severity]} {title}",
                "description": message,
                "color": _DISCORD_COLORS[severity],
                "timestamp": datetime.now(UTC).isoformat(),
                "fields": [{"name": _title_case(k), "value": str(v), "inline": True} for k, v in fields.items()],
                "footer": {"text": "asdf-dat fee daemon"},
            }
        ]
    }


def slack_payload(severity: Severity, title: str, message: str, fields: Mapping[str, object]) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": title}},
        {"type": "section", "text": {"type": "mrkdwn", "text": message}},
    ]
    if fields:
        blocks.append(
            {
                "type": "section",
                "fields": [{"type": "mrkdwn", "text": f"*{_title_case(k)}:*\n{v}"} for k, v in fields.items()],
            }
        )
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": f"_{datetime.now(UTC).isoformat()}_"}]})
    return {"attachments": [{"color": _SLACK_COLORS[severity], "blocks": blocks}]}


class Alerter:
    """Sends alerts in the background; `send` never raises and never blocks the caller long."""

    def __init__(
        self,
        config: AlertConfig,
        *,
        client: httpx.AsyncClient | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config
        self._client = client
        self._owns_client = client is None
        self._clock = clock
        self._recent: deque[float] = deque()
        self._last_by_type: dict[str, float] = {}
        self._condition: dict[str, tuple[object, float]] = {}  # alert type -> (state, last sent)
        self._tasks: set[asyncio.Task[None]] = set()
        self.sent = 0
        self.suppressed = 0
        self.failed = 0

    @property
    def active(self) -> bool:
        return self.config.enabled and self.config.webhook_url is not None

    def allow(self, alert_type: str) -> bool:
        now = self._clock()
        while self._recent and now - self._recent[0] >= 60.0:
            self._recent.popleft()
        last = self._last_by_type.get(alert_type)
        if last is not None and now - last < self.config.cooldown_seconds:
            return False
        if len(self._recent) >= self.config.max_per_minute:
            return False
        self._recent.append(now)
        self._last_by_type[alert_type] = now
        return True

    def send(self, alert_type: str, severity: Severity, title: str, message: str,
             fields: Mapping[str, object] | None = None) -> bool:
        """Queue an alert; returns whether it was accepted (enabled and within the rate limits)."""
        log = logger.warning if severity != "info" else logger.info
        log("alert %s [%s]: %s - %s", alert_type, severity, title, message)
        if not self.active:
            return False
        if not self.allow(alert_type):
            self.suppressed += 1
            return False
        assert self.config.webhook_url is not None
        url = self.config.webhook_url.get_secret_value()
        kind = webhook_kind(url, self.config.webhook_type)
        builder = discord_payload if kind == "discord" else slack_payload
        payload = builder(severity, title, message, dict(fields or {}))
        try:
            task = asyncio.get_running_loop().create_task(self._post(url, payload))
        except RuntimeError:
            return False
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return True

    def send_on_change(self, alert_type: str, condition: object, severity: Severity, title: str, message: str,
                       fields: Mapping[str, object] | None = None) -> bool:
        """Alert for a standing condition: when `condition` differs from the last one seen for
        `alert_type`, then again at most every `reminder_seconds` while it stays the same."""
        now = self._clock()
        previous = self._condition.get(alert_type)
        if previous is not None and previous[0] == condition and now - previous[1] < self.config.reminder_seconds:
            return False
        self._condition[alert_type] = (condition, now)
        self._last_by_type.pop(alert_type, None)  # a change of state is never held back by the cooldown
        return self.send(alert_type, severity, title, message, fields)

    def clear_condition(self, alert_type: str) -> None:
        """The condition ended: the next occurrence alerts at once."""
        self._condition.pop(alert_type, None)

    async def _post(self, url: str, payload: dict[str, Any]) -> None:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=self.config.timeout_seconds)
        try:
            response = await self._client.post(url, json=payload, timeout=self.config.timeout_seconds)
            response.raise_for_status()
            self.sent += 1
        except (httpx.HTTPError, OSError) as exc:
            self.failed += 1
            logger.warning("webhook alert failed: %s", type(exc).__name__)

    async def drain(self, timeout: float = 5.0) -> None:
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)

    async def close(self) -> None:
        await self.drain()
        if self._client is not None and self._owns_client:
            await self._client.aclose()
        self._client = None
