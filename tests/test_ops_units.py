"""Pure pieces of the operator commands: the parameter bounds equal the program's constants, the
program id resolution order, `--program-id` extraction, and the dry-run status refinement."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from solders.keypair import Keypair

from asdf_dat.dat import parameters
from asdf_dat.dat.parameters import Parameters, fee_split_problems, parameter_problems
from asdf_dat.entry import extract_program_id
from asdf_dat.programs import DEFAULT_PROGRAM_ID, ProgramIdError, resolve_program_id

CONSTANTS_RS = Path(__file__).resolve().parents[1] / "programs" / "asdf_dat" / "src" / "constants.rs"


def _rust_constants() -> dict[str, int]:
    found = {}
    for name, expression in re.findall(r"pub const (\w+): [iu]\d+ = ([^;]+);", CONSTANTS_RS.read_text()):
        found[name] = int(eval(expression.replace("_", "")))  # literals like 30 * 86_400
    return found


def test_bounds_are_the_programs() -> None:
    rust = _rust_constants()
    names = [n for n in dir(parameters) if n.startswith(("MIN_", "MAX_"))]
    assert len(names) >= 16
    for name in names:
        assert getattr(parameters, name) == rust[name], name


def test_parameter_problems_match_the_program_rule() -> None:
    good = Parameters(6_000_000, 1_000_000_000, 5_690_000, 2_000_000, 500, 60, 3600)
    assert parameter_problems(good) == []
    assert parameter_problems(good.with_changes(slippage_bps=1001)) == ["slippage_bps = 1,001 is outside [10, 1,000]"]
    assert (
        "exceeds"
        in parameter_problems(good.with_changes(min_fees_per_token=20_000_000, max_fees_per_cycle=10_000_000))[0]
    )
    assert good.changed(good.with_changes(min_cycle_interval_secs=120)) == {"min_cycle_interval_secs": (60, 120)}
    assert fee_split_problems(5520, 5520) == ["fee split is already 5520 bps"]
    assert fee_split_problems(5520, 6020) == [] and len(fee_split_problems(5520, 6100)) == 1


def test_program_id_resolution_order(tmp_path: Path) -> None:
    mine, theirs = str(Keypair().pubkey()), str(Keypair().pubkey())
    assert resolve_program_id({}, tmp_path) == (resolve_program_id({}, tmp_path)[0], "default")
    assert str(resolve_program_id({}, tmp_path)[0]) == DEFAULT_PROGRAM_ID
    (tmp_path / "Anchor.toml").write_text(
        f'[provider]\ncluster = "devnet"\n[programs.devnet]\nasdf_dat = "{theirs}"\n[programs.localnet]\nasdf_dat = '
        f'"{mine}"\n'
    )
    assert [str(x) for x in resolve_program_id({}, tmp_path)] == [theirs, "Anchor.toml"]
    assert [str(x) for x in resolve_program_id({"ASDF_DAT_PROGRAM_ID": mine}, tmp_path)] == [mine, "env"]
    with pytest.raises(ProgramIdError, match="ASDF_DAT_PROGRAM_ID: 'nope' is not a base58 program id"):
        resolve_program_id({"ASDF_DAT_PROGRAM_ID": "nope"}, tmp_path)
    (tmp_path / "Anchor.toml").write_text("[programs.localnet\n")
    with pytest.raises(ProgramIdError, match="not readable TOML"):
        resolve_program_id({}, tmp_path)


def test_program_id_flag_is_taken_anywhere() -> None:
    assert extract_program_id(["--program-id", "X", "cycle", "c.json"]) == ("X", ["cycle", "c.json"])
    assert extract_program_id(["cycle", "--program-id=Y", "--dry-run"]) == ("Y", ["cycle", "--dry-run"])
    assert extract_program_id(["cycle", "--", "--program-id", "Z"]) == (None, ["cycle", "--", "--program-id", "Z"])
    assert extract_program_id(["--program-id"]) == (None, ["--program-id"])
