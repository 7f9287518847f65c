"""Builds, simulates and sends the cycle transactions.

* Several tokens per transaction, as few transactions as the runtime's limits allow (packet size
  1232 bytes, instruction trace 64 entries CPIs included, 1.4M CU: `pack_transactions`);
  compute-unit limit from simulation (+ margin), priority fee from the transport (p75 of recent
  fees).
* Dry run: every planned transaction is simulated (exact CU and outcome), nothing is sent.
* Live: one transaction at a time, re-reading the chain and re-planning after each one (the
  root's quote then sees the treasury its secondaries filled). A transaction that fails in a
  cycle instruction (the program's logic, or the venue it calls) is recorded on-chain with
  `record_failure(code)`; 5 consecutive failures pause the system. A failure the operator did
  not cause (RPC error, expired blockhash, a transaction-level refusal) is retried on a fresh
  blockhash and never recorded: it must not pause the DAT.
"""

from __future__ import annotations

import struct
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from solders.address_lookup_table_account import AddressLookupTableAccount
from solders.hash import Hash
from solders.instruction import Instruction
from solders.keypair import Keypair
from solders.message import Message
from solders.pubkey import Pubkey
from solders.system_program import TransferParams, transfer
from solders.transaction import Transaction, VersionedTransaction
from solders.transaction_status import TransactionErrorType

from asdf_dat.config.ecosystem import Ecosystem, TokenConfig, is_amm
from asdf_dat.dat import instructions as dix
from asdf_dat.dat.accounts import DatState, TokenStats, fetch_all_token_stats, fetch_dat_state
from asdf_dat.dat.client import CLOCK_SYSVAR, CU_MARGIN_MIN, CU_MARGIN_PERCENT, MAX_COMPUTE_UNITS
from asdf_dat.dat.cycle import (
    ATTRIBUTION_FEE_SHARING,
    CyclePlan,
    CycleState,
    TokenInput,
    TokenPlan,
    cycle_state,
    dat_params,
    plan_cycle,
    root_funds,
    treasury_balance,
)
from asdf_dat.dat.errors import StalePriceReference, custom_error_code, error_for_code, instruction_error
from asdf_dat.dat.math import CREATOR_FEE_BPS_FOR_VOLUME, RENT_EXEMPT_ZERO_DATA
from asdf_dat.dat.pdas import authority_address, fee_vault_address
from asdf_dat.dat.price_reference import (
    PriceReferences,
    needs_reference,
    price_reference_fee,
    record_price_references,
)
from asdf_dat.dat.quote import CurveVenue, read_venue
from asdf_dat.network.protocol import Transport
from asdf_dat.network.results import ConfirmationTimeoutError, TransactionFailedError, TransportError
from asdf_dat.orchestrator.failure_memo import FailureDetail, failure_memo
from asdf_dat.orchestrator.lookup import build_v0, ensure_table, load_table, table_addresses, v0_size
from asdf_dat.pump import addresses as paddr
from asdf_dat.pump import instructions as pix
from asdf_dat.pump.layouts import Global, GlobalConfig
from asdf_dat.pump.tokens import create_ata_idempotent, token_amount

PACKET_DATA_SIZE = 1232
COLLECT_UNITS = 30_000
"""pump `collect_creator_fee` (a lamport transfer and an event CPI)."""
MAX_EXTERNAL_RETRIES = 3
"""Sends retried per run after failures the operator did not cause (RPC, expired blockhash)."""
RECORD_FAILURE_UNIT_LIMIT = 300_000
"""`record_failure` and its memo: Memo v3 costs about 350 CU per byte (its log line), so a
worst-case memo (16 tokens, a 200-character error, a signature: ~500 bytes) needs ~195,000 CU; sent
without a priority fee, the limit costs nothing."""
MAX_INSTRUCTION_TRACE = 64
"""The runtime's instruction trace limit per transaction: every top-level instruction and every CPI."""
COMPUTE_BUDGET_TRACE = 2
"""SetComputeUnitLimit + SetComputeUnitPrice."""
CYCLE_TRACE = {dix.POOL_BONDING_CURVE: 8, dix.POOL_AMM: 10}
"""Trace entries of one cycle instruction with its CPIs, the shared vault's collect excepted: the
instruction, the venue's buy with its CPIs (6), the burn; PumpSwap also counts the WSOL wrap (a
transfer and `sync_native`) it makes when its WSOL falls short. The root's share is accounting,
not a transfer. A fee-sharing token adds its fee account's sweep (1)."""
UNWRAP_TRACE = 7
"""A curve cycle whose SOL falls short of its budget unwraps WSOL (scratch created, by up to 3
System calls when the operator advances its rent, initialized, credited, closed, the rent
refunded). Counted for a curve root: its held share may come from PumpSwap secondaries as WSOL."""
COLLECT_TRACE = 3
"""The shared creator vault's collect (pump / PumpSwap, its transfer and its event CPI): the
program collects each venue's vault once per transaction (the first cycle of the venue)."""
CYCLE_COMPUTE_UNITS = {dix.POOL_BONDING_CURVE: 60_000, dix.POOL_AMM: 120_000}
"""CU of one cycle instruction, upper estimate (measured ≈48k curve, ≈94k PumpSwap) for packing;
the transaction's limit still comes from its simulation."""
SIMULATION_COMPUTE_UNITS = 1_400_000
SIGNATURE_FEE_LAMPORTS = 5_000
_CLOCK_UNIX_TIMESTAMP_OFFSET = 32


