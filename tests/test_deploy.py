"""`asdf_dat.deploy` on the embedded ledger: packet-sized writes, an interrupted buffer resumed
(only missing chunks rewritten) then deployed with loader v3 (`DeployWithMaxDataLen`) and
invoked, an upgrade, a stale buffer of another size closed and replaced, bad input.
The same against a real validator: tests/test_validator.py; through the CLI from an empty
chain: tests/test_runbook_deploy.py."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from solders.hash import Hash
from solders.instruction import Instruction
from solders.keypair import Keypair
from solders.message import Message
from solders.pubkey import Pubkey
from solders.transaction import VersionedTransaction

from asdf_dat.dat.pdas import program_data_address
from asdf_dat.deploy import (
    BUFFER_METADATA_SIZE,
    PACKET_DATA_SIZE,
    PROGRAMDATA_METADATA_SIZE,
    DeployError,
    _signers,
    _transaction,
    deploy_program,
    upgradeable_state,
    write,
    write_chunk_size,
)
from asdf_dat.embedded import new_svm
from asdf_dat.localnet.ledger import LocalLedger
from asdf_dat.network.embedded_transport import EmbeddedTransport
from asdf_dat.network.wallet import load_keypair
from asdf_dat.programs import program_path

pytestmark = pytest.mark.sbf


class Interrupted(Exception):
    pass


def test_a_full_write_fits_in_a_packet() -> None:
    payer, authority, buffer = Keypair(), Keypair(), Keypair().pubkey()
    for signer in (payer, authority):
        size = write_chunk_size(payer, signer, buffer)
        tx = _transaction(
            payer, _signers(payer, signer), [write(buffer, signer.pubkey(), 0, bytes(size))], Hash.default()
        )
        assert len(bytes(tx)) == PACKET_DATA_SIZE
    assert write_chunk_size(payer, authority, buffer) < write_chunk_size(payer, payer, buffer)  # a second signature


def _invoke(ledger: LocalLedger, payer: Keypair, program_id: Pubkey) -> tuple[str, ...]:
    """Logs of a call to `program_id` with garbage data: the program itself ran (and refused)."""
    ix = Instruction(program_id, b"\xff" * 8, [])
    tx = VersionedTransaction(
        Message.new_with_blockhash([ix], payer.pubkey(), ledger.latest_blockhash().blockhash), [payer]
    )
    return ledger.simulate(tx).logs


def test_interrupted_buffer_is_resumed_then_deployed_and_upgraded(tmp_path: Path) -> None:
    ledger = LocalLedger(new_svm())
    transport = EmbeddedTransport(ledger)
    payer = Keypair()
    ledger.airdrop(payer.pubkey(), 100 * 10**9)
    so = program_path("pump_standin").read_bytes()
    program = Keypair()
    buffer_file = tmp_path / "buffer.json"

    def stop_after(limit: int):  # type: ignore[no-untyped-def]
        def progress(phase: str, done: int, total: int) -> None:
            if phase == "write" and done >= limit:
                raise Interrupted()
        return progress

    with pytest.raises(Interrupted):
        asyncio.run(
            deploy_program(
                transport, payer, so, program, buffer_file=buffer_file, progress=stop_after(20), concurrency=1
            )
        )
    buffer = load_keypair(buffer_file).pubkey()
    account = ledger.get_account(buffer)
    assert account is not None and upgradeable_state(bytes(account.data)).authority == payer.pubkey()
    assert len(account.data) == BUFFER_METADATA_SIZE + len(so)
    written_before = bytes(account.data)[BUFFER_METADATA_SIZE:]
    assert written_before != so and written_before[:100] == so[:100]
    assert ledger.get_account(program.pubkey()) is None

    seen: list[tuple[str, int, int]] = []
    result = asyncio.run(deploy_program(transport, payer, so, program, buffer_file=buffer_file,
                                        progress=lambda *a: seen.append(a)))
    writes = [s for s in seen if s[0] == "write"]
    chunks = -(-len(so) // write_chunk_size(payer, payer, buffer))
    assert writes[-1][2] == chunks - 20  # only the chunks the first run did not write
    assert result.action == "deploy" and result.chunks == chunks and result.chunks_written == chunks - 20
    assert result.buffer == buffer and ledger.get_account(buffer) is None  # consumed by the deploy
    assert not buffer_file.exists()
    assert result.fees_lamports > 0
    programdata = ledger.get_account(program_data_address(program.pubkey()))
    assert programdata is not None and upgradeable_state(bytes(programdata.data)).authority == payer.pubkey()
    assert bytes(programdata.data)[PROGRAMDATA_METADATA_SIZE:][: len(so)] == so
    assert len(programdata.data) == PROGRAMDATA_METADATA_SIZE + 2 * len(so)  # room for upgrades
    logs = _invoke(ledger, payer, program.pubkey())
    assert f"Program {program.pubkey()} invoke [1]" in logs
    assert any(line.startswith(f"Program {program.pubkey()} consumed") for line in logs), logs  # it ran

    # An upgrade under the same authority (a smaller ELF: the other program).
    other = program_path("asdf_dat").read_bytes()
    assert len(other) <= 2 * len(so)
    upgraded = asyncio.run(deploy_program(transport, payer, other, program, buffer_file=buffer_file, concurrency=8))
    assert upgraded.action == "upgrade"
    programdata = ledger.get_account(program_data_address(program.pubkey()))
    assert programdata is not None and bytes(programdata.data)[PROGRAMDATA_METADATA_SIZE:][: len(other)] == other
    # Someone else cannot upgrade it: refused before any buffer is written.
    stranger = Keypair()
    ledger.airdrop(stranger.pubkey(), 10 * 10**9)
    count = ledger.transaction_count()
    with pytest.raises(DeployError, match="is upgradeable by"):
        asyncio.run(deploy_program(transport, stranger, so, program, buffer_file=tmp_path / "b2.json"))
    assert ledger.transaction_count() == count


def test_stale_buffer_of_another_size_is_closed_and_replaced(tmp_path: Path) -> None:
    ledger = LocalLedger(new_svm())
    transport = EmbeddedTransport(ledger)
    payer = Keypair()
    ledger.airdrop(payer.pubkey(), 100 * 10**9)
    so = program_path("pump_standin").read_bytes()
    buffer_file = tmp_path / "buffer.json"

    def stop(phase: str, done: int, total: int) -> None:
        if phase == "write" and done >= 5:
            raise Interrupted()

    with pytest.raises(Interrupted):
        asyncio.run(
            deploy_program(transport, payer, so, Keypair(), buffer_file=buffer_file, progress=stop, concurrency=1)
        )
    buffer = load_keypair(buffer_file).pubkey()
    stale = ledger.get_account(buffer)
    assert stale is not None
    # A different program (another size): the stale buffer is closed, its rent returned.
    before = ledger.get_balance(payer.pubkey())
    smaller = program_path("asdf_dat").read_bytes()
    assert len(smaller) != len(so)
    program = Keypair()
    result = asyncio.run(deploy_program(transport, payer, smaller, program, buffer_file=buffer_file, concurrency=8))
    assert ledger.get_account(buffer) is None and result.buffer != buffer
    assert result.action == "deploy"
    # Every lamport: the stale buffer's rent back; the program's two accounts and the fees paid.
    program_account = ledger.get_account(program.pubkey())
    programdata = ledger.get_account(program_data_address(program.pubkey()))
    assert program_account is not None and programdata is not None
    assert ledger.get_balance(payer.pubkey()) == (
        before + stale.lamports - result.fees_lamports - program_account.lamports - programdata.lamports
    )


def test_refuses_what_is_not_an_elf_and_a_foreign_buffer(tmp_path: Path) -> None:
    ledger = LocalLedger(new_svm())
    transport = EmbeddedTransport(ledger)
    payer = Keypair()
    ledger.airdrop(payer.pubkey(), 10 * 10**9)
    with pytest.raises(DeployError, match="not an ELF"):
        asyncio.run(deploy_program(transport, payer, b"garbage", Keypair(), buffer_file=tmp_path / "b.json"))
    assert not (tmp_path / "b.json").exists()
    # A buffer whose authority is someone else: refused, nothing sent.
    so = program_path("pump_standin").read_bytes()
    other = Keypair()
    ledger.airdrop(other.pubkey(), 10 * 10**9)
    with pytest.raises(Interrupted):
        def stop(phase: str, done: int, total: int) -> None:
            raise Interrupted()
        asyncio.run(deploy_program(transport, other, so, Keypair(), buffer_file=tmp_path / "b.json", progress=stop))
    count = ledger.transaction_count()
    with pytest.raises(DeployError, match="has authority"):
        asyncio.run(deploy_program(transport, payer, so, Keypair(), buffer_file=tmp_path / "b.json"))
    assert ledger.transaction_count() == count


def test_cli_missing_program_file_is_a_clear_error(tmp_path: Path) -> None:
    import subprocess
    import sys

    cli = Path(sys.executable).parent / "asdf-dat"
    proc = subprocess.run([str(cli), "deploy", "--program", str(tmp_path / "missing.so")], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "missing.so not found" in proc.stderr
