"""Account layouts, instruction accounts and borsh arguments read from the program's IDL
(`idl/asdf_dat.json`, generated from programs/asdf_dat/src by the build), so the orchestrator
follows the program's field and account order without hand-kept offsets.

Accounts of an instruction are resolved by name, in the IDL's order, from (1) the accounts the
caller passes, (2) the IDL's fixed `address`, (3) a same-named field of a `relations` account
(`state`, `token_stats`) the caller passes decoded. A name none of these gives is an error that
names it.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from solders.instruction import AccountMeta, Instruction
from solders.pubkey import Pubkey

from asdf_dat.idl import IDL_PATH, inline_type_aliases, load_raw_idl
from asdf_dat.programs import ASDF_DAT_PROGRAM_ID

_PRIMITIVES: dict[str, tuple[int, str]] = {
    "u8": (1, "<B"), "i8": (1, "<b"), "bool": (1, "<?"), "u16": (2, "<H"), "i16": (2, "<h"),
    "u32": (4, "<I"), "i32": (4, "<i"), "u64": (8, "<Q"), "i64": (8, "<q"),
}

Value = Any


class IdlError(ValueError):
    pass


@dataclass(frozen=True)
class Idl:
    raw: dict[str, Any]

    @property
    def types(self) -> dict[str, dict[str, Any]]:
        return {t["name"]: t for t in self.raw.get("types", [])}

    @property
    def instructions(self) -> dict[str, dict[str, Any]]:
        return {i["name"]: i for i in self.raw.get("instructions", [])}

    @property
    def errors(self) -> dict[int, tuple[str, str]]:
        return {e["code"]: (e["name"], e.get("msg", "")) for e in self.raw.get("errors", [])}

    def account_discriminator(self, name: str) -> bytes:
        for account in self.raw.get("accounts", []):
            if account["name"] == name:
                return bytes(account["discriminator"])
        raise IdlError(f"IDL has no account {name}")


IDL_ENV = "ASDF_DAT_IDL"


def load() -> Idl:
    """The IDL at `$ASDF_DAT_IDL`, else the repository's `idl/asdf_dat.json`."""
    return _load(os.environ.get(IDL_ENV) or str(IDL_PATH))


@cache
def _load(path: str) -> Idl:
    return Idl(inline_type_aliases(load_raw_idl(Path(path))))


# ---------------------------------------------------------------- fixed-size (bytemuck) layouts


def _size(idl: Idl, ty: Any) -> int:
    if isinstance(ty, str):
        if ty == "pubkey":
            return 32
        if ty in _PRIMITIVES:
            return _PRIMITIVES[ty][0]
        raise IdlError(f"unsupported fixed-size type {ty}")
    if "array" in ty:
        inner, n = ty["array"]
        return _size(idl, inner) * int(n)
    if "defined" in ty:
        return sum(_size(idl, f["type"]) for f in idl.types[ty["defined"]["name"]]["type"]["fields"])
    raise IdlError(f"unsupported fixed-size type {ty}")


def _read(idl: Idl, ty: Any, data: bytes, offset: int) -> Value:
    if isinstance(ty, str):
        if ty == "pubkey":
            return Pubkey.from_bytes(data[offset : offset + 32])
        return struct.unpack_from(_PRIMITIVES[ty][1], data, offset)[0]
    if "array" in ty:
        inner, n = ty["array"]
        if inner == "u8":
            return bytes(data[offset : offset + int(n)])
        step = _size(idl, inner)
        return [_read(idl, inner, data, offset + i * step) for i in range(int(n))]
    return decode_struct(idl, ty["defined"]["name"], data, offset)


def decode_struct(idl: Idl, name: str, data: bytes, offset: int = 0) -> dict[str, Value]:
    fields = idl.types[name]["type"]["fields"]
    out: dict[str, Value] = {}
    for f in fields:
        out[f["name"]] = _read(idl, f["type"], data, offset)
        offset += _size(idl, f["type"])
    return out


