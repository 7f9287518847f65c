"""The operator's very first runbook, through the CLI only, against `asdf-dat localnet --no-dat`
(the world before the first step: pump, the tokens, the funded wallet; no asdf_dat program):
the program built for a RANDOM program id (build.rs, `ASDF_DAT_PROGRAM_ID`), deployed with
`anchor deploy` (anchor-cli 2.0.0-rc.2) or with `asdf-dat deploy` (a crash mid-write first,
then the rerun resumes the half-written buffer), then `asdf-dat setup`, the fee daemon,
`generate-volume --until-ready` and a cycle. No program id is hard-coded: every command gets
the random one from `--program-id`.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from solders.pubkey import Pubkey

from asdf_dat.dat.pdas import program_data_address
from conftest import REPO, RandomIdBuild, free_port, served_localnet, wait_http

pytestmark = pytest.mark.sbf

ASDF_DAT = Path(sys.executable).parent / "asdf-dat"
WALLET = "localnet-wallet.json"
TOKEN = "deploy-runbook-token"


@dataclass
class EmptyChain:
    program_id: Pubkey
    workdir: Path
    url: str
    env: dict[str, str]

    def cli(self, *args: str, ok: bool = True, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run([str(ASDF_DAT), "--program-id", str(self.program_id), *args], cwd=self.workdir,
                              env=self.env, capture_output=True, text=True, timeout=timeout)
        assert (proc.returncode == 0) == ok, f"{args} ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
        return proc

    def json(self, *args: str) -> Any:
        return json.loads(self.cli(*args, "--json").stdout)

    def rpc(self, method: str, *params: Any) -> Any:
        reply = httpx.post(
            self.url, json={"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)}, timeout=30
        )
        body = reply.json()
        assert "error" not in body, body
        return body["result"]

    def account(self, address: Pubkey) -> Any:
        return self.rpc("getAccountInfo", str(address), {"encoding": "base64"})["value"]


@pytest.fixture
def empty_chain(random_id_build: RandomIdBuild, tmp_path: Path) -> Iterator[EmptyChain]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("RPC_URL", "WALLET_PATH", "ASDF_DAT_PROGRAM_ID", "ASDF_DAT_DEPLOY_DIR")
    }
    env.update(COLUMNS="200", PYTHONUNBUFFERED="1", DAEMON_API_TOKEN=TOKEN)
    program_id = random_id_build.program_id
    with served_localnet(program_id, tmp_path, env, "--no-dat") as url:
        env["RPC_URL"] = url
        chain = EmptyChain(program_id, tmp_path, url, env)
        assert chain.account(program_id) is None and chain.account(program_data_address(program_id)) is None
        yield chain


def _setup_and_cycle(chain: EmptyChain) -> None:
    """`asdf-dat setup` on the freshly deployed program, then volume, the daemon's sync and a cycle."""
    steps = chain.json("setup", "localnet-tokens", "--network", "localnet")
    done = {s["name"]: s["done"] for s in steps["steps"]}
    assert done.get("initialize") is True, steps
    assert sum(1 for name, sent in done.items() if name.startswith("register") and sent) == 3, steps
    state = chain.json("check-dat-state", "--network", "localnet")
    assert state["is_active"] is True
    again = chain.json("setup", "localnet-tokens", "--network", "localnet")  # idempotent
    assert not any(s["done"] for s in again["steps"]), again

    port = free_port()
    daemon = subprocess.Popen(
        [str(ASDF_DAT), "--program-id", str(chain.program_id), "daemon", "--network", "localnet", "--workdir",
         str(chain.workdir), "--port", str(port), "--poll-interval", "1", "--flush-interval", "2"],
        cwd=chain.workdir, env={**chain.env, "DAEMON_URL": f"http://127.0.0.1:{port}"}, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, text=True,
    )
    try:
        wait_http(f"http://127.0.0.1:{port}/live")
        volume = chain.json("generate-volume", "localnet-tokens", "20", "0.5", "--network", "localnet", "--until-ready")
        assert all(t["ready"] for t in volume["tokens"]), volume
        threshold = volume["tokens"][0]["threshold"]
        deadline = time.monotonic() + 120
        while True:
            stats = chain.json("check-current-stats", "--network", "localnet")
            if all(t["pendingFees"] >= threshold for t in stats["tokens"]):
                break
            assert time.monotonic() < deadline, stats
            time.sleep(1)
        root = next(
            p for p in sorted((chain.workdir / "localnet-tokens").glob("*.json")) if json.loads(p.read_text())["isRoot"]
        )
        config = str(root.relative_to(chain.workdir))
        assert chain.json("execute-ecosystem-cycle", config, "--network", "localnet", "--dry-run")["status"] == "READY"
        run = json.loads(
            chain.cli("execute-ecosystem-cycle", config, "--network", "localnet", "--json", "--no-flush").stdout
        )
        assert run["success"] is True, run
        after = chain.json("check-current-stats", "--network", "localnet")
        assert all(t["cycles"] == 1 and t["totalTokensBurned"] > 0 for t in after["tokens"]), after
    finally:
        daemon.terminate()
        daemon.wait(timeout=60)


