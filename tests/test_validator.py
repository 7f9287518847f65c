"""The same world on a real solana-test-validator (Agave, `make validator`): `asdf-dat localnet
--validator`'s world, set up through RPC only, then deploy from the SDK, trades from other
wallets, the fee daemon (crash and restart included), a dry run and a live cycle (one v0
transaction with a lookup table), and @solana/web3.js + the IDL.

Accounting is independent of the daemon's and the program's: each trade's creator fee is read
from the landed transaction's balance changes of the DAT's creator vaults (`meta.preBalances` /
`postBalances`, `pre/postTokenBalances`).

The tests share one validator (module scope, about 10 s to start) and run in file order. A
missing validator binary is a failure, never a skip (`make test` builds it first).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from solders.keypair import Keypair
from solders.pubkey import Pubkey
from solders.signature import Signature
from xprocess import XProcess  # type: ignore[import-untyped]

from asdf_dat.config.ecosystem import TokenConfig, load_token_config
from asdf_dat.dat.accounts import DatState, TokenStats, decode_dat_state, decode_token_stats
from asdf_dat.dat.pdas import authority_address, program_data_address, state_address, token_stats_address
from asdf_dat.deploy import DeployError, deploy_program, upgradeable_state
from asdf_dat.network.config import Network
from asdf_dat.network.transport import RpcTransport
from asdf_dat.orchestrator import trading
from asdf_dat.programs import ASDF_DAT_PROGRAM_ID, program_path
from asdf_dat.pump import addresses as paddr
from asdf_dat.pump.tokens import token_amount
from asdf_dat.sandbox import SandboxToken
from asdf_dat.validator.binary import find_validator
from asdf_dat.validator.localnet import ValidatorLocalnet, start_validator_localnet
from asdf_dat.validator.process import free_port_pair
from test_daemon_e2e import Daemon, _alive, wait_for

pytestmark = pytest.mark.validator

REPO = Path(__file__).resolve().parents[1]
SCRIPTS = REPO / "scripts"
SOL = 1_000_000_000
T = TypeVar("T")
RENT_EXEMPT_ZERO = 890_880
POLL = 0.5


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


# ---------------------------------------------------------------------- world


@dataclass
class Chain:
    """The validator world plus the test's view of it (RPC only)."""

    world: ValidatorLocalnet
    workdir: Path
    expected: dict[Pubkey, int] = field(default_factory=dict)
    """Creator fees per mint paid by trades so far (from the transactions' balance changes)."""

    @property
    def url(self) -> str:
        return self.world.url

    def transport(self) -> RpcTransport:
        return RpcTransport([self.url])

    def config(self, token: SandboxToken) -> TokenConfig:
        files = self.world.files
        assert files is not None
        path = next(p for p in files.token_files if json.loads(p.read_text())["mint"] == str(token.mint))
        return load_token_config(path, Network.LOCALNET)

    async def account_data(self, address: Pubkey) -> bytes | None:
        async with self.transport() as transport:
            account = await transport.get_account(address)
        return None if account is None else bytes(account.data)

    def state(self) -> DatState:
        data = run(self.account_data(state_address()))
        assert data is not None
        return decode_dat_state(data)

    def stats(self, mint: Pubkey) -> TokenStats:
        data = run(self.account_data(token_stats_address(mint)))
        assert data is not None
        return decode_token_stats(data)

    def attributed(self) -> dict[Pubkey, int]:
        return {t.mint: self.stats(t.mint).total_sol_attributed for t in self.world.tokens}

    # ---- trades by other wallets, with the truth from balance changes

    async def _creator_fee(self, transport: RpcTransport, signature: Signature, token: SandboxToken) -> int:
        landed = await transport.get_transaction(signature)
        assert landed is not None and landed.transaction.meta is not None
        meta = landed.transaction.meta
        assert meta.err is None
        message = landed.transaction.transaction.message  # type: ignore[union-attr]
        keys = [Pubkey.from_string(str(k)) for k in message.account_keys]
        authority = authority_address()
        if token.pool_type == "bonding_curve":
            index = keys.index(paddr.creator_vault(authority))
            # what the vault holds above its rent-exempt minimum (the first deposit also pays the rent)
            return max(0, meta.post_balances[index] - RENT_EXEMPT_ZERO) - max(
                0, meta.pre_balances[index] - RENT_EXEMPT_ZERO
            )
        vault = keys.index(paddr.coin_creator_vault_ata(authority))

        def amount(balances: Any) -> int:
            return next((int(b.ui_token_amount.amount) for b in balances or [] if b.account_index == vault), 0)

        return amount(meta.post_token_balances) - amount(meta.pre_token_balances)

    async def _trade(
        self, trader: Keypair, token: SandboxToken, lamports: int, sell_fraction: float
    ) -> list[Signature]:
        config = self.config(token)
        signatures: list[Signature] = []
        async with self.transport() as transport:
            bought = await trading.buy(transport, trader, config, lamports)
            signatures.append(Signature.from_string(bought.signature))
            if sell_fraction > 0:
                sold = await trading.sell_all(transport, trader, config)
                if sold is not None:
                    signatures.append(Signature.from_string(sold.signature))
            for signature in signatures:
                fee = await self._creator_fee(transport, signature, token)
                assert fee > 0
                self.expected[token.mint] = self.expected.get(token.mint, 0) + fee
        return signatures

    def trade(self, trader: Keypair, token: SandboxToken, lamports: int, *, sell: bool = True) -> list[Signature]:
        return run(self._trade(trader, token, lamports, 1.0 if sell else 0.0))

    def some_trades(self, rng: random.Random, count: int) -> None:
        for _ in range(count):
            token = rng.choice(self.world.tokens)
            trader = rng.choice(self.world.traders)
            self.trade(trader, token, rng.randint(50_000_000, 600_000_000), sell=rng.random() < 0.4)

    def converged(self) -> bool:
        got = self.attributed()
        return all(got[t.mint] == self.expected.get(t.mint, 0) for t in self.world.tokens)

    def pool_lamports(self) -> int:
        """What the DAT really holds for pending fees, from balances (as the program's
        treasury.rs reads it): creator vault above rent + PumpSwap vault WSOL + the authority's
        lamports above rent + the authority's WSOL."""
        async def read() -> tuple[int, bytes | None, int, bytes | None]:
            async with self.transport() as transport:
                authority = authority_address()
                bc = await transport.get_balance(paddr.creator_vault(authority))
                amm = await transport.get_account(paddr.coin_creator_vault_ata(authority))
                held = await transport.get_balance(authority)
                wsol = await transport.get_account(paddr.associated_token_address(authority, paddr.WSOL_MINT))
                return bc, None if amm is None else bytes(amm.data), held, None if wsol is None else bytes(wsol.data)

        bc, amm, held, wsol = run(read())
        return (
            max(0, bc - RENT_EXEMPT_ZERO)
            + (token_amount(amm) if amm else 0)
            + max(0, held - RENT_EXEMPT_ZERO)
            + (token_amount(wsol) if wsol else 0)
        )


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chain]:
    if find_validator() is None:
        pytest.fail("solana-test-validator not found: run `make validator` (make test builds it first)", pytrace=False)
    workdir = tmp_path_factory.mktemp("validator-world")
    world = run(start_validator_localnet(workdir, port=free_port_pair(), traders=3))
    try:
        yield Chain(world, workdir)
    finally:
        world.stop()
        assert not world.process.alive()


