"""The seed's `DryRunReport` (OPERATIONS.md, "Dry-Run Mode"), field for field, camelCase keys,
SOL strings in the seed's format ("0.025 SOL"), written to `reports/dry-run-{timestamp}.json`."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from asdf_dat.dat.cycle import CyclePlan, PlanStatus, TokenAction, TokenPlan
from asdf_dat.dat.math import CREATOR_FEE_BPS_FOR_VOLUME, volume_for_fees
from asdf_dat.units import format_sol

NetworkName = Literal["devnet", "mainnet", "localnet"]
# The seed's four statuses plus two, so that READY means "a live run now would succeed":
# PAUSED (the DAT is paused: a cycle fails with DATNotActive) and SIMULATION_FAILED (tokens are
# eligible but a planned transaction's simulation fails; the warnings say which and why).
Status = Literal["READY", "INSUFFICIENT_FEES", "COOLDOWN_ACTIVE", "NO_TOKENS", "PAUSED", "SIMULATION_FAILED"]


_PLAN_STATUS: dict[PlanStatus, Status] = {
    PlanStatus.READY: "READY",
    PlanStatus.INSUFFICIENT_FEES: "INSUFFICIENT_FEES",
    PlanStatus.COOLDOWN_ACTIVE: "COOLDOWN_ACTIVE",
    PlanStatus.NO_TOKENS: "NO_TOKENS",
}


def report_status(cycle: CyclePlan, *, simulation_failed: bool) -> Status:
    """The plan's status, refined: PAUSED beats everything but NO_TOKENS; READY with a failing
    simulation is SIMULATION_FAILED."""
    status = _PLAN_STATUS[cycle.status]
    if status == "NO_TOKENS":
        return status
    if cycle.paused:
        return "PAUSED"
    if status == "READY" and simulation_failed:
        return "SIMULATION_FAILED"
    return status


class _Model(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="forbid", frozen=True)


class EcosystemSummary(_Model):
    total_pending_fees: int = Field(alias="totalPendingFees")
    total_pending_fees_sol: str = Field(alias="totalPendingFeesSOL")
    tokens_total: int = Field(alias="tokensTotal")
    tokens_eligible: int = Field(alias="tokensEligible")
    tokens_deferred: int = Field(alias="tokensDeferred")


class TokenReport(_Model):
    symbol: str
    mint: str
    is_root: bool = Field(alias="isRoot")
    attribution: Literal["keeper", "fee-sharing"] = "keeper"
    """Our extension of the seed's schema: how the token's fees are attributed."""
    pending_fees: int = Field(alias="pendingFees")
    pending_fees_sol: str = Field(alias="pendingFeesSOL")
    allocation: int
    allocation_sol: str = Field(alias="allocationSOL")
    will_process: bool = Field(alias="willProcess")
    defer_reason: str | None = Field(default=None, alias="deferReason")


class Thresholds(_Model):
    min_allocation_secondary: int = Field(alias="minAllocationSecondary")
    min_allocation_secondary_sol: str = Field(alias="minAllocationSecondarySOL")
    min_allocation_root: int = Field(alias="minAllocationRoot")
    min_allocation_root_sol: str = Field(alias="minAllocationRootSOL")


class Costs(_Model):
    estimated_tx_fees_per_token: int = Field(alias="estimatedTxFeesPerToken")
    estimated_tx_fees_per_token_sol: str = Field(alias="estimatedTxFeesPerTokenSOL")
    total_estimated_cost: int = Field(alias="totalEstimatedCost")
    total_estimated_cost_sol: str = Field(alias="totalEstimatedCostSOL")


class DryRunReport(_Model):
    timestamp: str
    network: NetworkName
    status: Status
    ecosystem: EcosystemSummary
    tokens: list[TokenReport]
    thresholds: Thresholds
    costs: Costs
    warnings: list[str]
    recommendations: list[str]

    def to_json(self) -> str:
        """camelCase keys; `deferReason` omitted when there is none (it is optional in the seed)."""
        data = self.model_dump(by_alias=True, mode="json")
        for token in data["tokens"]:
            if token.get("deferReason") is None:
                token.pop("deferReason", None)
        return json.dumps(data, indent=2)


def iso_timestamp(moment: datetime) -> str:
    """`2025-01-15T14:30:00.000Z` (JavaScript's toISOString)."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def defer_reason(plan: TokenPlan, cycle: CyclePlan) -> str | None:
    p = cycle.params
    minimum = p.min_allocation_root if plan.token.is_root else p.min_allocation_secondary
    match plan.action:
        case TokenAction.EXECUTE:
            return None
        case TokenAction.DEFER_MIN_FEES:
            have = plan.token.pending_fees + (cycle.state_before.root_funds_lamports if plan.token.is_root else 0)
            return f"Pending fees {format_sol(have)} below minimum {format_sol(p.min_fees_per_token)}"
        case TokenAction.DEFER_MIN_ALLOCATION:
            if plan.cap_limited:
                return (
                    f"Allocation {format_sol(plan.report_allocation)} below minimum {format_sol(minimum)} "
                    f"(cycle cap {format_sol(p.max_fees_per_cycle)} reached)"
                )
            return f"Allocation {format_sol(plan.report_allocation)} below minimum {format_sol(minimum)}"
        case TokenAction.COOLDOWN:
            return (
                f"Already processed in the current cycle; cooldown ends in {cycle.cooldown_remaining} s "
                "(CycleTooSoon)"
            )
        case TokenAction.NOT_REGISTERED:
            return "Token not registered on-chain (run init-token-stats)"
        case TokenAction.NO_ROOT:
            return "No root token set on-chain (run set-root-token)"
    return None


def recommendation(plan: TokenPlan) -> str | None:
    symbol = plan.token.symbol
    if plan.action in (TokenAction.DEFER_MIN_FEES, TokenAction.DEFER_MIN_ALLOCATION):
        if plan.fees_short > 0:
            bps = plan.token.creator_fee_bps or CREATOR_FEE_BPS_FOR_VOLUME
            volume = volume_for_fees(plan.fees_short, bps)
            return (
                f"Generate {format_sol(volume)} more volume for {symbol} "
                f"(needs {format_sol(plan.fees_short)} more fees at {bps / 100:g}% creator fee)"
            )
        return f"Wait for the next cycle for {symbol} (cycle cap reached)"
    if plan.action is TokenAction.NOT_REGISTERED:
        return f"Register {symbol}: init-token-stats <its config file>"
    return None


def build_report(
    cycle: CyclePlan,
    *,
    network: NetworkName,
    total_cost_lamports: int,
    moment: datetime,
    extra_warnings: list[str] | None = None,
    simulation_failed: bool = False,
) -> DryRunReport:
    """The report of `cycle`, with the transaction costs measured by simulation."""
    executing = cycle.executing
    tokens = [
        TokenReport(
            symbol=t.token.symbol,
            mint=t.token.mint,
            isRoot=t.token.is_root,
            attribution="fee-sharing" if t.token.fee_sharing else "keeper",
            # A fee-sharing token's fee account is pending the cycle absorbs first.
            pendingFees=t.token.pending_fees + t.token.incoming_fees,
            pendingFeesSOL=format_sol(t.token.pending_fees + t.token.incoming_fees),
            allocation=t.report_allocation,
            allocationSOL=format_sol(t.report_allocation),
            willProcess=t.will_process,
            deferReason=defer_reason(t, cycle),
        )
        for t in cycle.tokens
    ]
    warnings: list[str] = []
    if cycle.paused:
        warnings.append(
            f"DAT is paused ({cycle.state_before.consecutive_failures} consecutive failures): "
            "a cycle fails with DATNotActive until `resume`"
        )
    if cycle.tokens and cycle.total_pending == 0:
        warnings.append("No pending fees: is the fee daemon running?")
    for t in cycle.deferred:
        reason = defer_reason(t, cycle)
        if t.action is TokenAction.COOLDOWN:
            warnings.append(f"{t.token.symbol} cooling down: {reason}")
        else:
            warnings.append(f"{t.token.symbol} below minimum threshold: {reason}")
    warnings.extend(extra_warnings or [])

    recommendations: list[str] = []
    if not cycle.tokens:
        recommendations.append("Check token configs: no token config files found")
    elif not any(t.token.registered for t in cycle.tokens):
        recommendations.append("Check token configs: no configured token is registered on-chain (init-token-stats)")
    if cycle.paused:
        recommendations.append("Fix the cause of the failures, then run resume")
    if cycle.cooldown_active and not executing:
        recommendations.append(f"Wait {cycle.cooldown_remaining} s for the cooldown to end")
    if cycle.tokens and cycle.total_pending == 0:
        recommendations.append("Start the fee daemon (monitor-ecosystem-fees) and generate volume")
    for t in cycle.deferred:
        text = recommendation(t)
        if text is not None:
            recommendations.append(text)

    per_token = total_cost_lamports // len(executing) if executing else 0
    p = cycle.params
    return DryRunReport(
        timestamp=iso_timestamp(moment),
        network=network,
        status=report_status(cycle, simulation_failed=simulation_failed),
        ecosystem=EcosystemSummary(
            totalPendingFees=cycle.total_pending,
            totalPendingFeesSOL=format_sol(cycle.total_pending),
            tokensTotal=len(cycle.tokens),
            tokensEligible=len(executing),
            tokensDeferred=len(cycle.tokens) - len(executing),
        ),
        tokens=tokens,
        thresholds=Thresholds(
            minAllocationSecondary=p.min_allocation_secondary,
            minAllocationSecondarySOL=format_sol(p.min_allocation_secondary),
            minAllocationRoot=p.min_allocation_root,
            minAllocationRootSOL=format_sol(p.min_allocation_root),
        ),
        costs=Costs(
            estimatedTxFeesPerToken=per_token,
            estimatedTxFeesPerTokenSOL=format_sol(per_token),
            totalEstimatedCost=total_cost_lamports,
            totalEstimatedCostSOL=format_sol(total_cost_lamports),
        ),
        warnings=warnings,
        recommendations=recommendations,
    )


def write_report(report: DryRunReport, directory: Path, moment: datetime) -> Path:
    """`<directory>/dry-run-{epoch ms}.json` (the reference's name), never overwriting."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = int(moment.timestamp() * 1000)
    path = directory / f"dry-run-{stamp}.json"
    while path.exists():
        stamp += 1
        path = directory / f"dry-run-{stamp}.json"
    path.write_text(report.to_json() + "\n", encoding="utf-8")
    return path
