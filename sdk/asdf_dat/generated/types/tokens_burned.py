from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
from solders.pubkey import Pubkey
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh


class TokensBurnedJSON(typing.TypedDict):
    mint: str
    amount: int
    total_burned: int


@dataclass
class TokensBurned:
    layout: typing.ClassVar = borsh.CStruct(
        "mint" / BorshPubkey, "amount" / borsh.U64, "total_burned" / borsh.U64
    )
    mint: Pubkey
    amount: int
    total_burned: int

    @classmethod
    def from_decoded(cls, obj: Container[typing.Any]) -> "TokensBurned":
        return cls(mint=obj.mint, amount=obj.amount, total_burned=obj.total_burned)

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "mint": self.mint,
            "amount": self.amount,
            "total_burned": self.total_burned,
        }

    def to_json(self) -> TokensBurnedJSON:
        return {
            "mint": str(self.mint),
            "amount": self.amount,
            "total_burned": self.total_burned,
        }

    @classmethod
    def from_json(cls, obj: TokensBurnedJSON) -> "TokensBurned":
        return cls(
            mint=Pubkey.from_string(obj["mint"]),
            amount=obj["amount"],
            total_burned=obj["total_burned"],
        )
