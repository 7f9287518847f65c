"""Reads the program's accounts (`DatState`, `TokenStats`) through a `Transport`, decoded with
the IDL's layouts (`idl_codec`). The views keep the fields the orchestrator uses; `raw` keeps
every field (for account relations of new instructions)."""

from __future__ import annotations

import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from solders.pubkey import Pubkey

from asdf_dat.dat.pdas import state_address, token_stats_address
from asdf_dat.network.protocol import Transport
from asdf_dat.orchestrator import idl_codec
from asdf_dat.orchestrator.planner import CycleState, DatParams


def _view_kwargs(cls: type[Any], raw: Mapping[str, Any]) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    for f in fields(cls):
        if f.name == "raw":
            continue
        if f.name not in raw:
            raise idl_codec.IdlError(f"{cls.__name__}: the IDL has no field '{f.name}'")
        value = raw[f.name]
        kwargs[f.name] = bool(value) if f.type == "bool" else value
    return kwargs


@dataclass(frozen=True)
class DatStateView:
    admin: Pubkey
    keeper: Pubkey
    authority: Pubkey
    bc_creator_vault: Pubkey
    amm_vault_authority: Pubkey
    amm_vault_ata: Pubkey
    authority_wsol_ata: Pubkey
    root_mint: Pubkey
    root_treasury: Pubkey
    is_active: bool
    consecutive_failures: int
    fee_split_bps: int
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
    held_lamports: int
    held_wsol: int
    treasury_lamports: int
    total_collected: int
    total_sol_spent: int
    total_sent_to_root: int
    total_cycles: int
    failed_cycles: int
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def decode(cls, data: bytes) -> DatStateView:
        raw = idl_codec.decode_account("DatState", data)
        return cls(**_view_kwargs(cls, raw), raw=raw)

    @property
    def has_root(self) -> bool:
        return self.root_mint != Pubkey.default()

    @property
    def params(self) -> DatParams:
        return DatParams(
            fee_split_bps=self.fee_split_bps,
            min_fees_per_token=self.min_fees_per_token,
            max_fees_per_cycle=self.max_fees_per_cycle,
            min_allocation_secondary=self.min_allocation_secondary,
            min_allocation_root=self.min_allocation_root,
            min_cycle_interval_secs=self.min_cycle_interval_secs,
            slippage_bps=self.slippage_bps,
        )

    @property
    def cycle_state(self) -> CycleState:
        return CycleState(
            is_active=self.is_active,
            has_root=self.has_root,
            consecutive_failures=self.consecutive_failures,
            cycle_id=self.cycle_id,
            cycle_started_at=self.cycle_started_at,
            cycle_fees_taken=self.cycle_fees_taken,
            treasury_lamports=self.treasury_lamports,
        )


@dataclass(frozen=True)
class TokenStatsView:
    mint: Pubkey
    token_program: Pubkey
    pool: Pubkey
    dat_token_account: Pubkey
    pool_type: int
    is_root: bool
    decimals: int
    pending_fees: int
    total_sol_attributed: int
    total_sol_spent: int
    total_sent_to_root: int
    total_received_from_others: int
    total_tokens_burned: int
    cycles: int
    last_cycle_at: int
    last_cycle_id: int
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def decode(cls, data: bytes) -> TokenStatsView:
        raw = idl_codec.decode_account("TokenStats", data)
        return cls(**_view_kwargs(cls, raw), raw=raw)


class DatNotInitializedError(RuntimeError):
    pass


async def read_dat_state(transport: Transport) -> DatStateView:
    address = state_address()
    account = await transport.get_account(address)
    if account is None:
        raise DatNotInitializedError(f"DAT state {address} not found: is the program initialized on this network?")
    return DatStateView.decode(bytes(account.data))


async def read_token_stats(transport: Transport, mints: Sequence[Pubkey]) -> list[TokenStatsView | None]:
    """`TokenStats` of each mint (None when the token is not registered)."""
    accounts = await transport.get_accounts([token_stats_address(m) for m in mints])
    return [None if a is None else TokenStatsView.decode(bytes(a.data)) for a in accounts]


def token_amount(data: bytes) -> int:
    """Amount of an SPL / Token-2022 token account (0 if not one)."""
    if len(data) < 72:
        return 0
    return int(struct.unpack_from("<Q", data, 64)[0])
