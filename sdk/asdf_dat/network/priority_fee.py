"""Priority fee from recent prioritization fees: p75 of the non-zero values, clamped."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Final

MIN_PRIORITY_FEE_MICRO_LAMPORTS: Final = 1_000
MAX_PRIORITY_FEE_MICRO_LAMPORTS: Final = 1_000_000
PRIORITY_FEE_PERCENTILE: Final = 75


def percentile(values: Iterable[int], percent: int) -> int | None:
    """Nearest-rank percentile (the smallest value with at least `percent`% of values <= it)."""
    ordered = sorted(values)
    if not ordered:
        return None
    if not 0 < percent <= 100:
        raise ValueError("percent must be in (0, 100]")
    rank = math.ceil(percent * len(ordered) / 100)
    return ordered[rank - 1]


def priority_fee_micro_lamports(
    recent_fees: Iterable[int],
    *,
    floor: int = MIN_PRIORITY_FEE_MICRO_LAMPORTS,
    cap: int = MAX_PRIORITY_FEE_MICRO_LAMPORTS,
) -> int:
    """Compute-unit price to pay: p75 of the non-zero recent fees, clamped to [floor, cap].

    With no non-zero fee (an idle cluster), the floor.
    """
    if floor > cap:
        raise ValueError("floor must not exceed cap")
    p75 = percentile((fee for fee in recent_fees if fee > 0), PRIORITY_FEE_PERCENTILE)
    if p75 is None:
        return floor
    return max(floor, min(cap, p75))


def priority_fee_lamports(micro_lamports_per_unit: int, compute_unit_limit: int) -> int:
    """Lamports a transaction pays in priority fee (rounded up, as the runtime does)."""
    return -(-micro_lamports_per_unit * compute_unit_limit // 1_000_000)
