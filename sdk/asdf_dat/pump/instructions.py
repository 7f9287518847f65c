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
    TOKEN_2022_PROGRAM_ID,
    TOKEN_PROGRAM_ID,
    WSOL_MINT,
)

__all__ = [
    "AMM_BUY",
    "AMM_COLLECT_COIN_CREATOR_FEE",
    "AMM_MIGRATE_POOL_COIN_CREATOR",
    "AMM_SELL",
    "AMM_TRANSFER_CREATOR_FEES_TO_PUMP_V2",
    "BUY",
    "BUY_EXACT_SOL_IN",
    "COLLECT_CREATOR_FEE",
    "COLLECT_CREATOR_FEE_V2",
    "CREATE_FEE_SHARING_CONFIG",
    "CREATE",
    "CREATE_V2",
    "DISTRIBUTE_CREATOR_FEES_V2",
    "MIGRATE",
    "MIGRATE_BONDING_CURVE_CREATOR",
    "SELL",
    "UPDATE_FEE_SHARES_V2",
    "amm_buy",
    "amm_collect_coin_creator_fee",
    "amm_migrate_pool_coin_creator",
    "amm_sell",
    "amm_transfer_creator_fees_to_pump_v2",
    "buy",
    "buy_exact_sol_in",
    "collect_creator_fee",
    "collect_creator_fee_v2",
    "create_fee_sharing_config",
    "create",
    "create_v2",
    "distribute_creator_fees_v2",
    "migrate",
    "migrate_bonding_curve_creator",
    "sell",
    "update_fee_shares_v2",
]

BUY = bytes([102, 6, 61, 18, 1, 218, 235, 234])
BUY_EXACT_SOL_IN = bytes([56, 252, 116, 8, 158, 223, 205, 95])
SELL = bytes([51, 230, 133, 164, 1, 127, 131, 173])
COLLECT_CREATOR_FEE = bytes([20, 22, 86, 123, 198, 28, 219, 132])
AMM_BUY = BUY
AMM_SELL = SELL
AMM_COLLECT_COIN_CREATOR_FEE = bytes([160, 57, 89, 42, 181, 139, 43, 66])
COLLECT_CREATOR_FEE_V2 = bytes([207, 17, 138, 242, 4, 34, 19, 56])
MIGRATE_BONDING_CURVE_CREATOR = bytes([87, 124, 52, 191, 52, 38, 214, 232])
DISTRIBUTE_CREATOR_FEES_V2 = bytes([255, 203, 19, 79, 244, 68, 8, 159])
AMM_MIGRATE_POOL_COIN_CREATOR = bytes([208, 8, 159, 4, 74, 175, 16, 58])
AMM_TRANSFER_CREATOR_FEES_TO_PUMP_V2 = bytes([1, 33, 78, 185, 33, 67, 44, 92])
CREATE_FEE_SHARING_CONFIG = bytes([195, 78, 86, 76, 111, 52, 251, 213])
UPDATE_FEE_SHARES_V2 = bytes([111, 251, 49, 6, 78, 78, 106, 18])
CREATE = bytes([24, 30, 200, 40, 5, 28, 7, 119])
MIGRATE = bytes([155, 234, 231, 146, 236, 158, 162, 30])
CREATE_V2 = bytes([214, 144, 76, 236, 95, 139, 49, 180])
RENT_SYSVAR = Pubkey.from_string("SysvarRent111111111111111111111111111111111")


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


# ---- creator fee sharing (CREATOR_FEE_SHARING.md) -----------------------------------------


def collect_creator_fee_v2(
    creator: Pubkey, *, quote_mint: Pubkey = WSOL_MINT, quote_token_program: Pubkey = TOKEN_PROGRAM_ID
) -> Instruction:
    """pump `collect_creator_fee_v2()` (10 accounts); SOL-paired coins pass WSOL."""
    vault = addr.creator_vault(creator)
    accounts = [
        _w(creator),
        _w(addr.associated_token_address(creator, quote_mint, quote_token_program)),
        _w(vault),
        _w(addr.associated_token_address(vault, quote_mint, quote_token_program)),
        _r(quote_mint),
        _r(quote_token_program),
        _r(ASSOCIATED_TOKEN_PROGRAM_ID),
        _r(SYSTEM_PROGRAM_ID),
        _r(addr.pump_event_authority()),
        _r(PUMP_PROGRAM_ID),
    ]
    return Instruction(PUMP_PROGRAM_ID, COLLECT_CREATOR_FEE_V2, accounts)


