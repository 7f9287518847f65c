"""The asdf_dat program in LiteSVM: set-up, attribution, governance, pause and failures,
and (with the pump stand-in) full cycles, conservation and attacks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from solders.account import Account
from solders.instruction import Instruction
from solders.keypair import Keypair
from solders.litesvm import LiteSVM
from solders.pubkey import Pubkey
from solders.system_program import TransferParams, transfer

from asdf_dat.embedded import new_dat_svm
from asdf_dat.pump import addresses as paddr
from asdf_dat.pump.addresses import PUMP_PROGRAM_ID, TOKEN_2022_PROGRAM_ID, TOKEN_PROGRAM_ID
from asdf_dat.pump.layouts import BondingCurve
from asdf_dat.pump.tokens import encode_mint
from dat_helpers import (
    POOL_BONDING_CURVE,
    RENT_EXEMPT_ZERO,
    FeeReport,
    Params,
    TxResult,
    authority_pda,
    expect_error,
    ix_accept_admin,
    ix_cancel_admin_transfer,
    ix_cancel_fee_split,
    ix_execute_fee_split,
    ix_initialize,
    ix_pause,
    ix_propose_admin,
    ix_propose_fee_split,
    ix_record_failure,
    ix_register_token,
    ix_resume,
    ix_set_keeper,
    ix_set_root_token,
    ix_update_parameters,
    ix_update_pending_fees,
    lamports,
    read_state,
    read_stats,
    record_reference,
    root_treasury_pda,
    send,
    send_err,
    set_time,
    set_upgrade_authority,
    token_stats_pda,
)

pytestmark = pytest.mark.sbf

SOL = 1_000_000_000
# CU ceilings asserted below (measured values are well under; see the report table).
CU_INITIALIZE = 30_000
CU_GOVERNANCE = 6_000
CU_REGISTER = 60_000
CU_ATTRIBUTE_PER_TOKEN = 6_000


# ---------------------------------------------------------------- fixtures
class Dat:
    """A LiteSVM with asdf_dat initialized; admin, keeper and a stranger funded."""

    def __init__(self, svm: LiteSVM, admin: Keypair, keeper: Keypair, stranger: Keypair) -> None:
        self.svm = svm
        self.admin = admin
        self.keeper = keeper
        self.stranger = stranger
        self.cu: dict[str, int] = {}

    def send(
        self,
        ixs: list[Instruction],
        payer: Keypair | None = None,
        signers: list[Keypair] | None = None,
        label: str | None = None,
    ) -> TxResult:
        r = send(self.svm, ixs, payer or self.admin, signers)
        if label:
            self.cu[label] = max(self.cu.get(label, 0), r.cu)
        return r

    def slot(self) -> int:
        return self.svm.get_clock().slot


def _funded(svm: LiteSVM, n: int = 3) -> list[Keypair]:
    kps = [Keypair() for _ in range(n)]
    for kp in kps:
        svm.airdrop(kp.pubkey(), 100 * SOL)
    return kps


@pytest.fixture(name="raw_svm")
def raw_svm_fixture() -> LiteSVM:
    svm = new_dat_svm()
    set_time(svm, 1_800_000_000, slot=1_000)
    return svm


@pytest.fixture(name="dat")
def dat_fixture(raw_svm: LiteSVM) -> Dat:
    admin, keeper, stranger = _funded(raw_svm)
    set_upgrade_authority(raw_svm, admin.pubkey())
    d = Dat(raw_svm, admin, keeper, stranger)
    r = d.send([ix_initialize(admin.pubkey(), keeper.pubkey())], label="initialize")
    assert r.cu < CU_INITIALIZE
    return d


def _fake_bc_token(svm: LiteSVM, token_program: Pubkey = TOKEN_PROGRAM_ID, creator: Pubkey | None = None) -> Pubkey:
    """A mint and a pump-owned bonding curve at the derived address (enough to register)."""
    mint = Keypair().pubkey()
    data = encode_mint(supply=10**15, decimals=6)
    svm.set_account(
        mint,
        Account(
            lamports=svm.minimum_balance_for_rent_exemption(len(data)), data=data, owner=token_program, executable=False
        ),
    )
    curve = BondingCurve(creator=creator or authority_pda()).encode()
    svm.set_account(
        paddr.bonding_curve(mint),
        Account(
            lamports=svm.minimum_balance_for_rent_exemption(len(curve)),
            data=curve,
            owner=PUMP_PROGRAM_ID,
            executable=False,
        ),
    )
    return mint


def _register_bc(d: Dat, token_program: Pubkey = TOKEN_PROGRAM_ID) -> Pubkey:
    mint = _fake_bc_token(d.svm, token_program)
    r = d.send(
        [ix_register_token(d.admin.pubkey(), mint, token_program, paddr.bonding_curve(mint), POOL_BONDING_CURVE)],
        label="register_token",
    )
    assert r.cu < CU_REGISTER
    return mint


def _fund_bc_vault(d: Dat, amount: int) -> None:
    """Puts `amount` of creator fees into the shared pump creator vault (rent floor added)."""
    vault = paddr.creator_vault(authority_pda())
    cur = lamports(d.svm, vault)
    top = amount + (RENT_EXEMPT_ZERO if cur == 0 else 0)
    d.send([transfer(TransferParams(from_pubkey=d.stranger.pubkey(), to_pubkey=vault, lamports=top))], payer=d.stranger)


# ---------------------------------------------------------------- initialize
def test_initialize_sets_defaults_and_funds_authority(dat: Dat) -> None:
    s = read_state(dat.svm)
    assert s["admin"] == dat.admin.pubkey()
    assert s["keeper"] == dat.keeper.pubkey()
    assert s["authority"] == authority_pda()
    assert s["is_active"] is True
    assert s["fee_split_bps"] == 5520
    assert s["slippage_bps"] == 500
    assert s["min_cycle_interval_secs"] == 60
    assert s["max_fees_per_cycle"] == SOL
    assert s["min_fees_per_token"] == 6_000_000
    assert s["min_allocation_secondary"] == 5_690_000
    assert s["min_allocation_root"] == 2_000_000
    assert s["fee_split_timelock_secs"] == 3600
    assert s["bc_creator_vault"] == paddr.creator_vault(authority_pda())
    assert s["pump_user_volume_accumulator"] == paddr.pump_user_volume_accumulator(authority_pda())
    assert s["amm_user_volume_accumulator"] == paddr.amm_user_volume_accumulator(authority_pda())
    assert s["amm_vault_ata"] == paddr.coin_creator_vault_ata(authority_pda())
    assert lamports(dat.svm, authority_pda()) == RENT_EXEMPT_ZERO


def test_initialize_only_by_upgrade_authority(raw_svm: LiteSVM) -> None:
    admin, attacker, _ = _funded(raw_svm)
    set_upgrade_authority(raw_svm, admin.pubkey())
    expect_error(raw_svm, [ix_initialize(attacker.pubkey(), attacker.pubkey())], attacker, "NotUpgradeAuthority")
    # A fake ProgramData (wrong owner / wrong address) is refused too.
    set_upgrade_authority(raw_svm, attacker.pubkey(), owner=Keypair().pubkey())
    expect_error(raw_svm, [ix_initialize(attacker.pubkey(), attacker.pubkey())], attacker, "NotUpgradeAuthority")
    fake = Keypair().pubkey()
    raw_svm.set_account(
        fake,
        raw_svm.get_account(paddr.pump_global())
        or Account(
            lamports=10**9,
            data=bytes(45),
            owner=Pubkey.from_string("BPFLoaderUpgradeab1e11111111111111111111111"),
            executable=False,
        ),
    )
    expect_error(
        raw_svm,
        [ix_initialize(attacker.pubkey(), attacker.pubkey(), program_data=fake)],
        attacker,
        "NotUpgradeAuthority",
    )
    # Immutable program (no upgrade authority): nobody can initialize.
    set_upgrade_authority(raw_svm, None)
    expect_error(raw_svm, [ix_initialize(admin.pubkey(), admin.pubkey())], admin, "NotUpgradeAuthority")
    set_upgrade_authority(raw_svm, admin.pubkey())
    send(raw_svm, [ix_initialize(admin.pubkey(), admin.pubkey())], admin)
    # Once only.
    assert send_err(raw_svm, [ix_initialize(admin.pubkey(), admin.pubkey())], admin)


# ---------------------------------------------------------------- registration / root
def test_register_tokens_spl_and_token2022(dat: Dat) -> None:
    for tp in (TOKEN_PROGRAM_ID, TOKEN_2022_PROGRAM_ID):
        mint = _register_bc(dat, tp)
        st = read_stats(dat.svm, mint)
        assert st["mint"] == mint and st["token_program"] == tp and st["pool_type"] == POOL_BONDING_CURVE
        assert st["decimals"] == 6 and st["pending_fees"] == 0 and st["is_root"] is False
        ata = paddr.associated_token_address(authority_pda(), mint, tp)
        assert st["dat_token_account"] == ata
        assert st["pool_token_account"] == paddr.associated_token_address(paddr.bonding_curve(mint), mint, tp)
        acc = dat.svm.get_account(ata)
        assert acc is not None and acc.owner == tp


def test_register_rejects_bad_accounts(dat: Dat) -> None:
    admin = dat.admin.pubkey()
    mint = _fake_bc_token(dat.svm)
    curve = paddr.bonding_curve(mint)
    # non-admin
    expect_error(
        dat.svm,
        [ix_register_token(dat.stranger.pubkey(), mint, TOKEN_PROGRAM_ID, curve, 0)],
        dat.stranger,
        "Unauthorized",
    )
    # wrong token program (Token-2022 does not own this mint; a random program is no token program)
    expect_error(
        dat.svm, [ix_register_token(admin, mint, TOKEN_2022_PROGRAM_ID, curve, 0)], dat.admin, "InvalidTokenProgram"
    )
    expect_error(dat.svm, [ix_register_token(admin, mint, PUMP_PROGRAM_ID, curve, 0)], dat.admin, "InvalidTokenProgram")
    # fake pool: another mint's curve, or a curve not owned by pump
    other = _fake_bc_token(dat.svm)
    expect_error(
        dat.svm,
        [ix_register_token(admin, mint, TOKEN_PROGRAM_ID, paddr.bonding_curve(other), 0)],
        dat.admin,
        "InvalidPool",
    )
    acc = dat.svm.get_account(curve)
    assert acc is not None
    dat.svm.set_account(
        curve, Account(lamports=acc.lamports, data=bytes(acc.data), owner=Keypair().pubkey(), executable=False)
    )
    expect_error(dat.svm, [ix_register_token(admin, mint, TOKEN_PROGRAM_ID, curve, 0)], dat.admin, "InvalidPool")
    dat.svm.set_account(curve, acc)
    # someone else's ATA as the DAT token account
    foreign_ata = paddr.associated_token_address(dat.stranger.pubkey(), mint)
    expect_error(
        dat.svm,
        [ix_register_token(admin, mint, TOKEN_PROGRAM_ID, curve, 0, dat_token_account=foreign_ata)],
        dat.admin,
        "InvalidTokenAccount",
    )
    # unknown pool type
    expect_error(dat.svm, [ix_register_token(admin, mint, TOKEN_PROGRAM_ID, curve, 7)], dat.admin, "InvalidParameter")
    send(dat.svm, [ix_register_token(admin, mint, TOKEN_PROGRAM_ID, curve, 0)], dat.admin)
    # twice: refused
    assert send_err(dat.svm, [ix_register_token(admin, mint, TOKEN_PROGRAM_ID, curve, 0)], dat.admin)


def test_set_root_moves_treasury_and_clears_flag(dat: Dat) -> None:
    a, b = _register_bc(dat), _register_bc(dat)
    expect_error(dat.svm, [ix_set_root_token(dat.stranger.pubkey(), a)], dat.stranger, "Unauthorized")
    r = dat.send([ix_set_root_token(dat.admin.pubkey(), a)], label="set_root_token")
    s = read_state(dat.svm)
    assert s["root_mint"] == a and s["root_treasury"] == root_treasury_pda(a)
    assert read_stats(dat.svm, a)["is_root"] is True
    assert lamports(dat.svm, root_treasury_pda(a)) == RENT_EXEMPT_ZERO
    assert r.events("RootTokenSet")[0]["treasury_rent_funded"] == RENT_EXEMPT_ZERO
    # Changing root without passing the old root's accounts fails.
    expect_error(dat.svm, [ix_set_root_token(dat.admin.pubkey(), b)], dat.admin, "InvalidRootTreasury")
    # Same root again: refused.
    expect_error(dat.svm, [ix_set_root_token(dat.admin.pubkey(), a)], dat.admin, "InvalidRootToken")
    r = dat.send([ix_set_root_token(dat.admin.pubkey(), b, old_root=a)])
    assert read_stats(dat.svm, a)["is_root"] is False
    assert read_stats(dat.svm, b)["is_root"] is True
    s = read_state(dat.svm)
    assert s["root_mint"] == b and s["root_treasury"] == root_treasury_pda(b)
    assert r.events("RootTokenSet")[0]["old_root"] == a


# ---------------------------------------------------------------- attribution
def test_attribution_watermark_replay_and_stale_rejected(dat: Dat) -> None:
    m1, m2 = _register_bc(dat), _register_bc(dat)
    _fund_bc_vault(dat, 50_000_000)
    k = dat.keeper
    slot = dat.slot()
    r = dat.send(
        [ix_update_pending_fees(k.pubkey(), [FeeReport(m1, 10_000_000, slot, 1), FeeReport(m2, 20_000_000, slot, 2)])],
        payer=k,
        label="update_pending_fees(2)",
    )
    assert r.cu < 2 * CU_ATTRIBUTE_PER_TOKEN + 4_000
    assert read_stats(dat.svm, m1)["pending_fees"] == 10_000_000
    assert read_stats(dat.svm, m2)["pending_fees"] == 20_000_000
    assert read_state(dat.svm)["total_pending_fees"] == 30_000_000
    assert [e["amount"] for e in r.events("PendingFeesUpdated")] == [10_000_000, 20_000_000]
    # Replay of the exact same report: rejected (its previous watermark is no longer the token's).
    expect_error(
        dat.svm, [ix_update_pending_fees(k.pubkey(), [FeeReport(m1, 10_000_000, slot, 1)])], k, "StaleWatermark"
    )
    # Built on a stale view (another reporter moved the token on): rejected, whatever its range.
    expect_error(dat.svm, [ix_update_pending_fees(k.pubkey(), [FeeReport(m1, 5, slot, 2)])], k, "StaleWatermark")
    expect_error(
        dat.svm, [ix_update_pending_fees(k.pubkey(), [FeeReport(m1, 5, slot, 2, slot, 0)])], k, "StaleWatermark"
    )
    # Stale (older) watermark: rejected.
    expect_error(
        dat.svm, [ix_update_pending_fees(k.pubkey(), [FeeReport(m1, 1, slot - 1, 99, slot, 1)])], k, "StaleWatermark"
    )
    # Not advancing: rejected.
    expect_error(
        dat.svm, [ix_update_pending_fees(k.pubkey(), [FeeReport(m1, 1, slot, 1, slot, 1)])], k, "StaleWatermark"
    )
    # Future slot: rejected.
    expect_error(
        dat.svm, [ix_update_pending_fees(k.pubkey(), [FeeReport(m1, 1, slot + 10, 0, slot, 1)])], k, "StaleWatermark"
    )
    # A batch is atomic: one stale entry rejects the whole batch.
    expect_error(
        dat.svm,
        [ix_update_pending_fees(k.pubkey(), [FeeReport(m2, 1, slot, 3, slot, 2), FeeReport(m1, 1, slot, 2)])],
        k,
        "StaleWatermark",
    )
    assert read_stats(dat.svm, m2)["pending_fees"] == 20_000_000
    # From the token's watermark, same slot, higher sequence: accepted.
    dat.send([ix_update_pending_fees(k.pubkey(), [FeeReport(m1, 5, slot, 2, slot, 1)])], payer=k)
    st = read_stats(dat.svm, m1)
    assert st["pending_fees"] == 10_000_005 and (st["watermark_slot"], st["watermark_seq"]) == (slot, 2)


def test_over_attribution_rejected(dat: Dat) -> None:
    m1, m2 = _register_bc(dat), _register_bc(dat)
    _fund_bc_vault(dat, 10_000_000)
    k = dat.keeper
    slot = dat.slot()
    expect_error(
        dat.svm, [ix_update_pending_fees(k.pubkey(), [FeeReport(m1, 10_000_001, slot, 1)])], k, "OverAttribution"
    )
    dat.send([ix_update_pending_fees(k.pubkey(), [FeeReport(m1, 6_000_000, slot, 1)])], payer=k)
    # The sum over tokens is bounded too.
    expect_error(
        dat.svm, [ix_update_pending_fees(k.pubkey(), [FeeReport(m2, 4_000_001, slot, 2)])], k, "OverAttribution"
    )
    dat.send([ix_update_pending_fees(k.pubkey(), [FeeReport(m2, 4_000_000, slot, 2)])], payer=k)
    assert read_state(dat.svm)["total_pending_fees"] == 10_000_000


def test_attribution_only_keeper_or_admin(dat: Dat) -> None:
    m1 = _register_bc(dat)
    _fund_bc_vault(dat, 10_000_000)
    slot = dat.slot()
    expect_error(
        dat.svm,
        [ix_update_pending_fees(dat.stranger.pubkey(), [FeeReport(m1, 1, slot, 1)])],
        dat.stranger,
        "Unauthorized",
    )
    # Admin may report too; a new keeper takes over and the old one is refused.
    dat.send([ix_update_pending_fees(dat.admin.pubkey(), [FeeReport(m1, 1, slot, 1)])])
    new_keeper = _funded(dat.svm, 1)[0]
    dat.send([ix_set_keeper(dat.admin.pubkey(), new_keeper.pubkey())], label="set_keeper")
    expect_error(
        dat.svm,
        [ix_update_pending_fees(dat.keeper.pubkey(), [FeeReport(m1, 1, slot, 2, slot, 1)])],
        dat.keeper,
        "Unauthorized",
    )
    dat.send([ix_update_pending_fees(new_keeper.pubkey(), [FeeReport(m1, 1, slot, 2, slot, 1)])], payer=new_keeper)
    # A fake vault account cannot inflate the bound.
    ix = ix_update_pending_fees(new_keeper.pubkey(), [FeeReport(m1, 1, slot, 3, slot, 2)])
    metas = list(ix.accounts)
    rich = _funded(dat.svm, 1)[0].pubkey()
    metas[2] = metas[2].__class__(rich, False, False)
    from solders.instruction import Instruction

    expect_error(dat.svm, [Instruction(ix.program_id, ix.data, metas)], new_keeper, "InvalidExternalAccount")


# ---------------------------------------------------------------- governance
def test_two_step_admin_transfer(dat: Dat) -> None:
    new = _funded(dat.svm, 1)[0]
    expect_error(dat.svm, [ix_propose_admin(dat.stranger.pubkey(), new.pubkey())], dat.stranger, "Unauthorized")
    expect_error(dat.svm, [ix_accept_admin(new.pubkey())], new, "NoPendingAdmin")
    dat.send([ix_propose_admin(dat.admin.pubkey(), new.pubkey())], label="propose_admin")
    assert read_state(dat.svm)["admin"] == dat.admin.pubkey()
    expect_error(dat.svm, [ix_accept_admin(dat.stranger.pubkey())], dat.stranger, "Unauthorized")
    dat.send([ix_cancel_admin_transfer(dat.admin.pubkey())], label="cancel_admin_transfer")
    expect_error(dat.svm, [ix_accept_admin(new.pubkey())], new, "NoPendingAdmin")
    dat.send([ix_propose_admin(dat.admin.pubkey(), new.pubkey())])
    r = dat.send([ix_accept_admin(new.pubkey())], payer=new, label="accept_admin")
    assert r.events("AdminTransferred")[0]["new_admin"] == new.pubkey()
    s = read_state(dat.svm)
    assert s["admin"] == new.pubkey() and s["pending_admin"] == Pubkey.default()
    expect_error(dat.svm, [ix_pause(dat.admin.pubkey())], dat.admin, "Unauthorized")
    dat.send([ix_pause(new.pubkey())], payer=new)


def test_fee_split_bounded_timelocked_evented(dat: Dat) -> None:
    a = dat.admin.pubkey()
    now = dat.svm.get_clock().unix_timestamp
    for bad in (5520 + 501, 5520 - 501, 5520, 999, 9001):
        expect_error(dat.svm, [ix_propose_fee_split(a, bad)], dat.admin, "InvalidFeeSplit")
    expect_error(dat.svm, [ix_propose_fee_split(dat.stranger.pubkey(), 5600)], dat.stranger, "Unauthorized")
    expect_error(dat.svm, [ix_execute_fee_split(a)], dat.admin, "NoPendingFeeSplit")
    r = dat.send([ix_propose_fee_split(a, 6020)], label="propose_fee_split")
    ev = r.events("FeeSplitProposed")[0]
    assert (ev["old_bps"], ev["new_bps"], ev["executable_at"]) == (5520, 6020, now + 3600)
    set_time(dat.svm, now + 3599)
    expect_error(dat.svm, [ix_execute_fee_split(a)], dat.admin, "TimelockNotElapsed")
    set_time(dat.svm, now + 3600)
    r = dat.send([ix_execute_fee_split(a)], label="execute_fee_split")
    assert r.events("FeeSplitUpdated")[0] == {"old_bps": 5520, "new_bps": 6020, "timestamp": now + 3600}
    assert read_state(dat.svm)["fee_split_bps"] == 6020
    dat.send([ix_propose_fee_split(a, 6500)])
    dat.send([ix_cancel_fee_split(a)], label="cancel_fee_split")
    expect_error(dat.svm, [ix_execute_fee_split(a)], dat.admin, "NoPendingFeeSplit")


def test_parameters_bounded(dat: Dat) -> None:
    a = dat.admin.pubkey()
    bad = [
        Params(min_cycle_interval_secs=59),
        Params(max_fees_per_cycle=10_000_000_001),
        Params(max_fees_per_cycle=9_999_999),
        Params(slippage_bps=9),
        Params(slippage_bps=1001),
        Params(min_fees_per_token=999_999),
        Params(min_allocation_secondary=999_999),
        Params(min_allocation_root=999_999),
        Params(fee_split_timelock_secs=3599),
        Params(min_fees_per_token=20_000_000, max_fees_per_cycle=10_000_000),
    ]
    for p in bad:
        expect_error(dat.svm, [ix_update_parameters(a, p)], dat.admin, "InvalidParameter")
    expect_error(dat.svm, [ix_update_parameters(dat.stranger.pubkey(), Params())], dat.stranger, "Unauthorized")
    p = Params(max_fees_per_cycle=2 * SOL, slippage_bps=300, min_cycle_interval_secs=120, fee_split_timelock_secs=7200)
    dat.send([ix_update_parameters(a, p)], label="update_parameters")
    s = read_state(dat.svm)
    assert (s["max_fees_per_cycle"], s["slippage_bps"], s["min_cycle_interval_secs"], s["fee_split_timelock_secs"]) == (
        2 * SOL,
        300,
        120,
        7200,
    )


# ---------------------------------------------------------------- pause / failures
def test_pause_resume_admin_only(dat: Dat) -> None:
    expect_error(dat.svm, [ix_pause(dat.stranger.pubkey())], dat.stranger, "Unauthorized")
    expect_error(dat.svm, [ix_pause(dat.keeper.pubkey())], dat.keeper, "Unauthorized")
    dat.send([ix_pause(dat.admin.pubkey())], label="pause")
    assert read_state(dat.svm)["is_active"] is False
    expect_error(dat.svm, [ix_resume(dat.keeper.pubkey())], dat.keeper, "Unauthorized")
    dat.send([ix_resume(dat.admin.pubkey())], label="resume")
    assert read_state(dat.svm)["is_active"] is True


def test_auto_pause_on_fifth_failure_and_resume(dat: Dat) -> None:
    k = dat.keeper
    expect_error(dat.svm, [ix_record_failure(dat.stranger.pubkey(), 1)], dat.stranger, "Unauthorized")
    for i in range(1, 5):
        r = dat.send([ix_record_failure(k.pubkey(), 6003)], payer=k, label="record_failure")
        s = read_state(dat.svm)
        assert s["consecutive_failures"] == i and s["is_active"] is True
        assert r.events("CycleFailed")[0]["error_code"] == 6003
    r = dat.send([ix_record_failure(k.pubkey(), 6003)], payer=k)
    s = read_state(dat.svm)
    assert s["consecutive_failures"] == 5 and s["is_active"] is False and s["failed_cycles"] == 5
    assert r.events("StatusChanged")[0]["is_active"] is False
    dat.send([ix_resume(dat.admin.pubkey())])
    s = read_state(dat.svm)
    assert s["consecutive_failures"] == 0 and s["is_active"] is True


def test_governance_cu_bounds(dat: Dat) -> None:
    a = dat.admin.pubkey()
    for label, ix in [
        ("pause", ix_pause(a)),
        ("resume", ix_resume(a)),
        ("set_keeper", ix_set_keeper(a, dat.keeper.pubkey())),
        ("propose_fee_split", ix_propose_fee_split(a, 5600)),
        ("update_parameters", ix_update_parameters(a, Params())),
    ]:
        r = dat.send([ix], label=label)
        assert r.cu < CU_GOVERNANCE, (label, r.cu)


# ================================================================ cycles (pump stand-in)
from solders.compute_budget import set_compute_unit_limit  # noqa: E402

from asdf_dat.pump.addresses import WSOL_MINT  # noqa: E402
from asdf_dat.pump.world import PumpWorld  # noqa: E402
from dat_helpers import (  # noqa: E402
    POOL_AMM,
    TokenRef,
    amm_cycle_accounts,
    bc_cycle_accounts,
    curve_exact_in_quote,
    ix_execute_cycle,
    ix_init_wsol_accounts,
    mint_supply,
    planned_budget,
    pool_exact_in_quote,
    token_balance,
    treasury_account_lamports,
    treasury_lamports,
)

CU_CYCLE_BC = 80_000
CU_CYCLE_AMM = 110_000
CU_LIMIT = set_compute_unit_limit(1_400_000)


class Eco(Dat):
    """DAT + pump world: root (SPL, curve), secondary A (Token-2022, curve), secondary B
    (SPL, PumpSwap pool), all created by the DAT authority; traders generate fees."""

    def __init__(
        self, world: PumpWorld, admin: Keypair, keeper: Keypair, stranger: Keypair, with_root: bool = True
    ) -> None:
        super().__init__(world.svm, admin, keeper, stranger)
        self.world = world
        self.seq = 0
        auth = authority_pda()
        self.root_tok = world.create_token(auth)
        self.bc_tok = world.create_token(auth, token_program=TOKEN_2022_PROGRAM_ID)
        self.amm_tok = world.create_migrated_token(auth)
        self.root = TokenRef(self.root_tok.mint, TOKEN_PROGRAM_ID, POOL_BONDING_CURVE, is_root=True)
        self.sec_bc = TokenRef(self.bc_tok.mint, TOKEN_2022_PROGRAM_ID, POOL_BONDING_CURVE)
        self.sec_amm = TokenRef(self.amm_tok.mint, TOKEN_PROGRAM_ID, POOL_AMM)
        self.all_mints = [self.root.mint, self.sec_bc.mint, self.sec_amm.mint]
        a = admin.pubkey()
        self.send(
            [
                ix_register_token(
                    a, self.root.mint, TOKEN_PROGRAM_ID, paddr.bonding_curve(self.root.mint), POOL_BONDING_CURVE
                )
            ],
            label="register_token",
        )
        self.send(
            [
                ix_register_token(
                    a,
                    self.sec_bc.mint,
                    TOKEN_2022_PROGRAM_ID,
                    paddr.bonding_curve(self.sec_bc.mint),
                    POOL_BONDING_CURVE,
                )
            ]
        )
        self.send([ix_register_token(a, self.sec_amm.mint, TOKEN_PROGRAM_ID, self.amm_tok.pool, POOL_AMM)])
        self.send([ix_init_wsol_accounts(a)], label="init_wsol_accounts")
        if with_root:
            self.send([ix_set_root_token(a, self.root.mint)], label="set_root_token")
        self.trader = world.new_trader(1_000)

    # ---- fees -------------------------------------------------------------------------
    def trade(self, token: TokenRef, sol: int) -> int:
        """A stranger buys for `sol` lamports and sells half; returns the creator fees
        that landed in the DAT's vaults (what the keeper attributes to `token`)."""
        auth = authority_pda()
        if token.pool_type == POOL_BONDING_CURVE:
            tok = self.bc_tok if token.mint == self.bc_tok.mint else self.root_tok
            vault = paddr.creator_vault(auth)
            before = lamports(self.svm, vault)
            self.world.buy_exact_sol_in(self.trader, tok, sol)
            bal = self.world.token_balance_of(self.trader.pubkey(), tok.mint, tok.token_program)
            self.world.sell(self.trader, tok, bal // 2)
            return lamports(self.svm, vault) - before - (RENT_EXEMPT_ZERO if before == 0 else 0)
        vault = paddr.coin_creator_vault_ata(auth)
        before = token_balance(self.svm, vault)
        base, quote = self.world.pool_reserves(self.amm_tok)
        out = pool_exact_in_quote(sol, base, quote)
        self.world.pool_buy(self.trader, self.amm_tok, out)
        bal = self.world.token_balance_of(self.trader.pubkey(), self.amm_tok.mint)
        self.world.pool_sell(self.trader, self.amm_tok, bal // 2)
        return token_balance(self.svm, vault) - before

    def attribute(self, amounts: dict[Pubkey, int], label: str | None = None) -> TxResult:
        self.seq += 1
        slot = self.slot()
        reports = []
        for i, (m, amt) in enumerate(amounts.items()):
            st = read_stats(self.svm, m)
            reports.append(FeeReport(m, amt, slot, self.seq * 10 + i, st["watermark_slot"], st["watermark_seq"]))
        return self.send([ix_update_pending_fees(self.keeper.pubkey(), reports)], payer=self.keeper, label=label)

    # ---- cycle ------------------------------------------------------------------------
    def quote(self, token: TokenRef, budget: int) -> int:
        if token.pool_type == POOL_BONDING_CURVE:
            tok = self.bc_tok if token.mint == self.bc_tok.mint else self.root_tok
            c = self.world.curve(tok)
            return curve_exact_in_quote(budget, c.virtual_token_reserves, c.virtual_sol_reserves, c.real_token_reserves)
        base, quote = self.world.pool_reserves(self.amm_tok)
        return pool_exact_in_quote(budget, base, quote)

    def planned_quote(self, token: TokenRef, new_cycle: bool = True) -> int:
        st = read_state(self.svm)
        _, _, budget = planned_budget(st, read_stats(self.svm, token.mint), new_cycle, treasury_lamports(self.svm, st))
        return self.quote(token, budget)

    def cycle_ix(
        self,
        token: TokenRef,
        quoted: int | None = None,
        operator: Pubkey | None = None,
        new_cycle: bool = True,
        reference: bool = True,
        **overrides: Pubkey,
    ) -> Instruction:
        op = operator or self.keeper.pubkey()
        if reference:
            # Every cycle's minimum out is bounded by a reference from an earlier slot.
            record_reference(self.svm, token, self.admin)
        if quoted is None:
            quoted = self.planned_quote(token, new_cycle)
        if token.pool_type == POOL_BONDING_CURVE:
            accs = bc_cycle_accounts(op, token, self.root.mint, self.world.global_state.fee_recipient, **overrides)
        else:
            accs = amm_cycle_accounts(
                op, token, self.root.mint, self.world.global_config.protocol_fee_recipients[0], **overrides
            )
        return ix_execute_cycle(token, quoted, accs)

    def now(self) -> int:
        return self.svm.get_clock().unix_timestamp

    def advance(self, secs: int) -> None:
        c = self.svm.get_clock()
        set_time(self.svm, c.unix_timestamp + secs, slot=c.slot + max(1, secs * 2))

    # ---- invariants -------------------------------------------------------------------
    def dat_funds(self) -> int:
        """Every lamport/WSOL the DAT side holds: pump vault, PumpSwap vault ATA, authority,
        its WSOL ATA (tokens), root treasury."""
        auth = authority_pda()
        s = read_state(self.svm)
        return (
            lamports(self.svm, paddr.creator_vault(auth))
            + token_balance(self.svm, paddr.coin_creator_vault_ata(auth))
            + lamports(self.svm, auth)
            + token_balance(self.svm, paddr.associated_token_address(auth, WSOL_MINT))
            + lamports(self.svm, s["root_treasury"])
        )

    def pump_side(self) -> int:
        """Every lamport/WSOL third parties receive from a DAT buy."""
        w = self.world
        total = sum(lamports(self.svm, paddr.bonding_curve(t.mint)) for t in (self.root, self.sec_bc))
        total += sum(lamports(self.svm, r) for r in w.global_state.all_fee_recipients())
        total += token_balance(self.svm, self.amm_tok.pool_quote_token_account)
        total += sum(
            token_balance(self.svm, paddr.associated_token_address(r, WSOL_MINT))
            for r in w.global_config.protocol_fee_recipients
        )
        return total

    def check_accounting(self) -> None:
        """Σ pending matches the tokens and is covered by what the pool really holds (vaults,
        authority above its reserve, its WSOL)."""
        s = read_state(self.svm)
        pending = sum(read_stats(self.svm, m)["pending_fees"] for m in self.all_mints)
        assert s["total_pending_fees"] == pending
        assert lamports(self.svm, authority_pda()) >= RENT_EXEMPT_ZERO
        assert pending + s["root_share_held"] <= self.pool_value()

    def pool_value(self) -> int:
        """What the fee pool really holds (treasury.rs `pool_value`): both creator vaults above rent,
        the authority above its reserve, its WSOL."""
        auth = authority_pda()
        return (
            max(lamports(self.svm, paddr.creator_vault(auth)) - RENT_EXEMPT_ZERO, 0)
            + token_balance(self.svm, paddr.coin_creator_vault_ata(auth))
            + lamports(self.svm, auth)
            - RENT_EXEMPT_ZERO
            + token_balance(self.svm, paddr.associated_token_address(auth, WSOL_MINT))
        )


@pytest.fixture(name="eco")
def eco_fixture() -> Eco:
    world = PumpWorld(svm=new_dat_svm())
    set_time(world.svm, 1_800_000_000, slot=1_000)
    admin, keeper, stranger = _funded(world.svm)
    set_upgrade_authority(world.svm, admin.pubkey())
    send(world.svm, [ix_initialize(admin.pubkey(), keeper.pubkey())], admin)
    return Eco(world, admin, keeper, stranger)


def _fees_for_all(e: Eco) -> dict[Pubkey, int]:
    fees = {
        e.root.mint: e.trade(e.root, 3 * SOL),
        e.sec_bc.mint: e.trade(e.sec_bc, 4 * SOL),
        e.sec_amm.mint: e.trade(e.sec_amm, 20 * SOL),
    }
    assert all(v > 6_000_000 for v in fees.values()), fees
    return fees


def test_full_ecosystem_cycle_root_and_two_secondaries(eco: Eco) -> None:
    e = eco
    fees = _fees_for_all(e)
    e.attribute(fees, label="update_pending_fees(3)")
    e.check_accounting()
    supplies = {t.mint: mint_supply(e.svm, t.mint) for t in (e.root, e.sec_bc, e.sec_amm)}
    dat0, pump0 = e.dat_funds(), e.pump_side()
    reserves0 = e.world.pool_reserves(e.amm_tok)
    total_pending0 = read_state(e.svm)["total_pending_fees"]

    # The AMM secondary first (its fees are WSOL: the root's share stays in the pool as WSOL,
    # nothing is unwrapped or transferred; it joins the root's held share)...
    r1 = e.send([CU_LIMIT, e.cycle_ix(e.sec_amm)], payer=e.keeper)
    assert not r1.events("WsolUnwrapped")
    sent = r1.events("CycleCompleted")[0]
    assert read_state(e.svm)["root_share_held"] == sent["sent_to_root"] == sent["root_share_held"] > 0
    assert treasury_account_lamports(e.svm, read_state(e.svm)) == 0
    # ...then, 30 s later and in the same ecosystem cycle, the curve secondary and the root
    # in one transaction: the root spends its share plus the treasury both secondaries fed.
    e.advance(30)
    quote_bc = e.planned_quote(e.sec_bc, new_cycle=False)
    treasury_before = (
        treasury_lamports(e.svm, read_state(e.svm))
        + planned_budget(read_state(e.svm), read_stats(e.svm, e.sec_bc.mint), False)[1]
    )
    ix_bc = e.cycle_ix(e.sec_bc, quoted=quote_bc, new_cycle=False)
    # The root's budget depends on the treasury after the secondary: quote it on that state.
    st, rs = read_state(e.svm), read_stats(e.svm, e.root.mint)
    root_alloc = min(
        rs["pending_fees"],
        st["max_fees_per_cycle"]
        - st["cycle_fees_taken"]
        - planned_budget(st, read_stats(e.svm, e.sec_bc.mint), False)[0],
    )
    ix_root = e.cycle_ix(e.root, quoted=e.quote(e.root, root_alloc + treasury_before), new_cycle=False)
    r2 = e.send([CU_LIMIT, ix_bc, ix_root], payer=e.keeper)
    done = r1.events("CycleCompleted") + r2.events("CycleCompleted")
    assert [d["mint"] for d in done] == [e.sec_amm.mint, e.sec_bc.mint, e.root.mint]
    assert len({d["cycle_id"] for d in done}) == 1
    by_mint = {d["mint"]: d for d in done}

    # Split: each secondary sent exactly alloc - floor(alloc*5520/1e4) to the root.
    for t in (e.sec_bc, e.sec_amm):
        d = by_mint[t.mint]
        assert d["sent_to_root"] == d["allocation"] - d["allocation"] * 5520 // 10_000
        assert d["allocation"] == fees[t.mint]
    assert treasury_before == by_mint[e.sec_bc.mint]["sent_to_root"] + by_mint[e.sec_amm.mint]["sent_to_root"]
    assert by_mint[e.root.mint]["treasury_used"] == treasury_before
    assert treasury_lamports(e.svm, read_state(e.svm)) == 0

    # Burns visible in supply; bought == burned; the DAT holds no tokens.
    buys = done
    for t, b in zip((e.sec_amm, e.sec_bc, e.root), buys, strict=True):
        assert b["mint"] == t.mint and b["tokens_burned"] > 0
        assert supplies[t.mint] - mint_supply(e.svm, t.mint) == b["tokens_burned"] == b["total_burned"]
        assert token_balance(e.svm, read_stats(e.svm, t.mint)["dat_token_account"]) == 0
        st = read_stats(e.svm, t.mint)
        assert st["total_tokens_burned"] == b["tokens_burned"] and st["cycles"] == 1

    # Conservation to the lamport.
    spent = sum(b["sol_spent"] for b in buys)
    returned = sum(d["returned_to_pending"] for d in done)
    assert total_pending0 - read_state(e.svm)["total_pending_fees"] == spent  # root shares were re-spent by the root
    assert sum(d["allocation"] for d in done) - returned == spent
    assert dat0 - e.dat_funds() == e.pump_side() - pump0 == spent - _own_creator_fees(buys, reserves0)
    e.check_accounting()
    s = read_state(e.svm)
    assert s["total_cycles"] == 3 and s["consecutive_failures"] == 0
    assert r1.cu < CU_CYCLE_AMM
    assert r2.cu < 2 * CU_CYCLE_BC


def _own_creator_fees(buys: list[dict[str, Any]], pool_reserves_before: tuple[int, int]) -> int:
    """Creator fees our own buys paid back into our own vaults (they never leave the DAT)."""
    from dat_helpers import net_after_fees

    total = 0
    for b in buys:
        if b["pool_type"] == POOL_BONDING_CURVE:
            net = net_after_fees(b["sol_budget"], [95, 30])
            total += -(-net * 30 // 10_000)
        else:
            base, quote = pool_reserves_before
            q = -(-quote * b["tokens_burned"] // (base - b["tokens_burned"]))
            total += -(-q * 5 // 10_000)
    return total


from asdf_dat.generated.accounts import TokenStats as GenTokenStats  # noqa: E402


def _snapshot(e: Eco) -> tuple[object, ...]:
    auth = authority_pda()
    keys = [state_pda_(), authority_pda(), paddr.creator_vault(auth), paddr.coin_creator_vault_ata(auth),
            paddr.associated_token_address(auth, WSOL_MINT), root_treasury_pda(e.root.mint)]
    keys += [token_stats_pda(m) for m in e.all_mints]
    keys += list(e.all_mints)
    stats_keys = {token_stats_pda(m) for m in e.all_mints}
    out = []
    for k in keys:
        a = e.svm.get_account(k)
        data = bytes(a.data) if a is not None else b""
        if k in stats_keys:
            # The price reference is written by the separate record transaction `cycle_ix` sends.
            data = data[:_PRICE_REF_OFFSET] + data[_PRICE_REF_OFFSET + 48 :]
        out.append(None if a is None else (a.lamports, data))
    return tuple(out)


# TokenStats: 8-byte discriminator, then the two price references (latest and previous:
# sol, token, slot each) right before `reserved`.
_PRICE_REF_OFFSET = 8 + GenTokenStats.layout.sizeof() - 6 - 48


def state_pda_() -> Pubkey:
    from dat_helpers import state_pda

    return state_pda()


def _donate_bc_fees(e: Eco, amount: int) -> None:
    _fund_bc_vault(e, amount)


def test_cooldown_59_and_60_seconds(eco: Eco) -> None:
    e = eco
    e.attribute({e.sec_bc.mint: e.trade(e.sec_bc, 4 * SOL)})
    t0 = e.now()
    e.send([e.cycle_ix(e.sec_bc)], payer=e.keeper)
    assert read_state(e.svm)["cycle_started_at"] == t0
    e.advance(1)
    e.attribute({e.sec_bc.mint: e.trade(e.sec_bc, 4 * SOL)})
    set_time(e.svm, t0 + 59, slot=e.slot() + 1)
    before = _snapshot(e)
    expect_error(e.svm, [e.cycle_ix(e.sec_bc, new_cycle=False)], e.keeper, "CycleTooSoon")
    assert _snapshot(e) == before
    set_time(e.svm, t0 + 60, slot=e.slot() + 1)
    r = e.send([e.cycle_ix(e.sec_bc)], payer=e.keeper)
    assert r.events("CycleCompleted")[0]["cycle_id"] == 2
    assert read_state(e.svm)["cycle_started_at"] == t0 + 60
    e.check_accounting()


def test_cycle_cap_one_sol_is_shared_proportionally(eco: Eco) -> None:
    e = eco
    _donate_bc_fees(e, 2 * SOL)
    e.attribute({e.sec_bc.mint: 1_500_000_000, e.sec_amm.mint: 300_000_000})
    total = read_state(e.svm)["total_pending_fees"]
    assert total == 1_800_000_000
    # Σ pending 1.8 SOL > the 1 SOL cap: each token takes pending x cap / 1.8 SOL.
    # (The curve cycle goes first: it collects the curve vault these donated fees sit in.)
    r = e.send([CU_LIMIT, e.cycle_ix(e.sec_bc)], payer=e.keeper)
    bc = r.events("CycleCompleted")[0]
    assert bc["allocation"] == 1_500_000_000 * SOL // total == 833_333_333
    assert read_state(e.svm)["cycle_pending_at_open"] == total
    r = e.send([CU_LIMIT, e.cycle_ix(e.sec_amm, new_cycle=False)], payer=e.keeper)
    amm = r.events("CycleCompleted")[0]
    assert amm["allocation"] == 300_000_000 * SOL // total == 166_666_666
    taken = read_state(e.svm)["cycle_fees_taken"]
    assert taken == amm["allocation"] + bc["allocation"] <= SOL
    # What was not taken stays pending, untouched, for the next cycle.
    assert read_stats(e.svm, e.sec_bc.mint)["pending_fees"] == 1_500_000_000 - 833_333_333 + bc["returned_to_pending"]
    assert read_stats(e.svm, e.sec_amm.mint)["pending_fees"] == 300_000_000 - 166_666_666 + amm["returned_to_pending"]
    # The next cycle (60 s later): Σ pending now fits the cap, each token takes all of it.
    e.advance(60)
    left = read_stats(e.svm, e.sec_amm.mint)["pending_fees"]
    r = e.send([CU_LIMIT, e.cycle_ix(e.sec_amm)], payer=e.keeper)
    assert r.events("CycleCompleted")[0]["allocation"] == left
    e.check_accounting()


def test_cycle_cap_exhausted_defers_untouched(eco: Eco) -> None:
    e = eco
    _donate_bc_fees(e, 2 * SOL)
    e.attribute({e.sec_bc.mint: 1_500_000_000})
    r = e.send([CU_LIMIT, e.cycle_ix(e.sec_bc)], payer=e.keeper)
    assert r.events("CycleCompleted")[0]["allocation"] == SOL
    # Fees attributed after the cycle opened: the cap is used up, the token is deferred untouched.
    e.attribute({e.sec_amm.mint: 300_000_000})
    before = _snapshot(e)
    r = e.send([CU_LIMIT, e.cycle_ix(e.sec_amm, quoted=1, new_cycle=False)], payer=e.keeper)
    ev = r.events("CycleDeferred")[0]
    assert ev["reason"] == 2 and ev["allocation"] == 0 and ev["pending_fees"] == 300_000_000
    assert _snapshot(e) == before
    e.check_accounting()


def test_deferral_below_thresholds_leaves_everything_untouched(eco: Eco) -> None:
    e = eco
    _donate_bc_fees(e, 50_000_000)
    # Below 0.006 SOL per token: deferred (reason 1).
    e.attribute({e.sec_bc.mint: 5_000_000})
    before = _snapshot(e)
    r = e.send([e.cycle_ix(e.sec_bc, quoted=1)], payer=e.keeper, label="execute_cycle_bc(deferred)")
    assert r.events("CycleDeferred")[0]["reason"] == 1
    assert _snapshot(e) == before
    # Root below its minimum allocation (0.002 SOL) with an empty treasury: deferred (reason 1 as
    # 0.006 also applies); lowering the per-token minimum exposes the allocation floor.
    e.send(
        [ix_update_parameters(e.admin.pubkey(), Params(min_fees_per_token=1_000_000, max_fees_per_cycle=10_000_000))]
    )
    e.advance(1)
    e.attribute({e.root.mint: 1_999_999})
    before = _snapshot(e)
    r = e.send([e.cycle_ix(e.root, quoted=1)], payer=e.keeper)
    assert r.events("CycleDeferred")[0]["reason"] == 2
    assert _snapshot(e) == before
    # Secondary between the per-token minimum and its allocation floor (5.69M): deferred.
    r = e.send([e.cycle_ix(e.sec_bc, quoted=1)], payer=e.keeper)
    assert r.events("CycleDeferred")[0]["reason"] == 2
    assert _snapshot(e) == before
    e.advance(1)
    e.attribute({e.sec_bc.mint: 690_000})  # 5,690,000: at the floor, runs
    r = e.send([e.cycle_ix(e.sec_bc)], payer=e.keeper)
    assert r.events("CycleCompleted")[0]["allocation"] == 5_690_000


def test_slippage_rejected_when_price_moves(eco: Eco) -> None:
    e = eco
    e.attribute({e.sec_bc.mint: e.trade(e.sec_bc, 4 * SOL)})
    quoted = e.planned_quote(e.sec_bc)
    e.world.buy_exact_sol_in(e.trader, e.bc_tok, 10 * SOL)  # someone moves the price
    before = _snapshot(e)
    expect_error(e.svm, [e.cycle_ix(e.sec_bc, quoted=quoted)], e.keeper, "SlippageExceeded")
    assert _snapshot(e) == before
    # A zero quote has no minimum of its own: the price reference (an earlier slot) bounds it.
    record_reference(e.svm, e.sec_bc, e.admin)
    e.world.buy_exact_sol_in(e.trader, e.bc_tok, 10 * SOL)
    expect_error(e.svm, [e.cycle_ix(e.sec_bc, quoted=0, reference=False)], e.keeper, "SlippageExceeded")
    # Within 5 %: fine.
    r = e.send([e.cycle_ix(e.sec_bc, quoted=e.planned_quote(e.sec_bc) * 104 // 100)], payer=e.keeper)
    assert r.events("CycleCompleted")[0]["min_tokens_out"] > 0
    # AMM: same rule.
    e.advance(60)
    e.attribute({e.sec_amm.mint: e.trade(e.sec_amm, 20 * SOL)})
    quoted = e.planned_quote(e.sec_amm)
    base, _ = e.world.pool_reserves(e.amm_tok)
    e.world.pool_buy(e.trader, e.amm_tok, base // 20)
    expect_error(e.svm, [CU_LIMIT, e.cycle_ix(e.sec_amm, quoted=quoted)], e.keeper, "SlippageExceeded")


def test_paused_and_unauthorized_cycles_rejected(eco: Eco) -> None:
    e = eco
    e.attribute({e.sec_bc.mint: e.trade(e.sec_bc, 4 * SOL)})
    expect_error(e.svm, [e.cycle_ix(e.sec_bc, operator=e.stranger.pubkey())], e.stranger, "Unauthorized")
    e.send([ix_pause(e.admin.pubkey())])
    expect_error(e.svm, [e.cycle_ix(e.sec_bc)], e.keeper, "DATNotActive")
    # Attribution keeps working while paused (it moves no funds).
    e.advance(1)
    _donate_bc_fees(e, 1)
    e.attribute({e.sec_bc.mint: 1})
    e.send([ix_resume(e.admin.pubkey())])
    # The admin may run a cycle too.
    e.send([e.cycle_ix(e.sec_bc, operator=e.admin.pubkey())])


def test_success_resets_failures_and_auto_pause_blocks_cycles(eco: Eco) -> None:
    e = eco
    e.attribute({e.sec_bc.mint: e.trade(e.sec_bc, 4 * SOL)})
    for _ in range(3):
        e.send([ix_record_failure(e.keeper.pubkey(), 6003)], payer=e.keeper)
    e.send([e.cycle_ix(e.sec_bc)], payer=e.keeper)
    assert read_state(e.svm)["consecutive_failures"] == 0
    for _ in range(5):
        e.send([ix_record_failure(e.keeper.pubkey(), 6003)], payer=e.keeper)
    e.advance(60)
    e.attribute({e.sec_bc.mint: e.trade(e.sec_bc, 4 * SOL)})
    expect_error(e.svm, [e.cycle_ix(e.sec_bc)], e.keeper, "DATNotActive")
    e.send([ix_resume(e.admin.pubkey())])
    e.send([e.cycle_ix(e.sec_bc)], payer=e.keeper)


def test_secondary_without_root_rejected() -> None:
    """Without a root, a secondary cycle cannot run (nowhere to send its 44.8 %)."""
    world = PumpWorld(svm=new_dat_svm())
    set_time(world.svm, 1_800_000_000, slot=1_000)
    admin, keeper, stranger = _funded(world.svm)
    set_upgrade_authority(world.svm, admin.pubkey())
    send(world.svm, [ix_initialize(admin.pubkey(), keeper.pubkey())], admin)
    e = Eco(world, admin, keeper, stranger, with_root=False)
    e.attribute({e.sec_bc.mint: e.trade(e.sec_bc, 4 * SOL)})
    before = _snapshot(e)
    # With no root the state's treasury is the default address (= the system program id):
    # passing it aliases the system program and is refused as a duplicate mutable account.
    err = send_err(e.svm, [e.cycle_ix(e.sec_bc, root_treasury=Pubkey.default())], e.keeper)
    assert err.custom_code in (2040, 6004)
    expect_error(e.svm, [e.cycle_ix(e.sec_bc)], e.keeper, "InvalidRootTreasury")
    assert _snapshot(e) == before


BC_ATTACKS = [
    ("mint", lambda e: e.root.mint, "MintMismatch"),
    (
        "dat_token_account",
        lambda e: e.world.inject_token_account(e.stranger.pubkey(), e.sec_bc.mint, 0, TOKEN_2022_PROGRAM_ID),
        "InvalidTokenAccount",
    ),
    ("token_program", lambda e: TOKEN_PROGRAM_ID, "InvalidTokenProgram"),
    ("bonding_curve", lambda e: paddr.bonding_curve(e.root.mint), "InvalidPool"),
    ("root_treasury", lambda e: root_treasury_pda(e.sec_amm.mint), "InvalidRootTreasury"),
    ("authority", lambda e: e.stranger.pubkey(), "InvalidExternalAccount"),
    ("creator_vault", lambda e: paddr.creator_vault(e.stranger.pubkey()), "InvalidExternalAccount"),
    ("global", lambda e: Keypair().pubkey(), "InvalidExternalAccount"),
    ("event_authority", lambda e: paddr.amm_event_authority(), "InvalidExternalAccount"),
    ("pump_program", lambda e: paddr.PUMP_AMM_PROGRAM_ID, "InvalidExternalAccount"),
    ("fee_program", lambda e: Keypair().pubkey(), "InvalidExternalAccount"),
    ("token_stats", lambda e: token_stats_pda(e.root.mint), "MintMismatch"),
    ("fee_recipient", lambda e: e.stranger.pubkey(), None),  # pump refuses it
    (
        "associated_bonding_curve",
        lambda e: e.world.inject_token_account(e.stranger.pubkey(), e.sec_bc.mint, 10**12, TOKEN_2022_PROGRAM_ID),
        "InvalidPool",
    ),
    (
        "user_volume_accumulator",
        lambda e: paddr.pump_user_volume_accumulator(e.stranger.pubkey()),
        "InvalidExternalAccount",
    ),
    # issue 11: the pool-invariant accounts and the instructions sysvar
    ("authority_wsol_ata", lambda e: e.world.inject_wsol_account(e.stranger.pubkey(), 10**12), "InvalidTokenAccount"),
    ("amm_vault_ata", lambda e: e.world.inject_wsol_account(e.stranger.pubkey(), 10**12), "InvalidExternalAccount"),
    ("instructions_sysvar", lambda e: Keypair().pubkey(), "InvalidExternalAccount"),
]


@pytest.mark.parametrize("field,wrong,error", BC_ATTACKS, ids=[a[0] for a in BC_ATTACKS])
def test_bc_cycle_wrong_account_rejected_and_moves_nothing(
    eco: Eco, field: str, wrong: Callable[[Eco], Pubkey], error: str | None
) -> None:
    e = eco
    e.attribute({e.sec_bc.mint: e.trade(e.sec_bc, 4 * SOL)})
    swapped: dict[str, Any] = {field: wrong(e)}  # one account replaced, by its field name
    ix = e.cycle_ix(e.sec_bc, **swapped)
    before = _snapshot(e)
    if error is None:
        assert send_err(e.svm, [ix], e.keeper)
    else:
        expect_error(e.svm, [ix], e.keeper, error)
    assert _snapshot(e) == before


AMM_ATTACKS = [
    ("pool", lambda e: e.world.create_migrated_token(Keypair().pubkey()).pool, "InvalidPool"),
    (
        "pool_base_token_account",
        lambda e: e.world.inject_token_account(e.stranger.pubkey(), e.sec_amm.mint, 10**12),
        "InvalidPool",
    ),
    ("pool_quote_token_account", lambda e: e.world.inject_wsol_account(e.stranger.pubkey(), 10**9), "InvalidPool"),
    ("authority_wsol_ata", lambda e: e.world.inject_wsol_account(e.stranger.pubkey(), 10**9), "InvalidTokenAccount"),
    (
        "dat_token_account",
        lambda e: e.world.inject_token_account(e.stranger.pubkey(), e.sec_amm.mint, 0),
        "InvalidTokenAccount",
    ),
    (
        "coin_creator_vault_ata",
        lambda e: e.world.inject_wsol_account(e.stranger.pubkey(), 10**9),
        "InvalidExternalAccount",
    ),
    ("quote_token_program", lambda e: TOKEN_2022_PROGRAM_ID, "InvalidTokenProgram"),
    ("token_program", lambda e: TOKEN_2022_PROGRAM_ID, "InvalidTokenProgram"),
    ("wsol_mint", lambda e: e.root.mint, "MintMismatch"),
    ("mint", lambda e: e.root.mint, "MintMismatch"),
    ("global_config", lambda e: Keypair().pubkey(), "InvalidExternalAccount"),
    ("root_treasury", lambda e: root_treasury_pda(e.sec_bc.mint), "InvalidRootTreasury"),
    ("amm_program", lambda e: PUMP_PROGRAM_ID, "InvalidExternalAccount"),
    (
        "user_volume_accumulator",
        lambda e: paddr.amm_user_volume_accumulator(e.stranger.pubkey()),
        "InvalidExternalAccount",
    ),
    (
        "coin_creator_vault_authority",
        lambda e: paddr.coin_creator_vault_authority(e.stranger.pubkey()),
        "InvalidExternalAccount",
    ),
    ("protocol_fee_recipient", lambda e: e.stranger.pubkey(), None),  # PumpSwap refuses it
    # issue 11: the pool-invariant account and the instructions sysvar
    ("bc_creator_vault", lambda e: paddr.creator_vault(e.stranger.pubkey()), "InvalidExternalAccount"),
    ("instructions_sysvar", lambda e: Keypair().pubkey(), "InvalidExternalAccount"),
]


@pytest.mark.parametrize("field,wrong,error", AMM_ATTACKS, ids=[a[0] for a in AMM_ATTACKS])
def test_amm_cycle_wrong_account_rejected_and_moves_nothing(
    eco: Eco, field: str, wrong: Callable[[Eco], Pubkey], error: str | None
) -> None:
    e = eco
    e.attribute({e.sec_amm.mint: e.trade(e.sec_amm, 20 * SOL), e.sec_bc.mint: e.trade(e.sec_bc, 4 * SOL)})
    swapped: dict[str, Any] = {field: wrong(e)}  # one account replaced, by its field name
    ix = e.cycle_ix(e.sec_amm, **swapped)
    before = _snapshot(e)
    if error is None:
        assert send_err(e.svm, [CU_LIMIT, ix], e.keeper)
    else:
        expect_error(e.svm, [CU_LIMIT, ix], e.keeper, error)
    assert _snapshot(e) == before


def test_wrong_venue_instruction_rejected(eco: Eco) -> None:
    e = eco
    e.attribute({e.sec_amm.mint: e.trade(e.sec_amm, 20 * SOL)})
    # An AMM token through the curve instruction (with its own stats): refused.
    accs = bc_cycle_accounts(e.keeper.pubkey(), e.sec_amm, e.root.mint, e.world.global_state.fee_recipient)
    from solders.instruction import Instruction

    from dat_helpers import ix_discriminator

    bad = Instruction(
        e.cycle_ix(e.sec_bc).program_id, ix_discriminator("execute_cycle_bc") + (1).to_bytes(8, "little"), accs
    )
    assert send_err(e.svm, [bad], e.keeper)


def test_cycle_cu_bounds(eco: Eco) -> None:
    e = eco
    e.attribute(
        {
            e.sec_bc.mint: e.trade(e.sec_bc, 4 * SOL),
            e.sec_amm.mint: e.trade(e.sec_amm, 20 * SOL),
            e.root.mint: e.trade(e.root, 3 * SOL),
        }
    )
    r_bc = e.send([e.cycle_ix(e.sec_bc)], payer=e.keeper, label="execute_cycle_bc(secondary)")
    r_amm = e.send(
        [CU_LIMIT, e.cycle_ix(e.sec_amm, new_cycle=False)], payer=e.keeper, label="execute_cycle_amm(secondary)"
    )
    r_root = e.send([e.cycle_ix(e.root, new_cycle=False)], payer=e.keeper, label="execute_cycle_bc(root+treasury)")
    assert r_bc.cu < CU_CYCLE_BC and r_root.cu < CU_CYCLE_BC and r_amm.cu < CU_CYCLE_AMM
    print("\nCU:", e.cu)


def test_root_change_moves_funded_treasury_and_new_root_on_amm(eco: Eco) -> None:
    e = eco
    e.attribute({e.sec_bc.mint: e.trade(e.sec_bc, 4 * SOL), e.sec_amm.mint: e.trade(e.sec_amm, 20 * SOL)})
    e.send([e.cycle_ix(e.sec_bc)], payer=e.keeper)
    held = read_state(e.svm)["root_share_held"]
    assert held > 0 and treasury_account_lamports(e.svm, read_state(e.svm)) == 0
    old_t, new_t = root_treasury_pda(e.root.mint), root_treasury_pda(e.sec_amm.mint)
    # Someone funds the old treasury account directly: that balance moves with the root.
    donated = 3_000_000
    donation = transfer(TransferParams(from_pubkey=e.stranger.pubkey(), to_pubkey=old_t, lamports=donated))
    e.send([donation], payer=e.stranger)
    owed = held + donated
    assert treasury_lamports(e.svm, read_state(e.svm)) == owed
    # A wrong "old treasury" is refused.
    ix = ix_set_root_token(e.admin.pubkey(), e.sec_amm.mint, old_root=e.root.mint)
    metas = list(ix.accounts)
    metas[-1] = type(metas[-1])(root_treasury_pda(e.sec_bc.mint), False, True)
    from solders.instruction import Instruction

    expect_error(e.svm, [Instruction(ix.program_id, ix.data, metas)], e.admin, "InvalidRootTreasury")
    r = e.send([ix], label="set_root_token(move)")
    ev = r.events("RootTokenSet")[0]
    assert ev["treasury_lamports_moved"] == donated and ev["old_root"] == e.root.mint
    assert lamports(e.svm, old_t) == RENT_EXEMPT_ZERO
    assert lamports(e.svm, new_t) == RENT_EXEMPT_ZERO + donated
    # The held share is the root's, whichever token that is: it stays in the pool.
    assert read_state(e.svm)["root_share_held"] == held
    assert read_stats(e.svm, e.root.mint)["is_root"] is False
    assert read_stats(e.svm, e.sec_amm.mint)["is_root"] is True
    e.check_accounting()
    # The new root lives on the AMM: its cycle spends its pending plus the moved treasury.
    new_root = TokenRef(e.sec_amm.mint, TOKEN_PROGRAM_ID, POOL_AMM, is_root=True)
    e.root = new_root
    e.advance(60)
    r = e.send([CU_LIMIT, e.cycle_ix(new_root)], payer=e.keeper, label="execute_cycle_amm(root+treasury)")
    d = r.events("CycleCompleted")[0]
    assert d["treasury_used"] == owed and d["sent_to_root"] == 0
    assert treasury_lamports(e.svm, read_state(e.svm)) == 0
    assert read_state(e.svm)["root_share_held"] == 0 and lamports(e.svm, new_t) == RENT_EXEMPT_ZERO
    assert d["root_share_held"] == 0
    e.check_accounting()


def test_set_token_pool_after_migration(eco: Eco) -> None:
    e = eco
    auth = authority_pda()
    tok = e.world.create_token(auth)
    a = e.admin.pubkey()
    e.send([ix_register_token(a, tok.mint, TOKEN_PROGRAM_ID, tok.bonding_curve, POOL_BONDING_CURVE)])
    migrated = e.world.create_migrated_token(auth, mint=tok.mint)
    from dat_helpers import ix_set_token_pool

    expect_error(
        e.svm, [ix_set_token_pool(e.stranger.pubkey(), tok.mint, migrated.pool, POOL_AMM)], e.stranger, "Unauthorized"
    )
    expect_error(e.svm, [ix_set_token_pool(a, tok.mint, e.amm_tok.pool, POOL_AMM)], e.admin, "InvalidPool")
    e.send([ix_set_token_pool(a, tok.mint, migrated.pool, POOL_AMM)], label="set_token_pool")
    st = read_stats(e.svm, tok.mint)
    assert st["pool"] == migrated.pool and st["pool_type"] == POOL_AMM
    assert st["pool_token_account"] == migrated.pool_base_token_account
    # The curve instruction now refuses it; the AMM one is the way.
    ref = TokenRef(tok.mint, TOKEN_PROGRAM_ID, POOL_BONDING_CURVE)
    expect_error(
        e.svm,
        [
            e.cycle_ix(
                ref, quoted=1, bonding_curve=migrated.pool, associated_bonding_curve=migrated.pool_base_token_account
            )
        ],
        e.keeper,
        "WrongPoolType",
    )


def test_attribution_rejects_foreign_stats_account(eco: Eco) -> None:
    e = eco
    real = e.svm.get_account(token_stats_pda(e.sec_bc.mint))
    assert real is not None
    fake = Keypair().pubkey()
    e.svm.set_account(
        fake, Account(lamports=real.lamports, data=bytes(real.data), owner=Keypair().pubkey(), executable=False)
    )
    _donate_bc_fees(e, 10_000_000)
    ix = ix_update_pending_fees(e.keeper.pubkey(), [FeeReport(e.sec_bc.mint, 1, e.slot(), 1)])
    metas = list(ix.accounts)
    metas[-1] = type(metas[-1])(fake, False, True)
    from solders.instruction import Instruction

    assert send_err(e.svm, [Instruction(ix.program_id, ix.data, metas)], e.keeper)
    # Fewer stats accounts than reports: refused.
    ix2 = ix_update_pending_fees(e.keeper.pubkey(), [FeeReport(e.sec_bc.mint, 1, e.slot(), 1)])
    expect_error(e.svm, [Instruction(ix2.program_id, ix2.data, list(ix2.accounts)[:-1])], e.keeper, "InvalidParameter")


def test_token2022_on_amm_cycle(eco: Eco) -> None:
    """A Token-2022 coin on its PumpSwap pool: bought with WSOL, burned with Token-2022."""
    e = eco
    auth = authority_pda()
    mig = e.world.create_migrated_token(auth, token_program=TOKEN_2022_PROGRAM_ID)
    e.send([ix_register_token(e.admin.pubkey(), mig.mint, TOKEN_2022_PROGRAM_ID, mig.pool, POOL_AMM)])
    ref = TokenRef(mig.mint, TOKEN_2022_PROGRAM_ID, POOL_AMM)
    e.all_mints.append(mig.mint)
    # Fees for it: PumpSwap creator fees in WSOL (donated to the vault, as trades would).
    vault = paddr.coin_creator_vault_ata(auth)
    e.world.svm.set_account(vault, _wsol_account_with(e, vault, token_balance(e.svm, vault) + 30_000_000))
    e.attribute({mig.mint: 30_000_000})
    supply = mint_supply(e.svm, mig.mint)
    base, quote = e.world.pool_reserves(mig)
    st, ts = read_state(e.svm), read_stats(e.svm, mig.mint)
    _, _, budget = planned_budget(st, ts)
    quoted = pool_exact_in_quote(budget, base, quote)
    accs = amm_cycle_accounts(
        e.keeper.pubkey(),
        ref,
        e.root.mint,
        e.world.global_config.protocol_fee_recipients[0],
        pool=mig.pool,
        pool_base_token_account=mig.pool_base_token_account,
        pool_quote_token_account=mig.pool_quote_token_account,
    )
    record_reference(e.svm, ref, e.admin)
    r = e.send([CU_LIMIT, ix_execute_cycle(ref, quoted, accs)], payer=e.keeper)
    burned = r.events("CycleCompleted")[0]["tokens_burned"]
    assert burned == quoted and supply - mint_supply(e.svm, mig.mint) == burned
    e.check_accounting()


def _wsol_account_with(e: Eco, address: Pubkey, amount: int) -> Account:
    from asdf_dat.pump.tokens import encode_token_account

    acc = e.svm.get_account(address)
    assert acc is not None
    owner = Pubkey.from_bytes(bytes(acc.data)[32:64])
    rent = e.svm.minimum_balance_for_rent_exemption(165)
    data = encode_token_account(mint=WSOL_MINT, owner=owner, amount=amount, native_rent_reserve=rent)
    return Account(lamports=rent + amount, data=data, owner=TOKEN_PROGRAM_ID, executable=False)


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    root_fees=st.integers(0, 40_000_000),
    bc_fees=st.integers(0, 900_000_000),
    amm_fees=st.integers(0, 900_000_000),
    cap=st.integers(10_000_000, 1_500_000_000),
    order=st.permutations([0, 1, 2]),
)
def test_property_cycles_conserve_and_keep_accounting(
    root_fees: int, bc_fees: int, amm_fees: int, cap: int, order: list[int]
) -> None:
    """Random fees, cap and processing order: every cycle either completes or defers; the
    state's pool accounting always matches real balances; DAT outflow equals pump-side inflow
    minus our own creator fees; tokens bought are exactly the tokens burned."""
    world = PumpWorld(svm=new_dat_svm())
    set_time(world.svm, 1_800_000_000, slot=1_000)
    admin, keeper, stranger = _funded(world.svm)
    set_upgrade_authority(world.svm, admin.pubkey())
    send(world.svm, [ix_initialize(admin.pubkey(), keeper.pubkey())], admin)
    e = Eco(world, admin, keeper, stranger)
    e.send([ix_update_parameters(admin.pubkey(), Params(max_fees_per_cycle=cap))])
    auth = authority_pda()
    _donate_bc_fees(e, root_fees + bc_fees + 1)
    vault = paddr.coin_creator_vault_ata(auth)
    e.svm.set_account(vault, _wsol_account_with(e, vault, amm_fees))
    e.attribute({e.root.mint: root_fees, e.sec_bc.mint: bc_fees, e.sec_amm.mint: amm_fees})
    e.check_accounting()
    tokens = [e.root, e.sec_bc, e.sec_amm]
    first = True
    for i in order:
        t = tokens[i]
        supply = mint_supply(e.svm, t.mint)
        dat0, pump0 = e.dat_funds(), e.pump_side()
        reserves0 = e.world.pool_reserves(e.amm_tok)
        r = e.send([CU_LIMIT, e.cycle_ix(t, new_cycle=first)], payer=e.keeper)
        done = r.events("CycleCompleted")
        if done:
            first = False
            assert supply - mint_supply(e.svm, t.mint) == done[0]["tokens_burned"] > 0
            assert (
                dat0 - e.dat_funds()
                == e.pump_side() - pump0
                == done[0]["sol_spent"] - _own_creator_fees(done, reserves0)
            )
        else:
            assert r.events("CycleDeferred")
            assert dat0 == e.dat_funds() and pump0 == e.pump_side()
        e.check_accounting()
        assert read_state(e.svm)["cycle_fees_taken"] <= cap
