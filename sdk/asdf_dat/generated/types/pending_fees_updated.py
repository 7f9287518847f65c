from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
from solders.pubkey import Pubkey
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh


class PendingFeesUpdatedJSON(typing.TypedDict):
    mint: str
    amount: int
    pending_fees: int
    total_pending_fees: int
    watermark_slot: int
    watermark_seq: int
    timestamp: int


@dataclass
class PendingFeesUpdated:
    layout: typing.ClassVar = borsh.CStruct(
        "mint" / BorshPubkey,
        "amount" / borsh.U64,
        "pending_fees" / borsh.U64,
        "total_pending_fees" / borsh.U64,
        "watermark_slot" / borsh.U64,
        "watermark_seq" / borsh.U64,
        "timestamp" / borsh.I64,
    )
    mint: Pubkey
    amount: int
    pending_fees: int
    total_pending_fees: int
    watermark_slot: int
    watermark_seq: int
    timestamp: int

    @classmethod
    def from_decoded(cls, obj: Container[typing.Any]) -> "PendingFeesUpdated":
        return cls(
            mint=obj.mint,
            amount=obj.amount,
            pending_fees=obj.pending_fees,
            total_pending_fees=obj.total_pending_fees,
            watermark_slot=obj.watermark_slot,
            watermark_seq=obj.watermark_seq,
            timestamp=obj.timestamp,
        )

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "mint": self.mint,
            "amount": self.amount,
            "pending_fees": self.pending_fees,
            "total_pending_fees": self.total_pending_fees,
            "watermark_slot": self.watermark_slot,
            "watermark_seq": self.watermark_seq,
            "timestamp": self.timestamp,
        }

    def to_json(self) -> PendingFeesUpdatedJSON:
        return {
            "mint": str(self.mint),
            "amount": self.amount,
            "pending_fees": self.pending_fees,
            "total_pending_fees": self.total_pending_fees,
            "watermark_slot": self.watermark_slot,
            "watermark_seq": self.watermark_seq,
            "timestamp": self.timestamp,
        }

    @classmethod
    def from_json(cls, obj: PendingFeesUpdatedJSON) -> "PendingFeesUpdated":
        return cls(
            mint=Pubkey.from_string(obj["mint"]),
            amount=obj["amount"],
            pending_fees=obj["pending_fees"],
            total_pending_fees=obj["total_pending_fees"],
            watermark_slot=obj["watermark_slot"],
            watermark_seq=obj["watermark_seq"],
            timestamp=obj["timestamp"],
        )
