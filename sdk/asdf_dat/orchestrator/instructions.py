"""Instruction builders for the asdf_dat program: the ONE place the orchestrator builds program
instructions. Discriminators, argument encoding and account order/flags come from the IDL
(`idl_codec`); this module supplies the addresses. Swap the bodies for the generated anchorpy
client (`asdf_dat.generated`) once it covers these instructions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from solders.compute_budget import set_compute_unit_limit, set_compute_unit_price
from solders.instruction import AccountMeta, Instruction
from solders.pubkey import Pubkey

from asdf_dat.dat.pdas import authority_address, root_treasury_address, state_address, token_stats_address
from asdf_dat.orchestrator import idl_codec
from asdf_dat.programs import ASDF_DAT_PROGRAM_ID
from asdf_dat.pump import addresses as paddr
from asdf_dat.pump.addresses import (
    ASSOCIATED_TOKEN_PROGRAM_ID,
    SYSTEM_PROGRAM_ID,
    TOKEN_PROGRAM_ID,
    WSOL_MINT,
)

POOL_BONDING_CURVE = 0
POOL_AMM = 1
BPF_LOADER_UPGRADEABLE_ID = Pubkey.from_string("BPFLoaderUpgradeab1e11111111111111111111111")

Decoded = Mapping[str, Any]


def discriminator(name: str) -> bytes:
    return hashlib.sha256(f"global:{name}".encode()).digest()[:8]


def error_name(code: int) -> str | None:
    return idl_codec.error_name(code)


def compute_budget(unit_limit: int, micro_lamports: int) -> list[Instruction]:
    out = [set_compute_unit_limit(unit_limit)]
    if micro_lamports > 0:
        out.append(set_compute_unit_price(micro_lamports))
    return out


def _common() -> dict[str, Pubkey]:
    return {
        "state": state_address(),
        "authority": authority_address(),
        "system_program": SYSTEM_PROGRAM_ID,
        "associated_token_program": ASSOCIATED_TOKEN_PROGRAM_ID,
    }


# ---------------------------------------------------------------- set-up / operator / admin


def program_data_address(program_id: Pubkey = ASDF_DAT_PROGRAM_ID) -> Pubkey:
    return Pubkey.find_program_address([bytes(program_id)], BPF_LOADER_UPGRADEABLE_ID)[0]


def initialize(admin: Pubkey, keeper: Pubkey) -> Instruction:
    """`initialize(keeper)`: only the program's upgrade authority may call it."""
    accounts = _common() | {"admin": admin, "program_data": program_data_address()}
    return idl_codec.build_instruction("initialize", {"keeper": keeper}, accounts)


def init_wsol_accounts(admin: Pubkey) -> Instruction:
    authority = authority_address()
    vault_authority = paddr.coin_creator_vault_authority(authority)
    accounts = _common() | {
        "admin": admin,
        "authority_wsol_ata": paddr.associated_token_address(authority, WSOL_MINT),
        "amm_vault_authority": vault_authority,
        "amm_vault_ata": paddr.associated_token_address(vault_authority, WSOL_MINT),
        "wsol_mint": WSOL_MINT,
        "token_program": TOKEN_PROGRAM_ID,
    }
    return idl_codec.build_instruction("init_wsol_accounts", {}, accounts)


def record_failure(operator: Pubkey, error_code: int) -> Instruction:
    """`record_failure(error_code: u32)` (keeper or admin)."""
    return idl_codec.build_instruction("record_failure", {"error_code": error_code}, _common() | {"operator": operator})


def update_parameters(admin: Pubkey, params: Mapping[str, int]) -> Instruction:
    """`update_parameters(DatParameters)` (admin): every field of `DatParameters`."""
    return idl_codec.build_instruction("update_parameters", {"params": dict(params)}, _common() | {"admin": admin})


def resume(admin: Pubkey) -> Instruction:
    return idl_codec.build_instruction("resume", {}, _common() | {"admin": admin})


def register_token(admin: Pubkey, mint: Pubkey, token_program: Pubkey, pool: Pubkey, pool_type: int) -> Instruction:
    accounts = _common() | {
        "admin": admin,
        "mint": mint,
        "token_stats": token_stats_address(mint),
        "token_program": token_program,
        "pool": pool,
        "dat_token_account": paddr.associated_token_address(authority_address(), mint, token_program),
    }
    return idl_codec.build_instruction("register_token", {"pool_type": pool_type}, accounts)


def set_root_token(admin: Pubkey, new_root: Pubkey, old_root: Pubkey | None = None) -> Instruction:
    accounts = _common() | {
        "admin": admin,
        "new_root_stats": token_stats_address(new_root),
        "new_treasury": root_treasury_address(new_root),
    }
    remaining = (
        []
        if old_root is None
        else [
            AccountMeta(token_stats_address(old_root), is_signer=False, is_writable=True),
            AccountMeta(root_treasury_address(old_root), is_signer=False, is_writable=True),
        ]
    )
    return idl_codec.build_instruction("set_root_token", {}, accounts, remaining=remaining)


