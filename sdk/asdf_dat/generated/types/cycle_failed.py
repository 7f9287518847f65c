from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
import borsh_construct as borsh


class CycleFailedJSON(typing.TypedDict):
    error_code: int
    consecutive_failures: int
    failed_cycles: int
    timestamp: int


@dataclass
class CycleFailed:
    layout: typing.ClassVar = borsh.CStruct(
        "error_code" / borsh.U32,
        "consecutive_failures" / borsh.U8,
        "failed_cycles" / borsh.U64,
        "timestamp" / borsh.I64,
    )
    error_code: int
    consecutive_failures: int
    failed_cycles: int
    timestamp: int

    @classmethod
    def from_decoded(cls, obj: Container[typing.Any]) -> "CycleFailed":
        return cls(
            error_code=obj.error_code,
            consecutive_failures=obj.consecutive_failures,
            failed_cycles=obj.failed_cycles,
            timestamp=obj.timestamp,
        )

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "error_code": self.error_code,
            "consecutive_failures": self.consecutive_failures,
            "failed_cycles": self.failed_cycles,
            "timestamp": self.timestamp,
        }

    def to_json(self) -> CycleFailedJSON:
        return {
            "error_code": self.error_code,
            "consecutive_failures": self.consecutive_failures,
            "failed_cycles": self.failed_cycles,
            "timestamp": self.timestamp,
        }

    @classmethod
    def from_json(cls, obj: CycleFailedJSON) -> "CycleFailed":
        return cls(
            error_code=obj["error_code"],
            consecutive_failures=obj["consecutive_failures"],
            failed_cycles=obj["failed_cycles"],
            timestamp=obj["timestamp"],
        )
