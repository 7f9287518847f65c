"""The main job, in-process: what `asdf-dat demo` runs and prints.

1. Create the ecosystem (`asdf_dat.sandbox`): program + pump stand-in, DAT initialized, the
   legacy shared-vault tokens registered (root FROOT, DAT22 on its curve, DATAMM on PumpSwap);
   then `create-token` (`orchestrator.token_creation.create_token_onchain`, the command's own
   code) makes FEE1 (SPL) and FEE22 (Token-2022) in fee-sharing mode, and GRAD in keeper mode.
2. Generate volume: other wallets buy and sell every token. Keeper tokens' creator fees land in
   the DAT's shared vaults; fee-sharing tokens' in their own sharing config's vault.
3. Graduation: a wallet buys GRAD's whole curve, pump migrates it to PumpSwap, and the
   orchestrator's graduation step (`orchestrator.graduate`, the detector the daemon uses too)
   moves it there on-chain (`set_token_pool`) and in its token config file; then it trades there.
4. Attribute keeper fees as the daemon does (sum each token's creator fees from the trades'
   events, `update_pending_fees`, watermarked by the last trade); sweep fee-sharing tokens'
   vaults into their fee accounts (pump's permissionless `distribute_creator_fees_v2`).
5. Dry-run: the operators' `execute-ecosystem-cycle --dry-run` path (`orchestrator.executor.dry_run`):
   plan, quote and build every token's instruction, pack them into transactions, simulate each
   (nothing changes on-chain but the price references the simulations need).
6. Run the cycle with the operators' live path (`orchestrator.executor.execute`): secondaries
   first (each sets 44.8 % aside for the root, held in the pool), then the root (its fees plus that share),
   several tokens per transaction over an address lookup table; every buy burned.
7. Report, from chain state and events: per token its mode (`attribution`), fees, SOL spent,
   sent to root, tokens burned, compute units; and check conservation and burns.

Money per token, from its `TokenStats` (every lamport of fees is accounted to one token):
`fees == solSpent + sentToRoot + pending`, where a root's `solSpent` is the part of its buys
funded by its own fees (its buys also spent `receivedFromOthers`, the secondaries' shares).
"""

from __future__ import annotations

import asyncio
import tempfile
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from solders.pubkey import Pubkey
from solders.signature import Signature

from asdf_dat.config.ecosystem import load_ecosystem_dir, write_token_file
from asdf_dat.dat import instructions as dix
from asdf_dat.dat.accounts import own_sol_spent
from asdf_dat.dat.client import program_compute_units
from asdf_dat.dat.cycle import ATTRIBUTION_FEE_SHARING
from asdf_dat.dat.errors import InsufficientFees
from asdf_dat.dat.events import CycleCompleted, DecodedEvent, decode_events, events_of_type
from asdf_dat.dat.pdas import authority_address
from asdf_dat.network.config import Network
from asdf_dat.network.protocol import Transport
from asdf_dat.orchestrator.executor import BatchResult, CycleRun, dry_run, execute, sweep_fee_sharing
from asdf_dat.orchestrator.graduate import graduate
from asdf_dat.orchestrator.lookup import table_file
from asdf_dat.orchestrator.token_creation import create_token_onchain
from asdf_dat.pump import addresses as paddr
from asdf_dat.sandbox import LAMPORTS_PER_SOL, Sandbox, SandboxToken, Trade, build_sandbox, fee_reports

__all__ = [
    "DEFAULT_VOLUME_SOL",
    "DemoReport",
    "DryRunRow",
    "TokenRow",
    "TransactionRow",
    "run_demo",
    "run_demo_async",
]

# SOL each trader spends per round trip (buy, then sell half), by symbol: enough for every
# token to clear the 0.006 SOL minimum (pump creator fee 0.30 %, PumpSwap 0.05 %). GRAD's is
# its volume on PumpSwap after graduating (its buy-out already paid curve fees).
DEFAULT_VOLUME_SOL: dict[str, int] = {"FROOT": 2, "DAT22": 3, "DATAMM": 12, "FEE1": 2, "FEE22": 2, "GRAD": 12}

