from __future__ import annotations
import typing
from solders.pubkey import Pubkey
from solders.system_program import ID as SYS_PROGRAM_ID
from solders.instruction import Instruction, AccountMeta
import borsh_construct as borsh
from ..program_id import PROGRAM_ID


class ExecuteCycleBcArgs(typing.TypedDict):
    quoted_tokens_out: int


layout = borsh.CStruct("quoted_tokens_out" / borsh.U64)


class ExecuteCycleBcAccounts(typing.TypedDict):
    operator: Pubkey
    state: Pubkey
    token_stats: Pubkey
    root_treasury: Pubkey
    authority: Pubkey
    mint: Pubkey
    dat_token_account: Pubkey
    token_program: Pubkey
    bonding_curve: Pubkey
    associated_bonding_curve: Pubkey
    global_: Pubkey
    fee_recipient: Pubkey
    creator_vault: Pubkey
    event_authority: Pubkey
    pump_program: Pubkey
    global_volume_accumulator: Pubkey
    user_volume_accumulator: Pubkey
    fee_config: Pubkey
    fee_program: Pubkey
    authority_wsol_ata: Pubkey
    amm_vault_ata: Pubkey
    instructions_sysvar: Pubkey
    wsol_scratch: Pubkey
    wsol_mint: Pubkey
    quote_token_program: Pubkey


def execute_cycle_bc(
    args: ExecuteCycleBcArgs,
    accounts: ExecuteCycleBcAccounts,
    program_id: Pubkey = PROGRAM_ID,
    remaining_accounts: typing.Optional[typing.List[AccountMeta]] = None,
) -> Instruction:
    keys: list[AccountMeta] = [
        AccountMeta(pubkey=accounts["operator"], is_signer=True, is_writable=True),
        AccountMeta(pubkey=accounts["state"], is_signer=False, is_writable=True),
        AccountMeta(pubkey=accounts["token_stats"], is_signer=False, is_writable=True),
        AccountMeta(
            pubkey=accounts["root_treasury"], is_signer=False, is_writable=True
        ),
        AccountMeta(pubkey=accounts["authority"], is_signer=False, is_writable=True),
        AccountMeta(pubkey=accounts["mint"], is_signer=False, is_writable=True),
        AccountMeta(
            pubkey=accounts["dat_token_account"], is_signer=False, is_writable=True
        ),
        AccountMeta(
            pubkey=accounts["token_program"], is_signer=False, is_writable=False
        ),
        AccountMeta(
            pubkey=accounts["bonding_curve"], is_signer=False, is_writable=True
        ),
        AccountMeta(
            pubkey=accounts["associated_bonding_curve"],
            is_signer=False,
            is_writable=True,
        ),
        AccountMeta(pubkey=accounts["global_"], is_signer=False, is_writable=False),
        AccountMeta(
            pubkey=accounts["fee_recipient"], is_signer=False, is_writable=True
        ),
        AccountMeta(
            pubkey=accounts["creator_vault"], is_signer=False, is_writable=True
        ),
        AccountMeta(
            pubkey=accounts["event_authority"], is_signer=False, is_writable=False
        ),
        AccountMeta(
            pubkey=accounts["pump_program"], is_signer=False, is_writable=False
        ),
        AccountMeta(
            pubkey=accounts["global_volume_accumulator"],
            is_signer=False,
            is_writable=False,
        ),
        AccountMeta(
            pubkey=accounts["user_volume_accumulator"],
            is_signer=False,
            is_writable=True,
        ),
        AccountMeta(pubkey=accounts["fee_config"], is_signer=False, is_writable=False),
        AccountMeta(pubkey=accounts["fee_program"], is_signer=False, is_writable=False),
        AccountMeta(pubkey=SYS_PROGRAM_ID, is_signer=False, is_writable=False),
        AccountMeta(
            pubkey=accounts["authority_wsol_ata"], is_signer=False, is_writable=True
        ),
        AccountMeta(
            pubkey=accounts["amm_vault_ata"], is_signer=False, is_writable=False
        ),
        AccountMeta(
            pubkey=accounts["instructions_sysvar"], is_signer=False, is_writable=False
        ),
        AccountMeta(pubkey=accounts["wsol_scratch"], is_signer=False, is_writable=True),
        AccountMeta(pubkey=accounts["wsol_mint"], is_signer=False, is_writable=False),
        AccountMeta(
            pubkey=accounts["quote_token_program"], is_signer=False, is_writable=False
        ),
    ]
    if remaining_accounts is not None:
        keys += remaining_accounts
    identifier = b"] \x01g\x904\xfd'"
    encoded_args = layout.build(
        {
            "quoted_tokens_out": args["quoted_tokens_out"],
        }
    )
    data = identifier + encoded_args
    return Instruction(program_id, data, keys)
