"""What the dashboard reads from the chain in one pass: the DAT state, every token's stats and
every mint's supply (one `getMultipleAccounts` per 100 accounts). Kept as the last known data
when the RPC is down, and persisted in the ledger's meta table so a restart shows it too."""

from __future__ import annotations

import struct
import time

from pydantic import BaseModel, ConfigDict
from solders.pubkey import Pubkey

from asdf_dat.dat.accounts import decode_dat_state, decode_token_stats
from asdf_dat.dat.pdas import state_address, token_stats_address
from asdf_dat.network.protocol import Transport

# SPL Token and Token-2022 mints: mint_authority (COption<Pubkey>, 36 bytes), then supply (u64).
MINT_SUPPLY_OFFSET = 36


class DatSnapshot(BaseModel):
    model_config = ConfigDict(frozen=True)

    is_active: bool
    consecutive_failures: int
    total_cycles: int
    failed_cycles: int
    cycle_id: int
    cycle_started_at: int
    min_cycle_interval_secs: int


class TokenSnapshot(BaseModel):
    model_config = ConfigDict(frozen=True)

    mint: str
    pool_type: int
    is_root: bool
    decimals: int
    pending_fees: int
    total_sol_spent: int
    total_sent_to_root: int
    total_received_from_others: int
    total_tokens_burned: int
    cycles: int
    last_cycle_at: int
    last_cycle_id: int = 0
    supply: int | None


class ChainSnapshot(BaseModel):
    """`tokens` maps mint → stats (None: not registered)."""

    model_config = ConfigDict(frozen=True)

    fetched_at: float
    dat: DatSnapshot | None
    tokens: dict[str, TokenSnapshot | None]


def mint_supply(data: bytes) -> int | None:
    if len(data) < MINT_SUPPLY_OFFSET + 8:
        return None
    return int(struct.unpack_from("<Q", data, MINT_SUPPLY_OFFSET)[0])


async def read_chain(transport: Transport, mints: list[Pubkey]) -> ChainSnapshot:
    """Raises the transport's errors (the caller keeps its last snapshot then)."""
    keys = [state_address(), *(token_stats_address(m) for m in mints), *mints]
    accounts = await transport.get_accounts(keys)
    state_account = accounts[0]
    dat = None
    if state_account is not None:
        s = decode_dat_state(bytes(state_account.data))
        dat = DatSnapshot(
            is_active=bool(s.is_active), consecutive_failures=int(s.consecutive_failures),
            total_cycles=int(s.total_cycles), failed_cycles=int(s.failed_cycles), cycle_id=int(s.cycle_id),
            cycle_started_at=int(s.cycle_started_at), min_cycle_interval_secs=int(s.min_cycle_interval_secs),
        )
    stats_accounts = accounts[1 : 1 + len(mints)]
    mint_accounts = accounts[1 + len(mints) :]
    tokens: dict[str, TokenSnapshot | None] = {}
    for mint, stats_account, mint_account in zip(mints, stats_accounts, mint_accounts, strict=True):
        if stats_account is None:
            tokens[str(mint)] = None
            continue
        t = decode_token_stats(bytes(stats_account.data))
        tokens[str(mint)] = TokenSnapshot(
            mint=str(mint), pool_type=int(t.pool_type), is_root=bool(t.is_root), decimals=int(t.decimals),
            pending_fees=int(t.pending_fees), total_sol_spent=int(t.total_sol_spent),
            total_sent_to_root=int(t.total_sent_to_root), total_received_from_others=int(t.total_received_from_others),
            total_tokens_burned=int(t.total_tokens_burned), cycles=int(t.cycles), last_cycle_at=int(t.last_cycle_at),
            last_cycle_id=int(t.last_cycle_id),
            supply=None if mint_account is None else mint_supply(bytes(mint_account.data)),
        )
    return ChainSnapshot(fetched_at=time.time(), dat=dat, tokens=tokens)
