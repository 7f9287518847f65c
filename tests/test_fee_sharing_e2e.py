"""Issue 15 end to end, through the CLI only, against the localnet JSON-RPC endpoint, with no
daemon running and the keeper never reporting: `create-token` makes the coins (SPL root,
Token-2022 secondary) with the DAT authority as creator and opts them into fee sharing; other
wallets trade; one coin is bought out, migrates, and is moved to and cycled on PumpSwap;
`execute-ecosystem-cycle` sweeps, buys and burns. Per token, to the lamport:
creator fees paid by every trade (from pump's TradeEvents, the DAT's own buys included) ==
received in the token's fee account == SOL spent + sent to root + what remains."""

from __future__ import annotations

import asyncio
import json
import os
import struct
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from solders.instruction import Instruction
from solders.keypair import Keypair
from solders.message import Message
from solders.pubkey import Pubkey
from solders.transaction import Transaction, VersionedTransaction

from asdf_dat.dat import instructions as dix
from asdf_dat.dat.accounts import TokenStats, decode_dat_state, decode_token_stats
from asdf_dat.dat.pdas import fee_vault_address, state_address, token_stats_address
from asdf_dat.localnet.ledger import LocalLedger
from asdf_dat.localnet.rpc_server import BackgroundLocalnet, start_localnet_in_thread
from asdf_dat.pump import addresses as paddr
from asdf_dat.pump import instructions as pix
from asdf_dat.pump.events import BuyEvent, SellEvent, TradeEvent, events_from_logs
from asdf_dat.pump.layouts import TOKEN_TOTAL_SUPPLY, BondingCurve
from asdf_dat.pump.tokens import create_ata_idempotent, token_amount
from asdf_dat.pump.world import PumpWorld
from asdf_dat.sandbox import build_sandbox

pytestmark = pytest.mark.sbf

SOL = 1_000_000_000
RENT_EXEMPT_ZERO = 890_880
CLI = Path(sys.executable).with_name("asdf-dat")


