"""The CPI floor of a cycle: what the pool program, the token program and System cost for the
same buy and burn done directly by a wallet, outside our program.

A trader that already trades the token (its token account and pump's volume accumulator exist,
and for PumpSwap it holds WSOL) sends one transaction: the buy our cycle made (the same SOL
budget on the curve with `buy_exact_sol_in`, the same tokens out on PumpSwap with `buy`), then a
`burn_checked` of the tokens our cycle burned. Its CU per program are the floor; our cycle's
total minus the floor is the distance: our own work plus whatever CPIs the cycle adds (the
collect; a WSOL wrap / unwrap when one side falls short; a root's transfer from its treasury
account).
"""

from __future__ import annotations

from dataclasses import dataclass

from solders.instruction import Instruction
from solders.keypair import Keypair
from solders.pubkey import Pubkey
from spl.token.instructions import BurnCheckedParams, burn_checked

from asdf_dat.pump import addresses as paddr
from asdf_dat.pump import instructions as pix
from asdf_dat.pump.tokens import create_ata_idempotent
from asdf_dat.pump.world import DECIMALS
from asdf_dat.sandbox import LAMPORTS_PER_SOL, Sandbox
from bench.logs import CuBreakdown, breakdown

WARM_UP_BUY = LAMPORTS_PER_SOL // 10


@dataclass(frozen=True)
class Venue:
    """Where a token trades, as a direct buyer needs it."""

    mint: Pubkey
    token_program: Pubkey
    pump_creator: Pubkey
    """The coin's creator as pump sees it (its sharing config in fee-sharing mode)."""
    pool: Pubkey | None = None
    """The PumpSwap pool; None on the curve."""


@dataclass(frozen=True)
class BuyAndBurn:
    """The buy and burn of one measured cycle (from its CycleCompleted event)."""

    sol_budget: int
    tokens_bought: int


def _buy(eco: Sandbox, user: Pubkey, venue: Venue, buy: BuyAndBurn) -> Instruction:
    if venue.pool is None:
        return pix.buy_exact_sol_in(
            user=user, mint=venue.mint, creator=venue.pump_creator, fee_recipient=eco.pump.global_state.fee_recipient,
            spendable_sol_in=buy.sol_budget, min_tokens_out=0, token_program=venue.token_program,
        )
    return pix.amm_buy(
        pool=venue.pool, user=user, base_mint=venue.mint, coin_creator=venue.pump_creator,
        protocol_fee_recipient=eco.pump.global_config.protocol_fee_recipients[0],
        base_amount_out=buy.tokens_bought, max_quote_amount_in=2 * buy.sol_budget,
        base_token_program=venue.token_program,
    )


def _burn(user: Pubkey, venue: Venue, amount: int) -> Instruction:
    account = paddr.associated_token_address(user, venue.mint, venue.token_program)
    params = BurnCheckedParams(
        program_id=venue.token_program, mint=venue.mint, account=account, owner=user, amount=amount, decimals=DECIMALS
    )
    return burn_checked(params)


def measure_floor(eco: Sandbox, trader: Keypair, venue: Venue, buy: BuyAndBurn) -> CuBreakdown:
    """Own CU per program of the direct buy + burn transaction (see the module docstring)."""
    user = trader.pubkey()
    warm_up = BuyAndBurn(WARM_UP_BUY, buy.tokens_bought // 100 or 1)
    setup: list[Instruction] = []
    if venue.pool is not None:
        setup += eco.pump.wrap_sol_instructions(user, 2 * buy.sol_budget + 2 * WARM_UP_BUY)
    setup += [create_ata_idempotent(user, user, venue.mint, venue.token_program), _buy(eco, user, venue, warm_up)]
    eco.send(setup, trader)
    signature = eco.send([_buy(eco, user, venue, buy), _burn(user, venue, buy.tokens_bought)], trader)
    record = eco.ledger.transaction(signature)
    if record is None or record.err is not None:
        raise RuntimeError(f"direct buy + burn of {venue.mint} failed: {None if record is None else record.err}")
    return breakdown(record.logs)
