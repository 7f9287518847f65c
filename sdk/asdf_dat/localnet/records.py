"""What the local ledger remembers about each landed transaction, and how it reads token accounts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from solders.account import Account
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.transaction import VersionedTransaction
from solders.transaction_metadata import InnerInstruction
from solders.transaction_status import TransactionErrorType

TOKEN_PROGRAM_ID: Final = Pubkey.from_string("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA")
TOKEN_2022_PROGRAM_ID: Final = Pubkey.from_string("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb")
COMPUTE_BUDGET_PROGRAM_ID: Final = Pubkey.from_string("ComputeBudget111111111111111111111111111111")

_TOKEN_ACCOUNT_LEN: Final = 165
_MINT_LEN: Final = 82
_ACCOUNT_TYPE_MINT: Final = 1
_ACCOUNT_TYPE_ACCOUNT: Final = 2
_DEFAULT_UNITS_PER_INSTRUCTION: Final = 200_000
_MAX_COMPUTE_UNITS: Final = 1_400_000
_BUILTIN_UNITS_PER_INSTRUCTION: Final = 3_000
_BUILTIN_PROGRAMS: Final = frozenset(
    Pubkey.from_string(address)
    for address in (
        "11111111111111111111111111111111",
        "ComputeBudget111111111111111111111111111111",
        "BPFLoader1111111111111111111111111111111111",
        "BPFLoader2111111111111111111111111111111111",
        "BPFLoaderUpgradeab1e11111111111111111111111",
        "LoaderV411111111111111111111111111111111111",
        "Vote111111111111111111111111111111111111111",
        "Ed25519SigVerify111111111111111111111111111",
        "KeccakSecp256k11111111111111111111111111111",
        "Secp256r1SigVerify1111111111111111111111111",
    )
)


@dataclass(frozen=True)
class TokenBalance:
    """One token account's balance, as `preTokenBalances`/`postTokenBalances` report it."""

    account_index: int
    mint: Pubkey
    owner: Pubkey
    program_id: Pubkey
    amount: int
    decimals: int


@dataclass(frozen=True)
class LoadedAddresses:
    writable: tuple[Pubkey, ...] = ()
    readonly: tuple[Pubkey, ...] = ()


@dataclass(frozen=True)
class ReturnData:
    program_id: Pubkey
    data: bytes


@dataclass(frozen=True)
class TransactionRecord:
    """A transaction that landed (successfully or not) and everything `getTransaction` reports."""

    signature: Signature
    slot: int
    block_time: int
    transaction: VersionedTransaction
    account_keys: tuple[Pubkey, ...]
    loaded_addresses: LoadedAddresses
    writable_keys: frozenset[Pubkey]
    err: TransactionErrorType | None
    fee: int
    pre_balances: tuple[int, ...]
    post_balances: tuple[int, ...]
    pre_token_balances: tuple[TokenBalance, ...]
    post_token_balances: tuple[TokenBalance, ...]
    logs: tuple[str, ...]
    inner_instructions: tuple[tuple[InnerInstruction, ...], ...]
    compute_units_consumed: int
    return_data: ReturnData | None
    compute_unit_price: int


@dataclass(frozen=True)
class AirdropRecord:
    """An airdrop: it has a signature and a slot but no transaction we can show."""

    signature: Signature
    slot: int
    block_time: int
    err: TransactionErrorType | None


def token_balance(index: int, account: Account | None, mint_decimals: dict[Pubkey, int]) -> TokenBalance | None:
    """The token balance of `account` if it is an SPL / Token-2022 token account, else None.

    `mint_decimals` must already hold the decimals of the account's mint (see `token_account_mint`).
    """
    if account is None or account.owner not in (TOKEN_PROGRAM_ID, TOKEN_2022_PROGRAM_ID):
        return None
    data = bytes(account.data)
    if not _is_token_account(data):
        return None
    mint = Pubkey.from_bytes(data[0:32])
    decimals = mint_decimals.get(mint)
    if decimals is None:
        return None
    return TokenBalance(
        account_index=index,
        mint=mint,
        owner=Pubkey.from_bytes(data[32:64]),
        program_id=account.owner,
        amount=int.from_bytes(data[64:72], "little"),
        decimals=decimals,
    )


def token_account_mint(account: Account | None) -> Pubkey | None:
    if account is None or account.owner not in (TOKEN_PROGRAM_ID, TOKEN_2022_PROGRAM_ID):
        return None
    data = bytes(account.data)
    return Pubkey.from_bytes(data[0:32]) if _is_token_account(data) else None


def mint_decimals(account: Account | None) -> int | None:
    if account is None or account.owner not in (TOKEN_PROGRAM_ID, TOKEN_2022_PROGRAM_ID):
        return None
    data = bytes(account.data)
    is_mint = len(data) == _MINT_LEN or (
        len(data) > _TOKEN_ACCOUNT_LEN and data[_TOKEN_ACCOUNT_LEN] == _ACCOUNT_TYPE_MINT
    )
    return data[44] if is_mint else None


def _is_token_account(data: bytes) -> bool:
    if len(data) == _TOKEN_ACCOUNT_LEN:
        return data[108] != 0  # AccountState::Uninitialized is 0
    return len(data) > _TOKEN_ACCOUNT_LEN and data[_TOKEN_ACCOUNT_LEN] == _ACCOUNT_TYPE_ACCOUNT


def compute_unit_price(transaction: VersionedTransaction) -> int:
    """The `SetComputeUnitPrice` value of the transaction in micro-lamports (0 when absent)."""
    message = transaction.message
    keys = message.account_keys
    for instruction in message.instructions:
        if instruction.program_id_index >= len(keys) or keys[instruction.program_id_index] != COMPUTE_BUDGET_PROGRAM_ID:
            continue
        data = bytes(instruction.data)
        if len(data) == 9 and data[0] == 3:
            return int.from_bytes(data[1:9], "little")
    return 0


def compute_unit_limit(transaction: VersionedTransaction) -> int:
    """The `SetComputeUnitLimit` value, or the runtime's default: 3,000 per builtin instruction
    (system, compute budget, loaders, vote, precompiles) and 200,000 per other, capped."""
    message = transaction.message
    keys = message.account_keys
    default = 0
    for instruction in message.instructions:
        program = keys[instruction.program_id_index] if instruction.program_id_index < len(keys) else None
        data = bytes(instruction.data)
        if program == COMPUTE_BUDGET_PROGRAM_ID and len(data) == 5 and data[0] == 2:
            return min(int.from_bytes(data[1:5], "little"), _MAX_COMPUTE_UNITS)
        default += _BUILTIN_UNITS_PER_INSTRUCTION if program in _BUILTIN_PROGRAMS else _DEFAULT_UNITS_PER_INSTRUCTION
    return min(default, _MAX_COMPUTE_UNITS)
