from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
from solders.pubkey import Pubkey
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh


class StatusChangedJSON(typing.TypedDict):
    is_active: bool
    consecutive_failures: int
    by: str
    timestamp: int


@dataclass
class StatusChanged:
    layout: typing.ClassVar = borsh.CStruct(
        "is_active" / borsh.Bool,
        "consecutive_failures" / borsh.U8,
        "by" / BorshPubkey,
        "timestamp" / borsh.I64,
    )
    is_active: bool
    consecutive_failures: int
    by: Pubkey
    timestamp: int

    @classmethod
    def from_decoded(cls, obj: Container[typing.Any]) -> "StatusChanged":
        return cls(
            is_active=obj.is_active,
            consecutive_failures=obj.consecutive_failures,
            by=obj.by,
            timestamp=obj.timestamp,
        )

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "is_active": self.is_active,
            "consecutive_failures": self.consecutive_failures,
            "by": self.by,
            "timestamp": self.timestamp,
        }

    def to_json(self) -> StatusChangedJSON:
        return {
            "is_active": self.is_active,
            "consecutive_failures": self.consecutive_failures,
            "by": str(self.by),
            "timestamp": self.timestamp,
        }

    @classmethod
    def from_json(cls, obj: StatusChangedJSON) -> "StatusChanged":
        return cls(
            is_active=obj["is_active"],
            consecutive_failures=obj["consecutive_failures"],
            by=Pubkey.from_string(obj["by"]),
            timestamp=obj["timestamp"],
        )
