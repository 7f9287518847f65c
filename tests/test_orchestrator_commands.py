"""The operator commands: names, scripts, arguments, and the lines health-check.sh greps."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from solders.pubkey import Pubkey
from typer.testing import CliRunner

from asdf_dat.cli import app
from asdf_dat.cli.status import dat_state_lines
from asdf_dat.dat.accounts import DatState
from asdf_dat.network.config import Network

REPO = Path(__file__).resolve().parents[1]
SCRIPTS = [
    "execute-ecosystem-cycle", "check-dat-state", "check-current-stats", "generate-volume",
    "sell-spl-tokens-simple", "init-token-stats", "set-root-token", "resume", "check-pool-liquidity",
]


def test_every_seed_command_is_a_typer_command_and_a_script() -> None:
    names = {c.name for c in app.registered_commands}
    assert set(SCRIPTS) <= names and "cycle" in names
    for name in SCRIPTS:
        assert (REPO / "scripts" / f"{name}.py").is_file()
    assert (REPO / "scripts" / "health-check.sh").is_file()


@pytest.mark.parametrize("name", SCRIPTS)
def test_help_lists_network(name: str) -> None:
    result = CliRunner().invoke(app, [name, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0 and "--network" in result.output


def test_script_runs_its_command() -> None:
    proc = subprocess.run([sys.executable, str(REPO / "scripts" / "check-dat-state.py"), "--help"],
                          capture_output=True, text=True, timeout=60, env={"COLUMNS": "200", "PATH": ""})
    assert proc.returncode == 0 and "Consecutive" not in proc.stdout and "--network" in proc.stdout


def _state(**over: object) -> DatState:
    k = Pubkey.new_unique()
    values: dict[str, object] = dict(
        admin=k, keeper=k, authority=k, bc_creator_vault=k, amm_vault_authority=k, amm_vault_ata=k,
        authority_wsol_ata=k, root_mint=Pubkey.default(), root_treasury=Pubkey.default(), is_active=True,
        consecutive_failures=0, fee_split_bps=5520, min_fees_per_token=6_000_000, max_fees_per_cycle=10**9,
        min_allocation_secondary=5_690_000, min_allocation_root=2_000_000, slippage_bps=500,
        min_cycle_interval_secs=60, cycle_id=0, cycle_started_at=0, cycle_fees_taken=0, total_pending_fees=0,
        total_collected=0, total_sol_spent=0,
        total_sent_to_root=0, total_cycles=0, failed_cycles=0,
        pending_admin=Pubkey.default(), bump=0, authority_bump=0, root_treasury_bump=0, pending_fee_split_bps=0,
        pending_fee_split_at=0, fee_split_timelock_secs=3600, last_attribution_slot=0, wsol_scratch=k,
        wsol_scratch_bump=0, pump_user_volume_accumulator=k, amm_user_volume_accumulator=k, cycle_pending_at_open=0,
        cycle_last_take_at=0, permissionless_cycles=False, keeper_mode_tokens=0,
        root_share_held=0, reserved_tail=[0] * 15, reserved_mid=[0] * 96, reserved=[0] * 128,
    )
    values.update(over)
    return DatState(**values)  # type: ignore[arg-type]


def test_check_dat_state_lines_are_greppable() -> None:
    lines = dat_state_lines(Network.DEVNET, _state(consecutive_failures=3), 1_000, None)
    failures = next(line for line in lines if "Consecutive Failures" in line)
    assert failures.split()[-1] == "3"  # health-check.sh: grep ... | awk '{print $NF}'
    assert "Last Cycle: never" in lines and "Root Token: not set" in lines
    root = Pubkey.new_unique()
    lines = dat_state_lines(Network.DEVNET, _state(root_mint=root, cycle_id=4, cycle_started_at=940), 1_000, "FROOT")
    assert f"Root Token: {root} (FROOT)" in lines
    assert "Last Cycle: 1970-01-01T00:15:40Z (60 s ago)" in lines
    assert "Cycle Cooldown: ready" in lines


def test_missing_wallet_is_a_clear_error(tmp_path: Path) -> None:
    config = tmp_path / "devnet-tokens" / "01-root.json"
    config.parent.mkdir()
    mint, curve, creator = Pubkey.new_unique(), Pubkey.new_unique(), Pubkey.new_unique()
    config.write_text(f'{{"mint": "{mint}", "bondingCurve": "{curve}", "creator": "{creator}", "name": "R", '
                      '"symbol": "R", "isRoot": true, "network": "devnet"}')
    proc = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "execute-ecosystem-cycle.py"), str(config), "--dry-run"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "", "RPC_URL": "http://127.0.0.1:9", "COLUMNS": "200"},
    )
    assert proc.returncode == 1
    assert "devnet-wallet.json" in proc.stderr and "Traceback" not in proc.stderr


def test_wallet_thresholds() -> None:
    from asdf_dat.cli.cycle import wallet_warnings

    assert wallet_warnings(200_000_000) == []
    assert "low" in wallet_warnings(50_000_000)[0]
    assert "critical" in wallet_warnings(5_000_000)[0]


def test_daemon_url_and_token_are_documented_where_an_operator_looks() -> None:
    """The cycle's /flush and health-check.sh: DAEMON_API_TOKEN and DAEMON_URL in every --help
    involved and in the README's first ten minutes."""
    cycle = CliRunner().invoke(app, ["execute-ecosystem-cycle", "--help"], env={"COLUMNS": "200"}).output
    daemon = subprocess.run([sys.executable, str(REPO / "scripts" / "monitor-ecosystem-fees.py"), "--help"],
                            capture_output=True, text=True, timeout=60).stdout
    health = subprocess.run(["bash", str(REPO / "scripts" / "health-check.sh"), "--help"],
                            capture_output=True, text=True, timeout=30)
    assert health.returncode == 0 and health.stdout.startswith("usage:")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    first_ten = readme[readme.index("## An operator's first ten minutes"):]
    first_ten = first_ten[: first_ten.index("\n## ", 5)]
    for text in (cycle, daemon, health.stdout, first_ten):
        assert "DAEMON_API_TOKEN" in text and "DAEMON_URL" in text
