from __future__ import annotations
import typing
from solders.pubkey import Pubkey
from solders.instruction import Instruction, AccountMeta
import borsh_construct as borsh
from ..program_id import PROGRAM_ID


class SetTokenPoolArgs(typing.TypedDict):
    pool_type: int


layout = borsh.CStruct("pool_type" / borsh.U8)


class SetTokenPoolAccounts(typing.TypedDict):
    admin: Pubkey
    state: Pubkey
    token_stats: Pubkey
    pool: Pubkey


def set_token_pool(
    args: SetTokenPoolArgs,
    accounts: SetTokenPoolAccounts,
    program_id: Pubkey = PROGRAM_ID,
    remaining_accounts: typing.Optional[typing.List[AccountMeta]] = None,
) -> Instruction:
    keys: list[AccountMeta] = [
        AccountMeta(pubkey=accounts["admin"], is_signer=True, is_writable=False),
        AccountMeta(pubkey=accounts["state"], is_signer=False, is_writable=False),
        AccountMeta(pubkey=accounts["token_stats"], is_signer=False, is_writable=True),
        AccountMeta(pubkey=accounts["pool"], is_signer=False, is_writable=False),
    ]
    if remaining_accounts is not None:
        keys += remaining_accounts
    identifier = b"\x9a\xce\x03\xcc\x05\x15\xad\x9c"
    encoded_args = layout.build(
        {
            "pool_type": args["pool_type"],
        }
    )
    data = identifier + encoded_args
    return Instruction(program_id, data, keys)
