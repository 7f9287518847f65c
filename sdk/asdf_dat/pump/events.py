"""Decode the `emit_cpi!` events (pump `TradeEvent`, `CompleteEvent`,
`CollectCreatorFeeEvent`; PumpSwap `BuyEvent`, `SellEvent`, `CollectCoinCreatorFeeEvent`)
from a transaction's inner instructions, or from its `Program data:` log lines, the two ways
indexers read them on mainnet."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from solders.instruction import CompiledInstruction
from solders.pubkey import Pubkey
from solders.transaction_metadata import InnerInstruction

from asdf_dat.pump.addresses import PUMP_AMM_PROGRAM_ID, PUMP_FEE_PROGRAM_ID, PUMP_PROGRAM_ID
from asdf_dat.pump.borsh import Reader

__all__ = [
    "EVENT_IX_TAG",
    "BuyEvent",
    "CollectCoinCreatorFeeEvent",
    "CollectCreatorFeeEvent",
    "CompleteEvent",
    "CompletePumpAmmMigrationEvent",
    "CreateEvent",
    "CreateFeeSharingConfigEvent",
    "CreatePoolEvent",
    "DistributeCreatorFeesEvent",
    "Event",
    "MigrateBondingCurveCreatorEvent",
    "MigratePoolCoinCreatorEvent",
    "UpdateFeeSharesEvent",
    "SellEvent",
    "TradeEvent",
    "decode_event",
    "decode_event_body",
    "events_from_inner_instructions",
    "events_from_logs",
    "CreatorFeePaid",
    "creator_fees_paid",
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


Shareholders = list[tuple[Pubkey, int]]


def _shareholders(r: Reader) -> Shareholders:
    return [(r.pubkey(), r.u16()) for _ in range(r.u32())]


@dataclass(frozen=True)
class CreateEvent:
    name: str
    symbol: str
    uri: str
    mint: Pubkey
    bonding_curve: Pubkey
    user: Pubkey
    creator: Pubkey
    timestamp: int
    virtual_token_reserves: int
    virtual_sol_reserves: int
    real_token_reserves: int
    token_total_supply: int
    token_program: Pubkey
    is_mayhem_mode: bool
    is_cashback_enabled: bool
    quote_mint: Pubkey
    virtual_quote_reserves: int

    DISCRIMINATOR = bytes([27, 114, 169, 77, 222, 235, 99, 118])

    @classmethod
    def read(cls, r: Reader) -> CreateEvent:
        name, symbol, uri = r.string(), r.string(), r.string()
        mint, curve, user, creator, timestamp = r.pubkey(), r.pubkey(), r.pubkey(), r.pubkey(), r.i64()
        vt, vs, rt, supply = r.u64(), r.u64(), r.u64(), r.u64()
        return cls(name, symbol, uri, mint, curve, user, creator, timestamp, vt, vs, rt, supply,
                   r.pubkey(), r.bool(), r.bool(), r.pubkey(), r.u64())  # fmt: skip


@dataclass(frozen=True)
class CompletePumpAmmMigrationEvent:
    user: Pubkey
    mint: Pubkey
    mint_amount: int
    sol_amount: int
    pool_migration_fee: int
    bonding_curve: Pubkey
    timestamp: int
    pool: Pubkey
    quote_mint: Pubkey

    DISCRIMINATOR = bytes([189, 233, 93, 185, 92, 148, 234, 148])

    @classmethod
    def read(cls, r: Reader) -> CompletePumpAmmMigrationEvent:
        return cls(r.pubkey(), r.pubkey(), r.u64(), r.u64(), r.u64(), r.pubkey(), r.i64(), r.pubkey(), r.pubkey())


@dataclass(frozen=True)
class CreatePoolEvent:
    timestamp: int
    index: int
    creator: Pubkey
    base_mint: Pubkey
    quote_mint: Pubkey
    base_mint_decimals: int
    quote_mint_decimals: int
    base_amount_in: int
    quote_amount_in: int
    pool_base_amount: int
    pool_quote_amount: int
    minimum_liquidity: int
    initial_liquidity: int
    lp_token_amount_out: int
    pool_bump: int
    pool: Pubkey
    lp_mint: Pubkey
    user_base_token_account: Pubkey
    user_quote_token_account: Pubkey
    coin_creator: Pubkey
    is_mayhem_mode: bool

    DISCRIMINATOR = bytes([177, 49, 12, 210, 160, 118, 167, 116])

    @classmethod
    def read(cls, r: Reader) -> CreatePoolEvent:
        head = (r.i64(), r.u16(), r.pubkey(), r.pubkey(), r.pubkey(), r.u8(), r.u8())
        amounts = (r.u64(), r.u64(), r.u64(), r.u64(), r.u64(), r.u64(), r.u64())
        return cls(*head, *amounts, r.u8(), r.pubkey(), r.pubkey(), r.pubkey(), r.pubkey(), r.pubkey(), r.bool())


@dataclass(frozen=True)
class MigrateBondingCurveCreatorEvent:
    timestamp: int
    mint: Pubkey
    bonding_curve: Pubkey
    sharing_config: Pubkey
    old_creator: Pubkey
    new_creator: Pubkey

    DISCRIMINATOR = bytes([155, 167, 104, 220, 213, 108, 243, 3])

    @classmethod
    def read(cls, r: Reader) -> MigrateBondingCurveCreatorEvent:
        return cls(r.i64(), r.pubkey(), r.pubkey(), r.pubkey(), r.pubkey(), r.pubkey())


@dataclass(frozen=True)
class DistributeCreatorFeesEvent:
    timestamp: int
    mint: Pubkey
    bonding_curve: Pubkey
    sharing_config: Pubkey
    admin: Pubkey
    shareholders: Shareholders
    distributed: int
    quote_mint: Pubkey

    DISCRIMINATOR = bytes([165, 55, 129, 112, 4, 179, 202, 40])

    @classmethod
    def read(cls, r: Reader) -> DistributeCreatorFeesEvent:
        return cls(r.i64(), r.pubkey(), r.pubkey(), r.pubkey(), r.pubkey(), _shareholders(r), r.u64(), r.pubkey())


@dataclass(frozen=True)
class MigratePoolCoinCreatorEvent:
    timestamp: int
    base_mint: Pubkey
    pool: Pubkey
    sharing_config: Pubkey
    old_coin_creator: Pubkey
    new_coin_creator: Pubkey

    DISCRIMINATOR = bytes([170, 221, 82, 199, 147, 165, 247, 46])

    @classmethod
    def read(cls, r: Reader) -> MigratePoolCoinCreatorEvent:
        return cls(r.i64(), r.pubkey(), r.pubkey(), r.pubkey(), r.pubkey(), r.pubkey())


@dataclass(frozen=True)
class CreateFeeSharingConfigEvent:
    timestamp: int
    mint: Pubkey
    bonding_curve: Pubkey
    pool: Pubkey | None
    sharing_config: Pubkey
    admin: Pubkey
    initial_shareholders: Shareholders
    status: int  # ConfigStatus: 0 Paused, 1 Active

    DISCRIMINATOR = bytes([133, 105, 170, 200, 184, 116, 251, 88])

    @classmethod
    def read(cls, r: Reader) -> CreateFeeSharingConfigEvent:
        timestamp, mint, curve = r.i64(), r.pubkey(), r.pubkey()
        pool = r.pubkey() if r.u8() else None
        return cls(timestamp, mint, curve, pool, r.pubkey(), r.pubkey(), _shareholders(r), r.u8())


@dataclass(frozen=True)
class UpdateFeeSharesEvent:
    timestamp: int
    mint: Pubkey
    sharing_config: Pubkey
    admin: Pubkey
    new_shareholders: Shareholders
    version: int

    DISCRIMINATOR = bytes([21, 186, 196, 184, 91, 228, 225, 203])

    @classmethod
    def read(cls, r: Reader) -> UpdateFeeSharesEvent:
        return cls(r.i64(), r.pubkey(), r.pubkey(), r.pubkey(), _shareholders(r), r.u8())



Event = (
    TradeEvent
    | CompleteEvent
    | CreateEvent
    | CompletePumpAmmMigrationEvent
    | CreatePoolEvent
    | CollectCreatorFeeEvent
    | BuyEvent
    | SellEvent
    | CollectCoinCreatorFeeEvent
    | MigrateBondingCurveCreatorEvent
    | DistributeCreatorFeesEvent
    | MigratePoolCoinCreatorEvent
    | CreateFeeSharingConfigEvent
    | UpdateFeeSharesEvent
)

_PUMP_EVENTS: dict[bytes, type[Event]] = {
    TradeEvent.DISCRIMINATOR: TradeEvent,
    CompleteEvent.DISCRIMINATOR: CompleteEvent,
    CreateEvent.DISCRIMINATOR: CreateEvent,
    CompletePumpAmmMigrationEvent.DISCRIMINATOR: CompletePumpAmmMigrationEvent,
    CollectCreatorFeeEvent.DISCRIMINATOR: CollectCreatorFeeEvent,
    MigrateBondingCurveCreatorEvent.DISCRIMINATOR: MigrateBondingCurveCreatorEvent,
    DistributeCreatorFeesEvent.DISCRIMINATOR: DistributeCreatorFeesEvent,
}
_AMM_EVENTS: dict[bytes, type[Event]] = {
    BuyEvent.DISCRIMINATOR: BuyEvent,
    SellEvent.DISCRIMINATOR: SellEvent,
    CollectCoinCreatorFeeEvent.DISCRIMINATOR: CollectCoinCreatorFeeEvent,
    MigratePoolCoinCreatorEvent.DISCRIMINATOR: MigratePoolCoinCreatorEvent,
    CreatePoolEvent.DISCRIMINATOR: CreatePoolEvent,
}
_FEE_EVENTS: dict[bytes, type[Event]] = {
    CreateFeeSharingConfigEvent.DISCRIMINATOR: CreateFeeSharingConfigEvent,
    UpdateFeeSharesEvent.DISCRIMINATOR: UpdateFeeSharesEvent,
}


def decode_event(program_id: Pubkey, data: bytes) -> Event | None:
    """The event in a self-CPI's data (`EVENT_IX_TAG ‖ discriminator ‖ borsh`), else None."""
    if len(data) < 16 or data[:8] != EVENT_IX_TAG:
        return None
    return decode_event_body(program_id, data[8:])


