"""Minimal little-endian borsh reader / writer for the fixed layouts used here."""

from __future__ import annotations

import struct

from solders.pubkey import Pubkey

__all__ = ["Reader", "Writer", "anchor_discriminator"]


def anchor_discriminator(namespace: str, name: str) -> bytes:
    """`sha256("<namespace>:<name>")[..8]` (namespace `global`, `account` or `event`)."""
    import hashlib

    return hashlib.sha256(f"{namespace}:{name}".encode()).digest()[:8]


class Reader:
    """Reads borsh fields; past the end of short (older) accounts it yields zeros."""

    def __init__(self, data: bytes, offset: int = 0, *, zero_pad: bool = False) -> None:
        self.data = data
        self.offset = offset
        self.zero_pad = zero_pad

    def take(self, n: int) -> bytes:
        chunk = self.data[self.offset : self.offset + n]
        if len(chunk) < n:
            if not self.zero_pad:
                raise ValueError(f"need {n} bytes at {self.offset}, have {len(self.data) - self.offset}")
            chunk = chunk + bytes(n - len(chunk))
        self.offset += n
        return chunk

    def u8(self) -> int:
        return self.take(1)[0]

    def bool(self) -> bool:
        value = self.u8()
        if value > 1:
            raise ValueError(f"invalid bool {value}")
        return value == 1

    def u16(self) -> int:
        return int(struct.unpack("<H", self.take(2))[0])

    def u32(self) -> int:
        return int(struct.unpack("<I", self.take(4))[0])

    def u64(self) -> int:
        return int(struct.unpack("<Q", self.take(8))[0])

    def i64(self) -> int:
        return int(struct.unpack("<q", self.take(8))[0])

    def pubkey(self) -> Pubkey:
        return Pubkey.from_bytes(self.take(32))

    def pubkeys(self, count: int) -> list[Pubkey]:
        return [self.pubkey() for _ in range(count)]

    def string(self) -> str:
        return self.take(self.u32()).decode()


class Writer:
    def __init__(self, prefix: bytes = b"") -> None:
        self.buf = bytearray(prefix)

    def put(self, value: bytes) -> Writer:
        self.buf += value
        return self

    def u8(self, value: int) -> Writer:
        return self.put(struct.pack("<B", value))

    def bool(self, value: bool) -> Writer:
        return self.u8(1 if value else 0)

    def u16(self, value: int) -> Writer:
        return self.put(struct.pack("<H", value))

    def u32(self, value: int) -> Writer:
        return self.put(struct.pack("<I", value))

    def u64(self, value: int) -> Writer:
        return self.put(struct.pack("<Q", value))

    def i64(self, value: int) -> Writer:
        return self.put(struct.pack("<q", value))

    def pubkey(self, value: Pubkey) -> Writer:
        return self.put(bytes(value))

    def pubkeys(self, values: list[Pubkey], count: int) -> Writer:
        if len(values) > count:
            raise ValueError(f"at most {count} addresses")
        for value in values + [Pubkey.default()] * (count - len(values)):
            self.pubkey(value)
        return self

    def string(self, value: str) -> Writer:
        raw = value.encode()
        return self.u32(len(raw)).put(raw)

    def padded(self, size: int) -> bytes:
        """The bytes, zero-padded to `size` (an account's allocated length)."""
        if len(self.buf) > size:
            raise ValueError(f"{len(self.buf)} bytes exceed {size}")
        return bytes(self.buf) + bytes(size - len(self.buf))
