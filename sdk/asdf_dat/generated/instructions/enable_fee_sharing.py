from __future__ import annotations
import typing
from solders.pubkey import Pubkey
from solders.system_program import ID as SYS_PROGRAM_ID
from spl.token.constants import ASSOCIATED_TOKEN_PROGRAM_ID
from solders.instruction import Instruction, AccountMeta
from ..program_id import PROGRAM_ID


class EnableFeeSharingAccounts(typing.TypedDict):
    admin: Pubkey
    state: Pubkey
    token_stats: Pubkey
    mint: Pubkey
    authority: Pubkey
    fee_vault: Pubkey
    bonding_curve: Pubkey
    sharing_config: Pubkey
    config_creator_vault: Pubkey
    config_creator_vault_ata: Pubkey
    config_amm_vault_authority: Pubkey
    config_amm_vault_ata: Pubkey
    global_: Pubkey
    fee_event_authority: Pubkey
    fee_program: Pubkey
    pump_event_authority: Pubkey
    pump_program: Pubkey
    amm_event_authority: Pubkey
    amm_program: Pubkey
    wsol_mint: Pubkey
    quote_token_program: Pubkey


def enable_fee_sharing(
    accounts: EnableFeeSharingAccounts,
    program_id: Pubkey = PROGRAM_ID,
    remaining_accounts: typing.Optional[typing.List[AccountMeta]] = None,
) -> Instruction:
    keys: list[AccountMeta] = [
        AccountMeta(pubkey=accounts["admin"], is_signer=True, is_writable=True),
        AccountMeta(pubkey=accounts["state"], is_signer=False, is_writable=True),
        AccountMeta(pubkey=accounts["token_stats"], is_signer=False, is_writable=True),
        AccountMeta(pubkey=accounts["mint"], is_signer=False, is_writable=False),
        AccountMeta(pubkey=accounts["authority"], is_signer=False, is_writable=True),
        AccountMeta(pubkey=accounts["fee_vault"], is_signer=False, is_writable=True),
        AccountMeta(
            pubkey=accounts["bonding_curve"], is_signer=False, is_writable=True
        ),
        AccountMeta(
            pubkey=accounts["sharing_config"], is_signer=False, is_writable=True
        ),
        AccountMeta(
            pubkey=accounts["config_creator_vault"], is_signer=False, is_writable=True
        ),
        AccountMeta(
            pubkey=accounts["config_creator_vault_ata"],
            is_signer=False,
            is_writable=True,
        ),
        AccountMeta(
            pubkey=accounts["config_amm_vault_authority"],
            is_signer=False,
            is_writable=True,
        ),
        AccountMeta(
            pubkey=accounts["config_amm_vault_ata"], is_signer=False, is_writable=True
        ),
        AccountMeta(pubkey=accounts["global_"], is_signer=False, is_writable=False),
        AccountMeta(
            pubkey=accounts["fee_event_authority"], is_signer=False, is_writable=False
        ),
        AccountMeta(pubkey=accounts["fee_program"], is_signer=False, is_writable=False),
        AccountMeta(
            pubkey=accounts["pump_event_authority"], is_signer=False, is_writable=False
        ),
        AccountMeta(
            pubkey=accounts["pump_program"], is_signer=False, is_writable=False
        ),
        AccountMeta(
            pubkey=accounts["amm_event_authority"], is_signer=False, is_writable=False
        ),
        AccountMeta(pubkey=accounts["amm_program"], is_signer=False, is_writable=False),
        AccountMeta(pubkey=accounts["wsol_mint"], is_signer=False, is_writable=False),
        AccountMeta(
            pubkey=accounts["quote_token_program"], is_signer=False, is_writable=False
        ),
        AccountMeta(
            pubkey=ASSOCIATED_TOKEN_PROGRAM_ID, is_signer=False, is_writable=False
        ),
        AccountMeta(pubkey=SYS_PROGRAM_ID, is_signer=False, is_writable=False),
    ]
    if remaining_accounts is not None:
        keys += remaining_accounts
    identifier = b"Q\xc7\xe2\xdc\x9454\xb0"
    encoded_args = b""
    data = identifier + encoded_args
    return Instruction(program_id, data, keys)
