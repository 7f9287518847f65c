"""`create-token` on-chain (issue 15): the coin on pump with the DAT authority as its creator,
`register_token`, `enable_fee_sharing` unless keeper mode, `set_root_token` with `root`. The
command (`asdf_dat.cli.tokens`) and the demo run this one implementation."""

from __future__ import annotations

from collections.abc import Callable

from solders.instruction import Instruction
from solders.keypair import Keypair

from asdf_dat.dat import instructions as dix
from asdf_dat.dat.accounts import fetch_dat_state
from asdf_dat.dat.cycle import has_root
from asdf_dat.dat.pdas import authority_address, fee_vault_address, token_stats_address
from asdf_dat.network.config import Network
from asdf_dat.network.protocol import Transport
from asdf_dat.network.results import TransactionFailedError
from asdf_dat.orchestrator.executor import build_transaction, describe_error
from asdf_dat.pump import addresses as paddr
from asdf_dat.pump import instructions as pix

__all__ = [
    "CREATE_UNITS",
    "ENABLE_FEE_SHARING_UNITS",
    "REGISTER_UNITS",
    "TransactionRefused",
    "create_token_onchain",
    "send_signed",
]

ENABLE_FEE_SHARING_UNITS = 250_000
CREATE_UNITS = 400_000
REGISTER_UNITS = 200_000


class TransactionRefused(Exception):
    """A transaction of the token's creation failed (the program's or pump's error, named)."""


async def send_signed(
    transport: Transport, payer: Keypair, signers: list[Keypair], ixs: list[Instruction], units: int
) -> str:
    latest = await transport.get_latest_blockhash()
    tx = build_transaction(payer, ixs, latest.blockhash, units, 0, signers)
    try:
        status = await transport.send_and_confirm(tx, last_valid_block_height=latest.last_valid_block_height)
    except TransactionFailedError as failure:
        raise TransactionRefused(f"transaction failed: {describe_error(failure.err)}") from None
    return str(status.signature)


async def create_token_onchain(
    transport: Transport,
    wallet: Keypair,
    *,
    name: str,
    symbol: str,
    uri: str,
    token_2022: bool,
    root: bool,
    fee_sharing: bool,
    network: Network,
    echo: Callable[[str], None],
) -> dict[str, object]:
    """`create-token` on-chain: the coin on pump (creator: the DAT authority), `register_token`,
    `enable_fee_sharing` (unless keeper mode), `set_root_token` (with `root`). Returns the token
    config file's content (not written)."""
    authority = authority_address()
    mint = Keypair()
    build = pix.create_v2 if token_2022 else pix.create
    created = build(mint=mint.pubkey(), user=wallet.pubkey(), creator=authority, name=name, symbol=symbol, uri=uri)
    token_program = paddr.TOKEN_2022_PROGRAM_ID if token_2022 else paddr.TOKEN_PROGRAM_ID
    curve = paddr.bonding_curve(mint.pubkey())
    state = await fetch_dat_state(transport)
    sig = await send_signed(transport, wallet, [mint], [created], CREATE_UNITS)
    echo(f"Created {symbol} on pump: mint {mint.pubkey()} (creator: DAT authority {authority}, tx {sig})")
    register = dix.register_token(
        wallet.pubkey(), mint.pubkey(), token_program=token_program, pool=curve, pool_type=dix.POOL_BONDING_CURVE
    )
    sig = await send_signed(transport, wallet, [], [register], REGISTER_UNITS)
    echo(f"Registered: TokenStats {token_stats_address(mint.pubkey())} (tx {sig})")
    attribution = "keeper"
    if fee_sharing:
        enable = dix.enable_fee_sharing(wallet.pubkey(), mint.pubkey())
        sig = await send_signed(transport, wallet, [], [enable], ENABLE_FEE_SHARING_UNITS)
        attribution = "fee-sharing"
        echo(f"Fee sharing: sole shareholder {fee_vault_address(mint.pubkey())}, admin revoked (tx {sig})")
    if root:
        old = state.root_mint if has_root(state) else None
        sig = await send_signed(
            transport, wallet, [], [dix.set_root_token(wallet.pubkey(), mint.pubkey(), old_root=old)], REGISTER_UNITS
        )
        echo(f"Root Token: {mint.pubkey()} ({symbol}) (tx {sig})")
    return {
        "mint": str(mint.pubkey()),
        "bondingCurve": str(curve),
        "creator": str(authority),
        "name": name,
        "symbol": symbol,
        "isRoot": root,
        "poolType": "bonding_curve",
        "tokenProgram": "Token2022" if token_2022 else "SPL",
        "attribution": attribution,
        "network": network.value,
    }
