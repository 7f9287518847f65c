"""The pump.fun bonding-curve + PumpSwap stand-in (programs/pump_standin) in LiteSVM, at
both real program ids: golden vectors from pump.md, fees to the lamport, the real error
codes for wrong accounts, creator-fee accumulation and collection, and the events."""

from __future__ import annotations

import dataclasses
import functools
import json
import math
import random
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import pytest
from anchorpy.coder.coder import Coder
from anchorpy.idl_adapter import Idl
from anchorpy.program.event import EventParser
from solders.account import Account
from solders.compute_budget import set_compute_unit_limit
from solders.instruction import AccountMeta, Instruction
from solders.keypair import Keypair
from solders.pubkey import Pubkey

from asdf_dat.pump import (
    BuyEvent,
    CollectCoinCreatorFeeEvent,
    CollectCreatorFeeEvent,
    CompleteEvent,
    CompletePumpAmmMigrationEvent,
    CreateEvent,
    CreateFeeSharingConfigEvent,
    CreatePoolEvent,
    DistributeCreatorFeesEvent,
    MigrateBondingCurveCreatorEvent,
    MigratePoolCoinCreatorEvent,
    PumpWorld,
    SellEvent,
    TradeEvent,
    TransactionFailed,
    TxResult,
    UpdateFeeSharesEvent,
)
from asdf_dat.pump import addresses as addr
from asdf_dat.pump import instructions as ix
from asdf_dat.pump import math as pm
from asdf_dat.pump.addresses import (
    PUMP_AMM_PROGRAM_ID,
    PUMP_PROGRAM_ID,
    SYSTEM_PROGRAM_ID,
    TOKEN_2022_PROGRAM_ID,
    TOKEN_PROGRAM_ID,
    WSOL_MINT,
)
from asdf_dat.pump.events import EVENT_IX_TAG
from asdf_dat.pump.layouts import BondingCurve, Pool
from asdf_dat.pump.tokens import create_ata_idempotent, encode_token_account
from asdf_dat.pump.world import EcosystemToken, MigratedToken, label_key

pytestmark = pytest.mark.sbf
E = TypeVar("E")

RENT_EXEMPT_ZERO = 890_880
TX_FEE = 5_000
TOKEN_PROGRAMS = pytest.mark.parametrize(
    "token_program", [TOKEN_PROGRAM_ID, TOKEN_2022_PROGRAM_ID], ids=["spl", "token2022"]
)
# Official pump.fun IDLs (pump-fun/pump-public-docs, see fixtures/pump_idl/README.md).
IDL_DIR = Path(__file__).resolve().parent / "fixtures" / "pump_idl"

# Anchor / program error codes (pump.md, the IDLs' `errors`, anchor-lang 0.30).
CONSTRAINT_SIGNER = 2002
CONSTRAINT_SEEDS = 2006
CONSTRAINT_MINT_TOKEN_PROGRAM = 2022
INVALID_PROGRAM_ID = 3008
ACCOUNT_NOT_SIGNER = 3010
PUMP_NOT_AUTHORIZED = 6000
PUMP_TOO_MUCH_SOL_REQUIRED = 6002
PUMP_TOO_LITTLE_SOL_RECEIVED = 6003
PUMP_BONDING_CURVE_COMPLETE = 6005
PUMP_BUY_ZERO_AMOUNT = 6020
PUMP_BUY_SLIPPAGE_BELOW_MIN_TOKENS_OUT = 6042
AMM_ZERO_BASE_AMOUNT = 6001
AMM_EXCEEDED_SLIPPAGE = 6004
AMM_INVALID_BASE_MINT = 6008
AMM_INVALID_PROTOCOL_FEE_RECIPIENT = 6013
AMM_INVALID_POOL_BASE_TOKEN_ACCOUNT = 6014
AMM_INVALID_POOL_QUOTE_TOKEN_ACCOUNT = 6015
AMM_BUY_MORE_THAN_RESERVES = 6016

# pump.md §3.4 (fresh curve, p=95, c=30) and the migrated pool of the world's defaults.
BUY_1E12 = pm.CurveBuy(tokens=10**12, sol=27_985_075, protocol_fee=265_859, creator_fee=83_956)
SELL_1E12 = pm.CurveSell(sol_out=27_932_960, protocol_fee=265_364, creator_fee=83_799)
POOL_BUY_1E12 = pm.PoolBuy(quote_in=412_774_935, lp_fee=825_550, protocol_fee=206_388, creator_fee=206_388)
POOL_SELL_1E12 = pm.PoolSell(quote_out=408_804_035, lp_fee=817_609, protocol_fee=204_403, creator_fee=204_403)


@pytest.fixture
def world() -> PumpWorld:
    return PumpWorld()


@pytest.fixture
def creator() -> Pubkey:
    return label_key("coin-creator")


def expect_error(code: int, action: Callable[[], object]) -> TransactionFailed:
    with pytest.raises(TransactionFailed) as failure:
        action()
    assert failure.value.code == code, failure.value
    return failure.value


def only(events: Sequence[object], kind: type[E]) -> list[E]:
    return [e for e in events if isinstance(e, kind)]


def ata_size(token_program: Pubkey) -> int:
    return 170 if token_program == TOKEN_2022_PROGRAM_ID else 165


# ------------------------------------------------------------------ math (pure Python)


def test_python_math_matches_pump_md_vectors() -> None:
    vt, vs, rt = 1_073_000_000_000_000, 30_000_000_000, 793_100_000_000_000
    assert pm.curve_buy_exact_out(vt, vs, rt, 10**12) == BUY_1E12
    exact_in = pm.curve_buy_exact_in(vt, vs, rt, 10**9)
    assert (exact_in.sol, exact_in.protocol_fee + exact_in.creator_fee) == (987_654_320, 12_345_680)
    assert exact_in.tokens == 34_199_203_120_618
    assert exact_in.total_cost == 10**9
    assert pm.curve_sell(vt, vs, 10**12) == SELL_1E12
    assert pm.pool_buy_exact_out(206_900_000_000_000, 84_990_359_057, 10**12) == POOL_BUY_1E12
    assert pm.pool_sell(206_900_000_000_000, 84_990_359_057, 10**12) == POOL_SELL_1E12


# ------------------------------------------------------------------ bonding curve: golden


@TOKEN_PROGRAMS
def test_curve_buy_golden_vector(world: PumpWorld, creator: Pubkey, token_program: Pubkey) -> None:
    token = world.create_token(creator, token_program=token_program)
    trader = world.new_trader()
    fee_recipient = world.global_state.fee_recipient
    before = {k: world.lamports(k) for k in (trader.pubkey(), token.bonding_curve, fee_recipient, token.creator_vault)}
    clock = world.svm.get_clock()
    clock.unix_timestamp = 1_764_201_600
    world.svm.set_clock(clock)

    result = world.buy(trader, token, 10**12, max_sol_cost=BUY_1E12.total_cost)

    assert world.token_balance_of(trader.pubkey(), token.mint, token_program) == 10**12
    assert world.token_balance(token.associated_bonding_curve) == 10**15 - 10**12
    assert world.lamports(token.bonding_curve) - before[token.bonding_curve] == 27_985_075
    assert world.lamports(fee_recipient) - before[fee_recipient] == 265_859
    # The buyer also tops the fresh creator vault up to rent-exemption.
    assert world.lamports(token.creator_vault) == RENT_EXEMPT_ZERO + 83_956
    paid = before[trader.pubkey()] - world.lamports(trader.pubkey())
    assert paid == BUY_1E12.total_cost + RENT_EXEMPT_ZERO + world.rent(ata_size(token_program)) + TX_FEE

    curve = world.curve(token)
    assert (curve.virtual_token_reserves, curve.virtual_sol_reserves) == (1_072_000_000_000_000, 30_027_985_075)
    assert (curve.real_token_reserves, curve.real_sol_reserves) == (792_100_000_000_000, 27_985_075)
    assert not curve.complete

    (event,) = only(result.events, TradeEvent)
    assert (event.mint, event.user, event.creator) == (token.mint, trader.pubkey(), creator)
    assert (event.sol_amount, event.token_amount, event.is_buy) == (27_985_075, 10**12, True)
    assert (event.fee_recipient, event.fee_basis_points, event.fee) == (fee_recipient, 95, 265_859)
    assert (event.creator_fee_basis_points, event.creator_fee) == (30, 83_956)
    assert event.virtual_sol_reserves == 30_027_985_075
    assert event.real_token_reserves == 792_100_000_000_000
    assert event.ix_name == "buy"
    assert event.timestamp == 1_764_201_600


@TOKEN_PROGRAMS
def test_curve_buy_exact_sol_in_golden_vector(world: PumpWorld, creator: Pubkey, token_program: Pubkey) -> None:
    token = world.create_token(creator, token_program=token_program)
    trader = world.new_trader()
    fee_recipient = world.global_state.fee_recipient
    fee_before = world.lamports(fee_recipient)

    result = world.buy_exact_sol_in(trader, token, 10**9, min_tokens_out=34_199_203_120_618)

    assert world.token_balance_of(trader.pubkey(), token.mint, token_program) == 34_199_203_120_618
    assert world.curve(token).real_sol_reserves == 987_654_320
    assert world.lamports(fee_recipient) - fee_before == 9_382_717
    assert world.lamports(token.creator_vault) == RENT_EXEMPT_ZERO + 2_962_963
    (event,) = only(result.events, TradeEvent)
    assert (event.sol_amount, event.fee, event.creator_fee) == (987_654_320, 9_382_717, 2_962_963)
    assert event.ix_name == "buy_exact_sol_in"


@TOKEN_PROGRAMS
def test_curve_sell_golden_vector(world: PumpWorld, creator: Pubkey, token_program: Pubkey) -> None:
    # Fresh virtual reserves, with real SOL in the curve to pay the seller.
    token = world.create_token(creator, token_program=token_program, curve=BondingCurve(real_sol_reserves=10**9))
    seller = world.new_trader()
    world.inject_token_account(seller.pubkey(), token.mint, 10**12, token_program)
    world.fund(token.creator_vault, RENT_EXEMPT_ZERO)
    fee_recipient = world.global_state.fee_recipient
    before = {k: world.lamports(k) for k in (seller.pubkey(), token.bonding_curve, fee_recipient, token.creator_vault)}

    result = world.sell(seller, token, 10**12, min_sol_output=SELL_1E12.seller_receives)

    assert world.token_balance_of(seller.pubkey(), token.mint, token_program) == 0
    assert before[token.bonding_curve] - world.lamports(token.bonding_curve) == 27_932_960
    assert world.lamports(seller.pubkey()) - before[seller.pubkey()] == 27_932_960 - 265_364 - 83_799 - TX_FEE
    assert world.lamports(fee_recipient) - before[fee_recipient] == 265_364
    assert world.lamports(token.creator_vault) - before[token.creator_vault] == 83_799
    curve = world.curve(token)
    assert (curve.virtual_sol_reserves, curve.real_sol_reserves) == (30_000_000_000 - 27_932_960, 10**9 - 27_932_960)
    assert curve.virtual_token_reserves == 1_074_000_000_000_000
    (event,) = only(result.events, TradeEvent)
    assert (event.mint, event.is_buy, event.sol_amount, event.fee, event.creator_fee) == (
        token.mint, False, 27_932_960, 265_364, 83_799,
    )  # fmt: skip


