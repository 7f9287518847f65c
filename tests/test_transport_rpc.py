"""The network layer: one `Transport` interface, RPC (over the local endpoint) and embedded."""

from __future__ import annotations

import asyncio
import logging
import random
import socket
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

import httpx
import pytest
from solana.exceptions import SolanaRpcException
from solana.rpc.core import RPCException
from solders.compute_budget import set_compute_unit_price
from solders.hash import Hash
from solders.instruction import AccountMeta, Instruction
from solders.keypair import Keypair
from solders.message import MessageV0
from solders.pubkey import Pubkey
from solders.rpc.errors import InvalidParamsMessage, NodeUnhealthyMessage
from solders.signature import Signature
from solders.system_program import TransferParams, transfer
from solders.transaction import VersionedTransaction
from solders.transaction_status import TransactionErrorInstructionError

from asdf_dat.embedded import new_svm
from asdf_dat.localnet.faults import FaultConfig
from asdf_dat.localnet.ledger import LocalLedger
from asdf_dat.localnet.rpc_server import BackgroundLocalnet, start_localnet_in_thread
from asdf_dat.network.config import load_network_config
from asdf_dat.network.priority_fee import percentile, priority_fee_lamports, priority_fee_micro_lamports
from asdf_dat.network.rate_limit import AsyncRateLimiter
from asdf_dat.network.retry import RetryPolicy, is_transient, retry_after_seconds
from asdf_dat.network.transport import (
    ConfirmationTimeoutError,
    EmbeddedTransport,
    RpcTransport,
    RpcTransportSettings,
    RpcUnavailableError,
    TransactionExpiredError,
    TransactionFailedError,
    Transport,
    connect,
)

T = TypeVar("T")
SOL = 1_000_000_000
SYSTEM_PROGRAM_ID = Pubkey.from_string("11111111111111111111111111111111")
FAST_RETRIES = RetryPolicy(attempts=6, initial_backoff_seconds=0.01, max_backoff_seconds=0.05)
FAST_SETTINGS = RpcTransportSettings(
    retry=FAST_RETRIES, poll_interval_seconds=0.02, rebroadcast_interval_seconds=0.05, confirm_timeout_seconds=10
)


# ---------------------------------------------------------------------- pure parts


def test_priority_fee_is_p75_of_non_zero_fees_clamped() -> None:
    assert priority_fee_micro_lamports([0, 0, 10_000, 20_000, 30_000, 40_000]) == 30_000
    assert priority_fee_micro_lamports([5_000] * 3 + [0] * 100) == 5_000
    assert priority_fee_micro_lamports([]) == 1_000
    assert priority_fee_micro_lamports([0, 0]) == 1_000
    assert priority_fee_micro_lamports([1, 2, 3]) == 1_000
    assert priority_fee_micro_lamports([5_000_000, 9_000_000]) == 1_000_000
    assert priority_fee_micro_lamports([10, 20], floor=5, cap=15) == 15
    with pytest.raises(ValueError):
        priority_fee_micro_lamports([1], floor=10, cap=5)


def test_percentile_nearest_rank() -> None:
    assert percentile([4, 1, 3, 2], 75) == 3
    assert percentile([1, 2, 3, 4, 5], 75) == 4
    assert percentile([7], 75) == 7
    assert percentile([], 75) is None
    assert priority_fee_lamports(1_000_000, 200_000) == 200_000
    assert priority_fee_lamports(1, 1) == 1


def test_backoff_grows_and_is_capped() -> None:
    policy = RetryPolicy(initial_backoff_seconds=0.5, max_backoff_seconds=2.0, jitter=0.0)
    assert [policy.backoff(n) for n in range(5)] == [0.5, 1.0, 2.0, 2.0, 2.0]
    jittered = RetryPolicy(initial_backoff_seconds=1.0, jitter=0.2)
    assert all(0.8 <= jittered.backoff(0, random.Random(n)) <= 1.2 for n in range(20))


