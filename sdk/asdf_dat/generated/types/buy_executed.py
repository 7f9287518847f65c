from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
from solders.pubkey import Pubkey
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh


class BuyExecutedJSON(typing.TypedDict):
    mint: str
    pool_type: int
    sol_budget: int
    sol_spent: int
    tokens_bought: int
    min_tokens_out: int


@dataclass
class BuyExecuted:
    layout: typing.ClassVar = borsh.CStruct(
        "mint" / BorshPubkey,
        "pool_type" / borsh.U8,
        "sol_budget" / borsh.U64,
        "sol_spent" / borsh.U64,
        "tokens_bought" / borsh.U64,
        "min_tokens_out" / borsh.U64,
    )
    mint: Pubkey
    pool_type: int
    sol_budget: int
    sol_spent: int
    tokens_bought: int
    min_tokens_out: int

    @classmethod
    def from_decoded(cls, obj: Container[typing.Any]) -> "BuyExecuted":
        return cls(
            mint=obj.mint,
            pool_type=obj.pool_type,
            sol_budget=obj.sol_budget,
            sol_spent=obj.sol_spent,
            tokens_bought=obj.tokens_bought,
            min_tokens_out=obj.min_tokens_out,
        )

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "mint": self.mint,
            "pool_type": self.pool_type,
            "sol_budget": self.sol_budget,
            "sol_spent": self.sol_spent,
            "tokens_bought": self.tokens_bought,
            "min_tokens_out": self.min_tokens_out,
        }

    def to_json(self) -> BuyExecutedJSON:
        return {
            "mint": str(self.mint),
            "pool_type": self.pool_type,
            "sol_budget": self.sol_budget,
            "sol_spent": self.sol_spent,
            "tokens_bought": self.tokens_bought,
            "min_tokens_out": self.min_tokens_out,
        }

    @classmethod
    def from_json(cls, obj: BuyExecutedJSON) -> "BuyExecuted":
        return cls(
            mint=Pubkey.from_string(obj["mint"]),
            pool_type=obj["pool_type"],
            sol_budget=obj["sol_budget"],
            sol_spent=obj["sol_spent"],
            tokens_bought=obj["tokens_bought"],
            min_tokens_out=obj["min_tokens_out"],
        )
