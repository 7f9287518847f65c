from __future__ import annotations
import typing
from dataclasses import dataclass
from construct import Container
from solders.pubkey import Pubkey
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh


class DatStateJSON(typing.TypedDict):
    admin: str
    pending_admin: str
    keeper: str
    authority: str
    bc_creator_vault: str
    amm_vault_authority: str
    amm_vault_ata: str
    authority_wsol_ata: str
    root_mint: str
    root_treasury: str
    bump: int
    authority_bump: int
    root_treasury_bump: int
    is_active: bool
    consecutive_failures: int
    fee_split_bps: int
    pending_fee_split_bps: int
    pending_fee_split_at: int
    fee_split_timelock_secs: int
    min_fees_per_token: int
    max_fees_per_cycle: int
    min_allocation_secondary: int
    min_allocation_root: int
    slippage_bps: int
    min_cycle_interval_secs: int
    cycle_id: int
    cycle_started_at: int
    cycle_fees_taken: int
    total_pending_fees: int
    total_collected: int
    total_sol_spent: int
    total_sent_to_root: int
    total_cycles: int
    failed_cycles: int
    last_attribution_slot: int
    wsol_scratch: str
    wsol_scratch_bump: int
    pump_user_volume_accumulator: str
    amm_user_volume_accumulator: str
    cycle_pending_at_open: int
    cycle_last_take_at: int
    permissionless_cycles: bool
    keeper_mode_tokens: int
    root_share_held: int
    reserved_tail: list[int]
    reserved_mid: list[int]
    reserved: list[int]