def migrate_bonding_curve_creator(mint: Pubkey) -> Instruction:
    """pump `migrate_bonding_curve_creator()` (5 accounts): `bonding_curve.creator` becomes
    the coin's sharing config. The fee program calls it; exposed for tests."""
    accounts = [
        _r(mint),
        _w(addr.bonding_curve(mint)),
        _r(addr.sharing_config(mint)),
        _r(addr.pump_event_authority()),
        _r(PUMP_PROGRAM_ID),
    ]
    return Instruction(PUMP_PROGRAM_ID, MIGRATE_BONDING_CURVE_CREATOR, accounts)


def distribute_creator_fees_v2(
    *,
    payer: Pubkey,
    mint: Pubkey,
    shareholders: list[Pubkey],
    initialize_ata: bool = False,
    quote_mint: Pubkey = WSOL_MINT,
    quote_token_program: Pubkey = TOKEN_PROGRAM_ID,
) -> Instruction:
    """pump `distribute_creator_fees_v2(initialize_ata)` (12 accounts + the shareholders in
    the sharing config's order). Permissionless."""
    config = addr.sharing_config(mint)
    vault = addr.creator_vault(config)
    accounts = [
        _ws(payer),
        _r(mint),
        _r(addr.bonding_curve(mint)),
        _r(config),
        _w(vault),
        _r(SYSTEM_PROGRAM_ID),
        _r(addr.pump_event_authority()),
        _r(PUMP_PROGRAM_ID),
        _w(addr.associated_token_address(vault, quote_mint, quote_token_program)),
        _r(quote_mint),
        _r(quote_token_program),
        _r(ASSOCIATED_TOKEN_PROGRAM_ID),
        *[_w(holder) for holder in shareholders],
    ]
    return Instruction(PUMP_PROGRAM_ID, DISTRIBUTE_CREATOR_FEES_V2 + bytes([int(initialize_ata)]), accounts)


def amm_migrate_pool_coin_creator(pool: Pubkey, base_mint: Pubkey) -> Instruction:
    """PumpSwap `migrate_pool_coin_creator()` (4 accounts): `pool.coin_creator` becomes the
    coin's sharing config. The fee program calls it; exposed for tests."""
    accounts = [
        _w(pool),
        _r(addr.sharing_config(base_mint)),
        _r(addr.amm_event_authority()),
        _r(PUMP_AMM_PROGRAM_ID),
    ]
    return Instruction(PUMP_AMM_PROGRAM_ID, AMM_MIGRATE_POOL_COIN_CREATOR, accounts)


def amm_transfer_creator_fees_to_pump_v2(
    *,
    payer: Pubkey,
    coin_creator: Pubkey,
    quote_mint: Pubkey = WSOL_MINT,
    token_program: Pubkey = TOKEN_PROGRAM_ID,
) -> Instruction:
    """PumpSwap `transfer_creator_fees_to_pump_v2()` (12 accounts): the AMM coin-creator
    vault's WSOL, unwrapped into pump's `creator_vault(coin_creator)`. Permissionless."""
    authority = addr.coin_creator_vault_authority(coin_creator)
    pump_vault = addr.creator_vault(coin_creator)
    accounts = [
        _ws(payer),
        _r(quote_mint),
        _r(token_program),
        _r(SYSTEM_PROGRAM_ID),
        _r(ASSOCIATED_TOKEN_PROGRAM_ID),
        _r(coin_creator),
        _w(authority),
        _w(addr.associated_token_address(authority, quote_mint, token_program)),
        _w(pump_vault),
        _w(addr.associated_token_address(pump_vault, quote_mint, token_program)),
        _r(addr.amm_event_authority()),
        _r(PUMP_AMM_PROGRAM_ID),
    ]
    return Instruction(PUMP_AMM_PROGRAM_ID, AMM_TRANSFER_CREATOR_FEES_TO_PUMP_V2, accounts)


