from __future__ import annotations
import typing
from solders.pubkey import Pubkey
from solders.system_program import ID as SYS_PROGRAM_ID
from solders.instruction import Instruction, AccountMeta
from ..program_id import PROGRAM_ID


class SetRootTokenAccounts(typing.TypedDict):
    admin: Pubkey
    state: Pubkey
    new_root_stats: Pubkey
    new_treasury: Pubkey


def set_root_token(
    accounts: SetRootTokenAccounts,
    program_id: Pubkey = PROGRAM_ID,
    remaining_accounts: typing.Optional[typing.List[AccountMeta]] = None,
) -> Instruction:
    keys: list[AccountMeta] = [
        AccountMeta(pubkey=accounts["admin"], is_signer=True, is_writable=True),
        AccountMeta(pubkey=accounts["state"], is_signer=False, is_writable=True),
        AccountMeta(
            pubkey=accounts["new_root_stats"], is_signer=False, is_writable=True
        ),
        AccountMeta(pubkey=accounts["new_treasury"], is_signer=False, is_writable=True),
        AccountMeta(pubkey=SYS_PROGRAM_ID, is_signer=False, is_writable=False),
    ]
    if remaining_accounts is not None:
        keys += remaining_accounts
    identifier = b"?W\xa6\xd5\xba\xa9\xe1Q"
    encoded_args = b""
    data = identifier + encoded_args
    return Instruction(program_id, data, keys)
