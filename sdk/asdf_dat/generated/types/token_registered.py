from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
from solders.pubkey import Pubkey
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh


class TokenRegisteredJSON(typing.TypedDict):
    mint: str
    token_program: str
    pool: str
    pool_type: int
    dat_token_account: str
    timestamp: int


@dataclass
class TokenRegistered:
    layout: typing.ClassVar = borsh.CStruct(
        "mint" / BorshPubkey,
        "token_program" / BorshPubkey,
        "pool" / BorshPubkey,
        "pool_type" / borsh.U8,
        "dat_token_account" / BorshPubkey,
        "timestamp" / borsh.I64,
    )
    mint: Pubkey
    token_program: Pubkey
    pool: Pubkey
    pool_type: int
    dat_token_account: Pubkey
    timestamp: int

    @classmethod
    def from_decoded(cls, obj: Container[typing.Any]) -> "TokenRegistered":
        return cls(
            mint=obj.mint,
            token_program=obj.token_program,
            pool=obj.pool,
            pool_type=obj.pool_type,
            dat_token_account=obj.dat_token_account,
            timestamp=obj.timestamp,
        )

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "mint": self.mint,
            "token_program": self.token_program,
            "pool": self.pool,
            "pool_type": self.pool_type,
            "dat_token_account": self.dat_token_account,
            "timestamp": self.timestamp,
        }

    def to_json(self) -> TokenRegisteredJSON:
        return {
            "mint": str(self.mint),
            "token_program": str(self.token_program),
            "pool": str(self.pool),
            "pool_type": self.pool_type,
            "dat_token_account": str(self.dat_token_account),
            "timestamp": self.timestamp,
        }

    @classmethod
    def from_json(cls, obj: TokenRegisteredJSON) -> "TokenRegistered":
        return cls(
            mint=Pubkey.from_string(obj["mint"]),
            token_program=Pubkey.from_string(obj["token_program"]),
            pool=Pubkey.from_string(obj["pool"]),
            pool_type=obj["pool_type"],
            dat_token_account=Pubkey.from_string(obj["dat_token_account"]),
            timestamp=obj["timestamp"],
        )
