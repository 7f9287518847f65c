"""Compute units of every asdf_dat instruction, and of one full token cycle per venue.

Runs one scripted session on a fresh embedded ecosystem (`build_sandbox`, clock not following
the wall clock, every key seeded: LiteSVM's CU then repeat exactly from run to run). Every
instruction is sent on its own through `DatClient` (simulate, compute limit, send) or, for the
set-up ones, read back from the ledger's records. Figures per
instruction come from the landed transaction's logs (`bench.logs`). At the end, the CPI floor of
every measured cycle (`bench.floor`): the same buy and burn done directly by a wallet.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace

from solders.pubkey import Pubkey
from solders.system_program import TransferParams, transfer

from asdf_dat.dat import instructions as dix
from asdf_dat.dat.client import DatClient, SendResult, program_compute_units
from asdf_dat.dat.events import CycleCompleted, decode_events, events_of_type
from asdf_dat.dat.pdas import authority_address, fee_vault_address, state_address
from asdf_dat.localnet.records import TransactionRecord
from asdf_dat.orchestrator.executor import build_token_instruction, read_snapshot
from asdf_dat.programs import ASDF_DAT_PROGRAM_ID
from asdf_dat.pump import addresses as paddr
from asdf_dat.pump import instructions as pix
from asdf_dat.sandbox import (
    LAMPORTS_PER_SOL,
    Sandbox,
    SandboxToken,
    TokenSpec,
    Trade,
    build_sandbox,
    create_tokens,
    fee_reports,
)
from bench.floor import BuyAndBurn, Venue, measure_floor
from bench.logs import CuBreakdown, breakdown, trace_entries
from bench.packing import PackingRow, TokenCost, packing_rows, token_costs

CURVE_BUY = 3 * LAMPORTS_PER_SOL
AMM_BUY = 20 * LAMPORTS_PER_SOL
KEY_SEED = "bench-cu"
"""Every key of the session (mints, wallets) is derived from it: two runs of the same programs
give the same CU to the unit (PDA bump searches depend on the addresses)."""
SMALL_BUY = LAMPORTS_PER_SOL // 2
"""0.5 SOL: 0.0015 SOL of creator fee, below the 0.006 SOL minimum (the deferred case)."""
TREASURY_GIFT = 5_000_000
"""Lamports sent straight to the root treasury account before `set_root_token` moves it."""


@dataclass(frozen=True)
class InstructionCu:
    instruction: str
    variant: str
    program_cu: int
    """The asdf_dat invocation's `consumed` (its CPIs included)."""
    breakdown: CuBreakdown
    """Own CU per program of the whole instruction (ComputeBudget excluded)."""
    transaction_cu: int
    """The transaction's CU, with its two ComputeBudget instructions (150 each)."""
    trace: int

    @property
    def own(self) -> int:
        return self.breakdown.ours

    @property
    def cpi(self) -> int:
        return self.program_cu - self.breakdown.ours


@dataclass(frozen=True)
class CpiFloor:
    """One measured cycle next to the same buy and burn done directly (`bench.floor`)."""

    cycle: InstructionCu
    floor: CuBreakdown

    @property
    def distance(self) -> int:
        """CU the cycle spends above the floor: our own work and the CPIs it adds."""
        return self.cycle.breakdown.total - self.floor.total


@dataclass
class CuReport:
    instructions: list[InstructionCu] = field(default_factory=list)
    cycles: list[InstructionCu] = field(default_factory=list)
    """The full token cycles: curve secondaries (Token-2022, SPL), curve root, PumpSwap
    secondary in keeper (shared vault) mode, then curve and PumpSwap in fee-sharing mode."""
    floors: list[CpiFloor] = field(default_factory=list)
    """Per cycle, in the same order."""
    packing: list[PackingRow] = field(default_factory=list)
    token_costs: list[TokenCost] = field(default_factory=list)

    def cycle(self, name: str) -> InstructionCu:
        return next(c for c in self.cycles if c.variant == name)

    def find(self, instruction: str, variant: str | None = None) -> InstructionCu:
        return next(
            r for r in self.instructions if r.instruction == instruction and (variant is None or r.variant == variant)
        )


def _discriminator(name: str) -> bytes:
    return hashlib.sha256(f"global:{name}".encode()).digest()[:8]


SETUP_NAMES = ("initialize", "register_token", "init_wsol_accounts", "set_root_token")


