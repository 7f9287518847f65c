from __future__ import annotations
import typing
from solders.pubkey import Pubkey
from solders.instruction import Instruction, AccountMeta
import borsh_construct as borsh
from ..program_id import PROGRAM_ID


class RecordFailureArgs(typing.TypedDict):
    error_code: int


layout = borsh.CStruct("error_code" / borsh.U32)


class RecordFailureAccounts(typing.TypedDict):
    operator: Pubkey
    state: Pubkey


def record_failure(
    args: RecordFailureArgs,
    accounts: RecordFailureAccounts,
    program_id: Pubkey = PROGRAM_ID,
    remaining_accounts: typing.Optional[typing.List[AccountMeta]] = None,
) -> Instruction:
    keys: list[AccountMeta] = [
        AccountMeta(pubkey=accounts["operator"], is_signer=True, is_writable=False),
        AccountMeta(pubkey=accounts["state"], is_signer=False, is_writable=True),
    ]
    if remaining_accounts is not None:
        keys += remaining_accounts
    identifier = b"V^\xe7\x02_+5\xa1"
    encoded_args = layout.build(
        {
            "error_code": args["error_code"],
        }
    )
    data = identifier + encoded_args
    return Instruction(program_id, data, keys)
