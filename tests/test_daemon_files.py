"""`.daemon-lock.json`, `.daemon-state.json` and the token config files."""

from __future__ import annotations

import fcntl
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from solders.keypair import Keypair

from asdf_dat.config.lock import DaemonLock, LockError, pid_alive, read_lock
from asdf_dat.config.tokens import TokenConfigError, TokenRegistry, load_token_configs, parse_token_config
from asdf_dat.daemon.state_file import DaemonState, InflightView, StateFile, checksum, parse
from asdf_dat.network.config import Network

# ---------------------------------------------------------------------- lock


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_lock_has_the_seed_fields_and_is_removed_on_release(tmp_path: Path) -> None:
    path = tmp_path / ".daemon-lock.json"
    lock = DaemonLock(path)
    info = lock.acquire()
    raw = json.loads(path.read_text())
    assert set(raw) == {"pid", "timestamp", "operation", "hostname"}
    assert raw["pid"] == os.getpid() and raw["operation"] == "fee-monitor-daemon"
    assert raw["hostname"] == socket.gethostname() and info.pid == os.getpid()
    lock.release()
    assert not path.exists()


def test_a_second_lock_is_refused_while_the_first_is_held(tmp_path: Path) -> None:
    path = tmp_path / ".daemon-lock.json"
    child = subprocess.Popen(
        [sys.executable, "-c",
         "import sys,time; from pathlib import Path; from asdf_dat.config.lock import DaemonLock;"
         "DaemonLock(Path(sys.argv[1])).acquire(); print('held', flush=True); time.sleep(30)", str(path)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "held"
        with pytest.raises(LockError, match=f"pid {child.pid}"):
            DaemonLock(path).acquire()
        # However old its timestamp, a live owner is never stolen from.
        raw = json.loads(path.read_text())
        raw["timestamp"] = 0
        path.write_text(json.dumps(raw))
        with pytest.raises(LockError):
            DaemonLock(path).acquire()
    finally:
        child.kill()
        child.wait()
    # Its owner was killed (kill -9: no cleanup): the lock is taken over.
    assert path.exists()
    lock = DaemonLock(path)
    assert lock.acquire().pid == os.getpid()
    lock.release()


def test_stale_lock_of_a_dead_pid_is_taken_over(tmp_path: Path) -> None:
    path = tmp_path / ".daemon-lock.json"
    dead = _dead_pid()
    assert not pid_alive(dead)
    path.write_text(json.dumps({"pid": dead, "timestamp": int(time.time() * 1000), "operation": "fee-monitor-daemon",
                                "hostname": socket.gethostname()}))
    lock = DaemonLock(path)
    assert lock.acquire().pid == os.getpid()
    assert read_lock(path).pid == os.getpid()  # type: ignore[union-attr]
    lock.release()


def test_lock_without_flock_but_live_pid_is_not_stolen(tmp_path: Path) -> None:
    """A lock written by another implementation (no flock) whose process is alive."""
    path = tmp_path / ".daemon-lock.json"
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        path.write_text(json.dumps({"pid": sleeper.pid, "timestamp": 0, "operation": "fee-monitor-daemon",
                                    "hostname": socket.gethostname()}))
        with pytest.raises(LockError, match="refusing"):
            DaemonLock(path).acquire()
    finally:
        sleeper.kill()
        sleeper.wait()


def test_garbage_lock_file_without_owner_is_taken_over(tmp_path: Path) -> None:
    """Unreadable content whose flock nobody holds is a dead lock: taken over, rewritten as ours,
    and it then guards the directory like any lock."""
    path = tmp_path / ".daemon-lock.json"
    path.write_text("{not json")
    lock = DaemonLock(path)
    info = lock.acquire()
    assert info.pid == os.getpid() and info.operation == "fee-monitor-daemon"
    assert read_lock(path) == info  # the garbage is replaced by a valid lock
    with pytest.raises(LockError, match="Daemon lock exists"):
        DaemonLock(path).acquire()
    lock.release()
    assert not path.exists()


def test_garbage_lock_file_held_by_a_live_flock_is_refused_and_left_intact(tmp_path: Path) -> None:
    """Unreadable content, but its flock is held: a clear refusal, the file untouched."""
    path = tmp_path / ".daemon-lock.json"
    path.write_text("{not json")
    holder = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(LockError, match="is held by a running process"):
            DaemonLock(path).acquire()
        assert path.read_text() == "{not json"
    finally:
        os.close(holder)


# ---------------------------------------------------------------------- state file


def _state() -> DaemonState:
    return DaemonState(
        last_signatures={"MintA": "sigA", "MintB": "sigB"},
        processed_signatures=["s1", "s2"],
        vault_cursors={"VaultBC": ("sigA", 10)},
        pending_fees={"MintA": 5},
        inflight=(InflightView("rep", b"\x01\x02", 99, (("MintA", 7, 10, 3),)),),
    )


def test_state_file_roundtrip_with_seed_fields(tmp_path: Path) -> None:
    sf = StateFile(tmp_path / ".daemon-state.json", tmp_path / ".daemon-state.backup.json")
    sf.write(_state())
    raw = json.loads(sf.path.read_text())
    assert raw["version"] == 1 and raw["lastSignatures"] == {"MintA": "sigA", "MintB": "sigB"}
    assert raw["checksum"] == checksum(raw["lastSignatures"]) and len(raw["checksum"]) == 16
    assert "lastUpdated" in raw and raw["processedSignatures"] == ["s1", "s2"]
    loaded = sf.load()
    assert loaded.source == "main" and loaded.state is not None
    assert loaded.state.inflight[0].tx == b"\x01\x02"
    assert not sf.backup_path.exists()
    sf.write(_state())
    assert sf.backup_path.exists()  # the previous good file


@pytest.mark.parametrize(
    "content",
    ["", "{", '{"version": 1, "lastSignatures": {"a": "b"}, "checksum": "0000"}', "[]", '{"version": 7}',
     "\x00\x00\x00"],
    ids=["empty", "truncated", "bad-checksum", "not-object", "bad-version", "binary"],
)
def test_corrupt_state_file_is_reported_and_restored_from_backup(
    tmp_path: Path, content: str, caplog: pytest.LogCaptureFixture
) -> None:
    sf = StateFile(tmp_path / ".daemon-state.json", tmp_path / ".daemon-state.backup.json")
    sf.write(_state())
    sf.write(_state())
    sf.path.write_text(content)
    outcome = sf.load()
    assert outcome.source == "backup" and outcome.state is not None
    assert outcome.state.last_signatures == {"MintA": "sigA", "MintB": "sigB"}
    assert any("State file corrupted" in r.message for r in caplog.records)
    # A corrupt main file never becomes the backup.
    sf.write(_state())
    assert parse(sf.backup_path.read_text()).last_signatures


def test_runbook_manual_backup_is_used(tmp_path: Path) -> None:
    sf = StateFile(tmp_path / ".daemon-state.json", tmp_path / ".daemon-state.backup.json")
    sf.write(_state())
    (tmp_path / ".daemon-state.json.backup").write_text(sf.path.read_text())
    sf.path.write_text("{")
    outcome = sf.load()
    assert outcome.source == "backup" and outcome.state is not None


def test_truncated_state_without_backup_is_reported_not_zeroed(tmp_path: Path) -> None:
    sf = StateFile(tmp_path / ".daemon-state.json", tmp_path / ".daemon-state.backup.json")
    sf.write(_state())
    text = sf.path.read_text()
    sf.path.write_text(text[: len(text) // 2])
    outcome = sf.load()
    assert outcome.state is None and outcome.source == "none"
    assert outcome.problems and "corrupted" in outcome.problems[0]


# ---------------------------------------------------------------------- token configs


def _token(**overrides: object) -> dict[str, object]:
    base: dict[str, object] = {
        "mint": str(Keypair().pubkey()),
        "bondingCurve": str(Keypair().pubkey()),
        "creator": str(Keypair().pubkey()),
        "name": "Froot",
        "symbol": "FROOT",
        "isRoot": True,
        "poolType": "bonding_curve",
        "tokenProgram": "SPL",
        "network": "devnet",
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def test_token_config_parses_the_seed_format(tmp_path: Path) -> None:
    data = _token(tokenProgram="Token2022", poolType="pumpswap_amm", isRoot=False)
    token = parse_token_config(tmp_path / "01.json", json.dumps(data), Network.DEVNET)
    assert token.symbol == "FROOT" and token.pool_type == "pumpswap_amm" and not token.is_root
    assert str(token.token_program).startswith("Tokenz")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (_token(mint="not-a-key"), "mint"),
        (_token(creator=None), "creator"),
        (_token(symbol="WAYTOOLONGSYMBOL"), "symbol"),
        (_token(poolType="raydium"), "poolType"),
        (_token(tokenProgram="Token2023"), "tokenProgram"),
        (_token(isRoot="yes"), "isRoot"),
        (_token(network="testnet"), "network"),
        (_token(network="mainnet"), "network"),
        (_token(bondingCurve=None), None),
    ],
)
def test_malformed_token_config_names_file_and_field(
    tmp_path: Path, data: dict[str, object], field: str | None
) -> None:
    path = tmp_path / "07-bad.json"
    with pytest.raises(TokenConfigError) as info:
        parse_token_config(path, json.dumps(data), Network.DEVNET)
    assert info.value.path == path and "07-bad.json" in str(info.value)
    if field is not None:
        assert info.value.field == field and repr(field) in str(info.value)


def test_invalid_json_token_config(tmp_path: Path) -> None:
    with pytest.raises(TokenConfigError, match="not valid JSON"):
        parse_token_config(tmp_path / "x.json", '{"mint": ', Network.DEVNET)


def test_registry_rescans_for_new_files(tmp_path: Path) -> None:
    directory = tmp_path / "devnet-tokens"
    directory.mkdir()
    (directory / "01-a.json").write_text(json.dumps(_token(symbol="A")))
    registry = TokenRegistry(directory, Network.DEVNET)
    assert [t.symbol for t in registry.load_initial()] == ["A"]
    assert registry.rescan().added == []
    (directory / "02-b.json").write_text(json.dumps(_token(symbol="B", isRoot=False)))
    (directory / "03-bad.json").write_text("{")
    result = registry.rescan()
    assert [t.symbol for t in result.added] == ["B"] and len(result.errors) == 1
    assert registry.rescan().errors == []  # reported once
    assert len(registry) == 2


def test_duplicate_mint_is_refused(tmp_path: Path) -> None:
    directory = tmp_path / "devnet-tokens"
    directory.mkdir()
    data = _token()
    (directory / "01-a.json").write_text(json.dumps(data))
    (directory / "02-a.json").write_text(json.dumps(data))
    with pytest.raises(TokenConfigError, match="already configured"):
        load_token_configs(directory, Network.DEVNET)
