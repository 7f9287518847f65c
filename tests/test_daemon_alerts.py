"""Webhook alerts: Discord and Slack payloads, rate limits, failures never escape."""

from __future__ import annotations

import asyncio
import json

import httpx
from pydantic import SecretStr

from asdf_dat.daemon.alerts import Alerter, webhook_kind
from asdf_dat.daemon.config import AlertConfig, DaemonConfig


def run(
    config: AlertConfig, sends: list[tuple[str, str]], status: int = 204
) -> tuple[list[dict[str, object]], Alerter]:
    received: list[dict[str, object]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        received.append(json.loads(request.content))
        return httpx.Response(status)

    async def main() -> Alerter:
        client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        alerter = Alerter(config, client=client)
        for alert_type, severity in sends:
            alerter.send(alert_type, severity, "Title", "message", {"consecutiveFailures": 3})  # type: ignore[arg-type]
        await alerter.drain()
        await client.aclose()
        return alerter

    alerter = asyncio.run(main())
    return received, alerter


def test_discord_payload() -> None:
    config = AlertConfig(enabled=True, webhook_url=SecretStr("https://discord.com/api/webhooks/1/x"))
    received, alerter = run(config, [("poll_failing", "warning")])
    embed = received[0]["embeds"][0]  # type: ignore[index]
    assert embed["color"] == 0xF1C40F and "Title" in embed["title"]
    assert embed["fields"] == [{"name": "Consecutive Failures", "value": "3", "inline": True}]
    assert alerter.sent == 1


def test_slack_payload_by_host_or_type() -> None:
    assert webhook_kind("https://hooks.slack.com/services/x", "auto") == "slack"
    assert webhook_kind("https://example.com/hook", "slack") == "slack"
    config = AlertConfig(enabled=True, webhook_url=SecretStr("https://hooks.slack.com/services/x"))
    received, _ = run(config, [("flush_failed", "critical")])
    attachment = received[0]["attachments"][0]  # type: ignore[index]
    assert attachment["color"] == "#e74c3c" and attachment["blocks"][0]["type"] == "header"


def test_rate_limits_per_type_and_overall() -> None:
    config = AlertConfig(enabled=True, webhook_url=SecretStr("https://discord.com/api/webhooks/1/x"), max_per_minute=3)
    sends = [("a", "info"), ("a", "info"), ("b", "info"), ("c", "info"), ("d", "info")]
    received, alerter = run(config, sends)
    assert len(received) == 3 and alerter.suppressed == 2


def test_disabled_or_failing_webhook_is_harmless() -> None:
    received, _ = run(AlertConfig(enabled=False, webhook_url=SecretStr("https://discord.com/x")), [("a", "info")])
    assert received == []
    config = AlertConfig(enabled=True, webhook_url=SecretStr("https://discord.com/api/webhooks/1/x"))
    received, alerter = run(config, [("a", "warning")], status=500)
    assert len(received) == 1 and alerter.failed == 1


def test_alert_settings_from_environment(tmp_path: object) -> None:
    config = DaemonConfig.from_env(
        "devnet",
        env={"ALERT_ENABLED": "true", "WEBHOOK_URL": "https://hooks.slack.com/x", "WEBHOOK_TYPE": "slack",
             "DAEMON_API_TOKEN": "t", "API_PORT": "4000", "UPDATE_INTERVAL": "45"},
    )
    assert config.alerts.enabled and config.alerts.webhook_type == "slack"
    assert config.api_port == 4000 and config.api_host == "127.0.0.1" and config.mutations_allowed
    assert config.flush_interval_seconds == 45
    assert "hooks.slack.com" not in repr(config)  # secrets are not printed


def test_standing_condition_alerts_once_per_change_then_reminds() -> None:
    """A paused DAT seen on every poll: one alert per change of state, then a reminder at most
    every `reminder_seconds` (ALERT_REMINDER_MINUTES), never one per poll."""
    received: list[dict[str, object]] = []
    now = [1000.0]

    def handler(request: httpx.Request) -> httpx.Response:
        received.append(json.loads(request.content))
        return httpx.Response(204)

    async def main() -> None:
        client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        config = AlertConfig(enabled=True, webhook_url=SecretStr("https://discord.com/api/webhooks/x"),
                             reminder_seconds=600, max_per_minute=100)
        alerter = Alerter(config, client=client, clock=lambda: now[0])

        def poll(state: object) -> bool:
            return alerter.send_on_change("consecutive_failures", state, "critical", "DAT paused", "m")

        assert poll((False, 5))
        for _ in range(300):  # a poll a second for 5 minutes: nothing new
            now[0] += 1
            assert not poll((False, 5))
        now[0] += 301  # past the 10 minute reminder
        assert poll((False, 5))
        now[0] += 1
        assert poll((True, 0))  # a change alerts at once, despite the per-type cooldown
        alerter.clear_condition("consecutive_failures")
        now[0] += 1
        assert poll((False, 5))
        await alerter.drain()
        await client.aclose()

    asyncio.run(main())
    assert len(received) == 4


def test_reminder_minutes_from_the_environment() -> None:
    import pytest

    from asdf_dat.daemon.config import ConfigError

    config = DaemonConfig.from_env("localnet", env={"ALERT_REMINDER_MINUTES": "15"})
    assert config.alerts.reminder_seconds == 900
    assert DaemonConfig.from_env("localnet", env={}).alerts.reminder_seconds == 3600
    with pytest.raises(ConfigError, match="ALERT_REMINDER_MINUTES"):
        DaemonConfig.from_env("localnet", env={"ALERT_REMINDER_MINUTES": "soon"})
