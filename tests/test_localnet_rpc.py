"""The local JSON-RPC endpoint, driven over real HTTP by solana-py's AsyncClient (and raw httpx)."""

from __future__ import annotations

import asyncio
import base64
import functools
import struct
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

import based58
import httpx
import pytest
import zstandard
from solana.rpc.async_api import AsyncClient
from solana.rpc.core import RPCException
from solana.rpc.types import TxOpts
from solders.account import Account
from solders.address_lookup_table_account import ID as LOOKUP_TABLE_PROGRAM_ID
from solders.address_lookup_table_account import AddressLookupTableAccount
from solders.compute_budget import set_compute_unit_price
from solders.hash import Hash
from solders.instruction import AccountMeta, Instruction
from solders.keypair import Keypair
from solders.message import MessageV0
from solders.pubkey import Pubkey
from solders.rpc.errors import SendTransactionPreflightFailureMessage, UnsupportedTransactionVersionMessage
from solders.signature import Signature
from solders.system_program import CreateAccountParams, TransferParams, create_account, transfer
from solders.transaction import VersionedTransaction
from solders.transaction_status import (
    InstructionErrorCustom,
    TransactionErrorFieldless,
    TransactionErrorInstructionError,
)
from spl.token.instructions import (
    InitializeMintParams,
    MintToParams,
    create_associated_token_account,
    get_associated_token_address,
    initialize_mint,
    mint_to,
)

from asdf_dat.embedded import new_svm
from asdf_dat.localnet.faults import FaultConfig
from asdf_dat.localnet.ledger import LocalLedger
from asdf_dat.localnet.records import TOKEN_PROGRAM_ID
from asdf_dat.localnet.rpc_server import BackgroundLocalnet, start_localnet_in_thread

T = TypeVar("T")
SYSTEM_PROGRAM_ID = Pubkey.from_string("11111111111111111111111111111111")
SOL = 1_000_000_000


@pytest.fixture
def server() -> Iterator[BackgroundLocalnet]:
    with start_localnet_in_thread(LocalLedger(new_svm())) as running:
        yield running


@pytest.fixture(scope="module")
def shared_server() -> Iterator[BackgroundLocalnet]:
    """One endpoint for the read-only garbage tests (faults never enabled on it)."""
    with start_localnet_in_thread(LocalLedger(new_svm())) as running:
        yield running


@pytest.fixture
def payer(server: BackgroundLocalnet) -> Keypair:
    keypair = Keypair()
    server.ledger.airdrop(keypair.pubkey(), 100 * SOL)
    return keypair


def run(server: BackgroundLocalnet, scenario: Callable[[AsyncClient], Awaitable[T]]) -> T:
    async def main() -> T:
        async with AsyncClient(server.url) as client:
            return await scenario(client)

    return asyncio.run(main())


@functools.cache
def _http() -> httpx.Client:
    """One client for the whole module (creating one per request costs ~40 ms of TLS setup)."""
    return httpx.Client(timeout=10)


def raw_rpc(server: BackgroundLocalnet, body: bytes | str | Any) -> httpx.Response:
    if isinstance(body, (bytes, str)):
        return _http().post(server.url, content=body, headers={"Content-Type": "application/json"})
    return _http().post(server.url, json=body)


def rpc_call(server: BackgroundLocalnet, method: str, params: list[Any] | None = None) -> Any:
    response = raw_rpc(server, {"jsonrpc": "2.0", "id": 7, "method": method, "params": params or []})
    assert response.status_code == 200
    return response.json()


async def signed_transfer(
    client: AsyncClient, payer: Keypair, to: Pubkey, lamports: int, *extra: Instruction
) -> VersionedTransaction:
    blockhash = (await client.get_latest_blockhash()).value.blockhash
    instructions = [*extra, transfer(TransferParams(from_pubkey=payer.pubkey(), to_pubkey=to, lamports=lamports))]
    return VersionedTransaction(MessageV0.try_compile(payer.pubkey(), instructions, [], blockhash), [payer])


def failing_instruction(payer: Keypair) -> Instruction:
    """A system-program call with garbage data: fails with InvalidInstructionData."""
    return Instruction(SYSTEM_PROGRAM_ID, bytes([9, 9, 9]), [AccountMeta(payer.pubkey(), True, True)])


# ---------------------------------------------------------------------- transfers and history


