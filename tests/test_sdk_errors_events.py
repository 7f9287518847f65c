"""Program errors decoded to named exceptions; events decoded from logs, scoped to our program."""

from __future__ import annotations

import base64

import pytest
from solders.keypair import Keypair
from solders.pubkey import Pubkey
from solders.transaction_status import InstructionErrorCustom, TransactionErrorInstructionError

from asdf_dat.dat import errors as dat_errors
from asdf_dat.dat.client import DatClient
from asdf_dat.dat.events import EVENT_TYPES, decode_events, event_discriminator, events_of_type
from asdf_dat.generated.errors import custom
from asdf_dat.generated.types import PendingFeesUpdated, StatusChanged
from asdf_dat.idl import load_raw_idl
from asdf_dat.orchestrator.executor import token_instructions
from asdf_dat.programs import ASDF_DAT_PROGRAM_ID, PUMP_PROGRAM_ID
from asdf_dat.pump import instructions as pix
from asdf_dat.pump.tokens import create_ata_idempotent
from asdf_dat.sandbox import LAMPORTS_PER_SOL, Sandbox, build_sandbox, fee_reports

SEED_ERROR_NAMES = ["DATNotActive", "InsufficientFees", "CycleTooSoon", "SlippageExceeded", "InvalidRootTreasury"]
DAT = str(ASDF_DAT_PROGRAM_ID)


# ---------------------------------------------------------------- static tables


def test_every_program_error_has_a_named_exception() -> None:
    idl_errors = {e["code"]: (e["name"], e.get("msg", "")) for e in load_raw_idl()["errors"]}
    assert set(dat_errors.PROGRAM_ERRORS) == set(idl_errors) == set(custom.CUSTOM_ERROR_MAP)
    for code, (name, msg) in idl_errors.items():
        cls = dat_errors.PROGRAM_ERRORS[code]
        assert cls.__name__ == cls.name == name and cls.msg == msg and cls.code == code
        assert getattr(dat_errors, name) is cls and issubclass(cls, dat_errors.DatProgramError)
    for name in SEED_ERROR_NAMES:
        assert name in dat_errors.ERRORS_BY_NAME


def test_every_idl_event_is_decodable() -> None:
    idl = {e["name"]: bytes(e["discriminator"]) for e in load_raw_idl()["events"]}
    ours = {t.__name__: event_discriminator(t.__name__) for t in EVENT_TYPES}
    assert ours == idl


def _err(code: int, index: int = 0) -> TransactionErrorInstructionError:
    return TransactionErrorInstructionError(index, InstructionErrorCustom(code))


def test_decode_from_logs_knows_which_program_failed() -> None:
    ours = dat_errors.decode_error(
        _err(6002), [f"Program {DAT} invoke [1]", f"Program {DAT} failed: custom program error: 0x1772"]
    )
    assert isinstance(ours, dat_errors.CycleTooSoon)
    assert "cycle cooldown has not elapsed" in str(ours) and ours.instruction_index == 0
    # pump's 6002 (TooMuchSolRequired) inside our CPI is pump's error, not CycleTooSoon.
    cpi = [
        f"Program {DAT} invoke [1]",
        f"Program {PUMP_PROGRAM_ID} invoke [2]",
        f"Program {PUMP_PROGRAM_ID} failed: custom program error: 0x1772",
        f"Program {DAT} failed: custom program error: 0x1772",
    ]
    external = dat_errors.decode_error(_err(6002), cpi)
    assert isinstance(external, dat_errors.ExternalProgramError)
    assert external.program_id == PUMP_PROGRAM_ID and external.code == 6002
    anchor = dat_errors.decode_error(
        _err(2006), [f"Program {DAT} invoke [1]", f"Program {DAT} failed: custom program error: 0x7d6"]
    )
    assert isinstance(anchor, dat_errors.AnchorFrameworkError) and anchor.name == "ConstraintSeeds"
    assert dat_errors.decode_error(None, []) is None
    assert isinstance(dat_errors.decode_error(_err(6013), []), dat_errors.OverAttribution)  # no logs: ours by code


