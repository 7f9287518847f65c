from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
from solders.pubkey import Pubkey
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh


class PriceReferenceRecordedJSON(typing.TypedDict):
    mint: str
    virtual_sol_reserves: int
    virtual_token_reserves: int
    slot: int


@dataclass
class PriceReferenceRecorded:
    layout: typing.ClassVar = borsh.CStruct(
        "mint" / BorshPubkey,
        "virtual_sol_reserves" / borsh.U64,
        "virtual_token_reserves" / borsh.U64,
        "slot" / borsh.U64,
    )
    mint: Pubkey
    virtual_sol_reserves: int
    virtual_token_reserves: int
    slot: int

    @classmethod
    def from_decoded(cls, obj: Container[typing.Any]) -> "PriceReferenceRecorded":
        return cls(
            mint=obj.mint,
            virtual_sol_reserves=obj.virtual_sol_reserves,
            virtual_token_reserves=obj.virtual_token_reserves,
            slot=obj.slot,
        )

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "mint": self.mint,
            "virtual_sol_reserves": self.virtual_sol_reserves,
            "virtual_token_reserves": self.virtual_token_reserves,
            "slot": self.slot,
        }

    def to_json(self) -> PriceReferenceRecordedJSON:
        return {
            "mint": str(self.mint),
            "virtual_sol_reserves": self.virtual_sol_reserves,
            "virtual_token_reserves": self.virtual_token_reserves,
            "slot": self.slot,
        }

    @classmethod
    def from_json(cls, obj: PriceReferenceRecordedJSON) -> "PriceReferenceRecorded":
        return cls(
            mint=Pubkey.from_string(obj["mint"]),
            virtual_sol_reserves=obj["virtual_sol_reserves"],
            virtual_token_reserves=obj["virtual_token_reserves"],
            slot=obj["slot"],
        )