def _status_error(status: int, headers: dict[str, str] | None = None) -> httpx.HTTPStatusError:
    request = httpx.Request("POST", "http://127.0.0.1:1")
    return httpx.HTTPStatusError(
        "x", request=request, response=httpx.Response(status, headers=headers, request=request)
    )


def test_transient_classification() -> None:
    def request_function(*args: object) -> None:
        return None

    def wrapped(inner: Exception) -> SolanaRpcException:
        """What solana-py raises: the httpx error wrapped, with the original as __cause__."""
        try:
            raise SolanaRpcException(inner, request_function, None, None) from inner
        except SolanaRpcException as exc:
            return exc

    assert is_transient(wrapped(_status_error(429)))
    assert is_transient(wrapped(_status_error(503)))
    assert not is_transient(wrapped(_status_error(400)))
    assert is_transient(httpx.ConnectError("refused"))
    assert is_transient(TimeoutError())
    assert is_transient(
        RPCException(NodeUnhealthyMessage.from_json('{"message": "x", "data": {"numSlotsBehind": null}}'))
    )
    assert not is_transient(RPCException(InvalidParamsMessage("bad")))
    assert not is_transient(ValueError("x"))
    assert retry_after_seconds(wrapped(_status_error(429, {"Retry-After": "2"}))) == 2.0
    assert retry_after_seconds(wrapped(_status_error(429, {"Retry-After": "9999"}))) == 30.0
    assert retry_after_seconds(wrapped(_status_error(429))) is None


def test_rate_limiter_spaces_requests() -> None:
    async def scenario() -> float:
        limiter = AsyncRateLimiter(50, burst=1)
        start = time.monotonic()
        for _ in range(11):
            await limiter.acquire()
        return time.monotonic() - start

    assert asyncio.run(scenario()) >= 0.18
    with pytest.raises(ValueError):
        AsyncRateLimiter(0)


# ---------------------------------------------------------------------- both transports, one contract


@dataclass
class World:
    ledger: LocalLedger
    server: BackgroundLocalnet | None
    payer: Keypair

    def transport(self, settings: RpcTransportSettings = FAST_SETTINGS) -> Transport:
        if self.server is None:
            return EmbeddedTransport(self.ledger)
        return RpcTransport([self.server.url], settings)


@pytest.fixture(params=["rpc", "embedded"])
def world(request: pytest.FixtureRequest) -> Iterator[World]:
    ledger = LocalLedger(new_svm())
    payer = Keypair()
    ledger.airdrop(payer.pubkey(), 100 * SOL)
    if request.param == "embedded":
        yield World(ledger, None, payer)
        return
    with start_localnet_in_thread(ledger) as server:
        yield World(ledger, server, payer)


@pytest.fixture
def localnet() -> Iterator[World]:
    ledger = LocalLedger(new_svm())
    payer = Keypair()
    ledger.airdrop(payer.pubkey(), 100 * SOL)
    with start_localnet_in_thread(ledger) as server:
        yield World(ledger, server, payer)


def drive(transport: Transport, scenario: Callable[[Transport], Awaitable[T]]) -> T:
    async def main() -> T:
        try:
            return await scenario(transport)
        finally:
            await transport.close()

    return asyncio.run(main())


async def build_transfer(
    transport: Transport, payer: Keypair, to: Pubkey, lamports: int, *extra: Instruction, blockhash: Hash | None = None
) -> VersionedTransaction:
    recent = blockhash or (await transport.get_latest_blockhash()).blockhash
    instructions = [*extra, transfer(TransferParams(from_pubkey=payer.pubkey(), to_pubkey=to, lamports=lamports))]
    return VersionedTransaction(MessageV0.try_compile(payer.pubkey(), instructions, [], recent), [payer])


def failing_instruction(payer: Keypair) -> Instruction:
    return Instruction(SYSTEM_PROGRAM_ID, bytes([9, 9, 9]), [AccountMeta(payer.pubkey(), True, True)])


