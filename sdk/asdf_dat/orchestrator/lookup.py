"""An address lookup table for the cycle transactions, so that several tokens fit in one
transaction (a legacy transaction holds ~2 bonding-curve tokens; with the table the compute
limit decides). The operator's wallet owns it; its address is kept in
`.<network>-cycle-lookup-table.json` in the working directory. Created and extended by live
runs only (a dry run uses it as it is).
"""

from __future__ import annotations

import asyncio
import json
import struct
from collections.abc import Iterable, Sequence
from pathlib import Path

from solders.address_lookup_table_account import ID as ADDRESS_LOOKUP_TABLE_ID
from solders.address_lookup_table_account import (
    AddressLookupTable,
    AddressLookupTableAccount,
    derive_lookup_table_address,
)
from solders.hash import Hash
from solders.instruction import AccountMeta, Instruction
from solders.keypair import Keypair
from solders.message import Message, MessageV0
from solders.pubkey import Pubkey
from solders.transaction import Transaction, VersionedTransaction

from asdf_dat.network.protocol import Transport
from asdf_dat.pump.addresses import SYSTEM_PROGRAM_ID

MAX_ADDRESSES = 256
EXTEND_CHUNK = 24
_CREATE, _EXTEND = 0, 2


def table_file(network: str, directory: Path | None = None) -> Path:
    return (directory or Path.cwd()) / f".{network}-cycle-lookup-table.json"


def _metas(table: Pubkey, authority: Pubkey, payer: Pubkey) -> list[AccountMeta]:
    return [
        AccountMeta(table, is_signer=False, is_writable=True),
        AccountMeta(authority, is_signer=True, is_writable=False),
        AccountMeta(payer, is_signer=True, is_writable=True),
        AccountMeta(SYSTEM_PROGRAM_ID, is_signer=False, is_writable=False),
    ]


def create_instruction(authority: Pubkey, payer: Pubkey, recent_slot: int) -> tuple[Instruction, Pubkey]:
    table, bump = derive_lookup_table_address(authority, recent_slot)
    data = struct.pack("<IQB", _CREATE, recent_slot, bump)
    return Instruction(ADDRESS_LOOKUP_TABLE_ID, data, _metas(table, authority, payer)), table


def extend_instruction(table: Pubkey, authority: Pubkey, payer: Pubkey, addresses: Sequence[Pubkey]) -> Instruction:
    data = struct.pack("<IQ", _EXTEND, len(addresses)) + b"".join(bytes(a) for a in addresses)
    return Instruction(ADDRESS_LOOKUP_TABLE_ID, data, _metas(table, authority, payer))


def table_addresses(instructions: Iterable[Instruction]) -> list[Pubkey]:
    """Every non-signer account and program of `instructions`, first-seen order."""
    seen: dict[Pubkey, None] = {}
    for ix in instructions:
        for meta in ix.accounts:
            if not meta.is_signer:
                seen[meta.pubkey] = None
        seen[ix.program_id] = None
    return list(seen)


async def load_table(transport: Transport, path: Path) -> AddressLookupTableAccount | None:
    """The table recorded in `path`, as it is on-chain (None if there is none)."""
    try:
        address = Pubkey.from_string(json.loads(path.read_text())["address"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    account = await transport.get_account(address)
    if account is None or account.owner != ADDRESS_LOOKUP_TABLE_ID:
        return None
    table = AddressLookupTable.deserialize(bytes(account.data))
    return AddressLookupTableAccount(address, list(table.addresses))


SLOT_HASHES_SYSVAR = Pubkey.from_string("SysvarS1otHashes111111111111111111111111111")


async def recent_slot(transport: Transport) -> int:
    """The newest slot of the SlotHashes sysvar (what `create_lookup_table` accepts)."""
    account = await transport.get_account(SLOT_HASHES_SYSVAR)
    if account is not None and len(account.data) >= 16:
        count, newest = struct.unpack_from("<QQ", bytes(account.data), 0)
        if count > 0:
            return int(newest)
    return max(await transport.get_slot() - 1, 0)


async def _send(transport: Transport, payer: Keypair, ixs: list[Instruction]) -> int:
    latest = await transport.get_latest_blockhash()
    tx = Transaction([payer], Message.new_with_blockhash(ixs, payer.pubkey(), latest.blockhash), latest.blockhash)
    status = await transport.send_and_confirm(tx, last_valid_block_height=latest.last_valid_block_height)
    return status.slot


async def ensure_table(
    transport: Transport, payer: Keypair, wanted: Sequence[Pubkey], path: Path, *, timeout: float = 30.0
) -> AddressLookupTableAccount:
    """A table holding every address of `wanted` (created / extended as needed), usable now."""
    table = await load_table(transport, path)
    last_slot = 0
    if table is None:
        recent = await recent_slot(transport)
        ix, address = create_instruction(payer.pubkey(), payer.pubkey(), recent)
        path.write_text(json.dumps({"address": str(address), "authority": str(payer.pubkey())}) + "\n")
        existing = await load_table(transport, path)
        if existing is None:
            last_slot = await _send(transport, payer, [ix])
            table = AddressLookupTableAccount(address, [])
        else:
            table = existing
    have = set(table.addresses)
    missing = [a for a in wanted if a not in have][: MAX_ADDRESSES - len(table.addresses)]
    for start in range(0, len(missing), EXTEND_CHUNK):
        chunk = missing[start : start + EXTEND_CHUNK]
        last_slot = await _send(
            transport, payer, [extend_instruction(table.key, payer.pubkey(), payer.pubkey(), chunk)]
        )
    if last_slot:
        # addresses added in slot N are usable from slot N+1
        deadline = asyncio.get_running_loop().time() + timeout
        while await transport.get_slot() <= last_slot:
            if asyncio.get_running_loop().time() > deadline:
                break
            await asyncio.sleep(0.4)
    refreshed = await load_table(transport, path)
    return refreshed or table


def build_v0(
    payer: Keypair, instructions: Sequence[Instruction], blockhash: Hash, table: AddressLookupTableAccount | None
) -> VersionedTransaction:
    message = MessageV0.try_compile(payer.pubkey(), list(instructions), [table] if table else [], blockhash)
    return VersionedTransaction(message, [payer])


def v0_size(payer: Pubkey, instructions: Sequence[Instruction], table: AddressLookupTableAccount | None) -> int:
    message = MessageV0.try_compile(payer, list(instructions), [table] if table else [], Hash.default())
    # signatures: compact-u16 count + 64 bytes each
    return 1 + 64 * message.header.num_required_signatures + len(bytes(message))
