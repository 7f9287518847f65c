"""Builders for every asdf_dat instruction, on top of the generated anchorpy client.

Each builder derives the program's PDAs and the fixed external accounts, so callers pass only
what varies (signers, mints, pools, amounts). The generated client hard-codes SPL Token for any
account named `token_program`; the builders here put the token program the caller passes
(SPL Token or Token-2022) in its place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from solders.compute_budget import set_compute_unit_limit, set_compute_unit_price
from solders.instruction import AccountMeta, Instruction
from solders.pubkey import Pubkey
from solders.sysvar import INSTRUCTIONS as INSTRUCTIONS_SYSVAR_ID

from asdf_dat.dat.pdas import (
    authority_address,
    fee_vault_address,
    program_data_address,
    root_treasury_address,
    state_address,
    token_stats_address,
    wsol_scratch_address,
)
from asdf_dat.generated import instructions as gen
from asdf_dat.generated import types as gen_types
from asdf_dat.generated.accounts import TokenStats
from asdf_dat.programs import ASDF_DAT_PROGRAM_ID
from asdf_dat.pump import addresses as paddr
from asdf_dat.pump.addresses import PUMP_AMM_PROGRAM_ID, PUMP_FEE_PROGRAM_ID, PUMP_PROGRAM_ID, WSOL_MINT

__all__ = [
    "POOL_AMM",
    "POOL_BONDING_CURVE",
    "TOKEN_PROGRAMS",
    "DatParameters",
    "FeeReport",
    "accept_admin",
    "cancel_admin_transfer",
    "cancel_fee_split",
    "compute_budget",
    "execute_cycle_amm",
    "execute_cycle_bc",
    "enable_fee_sharing",
    "execute_fee_split",
    "init_wsol_accounts",
    "initialize",
    "pause",
    "propose_admin",
    "propose_fee_split",
    "record_failure",
    "record_price_reference",
    "record_price_reference_for",
    "register_token",
    "resume",
    "set_keeper",
    "set_permissionless_cycles",
    "set_root_token",
    "set_token_pool",
    "update_parameters",
    "update_pending_fees",
]

POOL_BONDING_CURVE = 0
POOL_AMM = 1
TOKEN_PROGRAMS = (paddr.TOKEN_PROGRAM_ID, paddr.TOKEN_2022_PROGRAM_ID)


DatParameters = gen_types.DatParameters


@dataclass(frozen=True)
class FeeReport:
    """One token's attribution: `amount` lamports of creator fees from the trades after the
    token's current watermark `prev_watermark_*` (exclusive; the program refuses the report if it
    is not the token's, compare-and-swap) up to `watermark_*` (inclusive), which must advance."""

    mint: Pubkey
    amount: int
    watermark_slot: int
    watermark_seq: int
    prev_watermark_slot: int | None = None
    prev_watermark_seq: int | None = None
    """None: `DatClient.update_pending_fees` fills in the token's current watermark (tools and
    tests; the fee daemon always names the one its amount was computed from)."""

    @property
    def watermark(self) -> tuple[int, int]:
        return (self.watermark_slot, self.watermark_seq)


def _checked_token_program(token_program: Pubkey) -> Pubkey:
    if token_program not in TOKEN_PROGRAMS:
        raise ValueError(f"{token_program} is neither SPL Token nor Token-2022")
    return token_program


def compute_budget(unit_limit: int, micro_lamports: int = 0) -> list[Instruction]:
    """Compute-budget instructions (price only when non-zero)."""
    out = [set_compute_unit_limit(unit_limit)]
    if micro_lamports > 0:
        out.append(set_compute_unit_price(micro_lamports))
    return out


# ---------------------------------------------------------------- set-up


def initialize(admin: Pubkey, keeper: Pubkey, *, program_id: Pubkey = ASDF_DAT_PROGRAM_ID) -> Instruction:
    """Creates the state. `admin` must be the program's upgrade authority."""
    return gen.initialize(
        {"keeper": keeper},
        {"admin": admin, "program_data": program_data_address(program_id)},
        program_id,
    )


