"""Instruction builders, byte-exact with the official IDLs: discriminator ‖ borsh args, and
the ordered accounts with their signer / writable flags (pump.md §3.2-3.5, §4.2-4.4)."""

from __future__ import annotations

import struct

from solders.instruction import AccountMeta, Instruction
from solders.pubkey import Pubkey

from asdf_dat.pump import addresses as addr
from asdf_dat.pump.addresses import (
    ASSOCIATED_TOKEN_PROGRAM_ID,
    PUMP_AMM_PROGRAM_ID,
    PUMP_FEE_PROGRAM_ID,
    PUMP_PROGRAM_ID,
    SYSTEM_PROGRAM_ID,
    TOKEN_PROGRAM_ID,
    WSOL_MINT,
)

__all__ = [
    "AMM_BUY",
    "AMM_COLLECT_COIN_CREATOR_FEE",
    "AMM_SELL",
    "BUY",
    "BUY_EXACT_SOL_IN",
    "COLLECT_CREATOR_FEE",
    "SELL",
    "amm_buy",
    "amm_collect_coin_creator_fee",
    "amm_sell",
    "buy",
    "buy_exact_sol_in",
    "collect_creator_fee",
    "sell",
]

BUY = bytes([102, 6, 61, 18, 1, 218, 235, 234])
BUY_EXACT_SOL_IN = bytes([56, 252, 116, 8, 158, 223, 205, 95])
SELL = bytes([51, 230, 133, 164, 1, 127, 131, 173])
COLLECT_CREATOR_FEE = bytes([20, 22, 86, 123, 198, 28, 219, 132])
AMM_BUY = BUY
AMM_SELL = SELL
AMM_COLLECT_COIN_CREATOR_FEE = bytes([160, 57, 89, 42, 181, 139, 43, 66])


def _w(key: Pubkey) -> AccountMeta:
    return AccountMeta(key, is_signer=False, is_writable=True)


def _r(key: Pubkey) -> AccountMeta:
    return AccountMeta(key, is_signer=False, is_writable=False)


def _ws(key: Pubkey) -> AccountMeta:
    return AccountMeta(key, is_signer=True, is_writable=True)


# ---- bonding curve -----------------------------------------------------------------------


def _curve_buy_accounts(
    user: Pubkey,
    mint: Pubkey,
    creator: Pubkey,
    fee_recipient: Pubkey,
    token_program: Pubkey,
    associated_user: Pubkey | None,
) -> list[AccountMeta]:
    curve = addr.bonding_curve(mint)
    return [
        _r(addr.pump_global()),
        _w(fee_recipient),
        _r(mint),
        _w(curve),
        _w(addr.associated_token_address(curve, mint, token_program)),
        _w(associated_user or addr.associated_token_address(user, mint, token_program)),
        _ws(user),
        _r(SYSTEM_PROGRAM_ID),
        _r(token_program),
        _w(addr.creator_vault(creator)),
        _r(addr.pump_event_authority()),
        _r(PUMP_PROGRAM_ID),
        _r(addr.pump_global_volume_accumulator()),
        _w(addr.pump_user_volume_accumulator(user)),
        _r(addr.pump_fee_config()),
        _r(PUMP_FEE_PROGRAM_ID),
    ]


def buy(
    *,
    user: Pubkey,
    mint: Pubkey,
    creator: Pubkey,
    fee_recipient: Pubkey,
    amount: int,
    max_sol_cost: int,
    token_program: Pubkey = TOKEN_PROGRAM_ID,
    track_volume: bool = False,
    associated_user: Pubkey | None = None,
) -> Instruction:
    """pump `buy(amount, max_sol_cost, track_volume)`, 16 accounts."""
    data = BUY + struct.pack("<QQB", amount, max_sol_cost, int(track_volume))
    accounts = _curve_buy_accounts(user, mint, creator, fee_recipient, token_program, associated_user)
    return Instruction(PUMP_PROGRAM_ID, data, accounts)


