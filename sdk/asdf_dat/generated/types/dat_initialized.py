from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
from solders.pubkey import Pubkey
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh


class DatInitializedJSON(typing.TypedDict):
    admin: str
    keeper: str
    authority: str
    authority_reserve_funded: int
    timestamp: int


@dataclass
class DatInitialized:
    layout: typing.ClassVar = borsh.CStruct(
        "admin" / BorshPubkey,
        "keeper" / BorshPubkey,
        "authority" / BorshPubkey,
        "authority_reserve_funded" / borsh.U64,
        "timestamp" / borsh.I64,
    )
    admin: Pubkey
    keeper: Pubkey
    authority: Pubkey
    authority_reserve_funded: int
    timestamp: int

    @classmethod
    def from_decoded(cls, obj: Container[typing.Any]) -> "DatInitialized":
        return cls(
            admin=obj.admin,
            keeper=obj.keeper,
            authority=obj.authority,
            authority_reserve_funded=obj.authority_reserve_funded,
            timestamp=obj.timestamp,
        )

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "admin": self.admin,
            "keeper": self.keeper,
            "authority": self.authority,
            "authority_reserve_funded": self.authority_reserve_funded,
            "timestamp": self.timestamp,
        }

    def to_json(self) -> DatInitializedJSON:
        return {
            "admin": str(self.admin),
            "keeper": str(self.keeper),
            "authority": str(self.authority),
            "authority_reserve_funded": self.authority_reserve_funded,
            "timestamp": self.timestamp,
        }

    @classmethod
    def from_json(cls, obj: DatInitializedJSON) -> "DatInitialized":
        return cls(
            admin=Pubkey.from_string(obj["admin"]),
            keeper=Pubkey.from_string(obj["keeper"]),
            authority=Pubkey.from_string(obj["authority"]),
            authority_reserve_funded=obj["authority_reserve_funded"],
            timestamp=obj["timestamp"],
        )