def register_token(
    admin: Pubkey,
    mint: Pubkey,
    *,
    token_program: Pubkey,
    pool: Pubkey,
    pool_type: int,
    program_id: Pubkey = ASDF_DAT_PROGRAM_ID,
) -> Instruction:
    """Creates the token's stats and the DAT's token account. `pool`: the bonding curve
    (`POOL_BONDING_CURVE`) or the canonical PumpSwap pool (`POOL_AMM`)."""
    authority = authority_address(program_id)
    instruction = gen.register_token(
        {"pool_type": pool_type},
        {
            "admin": admin,
            "state": state_address(program_id),
            "mint": mint,
            "token_stats": token_stats_address(mint, program_id),
            "pool": pool,
            "dat_token_account": paddr.associated_token_address(authority, mint, token_program),
            "authority": authority,
            "token_program": _checked_token_program(token_program),
        },
        program_id,
    )
    return instruction


def set_token_pool(
    admin: Pubkey, mint: Pubkey, *, pool: Pubkey, pool_type: int, program_id: Pubkey = ASDF_DAT_PROGRAM_ID
) -> Instruction:
    """Moves a token to another venue (e.g. its PumpSwap pool after migration)."""
    return gen.set_token_pool(
        {"pool_type": pool_type},
        {
            "admin": admin,
            "state": state_address(program_id),
            "token_stats": token_stats_address(mint, program_id),
            "pool": pool,
        },
        program_id,
    )


def set_root_token(
    admin: Pubkey, new_root: Pubkey, *, old_root: Pubkey | None = None, program_id: Pubkey = ASDF_DAT_PROGRAM_ID
) -> Instruction:
    """Makes `new_root` the root; the current root's stats and treasury must be passed when
    there is one (its treasury balance moves to the new root's)."""
    remaining = None
    if old_root is not None:
        remaining = [
            AccountMeta(token_stats_address(old_root, program_id), is_signer=False, is_writable=True),
            AccountMeta(root_treasury_address(old_root, program_id), is_signer=False, is_writable=True),
        ]
    return gen.set_root_token(
        {
            "admin": admin,
            "state": state_address(program_id),
            "new_root_stats": token_stats_address(new_root, program_id),
            "new_treasury": root_treasury_address(new_root, program_id),
        },
        program_id,
        remaining,
    )


def init_wsol_accounts(admin: Pubkey, *, program_id: Pubkey = ASDF_DAT_PROGRAM_ID) -> Instruction:
    """Creates the authority's WSOL account and the PumpSwap creator-vault WSOL account."""
    authority = authority_address(program_id)
    vault_authority = paddr.coin_creator_vault_authority(authority)
    return gen.init_wsol_accounts(
        {
            "admin": admin,
            "state": state_address(program_id),
            "authority": authority,
            "authority_wsol_ata": paddr.associated_token_address(authority, WSOL_MINT),
            "amm_vault_authority": vault_authority,
            "amm_vault_ata": paddr.associated_token_address(vault_authority, WSOL_MINT),
            "wsol_mint": WSOL_MINT,
            "token_program": paddr.TOKEN_PROGRAM_ID,
        },
        program_id,
    )


# ---------------------------------------------------------------- attribution


def update_pending_fees(
    keeper: Pubkey,
    reports: Sequence[FeeReport],
    *,
    bc_creator_vault: Pubkey | None = None,
    amm_vault_ata: Pubkey | None = None,
    program_id: Pubkey = ASDF_DAT_PROGRAM_ID,
) -> Instruction:
    """Adds each report's amount to its token's pending fees (keeper or admin signs). The vaults
    default to the authority's; the fee daemon passes the ones its `DatState` records."""
    if not reports:
        raise ValueError("a fee report batch needs at least one token")
    authority = authority_address(program_id)
    return gen.update_pending_fees(
        {
            "reports": [
                gen_types.fee_report.FeeReport(
                    amount=r.amount,
                    prev_watermark_slot=r.prev_watermark_slot or 0,
                    prev_watermark_seq=r.prev_watermark_seq or 0,
                    watermark_slot=r.watermark_slot,
                    watermark_seq=r.watermark_seq,
                )
                for r in reports
            ]
        },
        {
            "keeper": keeper,
            "state": state_address(program_id),
            "bc_creator_vault": bc_creator_vault or paddr.creator_vault(authority),
            "amm_vault_ata": amm_vault_ata or paddr.coin_creator_vault_ata(authority),
            "authority": authority,
            "authority_wsol_ata": paddr.associated_token_address(authority, WSOL_MINT),
        },
        program_id,
        [AccountMeta(token_stats_address(r.mint, program_id), is_signer=False, is_writable=True) for r in reports],
    )


