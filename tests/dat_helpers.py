"""Test helpers for the asdf_dat program in LiteSVM: instruction builders (Anchor
discriminators + borsh args), state decoders, the ProgramData fixture that makes a key the
upgrade authority, event decoding and transaction sending with CU capture."""

from __future__ import annotations

import hashlib
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
from solders.sysvar import INSTRUCTIONS as INSTRUCTIONS_SYSVAR
from solders.transaction import Transaction
from solders.transaction_metadata import FailedTransactionMetadata, TransactionMetadata

from asdf_dat.dat import math as dat_math
from asdf_dat.dat import pdas
from asdf_dat.dat.accounts import decode_dat_state, decode_token_stats
from asdf_dat.dat.errors import PROGRAM_ERRORS
from asdf_dat.dat.events import decode_events as sdk_decode_events
from asdf_dat.network.results import custom_error_code
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

BPF_LOADER_UPGRADEABLE = pdas.BPF_LOADER_UPGRADEABLE_ID
RENT_EXEMPT_ZERO = 890_880
POOL_BONDING_CURVE = 0
POOL_AMM = 1

# ---------------------------------------------------------------- errors (errors.rs order, from the SDK)
ERROR_CODE = {cls.name: code for code, cls in sorted(PROGRAM_ERRORS.items())}
ERRORS = list(ERROR_CODE)


# ---------------------------------------------------------------- PDAs
# the SDK's PDAs (asdf_dat.dat.pdas), under the names the program tests use
def state_pda() -> Pubkey:
    return pdas.state_address()


def authority_pda() -> Pubkey:
    return pdas.authority_address()


def token_stats_pda(mint: Pubkey) -> Pubkey:
    return pdas.token_stats_address(mint)


def root_treasury_pda(root_mint: Pubkey) -> Pubkey:
    return pdas.root_treasury_address(root_mint)


def wsol_scratch_pda() -> Pubkey:
    return pdas.wsol_scratch_address()


def program_data_pda() -> Pubkey:
    return pdas.program_data_address()


def set_upgrade_authority(svm: LiteSVM, authority: Pubkey | None, *, owner: Pubkey = BPF_LOADER_UPGRADEABLE) -> None:
    """Injects this program's ProgramData account (tag 3, slot, Option<authority>)."""
    opt = bytes([0]) + bytes(32) if authority is None else bytes([1]) + bytes(authority)
    data = struct.pack("<IQ", 3, 0) + opt
    svm.set_account(
        program_data_pda(),
        Account(lamports=svm.minimum_balance_for_rent_exemption(len(data)), data=data, owner=owner, executable=False),
    )


# ---------------------------------------------------------------- accounts (the SDK's decoders, as dicts)
def _fields(value: Any) -> dict[str, Any]:
    return {k: v for k, v in vars(value).items() if k != "reserved"}


def read_state(svm: LiteSVM) -> dict[str, Any]:
    acc = svm.get_account(state_pda())
    assert acc is not None, "state not initialized"
    return _fields(decode_dat_state(bytes(acc.data)))


def read_stats(svm: LiteSVM, mint: Pubkey) -> dict[str, Any]:
    acc = svm.get_account(token_stats_pda(mint))
    assert acc is not None, "token stats missing"
    return _fields(decode_token_stats(bytes(acc.data)))


def lamports(svm: LiteSVM, key: Pubkey) -> int:
    acc = svm.get_account(key)
    return 0 if acc is None else acc.lamports


def token_balance(svm: LiteSVM, key: Pubkey) -> int:
    acc = svm.get_account(key)
    if acc is None or len(acc.data) < 72:
        return 0
    return int(struct.unpack_from("<Q", bytes(acc.data), 64)[0])


def mint_supply(svm: LiteSVM, mint: Pubkey) -> int:
    acc = svm.get_account(mint)
    assert acc is not None, f"no mint account {mint}"
    return int(struct.unpack_from("<Q", bytes(acc.data), 36)[0])


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
            _m(state_pda(), True),
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
    """`prev_*`: the token's current watermark (the program compares it)."""

    mint: Pubkey
    amount: int
    slot: int
    seq: int
    prev_slot: int = 0
    prev_seq: int = 0


