"""What failed, written next to `record_failure` so that `asdf-dat failures` can say it from the
chain alone, on any machine.

The `record_failure` transaction carries an SPL Memo (v3) with the failed cycle transaction's
details: where it failed (`simulation`: refused by preflight, never landed, so it has no
signature; `transaction`: landed and failed, with its signature), the tokens it carried and the
error. The on-chain `CycleFailed` event keeps the error code and counts; the memo only adds
what the program cannot know.

    asdf-dat:cycle-failure {"stage":"simulation","signature":null,"tokens":["DATS2"],"error":"..."}
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

import based58
from solders.instruction import Instruction
from solders.pubkey import Pubkey
from solders.transaction_status import (
    EncodedConfirmedTransactionWithStatusMeta,
    UiCompiledInstruction,
    UiRawMessage,
    UiTransaction,
)

from asdf_dat.network.results import TransactionShapeError, account_keys

MEMO_PROGRAM_ID = Pubkey.from_string("MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr")
PREFIX = "asdf-dat:cycle-failure "
MAX_ERROR_CHARS = 200
MAX_TOKENS = 16

FailureStage = Literal["simulation", "transaction"]


@dataclass(frozen=True)
class FailureDetail:
    stage: FailureStage
    """`simulation`: refused in simulation (preflight), never landed; `transaction`: landed and failed."""
    signature: str | None
    """The failed transaction's signature (`transaction` only: a simulated one never existed on-chain)."""
    tokens: tuple[str, ...]
    error: str


def failure_memo(detail: FailureDetail) -> Instruction:
    """The memo instruction (no accounts: Memo v3 requires every passed account to sign)."""
    body = {
        "stage": detail.stage,
        "signature": detail.signature,
        "tokens": list(detail.tokens[:MAX_TOKENS]),
        "error": detail.error[:MAX_ERROR_CHARS],
    }
    text = PREFIX + json.dumps(body, separators=(",", ":"), ensure_ascii=True)
    return Instruction(MEMO_PROGRAM_ID, text.encode(), [])


def parse_failure_memo(text: str) -> FailureDetail | None:
    """The detail in a memo's text, or None if it is not ours (or malformed)."""
    if not text.startswith(PREFIX):
        return None
    try:
        body = json.loads(text[len(PREFIX):])
    except ValueError:
        return None
    if not isinstance(body, dict):
        return None
    stage, signature, tokens, error = body.get("stage"), body.get("signature"), body.get("tokens"), body.get("error")
    if stage not in ("simulation", "transaction") or not isinstance(error, str):
        return None
    if not (signature is None or isinstance(signature, str)):
        return None
    if not isinstance(tokens, list) or not all(isinstance(t, str) for t in tokens):
        return None
    return FailureDetail(stage, signature, tuple(tokens), error)


def failure_detail_of(tx: EncodedConfirmedTransactionWithStatusMeta) -> FailureDetail | None:
    """The failure memo of a landed `record_failure` transaction (json encoding), if any."""
    inner = tx.transaction.transaction
    if not isinstance(inner, UiTransaction) or not isinstance(inner.message, UiRawMessage):
        return None
    try:
        keys = account_keys(tx)
    except TransactionShapeError:
        return None
    for instruction in inner.message.instructions:
        if not isinstance(instruction, UiCompiledInstruction) or instruction.program_id_index >= len(keys):
            continue
        if keys[instruction.program_id_index] != MEMO_PROGRAM_ID:
            continue
        try:
            text = bytes(based58.b58decode(instruction.data.encode())).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            continue
        detail = parse_failure_memo(text)
        if detail is not None:
            return detail
    return None
