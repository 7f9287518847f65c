"""Test-volume trades for the operator commands `generate-volume` and `sell-spl-tokens-simple`:
buys and sells on the token's bonding curve or PumpSwap pool with the operator's wallet."""

from __future__ import annotations

from dataclasses import dataclass

from solders.instruction import Instruction
from solders.keypair import Keypair
from solders.pubkey import Pubkey
from solders.system_program import TransferParams, transfer

from asdf_dat.config.ecosystem import TokenConfig, is_amm
from asdf_dat.dat.math import RENT_EXEMPT_ZERO_DATA
from asdf_dat.dat.quote import CurveVenue, PoolVenue, Venue
from asdf_dat.network.protocol import Transport
from asdf_dat.orchestrator.executor import SIGNATURE_FEE_LAMPORTS, build_transaction
from asdf_dat.pump import addresses as paddr
from asdf_dat.pump import instructions as pix
from asdf_dat.pump.layouts import BondingCurve, Global, GlobalConfig, Pool
from asdf_dat.pump.math import curve_sell, pool_sell
from asdf_dat.pump.tokens import close_account, create_ata_idempotent, sync_native, token_amount

TRADE_UNIT_LIMIT = 300_000
SELL_SLIPPAGE_BPS = 2_500  # the seed's script: 25 %


@dataclass(frozen=True)
class TradeResult:
    signature: str
    sol_in: int
    sol_out: int
    tokens: int
    creator_vault_lamports: int


@dataclass(frozen=True)
class Market:
    """Reserves and fees of a token's venue."""

    is_amm: bool
    curve: BondingCurve | None
    glob: Global | None
    pool: Pool | None
    config: GlobalConfig | None
    base_reserve: int
    quote_reserve: int

    @property
    def venue(self) -> Venue:
        """The venue's quote, the executor's (`dat.quote`)."""
        if self.curve is not None and self.glob is not None:
            return CurveVenue(self.curve, self.glob)
        assert self.config is not None
        return PoolVenue(self.config, self.base_reserve, self.quote_reserve)

    @property
    def price_lamports_per_token(self) -> float:
        if self.curve is not None:
            return self.curve.virtual_sol_reserves / max(self.curve.virtual_token_reserves, 1)
        return self.quote_reserve / max(self.base_reserve, 1)


async def read_market(transport: Transport, token: TokenConfig) -> Market:
    if is_amm(token):
        pool_acc, config_acc = await transport.get_accounts([token.pool_address, paddr.amm_global_config()])
        if pool_acc is None or config_acc is None:
            raise LookupError(f"{token.symbol}: pool {token.pool_address} not found")
        pool = Pool.decode(bytes(pool_acc.data))
        base_acc, quote_acc = await transport.get_accounts(
            [pool.pool_base_token_account, pool.pool_quote_token_account]
        )
        return Market(
            True, None, None, pool, GlobalConfig.decode(bytes(config_acc.data)),
            0 if base_acc is None else token_amount(bytes(base_acc.data)),
            0 if quote_acc is None else token_amount(bytes(quote_acc.data)),
        )
    curve_acc, global_acc = await transport.get_accounts([token.pool_address, paddr.pump_global()])
    if curve_acc is None or global_acc is None:
        raise LookupError(f"{token.symbol}: bonding curve {token.pool_address} not found")
    curve = BondingCurve.decode(bytes(curve_acc.data))
    return Market(False, curve, Global.decode(bytes(global_acc.data)), None, None,
                  curve.real_token_reserves, curve.real_sol_reserves)


async def creator_vault_balance(transport: Transport, token: TokenConfig) -> int:
    """Lamports in the shared creator vault of the token's venue (WSOL amount for PumpSwap)."""
    creator = token.pump_creator
    if is_amm(token):
        account = await transport.get_account(paddr.coin_creator_vault_ata(creator))
        return 0 if account is None else token_amount(bytes(account.data))
    return await transport.get_balance(paddr.creator_vault(creator))


async def creator_fees_in_vault(transport: Transport, token: TokenConfig) -> int:
    """Creator fees the token's venue vault holds: the WSOL amount (PumpSwap), or the lamports
    above the rent-exempt minimum (the curve's creator vault is a system account)."""
    held = await creator_vault_balance(transport, token)
    return held if is_amm(token) else max(held - RENT_EXEMPT_ZERO_DATA, 0)


async def _send(transport: Transport, wallet: Keypair, ixs: list[Instruction]) -> str:
    latest = await transport.get_latest_blockhash()
    tx = build_transaction(wallet, ixs, latest.blockhash, TRADE_UNIT_LIMIT, 0)
    status = await transport.send_and_confirm(tx, last_valid_block_height=latest.last_valid_block_height)
    return str(status.signature)


