from __future__ import annotations
import typing
from solders.pubkey import Pubkey
from solders.system_program import ID as SYS_PROGRAM_ID
from spl.token.constants import ASSOCIATED_TOKEN_PROGRAM_ID
from solders.instruction import Instruction, AccountMeta
import borsh_construct as borsh
from ..program_id import PROGRAM_ID


class ExecuteCycleAmmArgs(typing.TypedDict):
    quoted_tokens_out: int


layout = borsh.CStruct("quoted_tokens_out" / borsh.U64)


class ExecuteCycleAmmAccounts(typing.TypedDict):
    operator: Pubkey
    state: Pubkey
    token_stats: Pubkey
    root_treasury: Pubkey
    authority: Pubkey
    mint: Pubkey
    dat_token_account: Pubkey
    token_program: Pubkey
    pool: Pubkey
    global_config: Pubkey
    wsol_mint: Pubkey
    authority_wsol_ata: Pubkey
    pool_base_token_account: Pubkey
    pool_quote_token_account: Pubkey
    protocol_fee_recipient: Pubkey
    protocol_fee_recipient_token_account: Pubkey
    quote_token_program: Pubkey
    event_authority: Pubkey
    amm_program: Pubkey
    coin_creator_vault_ata: Pubkey
    coin_creator_vault_authority: Pubkey
    global_volume_accumulator: Pubkey
    user_volume_accumulator: Pubkey
    fee_config: Pubkey
    fee_program: Pubkey
    bc_creator_vault: Pubkey
    instructions_sysvar: Pubkey


def execute_cycle_amm(
    args: ExecuteCycleAmmArgs,
    accounts: ExecuteCycleAmmAccounts,
    program_id: Pubkey = PROGRAM_ID,
    remaining_accounts: typing.Optional[typing.List[AccountMeta]] = None,
) -> Instruction:
    keys: list[AccountMeta] = [
        AccountMeta(pubkey=accounts["operator"], is_signer=True, is_writable=False),
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
        AccountMeta(pubkey=accounts["pool"], is_signer=False, is_writable=True),
        AccountMeta(
            pubkey=accounts["global_config"], is_signer=False, is_writable=False
        ),
        AccountMeta(pubkey=accounts["wsol_mint"], is_signer=False, is_writable=False),
        AccountMeta(
            pubkey=accounts["authority_wsol_ata"], is_signer=False, is_writable=True
        ),
        AccountMeta(
            pubkey=accounts["pool_base_token_account"],
            is_signer=False,
            is_writable=True,
        ),
        AccountMeta(
            pubkey=accounts["pool_quote_token_account"],
            is_signer=False,
            is_writable=True,
        ),
        AccountMeta(
            pubkey=accounts["protocol_fee_recipient"],
            is_signer=False,
            is_writable=False,
        ),
        AccountMeta(
            pubkey=accounts["protocol_fee_recipient_token_account"],
            is_signer=False,
            is_writable=True,
        ),
        AccountMeta(
            pubkey=accounts["quote_token_program"], is_signer=False, is_writable=False
        ),
        AccountMeta(pubkey=SYS_PROGRAM_ID, is_signer=False, is_writable=False),
        AccountMeta(
            pubkey=ASSOCIATED_TOKEN_PROGRAM_ID, is_signer=False, is_writable=False
        ),
        AccountMeta(
            pubkey=accounts["event_authority"], is_signer=False, is_writable=False
        ),
        AccountMeta(pubkey=accounts["amm_program"], is_signer=False, is_writable=False),
        AccountMeta(
            pubkey=accounts["coin_creator_vault_ata"], is_signer=False, is_writable=True
        ),
        AccountMeta(
            pubkey=accounts["coin_creator_vault_authority"],
            is_signer=False,
            is_writable=False,
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
        AccountMeta(
            pubkey=accounts["bc_creator_vault"], is_signer=False, is_writable=False
        ),
        AccountMeta(
            pubkey=accounts["instructions_sysvar"], is_signer=False, is_writable=False
        ),
    ]
    if remaining_accounts is not None:
        keys += remaining_accounts
    identifier = b"\x9e\xe2$\xd2\xaa:\x9f\x10"
    encoded_args = layout.build(
        {
            "quoted_tokens_out": args["quoted_tokens_out"],
        }
    )
    data = identifier + encoded_args
    return Instruction(program_id, data, keys)
