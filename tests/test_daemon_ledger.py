"""The daemon's SQLite ledger: exactly-once credits, atomic cursor moves, reports that survive a
kill -9 at any point."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from asdf_dat.daemon.ledger import DuplicateReportError, Ledger, LedgerError, ProcessedTx, ReportItem, trade_watermark

MINTS = ["MintA", "MintB", "MintC"]


def tx(i: int, mint: str | None = None, amount: int | None = None) -> ProcessedTx:
    m = mint or MINTS[i % 3]
    return ProcessedTx(f"sig{i}", slot=100 + i, credits={m: amount if amount is not None else i + 1})


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    led = Ledger.open(tmp_path / "ledger.sqlite3")
    yield led
    led.close()


def test_credits_and_cursor_move_together(ledger: Ledger) -> None:
    added = ledger.apply("vaultA", [tx(0), tx(1), tx(2)], set(MINTS))
    assert added == 1 + 2 + 3
    cursor = ledger.cursor("vaultA")
    assert cursor is not None and cursor.signature == "sig2" and cursor.slot == 102
    states = ledger.mint_states()
    assert states["MintA"].pending == 1 and states["MintB"].pending == 2 and states["MintC"].pending == 3
    assert ledger.audit().consistent


def test_same_credit_twice_counts_once(ledger: Ledger) -> None:
    ledger.apply("vaultA", [tx(0)], set(MINTS))
    assert ledger.apply("vaultA", [tx(0)], set(MINTS)) == 0
    assert ledger.mint_states()["MintA"].pending == 1
    # The same signature in the other vault is a different credit (its own fee).
    assert ledger.apply("vaultB", [tx(0)], set(MINTS)) == 1
    assert ledger.audit().credits == 2


def test_failed_transactions_move_the_cursor_but_credit_nothing(ledger: Ledger) -> None:
    ledger.apply("v", [ProcessedTx("bad", 5, failed=True, credits={"MintA": 99})], set(MINTS))
    assert ledger.cursor("v").signature == "bad"  # type: ignore[union-attr]
    assert ledger.audit().credited == 0


def test_orphans_are_adopted_when_the_token_appears(ledger: Ledger) -> None:
    ledger.apply("v", [tx(0, "NewMint", 10), tx(1, "pool:PoolX", 5)], set(MINTS))
    assert ledger.audit().orphaned == 15
    assert ledger.adopt_orphans("NewMint", ["pool:PoolX"]) == 15
    assert ledger.mint_states()["NewMint"].pending == 15
    assert ledger.audit().orphaned == 0 and ledger.audit().consistent
    assert ledger.adopt_orphans("NewMint", ["pool:PoolX"]) == 0


def test_credits_at_or_before_the_chain_watermark_are_not_pending(ledger: Ledger) -> None:
    ledger.rebase("MintA", trade_watermark(101, "sig1"))  # a new ledger starts at the chain's watermark
    ledger.apply("v", [tx(0, "MintA", 7), tx(1, "MintA", 8), tx(2, "MintA", 9)], set(MINTS))
    assert ledger.mint_states()["MintA"].pending == 9
    assert ledger.audit().consistent


def test_rebase_recomputes_pending_from_the_credits_after_the_chain_watermark(ledger: Ledger) -> None:
    ledger.apply("v", [tx(i, "MintA", 10 * (i + 1)) for i in range(4)], set(MINTS))  # 10+20+30+40
    assert ledger.mint_states()["MintA"].pending == 100
    # Another reporter attributed the first two trades: only the last two stay pending.
    assert ledger.rebase("MintA", trade_watermark(101, "sig1")) == -30
    state = ledger.mint_states()["MintA"]
    assert state.pending == 70 and state.total_reported == 30 and state.reported == trade_watermark(101, "sig1")
    span = ledger.report_range("MintA")
    assert span is not None and span.amount == 70 and span.previous == trade_watermark(101, "sig1")
    assert span.new == trade_watermark(103, "sig3")
    # Bounded by the slot every vault was scanned through.
    partial = ledger.report_range("MintA", up_to_slot=102)
    assert partial is not None and partial.amount == 30 and partial.new == trade_watermark(102, "sig2")
    # Going back (a chain that says less was attributed) brings the credits back.
    assert ledger.rebase("MintA", (0, 0)) == 30
    assert ledger.mint_states()["MintA"].pending == 100
    assert ledger.audit().consistent
    # Refused while a report of the mint is in flight.
    span = ledger.report_range("MintA")
    assert span is not None
    ledger.record_report("rep", b"raw", 1, [ReportItem("MintA", span.amount, *span.new)])
    assert ledger.rebase("MintA", (500, 1)) is None


def test_the_same_signed_report_is_recorded_once(ledger: Ledger) -> None:
    ledger.apply("v", [tx(0, "MintA", 10)], set(MINTS))
    ledger.record_report("rep", b"raw", 1, [ReportItem("MintA", 10, 100, 1)])
    ledger.release("rep", "refused")
    with pytest.raises(DuplicateReportError):
        ledger.record_report("rep", b"raw", 1, [ReportItem("MintA", 10, 100, 1)])
    assert ledger.mint_states()["MintA"].pending == 10


def test_report_lifecycle_and_fees_seen_meanwhile_survive(ledger: Ledger) -> None:
    ledger.apply("v", [tx(0, "MintA", 100)], set(MINTS))
    slot, seq = trade_watermark(100, "sig0")
    ledger.record_report("rep1", b"raw", 50, [ReportItem("MintA", 100, slot, seq)])
    assert ledger.mint_states()["MintA"].pending == 0
    assert ledger.mint_states()["MintA"].inflight == 100
    # A second report for the same mint while one is in flight is refused.
    ledger.apply("v", [tx(1, "MintA", 40)], set(MINTS))
    with pytest.raises(LedgerError):
        ledger.record_report("rep2", b"raw", 50, [ReportItem("MintA", 40, slot, seq + 1)])
    # Released: the amount comes back, and the 40 credited meanwhile is still there.
    assert ledger.release("rep1", "expired")
    assert ledger.mint_states()["MintA"].pending == 140
    assert not ledger.release("rep1", "again")  # idempotent
    span = ledger.report_range("MintA")
    assert span is not None and span.amount == 140
    ledger.record_report("rep3", b"raw", 60, [ReportItem("MintA", 140, *span.new)])
    ledger.apply("v", [tx(2, "MintA", 5)], set(MINTS))
    assert ledger.mark_landed("rep3")
    assert not ledger.mark_landed("rep3")
    final = ledger.mint_states()["MintA"]
    assert final.pending == 5 and final.total_reported == 140 and final.inflight == 0
    assert final.reported == span.new
    assert ledger.audit().consistent


def test_report_cannot_exceed_pending(ledger: Ledger) -> None:
    ledger.apply("v", [tx(0, "MintA", 10)], set(MINTS))
    with pytest.raises(LedgerError):
        ledger.record_report("rep", b"raw", 1, [ReportItem("MintA", 11, 1, 1)])
    assert ledger.reports(None) == []  # the whole report was rolled back
    assert ledger.mint_states()["MintA"].pending == 10


def test_watermark_names_the_trade_and_advances_with_every_credit(ledger: Ledger) -> None:
    ledger.apply("v", [tx(0, "MintA", 1)], set(MINTS))
    first = ledger.report_range("MintA")
    ledger.apply("v", [tx(1, "MintA", 1)], set(MINTS))
    second = ledger.report_range("MintA")
    assert first is not None and second is not None and second.new > first.new
    assert first.new == trade_watermark(100, "sig0") and second.new == trade_watermark(101, "sig1")


def test_ledger_is_bound_to_network_and_program(tmp_path: Path) -> None:
    led = Ledger.open(tmp_path / "l.sqlite3")
    led.bind("localnet", "Prog")
    led.close()
    led = Ledger.open(tmp_path / "l.sqlite3")
    with pytest.raises(LedgerError):
        led.bind("devnet", "Prog")
    led.close()


# ---------------------------------------------------------------------- kill -9

_CHILD = textwrap.dedent(
    """
    import random, sys
    from pathlib import Path
    from asdf_dat.daemon.ledger import Ledger, ProcessedTx, ReportItem
    MINTS = ["MintA", "MintB", "MintC"]
    path, total, seed = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(seed)
    led = Ledger.open(path)
    cursor = led.cursor("vault")
    start = 0 if cursor is None else int(cursor.signature[3:]) + 1
    for r in led.reports("inflight"):
        (led.mark_landed if rng.random() < 0.5 else led.release)(r.signature, "recovered")
    i = start
    print("ready", flush=True)
    while i < total:
        n = rng.randint(1, 4)
        batch = [ProcessedTx(f"sig{j}", 100 + j, credits={MINTS[j % 3]: j + 1}) for j in range(i, min(total, i + n))]
        led.apply("vault", batch, set(MINTS))
        i += len(batch)
        if rng.random() < 0.3:
            states = led.mint_states()
            mint = rng.choice(MINTS)
            s = states.get(mint)
            span = led.report_range(mint)
            if s is not None and s.pending > 0 and s.inflight == 0 and span is not None:
                sig = f"rep{i}-{mint}"
                led.record_report(sig, b"tx", 10, [ReportItem(mint, span.amount, *span.new)])
                if rng.random() < 0.7:
                    (led.mark_landed if rng.random() < 0.8 else led.release)(sig, "done")
    print("done", flush=True)
    """
)


def test_kill_9_at_random_points_loses_nothing_and_counts_nothing_twice(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    total = 400
    rng = random.Random(1234)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "sdk")}
    kills = 0
    for round_ in range(40):
        child = subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(path), str(total), str(round_)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.05))
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
            kills += 1
        child.wait()
        led = Ledger.open(path)
        audit = led.audit()
        cursor = led.cursor("vault")
        done = -1 if cursor is None else int(cursor.signature[3:])
        # Exactly the transactions up to the cursor are credited, each once.
        assert audit.credited == sum(j + 1 for j in range(done + 1)), (round_, done, audit)
        assert audit.consistent, audit
        led.close()
        if done == total - 1:
            break
    assert kills > 0
    # Finish the run, resolve every report, and check the grand total.
    subprocess.run([sys.executable, "-c", _CHILD, str(path), str(total), "999"], check=True, env=env,
                   capture_output=True)
    led = Ledger.open(path)
    for report in led.reports("inflight"):
        led.mark_landed(report.signature)
    audit = led.audit()
    assert audit.credited == sum(j + 1 for j in range(total))
    assert audit.pending + audit.reported == audit.credited and audit.inflight == 0
    led.close()


def test_damaged_ledger_is_refused_not_replaced(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(LedgerError, match="move it aside"):
        Ledger.open(path)
    assert path.read_bytes().startswith(b"this is not a database")
