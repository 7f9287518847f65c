from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asdf_dat.units import LAMPORTS_PER_SOL, format_sol, format_sol_amount, lamports_to_sol, sol_to_lamports


@pytest.mark.parametrize(
    ("lamports", "text"),
    [
        (25_000_000, "0.025 SOL"),
        (5_690_000, "0.00569 SOL"),
        (0, "0 SOL"),
        (10_000_000, "0.01 SOL"),
        (2_000_000, "0.002 SOL"),
        (7_000_000, "0.007 SOL"),
        (14_000_000, "0.014 SOL"),
        (56_700_000, "0.0567 SOL"),
        (1, "0.000000001 SOL"),
        (LAMPORTS_PER_SOL, "1 SOL"),
        (1_500_000_000, "1.5 SOL"),
        (69 * LAMPORTS_PER_SOL, "69 SOL"),
        (-5_000, "-0.000005 SOL"),
        (18_446_744_073_709_551_615, "18446744073.709551615 SOL"),
    ],
)
def test_format_sol_matches_the_seed(lamports: int, text: str) -> None:
    assert format_sol(lamports) == text


def test_amount_without_unit() -> None:
    assert format_sol_amount(25_000_000) == "0.025"


def test_conversions_are_exact() -> None:
    assert lamports_to_sol(5_690_000) == Decimal("0.00569")
    assert sol_to_lamports("0.5") == 500_000_000
    assert sol_to_lamports(Decimal("0.006")) == 6_000_000
    assert sol_to_lamports(0.1) == 100_000_000
    assert sol_to_lamports(2) == 2 * LAMPORTS_PER_SOL
    assert sol_to_lamports("1e-9") == 1


@pytest.mark.parametrize("bad", ["0.0000000001", "abc", "nan", "inf", ""])
def test_sol_to_lamports_refuses_non_lamport_amounts(bad: str) -> None:
    with pytest.raises(ValueError):
        sol_to_lamports(bad)


def test_types_are_checked() -> None:
    with pytest.raises(TypeError):
        format_sol(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        format_sol(True)
    with pytest.raises(TypeError):
        sol_to_lamports(True)


@given(st.integers(min_value=-(10**20), max_value=10**20))
def test_round_trip(lamports: int) -> None:
    assert sol_to_lamports(format_sol_amount(lamports)) == lamports
    assert sol_to_lamports(lamports_to_sol(lamports)) == lamports
    text = format_sol(lamports)
    assert text.endswith(" SOL") and "e" not in text.lower().removesuffix(" sol")