async def buy(transport: Transport, wallet: Keypair, token: TokenConfig, lamports: int) -> TradeResult:
    """Spend `lamports` on the token (exact SOL in)."""
    user = wallet.pubkey()
    creator = token.pump_creator
    market = await read_market(transport, token)
    ixs: list[Instruction] = [create_ata_idempotent(user, user, token.mint, token.token_program)]
    if market.is_amm:
        assert market.pool is not None and market.config is not None
        c = market.config
        out = market.venue.quote(lamports)
        wsol = paddr.associated_token_address(user, paddr.WSOL_MINT)
        ixs = [
            create_ata_idempotent(user, user, paddr.WSOL_MINT),
            transfer(TransferParams(from_pubkey=user, to_pubkey=wsol, lamports=lamports)),
            sync_native(wsol),
            *ixs,
            pix.amm_buy(pool=token.pool_address, user=user, base_mint=token.mint, coin_creator=creator,
                        protocol_fee_recipient=c.protocol_fee_recipients[0], base_amount_out=out,
                        max_quote_amount_in=lamports, base_token_program=token.token_program),
        ]
    else:
        assert market.curve is not None and market.glob is not None
        g = market.glob
        out = market.venue.quote(lamports)
        ixs.append(pix.buy_exact_sol_in(user=user, mint=token.mint, creator=creator, fee_recipient=g.fee_recipient,
                                        spendable_sol_in=lamports, min_tokens_out=out * 95 // 100,
                                        token_program=token.token_program))
    signature = await _send(transport, wallet, ixs)
    return TradeResult(signature, lamports, 0, out, await creator_vault_balance(transport, token))


async def wallet_token_balance(transport: Transport, owner: Pubkey, token: TokenConfig) -> int:
    account = await transport.get_account(paddr.associated_token_address(owner, token.mint, token.token_program))
    return 0 if account is None else token_amount(bytes(account.data))


async def sell_all(transport: Transport, wallet: Keypair, token: TokenConfig) -> TradeResult | None:
    """Sell the wallet's whole balance of the token (25 % slippage). None if it holds none.

    PumpSwap pays in WSOL: the same transaction closes the wallet's WSOL account, so the
    proceeds arrive as SOL. `sol_out` is what the sale paid: the wallet's balance change plus
    the network fee, minus what a WSOL account held before (returned by the close too)."""
    user = wallet.pubkey()
    creator = token.pump_creator
    amount = await wallet_token_balance(transport, user, token)
    if amount == 0:
        return None
    market = await read_market(transport, token)
    before = await transport.get_balance(user)
    wsol = paddr.associated_token_address(user, paddr.WSOL_MINT)
    held_before = 0
    if market.is_amm:
        wsol_account = await transport.get_account(wsol)
        held_before = 0 if wsol_account is None else wsol_account.lamports
        assert market.config is not None
        c = market.config
        expected = pool_sell(market.base_reserve, market.quote_reserve, amount, c.lp_fee_basis_points,
                             c.protocol_fee_basis_points, c.coin_creator_fee_basis_points).user_quote_out
        ixs = [
            create_ata_idempotent(user, user, paddr.WSOL_MINT),
            pix.amm_sell(pool=token.pool_address, user=user, base_mint=token.mint, coin_creator=creator,
                         protocol_fee_recipient=c.protocol_fee_recipients[0], base_amount_in=amount,
                         min_quote_amount_out=expected * (10_000 - SELL_SLIPPAGE_BPS) // 10_000,
                         base_token_program=token.token_program),
            close_account(wsol, user, user),
        ]
    else:
        assert market.curve is not None and market.glob is not None
        g, cv = market.glob, market.curve
        expected = curve_sell(cv.virtual_token_reserves, cv.virtual_sol_reserves, amount,
                              g.fee_basis_points, g.creator_fee_basis_points).seller_receives
        ixs = [pix.sell(user=user, mint=token.mint, creator=creator, fee_recipient=g.fee_recipient, amount=amount,
                        min_sol_output=expected * (10_000 - SELL_SLIPPAGE_BPS) // 10_000,
                        token_program=token.token_program)]
    signature = await _send(transport, wallet, ixs)
    after = await transport.get_balance(user)
    received = after - before + SIGNATURE_FEE_LAMPORTS - held_before
    return TradeResult(signature, 0, received, amount, await creator_vault_balance(transport, token))