# ---------------------------------------------------------------- cycle


def execute_cycle_bc(
    operator: Pubkey,
    mint: Pubkey,
    *,
    token_program: Pubkey,
    root_mint: Pubkey,
    fee_recipient: Pubkey,
    quoted_tokens_out: int,
    fee_sharing: bool = False,
    program_id: Pubkey = ASDF_DAT_PROGRAM_ID,
) -> Instruction:
    """One bonding-curve token's cycle: take its pending share, split (the root's share stays in
    the pool), buy with `buy_exact_sol_in` (minimum out = quote less the configured slippage; WSOL
    unwrapped only when the authority's SOL falls short), burn.
    `fee_sharing`: the token is in fee-sharing mode; its creator vault is its sharing
    config's, and its fee account, config and the shared vault lead the remaining accounts."""
    authority = authority_address(program_id)
    curve = paddr.bonding_curve(mint)
    config = paddr.sharing_config(mint)
    shared_vault = paddr.creator_vault(authority)
    remaining = (
        [
            AccountMeta(fee_vault_address(mint, program_id), is_signer=False, is_writable=True),
            AccountMeta(config, is_signer=False, is_writable=False),
            AccountMeta(shared_vault, is_signer=False, is_writable=True),
        ]
        if fee_sharing
        else None
    )
    instruction = gen.execute_cycle_bc(
        {"quoted_tokens_out": quoted_tokens_out},
        {
            "operator": operator,
            "state": state_address(program_id),
            "token_stats": token_stats_address(mint, program_id),
            "root_treasury": root_treasury_address(root_mint, program_id),
            "authority": authority,
            "mint": mint,
            "dat_token_account": paddr.associated_token_address(authority, mint, token_program),
            "token_program": _checked_token_program(token_program),
            "bonding_curve": curve,
            "associated_bonding_curve": paddr.associated_token_address(curve, mint, token_program),
            "global_": paddr.pump_global(),
            "fee_recipient": fee_recipient,
            "creator_vault": paddr.creator_vault(config) if fee_sharing else shared_vault,
            "event_authority": paddr.pump_event_authority(),
            "pump_program": PUMP_PROGRAM_ID,
            "global_volume_accumulator": paddr.pump_global_volume_accumulator(),
            "user_volume_accumulator": paddr.pump_user_volume_accumulator(authority),
            "fee_config": paddr.pump_fee_config(),
            "fee_program": PUMP_FEE_PROGRAM_ID,
            "authority_wsol_ata": paddr.associated_token_address(authority, WSOL_MINT),
            "amm_vault_ata": paddr.coin_creator_vault_ata(authority),
            "instructions_sysvar": INSTRUCTIONS_SYSVAR_ID,
            "wsol_scratch": wsol_scratch_address(program_id),
            "wsol_mint": WSOL_MINT,
            "quote_token_program": paddr.TOKEN_PROGRAM_ID,
        },
        program_id,
        remaining,
    )
    return instruction


