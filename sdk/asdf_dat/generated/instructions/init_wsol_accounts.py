from __future__ import annotations
import typing
from solders.pubkey import Pubkey
from solders.system_program import ID as SYS_PROGRAM_ID
from spl.token.constants import ASSOCIATED_TOKEN_PROGRAM_ID
from solders.instruction import Instruction, AccountMeta
from ..program_id import PROGRAM_ID


class InitWsolAccountsAccounts(typing.TypedDict):
    admin: Pubkey
    state: Pubkey
    authority: Pubkey
    authority_wsol_ata: Pubkey
    amm_vault_authority: Pubkey
    amm_vault_ata: Pubkey
    wsol_mint: Pubkey
    token_program: Pubkey


def init_wsol_accounts(
    accounts: InitWsolAccountsAccounts,
    program_id: Pubkey = PROGRAM_ID,
    remaining_accounts: typing.Optional[typing.List[AccountMeta]] = None,
) -> Instruction:
    keys: list[AccountMeta] = [
        AccountMeta(pubkey=accounts["admin"], is_signer=True, is_writable=True),
        AccountMeta(pubkey=accounts["state"], is_signer=False, is_writable=False),
        AccountMeta(pubkey=accounts["authority"], is_signer=False, is_writable=False),
        AccountMeta(
            pubkey=accounts["authority_wsol_ata"], is_signer=False, is_writable=True
        ),
        AccountMeta(
            pubkey=accounts["amm_vault_authority"], is_signer=False, is_writable=False
        ),
        AccountMeta(
            pubkey=accounts["amm_vault_ata"], is_signer=False, is_writable=True
        ),
        AccountMeta(pubkey=accounts["wsol_mint"], is_signer=False, is_writable=False),
        AccountMeta(
            pubkey=accounts["token_program"], is_signer=False, is_writable=False
        ),
        AccountMeta(pubkey=SYS_PROGRAM_ID, is_signer=False, is_writable=False),
        AccountMeta(
            pubkey=ASSOCIATED_TOKEN_PROGRAM_ID, is_signer=False, is_writable=False
        ),
    ]
    if remaining_accounts is not None:
        keys += remaining_accounts
    identifier = b"F\xef\xa7K\xea\xb0'\xf7"
    encoded_args = b""
    data = identifier + encoded_args
    return Instruction(program_id, data, keys)
