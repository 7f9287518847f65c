"""What the daemon reads from and writes to the asdf_dat program: PDAs, the `DatState` and
`TokenStats` fields it needs, and the `update_pending_fees` instruction.

Decoding and the instruction come from the generated client (`asdf_dat.generated`); this module
narrows them to the fields the daemon uses.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from anchorpy.error import AccountInvalidDiscriminator
from construct import Construct, ConstructError
from solders.instruction import AccountMeta, Instruction
from solders.pubkey import Pubkey

from asdf_dat.generated.accounts.dat_state import DatState as GeneratedDatState
from asdf_dat.generated.accounts.token_stats import TokenStats as GeneratedTokenStats
from asdf_dat.generated.instructions.update_pending_fees import update_pending_fees as generated_update_pending_fees
from asdf_dat.generated.types.fee_report import FeeReport

from asdf_dat.programs import ASDF_DAT_PROGRAM_ID
from asdf_dat.pump import addresses as pump_addresses

from asdf_dat.dat.math import RENT_EXEMPT_ZERO_DATA

TOKEN_AMOUNT_OFFSET = 64
TOKEN_PROGRAM_ID = pump_addresses.TOKEN_PROGRAM_ID



def state_pda(program_id: Pubkey = ASDF_DAT_PROGRAM_ID) -> Pubkey:
    return Pubkey.find_program_address([b"dat_state"], program_id)[0]


def authority_pda(program_id: Pubkey = ASDF_DAT_PROGRAM_ID) -> Pubkey:
    return Pubkey.find_program_address([b"dat_authority"], program_id)[0]


def token_stats_pda(mint: Pubkey, program_id: Pubkey = ASDF_DAT_PROGRAM_ID) -> Pubkey:
    return Pubkey.find_program_address([b"token_stats", bytes(mint)], program_id)[0]


class LayoutError(ValueError):
    """An account does not have the expected layout (wrong discriminator or too short)."""


@dataclass(frozen=True)
class DatStateView:
    """The `DatState` fields the daemon uses."""

    admin: Pubkey
    keeper: Pubkey
    authority: Pubkey
    bc_creator_vault: Pubkey
    amm_vault_ata: Pubkey
    root_mint: Pubkey
    is_active: bool
    consecutive_failures: int
    total_pending_fees: int
    total_cycles: int
    failed_cycles: int
    last_attribution_slot: int

    def is_operator(self, key: Pubkey) -> bool:
        return key == self.admin or (key == self.keeper and key != Pubkey.default())


def _check_size(data: bytes, layout: "Construct[Any, Any]", name: str) -> None:
    """A size mismatch means the generated client and the deployed program disagree: refuse
    rather than decode garbage."""
    expected = 8 + int(layout.sizeof())
    if len(data) != expected:
        raise LayoutError(
            f"{name} account is {len(data)} bytes but the generated client expects {expected}: "
            "the program and sdk/asdf_dat/generated are out of sync (regenerate the client)"
        )


def decode_dat_state(data: bytes) -> DatStateView:
    """Decoded with the generated client (`asdf_dat.generated`), so it follows the IDL."""
    if data[:8] != GeneratedDatState.discriminator:
        raise LayoutError("not a DatState account (discriminator)")
    _check_size(data, GeneratedDatState.layout, "DatState")
    try:
        state = GeneratedDatState.decode(data)
    except (AccountInvalidDiscriminator, ConstructError, ValueError) as exc:
        raise LayoutError(f"not a DatState account: {exc}") from None
    return DatStateView(
        admin=state.admin,
        keeper=state.keeper,
        authority=state.authority,
        bc_creator_vault=state.bc_creator_vault,
        amm_vault_ata=state.amm_vault_ata,
        root_mint=state.root_mint,
        is_active=bool(state.is_active),
        consecutive_failures=int(state.consecutive_failures),
        total_pending_fees=int(state.total_pending_fees),
        total_cycles=int(state.total_cycles),
        failed_cycles=int(state.failed_cycles),
        last_attribution_slot=int(state.last_attribution_slot),
    )


@dataclass(frozen=True)
class TokenStatsView:
    """The `TokenStats` fields the daemon uses."""

    mint: Pubkey
    pool: Pubkey
    pool_type: int
    is_root: bool
    pending_fees: int
    watermark_slot: int
    watermark_seq: int
    total_sol_attributed: int
    cycles: int

    @property
    def watermark(self) -> tuple[int, int]:
        return (self.watermark_slot, self.watermark_seq)


def decode_token_stats(data: bytes) -> TokenStatsView:
    if data[:8] != GeneratedTokenStats.discriminator:
        raise LayoutError("not a TokenStats account (discriminator)")
    _check_size(data, GeneratedTokenStats.layout, "TokenStats")
    try:
        stats = GeneratedTokenStats.decode(data)
    except (AccountInvalidDiscriminator, ConstructError, ValueError) as exc:
        raise LayoutError(f"not a TokenStats account: {exc}") from None
    return TokenStatsView(
        mint=stats.mint,
        pool=stats.pool,
        pool_type=int(stats.pool_type),
        is_root=bool(stats.is_root),
        pending_fees=int(stats.pending_fees),
        watermark_slot=int(stats.watermark_slot),
        watermark_seq=int(stats.watermark_seq),
        total_sol_attributed=int(stats.total_sol_attributed),
        cycles=int(stats.cycles),
    )


def token_account_amount(data: bytes) -> int:
    """The `amount` of an SPL token account (0 if the data is too short)."""
    if len(data) < TOKEN_AMOUNT_OFFSET + 8:
        return 0
    return int(struct.unpack_from("<Q", data, TOKEN_AMOUNT_OFFSET)[0])


@dataclass(frozen=True)
class FeeReportItem:
    """One token's share of an `update_pending_fees` batch: the fees of its trades after
    `previous_*` (the token's on-chain watermark, compared by the program) up to `watermark_*`."""

    mint: Pubkey
    amount: int
    watermark_slot: int
    watermark_seq: int
    previous_slot: int = 0
    previous_seq: int = 0

    @property
    def watermark(self) -> tuple[int, int]:
        return (self.watermark_slot, self.watermark_seq)


def update_pending_fees_ix(
    keeper: Pubkey,
    bc_creator_vault: Pubkey,
    amm_vault_ata: Pubkey,
    reports: Sequence[FeeReportItem],
    program_id: Pubkey = ASDF_DAT_PROGRAM_ID,
) -> Instruction:
    """`update_pending_fees(reports: Vec<FeeReport>)`: keeper, state, both vaults, the authority
    and its WSOL account (the pool's real balances), then one writable `TokenStats` per report."""
    if not reports:
        raise ValueError("a fee report batch needs at least one token")
    authority = authority_pda(program_id)
    return generated_update_pending_fees(
        {"reports": [FeeReport(amount=r.amount, prev_watermark_slot=r.previous_slot, prev_watermark_seq=r.previous_seq,
                               watermark_slot=r.watermark_slot, watermark_seq=r.watermark_seq) for r in reports]},
        {
            "keeper": keeper,
            "state": state_pda(program_id),
            "bc_creator_vault": bc_creator_vault,
            "amm_vault_ata": amm_vault_ata,
            "authority": authority,
            "authority_wsol_ata": pump_addresses.associated_token_address(authority, pump_addresses.WSOL_MINT),
        },
        program_id,
        [AccountMeta(token_stats_pda(r.mint, program_id), is_signer=False, is_writable=True) for r in reports],
    )


# Anchor custom error codes of the program (errors.rs order, from 6000).
ERROR_STALE_WATERMARK = 6012
ERROR_OVER_ATTRIBUTION = 6013