def _assert_deployed(chain: EmptyChain, upgrade_authority: str) -> None:
    program = chain.account(chain.program_id)
    assert (
        program is not None
        and program["executable"] is True
        and program["owner"] == "BPFLoaderUpgradeab1e11111111111111111111111"
    )
    doctor = chain.json("doctor", "--network", "localnet")
    assert {c["name"]: c["status"] for c in doctor["checks"]}["program deployed"] == "ok", doctor
    import base64

    data = base64.b64decode(chain.account(program_data_address(chain.program_id))["data"][0])
    assert data[12] == 1 and str(Pubkey.from_bytes(data[13:45])) == upgrade_authority


def _wallet_address(chain: EmptyChain) -> str:
    from asdf_dat.network.wallet import load_keypair

    return str(load_keypair(chain.workdir / WALLET).pubkey())


@pytest.mark.anchor
def test_empty_chain_anchor_deploy_then_setup_then_cycle(
    empty_chain: EmptyChain, random_id_build: RandomIdBuild, anchor_cli: Path
) -> None:
    chain = empty_chain
    # What a user of Anchor types, in the checkout (Anchor.toml), for the program built for their id
    # (CARGO_TARGET_DIR: where that build went; anchor reads it through `cargo metadata`).
    def anchor_deploy() -> tuple[subprocess.CompletedProcess[str], float]:
        started = time.monotonic()
        deployed = subprocess.run(
            [
                str(anchor_cli),
                "deploy",
                "-p",
                "asdf_dat",
                "--no-idl",
                "--program-keypair",
                str(random_id_build.program_keypair),
                "--provider.cluster",
                chain.url,
                "--provider.wallet",
                str(chain.workdir / WALLET),
            ],
            cwd=REPO,
            env={**chain.env, "CARGO_TARGET_DIR": str(random_id_build.target_dir)},
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert deployed.returncode == 0, f"{deployed.stdout}\n{deployed.stderr}"
        assert f"Program ID: {chain.program_id}" in deployed.stdout and "Deploy success" in deployed.stdout
        return deployed, time.monotonic() - started

    _, seconds = anchor_deploy()
    print(f"anchor deploy against asdf-dat localnet: {seconds:.1f} s")
    _assert_deployed(chain, _wallet_address(chain))
    _setup_and_cycle(chain)
    # The same command on a deployed program upgrades it (the wallet is its upgrade authority);
    # the DAT keeps its state and runs on.
    upgraded, seconds = anchor_deploy()
    print(f"anchor deploy (upgrade) against asdf-dat localnet: {seconds:.1f} s")
    assert "upgrading" in upgraded.stdout
    _assert_deployed(chain, _wallet_address(chain))
    state = chain.json("check-dat-state", "--network", "localnet")
    assert state["is_active"] is True and state["cycle_id"] == 1, state


def test_empty_chain_asdf_dat_deploy_resumed_then_setup_then_cycle(
    empty_chain: EmptyChain, random_id_build: RandomIdBuild
) -> None:
    chain = empty_chain
    so = random_id_build.deploy_dir / "asdf_dat.so"
    args = [
        "--program-id",
        str(chain.program_id),
        "deploy",
        "--network",
        "localnet",
        "--program",
        str(so),
        "--program-keypair",
        str(random_id_build.program_keypair),
        "--buffer-keypair",
        str(chain.workdir / "buffer.json"),
    ]
    # A slow link (200 ms per sendTransaction), and the deploy killed mid-write.
    chain.rpc("asdf_setFaults", {"min_latency_ms": 200, "max_latency_ms": 200, "methods": ["sendTransaction"]})
    first = subprocess.Popen([str(ASDF_DAT), *args], cwd=chain.workdir, env=chain.env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    program = so.read_bytes()
    written = 0
    deadline = time.monotonic() + 120
    while written < len(program) // 5:
        assert first.poll() is None and time.monotonic() < deadline, "the first deploy ended before it was killed"
        time.sleep(0.1)
        buffer_file = chain.workdir / "buffer.json"
        if not buffer_file.exists():
            continue
        from asdf_dat.network.wallet import load_keypair

        account = chain.account(load_keypair(buffer_file).pubkey())
        if account is not None:
            import base64

            content = base64.b64decode(account["data"][0])[37:]  # after the buffer's metadata
            written = sum(1000 for i in range(0, len(program), 1000) if content[i : i + 1000] == program[i : i + 1000])
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    assert chain.account(chain.program_id) is None  # not deployed: the buffer is half-written
    chain.rpc("asdf_setFaults", {})

    started = time.monotonic()
    result = json.loads(subprocess.run([str(ASDF_DAT), *args, "--json"], cwd=chain.workdir, env=chain.env,
                                       capture_output=True, text=True, timeout=300, check=True).stdout)
    print(f"asdf-dat deploy (resumed) against asdf-dat localnet: {time.monotonic() - started:.1f} s, "
          f"{result['chunksWritten']}/{result['chunks']} chunks written")
    assert result["action"] == "deploy" and result["programId"] == str(chain.program_id)
    assert 0 < result["chunksWritten"] < result["chunks"]  # resumed: only what the killed run had not written
    assert not (chain.workdir / "buffer.json").exists()
    _assert_deployed(chain, _wallet_address(chain))
    _setup_and_cycle(chain)




