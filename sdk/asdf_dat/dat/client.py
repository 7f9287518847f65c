"""`DatClient`: build → simulate → send and confirm each program instruction over a `Transport`.

Every send is simulated first; a failure (in simulation or on-chain) raises the decoded
exception (`asdf_dat.dat.errors`: `CycleTooSoon`, `DATNotActive`, ...). A successful send
returns the landed transaction's logs, decoded events and compute units.

A cycle is not built here: `asdf_dat.orchestrator.executor` is the one place that plans, quotes,
builds, packs and sends cycle transactions (the demo, the bench, the tests and the operators' commands
all run it). `DatClient` sends single program instructions (set-up, attribution, governance) and
records price references.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from solders.instruction import Instruction
from solders.keypair import Keypair
from solders.message import Message
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.transaction import Transaction

from asdf_dat.dat import instructions as ix
from asdf_dat.dat.accounts import (
    DatState,
    TokenStats,
    fetch_all_token_stats,
    fetch_dat_state,
    fetch_token_stats,
)
from asdf_dat.dat.cycle import root_funds
from asdf_dat.dat.errors import TransactionError, decode_error
from asdf_dat.dat.events import DecodedEvent, decode_events
from asdf_dat.dat.price_reference import PriceReferences, needs_reference, record_price_references
from asdf_dat.network.protocol import Transport
from asdf_dat.network.results import TransactionFailedError
from asdf_dat.programs import ASDF_DAT_PROGRAM_ID

__all__ = [
    "CLOCK_SYSVAR",
    "MAX_COMPUTE_UNITS",
    "DatClient",
    "SendResult",
    "SimulationOutcome",
    "program_compute_units",
]

MAX_COMPUTE_UNITS = 1_400_000
CU_MARGIN_PERCENT = 10
CU_MARGIN_MIN = 5_000
CLOCK_SYSVAR = Pubkey.from_string("SysvarC1ock11111111111111111111111111111111")


def program_compute_units(logs: Sequence[str], program_id: Pubkey = ASDF_DAT_PROGRAM_ID) -> list[int]:
    """CU of each top-level invocation of `program_id` (its CPIs included), in order, from the
    `Program <id> consumed N of M compute units` lines."""
    ours = str(program_id)
    depth = 0
    out: list[int] = []
    for line in logs:
        parts = line.split()
        if len(parts) < 3 or parts[0] != "Program":
            continue
        if parts[2] == "invoke":
            depth += 1
        elif parts[2] == "consumed" and depth == 1 and parts[1] == ours and len(parts) >= 4:
            out.append(int(parts[3]))
        elif parts[2] in ("success", "failed", "failed:"):
            depth = max(depth - 1, 0)
    return out


@dataclass(frozen=True)
class SimulationOutcome:
    error: TransactionError | None
    logs: tuple[str, ...]
    units_consumed: int
    events: list[DecodedEvent]
    program_compute_units: list[int]

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class SendResult:
    signature: Signature
    slot: int
    logs: tuple[str, ...]
    units_consumed: int
    events: list[DecodedEvent]
    program_compute_units: list[int]


class DatClient:
    """The asdf_dat program over one transport, signing with `payer` (admin or keeper)."""

    def __init__(
        self,
        transport: Transport,
        payer: Keypair,
        *,
        program_id: Pubkey = ASDF_DAT_PROGRAM_ID,
        priority_fee: bool = True,
    ) -> None:
        self.transport = transport
        self.payer = payer
        self.program_id = program_id
        self.priority_fee = priority_fee

    @property
    def pubkey(self) -> Pubkey:
        return self.payer.pubkey()

    # ------------------------------------------------------------------ reads

    async def state(self) -> DatState:
        return await fetch_dat_state(self.transport, program_id=self.program_id)

    async def token_stats(self, mint: Pubkey) -> TokenStats | None:
        return await fetch_token_stats(self.transport, mint, program_id=self.program_id)

    async def all_token_stats(self, mints: Sequence[Pubkey]) -> dict[Pubkey, TokenStats | None]:
        return await fetch_all_token_stats(self.transport, mints, program_id=self.program_id)

    async def root_funds_lamports(self, state: DatState) -> int:
        """What the root may spend besides its pending (`root_funds`: held share + treasury account)."""
        if state.root_mint == Pubkey.default():
            return 0
        return root_funds(state, await self.transport.get_balance(state.root_treasury))

    # ------------------------------------------------------------------ build, simulate, send

    async def build_transaction(
        self,
        instructions: Sequence[Instruction],
        signers: Sequence[Keypair] = (),
        *,
        unit_limit: int | None = None,
        micro_lamports: int = 0,
    ) -> Transaction:
        latest = await self.transport.get_latest_blockhash()
        budget = ix.compute_budget(unit_limit, micro_lamports) if unit_limit is not None else []
        message = Message.new_with_blockhash([*budget, *instructions], self.pubkey, latest.blockhash)
        keypairs = [self.payer, *(s for s in signers if s.pubkey() != self.pubkey)]
        return Transaction(keypairs, message, latest.blockhash)

    async def simulate(self, instructions: Sequence[Instruction], signers: Sequence[Keypair] = ()) -> SimulationOutcome:
        """Simulates with the maximum compute limit; never raises for a program error."""
        tx = await self.build_transaction(instructions, signers, unit_limit=MAX_COMPUTE_UNITS)
        result = await self.transport.simulate(tx)
        logs = tuple(result.logs)
        return SimulationOutcome(
            error=decode_error(result.err, logs, program_id=self.program_id),
            logs=logs,
            units_consumed=result.units_consumed or 0,
            events=decode_events(logs, program_id=self.program_id),
            program_compute_units=program_compute_units(logs, self.program_id),
        )

    async def send(self, instructions: Sequence[Instruction], signers: Sequence[Keypair] = ()) -> SendResult:
        """Simulate (raising the decoded error), send with a compute limit from the simulation and a
        priority fee from recent fees, confirm, and return the landed transaction's logs."""
        simulated = await self.simulate(instructions, signers)
        if simulated.error is not None:
            raise simulated.error
        consumed = simulated.units_consumed
        unit_limit = min(MAX_COMPUTE_UNITS, consumed + max(consumed * CU_MARGIN_PERCENT // 100, CU_MARGIN_MIN))
        micro_lamports = 0
        if self.priority_fee:
            writable = [m.pubkey for i in instructions for m in i.accounts if m.is_writable]
            micro_lamports = await self.transport.get_priority_fee(list(dict.fromkeys(writable))[:128])
        tx = await self.build_transaction(instructions, signers, unit_limit=unit_limit, micro_lamports=micro_lamports)
        try:
            status = await self.transport.send_and_confirm(tx)
        except TransactionFailedError as failure:
            error = decode_error(failure.err, failure.logs, program_id=self.program_id)
            raise (error or TransactionError(str(failure))) from failure
        logs: tuple[str, ...] = simulated.logs
        units = consumed
        landed = await self.transport.get_transaction(status.signature)
        meta = landed.transaction.meta if landed is not None else None
        if meta is not None and meta.log_messages is not None:
            logs = tuple(meta.log_messages)
            units = meta.compute_units_consumed if meta.compute_units_consumed is not None else units
        return SendResult(
            signature=status.signature,
            slot=status.slot,
            logs=logs,
            units_consumed=units,
            events=decode_events(logs, program_id=self.program_id),
            program_compute_units=program_compute_units(logs, self.program_id),
        )

    # ------------------------------------------------------------------ set-up

    async def initialize(self, keeper: Pubkey | None = None) -> SendResult:
        """The payer must be the program's upgrade authority; it becomes the admin."""
        return await self.send([ix.initialize(self.pubkey, keeper or self.pubkey, program_id=self.program_id)])

    async def register_token(self, mint: Pubkey, *, token_program: Pubkey, pool: Pubkey, pool_type: int) -> SendResult:
        return await self.send(
            [
                ix.register_token(
                    self.pubkey,
                    mint,
                    token_program=token_program,
                    pool=pool,
                    pool_type=pool_type,
                    program_id=self.program_id,
                )
            ]
        )

    async def set_token_pool(self, mint: Pubkey, *, pool: Pubkey, pool_type: int) -> SendResult:
        return await self.send(
            [ix.set_token_pool(self.pubkey, mint, pool=pool, pool_type=pool_type, program_id=self.program_id)]
        )

    async def set_root_token(self, new_root: Pubkey) -> SendResult:
        """Sets the root, passing the current root's accounts when there is one."""
        state = await self.state()
        old = None if state.root_mint == Pubkey.default() else state.root_mint
        return await self.send([ix.set_root_token(self.pubkey, new_root, old_root=old, program_id=self.program_id)])

    async def init_wsol_accounts(self) -> SendResult:
        return await self.send([ix.init_wsol_accounts(self.pubkey, program_id=self.program_id)])

    # ------------------------------------------------------------------ attribution, failures

    async def update_pending_fees(self, reports: Sequence[ix.FeeReport]) -> SendResult:
        """A report without a previous watermark builds on the token's current one."""
        named: list[ix.FeeReport] = []
        for report in reports:
            if report.prev_watermark_slot is None or report.prev_watermark_seq is None:
                stats = await self.token_stats(report.mint)
                slot, seq = (0, 0) if stats is None else (stats.watermark_slot, stats.watermark_seq)
                report = replace(report, prev_watermark_slot=slot, prev_watermark_seq=seq)
            named.append(report)
        return await self.send([ix.update_pending_fees(self.pubkey, named, program_id=self.program_id)])

    async def record_failure(self, error_code: int) -> SendResult:
        return await self.send([ix.record_failure(self.pubkey, error_code, program_id=self.program_id)])

    # ------------------------------------------------------------------ governance

    async def set_keeper(self, new_keeper: Pubkey) -> SendResult:
        return await self.send([ix.set_keeper(self.pubkey, new_keeper, program_id=self.program_id)])

    async def pause(self) -> SendResult:
        return await self.send([ix.pause(self.pubkey, program_id=self.program_id)])

    async def resume(self) -> SendResult:
        return await self.send([ix.resume(self.pubkey, program_id=self.program_id)])

    async def propose_admin(self, new_admin: Pubkey) -> SendResult:
        return await self.send([ix.propose_admin(self.pubkey, new_admin, program_id=self.program_id)])

    async def accept_admin(self, new_admin: Keypair) -> SendResult:
        return await self.send([ix.accept_admin(new_admin.pubkey(), program_id=self.program_id)], [new_admin])

    async def cancel_admin_transfer(self) -> SendResult:
        return await self.send([ix.cancel_admin_transfer(self.pubkey, program_id=self.program_id)])

    async def propose_fee_split(self, new_bps: int) -> SendResult:
        return await self.send([ix.propose_fee_split(self.pubkey, new_bps, program_id=self.program_id)])

    async def execute_fee_split(self) -> SendResult:
        return await self.send([ix.execute_fee_split(self.pubkey, program_id=self.program_id)])

    async def cancel_fee_split(self) -> SendResult:
        return await self.send([ix.cancel_fee_split(self.pubkey, program_id=self.program_id)])

    async def update_parameters(self, params: ix.DatParameters) -> SendResult:
        return await self.send([ix.update_parameters(self.pubkey, params, program_id=self.program_id)])

    # ------------------------------------------------------------------ price references

    async def record_price_references(
        self, mints: Sequence[Pubkey], *, only_if_needed: bool = False
    ) -> PriceReferences | None:
        """Records the price reference of each registered token of `mints` (the bound of every
        cycle's minimum out, which must come from an earlier slot) and waits for the next slot.
        `only_if_needed`: skip tokens whose reference a cycle in the next slots can still use."""
        stats = [s for s in (await self.all_token_stats(mints)).values() if s is not None]
        if only_if_needed:
            slot = await self.transport.get_slot()
            stats = [s for s in stats if needs_reference(s, slot)]
        return await record_price_references(self.transport, self.payer, stats, program_id=self.program_id)