def test_reads(world: World) -> None:
    recipients = [Keypair().pubkey() for _ in range(150)]
    for index, recipient in enumerate(recipients[:3]):
        world.ledger.airdrop(recipient, (index + 1) * SOL)

    async def scenario(transport: Transport) -> None:
        assert isinstance(transport, Transport)
        assert await transport.get_balance(world.payer.pubkey()) == 100 * SOL
        assert await transport.get_balance(Keypair().pubkey()) == 0
        account = await transport.get_account(recipients[0])
        assert account is not None and account.lamports == SOL
        assert await transport.get_account(Keypair().pubkey()) is None
        accounts = await transport.get_accounts(recipients)  # more than one request's worth
        assert len(accounts) == 150
        assert [a.lamports if a else 0 for a in accounts[:4]] == [SOL, 2 * SOL, 3 * SOL, 0]
        assert all(a is None for a in accounts[3:])
        latest = await transport.get_latest_blockhash()
        slot = await transport.get_slot()
        assert latest.last_valid_block_height > await transport.get_block_height()
        assert slot == world.ledger.slot
        assert await transport.get_minimum_balance_for_rent_exemption(165) == 2_039_280
        assert transport.commitment == "confirmed"

    drive(world.transport(), scenario)


def test_send_confirm_and_history(world: World) -> None:
    recipient = Keypair().pubkey()

    async def scenario(transport: Transport) -> None:
        tx = await build_transfer(transport, world.payer, recipient, 2_000_000, set_compute_unit_price(20_000))
        simulated = await transport.simulate(tx)
        assert simulated.ok and simulated.units_consumed and simulated.logs
        status = await transport.send_and_confirm(tx)
        assert status.signature == tx.signatures[0] and status.ok
        assert status.confirmation_status in ("confirmed", "finalized")
        # the same signed bytes again: no second transfer
        again = await transport.send_and_confirm(bytes(tx))
        assert again.signature == status.signature
        assert await transport.send_raw_transaction(tx, skip_preflight=True) == status.signature
        assert await transport.get_balance(recipient) == 2_000_000

        statuses = await transport.get_signature_statuses([status.signature, Signature.new_unique()])
        assert statuses[0] is not None and statuses[0].slot == status.slot and statuses[1] is None
        fetched = await transport.get_transaction(status.signature)
        assert fetched is not None and fetched.transaction.meta is not None
        # signature fee + priority fee: 20,000 µlamports x the default limit of two builtin
        # instructions (2 x 3,000 CU, Agave's default limit) = 120 lamports
        assert fetched.transaction.meta.fee == 5_120 and fetched.slot == status.slot
        assert await transport.get_transaction(Signature.new_unique()) is None
        history = await transport.get_signatures_for_address(recipient)
        assert [entry.signature for entry in history] == [status.signature]

        fees = await transport.get_recent_prioritization_fees([world.payer.pubkey()])
        assert [fee.micro_lamports for fee in fees if fee.micro_lamports] == [20_000]
        assert await transport.get_priority_fee() == 20_000

        confirmed = await transport.confirm(status.signature)
        assert confirmed.ok

    drive(world.transport(), scenario)


def test_failures_say_whether_they_landed(world: World) -> None:
    async def scenario(transport: Transport) -> None:
        before = await transport.get_balance(world.payer.pubkey())
        tx = await build_transfer(transport, world.payer, Keypair().pubkey(), 1, failing_instruction(world.payer))
        simulated = await transport.simulate(tx)
        assert isinstance(simulated.err, TransactionErrorInstructionError)

        with pytest.raises(TransactionFailedError) as refused:
            await transport.send_and_confirm(tx)
        assert not refused.value.landed and refused.value.logs
        assert isinstance(refused.value.err, TransactionErrorInstructionError)
        assert await transport.get_balance(world.payer.pubkey()) == before

        signature = await transport.send_raw_transaction(tx, skip_preflight=True)
        with pytest.raises(TransactionFailedError) as landed:
            await transport.confirm(signature)
        assert landed.value.landed and landed.value.signature == signature
        assert any("invalid instruction data" in line for line in landed.value.logs)
        assert await transport.get_balance(world.payer.pubkey()) == before - 5_000

    drive(world.transport(), scenario)