def test_curve_round_trips_match_python_math(world: PumpWorld, creator: Pubkey) -> None:
    """Random buys and sells: every lamport and token movement equals the Python math."""
    rng = random.Random(7)
    token = world.create_token(creator, token_program=TOKEN_2022_PROGRAM_ID)
    traders = [world.new_trader(200) for _ in range(3)]
    world.fund(token.creator_vault, RENT_EXEMPT_ZERO)
    for _ in range(12):
        trader = rng.choice(traders)
        held = world.token_balance_of(trader.pubkey(), token.mint, TOKEN_2022_PROGRAM_ID)
        vault_before = world.lamports(token.creator_vault)
        curve_before = world.lamports(token.bonding_curve)
        if held and rng.random() < 0.4:
            amount = rng.randint(1, held)
            sell_quote = world.quote_sell(token, amount)
            world.sell(trader, token, amount, min_sol_output=sell_quote.seller_receives)
            assert curve_before - world.lamports(token.bonding_curve) == sell_quote.sol_out
            assert world.lamports(token.creator_vault) - vault_before == sell_quote.creator_fee
        elif rng.random() < 0.5:
            amount = rng.randint(1, 20 * 10**12)
            buy_quote = world.quote_buy(token, amount)
            world.buy(trader, token, amount, max_sol_cost=buy_quote.total_cost)
            assert world.lamports(token.bonding_curve) - curve_before == buy_quote.sol
            assert world.lamports(token.creator_vault) - vault_before == buy_quote.creator_fee
        else:
            spend = rng.randint(10_000, 3 * 10**9)
            buy_quote = world.quote_buy_exact_sol_in(token, spend)
            world.buy_exact_sol_in(trader, token, spend, min_tokens_out=buy_quote.tokens)
            assert world.lamports(token.bonding_curve) - curve_before == buy_quote.sol
        curve = world.curve(token)
        assert world.lamports(token.bonding_curve) == world.rent(151) + curve.real_sol_reserves
        assert world.token_balance(token.associated_bonding_curve) == curve.real_token_reserves + 206_900_000_000_000


def test_curve_completes_when_real_tokens_run_out(world: PumpWorld, creator: Pubkey) -> None:
    token = world.create_token(creator)
    whale = world.new_trader(200)
    quote = world.quote_buy(token, 10**18)
    assert quote.tokens == 793_100_000_000_000
    result = world.buy(whale, token, 10**18, max_sol_cost=quote.total_cost)
    curve = world.curve(token)
    assert curve.complete and curve.real_token_reserves == 0
    assert 85_000_000_000 <= curve.real_sol_reserves < 85_010_000_000
    (complete,) = only(result.events, CompleteEvent)
    assert (complete.mint, complete.bonding_curve, complete.user) == (token.mint, token.bonding_curve, whale.pubkey())
    expect_error(PUMP_BONDING_CURVE_COMPLETE, lambda: world.buy(whale, token, 10**6, max_sol_cost=10**9))
    expect_error(PUMP_BONDING_CURVE_COMPLETE, lambda: world.sell(whale, token, 10**6))


# ------------------------------------------------------------------ bonding curve: errors


def curve_buy_ix(world: PumpWorld, trader: Keypair, token: EcosystemToken, **overrides: object) -> Instruction:
    """`buy` of 1e12 with the exact max cost, then per-index account overrides `a<i>=Pubkey`."""
    built = ix.buy(
        user=trader.pubkey(),
        mint=token.mint,
        creator=token.creator,
        fee_recipient=world.global_state.fee_recipient,
        amount=10**12,
        max_sol_cost=world.quote_buy(token, 10**12).total_cost,
        token_program=token.token_program,
    )
    return with_accounts(built, overrides)


def with_accounts(built: Instruction, overrides: dict[str, object]) -> Instruction:
    metas = list(built.accounts)
    for key, value in overrides.items():
        index = int(key[1:])
        assert isinstance(value, Pubkey)
        metas[index] = AccountMeta(value, metas[index].is_signer, metas[index].is_writable)
    return Instruction(built.program_id, bytes(built.data), metas)


def send_buy(world: PumpWorld, trader: Keypair, token: EcosystemToken, built: Instruction) -> object:
    user = trader.pubkey()
    return world.send([create_ata_idempotent(user, user, token.mint, token.token_program), built], trader)


def test_curve_rejects_wrong_accounts_with_real_codes(world: PumpWorld, creator: Pubkey) -> None:
    token = world.create_token(creator)
    other = world.create_token(label_key("someone-else"))
    t22 = world.create_token(creator, token_program=TOKEN_2022_PROGRAM_ID)
    trader = world.new_trader()
    other_vault = addr.associated_bonding_curve(other.mint)
    cases: dict[str, tuple[int, dict[str, object]]] = {
        # foreign mint: the curve is not `["bonding-curve", mint]`.
        "foreign mint": (CONSTRAINT_SEEDS, {"a2": other.mint}),
        # another curve's token vault.
        "wrong vault": (CONSTRAINT_SEEDS, {"a4": other_vault}),
        "fee recipient not in Global": (PUMP_NOT_AUTHORIZED, {"a1": label_key("not-a-fee-recipient")}),
        "creator vault of someone else": (CONSTRAINT_SEEDS, {"a9": addr.creator_vault(label_key("someone-else"))}),
        # Token-2022 passed for an SPL mint: the curve's ATA under it does not match.
        "other token program": (CONSTRAINT_SEEDS, {"a8": TOKEN_2022_PROGRAM_ID}),
        "not a token program": (INVALID_PROGRAM_ID, {"a8": SYSTEM_PROGRAM_ID}),
        "wrong event authority": (CONSTRAINT_SEEDS, {"a10": addr.amm_event_authority()}),
    }
    for name, (code, overrides) in cases.items():
        built = curve_buy_ix(world, trader, token, **overrides)
        failure = expect_error(code, functools.partial(send_buy, world, trader, token, built))
        assert failure.instruction_index == 1, name
    # SPL token program passed for a Token-2022 coin.
    expect_error(
        CONSTRAINT_SEEDS,
        lambda: send_buy(world, trader, t22, curve_buy_ix(world, trader, t22, a8=TOKEN_PROGRAM_ID)),
    )
    # Nothing moved.
    assert world.curve(token).real_sol_reserves == 0
    assert world.token_balance_of(trader.pubkey(), token.mint) == 0


def test_curve_buy_over_max_sol_cost_fails_6002(world: PumpWorld, creator: Pubkey) -> None:
    token = world.create_token(creator)
    trader = world.new_trader()
    expect_error(
        PUMP_TOO_MUCH_SOL_REQUIRED, lambda: world.buy(trader, token, 10**12, max_sol_cost=BUY_1E12.total_cost - 1)
    )
    expect_error(PUMP_BUY_ZERO_AMOUNT, lambda: world.buy(trader, token, 0, max_sol_cost=10**9))
    expect_error(
        PUMP_BUY_SLIPPAGE_BELOW_MIN_TOKENS_OUT,
        lambda: world.buy_exact_sol_in(trader, token, 10**9, min_tokens_out=34_199_203_120_619),
    )
    world.buy(trader, token, 10**12, max_sol_cost=BUY_1E12.total_cost)
    quote = world.quote_sell(token, 10**12)
    expect_error(
        PUMP_TOO_LITTLE_SOL_RECEIVED,
        lambda: world.sell(trader, token, 10**12, min_sol_output=quote.seller_receives + 1),
    )


def test_curve_user_must_sign(world: PumpWorld, creator: Pubkey) -> None:
    token = world.create_token(creator)
    trader = world.new_trader()
    built = curve_buy_ix(world, trader, token)
    metas = list(built.accounts)
    metas[6] = AccountMeta(trader.pubkey(), is_signer=False, is_writable=True)
    unsigned = Instruction(built.program_id, bytes(built.data), metas)
    expect_error(ACCOUNT_NOT_SIGNER, lambda: world.send([unsigned]))


def test_event_instruction_requires_event_authority_signature(world: PumpWorld) -> None:
    """Anyone may call the event instruction, but only the program's own
    `__event_authority` signature (a self-CPI) makes it succeed."""
    for program_id, authority in (
        (PUMP_PROGRAM_ID, addr.pump_event_authority()),
        (PUMP_AMM_PROGRAM_ID, addr.amm_event_authority()),
    ):
        forged = Instruction(
            program_id, EVENT_IX_TAG + TradeEvent.DISCRIMINATOR + bytes(300), [AccountMeta(authority, False, False)]
        )
        expect_error(CONSTRAINT_SIGNER, functools.partial(world.send, [forged]))


# ------------------------------------------------------------------ creator fees (curve)


def test_curve_creator_fees_accumulate_and_collect_moves_them(world: PumpWorld, creator: Pubkey) -> None:
    spl = world.create_token(creator)
    t22 = world.create_token(creator, token_program=TOKEN_2022_PROGRAM_ID)
    traders = [world.new_trader() for _ in range(2)]
    creator_fees = 0
    for trader in traders:
        for token in (spl, t22):
            result = world.buy(trader, token, 3 * 10**12)
            creator_fees += sum(e.creator_fee for e in result.events if isinstance(e, TradeEvent))
    result = world.sell(traders[0], spl, 10**12)
    (sell_event,) = only(result.events, TradeEvent)
    assert sell_event.mint == spl.mint
    creator_fees += sell_event.creator_fee
    # Both coins share the creator's vault; it holds rent + every creator fee.
    assert world.lamports(spl.creator_vault) == RENT_EXEMPT_ZERO + creator_fees

    creator_before = world.lamports(creator)
    collected = world.collect_creator_fee(creator)
    assert world.lamports(creator) - creator_before == creator_fees
    assert world.lamports(spl.creator_vault) == RENT_EXEMPT_ZERO
    (event,) = only(collected.events, CollectCreatorFeeEvent)
    assert (event.creator, event.creator_fee) == (creator, creator_fees)
    # Collecting again moves nothing.
    again = world.collect_creator_fee(creator)
    assert [e.creator_fee for e in again.events if isinstance(e, CollectCreatorFeeEvent)] == [0]
    # The vault must be the creator's.
    wrong = ix.collect_creator_fee(creator)
    metas = list(wrong.accounts)
    metas[1] = AccountMeta(addr.creator_vault(label_key("someone-else")), False, True)
    expect_error(CONSTRAINT_SEEDS, lambda: world.send([Instruction(PUMP_PROGRAM_ID, bytes(wrong.data), metas)]))