@dataclass
class Net:
    directory: Path
    ledger: LocalLedger
    server: BackgroundLocalnet
    pump: PumpWorld

    def cli(self, *args: str) -> str:
        env = {k: v for k, v in os.environ.items() if k not in ("RPC_URL", "WALLET_PATH", "HELIUS_API_KEY")}
        env["RPC_URL"] = self.server.url
        env["DAEMON_URL"] = "http://127.0.0.1:9"  # no daemon
        env["COLUMNS"] = "200"
        proc = subprocess.run(
            [str(CLI), *args], cwd=self.directory, env=env, capture_output=True, text=True, timeout=180
        )
        assert proc.returncode == 0, f"asdf-dat {args} failed:\n{proc.stdout}\n{proc.stderr}"
        return proc.stdout

    def send(self, ixs: list[Instruction], payer: Keypair) -> None:
        blockhash = self.ledger.latest_blockhash().blockhash
        tx = Transaction([payer], Message.new_with_blockhash(ixs, payer.pubkey(), blockhash), blockhash)
        self.ledger.send(VersionedTransaction.from_bytes(bytes(tx)))

    def token(self, symbol: str) -> dict[str, str]:
        data: dict[str, str] = json.loads((self.directory / "localnet-tokens" / f"{symbol.lower()}.json").read_text())
        return data

    def stats(self, mint: Pubkey) -> TokenStats:
        acc = self.ledger.get_account(token_stats_address(mint))
        assert acc is not None
        return decode_token_stats(bytes(acc.data))

    def trade(self, trader: Keypair, mint: Pubkey, token_program: Pubkey, sol: int) -> None:
        """A buy for `sol` lamports, then a sell of half, by another wallet."""
        creator = paddr.sharing_config(mint)
        fee_recipient = self.pump.global_state.fee_recipient
        user = trader.pubkey()
        self.send([
            create_ata_idempotent(user, user, mint, token_program),
            pix.buy_exact_sol_in(user=user, mint=mint, creator=creator, fee_recipient=fee_recipient,
                                 spendable_sol_in=sol, min_tokens_out=0, token_program=token_program),
        ], trader)
        ata = paddr.associated_token_address(user, mint, token_program)
        acc = self.ledger.get_account(ata)
        assert acc is not None
        held = token_amount(bytes(acc.data))
        self.send([pix.sell(user=user, mint=mint, creator=creator, fee_recipient=fee_recipient, amount=held // 2,
                            min_sol_output=0, token_program=token_program)], trader)

    def pool_trade(self, trader: Keypair, mint: Pubkey, token_program: Pubkey, base_out: int) -> None:
        """A PumpSwap buy of `base_out` tokens on the coin's canonical pool, then a sell of
        half, by another wallet (the pool's coin creator is the sharing config)."""
        pool, creator, user = paddr.canonical_pool(mint), paddr.sharing_config(mint), trader.pubkey()
        recipient = self.pump.global_config.protocol_fee_recipients[0]
        self.send([
            *self.pump.wrap_sol_instructions(user, 50 * SOL),
            create_ata_idempotent(user, user, mint, token_program),
            pix.amm_buy(pool=pool, user=user, base_mint=mint, coin_creator=creator, protocol_fee_recipient=recipient,
                        base_amount_out=base_out, max_quote_amount_in=50 * SOL, base_token_program=token_program),
        ], trader)
        self.send(
            [
                pix.amm_sell(
                    pool=pool,
                    user=user,
                    base_mint=mint,
                    coin_creator=creator,
                    protocol_fee_recipient=recipient,
                    base_amount_in=base_out // 2,
                    min_quote_amount_out=0,
                    base_token_program=token_program,
                )
            ],
            trader,
        )

    def pool_base_reserve(self, mint: Pubkey, token_program: Pubkey) -> int:
        acc = self.ledger.get_account(paddr.associated_token_address(paddr.canonical_pool(mint), mint, token_program))
        assert acc is not None
        return token_amount(bytes(acc.data))

    def creator_fees_from_events(self, mint: Pubkey) -> int:
        """Σ creator fee of every pump TradeEvent of `mint` and every PumpSwap Buy/SellEvent of
        its canonical pool, in every landed transaction."""
        total = 0
        pool = paddr.canonical_pool(mint)
        for record in self.ledger.signatures_for_address(mint, limit=10_000):
            if record.err is not None:
                continue
            for event in events_from_logs(list(record.logs)):
                if isinstance(event, TradeEvent) and event.mint == mint:
                    total += event.creator_fee
                elif isinstance(event, (BuyEvent, SellEvent)) and event.pool == pool:
                    total += event.coin_creator_fee
        return total

    def sweep(self, payer: Keypair, mint: Pubkey) -> None:
        """The permissionless sweep (PumpSwap config vault -> pump config vault -> our fee
        account): only our fee account gains."""
        config = paddr.sharing_config(mint)
        ixs = [pix.distribute_creator_fees_v2(payer=payer.pubkey(), mint=mint, shareholders=[fee_vault_address(mint)])]
        amm_vault = self.ledger.get_account(paddr.coin_creator_vault_ata(config))
        if amm_vault is not None and token_amount(bytes(amm_vault.data)) > 0:
            ixs.insert(0, pix.amm_transfer_creator_fees_to_pump_v2(payer=payer.pubkey(), coin_creator=config))
        self.send(ixs, payer)


@pytest.fixture(name="net")
def net_fixture(tmp_path: Path) -> Iterator[Net]:
    box = asyncio.run(build_sandbox((), workdir=tmp_path, write_files=True))  # DAT initialized, no token
    server = start_localnet_in_thread(box.ledger)
    try:
        yield Net(tmp_path, box.ledger, server, box.pump)
    finally:
        server.stop()