# ---------------------------------------------------------------- chain snapshot


@dataclass(frozen=True)
class Snapshot:
    """What a plan is made of: the DAT state, each config's stats (None: not registered), the clock."""

    state: DatState
    stats: tuple[TokenStats | None, ...]
    configs: tuple[TokenConfig, ...]
    now: int
    curve_creator_fee_bps: int = CREATOR_FEE_BPS_FOR_VOLUME
    amm_creator_fee_bps: int = 5
    root_funds_lamports: int = 0
    """What the root may spend besides its pending (`root_funds`: held share + treasury account)."""
    fee_vault_lamports: tuple[int, ...] = ()
    """Per config: a fee-sharing token's fee-account balance above rent (0 in keeper mode)."""

    def cycle_state(self) -> CycleState:
        return cycle_state(self.state, self.root_funds_lamports)

    def token_inputs(self) -> list[TokenInput]:
        out = []
        incoming = self.fee_vault_lamports or (0,) * len(self.configs)
        for config, stats, fee_vault in zip(self.configs, self.stats, incoming, strict=True):
            out.append(
                TokenInput(
                    mint=str(config.mint),
                    symbol=config.symbol,
                    is_root=stats.is_root if stats is not None else config.is_root,
                    pending_fees=0 if stats is None else stats.pending_fees,
                    last_cycle_id=0 if stats is None else stats.last_cycle_id,
                    registered=stats is not None,
                    creator_fee_bps=self.amm_creator_fee_bps if is_amm(config) else self.curve_creator_fee_bps,
                    incoming_fees=fee_vault,
                    fee_sharing=stats is not None and stats.attribution == ATTRIBUTION_FEE_SHARING,
                )
            )
        return out

    def plan(self, exclude: frozenset[str] = frozenset()) -> CyclePlan:
        tokens = [t for t in self.token_inputs() if t.mint not in exclude]
        return plan_cycle(dat_params(self.state), self.cycle_state(), tokens, self.now)

    def stats_of(self, mint: str) -> TokenStats | None:
        for config, stats in zip(self.configs, self.stats, strict=True):
            if str(config.mint) == mint:
                return stats
        return None


async def chain_time(transport: Transport) -> int:
    """The cluster's unix time (Clock sysvar), or the local clock if it cannot be read."""
    account = await transport.get_account(CLOCK_SYSVAR)
    if account is not None and len(account.data) >= _CLOCK_UNIX_TIMESTAMP_OFFSET + 8:
        return int(struct.unpack_from("<q", bytes(account.data), _CLOCK_UNIX_TIMESTAMP_OFFSET)[0])
    return int(time.time())


async def read_snapshot(transport: Transport, ecosystem: Ecosystem) -> Snapshot:
    state = await fetch_dat_state(transport)
    configs = tuple(ecosystem.tokens)
    by_mint = await fetch_all_token_stats(transport, [c.mint for c in configs])
    stats = [by_mint[c.mint] for c in configs]
    now = await chain_time(transport)
    sharing = [s.mint for s in stats if s is not None and s.attribution == ATTRIBUTION_FEE_SHARING]
    glob, config, treasury, *vaults = await transport.get_accounts(
        [paddr.pump_global(), paddr.amm_global_config(), state.root_treasury, *(fee_vault_address(m) for m in sharing)]
    )
    vault_by_mint = {
        m: treasury_balance(v.lamports if v is not None else 0) for m, v in zip(sharing, vaults, strict=True)
    }
    curve_bps = (
        Global.decode(bytes(glob.data)).creator_fee_basis_points if glob is not None else CREATOR_FEE_BPS_FOR_VOLUME
    )
    amm_bps = GlobalConfig.decode(bytes(config.data)).coin_creator_fee_basis_points if config is not None else 5
    return Snapshot(
        state=state,
        stats=tuple(stats),
        configs=configs,
        now=now,
        curve_creator_fee_bps=curve_bps,
        amm_creator_fee_bps=amm_bps,
        root_funds_lamports=root_funds(state, treasury.lamports if treasury is not None else 0),
        fee_vault_lamports=tuple(vault_by_mint.get(c.mint, 0) for c in configs),
    )


# ---------------------------------------------------------------- instructions with quotes


