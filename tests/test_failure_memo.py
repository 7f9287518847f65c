"""What failed, from the chain: the memo `record_failure` carries (orchestrator/failure_memo.py),
read back by `read_failures` (the `asdf-dat failures` command) on the embedded ledger, for the
three cases: failed in simulation (no signature), landed and failed (its signature), and a
record without our memo (the nearest failed transaction before it)."""

from __future__ import annotations

import asyncio

import pytest
from solders.instruction import Instruction
from solders.keypair import Keypair
from solders.transaction import Transaction, VersionedTransaction

from asdf_dat.cli.history import read_failures
from asdf_dat.dat import instructions as dix
from asdf_dat.orchestrator.executor import RECORD_FAILURE_UNIT_LIMIT, build_transaction
from asdf_dat.orchestrator.failure_memo import (
    MAX_ERROR_CHARS,
    MEMO_PROGRAM_ID,
    PREFIX,
    FailureDetail,
    failure_memo,
    parse_failure_memo,
)
from asdf_dat.sandbox import Sandbox, build_sandbox

pytestmark = pytest.mark.sbf


def test_memo_round_trip_and_foreign_memos_are_ignored() -> None:
    detail = FailureDetail(
        "simulation", None, ("FROOT", "DATS2"), "Error processing Instruction 2: custom program error: 0x1771"
    )
    ix = failure_memo(detail)
    assert ix.program_id == MEMO_PROGRAM_ID and ix.accounts == []
    assert parse_failure_memo(bytes(ix.data).decode()) == detail
    long = failure_memo(FailureDetail("transaction", "5" * 88, ("X",), "e" * 1000))
    parsed = parse_failure_memo(bytes(long.data).decode())
    assert parsed is not None and len(parsed.error) == MAX_ERROR_CHARS
    for foreign in (
        "gm",
        PREFIX + "{",
        PREFIX + "[]",
        PREFIX + '{"stage":"later","signature":null,"tokens":[],"error":""}',
        PREFIX + '{"stage":"simulation","signature":1,"tokens":[],"error":""}',
    ):
        assert parse_failure_memo(foreign) is None


def _send(eco: Sandbox, signer: Keypair, ixs: list[Instruction], *, preflight: bool = True) -> str:
    tx = build_transaction(signer, ixs, eco.ledger.latest_blockhash().blockhash, RECORD_FAILURE_UNIT_LIMIT, 0)
    return str(eco.ledger.send(VersionedTransaction.from_legacy(tx), preflight=preflight))


def test_read_failures_simulation_landed_and_memo_less_records() -> None:
    eco = asyncio.run(build_sandbox(follow_wall_clock=False))
    admin = eco.admin
    # 1. caught in simulation: the memo says so, no failed signature
    simulated = FailureDetail(
        "simulation", None, ("DAT22",), "Error processing Instruction 2: custom program error: 0x1780"
    )
    first = _send(eco, admin, [dix.record_failure(admin.pubkey(), 6016), failure_memo(simulated)])
    # 2. a transaction that touched the state and failed on-chain (a stranger's record_failure,
    #    sent without preflight), then the operator's record naming it in the memo
    stranger = Keypair()
    eco.ledger.airdrop(stranger.pubkey(), 10**9)
    failed = _send(eco, stranger, [dix.record_failure(stranger.pubkey(), 1)], preflight=False)
    landed = FailureDetail(
        "transaction", failed, ("FROOT",), "Error processing Instruction 2: custom program error: 0x1771"
    )
    second = _send(eco, admin, [dix.record_failure(admin.pubkey(), 6001), failure_memo(landed)])
    # 3. another failed transaction, then a record without a memo (another client's)
    other_failed = _send(eco, stranger, [dix.record_failure(stranger.pubkey(), 2)], preflight=False)
    third = _send(eco, admin, [dix.record_failure(admin.pubkey(), 6002)])

    found = asyncio.run(read_failures(eco.transport, limit=10))
    assert [f.record_signature for f in found] == [third, second, first]
    assert [f.consecutive_failures for f in found] == [3, 2, 1]
    assert [f.error_code for f in found] == [6002, 6001, 6016]
    newest, middle, oldest = found
    assert (oldest.failed_in, oldest.failed_signature, oldest.tokens) == ("simulation", None, ["DAT22"])
    assert oldest.error == simulated.error
    assert (middle.failed_in, middle.failed_signature, middle.tokens) == ("transaction", failed, ["FROOT"])
    assert (newest.failed_in, newest.failed_signature, newest.tokens, newest.error) == (
        "unknown",
        other_failed,
        [],
        None,
    )
    assert asyncio.run(read_failures(eco.transport, limit=1)) == [newest]


def test_record_failure_with_memo_fits_its_unit_limit() -> None:
    """The worst memo (16 tokens, the longest error) stays within RECORD_FAILURE_UNIT_LIMIT."""
    eco = asyncio.run(build_sandbox(follow_wall_clock=False))
    admin = eco.admin
    worst = FailureDetail("transaction", "5" * 88, tuple(f"TOKEN{i:03d}" for i in range(16)), "e" * MAX_ERROR_CHARS)
    tx: Transaction = build_transaction(admin, [dix.record_failure(admin.pubkey(), 1), failure_memo(worst)],
                                        eco.ledger.latest_blockhash().blockhash, RECORD_FAILURE_UNIT_LIMIT, 0)
    outcome = eco.ledger.simulate(VersionedTransaction.from_legacy(tx))
    assert outcome.err is None, outcome.logs
    assert outcome.units_consumed < RECORD_FAILURE_UNIT_LIMIT * 0.75, outcome.units_consumed
    assert len(bytes(tx)) <= 1232
