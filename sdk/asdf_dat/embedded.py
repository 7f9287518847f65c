"""In-process SVM (solders' LiteSVM) set up like mainnet for our programs."""

from __future__ import annotations

from solders.litesvm import LiteSVM
from solders.pubkey import Pubkey
from solders.rent import Rent

from asdf_dat.programs import ASDF_DAT_PROGRAM_ID, program_path

# Mainnet rent since SIMD-0194: 6,960 lamports per byte with threshold 1.0. Same minimum
# balances as LiteSVM's default (3,480 x 2.0), but pinocchio 0.11 reads only the first field.
MAINNET_RENT = Rent(lamports_per_byte_year=6960, exemption_threshold=1.0, burn_percent=50)


def new_svm() -> LiteSVM:
    """A fresh LiteSVM with mainnet rent and SPL programs, without our programs."""
    svm = LiteSVM()
    svm.set_rent(MAINNET_RENT)
    return svm


def load_program(svm: LiteSVM, program_id: Pubkey, crate: str) -> None:
    svm.add_program(program_id, program_path(crate).read_bytes())


def new_dat_svm() -> LiteSVM:
    """A LiteSVM with the asdf_dat program loaded at its id."""
    svm = new_svm()
    load_program(svm, ASDF_DAT_PROGRAM_ID, "asdf_dat")
    return svm
