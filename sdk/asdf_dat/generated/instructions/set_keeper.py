from __future__ import annotations
import typing
from solders.pubkey import Pubkey
from solders.instruction import Instruction, AccountMeta
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh
from ..program_id import PROGRAM_ID


class SetKeeperArgs(typing.TypedDict):
    new_keeper: Pubkey


layout = borsh.CStruct("new_keeper" / BorshPubkey)


class SetKeeperAccounts(typing.TypedDict):
    admin: Pubkey
    state: Pubkey


def set_keeper(
    args: SetKeeperArgs,
    accounts: SetKeeperAccounts,
    program_id: Pubkey = PROGRAM_ID,
    remaining_accounts: typing.Optional[typing.List[AccountMeta]] = None,
) -> Instruction:
    keys: list[AccountMeta] = [
        AccountMeta(pubkey=accounts["admin"], is_signer=True, is_writable=False),
        AccountMeta(pubkey=accounts["state"], is_signer=False, is_writable=True),
    ]
    if remaining_accounts is not None:
        keys += remaining_accounts
    identifier = b"f^\x17N\x9d\xde\xf3\xd6"
    encoded_args = layout.build(
        {
            "new_keeper": args["new_keeper"],
        }
    )
    data = identifier + encoded_args
    return Instruction(program_id, data, keys)
