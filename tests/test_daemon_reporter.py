"""Detection and reporting in-process against the localnet endpoint over HTTP, with crashes at
exact points of a report's life (after signing and recording, after sending, before the ledger
learns the outcome) and expiry."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from solders.pubkey import Pubkey

from asdf_dat.daemon.config import DaemonConfig
from asdf_dat.daemon.detector import credits_of
from asdf_dat.daemon.ledger import ReportItem
from asdf_dat.daemon.service import FeeDaemon
from asdf_dat.network.results import RpcResponseError, TransactionFailedError, account_keys
from asdf_dat.network.rpc_transport import RpcTransport
from asdf_dat.sandbox import Sandbox

pytestmark = pytest.mark.sbf


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[Sandbox]:
    world = Sandbox.create(tmp_path / "work", 4)
    world.start()
    yield world
    world.stop()


def trade_all(sim: Sandbox, expected: dict[Pubkey, int], *, lookup_table: bool = False) -> None:
    for token in sim.tokens:
        for signature in (sim.buy(token, 200_000_000, lookup_table=lookup_table), sim.sell(token, 0.5)):
            if signature is None:
                continue
            for mint, amount in sim.creator_fees(signature).items():
                expected[mint] = expected.get(mint, 0) + amount


async def open_daemon(sim: Sandbox) -> tuple[FeeDaemon, RpcTransport]:
    config = DaemonConfig.from_env(
        "localnet", workdir=sim.workdir, env={}, api_enabled=False, flush_interval_seconds=300
    )
    transport = RpcTransport([sim.url])
    daemon = FeeDaemon(config, transport, sim.keeper)
    daemon.open()
    await daemon.prepare()
    return daemon, transport


async def crash(daemon: FeeDaemon, transport: RpcTransport) -> None:
    """Die without any cleanup (the ledger's last commit is all that survives)."""
    assert daemon.ledger is not None
    daemon.ledger.close()
    fd = daemon.lock._fd
    daemon.lock._fd = None
    if fd is not None:
        import os

        os.close(fd)
    await transport.close()


async def close(daemon: FeeDaemon, transport: RpcTransport) -> None:
    await daemon.shutdown()
    await transport.close()


def attributed(sim: Sandbox) -> dict[Pubkey, int]:
    return {
        t.mint: sim.stats(t.mint).total_sol_attributed for t in sim.tokens if sim.stats(t.mint).total_sol_attributed
    }


async def record_one_report(daemon: FeeDaemon) -> bytes:
    """What `Reporter.flush` does up to (not including) sending: sign and persist."""
    reporter, ledger = daemon.reporter, daemon.ledger
    assert reporter is not None and ledger is not None
    batches = reporter.plan(ledger.mint_states(), daemon.reportable())
    latest = await daemon.transport.get_latest_blockhash()
    tx = reporter.sign(batches[0], latest.blockhash)
    ledger.record_report(str(tx.signatures[0]), bytes(tx), latest.last_valid_block_height,
                         [ReportItem(str(i.mint), i.amount, i.watermark_slot, i.watermark_seq) for i in batches[0]])
    return bytes(tx)


def test_detects_both_vaults_and_lookup_table_trades(sim: Sandbox) -> None:
    expected: dict[Pubkey, int] = {}
    trade_all(sim, expected, lookup_table=True)

    async def main() -> None:
        daemon, transport = await open_daemon(sim)
        await daemon.tick()
        await daemon.flush_now("test")
        assert attributed(sim) == expected
        assert daemon.ledger is not None and daemon.ledger.audit().consistent
        await close(daemon, transport)

    asyncio.run(main())


def test_crash_after_recording_before_sending(sim: Sandbox) -> None:
    expected: dict[Pubkey, int] = {}
    trade_all(sim, expected)

    async def main() -> None:
        daemon, transport = await open_daemon(sim)
        await daemon.tick()  # detect only (flush interval is long) -- the first tick flushes once
        assert daemon.ledger is not None
        trade_all(sim, expected)
        await daemon.tick(allow_flush=False)
        await record_one_report(daemon)
        await crash(daemon, transport)
        # Restart: the recorded, never-sent report is re-sent with the same bytes, lands once.
        daemon, transport = await open_daemon(sim)
        for _ in range(3):
            await daemon.flush_now("test")
        assert attributed(sim) == expected
        assert daemon.ledger is not None and daemon.ledger.reports("inflight") == []
        await close(daemon, transport)

    asyncio.run(main())


def test_crash_after_sending_before_confirmation(sim: Sandbox) -> None:
    expected: dict[Pubkey, int] = {}

    async def main() -> None:
        daemon, transport = await open_daemon(sim)
        trade_all(sim, expected)
        await daemon.tick(allow_flush=False)
        raw = await record_one_report(daemon)
        await transport.send_raw_transaction(raw)  # lands; the daemon never hears back
        await crash(daemon, transport)
        trade_all(sim, expected)  # more fees while it is down
        daemon, transport = await open_daemon(sim)  # resolves the landed report
        await daemon.tick()
        await daemon.flush_now("test")
        assert attributed(sim) == expected
        assert daemon.ledger is not None
        assert daemon.ledger.audit().consistent and daemon.ledger.audit().inflight == 0
        await close(daemon, transport)

    asyncio.run(main())


def test_expired_report_is_rebuilt_once(sim: Sandbox) -> None:
    expected: dict[Pubkey, int] = {}

    async def main() -> None:
        daemon, transport = await open_daemon(sim)
        trade_all(sim, expected)
        await daemon.tick(allow_flush=False)
        await record_one_report(daemon)
        await crash(daemon, transport)
        # 160 slots pass (more than the blockhash window): the recorded report can never land.
        for _ in range(20):
            trade_all(sim, expected)
        daemon, transport = await open_daemon(sim)
        assert daemon.ledger is not None
        released = [r for r in daemon.ledger.reports("released")]
        assert len(released) == 1 and "expired" in (daemon.ledger._db.execute(
            "SELECT note FROM reports WHERE signature = ?", (released[0].signature,)).fetchone()[0])
        await daemon.tick()
        await daemon.flush_now("test")
        assert attributed(sim) == expected
        # The expired bytes, if someone re-sent them now, are refused: nothing double counts.
        with pytest.raises((TransactionFailedError, RpcResponseError)):
            await transport.send_raw_transaction(released[0].raw)
        assert attributed(sim) == expected
        await close(daemon, transport)

    asyncio.run(main())


def test_replayed_report_bytes_never_count_twice(sim: Sandbox) -> None:
    expected: dict[Pubkey, int] = {}

    async def main() -> None:
        daemon, transport = await open_daemon(sim)
        trade_all(sim, expected)
        await daemon.tick()
        await daemon.flush_now("test")
        assert daemon.ledger is not None
        landed = daemon.ledger.reports("landed")
        assert landed
        for report in landed:
            await transport.send_raw_transaction(report.raw, skip_preflight=True)
        await asyncio.sleep(0.2)
        assert attributed(sim) == expected
        await close(daemon, transport)

    asyncio.run(main())


def test_transaction_parsing_uses_loaded_addresses(sim: Sandbox) -> None:
    token = sim.tokens[1]
    signature = sim.buy(token, 100_000_000, lookup_table=True)

    async def main() -> None:
        transport = RpcTransport([sim.url])
        tx = await transport.get_transaction(signature)
        assert tx is not None
        keys = account_keys(tx)
        meta = tx.transaction.meta
        assert meta is not None and meta.loaded_addresses is not None and meta.loaded_addresses.writable
        assert len(keys) > len(tx.transaction.transaction.message.account_keys)  # type: ignore[union-attr]
        from asdf_dat.daemon.detector import Attribution
        from asdf_dat.dat.pdas import authority_address

        credits = credits_of(tx, Attribution(authority_address(), {}))
        assert credits["bc"] == {str(token.mint): sim.creator_fees(signature)[token.mint]}
        await transport.close()

    asyncio.run(main())


def test_lost_ledger_is_rebuilt_from_the_chain_watermarks(sim: Sandbox) -> None:
    expected: dict[Pubkey, int] = {}

    async def main() -> None:
        daemon, transport = await open_daemon(sim)
        trade_all(sim, expected)
        await daemon.tick()
        await daemon.flush_now("test")
        assert attributed(sim) == expected
        trade_all(sim, expected)
        await daemon.tick(allow_flush=False)  # credited, not yet reported
        await crash(daemon, transport)
        for name in (".daemon-ledger.sqlite3", ".daemon-ledger.sqlite3-wal", ".daemon-ledger.sqlite3-shm",
                     ".daemon-state.json", ".daemon-state.backup.json"):
            (sim.directory / name).unlink(missing_ok=True)
        trade_all(sim, expected)
        daemon, transport = await open_daemon(sim)  # a new ledger: floors from the watermarks
        await daemon.tick()
        await daemon.flush_now("test")
        assert attributed(sim) == expected
        await close(daemon, transport)

    asyncio.run(main())


def test_watermark_moved_by_another_keeper_is_rebased_and_nothing_counts_twice(sim: Sandbox) -> None:
    from solders.message import Message
    from solders.transaction import VersionedTransaction

    from asdf_dat.dat import instructions as dix
    from asdf_dat.dat.errors import StaleWatermark, custom_error_code

    expected: dict[Pubkey, int] = {}

    async def main() -> None:
        daemon, transport = await open_daemon(sim)
        trade_all(sim, expected)
        await daemon.tick(allow_flush=False)
        # Another keeper (the admin) attributes one token's trades so far, up to the end of this slot.
        mint = sim.tokens[0].mint
        ix = dix.update_pending_fees(
            sim.admin.pubkey(), [dix.FeeReport(mint, expected[mint], sim.ledger.slot, 2**63 - 1)]
        )
        blockhash = sim.ledger.latest_blockhash().blockhash
        sim.ledger.send(
            VersionedTransaction(Message.new_with_blockhash([ix], sim.admin.pubkey(), blockhash), [sim.admin])
        )
        # A report of ours built on the old view is refused by the program (compare-and-swap) ...
        assert daemon.reporter is not None and daemon.ledger is not None
        stale = daemon.reporter.plan(daemon.ledger.mint_states(), {str(mint)}, None)
        latest = await transport.get_latest_blockhash()
        tx = daemon.reporter.sign(stale[0], latest.blockhash)
        simulated = await transport.simulate(tx)
        assert not simulated.ok and custom_error_code(simulated.err) == StaleWatermark.code
        # ... and the daemon re-reads the watermark and reports only the other tokens' trades.
        first = await daemon.flush_now("test")
        assert first.success, first
        assert str(mint) not in {d.mint for d in first.details}
        assert attributed(sim) == expected
        trade_all(sim, expected)  # and goes on from the chain's watermark
        await daemon.tick(allow_flush=False)
        assert (await daemon.flush_now("test")).success
        assert attributed(sim) == expected
        assert daemon.ledger.audit().consistent
        await close(daemon, transport)

    asyncio.run(main())


def test_account_decoding_follows_the_generated_client_and_refuses_drift(sim: Sandbox) -> None:
    from asdf_dat.dat.accounts import AccountDecodeError, decode_dat_state, decode_token_stats, token_watermark
    from asdf_dat.dat.pdas import state_address, token_stats_address

    state = sim.ledger.get_account(state_address())
    stats = sim.ledger.get_account(token_stats_address(sim.tokens[0].mint))
    assert state is not None and stats is not None
    view = decode_dat_state(bytes(state.data))
    assert view.keeper == sim.keeper.pubkey() and view.is_active and view.root_mint == sim.tokens[0].mint
    token = decode_token_stats(bytes(stats.data))
    assert token.mint == sim.tokens[0].mint and token.is_root and token_watermark(token) == (0, 0)
    with pytest.raises(AccountDecodeError, match="out of sync"):
        decode_token_stats(bytes(stats.data)[:-8])
    with pytest.raises(AccountDecodeError):
        decode_dat_state(bytes(stats.data))
