"""Graduation without the operator: a token whose pump bonding curve completed and whose coin
migrated to its canonical PumpSwap pool is moved there on-chain (`set_token_pool`, admin) and
in its token config file. One detector for the orchestrator (before it plans a cycle) and the
fee daemon (on its stats-refresh cadence, never on every poll).

A token has graduated when both hold: its curve says `complete` and the canonical pool
(`["pool", 0, pool_authority(mint), mint, WSOL]` of PumpSwap) exists, owned by PumpSwap. A
complete curve without a pool is a coin waiting for `migrate`: nothing to do yet (its curve can
neither be bought nor sold). Keeper and fee-sharing tokens are detected alike.

Cost: one `getMultipleAccounts` per 100 curve tokens (their curves), plus, only when some
curve is complete, one for those tokens' pools and stats.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from solders.keypair import Keypair
from solders.message import Message
from solders.pubkey import Pubkey
from solders.transaction import Transaction

from asdf_dat.dat import instructions as dix
from asdf_dat.dat.accounts import decode_token_stats
from asdf_dat.dat.pdas import token_stats_address
from asdf_dat.network.protocol import Transport
from asdf_dat.network.results import TransactionFailedError, TransportError
from asdf_dat.pump import addresses as paddr
from asdf_dat.pump.layouts import BondingCurve

SET_TOKEN_POOL_UNITS = 40_000


class CurveToken(Protocol):
    """What the detector needs of a token config (`config.tokens.TokenConfig` fits)."""

    @property
    def mint(self) -> Pubkey: ...

    @property
    def symbol(self) -> str: ...

    @property
    def pool_type(self) -> str: ...


@dataclass(frozen=True)
class Graduation:
    """A curve token whose coin now trades on its canonical PumpSwap pool."""

    mint: Pubkey
    symbol: str
    pool: Pubkey
    onchain_moved: bool
    """TokenStats already points at the pool (an earlier run set it, or `set-token-pool`)."""
    registered: bool


@dataclass(frozen=True)
class GraduationOutcome:
    graduation: Graduation
    status: str
    """`moved` (set_token_pool landed, file rewritten), `file-updated` (the chain already pointed
    at the pool: file rewritten), `needs-admin` (the signer is not the admin: nothing sent, file
    kept), `failed` (the transaction or the file write failed; `error` says why)."""
    signature: str | None = None
    error: str | None = None

    @property
    def done(self) -> bool:
        return self.status in ("moved", "file-updated")

    def describe(self) -> str:
        g = self.graduation
        head = f"{g.symbol} ({g.mint}) graduated to PumpSwap pool {g.pool}"
        match self.status:
            case "moved":
                return f"{head}: set_token_pool landed (tx {self.signature}), token config rewritten"
            case "file-updated":
                return f"{head}: already set on-chain, token config rewritten"
            case "needs-admin":
                return (
                    f"{head}: set_token_pool needs the DAT admin's signature ({self.error}); "
                    "run `asdf-dat set-token-pool`"
                )
        return f"{head}: not handled yet ({self.error}); retried next time"


async def find_graduations(transport: Transport, tokens: Sequence[CurveToken]) -> list[Graduation]:
    """The curve tokens of `tokens` that graduated (see the module doc)."""
    curve_tokens = [t for t in tokens if t.pool_type == "bonding_curve"]
    if not curve_tokens:
        return []
    curves = await transport.get_accounts([paddr.bonding_curve(t.mint) for t in curve_tokens])
    complete = [
        t
        for t, account in zip(curve_tokens, curves, strict=True)
        if account is not None and _complete(bytes(account.data))
    ]
    if not complete:
        return []
    pools = [paddr.canonical_pool(t.mint) for t in complete]
    accounts = await transport.get_accounts([*pools, *(token_stats_address(t.mint) for t in complete)])
    pool_accounts, stats_accounts = accounts[: len(complete)], accounts[len(complete) :]
    out: list[Graduation] = []
    for token, pool, pool_account, stats_account in zip(complete, pools, pool_accounts, stats_accounts, strict=True):
        if pool_account is None or pool_account.owner != paddr.PUMP_AMM_PROGRAM_ID:
            continue  # complete, not migrated yet
        moved = False
        if stats_account is not None:
            stats = decode_token_stats(bytes(stats_account.data))
            moved = stats.pool == pool and stats.pool_type == dix.POOL_AMM
        out.append(Graduation(token.mint, token.symbol, pool, moved, stats_account is not None))
    return out


def _complete(data: bytes) -> bool:
    try:
        return BondingCurve.decode(data).complete
    except (ValueError, IndexError):  # not a curve account: not ours to move
        return False


async def apply_graduations(
    transport: Transport,
    signer: Keypair,
    admin: Pubkey,
    graduations: Sequence[Graduation],
    rewrite_config: Callable[[Graduation], None],
) -> list[GraduationOutcome]:
    """Moves each graduation on-chain (when needed and the signer is the admin), then rewrites
    its token config with `rewrite_config` (atomic: the token-config model's writer). The file
    is only rewritten once the chain points at the pool, so a cycle never plans a venue the
    program would refuse. Unregistered tokens: only the file (registering takes the new pool)."""
    outcomes: list[GraduationOutcome] = []
    for graduation in graduations:
        signature: str | None = None
        if graduation.registered and not graduation.onchain_moved:
            if signer.pubkey() != admin:
                outcomes.append(
                    GraduationOutcome(graduation, "needs-admin", error=f"admin is {admin}, signer {signer.pubkey()}")
                )
                continue
            try:
                signature = await _send_set_token_pool(transport, signer, graduation)
            except (TransactionFailedError, TransportError) as exc:
                outcomes.append(GraduationOutcome(graduation, "failed", error=str(exc)))
                continue
        try:
            rewrite_config(graduation)
        except (OSError, ValueError) as exc:
            outcomes.append(
                GraduationOutcome(graduation, "failed", signature, error=f"token config not rewritten: {exc}")
            )
            continue
        outcomes.append(GraduationOutcome(graduation, "moved" if signature else "file-updated", signature))
    return outcomes


async def _send_set_token_pool(transport: Transport, signer: Keypair, graduation: Graduation) -> str:
    ixs = [
        *dix.compute_budget(SET_TOKEN_POOL_UNITS),
        dix.set_token_pool(signer.pubkey(), graduation.mint, pool=graduation.pool, pool_type=dix.POOL_AMM),
    ]
    latest = await transport.get_latest_blockhash()
    message = Message.new_with_blockhash(ixs, signer.pubkey(), latest.blockhash)
    tx = Transaction([signer], message, latest.blockhash)
    status = await transport.send_and_confirm(tx, last_valid_block_height=latest.last_valid_block_height)
    return str(status.signature)
