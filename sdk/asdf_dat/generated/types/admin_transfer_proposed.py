from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
from solders.pubkey import Pubkey
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh


class AdminTransferProposedJSON(typing.TypedDict):
    current_admin: str
    proposed_admin: str
    timestamp: int


@dataclass
class AdminTransferProposed:
    layout: typing.ClassVar = borsh.CStruct(
        "current_admin" / BorshPubkey,
        "proposed_admin" / BorshPubkey,
        "timestamp" / borsh.I64,
    )
    current_admin: Pubkey
    proposed_admin: Pubkey
    timestamp: int

    @classmethod
    def from_decoded(cls, obj: Container[typing.Any]) -> "AdminTransferProposed":
        return cls(
            current_admin=obj.current_admin,
            proposed_admin=obj.proposed_admin,
            timestamp=obj.timestamp,
        )

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "current_admin": self.current_admin,
            "proposed_admin": self.proposed_admin,
            "timestamp": self.timestamp,
        }

    def to_json(self) -> AdminTransferProposedJSON:
        return {
            "current_admin": str(self.current_admin),
            "proposed_admin": str(self.proposed_admin),
            "timestamp": self.timestamp,
        }

    @classmethod
    def from_json(cls, obj: AdminTransferProposedJSON) -> "AdminTransferProposed":
        return cls(
            current_admin=Pubkey.from_string(obj["current_admin"]),
            proposed_admin=Pubkey.from_string(obj["proposed_admin"]),
            timestamp=obj["timestamp"],
        )
