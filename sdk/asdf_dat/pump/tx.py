"""Sending transactions to a LiteSVM and reading their outcome (CU, logs, events, errors)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from solders.instruction import Instruction
from solders.keypair import Keypair
from solders.litesvm import LiteSVM
from solders.pubkey import Pubkey
from solders.transaction import Transaction
from solders.transaction_metadata import FailedTransactionMetadata, TransactionMetadata

from asdf_dat.network.results import instruction_error
from asdf_dat.pump.events import Event, events_from_inner_instructions, events_from_logs

__all__ = ["TransactionFailed", "TxResult", "send"]


@dataclass(frozen=True)
class TxResult:
    meta: TransactionMetadata
    account_keys: list[Pubkey]

    @property
    def compute_units(self) -> int:
        return self.meta.compute_units_consumed()

    @property
    def logs(self) -> list[str]:
        return list(self.meta.logs())

    def top_level_compute_units(self, program_id: Pubkey) -> list[int]:
        """CU of each top-level invocation of `program_id` (CPIs it made included), from the
        `Program <id> consumed N of M compute units` log lines."""
        stack: list[str] = []
        out: list[int] = []
        for line in self.meta.logs():
            parts = line.split()
            if len(parts) >= 4 and parts[0] == "Program" and parts[2] == "invoke":
                stack.append(parts[1])
            elif len(parts) >= 4 and parts[0] == "Program" and parts[2] == "consumed":
                if len(stack) == 1 and parts[1] == str(program_id):
                    out.append(int(parts[3]))
            elif len(parts) == 3 and parts[0] == "Program" and parts[2] in ("success", "failed"):
                if stack:
                    stack.pop()
            elif len(parts) >= 3 and parts[0] == "Program" and parts[2] == "failed:":
                if stack:
                    stack.pop()
        return out

    @property
    def events(self) -> list[Event]:
        return events_from_inner_instructions(self.account_keys, self.meta.inner_instructions())

    @property
    def log_events(self) -> list[Event]:
        """The same events, read from the `Program data:` log lines."""
        return events_from_logs(self.meta.logs())


class TransactionFailed(Exception):
    """A transaction LiteSVM rejected; `code` is the custom program error, if any."""

    def __init__(self, failed: FailedTransactionMetadata) -> None:
        self.failed = failed
        err = failed.err()
        self.instruction_index, self.code = instruction_error(err)
        self.logs = list(failed.meta().logs())
        super().__init__(f"{err} (custom code {self.code})\n" + "\n".join(self.logs))


def send(svm: LiteSVM, instructions: Sequence[Instruction], signers: Sequence[Keypair]) -> TxResult:
    """Signs with `signers` (the first pays), sends, raises `TransactionFailed` on failure.
    The blockhash is expired first so that identical transactions can be sent twice."""
    svm.expire_blockhash()
    tx = Transaction.new_signed_with_payer(
        list(instructions), signers[0].pubkey(), list(signers), svm.latest_blockhash()
    )
    result = svm.send_transaction(tx)
    if isinstance(result, FailedTransactionMetadata):
        raise TransactionFailed(result)
    return TxResult(result, list(tx.message.account_keys))
