"""SDK readers and `DatClient` on the embedded ecosystem: decoding, batching; a cycle through the
one cycle path (`orchestrator.executor`)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from solders.account import Account
from solders.keypair import Keypair
from solders.pubkey import Pubkey
from solders.signature import Signature

from asdf_dat.dat import accounts as acc
from asdf_dat.dat.client import DatClient, program_compute_units
from asdf_dat.dat.events import decode_events, events_of_type
from asdf_dat.dat.pdas import state_address
from asdf_dat.embedded import new_svm
from asdf_dat.generated.accounts import TokenStats
from asdf_dat.generated.types import CycleCompleted, PendingFeesUpdated
from asdf_dat.network.embedded_transport import EmbeddedTransport
from asdf_dat.orchestrator.executor import dry_run, execute
from asdf_dat.sandbox import LAMPORTS_PER_SOL, Sandbox, build_sandbox, fee_reports

pytestmark = pytest.mark.sbf


class CountingTransport(EmbeddedTransport):
    """Counts account reads, to check that "all stats" is one getMultipleAccounts."""

    def __init__(self, inner: EmbeddedTransport) -> None:
        super().__init__(inner.ledger)
        self.single = 0
        self.multiple = 0

    async def get_account(self, address: Pubkey) -> Account | None:
        self.single += 1
        return await super().get_account(address)

    async def get_accounts(self, addresses: Sequence[Pubkey]) -> list[Account | None]:
        self.multiple += 1
        return await super().get_accounts(addresses)


@pytest.fixture
async def eco() -> Sandbox:
    return await build_sandbox(traders=2)


async def test_read_state_and_stats(eco: Sandbox) -> None:
    state = await acc.fetch_dat_state(eco.transport)
    assert state.admin == eco.admin.pubkey() and state.keeper == eco.admin.pubkey()
    assert state.is_active and state.fee_split_bps == 5520 and state.root_mint == eco.root.mint
    formatted = acc.format_dat_state(state, root_funds_lamports=0)
    assert formatted["rootTreasury"] == "0 SOL"
    assert formatted["maxFeesPerCycle"] == "1 SOL" and formatted["minFeesPerToken"] == "0.006 SOL"

    counting = CountingTransport(eco.transport)
    stranger = Keypair().pubkey()
    stats = await acc.fetch_all_token_stats(counting, [*eco.mints, stranger])
    assert (counting.multiple, counting.single) == (1, 0)
    assert stats[stranger] is None
    for token in eco.tokens:
        st = stats[token.mint]
        assert st is not None
        assert st.mint == token.mint and st.token_program == token.token_program and st.pool == token.pool
        assert st.pool_type == token.pool_type_id and st.is_root == token.is_root and st.decimals == 6
        assert acc.format_token_stats(st)["pendingFees"] == "0 SOL"
    assert await acc.fetch_token_stats(eco.transport, stranger) is None


async def test_uninitialized_and_foreign_accounts() -> None:
    transport = EmbeddedTransport(new_svm())
    with pytest.raises(acc.DatNotInitializedError):
        await acc.fetch_dat_state(transport)
    with pytest.raises(acc.AccountDecodeError):
        acc.decode_token_stats(b"\x00" * 400)
    # An account at the state address that the program does not own is refused.
    svm = transport.ledger.svm
    svm.set_account(state_address(), Account(10**9, bytes(600), Keypair().pubkey()))
    with pytest.raises(acc.AccountDecodeError, match="owned by"):
        await acc.fetch_dat_state(transport)


async def test_attribute_dry_run_and_cycle(eco: Sandbox) -> None:
    trades = []
    for token, sol in zip(eco.tokens, (2, 3, 12), strict=True):
        trades += eco.round_trip(eco.traders[0], token, sol * LAMPORTS_PER_SOL)
    reports = fee_reports(trades)
    sent = await eco.client.update_pending_fees(reports)
    updated = events_of_type(sent.events, PendingFeesUpdated)
    assert [(e.mint, e.amount) for e in updated] == [(r.mint, r.amount) for r in reports]
    assert sent.program_compute_units and sent.program_compute_units[0] == program_compute_units(sent.logs)[0]

    def without_reference(stats: dict[Pubkey, TokenStats | None]) -> dict[Pubkey, dict[str, object]]:
        return {
            m: {k: v for k, v in s.to_json().items() if not k.startswith("price_ref")}
            for m, s in stats.items()
            if s is not None
        }

    before = without_reference(await eco.client.all_token_stats(eco.mints))
    # The one cycle path: the orchestrator's executor (plan, quote, build, pack, simulate / send).
    ecosystem = eco.ecosystem()
    dry = await dry_run(eco.transport, eco.admin, ecosystem)
    assert [t.token.mint for t in dry.plan.executing][-1] == str(eco.root.mint), "root last"
    assert len(dry.plan.executing) == len(eco.tokens)
    assert dry.batches and all(b.ok and b.compute_units for b in dry.batches), [b.error for b in dry.batches]
    assert sorted(m for b in dry.batches for m in b.mints) == sorted(str(m) for m in eco.mints)
    # A dry run's one write: the price references its simulations need (an earlier slot).
    after = await eco.client.all_token_stats(eco.mints)
    assert without_reference(after) == before, "a dry run changes nothing else"
    slot = await eco.client.transport.get_slot()
    assert all(s is not None and 0 < s.price_ref_slot < slot for s in after.values())

    run = await execute(eco.transport, eco.admin, ecosystem)
    assert run.batches and all(b.ok for b in run.batches), [b.error for b in run.batches]
    assert len(run.outcomes) == len(eco.tokens) and all(o.ok for o in run.outcomes)
    for batch in run.batches:
        assert batch.signature is not None
        landed = await eco.transport.get_transaction(Signature.from_string(batch.signature))
        assert landed is not None and landed.transaction.meta is not None
        events = decode_events(landed.transaction.meta.log_messages or [])
        for mint in batch.mints:
            (done,) = [e for e in events_of_type(events, CycleCompleted) if str(e.mint) == mint]
            assert done.tokens_burned > 0 and done.total_burned >= done.tokens_burned
    for outcome in run.outcomes:
        stats = await eco.client.token_stats(Pubkey.from_string(outcome.mint))
        assert stats is not None and stats.cycles == 1 and outcome.tokens_burned == stats.total_tokens_burned
        assert stats.total_sol_attributed == acc.own_sol_spent(stats) + stats.total_sent_to_root + stats.pending_fees
    # Same cycle again, right away: nothing left to do for anyone (cooldown / no fees).
    again = await execute(eco.transport, eco.admin, ecosystem)
    assert not again.plan.executing and not again.batches


async def test_client_governance_round_trip(eco: Sandbox) -> None:
    client = eco.client
    await client.pause()
    assert not (await client.state()).is_active
    await client.resume()
    assert (await client.state()).is_active
    new_admin = Keypair()
    eco.ledger.airdrop(new_admin.pubkey(), LAMPORTS_PER_SOL)
    await client.propose_admin(new_admin.pubkey())
    await DatClient(eco.transport, new_admin).accept_admin(new_admin)
    assert (await client.state()).admin == new_admin.pubkey()
