from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
from solders.pubkey import Pubkey
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh


class CycleDeferredJSON(typing.TypedDict):
    mint: str
    reason: int
    pending_fees: int
    allocation: int
    timestamp: int


@dataclass
class CycleDeferred:
    layout: typing.ClassVar = borsh.CStruct(
        "mint" / BorshPubkey,
        "reason" / borsh.U8,
        "pending_fees" / borsh.U64,
        "allocation" / borsh.U64,
        "timestamp" / borsh.I64,
    )
    mint: Pubkey
    reason: int
    pending_fees: int
    allocation: int
    timestamp: int

    @classmethod
    def from_decoded(cls, obj: Container[typing.Any]) -> "CycleDeferred":
        return cls(
            mint=obj.mint,
            reason=obj.reason,
            pending_fees=obj.pending_fees,
            allocation=obj.allocation,
            timestamp=obj.timestamp,
        )

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "mint": self.mint,
            "reason": self.reason,
            "pending_fees": self.pending_fees,
            "allocation": self.allocation,
            "timestamp": self.timestamp,
        }

    def to_json(self) -> CycleDeferredJSON:
        return {
            "mint": str(self.mint),
            "reason": self.reason,
            "pending_fees": self.pending_fees,
            "allocation": self.allocation,
            "timestamp": self.timestamp,
        }

    @classmethod
    def from_json(cls, obj: CycleDeferredJSON) -> "CycleDeferred":
        return cls(
            mint=Pubkey.from_string(obj["mint"]),
            reason=obj["reason"],
            pending_fees=obj["pending_fees"],
            allocation=obj["allocation"],
            timestamp=obj["timestamp"],
        )