def _data_line(raw: bytes) -> str:
    return "Program data: " + base64.b64encode(raw).decode()


def test_events_only_from_our_invocations() -> None:
    mint = Keypair().pubkey()
    event = PendingFeesUpdated(mint, 5, 5, 5, 10, 1, 1_800_000_000)
    raw = event_discriminator("PendingFeesUpdated") + PendingFeesUpdated.layout.build(event.__dict__)
    logs = [
        f"Program {DAT} invoke [1]",
        _data_line(raw),
        f"Program {PUMP_PROGRAM_ID} invoke [2]",
        _data_line(raw),  # logged by pump: not ours
        f"Program {PUMP_PROGRAM_ID} success",
        "Program data: !!!not-base64",
        _data_line(raw[:12]),  # truncated
        f"Program {DAT} success",
        _data_line(raw),  # outside any invocation
    ]
    decoded = decode_events(logs)
    assert [(d.name, d.log_index) for d in decoded] == [("PendingFeesUpdated", 1)]
    assert events_of_type(decoded, PendingFeesUpdated)[0] == event


# ---------------------------------------------------------------- on the program


@pytest.fixture
async def eco() -> Sandbox:
    return await build_sandbox(traders=1)


@pytest.mark.sbf
async def test_program_errors_raise_named_exceptions(eco: Sandbox) -> None:
    stranger = Keypair()
    eco.ledger.airdrop(stranger.pubkey(), LAMPORTS_PER_SOL)
    with pytest.raises(dat_errors.Unauthorized, match="signer is not allowed"):
        await DatClient(eco.transport, stranger).pause()

    trades = eco.round_trip(eco.traders[0], eco.tokens[1], 3 * LAMPORTS_PER_SOL)
    reports = fee_reports(trades)
    await eco.client.update_pending_fees(reports)
    with pytest.raises(dat_errors.StaleWatermark) as replay:
        await eco.client.update_pending_fees(reports)
    assert replay.value.code == 6012 and replay.value.logs

    # The token's cycle instruction as the executor builds it (planned while active), then paused.
    (built,) = await token_instructions(eco.transport, eco.admin.pubkey(), eco.ecosystem([eco.tokens[1]]))
    paused = await eco.client.pause()
    assert events_of_type(paused.events, StatusChanged)[0].is_active is False
    outcome = await eco.client.simulate([built.instruction])
    assert isinstance(outcome.error, dat_errors.DATNotActive)
    with pytest.raises(dat_errors.DATNotActive, match="DAT is paused"):
        await eco.client.send([built.instruction])


@pytest.mark.sbf
async def test_external_program_error(eco: Sandbox) -> None:
    trader = eco.traders[0]
    token = eco.tokens[0]
    user = trader.pubkey()
    greedy = pix.buy_exact_sol_in(
        user=user, mint=token.mint, creator=token.creator, fee_recipient=eco.pump.global_state.fee_recipient,
        spendable_sol_in=LAMPORTS_PER_SOL, min_tokens_out=10**15, token_program=token.token_program,
    )
    outcome = await DatClient(eco.transport, trader).simulate([create_ata_idempotent(user, user, token.mint), greedy])
    assert isinstance(outcome.error, dat_errors.ExternalProgramError)
    assert outcome.error.program_id == PUMP_PROGRAM_ID and outcome.error.code is not None


def test_unknown_program_id_is_not_ours() -> None:
    other = Pubkey.new_unique()
    error = dat_errors.decode_error(
        _err(6000), [f"Program {other} invoke [1]", f"Program {other} failed: custom program error: 0x1770"]
    )
    assert isinstance(error, dat_errors.ExternalProgramError) and not isinstance(error, dat_errors.DatProgramError)