def test_trade_events_attribute_creator_fees_per_mint(world: PumpWorld, creator: Pubkey) -> None:
    """What the fee daemon does: sum TradeEvent.creator_fee per mint from inner instructions."""
    tokens = [world.create_token(creator), world.create_token(creator, token_program=TOKEN_2022_PROGRAM_ID)]
    trader = world.new_trader()
    vault_start = RENT_EXEMPT_ZERO
    per_mint: dict[Pubkey, int] = {}
    for amount, token in ((10**12, tokens[0]), (5 * 10**12, tokens[1]), (2 * 10**12, tokens[0])):
        result = world.buy(trader, token, amount)
        assert len(result.events) == 1
        for event in only(result.events, TradeEvent):
            assert event.mint == token.mint and event.creator == creator
            assert event.creator_fee == world_quote_fee(event)
            per_mint[event.mint] = per_mint.get(event.mint, 0) + event.creator_fee
    assert set(per_mint) == {t.mint for t in tokens}
    assert world.lamports(tokens[0].creator_vault) == vault_start + sum(per_mint.values())


def world_quote_fee(event: TradeEvent) -> int:
    return pm.fee(event.sol_amount, event.creator_fee_basis_points)


# ------------------------------------------------------------------ PumpSwap: golden


@TOKEN_PROGRAMS
def test_pool_buy_golden_vector(world: PumpWorld, creator: Pubkey, token_program: Pubkey) -> None:
    token = world.create_migrated_token(creator, token_program=token_program)
    trader = world.new_trader()
    protocol_ata = addr.associated_token_address(world.global_config.protocol_fee_recipients[0], WSOL_MINT)

    result = world.pool_buy(trader, token, 10**12, max_quote_amount_in=POOL_BUY_1E12.user_quote_in)

    assert world.token_balance_of(trader.pubkey(), token.mint, token_program) == 10**12
    assert world.pool_reserves(token) == (206_900_000_000_000 - 10**12, 84_990_359_057 + 412_774_935 + 825_550)
    assert world.token_balance(protocol_ata) == 206_388
    assert world.token_balance(token.coin_creator_vault_ata) == 206_388
    assert world.token_balance_of(trader.pubkey(), WSOL_MINT) == 0
    (event,) = only(result.events, BuyEvent)
    assert (event.pool, event.user, event.coin_creator) == (token.pool, trader.pubkey(), creator)
    assert (event.base_amount_out, event.quote_amount_in, event.lp_fee, event.protocol_fee) == (
        10**12, 412_774_935, 825_550, 206_388,
    )  # fmt: skip
    assert (event.coin_creator_fee_basis_points, event.coin_creator_fee) == (5, 206_388)
    assert event.user_quote_amount_in == POOL_BUY_1E12.user_quote_in
    assert (event.pool_base_token_reserves, event.pool_quote_token_reserves) == (206_900_000_000_000, 84_990_359_057)


@TOKEN_PROGRAMS
def test_pool_sell_golden_vector(world: PumpWorld, creator: Pubkey, token_program: Pubkey) -> None:
    token = world.create_migrated_token(creator, token_program=token_program)
    seller = world.new_trader()
    world.inject_token_account(seller.pubkey(), token.mint, 10**12, token_program)
    protocol_ata = addr.associated_token_address(world.global_config.protocol_fee_recipients[0], WSOL_MINT)

    result = world.pool_sell(seller, token, 10**12, min_quote_amount_out=POOL_SELL_1E12.user_quote_out)

    assert world.token_balance_of(seller.pubkey(), WSOL_MINT) == 408_804_035 - 817_609 - 204_403 - 204_403
    # The LP fee stays in the pool.
    assert world.pool_reserves(token) == (206_900_000_000_000 + 10**12, 84_990_359_057 - 408_804_035 + 817_609)
    assert world.token_balance(protocol_ata) == 204_403
    assert world.token_balance(token.coin_creator_vault_ata) == 204_403
    (event,) = only(result.events, SellEvent)
    assert (event.quote_amount_out, event.lp_fee, event.coin_creator_fee) == (408_804_035, 817_609, 204_403)
    assert event.user_quote_amount_out == POOL_SELL_1E12.user_quote_out


def test_pool_creator_fees_accumulate_and_collect_moves_them(world: PumpWorld, creator: Pubkey) -> None:
    token = world.create_migrated_token(creator, token_program=TOKEN_2022_PROGRAM_ID)
    trader = world.new_trader()
    fees = 0
    for amount in (10**12, 3 * 10**12):
        result = world.pool_buy(trader, token, amount)
        fees += sum(e.coin_creator_fee for e in result.events if isinstance(e, BuyEvent))
    result = world.pool_sell(trader, token, 2 * 10**12)
    fees += sum(e.coin_creator_fee for e in result.events if isinstance(e, SellEvent))
    assert world.token_balance(token.coin_creator_vault_ata) == fees

    destination = world.inject_wsol_account(creator, 0)
    collected = world.collect_coin_creator_fee(token, destination)
    assert world.token_balance(destination) == fees
    assert world.token_balance(token.coin_creator_vault_ata) == 0
    (event,) = only(collected.events, CollectCoinCreatorFeeEvent)
    assert (event.coin_creator, event.coin_creator_fee, event.coin_creator_token_account) == (
        creator,
        fees,
        destination,
    )


def test_pool_creates_missing_coin_creator_vault_ata(world: PumpWorld, creator: Pubkey) -> None:
    token = world.create_migrated_token(creator)
    world.svm.set_account(token.coin_creator_vault_ata, Account(0, b"", SYSTEM_PROGRAM_ID))
    trader = world.new_trader()
    world.pool_buy(trader, token, 10**12)
    assert world.token_balance(token.coin_creator_vault_ata) == POOL_BUY_1E12.creator_fee


# ------------------------------------------------------------------ PumpSwap: errors


def pool_buy_ix(world: PumpWorld, trader: Keypair, token: MigratedToken, **overrides: object) -> Instruction:
    built = ix.amm_buy(
        pool=token.pool,
        user=trader.pubkey(),
        base_mint=token.mint,
        coin_creator=token.creator,
        protocol_fee_recipient=world.global_config.protocol_fee_recipients[0],
        base_amount_out=10**12,
        max_quote_amount_in=POOL_BUY_1E12.user_quote_in,
        base_token_program=token.token_program,
    )
    return with_accounts(built, overrides)


def test_pool_rejects_wrong_accounts_with_real_codes(world: PumpWorld, creator: Pubkey) -> None:
    token = world.create_migrated_token(creator)
    other = world.create_migrated_token(label_key("someone-else"))
    trader = world.new_trader()
    user = trader.pubkey()
    setup = [
        *world.wrap_sol_instructions(user, POOL_BUY_1E12.user_quote_in),
        create_ata_idempotent(user, user, token.mint),
        create_ata_idempotent(user, user, other.mint),
    ]
    world.send(setup, trader)
    stranger = label_key("not-a-protocol-fee-recipient")
    world.inject_wsol_account(stranger, 0)
    cases: dict[str, tuple[int, dict[str, object]]] = {
        "foreign mint": (
            AMM_INVALID_BASE_MINT,
            {"a3": other.mint, "a5": addr.associated_token_address(user, other.mint)},
        ),
        "wrong base vault": (AMM_INVALID_POOL_BASE_TOKEN_ACCOUNT, {"a7": other.pool_base_token_account}),
        "wrong quote vault": (AMM_INVALID_POOL_QUOTE_TOKEN_ACCOUNT, {"a8": other.pool_quote_token_account}),
        "protocol fee recipient not in GlobalConfig": (
            AMM_INVALID_PROTOCOL_FEE_RECIPIENT,
            {"a9": stranger, "a10": addr.associated_token_address(stranger, WSOL_MINT)},
        ),
        "protocol fee ATA of someone else": (
            CONSTRAINT_SEEDS,
            {"a10": addr.associated_token_address(user, WSOL_MINT)},
        ),
        "creator vault of another coin creator": (CONSTRAINT_SEEDS, {"a17": other.coin_creator_vault_ata}),
        "vault authority of another coin creator": (CONSTRAINT_SEEDS, {"a18": other.coin_creator_vault_authority}),
        "other token program": (CONSTRAINT_MINT_TOKEN_PROGRAM, {"a11": TOKEN_2022_PROGRAM_ID}),
        "not a token program": (INVALID_PROGRAM_ID, {"a11": SYSTEM_PROGRAM_ID}),
    }
    for name, (code, overrides) in cases.items():
        built = pool_buy_ix(world, trader, token, **overrides)
        failure = expect_error(code, functools.partial(world.send, [built], trader))
        assert failure.instruction_index == 0, name
    expect_error(
        AMM_EXCEEDED_SLIPPAGE,
        lambda: world.pool_buy(trader, token, 10**12, max_quote_amount_in=POOL_BUY_1E12.user_quote_in - 1),
    )
    expect_error(AMM_BUY_MORE_THAN_RESERVES, lambda: world.pool_buy(trader, token, 206_900_000_000_000, 10**10))
    expect_error(AMM_ZERO_BASE_AMOUNT, lambda: world.pool_sell(trader, token, 0))
    world.inject_token_account(user, token.mint, 10**12)
    expect_error(
        AMM_EXCEEDED_SLIPPAGE,
        lambda: world.pool_sell(trader, token, 10**12, min_quote_amount_out=POOL_SELL_1E12.user_quote_out + 1),
    )
    assert world.pool_reserves(token) == (206_900_000_000_000, 84_990_359_057)


# ------------------------------------------------------------------ interface vs the IDLs


