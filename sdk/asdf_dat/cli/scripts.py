"""`scripts/<name>.py`: the seed's command names as scripts, each running its `asdf-dat` command."""

from __future__ import annotations

import sys

from asdf_dat.cli.app import GROUPS, mount
from asdf_dat.cli.common import command_group


def run_script(command: str, argv: list[str] | None = None) -> None:
    """Entry point of `scripts/<command>.py`: runs the typer command with the script's arguments."""
    args = sys.argv[1:] if argv is None else argv
    mount(command_group(), GROUPS)(args=[command, *args], prog_name=f"{command}.py")
