from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
import borsh_construct as borsh


class PermissionlessCyclesSetJSON(typing.TypedDict):
    enabled: bool
    keeper_mode_tokens: int


@dataclass
class PermissionlessCyclesSet:
    layout: typing.ClassVar = borsh.CStruct(
        "enabled" / borsh.Bool, "keeper_mode_tokens" / borsh.U64
    )
    enabled: bool
    keeper_mode_tokens: int

    @classmethod
    def from_decoded(cls, obj: Container[typing.Any]) -> "PermissionlessCyclesSet":
        return cls(enabled=obj.enabled, keeper_mode_tokens=obj.keeper_mode_tokens)

    def to_encodable(self) -> dict[str, typing.Any]:
        return {"enabled": self.enabled, "keeper_mode_tokens": self.keeper_mode_tokens}

    def to_json(self) -> PermissionlessCyclesSetJSON:
        return {"enabled": self.enabled, "keeper_mode_tokens": self.keeper_mode_tokens}

    @classmethod
    def from_json(cls, obj: PermissionlessCyclesSetJSON) -> "PermissionlessCyclesSet":
        return cls(enabled=obj["enabled"], keeper_mode_tokens=obj["keeper_mode_tokens"])