# The tokens `create-token` makes during the demo: symbol, name, Token-2022, fee sharing.
CREATED_TOKENS: tuple[tuple[str, str, bool, bool], ...] = (
    ("FEE1", "Fee One", False, True),
    ("FEE22", "Fee Token-2022", True, True),
    ("GRAD", "Graduate", False, False),
)
GRADUATING = "GRAD"


@dataclass(frozen=True)
class TokenRow:
    symbol: str
    mint: str
    isRoot: bool  # noqa: N815 - JSON keys
    poolType: str  # noqa: N815
    tokenProgram: str  # noqa: N815
    attribution: str  # "fee-sharing" | "keeper", from the token's on-chain stats
    feesLamports: int  # noqa: N815
    solSpentLamports: int  # noqa: N815
    sentToRootLamports: int  # noqa: N815
    tokensBurned: int  # noqa: N815
    allocationLamports: int  # noqa: N815
    receivedFromOthersLamports: int  # noqa: N815
    buySolLamports: int  # noqa: N815
    pendingLamports: int  # noqa: N815
    tokensBought: int  # noqa: N815
    supplyBurned: int  # noqa: N815
    trades: int
    computeUnits: int | None  # noqa: N815
    status: str
    transaction: int | None = None
    """The live cycle transaction (1-based) that carried the token's instruction."""


@dataclass(frozen=True)
class DryRunRow:
    symbol: str
    action: str
    instruction: str | None
    budgetLamports: int  # noqa: N815
    quotedTokensOut: int  # noqa: N815
    ok: bool
    error: str | None
    computeUnits: int | None  # noqa: N815
    predictedSolSpentLamports: int | None  # noqa: N815
    predictedTokensBurned: int | None  # noqa: N815
    note: str | None = None
    """Why a failed simulation does not predict the live run (`_waits_for_curve_collect`)."""
    transaction: int | None = None
    """The simulated transaction (1-based) that carried the token's instruction."""


@dataclass(frozen=True)
class TransactionRow:
    """One cycle transaction as the executor packed it."""

    stage: str  # "dry run" | "live"
    index: int
    symbols: list[str]
    lookupTable: bool  # noqa: N815 - v0 over the operator's address lookup table, else legacy
    computeUnits: int | None  # noqa: N815
    unitLimit: int  # noqa: N815
    ok: bool
    signature: str | None
    error: str | None


@dataclass
class DemoReport:
    tokens: list[TokenRow]
    computeUnits: dict[str, int]  # noqa: N815
    dryRun: list[DryRunRow] = field(default_factory=list)  # noqa: N815
    totals: dict[str, int] = field(default_factory=dict)
    checks: dict[str, bool] = field(default_factory=dict)
    buildSeconds: float = 0.0  # noqa: N815
    graduations: list[str] = field(default_factory=list)
    """What the graduation step did (one line per graduated token)."""
    transactions: list[TransactionRow] = field(default_factory=list)
    """The dry run's and the live run's cycle transactions, as `orchestrator.executor` packed them."""

    @property
    def ok(self) -> bool:
        return all(self.checks.values())

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class TokenCycle:
    """One token's part of an executor run: its plan, and the transaction its instruction rode in."""

    mint: Pubkey
    action: str
    budget: int
    instruction: str | None = None
    quoted_tokens_out: int = 0
    transaction: int | None = None
    ok: bool = True
    error: str | None = None
    error_code: int = 0
    compute_units: int | None = None
    events: tuple[DecodedEvent, ...] = ()


def _note(units: dict[str, int], name: str | None, consumed: int | None) -> None:
    if name is not None and consumed is not None:
        units[name] = max(units.get(name, 0), consumed)


def _instruction_name(pool_type: int) -> str:
    return "execute_cycle_amm" if pool_type == dix.POOL_AMM else "execute_cycle_bc"


async def _landed_logs(transport: Transport, batch: BatchResult) -> tuple[str, ...]:
    """The logs of a sent transaction as it landed (a simulation's for a dry run or a failure)."""
    if not batch.ok or batch.signature is None:
        return batch.logs
    landed = await transport.get_transaction(Signature.from_string(batch.signature))
    meta = landed.transaction.meta if landed is not None else None
    if meta is None or meta.log_messages is None:
        return batch.logs
    return tuple(meta.log_messages)