def create_fee_sharing_config(*, payer: Pubkey, mint: Pubkey, pool: Pubkey | None = None) -> Instruction:
    """Fee program `create_fee_sharing_config()` (13 accounts). `pool` is the coin's
    canonical pool once it graduated; without it the three optional AMM accounts are passed
    as the fee program's id (Anchor's convention for an absent optional account)."""
    absent = _r(PUMP_FEE_PROGRAM_ID)
    accounts = [
        _r(addr.fee_event_authority()),
        _r(PUMP_FEE_PROGRAM_ID),
        _ws(payer),
        _r(addr.pump_global()),
        _r(mint),
        _w(addr.sharing_config(mint)),
        _r(SYSTEM_PROGRAM_ID),
        _w(addr.bonding_curve(mint)),
        _r(PUMP_PROGRAM_ID),
        _r(addr.pump_event_authority()),
        _w(pool) if pool is not None else absent,
        _r(PUMP_AMM_PROGRAM_ID) if pool is not None else absent,
        _r(addr.amm_event_authority()) if pool is not None else absent,
    ]
    return Instruction(PUMP_FEE_PROGRAM_ID, CREATE_FEE_SHARING_CONFIG, accounts)


def encode_shareholders(shareholders: list[tuple[Pubkey, int]]) -> bytes:
    """borsh `Vec<Shareholder { address, share_bps: u16 }>`."""
    return struct.pack("<I", len(shareholders)) + b"".join(
        bytes(address) + struct.pack("<H", bps) for address, bps in shareholders
    )


def update_fee_shares_v2(
    *,
    authority: Pubkey,
    mint: Pubkey,
    current_shareholders: list[Pubkey],
    new_shareholders: list[tuple[Pubkey, int]],
    quote_mint: Pubkey = WSOL_MINT,
    token_program: Pubkey = TOKEN_PROGRAM_ID,
) -> Instruction:
    """Fee program `update_fee_shares_v2(shareholders)` (19 accounts + the current
    shareholders, which receive what is pending first)."""
    config = addr.sharing_config(mint)
    pump_vault = addr.creator_vault(config)
    amm_authority = addr.coin_creator_vault_authority(config)
    accounts = [
        _r(addr.fee_event_authority()),
        _r(PUMP_FEE_PROGRAM_ID),
        _ws(authority),
        _r(addr.pump_global()),
        _r(mint),
        _w(config),
        _r(addr.bonding_curve(mint)),
        _w(pump_vault),
        _w(addr.associated_token_address(pump_vault, quote_mint, token_program)),
        _r(SYSTEM_PROGRAM_ID),
        _r(PUMP_PROGRAM_ID),
        _r(addr.pump_event_authority()),
        _r(PUMP_AMM_PROGRAM_ID),
        _r(addr.amm_event_authority()),
        _r(quote_mint),
        _r(token_program),
        _r(ASSOCIATED_TOKEN_PROGRAM_ID),
        _w(amm_authority),
        _w(addr.associated_token_address(amm_authority, quote_mint, token_program)),
        *[_w(holder) for holder in current_shareholders],
    ]
    return Instruction(PUMP_FEE_PROGRAM_ID, UPDATE_FEE_SHARES_V2 + encode_shareholders(new_shareholders), accounts)


# ---- coin creation (COIN_CREATION.md) ------------------------------------------------------


def _borsh_string(value: str) -> bytes:
    raw = value.encode()
    return struct.pack("<I", len(raw)) + raw