def ix_update_pending_fees(keeper: Pubkey, reports: list[FeeReport]) -> Instruction:
    auth = authority_pda()
    data = ix_discriminator("update_pending_fees") + struct.pack("<I", len(reports))
    for r in reports:
        data += struct.pack("<QQQQQ", r.amount, r.prev_slot, r.prev_seq, r.slot, r.seq)
    metas = [
        _m(keeper, signer=True),
        _m(state_pda(), True),
        _m(paddr.creator_vault(auth)),
        _m(paddr.coin_creator_vault_ata(auth)),
        _m(auth),
        _m(paddr.associated_token_address(auth, WSOL_MINT)),
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
        ("operator", operator, True, True),
        ("state", state_pda(), True, False),
        ("token_stats", token_stats_pda(token.mint), True, False),
        ("root_treasury", root_treasury_pda(root_mint), True, False),
        ("authority", auth, True, False),
        ("mint", token.mint, True, False),
        ("dat_token_account", paddr.associated_token_address(auth, token.mint, token.token_program), True, False),
        ("token_program", token.token_program, False, False),
        ("bonding_curve", curve, True, False),
        (
            "associated_bonding_curve",
            paddr.associated_token_address(curve, token.mint, token.token_program),
            True,
            False,
        ),
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
        ("authority_wsol_ata", paddr.associated_token_address(auth, WSOL_MINT), True, False),
        ("amm_vault_ata", paddr.coin_creator_vault_ata(auth), False, False),
        ("instructions_sysvar", INSTRUCTIONS_SYSVAR, False, False),
        ("wsol_scratch", wsol_scratch_pda(), True, False),
        ("wsol_mint", WSOL_MINT, False, False),
        ("quote_token_program", TOKEN_PROGRAM_ID, False, False),
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
        ("bc_creator_vault", paddr.creator_vault(auth), False, False),
        ("instructions_sysvar", INSTRUCTIONS_SYSVAR, False, False),
    ]
    for k in overrides:
        assert k in [n for n, *_ in names], k
    return [_m(overrides.get(n, key), w, s) for n, key, w, s in names]


def ix_execute_cycle(
    token: TokenRef, quoted_tokens_out: int, accounts: list[AccountMeta]
) -> Instruction:
    name = "execute_cycle_bc" if token.pool_type == POOL_BONDING_CURVE else "execute_cycle_amm"
    return Instruction(DAT_ID, ix_discriminator(name) + struct.pack("<Q", quoted_tokens_out), accounts)


# ---------------------------------------------------------------- events (the SDK's decoder, as dicts)
def decode_events(logs: list[str]) -> list[tuple[str, dict[str, Any]]]:
    """Our program's events, in order."""
    return [(e.name, _fields(e.data)) for e in sdk_decode_events(logs)]


def events_named(logs: list[str], name: str) -> list[dict[str, Any]]:
    return [v for n, v in decode_events(logs) if n == name]


# ---------------------------------------------------------------- sending
class TxError(AssertionError):
    def __init__(self, meta: FailedTransactionMetadata):
        self.meta = meta
        self.code = custom_error_code(meta.err())
        self.err = str(meta.err())
        self.logs = list(meta.meta().logs())
        super().__init__(f"{self.err}\n" + "\n".join(self.logs[-25:]))

    @property
    def custom_code(self) -> int | None:
        return self.code


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


def expect_error(
    svm: LiteSVM, ixs: list[Instruction], payer: Keypair, error: str | int, signers: list[Keypair] | None = None
) -> TxError:
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


# ---------------------------------------------------------------- quotes (the SDK's math.rs port)
def net_after_fees(spendable: int, bps: list[int]) -> int:
    net = dat_math.net_after_fees(spendable, dat_math.FeeRates(*bps))
    assert net is not None
    return net


def curve_exact_in_quote(
    spendable: int, vt: int, vs: int, rt: int, protocol_bps: int = 95, creator_bps: int = 30
) -> int:
    q = dat_math.CurveQuoteInput(vt, vs, rt, dat_math.FeeRates(protocol_bps, creator_bps))
    out = dat_math.curve_buy_exact_sol_in_quote(spendable, q)
    assert out is not None
    return out


def pool_exact_in_quote(
    spendable: int, base: int, quote: int, lp: int = 20, protocol: int = 5, creator: int = 5
) -> int:
    q = dat_math.PoolQuoteInput(base, quote, dat_math.FeeRates(lp, protocol, creator))
    out = dat_math.pool_buy_exact_quote_in_quote(spendable, q)
    assert out is not None
    return out


def treasury_lamports(svm: LiteSVM, state: dict[str, Any]) -> int:
    """What the root may spend besides its pending (cycle.rs): the share its secondaries left in
    the pool (`root_share_held`) plus the treasury account's real balance above rent."""
    return int(state["root_share_held"]) + treasury_account_lamports(svm, state)


def treasury_account_lamports(svm: LiteSVM, state: dict[str, Any]) -> int:
    """The root treasury account's real balance above rent."""
    return max(lamports(svm, state["root_treasury"]) - RENT_EXEMPT_ZERO, 0)


def planned_budget(
    state: dict[str, Any], stats: dict[str, Any], new_cycle: bool = True, treasury: int = 0
) -> tuple[int, int, int]:
    """(allocation, to_root, budget) the program will use for a token (no deferral);
    `treasury`: the root treasury's balance above rent."""
    taken, at_open = (
        (0, state["total_pending_fees"]) if new_cycle else (state["cycle_fees_taken"], state["cycle_pending_at_open"])
    )
    cap = state["max_fees_per_cycle"]
    alloc = dat_math.cycle_allocation(stats["pending_fees"], cap, taken, at_open)
    if stats["is_root"]:
        return alloc, 0, alloc + dat_math.treasury_share(treasury, cap, taken, alloc)
    split = dat_math.split_allocation(alloc, state["fee_split_bps"])
    assert split is not None
    kept, to_root = split
    return alloc, to_root, kept


