"""The main job on the embedded SVM: what `asdf-dat demo` runs and prints."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from solders.instruction import Instruction
from solders.keypair import Keypair
from solders.message import Message
from solders.pubkey import Pubkey
from solders.transaction import Transaction
from solders.transaction_metadata import TransactionMetadata

from asdf_dat.embedded import new_dat_svm
from asdf_dat.generated.instructions.initialize import initialize as generated_initialize
from asdf_dat.programs import program_path

DEFAULT_FEE_SPLIT_BPS = 5520


@dataclass(frozen=True)
class DemoReport:
    program_sha256: dict[str, str]
    compute_units: dict[str, int] = field(default_factory=dict)


def initialize_instruction(admin: Pubkey, fee_split_bps: int = DEFAULT_FEE_SPLIT_BPS) -> Instruction:
    return generated_initialize({"fee_split_bps": fee_split_bps}, {"admin": admin})


def run_demo() -> DemoReport:
    svm = new_dat_svm()
    admin = Keypair()
    svm.airdrop(admin.pubkey(), 1_000_000_000)
    tx = Transaction(
        [admin], Message([initialize_instruction(admin.pubkey())], admin.pubkey()), svm.latest_blockhash()
    )
    result = svm.send_transaction(tx)
    if not isinstance(result, TransactionMetadata):
        raise RuntimeError(f"initialize failed: {result}")
    sha256 = hashlib.sha256(program_path("asdf_dat").read_bytes()).hexdigest()
    return DemoReport(
        program_sha256={"asdf_dat": sha256},
        compute_units={"initialize": result.compute_units_consumed()},
    )
