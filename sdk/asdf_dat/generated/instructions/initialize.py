from __future__ import annotations
import typing
from solders.pubkey import Pubkey
from solders.system_program import ID as SYS_PROGRAM_ID
from solders.instruction import Instruction, AccountMeta
from anchorpy.borsh_extension import BorshPubkey
import borsh_construct as borsh
from ..program_id import PROGRAM_ID


class InitializeArgs(typing.TypedDict):
    keeper: Pubkey


layout = borsh.CStruct("keeper" / BorshPubkey)
INITIALIZE_ACCOUNTS_STATE = Pubkey.find_program_address(
    seeds=[b"dat_state"],
    program_id=PROGRAM_ID,
)[0]
INITIALIZE_ACCOUNTS_AUTHORITY = Pubkey.find_program_address(
    seeds=[b"dat_authority"],
    program_id=PROGRAM_ID,
)[0]


class InitializeAccounts(typing.TypedDict):
    admin: Pubkey
    program_data: Pubkey


def initialize(
    args: InitializeArgs,
    accounts: InitializeAccounts,
    program_id: Pubkey = PROGRAM_ID,
    remaining_accounts: typing.Optional[typing.List[AccountMeta]] = None,
) -> Instruction:
    keys: list[AccountMeta] = [
        AccountMeta(pubkey=accounts["admin"], is_signer=True, is_writable=True),
        AccountMeta(
            pubkey=INITIALIZE_ACCOUNTS_STATE, is_signer=False, is_writable=True
        ),
        AccountMeta(
            pubkey=INITIALIZE_ACCOUNTS_AUTHORITY, is_signer=False, is_writable=True
        ),
        AccountMeta(
            pubkey=accounts["program_data"], is_signer=False, is_writable=False
        ),
        AccountMeta(pubkey=SYS_PROGRAM_ID, is_signer=False, is_writable=False),
    ]
    if remaining_accounts is not None:
        keys += remaining_accounts
    identifier = b"\xaf\xafm\x1f\r\x98\x9b\xed"
    encoded_args = layout.build(
        {
            "keeper": args["keeper"],
        }
    )
    data = identifier + encoded_args
    return Instruction(program_id, data, keys)