@dataclass(frozen=True)
class TokenInstruction:
    plan: TokenPlan
    instruction: Instruction
    quoted_tokens_out: int
    pool_type: int = dix.POOL_AMM
    """Venue of the instruction: sets its trace entries and CU estimate for packing."""
    fee_sharing: bool = False

    @property
    def trace_entries(self) -> int:
        """Without the venue's collect, which `pack_transactions` counts once per transaction."""
        unwrap = UNWRAP_TRACE if self.plan.token.is_root and self.pool_type == dix.POOL_BONDING_CURVE else 0
        return CYCLE_TRACE.get(self.pool_type, max(CYCLE_TRACE.values())) + (1 if self.fee_sharing else 0) + unwrap

    @property
    def compute_units(self) -> int:
        return CYCLE_COMPUTE_UNITS.get(self.pool_type, max(CYCLE_COMPUTE_UNITS.values()))


async def build_token_instruction(
    transport: Transport, operator: Pubkey, snapshot: Snapshot, plan: TokenPlan
) -> TokenInstruction:
    """The cycle instruction of one planned token, with the fee-aware quote of its budget."""
    stats = snapshot.stats_of(plan.token.mint)
    if stats is None:
        raise ValueError(f"{plan.token.symbol} is not registered")
    root_mint = snapshot.state.root_mint
    venue = await read_venue(
        transport,
        stats.mint,
        stats.pool,
        amm=stats.pool_type != dix.POOL_BONDING_CURVE,
        token_program=stats.token_program,
    )
    quoted = venue.quote(plan.budget)
    if isinstance(venue, CurveVenue):
        ix = dix.execute_cycle_bc(
            operator,
            stats.mint,
            token_program=stats.token_program,
            root_mint=root_mint,
            fee_recipient=venue.glob.fee_recipient,
            quoted_tokens_out=quoted,
            fee_sharing=stats.attribution == ATTRIBUTION_FEE_SHARING,
        )
    else:
        ix = dix.execute_cycle_amm(
            operator,
            stats.mint,
            token_program=stats.token_program,
            pool=stats.pool,
            root_mint=root_mint,
            protocol_fee_recipient=venue.config.protocol_fee_recipients[0],
            quoted_tokens_out=quoted,
            fee_sharing=stats.attribution == ATTRIBUTION_FEE_SHARING,
        )
    return TokenInstruction(plan, ix, quoted, stats.pool_type, stats.attribution == ATTRIBUTION_FEE_SHARING)


async def build_token_instructions(
    transport: Transport, operator: Pubkey, snapshot: Snapshot, plans: Sequence[TokenPlan]
) -> list[TokenInstruction]:
    """`build_token_instruction` for each of `plans`, in order."""
    return [await build_token_instruction(transport, operator, snapshot, plan) for plan in plans]


async def token_instructions(transport: Transport, operator: Pubkey, ecosystem: Ecosystem) -> list[TokenInstruction]:
    """Plan `ecosystem` on the chain as it is now and build the instruction of every token the
    plan executes (secondaries first, then the root): what a cycle's transactions are packed from."""
    snapshot = await read_snapshot(transport, ecosystem)
    return await build_token_instructions(transport, operator, snapshot, snapshot.plan().executing)


# ---------------------------------------------------------------- batching


def build_transaction(
    payer: Keypair,
    instructions: Sequence[Instruction],
    blockhash: Hash,
    unit_limit: int,
    micro_lamports: int,
    extra_signers: Sequence[Keypair] = (),
) -> Transaction:
    budget = dix.compute_budget(unit_limit, micro_lamports)
    message = Message.new_with_blockhash([*budget, *instructions], payer.pubkey(), blockhash)
    return Transaction([payer, *extra_signers], message, blockhash)


def build_cycle_transaction(
    payer: Keypair,
    instructions: Sequence[Instruction],
    blockhash: Hash,
    unit_limit: int,
    micro_lamports: int,
    table: AddressLookupTableAccount | None,
) -> Transaction | VersionedTransaction:
    """Legacy without a lookup table, v0 with one."""
    if table is None:
        return build_transaction(payer, instructions, blockhash, unit_limit, micro_lamports)
    return build_v0(payer, [*dix.compute_budget(unit_limit, micro_lamports), *instructions], blockhash, table)


def transaction_size(
    payer: Pubkey,
    instructions: Sequence[Instruction],
    micro_lamports: int,
    table: AddressLookupTableAccount | None = None,
) -> int:
    budget = dix.compute_budget(MAX_COMPUTE_UNITS, micro_lamports)
    if table is not None:
        return v0_size(payer, [*budget, *instructions], table)
    message = Message.new_with_blockhash([*budget, *instructions], payer, Hash.default())
    return len(bytes(Transaction.new_unsigned(message)))


