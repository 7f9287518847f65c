from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
from solders.pubkey import Pubkey
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh


class KeeperSetJSON(typing.TypedDict):
    old_keeper: str
    new_keeper: str
    timestamp: int


@dataclass
class KeeperSet:
    layout: typing.ClassVar = borsh.CStruct(
        "old_keeper" / BorshPubkey, "new_keeper" / BorshPubkey, "timestamp" / borsh.I64
    )
    old_keeper: Pubkey
    new_keeper: Pubkey
    timestamp: int

    @classmethod
    def from_decoded(cls, obj: Container[typing.Any]) -> "KeeperSet":
        return cls(
            old_keeper=obj.old_keeper,
            new_keeper=obj.new_keeper,
            timestamp=obj.timestamp,
        )

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "old_keeper": self.old_keeper,
            "new_keeper": self.new_keeper,
            "timestamp": self.timestamp,
        }

    def to_json(self) -> KeeperSetJSON:
        return {
            "old_keeper": str(self.old_keeper),
            "new_keeper": str(self.new_keeper),
            "timestamp": self.timestamp,
        }

    @classmethod
    def from_json(cls, obj: KeeperSetJSON) -> "KeeperSet":
        return cls(
            old_keeper=Pubkey.from_string(obj["old_keeper"]),
            new_keeper=Pubkey.from_string(obj["new_keeper"]),
            timestamp=obj["timestamp"],
        )
