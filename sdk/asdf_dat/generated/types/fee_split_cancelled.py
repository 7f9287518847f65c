from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
import borsh_construct as borsh


class FeeSplitCancelledJSON(typing.TypedDict):
    cancelled_bps: int
    timestamp: int


@dataclass
class FeeSplitCancelled:
    layout: typing.ClassVar = borsh.CStruct(
        "cancelled_bps" / borsh.U16, "timestamp" / borsh.I64
    )
    cancelled_bps: int
    timestamp: int

    @classmethod
    def from_decoded(cls, obj: Container[typing.Any]) -> "FeeSplitCancelled":
        return cls(cancelled_bps=obj.cancelled_bps, timestamp=obj.timestamp)

    def to_encodable(self) -> dict[str, typing.Any]:
        return {"cancelled_bps": self.cancelled_bps, "timestamp": self.timestamp}

    def to_json(self) -> FeeSplitCancelledJSON:
        return {"cancelled_bps": self.cancelled_bps, "timestamp": self.timestamp}

    @classmethod
    def from_json(cls, obj: FeeSplitCancelledJSON) -> "FeeSplitCancelled":
        return cls(cancelled_bps=obj["cancelled_bps"], timestamp=obj["timestamp"])