@dataclass(frozen=True)
class FeeReport:
    mint: Pubkey
    amount: int
    watermark_slot: int
    watermark_seq: int


def update_pending_fees(keeper: Pubkey, reports: Sequence[FeeReport]) -> Instruction:
    """`update_pending_fees(Vec<FeeReport>)`: one writable `TokenStats` per report, in order."""
    authority = authority_address()
    accounts = _common() | {
        "keeper": keeper,
        "bc_creator_vault": paddr.creator_vault(authority),
        "amm_vault_ata": paddr.coin_creator_vault_ata(authority),
    }
    args = {
        "reports": [
            {"amount": r.amount, "watermark_slot": r.watermark_slot, "watermark_seq": r.watermark_seq} for r in reports
        ]
    }
    remaining = [AccountMeta(token_stats_address(r.mint), is_signer=False, is_writable=True) for r in reports]
    return idl_codec.build_instruction("update_pending_fees", args, accounts, remaining=remaining)


# ---------------------------------------------------------------- cycle


@dataclass(frozen=True)
class CycleToken:
    """What a cycle instruction needs about a registered token."""

    mint: Pubkey
    token_program: Pubkey
    pool: Pubkey
    pool_type: int


def _relations(state: Decoded | None, stats: Decoded | None) -> dict[str, Decoded]:
    out: dict[str, Decoded] = {}
    if state is not None:
        out["state"] = state
    if stats is not None:
        out["token_stats"] = stats
    return out


def execute_cycle_bc(
    operator: Pubkey,
    token: CycleToken,
    root_mint: Pubkey,
    fee_recipient: Pubkey,
    quoted_tokens_out: int,
    trailing: Sequence[AccountMeta] = (),
    *,
    state: Decoded | None = None,
    stats: Decoded | None = None,
) -> Instruction:
    """`execute_cycle_bc(quoted_tokens_out: u64)`; `trailing` is forwarded to pump."""
    authority = authority_address()
    curve = token.pool
    accounts = _common() | {
        "operator": operator,
        "token_stats": token_stats_address(token.mint),
        "root_treasury": root_treasury_address(root_mint),
        "mint": token.mint,
        "dat_token_account": paddr.associated_token_address(authority, token.mint, token.token_program),
        "token_program": token.token_program,
        "bonding_curve": curve,
        "associated_bonding_curve": paddr.associated_token_address(curve, token.mint, token.token_program),
        "global": paddr.pump_global(),
        "fee_recipient": fee_recipient,
        "creator_vault": paddr.creator_vault(authority),
        "user_volume_accumulator": paddr.pump_user_volume_accumulator(authority),
    }
    return idl_codec.build_instruction(
        "execute_cycle_bc", {"quoted_tokens_out": quoted_tokens_out}, accounts, _relations(state, stats), trailing
    )


def execute_cycle_amm(
    operator: Pubkey,
    token: CycleToken,
    root_mint: Pubkey,
    protocol_fee_recipient: Pubkey,
    quoted_tokens_out: int,
    trailing: Sequence[AccountMeta] = (),
    *,
    state: Decoded | None = None,
    stats: Decoded | None = None,
) -> Instruction:
    """`execute_cycle_amm(quoted_tokens_out: u64)`; `trailing` is forwarded to PumpSwap."""
    authority = authority_address()
    pool = token.pool
    accounts = _common() | {
        "operator": operator,
        "token_stats": token_stats_address(token.mint),
        "root_treasury": root_treasury_address(root_mint),
        "mint": token.mint,
        "dat_token_account": paddr.associated_token_address(authority, token.mint, token.token_program),
        "token_program": token.token_program,
        "pool": pool,
        "global_config": paddr.amm_global_config(),
        "wsol_mint": WSOL_MINT,
        "authority_wsol_ata": paddr.associated_token_address(authority, WSOL_MINT),
        "pool_base_token_account": paddr.associated_token_address(pool, token.mint, token.token_program),
        "pool_quote_token_account": paddr.associated_token_address(pool, WSOL_MINT),
        "protocol_fee_recipient": protocol_fee_recipient,
        "protocol_fee_recipient_token_account": paddr.associated_token_address(protocol_fee_recipient, WSOL_MINT),
        "quote_token_program": TOKEN_PROGRAM_ID,
        "coin_creator_vault_ata": paddr.coin_creator_vault_ata(authority),
        "coin_creator_vault_authority": paddr.coin_creator_vault_authority(authority),
        "user_volume_accumulator": paddr.amm_user_volume_accumulator(authority),
    }
    return idl_codec.build_instruction(
        "execute_cycle_amm", {"quoted_tokens_out": quoted_tokens_out}, accounts, _relations(state, stats), trailing
    )
