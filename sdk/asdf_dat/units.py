"""Lamports and SOL: exact conversion and the seed's display format ("0.025 SOL")."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Final

LAMPORTS_PER_SOL: Final[int] = 1_000_000_000
_SOL_DECIMALS: Final[int] = 9


def lamports_to_sol(lamports: int) -> Decimal:
    """Exact SOL amount of `lamports` (no float rounding)."""
    return Decimal(_checked_int(lamports)).scaleb(-_SOL_DECIMALS)


def sol_to_lamports(sol: Decimal | int | str | float) -> int:
    """Lamports in `sol` SOL; refuses amounts that are not a whole number of lamports.

    Floats are read through their shortest decimal representation (`0.1` is 100,000,000).
    """
    if isinstance(sol, bool):
        raise TypeError("sol must be a number, not a bool")
    try:
        amount = Decimal(repr(sol)) if isinstance(sol, float) else Decimal(sol)
    except InvalidOperation as exc:
        raise ValueError(f"not a SOL amount: {sol!r}") from exc
    if not amount.is_finite():
        raise ValueError(f"not a finite SOL amount: {sol!r}")
    lamports = amount.scaleb(_SOL_DECIMALS)
    if lamports != lamports.to_integral_value():
        raise ValueError(f"{sol!r} SOL is not a whole number of lamports")
    return int(lamports)


def format_sol_amount(lamports: int) -> str:
    """The SOL number without unit: 25_000_000 -> "0.025", 0 -> "0", 10**9 -> "1"."""
    negative = lamports < 0
    whole, fraction = divmod(abs(_checked_int(lamports)), LAMPORTS_PER_SOL)
    text = str(whole)
    if fraction:
        text += "." + f"{fraction:09d}".rstrip("0")
    return f"-{text}" if negative else text


def format_sol(lamports: int) -> str:
    """The seed's format: 25_000_000 -> "0.025 SOL", 5_690_000 -> "0.00569 SOL", 0 -> "0 SOL"."""
    return f"{format_sol_amount(lamports)} SOL"


def format_token_amount(raw: int, decimals: int = 6) -> str:
    """Raw token units as whole tokens with thousands separators (pump coins have 6 decimals):
    1_234_567_890_000 -> "1,234,567.890000"."""
    if decimals <= 0:
        return f"{_checked_int(raw):,}"
    negative = raw < 0
    whole, fraction = divmod(abs(_checked_int(raw)), 10**decimals)
    text = f"{whole:,}.{fraction:0{decimals}d}"
    return f"-{text}" if negative else text


def _checked_int(lamports: int) -> int:
    if isinstance(lamports, bool) or not isinstance(lamports, int):
        raise TypeError(f"lamports must be an int, got {type(lamports).__name__}")
    return lamports
