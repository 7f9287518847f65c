"""Test helpers for the asdf_dat program in LiteSVM: instruction builders (Anchor
discriminators + borsh args), state decoders, the ProgramData fixture that makes a key the
upgrade authority, event decoding and transaction sending with CU capture."""

from __future__ import annotations

import base64
import hashlib
import re
import struct
from dataclasses import dataclass
from typing import Any

from solders.account import Account
from solders.hash import Hash
from solders.instruction import AccountMeta, Instruction
from solders.keypair import Keypair
from solders.litesvm import LiteSVM
from solders.message import Message
from solders.pubkey import Pubkey
from solders.transaction import Transaction
from solders.transaction_metadata import FailedTransactionMetadata, TransactionMetadata

from asdf_dat.programs import ASDF_DAT_PROGRAM_ID as DAT_ID
from asdf_dat.pump import addresses as paddr
from asdf_dat.pump.addresses import (
    ASSOCIATED_TOKEN_PROGRAM_ID,
    PUMP_AMM_PROGRAM_ID,
    PUMP_FEE_PROGRAM_ID,
    PUMP_PROGRAM_ID,
    SYSTEM_PROGRAM_ID,
    TOKEN_2022_PROGRAM_ID,
    TOKEN_PROGRAM_ID,
    WSOL_MINT,
)

BPF_LOADER_UPGRADEABLE = Pubkey.from_string("BPFLoaderUpgradeab1e11111111111111111111111")
RENT_EXEMPT_ZERO = 890_880
POOL_BONDING_CURVE = 0
POOL_AMM = 1

# ---------------------------------------------------------------- errors (errors.rs order)
ERRORS = [
    "DATNotActive",
    "InsufficientFees",
    "CycleTooSoon",
    "SlippageExceeded",
    "InvalidRootTreasury",
    "Unauthorized",
    "InvalidParameter",
    "MathOverflow",
    "InvalidFeeSplit",
    "NoPendingFeeSplit",
    "TimelockNotElapsed",
    "NoPendingAdmin",
    "StaleWatermark",
    "OverAttribution",
    "MintMismatch",
    "InvalidTokenProgram",
    "InvalidTokenAccount",
    "InvalidPool",
    "InvalidExternalAccount",
    "NotUpgradeAuthority",
    "InvalidRootToken",
    "BudgetExceeded",
    "WrongPoolType",
]
ERROR_CODE = {name: 6000 + i for i, name in enumerate(ERRORS)}


# ---------------------------------------------------------------- PDAs
def state_pda() -> Pubkey:
    return Pubkey.find_program_address([b"dat_state"], DAT_ID)[0]


def authority_pda() -> Pubkey:
    return Pubkey.find_program_address([b"dat_authority"], DAT_ID)[0]


def token_stats_pda(mint: Pubkey) -> Pubkey:
    return Pubkey.find_program_address([b"token_stats", bytes(mint)], DAT_ID)[0]


def root_treasury_pda(root_mint: Pubkey) -> Pubkey:
    return Pubkey.find_program_address([b"root_treasury", bytes(root_mint)], DAT_ID)[0]


def wsol_scratch_pda() -> Pubkey:
    return Pubkey.find_program_address([b"wsol_scratch"], DAT_ID)[0]


def program_data_pda() -> Pubkey:
    return Pubkey.find_program_address([bytes(DAT_ID)], BPF_LOADER_UPGRADEABLE)[0]


def set_upgrade_authority(svm: LiteSVM, authority: Pubkey | None, *, owner: Pubkey = BPF_LOADER_UPGRADEABLE) -> None:
    """Injects this program's ProgramData account (tag 3, slot, Option<authority>)."""
    opt = bytes([0]) + bytes(32) if authority is None else bytes([1]) + bytes(authority)
    data = struct.pack("<IQ", 3, 0) + opt
    svm.set_account(
        program_data_pda(),
        Account(lamports=svm.minimum_balance_for_rent_exemption(len(data)), data=data, owner=owner, executable=False),
    )


