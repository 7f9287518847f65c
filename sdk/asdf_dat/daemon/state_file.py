"""`.daemon-state.json`: the seed-compatible view of the ledger.

    {"version": 1, "lastUpdated": ISO, "lastSignatures": {mint: signature},
     "checksum": first 16 hex of sha256 of the sorted lastSignatures,
     "processedSignatures": [last 1000], "vaultCursors": {vault: {signature, slot}},
     "pendingFees": {mint: lamports}, "inflightReports": [{signature, tx (base64),
     lastValidBlockHeight, items: [{mint, amount, watermarkSlot, watermarkSeq}]}]}

Written atomically (temp file, fsync, rename, fsync of the directory); the previous good file is
kept as `.daemon-state.backup.json`. The SQLite ledger is the source of truth: a corrupt or
truncated state file is reported, restored from the backup, and rewritten from the ledger. Only
when the ledger itself is missing is the state file (or its backup) used to seed a new ledger.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

STATE_VERSION = 1


class StateFileError(ValueError):
    """The state file is unusable; the message says why."""


@dataclass(frozen=True)
class InflightView:
    signature: str
    tx: bytes
    last_valid_block_height: int
    items: tuple[tuple[str, int, int, int], ...]  # (mint, amount, watermark slot, watermark seq)


@dataclass(frozen=True)
class DaemonState:
    last_signatures: dict[str, str] = field(default_factory=dict)
    processed_signatures: list[str] = field(default_factory=list)
    vault_cursors: dict[str, tuple[str, int]] = field(default_factory=dict)
    pending_fees: dict[str, int] = field(default_factory=dict)
    inflight: tuple[InflightView, ...] = ()
    last_updated: str = ""


def checksum(last_signatures: dict[str, str]) -> str:
    canonical = json.dumps(dict(sorted(last_signatures.items())), separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def to_json(state: DaemonState) -> dict[str, Any]:
    return {
        "version": STATE_VERSION,
        "lastUpdated": state.last_updated
        or datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "lastSignatures": dict(sorted(state.last_signatures.items())),
        "checksum": checksum(state.last_signatures),
        "processedSignatures": state.processed_signatures[-1000:],
        "vaultCursors": {v: {"signature": s, "slot": slot} for v, (s, slot) in sorted(state.vault_cursors.items())},
        "pendingFees": dict(sorted(state.pending_fees.items())),
        "inflightReports": [
            {
                "signature": r.signature,
                "tx": base64.b64encode(r.tx).decode(),
                "lastValidBlockHeight": r.last_valid_block_height,
                "items": [
                    {"mint": m, "amount": a, "watermarkSlot": ws, "watermarkSeq": wq} for m, a, ws, wq in r.items
                ],
            }
            for r in state.inflight
        ],
    }


def parse(text: str) -> DaemonState:
    """Validate a state file's content; raises `StateFileError` naming the problem."""
    if not text.strip():
        raise StateFileError("file is empty")
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise StateFileError(f"invalid JSON at line {exc.lineno} column {exc.colno} (truncated?): {exc.msg}") from None
    if not isinstance(raw, dict):
        raise StateFileError("top level is not an object")
    if raw.get("version") != STATE_VERSION:
        raise StateFileError(f"unsupported version {raw.get('version')!r}")
    try:
        last = _str_map(raw.get("lastSignatures", {}), "lastSignatures")
        if raw.get("checksum") != checksum(last):
            raise StateFileError("checksum does not match lastSignatures")
        processed = raw.get("processedSignatures", [])
        if not isinstance(processed, list) or not all(isinstance(s, str) for s in processed):
            raise StateFileError("processedSignatures is not a list of strings")
        cursors_raw = raw.get("vaultCursors", {})
        if not isinstance(cursors_raw, dict):
            raise StateFileError("vaultCursors is not an object")
        cursors = {str(k): (str(v["signature"]), int(v["slot"])) for k, v in cursors_raw.items()}
        pending_raw = raw.get("pendingFees", {})
        if not isinstance(pending_raw, dict):
            raise StateFileError("pendingFees is not an object")
        pending = {str(k): _lamports(v, f"pendingFees.{k}") for k, v in pending_raw.items()}
        inflight = tuple(
            InflightView(
                signature=str(r["signature"]),
                tx=base64.b64decode(str(r["tx"]), validate=True),
                last_valid_block_height=int(r["lastValidBlockHeight"]),
                items=tuple(
                    (str(i["mint"]), _lamports(i["amount"], "amount"), int(i["watermarkSlot"]), int(i["watermarkSeq"]))
                    for i in r["items"]
                ),
            )
            for r in raw.get("inflightReports", [])
        )
    except StateFileError:
        raise
    except (KeyError, TypeError, ValueError) as exc:
        raise StateFileError(f"malformed field: {exc}") from None
    return DaemonState(last, list(processed), cursors, pending, inflight, str(raw.get("lastUpdated", "")))


