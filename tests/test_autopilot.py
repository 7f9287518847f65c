"""The autopilot (`asdf-dat autopilot`) and the systemd units that run it and the daemon."""

from __future__ import annotations

import configparser
import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from test_admin_commands import ASDF_DAT, cli, world  # noqa: F401  (fixture)
from test_orchestrator_runbooks import World

REPO = Path(__file__).resolve().parents[1]
UNITS = REPO / "deploy" / "systemd"


def _autopilot(w: World, *args: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("RPC_URL", "WALLET_PATH")}
    assert w.server is not None
    env.update(RPC_URL=w.server.url, DAEMON_URL="http://127.0.0.1:9", PYTHONUNBUFFERED="1")
    return subprocess.Popen([str(ASDF_DAT), "autopilot", "localnet-tokens/01-froot.json", "--network", "localnet",
                             "--interval-seconds", "1", "--no-flush", *args],
                            cwd=w.directory, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _events(stdout: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in stdout.splitlines() if line.startswith('{"time"')]


@pytest.mark.sbf
def test_autopilot_waits_while_paused_then_runs_one_cycle(world: World) -> None:  # noqa: F811
    assert world.trade("DATS2", 2, "1.5") > 0  # volume, then the daemon's attribution
    cli(world, "pause", "--network", "localnet")
    sent = world.ledger.transaction_count()
    paused = _autopilot(world)
    try:
        deadline = time.monotonic() + 120
        seen = ""
        assert paused.stdout is not None
        while '"PAUSED"' not in seen:
            assert time.monotonic() < deadline and paused.poll() is None, seen
            seen += paused.stdout.readline()
    finally:
        paused.terminate()
        paused.wait(timeout=30)
    assert world.ledger.transaction_count() == sent  # paused: nothing sent
    cli(world, "resume", "--network", "localnet")
    done = _autopilot(world, "--max-cycles", "1")
    out, err = done.communicate(timeout=300)
    assert done.returncode == 0, out + err
    events = [e["event"] for e in _events(out)]
    assert events[0] == "started" and "cycle_start" in events and events[-1] == "stopped"
    assert next(e for e in _events(out) if e["event"] == "cycle_done")["success"] is True
    assert world.stats("DATS2").cycles == 1 and world.state().cycle_id == 1
    missing = subprocess.run([str(ASDF_DAT), "autopilot", "nope.json", "--network", "localnet"], cwd=world.directory,
                             capture_output=True, text=True, timeout=120)
    assert missing.returncode == 1 and "not found" in missing.stderr


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(UNITS / name)
    return parser


@pytest.mark.parametrize("name", ["asdf-dat-daemon.service", "asdf-dat-autopilot.service"])
def test_systemd_units(name: str) -> None:
    unit = _unit(name)
    service = unit["Service"]
    assert service["User"] == "asdf-dat" and service["Restart"] == "on-failure"
    assert service["EnvironmentFile"] == "/etc/asdf-dat/asdf-dat.env"
    assert int(service["LimitNOFILE"]) >= 4096
    assert unit["Install"]["WantedBy"] == "multi-user.target"
    command = service["ExecStart"].split()
    assert command[0].endswith("/bin/asdf-dat")
    subcommand = command[1]
    env_file = (UNITS / "asdf-dat.env.example").read_text()
    for word in command:  # every ${VAR} the unit uses is in the example environment file
        if word.startswith("${"):
            assert f"\n{word[2:-1]}=" in env_file
    helped = subprocess.run([str(ASDF_DAT), subcommand, "--help"], capture_output=True, text=True, timeout=120)
    assert helped.returncode == 0
    for option in (w for w in command[2:] if w.startswith("--")):
        assert option in helped.stdout, f"{subcommand} has no {option}"
    assert "DAEMON_API_TOKEN=" in env_file


# ---------------------------------------------------------------- `asdf-dat daemon --autopilot`


def test_daemon_autopilot_flushes_the_daemon_in_process_then_cycles_and_stops_with_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The companion runs beside the daemon's loop once it is ready: before a cycle it flushes
    that daemon directly (not over HTTP), and a stop request ends it before `serve` returns."""
    import asyncio

    from solders.keypair import Keypair

    from asdf_dat.cli import autopilot as autopilot_module
    from asdf_dat.daemon.api import FlushResult
    from asdf_dat.daemon.config import DaemonConfig
    from asdf_dat.daemon.server import COMPANION_STOP_SECONDS, serve
    from asdf_dat.daemon.service import FeeDaemon

    config_file = tmp_path / "01-root.json"
    config_file.write_text("{}")
    daemon = FeeDaemon(DaemonConfig.from_env("localnet", env={}, workdir=tmp_path, api_enabled=False),
                       transport=None, keeper=Keypair())  # type: ignore[arg-type]  # prepare/loop replaced
    calls: list[str] = []
    statuses = iter(["READY", "COOLDOWN_ACTIVE"])

    async def prepare() -> None:
        calls.append("prepare")

    async def run_loop() -> None:
        while not await daemon.wait_stop(0.05):
            pass
        calls.append("loop_stopped")

    async def shutdown() -> None:
        calls.append("shutdown")

    async def flush_now(reason: str) -> FlushResult:
        calls.append(f"flush:{reason}")
        return FlushResult(success=True, tokensUpdated=2, tokensFailed=0, totalFlushed=5, remainingPending=0,
                           details=[], timestamp="now")

    async def check_status(config: Path, network: str | None) -> str:
        assert config == config_file and network == "localnet"
        return next(statuses, "COOLDOWN_ACTIVE")

    async def cycle(config: Path, network: str | None, dry: bool, as_json: bool, reports: Path, flush: bool) -> int:
        calls.append(f"cycle:dry={dry}:http_flush={flush}")
        asyncio.get_running_loop().call_later(0.3, daemon.request_stop)
        return 0

    monkeypatch.setattr(daemon, "prepare", prepare)
    monkeypatch.setattr(daemon, "run_loop", run_loop)
    monkeypatch.setattr(daemon, "shutdown", shutdown)
    monkeypatch.setattr(daemon, "flush_now", flush_now)
    monkeypatch.setattr(autopilot_module, "check_status", check_status)
    monkeypatch.setattr(autopilot_module, "_cycle", cycle)

    started = time.monotonic()
    companion = autopilot_module.daemon_companion(config_file, 1.0, "localnet")
    assert asyncio.run(serve(daemon, companion)) == 0
    assert time.monotonic() - started < COMPANION_STOP_SECONDS / 3  # it stopped by itself, not cancelled
    assert calls == ["prepare", "flush:autopilot", "cycle:dry=False:http_flush=False", "loop_stopped", "shutdown"]
    events = _events(capsys.readouterr().out)
    assert [e["event"] for e in events] == [
        "started",
        "cycle_start",
        "daemon_flush",
        "cycle_done",
        "waiting",
        "stopped",
    ]
    assert events[2]["tokensUpdated"] == 2 and events[-1]["cycles"] == 1


def test_daemon_autopilot_option_refuses_a_missing_config_or_no_orchestrator(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from asdf_dat.cli.autopilot import daemon_companion
    from asdf_dat.daemon.entry import EXIT_CONFIG, main

    base = ["--network", "localnet", "--workdir", str(tmp_path), "--no-api"]
    assert main([*base, "--autopilot", str(tmp_path / "nope.json")], autopilot=daemon_companion) == EXIT_CONFIG
    assert "nope.json not found" in caplog.text
    present = tmp_path / "01-root.json"
    present.write_text("{}")
    assert main([*base, "--autopilot", str(present)]) == EXIT_CONFIG  # `python -m asdf_dat.daemon`: no autopilot
    assert "--autopilot needs the orchestrator" in caplog.text
    assert not list(tmp_path.glob(".daemon*"))  # refused before the daemon opened anything
