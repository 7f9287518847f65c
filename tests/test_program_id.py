"""Your own program id: the program is built for a random id (build.rs reads ASDF_DAT_PROGRAM_ID),
refuses to run under any other, and the whole operator path runs under it through the CLI only
(`--program-id`): localnet, fee daemon, generate-volume --until-ready, dry run, cycle.

The build goes to its own target directory in ~/.cache/asdf-dat (target/deploy is never touched);
after the first run only the asdf_dat crate recompiles.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from solders.instruction import AccountMeta, Instruction
from solders.keypair import Keypair
from solders.litesvm import LiteSVM
from solders.message import Message
from solders.pubkey import Pubkey
from solders.transaction import Transaction

from asdf_dat.dat import instructions as dix
from asdf_dat.dat.pdas import authority_address, state_address
from asdf_dat.embedded import new_svm
from asdf_dat.programs import ASDF_DAT_PROGRAM_ID, program_path
from asdf_dat.sandbox import inject_program_data
from conftest import RandomIdBuild, free_port, served_localnet, wait_http

pytestmark = pytest.mark.sbf

ASDF_DAT = Path(sys.executable).parent / "asdf-dat"


def _initialize(svm: LiteSVM, program_id: Pubkey, elf: bytes) -> object:
    svm.add_program(program_id, elf)
    admin = Keypair()
    svm.airdrop(admin.pubkey(), 10**10)
    inject_program_data(svm, admin.pubkey(), program_id)
    generated = dix.initialize(admin.pubkey(), admin.pubkey(), program_id=program_id)
    # The generated client derives state/authority for the process's configured id; this test
    # loads programs at several ids in one process, so it derives them for `program_id`.
    accounts = list(generated.accounts)
    accounts[1] = AccountMeta(state_address(program_id), False, True)
    accounts[2] = AccountMeta(authority_address(program_id), False, True)
    ix = Instruction(program_id, generated.data, accounts)
    tx = Transaction(
        [admin], Message.new_with_blockhash([ix], admin.pubkey(), svm.latest_blockhash()), svm.latest_blockhash()
    )
    return svm.send_transaction(tx)


def test_program_runs_only_under_the_id_it_was_built_for(random_id_build: RandomIdBuild) -> None:
    program_id = random_id_build.program_id
    elf = (random_id_build.deploy_dir / "asdf_dat.so").read_bytes()
    ok = _initialize(new_svm(), program_id, elf)
    assert not hasattr(ok, "err"), ok
    # Under another id the program derives its PDAs for the id it was built for: refused.
    refused = _initialize(new_svm(), ASDF_DAT_PROGRAM_ID, elf)
    assert hasattr(refused, "err"), "the random-id build ran under the default id"
    default_elf = program_path("asdf_dat").read_bytes()
    assert hasattr(_initialize(new_svm(), program_id, default_elf), "err"), "the default build ran under another id"
    assert not hasattr(_initialize(new_svm(), ASDF_DAT_PROGRAM_ID, default_elf), "err")


@pytest.fixture
def localnet_at_random_id(
    random_id_build: RandomIdBuild, tmp_path: Path
) -> Iterator[tuple[Pubkey, Path, dict[str, str]]]:
    program_id, deploy = random_id_build.program_id, random_id_build.deploy_dir
    env = {k: v for k, v in os.environ.items() if k not in ("RPC_URL", "WALLET_PATH", "ASDF_DAT_PROGRAM_ID")}
    env.update(ASDF_DAT_DEPLOY_DIR=str(deploy), COLUMNS="200", PYTHONUNBUFFERED="1")
    with served_localnet(program_id, tmp_path, env) as url:
        env["RPC_URL"] = url
        yield program_id, tmp_path, env


def test_operator_path_under_a_random_program_id(localnet_at_random_id: tuple[Pubkey, Path, dict[str, str]]) -> None:
    program_id, workdir, env = localnet_at_random_id

    def cli(*args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run([str(ASDF_DAT), "--program-id", str(program_id), *args], cwd=workdir, env=env,
                              capture_output=True, text=True, timeout=300)
        assert (proc.returncode == 0) == ok, f"{args}:\n{proc.stdout}\n{proc.stderr}"
        return proc

    version = cli("--version").stdout
    assert f"program id {program_id} (env)" in version and str(workdir) not in version
    doctor = json.loads(cli("doctor", "--network", "localnet", "--json").stdout)
    assert {c["name"]: c["status"] for c in doctor["checks"]}["program deployed"] == "ok"
    state = json.loads(cli("check-dat-state", "--network", "localnet", "--json").stdout)
    assert state["is_active"] is True
    # without the id the SDK looks for the default program: nothing there
    default = subprocess.run([str(ASDF_DAT), "check-dat-state", "--network", "localnet"], cwd=workdir,
                             env={**env, "ASDF_DAT_PROGRAM_ID": ""}, capture_output=True, text=True, timeout=120)
    assert default.returncode == 1 and "initialize" in (default.stdout + default.stderr).lower()

    token = "runbook-token"
    daemon_port = free_port()
    daemon = subprocess.Popen(
        [
            str(ASDF_DAT),
            "--program-id",
            str(program_id),
            "daemon",
            "--network",
            "localnet",
            "--workdir",
            str(workdir),
            "--port",
            str(daemon_port),
            "--poll-interval",
            "1",
            "--flush-interval",
            "2",
        ],
        cwd=workdir,
        env={**env, "DAEMON_API_TOKEN": token},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_http(f"http://127.0.0.1:{daemon_port}/live")
        volume = json.loads(cli("generate-volume", "localnet-tokens", "20", "0.5", "--network", "localnet",
                                "--until-ready", "--json").stdout)
        assert all(t["ready"] for t in volume["tokens"])
        threshold = volume["tokens"][0]["threshold"]
        deadline = time.monotonic() + 90
        while True:
            stats = json.loads(cli("check-current-stats", "--network", "localnet", "--json").stdout)
            if all(t["pendingFees"] >= threshold for t in stats["tokens"]):
                break
            assert time.monotonic() < deadline, stats
            time.sleep(1)
        root_file = next(
            p for p in sorted((workdir / "localnet-tokens").glob("*.json")) if json.loads(p.read_text())["isRoot"]
        )
        config = str(root_file.relative_to(workdir))
        report = json.loads(
            cli("execute-ecosystem-cycle", config, "--network", "localnet", "--dry-run", "--json").stdout
        )
        assert report["status"] == "READY", report
        run = json.loads(cli("execute-ecosystem-cycle", config, "--network", "localnet", "--json", "--no-flush").stdout)
        assert run["success"] is True, run
        after = json.loads(cli("check-current-stats", "--network", "localnet", "--json").stdout)
        assert all(t["cycles"] == 1 and t["totalTokensBurned"] > 0 for t in after["tokens"])
    finally:
        daemon.terminate()
        daemon.wait(timeout=30)