def test_system_transfers_and_get_transaction(server: BackgroundLocalnet, payer: Keypair) -> None:
    recipient = Keypair().pubkey()

    async def scenario(client: AsyncClient) -> None:
        assert await client.is_connected()
        slots = []
        for amount in (1_000_000, 2_000_000, 3_000_000):
            tx = await signed_transfer(client, payer, recipient, amount)
            signature = (await client.send_raw_transaction(bytes(tx))).value
            assert signature == tx.signatures[0]
            status = (await client.get_signature_statuses([signature])).value[0]
            assert status is not None and status.err is None and status.confirmation_status is not None
            fetched = (await client.get_transaction(signature, max_supported_transaction_version=0)).value
            assert fetched is not None
            meta = fetched.transaction.meta
            assert meta is not None and meta.err is None
            assert meta.fee == 5_000
            assert meta.pre_balances[0] - meta.post_balances[0] == amount + meta.fee
            assert meta.post_balances[1] - meta.pre_balances[1] == amount
            assert meta.log_messages and "success" in meta.log_messages[-1]
            assert meta.compute_units_consumed is not None and meta.compute_units_consumed > 0
            assert fetched.block_time is not None and fetched.block_time > 1_700_000_000
            slots.append(fetched.slot)
        assert slots == sorted(slots) and len(set(slots)) == 3
        assert (await client.get_balance(recipient)).value == 6_000_000
        assert (await client.get_slot()).value > slots[-1]
        assert fetched is not None
        assert (await client.get_block_time(slots[-1])).value == fetched.block_time
        fee_tx = await signed_transfer(client, payer, recipient, 1)
        assert (await client.get_fee_for_message(fee_tx.message)).value == 5_000

    run(server, scenario)


def test_failed_transaction_lands_with_err_when_preflight_skipped(server: BackgroundLocalnet, payer: Keypair) -> None:
    async def scenario(client: AsyncClient) -> None:
        before = (await client.get_balance(payer.pubkey())).value
        tx = await signed_transfer(client, payer, Keypair().pubkey(), 1, failing_instruction(payer))
        with pytest.raises(RPCException) as info:
            await client.send_raw_transaction(bytes(tx))
        failure = info.value.args[0]
        assert isinstance(failure, SendTransactionPreflightFailureMessage)
        assert isinstance(failure.data.err, TransactionErrorInstructionError)
        assert failure.data.logs
        assert (await client.get_signature_statuses([tx.signatures[0]])).value[0] is None
        assert (await client.get_balance(payer.pubkey())).value == before  # nothing landed

        signature = (await client.send_raw_transaction(bytes(tx), TxOpts(skip_preflight=True))).value
        status = (await client.get_signature_statuses([signature])).value[0]
        assert status is not None and isinstance(status.err, TransactionErrorInstructionError)
        fetched = (await client.get_transaction(signature, max_supported_transaction_version=0)).value
        assert fetched is not None and fetched.transaction.meta is not None
        assert isinstance(fetched.transaction.meta.err, TransactionErrorInstructionError)
        assert (await client.get_balance(payer.pubkey())).value == before - fetched.transaction.meta.fee
        history = (await client.get_signatures_for_address(payer.pubkey(), limit=1)).value
        assert history[0].signature == signature and history[0].err is not None

    run(server, scenario)


def test_resending_the_same_bytes_lands_once(server: BackgroundLocalnet, payer: Keypair) -> None:
    recipient = Keypair().pubkey()

    async def scenario(client: AsyncClient) -> None:
        tx = await signed_transfer(client, payer, recipient, 1_000_000)
        first = (await client.send_raw_transaction(bytes(tx))).value
        for _ in range(3):
            again = (await client.send_raw_transaction(bytes(tx), TxOpts(skip_preflight=True))).value
            assert again == first
        with pytest.raises(RPCException) as info:
            await client.send_raw_transaction(bytes(tx))
        assert "already been processed" in str(info.value)
        assert (await client.get_balance(recipient)).value == 1_000_000
        assert len((await client.get_signatures_for_address(recipient)).value) == 1

    run(server, scenario)


def test_signatures_for_address_paging(server: BackgroundLocalnet, payer: Keypair) -> None:
    recipient = Keypair().pubkey()

    async def scenario(client: AsyncClient) -> None:
        sent: list[Signature] = []
        for amount in range(1, 8):
            tx = await signed_transfer(client, payer, recipient, 1_000_000 + amount)
            sent.append((await client.send_raw_transaction(bytes(tx))).value)
        newest_first = list(reversed(sent))

        everything = (await client.get_signatures_for_address(recipient)).value
        assert [info.signature for info in everything] == newest_first
        assert all(info.err is None and info.block_time is not None for info in everything)
        assert [info.slot for info in everything] == sorted((info.slot for info in everything), reverse=True)

        pages: list[Signature] = []
        before: Signature | None = None
        while True:
            page = (await client.get_signatures_for_address(recipient, before=before, limit=3)).value
            if not page:
                break
            assert len(page) <= 3
            pages.extend(info.signature for info in page)
            before = page[-1].signature
        assert pages == newest_first

        until_third = (await client.get_signatures_for_address(recipient, until=sent[2])).value
        assert [info.signature for info in until_third] == newest_first[:4]
        window = (await client.get_signatures_for_address(recipient, before=sent[5], until=sent[1])).value
        assert [info.signature for info in window] == [sent[4], sent[3], sent[2]]
        assert (await client.get_signatures_for_address(Keypair().pubkey())).value == []
        # the payer and the system program are indexed too
        assert (await client.get_signatures_for_address(payer.pubkey(), limit=1)).value[0].signature == sent[-1]
        assert (await client.get_signatures_for_address(SYSTEM_PROGRAM_ID, limit=7)).value[0].signature == sent[-1]

    run(server, scenario)