def pack_transactions(
    payer: Pubkey,
    items: Sequence[TokenInstruction],
    micro_lamports: int,
    table: AddressLookupTableAccount | None = None,
) -> list[list[TokenInstruction]]:
    """Greedy, order-preserving: as many tokens per transaction as the runtime accepts, i.e.
    within the packet size (1,232 bytes), the instruction trace (64 entries, compute-budget
    instructions and every CPI included) and the compute limit (1.4M CU, with the margin)."""
    batches: list[list[TokenInstruction]] = []
    current: list[TokenInstruction] = []
    for item in items:
        candidate = [*current, item]
        fits = (
            batch_trace(candidate) <= MAX_INSTRUCTION_TRACE
            and with_margin(sum(i.compute_units for i in candidate)) <= MAX_COMPUTE_UNITS
            and transaction_size(payer, [i.instruction for i in candidate], micro_lamports, table) <= PACKET_DATA_SIZE
        )
        if current and not fits:
            batches.append(current)
            current = [item]
        else:
            current = candidate
    if current:
        batches.append(current)
    return batches


def batch_trace(batch: Sequence[TokenInstruction]) -> int:
    """Instruction-trace entries of one cycle transaction: the compute-budget instructions,
    every token's, and one collect per venue."""
    venues = {i.pool_type for i in batch}
    return COMPUTE_BUDGET_TRACE + sum(i.trace_entries for i in batch) + COLLECT_TRACE * len(venues)