def _str_map(value: object, name: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise StateFileError(f"{name} is not an object of strings")
    return dict(value)


def _lamports(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise StateFileError(f"{name} is not a non-negative integer")
    return value


@dataclass(frozen=True)
class LoadOutcome:
    state: DaemonState | None
    source: str  # "main", "backup", or "none"
    problems: tuple[str, ...]


class StateFile:
    def __init__(self, path: Path, backup_path: Path) -> None:
        self.path = path
        self.backup_path = backup_path
        # The runbook's manual backup (`cp .daemon-state.json .daemon-state.json.backup`).
        self.manual_backup_path = path.with_name(path.name + ".backup")

    def load(self) -> LoadOutcome:
        """The main file if valid, else the backup if valid; every problem is logged clearly.
        Temp files left by a write that was killed (kill -9) are removed first."""
        self.remove_stray_temps()
        problems: list[str] = []
        for source, path in (("main", self.path), ("backup", self.backup_path), ("backup", self.manual_backup_path)):
            if not path.exists():
                continue
            try:
                state = parse(path.read_text(encoding="utf-8", errors="replace"))
            except (OSError, StateFileError) as exc:
                message = f"State file corrupted: {path}: {exc}"
                logger.error(message)
                problems.append(message)
                continue
            if source == "backup":
                logger.warning("restored daemon state from backup %s", path)
            return LoadOutcome(state, source, tuple(problems))
        return LoadOutcome(None, "none", tuple(problems))

    def remove_stray_temps(self) -> list[Path]:
        """Delete `.<name>.<pid>.tmp` files of our state files whose writer is gone (the daemon lock
        is held, so no other writer of this directory is alive)."""
        removed: list[Path] = []
        for target in (self.path, self.backup_path):
            for temp in target.parent.glob(f".{target.name}.*.tmp"):
                try:
                    temp.unlink()
                    removed.append(temp)
                except OSError as exc:
                    logger.warning("cannot remove stray temp file %s: %s", temp, exc)
        if removed:
            logger.info("removed %d temp file(s) of an interrupted state write: %s", len(removed),
                        ", ".join(p.name for p in removed))
        return removed

    def write(self, state: DaemonState) -> None:
        """Atomic replace; the current file, if it is valid, becomes the backup first."""
        payload = json.dumps(to_json(state), indent=2).encode()
        directory = self.path.parent
        directory.mkdir(parents=True, exist_ok=True)
        if self.path.exists() and _valid(self.path):
            _atomic_copy(self.path, self.backup_path)
        _atomic_write(self.path, payload)


def _valid(path: Path) -> bool:
    try:
        parse(path.read_text(encoding="utf-8", errors="replace"))
    except (OSError, StateFileError):
        return False
    return True


def _atomic_write(path: Path, payload: bytes) -> None:
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _atomic_copy(source: Path, target: Path) -> None:
    temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        shutil.copyfile(source, temp)
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
