from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
from solders.pubkey import Pubkey
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh


class AdminTransferredJSON(typing.TypedDict):
    old_admin: str
    new_admin: str
    timestamp: int


@dataclass
class AdminTransferred:
    layout: typing.ClassVar = borsh.CStruct(
        "old_admin" / BorshPubkey, "new_admin" / BorshPubkey, "timestamp" / borsh.I64
    )
    old_admin: Pubkey
    new_admin: Pubkey
    timestamp: int

    @classmethod
    def from_decoded(cls, obj: Container[typing.Any]) -> "AdminTransferred":
        return cls(
            old_admin=obj.old_admin, new_admin=obj.new_admin, timestamp=obj.timestamp
        )

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "old_admin": self.old_admin,
            "new_admin": self.new_admin,
            "timestamp": self.timestamp,
        }

    def to_json(self) -> AdminTransferredJSON:
        return {
            "old_admin": str(self.old_admin),
            "new_admin": str(self.new_admin),
            "timestamp": self.timestamp,
        }

    @classmethod
    def from_json(cls, obj: AdminTransferredJSON) -> "AdminTransferred":
        return cls(
            old_admin=Pubkey.from_string(obj["old_admin"]),
            new_admin=Pubkey.from_string(obj["new_admin"]),
            timestamp=obj["timestamp"],
        )
