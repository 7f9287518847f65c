from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
import borsh_construct as borsh


class FeesCollectedJSON(typing.TypedDict):
    venue: int
    amount: int
    held_lamports: int
    held_wsol: int
    timestamp: int


@dataclass
class FeesCollected:
    layout: typing.ClassVar = borsh.CStruct(
        "venue" / borsh.U8,
        "amount" / borsh.U64,
        "held_lamports" / borsh.U64,
        "held_wsol" / borsh.U64,
        "timestamp" / borsh.I64,
    )
    venue: int
    amount: int
    held_lamports: int
    held_wsol: int
    timestamp: int

    @classmethod
    def from_decoded(cls, obj: Container[typing.Any]) -> "FeesCollected":
        return cls(
            venue=obj.venue,
            amount=obj.amount,
            held_lamports=obj.held_lamports,
            held_wsol=obj.held_wsol,
            timestamp=obj.timestamp,
        )

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "venue": self.venue,
            "amount": self.amount,
            "held_lamports": self.held_lamports,
            "held_wsol": self.held_wsol,
            "timestamp": self.timestamp,
        }

    def to_json(self) -> FeesCollectedJSON:
        return {
            "venue": self.venue,
            "amount": self.amount,
            "held_lamports": self.held_lamports,
            "held_wsol": self.held_wsol,
            "timestamp": self.timestamp,
        }

    @classmethod
    def from_json(cls, obj: FeesCollectedJSON) -> "FeesCollected":
        return cls(
            venue=obj["venue"],
            amount=obj["amount"],
            held_lamports=obj["held_lamports"],
            held_wsol=obj["held_wsol"],
            timestamp=obj["timestamp"],
        )