def create_v2(
    *,
    mint: Pubkey,
    user: Pubkey,
    creator: Pubkey,
    name: str,
    symbol: str,
    uri: str,
    is_mayhem_mode: bool = False,
    is_cashback_enabled: bool = False,
) -> Instruction:
    """pump `create_v2(name, symbol, uri, creator, is_mayhem_mode, is_cashback_enabled)`,
    16 accounts, a Token-2022 coin. `mint` and `user` sign."""
    curve = addr.bonding_curve(mint)
    sol_vault = addr.mayhem_sol_vault()
    accounts = [
        _ws(mint),
        _r(addr.mint_authority()),
        _w(curve),
        _w(addr.associated_token_address(curve, mint, TOKEN_2022_PROGRAM_ID)),
        _r(addr.pump_global()),
        _ws(user),
        _r(SYSTEM_PROGRAM_ID),
        _r(TOKEN_2022_PROGRAM_ID),
        _r(ASSOCIATED_TOKEN_PROGRAM_ID),
        _w(addr.MAYHEM_PROGRAM_ID),
        _r(addr.mayhem_global_params()),
        _w(sol_vault),
        _w(addr.mayhem_state(mint)),
        _w(addr.associated_token_address(sol_vault, mint, TOKEN_2022_PROGRAM_ID)),
        _r(addr.pump_event_authority()),
        _r(PUMP_PROGRAM_ID),
    ]
    data = (
        CREATE_V2
        + _borsh_string(name)
        + _borsh_string(symbol)
        + _borsh_string(uri)
        + bytes(creator)
        + bytes([int(is_mayhem_mode), int(is_cashback_enabled)])
    )
    return Instruction(PUMP_PROGRAM_ID, data, accounts)


def create(*, mint: Pubkey, user: Pubkey, creator: Pubkey, name: str, symbol: str, uri: str) -> Instruction:
    """pump `create(name, symbol, uri, creator)`, 14 accounts, an SPL Token coin with
    Metaplex metadata. `mint` and `user` sign."""
    curve = addr.bonding_curve(mint)
    accounts = [
        _ws(mint),
        _r(addr.mint_authority()),
        _w(curve),
        _w(addr.associated_token_address(curve, mint, TOKEN_PROGRAM_ID)),
        _r(addr.pump_global()),
        _r(addr.METAPLEX_PROGRAM_ID),
        _w(addr.metaplex_metadata(mint)),
        _ws(user),
        _r(SYSTEM_PROGRAM_ID),
        _r(TOKEN_PROGRAM_ID),
        _r(ASSOCIATED_TOKEN_PROGRAM_ID),
        _r(RENT_SYSVAR),
        _r(addr.pump_event_authority()),
        _r(PUMP_PROGRAM_ID),
    ]
    data = CREATE + _borsh_string(name) + _borsh_string(symbol) + _borsh_string(uri) + bytes(creator)
    return Instruction(PUMP_PROGRAM_ID, data, accounts)


def migrate(
    *, user: Pubkey, mint: Pubkey, withdraw_authority: Pubkey, token_program: Pubkey = TOKEN_PROGRAM_ID
) -> Instruction:
    """pump `migrate()`, 25 accounts: a completed curve to its canonical PumpSwap pool.
    Permissionless (`user` signs). `token_program` is the coin's (base) token program."""
    curve = addr.bonding_curve(mint)
    authority = addr.pool_authority(mint)
    pool = addr.canonical_pool(mint)
    lp_mint = addr.pool_lp_mint(pool)
    accounts = [
        _r(addr.pump_global()),
        _w(withdraw_authority),
        _r(mint),
        _w(curve),
        _w(addr.associated_token_address(curve, mint, token_program)),
        AccountMeta(user, is_signer=True, is_writable=False),
        _r(SYSTEM_PROGRAM_ID),
        _r(TOKEN_PROGRAM_ID),
        _r(PUMP_AMM_PROGRAM_ID),
        _w(pool),
        _w(authority),
        _w(addr.associated_token_address(authority, mint, token_program)),
        _w(addr.associated_token_address(authority, WSOL_MINT, TOKEN_PROGRAM_ID)),
        _r(addr.amm_global_config()),
        _r(WSOL_MINT),
        _w(lp_mint),
        _w(addr.associated_token_address(authority, lp_mint, TOKEN_2022_PROGRAM_ID)),
        _w(addr.associated_token_address(pool, mint, token_program)),
        _w(addr.associated_token_address(pool, WSOL_MINT, TOKEN_PROGRAM_ID)),
        _r(TOKEN_2022_PROGRAM_ID),
        _r(ASSOCIATED_TOKEN_PROGRAM_ID),
        _r(addr.amm_event_authority()),
        _r(addr.pump_event_authority()),
        _r(PUMP_PROGRAM_ID),
        _r(RENT_SYSVAR),
    ]
    return Instruction(PUMP_PROGRAM_ID, MIGRATE, accounts)
