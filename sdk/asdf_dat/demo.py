"""The main job, in-process: what `asdf-dat demo` runs and prints.

1. Create the ecosystem (`asdf_dat.sandbox`): program + pump stand-in, DAT initialized, the
   legacy shared-vault tokens registered (root FROOT, DAT22 on its curve, DATAMM on PumpSwap);
   then `create-token` (`orchestrator.token_commands.create_token_onchain`, the command's own
   code) makes FEE1 (SPL) and FEE22 (Token-2022) in fee-sharing mode, and GRAD in keeper mode.
2. Generate volume: other wallets buy and sell every token. Keeper tokens' creator fees land in
   the DAT's shared vaults; fee-sharing tokens' in their own sharing config's vault.
3. Graduation: a wallet buys GRAD's whole curve, pump migrates it to PumpSwap, and the
   orchestrator's graduation step (`orchestrator.graduate`, the detector the daemon uses too)
   moves it there on-chain (`set_token_pool`) and in its token config file; then it trades there.
4. Attribute keeper fees as the daemon does (sum each token's creator fees from the trades'
   events, `update_pending_fees`, watermarked by the last trade); sweep fee-sharing tokens'
   vaults into their fee accounts (pump's permissionless `distribute_creator_fees_v2`).
5. Dry-run: simulate each token's cycle instruction (nothing changes on-chain).
6. Run the cycle: secondaries first (each sends 44.8 % to the root treasury), then the root
   (its share plus the treasury); every buy burned.
7. Report, from chain state and events: per token its mode (`attribution`), fees, SOL spent,
   sent to root, tokens burned, compute units; and check conservation and burns.

Money per token, from its `TokenStats` (every lamport of fees is accounted to one token):
`fees == solSpent + sentToRoot + pending`, where a root's `solSpent` is the part of its buys
funded by its own fees (its buys also spent `receivedFromOthers`, the secondaries' shares).
"""

from __future__ import annotations

import asyncio
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from solders.pubkey import Pubkey

from asdf_dat.dat import instructions as dix
from asdf_dat.dat.accounts import own_sol_spent
from asdf_dat.dat.client import CycleStep
from asdf_dat.dat.cycle import ATTRIBUTION_FEE_SHARING
from asdf_dat.dat.errors import InsufficientFees
from asdf_dat.config.ecosystem import load_ecosystem_dir, write_token_file
from asdf_dat.dat.events import BuyExecuted, CycleCompleted, TokensBurned, events_of_type
from asdf_dat.dat.pdas import authority_address, fee_vault_address
from asdf_dat.network.config import Network
from asdf_dat.orchestrator.graduate import graduate
from asdf_dat.orchestrator.token_commands import create_token_onchain
from asdf_dat.sandbox import LAMPORTS_PER_SOL, Sandbox, SandboxToken, Trade, build_sandbox, fee_reports
from asdf_dat.pump import addresses as paddr
from asdf_dat.pump import instructions as pix

