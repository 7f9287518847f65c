"""A localnet for the daemon's end-to-end tests and its RPC-load bench.

The DAT program and the pump stand-in on a LiteSVM, the DAT initialized with a keeper, N
ecosystem tokens (bonding curve or PumpSwap, SPL or Token-2022) created by the DAT authority and
registered, served over the local JSON-RPC endpoint (`asdf_dat.localnet`), with the seed's files
(`localnet-tokens/*.json`, `localnet-wallet.json`) written to a working directory. Trades go
through the served ledger, so they appear in `getSignaturesForAddress` / `getTransaction`.

Meant for tests and benches (it is what `asdf-dat localnet` will provide once it exists).
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass, replace
from pathlib import Path

from solders.account import Account
from solders.instruction import Instruction
from solders.keypair import Keypair
from solders.address_lookup_table_account import ID as LOOKUP_TABLE_PROGRAM_ID
from solders.address_lookup_table_account import AddressLookupTableAccount
from solders.message import Message, MessageV0
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.transaction import VersionedTransaction

from asdf_dat.dat.accounts import TokenStats, decode_token_stats
from asdf_dat.dat.pdas import authority_address, token_stats_address
from asdf_dat.dat import instructions as dix
from asdf_dat.ecosystem import inject_program_data
from asdf_dat.embedded import new_dat_svm
from asdf_dat.localnet.faults import FaultConfig
from asdf_dat.localnet.ledger import LocalLedger
from asdf_dat.localnet.rpc_server import BackgroundLocalnet, create_rpc
from asdf_dat.network.wallet import write_keypair
from asdf_dat.programs import ASDF_DAT_PROGRAM_ID
from asdf_dat.pump import addresses as paddr
from asdf_dat.pump import instructions as pix
from asdf_dat.pump import math as pm
from asdf_dat.pump.events import BuyEvent, SellEvent, TradeEvent, events_from_inner_instructions
from asdf_dat.pump.layouts import BondingCurve
from asdf_dat.pump.tokens import create_ata_idempotent, decode_token_account
from asdf_dat.pump.tx import send as svm_send
from asdf_dat.pump.world import PumpWorld

SOL = 1_000_000_000
@dataclass(frozen=True)
class SimToken:
    symbol: str
    mint: Pubkey
    token_program: Pubkey
    pool_type: int
    pool: Pubkey  # bonding curve or PumpSwap pool
    pool_base_token_account: Pubkey | None = None
    pool_quote_token_account: Pubkey | None = None
    is_root: bool = False
    fee_sharing: bool = False

    @property
    def creator(self) -> Pubkey:
        """The coin's pump creator: the DAT authority, or its sharing config in fee-sharing mode."""
        return paddr.sharing_config(self.mint) if self.fee_sharing else authority_address()


