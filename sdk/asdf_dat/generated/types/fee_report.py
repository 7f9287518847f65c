from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
import borsh_construct as borsh


class FeeReportJSON(typing.TypedDict):
    amount: int
    prev_watermark_slot: int
    prev_watermark_seq: int
    watermark_slot: int
    watermark_seq: int


@dataclass
class FeeReport:
    layout: typing.ClassVar = borsh.CStruct(
        "amount" / borsh.U64,
        "prev_watermark_slot" / borsh.U64,
        "prev_watermark_seq" / borsh.U64,
        "watermark_slot" / borsh.U64,
        "watermark_seq" / borsh.U64,
    )
    amount: int
    prev_watermark_slot: int
    prev_watermark_seq: int
    watermark_slot: int
    watermark_seq: int

    @classmethod
    def from_decoded(cls, obj: Container[typing.Any]) -> "FeeReport":
        return cls(
            amount=obj.amount,
            prev_watermark_slot=obj.prev_watermark_slot,
            prev_watermark_seq=obj.prev_watermark_seq,
            watermark_slot=obj.watermark_slot,
            watermark_seq=obj.watermark_seq,
        )

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "amount": self.amount,
            "prev_watermark_slot": self.prev_watermark_slot,
            "prev_watermark_seq": self.prev_watermark_seq,
            "watermark_slot": self.watermark_slot,
            "watermark_seq": self.watermark_seq,
        }

    def to_json(self) -> FeeReportJSON:
        return {
            "amount": self.amount,
            "prev_watermark_slot": self.prev_watermark_slot,
            "prev_watermark_seq": self.prev_watermark_seq,
            "watermark_slot": self.watermark_slot,
            "watermark_seq": self.watermark_seq,
        }

    @classmethod
    def from_json(cls, obj: FeeReportJSON) -> "FeeReport":
        return cls(
            amount=obj["amount"],
            prev_watermark_slot=obj["prev_watermark_slot"],
            prev_watermark_seq=obj["prev_watermark_seq"],
            watermark_slot=obj["watermark_slot"],
            watermark_seq=obj["watermark_seq"],
        )
