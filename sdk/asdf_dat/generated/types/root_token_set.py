from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
from solders.pubkey import Pubkey
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh


class RootTokenSetJSON(typing.TypedDict):
    old_root: str
    new_root: str
    new_treasury: str
    treasury_lamports_moved: int
    treasury_rent_funded: int
    timestamp: int


@dataclass
class RootTokenSet:
    layout: typing.ClassVar = borsh.CStruct(
        "old_root" / BorshPubkey,
        "new_root" / BorshPubkey,
        "new_treasury" / BorshPubkey,
        "treasury_lamports_moved" / borsh.U64,
        "treasury_rent_funded" / borsh.U64,
        "timestamp" / borsh.I64,
    )
    old_root: Pubkey
    new_root: Pubkey
    new_treasury: Pubkey
    treasury_lamports_moved: int
    treasury_rent_funded: int
    timestamp: int

    @classmethod
    def from_decoded(cls, obj: Container[typing.Any]) -> "RootTokenSet":
        return cls(
            old_root=obj.old_root,
            new_root=obj.new_root,
            new_treasury=obj.new_treasury,
            treasury_lamports_moved=obj.treasury_lamports_moved,
            treasury_rent_funded=obj.treasury_rent_funded,
            timestamp=obj.timestamp,
        )

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "old_root": self.old_root,
            "new_root": self.new_root,
            "new_treasury": self.new_treasury,
            "treasury_lamports_moved": self.treasury_lamports_moved,
            "treasury_rent_funded": self.treasury_rent_funded,
            "timestamp": self.timestamp,
        }

    def to_json(self) -> RootTokenSetJSON:
        return {
            "old_root": str(self.old_root),
            "new_root": str(self.new_root),
            "new_treasury": str(self.new_treasury),
            "treasury_lamports_moved": self.treasury_lamports_moved,
            "treasury_rent_funded": self.treasury_rent_funded,
            "timestamp": self.timestamp,
        }

    @classmethod
    def from_json(cls, obj: RootTokenSetJSON) -> "RootTokenSet":
        return cls(
            old_root=Pubkey.from_string(obj["old_root"]),
            new_root=Pubkey.from_string(obj["new_root"]),
            new_treasury=Pubkey.from_string(obj["new_treasury"]),
            treasury_lamports_moved=obj["treasury_lamports_moved"],
            treasury_rent_funded=obj["treasury_rent_funded"],
            timestamp=obj["timestamp"],
        )