def buy_exact_sol_in(
    *,
    user: Pubkey,
    mint: Pubkey,
    creator: Pubkey,
    fee_recipient: Pubkey,
    spendable_sol_in: int,
    min_tokens_out: int,
    token_program: Pubkey = TOKEN_PROGRAM_ID,
    track_volume: bool = False,
    associated_user: Pubkey | None = None,
) -> Instruction:
    """pump `buy_exact_sol_in(spendable_sol_in, min_tokens_out, track_volume)`, 16 accounts."""
    data = BUY_EXACT_SOL_IN + struct.pack("<QQB", spendable_sol_in, min_tokens_out, int(track_volume))
    accounts = _curve_buy_accounts(user, mint, creator, fee_recipient, token_program, associated_user)
    return Instruction(PUMP_PROGRAM_ID, data, accounts)


def sell(
    *,
    user: Pubkey,
    mint: Pubkey,
    creator: Pubkey,
    fee_recipient: Pubkey,
    amount: int,
    min_sol_output: int,
    token_program: Pubkey = TOKEN_PROGRAM_ID,
    associated_user: Pubkey | None = None,
) -> Instruction:
    """pump `sell(amount, min_sol_output)`, 14 accounts (creator_vault before token_program)."""
    curve = addr.bonding_curve(mint)
    accounts = [
        _r(addr.pump_global()),
        _w(fee_recipient),
        _r(mint),
        _w(curve),
        _w(addr.associated_token_address(curve, mint, token_program)),
        _w(associated_user or addr.associated_token_address(user, mint, token_program)),
        _ws(user),
        _r(SYSTEM_PROGRAM_ID),
        _w(addr.creator_vault(creator)),
        _r(token_program),
        _r(addr.pump_event_authority()),
        _r(PUMP_PROGRAM_ID),
        _r(addr.pump_fee_config()),
        _r(PUMP_FEE_PROGRAM_ID),
    ]
    return Instruction(PUMP_PROGRAM_ID, SELL + struct.pack("<QQ", amount, min_sol_output), accounts)


def collect_creator_fee(creator: Pubkey, *, creator_is_signer: bool = False) -> Instruction:
    """pump `collect_creator_fee()`: vault lamports above rent to `creator` (5 accounts)."""
    accounts = [
        AccountMeta(creator, is_signer=creator_is_signer, is_writable=True),
        _w(addr.creator_vault(creator)),
        _r(SYSTEM_PROGRAM_ID),
        _r(addr.pump_event_authority()),
        _r(PUMP_PROGRAM_ID),
    ]
    return Instruction(PUMP_PROGRAM_ID, COLLECT_CREATOR_FEE, accounts)


# ---- PumpSwap ----------------------------------------------------------------------------


def _amm_trade_accounts(
    *,
    pool: Pubkey,
    user: Pubkey,
    base_mint: Pubkey,
    coin_creator: Pubkey,
    protocol_fee_recipient: Pubkey,
    base_token_program: Pubkey,
    quote_mint: Pubkey,
    quote_token_program: Pubkey,
) -> list[AccountMeta]:
    """Accounts 0-18, shared by buy and sell. The pool vaults are the pool's ATAs."""
    pool_base = addr.associated_token_address(pool, base_mint, base_token_program)
    pool_quote = addr.associated_token_address(pool, quote_mint, quote_token_program)
    return [
        _w(pool),
        _ws(user),
        _r(addr.amm_global_config()),
        _r(base_mint),
        _r(quote_mint),
        _w(addr.associated_token_address(user, base_mint, base_token_program)),
        _w(addr.associated_token_address(user, quote_mint, quote_token_program)),
        _w(pool_base),
        _w(pool_quote),
        _r(protocol_fee_recipient),
        _w(addr.associated_token_address(protocol_fee_recipient, quote_mint, quote_token_program)),
        _r(base_token_program),
        _r(quote_token_program),
        _r(SYSTEM_PROGRAM_ID),
        _r(ASSOCIATED_TOKEN_PROGRAM_ID),
        _r(addr.amm_event_authority()),
        _r(PUMP_AMM_PROGRAM_ID),
        _w(addr.coin_creator_vault_ata(coin_creator, quote_mint, quote_token_program)),
        _r(addr.coin_creator_vault_authority(coin_creator)),
    ]


