"""`asdf-dat localnet --validator`: the embedded localnet's world on a real solana-test-validator.

* the DAT deployed as an upgradeable program (`--upgradeable-program`) whose upgrade authority
  is the admin, so `initialize`'s upgrade-authority check is the real one;
* the pump stand-in at pump's and PumpSwap's real ids (`--bpf-program`);
* pump's Global / GlobalConfig, fee recipients, the tokens' mints, curves, pool and vaults, the
  funded admin and traders (`--account-dir`, from `asdf_dat.validator.genesis`);
* the DAT set up through RPC only (initialize, register, WSOL accounts, root), then the seed's
  files (`localnet-tokens/*.json`, `localnet-wallet.json`) written.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from solders.keypair import Keypair
from solders.pubkey import Pubkey

from asdf_dat.dat.client import DatClient
from asdf_dat.network.transport import RpcTransport
from asdf_dat.programs import ASDF_DAT_PROGRAM_ID, PUMP_AMM_PROGRAM_ID, PUMP_PROGRAM_ID, program_path
from asdf_dat.pump.world import STANDIN_CRATE
from asdf_dat.sandbox import SandboxFiles, SandboxToken, set_up_dat, write_token_files
from asdf_dat.validator.binary import require_validator
from asdf_dat.validator.genesis import Genesis, build_genesis, write_account_dir
from asdf_dat.validator.process import UpgradeableProgram, ValidatorProcess, launch, wait_ready


@dataclass
class ValidatorLocalnet:
    process: ValidatorProcess
    genesis: Genesis
    files: SandboxFiles | None = None
    setup_compute_units: dict[str, int] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.process.url

    @property
    def ws_url(self) -> str:
        return self.process.ws_url

    @property
    def admin(self) -> Keypair:
        return self.genesis.admin

    @property
    def traders(self) -> list[Keypair]:
        return self.genesis.traders

    @property
    def tokens(self) -> list[SandboxToken]:
        return self.genesis.tokens

    def stop(self) -> None:
        self.process.stop()


async def start_validator_localnet(
    state_dir: Path,
    *,
    port: int = 8899,
    traders: int = 2,
    ledger: Path | None = None,
    set_up: bool = True,
    progress: Callable[[str], None] = lambda _: None,
) -> ValidatorLocalnet:
    """Start the validator with the world's genesis, set the DAT up through RPC (unless
    `set_up` is False) and write the seed's files into `state_dir`. On any failure the
    validator is stopped before the exception propagates."""
    binary = require_validator()
    genesis = build_genesis(traders=traders)
    base = ledger or Path(tempfile.mkdtemp(prefix="asdf-dat-validator-"))
    account_dir = base / "accounts"
    write_account_dir(genesis, account_dir)
    standin = program_path(STANDIN_CRATE)
    progress(f"starting {binary} (ledger {base / 'ledger'})")
    process = launch(
        binary,
        ledger=base / "ledger",
        rpc_port=port,
        account_dir=account_dir,
        programs={PUMP_PROGRAM_ID: standin, PUMP_AMM_PROGRAM_ID: standin},
        upgradeable=[UpgradeableProgram(ASDF_DAT_PROGRAM_ID, program_path("asdf_dat"), genesis.admin.pubkey())],
        cleanup_dir=base if ledger is None else None,
    )
    world = ValidatorLocalnet(process, genesis)
    try:
        await wait_ready(process)
        if set_up:
            progress("setting the DAT up through RPC: initialize, register, WSOL accounts, root")
            async with RpcTransport([process.url]) as transport:
                client = DatClient(transport, genesis.admin)
                world.setup_compute_units = await set_up_dat(client, genesis.tokens, keeper=genesis.admin.pubkey())
            world.files = write_token_files(state_dir, genesis.tokens, genesis.admin)
    except BaseException:
        process.stop()
        raise
    return world


def token_by_symbol(world: ValidatorLocalnet, symbol: str) -> SandboxToken:
    return next(t for t in world.tokens if t.symbol == symbol)


def mints(world: ValidatorLocalnet) -> list[Pubkey]:
    return [t.mint for t in world.tokens]
