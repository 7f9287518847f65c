"""The program's parameter bounds (programs/asdf_dat/src/constants.rs, checked equal by a test)
and the same validity rule as `update_parameters::parameters_valid`, so a command can refuse an
out-of-bound value before sending anything."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from asdf_dat.dat.accounts import DatState
from asdf_dat.generated.types.dat_parameters import DatParameters

MIN_FEE_SPLIT_BPS = 1000
MAX_FEE_SPLIT_BPS = 9000
MAX_FEE_SPLIT_DELTA_BPS = 500
MIN_FEE_SPLIT_TIMELOCK_SECS = 3600
MAX_FEE_SPLIT_TIMELOCK_SECS = 30 * 86_400
MIN_SLIPPAGE_BPS = 10
MAX_SLIPPAGE_BPS = 1000
MIN_CYCLE_INTERVAL_FLOOR_SECS = 60
MAX_CYCLE_INTERVAL_SECS = 86_400
MIN_MAX_FEES_PER_CYCLE = 10_000_000
MAX_MAX_FEES_PER_CYCLE = 10_000_000_000
MIN_MIN_FEES_PER_TOKEN = 1_000_000
MAX_MIN_FEES_PER_TOKEN = 1_000_000_000
MIN_MIN_ALLOCATION_SECONDARY = 1_000_000
MIN_MIN_ALLOCATION_ROOT = 1_000_000
MAX_MIN_ALLOCATION = 1_000_000_000


@dataclass(frozen=True)
class Parameters:
    """The tunable parameters (`DatParameters`), in the program's units (lamports, bps, seconds)."""

    min_fees_per_token: int
    max_fees_per_cycle: int
    min_allocation_secondary: int
    min_allocation_root: int
    slippage_bps: int
    min_cycle_interval_secs: int
    fee_split_timelock_secs: int

    @classmethod
    def of_state(cls, state: DatState) -> Parameters:
        return cls(**{f.name: int(getattr(state, f.name)) for f in fields(cls)})

    def with_changes(self, **changes: int | None) -> Parameters:
        return replace(self, **{name: value for name, value in changes.items() if value is not None})

    def to_generated(self) -> DatParameters:
        return DatParameters(**{f.name: getattr(self, f.name) for f in fields(self)})

    def changed(self, other: Parameters) -> dict[str, tuple[int, int]]:
        """name -> (self's value, other's value) for every field that differs."""
        return {
            f.name: (getattr(self, f.name), getattr(other, f.name))
            for f in fields(self)
            if getattr(self, f.name) != getattr(other, f.name)
        }


BOUNDS: dict[str, tuple[int, int]] = {
    "min_fees_per_token": (MIN_MIN_FEES_PER_TOKEN, MAX_MIN_FEES_PER_TOKEN),
    "max_fees_per_cycle": (MIN_MAX_FEES_PER_CYCLE, MAX_MAX_FEES_PER_CYCLE),
    "min_allocation_secondary": (MIN_MIN_ALLOCATION_SECONDARY, MAX_MIN_ALLOCATION),
    "min_allocation_root": (MIN_MIN_ALLOCATION_ROOT, MAX_MIN_ALLOCATION),
    "slippage_bps": (MIN_SLIPPAGE_BPS, MAX_SLIPPAGE_BPS),
    "min_cycle_interval_secs": (MIN_CYCLE_INTERVAL_FLOOR_SECS, MAX_CYCLE_INTERVAL_SECS),
    "fee_split_timelock_secs": (MIN_FEE_SPLIT_TIMELOCK_SECS, MAX_FEE_SPLIT_TIMELOCK_SECS),
}


def parameter_problems(params: Parameters) -> list[str]:
    """Why the program would reject `params` (InvalidParameter); empty when it accepts them."""
    problems = [
        f"{name} = {getattr(params, name):,} is outside [{low:,}, {high:,}]"
        for name, (low, high) in BOUNDS.items()
        if not low <= getattr(params, name) <= high
    ]
    if params.min_fees_per_token > params.max_fees_per_cycle:
        problems.append(
            f"min_fees_per_token ({params.min_fees_per_token:,}) exceeds max_fees_per_cycle "
            f"({params.max_fees_per_cycle:,})"
        )
    return problems


def fee_split_problems(current_bps: int, new_bps: int) -> list[str]:
    """Why `propose_fee_split(new_bps)` would be rejected."""
    problems = []
    if not MIN_FEE_SPLIT_BPS <= new_bps <= MAX_FEE_SPLIT_BPS:
        problems.append(f"fee split {new_bps} bps is outside [{MIN_FEE_SPLIT_BPS}, {MAX_FEE_SPLIT_BPS}]")
    if abs(new_bps - current_bps) > MAX_FEE_SPLIT_DELTA_BPS:
        problems.append(
            f"fee split may move by at most {MAX_FEE_SPLIT_DELTA_BPS} bps per change ({current_bps} -> {new_bps})"
        )
    if new_bps == current_bps:
        problems.append(f"fee split is already {current_bps} bps")
    return problems
