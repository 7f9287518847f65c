"""Reading the program's accounts: the DAT state and each token's stats, decoded with the
generated account classes (`asdf_dat.generated.accounts`), through any `Transport`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from solders.account import Account
from solders.pubkey import Pubkey

from asdf_dat.dat.pdas import state_address, token_stats_address
from asdf_dat.generated.accounts import DatState, TokenStats
from asdf_dat.network.protocol import Transport
from asdf_dat.programs import ASDF_DAT_PROGRAM_ID
from asdf_dat.units import format_sol

_Account = TypeVar("_Account", DatState, TokenStats)

__all__ = [
    "AccountDecodeError",
    "DatNotInitializedError",
    "DatState",
    "TokenStats",
    "decode_dat_state",
    "decode_token_stats",
    "fetch_all_token_stats",
    "fetch_dat_state",
    "fetch_token_stats",
    "format_dat_state",
    "format_token_stats",
    "is_operator",
    "own_sol_spent",
    "token_watermark",
]


class AccountDecodeError(ValueError):
    """The account is not the expected program account (wrong owner, discriminator or size)."""


class DatNotInitializedError(LookupError):
    """The DAT state account does not exist: `initialize` has not run on this cluster."""


def _check_owner(account: Account, address: Pubkey, program_id: Pubkey) -> bytes:
    if account.owner != program_id:
        raise AccountDecodeError(f"{address} is owned by {account.owner}, not by the program {program_id}")
    return bytes(account.data)


def _decode(cls: type[_Account], data: bytes, name: str) -> _Account:
    """Discriminator, then exact size, then the generated decoder. A size mismatch means the
    generated client and the deployed program disagree: refuse rather than decode garbage."""
    if data[:8] != cls.discriminator:
        raise AccountDecodeError(f"not a {name} account (discriminator)")
    expected = 8 + int(cls.layout.sizeof())
    if len(data) != expected:
        raise AccountDecodeError(
            f"{name} account is {len(data)} bytes but the generated client expects {expected}: "
            "the program and sdk/asdf_dat/generated are out of sync (regenerate the client)"
        )
    try:
        return cls.decode(data)
    except Exception as exc:  # anchorpy / construct raise several types
        raise AccountDecodeError(f"not a {name} account: {exc}") from exc


def decode_dat_state(data: bytes) -> DatState:
    return _decode(DatState, data, "DatState")


def decode_token_stats(data: bytes) -> TokenStats:
    return _decode(TokenStats, data, "TokenStats")


def is_operator(state: DatState, key: Pubkey) -> bool:
    """The admin, or the keeper when one is set (`DatState::is_operator` on-chain)."""
    return key == state.admin or (key == state.keeper and key != Pubkey.default())


def token_watermark(stats: TokenStats) -> tuple[int, int]:
    """(slot, sequence) of the last trade attributed to the token."""
    return (stats.watermark_slot, stats.watermark_seq)


async def fetch_dat_state(transport: Transport, *, program_id: Pubkey = ASDF_DAT_PROGRAM_ID) -> DatState:
    """The DAT state; raises `DatNotInitializedError` if it does not exist."""
    address = state_address(program_id)
    account = await transport.get_account(address)
    if account is None:
        raise DatNotInitializedError(f"no DAT state at {address}: the program is not initialized")
    return decode_dat_state(_check_owner(account, address, program_id))


async def fetch_token_stats(
    transport: Transport, mint: Pubkey, *, program_id: Pubkey = ASDF_DAT_PROGRAM_ID
) -> TokenStats | None:
    """One token's stats, None if the token is not registered."""
    address = token_stats_address(mint, program_id)
    account = await transport.get_account(address)
    if account is None:
        return None
    return decode_token_stats(_check_owner(account, address, program_id))


async def fetch_all_token_stats(
    transport: Transport, mints: Sequence[Pubkey], *, program_id: Pubkey = ASDF_DAT_PROGRAM_ID
) -> dict[Pubkey, TokenStats | None]:
    """The stats of every mint (None: not registered), read with one `getMultipleAccounts`."""
    addresses = [token_stats_address(mint, program_id) for mint in mints]
    accounts = await transport.get_accounts(addresses) if addresses else []
    out: dict[Pubkey, TokenStats | None] = {}
    for mint, address, account in zip(mints, addresses, accounts, strict=True):
        out[mint] = None if account is None else decode_token_stats(_check_owner(account, address, program_id))
    return out


def own_sol_spent(stats: TokenStats) -> int:
    """Lamports of this token's own fees spent on its buys. A root's buys also spend what the
    secondaries sent it (`total_received_from_others`), which is counted as their share, so for
    every token `total_sol_attributed == own_sol_spent + total_sent_to_root + pending_fees`."""
    return stats.total_sol_spent - stats.total_received_from_others


def format_token_stats(stats: TokenStats) -> dict[str, str]:
    """Human-readable stats (lamports in the seed's "0.025 SOL" format)."""
    return {
        "mint": str(stats.mint),
        "pool": str(stats.pool),
        "poolType": "pumpswap_amm" if stats.pool_type == 1 else "bonding_curve",
        "isRoot": str(stats.is_root).lower(),
        "pendingFees": format_sol(stats.pending_fees),
        "totalAttributed": format_sol(stats.total_sol_attributed),
        "totalSolSpent": format_sol(stats.total_sol_spent),
        "totalSentToRoot": format_sol(stats.total_sent_to_root),
        "totalReceivedFromOthers": format_sol(stats.total_received_from_others),
        "totalTokensBurned": f"{stats.total_tokens_burned:,}",
        "cycles": str(stats.cycles),
    }


def format_dat_state(state: DatState, root_funds_lamports: int) -> dict[str, str]:
    """Human-readable DAT state; `root_funds_lamports`: what the root may spend besides its pending (`root_funds`)."""
    return {
        "admin": str(state.admin),
        "keeper": str(state.keeper),
        "active": str(state.is_active).lower(),
        "consecutiveFailures": str(state.consecutive_failures),
        "rootMint": str(state.root_mint),
        "feeSplitBps": str(state.fee_split_bps),
        "totalPendingFees": format_sol(state.total_pending_fees),
        "rootTreasury": format_sol(root_funds_lamports),
        "maxFeesPerCycle": format_sol(state.max_fees_per_cycle),
        "minFeesPerToken": format_sol(state.min_fees_per_token),
        "totalSolSpent": format_sol(state.total_sol_spent),
        "totalSentToRoot": format_sol(state.total_sent_to_root),
        "totalCycles": str(state.total_cycles),
        "cycleId": str(state.cycle_id),
    }