def _record_name(record: TransactionRecord) -> str | None:
    message = record.transaction.message
    keys = list(record.account_keys)
    for ix in message.instructions:
        if keys[ix.program_id_index] == ASDF_DAT_PROGRAM_ID:
            data = bytes(ix.data)[:8]
            for name in SETUP_NAMES:
                if data == _discriminator(name):
                    return name
    return None


def _row(instruction: str, variant: str, logs: tuple[str, ...] | list[str], units: int) -> InstructionCu:
    consumed = program_compute_units(list(logs))
    return InstructionCu(
        instruction=instruction,
        variant=variant,
        program_cu=sum(consumed),
        breakdown=breakdown(logs).without_budget(),
        transaction_cu=units,
        trace=trace_entries(list(logs)),
    )


class _Session:
    def __init__(self, eco: Sandbox) -> None:
        self.eco = eco
        self.report = CuReport()
        self.trader = 0
        self.bought: dict[str, tuple[Venue, BuyAndBurn]] = {}
        """Cycle name -> where and what it bought (for its CPI floor)."""

    def add_cycle(self, name: str, row: InstructionCu, sent: SendResult, venue: Venue) -> None:
        """A measured cycle (under `name`) with its buy, from its CycleCompleted event."""
        (done,) = events_of_type(decode_events(sent.logs), CycleCompleted)
        self.report.cycles.append(_rename(row, name))
        self.bought[name] = (venue, BuyAndBurn(done.sol_budget, done.tokens_burned))

    def add(self, instruction: str, variant: str, sent: SendResult) -> InstructionCu:
        row = _row(instruction, variant, sent.logs, sent.units_consumed)
        self.report.instructions.append(row)
        return row

    async def new_token(
        self, symbol: str, *, token_program: Pubkey = paddr.TOKEN_PROGRAM_ID
    ) -> tuple[SandboxToken, SendResult]:
        (token,) = create_tokens(self.eco.pump, [TokenSpec(symbol, symbol, token_program=token_program)])
        sent = await self.eco.client.register_token(
            token.mint, token_program=token.token_program, pool=token.pool, pool_type=token.pool_type_id
        )
        self.eco.tokens.append(token)
        return token, sent

    async def buy(self, token: SandboxToken, lamports: int) -> list[Trade]:
        trader = self.eco.traders[self.trader % len(self.eco.traders)]
        self.trader += 1
        return self.eco.trades(self.eco.buy(token, lamports, trader))

    async def cycle(self, client: DatClient, mint: Pubkey) -> SendResult:
        # Every cycle's minimum out is bounded by a price reference from an earlier slot.
        await client.record_price_references([mint])
        # The executor's one plan-quote-build (a deferred token's instruction too), sent alone:
        # this measures one instruction, not a packed transaction.
        snapshot = await read_snapshot(client.transport, self.eco.ecosystem([self.eco.token(mint)]))
        (plan,) = snapshot.plan().tokens
        built = await build_token_instruction(client.transport, client.pubkey, snapshot, plan)
        return await client.send([built.instruction])

    async def record_reference(self, client: DatClient, mint: Pubkey) -> SendResult:
        stats = await client.token_stats(mint)
        assert stats is not None
        return await client.send([dix.record_price_reference_for(stats)])


