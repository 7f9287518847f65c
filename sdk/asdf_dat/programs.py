"""Program ids and where the compiled SBF binaries live."""

from __future__ import annotations

import os
from pathlib import Path

from solders.pubkey import Pubkey

ASDF_DAT_PROGRAM_ID = Pubkey.from_string("Da57QBZtk8eMgSe85Ky85px8G5Xxh3iSb2NJx2vn9dC4")
PUMP_PROGRAM_ID = Pubkey.from_string("6EF8rrecthR5Dkzon8Nwu78hRvfCKubJ14M5uBEwF6P")
PUMP_AMM_PROGRAM_ID = Pubkey.from_string("pAMMBay6oceH9fJKBRHGP5D4bD4sWpmSwMn52FMfXEA")
PUMP_FEE_PROGRAM_ID = Pubkey.from_string("pfeeUxB6jkeY1Hxd7CsFCAjcbHA9rWtchMGdZ6VojVZ")


def deploy_dir() -> Path:
    """Directory holding `<crate>.so`: `$ASDF_DAT_DEPLOY_DIR`, else the repo's `target/deploy`."""
    override = os.environ.get("ASDF_DAT_DEPLOY_DIR")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "target" / "deploy"


def program_path(crate: str) -> Path:
    path = deploy_dir() / f"{crate}.so"
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: run `make build` first")
    return path
