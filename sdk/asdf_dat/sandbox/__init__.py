"""One sandbox world for the demo, the localnet, tests and benchmarks: the asdf_dat program and
the pump / PumpSwap stand-in on an in-process LiteSVM, the DAT set up, N tokens of any venue and
token program, served in-process (`EmbeddedTransport`) or over JSON-RPC (`Sandbox.start`).

Not used by the fee daemon or the orchestrator: they run against whatever cluster they are given.
"""

from asdf_dat.sandbox.keys import SeededKeypairs
from asdf_dat.sandbox.setup import inject_program_data, set_up_dat
from asdf_dat.sandbox.tokens import (
    STANDARD_TOKENS,
    SandboxFiles,
    SandboxToken,
    TokenSpec,
    create_tokens,
    spread_tokens,
    write_token_files,
)
from asdf_dat.sandbox.world import (
    LAMPORTS_PER_SOL,
    Sandbox,
    Trade,
    build_sandbox,
    build_sandbox_sync,
    build_spread_sandbox,
    fee_reports,
)

__all__ = [
    "LAMPORTS_PER_SOL",
    "STANDARD_TOKENS",
    "Sandbox",
    "SandboxFiles",
    "SandboxToken",
    "SeededKeypairs",
    "TokenSpec",
    "Trade",
    "build_sandbox",
    "build_sandbox_sync",
    "build_spread_sandbox",
    "create_tokens",
    "fee_reports",
    "inject_program_data",
    "set_up_dat",
    "spread_tokens",
    "write_token_files",
]