def execute_cycle_amm(
    operator: Pubkey,
    mint: Pubkey,
    *,
    token_program: Pubkey,
    pool: Pubkey,
    root_mint: Pubkey,
    protocol_fee_recipient: Pubkey,
    quoted_tokens_out: int,
    fee_sharing: bool = False,
    program_id: Pubkey = ASDF_DAT_PROGRAM_ID,
) -> Instruction:
    """One PumpSwap token's cycle (WSOL fees collected, the root's share held in the pool, buy from
    the WSOL, burn).
    `fee_sharing`: a graduated fee-sharing token; its pool's coin creator is its sharing config
    (the buy pays that config's PumpSwap creator vault), and its fee account, config and the
    DAT's shared PumpSwap creator vault lead the remaining accounts."""
    authority = authority_address(program_id)
    creator = paddr.sharing_config(mint) if fee_sharing else authority
    remaining = (
        [
            AccountMeta(fee_vault_address(mint, program_id), is_signer=False, is_writable=True),
            AccountMeta(creator, is_signer=False, is_writable=False),
            AccountMeta(paddr.coin_creator_vault_ata(authority), is_signer=False, is_writable=False),
        ]
        if fee_sharing
        else None
    )
    instruction = gen.execute_cycle_amm(
        {"quoted_tokens_out": quoted_tokens_out},
        {
            "operator": operator,
            "state": state_address(program_id),
            "token_stats": token_stats_address(mint, program_id),
            "root_treasury": root_treasury_address(root_mint, program_id),
            "authority": authority,
            "mint": mint,
            "dat_token_account": paddr.associated_token_address(authority, mint, token_program),
            "token_program": _checked_token_program(token_program),
            "pool": pool,
            "global_config": paddr.amm_global_config(),
            "wsol_mint": WSOL_MINT,
            "authority_wsol_ata": paddr.associated_token_address(authority, WSOL_MINT),
            "pool_base_token_account": paddr.associated_token_address(pool, mint, token_program),
            "pool_quote_token_account": paddr.associated_token_address(pool, WSOL_MINT),
            "protocol_fee_recipient": protocol_fee_recipient,
            "protocol_fee_recipient_token_account": paddr.associated_token_address(protocol_fee_recipient, WSOL_MINT),
            "quote_token_program": paddr.TOKEN_PROGRAM_ID,
            "event_authority": paddr.amm_event_authority(),
            "amm_program": PUMP_AMM_PROGRAM_ID,
            "coin_creator_vault_ata": paddr.coin_creator_vault_ata(creator),
            "coin_creator_vault_authority": paddr.coin_creator_vault_authority(creator),
            "global_volume_accumulator": paddr.amm_global_volume_accumulator(),
            "user_volume_accumulator": paddr.amm_user_volume_accumulator(authority),
            "fee_config": paddr.amm_fee_config(),
            "fee_program": PUMP_FEE_PROGRAM_ID,
            "bc_creator_vault": paddr.creator_vault(authority),
            "instructions_sysvar": INSTRUCTIONS_SYSVAR_ID,
        },
        program_id,
        remaining,
    )
    return instruction


def record_failure(operator: Pubkey, error_code: int, *, program_id: Pubkey = ASDF_DAT_PROGRAM_ID) -> Instruction:
    """Counts a failed cycle; the fifth consecutive one pauses the DAT."""
    return gen.record_failure(
        {"error_code": error_code}, {"operator": operator, "state": state_address(program_id)}, program_id
    )


# ---------------------------------------------------------------- governance


def set_keeper(admin: Pubkey, new_keeper: Pubkey, *, program_id: Pubkey = ASDF_DAT_PROGRAM_ID) -> Instruction:
    return gen.set_keeper({"new_keeper": new_keeper}, {"admin": admin, "state": state_address(program_id)}, program_id)


def pause(admin: Pubkey, *, program_id: Pubkey = ASDF_DAT_PROGRAM_ID) -> Instruction:
    return gen.pause({"admin": admin, "state": state_address(program_id)}, program_id)


def resume(admin: Pubkey, *, program_id: Pubkey = ASDF_DAT_PROGRAM_ID) -> Instruction:
    """Re-activates the DAT and clears the failure count."""
    return gen.resume({"admin": admin, "state": state_address(program_id)}, program_id)


def propose_admin(admin: Pubkey, new_admin: Pubkey, *, program_id: Pubkey = ASDF_DAT_PROGRAM_ID) -> Instruction:
    return gen.propose_admin({"new_admin": new_admin}, {"admin": admin, "state": state_address(program_id)}, program_id)


def accept_admin(new_admin: Pubkey, *, program_id: Pubkey = ASDF_DAT_PROGRAM_ID) -> Instruction:
    return gen.accept_admin({"new_admin": new_admin, "state": state_address(program_id)}, program_id)


def cancel_admin_transfer(admin: Pubkey, *, program_id: Pubkey = ASDF_DAT_PROGRAM_ID) -> Instruction:
    return gen.cancel_admin_transfer({"admin": admin, "state": state_address(program_id)}, program_id)


def propose_fee_split(admin: Pubkey, new_bps: int, *, program_id: Pubkey = ASDF_DAT_PROGRAM_ID) -> Instruction:
    return gen.propose_fee_split({"new_bps": new_bps}, {"admin": admin, "state": state_address(program_id)}, program_id)


def execute_fee_split(admin: Pubkey, *, program_id: Pubkey = ASDF_DAT_PROGRAM_ID) -> Instruction:
    return gen.execute_fee_split({"admin": admin, "state": state_address(program_id)}, program_id)


