"""Solana JSON-RPC wire shapes for ledger objects (the shapes solana-py / solders parse)."""

from __future__ import annotations

import base64
import json
from typing import Any, Literal

import based58
import zstandard
from solders.account import Account
from solders.message import MessageV0
from solders.rpc.responses import RpcSimulateTransactionResult
from solders.transaction import VersionedTransaction
from solders.transaction_metadata import InnerInstruction
from solders.transaction_status import TransactionErrorType

from asdf_dat.localnet.ledger import SimulationOutcome
from asdf_dat.localnet.records import AirdropRecord, ReturnData, TokenBalance, TransactionRecord

JSONValue = Any
AccountEncoding = Literal["base64", "base58", "base64+zstd", "jsonParsed"]
TransactionEncoding = Literal["json", "base64", "base58"]


def error_json(err: TransactionErrorType | None) -> JSONValue:
    """A transaction error the way the RPC spells it, e.g. `{"InstructionError": [0, {"Custom": 1}]}`."""
    if err is None:
        return None
    return json.loads(RpcSimulateTransactionResult(err=err).to_json())["err"]


def status_json(err: TransactionErrorType | None) -> JSONValue:
    return {"Ok": None} if err is None else {"Err": error_json(err)}


def account_json(
    account: Account | None, encoding: AccountEncoding = "base64", data_slice: tuple[int, int] | None = None
) -> JSONValue:
    if account is None:
        return None
    data = bytes(account.data)
    if data_slice is not None:
        offset, length = data_slice
        data = data[offset : offset + length]
    encoded: list[str]
    if encoding == "base58":
        encoded = [based58.b58encode(data).decode(), "base58"]
    elif encoding == "base64+zstd":
        # As a validator: zstd (level 0: the library default) of the (sliced) data, base64'd.
        encoded = [base64.b64encode(zstandard.ZstdCompressor().compress(data)).decode(), "base64+zstd"]
    else:
        encoded = [base64.b64encode(data).decode(), "base64"]
    return {
        "data": encoded,
        "executable": account.executable,
        "lamports": account.lamports,
        "owner": str(account.owner),
        "rentEpoch": account.rent_epoch,
        "space": len(account.data),
    }


def return_data_json(return_data: ReturnData | None) -> JSONValue:
    if return_data is None:
        return None
    return {"programId": str(return_data.program_id), "data": [base64.b64encode(return_data.data).decode(), "base64"]}


def inner_instructions_json(groups: tuple[tuple[InnerInstruction, ...], ...]) -> list[JSONValue]:
    result: list[JSONValue] = []
    for index, group in enumerate(groups):
        if not group:
            continue
        instructions = []
        for inner in group:
            compiled = inner.instruction()
            instructions.append(
                {
                    "programIdIndex": compiled.program_id_index,
                    "accounts": list(bytes(compiled.accounts)),
                    "data": based58.b58encode(bytes(compiled.data)).decode(),
                    "stackHeight": inner.stack_height(),  # type: ignore[attr-defined]  # missing from the stub
                }
            )
        result.append({"index": index, "instructions": instructions})
    return result


def simulation_json(outcome: SimulationOutcome, *, with_inner_instructions: bool) -> JSONValue:
    replacement = None
    if outcome.replacement_blockhash is not None:
        blockhash, last_valid = outcome.replacement_blockhash
        replacement = {"blockhash": str(blockhash), "lastValidBlockHeight": last_valid}
    accounts = None
    if outcome.post_accounts:
        accounts = [account_json(account) for account in outcome.post_accounts.values()]
    return {
        "err": error_json(outcome.err),
        "logs": list(outcome.logs),
        "accounts": accounts,
        "unitsConsumed": outcome.units_consumed,
        "returnData": return_data_json(outcome.return_data),
        "innerInstructions": inner_instructions_json(outcome.inner_instructions) if with_inner_instructions else None,
        "replacementBlockhash": replacement,
    }


