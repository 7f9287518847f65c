"""SDK readers and `DatClient` on the embedded ecosystem: decoding, batching, cycles."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from solders.account import Account
from solders.keypair import Keypair
from solders.pubkey import Pubkey

from asdf_dat.dat import accounts as acc
from asdf_dat.dat.client import DatClient, program_compute_units
from asdf_dat.dat.events import events_of_type
from asdf_dat.dat.pdas import state_address
from asdf_dat.embedded import new_svm
from asdf_dat.generated.accounts import TokenStats
from asdf_dat.generated.types import CycleCompleted, PendingFeesUpdated, TokensBurned
from asdf_dat.network.embedded_transport import EmbeddedTransport
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
    formatted = acc.format_dat_state(state, treasury_lamports=0)
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
    dry = await eco.client.dry_run_cycle(eco.mints)
    assert [s.mint for s in dry][-1] == eco.root.mint, "root last"
    assert all(s.ok and s.compute_units for s in dry)
    # A dry run's one write: the price references its simulations need (an earlier slot).
    after = await eco.client.all_token_stats(eco.mints)
    assert without_reference(after) == before, "a dry run changes nothing else"
    slot = await eco.client.transport.get_slot()
    assert all(s is not None and 0 < s.price_ref_slot < slot for s in after.values())

    steps = await eco.client.run_cycle(eco.mints)
    assert all(s.ok for s in steps), [str(s.error) for s in steps]
    for step in steps:
        (done,) = events_of_type(step.events, CycleCompleted)
        (burn,) = events_of_type(step.events, TokensBurned)
        assert done.tokens_burned == burn.amount > 0
        stats = await eco.client.token_stats(step.mint)
        assert stats is not None and stats.cycles == 1
        assert stats.total_sol_attributed == acc.own_sol_spent(stats) + stats.total_sent_to_root + stats.pending_fees
    # Same cycle again, right away: nothing left to do for anyone (cooldown / no fees).
    again = await eco.client.run_cycle(eco.mints)
    assert all(s.action.value != "execute" for s in again)


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