def _idl(name: str) -> dict[str, Any]:
    data = json.loads((IDL_DIR / name).read_text())
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize(
    ("idl_file", "ix_name", "build"),
    [
        (
            "pump.json",
            "buy",
            lambda u, m, c: ix.buy(user=u, mint=m, creator=c, fee_recipient=c, amount=1, max_sol_cost=2),
        ),
        (
            "pump.json",
            "buy_exact_sol_in",
            lambda u, m, c: ix.buy_exact_sol_in(
                user=u, mint=m, creator=c, fee_recipient=c, spendable_sol_in=1, min_tokens_out=2
            ),
        ),
        (
            "pump.json",
            "sell",
            lambda u, m, c: ix.sell(user=u, mint=m, creator=c, fee_recipient=c, amount=1, min_sol_output=2),
        ),
        ("pump.json", "collect_creator_fee", lambda u, m, c: ix.collect_creator_fee(c)),
        (
            "pump_amm.json",
            "buy",
            lambda u, m, c: ix.amm_buy(
                pool=m,
                user=u,
                base_mint=m,
                coin_creator=c,
                protocol_fee_recipient=c,
                base_amount_out=1,
                max_quote_amount_in=2,
            ),
        ),
        (
            "pump_amm.json",
            "sell",
            lambda u, m, c: ix.amm_sell(
                pool=m,
                user=u,
                base_mint=m,
                coin_creator=c,
                protocol_fee_recipient=c,
                base_amount_in=1,
                min_quote_amount_out=2,
            ),
        ),
        (
            "pump_amm.json",
            "collect_coin_creator_fee",
            lambda u, m, c: ix.amm_collect_coin_creator_fee(coin_creator=c, destination=u),
        ),
    ],
)
def test_builders_match_official_idl(
    idl_file: str, ix_name: str, build: Callable[[Pubkey, Pubkey, Pubkey], Instruction]
) -> None:
    idl = _idl(idl_file)
    instructions = idl["instructions"]
    assert isinstance(instructions, list)
    (spec,) = [i for i in instructions if i["name"] == ix_name]
    built = build(Pubkey.new_unique(), Pubkey.new_unique(), Pubkey.new_unique())
    assert bytes(built.data[:8]) == bytes(spec["discriminator"])
    assert len(built.accounts) == len(spec["accounts"])
    for meta, account in zip(built.accounts, spec["accounts"], strict=True):
        assert meta.is_writable == bool(account.get("writable")), account["name"]
        if "signer" in account:
            assert meta.is_signer, account["name"]
        if "address" in account:
            assert str(meta.pubkey) == account["address"], account["name"]
    arg_sizes = {"u64": 8, "OptionBool": 1}
    size = sum(
        arg_sizes[a["type"] if isinstance(a["type"], str) else a["type"]["defined"]["name"]] for a in spec["args"]
    )
    assert len(built.data) == 8 + size


def test_trailing_bytes_and_accounts_are_ignored_missing_ones_fail(world: PumpWorld, creator: Pubkey) -> None:
    token = world.create_token(creator)
    trader = world.new_trader()
    built = curve_buy_ix(world, trader, token)
    longer = Instruction(
        built.program_id,
        bytes(built.data) + b"\x01\xff",
        [
            *built.accounts,
            AccountMeta(Pubkey.new_unique(), False, False),
            AccountMeta(Pubkey.new_unique(), False, True),
        ],
    )
    send_buy(world, trader, token, longer)
    short_data = Instruction(built.program_id, bytes(built.data)[:24], list(built.accounts))
    expect_error(102, lambda: send_buy(world, trader, token, short_data))
    few_accounts = Instruction(built.program_id, bytes(built.data), list(built.accounts)[:15])
    expect_error(3005, lambda: send_buy(world, trader, token, few_accounts))
    bad_option_bool = Instruction(built.program_id, bytes(built.data)[:24] + b"\x02", list(built.accounts))
    expect_error(102, lambda: send_buy(world, trader, token, bad_option_bool))


# ------------------------------------------------------------------ compute units


def test_compute_units_per_instruction(world: PumpWorld, creator: Pubkey, capsys: pytest.CaptureFixture[str]) -> None:
    """CU of each stand-in instruction (CPIs included). Printed for docs; loosely bounded."""
    token = world.create_token(creator)
    pool_token = world.create_migrated_token(creator)
    trader = world.new_trader()
    world.buy(trader, token, 10**12)  # tops the creator vault up and creates the trader's ATA
    rows = {
        "pump buy": world.buy(trader, token, 10**12).top_level_compute_units(PUMP_PROGRAM_ID),
        "pump buy_exact_sol_in": world.buy_exact_sol_in(trader, token, 10**8).top_level_compute_units(PUMP_PROGRAM_ID),
        "pump sell": world.sell(trader, token, 10**12).top_level_compute_units(PUMP_PROGRAM_ID),
        "pump collect_creator_fee": world.collect_creator_fee(creator).top_level_compute_units(PUMP_PROGRAM_ID),
        "pumpswap buy": world.pool_buy(trader, pool_token, 10**12).top_level_compute_units(PUMP_AMM_PROGRAM_ID),
        "pumpswap sell": world.pool_sell(trader, pool_token, 10**12).top_level_compute_units(PUMP_AMM_PROGRAM_ID),
        "pumpswap collect_coin_creator_fee": world.collect_coin_creator_fee(
            pool_token, world.inject_wsol_account(creator, 0)
        ).top_level_compute_units(PUMP_AMM_PROGRAM_ID),
    }
    with capsys.disabled():
        print("\n| stand-in instruction | CU |\n|---|---|")
        for name, (units,) in rows.items():
            print(f"| {name} | {units} |")
    for name, (units,) in rows.items():
        assert units < 60_000, name


def test_ata_injection_matches_the_ata_program(world: PumpWorld) -> None:
    """The world's injected token accounts are byte-identical to what the ATA program makes."""
    owner = world.new_trader(1)
    for token_program in (TOKEN_PROGRAM_ID, TOKEN_2022_PROGRAM_ID):
        token = world.create_token(label_key("layout-check"), token_program=token_program)
        world.send([create_ata_idempotent(owner.pubkey(), owner.pubkey(), token.mint, token_program)], owner)
        ata = addr.associated_token_address(owner.pubkey(), token.mint, token_program)
        made = world.svm.get_account(ata)
        assert made is not None
        world.inject_token_account(owner.pubkey(), token.mint, 0, token_program)
        injected = world.svm.get_account(ata)
        assert injected is not None
        assert bytes(injected.data) == bytes(made.data)
        assert injected.lamports == made.lamports


# ------------------------------------------------------------------ issue 11: what real pump rejects

CONSTRAINT_ADDRESS = 2012
CONSTRAINT_TOKEN_MINT = 2014
CONSTRAINT_TOKEN_OWNER = 2015


def non_canonical_pda(seeds: list[bytes], program_id: Pubkey) -> Pubkey:
    """A valid PDA of `seeds` at a bump below the canonical one (what `find_program_address`
    would never return)."""
    _, canonical = Pubkey.find_program_address(seeds, program_id)
    for bump in range(canonical - 1, -1, -1):
        try:
            return Pubkey.create_program_address([*seeds, bytes([bump])], program_id)
        except Exception:  # noqa: BLE001 - solders raises a bare PubkeyError on-curve
            continue
    raise AssertionError("no second PDA found")


def test_curve_pdas_only_at_their_canonical_bump(world: PumpWorld, creator: Pubkey) -> None:
    """Curve and creator vault at a non-canonical bump: 2006, as Anchor's `seeds` + `bump`."""
    token = world.create_token(creator)
    trader = world.new_trader()
    # A copy of the curve at `["bonding-curve", mint]` with a lower bump, and its own ATA.
    curve2 = non_canonical_pda([b"bonding-curve", bytes(token.mint)], PUMP_PROGRAM_ID)
    original = world.svm.get_account(token.bonding_curve)
    assert original is not None
    world.svm.set_account(curve2, original)
    world.inject_token_account(curve2, token.mint, 10**15)
    ata2 = addr.associated_token_address(curve2, token.mint)
    expect_error(
        CONSTRAINT_SEEDS,
        lambda: send_buy(world, trader, token, curve_buy_ix(world, trader, token, a3=curve2, a4=ata2)),
    )
    vault2 = non_canonical_pda([b"creator-vault", bytes(creator)], PUMP_PROGRAM_ID)
    world.fund(vault2, RENT_EXEMPT_ZERO)
    expect_error(
        CONSTRAINT_SEEDS, lambda: send_buy(world, trader, token, curve_buy_ix(world, trader, token, a9=vault2))
    )
    collect = ix.collect_creator_fee(creator)
    metas = list(collect.accounts)
    metas[1] = AccountMeta(vault2, False, True)
    expect_error(CONSTRAINT_SEEDS, lambda: world.send([Instruction(PUMP_PROGRAM_ID, bytes(collect.data), metas)]))
    # The canonical ones work.
    world.buy(trader, token, 10**12)


def test_curve_token_account_must_be_the_curve_ata(world: PumpWorld, creator: Pubkey) -> None:
    """Another token account of the curve for the same mint (not the ATA): 2006."""
    token = world.create_token(creator)
    trader = world.new_trader()
    not_ata = label_key("curve-side-token-account")
    world.inject(
        not_ata, encode_token_account(mint=token.mint, owner=token.bonding_curve, amount=10**15), TOKEN_PROGRAM_ID
    )
    expect_error(
        CONSTRAINT_SEEDS, lambda: send_buy(world, trader, token, curve_buy_ix(world, trader, token, a4=not_ata))
    )


def test_curve_volume_accumulators_and_fee_accounts_are_checked(world: PumpWorld, creator: Pubkey) -> None:
    token = world.create_token(creator)
    trader = world.new_trader()
    stranger = label_key("stranger")
    buy_cases: dict[str, tuple[int, dict[str, object]]] = {
        "global volume accumulator": (CONSTRAINT_SEEDS, {"a12": addr.amm_global_volume_accumulator()}),
        "user volume accumulator of someone else": (
            CONSTRAINT_SEEDS,
            {"a13": addr.pump_user_volume_accumulator(stranger)},
        ),
        "fee_config of PumpSwap": (CONSTRAINT_SEEDS, {"a14": addr.amm_fee_config()}),
        "fee_program": (CONSTRAINT_ADDRESS, {"a15": PUMP_PROGRAM_ID}),
    }
    for name, (code, overrides) in buy_cases.items():
        built = curve_buy_ix(world, trader, token, **overrides)
        failure = expect_error(code, functools.partial(send_buy, world, trader, token, built))
        assert failure.instruction_index == 1, name
    world.buy(trader, token, 10**12)
    sell = ix.sell(
        user=trader.pubkey(), mint=token.mint, creator=creator, fee_recipient=world.global_state.fee_recipient,
        amount=10**12, min_sol_output=0,
    )  # fmt: skip
    for index, wrong, code in (
        (12, addr.amm_fee_config(), CONSTRAINT_SEEDS),
        (13, SYSTEM_PROGRAM_ID, CONSTRAINT_ADDRESS),
    ):
        bad = with_accounts(sell, {f"a{index}": wrong})
        expect_error(code, functools.partial(world.send, [bad], trader))


