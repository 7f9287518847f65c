from __future__ import annotations
import typing
from solders.pubkey import Pubkey
from solders.instruction import Instruction, AccountMeta
from construct import Construct
import borsh_construct as borsh
from .. import types
from ..program_id import PROGRAM_ID


class UpdatePendingFeesArgs(typing.TypedDict):
    reports: list[types.fee_report.FeeReport]


layout = borsh.CStruct(
    "reports" / borsh.Vec(typing.cast("Construct[typing.Any, typing.Any]", types.fee_report.FeeReport.layout))
)


class UpdatePendingFeesAccounts(typing.TypedDict):
    keeper: Pubkey
    state: Pubkey
    bc_creator_vault: Pubkey
    amm_vault_ata: Pubkey
    authority: Pubkey
    authority_wsol_ata: Pubkey


def update_pending_fees(
    args: UpdatePendingFeesArgs,
    accounts: UpdatePendingFeesAccounts,
    program_id: Pubkey = PROGRAM_ID,
    remaining_accounts: typing.Optional[typing.List[AccountMeta]] = None,
) -> Instruction:
    keys: list[AccountMeta] = [
        AccountMeta(pubkey=accounts["keeper"], is_signer=True, is_writable=False),
        AccountMeta(pubkey=accounts["state"], is_signer=False, is_writable=True),
        AccountMeta(
            pubkey=accounts["bc_creator_vault"], is_signer=False, is_writable=False
        ),
        AccountMeta(
            pubkey=accounts["amm_vault_ata"], is_signer=False, is_writable=False
        ),
        AccountMeta(pubkey=accounts["authority"], is_signer=False, is_writable=False),
        AccountMeta(
            pubkey=accounts["authority_wsol_ata"], is_signer=False, is_writable=False
        ),
    ]
    if remaining_accounts is not None:
        keys += remaining_accounts
    identifier = b"\x1a\xd0\xa8\x91\x95\xceS*"
    encoded_args = layout.build(
        {
            "reports": list(map(lambda item: item.to_encodable(), args["reports"])),
        }
    )
    data = identifier + encoded_args
    return Instruction(program_id, data, keys)
