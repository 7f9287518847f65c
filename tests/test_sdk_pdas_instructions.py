"""SDK PDAs and instruction builders against the program (IDL, stored state, test helpers)."""

from __future__ import annotations

import hashlib
import importlib
from typing import Any

import pytest
from solders.instruction import Instruction
from solders.keypair import Keypair
from solders.pubkey import Pubkey

import dat_helpers as h
from asdf_dat.dat import instructions as dix
from asdf_dat.dat import pdas
from asdf_dat.idl import load_raw_idl
from asdf_dat.pump import addresses as paddr
from asdf_dat.sandbox import Sandbox, build_sandbox

pytestmark = pytest.mark.sbf

ANY = Pubkey.from_string("So11111111111111111111111111111111111111112")


def _idl_instruction(name: str) -> dict[str, Any]:
    return next(i for i in load_raw_idl()["instructions"] if i["name"] == name)


def _const_seed(account: dict[str, Any]) -> bytes:
    seeds = account["pda"]["seeds"]
    assert len(seeds) == 1 and seeds[0]["kind"] == "const"
    return bytes(seeds[0]["value"])


def test_seeds_match_the_idl() -> None:
    accounts = {a["name"]: a for a in _idl_instruction("initialize")["accounts"]}
    assert _const_seed(accounts["state"]) == pdas.STATE_SEED
    assert _const_seed(accounts["authority"]) == pdas.AUTHORITY_SEED


@pytest.fixture
async def eco() -> Sandbox:
    return await build_sandbox(traders=1)


async def test_pdas_match_what_the_program_stored(eco: Sandbox) -> None:
    state = await eco.client.state()
    assert state.authority == pdas.authority_address()
    assert state.root_mint == eco.root.mint
    assert state.root_treasury == pdas.root_treasury_address(eco.root.mint)
    assert state.wsol_scratch == pdas.wsol_scratch_address()
    assert state.bc_creator_vault == paddr.creator_vault(pdas.authority_address())
    for token in eco.tokens:
        stats = await eco.client.token_stats(token.mint)
        assert stats is not None and stats.mint == token.mint
        account = eco.ledger.get_account(pdas.token_stats_address(token.mint))
        assert account is not None and account.owner == eco.client.program_id
        assert stats.dat_token_account == paddr.associated_token_address(
            pdas.authority_address(), token.mint, token.token_program
        )
    assert pdas.program_data_address() == h.program_data_pda()


def test_generated_client_takes_the_token_program_from_the_caller() -> None:
    """anchorpy's generator pins accounts named `token_program` to SPL Token; scripts/gen_client.py
    turns that off, so Token-2022 mints can be passed."""
    checked = 0
    for instruction in load_raw_idl()["instructions"]:
        if any(account["name"] == "token_program" for account in instruction["accounts"]):
            module = importlib.import_module(f"asdf_dat.generated.instructions.{instruction['name']}")
            accounts_type = getattr(
                module, "".join(part.title() for part in instruction["name"].split("_")) + "Accounts"
            )
            assert "token_program" in accounts_type.__annotations__, instruction["name"]
            checked += 1
    assert checked >= 3


def test_discriminators_are_anchors() -> None:
    for name, built in {
        "pause": dix.pause(ANY),
        "resume": dix.resume(ANY),
        "record_failure": dix.record_failure(ANY, 7),
        "update_parameters": dix.update_parameters(
            ANY, dix.DatParameters(6_000_000, 10**9, 5_690_000, 2_000_000, 500, 60, 3600)
        ),
    }.items():
        assert bytes(built.data)[:8] == hashlib.sha256(f"global:{name}".encode()).digest()[:8]


def _same(a: Instruction, b: Instruction) -> None:
    assert bytes(a.data) == bytes(b.data)
    assert list(a.accounts) == list(b.accounts)
    assert a.program_id == b.program_id


@pytest.mark.parametrize("token_program", [paddr.TOKEN_PROGRAM_ID, paddr.TOKEN_2022_PROGRAM_ID])
def test_builders_match_the_program_tests_encoding(token_program: Pubkey) -> None:
    admin, keeper, mint, root, other = (Keypair().pubkey() for _ in range(5))
    curve = paddr.bonding_curve(mint)
    _same(dix.initialize(admin, keeper), h.ix_initialize(admin, keeper))
    _same(
        dix.register_token(admin, mint, token_program=token_program, pool=curve, pool_type=dix.POOL_BONDING_CURVE),
        h.ix_register_token(admin, mint, token_program, curve, h.POOL_BONDING_CURVE),
    )
    _same(dix.set_token_pool(admin, mint, pool=curve, pool_type=1), h.ix_set_token_pool(admin, mint, curve, 1))
    _same(dix.set_root_token(admin, mint), h.ix_set_root_token(admin, mint))
    _same(dix.set_root_token(admin, mint, old_root=root), h.ix_set_root_token(admin, mint, old_root=root))
    _same(dix.init_wsol_accounts(admin), h.ix_init_wsol_accounts(admin))
    _same(
        dix.update_pending_fees(keeper, [dix.FeeReport(mint, 5, 10, 2), dix.FeeReport(root, 7, 11, 0)]),
        h.ix_update_pending_fees(keeper, [h.FeeReport(mint, 5, 10, 2), h.FeeReport(root, 7, 11, 0)]),
    )
    for name, args in [("set_keeper", (other,)), ("propose_admin", (other,)), ("propose_fee_split", (5600,))]:
        ours = getattr(dix, name)(admin, *args)
        theirs = getattr(h, f"ix_{name}")(admin, *args)
        _same(ours, theirs)
    for name in ("pause", "resume", "cancel_admin_transfer", "execute_fee_split", "cancel_fee_split"):
        _same(getattr(dix, name)(admin), getattr(h, f"ix_{name}")(admin))
    _same(dix.accept_admin(other), h.ix_accept_admin(other))
    _same(dix.record_failure(keeper, 3), h.ix_record_failure(keeper, 3))
    _same(dix.update_parameters(admin, dix.DatParameters(6_000_000, 10**9, 5_690_000, 2_000_000, 500, 60, 3600)),
          h.ix_update_parameters(admin, h.Params()))

    fee_rcpt = Keypair().pubkey()
    token = h.TokenRef(mint, token_program, h.POOL_BONDING_CURVE)
    _same(
        dix.execute_cycle_bc(
            keeper, mint, token_program=token_program, root_mint=root, fee_recipient=fee_rcpt, quoted_tokens_out=42
        ),
        h.ix_execute_cycle(token, 42, h.bc_cycle_accounts(keeper, token, root, fee_rcpt)),
    )
    amm = h.TokenRef(mint, token_program, h.POOL_AMM)
    _same(
        dix.execute_cycle_amm(
            keeper, mint, token_program=token_program, pool=paddr.canonical_pool(mint), root_mint=root,
            protocol_fee_recipient=fee_rcpt, quoted_tokens_out=42,
        ),
        h.ix_execute_cycle(amm, 42, h.amm_cycle_accounts(keeper, amm, root, fee_rcpt)),
    )


def test_token_program_must_be_a_token_program() -> None:
    with pytest.raises(ValueError, match="neither SPL Token nor Token-2022"):
        dix.register_token(ANY, ANY, token_program=paddr.PUMP_PROGRAM_ID, pool=ANY, pool_type=0)