def test_pool_vault_authority_canonical_and_atas_derived(world: PumpWorld, creator: Pubkey) -> None:
    token = world.create_migrated_token(creator)
    trader = world.new_trader()
    user = trader.pubkey()
    world.send([*world.wrap_sol_instructions(user, 10**10), create_ata_idempotent(user, user, token.mint)], trader)
    authority2 = non_canonical_pda([b"creator_vault", bytes(creator)], PUMP_AMM_PROGRAM_ID)
    ata2 = world.inject_wsol_account(authority2, 0)
    # A WSOL account of the protocol fee recipient that is not its ATA.
    recipient = world.global_config.protocol_fee_recipients[0]

    not_ata = label_key("protocol-fee-side-account")
    world.inject(
        not_ata,
        encode_token_account(mint=WSOL_MINT, owner=recipient, amount=0, native_rent_reserve=world.rent(165)),
        TOKEN_PROGRAM_ID,
    )
    vault_not_ata = label_key("creator-vault-side-account")
    world.inject(
        vault_not_ata,
        encode_token_account(
            mint=WSOL_MINT, owner=token.coin_creator_vault_authority, amount=0, native_rent_reserve=world.rent(165)
        ),
        TOKEN_PROGRAM_ID,
    )
    stranger = label_key("stranger")
    cases: dict[str, tuple[int, dict[str, object]]] = {
        "vault authority at a non-canonical bump": (CONSTRAINT_SEEDS, {"a17": ata2, "a18": authority2}),
        "protocol fee token account not the ATA": (CONSTRAINT_SEEDS, {"a10": not_ata}),
        "creator vault token account not the ATA": (CONSTRAINT_SEEDS, {"a17": vault_not_ata}),
        "global volume accumulator": (CONSTRAINT_SEEDS, {"a19": addr.pump_global_volume_accumulator()}),
        "user volume accumulator of someone else": (
            CONSTRAINT_SEEDS,
            {"a20": addr.amm_user_volume_accumulator(stranger)},
        ),
        "fee_config of pump": (CONSTRAINT_SEEDS, {"a21": addr.pump_fee_config()}),
        "fee_program": (CONSTRAINT_ADDRESS, {"a22": PUMP_AMM_PROGRAM_ID}),
    }
    for name, (code, overrides) in cases.items():
        built = pool_buy_ix(world, trader, token, **overrides)
        failure = expect_error(code, functools.partial(world.send, [built], trader))
        assert failure.instruction_index == 0, name
    world.inject_token_account(user, token.mint, 10**12)
    sell = ix.amm_sell(
        pool=token.pool, user=user, base_mint=token.mint, coin_creator=creator,
        protocol_fee_recipient=recipient, base_amount_in=10**12, min_quote_amount_out=0,
    )  # fmt: skip
    for index, wrong, code in (
        (19, addr.pump_fee_config(), CONSTRAINT_SEEDS),
        (20, SYSTEM_PROGRAM_ID, CONSTRAINT_ADDRESS),
    ):
        expect_error(code, functools.partial(world.send, [with_accounts(sell, {f"a{index}": wrong})], trader))
    assert world.pool_reserves(token) == (206_900_000_000_000, 84_990_359_057)


def test_collect_coin_creator_fee_destination_must_be_the_creators(world: PumpWorld, creator: Pubkey) -> None:
    """Permissionless collect: the WSOL can only go to a quote token account the coin creator
    owns; the vault authority must be canonical and the vault its ATA."""
    token = world.create_migrated_token(creator)
    trader = world.new_trader()
    world.pool_buy(trader, token, 10**12)
    thief = label_key("thief")
    thief_wsol = world.inject_wsol_account(thief, 0)
    expect_error(CONSTRAINT_TOKEN_OWNER, lambda: world.collect_coin_creator_fee(token, thief_wsol))
    creator_base = world.inject_token_account(creator, token.mint, 0)
    expect_error(CONSTRAINT_TOKEN_MINT, lambda: world.collect_coin_creator_fee(token, creator_base))
    destination = world.inject_wsol_account(creator, 0)
    built = ix.amm_collect_coin_creator_fee(coin_creator=creator, destination=destination)
    authority2 = non_canonical_pda([b"creator_vault", bytes(creator)], PUMP_AMM_PROGRAM_ID)
    ata2 = world.inject_wsol_account(authority2, 0)
    expect_error(
        CONSTRAINT_SEEDS, functools.partial(world.send, [with_accounts(built, {"a3": authority2, "a4": ata2})])
    )
    assert world.token_balance(token.coin_creator_vault_ata) == POOL_BUY_1E12.creator_fee
    world.send([built])
    assert world.token_balance(destination) == POOL_BUY_1E12.creator_fee


def test_events_are_also_program_data_log_lines(world: PumpWorld, creator: Pubkey) -> None:
    """Every event is both a self-CPI and a `Program data:` line; our log parser and
    anchorpy's `EventParser` over the official IDL both see them, identical to the CPI's."""

    token = world.create_token(creator)
    migrated = world.create_migrated_token(creator)
    trader = world.new_trader(sol=200)
    results = [
        world.buy(trader, token, 10**12),
        world.sell(trader, token, 10**12),
        world.collect_creator_fee(creator),
        world.pool_buy(trader, migrated, 10**12),
        world.pool_sell(trader, migrated, 10**12),
        world.collect_coin_creator_fee(migrated, world.inject_wsol_account(creator, 0)),
    ]
    for result in results:
        assert result.events and result.log_events == result.events
    parsed: list[str] = []
    for idl_file, program_id in (("pump.json", PUMP_PROGRAM_ID), ("pump_amm.json", PUMP_AMM_PROGRAM_ID)):
        parser = EventParser(program_id, Coder(Idl.from_json((IDL_DIR / idl_file).read_text())))
        for result in results:
            parser.parse_logs(result.logs, lambda event: parsed.append(event.name))
    assert parsed == [
        "TradeEvent", "TradeEvent", "CollectCreatorFeeEvent", "BuyEvent", "SellEvent", "CollectCoinCreatorFeeEvent",
    ]  # fmt: skip


# ------------------------------------------------------------------ issue 14: creator fee sharing

FEE_INVALID_ADMIN = 6001
FEE_SHARING_CONFIG_ADMIN_REVOKED = 6009
FEE_NO_SHAREHOLDERS = 6010
FEE_TOO_MANY_SHAREHOLDERS = 6011
FEE_DUPLICATE_SHAREHOLDER = 6012
FEE_NOT_ENOUGH_REMAINING_ACCOUNTS = 6013
FEE_INVALID_SHARE_TOTAL = 6014
FEE_NOT_AUTHORIZED = 6016
FEE_ZERO_SHARE_NOT_ALLOWED = 6017
FEE_AMM_ACCOUNTS_REQUIRED_FOR_GRADUATED_COIN = 6019
FEE_SHAREHOLDER_ACCOUNT_MISMATCH = 6020
PUMP_CREATOR_VAULT_MIGRATED_TO_SHARING_CONFIG = 6050
PUMP_SHAREHOLDERS_AND_REMAINING_ACCOUNTS_MISMATCH = 6054
AMM_INVALID_SHARING_CONFIG_COIN_CREATOR = 6046
AMM_CREATOR_VAULT_MIGRATED_TO_SHARING_CONFIG = 6048
SHARING_CONFIG_RENT = (1024 + 128) * 6960
WSOL_ATA_RENT = 2_039_280


def check_against_idl(built: Instruction, idl_file: str, ix_name: str) -> None:
    """`built` as the official IDL declares `ix_name`: discriminator, the account list with
    its writable / signer flags and fixed addresses, and every PDA whose seeds the IDL
    gives from constants and other accounts of the same instruction (re-derived here)."""
    (spec,) = [i for i in _idl(idl_file)["instructions"] if i["name"] == ix_name]
    assert bytes(built.data[:8]) == bytes(spec["discriminator"])
    named = spec["accounts"]
    assert len(built.accounts) >= len(named)
    keys = {account["name"]: meta.pubkey for account, meta in zip(named, built.accounts, strict=False)}
    for account, meta in zip(named, built.accounts, strict=False):
        name = account["name"]
        absent_optional = account.get("optional") and meta.pubkey == built.program_id
        if not absent_optional:
            assert meta.is_writable == bool(account.get("writable")), name
        assert meta.is_signer == bool(account.get("signer")), name
        if "address" in account and not absent_optional:
            assert str(meta.pubkey) == account["address"], name
        pda = account.get("pda")
        if pda is None or absent_optional:
            continue
        paths = [seed.get("path") for seed in pda["seeds"]]
        if len(paths) == 3 and paths[1] is not None and paths[1] == paths[2]:
            # An ATA whose token program is the mint's owner: the IDL prints `mint.owner`
            # as `mint` (migrate). Not derivable from the IDL alone.
            continue
        seeds: list[bytes] = []
        for seed in pda["seeds"]:
            if seed["kind"] == "const":
                seeds.append(bytes(seed["value"]))
            elif seed["kind"] == "account" and "." not in seed["path"]:
                seeds.append(bytes(keys[seed["path"]]))
            else:
                break  # a seed from account data or an argument: not derivable here
        else:
            program = pda.get("program")
            if program is None:
                owner = built.program_id
            elif program["kind"] == "const":
                owner = Pubkey(bytes(program["value"]))
            else:
                owner = keys[program["path"]]
            assert Pubkey.find_program_address(seeds, owner)[0] == meta.pubkey, name


@pytest.mark.parametrize(
    ("idl_file", "ix_name", "build"),
    [
        ("pump_fees.json", "create_fee_sharing_config", lambda u, m, c: ix.create_fee_sharing_config(payer=u, mint=m)),
        (
            "pump_fees.json",
            "create_fee_sharing_config",
            lambda u, m, c: ix.create_fee_sharing_config(payer=u, mint=m, pool=c),
        ),
        (
            "pump_fees.json",
            "update_fee_shares_v2",
            lambda u, m, c: ix.update_fee_shares_v2(
                authority=u, mint=m, current_shareholders=[c], new_shareholders=[(u, 10_000)]
            ),
        ),
        ("pump.json", "migrate_bonding_curve_creator", lambda u, m, c: ix.migrate_bonding_curve_creator(m)),
        (
            "pump.json",
            "distribute_creator_fees_v2",
            lambda u, m, c: ix.distribute_creator_fees_v2(payer=u, mint=m, shareholders=[c]),
        ),
        ("pump.json", "collect_creator_fee_v2", lambda u, m, c: ix.collect_creator_fee_v2(c)),
        ("pump_amm.json", "migrate_pool_coin_creator", lambda u, m, c: ix.amm_migrate_pool_coin_creator(c, m)),
        (
            "pump_amm.json",
            "transfer_creator_fees_to_pump_v2",
            lambda u, m, c: ix.amm_transfer_creator_fees_to_pump_v2(payer=u, coin_creator=c),
        ),
        (
            "pump_amm.json",
            "collect_coin_creator_fee",
            lambda u, m, c: ix.amm_collect_coin_creator_fee(coin_creator=c, destination=u),
        ),
        (
            "pump.json",
            "buy",
            lambda u, m, c: ix.buy(user=u, mint=m, creator=c, fee_recipient=c, amount=1, max_sol_cost=2),
        ),
        (
            "pump.json",
            "sell",
            lambda u, m, c: ix.sell(user=u, mint=m, creator=c, fee_recipient=c, amount=1, min_sol_output=2),
        ),
        ("pump.json", "collect_creator_fee", lambda u, m, c: ix.collect_creator_fee(c)),
    ],
)
def test_fee_sharing_builders_match_official_idl(
    idl_file: str, ix_name: str, build: Callable[[Pubkey, Pubkey, Pubkey], Instruction]
) -> None:
    check_against_idl(build(Pubkey.new_unique(), Pubkey.new_unique(), Pubkey.new_unique()), idl_file, ix_name)


