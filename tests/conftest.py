"""Shared pytest fixtures."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from solders.keypair import Keypair
from solders.litesvm import LiteSVM
from solders.pubkey import Pubkey

from asdf_dat.embedded import new_dat_svm
from asdf_dat.network.wallet import write_keypair
from asdf_dat.programs import program_path

REPO = Path(__file__).resolve().parents[1]
CACHE = Path(os.environ.get("ASDF_DAT_CACHE", Path.home() / ".cache" / "asdf-dat"))


@pytest.fixture
def dat_svm() -> LiteSVM:
    """A LiteSVM with the compiled asdf_dat program loaded at its id."""
    return new_dat_svm()


@dataclass(frozen=True)
class RandomIdBuild:
    """The asdf_dat program built for a random program id (build.rs reads ASDF_DAT_PROGRAM_ID)."""

    program_keypair: Path
    program_id: Pubkey
    target_dir: Path
    """A cargo target dir of its own (target/deploy is never touched): `<target_dir>/deploy/asdf_dat.so`."""

    @property
    def deploy_dir(self) -> Path:
        return self.target_dir / "deploy"


@pytest.fixture(scope="session")
def random_id_build(tmp_path_factory: pytest.TempPathFactory) -> RandomIdBuild:
    """One build per session at a fresh random id, with its program keypair (for a deploy).
    After the first run on a machine only the asdf_dat crate recompiles."""
    keypair = Keypair()
    key_file = write_keypair(tmp_path_factory.mktemp("program-id") / "asdf_dat-keypair.json", keypair)
    target = CACHE / "program-id-target"
    env = {**os.environ, "CARGO_TARGET_DIR": str(target), "ASDF_DAT_PROGRAM_ID": str(keypair.pubkey())}
    default_elf = program_path("asdf_dat").read_bytes()
    built = subprocess.run(["bash", str(REPO / "scripts" / "build.sh"), "--programs-only"], cwd=REPO, env=env,
                           capture_output=True, text=True, timeout=3600)
    assert built.returncode == 0, built.stderr[-4000:]
    assert program_path("asdf_dat").read_bytes() == default_elf  # target/deploy untouched
    assert (target / "deploy" / "asdf_dat.so").read_bytes() != default_elf
    return RandomIdBuild(key_file, keypair.pubkey(), target)


@pytest.fixture(scope="session")
def anchor_cli() -> Path:
    """anchor-cli 2.0.0-rc.2 (`make anchor`). Missing: a failure, unless `make test` tried to
    build it and could not (then ASDF_DAT_ANCHOR_UNAVAILABLE says why, and the test is skipped)."""
    unavailable = os.environ.get("ASDF_DAT_ANCHOR_UNAVAILABLE")
    if unavailable:
        pytest.skip(unavailable)
    found = subprocess.run(["bash", str(REPO / "scripts" / "anchor.sh"), "--find"], capture_output=True, text=True)
    if found.returncode != 0:
        pytest.fail("anchor-cli 2.0.0-rc.2 is missing: run `make anchor` (builds it once into ~/.cache/asdf-dat)")
    return Path(found.stdout.strip())


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (for a server a test starts)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_http(url: str, timeout: float = 90.0) -> None:
    """Until `url` answers 200: a server's banner can print before it listens."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {timeout} s")


@contextlib.contextmanager
def served_localnet(program_id: Pubkey, state_dir: Path, env: dict[str, str], *extra: str) -> Iterator[str]:
    """`asdf-dat --program-id <id> localnet --port 0 <extra>` as a subprocess in `state_dir`;
    yields its URL once it answers (the banner prints before the server listens); SIGTERM after."""
    cli = Path(sys.executable).parent / "asdf-dat"
    server = subprocess.Popen([str(cli), "--program-id", str(program_id), "localnet", *extra, "--port", "0",
                               "--state-dir", str(state_dir)], cwd=state_dir, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        match = re.search(r"http://127\.0\.0\.1:\d+", server.stdout.readline())
        assert match, server.stderr.read() if server.stderr else ""
        wait_http(f"{match.group(0)}/health")
        yield match.group(0)
    finally:
        server.terminate()
        server.wait(timeout=30)