@dataclass
class DatState:
    layout: typing.ClassVar = borsh.CStruct(
        "admin" / BorshPubkey,
        "pending_admin" / BorshPubkey,
        "keeper" / BorshPubkey,
        "authority" / BorshPubkey,
        "bc_creator_vault" / BorshPubkey,
        "amm_vault_authority" / BorshPubkey,
        "amm_vault_ata" / BorshPubkey,
        "authority_wsol_ata" / BorshPubkey,
        "root_mint" / BorshPubkey,
        "root_treasury" / BorshPubkey,
        "bump" / borsh.U8,
        "authority_bump" / borsh.U8,
        "root_treasury_bump" / borsh.U8,
        "is_active" / borsh.Bool,
        "consecutive_failures" / borsh.U8,
        "fee_split_bps" / borsh.U16,
        "pending_fee_split_bps" / borsh.U16,
        "pending_fee_split_at" / borsh.I64,
        "fee_split_timelock_secs" / borsh.I64,
        "min_fees_per_token" / borsh.U64,
        "max_fees_per_cycle" / borsh.U64,
        "min_allocation_secondary" / borsh.U64,
        "min_allocation_root" / borsh.U64,
        "slippage_bps" / borsh.U16,
        "min_cycle_interval_secs" / borsh.I64,
        "cycle_id" / borsh.U64,
        "cycle_started_at" / borsh.I64,
        "cycle_fees_taken" / borsh.U64,
        "total_pending_fees" / borsh.U64,
        "total_collected" / borsh.U64,
        "total_sol_spent" / borsh.U64,
        "total_sent_to_root" / borsh.U64,
        "total_cycles" / borsh.U64,
        "failed_cycles" / borsh.U64,
        "last_attribution_slot" / borsh.U64,
        "wsol_scratch" / BorshPubkey,
        "wsol_scratch_bump" / borsh.U8,
        "pump_user_volume_accumulator" / BorshPubkey,
        "amm_user_volume_accumulator" / BorshPubkey,
        "cycle_pending_at_open" / borsh.U64,
        "cycle_last_take_at" / borsh.I64,
        "permissionless_cycles" / borsh.Bool,
        "keeper_mode_tokens" / borsh.U64,
        "root_share_held" / borsh.U64,
        "reserved_tail" / borsh.U8[15],
        "reserved_mid" / borsh.U8[96],
        "reserved" / borsh.U8[128],
    )
    admin: Pubkey
    pending_admin: Pubkey
    keeper: Pubkey
    authority: Pubkey
    bc_creator_vault: Pubkey
    amm_vault_authority: Pubkey
    amm_vault_ata: Pubkey
    authority_wsol_ata: Pubkey
    root_mint: Pubkey
    root_treasury: Pubkey
    bump: int
    authority_bump: int
    root_treasury_bump: int
    is_active: bool
    consecutive_failures: int
    fee_split_bps: int
    pending_fee_split_bps: int
    pending_fee_split_at: int
    fee_split_timelock_secs: int
    min_fees_per_token: int
    max_fees_per_cycle: int
    min_allocation_secondary: int
    min_allocation_root: int
    slippage_bps: int
    min_cycle_interval_secs: int
    cycle_id: int
    cycle_started_at: int
    cycle_fees_taken: int
    total_pending_fees: int
    total_collected: int
    total_sol_spent: int
    total_sent_to_root: int
    total_cycles: int
    failed_cycles: int
    last_attribution_slot: int
    wsol_scratch: Pubkey
    wsol_scratch_bump: int
    pump_user_volume_accumulator: Pubkey
    amm_user_volume_accumulator: Pubkey
    cycle_pending_at_open: int
    cycle_last_take_at: int
    permissionless_cycles: bool
    keeper_mode_tokens: int
    root_share_held: int
    reserved_tail: list[int]
    reserved_mid: list[int]
    reserved: list[int]

    @classmethod
    def from_decoded(cls, obj: Container[typing.Any]) -> "DatState":
        return cls(
            admin=obj.admin,
            pending_admin=obj.pending_admin,
            keeper=obj.keeper,
            authority=obj.authority,
            bc_creator_vault=obj.bc_creator_vault,
            amm_vault_authority=obj.amm_vault_authority,
            amm_vault_ata=obj.amm_vault_ata,
            authority_wsol_ata=obj.authority_wsol_ata,
            root_mint=obj.root_mint,
            root_treasury=obj.root_treasury,
            bump=obj.bump,
            authority_bump=obj.authority_bump,
            root_treasury_bump=obj.root_treasury_bump,
            is_active=obj.is_active,
            consecutive_failures=obj.consecutive_failures,
            fee_split_bps=obj.fee_split_bps,
            pending_fee_split_bps=obj.pending_fee_split_bps,
            pending_fee_split_at=obj.pending_fee_split_at,
            fee_split_timelock_secs=obj.fee_split_timelock_secs,
            min_fees_per_token=obj.min_fees_per_token,
            max_fees_per_cycle=obj.max_fees_per_cycle,
            min_allocation_secondary=obj.min_allocation_secondary,
            min_allocation_root=obj.min_allocation_root,
            slippage_bps=obj.slippage_bps,
            min_cycle_interval_secs=obj.min_cycle_interval_secs,
            cycle_id=obj.cycle_id,
            cycle_started_at=obj.cycle_started_at,
            cycle_fees_taken=obj.cycle_fees_taken,
            total_pending_fees=obj.total_pending_fees,
            total_collected=obj.total_collected,
            total_sol_spent=obj.total_sol_spent,
            total_sent_to_root=obj.total_sent_to_root,
            total_cycles=obj.total_cycles,
            failed_cycles=obj.failed_cycles,
            last_attribution_slot=obj.last_attribution_slot,
            wsol_scratch=obj.wsol_scratch,
            wsol_scratch_bump=obj.wsol_scratch_bump,
            pump_user_volume_accumulator=obj.pump_user_volume_accumulator,
            amm_user_volume_accumulator=obj.amm_user_volume_accumulator,
            cycle_pending_at_open=obj.cycle_pending_at_open,
            cycle_last_take_at=obj.cycle_last_take_at,
            permissionless_cycles=obj.permissionless_cycles,
            keeper_mode_tokens=obj.keeper_mode_tokens,
            root_share_held=obj.root_share_held,
            reserved_tail=obj.reserved_tail,
            reserved_mid=obj.reserved_mid,
            reserved=obj.reserved,
        )

    def to_encodable(self) -> dict[str, typing.Any]:
        return {
            "admin": self.admin,
            "pending_admin": self.pending_admin,
            "keeper": self.keeper,
            "authority": self.authority,
            "bc_creator_vault": self.bc_creator_vault,
            "amm_vault_authority": self.amm_vault_authority,
            "amm_vault_ata": self.amm_vault_ata,
            "authority_wsol_ata": self.authority_wsol_ata,
            "root_mint": self.root_mint,
            "root_treasury": self.root_treasury,
            "bump": self.bump,
            "authority_bump": self.authority_bump,
            "root_treasury_bump": self.root_treasury_bump,
            "is_active": self.is_active,
            "consecutive_failures": self.consecutive_failures,
            "fee_split_bps": self.fee_split_bps,
            "pending_fee_split_bps": self.pending_fee_split_bps,
            "pending_fee_split_at": self.pending_fee_split_at,
            "fee_split_timelock_secs": self.fee_split_timelock_secs,
            "min_fees_per_token": self.min_fees_per_token,
            "max_fees_per_cycle": self.max_fees_per_cycle,
            "min_allocation_secondary": self.min_allocation_secondary,
            "min_allocation_root": self.min_allocation_root,
            "slippage_bps": self.slippage_bps,
            "min_cycle_interval_secs": self.min_cycle_interval_secs,
            "cycle_id": self.cycle_id,
            "cycle_started_at": self.cycle_started_at,
            "cycle_fees_taken": self.cycle_fees_taken,
            "total_pending_fees": self.total_pending_fees,
            "total_collected": self.total_collected,
            "total_sol_spent": self.total_sol_spent,
            "total_sent_to_root": self.total_sent_to_root,
            "total_cycles": self.total_cycles,
            "failed_cycles": self.failed_cycles,
            "last_attribution_slot": self.last_attribution_slot,
            "wsol_scratch": self.wsol_scratch,
            "wsol_scratch_bump": self.wsol_scratch_bump,
            "pump_user_volume_accumulator": self.pump_user_volume_accumulator,
            "amm_user_volume_accumulator": self.amm_user_volume_accumulator,
            "cycle_pending_at_open": self.cycle_pending_at_open,
            "cycle_last_take_at": self.cycle_last_take_at,
            "permissionless_cycles": self.permissionless_cycles,
            "keeper_mode_tokens": self.keeper_mode_tokens,
            "root_share_held": self.root_share_held,
            "reserved_tail": self.reserved_tail,
            "reserved_mid": self.reserved_mid,
            "reserved": self.reserved,
        }

    def to_json(self) -> DatStateJSON:
        return {
            "admin": str(self.admin),
            "pending_admin": str(self.pending_admin),
            "keeper": str(self.keeper),
            "authority": str(self.authority),
            "bc_creator_vault": str(self.bc_creator_vault),
            "amm_vault_authority": str(self.amm_vault_authority),
            "amm_vault_ata": str(self.amm_vault_ata),
            "authority_wsol_ata": str(self.authority_wsol_ata),
            "root_mint": str(self.root_mint),
            "root_treasury": str(self.root_treasury),
            "bump": self.bump,
            "authority_bump": self.authority_bump,
            "root_treasury_bump": self.root_treasury_bump,
            "is_active": self.is_active,
            "consecutive_failures": self.consecutive_failures,
            "fee_split_bps": self.fee_split_bps,
            "pending_fee_split_bps": self.pending_fee_split_bps,
            "pending_fee_split_at": self.pending_fee_split_at,
            "fee_split_timelock_secs": self.fee_split_timelock_secs,
            "min_fees_per_token": self.min_fees_per_token,
            "max_fees_per_cycle": self.max_fees_per_cycle,
            "min_allocation_secondary": self.min_allocation_secondary,
            "min_allocation_root": self.min_allocation_root,
            "slippage_bps": self.slippage_bps,
            "min_cycle_interval_secs": self.min_cycle_interval_secs,
            "cycle_id": self.cycle_id,
            "cycle_started_at": self.cycle_started_at,
            "cycle_fees_taken": self.cycle_fees_taken,
            "total_pending_fees": self.total_pending_fees,
            "total_collected": self.total_collected,
            "total_sol_spent": self.total_sol_spent,
            "total_sent_to_root": self.total_sent_to_root,
            "total_cycles": self.total_cycles,
            "failed_cycles": self.failed_cycles,
            "last_attribution_slot": self.last_attribution_slot,
            "wsol_scratch": str(self.wsol_scratch),
            "wsol_scratch_bump": self.wsol_scratch_bump,
            "pump_user_volume_accumulator": str(self.pump_user_volume_accumulator),
            "amm_user_volume_accumulator": str(self.amm_user_volume_accumulator),
            "cycle_pending_at_open": self.cycle_pending_at_open,
            "cycle_last_take_at": self.cycle_last_take_at,
            "permissionless_cycles": self.permissionless_cycles,
            "keeper_mode_tokens": self.keeper_mode_tokens,
            "root_share_held": self.root_share_held,
            "reserved_tail": self.reserved_tail,
            "reserved_mid": self.reserved_mid,
            "reserved": self.reserved,
        }

    @classmethod
    def from_json(cls, obj: DatStateJSON) -> "DatState":
        return cls(
            admin=Pubkey.from_string(obj["admin"]),
            pending_admin=Pubkey.from_string(obj["pending_admin"]),
            keeper=Pubkey.from_string(obj["keeper"]),
            authority=Pubkey.from_string(obj["authority"]),
            bc_creator_vault=Pubkey.from_string(obj["bc_creator_vault"]),
            amm_vault_authority=Pubkey.from_string(obj["amm_vault_authority"]),
            amm_vault_ata=Pubkey.from_string(obj["amm_vault_ata"]),
            authority_wsol_ata=Pubkey.from_string(obj["authority_wsol_ata"]),
            root_mint=Pubkey.from_string(obj["root_mint"]),
            root_treasury=Pubkey.from_string(obj["root_treasury"]),
            bump=obj["bump"],
            authority_bump=obj["authority_bump"],
            root_treasury_bump=obj["root_treasury_bump"],
            is_active=obj["is_active"],
            consecutive_failures=obj["consecutive_failures"],
            fee_split_bps=obj["fee_split_bps"],
            pending_fee_split_bps=obj["pending_fee_split_bps"],
            pending_fee_split_at=obj["pending_fee_split_at"],
            fee_split_timelock_secs=obj["fee_split_timelock_secs"],
            min_fees_per_token=obj["min_fees_per_token"],
            max_fees_per_cycle=obj["max_fees_per_cycle"],
            min_allocation_secondary=obj["min_allocation_secondary"],
            min_allocation_root=obj["min_allocation_root"],
            slippage_bps=obj["slippage_bps"],
            min_cycle_interval_secs=obj["min_cycle_interval_secs"],
            cycle_id=obj["cycle_id"],
            cycle_started_at=obj["cycle_started_at"],
            cycle_fees_taken=obj["cycle_fees_taken"],
            total_pending_fees=obj["total_pending_fees"],
            total_collected=obj["total_collected"],
            total_sol_spent=obj["total_sol_spent"],
            total_sent_to_root=obj["total_sent_to_root"],
            total_cycles=obj["total_cycles"],
            failed_cycles=obj["failed_cycles"],
            last_attribution_slot=obj["last_attribution_slot"],
            wsol_scratch=Pubkey.from_string(obj["wsol_scratch"]),
            wsol_scratch_bump=obj["wsol_scratch_bump"],
            pump_user_volume_accumulator=Pubkey.from_string(
                obj["pump_user_volume_accumulator"]
            ),
            amm_user_volume_accumulator=Pubkey.from_string(
                obj["amm_user_volume_accumulator"]
            ),
            cycle_pending_at_open=obj["cycle_pending_at_open"],
            cycle_last_take_at=obj["cycle_last_take_at"],
            permissionless_cycles=obj["permissionless_cycles"],
            keeper_mode_tokens=obj["keeper_mode_tokens"],
            root_share_held=obj["root_share_held"],
            reserved_tail=obj["reserved_tail"],
            reserved_mid=obj["reserved_mid"],
            reserved=obj["reserved"],
        )
