from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
from solders.pubkey import Pubkey
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh


class RootShareSentJSON(typing.TypedDict):
    from_mint: str
    root_mint: str
    amount: int
    treasury_lamports: int


@dataclass
class RootShareSent:
    layout: typing.ClassVar = borsh.CStruct(
        "from_mint" / BorshPubkey,
        "root_mint" / BorshPubkey,
        "amount" / borsh.U64,
        "treasury_lamports" / borsh.U64,
    )
    from_mint: Pubkey
    root_mint: Pubkey
    amount: int
    treasury_lamports: int

    @classmethod
    def from_decoded(cls, obj: Container[typing.Any]) -> "RootShareSent":
        return cls(
            from_mint=obj.from_mint,
            root_mint=obj.root_mint,
            amount=obj.amount,
            treasury_lamports=obj.treasury_lamports,
        )

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "from_mint": self.from_mint,
            "root_mint": self.root_mint,
            "amount": self.amount,
            "treasury_lamports": self.treasury_lamports,
        }

    def to_json(self) -> RootShareSentJSON:
        return {
            "from_mint": str(self.from_mint),
            "root_mint": str(self.root_mint),
            "amount": self.amount,
            "treasury_lamports": self.treasury_lamports,
        }

    @classmethod
    def from_json(cls, obj: RootShareSentJSON) -> "RootShareSent":
        return cls(
            from_mint=Pubkey.from_string(obj["from_mint"]),
            root_mint=Pubkey.from_string(obj["root_mint"]),
            amount=obj["amount"],
            treasury_lamports=obj["treasury_lamports"],
        )
