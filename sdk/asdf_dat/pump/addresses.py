"""Program ids, fixed addresses and PDAs of pump.fun and PumpSwap (pump.md §1)."""

from __future__ import annotations

from solders.pubkey import Pubkey

from asdf_dat.programs import PUMP_AMM_PROGRAM_ID, PUMP_FEE_PROGRAM_ID, PUMP_PROGRAM_ID

__all__ = [
    "ASSOCIATED_TOKEN_PROGRAM_ID",
    "PUMP_AMM_PROGRAM_ID",
    "PUMP_FEE_PROGRAM_ID",
    "PUMP_PROGRAM_ID",
    "SYSTEM_PROGRAM_ID",
    "TOKEN_2022_PROGRAM_ID",
    "TOKEN_PROGRAM_ID",
    "WSOL_MINT",
    "amm_event_authority",
    "amm_fee_config",
    "amm_global_config",
    "amm_global_volume_accumulator",
    "amm_user_volume_accumulator",
    "associated_bonding_curve",
    "associated_token_address",
    "bonding_curve",
    "canonical_pool",
    "coin_creator_vault_ata",
    "coin_creator_vault_authority",
    "creator_vault",
    "fee_event_authority",
    "MAYHEM_PROGRAM_ID",
    "METAPLEX_PROGRAM_ID",
    "metaplex_metadata",
    "mayhem_global_params",
    "mayhem_sol_vault",
    "mayhem_state",
    "mint_authority",
    "sharing_config",
    "pool_authority",
    "pool_lp_mint",
    "pool_pda",
    "pump_event_authority",
    "pump_fee_config",
    "pump_global",
    "pump_global_volume_accumulator",
    "pump_user_volume_accumulator",
]

SYSTEM_PROGRAM_ID = Pubkey.from_string("11111111111111111111111111111111")
TOKEN_PROGRAM_ID = Pubkey.from_string("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA")
TOKEN_2022_PROGRAM_ID = Pubkey.from_string("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb")
ASSOCIATED_TOKEN_PROGRAM_ID = Pubkey.from_string("ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL")
WSOL_MINT = Pubkey.from_string("So11111111111111111111111111111111111111112")


def _pda(seeds: list[bytes], program_id: Pubkey) -> Pubkey:
    return Pubkey.find_program_address(seeds, program_id)[0]


def associated_token_address(owner: Pubkey, mint: Pubkey, token_program: Pubkey = TOKEN_PROGRAM_ID) -> Pubkey:
    """ATA of `owner` for `mint` under `token_program` (off-curve owners allowed)."""
    return _pda([bytes(owner), bytes(token_program), bytes(mint)], ASSOCIATED_TOKEN_PROGRAM_ID)


# ---- pump bonding curve ----------------------------------------------------------------


def pump_global() -> Pubkey:
    """`["global"]`: 4wTV1YmiEkRvAtNtsSGPtUrqRYQMe5SKy2uB4Jjaxnjf."""
    return _pda([b"global"], PUMP_PROGRAM_ID)


def pump_event_authority() -> Pubkey:
    """`["__event_authority"]`: Ce6TQqeHC9p8KetsN6JsjHK7UTZk7nasjjnr7XxXp9F1."""
    return _pda([b"__event_authority"], PUMP_PROGRAM_ID)


def pump_global_volume_accumulator() -> Pubkey:
    return _pda([b"global_volume_accumulator"], PUMP_PROGRAM_ID)


def pump_user_volume_accumulator(user: Pubkey) -> Pubkey:
    return _pda([b"user_volume_accumulator", bytes(user)], PUMP_PROGRAM_ID)


def pump_fee_config() -> Pubkey:
    """`["fee_config", PUMP_ID]` under the fee program."""
    return _pda([b"fee_config", bytes(PUMP_PROGRAM_ID)], PUMP_FEE_PROGRAM_ID)


def bonding_curve(mint: Pubkey) -> Pubkey:
    return _pda([b"bonding-curve", bytes(mint)], PUMP_PROGRAM_ID)


def associated_bonding_curve(mint: Pubkey, token_program: Pubkey = TOKEN_PROGRAM_ID) -> Pubkey:
    return associated_token_address(bonding_curve(mint), mint, token_program)


def creator_vault(creator: Pubkey) -> Pubkey:
    """`["creator-vault", creator]` (hyphen) under pump: a 0-byte system-owned lamport vault."""
    return _pda([b"creator-vault", bytes(creator)], PUMP_PROGRAM_ID)


def mint_authority() -> Pubkey:
    """`["mint-authority"]` under pump: the mint authority of new coins until it is revoked."""
    return _pda([b"mint-authority"], PUMP_PROGRAM_ID)


