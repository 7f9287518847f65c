"""Deploy (or upgrade) an SBF program with the BPF upgradeable loader, over any `Transport`,
for operators without Solana's or Anchor's CLI.

    result = await deploy_program(transport, payer, so_bytes, program_keypair, buffer_file=...)

Steps, as `solana program deploy` does them:

1. a buffer account (`InitializeBuffer`, authority = the upgrade authority); its keypair is
   saved to `buffer_file` *before* it is created, so an interrupted deploy resumes;
2. `Write` of every chunk (each transaction at most 1232 bytes), several in flight, each
   retried (an expired transaction is rebuilt, a failed one resent); then the buffer is read
   back and any chunk that differs is written again. A rerun after a crash finds the
   half-written buffer and writes only the chunks that differ;
3. `DeployWithMaxDataLen` (the program account is created in the same transaction), or
   `Upgrade` if the program already exists under this upgrade authority.

The program is usable from the slot after the deploy; `deploy_program` waits for it.
"""

from __future__ import annotations

import asyncio
import logging
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from solders.compute_budget import set_compute_unit_limit
from solders.hash import Hash
from solders.instruction import AccountMeta, Instruction
from solders.keypair import Keypair
from solders.message import Message
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.system_program import CreateAccountParams, create_account
from solders.transaction import Transaction

from asdf_dat.dat.pdas import BPF_LOADER_UPGRADEABLE_ID, program_data_address
from asdf_dat.network.protocol import Transport
from asdf_dat.network.results import (
    ConfirmationTimeoutError,
    RpcResponseError,
    RpcUnavailableError,
    TransactionExpiredError,
    TransactionFailedError,
)
from asdf_dat.network.wallet import load_keypair, write_keypair
from asdf_dat.pump.addresses import SYSTEM_PROGRAM_ID

__all__ = [
    "BUFFER_METADATA_SIZE",
    "PROGRAM_ACCOUNT_SIZE",
    "PROGRAMDATA_METADATA_SIZE",
    "DeployError",
    "DeployResult",
    "ProgressCallback",
    "deploy_program",
    "upgradeable_state",
    "write_chunk_size",
]

logger = logging.getLogger(__name__)

PACKET_DATA_SIZE = 1232
BUFFER_METADATA_SIZE = 37  # u32 tag 1, Option<Pubkey> authority
PROGRAMDATA_METADATA_SIZE = 45  # u32 tag 3, u64 slot, Option<Pubkey> authority
PROGRAM_ACCOUNT_SIZE = 36  # u32 tag 2, Pubkey programdata
_INITIALIZE_BUFFER, _WRITE, _DEPLOY_WITH_MAX_DATA_LEN, _UPGRADE, _CLOSE = 0, 1, 2, 3, 5
_TAG_BUFFER, _TAG_PROGRAM, _TAG_PROGRAMDATA = 1, 2, 3
RENT_SYSVAR = Pubkey.from_string("SysvarRent111111111111111111111111111111111")
CLOCK_SYSVAR = Pubkey.from_string("SysvarC1ock11111111111111111111111111111111")
DEPLOY_UNIT_LIMIT = 200_000
DEFAULT_CONCURRENCY = 16
WRITE_ATTEMPTS = 5
VERIFY_PASSES = 3

ProgressCallback = Callable[[str, int, int], None]
"""(phase, done, total): phase is "write" (chunks) or "verify"."""


class DeployError(Exception):
    """A deploy that cannot proceed (wrong authority, program too large, buffer unusable...)."""


@dataclass(frozen=True)
class DeployResult:
    program_id: Pubkey
    programdata: Pubkey
    buffer: Pubkey
    action: Literal["deploy", "upgrade"]
    signature: Signature
    slot: int
    program_len: int
    max_data_len: int
    chunks: int
    chunks_written: int
    """Chunks written by this run (fewer than `chunks` when it resumed a half-written buffer)."""
    write_transactions: int
    fees_lamports: int
    """Fees paid for this run's transactions, read from the landed transactions."""


# ---------------------------------------------------------------------- instructions


def initialize_buffer(buffer: Pubkey, authority: Pubkey) -> Instruction:
    return Instruction(
        BPF_LOADER_UPGRADEABLE_ID,
        struct.pack("<I", _INITIALIZE_BUFFER),
        [AccountMeta(buffer, False, True), AccountMeta(authority, False, False)],
    )


def write(buffer: Pubkey, authority: Pubkey, offset: int, data: bytes) -> Instruction:
    return Instruction(
        BPF_LOADER_UPGRADEABLE_ID,
        struct.pack("<IIQ", _WRITE, offset, len(data)) + data,
        [AccountMeta(buffer, False, True), AccountMeta(authority, True, False)],
    )


