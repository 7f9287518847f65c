from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
import borsh_construct as borsh


class FeeSplitProposedJSON(typing.TypedDict):
    old_bps: int
    new_bps: int
    executable_at: int
    timestamp: int


@dataclass
class FeeSplitProposed:
    layout: typing.ClassVar = borsh.CStruct(
        "old_bps" / borsh.U16,
        "new_bps" / borsh.U16,
        "executable_at" / borsh.I64,
        "timestamp" / borsh.I64,
    )
    old_bps: int
    new_bps: int
    executable_at: int
    timestamp: int

    @classmethod
    def from_decoded(cls, obj: Container[typing.Any]) -> "FeeSplitProposed":
        return cls(
            old_bps=obj.old_bps,
            new_bps=obj.new_bps,
            executable_at=obj.executable_at,
            timestamp=obj.timestamp,
        )

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "old_bps": self.old_bps,
            "new_bps": self.new_bps,
            "executable_at": self.executable_at,
            "timestamp": self.timestamp,
        }

    def to_json(self) -> FeeSplitProposedJSON:
        return {
            "old_bps": self.old_bps,
            "new_bps": self.new_bps,
            "executable_at": self.executable_at,
            "timestamp": self.timestamp,
        }

    @classmethod
    def from_json(cls, obj: FeeSplitProposedJSON) -> "FeeSplitProposed":
        return cls(
            old_bps=obj["old_bps"],
            new_bps=obj["new_bps"],
            executable_at=obj["executable_at"],
            timestamp=obj["timestamp"],
        )
