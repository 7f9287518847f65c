"""Daemon settings: network, intervals, API binding and token, files, alerting.

Built from the command line and the environment (`DaemonConfig.from_env`):

* `POLL_INTERVAL` (seconds between vault polls), `UPDATE_INTERVAL` (seconds between on-chain
  flushes; the seed's name), `API_HOST` (default 127.0.0.1), `API_PORT` (default 3030),
* `TOKEN_RESCAN_INTERVAL`: seconds between scans of `<network>-tokens/` for new files (10).
* `DAEMON_API_TOKEN`: bearer token for mutating routes (`POST /flush`). Without it those routes
  are refused (403). Required on mainnet.
* `ALERT_ENABLED`, `WEBHOOK_URL`, `WEBHOOK_TYPE` (auto | discord | slack), `ALERT_REMINDER_MINUTES`
  (a standing condition, e.g. a paused DAT, alerts once when it changes, then at most this often).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from asdf_dat.network.config import Network, parse_network

WebhookType = Literal["auto", "discord", "slack"]

STATE_FILE_NAME = ".daemon-state.json"
STATE_BACKUP_NAME = ".daemon-state.backup.json"
LOCK_FILE_NAME = ".daemon-lock.json"
LEDGER_FILE_NAME = ".daemon-ledger.sqlite3"

_DEFAULT_FLUSH_SECONDS: Mapping[Network, float] = {
    Network.DEVNET: 30.0,
    Network.MAINNET: 60.0,
    Network.LOCALNET: 2.0,
}
_DEFAULT_POLL_SECONDS: Mapping[Network, float] = {
    Network.DEVNET: 5.0,
    Network.MAINNET: 5.0,
    Network.LOCALNET: 1.0,
}


class ConfigError(ValueError):
    """A setting is invalid; the message names it."""


class AlertConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    enabled: bool = False
    webhook_url: SecretStr | None = None
    webhook_type: WebhookType = "auto"
    max_per_minute: int = Field(default=5, ge=1)
    cooldown_seconds: float = Field(default=300.0, ge=0)
    timeout_seconds: float = Field(default=10.0, gt=0)
    reminder_seconds: float = Field(default=3600.0, gt=0)


class DaemonConfig(BaseModel):
    """Everything the fee daemon needs besides the network configuration."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    network: Network
    workdir: Path
    poll_interval_seconds: float = Field(gt=0, le=300)
    flush_interval_seconds: float = Field(gt=0, le=300)
    api_host: str = "127.0.0.1"
    api_port: int = Field(default=3030, ge=0, le=65535)
    api_token: SecretStr | None = None
    api_enabled: bool = True
    flush_rate_per_minute: int = Field(default=10, ge=1)
    # Poll every vault's signatures at least this often even if its balance looks unchanged.
    full_scan_interval_seconds: float = Field(default=60.0, gt=0)
    # Re-read on-chain token stats (pending, watermarks) at least this often.
    stats_refresh_seconds: float = Field(default=30.0, gt=0)
    # Re-scan `<network>-tokens/` for new files this often.
    token_rescan_seconds: float = Field(default=10.0, gt=0)
    report_batch_size: int = Field(default=10, ge=1, le=14)
    # Compute-unit price on reports (p75 of recent fees, clamped): on for devnet and mainnet.
    priority_fees: bool = True
    report_confirm_timeout_seconds: float = Field(default=30.0, gt=0)
    fetch_concurrency: int = Field(default=8, ge=1, le=64)
    signatures_page_limit: int = Field(default=1000, ge=1, le=1000)
    shutdown_flush_timeout_seconds: float = Field(default=20.0, gt=0)
    # A divergence between the vaults and what is attributed above this is alerted.
    divergence_alert_lamports: int = Field(default=1_000_000, ge=0)
    alerts: AlertConfig = AlertConfig()

    @property
    def tokens_dir(self) -> Path:
        return self.workdir / f"{self.network.value}-tokens"

    @property
    def state_path(self) -> Path:
        return self.workdir / STATE_FILE_NAME

    @property
    def state_backup_path(self) -> Path:
        return self.workdir / STATE_BACKUP_NAME

    @property
    def lock_path(self) -> Path:
        return self.workdir / LOCK_FILE_NAME

    @property
    def ledger_path(self) -> Path:
        return self.workdir / LEDGER_FILE_NAME

    @property
    def mutations_allowed(self) -> bool:
        return self.api_token is not None and bool(self.api_token.get_secret_value())

    @classmethod
    def from_env(
        cls,
        network: Network | str,
        *,
        env: Mapping[str, str] | None = None,
        workdir: Path | None = None,
        **overrides: Any,
    ) -> DaemonConfig:
        """Defaults for `network`, then the environment, then explicit `overrides`."""
        net = network if isinstance(network, Network) else parse_network(network)
        environ: Mapping[str, str] = os.environ if env is None else env
        fields: dict[str, object] = {
            "network": net,
            "workdir": (workdir or Path.cwd()).resolve(),
            "poll_interval_seconds": _float(environ, "POLL_INTERVAL", _DEFAULT_POLL_SECONDS[net]),
            "flush_interval_seconds": _float(environ, "UPDATE_INTERVAL", _DEFAULT_FLUSH_SECONDS[net]),
            "api_host": environ.get("API_HOST", "").strip() or "127.0.0.1",
            "api_port": _int(environ, "API_PORT", 3030),
            "token_rescan_seconds": _float(environ, "TOKEN_RESCAN_INTERVAL", 10.0),
            "priority_fees": net is not Network.LOCALNET,
        }
        token = environ.get("DAEMON_API_TOKEN", "").strip()
        if token:
            fields["api_token"] = SecretStr(token)
        webhook = environ.get("WEBHOOK_URL", "").strip()
        webhook_type = (environ.get("WEBHOOK_TYPE", "").strip().lower() or "auto")
        alert_fields: dict[str, object] = {
            "enabled": environ.get("ALERT_ENABLED", "").strip().lower() in ("1", "true", "yes", "on"),
            "webhook_type": webhook_type,
        }
        reminder = environ.get("ALERT_REMINDER_MINUTES", "").strip()
        if reminder:
            try:
                alert_fields["reminder_seconds"] = float(reminder) * 60
            except ValueError:
                raise ConfigError(f"ALERT_REMINDER_MINUTES must be a number of minutes, got {reminder!r}") from None
        if webhook:
            alert_fields["webhook_url"] = SecretStr(webhook)
        try:
            fields["alerts"] = AlertConfig.model_validate(alert_fields)
            fields.update(overrides)
            config = cls.model_validate(fields)
        except ValidationError as exc:
            raise ConfigError(_describe(exc)) from None
        return config


def _float(environ: Mapping[str, str], key: str, default: float) -> float:
    raw = environ.get(key, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{key}={raw!r} is not a number of seconds") from None
    if key == "UPDATE_INTERVAL" and value > 1000:
        value = value / 1000.0  # the reference took milliseconds
    return value


def _int(environ: Mapping[str, str], key: str, default: int) -> int:
    raw = environ.get(key, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{key}={raw!r} is not an integer") from None


def _describe(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"])
        parts.append(f"{where}: {error['msg']}")
    return "invalid daemon configuration: " + "; ".join(parts)
