from __future__ import annotations
import typing
from solders.pubkey import Pubkey
from solders.instruction import Instruction, AccountMeta
import borsh_construct as borsh
from ..program_id import PROGRAM_ID


class ProposeFeeSplitArgs(typing.TypedDict):
    new_bps: int


layout = borsh.CStruct("new_bps" / borsh.U16)


class ProposeFeeSplitAccounts(typing.TypedDict):
    admin: Pubkey
    state: Pubkey


def propose_fee_split(
    args: ProposeFeeSplitArgs,
    accounts: ProposeFeeSplitAccounts,
    program_id: Pubkey = PROGRAM_ID,
    remaining_accounts: typing.Optional[typing.List[AccountMeta]] = None,
) -> Instruction:
    keys: list[AccountMeta] = [
        AccountMeta(pubkey=accounts["admin"], is_signer=True, is_writable=False),
        AccountMeta(pubkey=accounts["state"], is_signer=False, is_writable=True),
    ]
    if remaining_accounts is not None:
        keys += remaining_accounts
    identifier = b"\xe8\xc27\xcc\x95\x90\xb1\x92"
    encoded_args = layout.build(
        {
            "new_bps": args["new_bps"],
        }
    )
    data = identifier + encoded_args
    return Instruction(program_id, data, keys)
