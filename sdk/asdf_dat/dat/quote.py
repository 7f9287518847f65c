"""The fee-aware quote of a buy on a token's venue, as the program computes it.

One reading of the venue (`read_venue`) and one quote (`Venue.quote`) for the cycle executor,
`DatClient`, the trading helpers and `check-pool-liquidity`: the formulas are `dat/math.py`'s
twins of `math.rs`, and the fee rates follow pump's rules (no creator fee on a curve whose
creator is the default key).
"""

from __future__ import annotations

from dataclasses import dataclass

from solders.pubkey import Pubkey

from asdf_dat.dat.math import (
    CurveQuoteInput,
    FeeRates,
    PoolQuoteInput,
    curve_buy_exact_sol_in_quote,
    pool_buy_exact_quote_in_quote,
)
from asdf_dat.network.protocol import Transport
from asdf_dat.pump import addresses as paddr
from asdf_dat.pump.layouts import BondingCurve, Global, GlobalConfig
from asdf_dat.pump.tokens import token_amount

__all__ = ["CurveVenue", "PoolVenue", "Venue", "read_venue"]


@dataclass(frozen=True)
class CurveVenue:
    """A pump bonding curve and pump's `Global` (fee rates, fee recipient)."""

    curve: BondingCurve
    glob: Global

    def quote_input(self) -> CurveQuoteInput:
        # pump charges no creator fee when the curve has no creator (the program's quote agrees).
        creator_bps = 0 if self.curve.creator == Pubkey.default() else self.glob.creator_fee_basis_points
        return CurveQuoteInput(
            self.curve.virtual_token_reserves,
            self.curve.virtual_sol_reserves,
            self.curve.real_token_reserves,
            FeeRates(self.glob.fee_basis_points, creator_bps, 0),
        )

    def quote(self, lamports: int) -> int:
        """Tokens `buy_exact_sol_in(lamports)` returns now, fees included (0: nothing)."""
        return curve_buy_exact_sol_in_quote(lamports, self.quote_input()) or 0


@dataclass(frozen=True)
class PoolVenue:
    """A PumpSwap pool's reserves and PumpSwap's `GlobalConfig`."""

    config: GlobalConfig
    base_reserve: int
    quote_reserve: int

    def quote_input(self) -> PoolQuoteInput:
        c = self.config
        return PoolQuoteInput(
            self.base_reserve,
            self.quote_reserve,
            FeeRates(c.lp_fee_basis_points, c.protocol_fee_basis_points, c.coin_creator_fee_basis_points),
        )

    def quote(self, lamports: int) -> int:
        """Base tokens `buy_exact_quote_in(lamports)` returns now, fees included (0: nothing)."""
        return pool_buy_exact_quote_in_quote(lamports, self.quote_input()) or 0


Venue = CurveVenue | PoolVenue


async def read_venue(
    transport: Transport, mint: Pubkey, pool: Pubkey, *, amm: bool, token_program: Pubkey = paddr.TOKEN_PROGRAM_ID
) -> Venue:
    """The token's venue now: its curve (`pool` is the bonding curve) or its PumpSwap pool's
    reserves (the pool's canonical token accounts). Raises `LookupError` when an account is missing."""
    if not amm:
        curve_acc, global_acc = await transport.get_accounts([pool, paddr.pump_global()])
        if curve_acc is None or global_acc is None:
            raise LookupError(f"{mint}: bonding curve {pool} or pump Global missing")
        return CurveVenue(BondingCurve.decode(bytes(curve_acc.data)), Global.decode(bytes(global_acc.data)))
    pool_base = paddr.associated_token_address(pool, mint, token_program)
    pool_quote = paddr.associated_token_address(pool, paddr.WSOL_MINT)
    config_acc, base_acc, quote_acc = await transport.get_accounts([paddr.amm_global_config(), pool_base, pool_quote])
    if config_acc is None or base_acc is None or quote_acc is None:
        raise LookupError(f"{mint}: PumpSwap pool {pool} accounts missing")
    return PoolVenue(
        GlobalConfig.decode(bytes(config_acc.data)),
        token_amount(bytes(base_acc.data)),
        token_amount(bytes(quote_acc.data)),
    )
