"""SPL Token / Token-2022 account layouts (to inject) and the few token instructions the
world needs (ATA creation, SOL wrapping)."""

from __future__ import annotations

import struct
from dataclasses import dataclass

from solders.instruction import AccountMeta, Instruction
from solders.pubkey import Pubkey

from asdf_dat.pump.addresses import (
    ASSOCIATED_TOKEN_PROGRAM_ID,
    SYSTEM_PROGRAM_ID,
    TOKEN_2022_PROGRAM_ID,
    TOKEN_PROGRAM_ID,
    associated_token_address,
)

__all__ = [
    "MINT_SIZE",
    "TOKEN_ACCOUNT_SIZE",
    "TokenAccount",
    "create_ata_idempotent",
    "decode_token_account",
    "encode_mint",
    "encode_token_account",
    "sync_native",
]

MINT_SIZE = 82
TOKEN_ACCOUNT_SIZE = 165
# Token-2022 ATAs carry the ImmutableOwner extension: account type byte + empty TLV entry.
_ACCOUNT_TYPE_ACCOUNT = 2
_EXTENSION_IMMUTABLE_OWNER = 7


def _coption_pubkey(value: Pubkey | None) -> bytes:
    return struct.pack("<I", 0) + bytes(32) if value is None else struct.pack("<I", 1) + bytes(value)


def encode_mint(
    *, supply: int, decimals: int, mint_authority: Pubkey | None = None, freeze_authority: Pubkey | None = None
) -> bytes:
    """An initialized mint (82 bytes, no extensions; valid for both token programs)."""
    return (
        _coption_pubkey(mint_authority)
        + struct.pack("<QBB", supply, decimals, 1)
        + _coption_pubkey(freeze_authority)
    )


def encode_token_account(
    *,
    mint: Pubkey,
    owner: Pubkey,
    amount: int,
    token_program: Pubkey = TOKEN_PROGRAM_ID,
    native_rent_reserve: int | None = None,
) -> bytes:
    """An initialized token account. Token-2022 accounts get ImmutableOwner (170 bytes), as
    the ATA program creates them. `native_rent_reserve` marks a wrapped-SOL account."""
    is_native = (
        struct.pack("<IQ", 0, 0) if native_rent_reserve is None else struct.pack("<IQ", 1, native_rent_reserve)
    )
    base = (
        bytes(mint)
        + bytes(owner)
        + struct.pack("<Q", amount)
        + _coption_pubkey(None)  # delegate
        + bytes([1])  # state: Initialized
        + is_native
        + struct.pack("<Q", 0)  # delegated_amount
        + _coption_pubkey(None)  # close_authority
    )
    assert len(base) == TOKEN_ACCOUNT_SIZE
    if token_program == TOKEN_2022_PROGRAM_ID:
        return base + bytes([_ACCOUNT_TYPE_ACCOUNT]) + struct.pack("<HH", _EXTENSION_IMMUTABLE_OWNER, 0)
    return base


@dataclass(frozen=True)
class TokenAccount:
    mint: Pubkey
    owner: Pubkey
    amount: int


def token_amount(data: bytes) -> int:
    """Amount of an SPL / Token-2022 token account (0 if the data is not one)."""
    if len(data) < 72:
        return 0
    return int(struct.unpack_from("<Q", data, 64)[0])


def decode_token_account(data: bytes) -> TokenAccount:
    if len(data) < TOKEN_ACCOUNT_SIZE:
        raise ValueError("not a token account")
    return TokenAccount(
        mint=Pubkey.from_bytes(data[0:32]),
        owner=Pubkey.from_bytes(data[32:64]),
        amount=int(struct.unpack_from("<Q", data, 64)[0]),
    )


def create_ata_idempotent(
    payer: Pubkey, owner: Pubkey, mint: Pubkey, token_program: Pubkey = TOKEN_PROGRAM_ID
) -> Instruction:
    """ATA program `CreateIdempotent`."""
    return Instruction(
        ASSOCIATED_TOKEN_PROGRAM_ID,
        bytes([1]),
        [
            AccountMeta(payer, True, True),
            AccountMeta(associated_token_address(owner, mint, token_program), False, True),
            AccountMeta(owner, False, False),
            AccountMeta(mint, False, False),
            AccountMeta(SYSTEM_PROGRAM_ID, False, False),
            AccountMeta(token_program, False, False),
        ],
    )


def sync_native(account: Pubkey) -> Instruction:
    """SPL Token `SyncNative` (17): credit lamports sent to a WSOL account as tokens."""
    return Instruction(TOKEN_PROGRAM_ID, bytes([17]), [AccountMeta(account, False, True)])


def close_account(
    account: Pubkey, destination: Pubkey, owner: Pubkey, token_program: Pubkey = TOKEN_PROGRAM_ID
) -> Instruction:
    """SPL Token `CloseAccount` (9): a WSOL account's lamports (wrapped amount + rent) go to `destination`."""
    return Instruction(
        token_program,
        bytes([9]),
        [AccountMeta(account, False, True), AccountMeta(destination, False, True), AccountMeta(owner, True, False)],
    )
