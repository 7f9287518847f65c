"""The main job, in-process: what `asdf-dat demo` runs and prints.

1. Create the ecosystem (`asdf_dat.sandbox`): program + pump stand-in, DAT initialized, root
   and two secondaries registered.
2. Generate volume: other wallets buy and sell every token; creator fees land in the DAT's vaults.
3. Attribute fees as the daemon does: sum each token's creator fees from the trades' events and
   report them with `update_pending_fees`, watermarked by the last trade (slot, sequence).
4. Dry-run: simulate each token's cycle instruction (nothing changes on-chain).
5. Run the cycle: secondaries first (each sends 44.8 % to the root treasury), then the root
   (its share plus the treasury); every buy burned.
6. Report, from chain state and events: per token fees attributed, SOL spent, sent to root,
   tokens burned, compute units; and check conservation and burns.

Money per token, from its `TokenStats` (every lamport of fees is accounted to one token):
`fees == solSpent + sentToRoot + pending`, where a root's `solSpent` is the part of its buys
funded by its own fees (its buys also spent `receivedFromOthers`, the secondaries' shares).
"""

from __future__ import annotations

import asyncio
from dataclasses import asdict, dataclass, field
from typing import Any


from asdf_dat.dat import instructions as dix
from asdf_dat.dat.accounts import own_sol_spent
from asdf_dat.dat.client import CycleStep
from asdf_dat.dat.cycle import ATTRIBUTION_FEE_SHARING
from asdf_dat.dat.events import BuyExecuted, CycleCompleted, TokensBurned, events_of_type
from asdf_dat.sandbox import LAMPORTS_PER_SOL, Sandbox, Trade, build_sandbox, fee_reports

__all__ = [
    "DEFAULT_VOLUME_SOL",
    "DemoReport",
    "DryRunRow",
    "TokenRow",
    "run_demo",
    "run_demo_async",
]

# SOL each trader spends per round trip (buy, then sell half), by symbol: enough for every
# token to clear the 0.006 SOL minimum (pump creator fee 0.30 %, PumpSwap 0.05 %).
DEFAULT_VOLUME_SOL: dict[str, int] = {"FROOT": 2, "DAT22": 3, "DATAMM": 12}


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


@dataclass
class DemoReport:
    tokens: list[TokenRow]
    computeUnits: dict[str, int]  # noqa: N815
    dryRun: list[DryRunRow] = field(default_factory=list)  # noqa: N815
    totals: dict[str, int] = field(default_factory=dict)
    checks: dict[str, bool] = field(default_factory=dict)
    buildSeconds: float = 0.0  # noqa: N815

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


def _dry_row(eco: Sandbox, step: CycleStep) -> DryRunRow:
    completed = events_of_type(step.events, CycleCompleted)
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
    )


async def run_demo_async(volume_sol: dict[str, int] | None = None) -> DemoReport:
    volume = volume_sol or DEFAULT_VOLUME_SOL
    eco = await build_sandbox()
    client = eco.client
    units = dict(eco.setup_compute_units)

    # 2. volume by other wallets
    trades: list[Trade] = []
    for token in eco.tokens:
        for trader in eco.traders:
            trades += eco.round_trip(trader, token, volume.get(token.symbol, 2) * LAMPORTS_PER_SOL)

    # 3. attribution, as the daemon would
    attributed = await client.update_pending_fees(fee_reports(trades))
    _note(units, "update_pending_fees", max(attributed.program_compute_units, default=None))

    # 4. dry run
    dry = await client.dry_run_cycle(eco.mints)

    # 5. the cycle
    supply_before = {t.mint: eco.mint_supply(t.mint) for t in eco.tokens}
    steps = await client.run_cycle(eco.mints)
    for step in steps:
        _note(units, step.instruction_name, step.compute_units)

    # 6. report from chain state and events
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
    }
    return DemoReport(
        tokens=rows,
        computeUnits=units,
        dryRun=[_dry_row(eco, s) for s in dry],
        totals=totals,
        checks=checks,
        buildSeconds=round(eco.build_seconds, 3),
    )


def run_demo(volume_sol: dict[str, int] | None = None) -> DemoReport:
    return asyncio.run(run_demo_async(volume_sol))
