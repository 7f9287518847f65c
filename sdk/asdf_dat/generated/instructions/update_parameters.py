from __future__ import annotations
import typing
from solders.pubkey import Pubkey
from solders.instruction import Instruction, AccountMeta
import borsh_construct as borsh
from .. import types
from ..program_id import PROGRAM_ID


class UpdateParametersArgs(typing.TypedDict):
    params: types.dat_parameters.DatParameters


layout = borsh.CStruct("params" / types.dat_parameters.DatParameters.layout)


class UpdateParametersAccounts(typing.TypedDict):
    admin: Pubkey
    state: Pubkey


def update_parameters(
    args: UpdateParametersArgs,
    accounts: UpdateParametersAccounts,
    program_id: Pubkey = PROGRAM_ID,
    remaining_accounts: typing.Optional[typing.List[AccountMeta]] = None,
) -> Instruction:
    keys: list[AccountMeta] = [
        AccountMeta(pubkey=accounts["admin"], is_signer=True, is_writable=False),
        AccountMeta(pubkey=accounts["state"], is_signer=False, is_writable=True),
    ]
    if remaining_accounts is not None:
        keys += remaining_accounts
    identifier = b"tk\x18\xcfe1\xd5M"
    encoded_args = layout.build(
        {
            "params": args["params"].to_encodable(),
        }
    )
    data = identifier + encoded_args
    return Instruction(program_id, data, keys)