def test_expired_blockhash_is_reported_as_safe_to_rebuild(world: World) -> None:
    async def scenario(transport: Transport) -> None:
        tx = await build_transfer(transport, world.payer, Keypair().pubkey(), 1, blockhash=Hash.new_unique())
        height = await transport.get_block_height()
        with pytest.raises(TransactionExpiredError):
            await transport.send_and_confirm(tx, last_valid_block_height=height - 1)

    drive(world.transport(), scenario)


# ---------------------------------------------------------------------- RPC specifics: faults, retries, failover


def _send_counts(world: World) -> dict[str, int]:
    assert world.server is not None
    return world.server.rpc.stats.sends_per_signature()


def test_rate_limited_endpoint_recovers_without_duplicate_sends(localnet: World) -> None:
    assert localnet.server is not None
    localnet.server.rpc.faults.configure(FaultConfig(rate_limit_rate=0.5, retry_after_seconds=0, seed=7))
    recipient = Keypair().pubkey()

    async def scenario(transport: Transport) -> None:
        for round_ in range(5):
            tx = await build_transfer(transport, localnet.payer, recipient, 1_000_000 + round_)
            status = await transport.send_and_confirm(tx)
            assert status.ok
        assert await transport.get_balance(recipient) == sum(1_000_000 + r for r in range(5))

    drive(localnet.transport(), scenario)
    assert localnet.server.rpc.faults.injected()["rate_limit"] > 0
    history = localnet.ledger.signatures_for_address(recipient)
    assert len(history) == 5
    sends = _send_counts(localnet)
    assert set(sends) == {str(record.signature) for record in history}  # every send was one of the 5


def test_lost_responses_resend_the_same_bytes(localnet: World) -> None:
    """The node executes the send but the client never hears back: retries and rebroadcasts must
    resend the same signed bytes, and exactly one transfer lands."""
    assert localnet.server is not None
    localnet.server.rpc.faults.configure(
        FaultConfig(lost_response_rate=1.0, rate_limit_rate=0.2, retry_after_seconds=0, seed=3)
    )
    recipient = Keypair().pubkey()

    async def scenario(transport: Transport) -> Signature:
        tx = await build_transfer(transport, localnet.payer, recipient, 7_000_000)
        status = await transport.send_and_confirm(tx)
        assert status.ok
        return status.signature

    signature = drive(localnet.transport(), scenario)
    sends = _send_counts(localnet)
    assert list(sends) == [str(signature)] and sends[str(signature)] >= 2
    assert localnet.ledger.get_balance(recipient) == 7_000_000
    assert len(localnet.ledger.signatures_for_address(recipient)) == 1


def test_errors_and_timeouts_are_retried(localnet: World) -> None:
    assert localnet.server is not None
    localnet.server.rpc.faults.configure(
        FaultConfig(http_error_rate=0.2, rpc_error_rate=0.2, timeout_rate=0.1, timeout_seconds=0.5, seed=11)
    )
    settings = FAST_SETTINGS.model_copy(
        update={
            "request_timeout_seconds": 0.25,
            "retry": RetryPolicy(attempts=12, initial_backoff_seconds=0.01, max_backoff_seconds=0.02),
        }
    )
    recipient = Keypair().pubkey()

    async def scenario(transport: Transport) -> None:
        for _ in range(10):
            assert await transport.get_balance(localnet.payer.pubkey()) > 0
        tx = await build_transfer(transport, localnet.payer, recipient, 3_000_000)
        assert (await transport.send_and_confirm(tx)).ok

    drive(localnet.transport(settings), scenario)
    assert localnet.ledger.get_balance(recipient) == 3_000_000
    assert len(_send_counts(localnet)) == 1