class SimWorld:
    """Build with `SimWorld.create(workdir, n_tokens)`, then `start()` the JSON-RPC endpoint."""

    def __init__(self, world: PumpWorld, ledger: LocalLedger, admin: Keypair, keeper: Keypair,
                 tokens: list[SimToken], workdir: Path) -> None:
        self.world = world
        self.ledger = ledger
        self.admin = admin
        self.keeper = keeper
        self.tokens = tokens
        self.workdir = workdir
        self.server: BackgroundLocalnet | None = None
        self.trader = Keypair()
        ledger.airdrop(self.trader.pubkey(), 100_000 * SOL)

    @classmethod
    def create(cls, workdir: Path, n_tokens: int = 3, *, amm_every: int = 3, token2022_every: int = 4,
               write_files: bool = True, fee_sharing: bool = False) -> SimWorld:
        """Tokens: #0 is the root (curve, SPL); every `amm_every`-th is on PumpSwap; every
        `token2022_every`-th uses Token-2022. `fee_sharing`: every token on its curve and
        switched to fee-sharing mode."""
        if fee_sharing:
            amm_every = n_tokens + 1
        world = PumpWorld(svm=new_dat_svm())
        admin, keeper = Keypair(), Keypair()
        for kp in (admin, keeper):
            world.svm.airdrop(kp.pubkey(), 1_000 * SOL)
        inject_program_data(world.svm, admin.pubkey())
        svm_send(world.svm, [dix.initialize(admin.pubkey(), keeper.pubkey())], [admin])
        svm_send(world.svm, [dix.init_wsol_accounts(admin.pubkey())], [admin])
        auth = authority_address()
        tokens: list[SimToken] = []
        for index in range(n_tokens):
            token_program = paddr.TOKEN_2022_PROGRAM_ID if index % token2022_every == token2022_every - 1 else paddr.TOKEN_PROGRAM_ID
            on_amm = index % amm_every == amm_every - 1
            symbol = f"T{index:04d}"
            if on_amm:
                migrated = world.create_migrated_token(auth, token_program=token_program)
                token = SimToken(symbol, migrated.mint, token_program, dix.POOL_AMM, migrated.pool,
                                 migrated.pool_base_token_account, migrated.pool_quote_token_account)
            else:
                created = world.create_token(auth, token_program=token_program)
                token = SimToken(symbol, created.mint, token_program, dix.POOL_BONDING_CURVE, created.bonding_curve,
                                 is_root=index == 0)
            svm_send(world.svm, [dix.register_token(admin.pubkey(), token.mint, token_program=token_program, pool=token.pool, pool_type=token.pool_type)], [admin])
            if fee_sharing:
                svm_send(world.svm, [*dix.compute_budget(400_000), dix.enable_fee_sharing(admin.pubkey(), token.mint)], [admin])
                token = replace(token, fee_sharing=True)
            tokens.append(token)
        if tokens:
            svm_send(world.svm, [dix.set_root_token(admin.pubkey(), tokens[0].mint)], [admin])
        ledger = LocalLedger(world.svm)
        sim = cls(world, ledger, admin, keeper, tokens, workdir)
        if write_files:
            sim.write_files()
        return sim

    # ------------------------------------------------------------------ files

    def token_json(self, token: SimToken) -> dict[str, object]:
        return {
            "mint": str(token.mint),
            "bondingCurve": str(token.pool),
            "creator": str(authority_address()),
            "name": f"Token {token.symbol}",
            "symbol": token.symbol,
            "isRoot": token.is_root,
            "poolType": "bonding_curve" if token.pool_type == dix.POOL_BONDING_CURVE else "pumpswap_amm",
            "tokenProgram": "Token2022" if token.token_program == paddr.TOKEN_2022_PROGRAM_ID else "SPL",
            "attribution": "fee-sharing" if token.fee_sharing else "keeper",
            "network": "localnet",
        }

    def write_token_file(self, index: int, token: SimToken) -> Path:
        directory = self.workdir / "localnet-tokens"
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{index + 1:04d}-{token.symbol.lower()}.json"
        path.write_text(json.dumps(self.token_json(token), indent=2))
        return path

    def write_files(self, tokens: list[SimToken] | None = None) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        for index, token in enumerate(self.tokens):
            if tokens is None or token in tokens:
                self.write_token_file(index, token)
        wallet = self.workdir / "localnet-wallet.json"
        if not wallet.exists():
            write_keypair(wallet, self.keeper)

    # ------------------------------------------------------------------ server

    def start(self, faults: FaultConfig | None = None, port: int = 0) -> BackgroundLocalnet:
        self.server = BackgroundLocalnet(create_rpc(self.ledger, faults), port=port).start()
        return self.server

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return self.server.url

    def set_faults(self, faults: FaultConfig) -> None:
        assert self.server is not None
        self.server.rpc.faults.configure(faults)

    def rpc_calls(self) -> dict[str, int]:
        assert self.server is not None
        return self.server.rpc.stats.calls()

    # ------------------------------------------------------------------ trading

    def send(self, instructions: list[Instruction], *signers: Keypair) -> Signature:
        payer = signers[0]
        blockhash = self.ledger.latest_blockhash().blockhash
        tx = VersionedTransaction(Message.new_with_blockhash(instructions, payer.pubkey(), blockhash), list(signers))
        return self.ledger.send(tx)

    def send_v0(self, instructions: list[Instruction], *signers: Keypair) -> Signature:
        """Like `send`, as a v0 transaction whose non-signer accounts (the vaults included) are
        loaded from a fresh address lookup table."""
        payer = signers[0]
        signer_keys = {kp.pubkey() for kp in signers}
        programs = {ix.program_id for ix in instructions}
        addresses = list(dict.fromkeys(
            meta.pubkey for ix in instructions for meta in ix.accounts
            if meta.pubkey not in signer_keys and meta.pubkey not in programs
        ))
        table = Keypair().pubkey()
        header = struct.pack("<IQQB", 1, 2**64 - 1, 0, 0) + b"\x01" + bytes(payer.pubkey()) + b"\x00\x00"
        data = header + b"".join(bytes(a) for a in addresses)
        self.ledger.svm.set_account(table, Account(lamports=10**8, data=data, owner=LOOKUP_TABLE_PROGRAM_ID))
        blockhash = self.ledger.latest_blockhash().blockhash
        message = MessageV0.try_compile(payer.pubkey(), instructions, [AddressLookupTableAccount(table, addresses)], blockhash)
        return self.ledger.send(VersionedTransaction(message, list(signers)))

    def _token_amount(self, address: Pubkey) -> int:
        account = self.ledger.get_account(address)
        return 0 if account is None else decode_token_account(bytes(account.data)).amount

    def buy(self, token: SimToken, lamports: int, trader: Keypair | None = None, *, lookup_table: bool = False) -> Signature:
        """Spend about `lamports` on `token` (curve or pool); optionally as a v0 transaction
        with its accounts in a lookup table."""
        who = trader or self.trader
        send = self.send_v0 if lookup_table else self.send
        user = who.pubkey()
        auth = authority_address()
        if token.pool_type == dix.POOL_BONDING_CURVE:
            return send(
                [
                    create_ata_idempotent(user, user, token.mint, token.token_program),
                    pix.buy_exact_sol_in(
                        user=user, mint=token.mint, creator=token.creator, fee_recipient=self.world.global_state.fee_recipient,
                        spendable_sol_in=lamports, min_tokens_out=0, token_program=token.token_program,
                    ),
                ],
                who,
            )
        assert token.pool_base_token_account is not None and token.pool_quote_token_account is not None
        base = self._token_amount(token.pool_base_token_account)
        quote = self._token_amount(token.pool_quote_token_account)
        g = self.world.global_config
        out = max(1, base * lamports // (quote + lamports) * 97 // 100)
        need = pm.pool_buy_exact_out(base, quote, out, g.lp_fee_basis_points, g.protocol_fee_basis_points,
                                     g.coin_creator_fee_basis_points).user_quote_in
        return send(
            [
                *self.world.wrap_sol_instructions(user, need),
                create_ata_idempotent(user, user, token.mint, token.token_program),
                pix.amm_buy(
                    pool=token.pool, user=user, base_mint=token.mint, coin_creator=auth,
                    protocol_fee_recipient=g.protocol_fee_recipients[0], base_amount_out=out,
                    max_quote_amount_in=need, base_token_program=token.token_program,
                ),
            ],
            who,
        )

    def sell(self, token: SimToken, fraction: float = 0.5, trader: Keypair | None = None) -> Signature | None:
        who = trader or self.trader
        user = who.pubkey()
        held = self._token_amount(paddr.associated_token_address(user, token.mint, token.token_program))
        amount = int(held * fraction)
        if amount <= 0:
            return None
        auth = authority_address()
        if token.pool_type == dix.POOL_BONDING_CURVE:
            return self.send(
                [pix.sell(user=user, mint=token.mint, creator=token.creator, fee_recipient=self.world.global_state.fee_recipient,
                          amount=amount, min_sol_output=0, token_program=token.token_program)],
                who,
            )
        g = self.world.global_config
        return self.send(
            [
                create_ata_idempotent(user, user, paddr.WSOL_MINT),
                pix.amm_sell(pool=token.pool, user=user, base_mint=token.mint, coin_creator=auth,
                             protocol_fee_recipient=g.protocol_fee_recipients[0], base_amount_in=amount,
                             min_quote_amount_out=0, base_token_program=token.token_program),
            ],
            who,
        )

    # ------------------------------------------------------------------ truth

    def creator_fees(self, signature: Signature) -> dict[Pubkey, int]:
        """Creator fees a landed transaction paid to the DAT authority's vaults, per mint."""
        record = self.ledger.transaction(signature)
        if record is None or record.err is not None:
            return {}
        auth = authority_address()
        pools = {t.pool: t.mint for t in self.tokens}
        out: dict[Pubkey, int] = {}
        events = events_from_inner_instructions(list(record.account_keys), [list(g) for g in record.inner_instructions])
        for event in events:
            if isinstance(event, TradeEvent) and event.creator == auth:
                out[event.mint] = out.get(event.mint, 0) + event.creator_fee
            elif isinstance(event, (BuyEvent, SellEvent)) and event.coin_creator == auth:
                mint = pools[event.pool]
                out[mint] = out.get(mint, 0) + event.coin_creator_fee
        return out

    def stats(self, mint: Pubkey) -> TokenStats:
        account = self.ledger.get_account(token_stats_address(mint))
        assert account is not None
        return decode_token_stats(bytes(account.data))

    def onchain_pending(self) -> dict[Pubkey, int]:
        return {t.mint: self.stats(t.mint).pending_fees for t in self.tokens}

    def curve(self, token: SimToken) -> BondingCurve:
        account = self.ledger.get_account(paddr.bonding_curve(token.mint))
        assert account is not None
        return BondingCurve.decode(bytes(account.data))