def test_send_transaction_base58_default_encoding(server: BackgroundLocalnet, payer: Keypair) -> None:
    blockhash = server.ledger.latest_blockhash().blockhash
    recipient = Keypair().pubkey()
    tx = VersionedTransaction(
        MessageV0.try_compile(
            payer.pubkey(),
            [transfer(TransferParams(from_pubkey=payer.pubkey(), to_pubkey=recipient, lamports=5_000_000))],
            [],
            blockhash,
        ),
        [payer],
    )
    reply = rpc_call(server, "sendTransaction", [based58.b58encode(bytes(tx)).decode()])
    assert reply["result"] == str(tx.signatures[0])
    assert rpc_call(server, "getBalance", [str(recipient)])["result"]["value"] == 5_000_000
    as_base64 = rpc_call(
        server, "getTransaction", [str(tx.signatures[0]), {"encoding": "base64", "maxSupportedTransactionVersion": 0}]
    )
    assert base64.b64decode(as_base64["result"]["transaction"][0]) == bytes(tx)
    assert as_base64["result"]["version"] == 0


def test_blockhash_rotates_and_old_ones_stay_valid(server: BackgroundLocalnet, payer: Keypair) -> None:
    async def scenario(client: AsyncClient) -> None:
        first = (await client.get_latest_blockhash()).value
        old_tx = await signed_transfer(client, payer, Keypair().pubkey(), 1_000_000)
        tx = await signed_transfer(client, payer, Keypair().pubkey(), 1_000_000)
        await client.send_raw_transaction(bytes(tx))
        second = (await client.get_latest_blockhash()).value
        assert second.blockhash != first.blockhash
        assert second.last_valid_block_height > first.last_valid_block_height
        await client.send_raw_transaction(bytes(old_tx))  # signed with the previous blockhash
        unknown = VersionedTransaction(
            MessageV0.try_compile(payer.pubkey(), [], [], Hash.new_unique()), [payer]
        )
        with pytest.raises(RPCException, match="Blockhash not found"):
            await client.send_raw_transaction(bytes(unknown))

    run(server, scenario)
    latest = server.ledger.latest_blockhash().blockhash
    assert rpc_call(server, "isBlockhashValid", [str(latest)])["result"]["value"] is True
    assert rpc_call(server, "isBlockhashValid", [str(Hash.new_unique())])["result"]["value"] is False


# ---------------------------------------------------------------------- accounts, tokens, lookup tables


