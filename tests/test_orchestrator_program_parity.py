"""The planner against the program: random pending fees, caps and treasuries; every token's
instruction is sent in the planner's order and the program's events must be what the planner
said (executed with the same allocation, root share and treasury, or deferred for the same reason)."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from solders.instruction import Instruction
from solders.keypair import Keypair
from solders.message import Message
from solders.signature import Signature
from solders.transaction import Transaction, VersionedTransaction

from asdf_dat.config.ecosystem import load_ecosystem
from asdf_dat.dat import instructions as dix
from asdf_dat.dat.cycle import TokenAction
from asdf_dat.dat.events import decode_events, events_of_type
from asdf_dat.dat.pdas import authority_address
from asdf_dat.dat.price_reference import record_price_references
from asdf_dat.generated.types import CycleCompleted, CycleDeferred
from asdf_dat.network.embedded_transport import EmbeddedTransport
from asdf_dat.orchestrator.executor import build_token_instruction, read_snapshot
from asdf_dat.pump import addresses as paddr
from test_orchestrator_runbooks import RENT_EXEMPT_ZERO, World, make_world

pytestmark = pytest.mark.sbf

REASON = {TokenAction.DEFER_MIN_FEES: 1, TokenAction.DEFER_MIN_ALLOCATION: 2}


def _setup(w: World, pendings: dict[str, int], cap: int, min_fees: int) -> None:
    auth = authority_address()
    admin = w.admin.pubkey()
    for tok in w.tokens.values():
        w.send(
            [
                dix.register_token(
                    admin, tok.mint, token_program=tok.token_program, pool=tok.pool, pool_type=int(tok.amm)
                )
            ]
        )
    w.send([dix.set_root_token(admin, w.tokens["FROOT"].mint)])
    w.send([dix.update_parameters(admin, dix.DatParameters(
        min_fees_per_token=min_fees, max_fees_per_cycle=cap, min_allocation_secondary=5_690_000,
        min_allocation_root=2_000_000, slippage_bps=500, min_cycle_interval_secs=60,
        fee_split_timelock_secs=3600,
    ))])
    bc = sum(p for s, p in pendings.items() if not w.tokens[s].amm)
    amm = sum(p for s, p in pendings.items() if w.tokens[s].amm)
    w.ledger.airdrop(paddr.creator_vault(auth), bc + RENT_EXEMPT_ZERO)
    w.pump.inject_wsol_account(paddr.coin_creator_vault_authority(auth), amm)
    reports = [dix.FeeReport(w.tokens[s].mint, p, w.ledger.slot, 1) for s, p in pendings.items() if p > 0]
    if reports:
        w.send([dix.update_pending_fees(admin, reports)])


def _send_logged(w: World, ixs: list[Instruction], payer: Keypair) -> list[str]:
    blockhash = w.ledger.latest_blockhash().blockhash
    tx = Transaction(
        [payer],
        Message.new_with_blockhash([*dix.compute_budget(400_000, 0), *ixs], payer.pubkey(), blockhash),
        blockhash,
    )
    sig: Signature = w.ledger.send(VersionedTransaction.from_bytes(bytes(tx)))
    record = w.ledger.transaction(sig)
    assert record is not None and record.err is None, record
    return list(record.logs)


async def _check(w: World) -> None:
    transport = EmbeddedTransport(w.ledger)
    ecosystem = load_ecosystem(
        w.tokens["FROOT"].file, __import__("asdf_dat.network.config", fromlist=["Network"]).Network.LOCALNET
    )
    snapshot = await read_snapshot(transport, ecosystem)
    plan = snapshot.plan()
    # The executor's first step: price references from an earlier slot (they bound every cycle).
    await record_price_references(transport, w.admin, [s for s in snapshot.stats if s is not None])
    for token_plan in plan.tokens:
        item = await build_token_instruction(transport, w.admin.pubkey(), snapshot, token_plan)
        events = decode_events(_send_logged(w, [item.instruction], w.admin))
        done = events_of_type(events, CycleCompleted)
        deferred = events_of_type(events, CycleDeferred)
        symbol = token_plan.token.symbol
        if token_plan.will_process:
            assert len(done) == 1, (symbol, token_plan, events)
            (c,) = done
            assert (c.allocation, c.sent_to_root, c.treasury_used) == (
                token_plan.allocation, token_plan.to_root, token_plan.treasury_used), (symbol, token_plan, c)
        else:
            assert len(deferred) == 1 and not done, (symbol, token_plan, events)
            (d,) = deferred
            assert d.reason == REASON[token_plan.action] and d.allocation == token_plan.allocation, (
                symbol,
                token_plan,
                d,
            )
    after = await read_snapshot(transport, ecosystem)
    assert after.state.cycle_fees_taken == plan.state_after.cycle_fees_taken
    assert after.root_funds_lamports == plan.state_after.root_funds_lamports


pending = st.one_of(st.just(0), st.integers(1_000_000, 12_000_000), st.integers(12_000_000, 60_000_000))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    froot=pending, dats2=pending, datm=pending,
    cap=st.sampled_from([10_000_000, 20_000_000, 45_000_000, 1_000_000_000]),
    min_fees=st.sampled_from([1_000_000, 6_000_000]),
)
def test_planner_matches_program(froot: int, dats2: int, datm: int, cap: int, min_fees: int) -> None:
    w = make_world(Path(tempfile.mkdtemp(prefix="parity-")), serve=False)
    _setup(w, {"FROOT": froot, "DATS2": dats2, "DATM": datm}, cap, min_fees)
    asyncio.run(_check(w))