def sent(world: PumpWorld, built: Instruction, idl_file: str, ix_name: str, *signers: Keypair) -> TxResult:
    """Checks `built` against the official IDL, then sends it."""
    check_against_idl(built, idl_file, ix_name)
    return world.send([built], *signers)


def funded_creator(world: PumpWorld) -> Keypair:
    kp = Keypair()
    world.fund(kp.pubkey(), 10 * 10**9)
    return kp


def funded_holders(world: PumpWorld, count: int) -> list[Pubkey]:
    holders = [label_key(f"shareholder-{i}") for i in range(count)]
    for holder in holders:
        world.fund(holder, RENT_EXEMPT_ZERO)
    return holders


def test_fee_sharing_lifecycle_on_the_curve(world: PumpWorld) -> None:
    """create config -> trades -> update shares once (pending paid to the creator first) ->
    trades -> distribute; every lamport against floor(pending * bps / 10_000)."""
    creator = funded_creator(world)
    token = world.create_token(creator.pubkey())
    trader = world.new_trader(sol=200)
    world.buy(trader, token, 10**12)  # a fee to the creator's own vault, before sharing
    assert world.lamports(token.creator_vault) == RENT_EXEMPT_ZERO + BUY_1E12.creator_fee

    config = addr.sharing_config(token.mint)
    before = world.lamports(creator.pubkey())
    built = ix.create_fee_sharing_config(payer=creator.pubkey(), mint=token.mint)
    result = sent(world, built, "pump_fees.json", "create_fee_sharing_config", creator)
    assert world.lamports(creator.pubkey()) == before - SHARING_CONFIG_RENT - TX_FEE
    state = world.sharing_config(token.mint)
    assert (state.bump, state.version, state.status) == (
        Pubkey.find_program_address([b"sharing-config", bytes(token.mint)], addr.PUMP_FEE_PROGRAM_ID)[1],
        2,
        1,
    )
    assert (state.mint, state.admin, state.admin_revoked) == (token.mint, creator.pubkey(), False)
    assert state.shareholders == [(creator.pubkey(), 10_000)]
    assert world.curve(token).creator == config
    (created,) = only(result.events, CreateFeeSharingConfigEvent)
    assert (created.sharing_config, created.admin, created.pool, created.status) == (config, creator.pubkey(), None, 1)
    (moved,) = only(result.events, MigrateBondingCurveCreatorEvent)
    assert (moved.old_creator, moved.new_creator) == (creator.pubkey(), config)
    assert result.log_events == result.events
    # A second call is a no-op.
    world.send([ix.create_fee_sharing_config(payer=creator.pubkey(), mint=token.mint)], creator)
    assert world.sharing_config(token.mint) == state

    # Trades now pay the creator fee into creator_vault(sharing_config).
    shared = replace_creator(token, config)
    first = world.buy(trader, shared, 2 * 10**12)
    fee_1 = only(first.events, TradeEvent)[0].creator_fee
    assert only(first.events, TradeEvent)[0].creator == config
    assert world.lamports(addr.creator_vault(config)) == RENT_EXEMPT_ZERO + fee_1
    # The old vault keeps what it had; its creator can still collect it.
    assert world.lamports(token.creator_vault) == RENT_EXEMPT_ZERO + BUY_1E12.creator_fee

    # update_fee_shares_v2: the pending fee_1 goes to the current shareholder (the creator).
    holders = funded_holders(world, 3)
    new_shares = [(holders[0], 5_000), (holders[1], 3_000), (holders[2], 2_000)]
    before = world.lamports(creator.pubkey())
    built = ix.update_fee_shares_v2(
        authority=creator.pubkey(),
        mint=token.mint,
        current_shareholders=[creator.pubkey()],
        new_shareholders=new_shares,
    )
    result = sent(world, built, "pump_fees.json", "update_fee_shares_v2", creator)
    assert world.lamports(creator.pubkey()) == before + fee_1 - TX_FEE
    assert world.lamports(addr.creator_vault(config)) == RENT_EXEMPT_ZERO
    state = world.sharing_config(token.mint)
    assert state.admin_revoked and state.shareholders == new_shares
    (updated,) = only(result.events, UpdateFeeSharesEvent)
    assert (updated.new_shareholders, updated.admin, updated.version) == (new_shares, creator.pubkey(), 2)
    (paid,) = only(result.events, DistributeCreatorFeesEvent)
    assert (paid.distributed, paid.shareholders) == (fee_1, [(creator.pubkey(), 10_000)])
    # Only once.
    expect_error(
        FEE_SHARING_CONFIG_ADMIN_REVOKED, lambda: world.update_fee_shares(creator, token, [(creator.pubkey(), 10_000)])
    )

    # More trades, then a permissionless distribution.
    fees = 0
    for result in (world.buy(trader, shared, 3 * 10**12), world.sell(trader, shared, 10**12)):
        fees += sum(e.creator_fee for e in only(result.events, TradeEvent))
    pending = world.lamports(addr.creator_vault(config)) - RENT_EXEMPT_ZERO
    assert pending == fees
    balances = [world.lamports(h) for h in holders]
    built = ix.distribute_creator_fees_v2(payer=world.payer.pubkey(), mint=token.mint, shareholders=holders)
    result = sent(world, built, "pump.json", "distribute_creator_fees_v2")
    shares = [pending * bps // 10_000 for _, bps in new_shares]
    assert [world.lamports(h) - b for h, b in zip(holders, balances, strict=True)] == shares
    assert world.lamports(addr.creator_vault(config)) == RENT_EXEMPT_ZERO + pending - sum(shares)
    (paid,) = only(result.events, DistributeCreatorFeesEvent)
    assert (paid.distributed, paid.shareholders, paid.sharing_config) == (sum(shares), new_shares, config)
    assert result.log_events == result.events

    # The shareholders must be passed in config order, all of them.
    for wrong in (holders[::-1], holders[:2]):
        bad = ix.distribute_creator_fees_v2(payer=world.payer.pubkey(), mint=token.mint, shareholders=wrong)
        expect_error(PUMP_SHAREHOLDERS_AND_REMAINING_ACCOUNTS_MISMATCH, functools.partial(world.send, [bad]))
    # Collecting the sharing config's vault directly is refused (v1 and v2).
    expect_error(PUMP_CREATOR_VAULT_MIGRATED_TO_SHARING_CONFIG, lambda: world.collect_creator_fee(config))
    expect_error(PUMP_CREATOR_VAULT_MIGRATED_TO_SHARING_CONFIG, lambda: world.send([ix.collect_creator_fee_v2(config)]))
    # The creator's old vault still collects (v2 as v1).
    before = world.lamports(creator.pubkey())
    world.send([ix.collect_creator_fee_v2(creator.pubkey())])
    assert world.lamports(creator.pubkey()) == before + BUY_1E12.creator_fee


def replace_creator(token: EcosystemToken, creator: Pubkey) -> EcosystemToken:
    return dataclasses.replace(token, creator=creator)


PUMP_EXECUTABLE_RECIPIENT = 6052


def test_distribute_pays_program_owned_shareholder_not_executable(world: PumpWorld) -> None:
    """Real pump (pump.json) refuses one kind of lamport recipient only: an executable account
    (6052). A shareholder owned by another program, with no data (what a program-owned fee
    account would be), is paid like a wallet."""
    creator = funded_creator(world)
    trader = world.new_trader(sol=50)
    shared = world.create_fee_sharing_config(creator, world.create_token(creator.pubkey()))
    holder = label_key("program-owned-holder")
    world.svm.set_account(holder, Account(RENT_EXEMPT_ZERO, b"", addr.PUMP_FEE_PROGRAM_ID, False))
    world.update_fee_shares(creator, shared, [(holder, 10_000)])
    world.buy(trader, shared, 10**12)
    pending = world.lamports(addr.creator_vault(shared.creator)) - RENT_EXEMPT_ZERO
    assert pending > 0
    world.distribute_creator_fees(shared)
    account = world.svm.get_account(holder)
    assert account is not None and account.owner == addr.PUMP_FEE_PROGRAM_ID and bytes(account.data) == b""
    assert account.lamports == RENT_EXEMPT_ZERO + pending

    # A program (executable) as shareholder: refused, nothing moves.
    other = world.create_fee_sharing_config(creator, world.create_token(creator.pubkey()))
    world.update_fee_shares(creator, other, [(addr.PUMP_FEE_PROGRAM_ID, 10_000)])
    world.buy(trader, other, 10**12)
    waiting = world.lamports(addr.creator_vault(other.creator))
    assert waiting > RENT_EXEMPT_ZERO
    expect_error(PUMP_EXECUTABLE_RECIPIENT, lambda: world.distribute_creator_fees(other))
    assert world.lamports(addr.creator_vault(other.creator)) == waiting


def test_update_fee_shares_validation_errors(world: PumpWorld) -> None:
    """Every documented rule, each with the IDL's error; nothing changes on failure."""
    creator = funded_creator(world)
    token = world.create_token(creator.pubkey())
    world.create_fee_sharing_config(creator, token)
    holders = funded_holders(world, 11)
    a, b = holders[0], holders[1]
    cases: dict[str, tuple[int, list[tuple[Pubkey, int]]]] = {
        "no shareholders": (FEE_NO_SHAREHOLDERS, []),
        "11 shareholders": (
            FEE_TOO_MANY_SHAREHOLDERS,
            [(h, 10_000 // 11 + (1 if i < 10_000 % 11 else 0)) for i, h in enumerate(holders)],
        ),
        "duplicate": (FEE_DUPLICATE_SHAREHOLDER, [(a, 5_000), (a, 5_000)]),
        "zero share": (FEE_ZERO_SHARE_NOT_ALLOWED, [(a, 10_000), (b, 0)]),
        "sum 9,999": (FEE_INVALID_SHARE_TOTAL, [(a, 5_000), (b, 4_999)]),
        "sum 10,001": (FEE_INVALID_SHARE_TOTAL, [(a, 5_000), (b, 5_001)]),
    }
    before = world.sharing_config(token.mint)
    for name, (code, shares) in cases.items():
        failure = expect_error(code, functools.partial(world.update_fee_shares, creator, token, shares))
        assert failure.instruction_index == 0, name
    # Ten shareholders is the maximum and works; so is one.
    stranger = funded_creator(world)
    expect_error(FEE_INVALID_ADMIN, lambda: world.update_fee_shares(stranger, token, [(a, 10_000)]))
    wrong_current = ix.update_fee_shares_v2(
        authority=creator.pubkey(), mint=token.mint, current_shareholders=[a], new_shareholders=[(a, 10_000)]
    )
    expect_error(FEE_SHAREHOLDER_ACCOUNT_MISMATCH, functools.partial(world.send, [wrong_current], creator))
    missing_current = ix.update_fee_shares_v2(
        authority=creator.pubkey(), mint=token.mint, current_shareholders=[], new_shareholders=[(a, 10_000)]
    )
    expect_error(FEE_NOT_ENOUGH_REMAINING_ACCOUNTS, functools.partial(world.send, [missing_current], creator))
    assert world.sharing_config(token.mint) == before
    ten = [(h, 1_000) for h in holders[:10]]
    world.update_fee_shares(creator, token, ten)
    assert world.sharing_config(token.mint).shareholders == ten


def test_create_fee_sharing_config_authorization(world: PumpWorld) -> None:
    creator = funded_creator(world)
    token = world.create_token(creator.pubkey())
    stranger = funded_creator(world)
    expect_error(FEE_NOT_AUTHORIZED, lambda: world.create_fee_sharing_config(stranger, token))
    # pump's admin_set_creator_authority may do it for the creator; the admin stays the creator.
    world.set_global(dataclasses.replace(world.global_state, admin_set_creator_authority=stranger.pubkey()))
    world.create_fee_sharing_config(stranger, token)
    assert world.sharing_config(token.mint).admin == creator.pubkey()
    # migrate_bonding_curve_creator called directly again: already migrated.
    expect_error(6049, lambda: world.send([ix.migrate_bonding_curve_creator(token.mint)]))


def test_fee_sharing_graduated_coin_transfer_then_distribute(world: PumpWorld) -> None:
    """A coin graduated through create_v2 -> buy-out -> migrate: the pool's coin_creator
    moves too; AMM fees in WSOL are unwrapped into pump's vault by
    transfer_creator_fees_to_pump_v2, then distributed."""
    creator = funded_creator(world)
    coin, _ = world.create_coin_v2(creator.pubkey())
    world.buy(world.new_trader(sol=200), coin, world.curve(coin).real_token_reserves)
    token, _ = world.migrate(coin)
    expect_error(
        FEE_AMM_ACCOUNTS_REQUIRED_FOR_GRADUATED_COIN,
        lambda: world.send([ix.create_fee_sharing_config(payer=creator.pubkey(), mint=token.mint)], creator),
    )
    trader = world.new_trader(sol=200)
    world.pool_buy(trader, token, 10**12)  # to the creator's own AMM vault
    built = ix.create_fee_sharing_config(payer=creator.pubkey(), mint=token.mint, pool=token.pool)
    result = sent(world, built, "pump_fees.json", "create_fee_sharing_config", creator)
    config = addr.sharing_config(token.mint)
    (moved,) = only(result.events, MigratePoolCoinCreatorEvent)
    assert (moved.pool, moved.old_coin_creator, moved.new_coin_creator) == (token.pool, creator.pubkey(), config)
    assert world.curve(token).creator == config
    shared = world_replace(token, config)

    # Pool trades now pay into the sharing config's AMM vault (its WSOL ATA made by the buy).
    fees = 0
    for result in (world.pool_buy(trader, shared, 10**12), world.pool_sell(trader, shared, 10**12)):
        fees += sum(e.coin_creator_fee for e in result.events if isinstance(e, (BuyEvent, SellEvent)))
    assert world.token_balance(shared.coin_creator_vault_ata) == fees
    destination = world.inject_wsol_account(config, 0)
    expect_error(
        AMM_CREATOR_VAULT_MIGRATED_TO_SHARING_CONFIG, lambda: world.collect_coin_creator_fee(shared, destination)
    )
    # Not for a coin creator that is not a sharing config.
    expect_error(AMM_INVALID_SHARING_CONFIG_COIN_CREATOR, lambda: world.transfer_creator_fees_to_pump(token))

    pump_vault = addr.creator_vault(config)
    authority_before = world.lamports(shared.coin_creator_vault_authority)
    payer_before = world.lamports(world.payer.pubkey())
    built = ix.amm_transfer_creator_fees_to_pump_v2(payer=world.payer.pubkey(), coin_creator=config)
    sent(world, built, "pump_amm.json", "transfer_creator_fees_to_pump_v2")
    # The vault was empty: the payer tops it up to rent-exemption, then gets exactly the fees.
    assert world.lamports(pump_vault) == RENT_EXEMPT_ZERO + fees
    assert world.lamports(world.payer.pubkey()) == payer_before - RENT_EXEMPT_ZERO - TX_FEE
    assert world.token_balance(shared.coin_creator_vault_ata) == 0
    assert world.lamports(shared.coin_creator_vault_ata) == WSOL_ATA_RENT
    assert world.lamports(shared.coin_creator_vault_authority) == authority_before
    # Nothing left: a second transfer is a no-op.
    world.transfer_creator_fees_to_pump(shared)
    assert world.lamports(pump_vault) == RENT_EXEMPT_ZERO + fees

    # update (sweeps the AMM side again, pays the creator), then distribute.
    more = only(world.pool_buy(trader, shared, 10**12).events, BuyEvent)[0].coin_creator_fee
    holders = funded_holders(world, 2)
    before = world.lamports(creator.pubkey())
    world.update_fee_shares(creator, shared, [(holders[0], 7_000), (holders[1], 3_000)])
    assert world.lamports(creator.pubkey()) == before + fees + more - TX_FEE
    assert world.token_balance(shared.coin_creator_vault_ata) == 0
    last = only(world.pool_buy(trader, shared, 10**12).events, BuyEvent)[0].coin_creator_fee
    world.transfer_creator_fees_to_pump(shared)
    balances = [world.lamports(h) for h in holders]
    world.distribute_creator_fees(shared)
    assert [world.lamports(h) - b for h, b in zip(holders, balances, strict=True)] == [
        last * 7_000 // 10_000,
        last * 3_000 // 10_000,
    ]


def world_replace(token: MigratedToken, creator: Pubkey) -> MigratedToken:
    return dataclasses.replace(token, creator=creator)


def test_fee_sharing_compute_units(world: PumpWorld, capsys: pytest.CaptureFixture[str]) -> None:
    """CU of each new instruction (top-level, CPIs included), for docs/PUMP_STANDIN.md."""
    creator = funded_creator(world)
    token = world.create_migrated_token(creator.pubkey())
    trader = world.new_trader(sol=200)
    units: dict[str, int] = {}
    result = world.send(
        [ix.create_fee_sharing_config(payer=creator.pubkey(), mint=token.mint, pool=token.pool)], creator
    )
    units["fee create_fee_sharing_config (graduated: 2 CPIs)"] = result.compute_units
    config = addr.sharing_config(token.mint)
    shared = world_replace(token, config)
    world.pool_buy(trader, shared, 10**12)
    world.fund(addr.creator_vault(config), RENT_EXEMPT_ZERO)
    units["pumpswap transfer_creator_fees_to_pump_v2"] = world.transfer_creator_fees_to_pump(shared).compute_units
    world.pool_buy(trader, shared, 10**12)
    holders = funded_holders(world, 10)
    result = world.update_fee_shares(creator, shared, [(h, 1_000) for h in holders])
    units["fee update_fee_shares_v2 (sweep + distribute to 1)"] = result.compute_units
    world.pool_buy(trader, shared, 10**12)
    world.transfer_creator_fees_to_pump(shared)
    units["pump distribute_creator_fees_v2 (10 shareholders)"] = world.distribute_creator_fees(shared).compute_units
    units["pump collect_creator_fee_v2"] = world.send([ix.collect_creator_fee_v2(creator.pubkey())]).compute_units
    units["pump create (SPL Token + Metaplex metadata CPI)"] = world.create_coin(creator.pubkey())[1].compute_units
    units["pump create_v2 (Token-2022 + metadata extension)"] = world.create_coin_v2(creator.pubkey())[1].compute_units
    with capsys.disabled():
        print("\n| stand-in instruction | CU |\n|---|---|")
        for name, cu in units.items():
            print(f"| {name} | {cu} |")
    assert all(0 < cu < 200_000 for cu in units.values())


# ------------------------------------------------------------------ issue 14: create_v2


def test_create_v2_makes_a_token_2022_coin_as_documented(world: PumpWorld) -> None:
    """create_v2 built from the official IDL: the Token-2022 mint (6 dp, metadata pointer
    to itself, token metadata, mint authority revoked), the whole supply in the curve's ATA,
    the curve at Global's initial reserves with `creator` from the argument, CreateEvent
    both ways; then the coin trades at pump.md's golden vector."""
    user = world.new_trader()
    creator = label_key("create-v2-creator")
    mint = Keypair()
    built = ix.create_v2(mint=mint.pubkey(), user=user.pubkey(), creator=creator, name="Stand-in", symbol="SIN", uri="https://x.invalid/m.json")
    check_against_idl(built, "pump.json", "create_v2")
    before = world.lamports(user.pubkey())
    result = world.send([built], user, mint)

    account = world.svm.get_account(mint.pubkey())
    assert account is not None and account.owner == TOKEN_2022_PROGRAM_ID
    data = bytes(account.data)
    assert data[0:4] == bytes(4)  # mint authority: None (revoked)
    assert int.from_bytes(data[36:44], "little") == 10**15 and data[44] == 6 and data[45] == 1
    assert data[46:50] == bytes(4)  # no freeze authority
    # Extensions: metadata pointer (type 18) to the mint itself, token metadata (type 19).
    assert data[165] == 1  # account type: mint
    assert int.from_bytes(data[166:168], "little") == 18 and data[202:234] == bytes(mint.pubkey())
    assert int.from_bytes(data[234:236], "little") == 19
    assert b"Stand-in" in data[238:] and b"SIN" in data[238:] and b"https://x.invalid/m.json" in data[238:]
    assert data[238:270] == bytes(addr.mint_authority())  # metadata update authority

    token = EcosystemToken(mint.pubkey(), creator, TOKEN_2022_PROGRAM_ID)
    curve = world.curve(token)
    assert (curve.virtual_token_reserves, curve.virtual_sol_reserves) == (1_073_000_000_000_000, 30_000_000_000)
    assert (curve.real_token_reserves, curve.real_sol_reserves, curve.token_total_supply) == (
        793_100_000_000_000,
        0,
        10**15,
    )
    assert (curve.creator, curve.complete) == (creator, False)
    assert world.token_balance(token.associated_bonding_curve) == 10**15
    rents = world.rent(len(data)) + world.rent(151) + world.rent(170)
    assert world.lamports(user.pubkey()) == before - rents - 2 * TX_FEE
    (event,) = only(result.events, CreateEvent)
    assert (event.name, event.symbol, event.uri) == ("Stand-in", "SIN", "https://x.invalid/m.json")
    assert (event.mint, event.bonding_curve, event.user, event.creator) == (
        mint.pubkey(),
        token.bonding_curve,
        user.pubkey(),
        creator,
    )
    assert (event.token_program, event.is_mayhem_mode, event.token_total_supply) == (
        TOKEN_2022_PROGRAM_ID,
        False,
        10**15,
    )
    assert result.log_events == result.events

    trader = world.new_trader()
    (trade,) = only(world.buy(trader, token, 10**12).events, TradeEvent)
    assert (trade.sol_amount, trade.fee, trade.creator_fee) == (
        BUY_1E12.sol,
        BUY_1E12.protocol_fee,
        BUY_1E12.creator_fee,
    )


def test_create_v2_validation(world: PumpWorld) -> None:
    user = world.new_trader()
    creator = label_key("create-v2-creator")

    def create(**overrides: object) -> object:
        mint = Keypair()
        args: dict[str, object] = {"name": "n", "symbol": "s", "uri": "u", "creator": creator, **overrides}
        built = ix.create_v2(mint=mint.pubkey(), user=user.pubkey(), **args)  # type: ignore[arg-type]
        return world.send([built], user, mint)

    expect_error(6043, lambda: create(name="x" * 33))
    expect_error(6044, lambda: create(symbol="x" * 14))
    expect_error(6045, lambda: create(uri="x" * 201))
    expect_error(6030, lambda: create(creator=Pubkey.default()))
    expect_error(6048, lambda: create(is_mayhem_mode=True))
    create(name="x" * 32, symbol="x" * 13, uri="x" * 200)
    world.set_global(dataclasses.replace(world.global_state, create_v2_enabled=False))
    expect_error(6046, lambda: create())


def test_create_makes_an_spl_coin_with_metaplex_metadata(world: PumpWorld) -> None:
    """create built from the official IDL: SPL mint (6 dp, authority revoked), Metaplex
    metadata at its PDA (owner Metaplex, name / symbol / uri padded, creators [creator]),
    the curve and supply as create_v2; CreateEvent; then a buy at the golden vector and a
    curve bought out to completion (CompleteEvent)."""
    user = world.new_trader(sol=200)
    creator = label_key("create-creator")
    mint = Keypair()
    built = ix.create(mint=mint.pubkey(), user=user.pubkey(), creator=creator, name="Legacy", symbol="LEG", uri="ipfs://x")
    check_against_idl(built, "pump.json", "create")
    before = world.lamports(user.pubkey())
    result = world.send([built], user, mint)

    account = world.svm.get_account(mint.pubkey())
    assert account is not None and account.owner == TOKEN_PROGRAM_ID and len(account.data) == 82
    data = bytes(account.data)
    assert data[0:4] == bytes(4) and int.from_bytes(data[36:44], "little") == 10**15 and data[44] == 6
    metadata = world.svm.get_account(addr.metaplex_metadata(mint.pubkey()))
    assert metadata is not None and metadata.owner == addr.METAPLEX_PROGRAM_ID and len(metadata.data) == 679
    m = bytes(metadata.data)
    assert m[0] == 4 and m[1:33] == bytes(addr.mint_authority()) and m[33:65] == bytes(mint.pubkey())
    assert m[65:69] == (32).to_bytes(4, "little") and m[69:101] == b"Legacy".ljust(32, b"\0")
    assert m[101:105] == (10).to_bytes(4, "little") and m[105:115] == b"LEG".ljust(10, b"\0")
    assert m[115:119] == (200).to_bytes(4, "little") and m[119:319] == b"ipfs://x".ljust(200, b"\0")
    # seller fee 0, creators Some([(creator, unverified, 100)]), primary sale no, immutable.
    assert m[319:321] == bytes(2) and m[321:326] == b"\x01\x01\x00\x00\x00"
    assert m[326:358] == bytes(creator) and m[358:360] == b"\x00\x64" and m[360:362] == b"\x00\x00"

    token = EcosystemToken(mint.pubkey(), creator, TOKEN_PROGRAM_ID)
    curve = world.curve(token)
    assert (curve.real_token_reserves, curve.real_sol_reserves, curve.creator) == (793_100_000_000_000, 0, creator)
    assert world.token_balance(token.associated_bonding_curve) == 10**15
    rents = world.rent(82) + world.rent(679) + world.rent(151) + world.rent(165)
    assert world.lamports(user.pubkey()) == before - rents - 2 * TX_FEE
    (event,) = only(result.events, CreateEvent)
    assert (event.name, event.symbol, event.uri, event.token_program) == ("Legacy", "LEG", "ipfs://x", TOKEN_PROGRAM_ID)
    assert (event.virtual_token_reserves, event.virtual_sol_reserves) == (1_073_000_000_000_000, 30_000_000_000)
    assert result.log_events == result.events

    (trade,) = only(world.buy(user, token, 10**12).events, TradeEvent)
    assert (trade.sol_amount, trade.creator_fee) == (BUY_1E12.sol, BUY_1E12.creator_fee)
    # Buying the rest of the real reserves completes the curve.
    rest = world.curve(token).real_token_reserves
    buyout = world.buy(user, token, rest)
    (complete,) = only(buyout.events, CompleteEvent)
    assert (complete.mint, complete.bonding_curve, complete.user) == (mint.pubkey(), token.bonding_curve, user.pubkey())
    assert complete in buyout.log_events
    assert world.curve(token).complete and world.curve(token).real_token_reserves == 0
    assert world.token_balance(token.associated_bonding_curve) == 10**15 - 793_100_000_000_000
    expect_error(PUMP_BONDING_CURVE_COMPLETE, lambda: world.buy(user, token, 10**6, max_sol_cost=10**9))


# ------------------------------------------------------------------ issue 14: migrate

MIGRATE_CU_LIMIT = 400_000


@pytest.mark.parametrize("use_v2", [False, True], ids=["create", "create_v2"])
def test_create_buy_out_migrate_then_trade_on_the_pool(world: PumpWorld, use_v2: bool) -> None:
    """The operator's lifecycle through instructions only: create -> buy the curve out
    (CompleteEvent) -> migrate (built from the official IDL) -> the canonical pool holds the
    curve's tokens and real SOL minus Global.pool_migration_fee, coin_creator = the curve's
    creator -> PumpSwap trades at the documented pool formulas."""
    creator = label_key("lifecycle-creator")
    buyer = world.new_trader(sol=200)
    token, _ = world.create_coin_v2(creator) if use_v2 else world.create_coin(creator)
    world.buy(buyer, token, 10**12)
    rest = world.curve(token).real_token_reserves
    world.buy(buyer, token, rest)
    curve = world.curve(token)
    assert curve.complete and curve.real_token_reserves == 0
    real_sol = curve.real_sol_reserves
    in_curve_account = world.lamports(token.bonding_curve)

    built = ix.migrate(
        user=buyer.pubkey(), mint=token.mint, withdraw_authority=world.global_state.withdraw_authority,
        token_program=token.token_program,
    )  # fmt: skip
    check_against_idl(built, "pump.json", "migrate")
    withdraw_before = world.lamports(world.global_state.withdraw_authority)
    budget = set_compute_unit_limit(MIGRATE_CU_LIMIT)
    result = world.send([budget, built], buyer)
    assert result.compute_units < MIGRATE_CU_LIMIT
    migrated = MigratedToken(
        token.mint, creator, token.token_program, addr.canonical_pool(token.mint),
        addr.associated_token_address(addr.canonical_pool(token.mint), token.mint, token.token_program),
        addr.associated_token_address(addr.canonical_pool(token.mint), WSOL_MINT),
    )  # fmt: skip
    fee = world.global_state.pool_migration_fee
    base, quote = 10**15 - 793_100_000_000_000, real_sol - fee
    assert world.pool_reserves(migrated) == (base, quote)
    account = world.svm.get_account(migrated.pool)
    assert account is not None
    pool = Pool.decode(bytes(account.data))
    assert (pool.index, pool.creator, pool.base_mint, pool.quote_mint) == (
        0,
        addr.pool_authority(token.mint),
        token.mint,
        WSOL_MINT,
    )
    assert (pool.coin_creator, pool.lp_mint) == (creator, addr.pool_lp_mint(migrated.pool))
    assert (pool.pool_base_token_account, pool.pool_quote_token_account) == (
        migrated.pool_base_token_account,
        migrated.pool_quote_token_account,
    )
    lp = math.isqrt(base * quote) - 100
    assert pool.lp_supply == lp
    assert (
        world.token_balance(
            addr.associated_token_address(addr.pool_authority(token.mint), pool.lp_mint, TOKEN_2022_PROGRAM_ID)
        )
        == lp
    )
    # The curve is empty: its account keeps only its rent; the fee paid every new account
    # and the rest of it reached the withdraw authority.
    after = world.curve(token)
    assert (after.complete, after.real_sol_reserves, after.real_token_reserves) == (True, 0, 0)
    assert world.lamports(token.bonding_curve) == in_curve_account - real_sol
    assert world.token_balance(token.associated_bonding_curve) == 0
    base_ata = world.rent(ata_size(token.token_program))
    rents = world.rent(300) + world.rent(82) + 2 * world.rent(165) + 2 * base_ata + world.rent(170)
    assert world.lamports(world.global_state.withdraw_authority) - withdraw_before == fee - rents
    assert world.lamports(addr.pool_authority(token.mint)) == 0
    (done,) = only(result.events, CompletePumpAmmMigrationEvent)
    assert (done.mint, done.mint_amount, done.sol_amount, done.pool_migration_fee, done.pool) == (
        token.mint, base, quote, fee, migrated.pool,
    )  # fmt: skip
    (pool_event,) = only(result.events, CreatePoolEvent)
    assert (pool_event.lp_token_amount_out, pool_event.coin_creator, pool_event.creator) == (
        lp,
        creator,
        addr.pool_authority(token.mint),
    )
    assert result.log_events == result.events
    # Idempotent: a second migrate does nothing.
    world.send([budget, built], buyer)
    assert world.pool_reserves(migrated) == (base, quote)

    # Trading on the pool, against the documented formulas (pump.md §4.5).
    trader = world.new_trader(sol=50)
    quote_buy = pm.pool_buy_exact_out(base, quote, 10**12)
    (event,) = only(world.pool_buy(trader, migrated, 10**12).events, BuyEvent)
    assert (event.quote_amount_in, event.lp_fee, event.protocol_fee, event.coin_creator_fee) == (
        quote_buy.quote_in, quote_buy.lp_fee, quote_buy.protocol_fee, quote_buy.creator_fee,
    )  # fmt: skip
    assert world.token_balance(migrated.coin_creator_vault_ata) == quote_buy.creator_fee
    quote_sell = pm.pool_sell(*world.pool_reserves(migrated), 10**12)
    (sold,) = only(world.pool_sell(trader, migrated, 10**12).events, SellEvent)
    assert (sold.quote_amount_out, sold.user_quote_amount_out) == (quote_sell.quote_out, quote_sell.user_quote_out)
