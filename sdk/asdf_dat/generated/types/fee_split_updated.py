from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
import borsh_construct as borsh


class FeeSplitUpdatedJSON(typing.TypedDict):
    old_bps: int
    new_bps: int
    timestamp: int


@dataclass
class FeeSplitUpdated:
    layout: typing.ClassVar = borsh.CStruct(
        "old_bps" / borsh.U16, "new_bps" / borsh.U16, "timestamp" / borsh.I64
    )
    old_bps: int
    new_bps: int
    timestamp: int

    @classmethod
    def from_decoded(cls, obj: Container[typing.Any]) -> "FeeSplitUpdated":
        return cls(old_bps=obj.old_bps, new_bps=obj.new_bps, timestamp=obj.timestamp)

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "old_bps": self.old_bps,
            "new_bps": self.new_bps,
            "timestamp": self.timestamp,
        }

    def to_json(self) -> FeeSplitUpdatedJSON:
        return {
            "old_bps": self.old_bps,
            "new_bps": self.new_bps,
            "timestamp": self.timestamp,
        }

    @classmethod
    def from_json(cls, obj: FeeSplitUpdatedJSON) -> "FeeSplitUpdated":
        return cls(
            old_bps=obj["old_bps"], new_bps=obj["new_bps"], timestamp=obj["timestamp"]
        )