async def _token_cycles(transport: Transport, run: CycleRun) -> list[TokenCycle]:
    """Per planned token (execution order): its instruction's transaction, outcome, CU and events."""
    placed: dict[str, TokenCycle] = {}
    for index, batch in enumerate(run.batches, 1):
        logs = await _landed_logs(transport, batch)
        events = decode_events(logs)
        units = program_compute_units(logs) if batch.ok else []
        for position, mint in enumerate(batch.mints):
            key = Pubkey.from_string(mint)
            placed[mint] = TokenCycle(
                mint=key,
                action="execute",
                budget=0,
                instruction=_instruction_name(batch.pool_types[position]),
                quoted_tokens_out=batch.quoted_tokens_out[position],
                transaction=index,
                ok=batch.ok,
                error=batch.error,
                error_code=batch.error_code,
                compute_units=units[position] if position < len(units) else None,
                events=tuple(e for e in events if getattr(e.data, "mint", None) == key),
            )
    out: list[TokenCycle] = []
    for plan in run.plan.tokens:
        done = placed.get(plan.token.mint)
        if done is None:
            out.append(TokenCycle(Pubkey.from_string(plan.token.mint), plan.action.value, plan.budget))
        else:
            out.append(replace(done, action=plan.action.value, budget=plan.budget))
    return out


def _transactions(stage: str, run: CycleRun) -> list[TransactionRow]:
    return [
        TransactionRow(stage, index, batch.symbols, batch.lookup_table, batch.compute_units, batch.unit_limit,
                       batch.ok, batch.signature, batch.error)
        for index, batch in enumerate(run.batches, 1)
    ]


def _status(step: TokenCycle | None) -> str:
    if step is None:
        return "not run"
    if step.error is not None:
        return f"failed: {step.error}"
    return step.action


def _dry_row(eco: Sandbox, step: TokenCycle, note: str | None = None) -> DryRunRow:
    completed = events_of_type(list(step.events), CycleCompleted)
    return DryRunRow(
        symbol=eco.token(step.mint).symbol,
        action=step.action,
        instruction=step.instruction,
        budgetLamports=step.budget,
        quotedTokensOut=step.quoted_tokens_out,
        ok=step.ok,
        error=step.error,
        computeUnits=step.compute_units,
        predictedSolSpentLamports=completed[0].sol_spent if completed else None,
        predictedTokensBurned=completed[0].tokens_burned if completed else None,
        note=note,
        transaction=step.transaction,
    )


def _waits_for_curve_collect(dry: list[TokenCycle], keeper_amm: set[Pubkey], eco: Sandbox) -> dict[Pubkey, str]:
    """A graduated keeper token's curve-era fees wait in the shared curve vault, which only a
    curve cycle collects: simulated on today's state, a transaction whose PumpSwap keeper cycle
    runs before any curve collect lacks them (InsufficientFees); live, the executor collects that
    vault first (`collect_curve_vault_for_amm`). Returns mint -> why its dry-run row failed."""
    notes: dict[Pubkey, str] = {}
    for step in dry:
        if step.ok or step.error_code != InsufficientFees.code:
            continue
        culprits = [s for s in dry if s.transaction == step.transaction and s.mint in keeper_amm]
        if culprits:
            names = ", ".join(eco.token(s.mint).symbol for s in culprits)
            notes[step.mint] = (
                f"simulated on today's state: {names}'s curve-era fees wait in the shared curve vault; "
                "the live run collects it first (collect_curve_vault_for_amm)"
            )
    return notes


def _quiet(_: str) -> None:
    return None


async def _create_tokens(eco: Sandbox, tokens_dir: Path) -> None:
    """`create-token` for each of CREATED_TOKENS (the command's own code, on the embedded transport)."""
    for symbol, name, token_2022, fee_sharing in CREATED_TOKENS:
        content = await create_token_onchain(
            eco.transport, eco.admin, name=name, symbol=symbol, uri=f"https://example.org/{symbol.lower()}.json",
            token_2022=token_2022, root=False, fee_sharing=fee_sharing, network=Network.LOCALNET, echo=_quiet,
        )
        write_token_file(tokens_dir / f"{symbol.lower()}.json", Network.LOCALNET, content)
        mint = Pubkey.from_string(str(content["mint"]))
        program = paddr.TOKEN_2022_PROGRAM_ID if token_2022 else paddr.TOKEN_PROGRAM_ID
        eco.tokens.append(SandboxToken(symbol, name, mint, program, "bonding_curve", paddr.bonding_curve(mint),
                                       authority_address(), False, fee_sharing=fee_sharing))


