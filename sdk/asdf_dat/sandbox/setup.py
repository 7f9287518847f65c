"""What a deploy and the admin do before an ecosystem runs: the program's ProgramData naming the
upgrade authority, then `initialize`, `register_token` (and `enable_fee_sharing`), the WSOL
accounts and the root, through any transport (the embedded ledger or a validator)."""

from __future__ import annotations

import struct
from collections.abc import Sequence

from solders.account import Account
from solders.litesvm import LiteSVM
from solders.pubkey import Pubkey

from asdf_dat.dat import instructions as dix
from asdf_dat.dat.client import DatClient, SendResult
from asdf_dat.dat.pdas import BPF_LOADER_UPGRADEABLE_ID, program_data_address
from asdf_dat.localnet.ledger import LocalLedger
from asdf_dat.programs import ASDF_DAT_PROGRAM_ID
from asdf_dat.sandbox.tokens import SandboxToken

__all__ = ["inject_program_data", "set_up_dat"]


def inject_program_data(
    ledger: LocalLedger | LiteSVM, upgrade_authority: Pubkey, program_id: Pubkey = ASDF_DAT_PROGRAM_ID
) -> Pubkey:
    """Writes the DAT program's ProgramData account (BPF upgradeable loader layout: u32 tag 3,
    u64 slot, Option<Pubkey> authority) naming `upgrade_authority`, as a deploy would, so that
    its `initialize` passes the front-running check."""
    data = struct.pack("<IQ", 3, 0) + bytes([1]) + bytes(upgrade_authority)
    address = program_data_address(program_id)
    svm = ledger.svm if isinstance(ledger, LocalLedger) else ledger
    svm.set_account(
        address,
        Account(
            lamports=svm.minimum_balance_for_rent_exemption(len(data)),
            data=data,
            owner=BPF_LOADER_UPGRADEABLE_ID,
            executable=False,
        ),
    )
    return address


async def set_up_dat(
    client: DatClient, tokens: Sequence[SandboxToken], *, keeper: Pubkey, register: bool = True
) -> dict[str, int]:
    """The admin's set-up, through the client's transport only: initialize (the client's payer
    must be the upgrade authority), the WSOL accounts, then unless `register` is False every
    token (switched to fee sharing where it says so) and the root.
    Returns the compute units of each instruction (max over its calls)."""
    units: dict[str, int] = {}

    def note(name: str, result: SendResult) -> None:
        for consumed in result.program_compute_units:
            units[name] = max(units.get(name, 0), consumed)

    note("initialize", await client.initialize(keeper=keeper))
    note("init_wsol_accounts", await client.init_wsol_accounts())
    if not register:
        return units
    for token in tokens:
        registered = await client.register_token(
            token.mint, token_program=token.token_program, pool=token.pool, pool_type=token.pool_type_id
        )
        note("register_token", registered)
        if token.fee_sharing:
            note("enable_fee_sharing", await client.send([dix.enable_fee_sharing(client.pubkey, token.mint)]))
    root = next((t for t in tokens if t.is_root), None)
    if root is not None:
        note("set_root_token", await client.set_root_token(root.mint))
    return units
