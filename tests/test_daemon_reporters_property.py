"""Property (hypothesis): two fee daemons on two working directories, interleaved at random with
trades, polls, concurrent flushes, crashes and restarts from a kept, lost, or restored older
ledger (its -wal lost), against the compiled program (LiteSVM behind the localnet endpoint).
Whatever the interleaving: attributed never exceeds the creator fees of the trades, and once
both have caught up Σ attributed == Σ creator fees, to the lamport. A donation sits in the vault
so that the program's "Σ pending ≤ held" check cannot hide a double count."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from solders.pubkey import Pubkey
from solders.system_program import TransferParams, transfer

from asdf_dat.daemon.config import DaemonConfig
from asdf_dat.daemon.service import FeeDaemon
from asdf_dat.dat.pdas import authority_address
from asdf_dat.network.rpc_transport import RpcTransport
from asdf_dat.pump import addresses as paddr
from asdf_dat.sandbox import Sandbox

pytestmark = pytest.mark.sbf

LEDGER = ".daemon-ledger.sqlite3"

action = st.one_of(
    st.tuples(st.just("trade"), st.integers(1, 4)),
    st.tuples(st.just("tick"), st.integers(0, 1)),
    st.tuples(st.just("flush"), st.integers(0, 1)),
    st.tuples(st.just("both"), st.just(0)),  # both flush concurrently: their reports race
    st.tuples(st.just("snapshot"), st.integers(0, 1)),
    st.tuples(st.sampled_from(["restart", "fresh", "restore"]), st.integers(0, 1)),
)


class Reporter:
    """One daemon in-process, restartable (a crash: no final flush, the ledger as committed)."""

    def __init__(self, sim: Sandbox, workdir: Path) -> None:
        self.sim = sim
        self.workdir = workdir
        self.snapshot = workdir / "ledger-snapshot.sqlite3"
        self.daemon: FeeDaemon | None = None
        self.transport: RpcTransport | None = None

    async def open(self) -> FeeDaemon:
        config = DaemonConfig.from_env("localnet", workdir=self.workdir, env={}, api_enabled=False,
                                       flush_interval_seconds=300)
        self.transport = RpcTransport([self.sim.url])
        self.daemon = FeeDaemon(config, self.transport, self.sim.keeper)
        self.daemon.open()
        await self.daemon.prepare()
        return self.daemon

    async def crash(self) -> None:
        import os

        assert self.daemon is not None and self.daemon.ledger is not None and self.transport is not None
        self.daemon.ledger.close()
        fd, self.daemon.lock._fd = self.daemon.lock._fd, None
        if fd is not None:
            os.close(fd)
        await self.transport.close()
        self.daemon = None

    async def restart(self, mode: str) -> None:
        await self.crash()
        ledger = self.workdir / LEDGER
        if mode in ("fresh", "restore"):
            for suffix in ("", "-wal", "-shm"):
                Path(str(ledger) + suffix).unlink(missing_ok=True)
        if mode == "restore" and self.snapshot.exists():
            shutil.copyfile(self.snapshot, ledger)
        await self.open()


def truth(sim: Sandbox, signature: object, expected: dict[Pubkey, int]) -> None:
    if signature is None:
        return
    for mint, amount in sim.creator_fees(signature).items():  # type: ignore[arg-type]
        expected[mint] = expected.get(mint, 0) + amount


def attributed(sim: Sandbox) -> dict[Pubkey, int]:
    return {t.mint: sim.stats(t.mint).total_sol_attributed for t in sim.tokens}


@example(  # a restored older ledger (its -wal lost) and a concurrent second reporter
    actions=[("trade", 3), ("tick", 0), ("flush", 0), ("snapshot", 0), ("trade", 2), ("both", 0), ("trade", 2),
             ("tick", 0), ("flush", 0), ("restore", 0), ("trade", 1), ("both", 0), ("fresh", 1), ("both", 0)],
    seed=1,
)
@settings(
    max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate]
)
@given(actions=st.lists(action, min_size=8, max_size=22), seed=st.integers(0, 2**16))
def test_two_reporters_restarts_and_restored_ledgers_attribute_each_trade_once(
    tmp_path_factory: pytest.TempPathFactory, actions: list[tuple[str, int]], seed: int
) -> None:
    import random

    base = tmp_path_factory.mktemp("prop")
    sim = Sandbox.create(base / "a", 3)
    sim.start()
    other = base / "b"
    other.mkdir()
    shutil.copytree(sim.directory / "localnet-tokens", other / "localnet-tokens")
    shutil.copyfile(sim.directory / "localnet-wallet.json", other / "localnet-wallet.json")
    vault = paddr.creator_vault(authority_address())
    sim.send([transfer(TransferParams(from_pubkey=sim.trader.pubkey(), to_pubkey=vault, lamports=500_000_000))],
             sim.trader)
    rng = random.Random(seed)
    expected: dict[Pubkey, int] = {}

    def trade(count: int) -> None:
        for _ in range(count):
            token = rng.choice(sim.tokens)
            if rng.random() < 0.65:
                truth(sim, sim.buy(token, rng.randint(10_000_000, 300_000_000)), expected)
            else:
                truth(sim, sim.sell(token, rng.uniform(0.1, 0.9)), expected)

    async def main() -> None:
        reporters = [Reporter(sim, sim.directory), Reporter(sim, other)]
        for r in reporters:
            await r.open()
        try:
            for kind, who in actions:
                r = reporters[who % 2]
                if kind == "trade":
                    trade(who)
                elif kind == "tick":
                    assert r.daemon is not None
                    await r.daemon.tick(allow_flush=False)
                elif kind == "flush":
                    assert r.daemon is not None
                    await r.daemon.flush_now("property")
                elif kind == "both":
                    for each in reporters:
                        assert each.daemon is not None
                        await each.daemon.tick(allow_flush=False)
                    await asyncio.gather(*(each.daemon.flush_now("race") for each in reporters if each.daemon))
                elif kind == "snapshot":
                    shutil.copyfile(r.workdir / LEDGER, r.snapshot)  # the main file only: as if -wal were lost
                else:
                    await r.restart(kind)
                got = attributed(sim)
                for mint, amount in got.items():
                    assert amount <= expected.get(mint, 0), (
                        f"{kind}: {mint} attributed {amount} > {expected.get(mint, 0)}"
                    )
            trade(2)
            for _ in range(4):
                for each in reporters:
                    assert each.daemon is not None
                    await each.daemon.tick(allow_flush=False)
                    await each.daemon.flush_now("catch up")
            got = attributed(sim)
            assert got == {t.mint: expected.get(t.mint, 0) for t in sim.tokens}
            assert sum(got.values()) == sum(expected.values())
        finally:
            for each in reporters:
                if each.daemon is not None:
                    await each.crash()

    try:
        asyncio.run(main())
    finally:
        sim.stop()