def test_accounts_tokens_and_inner_instructions(server: BackgroundLocalnet, payer: Keypair) -> None:
    mint = Keypair()
    owner = Keypair().pubkey()
    ata = get_associated_token_address(owner, mint.pubkey())

    async def scenario(client: AsyncClient) -> None:
        rent = (await client.get_minimum_balance_for_rent_exemption(82)).value
        blockhash = (await client.get_latest_blockhash()).value.blockhash
        setup = [
            create_account(
                CreateAccountParams(
                    from_pubkey=payer.pubkey(), to_pubkey=mint.pubkey(), lamports=rent, space=82, owner=TOKEN_PROGRAM_ID
                )
            ),
            initialize_mint(
                InitializeMintParams(
                    decimals=6, program_id=TOKEN_PROGRAM_ID, mint=mint.pubkey(), mint_authority=payer.pubkey()
                )
            ),
            create_associated_token_account(payer.pubkey(), owner, mint.pubkey()),
        ]
        tx = VersionedTransaction(MessageV0.try_compile(payer.pubkey(), setup, [], blockhash), [payer, mint])
        create_sig = (await client.send_raw_transaction(bytes(tx))).value
        created = (await client.get_transaction(create_sig, max_supported_transaction_version=0)).value
        assert created is not None and created.transaction.meta is not None
        inner = created.transaction.meta.inner_instructions
        assert inner and inner[0].index == 2 and len(inner[0].instructions) >= 1

        mint_ix = mint_to(
            MintToParams(
                program_id=TOKEN_PROGRAM_ID,
                mint=mint.pubkey(),
                dest=ata,
                mint_authority=payer.pubkey(),
                amount=1_500_000,
            )
        )
        blockhash = (await client.get_latest_blockhash()).value.blockhash
        tx = VersionedTransaction(MessageV0.try_compile(payer.pubkey(), [mint_ix], [], blockhash), [payer])
        mint_sig = (await client.send_raw_transaction(bytes(tx))).value
        minted = (await client.get_transaction(mint_sig, max_supported_transaction_version=0)).value
        assert minted is not None and minted.transaction.meta is not None
        pre = minted.transaction.meta.pre_token_balances
        post = minted.transaction.meta.post_token_balances
        assert pre is not None and post is not None
        assert [b.ui_token_amount.amount for b in pre] == ["0"]
        assert [b.ui_token_amount.amount for b in post] == ["1500000"]
        assert post[0].mint == mint.pubkey() and post[0].owner == owner
        assert post[0].ui_token_amount.decimals == 6 and post[0].ui_token_amount.ui_amount_string == "1.5"
        balance = (await client.get_token_account_balance(ata)).value
        assert balance.amount == "1500000" and balance.ui_amount_string == "1.5"

        account = (await client.get_account_info(ata)).value
        assert account is not None and account.owner == TOKEN_PROGRAM_ID and len(account.data) == 165
        accounts = (await client.get_multiple_accounts([mint.pubkey(), ata, Keypair().pubkey()])).value
        assert accounts[0] is not None and accounts[0].data[44] == 6
        assert accounts[1] == account and accounts[2] is None
        assert (await client.get_signatures_for_address(ata)).value[0].signature == mint_sig

    run(server, scenario)
    sliced = rpc_call(
        server, "getAccountInfo", [str(ata), {"encoding": "base64", "dataSlice": {"offset": 64, "length": 8}}]
    )
    assert base64.b64decode(sliced["result"]["value"]["data"][0]) == (1_500_000).to_bytes(8, "little")
    parsed = rpc_call(server, "getAccountInfo", [str(ata), {"encoding": "jsonParsed"}])
    assert parsed["result"]["value"]["data"][1] == "base64"
    b58 = rpc_call(server, "getAccountInfo", [str(mint.pubkey()), {"encoding": "base58"}])
    assert b58["result"]["value"]["data"][1] == "base58"
    # base64+zstd: what Rust's RpcClient::get_account (anchor-cli, Solana's CLI) asks for; a
    # refusal made anchor take a deployed program for absent and deploy it again
    raw = server.ledger.get_account(ata)
    assert raw is not None
    zstd = rpc_call(server, "getAccountInfo", [str(ata), {"encoding": "base64+zstd"}])["result"]["value"]["data"]
    assert zstd[1] == "base64+zstd"
    assert zstandard.ZstdDecompressor().decompress(base64.b64decode(zstd[0])) == bytes(raw.data)
    several = rpc_call(server, "getMultipleAccounts", [[str(ata), str(Keypair().pubkey())], {
        "encoding": "base64+zstd", "dataSlice": {"offset": 64, "length": 8}}])["result"]["value"]
    assert several[1] is None and several[0]["data"][1] == "base64+zstd"
    assert zstandard.ZstdDecompressor().decompress(base64.b64decode(several[0]["data"][0])) == (1_500_000).to_bytes(
        8, "little"
    )


def test_v0_transaction_with_lookup_table(server: BackgroundLocalnet, payer: Keypair) -> None:
    recipients = [Keypair().pubkey() for _ in range(3)]
    table = Keypair().pubkey()
    meta = struct.pack("<IQQB", 1, 2**64 - 1, 0, 0) + b"\x01" + bytes(payer.pubkey()) + b"\x00\x00"
    server.ledger.svm.set_account(
        table,
        Account(lamports=10**7, data=meta + b"".join(bytes(r) for r in recipients), owner=LOOKUP_TABLE_PROGRAM_ID),
    )

    async def scenario(client: AsyncClient) -> None:
        blockhash = (await client.get_latest_blockhash()).value.blockhash
        instructions = [
            transfer(TransferParams(from_pubkey=payer.pubkey(), to_pubkey=r, lamports=1_000_000)) for r in recipients
        ]
        message = MessageV0.try_compile(
            payer.pubkey(), instructions, [AddressLookupTableAccount(table, recipients)], blockhash
        )
        tx = VersionedTransaction(message, [payer])
        signature = (await client.send_raw_transaction(bytes(tx))).value
        with pytest.raises(RPCException) as info:
            await client.get_transaction(signature)
        assert isinstance(info.value.args[0], UnsupportedTransactionVersionMessage)
        fetched = (await client.get_transaction(signature, max_supported_transaction_version=0)).value
        assert fetched is not None and fetched.transaction.meta is not None
        loaded = fetched.transaction.meta.loaded_addresses
        assert loaded is not None and set(loaded.writable) == set(recipients) and list(loaded.readonly) == []
        meta_ = fetched.transaction.meta
        assert len(meta_.pre_balances) == len(tx.message.account_keys) + 3
        assert meta_.post_balances[-3:] == [1_000_000] * 3
        for recipient in recipients:  # indexed by keys loaded from the table
            history = (await client.get_signatures_for_address(recipient)).value
            assert [h.signature for h in history] == [signature]

    run(server, scenario)


