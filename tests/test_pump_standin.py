"""The pump.fun bonding-curve + PumpSwap stand-in (programs/pump_standin) in LiteSVM, at
both real program ids: golden vectors from pump.md, fees to the lamport, the real error
codes for wrong accounts, creator-fee accumulation and collection, and the events."""

from __future__ import annotations

import json
import random
import functools
from collections.abc import Callable, Sequence
from typing import TypeVar
from pathlib import Path

import pytest
from solders.account import Account
from solders.instruction import AccountMeta, Instruction
from solders.keypair import Keypair
from solders.pubkey import Pubkey

from asdf_dat.pump import (
    BuyEvent,
    CollectCoinCreatorFeeEvent,
    CollectCreatorFeeEvent,
    CompleteEvent,
    PumpWorld,
    SellEvent,
    TradeEvent,
    TransactionFailed,
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
from asdf_dat.pump.layouts import BondingCurve
from asdf_dat.pump.tokens import create_ata_idempotent
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
    expect_error(PUMP_TOO_MUCH_SOL_REQUIRED, lambda: world.buy(trader, token, 10**12, max_sol_cost=BUY_1E12.total_cost - 1))
    expect_error(PUMP_BUY_ZERO_AMOUNT, lambda: world.buy(trader, token, 0, max_sol_cost=10**9))
    expect_error(
        PUMP_BUY_SLIPPAGE_BELOW_MIN_TOKENS_OUT,
        lambda: world.buy_exact_sol_in(trader, token, 10**9, min_tokens_out=34_199_203_120_619),
    )
    world.buy(trader, token, 10**12, max_sol_cost=BUY_1E12.total_cost)
    quote = world.quote_sell(token, 10**12)
    expect_error(
        PUMP_TOO_LITTLE_SOL_RECEIVED, lambda: world.sell(trader, token, 10**12, min_sol_output=quote.seller_receives + 1)
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
        forged = Instruction(program_id, EVENT_IX_TAG + TradeEvent.DISCRIMINATOR + bytes(300), [AccountMeta(authority, False, False)])
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
    assert (event.coin_creator, event.coin_creator_fee, event.coin_creator_token_account) == (creator, fees, destination)


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
        "foreign mint": (AMM_INVALID_BASE_MINT, {"a3": other.mint, "a5": addr.associated_token_address(user, other.mint)}),
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


def _idl(name: str) -> dict[str, object]:
    data = json.loads((IDL_DIR / name).read_text())
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize(
    ("idl_file", "ix_name", "build"),
    [
        ("pump.json", "buy", lambda u, m, c: ix.buy(user=u, mint=m, creator=c, fee_recipient=c, amount=1, max_sol_cost=2)),
        (
            "pump.json",
            "buy_exact_sol_in",
            lambda u, m, c: ix.buy_exact_sol_in(user=u, mint=m, creator=c, fee_recipient=c, spendable_sol_in=1, min_tokens_out=2),
        ),
        ("pump.json", "sell", lambda u, m, c: ix.sell(user=u, mint=m, creator=c, fee_recipient=c, amount=1, min_sol_output=2)),
        ("pump.json", "collect_creator_fee", lambda u, m, c: ix.collect_creator_fee(c)),
        (
            "pump_amm.json",
            "buy",
            lambda u, m, c: ix.amm_buy(
                pool=m, user=u, base_mint=m, coin_creator=c, protocol_fee_recipient=c, base_amount_out=1, max_quote_amount_in=2
            ),
        ),
        (
            "pump_amm.json",
            "sell",
            lambda u, m, c: ix.amm_sell(
                pool=m, user=u, base_mint=m, coin_creator=c, protocol_fee_recipient=c, base_amount_in=1, min_quote_amount_out=2
            ),
        ),
        ("pump_amm.json", "collect_coin_creator_fee", lambda u, m, c: ix.amm_collect_coin_creator_fee(coin_creator=c, destination=u)),
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
    size = sum(arg_sizes[a["type"] if isinstance(a["type"], str) else a["type"]["defined"]["name"]] for a in spec["args"])
    assert len(built.data) == 8 + size


def test_trailing_bytes_and_accounts_are_ignored_missing_ones_fail(world: PumpWorld, creator: Pubkey) -> None:
    token = world.create_token(creator)
    trader = world.new_trader()
    built = curve_buy_ix(world, trader, token)
    longer = Instruction(
        built.program_id,
        bytes(built.data) + b"\x01\xff",
        [*built.accounts, AccountMeta(Pubkey.new_unique(), False, False), AccountMeta(Pubkey.new_unique(), False, True)],
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