def amm_buy(
    *,
    pool: Pubkey,
    user: Pubkey,
    base_mint: Pubkey,
    coin_creator: Pubkey,
    protocol_fee_recipient: Pubkey,
    base_amount_out: int,
    max_quote_amount_in: int,
    base_token_program: Pubkey = TOKEN_PROGRAM_ID,
    quote_mint: Pubkey = WSOL_MINT,
    quote_token_program: Pubkey = TOKEN_PROGRAM_ID,
    track_volume: bool = False,
) -> Instruction:
    """PumpSwap `buy(base_amount_out, max_quote_amount_in, track_volume)`, 23 accounts."""
    accounts = _amm_trade_accounts(
        pool=pool,
        user=user,
        base_mint=base_mint,
        coin_creator=coin_creator,
        protocol_fee_recipient=protocol_fee_recipient,
        base_token_program=base_token_program,
        quote_mint=quote_mint,
        quote_token_program=quote_token_program,
    )
    accounts += [
        _r(addr.amm_global_volume_accumulator()),
        _w(addr.amm_user_volume_accumulator(user)),
        _r(addr.amm_fee_config()),
        _r(PUMP_FEE_PROGRAM_ID),
    ]
    data = AMM_BUY + struct.pack("<QQB", base_amount_out, max_quote_amount_in, int(track_volume))
    return Instruction(PUMP_AMM_PROGRAM_ID, data, accounts)


def amm_sell(
    *,
    pool: Pubkey,
    user: Pubkey,
    base_mint: Pubkey,
    coin_creator: Pubkey,
    protocol_fee_recipient: Pubkey,
    base_amount_in: int,
    min_quote_amount_out: int,
    base_token_program: Pubkey = TOKEN_PROGRAM_ID,
    quote_mint: Pubkey = WSOL_MINT,
    quote_token_program: Pubkey = TOKEN_PROGRAM_ID,
) -> Instruction:
    """PumpSwap `sell(base_amount_in, min_quote_amount_out)`, 21 accounts."""
    accounts = _amm_trade_accounts(
        pool=pool,
        user=user,
        base_mint=base_mint,
        coin_creator=coin_creator,
        protocol_fee_recipient=protocol_fee_recipient,
        base_token_program=base_token_program,
        quote_mint=quote_mint,
        quote_token_program=quote_token_program,
    )
    accounts += [_r(addr.amm_fee_config()), _r(PUMP_FEE_PROGRAM_ID)]
    data = AMM_SELL + struct.pack("<QQ", base_amount_in, min_quote_amount_out)
    return Instruction(PUMP_AMM_PROGRAM_ID, data, accounts)


def amm_collect_coin_creator_fee(
    *,
    coin_creator: Pubkey,
    destination: Pubkey,
    quote_mint: Pubkey = WSOL_MINT,
    quote_token_program: Pubkey = TOKEN_PROGRAM_ID,
    coin_creator_is_signer: bool = False,
) -> Instruction:
    """PumpSwap `collect_coin_creator_fee()`: the whole vault ATA to `destination` (8 accounts)."""
    accounts = [
        _r(quote_mint),
        _r(quote_token_program),
        AccountMeta(coin_creator, is_signer=coin_creator_is_signer, is_writable=False),
        _r(addr.coin_creator_vault_authority(coin_creator)),
        _w(addr.coin_creator_vault_ata(coin_creator, quote_mint, quote_token_program)),
        _w(destination),
        _r(addr.amm_event_authority()),
        _r(PUMP_AMM_PROGRAM_ID),
    ]
    return Instruction(PUMP_AMM_PROGRAM_ID, AMM_COLLECT_COIN_CREATOR_FEE, accounts)