def decode_event_body(program_id: Pubkey, data: bytes) -> Event | None:
    """The event in `discriminator ‖ borsh` (a `Program data:` log line), else None."""
    if len(data) < 8:
        return None
    table: dict[bytes, type[Event]]
    if program_id == PUMP_PROGRAM_ID:
        table = dict(_PUMP_EVENTS)
    elif program_id == PUMP_AMM_PROGRAM_ID:
        table = dict(_AMM_EVENTS)
    elif program_id == PUMP_FEE_PROGRAM_ID:
        table = dict(_FEE_EVENTS)
    else:
        return None
    cls = table.get(data[:8])
    return None if cls is None else cls.read(Reader(data, 8))


def events_from_logs(logs: Sequence[str]) -> list[Event]:
    """Every pump / PumpSwap event written as a `Program data: <base64>` log line while
    that program was the innermost one running (as Anchor's `EventParser` reads them)."""
    stack: list[Pubkey] = []
    events: list[Event] = []
    for line in logs:
        parts = line.split()
        if len(parts) >= 4 and parts[0] == "Program" and parts[2] == "invoke":
            stack.append(Pubkey.from_string(parts[1]))
        elif len(parts) >= 3 and parts[0] == "Program" and parts[2] in ("success", "failed", "failed:"):
            if stack:
                stack.pop()
        elif line.startswith("Program data: ") and stack:
            try:
                body = base64.b64decode(line[len("Program data: ") :], validate=True)
            except binascii.Error:
                continue
            event = decode_event_body(stack[-1], body)
            if event is not None:
                events.append(event)
    return events


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