# ---------------------------------------------------------------- layouts
def _layout(fields: list[tuple[str, str]]) -> tuple[dict[str, tuple[int, str]], int]:
    sizes = {"pk": 32, "u8": 1, "bool": 1, "u16": 2, "u64": 8, "i64": 8}
    off = 8
    out: dict[str, tuple[int, str]] = {}
    for name, kind in fields:
        size = int(kind[1:]) if kind.startswith("r") else sizes[kind]
        out[name] = (off, kind)
        off += size
    return out, off


DAT_STATE_FIELDS, DAT_STATE_SIZE = _layout(
    [
        ("admin", "pk"), ("pending_admin", "pk"), ("keeper", "pk"), ("authority", "pk"),
        ("bc_creator_vault", "pk"), ("amm_vault_authority", "pk"), ("amm_vault_ata", "pk"),
        ("authority_wsol_ata", "pk"), ("root_mint", "pk"), ("root_treasury", "pk"),
        ("bump", "u8"), ("authority_bump", "u8"), ("root_treasury_bump", "u8"), ("is_active", "bool"),
        ("consecutive_failures", "u8"), ("fee_split_bps", "u16"), ("pending_fee_split_bps", "u16"),
        ("pending_fee_split_at", "i64"), ("fee_split_timelock_secs", "i64"), ("min_fees_per_token", "u64"),
        ("max_fees_per_cycle", "u64"), ("min_allocation_secondary", "u64"), ("min_allocation_root", "u64"),
        ("slippage_bps", "u16"), ("min_cycle_interval_secs", "i64"), ("cycle_id", "u64"),
        ("cycle_started_at", "i64"), ("cycle_fees_taken", "u64"), ("total_pending_fees", "u64"),
        ("held_lamports", "u64"), ("held_wsol", "u64"), ("treasury_lamports", "u64"),
        ("total_collected", "u64"), ("total_sol_spent", "u64"), ("total_sent_to_root", "u64"),
        ("total_cycles", "u64"), ("failed_cycles", "u64"), ("last_attribution_slot", "u64"),
        ("wsol_scratch", "pk"), ("wsol_scratch_bump", "u8"), ("pump_user_volume_accumulator", "pk"),
        ("amm_user_volume_accumulator", "pk"), ("reserved", "r256"),
    ]
)
TOKEN_STATS_FIELDS, TOKEN_STATS_SIZE = _layout(
    [
        ("mint", "pk"), ("token_program", "pk"), ("pool", "pk"), ("dat_token_account", "pk"), ("pool_token_account", "pk"),
        ("pool_type", "u8"), ("is_root", "bool"), ("bump", "u8"), ("decimals", "u8"),
        ("pending_fees", "u64"), ("watermark_slot", "u64"), ("watermark_seq", "u64"),
        ("total_sol_attributed", "u64"), ("total_sol_spent", "u64"), ("total_sent_to_root", "u64"),
        ("total_received_from_others", "u64"), ("total_tokens_burned", "u64"), ("cycles", "u64"),
        ("last_cycle_at", "i64"), ("last_cycle_id", "u64"), ("reserved", "r128"),
    ]
)