def deploy_with_max_data_len(
    payer: Pubkey, program: Pubkey, buffer: Pubkey, authority: Pubkey, max_data_len: int
) -> Instruction:
    return Instruction(
        BPF_LOADER_UPGRADEABLE_ID,
        struct.pack("<IQ", _DEPLOY_WITH_MAX_DATA_LEN, max_data_len),
        [
            AccountMeta(payer, True, True),
            AccountMeta(program_data_address(program), False, True),
            AccountMeta(program, False, True),
            AccountMeta(buffer, False, True),
            AccountMeta(RENT_SYSVAR, False, False),
            AccountMeta(CLOCK_SYSVAR, False, False),
            AccountMeta(SYSTEM_PROGRAM_ID, False, False),
            AccountMeta(authority, True, False),
        ],
    )


def upgrade(program: Pubkey, buffer: Pubkey, spill: Pubkey, authority: Pubkey) -> Instruction:
    return Instruction(
        BPF_LOADER_UPGRADEABLE_ID,
        struct.pack("<I", _UPGRADE),
        [
            AccountMeta(program_data_address(program), False, True),
            AccountMeta(program, False, True),
            AccountMeta(buffer, False, True),
            AccountMeta(spill, False, True),
            AccountMeta(RENT_SYSVAR, False, False),
            AccountMeta(CLOCK_SYSVAR, False, False),
            AccountMeta(authority, True, False),
        ],
    )


def close_buffer(buffer: Pubkey, recipient: Pubkey, authority: Pubkey) -> Instruction:
    return Instruction(
        BPF_LOADER_UPGRADEABLE_ID,
        struct.pack("<I", _CLOSE),
        [AccountMeta(buffer, False, True), AccountMeta(recipient, False, True), AccountMeta(authority, True, False)],
    )


# ---------------------------------------------------------------------- state


@dataclass(frozen=True)
class LoaderState:
    """A BPF upgradeable loader account: its tag and (for buffers / ProgramData) authority."""

    tag: int
    authority: Pubkey | None
    programdata: Pubkey | None = None
    data_offset: int = 0


def upgradeable_state(data: bytes) -> LoaderState:
    if len(data) < 4:
        raise DeployError("not a BPF upgradeable loader account")
    tag = struct.unpack_from("<I", data, 0)[0]
    if tag == _TAG_BUFFER and len(data) >= BUFFER_METADATA_SIZE:
        return LoaderState(tag, Pubkey.from_bytes(data[5:37]) if data[4] else None, None, BUFFER_METADATA_SIZE)
    if tag == _TAG_PROGRAM and len(data) >= PROGRAM_ACCOUNT_SIZE:
        return LoaderState(tag, None, Pubkey.from_bytes(data[4:36]))
    if tag == _TAG_PROGRAMDATA and len(data) >= PROGRAMDATA_METADATA_SIZE:
        return LoaderState(tag, Pubkey.from_bytes(data[13:45]) if data[12] else None, None, PROGRAMDATA_METADATA_SIZE)
    return LoaderState(tag, None)


def _signers(payer: Keypair, *others: Keypair) -> list[Keypair]:
    seen = {payer.pubkey()}
    out = [payer]
    for keypair in others:
        if keypair.pubkey() not in seen:
            seen.add(keypair.pubkey())
            out.append(keypair)
    return out


def _transaction(
    payer: Keypair, signers: Sequence[Keypair], ixs: Sequence[Instruction], blockhash: Hash
) -> Transaction:
    return Transaction(list(signers), Message.new_with_blockhash(list(ixs), payer.pubkey(), blockhash), blockhash)


def write_chunk_size(payer: Keypair, authority: Keypair, buffer: Pubkey) -> int:
    """The largest `Write` payload whose transaction fits in a packet."""
    empty = _transaction(payer, _signers(payer, authority), [write(buffer, authority.pubkey(), 0, b"")], Hash.default())
    # The data length's compact-u16 prefix grows from 1 to 2 bytes once data exceeds 127 bytes.
    return PACKET_DATA_SIZE - len(bytes(empty)) - 1


# ---------------------------------------------------------------------- deploy


