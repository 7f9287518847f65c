from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
from solders.pubkey import Pubkey
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh


class TreasuryDrainedJSON(typing.TypedDict):
    root_mint: str
    amount: int


@dataclass
class TreasuryDrained:
    layout: typing.ClassVar = borsh.CStruct(
        "root_mint" / BorshPubkey, "amount" / borsh.U64
    )
    root_mint: Pubkey
    amount: int

    @classmethod
    def from_decoded(cls, obj: Container[typing.Any]) -> "TreasuryDrained":
        return cls(root_mint=obj.root_mint, amount=obj.amount)

    def to_encodable(self) -> dict[str, typing.Any]:
        return {"root_mint": self.root_mint, "amount": self.amount}

    def to_json(self) -> TreasuryDrainedJSON:
        return {"root_mint": str(self.root_mint), "amount": self.amount}

    @classmethod
    def from_json(cls, obj: TreasuryDrainedJSON) -> "TreasuryDrained":
        return cls(root_mint=Pubkey.from_string(obj["root_mint"]), amount=obj["amount"])
