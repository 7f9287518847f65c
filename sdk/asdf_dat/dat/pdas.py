"""Program-derived addresses of the asdf_dat program (seeds as in programs/asdf_dat/src/constants.rs)."""

from __future__ import annotations

from solders.pubkey import Pubkey

from asdf_dat.programs import ASDF_DAT_PROGRAM_ID

STATE_SEED = b"dat_state"
AUTHORITY_SEED = b"dat_authority"
TOKEN_STATS_SEED = b"token_stats"
ROOT_TREASURY_SEED = b"root_treasury"


def state_address(program_id: Pubkey = ASDF_DAT_PROGRAM_ID) -> Pubkey:
    return Pubkey.find_program_address([STATE_SEED], program_id)[0]


def authority_address(program_id: Pubkey = ASDF_DAT_PROGRAM_ID) -> Pubkey:
    """The system-owned PDA that signs every CPI and is the pump creator of every token."""
    return Pubkey.find_program_address([AUTHORITY_SEED], program_id)[0]


def token_stats_address(mint: Pubkey, program_id: Pubkey = ASDF_DAT_PROGRAM_ID) -> Pubkey:
    return Pubkey.find_program_address([TOKEN_STATS_SEED, bytes(mint)], program_id)[0]


def root_treasury_address(root_mint: Pubkey, program_id: Pubkey = ASDF_DAT_PROGRAM_ID) -> Pubkey:
    return Pubkey.find_program_address([ROOT_TREASURY_SEED, bytes(root_mint)], program_id)[0]


WSOL_SCRATCH_SEED = b"wsol_scratch"
BPF_LOADER_UPGRADEABLE_ID = Pubkey.from_string("BPFLoaderUpgradeab1e11111111111111111111111")


def wsol_scratch_address(program_id: Pubkey = ASDF_DAT_PROGRAM_ID) -> Pubkey:
    """Transient WSOL account a curve cycle unwraps pool WSOL through (when its SOL falls short)."""
    return Pubkey.find_program_address([WSOL_SCRATCH_SEED], program_id)[0]


def program_data_address(program_id: Pubkey = ASDF_DAT_PROGRAM_ID) -> Pubkey:
    """The BPF-upgradeable loader's ProgramData account of `program_id` (read by `initialize`)."""
    return Pubkey.find_program_address([bytes(program_id)], BPF_LOADER_UPGRADEABLE_ID)[0]


FEE_VAULT_SEED = b"fee_vault"


def fee_vault_address(mint: Pubkey, program_id: Pubkey = ASDF_DAT_PROGRAM_ID) -> Pubkey:
    """A fee-sharing token's own fee account: system-owned, sole shareholder of its mint's
    pump sharing config, spent only by that token's cycles."""
    return Pubkey.find_program_address([FEE_VAULT_SEED, bytes(mint)], program_id)[0]