__all__ = [name for name in dir() if not name.startswith("_")]
_ = (Hash, TOKEN_2022_PROGRAM_ID)


# ---------------------------------------------------------------- fee-sharing mode
def fee_vault_pda(mint: Pubkey) -> Pubkey:
    return pdas.fee_vault_address(mint)


def ix_enable_fee_sharing(admin: Pubkey, mint: Pubkey, **overrides: Pubkey) -> Instruction:
    auth = authority_pda()
    config = paddr.sharing_config(mint)
    pump_vault = paddr.creator_vault(config)
    amm_auth = paddr.coin_creator_vault_authority(config)
    names = [
        ("admin", admin, True, True),
        ("state", state_pda(), True, False),
        ("token_stats", token_stats_pda(mint), True, False),
        ("mint", mint, False, False),
        ("authority", auth, True, False),
        ("fee_vault", fee_vault_pda(mint), True, False),
        ("bonding_curve", paddr.bonding_curve(mint), True, False),
        ("sharing_config", config, True, False),
        ("config_creator_vault", pump_vault, True, False),
        ("config_creator_vault_ata", paddr.associated_token_address(pump_vault, WSOL_MINT), True, False),
        ("config_amm_vault_authority", amm_auth, True, False),
        ("config_amm_vault_ata", paddr.associated_token_address(amm_auth, WSOL_MINT), True, False),
        ("global", paddr.pump_global(), False, False),
        ("fee_event_authority", paddr.fee_event_authority(), False, False),
        ("fee_program", PUMP_FEE_PROGRAM_ID, False, False),
        ("pump_event_authority", paddr.pump_event_authority(), False, False),
        ("pump_program", PUMP_PROGRAM_ID, False, False),
        ("amm_event_authority", paddr.amm_event_authority(), False, False),
        ("amm_program", PUMP_AMM_PROGRAM_ID, False, False),
        ("wsol_mint", WSOL_MINT, False, False),
        ("quote_token_program", TOKEN_PROGRAM_ID, False, False),
        ("associated_token_program", ASSOCIATED_TOKEN_PROGRAM_ID, False, False),
        ("system_program", SYSTEM_PROGRAM_ID, False, False),
    ]
    for k in overrides:
        assert k in [n for n, *_ in names], k
    metas = [_m(overrides.get(n, key), w, s) for n, key, w, s in names]
    return Instruction(DAT_ID, ix_discriminator("enable_fee_sharing"), metas)


def ix_record_price_reference(mint: Pubkey, token: TokenRef | None = None, pool: Pubkey | None = None) -> Instruction:
    """Anyone: the token's price reference (a PumpSwap token: its pool and the pool's base and
    quote vaults as remaining accounts)."""
    if token is None or token.pool_type == POOL_BONDING_CURVE:
        return Instruction(
            DAT_ID,
            ix_discriminator("record_price_reference"),
            [_m(token_stats_pda(mint), True), _m(pool or paddr.bonding_curve(mint))],
        )
    pool = pool or paddr.canonical_pool(mint)
    return Instruction(
        DAT_ID,
        ix_discriminator("record_price_reference"),
        [
            _m(token_stats_pda(mint), True),
            _m(pool),
            _m(paddr.associated_token_address(pool, mint, token.token_program)),
            _m(paddr.associated_token_address(pool, WSOL_MINT)),
        ],
    )


def record_reference(svm: LiteSVM, token: TokenRef, payer: Keypair) -> None:
    """`record_price_reference` of the token's registered venue, then the next slot: every
    cycle's minimum out is bounded by a reference from an earlier slot (a keeper's bundle cannot
    move it)."""
    st = read_stats(svm, token.mint)
    registered = TokenRef(token.mint, st["token_program"], st["pool_type"])
    send(svm, [ix_record_price_reference(token.mint, registered, st["pool"])], payer)
    svm.warp_to_slot(svm.get_clock().slot + 1)


def ix_set_permissionless_cycles(admin: Pubkey, enabled: bool) -> Instruction:
    return ix_admin("set_permissionless_cycles", admin, bytes([int(enabled)]))


def fee_sharing_cycle_accounts(
    operator: Pubkey, token: TokenRef, root_mint: Pubkey, fee_rcpt: Pubkey,
    fee_vault: Pubkey | None = None, sharing_config: Pubkey | None = None, shared_vault: Pubkey | None = None,
    **overrides: Pubkey,
) -> list[AccountMeta]:
    """`execute_cycle_bc` of a fee-sharing token: creator_vault = the config's pump vault,
    then [fee account, sharing config, shared pump creator vault] as remaining accounts."""
    config = paddr.sharing_config(token.mint)
    overrides.setdefault("creator_vault", paddr.creator_vault(config))
    metas = bc_cycle_accounts(operator, token, root_mint, fee_rcpt, **overrides)
    return metas + [
        _m(fee_vault or fee_vault_pda(token.mint), True),
        _m(sharing_config or config),
        _m(shared_vault or paddr.creator_vault(authority_pda()), True),
    ]
