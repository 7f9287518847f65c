from __future__ import annotations
import typing
from solders.pubkey import Pubkey
from solders.instruction import Instruction, AccountMeta
import borsh_construct as borsh
from ..program_id import PROGRAM_ID


class SetPermissionlessCyclesArgs(typing.TypedDict):
    enabled: bool


layout = borsh.CStruct("enabled" / borsh.Bool)


class SetPermissionlessCyclesAccounts(typing.TypedDict):
    admin: Pubkey
    state: Pubkey


def set_permissionless_cycles(
    args: SetPermissionlessCyclesArgs,
    accounts: SetPermissionlessCyclesAccounts,
    program_id: Pubkey = PROGRAM_ID,
    remaining_accounts: typing.Optional[typing.List[AccountMeta]] = None,
) -> Instruction:
    keys: list[AccountMeta] = [
        AccountMeta(pubkey=accounts["admin"], is_signer=True, is_writable=False),
        AccountMeta(pubkey=accounts["state"], is_signer=False, is_writable=True),
    ]
    if remaining_accounts is not None:
        keys += remaining_accounts
    identifier = b"\t\xe1Q>P\xb8\xb6|"
    encoded_args = layout.build(
        {
            "enabled": args["enabled"],
        }
    )
    data = identifier + encoded_args
    return Instruction(program_id, data, keys)
