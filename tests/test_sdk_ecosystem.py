"""The embedded ecosystem (< 1 s, files in the seed's format) and `asdf-dat localnet` over HTTP."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from solana.rpc.async_api import AsyncClient

from asdf_dat.config.tokens import load_token_configs
from asdf_dat.dat.accounts import decode_dat_state, decode_token_stats
from asdf_dat.dat.pdas import state_address, token_stats_address
from asdf_dat.network.config import Network
from asdf_dat.network.wallet import load_keypair
from asdf_dat.pump import addresses as paddr
from asdf_dat.sandbox import build_sandbox, build_sandbox_sync
from conftest import free_port

pytestmark = pytest.mark.sbf

ASDF_DAT = [sys.executable, "-c", "from asdf_dat.cli import app; app()"]


def test_world_builds_in_under_a_second() -> None:
    build_sandbox_sync()  # warm caches (program files, imports)
    started = time.perf_counter()
    eco = build_sandbox_sync()
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0, f"{elapsed:.3f} s"
    assert eco.build_seconds < 1.0
    kinds = {(t.pool_type, t.token_program, t.is_root) for t in eco.tokens}
    assert kinds == {
        ("bonding_curve", paddr.TOKEN_PROGRAM_ID, True),
        ("bonding_curve", paddr.TOKEN_2022_PROGRAM_ID, False),
        ("pumpswap_amm", paddr.TOKEN_PROGRAM_ID, False),
    }
    for wallet in [eco.admin, *eco.traders]:
        assert eco.ledger.get_balance(wallet.pubkey()) >= 1_000 * 10**9 - 10**9


async def test_files_parse_with_the_seed_format(tmp_path: Path) -> None:
    eco = await build_sandbox(traders=1)
    stale = tmp_path / "localnet-tokens" / "09-old.json"
    stale.parent.mkdir()
    stale.write_text(json.dumps({"network": "localnet", "mint": "x"}))
    keep = tmp_path / "localnet-tokens" / "notes.txt"
    keep.write_text("mine")
    files = eco.write_files(tmp_path)
    assert files.removed == [stale] and keep.exists()
    assert [p.name for p in files.token_files] == ["01-froot.json", "02-dat22.json", "03-datamm.json"]
    for path in files.token_files:
        raw = json.loads(path.read_text())
        assert set(raw) == {
            "mint",
            "bondingCurve",
            "creator",
            "name",
            "symbol",
            "isRoot",
            "poolType",
            "tokenProgram",
            "network",
        }
    configs = load_token_configs(files.tokens_dir, Network.LOCALNET)
    assert [c.is_root for c in configs] == [True, False, False]
    for config in configs:
        token = eco.token(config.mint)
        assert config.pool_address == token.pool and config.token_program == token.token_program
        assert config.pool_type == token.pool_type and config.symbol == token.symbol
    amm = next(c for c in configs if c.pool_type == "pumpswap_amm")
    assert amm.pool_address == paddr.canonical_pool(amm.mint)
    assert files.wallet is not None
    assert stat.S_IMODE(files.wallet.stat().st_mode) == 0o600
    assert load_keypair(files.wallet) == eco.admin




async def test_localnet_command_serves_the_world(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [*ASDF_DAT, "localnet", "--port", str(port), "--state-dir", str(tmp_path)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                if (
                    httpx.post(url, json={"jsonrpc": "2.0", "id": 1, "method": "getHealth"}, timeout=1).json()["result"]
                    == "ok"
                ):
                    break
            except (httpx.HTTPError, KeyError):
                pass
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            assert time.monotonic() < deadline, "localnet did not come up"
            time.sleep(0.1)
        configs = load_token_configs(tmp_path / "localnet-tokens", Network.LOCALNET)
        wallet = load_keypair(tmp_path / "localnet-wallet.json")
        async with AsyncClient(url) as client:
            state_info = (await client.get_account_info(state_address())).value
            assert state_info is not None
            state = decode_dat_state(bytes(state_info.data))
            assert state.admin == wallet.pubkey()
            assert state.root_mint == next(c.mint for c in configs if c.is_root)
            stats = (await client.get_multiple_accounts([token_stats_address(c.mint) for c in configs])).value
            assert [decode_token_stats(bytes(s.data)).mint for s in stats if s is not None] == [c.mint for c in configs]
            assert (await client.get_balance(wallet.pubkey())).value > 1_000 * 10**9
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=20)
    assert process.returncode == 0, output
    assert f"http://127.0.0.1:{port}" in output and "localnet-wallet.json" in output and "01-froot.json" in output