def test_fee_sharing_end_to_end_through_the_cli(net: Net) -> None:
    """FROOT (SPL root) and DATS2 (Token-2022) trade on their curves; GRADS (SPL) is traded on
    its curve, cycled, then bought out by another wallet and migrated: the next
    `execute-ecosystem-cycle` moves it to its PumpSwap pool (set_token_pool, file rewritten) and
    cycles it there after pool trades."""
    out = net.cli("create-token", "--name", "Root", "--symbol", "FROOT", "--uri", "https://x.invalid/r.json",
                  "--root", "--network", "localnet")
    assert "Fee sharing: sole shareholder" in out
    net.cli("create-token", "--name", "Second", "--symbol", "DATS2", "--uri", "https://x.invalid/s.json",
            "--token-2022", "--network", "localnet")
    net.cli("create-token", "--name", "Graduate", "--symbol", "GRADS", "--uri", "https://x.invalid/g.json",
            "--network", "localnet")
    symbols = ("FROOT", "DATS2", "GRADS")
    tokens = {s: net.token(s) for s in symbols}
    assert all(t["attribution"] == "fee-sharing" for t in tokens.values())
    mints = {s: Pubkey.from_string(t["mint"]) for s, t in tokens.items()}
    programs = {"FROOT": paddr.TOKEN_PROGRAM_ID, "DATS2": paddr.TOKEN_2022_PROGRAM_ID, "GRADS": paddr.TOKEN_PROGRAM_ID}
    traders = [Keypair() for _ in range(3)]
    for t in traders:
        net.ledger.airdrop(t.pubkey(), 500 * SOL)

    for round_ in range(2):
        if round_ == 1:
            _buy_out_and_migrate(net, mints["GRADS"])
        for i, trader in enumerate(traders):
            for s in ("DATS2", "FROOT", "GRADS"):
                if s == "GRADS" and round_ == 1:
                    net.pool_trade(
                        trader, mints[s], programs[s], net.pool_base_reserve(mints[s], programs[s]) // (40 + 10 * i)
                    )
                else:
                    net.trade(trader, mints[s], programs[s], (2 + i + round_) * SOL // 2)
        out = net.cli("execute-ecosystem-cycle", "localnet-tokens/froot.json", "--network", "localnet")
        assert "Cycle succeeded" in out, out
        if round_ == 1:
            assert "GRADS" in out and "set_token_pool landed" in out, out
        net.ledger.advance_clock(61)

    grads = net.stats(mints["GRADS"])
    assert (grads.pool, grads.pool_type) == (paddr.canonical_pool(mints["GRADS"]), dix.POOL_AMM)
    assert net.token("GRADS")["poolType"] == "pumpswap_amm"
    # A stranger sweeps what the DAT's last buys paid (permissionless; only our fee accounts gain).
    stranger = Keypair()
    net.ledger.airdrop(stranger.pubkey(), SOL)
    for mint in mints.values():
        net.sweep(stranger, mint)

    state_acc = net.ledger.get_account(state_address())
    assert state_acc is not None
    state = decode_dat_state(bytes(state_acc.data))
    assert state.last_attribution_slot == 0  # the keeper never reported
    assert state.failed_cycles == 0
    for s, mint in mints.items():
        st = net.stats(mint)
        assert st.cycles == 2 and st.total_tokens_burned > 0, s
        paid = net.creator_fees_from_events(mint)
        in_fee_account = net.ledger.get_balance(fee_vault_address(mint)) - RENT_EXEMPT_ZERO
        received = st.total_sol_attributed + in_fee_account
        assert paid == received, (s, paid, received)
        # The root also spends what secondaries sent to its treasury: on both sides.
        spent_side = st.total_sol_spent + st.total_sent_to_root + st.pending_fees + in_fee_account
        assert received + st.total_received_from_others == spent_side, s
        mint_acc = net.ledger.get_account(mint)
        assert mint_acc is not None
        assert struct.unpack_from("<Q", bytes(mint_acc.data), 36)[0] == TOKEN_TOTAL_SUPPLY - st.total_tokens_burned, s
        curve_acc = net.ledger.get_account(paddr.bonding_curve(mint))
        assert curve_acc is not None and BondingCurve.decode(bytes(curve_acc.data)).creator == paddr.sharing_config(
            mint
        )
    stats_out = json.loads(net.cli("check-current-stats", "--network", "localnet", "--json"))
    assert {t["symbol"]: t["attribution"] for t in stats_out["tokens"]} == dict.fromkeys(symbols, "fee-sharing")
    report = json.loads(net.cli("execute-ecosystem-cycle", "localnet-tokens/froot.json", "--network", "localnet",
                                "--dry-run", "--json"))
    assert {t["symbol"]: t["attribution"] for t in report["tokens"]} == dict.fromkeys(symbols, "fee-sharing")


def _buy_out_and_migrate(net: Net, mint: Pubkey) -> None:
    """Another wallet buys every token left on the curve (it completes), then migrates the coin
    to its canonical PumpSwap pool (whose coin creator is the sharing config)."""
    trader = Keypair()
    net.ledger.airdrop(trader.pubkey(), 300 * SOL)
    user = trader.pubkey()
    curve_acc = net.ledger.get_account(paddr.bonding_curve(mint))
    assert curve_acc is not None
    net.send(
        [
            create_ata_idempotent(user, user, mint, paddr.TOKEN_PROGRAM_ID),
            pix.buy(
                user=user,
                mint=mint,
                creator=paddr.sharing_config(mint),
                fee_recipient=net.pump.global_state.fee_recipient,
                amount=BondingCurve.decode(bytes(curve_acc.data)).real_token_reserves,
                max_sol_cost=200 * SOL,
            ),
        ],
        trader,
    )
    net.send(
        [
            *dix.compute_budget(400_000),
            pix.migrate(user=user, mint=mint, withdraw_authority=net.pump.global_state.withdraw_authority),
        ],
        trader,
    )
    assert net.ledger.get_account(paddr.canonical_pool(mint)) is not None
