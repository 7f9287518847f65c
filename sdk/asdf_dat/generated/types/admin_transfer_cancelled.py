from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
from solders.pubkey import Pubkey
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh


class AdminTransferCancelledJSON(typing.TypedDict):
    admin: str
    cancelled_admin: str
    timestamp: int


@dataclass
class AdminTransferCancelled:
    layout: typing.ClassVar = borsh.CStruct(
        "admin" / BorshPubkey, "cancelled_admin" / BorshPubkey, "timestamp" / borsh.I64
    )
    admin: Pubkey
    cancelled_admin: Pubkey
    timestamp: int

    @classmethod
    def from_decoded(cls, obj: Container[typing.Any]) -> "AdminTransferCancelled":
        return cls(
            admin=obj.admin,
            cancelled_admin=obj.cancelled_admin,
            timestamp=obj.timestamp,
        )

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "admin": self.admin,
            "cancelled_admin": self.cancelled_admin,
            "timestamp": self.timestamp,
        }

    def to_json(self) -> AdminTransferCancelledJSON:
        return {
            "admin": str(self.admin),
            "cancelled_admin": str(self.cancelled_admin),
            "timestamp": self.timestamp,
        }

    @classmethod
    def from_json(cls, obj: AdminTransferCancelledJSON) -> "AdminTransferCancelled":
        return cls(
            admin=Pubkey.from_string(obj["admin"]),
            cancelled_admin=Pubkey.from_string(obj["cancelled_admin"]),
            timestamp=obj["timestamp"],
        )
