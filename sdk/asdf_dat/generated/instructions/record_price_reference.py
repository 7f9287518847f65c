from __future__ import annotations
import typing
from solders.pubkey import Pubkey
from solders.instruction import Instruction, AccountMeta
from ..program_id import PROGRAM_ID


class RecordPriceReferenceAccounts(typing.TypedDict):
    token_stats: Pubkey
    pool: Pubkey


def record_price_reference(
    accounts: RecordPriceReferenceAccounts,
    program_id: Pubkey = PROGRAM_ID,
    remaining_accounts: typing.Optional[typing.List[AccountMeta]] = None,
) -> Instruction:
    keys: list[AccountMeta] = [
        AccountMeta(pubkey=accounts["token_stats"], is_signer=False, is_writable=True),
        AccountMeta(pubkey=accounts["pool"], is_signer=False, is_writable=False),
    ]
    if remaining_accounts is not None:
        keys += remaining_accounts
    identifier = b"\xceT[\xc1e\x1b\xc1\r"
    encoded_args = b""
    data = identifier + encoded_args
    return Instruction(program_id, data, keys)
