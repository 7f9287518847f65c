from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
from solders.pubkey import Pubkey
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh


class CycleCompletedJSON(typing.TypedDict):
    mint: str
    cycle_id: int
    allocation: int
    sent_to_root: int
    treasury_used: int
    sol_spent: int
    returned_to_pending: int
    tokens_burned: int
    pending_fees: int
    timestamp: int
    pool_type: int
    sol_budget: int
    min_tokens_out: int
    total_burned: int
    root_share_held: int


@dataclass
class CycleCompleted:
    layout: typing.ClassVar = borsh.CStruct(
        "mint" / BorshPubkey,
        "cycle_id" / borsh.U64,
        "allocation" / borsh.U64,
        "sent_to_root" / borsh.U64,
        "treasury_used" / borsh.U64,
        "sol_spent" / borsh.U64,
        "returned_to_pending" / borsh.U64,
        "tokens_burned" / borsh.U64,
        "pending_fees" / borsh.U64,
        "timestamp" / borsh.I64,
        "pool_type" / borsh.U8,
        "sol_budget" / borsh.U64,
        "min_tokens_out" / borsh.U64,
        "total_burned" / borsh.U64,
        "root_share_held" / borsh.U64,
    )
    mint: Pubkey
    cycle_id: int
    allocation: int
    sent_to_root: int
    treasury_used: int
    sol_spent: int
    returned_to_pending: int
    tokens_burned: int
    pending_fees: int
    timestamp: int
    pool_type: int
    sol_budget: int
    min_tokens_out: int
    total_burned: int
    root_share_held: int

    @classmethod
    def from_decoded(cls, obj: Container[typing.Any]) -> "CycleCompleted":
        return cls(
            mint=obj.mint,
            cycle_id=obj.cycle_id,
            allocation=obj.allocation,
            sent_to_root=obj.sent_to_root,
            treasury_used=obj.treasury_used,
            sol_spent=obj.sol_spent,
            returned_to_pending=obj.returned_to_pending,
            tokens_burned=obj.tokens_burned,
            pending_fees=obj.pending_fees,
            timestamp=obj.timestamp,
            pool_type=obj.pool_type,
            sol_budget=obj.sol_budget,
            min_tokens_out=obj.min_tokens_out,
            total_burned=obj.total_burned,
            root_share_held=obj.root_share_held,
        )

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "mint": self.mint,
            "cycle_id": self.cycle_id,
            "allocation": self.allocation,
            "sent_to_root": self.sent_to_root,
            "treasury_used": self.treasury_used,
            "sol_spent": self.sol_spent,
            "returned_to_pending": self.returned_to_pending,
            "tokens_burned": self.tokens_burned,
            "pending_fees": self.pending_fees,
            "timestamp": self.timestamp,
            "pool_type": self.pool_type,
            "sol_budget": self.sol_budget,
            "min_tokens_out": self.min_tokens_out,
            "total_burned": self.total_burned,
            "root_share_held": self.root_share_held,
        }

    def to_json(self) -> CycleCompletedJSON:
        return {
            "mint": str(self.mint),
            "cycle_id": self.cycle_id,
            "allocation": self.allocation,
            "sent_to_root": self.sent_to_root,
            "treasury_used": self.treasury_used,
            "sol_spent": self.sol_spent,
            "returned_to_pending": self.returned_to_pending,
            "tokens_burned": self.tokens_burned,
            "pending_fees": self.pending_fees,
            "timestamp": self.timestamp,
            "pool_type": self.pool_type,
            "sol_budget": self.sol_budget,
            "min_tokens_out": self.min_tokens_out,
            "total_burned": self.total_burned,
            "root_share_held": self.root_share_held,
        }

    @classmethod
    def from_json(cls, obj: CycleCompletedJSON) -> "CycleCompleted":
        return cls(
            mint=Pubkey.from_string(obj["mint"]),
            cycle_id=obj["cycle_id"],
            allocation=obj["allocation"],
            sent_to_root=obj["sent_to_root"],
            treasury_used=obj["treasury_used"],
            sol_spent=obj["sol_spent"],
            returned_to_pending=obj["returned_to_pending"],
            tokens_burned=obj["tokens_burned"],
            pending_fees=obj["pending_fees"],
            timestamp=obj["timestamp"],
            pool_type=obj["pool_type"],
            sol_budget=obj["sol_budget"],
            min_tokens_out=obj["min_tokens_out"],
            total_burned=obj["total_burned"],
            root_share_held=obj["root_share_held"],
        )
