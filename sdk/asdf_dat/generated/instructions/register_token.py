from __future__ import annotations
import typing
from solders.pubkey import Pubkey
from solders.system_program import ID as SYS_PROGRAM_ID
from spl.token.constants import ASSOCIATED_TOKEN_PROGRAM_ID
from solders.instruction import Instruction, AccountMeta
import borsh_construct as borsh
from ..program_id import PROGRAM_ID


class RegisterTokenArgs(typing.TypedDict):
    pool_type: int


layout = borsh.CStruct("pool_type" / borsh.U8)


class RegisterTokenAccounts(typing.TypedDict):
    admin: Pubkey
    state: Pubkey
    mint: Pubkey
    token_stats: Pubkey
    token_program: Pubkey
    pool: Pubkey
    dat_token_account: Pubkey
    authority: Pubkey


def register_token(
    args: RegisterTokenArgs,
    accounts: RegisterTokenAccounts,
    program_id: Pubkey = PROGRAM_ID,
    remaining_accounts: typing.Optional[typing.List[AccountMeta]] = None,
) -> Instruction:
    keys: list[AccountMeta] = [
        AccountMeta(pubkey=accounts["admin"], is_signer=True, is_writable=True),
        AccountMeta(pubkey=accounts["state"], is_signer=False, is_writable=True),
        AccountMeta(pubkey=accounts["mint"], is_signer=False, is_writable=False),
        AccountMeta(pubkey=accounts["token_stats"], is_signer=False, is_writable=True),
        AccountMeta(
            pubkey=accounts["token_program"], is_signer=False, is_writable=False
        ),
        AccountMeta(pubkey=accounts["pool"], is_signer=False, is_writable=False),
        AccountMeta(
            pubkey=accounts["dat_token_account"], is_signer=False, is_writable=True
        ),
        AccountMeta(pubkey=accounts["authority"], is_signer=False, is_writable=False),
        AccountMeta(pubkey=SYS_PROGRAM_ID, is_signer=False, is_writable=False),
        AccountMeta(
            pubkey=ASSOCIATED_TOKEN_PROGRAM_ID, is_signer=False, is_writable=False
        ),
    ]
    if remaining_accounts is not None:
        keys += remaining_accounts
    identifier = b" \x92$\xf0P\xb7$T"
    encoded_args = layout.build(
        {
            "pool_type": args["pool_type"],
        }
    )
    data = identifier + encoded_args
    return Instruction(program_id, data, keys)