async def _graduate(eco: Sandbox, tokens_dir: Path, report: list[str]) -> list[Trade]:
    """GRAD bought out, migrated by pump, moved by the orchestrator's graduation step."""
    index = next(i for i, t in enumerate(eco.tokens) if t.symbol == GRADUATING)
    token = eco.tokens[index]
    buyer = eco.traders[0]
    trades = eco.buy_out(buyer, token)
    eco.tokens[index] = eco.migrate(token, buyer)
    step = await graduate(eco.transport, eco.admin, load_ecosystem_dir(tokens_dir, Network.LOCALNET))
    report.extend(step.messages())
    return trades


async def run_demo_async(volume_sol: dict[str, int] | None = None) -> DemoReport:
    volume = volume_sol or DEFAULT_VOLUME_SOL
    eco = await build_sandbox()
    client = eco.client
    units = dict(eco.setup_compute_units)
    graduations: list[str] = []

    with tempfile.TemporaryDirectory(prefix="asdf-dat-demo-") as tmp:
        workdir = Path(tmp)
        tokens_dir = eco.write_files(workdir).tokens_dir
        await _create_tokens(eco, tokens_dir)

        # 2. volume by other wallets (GRAD's comes after its graduation)
        trades: list[Trade] = []
        for token in eco.tokens:
            if token.symbol == GRADUATING:
                continue
            for trader in eco.traders:
                trades += eco.round_trip(trader, token, volume.get(token.symbol, 2) * LAMPORTS_PER_SOL)

        # 3. graduation to PumpSwap, then volume there
        trades += await _graduate(eco, tokens_dir, graduations)
        graduated = next(t for t in eco.tokens if t.symbol == GRADUATING)
        for trader in eco.traders:
            trades += eco.round_trip(trader, graduated, volume.get(GRADUATING, 2) * LAMPORTS_PER_SOL)

        # 4. keeper attribution, as the daemon would; fee-sharing: the executor's sweep into the fee accounts
        ecosystem = load_ecosystem_dir(tokens_dir, Network.LOCALNET)  # what the operator's commands read
        modes = await client.all_token_stats(eco.mints)
        sharing = [m for m, st in modes.items() if st is not None and st.attribution == ATTRIBUTION_FEE_SHARING]
        attributed = await client.update_pending_fees(fee_reports([t for t in trades if t.mint not in sharing]))
        _note(units, "update_pending_fees", max(attributed.program_compute_units, default=None))
        await sweep_fee_sharing(eco.transport, eco.admin, ecosystem)

        # 5. dry run and 6. the cycle: the operators' path, lookup table in the working directory
        table_path = table_file(Network.LOCALNET.value, workdir)
        dry_run_result = await dry_run(eco.transport, eco.admin, ecosystem, table_path=table_path)
        dry = await _token_cycles(eco.transport, dry_run_result)
        keeper_amm = {t.mint for t in eco.tokens if t.mint not in sharing and t.amm}
        dry_notes = _waits_for_curve_collect(dry, keeper_amm, eco)

        supply_before = {t.mint: eco.mint_supply(t.mint) for t in eco.tokens}
        held_before = {t.mint: eco.token_balance(authority_address(), t) for t in eco.tokens}
        live = await execute(eco.transport, eco.admin, ecosystem, table_path=table_path)
        steps = [s for s in await _token_cycles(eco.transport, live) if s.instruction is not None]
        for step in steps:
            _note(units, step.instruction, step.compute_units)

    # 7. report from chain state and events
    state = await client.state()
    treasury = await client.root_funds_lamports(state)
    stats = await client.all_token_stats(eco.mints)
    by_mint = {s.mint: s for s in steps}
    planned = {Pubkey.from_string(p.token.mint): p for p in live.plan.tokens}
    rows: list[TokenRow] = []
    for token in eco.tokens:
        st = stats[token.mint]
        assert st is not None, f"{token.symbol} is registered"
        done = by_mint.get(token.mint)
        plan = planned.get(token.mint)
        # From balances, not logs (a packed transaction's logs may be truncated at 10 KB): what the
        # DAT bought is what left the supply plus what its token account still holds.
        supply_burned = supply_before[token.mint] - eco.mint_supply(token.mint)
        bought = supply_burned + eco.token_balance(authority_address(), token) - held_before[token.mint]
        rows.append(
            TokenRow(
                symbol=token.symbol,
                mint=str(token.mint),
                isRoot=st.is_root,
                poolType=token.pool_type,
                tokenProgram="Token2022" if st.token_program == dix.TOKEN_PROGRAMS[1] else "SPL",
                attribution="fee-sharing" if st.attribution == ATTRIBUTION_FEE_SHARING else "keeper",
                feesLamports=st.total_sol_attributed,
                solSpentLamports=own_sol_spent(st),
                sentToRootLamports=st.total_sent_to_root,
                tokensBurned=st.total_tokens_burned,
                # As planned: the program's formulas replayed off-chain (what `CycleCompleted.allocation`
                # says; the event itself may be cut from a packed transaction's logs).
                allocationLamports=plan.allocation if plan is not None else 0,
                receivedFromOthersLamports=st.total_received_from_others,
                buySolLamports=st.total_sol_spent,
                pendingLamports=st.pending_fees,
                tokensBought=bought,
                supplyBurned=supply_burned,
                trades=sum(1 for t in trades if t.mint == token.mint),
                computeUnits=done.compute_units if done is not None else None,
                status=_status(done),
                transaction=done.transaction if done is not None else None,
            )
        )
    totals = {
        "feesLamports": sum(r.feesLamports for r in rows),
        "solSpentLamports": sum(r.solSpentLamports for r in rows),
        "sentToRootLamports": sum(r.sentToRootLamports for r in rows),
        "buySolLamports": sum(r.buySolLamports for r in rows),
        "pendingLamports": sum(r.pendingLamports for r in rows),
        "rootTreasuryLamports": treasury,
        "tokensBurned": sum(r.tokensBurned for r in rows),
        "creatorFeesFromTrades": sum(t.creator_fee for t in trades),
    }
    checks = {
        "attributedEqualsTradeFees": totals["feesLamports"] == totals["creatorFeesFromTrades"],
        "conservationPerToken": all(
            r.feesLamports == r.solSpentLamports + r.sentToRootLamports + r.pendingLamports for r in rows
        ),
        "rootSharesSpentOrInTreasury": totals["sentToRootLamports"]
        == sum(r.receivedFromOthersLamports for r in rows) + treasury,
        "burnedEqualsBought": all(r.tokensBurned == r.tokensBought == r.supplyBurned > 0 for r in rows),
        "everyTokenCycled": len(steps) == len(eco.tokens) and all(s.ok for s in steps)
        and all(o.ok for o in live.outcomes) and len(live.outcomes) == len(eco.tokens),
        "bothModes": {r.attribution for r in rows} == {"fee-sharing", "keeper"},
        "graduatedTokenCycledOnPumpSwap": any(
            r.symbol == GRADUATING and r.poolType == "pumpswap_amm" and r.status == "execute" for r in rows
        ) and any(s.mint == graduated.mint and s.instruction == "execute_cycle_amm" for s in steps),
        "packedTransactions": len(live.batches) < len(steps),
    }
    return DemoReport(
        tokens=rows,
        computeUnits=units,
        dryRun=[_dry_row(eco, s, dry_notes.get(s.mint)) for s in dry],
        totals=totals,
        checks=checks,
        buildSeconds=round(eco.build_seconds, 3),
        graduations=graduations,
        transactions=_transactions("dry run", dry_run_result) + _transactions("live", live),
    )


def run_demo(volume_sol: dict[str, int] | None = None) -> DemoReport:
    return asyncio.run(run_demo_async(volume_sol))