def decode_account(name: str, data: bytes, idl: Idl | None = None) -> dict[str, Value]:
    """A zero-copy account: 8-byte discriminator, then the packed fields."""
    idl = idl or load()
    if data[:8] != idl.account_discriminator(name):
        raise IdlError(f"not a {name} account (discriminator mismatch)")
    size = 8 + sum(_size(idl, f["type"]) for f in idl.types[name]["type"]["fields"])
    if len(data) < size:
        raise IdlError(f"{name} account is {len(data)} bytes, the IDL expects {size}: IDL and program out of sync?")
    return decode_struct(idl, name, data, 8)


# ---------------------------------------------------------------- borsh arguments


def _encode(idl: Idl, ty: Any, value: Value) -> bytes:
    if isinstance(ty, str):
        if ty == "pubkey":
            return bytes(value)
        return struct.pack(_PRIMITIVES[ty][1], value)
    if "vec" in ty:
        items = list(value)
        return struct.pack("<I", len(items)) + b"".join(_encode(idl, ty["vec"], v) for v in items)
    if "option" in ty:
        return b"\x00" if value is None else b"\x01" + _encode(idl, ty["option"], value)
    if "array" in ty:
        return b"".join(_encode(idl, ty["array"][0], v) for v in value)
    if "defined" in ty:
        fields = idl.types[ty["defined"]["name"]]["type"]["fields"]
        return b"".join(_encode(idl, f["type"], value[f["name"]]) for f in fields)
    raise IdlError(f"unsupported argument type {ty}")


# ---------------------------------------------------------------- instructions


def build_instruction(
    name: str,
    args: Mapping[str, Value],
    accounts: Mapping[str, Pubkey],
    relations: Mapping[str, Mapping[str, Value]] | None = None,
    remaining: Sequence[AccountMeta] = (),
    idl: Idl | None = None,
    program_id: Pubkey = ASDF_DAT_PROGRAM_ID,
) -> Instruction:
    idl = idl or load()
    spec = idl.instructions.get(name)
    if spec is None:
        raise IdlError(f"IDL has no instruction {name}")
    data = bytes(spec["discriminator"]) + b"".join(_encode(idl, a["type"], args[a["name"]]) for a in spec["args"])
    metas: list[AccountMeta] = []
    for account in spec["accounts"]:
        key = _resolve(account, accounts, relations or {})
        if key is None:
            raise IdlError(f"{name}: no value for account '{account['name']}'")
        metas.append(AccountMeta(key, is_signer=bool(account.get("signer")), is_writable=bool(account.get("writable"))))
    return Instruction(program_id, data, [*metas, *remaining])


def _resolve(account: Mapping[str, Any], given: Mapping[str, Pubkey], relations: Mapping[str, Mapping[str, Value]]) -> Pubkey | None:
    name = account["name"]
    if name in given:
        return given[name]
    address = account.get("address")
    if isinstance(address, str):
        if "." in address:
            holder, field = address.split(".", 1)
            value = relations.get(holder, {}).get(field)
            return value if isinstance(value, Pubkey) else None
        return Pubkey.from_string(address)
    for holder in account.get("relations", []):
        value = relations.get(holder, {}).get(name)
        if isinstance(value, Pubkey):
            return value
    return None


def error_name(code: int, idl: Idl | None = None) -> str | None:
    entry = (idl or load()).errors.get(code)
    return entry[0] if entry else None


def decode_events(logs: Sequence[str], idl: Idl | None = None) -> list[tuple[str, dict[str, Value]]]:
    """The program's events (`Program data: <base64>` lines), in order."""
    import base64
    import hashlib

    idl = idl or load()
    names = {hashlib.sha256(f"event:{e['name']}".encode()).digest()[:8]: e["name"] for e in idl.raw.get("events", [])}
    out: list[tuple[str, dict[str, Value]]] = []
    for line in logs:
        if not line.startswith("Program data: "):
            continue
        try:
            raw = base64.b64decode(line.split(": ", 1)[1].split()[0])
        except ValueError:
            continue
        name = names.get(raw[:8])
        if name is not None and name in idl.types:
            out.append((name, decode_struct(idl, name, raw, 8)))
    return out
