"""One `solana-test-validator` process: start it with our programs and accounts, wait until it
serves, stop it (and nothing of it is left running, even if this process dies: the child gets
SIGKILL when its parent exits)."""

from __future__ import annotations

import asyncio
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from solders.pubkey import Pubkey

LOCALHOST = "127.0.0.1"
_PR_SET_PDEATHSIG = 1


def free_port(host: str = LOCALHOST) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def free_port_pair(host: str = LOCALHOST) -> int:
    """A port p with p + 1 free too (RPC and its WebSocket)."""
    for _ in range(100):
        port = free_port(host)
        try:
            with socket.socket() as probe:
                probe.bind((host, port + 1))
        except OSError:
            continue
        return port
    raise RuntimeError("no free pair of ports")


def _die_with_parent() -> None:
    """In the child, before exec: get SIGKILL when the parent dies (Linux)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except OSError:
        pass


@dataclass(frozen=True)
class UpgradeableProgram:
    program_id: Pubkey
    path: Path
    upgrade_authority: Pubkey


@dataclass
class ValidatorProcess:
    popen: subprocess.Popen[bytes]
    ledger: Path
    rpc_port: int
    cleanup_dir: Path | None
    """Removed once stopped (a temporary ledger)."""
    log_path: Path
    stopped: bool = field(default=False)

    @property
    def url(self) -> str:
        return f"http://{LOCALHOST}:{self.rpc_port}"

    @property
    def ws_url(self) -> str:
        return f"ws://{LOCALHOST}:{self.rpc_port + 1}"

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self, timeout: float = 20.0) -> None:
        """SIGTERM, then SIGKILL after `timeout`; removes `cleanup_dir`."""
        if self.stopped:
            return
        self.stopped = True
        if self.alive():
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout)
        if self.cleanup_dir is not None:
            shutil.rmtree(self.cleanup_dir, ignore_errors=True)


def launch(
    binary: Path,
    *,
    ledger: Path,
    rpc_port: int,
    account_dir: Path | None = None,
    programs: dict[Pubkey, Path] | None = None,
    upgradeable: list[UpgradeableProgram] | None = None,
    cleanup_dir: Path | None = None,
    extra_args: list[str] | None = None,
) -> ValidatorProcess:
    """Start the validator (fresh ledger) on 127.0.0.1: RPC on `rpc_port`, WebSocket on `rpc_port + 1`."""
    ledger.mkdir(parents=True, exist_ok=True)
    args = [
        str(binary),
        "--ledger", str(ledger),
        "--reset",
        "--quiet",
        "--bind-address", LOCALHOST,
        "--rpc-port", str(rpc_port),
        "--faucet-port", str(free_port()),
        "--gossip-port", str(free_port()),
        "--limit-ledger-size", "50000000",
    ]
    if account_dir is not None:
        args += ["--account-dir", str(account_dir)]
    for program_id, path in (programs or {}).items():
        args += ["--bpf-program", str(program_id), str(path)]
    for program in upgradeable or []:
        args += ["--upgradeable-program", str(program.program_id), str(program.path), str(program.upgrade_authority)]
    args += extra_args or []
    log_path = ledger / "stdout.log"
    with log_path.open("wb") as log:
        popen = subprocess.Popen(
            args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C reaches us, not it: we stop it in order
            preexec_fn=_die_with_parent,
        )
    return ValidatorProcess(popen, ledger, rpc_port, cleanup_dir, log_path)


async def wait_ready(process: ValidatorProcess, timeout: float = 180.0) -> None:
    """Until `getHealth` is ok and a slot has been produced; raises with the log's tail if the
    validator exits or takes too long."""
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(timeout=2.0) as client:
        while True:
            if not process.alive():
                raise RuntimeError(
                    f"solana-test-validator exited with status {process.popen.returncode}:\n{process.log_tail()}"
                )
            try:
                health = await client.post(process.url, json={"jsonrpc": "2.0", "id": 1, "method": "getHealth"})
                slot = await client.post(process.url, json={"jsonrpc": "2.0", "id": 1, "method": "getSlot"})
                if health.json().get("result") == "ok" and int(slot.json().get("result", 0)) >= 1:
                    return
            except (httpx.HTTPError, ValueError, TypeError):
                pass
            if time.monotonic() > deadline:
                process.stop()
                raise TimeoutError(f"solana-test-validator did not become ready within {timeout:.0f} s")
            await asyncio.sleep(0.25)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True