def signature_status_json(record: TransactionRecord | AirdropRecord | None) -> JSONValue:
    if record is None:
        return None
    return {
        "slot": record.slot,
        "confirmations": None,
        "err": error_json(record.err),
        "status": status_json(record.err),
        "confirmationStatus": "finalized",
    }


def signature_info_json(record: TransactionRecord) -> JSONValue:
    return {
        "signature": str(record.signature),
        "slot": record.slot,
        "err": error_json(record.err),
        "memo": None,
        "blockTime": record.block_time,
        "confirmationStatus": "finalized",
    }


def transaction_json(record: TransactionRecord, encoding: TransactionEncoding, *, include_version: bool) -> JSONValue:
    """The `getTransaction` result for `record`."""
    result: dict[str, JSONValue] = {
        "slot": record.slot,
        "blockTime": record.block_time,
        "transaction": encoded_transaction_json(record.transaction, encoding),
        "meta": _meta_json(record),
    }
    if include_version:
        version = record.transaction.version()
        result["version"] = version if isinstance(version, int) else "legacy"
    return result


def encoded_transaction_json(transaction: VersionedTransaction, encoding: TransactionEncoding) -> JSONValue:
    raw = bytes(transaction)
    if encoding == "base64":
        return [base64.b64encode(raw).decode(), "base64"]
    if encoding == "base58":
        return [based58.b58encode(raw).decode(), "base58"]
    message = transaction.message
    header = message.header
    message_json: dict[str, JSONValue] = {
        "header": {
            "numRequiredSignatures": header.num_required_signatures,
            "numReadonlySignedAccounts": header.num_readonly_signed_accounts,
            "numReadonlyUnsignedAccounts": header.num_readonly_unsigned_accounts,
        },
        "accountKeys": [str(key) for key in message.account_keys],
        "recentBlockhash": str(message.recent_blockhash),
        "instructions": [
            {
                "programIdIndex": instruction.program_id_index,
                "accounts": list(bytes(instruction.accounts)),
                "data": based58.b58encode(bytes(instruction.data)).decode(),
                "stackHeight": None,
            }
            for instruction in message.instructions
        ],
    }
    if isinstance(message, MessageV0):
        message_json["addressTableLookups"] = [
            {
                "accountKey": str(lookup.account_key),
                "writableIndexes": list(bytes(lookup.writable_indexes)),
                "readonlyIndexes": list(bytes(lookup.readonly_indexes)),
            }
            for lookup in message.address_table_lookups
        ]
    return {"signatures": [str(signature) for signature in transaction.signatures], "message": message_json}


def _meta_json(record: TransactionRecord) -> JSONValue:
    return {
        "err": error_json(record.err),
        "status": status_json(record.err),
        "fee": record.fee,
        "preBalances": list(record.pre_balances),
        "postBalances": list(record.post_balances),
        "innerInstructions": inner_instructions_json(record.inner_instructions),
        "logMessages": list(record.logs),
        "preTokenBalances": [_token_balance_json(balance) for balance in record.pre_token_balances],
        "postTokenBalances": [_token_balance_json(balance) for balance in record.post_token_balances],
        "rewards": [],
        "loadedAddresses": {
            "writable": [str(key) for key in record.loaded_addresses.writable],
            "readonly": [str(key) for key in record.loaded_addresses.readonly],
        },
        "returnData": return_data_json(record.return_data),
        "computeUnitsConsumed": record.compute_units_consumed,
    }


def _token_balance_json(balance: TokenBalance) -> JSONValue:
    return {
        "accountIndex": balance.account_index,
        "mint": str(balance.mint),
        "owner": str(balance.owner),
        "programId": str(balance.program_id),
        "uiTokenAmount": ui_token_amount_json(balance.amount, balance.decimals),
    }


def ui_token_amount_json(amount: int, decimals: int) -> JSONValue:
    whole, fraction = divmod(amount, 10**decimals) if decimals else (amount, 0)
    text = str(whole)
    if fraction:
        text += "." + f"{fraction:0{decimals}d}".rstrip("0")
    return {
        "amount": str(amount),
        "decimals": decimals,
        "uiAmount": amount / 10**decimals,
        "uiAmountString": text,
    }