def with_margin(consumed: int) -> int:
    """CU plus the margin the unit limit adds (10 %, at least 5,000)."""
    return consumed + max(consumed * CU_MARGIN_PERCENT // 100, CU_MARGIN_MIN)


def unit_limit_for(consumed: int) -> int:
    return min(MAX_COMPUTE_UNITS, with_margin(consumed))


def transaction_fee(signatures: int, unit_limit: int, micro_lamports: int) -> int:
    return signatures * SIGNATURE_FEE_LAMPORTS + -(-unit_limit * micro_lamports // 1_000_000)


_STALE_PRICE_REFERENCE = StalePriceReference.code


def error_code(err: TransactionErrorType | None) -> int:
    """The custom error code of the failed instruction (0 if it is not one): what
    `record_failure` records."""
    return custom_error_code(err) or 0


def is_cycle_failure(err: TransactionErrorType | None) -> bool:
    """True when an instruction of the transaction failed (our cycle logic, or the venue it
    called); False for transaction-level errors (BlockhashNotFound, fee payer, account in use)
    and for a price reference overwritten by anyone in the cycle's slot (`StalePriceReference`:
    a precondition anyone can disturb, retried, never counted toward the auto-pause)."""
    index, code = instruction_error(err)
    return index is not None and code != _STALE_PRICE_REFERENCE


def describe_error(err: TransactionErrorType | None) -> str:
    code = error_code(err)
    error = error_for_code(code) if code else None
    name = error.name if error is not None else None
    return f"{name} ({code})" if name else str(err)


# ---------------------------------------------------------------- results


@dataclass
class BatchResult:
    symbols: list[str]
    mints: list[str]
    compute_units: int | None
    unit_limit: int
    fee_lamports: int
    ok: bool
    signature: str | None = None
    error: str | None = None
    logs: tuple[str, ...] = ()
    failure_recorded: str | None = None
    error_code: int = 0
    outcome_unknown: bool = False
    external: bool = False
    """Not a failure of a cycle instruction (RPC/transport error, expired blockhash,
    transaction-level refusal): retried, never recorded with `record_failure`."""
    quoted_tokens_out: list[int] = field(default_factory=list)
    """Per token (as `mints`): the quote its instruction carries."""
    pool_types: list[int] = field(default_factory=list)
    """Per token (as `mints`): the venue of its instruction (`execute_cycle_bc` / `_amm`)."""
    lookup_table: bool = False
    """Built as a v0 transaction over the operator's address lookup table."""


@dataclass
class TokenOutcome:
    symbol: str
    mint: str
    is_root: bool
    allocation: int
    sent_to_root: int
    sol_spent: int
    tokens_burned: int
    ok: bool
    error: str | None = None


@dataclass
class CycleRun:
    plan: CyclePlan
    batches: list[BatchResult] = field(default_factory=list)
    outcomes: list[TokenOutcome] = field(default_factory=list)
    priority_fee_micro_lamports: int = 0
    note: str | None = None
    note_extra: list[str] = field(default_factory=list)
    table: AddressLookupTableAccount | None = None
    # Set when another cycle (another operator or working directory) ran after this run read the
    # chain and took what it had planned: the plan is out of date, and that is the reason.
    lost_race: str | None = None
    price_references: PriceReferences | None = None
    """The `record_price_reference` transaction(s) this run sent before its cycles."""
    price_reference_fee: int = 0
    """What recording the planned tokens' references costs (a dry run: what the live run pays)."""

    @property
    def failed(self) -> bool:
        return any(not b.ok for b in self.batches)

    @property
    def processed(self) -> int:
        return sum(1 for o in self.outcomes if o.ok)

    @property
    def total_fee(self) -> int:
        return sum(b.fee_lamports for b in self.batches) + self.price_reference_fee


Progress = Callable[[str], None]


def _noop(_: str) -> None:
    return None


# ---------------------------------------------------------------- dry run


async def dry_run(
    transport: Transport,
    payer: Keypair,
    ecosystem: Ecosystem,
    progress: Progress = _noop,
    *,
    table_path: Path | None = None,
) -> CycleRun:
    """Plan and simulate every transaction; nothing is sent (an existing lookup table is used
    as it is; a missing one is not created)."""
    snapshot = await read_snapshot(transport, ecosystem)
    plan = snapshot.plan()
    run = CycleRun(plan=plan)
    if not plan.executing:
        return run
    items = await build_token_instructions(transport, payer.pubkey(), snapshot, plan.executing)
    writable = _writable(items)
    run.priority_fee_micro_lamports = await transport.get_priority_fee(writable)
    # Every cycle's minimum out is bounded by a price reference from an earlier slot: the one
    # write of a dry run records the references a simulation cannot do without.
    planned = _planned_stats(snapshot, plan)
    run.price_reference_fee = price_reference_fee(len(planned), run.priority_fee_micro_lamports)
    slot = await transport.get_slot()
    # Paused: every cycle fails with DATNotActive anyway, and a paused DAT sends nothing.
    missing = [] if plan.paused else [s for s in planned if needs_reference(s, slot)]
    if missing:
        progress(f"recording the price reference of {len(missing)} token(s)")
        try:
            run.price_references = await record_price_references(transport, payer, missing)
        except (TransportError, TimeoutError) as exc:
            run.note_extra.append(f"price references could not be recorded ({exc}): the simulations lack them")
    table = await load_table(transport, table_path) if table_path is not None else None
    run.table = table
    batches = pack_transactions(payer.pubkey(), items, run.priority_fee_micro_lamports, table)
    if len(batches) > 1 and table is None and table_path is not None:
        run.note_extra.append(
            "no address lookup table yet: the live run creates one and packs more tokens per transaction"
        )
    if len(batches) > 1:
        run.note = (
            f"{len(batches)} transactions: each is simulated against the current state, so a later "
            "transaction does not see the root-treasury share of an earlier one"
        )
    for index, batch in enumerate(batches, 1):
        progress(f"simulating transaction {index}/{len(batches)} ({', '.join(i.plan.token.symbol for i in batch)})")
        if index > 1:
            batch = await _requote_standalone(transport, payer.pubkey(), snapshot, batch)
        run.batches.append(await _simulate_batch(transport, payer, batch, run.priority_fee_micro_lamports, table))
    return run


async def _requote_standalone(
    transport: Transport, operator: Pubkey, snapshot: Snapshot, batch: Sequence[TokenInstruction]
) -> list[TokenInstruction]:
    """A later transaction is simulated on today's state, without the earlier ones' effects:
    quote it for the budget that state gives (the CU is the same code path)."""
    mints = {i.plan.token.mint for i in batch}
    alone = [t for t in snapshot.token_inputs() if t.mint in mints]
    plan = plan_cycle(dat_params(snapshot.state), snapshot.cycle_state(), alone, snapshot.now)
    by_mint = {t.token.mint: t for t in plan.tokens}
    out: list[TokenInstruction] = []
    for item in batch:
        standalone = by_mint[item.plan.token.mint]
        if standalone.will_process:
            item = await build_token_instruction(transport, operator, snapshot, standalone)
        out.append(item)
    return out


async def _simulate_batch(
    transport: Transport,
    payer: Keypair,
    batch: Sequence[TokenInstruction],
    micro_lamports: int,
    table: AddressLookupTableAccount | None = None,
) -> BatchResult:
    latest = await transport.get_latest_blockhash()
    tx = build_cycle_transaction(
        payer, [i.instruction for i in batch], latest.blockhash, SIMULATION_COMPUTE_UNITS, micro_lamports, table
    )
    sim = await transport.simulate(tx)
    consumed = sim.units_consumed or 0
    limit = unit_limit_for(consumed)
    return BatchResult(
        symbols=[i.plan.token.symbol for i in batch],
        mints=[i.plan.token.mint for i in batch],
        compute_units=sim.units_consumed,
        unit_limit=limit,
        fee_lamports=transaction_fee(1, limit, micro_lamports),
        ok=sim.ok,
        error=None if sim.ok else describe_error(sim.err),
        logs=sim.logs,
        error_code=0 if sim.ok else error_code(sim.err),
        external=not sim.ok and not is_cycle_failure(sim.err),
        quoted_tokens_out=[i.quoted_tokens_out for i in batch],
        pool_types=[i.pool_type for i in batch],
        lookup_table=table is not None,
    )


def _writable(items: Sequence[TokenInstruction]) -> list[Pubkey]:
    seen: dict[Pubkey, None] = {}
    for item in items:
        for meta in item.instruction.accounts:
            if meta.is_writable:
                seen[meta.pubkey] = None
    return list(seen)[:128]


# ---------------------------------------------------------------- live


async def execute(
    transport: Transport,
    payer: Keypair,
    ecosystem: Ecosystem,
    progress: Progress = _noop,
    *,
    max_transactions: int = 32,
    record_failures: bool = True,
    table_path: Path | None = None,
) -> CycleRun:
    """Run the cycle: one transaction at a time, re-planning from the chain after each.
    Fee-sharing tokens' creator fees waiting in their config vaults are swept into their fee
    accounts first (permissionless `distribute_creator_fees_v2`), so the plan sees them."""
    swept = await sweep_fee_sharing(transport, payer, ecosystem)
    if swept:
        progress(f"swept creator fees of {swept} fee-sharing token(s) into their fee accounts")
    first = await read_snapshot(transport, ecosystem)
    run = CycleRun(plan=first.plan())
    if run.plan.paused:
        run.note = "DAT is paused (DATNotActive): nothing sent; fix the cause, then resume"
        return run
    collected = await collect_curve_vault_for_amm(transport, payer, first, run.plan)
    if collected:
        progress(f"collected {collected} lamports of curve-era creator fees for the planned PumpSwap keeper token(s)")
        first = await read_snapshot(transport, ecosystem)
        run.plan = first.plan()
    planned = _planned_stats(first, run.plan)
    if planned:
        progress(f"recording the price reference of {len(planned)} token(s), then waiting for the next slot")
        micro = await transport.get_priority_fee([s.pool for s in planned])
        for attempt in range(MAX_EXTERNAL_RETRIES + 1):
            try:
                run.price_references = await record_price_references(transport, payer, planned, micro_lamports=micro)
                break
            except (TransportError, TimeoutError) as exc:
                # Not the cycle's failure (nothing recorded on-chain): retried, then the next run.
                if attempt == MAX_EXTERNAL_RETRIES:
                    run.note = f"price references could not be recorded ({exc}): no cycle sent"
                    return run
                progress(f"price references not recorded ({exc}); retrying ({attempt + 1}/{MAX_EXTERNAL_RETRIES})")
        run.price_reference_fee = run.price_references.fee_lamports if run.price_references else 0
    before = {str(c.mint): s for c, s in zip(first.configs, first.stats, strict=True)}
    excluded: set[str] = set()
    single: set[str] = set()
    attempted: set[str] = set()
    # Re-read: the references just recorded are part of the stats.
    snapshot = await read_snapshot(transport, ecosystem) if run.price_references is not None else first
    table: AddressLookupTableAccount | None = None
    external_retries = 0
    for _ in range(max_transactions):
        plan = snapshot.plan(frozenset(excluded))
        todo = list(plan.executing)
        if not todo:
            break
        items = await build_token_instructions(transport, payer.pubkey(), snapshot, todo)
        micro = await transport.get_priority_fee(_writable(items))
        run.priority_fee_micro_lamports = micro
        if table_path is not None and len(pack_transactions(payer.pubkey(), items, micro, table)) > 1:
            progress("preparing the address lookup table")
            budget_ixs = dix.compute_budget(MAX_COMPUTE_UNITS, max(micro, 1))
            table = await ensure_table(
                transport, payer, table_addresses([*budget_ixs, *(i.instruction for i in items)]), table_path
            )
            run.table = table
        singles = [i for i in items if i.plan.token.mint in single]
        batch = singles[:1] if singles else pack_transactions(payer.pubkey(), items, micro, table)[0]
        symbols = ", ".join(i.plan.token.symbol for i in batch)
        # A token the first plan did not hold, or a run longer than a reference lives.
        slot = await transport.get_slot()
        stale = [
            s for i in batch if (s := snapshot.stats_of(i.plan.token.mint)) is not None and needs_reference(s, slot, 2)
        ]
        if stale:
            try:
                late = await record_price_references(transport, payer, stale, micro_lamports=micro)
            except (TransportError, TimeoutError) as exc:
                run.note = f"price references could not be recorded ({exc}): cycle stopped"
                break
            run.price_reference_fee += late.fee_lamports if late is not None else 0
            snapshot = await read_snapshot(transport, ecosystem)
        progress(f"transaction {len(run.batches) + 1}: {symbols}")
        result = await _send_batch(transport, payer, batch, micro, table)
        mints = [i.plan.token.mint for i in batch]
        attempted.update(mints)
        if not result.ok and result.external and external_retries < MAX_EXTERNAL_RETRIES:
            # Not the cycle's fault: re-plan on a fresh state and blockhash, send again.
            external_retries += 1
            progress(f"transaction not landed ({result.error}); retrying ({external_retries}/{MAX_EXTERNAL_RETRIES})")
            snapshot = await read_snapshot(transport, ecosystem)
            continue
        if not result.ok and len(batch) > 1 and result.signature is None:
            # Refused before landing: find the culprit token by token.
            single.update(mints)
            progress(f"transaction refused ({result.error}); retrying its tokens one by one")
            snapshot = await read_snapshot(transport, ecosystem)
            continue
        if not result.ok:
            excluded.update(mints)
            if record_failures and not result.outcome_unknown and not result.external:
                result.failure_recorded = await _record_failure(transport, payer, result)
                progress(f"failure recorded on-chain: {result.failure_recorded}")
        run.batches.append(result)
        snapshot = await read_snapshot(transport, ecosystem)
    run.outcomes = _outcomes(run, before, snapshot, attempted, excluded)
    if snapshot.state.cycle_id != first.state.cycle_id and not any(b.ok for b in run.batches):
        run.lost_race = (
            f"another cycle ran meanwhile (cycle #{snapshot.state.cycle_id}, opened at unix time "
            f"{snapshot.state.cycle_started_at}) and took the fees this run had planned: it lost the race; "
            "nothing of this run landed. The next cycle is possible once that one's interval has passed."
        )
    return run


def _planned_stats(snapshot: Snapshot, plan: CyclePlan) -> list[TokenStats]:
    """The on-chain stats of the tokens `plan` executes (their price references get recorded)."""
    out: list[TokenStats] = []
    for t in plan.executing:
        stats = snapshot.stats_of(t.token.mint)
        if stats is not None:
            out.append(stats)
    return out


async def collect_curve_vault_for_amm(transport: Transport, payer: Keypair, snapshot: Snapshot, plan: CyclePlan) -> int:
    """A graduated keeper token's curve-era fees wait in the DAT's shared pump creator vault,
    which only a curve cycle collects: when a keeper PumpSwap token is planned, pump's
    permissionless `collect_creator_fee` moves that vault's lamports above rent to the DAT
    authority first, in its own transaction (the program counts the authority's real balance,
    so they fund any cycle). Returns the lamports collected (0: nothing to do)."""
    keeper_amm = [
        s
        for s in _planned_stats(snapshot, plan)
        if s.pool_type == dix.POOL_AMM and s.attribution != ATTRIBUTION_FEE_SHARING
    ]
    if not keeper_amm:
        return 0
    authority = authority_address()
    (vault,) = await transport.get_accounts([paddr.creator_vault(authority)])
    waiting = 0 if vault is None else vault.lamports - RENT_EXEMPT_ZERO_DATA
    if waiting <= 0:
        return 0
    latest = await transport.get_latest_blockhash()
    tx = build_transaction(payer, [pix.collect_creator_fee(authority)], latest.blockhash, COLLECT_UNITS, 0)
    await transport.send_and_confirm(tx, last_valid_block_height=latest.last_valid_block_height)
    return waiting


async def sweep_fee_sharing(transport: Transport, payer: Keypair, ecosystem: Ecosystem) -> int:
    """One transaction sweeping every fee-sharing token's waiting creator fees into its fee
    account (they can go nowhere else): a graduated token's PumpSwap config vault (WSOL) first
    moves into pump's config vault (`transfer_creator_fees_to_pump_v2`), then pump
    `distribute_creator_fees_v2` pays the fee account. Both are permissionless. Returns how
    many tokens were swept."""
    by_mint = await fetch_all_token_stats(transport, [c.mint for c in ecosystem.tokens])
    sharing = [s for s in by_mint.values() if s is not None and s.attribution == ATTRIBUTION_FEE_SHARING]
    if not sharing:
        return 0
    configs = [paddr.sharing_config(s.mint) for s in sharing]
    accounts = await transport.get_accounts(
        [*(paddr.creator_vault(c) for c in configs), *(paddr.coin_creator_vault_ata(c) for c in configs)]
    )
    pump_vaults, amm_vaults = accounts[: len(sharing)], accounts[len(sharing) :]
    ixs: list[Instruction] = []
    swept = 0
    for stats, config, pump_vault, amm_vault in zip(sharing, configs, pump_vaults, amm_vaults, strict=True):
        if amm_vault is None and stats.pool_type == dix.POOL_AMM:
            # A pool nobody traded on yet has no config vault; the cycle reads it (and its buy
            # pays into it): created first, by the payer, as anyone may.
            vault_authority = paddr.coin_creator_vault_authority(config)
            ixs.append(create_ata_idempotent(payer.pubkey(), vault_authority, paddr.WSOL_MINT, paddr.TOKEN_PROGRAM_ID))
        pump_lamports = pump_vault.lamports if pump_vault is not None else 0
        if stats.pool_type == dix.POOL_BONDING_CURVE and pump_lamports < RENT_EXEMPT_ZERO_DATA:
            # A coin nobody traded since it opted in has no config vault: pump would top it up
            # to rent-exempt from the DAT's own buy, over the cycle's budget (BudgetExceeded).
            # Funded first, by the payer, as anyone may; the rent stays in the vault.
            ixs.append(
                transfer(
                    TransferParams(
                        from_pubkey=payer.pubkey(),
                        to_pubkey=paddr.creator_vault(config),
                        lamports=RENT_EXEMPT_ZERO_DATA - pump_lamports,
                    )
                )
            )
        amm_waiting = amm_vault is not None and token_amount(bytes(amm_vault.data)) > 0
        pump_waiting = pump_vault is not None and pump_vault.lamports > RENT_EXEMPT_ZERO_DATA
        if amm_waiting:
            ixs.append(pix.amm_transfer_creator_fees_to_pump_v2(payer=payer.pubkey(), coin_creator=config))
        if amm_waiting or pump_waiting:
            ixs.append(
                pix.distribute_creator_fees_v2(
                    payer=payer.pubkey(), mint=stats.mint, shareholders=[fee_vault_address(stats.mint)]
                )
            )
            swept += 1
    if not ixs:
        return 0
    latest = await transport.get_latest_blockhash()
    tx = build_transaction(payer, ixs, latest.blockhash, 60_000 * len(ixs), 0)
    await transport.send_and_confirm(tx, last_valid_block_height=latest.last_valid_block_height)
    return swept


async def _send_batch(
    transport: Transport,
    payer: Keypair,
    batch: Sequence[TokenInstruction],
    micro_lamports: int,
    table: AddressLookupTableAccount | None = None,
) -> BatchResult:
    simulated = await _simulate_batch(transport, payer, batch, micro_lamports, table)
    if not simulated.ok:
        return simulated
    latest = await transport.get_latest_blockhash()
    tx = build_cycle_transaction(
        payer, [i.instruction for i in batch], latest.blockhash, simulated.unit_limit, micro_lamports, table
    )
    signature = tx.signatures[0]
    try:
        status = await transport.send_and_confirm(tx, last_valid_block_height=latest.last_valid_block_height)
    except TransactionFailedError as failure:
        simulated.ok = False
        simulated.error = describe_error(failure.err)
        simulated.error_code = error_code(failure.err)
        simulated.logs = failure.logs
        simulated.signature = str(signature) if failure.landed else None
        simulated.external = not is_cycle_failure(failure.err)
        return simulated
    except ConfirmationTimeoutError as exc:
        # It may still land: not a failure to record, and its tokens are not retried this run.
        simulated.ok = False
        simulated.outcome_unknown = True
        simulated.error = str(exc)
        simulated.signature = str(signature)
        return simulated
    except TransportError as exc:
        # RPC error or expired blockhash: it did not land (an expired one never can).
        simulated.ok = False
        simulated.error = str(exc)
        simulated.signature = None
        simulated.external = True
        return simulated
    simulated.signature = str(status.signature)
    return simulated


async def _record_failure(transport: Transport, payer: Keypair, result: BatchResult) -> str:
    """`record_failure(code)`: the program's error code (0 when the failure was not the program's),
    with a memo of what failed (orchestrator/failure_memo.py) for `asdf-dat failures`."""
    detail = FailureDetail(
        stage="simulation" if result.signature is None else "transaction",
        signature=result.signature,
        tokens=tuple(result.symbols),
        error=result.error or "",
    )
    latest = await transport.get_latest_blockhash()
    ixs = [dix.record_failure(payer.pubkey(), result.error_code), failure_memo(detail)]
    tx = build_transaction(payer, ixs, latest.blockhash, RECORD_FAILURE_UNIT_LIMIT, 0)
    try:
        status = await transport.send_and_confirm(tx, last_valid_block_height=latest.last_valid_block_height)
    except TransportError as exc:
        return f"record_failure could not be sent: {exc}"
    return str(status.signature)


def _outcomes(
    run: CycleRun,
    before: dict[str, TokenStats | None],
    after: Snapshot,
    attempted: set[str],
    failed: set[str],
) -> list[TokenOutcome]:
    errors: dict[str, str] = {}
    for batch in run.batches:
        if not batch.ok:
            for mint in batch.mints:
                errors[mint] = batch.error or "failed"
    out: list[TokenOutcome] = []
    for config, now_stats in zip(after.configs, after.stats, strict=True):
        mint = str(config.mint)
        if mint not in attempted:
            continue
        old = before.get(mint)
        if now_stats is None or old is None:
            continue
        cycles_run = now_stats.cycles - old.cycles
        out.append(
            TokenOutcome(
                symbol=config.symbol,
                mint=mint,
                is_root=now_stats.is_root,
                # A fee-sharing token's fee account joins its pending in the cycle (`cycle::absorb`,
                # counted in total_sol_attributed): part of what the cycle took.
                allocation=(
                    old.pending_fees
                    + (now_stats.total_sol_attributed - old.total_sol_attributed)
                    - now_stats.pending_fees
                )
                + (now_stats.total_received_from_others - old.total_received_from_others),
                sent_to_root=now_stats.total_sent_to_root - old.total_sent_to_root,
                sol_spent=now_stats.total_sol_spent - old.total_sol_spent,
                tokens_burned=now_stats.total_tokens_burned - old.total_tokens_burned,
                ok=mint not in failed and cycles_run > 0,
                error=errors.get(mint) or (None if cycles_run > 0 else "deferred on-chain"),
            )
        )
    return out