# ---------------------------------------------------------------------- simulate, fees, node methods


def test_simulate_transaction(server: BackgroundLocalnet, payer: Keypair) -> None:
    recipient = Keypair().pubkey()

    async def scenario(client: AsyncClient) -> None:
        ok = await signed_transfer(client, payer, recipient, 2_000_000)
        result = (await client.simulate_transaction(ok)).value
        assert result.err is None and result.units_consumed and result.logs
        assert (await client.get_balance(recipient)).value == 0  # simulation changes nothing

        bad = await signed_transfer(client, payer, recipient, 1, failing_instruction(payer))
        failed = (await client.simulate_transaction(bad)).value
        assert isinstance(failed.err, TransactionErrorInstructionError)

        verified = (await client.simulate_transaction(ok, sig_verify=True)).value
        assert verified.err is None

    run(server, scenario)
    unsigned = VersionedTransaction.populate(
        MessageV0.try_compile(
            payer.pubkey(),
            [transfer(TransferParams(from_pubkey=payer.pubkey(), to_pubkey=recipient, lamports=1))],
            [],
            Hash.new_unique(),
        ),
        [Signature.default()],
    )
    encoded = base64.b64encode(bytes(unsigned)).decode()
    stale = rpc_call(server, "simulateTransaction", [encoded, {"encoding": "base64"}])
    assert stale["result"]["value"]["err"] == "BlockhashNotFound"
    replaced = rpc_call(
        server,
        "simulateTransaction",
        [encoded, {"encoding": "base64", "replaceRecentBlockhash": True, "accounts": {"addresses": [str(recipient)]}}],
    )
    value = replaced["result"]["value"]
    assert value["err"] is None and value["replacementBlockhash"]["blockhash"]
    assert value["accounts"][0]["lamports"] == 1


def test_recent_prioritization_fees(server: BackgroundLocalnet, payer: Keypair) -> None:
    other = Keypair()
    server.ledger.airdrop(other.pubkey(), SOL)

    async def scenario(client: AsyncClient) -> None:
        tx = await signed_transfer(client, payer, Keypair().pubkey(), 1_000_000, set_compute_unit_price(7_000))
        await client.send_raw_transaction(bytes(tx))
        tx = await signed_transfer(client, other, Keypair().pubkey(), 1_000_000, set_compute_unit_price(3_000))
        await client.send_raw_transaction(bytes(tx))

    run(server, scenario)
    every = rpc_call(server, "getRecentPrioritizationFees", [])["result"]
    assert sorted(fee["prioritizationFee"] for fee in every if fee["prioritizationFee"]) == [3_000, 7_000]
    assert all(set(fee) == {"slot", "prioritizationFee"} for fee in every)
    only_payer = rpc_call(server, "getRecentPrioritizationFees", [[str(payer.pubkey())]])["result"]
    assert [fee["prioritizationFee"] for fee in only_payer if fee["prioritizationFee"]] == [7_000]


def test_node_methods(server: BackgroundLocalnet) -> None:
    assert rpc_call(server, "getHealth")["result"] == "ok"
    assert httpx.get(f"{server.url}/health").text == "ok"
    assert rpc_call(server, "getVersion")["result"]["solana-core"]
    assert rpc_call(server, "getMinimumBalanceForRentExemption", [0])["result"] == 890_880
    assert rpc_call(server, "getMinimumBalanceForRentExemption", [165])["result"] == 2_039_280
    slot = rpc_call(server, "getSlot")["result"]
    assert rpc_call(server, "getBlockHeight")["result"] == slot
    latest = rpc_call(server, "getLatestBlockhash")["result"]
    assert latest["context"]["slot"] == slot and latest["value"]["lastValidBlockHeight"] > slot

    async def scenario(client: AsyncClient) -> None:
        assert (await client.get_version()).value.solana_core
        assert (await client.get_minimum_balance_for_rent_exemption(82)).value == 1_461_600
        assert (await client.get_block_height()).value >= slot  # slots follow wall time (400 ms)
        address = Keypair().pubkey()
        signature = (await client.request_airdrop(address, 3 * SOL)).value
        assert (await client.get_balance(address)).value == 3 * SOL
        status = (await client.get_signature_statuses([signature])).value[0]
        assert status is not None and status.err is None

    run(server, scenario)


