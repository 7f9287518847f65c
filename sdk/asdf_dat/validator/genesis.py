"""The accounts a validator starts with: pump's side of the world, built by the same code as
the embedded world (`PumpWorld`, `asdf_dat.sandbox.create_tokens` with `STANDARD_TOKENS`) and
exported as `--account` JSON files.

Nothing the DAT owns is exported: the DAT is set up through RPC once the validator runs.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path

from solders.account import Account
from solders.keypair import Keypair
from solders.pubkey import Pubkey

from asdf_dat.embedded import new_svm
from asdf_dat.pump.layouts import Global, GlobalConfig
from asdf_dat.pump.world import PumpWorld
from asdf_dat.sandbox import STANDARD_TOKENS, SandboxToken, create_tokens
from asdf_dat.sandbox.world import ADMIN_SOL, LAMPORTS_PER_SOL, TRADER_SOL

RENT_EXEMPT_EPOCH = 2**64 - 1


@dataclass(frozen=True)
class Genesis:
    """What the validator is started with."""

    admin: Keypair
    traders: list[Keypair]
    tokens: list[SandboxToken]
    global_state: Global
    global_config: GlobalConfig
    accounts: dict[Pubkey, Account]


def account_json(address: Pubkey, account: Account) -> dict[str, object]:
    """The `solana account --output json` shape that `--account` / `--account-dir` read."""
    data = bytes(account.data)
    return {
        "pubkey": str(address),
        "account": {
            "lamports": account.lamports,
            "data": [base64.b64encode(data).decode(), "base64"],
            "owner": str(account.owner),
            "executable": account.executable,
            "rentEpoch": RENT_EXEMPT_EPOCH,
            "space": len(data),
        },
    }


def build_genesis(*, traders: int = 2) -> Genesis:
    """Pump's Global / GlobalConfig and fee recipients, the ecosystem's tokens with their
    curves and pool, and funded wallets (the admin and `traders` others)."""
    pump = PumpWorld(svm=new_svm())
    tokens = create_tokens(pump, STANDARD_TOKENS)
    admin = Keypair()
    wallets = [Keypair() for _ in range(traders)]
    pump.fund(admin.pubkey(), ADMIN_SOL * LAMPORTS_PER_SOL)
    for wallet in wallets:
        pump.fund(wallet.pubkey(), TRADER_SOL * LAMPORTS_PER_SOL)
    accounts: dict[Pubkey, Account] = {}
    for address in pump.written:
        account = pump.svm.get_account(address)
        if account is not None:
            accounts[address] = account
    return Genesis(admin, wallets, tokens, pump.global_state, pump.global_config, accounts)


def write_account_dir(genesis: Genesis, directory: Path) -> list[Path]:
    """One JSON file per account in `directory` (for `--account-dir`)."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for address, account in genesis.accounts.items():
        path = directory / f"{address}.json"
        path.write_text(json.dumps(account_json(address, account)), encoding="utf-8")
        paths.append(path)
    return paths
