"""The autopilot (`asdf-dat autopilot`) and the systemd units that run it and the daemon."""

from __future__ import annotations

import configparser
import json
import os
import subprocess
import time
from collections.abc import Iterator
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