__all__ = [
    "DEFAULT_VOLUME_SOL",
    "DemoReport",
    "DryRunRow",
    "TokenRow",
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

    @property
    def ok(self) -> bool:
        return all(self.checks.values())

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _note(units: dict[str, int], name: str | None, consumed: int | None) -> None:
    if name is not None and consumed is not None:
        units[name] = max(units.get(name, 0), consumed)


def _status(step: CycleStep | None) -> str:
    if step is None:
        return "not run"
    if step.error is not None:
        return f"failed: {step.error}"
    return step.action.value


def _dry_row(eco: Sandbox, step: CycleStep, note: str | None = None) -> DryRunRow:
    completed = [e for e in events_of_type(step.events, CycleCompleted) if e.mint == step.mint]
    return DryRunRow(
        symbol=eco.token(step.mint).symbol,
        action=step.action.value,
        instruction=step.instruction_name,
        budgetLamports=step.budget,
        quotedTokensOut=step.quoted_tokens_out,
        ok=step.ok,
        error=None if step.error is None else str(step.error),
        computeUnits=step.compute_units,
        predictedSolSpentLamports=completed[0].sol_spent if completed else None,
        predictedTokensBurned=completed[0].tokens_burned if completed else None,
        note=note,
    )


def _waits_for_curve_collect(dry: list[CycleStep], keeper_curve: set[Pubkey], eco: Sandbox) -> dict[Pubkey, str]:
    """A graduated keeper token's curve-era fees wait in the shared curve vault, which only a
    curve cycle collects: simulated alone on today's state, its PumpSwap cycle lacks them
    (InsufficientFees); live, a keeper curve secondary's cycle runs before it and collects them.
    Returns mint -> why its dry-run row failed (only when such a curve cycle does run first)."""
    notes: dict[Pubkey, str] = {}
    for index, step in enumerate(dry):
        if not isinstance(step.error, InsufficientFees):
            continue
        before = next((s for s in dry[:index] if s.mint in keeper_curve and s.ok and s.instruction_name), None)
        if before is not None:
            notes[step.mint] = (
                "simulated alone: its curve-era fees wait in the shared curve vault, which "
                f"{eco.token(before.mint).symbol}'s cycle collects before it in the live run"
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


async def _sweep(eco: Sandbox, mints: list[Pubkey]) -> None:
    """Fee-sharing tokens: their config vaults into their fee accounts (permissionless)."""
    if mints:
        await eco.client.send([
            pix.distribute_creator_fees_v2(payer=eco.admin.pubkey(), mint=m, shareholders=[fee_vault_address(m)])
            for m in mints
        ])


async def run_demo_async(volume_sol: dict[str, int] | None = None) -> DemoReport:
    volume = volume_sol or DEFAULT_VOLUME_SOL
    eco = await build_sandbox()
    client = eco.client
    units = dict(eco.setup_compute_units)
    graduations: list[str] = []

    with tempfile.TemporaryDirectory(prefix="asdf-dat-demo-") as tmp:
        tokens_dir = eco.write_files(Path(tmp)).tokens_dir
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

    # 4. keeper attribution, as the daemon would; fee-sharing: sweep into the fee accounts
    modes = await client.all_token_stats(eco.mints)
    sharing = [m for m, st in modes.items() if st is not None and st.attribution == ATTRIBUTION_FEE_SHARING]
    attributed = await client.update_pending_fees(fee_reports([t for t in trades if t.mint not in sharing]))
    _note(units, "update_pending_fees", max(attributed.program_compute_units, default=None))
    await _sweep(eco, sharing)

    # 5. dry run
    dry = await client.dry_run_cycle(eco.mints)
    keeper_curve = {t.mint for t in eco.tokens if t.mint not in sharing and t.pool_type == "bonding_curve" and not t.is_root}
    dry_notes = _waits_for_curve_collect(dry, keeper_curve, eco)

    # 6. the cycle
    supply_before = {t.mint: eco.mint_supply(t.mint) for t in eco.tokens}
    steps = await client.run_cycle(eco.mints)
    for step in steps:
        _note(units, step.instruction_name, step.compute_units)

    # 7. report from chain state and events
    state = await client.state()
    treasury = await client.treasury_lamports(state)
    stats = await client.all_token_stats(eco.mints)
    by_mint = {s.mint: s for s in steps}
    rows: list[TokenRow] = []
    for token in eco.tokens:
        st = stats[token.mint]
        assert st is not None, f"{token.symbol} is registered"
        done = by_mint.get(token.mint)
        events = done.events if done is not None else []
        bought = sum(e.tokens_bought for e in events_of_type(events, BuyExecuted))
        burned_events = sum(e.amount for e in events_of_type(events, TokensBurned))
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
                allocationLamports=sum(e.allocation for e in events_of_type(events, CycleCompleted)),
                receivedFromOthersLamports=st.total_received_from_others,
                buySolLamports=st.total_sol_spent,
                pendingLamports=st.pending_fees,
                tokensBought=bought if bought == burned_events else -1,
                supplyBurned=supply_before[token.mint] - eco.mint_supply(token.mint),
                trades=sum(1 for t in trades if t.mint == token.mint),
                computeUnits=done.compute_units if done is not None else None,
                status=_status(done),
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
        "everyTokenCycled": all(step.ok and step.action.value == "execute" for step in steps),
        "bothModes": {r.attribution for r in rows} == {"fee-sharing", "keeper"},
        "graduatedTokenCycledOnPumpSwap": any(
            r.symbol == GRADUATING and r.poolType == "pumpswap_amm" and r.status == "execute" for r in rows
        ) and any(s.mint == graduated.mint and s.instruction_name == "execute_cycle_amm" for s in steps),
    }
    return DemoReport(
        tokens=rows,
        computeUnits=units,
        dryRun=[_dry_row(eco, s, dry_notes.get(s.mint)) for s in dry],
        totals=totals,
        checks=checks,
        buildSeconds=round(eco.build_seconds, 3),
        graduations=graduations,
    )


def run_demo(volume_sol: dict[str, int] | None = None) -> DemoReport:
    return asyncio.run(run_demo_async(volume_sol))
