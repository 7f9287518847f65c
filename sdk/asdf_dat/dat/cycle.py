"""Pure cycle planning with the program's sequence and rounding (programs/asdf_dat/src/
instructions/cycle.rs), ported once on top of `asdf_dat.dat.math` (math.rs).

The program processes one token per instruction (`execute_cycle_bc` / `execute_cycle_amm`):

* gate: the DAT must be active, a secondary needs a root;
* cooldown: a token may join the open ecosystem cycle while it is younger than
  `min_cycle_interval_secs` (unless it already ran in it); a new cycle opens once the interval
  has passed both since the open one started and since it last took fees; in between,
  `CycleTooSoon`. So the cap holds over any window of that length;
* allocation = min(pending, max_fees_per_cycle - fees taken this cycle) (the 1 SOL cap), its
  proportional share when the ecosystem's pending at the opening exceeds the cap;
* root funds (`root_funds`: the share the secondaries left in the pool, then the treasury
  account's balance): the root spends min(root funds, cap left after its allocation): they count
  toward the cap, the rest waits for later cycles;
* deferral: pending (+ treasury for the root) below `min_fees_per_token`, or allocation
  (+ treasury) below the minimum allocation (secondary 5,690,000 / root 2,000,000): nothing is
  written, the fees stay pending (never redistributed);
* split: a secondary keeps floor(allocation x fee_split_bps / 1e4) and sets the rest (44.8 %)
  aside for the root (`DatState.root_share_held`: it stays in the fee pool, no transfer); the
  root spends its allocation plus its share of the root funds, i.e. the root's share comes only
  from secondaries that executed before it.

`plan_cycle` replays that sequence (secondaries in file order, then the root) so the plan is what
the chain will do, token by token.

The arithmetic itself (fee split, allocation cap, quotes) lives in `asdf_dat.dat.math`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from solders.pubkey import Pubkey

from asdf_dat.dat.math import (
    CREATOR_FEE_BPS_FOR_VOLUME,
    DEFAULT_FEE_SPLIT_BPS,
    DEFAULT_MAX_FEES_PER_CYCLE,
    DEFAULT_MIN_ALLOCATION_ROOT,
    DEFAULT_MIN_ALLOCATION_SECONDARY,
    DEFAULT_MIN_CYCLE_INTERVAL_SECS,
    DEFAULT_MIN_FEES_PER_TOKEN,
    DEFAULT_SLIPPAGE_BPS,
    RENT_EXEMPT_ZERO_DATA,
    cycle_allocation,
    cycle_timing,
    split_allocation,
    treasury_share,
)
from asdf_dat.generated.accounts import DatState, TokenStats

# ---------------------------------------------------------------- the cycle sequence


@dataclass(frozen=True)
class DatParams:
    """The thresholds stored in `DatState` (defaults = the program's)."""

    fee_split_bps: int = DEFAULT_FEE_SPLIT_BPS
    min_fees_per_token: int = DEFAULT_MIN_FEES_PER_TOKEN
    max_fees_per_cycle: int = DEFAULT_MAX_FEES_PER_CYCLE
    min_allocation_secondary: int = DEFAULT_MIN_ALLOCATION_SECONDARY
    min_allocation_root: int = DEFAULT_MIN_ALLOCATION_ROOT
    min_cycle_interval_secs: int = DEFAULT_MIN_CYCLE_INTERVAL_SECS
    slippage_bps: int = DEFAULT_SLIPPAGE_BPS


@dataclass(frozen=True)
class CycleState:
    """The part of `DatState` a cycle reads and writes."""

    is_active: bool = True
    has_root: bool = True
    consecutive_failures: int = 0
    cycle_id: int = 0
    cycle_started_at: int = 0
    cycle_fees_taken: int = 0
    root_funds_lamports: int = 0
    """What the root may spend besides its pending (`root_funds`): the share the secondaries left
    in the pool plus the treasury account's real balance above rent."""
    total_pending_fees: int = 0
    """Σ pending of every registered token (DatState.total_pending_fees)."""
    cycle_pending_at_open: int = 0
    """Σ pending when the current cycle opened: above the cap, allocations are proportional."""
    cycle_last_take_at: int = 0
    """When the open cycle last took fees: the next cycle opens an interval after it."""


ATTRIBUTION_KEEPER = 0
ATTRIBUTION_FEE_SHARING = 1


@dataclass(frozen=True)
class TokenInput:
    """One token as the planner sees it: its config plus its on-chain `TokenStats`."""

    mint: str
    symbol: str
    is_root: bool
    pending_fees: int
    last_cycle_id: int = 0
    registered: bool = True
    creator_fee_bps: int = CREATOR_FEE_BPS_FOR_VOLUME
    """Creator fee rate of the token's venue (bonding curve 30, PumpSwap 5): fees per volume."""
    incoming_fees: int = 0
    """Fee-sharing token: what its fee account holds (plus what a sweep in the cycle's
    transaction adds), not yet in `pending_fees`; the cycle absorbs it first (`cycle::absorb`)."""
    fee_sharing: bool = False


class TokenAction(StrEnum):
    EXECUTE = "execute"
    DEFER_MIN_FEES = "defer_min_fees"
    DEFER_MIN_ALLOCATION = "defer_min_allocation"
    COOLDOWN = "cooldown"
    NOT_REGISTERED = "not_registered"
    NO_ROOT = "no_root"


class PlanStatus(StrEnum):
    READY = "READY"
    INSUFFICIENT_FEES = "INSUFFICIENT_FEES"
    COOLDOWN_ACTIVE = "COOLDOWN_ACTIVE"
    NO_TOKENS = "NO_TOKENS"


@dataclass(frozen=True)
class TokenPlan:
    token: TokenInput
    action: TokenAction
    allocation: int = 0
    """Pending fees the program takes (what `CycleCompleted.allocation` will say)."""
    to_root: int = 0
    """Secondary: lamports set aside for the root (held in the pool: `DatState.root_share_held`)."""
    treasury_used: int = 0
    """Root: root funds (its held share, then the treasury account) spent with the allocation."""
    budget: int = 0
    """Lamports the buy may spend: kept share (secondary) or allocation + treasury (root)."""
    opens_cycle: bool = False
    fees_short: int = 0
    """Deferred: more pending fees the token needs to run (0 if more fees cannot help now)."""
    cap_limited: bool = False

    @property
    def will_process(self) -> bool:
        return self.action is TokenAction.EXECUTE

    @property
    def report_allocation(self) -> int:
        """The seed's `allocation`: SOL this token's buy gets (root: incl. the secondaries' share)."""
        return self.allocation + self.treasury_used


@dataclass(frozen=True)
class CyclePlan:
    now: int
    params: DatParams
    state_before: CycleState
    state_after: CycleState
    tokens: tuple[TokenPlan, ...]

    @property
    def executing(self) -> tuple[TokenPlan, ...]:
        return tuple(t for t in self.tokens if t.will_process)

    @property
    def deferred(self) -> tuple[TokenPlan, ...]:
        return tuple(t for t in self.tokens if not t.will_process)

    @property
    def paused(self) -> bool:
        return not self.state_before.is_active

    @property
    def next_cycle_at(self) -> int:
        s = self.state_before
        return max(s.cycle_started_at, s.cycle_last_take_at) + self.params.min_cycle_interval_secs

    @property
    def cooldown_active(self) -> bool:
        return self.state_before.cycle_id > 0 and self.now < self.next_cycle_at

    @property
    def cooldown_remaining(self) -> int:
        return max(self.next_cycle_at - self.now, 0) if self.cooldown_active else 0

    @property
    def total_pending(self) -> int:
        return sum(t.token.pending_fees for t in self.tokens)

    @property
    def total_allocation(self) -> int:
        return sum(t.allocation for t in self.executing)

    @property
    def status(self) -> PlanStatus:
        if not any(t.token.registered for t in self.tokens):
            return PlanStatus.NO_TOKENS  # no token configured, or none registered on-chain
        if self.executing:
            return PlanStatus.READY
        if any(t.action is TokenAction.COOLDOWN for t in self.tokens):
            return PlanStatus.COOLDOWN_ACTIVE
        return PlanStatus.INSUFFICIENT_FEES


def execution_order(tokens: Sequence[TokenInput]) -> list[TokenInput]:
    """Secondaries in the given (file) order, then the root: the root's share must come first."""
    return [t for t in tokens if not t.is_root] + [t for t in tokens if t.is_root]


def plan_token(params: DatParams, state: CycleState, token: TokenInput, now: int) -> tuple[TokenPlan, CycleState]:
    """One token's instruction, as `cycle::plan` + `cycle::take` + `settle_root` compute it.

    Returns the plan and the state after it (unchanged unless the token executes)."""
    if not token.registered:
        return TokenPlan(token, TokenAction.NOT_REGISTERED), state
    if not token.is_root and not state.has_root:
        return TokenPlan(token, TokenAction.NO_ROOT), state
    new_cycle = cycle_timing(now, state.cycle_started_at, state.cycle_last_take_at, params.min_cycle_interval_secs)
    if new_cycle is None or (not new_cycle and token.last_cycle_id == state.cycle_id):
        return TokenPlan(token, TokenAction.COOLDOWN), state
    incoming = token.incoming_fees
    taken, pending_at_open = (
        (0, state.total_pending_fees + incoming) if new_cycle else (state.cycle_fees_taken, state.cycle_pending_at_open)
    )
    pending = token.pending_fees + incoming
    treasury = state.root_funds_lamports if token.is_root else 0
    alloc = cycle_allocation(pending, params.max_fees_per_cycle, taken, pending_at_open)
    treasury_used = treasury_share(treasury, params.max_fees_per_cycle, taken, alloc) if token.is_root else 0
    min_alloc = params.min_allocation_root if token.is_root else params.min_allocation_secondary
    remaining = max(params.max_fees_per_cycle - taken, 0)

    action: TokenAction | None = None
    if pending + treasury < params.min_fees_per_token:
        action = TokenAction.DEFER_MIN_FEES
    elif alloc + treasury_used < min_alloc:
        action = TokenAction.DEFER_MIN_ALLOCATION
    if action is not None:
        needed = max(params.min_fees_per_token, min_alloc) - treasury
        helps = remaining + treasury >= min_alloc
        short = max(needed - pending, 0) if helps else 0
        return (
            TokenPlan(token, action, allocation=alloc, fees_short=short, cap_limited=alloc < pending),
            state,
        )

    if token.is_root:
        kept, to_root = alloc, 0
    else:
        split = split_allocation(alloc, params.fee_split_bps)
        if split is None:
            raise ValueError(f"fee split {params.fee_split_bps} bps out of range")
        kept, to_root = split
    plan = TokenPlan(
        token,
        TokenAction.EXECUTE,
        allocation=alloc,
        to_root=to_root,
        treasury_used=treasury_used,
        budget=kept + treasury_used,
        opens_cycle=new_cycle,
        cap_limited=alloc < pending,
    )
    if incoming:
        state = replace(state, total_pending_fees=state.total_pending_fees + incoming)
    if new_cycle:
        state = replace(
            state,
            cycle_id=state.cycle_id + 1,
            cycle_started_at=now,
            cycle_fees_taken=0,
            cycle_pending_at_open=state.total_pending_fees,
        )
    state = replace(
        state,
        cycle_fees_taken=state.cycle_fees_taken + alloc + treasury_used,
        cycle_last_take_at=now,
        # The unspent part of a budget returns to pending on-chain; only the opening snapshot
        # matters for allocations, so that refund is not modelled here.
        total_pending_fees=max(state.total_pending_fees - alloc, 0),
        root_funds_lamports=state.root_funds_lamports - treasury_used
        if token.is_root
        else state.root_funds_lamports + to_root,
    )
    return plan, state


def plan_cycle(params: DatParams, state: CycleState, tokens: Sequence[TokenInput], now: int) -> CyclePlan:
    """The whole ecosystem cycle, token by token in execution order (secondaries, then root)."""
    current = state
    plans: list[TokenPlan] = []
    for token in execution_order(tokens):
        plan, current = plan_token(params, current, token, now)
        plans.append(plan)
    return CyclePlan(now=now, params=params, state_before=state, state_after=current, tokens=tuple(plans))


# ---------------------------------------------------------------- from the on-chain accounts


def has_root(state: DatState) -> bool:
    return state.root_mint != Pubkey.default()


def dat_params(state: DatState) -> DatParams:
    """The thresholds the program reads from `DatState`."""
    return DatParams(
        fee_split_bps=state.fee_split_bps,
        min_fees_per_token=state.min_fees_per_token,
        max_fees_per_cycle=state.max_fees_per_cycle,
        min_allocation_secondary=state.min_allocation_secondary,
        min_allocation_root=state.min_allocation_root,
        min_cycle_interval_secs=state.min_cycle_interval_secs,
        slippage_bps=state.slippage_bps,
    )


def cycle_state(state: DatState, root_funds_lamports: int) -> CycleState:
    """The part of `DatState` a cycle reads and writes; `root_funds_lamports` is what the root may
    spend besides its pending (`root_funds`)."""
    return CycleState(
        is_active=state.is_active,
        has_root=has_root(state),
        consecutive_failures=state.consecutive_failures,
        cycle_id=state.cycle_id,
        cycle_started_at=state.cycle_started_at,
        cycle_fees_taken=state.cycle_fees_taken,
        root_funds_lamports=root_funds_lamports,
        total_pending_fees=state.total_pending_fees,
        cycle_pending_at_open=state.cycle_pending_at_open,
        cycle_last_take_at=state.cycle_last_take_at,
    )


def treasury_balance(lamports: int) -> int:
    """What a root treasury holds for the root: its balance above the rent floor (treasury.rs)."""
    return max(lamports - RENT_EXEMPT_ZERO_DATA, 0)


def root_funds(state: DatState, treasury_account_lamports: int) -> int:
    """What the root may spend besides its pending (cycle.rs `run`): the share its secondaries
    left in the fee pool (`root_share_held`, spent first) plus the treasury account's balance
    above rent (`treasury_account_lamports`: the account's lamports, 0 when it does not exist)."""
    return state.root_share_held + treasury_balance(treasury_account_lamports)


def committed_lamports(state: DatState) -> int:
    """What the fee pool owes (`DatState::committed_lamports`): Σ pending plus the root's held
    share; the program keeps it ≤ what the pool really holds."""
    return state.total_pending_fees + state.root_share_held


def token_input(stats: TokenStats, symbol: str | None = None, incoming_fees: int = 0) -> TokenInput:
    """A registered token as the planner sees it (symbol: the mint's first characters by default).
    `incoming_fees`: a fee-sharing token's fee-account balance above rent (and what waits in its
    config vault when the cycle transaction sweeps it)."""
    return TokenInput(
        mint=str(stats.mint),
        symbol=symbol if symbol is not None else str(stats.mint)[:6],
        is_root=stats.is_root,
        pending_fees=stats.pending_fees,
        last_cycle_id=stats.last_cycle_id,
        incoming_fees=incoming_fees,
        fee_sharing=stats.attribution == ATTRIBUTION_FEE_SHARING,
    )
