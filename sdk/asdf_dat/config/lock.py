"""`.daemon-lock.json`: one daemon per working directory.

The file keeps the seed's fields `{pid, timestamp, operation: "fee-monitor-daemon", hostname}`.
It is created atomically with its content (written to a private temp file opened with O_EXCL,
locked with `fcntl.flock`, then hard-linked into place: the link fails if a lock exists), and
the flock is held for the life of the process, so a live owner can never look stale.

An existing lock is taken over only when BOTH its flock is free AND its pid is dead on this
host. A live pid is never stolen, whatever the lock's age.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

OPERATION = "fee-monitor-daemon"


class LockError(RuntimeError):
    """Another daemon holds the lock (the message names its pid and host)."""


@dataclass(frozen=True)
class LockInfo:
    pid: int
    timestamp: int
    operation: str
    hostname: str


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid exists (EPERM counts as alive)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return _not_zombie(pid)


def _not_zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            fields = handle.read().rsplit(")", 1)[-1].split()
    except OSError:
        return True
    return not fields or fields[0] != "Z"


def read_lock(path: Path) -> LockInfo | None:
    """The lock's content, or None if missing or unreadable."""
    try:
        raw: Any = json.loads(path.read_text(encoding="utf-8"))
        return LockInfo(int(raw["pid"]), int(raw["timestamp"]), str(raw["operation"]), str(raw["hostname"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


class DaemonLock:
    """`acquire()` or raise `LockError`; `release()` (also on context exit) removes the file."""

    def __init__(self, path: Path, *, operation: str = OPERATION) -> None:
        self.path = path
        self.operation = operation
        self._fd: int | None = None

    @property
    def _what(self) -> str:
        return "daemon" if self.operation == OPERATION else "cycle"

    @property
    def held(self) -> bool:
        return self._fd is not None

    def _content(self) -> bytes:
        info = {
            "pid": os.getpid(),
            "timestamp": int(time.time() * 1000),
            "operation": self.operation,
            "hostname": socket.gethostname(),
        }
        return json.dumps(info, indent=2).encode()

    def acquire(self) -> LockInfo:
        if self._fd is not None:
            raise LockError(f"{self.path} is already held by this process")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(20):
            fd = self._create()
            if fd is not None:
                self._fd = fd
                info = read_lock(self.path)
                assert info is not None
                return info
            fd = self._take_over()
            if fd is not None:
                self._fd = fd
                info = read_lock(self.path)
                assert info is not None
                return info
            # The file vanished or was replaced between our steps; try again.
            time.sleep(0.01)
        raise LockError(f"could not acquire {self.path}: it keeps changing")

    def _create(self) -> int | None:
        temp = self.path.with_name(f"{self.path.name}.{os.getpid()}.{time.monotonic_ns()}.tmp")
        fd = os.open(temp, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.write(fd, self._content())
            os.fsync(fd)
            try:
                os.link(temp, self.path)
            except FileExistsError:
                os.close(fd)
                return None
            return fd
        except BaseException:
            if fd is not None:
                try:
                    os.close(fd)
                except OSError:
                    pass
            raise
        finally:
            temp.unlink(missing_ok=True)

    def _take_over(self) -> int | None:
        """Open the existing lock; refuse if its owner is alive; otherwise rewrite it as ours."""
        try:
            fd = os.open(self.path, os.O_RDWR)
        except FileNotFoundError:
            return None
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    info = read_lock(self.path)
                    raise LockError(_held_message(self.path, info, self._what)) from None
                raise
            if not _same_file(fd, self.path):
                os.close(fd)
                return None
            info = read_lock(self.path)
            if info is not None:
                if info.hostname != socket.gethostname():
                    raise LockError(
                        _held_message(self.path, info, self._what) + " (another host: cannot check whether it is alive)"
                    )
                if info.pid != os.getpid() and pid_alive(info.pid):
                    # Nobody holds the flock, yet the pid lives: a reused pid, or a copied file.
                    raise LockError(
                        _held_message(self.path, info, self._what)
                        + f". pid {info.pid} is alive but does not hold this lock (its flock is free): if it is not "
                        f"a {self._what} of this working directory, delete {self.path} and start again"
                    )
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, self._content())
            os.fsync(fd)
            return fd
        except BaseException:
            os.close(fd)
            raise

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            if _same_file(fd, self.path):
                self.path.unlink(missing_ok=True)
        finally:
            os.close(fd)

    def __enter__(self) -> DaemonLock:
        self.acquire()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()


def _same_file(fd: int, path: Path) -> bool:
    try:
        a = os.fstat(fd)
        b = os.stat(path)
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _held_message(path: Path, info: LockInfo | None, what: str = "daemon") -> str:
    title = "Daemon lock exists" if what == "daemon" else "Cycle lock exists"
    if info is None:
        return f"{title}: {path} is held by a running process"
    age = max(0, int(time.time() - info.timestamp / 1000))
    return (
        f"{title}: {path} is held by pid {info.pid} on {info.hostname} "
        f"({info.operation}, taken {age} s ago); refusing to start a second {what}"
    )
