"""The build's output is a real SBF program that LiteSVM loads and runs (issue 2)."""

from __future__ import annotations

import pytest
from solders.keypair import Keypair
from solders.litesvm import LiteSVM
from solders.message import Message
from solders.transaction import Transaction
from solders.transaction_metadata import TransactionMetadata

from asdf_dat.generated.accounts.dat_state import DatState
from asdf_dat.generated.instructions.initialize import initialize
from asdf_dat.idl import load_raw_idl
from asdf_dat.programs import ASDF_DAT_PROGRAM_ID, deploy_dir, program_path
from dat_helpers import program_data_pda, set_upgrade_authority, state_pda

pytestmark = pytest.mark.sbf

# Measured 12,400 CU: two PDA creations (state + authority) by System CPI and the
# ProgramData check. The bound catches a regression without pinning the exact number.
INITIALIZE_CU_LIMIT = 20_000

ELF_MAGIC = b"\x7fELF"
EM_BPF = 247


@pytest.mark.parametrize("crate", ["asdf_dat", "pump_standin"])
def test_programs_are_sbpf_v0_elfs(crate: str) -> None:
    elf = program_path(crate).read_bytes()
    assert elf[:4] == ELF_MAGIC
    assert int.from_bytes(elf[18:20], "little") == EM_BPF
    assert int.from_bytes(elf[48:52], "little") == 0, "e_flags 0 = SBPF v0 (loads on every cluster)"


def test_deploy_dir_holds_exactly_the_program_crates() -> None:
    assert sorted(path.name for path in deploy_dir().glob("*.so")) == ["asdf_dat.so", "pump_standin.so"]


def test_idl_names_the_deployed_program() -> None:
    raw = load_raw_idl()
    assert raw["address"] == str(ASDF_DAT_PROGRAM_ID)
    assert raw["metadata"]["name"] == "asdf_dat"


def test_initialize_runs_in_litesvm(dat_svm: LiteSVM) -> None:
    admin, keeper = Keypair(), Keypair()
    dat_svm.airdrop(admin.pubkey(), 1_000_000_000)
    set_upgrade_authority(dat_svm, admin.pubkey())

    instruction = initialize({"keeper": keeper.pubkey()}, {"admin": admin.pubkey(), "program_data": program_data_pda()})
    tx = Transaction([admin], Message([instruction], admin.pubkey()), dat_svm.latest_blockhash())
    result = dat_svm.send_transaction(tx)
    assert isinstance(result, TransactionMetadata), result

    account = dat_svm.get_account(state_pda())
    assert account is not None
    assert account.owner == ASDF_DAT_PROGRAM_ID
    assert account.lamports == dat_svm.minimum_balance_for_rent_exemption(len(account.data))
    state = DatState.decode(bytes(account.data))  # the generated client reads the program's layout
    assert state.admin == admin.pubkey()
    assert state.keeper == keeper.pubkey()
    assert state.fee_split_bps == 5520
    assert state.is_active
    assert 0 < result.compute_units_consumed() <= INITIALIZE_CU_LIMIT