def test_advance_clock_and_stats(server: BackgroundLocalnet) -> None:
    before = server.ledger.unix_timestamp
    after = rpc_call(server, "asdf_advanceClock", [120])["result"]
    assert after >= before + 120 and server.ledger.unix_timestamp == after
    stats = rpc_call(server, "asdf_getStats")["result"]
    assert stats["calls"]["asdf_advanceClock"] == 1 and "sendsPerSignature" in stats


# ---------------------------------------------------------------------- garbage in, JSON-RPC errors out


def _error_code(response: httpx.Response) -> int:
    assert response.status_code == 200
    code = response.json()["error"]["code"]
    assert isinstance(code, int)
    return code


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"{not json", -32700),
        (b"\xff\xfe\x00garbage", -32700),
        (b"", -32700),
        (b"42", -32600),
        (b'"getSlot"', -32600),
        (b"[]", -32600),
        (b'{"jsonrpc": "2.0", "id": 1}', -32600),
        (b'{"jsonrpc": "1.0", "id": 1, "method": "getSlot"}', -32600),
        (b'{"jsonrpc": "2.0", "id": {"x": 1}, "method": "getSlot"}', -32600),
        (b'{"jsonrpc": "2.0", "id": 1, "method": 5}', -32600),
        (b'{"jsonrpc": "2.0", "id": 1, "method": "getFoo"}', -32601),
        (b'{"jsonrpc": "2.0", "id": 1, "method": "getBalance", "params": {"a": 1}}', -32602),
        (b'{"jsonrpc": "2.0", "id": 1, "method": "getBalance", "params": ["notapubkey"]}', -32602),
        (b'{"jsonrpc": "2.0", "id": 1, "method": "getBalance", "params": [42]}', -32602),
        (b'{"jsonrpc": "2.0", "id": 1, "method": "getBalance"}', -32602),
        (
            b'{"jsonrpc": "2.0", "id": 1, "method": "getAccountInfo", "params": ["11111111111111111111111111111111", '
            b'7]}',
            -32602,
        ),
        (
            b'{"jsonrpc": "2.0", "id": 1, "method": "getAccountInfo", "params": ["11111111111111111111111111111111", '
            b'{"encoding": "binary"}]}',
            -32602,
        ),
        (b'{"jsonrpc": "2.0", "id": 1, "method": "sendTransaction", "params": ["!!!"]}', -32602),
        (
            b'{"jsonrpc": "2.0", "id": 1, "method": "sendTransaction", "params": ["AAAA", {"encoding": "base64"}]}',
            -32602,
        ),
        (b'{"jsonrpc": "2.0", "id": 1, "method": "sendTransaction", "params": ["AAAA", {"encoding": "hex"}]}', -32602),
        (b'{"jsonrpc": "2.0", "id": 1, "method": "simulateTransaction", "params": [null]}', -32602),
        (
            b'{"jsonrpc": "2.0", "id": 1, "method": "getSignaturesForAddress", "params": '
            b'["11111111111111111111111111111111", {"limit": 5000}]}',
            -32602,
        ),
        (
            b'{"jsonrpc": "2.0", "id": 1, "method": "getSignaturesForAddress", "params": '
            b'["11111111111111111111111111111111", {"before": "xyz"}]}',
            -32602,
        ),
        (b'{"jsonrpc": "2.0", "id": 1, "method": "getSignatureStatuses", "params": [["nope"]]}', -32602),
        (b'{"jsonrpc": "2.0", "id": 1, "method": "getSignatureStatuses", "params": ["nope"]}', -32602),
        (b'{"jsonrpc": "2.0", "id": 1, "method": "getTransaction", "params": ["x"]}', -32602),
        (
            b'{"jsonrpc": "2.0", "id": 1, "method": "getMultipleAccounts", "params": '
            b'["11111111111111111111111111111111"]}',
            -32602,
        ),
        (b'{"jsonrpc": "2.0", "id": 1, "method": "getMinimumBalanceForRentExemption", "params": [-1]}', -32602),
        (b'{"jsonrpc": "2.0", "id": 1, "method": "getRecentPrioritizationFees", "params": ["x"]}', -32602),
        (b'{"jsonrpc": "2.0", "id": 1, "method": "asdf_setFaults", "params": [{"rate_limit_rate": 7}]}', -32602),
        (b'{"jsonrpc": "2.0", "id": 1, "method": "asdf_advanceClock", "params": [-5]}', -32602),
    ],
)
def test_garbage_gets_json_rpc_errors(shared_server: BackgroundLocalnet, body: bytes, code: int) -> None:
    assert _error_code(raw_rpc(shared_server, body)) == code
    assert rpc_call(shared_server, "getHealth")["result"] == "ok"  # still serving


