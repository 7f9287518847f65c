"""The main job on the embedded SVM: what `asdf-dat demo` runs and prints."""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass, field

from solders.account import Account
from solders.instruction import Instruction
from solders.litesvm import LiteSVM
from solders.keypair import Keypair
from solders.message import Message
from solders.pubkey import Pubkey
from solders.transaction import Transaction
from solders.transaction_metadata import TransactionMetadata

from asdf_dat.embedded import new_dat_svm
from asdf_dat.generated.instructions.initialize import initialize as generated_initialize
from asdf_dat.programs import ASDF_DAT_PROGRAM_ID, program_path

@dataclass(frozen=True)
class DemoReport:
    program_sha256: dict[str, str]
    compute_units: dict[str, int] = field(default_factory=dict)


BPF_LOADER_UPGRADEABLE_ID = Pubkey.from_string("BPFLoaderUpgradeab1e11111111111111111111111")


def program_data_address() -> Pubkey:
    return Pubkey.find_program_address([bytes(ASDF_DAT_PROGRAM_ID)], BPF_LOADER_UPGRADEABLE_ID)[0]


def install_program_data(svm: LiteSVM, upgrade_authority: Pubkey) -> None:
    """ProgramData naming `upgrade_authority` (u32 tag 3, u64 slot, Option<Pubkey>), as after a deploy."""
    data = struct.pack("<IQ", 3, 0) + b"\x01" + bytes(upgrade_authority)
    lamports = svm.minimum_balance_for_rent_exemption(len(data))
    svm.set_account(program_data_address(), Account(lamports, data, BPF_LOADER_UPGRADEABLE_ID, False))


def initialize_instruction(admin: Pubkey, keeper: Pubkey) -> Instruction:
    return generated_initialize({"keeper": keeper}, {"admin": admin, "program_data": program_data_address()})


def run_demo() -> DemoReport:
    svm = new_dat_svm()
    admin = Keypair()
    svm.airdrop(admin.pubkey(), 1_000_000_000)
    install_program_data(svm, admin.pubkey())
    tx = Transaction(
        [admin], Message([initialize_instruction(admin.pubkey(), admin.pubkey())], admin.pubkey()), svm.latest_blockhash()
    )
    result = svm.send_transaction(tx)
    if not isinstance(result, TransactionMetadata):
        raise RuntimeError(f"initialize failed: {result}")
    sha256 = hashlib.sha256(program_path("asdf_dat").read_bytes()).hexdigest()
    return DemoReport(
        program_sha256={"asdf_dat": sha256},
        compute_units={"initialize": result.compute_units_consumed()},
    )
