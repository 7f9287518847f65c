"""`asdf_dat.deploy` on the embedded ledger: packet-sized writes, an interrupted buffer resumed
(only missing chunks rewritten), a stale buffer of another size closed and replaced, bad input.

LiteSVM's loader refuses `DeployWithMaxDataLen` ("Unsupported instruction", docs/LOCALNET.md):
the deploy itself runs in the validator suite (tests/test_validator.py)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from solders.hash import Hash
from solders.keypair import Keypair

from asdf_dat.deploy import (
    BUFFER_METADATA_SIZE,
    PACKET_DATA_SIZE,
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
        tx = _transaction(payer, _signers(payer, signer), [write(buffer, signer.pubkey(), 0, bytes(size))], Hash.default())
        assert len(bytes(tx)) == PACKET_DATA_SIZE
    assert write_chunk_size(payer, authority, buffer) < write_chunk_size(payer, payer, buffer)  # a second signature


def test_interrupted_buffer_is_resumed_then_loader_refusal_is_a_clear_error(tmp_path: Path) -> None:
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
        asyncio.run(deploy_program(transport, payer, so, program, buffer_file=buffer_file, progress=stop_after(20), concurrency=1))
    buffer = load_keypair(buffer_file).pubkey()
    account = ledger.get_account(buffer)
    assert account is not None and upgradeable_state(bytes(account.data)).authority == payer.pubkey()
    assert len(account.data) == BUFFER_METADATA_SIZE + len(so)
    written_before = bytes(account.data)[BUFFER_METADATA_SIZE:]
    assert written_before != so and written_before[:100] == so[:100]

    seen: list[tuple[str, int, int]] = []
    with pytest.raises(DeployError, match="DeployWithMaxDataLen failed") as failure:
        asyncio.run(deploy_program(transport, payer, so, program, buffer_file=buffer_file, progress=lambda *a: seen.append(a)))
    assert "Unsupported instruction" in str(failure.value)
    writes = [s for s in seen if s[0] == "write"]
    chunks = -(-len(so) // write_chunk_size(payer, payer, buffer))
    assert writes[-1][2] == chunks - 20  # only the chunks the first run did not write
    account = ledger.get_account(buffer)
    assert account is not None and bytes(account.data)[BUFFER_METADATA_SIZE:] == so  # verified complete
    assert buffer_file.exists()  # kept: the buffer was not consumed

    # A different program (another size): the stale buffer is closed, its rent returned.
    before = ledger.get_balance(payer.pubkey())
    with pytest.raises(DeployError):
        asyncio.run(deploy_program(transport, payer, so[: len(so) - 1000] , program, buffer_file=buffer_file, concurrency=8))
    assert ledger.get_account(buffer) is None
    assert load_keypair(buffer_file).pubkey() != buffer
    assert ledger.get_balance(payer.pubkey()) > before - 10**9


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