METAPLEX_PROGRAM_ID = Pubkey.from_string("metaqbxxUerdq28cj1RbAWkYQm3ybzjb6a8bt518x1s")


def metaplex_metadata(mint: Pubkey) -> Pubkey:
    """Metaplex `["metadata", program, mint]`: the metadata account `create` makes."""
    return _pda([b"metadata", bytes(METAPLEX_PROGRAM_ID), bytes(mint)], METAPLEX_PROGRAM_ID)


MAYHEM_PROGRAM_ID = Pubkey.from_string("MAyhSmzXzV1pTf7LsNkrNwkWKTo4ougAJ1PPg47MD4e")


def mayhem_global_params() -> Pubkey:
    return _pda([b"global-params"], MAYHEM_PROGRAM_ID)


def mayhem_sol_vault() -> Pubkey:
    return _pda([b"sol-vault"], MAYHEM_PROGRAM_ID)


def mayhem_state(mint: Pubkey) -> Pubkey:
    return _pda([b"mayhem-state", bytes(mint)], MAYHEM_PROGRAM_ID)


def pool_authority(mint: Pubkey) -> Pubkey:
    """`["pool-authority", mint]` under pump: the creator of a migrated coin's canonical pool."""
    return _pda([b"pool-authority", bytes(mint)], PUMP_PROGRAM_ID)


# ---- PumpSwap AMM ----------------------------------------------------------------------


def amm_global_config() -> Pubkey:
    """`["global_config"]`: ADyA8hdefvWN2dbGGWFotbzWxrAvLW83WG6QCVXvJKqw."""
    return _pda([b"global_config"], PUMP_AMM_PROGRAM_ID)


def amm_event_authority() -> Pubkey:
    """`["__event_authority"]`: GS4CU59F31iL7aR2Q8zVS8DRrcRnXX1yjQ66TqNVQnaR."""
    return _pda([b"__event_authority"], PUMP_AMM_PROGRAM_ID)


def amm_global_volume_accumulator() -> Pubkey:
    return _pda([b"global_volume_accumulator"], PUMP_AMM_PROGRAM_ID)


def amm_user_volume_accumulator(user: Pubkey) -> Pubkey:
    return _pda([b"user_volume_accumulator", bytes(user)], PUMP_AMM_PROGRAM_ID)


def amm_fee_config() -> Pubkey:
    """`["fee_config", AMM_ID]` under the fee program."""
    return _pda([b"fee_config", bytes(PUMP_AMM_PROGRAM_ID)], PUMP_FEE_PROGRAM_ID)


def pool_pda(index: int, creator: Pubkey, base_mint: Pubkey, quote_mint: Pubkey) -> tuple[Pubkey, int]:
    """`["pool", u16 LE index, creator, base_mint, quote_mint]` and its bump."""
    seeds = [b"pool", index.to_bytes(2, "little"), bytes(creator), bytes(base_mint), bytes(quote_mint)]
    return Pubkey.find_program_address(seeds, PUMP_AMM_PROGRAM_ID)


def canonical_pool(base_mint: Pubkey) -> Pubkey:
    """The pool `migrate` creates: index 0, created by the coin's pool authority, quote WSOL."""
    return pool_pda(0, pool_authority(base_mint), base_mint, WSOL_MINT)[0]


def pool_lp_mint(pool: Pubkey) -> Pubkey:
    return _pda([b"pool_lp_mint", bytes(pool)], PUMP_AMM_PROGRAM_ID)


def coin_creator_vault_authority(coin_creator: Pubkey) -> Pubkey:
    """`["creator_vault", coin_creator]` (underscore) under the AMM."""
    return _pda([b"creator_vault", bytes(coin_creator)], PUMP_AMM_PROGRAM_ID)


def coin_creator_vault_ata(
    coin_creator: Pubkey, quote_mint: Pubkey = WSOL_MINT, quote_token_program: Pubkey = TOKEN_PROGRAM_ID
) -> Pubkey:
    """Where PumpSwap creator fees accumulate: the vault authority's quote (WSOL) ATA."""
    return associated_token_address(coin_creator_vault_authority(coin_creator), quote_mint, quote_token_program)


# ---- fee program -------------------------------------------------------------------------


def fee_event_authority() -> Pubkey:
    """Fee program `["__event_authority"]`: D6QxXDt6hhcCpto4HiZKkN2YQ2iZRF5R7S3caCHpUsML."""
    return _pda([b"__event_authority"], PUMP_FEE_PROGRAM_ID)


def sharing_config(mint: Pubkey) -> Pubkey:
    """`["sharing-config", mint]` under the fee program: a coin's creator-fee sharing config,
    which becomes the coin's creator (`bonding_curve.creator`, `pool.coin_creator`)."""
    return _pda([b"sharing-config", bytes(mint)], PUMP_FEE_PROGRAM_ID)