class _DaemonTarget:
    """What `test_daemon_e2e.Daemon` needs of its world: the working directory and the RPC URL."""

    def __init__(self, chain: Chain) -> None:
        self.workdir = chain.workdir
        self.url = chain.url


@pytest.fixture
def make_daemon(xprocess: XProcess, chain: Chain, request: pytest.FixtureRequest) -> Iterator[Callable[..., Daemon]]:
    started: list[Daemon] = []

    def factory(suffix: str = "", **env: str) -> Daemon:
        daemon = Daemon(xprocess, _DaemonTarget(chain), f"vdaemon-{request.node.name}-{suffix}", env)  # type: ignore[arg-type]
        started.append(daemon)
        return daemon

    yield factory
    for daemon in started:
        try:
            daemon.stop()
        except AssertionError:
            if daemon.pid is not None and _alive(daemon.pid):
                os.kill(daemon.pid, signal.SIGKILL)


# ---------------------------------------------------------------------- the world


def test_world_is_set_up_through_rpc_only(chain: Chain) -> None:
    world = chain.world
    # Nothing the DAT owns came from the genesis: only pump's side, mints and wallets.
    owners = {account.owner for account in world.genesis.accounts.values()}
    assert ASDF_DAT_PROGRAM_ID not in owners
    assert state_address() not in world.genesis.accounts
    assert paddr.pump_global() in world.genesis.accounts and paddr.amm_global_config() in world.genesis.accounts
    # The DAT: deployed upgradeable with the admin as upgrade authority, initialized by it.
    programdata = run(chain.account_data(program_data_address()))
    assert programdata is not None and upgradeable_state(programdata).authority == world.admin.pubkey()
    state = chain.state()
    assert state.admin == world.admin.pubkey() and state.keeper == world.admin.pubkey()
    root = next(t for t in world.tokens if t.is_root)
    assert state.root_mint == root.mint
    for token in world.tokens:
        stats = chain.stats(token.mint)
        assert stats.pool == token.pool and stats.token_program == token.token_program
        assert stats.is_root == token.is_root
    assert {"initialize", "register_token", "init_wsol_accounts", "set_root_token"} <= set(world.setup_compute_units)
    # The seed's files, and the command line reads the state over RPC.
    assert world.files is not None and len(world.files.token_files) == 3
    proc = subprocess.run(
        [sys.executable, str(SCRIPTS / "check-dat-state.py"), "--network", "localnet"],
        cwd=chain.workdir, env={**os.environ, "RPC_URL": chain.url}, capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert f"Root Token: {root.mint} (FROOT)" in proc.stdout.splitlines()


def test_web3js_sends_confirms_and_reads_the_dat_with_the_idl(chain: Chain) -> None:
    """@solana/web3.js: `sendAndConfirmTransaction` (WebSocket signature subscription on
    port + 1) and the DAT state decoded by @coral-xyz/anchor from our IDL."""
    prefix = subprocess.run(["bash", str(SCRIPTS / "node-clients.sh")], capture_output=True, text=True, timeout=900)
    assert prefix.returncode == 0, prefix.stderr
    files = chain.world.files
    assert files is not None
    proc = subprocess.run(
        [
            "node",
            str(REPO / "tests" / "js" / "web3_client.cjs"),
            chain.url,
            str(files.wallet),
            str(REPO / "idl" / "asdf_dat.json"),
        ],
        env={**os.environ, "NODE_PATH": str(Path(prefix.stdout.strip()) / "node_modules")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["balance"] == 1_000_000
    assert out["fee"] == 5_000
    assert out["statePda"] == str(state_address()) and out["stateOwner"] == str(ASDF_DAT_PROGRAM_ID)
    state = chain.state()
    decoded = out["state"]
    assert decoded["admin"] == str(state.admin) and decoded["keeper"] == str(state.keeper)
    assert decoded["root_mint"] == str(state.root_mint)
    assert int(decoded["total_pending_fees"]) == state.total_pending_fees
    assert int(decoded["min_cycle_interval_secs"]) == state.min_cycle_interval_secs
    assert int(decoded["fee_split_bps"]) == state.fee_split_bps


# ---------------------------------------------------------------------- deploy from the SDK


class _Interrupted(Exception):
    pass


def test_sdk_deploy_resumes_a_half_written_buffer_then_upgrades(chain: Chain, tmp_path: Path) -> None:
    """`asdf_dat.deploy` at a fresh program id: interrupted after some chunks, resumed (only the
    missing chunks written), deployed (the program runs: Anchor answers that it was built for
    another id), upgraded in place by `asdf-dat deploy`; a wrong authority is refused."""
    so = program_path("asdf_dat").read_bytes()
    program = Keypair()
    buffer_file = tmp_path / "buffer.json"
    payer = chain.world.traders[0]

    def stop_after(limit: int) -> Callable[[str, int, int], None]:
        def progress(phase: str, done: int, total: int) -> None:
            if phase == "write" and done >= limit:
                raise _Interrupted()
        return progress

    async def first() -> None:
        async with chain.transport() as transport:
            await deploy_program(
                transport, payer, so, program, buffer_file=buffer_file, progress=stop_after(40), concurrency=4
            )

    with pytest.raises(_Interrupted):
        run(first())
    assert buffer_file.is_file()

    async def resume() -> Any:
        async with chain.transport() as transport:
            return await deploy_program(transport, payer, so, program, buffer_file=buffer_file)

    result = run(resume())
    assert result.action == "deploy" and result.program_id == program.pubkey()
    assert 0 < result.chunks_written < result.chunks  # the resumed run skipped what was written
    assert not buffer_file.exists()
    assert result.max_data_len == 2 * len(so) and result.fees_lamports >= 5_000 * result.write_transactions
    data = run(chain.account_data(program_data_address(program.pubkey())))
    assert data is not None and upgradeable_state(data).authority == payer.pubkey()
    assert data[45 : 45 + len(so)] == so
    # It runs: the deployed ELF executes and refuses an unknown instruction discriminator.
    from solders.instruction import Instruction
    from solders.message import Message
    from solders.transaction import Transaction

    async def invoke() -> Any:
        async with chain.transport() as transport:
            latest = await transport.get_latest_blockhash()
            ix = Instruction(program.pubkey(), bytes(8), [])
            tx = Transaction(
                [payer], Message.new_with_blockhash([ix], payer.pubkey(), latest.blockhash), latest.blockhash
            )
            return await transport.simulate(tx)

    simulated = run(invoke())
    logs = list(simulated.logs)
    assert simulated.err is not None and f"Program {program.pubkey()} invoke [1]" in logs, logs
    assert any("consumed" in line for line in logs), logs
    assert any("invalid instruction data" in line for line in logs), logs

    # `asdf-dat deploy` upgrades it in place (the payer is the upgrade authority).
    keypair_file = tmp_path / "program.json"
    keypair_file.write_text(json.dumps(list(bytes(program))))
    wallet = tmp_path / "localnet-wallet.json"
    wallet.write_text(json.dumps(list(bytes(payer))))
    wallet.chmod(0o600)
    env = {**os.environ, "RPC_URL": chain.url, "WALLET_PATH": str(wallet)}
    cli = [
        str(Path(sys.executable).parent / "asdf-dat"),
        "deploy",
        "--network",
        "localnet",
        "--program-keypair",
        str(keypair_file),
        "--json",
    ]
    proc = subprocess.run(cli, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    upgraded = json.loads(proc.stdout)
    assert upgraded["action"] == "upgrade" and upgraded["programId"] == str(program.pubkey())
    assert upgraded["chunksWritten"] == upgraded["chunks"]
    # Another wallet is not the upgrade authority: a clear error, nothing sent.
    stranger = tmp_path / "stranger.json"
    stranger.write_text(json.dumps(list(bytes(Keypair()))))
    before = run(chain.account_data(program_data_address(program.pubkey())))
    proc = subprocess.run(
        cli + ["--upgrade-authority", str(stranger)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 1 and "is upgradeable by" in proc.stderr
    assert run(chain.account_data(program_data_address(program.pubkey()))) == before


def test_deploy_refuses_garbage(chain: Chain, tmp_path: Path) -> None:
    async def attempt() -> None:
        async with chain.transport() as transport:
            await deploy_program(
                transport, chain.world.traders[0], b"not an elf", Keypair(), buffer_file=tmp_path / "b.json"
            )

    with pytest.raises(DeployError, match="not an ELF"):
        run(attempt())
    assert not (tmp_path / "b.json").exists()


# ---------------------------------------------------------------------- the fee daemon


def test_daemon_attributes_trades_by_other_wallets_to_the_lamport(
    chain: Chain, make_daemon: Callable[..., Daemon]
) -> None:
    daemon = make_daemon()
    daemon.start()
    wait_for(lambda: daemon.status_code("/ready") == 200, 60, "first poll")
    rng = random.Random(5)
    for token in chain.world.tokens:  # every venue: curve SPL, curve Token-2022, PumpSwap
        chain.trade(rng.choice(chain.world.traders), token, 400_000_000)
    chain.some_trades(rng, 6)
    assert all(chain.expected.get(t.mint, 0) > 0 for t in chain.world.tokens)
    wait_for(chain.converged, 90, "on-chain attribution to match the trades' balance changes")
    assert sum(chain.attributed().values()) == sum(chain.expected.values())
    stats = daemon.get("/stats").json()
    assert stats["ledger"]["consistent"]
    wait_for(lambda: daemon.get("/stats").json()["reconciliation"]["divergence"] == 0, 60, "daemon reconciliation")
    state = chain.state()
    assert state.total_pending_fees == sum(chain.stats(t.mint).pending_fees for t in chain.world.tokens)
    assert state.total_pending_fees == chain.pool_lamports()


def test_daemon_kill_9_and_restart_counts_exactly(chain: Chain, make_daemon: Callable[..., Daemon]) -> None:
    rng = random.Random(17)
    daemon = make_daemon()
    for round_ in range(5):
        daemon.start()
        chain.some_trades(rng, rng.randint(1, 3))
        time.sleep(rng.uniform(0.0, 2.0))
        daemon.kill9()
        if round_ % 2 == 1:
            chain.some_trades(rng, 2)  # while it is down
    daemon.start()
    chain.some_trades(rng, 2)
    wait_for(chain.converged, 120, "exact attribution after restarts")
    assert sum(chain.attributed().values()) == sum(chain.expected.values())
    assert chain.state().total_pending_fees == chain.pool_lamports()


# ---------------------------------------------------------------------- the cycle


def _cli(chain: Chain, script: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("WALLET_PATH", "HELIUS_API_KEY")}
    env.update(RPC_URL=chain.url, DAEMON_URL="http://127.0.0.1:9", COLUMNS="200")
    return subprocess.run([sys.executable, str(SCRIPTS / script), *args], cwd=chain.workdir, env=env,
                          capture_output=True, text=True, timeout=300)


def test_dry_run_then_live_cycle_in_one_v0_transaction(chain: Chain, make_daemon: Callable[..., Daemon]) -> None:
    """Volume to every threshold, the daemon attributes, a dry run says READY, the live cycle
    runs every token in one v0 transaction through a lookup table; per token, pending before
    (+ what the root received) = SOL spent + sent to root + pending after, and once the daemon
    has attributed the cycle's own creator fees, Σ pending = what the vaults hold."""
    rng = random.Random(23)
    volume = {"FROOT": 3 * SOL, "DAT22": 3 * SOL, "DATAMM": 12 * SOL}
    for token in chain.world.tokens:
        for _ in range(2):
            chain.trade(rng.choice(chain.world.traders), token, volume[token.symbol])
    daemon = make_daemon()
    daemon.start()
    wait_for(chain.converged, 120, "attribution before the cycle")
    daemon.sigterm()
    root_file = "localnet-tokens/01-froot.json"
    dry = _cli(chain, "execute-ecosystem-cycle.py", root_file, "--network", "localnet", "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    report = json.loads(dry.stdout)
    assert report["status"] == "READY", report
    before = {t.mint: chain.stats(t.mint) for t in chain.world.tokens}
    state_before = chain.state()
    live = _cli(chain, "execute-ecosystem-cycle.py", root_file, "--network", "localnet", "--json")
    assert live.returncode == 0, live.stdout + live.stderr
    summary = json.loads(live.stdout)
    assert summary["success"] is True
    (tx,) = summary["transactions"]
    assert tx["symbols"] == ["DAT22", "DATAMM", "FROOT"] and tx["ok"]

    async def landed() -> Any:
        async with chain.transport() as transport:
            return await transport.get_transaction(Signature.from_string(tx["signature"]))

    cycle_tx = run(landed())
    assert cycle_tx is not None and cycle_tx.transaction.meta.err is None
    assert cycle_tx.transaction.version == 0
    assert cycle_tx.transaction.transaction.message.address_table_lookups
    fee = cycle_tx.transaction.meta.fee
    assert fee > 5_000  # a real validator charges the priority fee
    after = {t.mint: chain.stats(t.mint) for t in chain.world.tokens}
    to_root = 0
    for token in chain.world.tokens:
        b, a = before[token.mint], after[token.mint]
        spent = a.total_sol_spent - b.total_sol_spent
        sent = a.total_sent_to_root - b.total_sent_to_root
        received = a.total_received_from_others - b.total_received_from_others
        assert a.cycles == b.cycles + 1 and a.total_tokens_burned > b.total_tokens_burned
        assert b.pending_fees + received == spent + sent + a.pending_fees, token.symbol
        to_root += sent
    root = next(t for t in chain.world.tokens if t.is_root)
    assert after[root.mint].total_received_from_others - before[root.mint].total_received_from_others == to_root
    state = chain.state()
    assert state.cycle_id == state_before.cycle_id + 1 and state.consecutive_failures == 0
    # The DAT's own buys paid creator fees into its vaults: the daemon attributes them too.
    daemon.start()
    wait_for(lambda: chain.state().total_pending_fees == chain.pool_lamports(), 120, "Σ pending == vaults")
    assert chain.state().total_pending_fees == sum(chain.stats(t.mint).pending_fees for t in chain.world.tokens)


# ---------------------------------------------------------------------- the command


def test_localnet_validator_command_serves_then_ctrl_c_leaves_nothing_running(tmp_path: Path) -> None:
    """`asdf-dat localnet --validator`: RPC on the port, WebSocket on port + 1, the seed's files;
    SIGINT (Ctrl-C) stops the validator and removes its ledger."""
    import re
    import socket

    if find_validator() is None:
        pytest.fail("solana-test-validator not found: run `make validator`", pytrace=False)
    port = free_port_pair()
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "asdf-dat"),
            "localnet",
            "--validator",
            "--port",
            str(port),
            "--state-dir",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 240
        while not any("Ctrl-C" in line for line in lines):
            line = proc.stdout.readline()
            assert line or proc.poll() is None, "".join(lines)
            lines.append(line)
            assert time.monotonic() < deadline, "".join(lines)
        text = "".join(lines)
        pid = int(re.search(r"\(pid (\d+)\)", text).group(1))  # type: ignore[union-attr]
        ledger = Path(re.search(r"validator log: (\S+)/validator.log", text).group(1))  # type: ignore[union-attr]
        assert f"http://127.0.0.1:{port}" in text and f"ws://127.0.0.1:{port + 1}" in text
        health = httpx.post(
            f"http://127.0.0.1:{port}", json={"jsonrpc": "2.0", "id": 1, "method": "getHealth"}, timeout=10
        )
        assert health.json()["result"] == "ok"
        with socket.create_connection(("127.0.0.1", port + 1), timeout=5):
            pass  # the WebSocket port accepts connections
        assert (tmp_path / "localnet-wallet.json").is_file() and len(
            list((tmp_path / "localnet-tokens").glob("*.json"))
        ) == 3
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=60)
        assert proc.returncode == 0, out
        assert "stopped" in out
        assert not _alive(pid)
        assert not ledger.exists()
        with pytest.raises(httpx.HTTPError):
            httpx.post(f"http://127.0.0.1:{port}", json={"jsonrpc": "2.0", "id": 1, "method": "getHealth"}, timeout=3)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
