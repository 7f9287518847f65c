from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
import borsh_construct as borsh


class DatParametersJSON(typing.TypedDict):
    min_fees_per_token: int
    max_fees_per_cycle: int
    min_allocation_secondary: int
    min_allocation_root: int
    slippage_bps: int
    min_cycle_interval_secs: int
    fee_split_timelock_secs: int


@dataclass
class DatParameters:
    layout: typing.ClassVar = borsh.CStruct(
        "min_fees_per_token" / borsh.U64,
        "max_fees_per_cycle" / borsh.U64,
        "min_allocation_secondary" / borsh.U64,
        "min_allocation_root" / borsh.U64,
        "slippage_bps" / borsh.U16,
        "min_cycle_interval_secs" / borsh.I64,
        "fee_split_timelock_secs" / borsh.I64,
    )
    min_fees_per_token: int
    max_fees_per_cycle: int
    min_allocation_secondary: int
    min_allocation_root: int
    slippage_bps: int
    min_cycle_interval_secs: int
    fee_split_timelock_secs: int

    @classmethod
    def from_decoded(cls, obj: Container[typing.Any]) -> "DatParameters":
        return cls(
            min_fees_per_token=obj.min_fees_per_token,
            max_fees_per_cycle=obj.max_fees_per_cycle,
            min_allocation_secondary=obj.min_allocation_secondary,
            min_allocation_root=obj.min_allocation_root,
            slippage_bps=obj.slippage_bps,
            min_cycle_interval_secs=obj.min_cycle_interval_secs,
            fee_split_timelock_secs=obj.fee_split_timelock_secs,
        )

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "min_fees_per_token": self.min_fees_per_token,
            "max_fees_per_cycle": self.max_fees_per_cycle,
            "min_allocation_secondary": self.min_allocation_secondary,
            "min_allocation_root": self.min_allocation_root,
            "slippage_bps": self.slippage_bps,
            "min_cycle_interval_secs": self.min_cycle_interval_secs,
            "fee_split_timelock_secs": self.fee_split_timelock_secs,
        }

    def to_json(self) -> DatParametersJSON:
        return {
            "min_fees_per_token": self.min_fees_per_token,
            "max_fees_per_cycle": self.max_fees_per_cycle,
            "min_allocation_secondary": self.min_allocation_secondary,
            "min_allocation_root": self.min_allocation_root,
            "slippage_bps": self.slippage_bps,
            "min_cycle_interval_secs": self.min_cycle_interval_secs,
            "fee_split_timelock_secs": self.fee_split_timelock_secs,
        }

    @classmethod
    def from_json(cls, obj: DatParametersJSON) -> "DatParameters":
        return cls(
            min_fees_per_token=obj["min_fees_per_token"],
            max_fees_per_cycle=obj["max_fees_per_cycle"],
            min_allocation_secondary=obj["min_allocation_secondary"],
            min_allocation_root=obj["min_allocation_root"],
            slippage_bps=obj["slippage_bps"],
            min_cycle_interval_secs=obj["min_cycle_interval_secs"],
            fee_split_timelock_secs=obj["fee_split_timelock_secs"],
        )
