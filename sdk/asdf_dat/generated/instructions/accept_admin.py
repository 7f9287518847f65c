from __future__ import annotations
import typing
from solders.pubkey import Pubkey
from solders.instruction import Instruction, AccountMeta
from ..program_id import PROGRAM_ID


class AcceptAdminAccounts(typing.TypedDict):
    new_admin: Pubkey
    state: Pubkey


def accept_admin(
    accounts: AcceptAdminAccounts,
    program_id: Pubkey = PROGRAM_ID,
    remaining_accounts: typing.Optional[typing.List[AccountMeta]] = None,
) -> Instruction:
    keys: list[AccountMeta] = [
        AccountMeta(pubkey=accounts["new_admin"], is_signer=True, is_writable=False),
        AccountMeta(pubkey=accounts["state"], is_signer=False, is_writable=True),
    ]
    if remaining_accounts is not None:
        keys += remaining_accounts
    identifier = b"p*-Zt\xb5\r\xaa"
    encoded_args = b""
    data = identifier + encoded_args
    return Instruction(program_id, data, keys)
