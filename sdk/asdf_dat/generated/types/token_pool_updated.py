from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
from solders.pubkey import Pubkey
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh


class TokenPoolUpdatedJSON(typing.TypedDict):
    mint: str
    old_pool: str
    new_pool: str
    pool_type: int
    timestamp: int


@dataclass
class TokenPoolUpdated:
    layout: typing.ClassVar = borsh.CStruct(
        "mint" / BorshPubkey,
        "old_pool" / BorshPubkey,
        "new_pool" / BorshPubkey,
        "pool_type" / borsh.U8,
        "timestamp" / borsh.I64,
    )
    mint: Pubkey
    old_pool: Pubkey
    new_pool: Pubkey
    pool_type: int
    timestamp: int

    @classmethod
    def from_decoded(cls, obj: Container[typing.Any]) -> "TokenPoolUpdated":
        return cls(
            mint=obj.mint,
            old_pool=obj.old_pool,
            new_pool=obj.new_pool,
            pool_type=obj.pool_type,
            timestamp=obj.timestamp,
        )

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "mint": self.mint,
            "old_pool": self.old_pool,
            "new_pool": self.new_pool,
            "pool_type": self.pool_type,
            "timestamp": self.timestamp,
        }

    def to_json(self) -> TokenPoolUpdatedJSON:
        return {
            "mint": str(self.mint),
            "old_pool": str(self.old_pool),
            "new_pool": str(self.new_pool),
            "pool_type": self.pool_type,
            "timestamp": self.timestamp,
        }

    @classmethod
    def from_json(cls, obj: TokenPoolUpdatedJSON) -> "TokenPoolUpdated":
        return cls(
            mint=Pubkey.from_string(obj["mint"]),
            old_pool=Pubkey.from_string(obj["old_pool"]),
            new_pool=Pubkey.from_string(obj["new_pool"]),
            pool_type=obj["pool_type"],
            timestamp=obj["timestamp"],
        )