@dataclass(frozen=True)
class CreatorFeePaid:
    """The creator fee one trade paid, read from its event. A curve trade names its mint; a
    PumpSwap trade names its pool (the caller maps pools to mints)."""

    seq: int
    """The event's index among the transaction's decoded events (the trade's order in it)."""
    venue: Literal["bc", "amm"]
    mint: Pubkey | None
    pool: Pubkey | None
    creator: Pubkey
    fee: int
    is_buy: bool
    sol_amount: int


def creator_fees_paid(events: Sequence[Event], creator: Pubkey | None = None) -> list[CreatorFeePaid]:
    """The trades among `events` (pump `TradeEvent`, PumpSwap `BuyEvent` / `SellEvent`) with the
    creator fee each paid, in order; only those whose coin creator is `creator` when given.
    Shared by the fee daemon's detector and the sandbox's trade records."""
    out: list[CreatorFeePaid] = []
    for seq, event in enumerate(events):
        if isinstance(event, TradeEvent):
            if creator is None or event.creator == creator:
                out.append(CreatorFeePaid(seq, "bc", event.mint, None, event.creator, event.creator_fee,
                                          event.is_buy, event.sol_amount))
        elif isinstance(event, BuyEvent | SellEvent):
            if creator is None or event.coin_creator == creator:
                sol = event.quote_amount_in if isinstance(event, BuyEvent) else event.quote_amount_out
                out.append(CreatorFeePaid(seq, "amm", None, event.pool, event.coin_creator, event.coin_creator_fee,
                                          isinstance(event, BuyEvent), sol))
    return out