@dataclass
class _Run:
    transport: Transport
    payer: Keypair
    authority: Keypair
    progress: ProgressCallback
    signatures: list[Signature]

    async def send(self, ixs: Sequence[Instruction], *extra: Keypair, what: str) -> tuple[Signature, int]:
        """Send and confirm; an expired transaction is rebuilt, transient failures retried."""
        last: Exception | None = None
        for attempt in range(WRITE_ATTEMPTS):
            latest = await self.transport.get_latest_blockhash()
            tx = _transaction(self.payer, _signers(self.payer, self.authority, *extra), ixs, latest.blockhash)
            try:
                status = await self.transport.send_and_confirm(
                    tx, last_valid_block_height=latest.last_valid_block_height
                )
            except TransactionFailedError as failure:
                raise DeployError(f"{what} failed: {failure}\n" + "\n".join(failure.logs[-8:])) from None
            except (TransactionExpiredError, ConfirmationTimeoutError, RpcUnavailableError, RpcResponseError) as exc:
                last = exc
                logger.warning("%s: %s (attempt %d/%d)", what, exc, attempt + 1, WRITE_ATTEMPTS)
                await asyncio.sleep(min(0.5 * 2**attempt, 4.0))
                continue
            self.signatures.append(status.signature)
            return status.signature, status.slot
        raise DeployError(f"{what}: gave up after {WRITE_ATTEMPTS} attempts ({last})")


async def _buffer_for(
    run: _Run, buffer_file: Path, program_len: int
) -> tuple[Keypair, bytes | None]:
    """The buffer keypair (saved before the account exists) and its current contents if it
    already exists and is usable; a stale buffer of another size is closed first."""
    transport, authority = run.transport, run.authority.pubkey()
    if buffer_file.exists():
        keypair = load_keypair(buffer_file)
        account = await transport.get_account(keypair.pubkey())
        if account is None:
            return keypair, None
        if account.owner != BPF_LOADER_UPGRADEABLE_ID:
            raise DeployError(f"{buffer_file}: {keypair.pubkey()} is not a loader buffer (owner {account.owner})")
        data = bytes(account.data)
        state = upgradeable_state(data)
        if state.tag != _TAG_BUFFER:
            raise DeployError(f"{buffer_file}: {keypair.pubkey()} is not a buffer (tag {state.tag}); delete the file")
        if state.authority != authority:
            raise DeployError(
                f"buffer {keypair.pubkey()} has authority {state.authority}, not {authority}; delete {buffer_file}"
            )
        if len(data) == BUFFER_METADATA_SIZE + program_len:
            logger.info("resuming the half-written buffer %s", keypair.pubkey())
            return keypair, data[BUFFER_METADATA_SIZE:]
        await run.send([close_buffer(keypair.pubkey(), run.payer.pubkey(), authority)], what="closing a stale buffer")
        buffer_file.unlink()
    keypair = Keypair()
    write_keypair(buffer_file, keypair)
    return keypair, None


async def _create_buffer(run: _Run, buffer: Keypair, program_len: int) -> None:
    size = BUFFER_METADATA_SIZE + program_len
    lamports = await run.transport.get_minimum_balance_for_rent_exemption(size)
    create = create_account(
        CreateAccountParams(
            from_pubkey=run.payer.pubkey(),
            to_pubkey=buffer.pubkey(),
            lamports=lamports,
            space=size,
            owner=BPF_LOADER_UPGRADEABLE_ID,
        )
    )
    await run.send(
        [create, initialize_buffer(buffer.pubkey(), run.authority.pubkey())], buffer, what="creating the buffer"
    )


async def _write_chunks(
    run: _Run, buffer: Pubkey, program: bytes, offsets: list[int], chunk: int, concurrency: int
) -> int:
    """`concurrency` workers write the chunks; once one fails (or progress raises, e.g. an
    interrupt), the others take no further chunk, so the buffer is left for a resume."""
    pending = iter(offsets)
    failed: list[BaseException] = []
    done = 0

    async def worker() -> None:
        nonlocal done
        for offset in pending:
            if failed:
                return
            try:
                data = program[offset : offset + chunk]
                await run.send([write(buffer, run.authority.pubkey(), offset, data)], what=f"write at {offset}")
                done += 1
                run.progress("write", done, len(offsets))
            except BaseException as exc:
                failed.append(exc)
                raise

    run.progress("write", 0, len(offsets))
    await asyncio.gather(*(worker() for _ in range(max(1, min(concurrency, len(offsets))))))
    return len(offsets)


def _differing(current: bytes | None, program: bytes, chunk: int) -> list[int]:
    offsets = list(range(0, len(program), chunk))
    if current is None:
        return offsets
    return [o for o in offsets if current[o : o + chunk] != program[o : o + chunk]]


async def _buffer_contents(transport: Transport, buffer: Pubkey) -> bytes:
    account = await transport.get_account(buffer)
    if account is None:
        raise DeployError(f"buffer {buffer} disappeared")
    return bytes(account.data)[BUFFER_METADATA_SIZE:]


async def _fees(transport: Transport, signatures: Sequence[Signature]) -> int:
    total = 0
    for signature in signatures:
        landed = await transport.get_transaction(signature)
        meta = landed.transaction.meta if landed is not None else None
        total += meta.fee if meta is not None else 0
    return total


