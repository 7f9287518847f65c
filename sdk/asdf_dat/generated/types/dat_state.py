from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
from solders.pubkey import Pubkey
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh


class DatStateJSON(typing.TypedDict):
    admin: str
    fee_split_bps: int
    bump: int


@dataclass
class DatState:
    layout: typing.ClassVar = borsh.CStruct(
        "admin" / BorshPubkey, "fee_split_bps" / borsh.U16, "bump" / borsh.U8
    )
    admin: Pubkey
    fee_split_bps: int
    bump: int

    @classmethod
    def from_decoded(cls, obj: Container[typing.Any]) -> "DatState":
        return cls(admin=obj.admin, fee_split_bps=obj.fee_split_bps, bump=obj.bump)

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "admin": self.admin,
            "fee_split_bps": self.fee_split_bps,
            "bump": self.bump,
        }

    def to_json(self) -> DatStateJSON:
        return {
            "admin": str(self.admin),
            "fee_split_bps": self.fee_split_bps,
            "bump": self.bump,
        }

    @classmethod
    def from_json(cls, obj: DatStateJSON) -> "DatState":
        return cls(
            admin=Pubkey.from_string(obj["admin"]),
            fee_split_bps=obj["fee_split_bps"],
            bump=obj["bump"],
        )