def test_hostile_bodies(shared_server: BackgroundLocalnet) -> None:
    assert _error_code(raw_rpc(shared_server, b"[" * 200_000)) == -32700
    too_big = raw_rpc(shared_server, b" " * (10 * 1024 * 1024 + 1))
    assert too_big.status_code == 413 and too_big.json()["error"]["code"] == -32600
    assert rpc_call(shared_server, "getHealth")["result"] == "ok"


def test_error_keeps_request_id(server: BackgroundLocalnet) -> None:
    reply = raw_rpc(server, {"jsonrpc": "2.0", "id": "abc", "method": "nope"}).json()
    assert reply == {"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": "abc"}


def test_batch_requests(server: BackgroundLocalnet) -> None:
    replies = raw_rpc(
        server,
        [
            {"jsonrpc": "2.0", "id": 1, "method": "getSlot"},
            {"jsonrpc": "2.0", "id": 2, "method": "nope"},
            17,
            {"jsonrpc": "2.0", "id": 3, "method": "getBalance", "params": ["bad"]},
        ],
    ).json()
    assert replies[0]["id"] == 1 and isinstance(replies[0]["result"], int)
    assert [r["error"]["code"] for r in replies[1:]] == [-32601, -32600, -32602]


def test_other_http_routes(server: BackgroundLocalnet) -> None:
    assert httpx.get(server.url).status_code == 405
    assert httpx.post(f"{server.url}/nope", content=b"{}").status_code == 404


# ---------------------------------------------------------------------- fault injection


def test_faults_are_off_by_default_and_configurable(server: BackgroundLocalnet) -> None:
    for _ in range(20):
        assert raw_rpc(server, {"jsonrpc": "2.0", "id": 1, "method": "getSlot"}).status_code == 200
    assert rpc_call(server, "asdf_setFaults", [{"rate_limit_rate": 1.0, "retry_after_seconds": 3}])["result"] is True
    limited = raw_rpc(server, {"jsonrpc": "2.0", "id": 1, "method": "getSlot"})
    assert limited.status_code == 429 and limited.headers["retry-after"] == "3"
    # control methods are never faulted, so faults can be switched off again
    assert rpc_call(server, "asdf_setFaults", [{}])["result"] is True
    assert raw_rpc(server, {"jsonrpc": "2.0", "id": 1, "method": "getSlot"}).status_code == 200


def test_fault_kinds_and_rates() -> None:
    config = FaultConfig(rate_limit_rate=0.3, http_error_rate=0.2, rpc_error_rate=0.1, seed=1234)
    with start_localnet_in_thread(LocalLedger(new_svm()), faults=config) as server:
        statuses = []
        for _ in range(200):
            response = raw_rpc(server, {"jsonrpc": "2.0", "id": 1, "method": "getSlot"})
            if response.status_code == 200 and "error" in response.json():
                assert response.json()["error"]["code"] == -32005
                statuses.append("rpc")
            else:
                statuses.append(str(response.status_code))
        assert 35 <= statuses.count("429") <= 85
        assert 20 <= statuses.count("503") <= 60
        assert 5 <= statuses.count("rpc") <= 35
        assert statuses.count("200") >= 50
        injected = rpc_call(server, "asdf_getStats")["result"]["faultsInjected"]
        assert injected["rate_limit"] == statuses.count("429")


def test_latency_and_method_filter() -> None:
    config = FaultConfig(min_latency_ms=150, max_latency_ms=200, methods=frozenset({"getBalance"}))
    with start_localnet_in_thread(LocalLedger(new_svm()), faults=config) as server:
        slow = raw_rpc(server, {"jsonrpc": "2.0", "id": 1, "method": "getBalance", "params": [str(Keypair().pubkey())]})
        fast = raw_rpc(server, {"jsonrpc": "2.0", "id": 1, "method": "getSlot"})
        assert slow.elapsed.total_seconds() >= 0.15
        assert fast.elapsed.total_seconds() < 0.15