async def deploy_program(
    transport: Transport,
    payer: Keypair,
    program: bytes,
    program_keypair: Keypair,
    *,
    buffer_file: Path,
    upgrade_authority: Keypair | None = None,
    max_data_len: int | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    progress: ProgressCallback | None = None,
) -> DeployResult:
    """Deploy `program` (an SBF .so) at `program_keypair`'s address, or upgrade it there.

    `upgrade_authority` (default: the payer) owns the buffer and becomes / must be the
    program's upgrade authority. `max_data_len` defaults to twice the program's size (room
    for upgrades). `buffer_file` keeps the buffer keypair between runs; it is removed once
    the buffer has been consumed.
    """
    if not program.startswith(b"\x7fELF"):
        raise DeployError("not an ELF file (expected target/deploy/<program>.so)")
    authority = upgrade_authority or payer
    run = _Run(transport, payer, authority, progress or (lambda *_: None), [])
    program_id = program_keypair.pubkey()
    programdata = program_data_address(program_id)

    existing = await transport.get_account(program_id)
    action: Literal["deploy", "upgrade"] = "deploy"
    if existing is not None:
        if existing.owner != BPF_LOADER_UPGRADEABLE_ID or upgradeable_state(bytes(existing.data)).tag != _TAG_PROGRAM:
            raise DeployError(f"{program_id} already exists and is not an upgradeable program")
        data_account = await transport.get_account(programdata)
        if data_account is None:
            raise DeployError(f"{program_id}: its ProgramData {programdata} is missing")
        state = upgradeable_state(bytes(data_account.data))
        if state.authority != authority.pubkey():
            raise DeployError(
                f"{program_id} is upgradeable by {state.authority or 'nobody (immutable)'}, not {authority.pubkey()}"
            )
        room = len(data_account.data) - PROGRAMDATA_METADATA_SIZE
        if len(program) > room:
            raise DeployError(f"{program_id}: the new program ({len(program)} bytes) exceeds its max data len ({room})")
        action, max_len = "upgrade", room
    else:
        max_len = max_data_len if max_data_len is not None else 2 * len(program)
        if max_len < len(program):
            raise DeployError(f"max data len {max_len} is smaller than the program ({len(program)} bytes)")

    buffer, current = await _buffer_for(run, buffer_file, len(program))
    if current is None:
        await _create_buffer(run, buffer, len(program))
    chunk = write_chunk_size(payer, authority, buffer.pubkey())
    offsets = _differing(current, program, chunk)
    chunks = len(range(0, len(program), chunk))
    written = await _write_chunks(run, buffer.pubkey(), program, offsets, chunk, concurrency)
    for _ in range(VERIFY_PASSES):
        contents = await _buffer_contents(transport, buffer.pubkey())
        stale = _differing(contents, program, chunk)
        run.progress("verify", chunks - len(stale), chunks)
        if not stale:
            break
        written += await _write_chunks(run, buffer.pubkey(), program, stale, chunk, concurrency)
    else:
        raise DeployError(f"buffer {buffer.pubkey()} still differs from the program after {VERIFY_PASSES} passes")
    write_transactions = written

    if action == "deploy":
        lamports = await transport.get_minimum_balance_for_rent_exemption(PROGRAM_ACCOUNT_SIZE)
        create = create_account(
            CreateAccountParams(
                from_pubkey=payer.pubkey(),
                to_pubkey=program_id,
                lamports=lamports,
                space=PROGRAM_ACCOUNT_SIZE,
                owner=BPF_LOADER_UPGRADEABLE_ID,
            )
        )
        ixs = [
            set_compute_unit_limit(DEPLOY_UNIT_LIMIT),
            create,
            deploy_with_max_data_len(payer.pubkey(), program_id, buffer.pubkey(), authority.pubkey(), max_len),
        ]
        signature, slot = await run.send(ixs, program_keypair, what="DeployWithMaxDataLen")
    else:
        ixs = [
            set_compute_unit_limit(DEPLOY_UNIT_LIMIT),
            upgrade(program_id, buffer.pubkey(), payer.pubkey(), authority.pubkey()),
        ]
        signature, slot = await run.send(ixs, what="Upgrade")
    buffer_file.unlink(missing_ok=True)
    # A program deployed in slot N can be invoked from slot N + 1.
    for _ in range(100):
        if await transport.get_slot() > slot:
            break
        await asyncio.sleep(0.2)
    return DeployResult(
        program_id=program_id,
        programdata=programdata,
        buffer=buffer.pubkey(),
        action=action,
        signature=signature,
        slot=slot,
        program_len=len(program),
        max_data_len=max_len,
        chunks=chunks,
        chunks_written=written,
        write_transactions=write_transactions,
        fees_lamports=await _fees(transport, run.signatures),
    )
