from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
from solders.pubkey import Pubkey
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh


class FeeSharingEnabledJSON(typing.TypedDict):
    mint: str
    sharing_config: str
    fee_vault: str
    pending_fees: int
    timestamp: int


@dataclass
class FeeSharingEnabled:
    layout: typing.ClassVar = borsh.CStruct(
        "mint" / BorshPubkey,
        "sharing_config" / BorshPubkey,
        "fee_vault" / BorshPubkey,
        "pending_fees" / borsh.U64,
        "timestamp" / borsh.I64,
    )
    mint: Pubkey
    sharing_config: Pubkey
    fee_vault: Pubkey
    pending_fees: int
    timestamp: int

    @classmethod
    def from_decoded(cls, obj: Container[typing.Any]) -> "FeeSharingEnabled":
        return cls(
            mint=obj.mint,
            sharing_config=obj.sharing_config,
            fee_vault=obj.fee_vault,
            pending_fees=obj.pending_fees,
            timestamp=obj.timestamp,
        )

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "mint": self.mint,
            "sharing_config": self.sharing_config,
            "fee_vault": self.fee_vault,
            "pending_fees": self.pending_fees,
            "timestamp": self.timestamp,
        }

    def to_json(self) -> FeeSharingEnabledJSON:
        return {
            "mint": str(self.mint),
            "sharing_config": str(self.sharing_config),
            "fee_vault": str(self.fee_vault),
            "pending_fees": self.pending_fees,
            "timestamp": self.timestamp,
        }

    @classmethod
    def from_json(cls, obj: FeeSharingEnabledJSON) -> "FeeSharingEnabled":
        return cls(
            mint=Pubkey.from_string(obj["mint"]),
            sharing_config=Pubkey.from_string(obj["sharing_config"]),
            fee_vault=Pubkey.from_string(obj["fee_vault"]),
            pending_fees=obj["pending_fees"],
            timestamp=obj["timestamp"],
        )
