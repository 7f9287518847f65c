"""Decode the `emit_cpi!` events (pump `TradeEvent`, `CompleteEvent`,
`CollectCreatorFeeEvent`; PumpSwap `BuyEvent`, `SellEvent`, `CollectCoinCreatorFeeEvent`)
from a transaction's inner instructions, the way an indexer reads them on mainnet."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from solders.instruction import CompiledInstruction
from solders.pubkey import Pubkey
from solders.transaction_metadata import InnerInstruction

from asdf_dat.pump.addresses import PUMP_AMM_PROGRAM_ID, PUMP_PROGRAM_ID
from asdf_dat.pump.borsh import Reader

__all__ = [
    "EVENT_IX_TAG",
    "BuyEvent",
    "CollectCoinCreatorFeeEvent",
    "CollectCreatorFeeEvent",
    "CompleteEvent",
    "Event",
    "SellEvent",
    "TradeEvent",
    "decode_event",
    "events_from_inner_instructions",
]

EVENT_IX_TAG = bytes([228, 69, 165, 46, 81, 203, 154, 29])


@dataclass(frozen=True)
class TradeEvent:
    mint: Pubkey
    sol_amount: int
    token_amount: int
    is_buy: bool
    user: Pubkey
    timestamp: int
    virtual_sol_reserves: int
    virtual_token_reserves: int
    real_sol_reserves: int
    real_token_reserves: int
    fee_recipient: Pubkey
    fee_basis_points: int
    fee: int
    creator: Pubkey
    creator_fee_basis_points: int
    creator_fee: int
    track_volume: bool
    total_unclaimed_tokens: int
    total_claimed_tokens: int
    current_sol_volume: int
    last_update_timestamp: int
    ix_name: str
    mayhem_mode: bool
    cashback_fee_basis_points: int
    cashback: int
    buyback_fee_basis_points: int
    buyback_fee: int
    shareholders: list[tuple[Pubkey, int]]
    quote_mint: Pubkey
    quote_amount: int
    virtual_quote_reserves: int
    real_quote_reserves: int

    DISCRIMINATOR = bytes([189, 219, 127, 211, 78, 230, 97, 238])

    @classmethod
    def read(cls, r: Reader) -> TradeEvent:
        return cls(
            mint=r.pubkey(),
            sol_amount=r.u64(),
            token_amount=r.u64(),
            is_buy=r.bool(),
            user=r.pubkey(),
            timestamp=r.i64(),
            virtual_sol_reserves=r.u64(),
            virtual_token_reserves=r.u64(),
            real_sol_reserves=r.u64(),
            real_token_reserves=r.u64(),
            fee_recipient=r.pubkey(),
            fee_basis_points=r.u64(),
            fee=r.u64(),
            creator=r.pubkey(),
            creator_fee_basis_points=r.u64(),
            creator_fee=r.u64(),
            track_volume=r.bool(),
            total_unclaimed_tokens=r.u64(),
            total_claimed_tokens=r.u64(),
            current_sol_volume=r.u64(),
            last_update_timestamp=r.i64(),
            ix_name=r.string(),
            mayhem_mode=r.bool(),
            cashback_fee_basis_points=r.u64(),
            cashback=r.u64(),
            buyback_fee_basis_points=r.u64(),
            buyback_fee=r.u64(),
            shareholders=[(r.pubkey(), r.u16()) for _ in range(r.u32())],
            quote_mint=r.pubkey(),
            quote_amount=r.u64(),
            virtual_quote_reserves=r.u64(),
            real_quote_reserves=r.u64(),
        )


@dataclass(frozen=True)
class CompleteEvent:
    user: Pubkey
    mint: Pubkey
    bonding_curve: Pubkey
    timestamp: int
    quote_mint: Pubkey

    DISCRIMINATOR = bytes([95, 114, 97, 156, 212, 46, 152, 8])

    @classmethod
    def read(cls, r: Reader) -> CompleteEvent:
        return cls(r.pubkey(), r.pubkey(), r.pubkey(), r.i64(), r.pubkey())


@dataclass(frozen=True)
class CollectCreatorFeeEvent:
    timestamp: int
    creator: Pubkey
    creator_fee: int
    quote_mint: Pubkey

    DISCRIMINATOR = bytes([122, 2, 127, 1, 14, 191, 12, 175])

    @classmethod
    def read(cls, r: Reader) -> CollectCreatorFeeEvent:
        return cls(r.i64(), r.pubkey(), r.u64(), r.pubkey())


@dataclass(frozen=True)
class BuyEvent:
    timestamp: int
    base_amount_out: int
    max_quote_amount_in: int
    user_base_token_reserves: int
    user_quote_token_reserves: int
    pool_base_token_reserves: int
    pool_quote_token_reserves: int
    quote_amount_in: int
    lp_fee_basis_points: int
    lp_fee: int
    protocol_fee_basis_points: int
    protocol_fee: int
    quote_amount_in_with_lp_fee: int
    user_quote_amount_in: int
    pool: Pubkey
    user: Pubkey
    user_base_token_account: Pubkey
    user_quote_token_account: Pubkey
    protocol_fee_recipient: Pubkey
    protocol_fee_recipient_token_account: Pubkey
    coin_creator: Pubkey
    coin_creator_fee_basis_points: int
    coin_creator_fee: int
    track_volume: bool
    total_unclaimed_tokens: int
    total_claimed_tokens: int
    current_sol_volume: int
    last_update_timestamp: int
    min_base_amount_out: int
    ix_name: str
    cashback_fee_basis_points: int
    cashback: int
    buyback_fee_basis_points: int
    buyback_fee: int

    DISCRIMINATOR = bytes([103, 244, 82, 31, 44, 245, 119, 119])

    @classmethod
    def read(cls, r: Reader) -> BuyEvent:
        return cls(
            timestamp=r.i64(),
            base_amount_out=r.u64(),
            max_quote_amount_in=r.u64(),
            user_base_token_reserves=r.u64(),
            user_quote_token_reserves=r.u64(),
            pool_base_token_reserves=r.u64(),
            pool_quote_token_reserves=r.u64(),
            quote_amount_in=r.u64(),
            lp_fee_basis_points=r.u64(),
            lp_fee=r.u64(),
            protocol_fee_basis_points=r.u64(),
            protocol_fee=r.u64(),
            quote_amount_in_with_lp_fee=r.u64(),
            user_quote_amount_in=r.u64(),
            pool=r.pubkey(),
            user=r.pubkey(),
            user_base_token_account=r.pubkey(),
            user_quote_token_account=r.pubkey(),
            protocol_fee_recipient=r.pubkey(),
            protocol_fee_recipient_token_account=r.pubkey(),
            coin_creator=r.pubkey(),
            coin_creator_fee_basis_points=r.u64(),
            coin_creator_fee=r.u64(),
            track_volume=r.bool(),
            total_unclaimed_tokens=r.u64(),
            total_claimed_tokens=r.u64(),
            current_sol_volume=r.u64(),
            last_update_timestamp=r.i64(),
            min_base_amount_out=r.u64(),
            ix_name=r.string(),
            cashback_fee_basis_points=r.u64(),
            cashback=r.u64(),
            buyback_fee_basis_points=r.u64(),
            buyback_fee=r.u64(),
        )


@dataclass(frozen=True)
class SellEvent:
    timestamp: int
    base_amount_in: int
    min_quote_amount_out: int
    user_base_token_reserves: int
    user_quote_token_reserves: int
    pool_base_token_reserves: int
    pool_quote_token_reserves: int
    quote_amount_out: int
    lp_fee_basis_points: int
    lp_fee: int
    protocol_fee_basis_points: int
    protocol_fee: int
    quote_amount_out_without_lp_fee: int
    user_quote_amount_out: int
    pool: Pubkey
    user: Pubkey
    user_base_token_account: Pubkey
    user_quote_token_account: Pubkey
    protocol_fee_recipient: Pubkey
    protocol_fee_recipient_token_account: Pubkey
    coin_creator: Pubkey
    coin_creator_fee_basis_points: int
    coin_creator_fee: int
    cashback_fee_basis_points: int
    cashback: int
    buyback_fee_basis_points: int
    buyback_fee: int

    DISCRIMINATOR = bytes([62, 47, 55, 10, 165, 3, 220, 42])

    @classmethod
    def read(cls, r: Reader) -> SellEvent:
        return cls(
            timestamp=r.i64(),
            base_amount_in=r.u64(),
            min_quote_amount_out=r.u64(),
            user_base_token_reserves=r.u64(),
            user_quote_token_reserves=r.u64(),
            pool_base_token_reserves=r.u64(),
            pool_quote_token_reserves=r.u64(),
            quote_amount_out=r.u64(),
            lp_fee_basis_points=r.u64(),
            lp_fee=r.u64(),
            protocol_fee_basis_points=r.u64(),
            protocol_fee=r.u64(),
            quote_amount_out_without_lp_fee=r.u64(),
            user_quote_amount_out=r.u64(),
            pool=r.pubkey(),
            user=r.pubkey(),
            user_base_token_account=r.pubkey(),
            user_quote_token_account=r.pubkey(),
            protocol_fee_recipient=r.pubkey(),
            protocol_fee_recipient_token_account=r.pubkey(),
            coin_creator=r.pubkey(),
            coin_creator_fee_basis_points=r.u64(),
            coin_creator_fee=r.u64(),
            cashback_fee_basis_points=r.u64(),
            cashback=r.u64(),
            buyback_fee_basis_points=r.u64(),
            buyback_fee=r.u64(),
        )


@dataclass(frozen=True)
class CollectCoinCreatorFeeEvent:
    timestamp: int
    coin_creator: Pubkey
    coin_creator_fee: int
    coin_creator_vault_ata: Pubkey
    coin_creator_token_account: Pubkey

    DISCRIMINATOR = bytes([232, 245, 194, 238, 234, 218, 58, 89])

    @classmethod
    def read(cls, r: Reader) -> CollectCoinCreatorFeeEvent:
        return cls(r.i64(), r.pubkey(), r.u64(), r.pubkey(), r.pubkey())


Event = Union[TradeEvent, CompleteEvent, CollectCreatorFeeEvent, BuyEvent, SellEvent, CollectCoinCreatorFeeEvent]

_PUMP_EVENTS: dict[bytes, type[TradeEvent] | type[CompleteEvent] | type[CollectCreatorFeeEvent]] = {
    TradeEvent.DISCRIMINATOR: TradeEvent,
    CompleteEvent.DISCRIMINATOR: CompleteEvent,
    CollectCreatorFeeEvent.DISCRIMINATOR: CollectCreatorFeeEvent,
}
_AMM_EVENTS: dict[bytes, type[BuyEvent] | type[SellEvent] | type[CollectCoinCreatorFeeEvent]] = {
    BuyEvent.DISCRIMINATOR: BuyEvent,
    SellEvent.DISCRIMINATOR: SellEvent,
    CollectCoinCreatorFeeEvent.DISCRIMINATOR: CollectCoinCreatorFeeEvent,
}


def decode_event(program_id: Pubkey, data: bytes) -> Event | None:
    """The event in a self-CPI's data (`EVENT_IX_TAG ‖ discriminator ‖ borsh`), else None."""
    if len(data) < 16 or data[:8] != EVENT_IX_TAG:
        return None
    table: dict[bytes, type[Event]]
    if program_id == PUMP_PROGRAM_ID:
        table = dict(_PUMP_EVENTS)
    elif program_id == PUMP_AMM_PROGRAM_ID:
        table = dict(_AMM_EVENTS)
    else:
        return None
    cls = table.get(data[8:16])
    return None if cls is None else cls.read(Reader(data, 16))


def events_from_inner_instructions(
    account_keys: list[Pubkey], inner_instructions: list[list[InnerInstruction]]
) -> list[Event]:
    """Every pump / PumpSwap event among a transaction's inner instructions, in order.

    `account_keys` are the message's keys; `inner_instructions` is
    `TransactionMetadata.inner_instructions()` (lists of `InnerInstruction`).
    """
    events: list[Event] = []
    for group in inner_instructions:
        for inner in group:
            compiled = _compiled(inner)
            event = decode_event(account_keys[compiled.program_id_index], bytes(compiled.data))
            if event is not None:
                events.append(event)
    return events


def _compiled(inner: InnerInstruction) -> CompiledInstruction:
    # The stub declares a method; the runtime object exposes a property.
    value = inner.instruction
    return value if isinstance(value, CompiledInstruction) else value()
