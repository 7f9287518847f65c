from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
import borsh_construct as borsh


class WsolUnwrappedJSON(typing.TypedDict):
    amount: int
    held_lamports: int
    held_wsol: int


@dataclass
class WsolUnwrapped:
    layout: typing.ClassVar = borsh.CStruct(
        "amount" / borsh.U64, "held_lamports" / borsh.U64, "held_wsol" / borsh.U64
    )
    amount: int
    held_lamports: int
    held_wsol: int

    @classmethod
    def from_decoded(cls, obj: Container[typing.Any]) -> "WsolUnwrapped":
        return cls(
            amount=obj.amount, held_lamports=obj.held_lamports, held_wsol=obj.held_wsol
        )

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "amount": self.amount,
            "held_lamports": self.held_lamports,
            "held_wsol": self.held_wsol,
        }

    def to_json(self) -> WsolUnwrappedJSON:
        return {
            "amount": self.amount,
            "held_lamports": self.held_lamports,
            "held_wsol": self.held_wsol,
        }

    @classmethod
    def from_json(cls, obj: WsolUnwrappedJSON) -> "WsolUnwrapped":
        return cls(
            amount=obj["amount"],
            held_lamports=obj["held_lamports"],
            held_wsol=obj["held_wsol"],
        )