def _decode(data: bytes, fields: dict[str, tuple[int, str]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, (off, kind) in fields.items():
        if kind == "pk":
            out[name] = Pubkey.from_bytes(data[off : off + 32])
        elif kind in ("u8",):
            out[name] = data[off]
        elif kind == "bool":
            out[name] = data[off] != 0
        elif kind == "u16":
            out[name] = struct.unpack_from("<H", data, off)[0]
        elif kind == "u64":
            out[name] = struct.unpack_from("<Q", data, off)[0]
        elif kind == "i64":
            out[name] = struct.unpack_from("<q", data, off)[0]
    return out


def account_discriminator(name: str) -> bytes:
    return hashlib.sha256(f"account:{name}".encode()).digest()[:8]


def read_state(svm: LiteSVM) -> dict[str, Any]:
    acc = svm.get_account(state_pda())
    assert acc is not None, "state not initialized"
    data = bytes(acc.data)
    assert data[:8] == account_discriminator("DatState")
    return _decode(data, DAT_STATE_FIELDS)


def read_stats(svm: LiteSVM, mint: Pubkey) -> dict[str, Any]:
    acc = svm.get_account(token_stats_pda(mint))
    assert acc is not None, "token stats missing"
    data = bytes(acc.data)
    assert data[:8] == account_discriminator("TokenStats")
    return _decode(data, TOKEN_STATS_FIELDS)


def lamports(svm: LiteSVM, key: Pubkey) -> int:
    acc = svm.get_account(key)
    return 0 if acc is None else acc.lamports


def token_balance(svm: LiteSVM, key: Pubkey) -> int:
    acc = svm.get_account(key)
    if acc is None or len(acc.data) < 72:
        return 0
    return struct.unpack_from("<Q", bytes(acc.data), 64)[0]


def mint_supply(svm: LiteSVM, mint: Pubkey) -> int:
    return struct.unpack_from("<Q", bytes(svm.get_account(mint).data), 36)[0]


# ---------------------------------------------------------------- instructions
def ix_discriminator(name: str) -> bytes:
    return hashlib.sha256(f"global:{name}".encode()).digest()[:8]


def _m(key: Pubkey, writable: bool = False, signer: bool = False) -> AccountMeta:
    return AccountMeta(key, is_signer=signer, is_writable=writable)


def ix_initialize(admin: Pubkey, keeper: Pubkey, program_data: Pubkey | None = None) -> Instruction:
    return Instruction(
        DAT_ID,
        ix_discriminator("initialize") + bytes(keeper),
        [
            _m(admin, True, True),
            _m(state_pda(), True),
            _m(authority_pda(), True),
            _m(program_data or program_data_pda()),
            _m(SYSTEM_PROGRAM_ID),
        ],
    )


def ix_admin(name: str, admin: Pubkey, data: bytes = b"") -> Instruction:
    """Instructions with the `AdminOnly` / `OperatorOnly` accounts (signer, state)."""
    return Instruction(DAT_ID, ix_discriminator(name) + data, [_m(admin, signer=True), _m(state_pda(), True)])


def ix_set_keeper(admin: Pubkey, keeper: Pubkey) -> Instruction:
    return ix_admin("set_keeper", admin, bytes(keeper))


def ix_pause(admin: Pubkey) -> Instruction:
    return ix_admin("pause", admin)


def ix_resume(admin: Pubkey) -> Instruction:
    return ix_admin("resume", admin)


def ix_record_failure(operator: Pubkey, code: int = 1) -> Instruction:
    return ix_admin("record_failure", operator, struct.pack("<I", code))


def ix_propose_admin(admin: Pubkey, new_admin: Pubkey) -> Instruction:
    return ix_admin("propose_admin", admin, bytes(new_admin))


def ix_accept_admin(new_admin: Pubkey) -> Instruction:
    return Instruction(
        DAT_ID, ix_discriminator("accept_admin"), [_m(new_admin, signer=True), _m(state_pda(), True)]
    )


def ix_cancel_admin_transfer(admin: Pubkey) -> Instruction:
    return ix_admin("cancel_admin_transfer", admin)


def ix_propose_fee_split(admin: Pubkey, bps: int) -> Instruction:
    return ix_admin("propose_fee_split", admin, struct.pack("<H", bps))


def ix_execute_fee_split(admin: Pubkey) -> Instruction:
    return ix_admin("execute_fee_split", admin)


def ix_cancel_fee_split(admin: Pubkey) -> Instruction:
    return ix_admin("cancel_fee_split", admin)


@dataclass
class Params:
    min_fees_per_token: int = 6_000_000
    max_fees_per_cycle: int = 1_000_000_000
    min_allocation_secondary: int = 5_690_000
    min_allocation_root: int = 2_000_000
    slippage_bps: int = 500
    min_cycle_interval_secs: int = 60
    fee_split_timelock_secs: int = 3600

    def encode(self) -> bytes:
        return struct.pack(
            "<QQQQHqq",
            self.min_fees_per_token,
            self.max_fees_per_cycle,
            self.min_allocation_secondary,
            self.min_allocation_root,
            self.slippage_bps,
            self.min_cycle_interval_secs,
            self.fee_split_timelock_secs,
        )


def ix_update_parameters(admin: Pubkey, params: Params) -> Instruction:
    return ix_admin("update_parameters", admin, params.encode())


def ix_register_token(
    admin: Pubkey, mint: Pubkey, token_program: Pubkey, pool: Pubkey, pool_type: int,
    dat_token_account: Pubkey | None = None,
) -> Instruction:
    ata = dat_token_account or paddr.associated_token_address(authority_pda(), mint, token_program)
    return Instruction(
        DAT_ID,
        ix_discriminator("register_token") + bytes([pool_type]),
        [
            _m(admin, True, True),
            _m(state_pda()),
            _m(mint),
            _m(token_stats_pda(mint), True),
            _m(token_program),
            _m(pool),
            _m(ata, True),
            _m(authority_pda()),
            _m(SYSTEM_PROGRAM_ID),
            _m(ASSOCIATED_TOKEN_PROGRAM_ID),
        ],
    )


def ix_set_token_pool(admin: Pubkey, mint: Pubkey, pool: Pubkey, pool_type: int) -> Instruction:
    return Instruction(
        DAT_ID,
        ix_discriminator("set_token_pool") + bytes([pool_type]),
        [_m(admin, signer=True), _m(state_pda()), _m(token_stats_pda(mint), True), _m(pool)],
    )


def ix_set_root_token(admin: Pubkey, new_root: Pubkey, old_root: Pubkey | None = None) -> Instruction:
    metas = [
        _m(admin, True, True),
        _m(state_pda(), True),
        _m(token_stats_pda(new_root), True),
        _m(root_treasury_pda(new_root), True),
        _m(SYSTEM_PROGRAM_ID),
    ]
    if old_root is not None:
        metas += [_m(token_stats_pda(old_root), True), _m(root_treasury_pda(old_root), True)]
    return Instruction(DAT_ID, ix_discriminator("set_root_token"), metas)


def ix_init_wsol_accounts(admin: Pubkey) -> Instruction:
    auth = authority_pda()
    vault_auth = paddr.coin_creator_vault_authority(auth)
    return Instruction(
        DAT_ID,
        ix_discriminator("init_wsol_accounts"),
        [
            _m(admin, True, True),
            _m(state_pda()),
            _m(auth),
            _m(paddr.associated_token_address(auth, WSOL_MINT), True),
            _m(vault_auth),
            _m(paddr.associated_token_address(vault_auth, WSOL_MINT), True),
            _m(WSOL_MINT),
            _m(TOKEN_PROGRAM_ID),
            _m(SYSTEM_PROGRAM_ID),
            _m(ASSOCIATED_TOKEN_PROGRAM_ID),
        ],
    )


@dataclass
class FeeReport:
    mint: Pubkey
    amount: int
    slot: int
    seq: int


def ix_update_pending_fees(keeper: Pubkey, reports: list[FeeReport]) -> Instruction:
    auth = authority_pda()
    data = ix_discriminator("update_pending_fees") + struct.pack("<I", len(reports))
    for r in reports:
        data += struct.pack("<QQQ", r.amount, r.slot, r.seq)
    metas = [
        _m(keeper, signer=True),
        _m(state_pda(), True),
        _m(paddr.creator_vault(auth)),
        _m(paddr.coin_creator_vault_ata(auth)),
    ] + [_m(token_stats_pda(r.mint), True) for r in reports]
    return Instruction(DAT_ID, data, metas)


@dataclass
class TokenRef:
    """What a cycle instruction needs to know about a registered token."""

    mint: Pubkey
    token_program: Pubkey
    pool_type: int
    is_root: bool = False


def bc_cycle_accounts(
    operator: Pubkey, token: TokenRef, root_mint: Pubkey, fee_rcpt: Pubkey, **overrides: Pubkey
) -> list[AccountMeta]:
    """Accounts of `execute_cycle_bc` in order; `overrides` swaps any by field name."""
    auth = authority_pda()
    curve = paddr.bonding_curve(token.mint)
    names = [
        ("operator", operator, False, True),
        ("state", state_pda(), True, False),
        ("token_stats", token_stats_pda(token.mint), True, False),
        ("root_treasury", root_treasury_pda(root_mint), True, False),
        ("authority", auth, True, False),
        ("mint", token.mint, True, False),
        ("dat_token_account", paddr.associated_token_address(auth, token.mint, token.token_program), True, False),
        ("token_program", token.token_program, False, False),
        ("bonding_curve", curve, True, False),
        ("associated_bonding_curve", paddr.associated_token_address(curve, token.mint, token.token_program), True, False),
        ("global", paddr.pump_global(), False, False),
        ("fee_recipient", fee_rcpt, True, False),
        ("creator_vault", paddr.creator_vault(auth), True, False),
        ("event_authority", paddr.pump_event_authority(), False, False),
        ("pump_program", PUMP_PROGRAM_ID, False, False),
        ("global_volume_accumulator", paddr.pump_global_volume_accumulator(), False, False),
        ("user_volume_accumulator", paddr.pump_user_volume_accumulator(auth), True, False),
        ("fee_config", paddr.pump_fee_config(), False, False),
        ("fee_program", PUMP_FEE_PROGRAM_ID, False, False),
        ("system_program", SYSTEM_PROGRAM_ID, False, False),
    ]
    for k in overrides:
        assert k in [n for n, *_ in names], k
    return [_m(overrides.get(n, key), w, s) for n, key, w, s in names]


def amm_cycle_accounts(
    operator: Pubkey,
    token: TokenRef,
    root_mint: Pubkey,
    protocol_rcpt: Pubkey,
    **overrides: Pubkey,
) -> list[AccountMeta]:
    """Accounts of `execute_cycle_amm` in order; `overrides` swaps any by field name."""
    auth = authority_pda()
    pool = paddr.canonical_pool(token.mint)
    names = [
        ("operator", operator, False, True),
        ("state", state_pda(), True, False),
        ("token_stats", token_stats_pda(token.mint), True, False),
        ("root_treasury", root_treasury_pda(root_mint), True, False),
        ("authority", auth, True, False),
        ("mint", token.mint, True, False),
        ("dat_token_account", paddr.associated_token_address(auth, token.mint, token.token_program), True, False),
        ("token_program", token.token_program, False, False),
        ("pool", pool, True, False),
        ("global_config", paddr.amm_global_config(), False, False),
        ("wsol_mint", WSOL_MINT, False, False),
        ("authority_wsol_ata", paddr.associated_token_address(auth, WSOL_MINT), True, False),
        ("pool_base_token_account", paddr.associated_token_address(pool, token.mint, token.token_program), True, False),
        ("pool_quote_token_account", paddr.associated_token_address(pool, WSOL_MINT), True, False),
        ("protocol_fee_recipient", protocol_rcpt, False, False),
        ("protocol_fee_recipient_token_account", paddr.associated_token_address(protocol_rcpt, WSOL_MINT), True, False),
        ("quote_token_program", TOKEN_PROGRAM_ID, False, False),
        ("system_program", SYSTEM_PROGRAM_ID, False, False),
        ("associated_token_program", ASSOCIATED_TOKEN_PROGRAM_ID, False, False),
        ("event_authority", paddr.amm_event_authority(), False, False),
        ("amm_program", PUMP_AMM_PROGRAM_ID, False, False),
        ("coin_creator_vault_ata", paddr.coin_creator_vault_ata(auth), True, False),
        ("coin_creator_vault_authority", paddr.coin_creator_vault_authority(auth), False, False),
        ("global_volume_accumulator", paddr.amm_global_volume_accumulator(), False, False),
        ("user_volume_accumulator", paddr.amm_user_volume_accumulator(auth), True, False),
        ("fee_config", paddr.amm_fee_config(), False, False),
        ("fee_program", PUMP_FEE_PROGRAM_ID, False, False),
        ("wsol_scratch", wsol_scratch_pda(), True, False),
    ]
    names[0] = ("operator", operator, True, True)
    for k in overrides:
        assert k in [n for n, *_ in names], k
    return [_m(overrides.get(n, key), w, s) for n, key, w, s in names]


def ix_execute_cycle(
    token: TokenRef, quoted_tokens_out: int, accounts: list[AccountMeta]
) -> Instruction:
    name = "execute_cycle_bc" if token.pool_type == POOL_BONDING_CURVE else "execute_cycle_amm"
    return Instruction(DAT_ID, ix_discriminator(name) + struct.pack("<Q", quoted_tokens_out), accounts)


# ---------------------------------------------------------------- events
def event_discriminator(name: str) -> bytes:
    return hashlib.sha256(f"event:{name}".encode()).digest()[:8]


EVENT_FIELDS: dict[str, list[tuple[str, str]]] = {
    "PendingFeesUpdated": [("mint", "pk"), ("amount", "u64"), ("pending_fees", "u64"), ("total_pending_fees", "u64"), ("watermark_slot", "u64"), ("watermark_seq", "u64"), ("timestamp", "i64")],
    "FeesCollected": [("venue", "u8"), ("amount", "u64"), ("held_lamports", "u64"), ("held_wsol", "u64"), ("timestamp", "i64")],
    "WsolUnwrapped": [("amount", "u64"), ("held_lamports", "u64"), ("held_wsol", "u64")],
    "WsolWrapped": [("amount", "u64"), ("held_lamports", "u64"), ("held_wsol", "u64")],
    "RootShareSent": [("from_mint", "pk"), ("root_mint", "pk"), ("amount", "u64"), ("treasury_lamports", "u64")],
    "TreasuryDrained": [("root_mint", "pk"), ("amount", "u64")],
    "BuyExecuted": [("mint", "pk"), ("pool_type", "u8"), ("sol_budget", "u64"), ("sol_spent", "u64"), ("tokens_bought", "u64"), ("min_tokens_out", "u64")],
    "TokensBurned": [("mint", "pk"), ("amount", "u64"), ("total_burned", "u64")],
    "CycleCompleted": [("mint", "pk"), ("cycle_id", "u64"), ("allocation", "u64"), ("sent_to_root", "u64"), ("treasury_used", "u64"), ("sol_spent", "u64"), ("returned_to_pending", "u64"), ("tokens_burned", "u64"), ("pending_fees", "u64"), ("timestamp", "i64")],
    "CycleDeferred": [("mint", "pk"), ("reason", "u8"), ("pending_fees", "u64"), ("allocation", "u64"), ("timestamp", "i64")],
    "CycleFailed": [("error_code", "u32"), ("consecutive_failures", "u8"), ("failed_cycles", "u64"), ("timestamp", "i64")],
    "StatusChanged": [("is_active", "bool"), ("consecutive_failures", "u8"), ("by", "pk"), ("timestamp", "i64")],
    "FeeSplitProposed": [("old_bps", "u16"), ("new_bps", "u16"), ("executable_at", "i64"), ("timestamp", "i64")],
    "FeeSplitUpdated": [("old_bps", "u16"), ("new_bps", "u16"), ("timestamp", "i64")],
    "AdminTransferred": [("old_admin", "pk"), ("new_admin", "pk"), ("timestamp", "i64")],
    "RootTokenSet": [("old_root", "pk"), ("new_root", "pk"), ("new_treasury", "pk"), ("treasury_lamports_moved", "u64"), ("treasury_rent_funded", "u64"), ("timestamp", "i64")],
}
_EVENT_BY_DISC = {event_discriminator(n): n for n in EVENT_FIELDS}
_KIND = {"pk": (32, None), "u8": (1, "<B"), "bool": (1, "<?"), "u16": (2, "<H"), "u32": (4, "<I"), "u64": (8, "<Q"), "i64": (8, "<q")}


def decode_events(logs: list[str]) -> list[tuple[str, dict[str, Any]]]:
    """Our `Program data:` events (only those listed in EVENT_FIELDS), in order."""
    out = []
    for line in logs:
        if not line.startswith("Program data: "):
            continue
        raw = base64.b64decode(line.split(": ", 1)[1].split()[0])
        name = _EVENT_BY_DISC.get(raw[:8])
        if name is None:
            continue
        off, vals = 8, {}
        for field, kind in EVENT_FIELDS[name]:
            size, fmt = _KIND[kind]
            vals[field] = Pubkey.from_bytes(raw[off : off + 32]) if fmt is None else struct.unpack_from(fmt, raw, off)[0]
            off += size
        out.append((name, vals))
    return out


def events_named(logs: list[str], name: str) -> list[dict[str, Any]]:
    return [v for n, v in decode_events(logs) if n == name]


# ---------------------------------------------------------------- sending
class TxError(AssertionError):
    def __init__(self, meta: FailedTransactionMetadata):
        self.meta = meta
        self.err = str(meta.err())
        self.logs = list(meta.meta().logs())
        super().__init__(f"{self.err}\n" + "\n".join(self.logs[-25:]))

    @property
    def custom_code(self) -> int | None:
        m = re.search(r"Custom\((\d+)\)", self.err)
        return int(m.group(1)) if m else None


@dataclass
class TxResult:
    cu: int
    logs: list[str]

    def events(self, name: str) -> list[dict[str, Any]]:
        return events_named(self.logs, name)


def send(svm: LiteSVM, ixs: list[Instruction], payer: Keypair, signers: list[Keypair] | None = None) -> TxResult:
    """Sends a transaction; raises `TxError` on failure. Fresh blockhash each call."""
    svm.expire_blockhash()
    all_signers = [payer] + [s for s in (signers or []) if s.pubkey() != payer.pubkey()]
    msg = Message.new_with_blockhash(ixs, payer.pubkey(), svm.latest_blockhash())
    tx = Transaction(all_signers, msg, svm.latest_blockhash())
    res = svm.send_transaction(tx)
    if isinstance(res, FailedTransactionMetadata):
        raise TxError(res)
    assert isinstance(res, TransactionMetadata)
    return TxResult(cu=res.compute_units_consumed(), logs=list(res.logs()))


def send_err(svm: LiteSVM, ixs: list[Instruction], payer: Keypair, signers: list[Keypair] | None = None) -> TxError:
    try:
        send(svm, ixs, payer, signers)
    except TxError as e:
        return e
    raise AssertionError("transaction unexpectedly succeeded")


def expect_error(svm: LiteSVM, ixs: list[Instruction], payer: Keypair, error: str | int, signers: list[Keypair] | None = None) -> TxError:
    """Sends, expects failure with our named error (or a raw custom code)."""
    e = send_err(svm, ixs, payer, signers)
    code = ERROR_CODE[error] if isinstance(error, str) else error
    assert e.custom_code == code, f"expected {error} ({code}), got {e.err}\n" + "\n".join(e.logs[-15:])
    return e


def set_time(svm: LiteSVM, unix_timestamp: int, slot: int | None = None) -> None:
    clock = svm.get_clock()
    clock.unix_timestamp = unix_timestamp
    if slot is not None:
        clock.slot = slot
    svm.set_clock(clock)


# ---------------------------------------------------------------- quotes (math.rs mirrors)
def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def net_after_fees(spendable: int, bps: list[int]) -> int:
    net = spendable * 10_000 // (10_000 + sum(bps))
    total = net + sum(_ceil_div(net * b, 10_000) for b in bps)
    if total > spendable:
        net -= total - spendable
    return max(net, 0)


def curve_exact_in_quote(spendable: int, vt: int, vs: int, rt: int, protocol_bps: int = 95, creator_bps: int = 30) -> int:
    net = net_after_fees(spendable, [protocol_bps, creator_bps])
    if net <= 1:
        return 0
    return min((net - 1) * vt // (vs + net - 1), rt)


def pool_exact_in_quote(spendable: int, base: int, quote: int, lp: int = 20, protocol: int = 5, creator: int = 5) -> int:
    net = net_after_fees(spendable, [lp, protocol, creator])
    if net <= 1:
        return 0
    return base * (net - 1) // (quote + net - 1)


def planned_budget(state: dict[str, Any], stats: dict[str, Any], new_cycle: bool = True) -> tuple[int, int, int]:
    """(allocation, to_root, budget) the program will use for a token (no deferral)."""
    taken = 0 if new_cycle else state["cycle_fees_taken"]
    alloc = min(stats["pending_fees"], max(state["max_fees_per_cycle"] - taken, 0))
    if stats["is_root"]:
        return alloc, 0, alloc + state["treasury_lamports"]
    kept = alloc * state["fee_split_bps"] // 10_000
    return alloc, alloc - kept, kept


__all__ = [name for name in dir() if not name.startswith("_")]
_ = (Hash, TOKEN_2022_PROGRAM_ID)