def test_gives_up_with_rpc_unavailable(localnet: World) -> None:
    assert localnet.server is not None
    localnet.server.rpc.faults.configure(FaultConfig(http_error_rate=1.0))
    settings = RpcTransportSettings(retry=RetryPolicy(attempts=3, initial_backoff_seconds=0.0))

    async def scenario(transport: Transport) -> None:
        with pytest.raises(RpcUnavailableError, match="HTTP 503"):
            await transport.get_slot()

    drive(localnet.transport(settings), scenario)


def _closed_port_url(path: str = "") -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"


def test_fails_over_to_the_fallback_and_masks_keys(localnet: World, caplog: pytest.LogCaptureFixture) -> None:
    assert localnet.server is not None
    secret = "s3cr3t0123456789abcdefghijklmnop"
    dead_primary = _closed_port_url(f"/?api-key={secret}")
    settings = FAST_SETTINGS.model_copy(update={"endpoint_failure_threshold": 1})
    recipient = Keypair().pubkey()
    caplog.set_level(logging.DEBUG)

    async def scenario(transport: Transport) -> None:
        assert secret not in repr(transport)
        assert await transport.get_slot() >= 0
        tx = await build_transfer(transport, localnet.payer, recipient, 1_000_000)
        assert (await transport.send_and_confirm(tx)).ok
        assert await transport.get_balance(recipient) == 1_000_000

    drive(RpcTransport([dead_primary, localnet.server.url], settings), scenario)
    assert "api-key=***" in caplog.text
    assert secret not in caplog.text


def test_unconfirmed_signature_times_out_without_claiming_expiry(localnet: World) -> None:
    async def scenario(transport: Transport) -> None:
        with pytest.raises(ConfirmationTimeoutError):
            await transport.confirm(Signature.new_unique(), timeout_seconds=0.2)

    drive(localnet.transport(), scenario)


def test_rate_limit_setting_is_applied(localnet: World) -> None:
    assert localnet.server is not None
    settings = RpcTransportSettings(requests_per_second=20)  # bursts up to 20

    async def scenario(transport: Transport) -> float:
        start = time.monotonic()
        for _ in range(30):
            await transport.get_slot()
        return time.monotonic() - start

    assert drive(RpcTransport([localnet.server.url], settings), scenario) >= 0.45


def test_connect_from_network_config(localnet: World, tmp_path: object) -> None:
    assert localnet.server is not None
    config = load_network_config("localnet", env={"RPC_URL": localnet.server.url})
    transport = connect(config)
    assert transport.endpoints == (config.rpc,)
    assert transport.settings.requests_per_second is None

    async def scenario(transport: Transport) -> int:
        return await transport.get_balance(localnet.payer.pubkey())

    assert drive(transport, scenario) == 100 * SOL
    mainnet = RpcTransport.from_config(load_network_config("mainnet", env={"HELIUS_API_KEY": "k" * 32}))
    assert mainnet.commitment == "finalized" and len(mainnet.endpoints) == 2
    assert "k" * 32 not in repr(mainnet)
    asyncio.run(mainnet.close())


def test_provider_style_rate_limit_errors_are_retried(localnet: World) -> None:
    """Some providers rate-limit with HTTP 200 and JSON-RPC code -32429, which solders cannot name."""
    assert localnet.server is not None
    localnet.server.rpc.faults.configure(FaultConfig(rpc_error_rate=0.5, rpc_error_code=-32429, seed=5))
    recipient = Keypair().pubkey()

    async def scenario(transport: Transport) -> None:
        for _ in range(10):
            assert await transport.get_slot() >= 0
            assert await transport.get_accounts([recipient]) == [None]
        tx = await build_transfer(transport, localnet.payer, recipient, 1_000_000)
        assert (await transport.send_and_confirm(tx)).ok

    drive(localnet.transport(), scenario)
    assert localnet.server.rpc.faults.injected()["rpc_error"] > 0
    assert len(_send_counts(localnet)) == 1