def test_lost_response_still_executes_the_send(server: BackgroundLocalnet, payer: Keypair) -> None:
    recipient = Keypair().pubkey()
    rpc_call(server, "asdf_setFaults", [{"lost_response_rate": 1.0}])
    blockhash = server.ledger.latest_blockhash().blockhash
    tx = VersionedTransaction(
        MessageV0.try_compile(
            payer.pubkey(),
            [transfer(TransferParams(from_pubkey=payer.pubkey(), to_pubkey=recipient, lamports=4_000_000))],
            [],
            blockhash,
        ),
        [payer],
    )
    encoded = base64.b64encode(bytes(tx)).decode()
    response = raw_rpc(
        server, {"jsonrpc": "2.0", "id": 1, "method": "sendTransaction", "params": [encoded, {"encoding": "base64"}]}
    )
    assert response.status_code == 503
    assert server.ledger.get_balance(recipient) == 4_000_000
    assert rpc_call(server, "getBalance", [str(recipient)])["result"]["value"] == 4_000_000


def test_timeout_fault_answers_504_after_the_delay() -> None:
    config = FaultConfig(timeout_rate=1.0, timeout_seconds=0.2)
    with start_localnet_in_thread(LocalLedger(new_svm()), faults=config) as server:
        response = raw_rpc(server, {"jsonrpc": "2.0", "id": 1, "method": "getSlot"})
        assert response.status_code == 504 and response.elapsed.total_seconds() >= 0.2


def test_fault_config_validation() -> None:
    with pytest.raises(ValueError):
        FaultConfig(rate_limit_rate=0.6, http_error_rate=0.6)
    with pytest.raises(ValueError):
        FaultConfig(min_latency_ms=10, max_latency_ms=5)
    with pytest.raises(ValueError):
        FaultConfig(unknown=1)  # type: ignore[call-arg]
    assert not FaultConfig().enabled


def test_custom_program_error_message(server: BackgroundLocalnet) -> None:
    from asdf_dat.localnet.methods import describe_error

    err = TransactionErrorInstructionError(1, InstructionErrorCustom(6003))
    assert describe_error(err) == "Error processing Instruction 1: custom program error: 0x1773"
    assert describe_error(TransactionErrorFieldless.BlockhashNotFound) == "Blockhash not found"


def test_control_helpers(server: BackgroundLocalnet) -> None:
    from asdf_dat.localnet.control import advance_clock, get_stats, set_faults

    async def scenario() -> None:
        await set_faults(server.url, FaultConfig(rate_limit_rate=1.0, methods=frozenset({"getSlot"})))
        assert raw_rpc(server, {"jsonrpc": "2.0", "id": 1, "method": "getSlot"}).status_code == 429
        assert raw_rpc(server, {"jsonrpc": "2.0", "id": 1, "method": "getHealth"}).status_code == 200
        await set_faults(server.url, FaultConfig())
        assert raw_rpc(server, {"jsonrpc": "2.0", "id": 1, "method": "getSlot"}).status_code == 200
        before = server.ledger.unix_timestamp
        assert await advance_clock(server.url, 61) >= before + 61
        stats = await get_stats(server.url)
        assert stats["faultsInjected"] == {"rate_limit": 1}

    asyncio.run(scenario())


def test_bad_signature_is_refused(server: BackgroundLocalnet, payer: Keypair) -> None:
    blockhash = server.ledger.latest_blockhash().blockhash
    message = MessageV0.try_compile(
        payer.pubkey(),
        [transfer(TransferParams(from_pubkey=payer.pubkey(), to_pubkey=Keypair().pubkey(), lamports=1))],
        [],
        blockhash,
    )
    forged = VersionedTransaction.populate(message, [Signature.new_unique()])
    encoded = base64.b64encode(bytes(forged)).decode()
    for skip in (False, True):
        reply = rpc_call(server, "sendTransaction", [encoded, {"encoding": "base64", "skipPreflight": skip}])
        assert reply["error"]["code"] == -32003
    assert server.ledger.transaction_count() == 0


def test_idle_keep_alive_connection_is_still_served(shared_server: BackgroundLocalnet) -> None:
    """A client's pooled connection idle for longer than uvicorn's default keep-alive (5 s) is
    not closed under it (what broke anchor-cli: "connection closed before message completed")."""
    import socket
    import time

    body = b'{"jsonrpc":"2.0","id":1,"method":"getSlot"}'
    request = (
        f"POST / HTTP/1.1\r\nHost: {shared_server.host}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    with socket.create_connection((shared_server.host, shared_server.port), timeout=10) as sock:
        for pause in (0.0, 6.0):
            time.sleep(pause)
            sock.sendall(request)
            reply = b""
            while not reply.endswith(b"}"):
                chunk = sock.recv(65536)
                assert chunk, f"connection closed after {pause} s idle"
                reply += chunk
            assert reply.startswith(b"HTTP/1.1 200") and b'"result"' in reply, reply