async def measure_cu() -> CuReport:
    eco = await build_sandbox(traders=2, follow_wall_clock=False, seed=KEY_SEED)
    session = _Session(eco)
    client = eco.client
    add = session.add

    # ---- set-up, from the ledger (build_sandbox sent them)
    register_variants = iter(["SPL Token, curve (root)", "Token-2022, curve", "SPL Token, PumpSwap pool"])
    for record in reversed(eco.ledger.signatures_for_address(state_address())):
        name = _record_name(record)
        if name is None:
            continue
        variant = {"initialize": "", "init_wsol_accounts": "", "set_root_token": "first root"}.get(name)
        if variant is None:
            variant = next(register_variants)
        session.report.instructions.append(_row(name, variant, record.logs, record.compute_units_consumed))

    base = {t.symbol: t for t in eco.tokens}
    root, t22, amm = base["FROOT"], base["DAT22"], base["DATAMM"]
    spl, _ = await session.new_token("BCSPL")
    small, _ = await session.new_token("SMALL")
    extra = [(await session.new_token(f"EXTRA{i}"))[0] for i in range(5)]
    ten = [root, t22, amm, spl, small, *extra]

    # ---- attribution: 1, 3 and 10 tokens per update_pending_fees
    def amount(token: SandboxToken) -> int:
        if token is small:
            return SMALL_BUY
        return AMM_BUY if token.pool_type == "pumpswap_amm" else CURVE_BUY

    trades = [trade for token in ten for trade in await session.buy(token, amount(token))]
    reports = {r.mint: r for r in fee_reports(trades)}
    add("update_pending_fees", "1 token", await client.update_pending_fees([reports[root.mint]]))
    add("update_pending_fees", "3 tokens", await client.update_pending_fees([reports[t.mint] for t in (t22, amm, spl)]))
    await client.update_pending_fees([reports[t.mint] for t in (small, *extra)])
    trades = [trade for token in ten for trade in await session.buy(token, amount(token))]
    add("update_pending_fees", "10 tokens (the daemon's batch)", await client.update_pending_fees(fee_reports(trades)))

    # ---- the cycle: secondaries, deferred, then the root (which spends the treasury)
    eco.ledger.advance_clock(60)
    def venue(token: SandboxToken) -> Venue:
        return Venue(token.mint, token.token_program, token.pump_creator, token.pool if token.amm else None)

    sent = await session.cycle(client, t22.mint)
    row = add("execute_cycle_bc", "secondary, Token-2022 (collect, split, buy, burn)", sent)
    session.add_cycle("curve secondary (Token-2022)", row, sent, venue(t22))
    sent = await session.cycle(client, spl.mint)
    session.add_cycle("curve secondary (SPL)", add("execute_cycle_bc", "secondary, SPL Token", sent), sent, venue(spl))
    sent = await session.cycle(client, amm.mint)
    row = add("execute_cycle_amm", "secondary, SPL Token (collect, split, buy from the WSOL, burn)", sent)
    session.add_cycle("PumpSwap secondary (SPL)", row, sent, venue(amm))
    add("execute_cycle_bc", "deferred (below the minimum: nothing moves)", await session.cycle(client, small.mint))
    sent = await session.cycle(client, root.mint)
    row = add("execute_cycle_bc", "root, SPL Token, with treasury", sent)
    session.add_cycle("curve root (SPL, + treasury)", row, sent, venue(root))

    add("record_price_reference", "bonding curve (virtual reserves)", await session.record_reference(client, spl.mint))
    add("record_price_reference", "PumpSwap pool (vault balances)", await session.record_reference(client, amm.mint))

    # ---- failures and pause
    add("record_failure", "", await client.record_failure(6000))
    add("pause", "", await client.pause())
    add("resume", "", await client.resume())
    add("set_keeper", "", await client.set_keeper(eco.admin.pubkey()))

    # ---- governance
    state = await client.state()
    params = dix.DatParameters(
        min_fees_per_token=state.min_fees_per_token,
        max_fees_per_cycle=state.max_fees_per_cycle,
        min_allocation_secondary=state.min_allocation_secondary,
        min_allocation_root=state.min_allocation_root,
        slippage_bps=state.slippage_bps,
        min_cycle_interval_secs=state.min_cycle_interval_secs,
        fee_split_timelock_secs=state.fee_split_timelock_secs,
    )
    add("update_parameters", "", await client.update_parameters(params))
    add("propose_fee_split", "", await client.propose_fee_split(state.fee_split_bps + 500))
    eco.ledger.advance_clock(state.fee_split_timelock_secs)
    add("execute_fee_split", "after the timelock", await client.execute_fee_split())
    await client.propose_fee_split(state.fee_split_bps)
    add("cancel_fee_split", "", await client.cancel_fee_split())

    # ---- migration: set_token_pool
    migrating, _ = await session.new_token("MIGR")
    migrated = eco.pump.create_migrated_token(authority_address(), mint=migrating.mint)
    add(
        "set_token_pool",
        "curve -> PumpSwap after migration",
        await client.set_token_pool(migrating.mint, pool=migrated.pool, pool_type=dix.POOL_AMM),
    )

    # ---- a new root while the root holds a secondary's share (in the pool: it stays) and its
    # treasury account holds lamports someone sent there (they move to the new treasury)
    eco.ledger.advance_clock(state.min_cycle_interval_secs)
    trades = await session.buy(t22, CURVE_BUY)
    await client.update_pending_fees(fee_reports(trades))
    await session.cycle(client, t22.mint)
    gift = TransferParams(from_pubkey=client.pubkey, to_pubkey=state.root_treasury, lamports=TREASURY_GIFT)
    await client.send([transfer(gift)])
    add("set_root_token", "moving a funded treasury", await client.set_root_token(spl.mint))

    # ---- fee-sharing mode on the curve: a token switched, traded, its config vault swept, cycled
    (sharing,) = create_tokens(eco.pump, [TokenSpec("FSCURVE", "FSCURVE", fee_sharing=True)])
    await client.register_token(
        sharing.mint, token_program=sharing.token_program, pool=sharing.pool, pool_type=sharing.pool_type_id
    )
    await client.send([dix.enable_fee_sharing(client.pubkey, sharing.mint)])
    eco.tokens.append(sharing)
    await session.buy(sharing, CURVE_BUY)
    sweep = pix.distribute_creator_fees_v2(
        payer=client.pubkey, mint=sharing.mint, shareholders=[fee_vault_address(sharing.mint)]
    )
    await client.send([sweep])
    eco.ledger.advance_clock(state.min_cycle_interval_secs)
    sent = await session.cycle(client, sharing.mint)
    row = add("execute_cycle_bc", "fee-sharing secondary (config check, fee account, split, buy, burn)", sent)
    session.add_cycle("curve fee-sharing secondary (SPL)", row, sent, venue(sharing))

    # ---- fee-sharing mode on PumpSwap: a curve token switched, bought out, migrated, cycled there
    coin = eco.pump.create_token(authority_address())
    await client.register_token(
        coin.mint, token_program=coin.token_program, pool=coin.bonding_curve, pool_type=dix.POOL_BONDING_CURVE
    )
    await client.send([dix.enable_fee_sharing(client.pubkey, coin.mint)])
    coin = replace(coin, creator=paddr.sharing_config(coin.mint))
    buyer = eco.pump.new_trader(sol=200)
    eco.pump.buy(buyer, coin, eco.pump.curve(coin).real_token_reserves)
    graduated, _ = eco.pump.migrate(coin)
    await client.set_token_pool(coin.mint, pool=graduated.pool, pool_type=dix.POOL_AMM)
    base_reserve, _ = eco.pump.pool_reserves(graduated)
    eco.pump.pool_buy(buyer, graduated, base_reserve // 5)
    await client.send(
        [
            pix.amm_transfer_creator_fees_to_pump_v2(payer=client.pubkey, coin_creator=graduated.creator),
            pix.distribute_creator_fees_v2(
                payer=client.pubkey, mint=coin.mint, shareholders=[fee_vault_address(coin.mint)]
            ),
        ]
    )
    eco.tokens.append(
        SandboxToken(
            "FSAMM", "FSAMM", coin.mint, coin.token_program, "pumpswap_amm", graduated.pool,
            authority_address(), False, fee_sharing=True,
        )
    )
    eco.ledger.advance_clock(state.min_cycle_interval_secs)
    sent = await session.cycle(client, coin.mint)
    graduated_case = "fee-sharing secondary, graduated (config check, fee account, split, wrap, buy, burn)"
    row = add("execute_cycle_amm", graduated_case, sent)
    graduated_venue = Venue(coin.mint, coin.token_program, coin.creator, graduated.pool)
    session.add_cycle("PumpSwap fee-sharing secondary (SPL, graduated)", row, sent, graduated_venue)

    # ---- the CPI floor of every measured cycle: the same buy and burn by a wallet, directly
    floor_trader = eco.pump.new_trader(sol=1_000)
    for cycle in session.report.cycles:
        where, bought = session.bought[cycle.variant]
        session.report.floors.append(CpiFloor(cycle, measure_floor(eco, floor_trader, where, bought)))


    # ---- tokens per transaction: the executor's packer on the cycle instructions it would build
    fee_recipient = eco.pump.global_state.fee_recipient
    protocol_fee_recipient = eco.pump.global_config.protocol_fee_recipients[0]
    session.report.packing = packing_rows(client.pubkey, fee_recipient, protocol_fee_recipient)
    session.report.token_costs = token_costs(client.pubkey, fee_recipient, protocol_fee_recipient)

    # ---- two-step admin transfer (last: the admin changes)
    new_admin = eco.pump.new_keypair()
    eco.ledger.airdrop(new_admin.pubkey(), LAMPORTS_PER_SOL)
    add("propose_admin", "", await client.propose_admin(new_admin.pubkey()))
    add("cancel_admin_transfer", "", await client.cancel_admin_transfer())
    await client.propose_admin(new_admin.pubkey())
    add("accept_admin", "", await client.accept_admin(new_admin))
    return session.report


def _rename(row: InstructionCu, variant: str) -> InstructionCu:
    return InstructionCu(row.instruction, variant, row.program_cu, row.breakdown, row.transaction_cu, row.trace)