def cancel_fee_split(admin: Pubkey, *, program_id: Pubkey = ASDF_DAT_PROGRAM_ID) -> Instruction:
    return gen.cancel_fee_split({"admin": admin, "state": state_address(program_id)}, program_id)


def update_parameters(
    admin: Pubkey, params: gen_types.DatParameters, *, program_id: Pubkey = ASDF_DAT_PROGRAM_ID
) -> Instruction:
    return gen.update_parameters({"params": params}, {"admin": admin, "state": state_address(program_id)}, program_id)


# ---------------------------------------------------------------- fee-sharing mode


def enable_fee_sharing(admin: Pubkey, mint: Pubkey, *, program_id: Pubkey = ASDF_DAT_PROGRAM_ID) -> Instruction:
    """Switches a curve token to fee-sharing mode: the DAT authority creates the mint's pump
    sharing config and names the token's fee account sole shareholder (admin revoked)."""
    authority = authority_address(program_id)
    config = paddr.sharing_config(mint)
    pump_vault = paddr.creator_vault(config)
    amm_vault_authority = paddr.coin_creator_vault_authority(config)
    return gen.enable_fee_sharing(
        {
            "admin": admin,
            "state": state_address(program_id),
            "token_stats": token_stats_address(mint, program_id),
            "mint": mint,
            "authority": authority,
            "fee_vault": fee_vault_address(mint, program_id),
            "bonding_curve": paddr.bonding_curve(mint),
            "sharing_config": config,
            "config_creator_vault": pump_vault,
            "config_creator_vault_ata": paddr.associated_token_address(pump_vault, WSOL_MINT),
            "config_amm_vault_authority": amm_vault_authority,
            "config_amm_vault_ata": paddr.associated_token_address(amm_vault_authority, WSOL_MINT),
            "global_": paddr.pump_global(),
            "fee_event_authority": paddr.fee_event_authority(),
            "fee_program": PUMP_FEE_PROGRAM_ID,
            "pump_event_authority": paddr.pump_event_authority(),
            "pump_program": PUMP_PROGRAM_ID,
            "amm_event_authority": paddr.amm_event_authority(),
            "amm_program": PUMP_AMM_PROGRAM_ID,
            "wsol_mint": WSOL_MINT,
            "quote_token_program": paddr.TOKEN_PROGRAM_ID,
        },
        program_id,
    )


def record_price_reference(
    mint: Pubkey,
    *,
    pool_type: int = POOL_BONDING_CURVE,
    pool: Pubkey | None = None,
    token_program: Pubkey = paddr.TOKEN_PROGRAM_ID,
    program_id: Pubkey = ASDF_DAT_PROGRAM_ID,
) -> Instruction:
    """Anyone: stores the venue's reserves and the slot, the price reference that bounds every
    cycle's minimum out (curve: its virtual reserves; PumpSwap: the pool's base and quote vault
    balances, the vaults passed as remaining accounts)."""
    if pool_type == POOL_BONDING_CURVE:
        return gen.record_price_reference(
            {"token_stats": token_stats_address(mint, program_id), "pool": pool or paddr.bonding_curve(mint)},
            program_id,
        )
    if pool is None:
        raise ValueError("a PumpSwap token's price reference needs its pool")
    return gen.record_price_reference(
        {"token_stats": token_stats_address(mint, program_id), "pool": pool},
        program_id,
        [
            AccountMeta(paddr.associated_token_address(pool, mint, token_program), is_signer=False, is_writable=False),
            AccountMeta(paddr.associated_token_address(pool, WSOL_MINT), is_signer=False, is_writable=False),
        ],
    )


def record_price_reference_for(stats: TokenStats, *, program_id: Pubkey = ASDF_DAT_PROGRAM_ID) -> Instruction:
    """`record_price_reference` of a registered token (its venue and pool from its TokenStats)."""
    return record_price_reference(
        stats.mint, pool_type=stats.pool_type, pool=stats.pool, token_program=stats.token_program, program_id=program_id
    )


def set_permissionless_cycles(admin: Pubkey, enabled: bool, *, program_id: Pubkey = ASDF_DAT_PROGRAM_ID) -> Instruction:
    """Admin: anyone may run cycles while every token is in fee-sharing mode."""
    return gen.set_permissionless_cycles(
        {"enabled": enabled}, {"admin": admin, "state": state_address(program_id)}, program_id
    )
