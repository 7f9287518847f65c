"""A ready DAT ecosystem on an in-process LiteSVM, in well under a second.

    box = build_sandbox_sync()               # or: await build_sandbox(...), Sandbox.create(...)
    box.write_files(Path("."))               # localnet-tokens/*.json + localnet-wallet.json
    client = box.client                      # DatClient (the admin) over box.transport
    box.start()                              # optional: serve the ledger over JSON-RPC (box.url)

What it holds:

* the asdf_dat program and the pump / PumpSwap stand-in at their real ids (`PumpWorld`), with
  the program's ProgramData naming the admin as upgrade authority (as after `solana program
  deploy` by the admin), so that the admin's `initialize` passes the front-running check;
* DAT initialized (keeper: the admin, or a keypair of its own), WSOL accounts created;
* N tokens created by the DAT authority (so their creator fees accrue to the DAT's vaults),
  any venue and token program (`TokenSpec`; default `STANDARD_TOKENS`: a root on the curve, a
  Token-2022 secondary on the curve, a secondary on PumpSwap), registered and the root set
  (or left for the operator: `register=False`);
* funded wallets: the admin, the keeper and traders (other wallets that generate volume).

Everything after the account injection goes through `LocalLedger`, so the ledger's history
holds the set-up transactions, like a cluster's would, and trades appear in
`getSignaturesForAddress` / `getTransaction` when served.
"""

from __future__ import annotations

import asyncio
import struct
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from solders.account import Account
from solders.address_lookup_table_account import ID as LOOKUP_TABLE_PROGRAM_ID
from solders.address_lookup_table_account import AddressLookupTableAccount
from solders.instruction import Instruction
from solders.keypair import Keypair
from solders.message import Message, MessageV0
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.transaction import VersionedTransaction

from asdf_dat.config.ecosystem import Ecosystem
from asdf_dat.dat import instructions as dix
from asdf_dat.dat.accounts import TokenStats, decode_token_stats
from asdf_dat.dat.client import DatClient
from asdf_dat.dat.pdas import token_stats_address
from asdf_dat.dat.quote import PoolVenue
from asdf_dat.embedded import new_dat_svm, new_svm
from asdf_dat.localnet.faults import FaultConfig
from asdf_dat.localnet.ledger import LocalLedger
from asdf_dat.localnet.rpc_server import BackgroundLocalnet, create_rpc
from asdf_dat.network.embedded_transport import EmbeddedTransport
from asdf_dat.pump import addresses as paddr
from asdf_dat.pump import instructions as pix
from asdf_dat.pump.events import creator_fees_paid, events_from_inner_instructions
from asdf_dat.pump.layouts import BondingCurve
from asdf_dat.pump.tokens import create_ata_idempotent, token_amount
from asdf_dat.pump.world import PumpWorld
from asdf_dat.sandbox import tokens as sandbox_tokens
from asdf_dat.sandbox.keys import SeededKeypairs
from asdf_dat.sandbox.setup import inject_program_data, set_up_dat
from asdf_dat.sandbox.tokens import STANDARD_TOKENS, SandboxFiles, SandboxToken, TokenSpec

__all__ = [
    "ADMIN_SOL",
    "LAMPORTS_PER_SOL",
    "TRADER_SOL",
    "Sandbox",
    "Trade",
    "build_sandbox",
    "build_sandbox_sync",
    "build_spread_sandbox",
    "fee_reports",
]

LAMPORTS_PER_SOL = 1_000_000_000
ADMIN_SOL = 10_000
KEEPER_SOL = 1_000
TRADER_SOL = 1_000
SERVED_TRADER_SOL = 100_000


@dataclass(frozen=True)
class Trade:
    """One trade by another wallet and the creator fee it paid."""

    mint: Pubkey
    signature: Signature
    slot: int
    seq: int
    is_buy: bool
    sol_amount: int
    creator_fee: int


def fee_reports(trades: Sequence[Trade]) -> list[dix.FeeReport]:
    """The keeper's reports for `trades`, as the daemon makes them: per mint, the sum of the
    creator fees and the watermark (slot, sequence) of the last trade counted."""
    by_mint: dict[Pubkey, list[Trade]] = {}
    for trade in trades:
        by_mint.setdefault(trade.mint, []).append(trade)
    reports = []
    for mint, mint_trades in by_mint.items():
        last = max(mint_trades, key=lambda t: (t.slot, t.seq))
        reports.append(dix.FeeReport(mint, sum(t.creator_fee for t in mint_trades), last.slot, last.seq))
    return reports


@dataclass
class Sandbox:
    pump: PumpWorld
    ledger: LocalLedger
    transport: EmbeddedTransport
    admin: Keypair
    keeper: Keypair
    traders: list[Keypair]
    tokens: list[SandboxToken]
    client: DatClient
    workdir: Path | None = None
    """Where `write_files()` writes by default (the daemon's and the operator's working directory)."""
    setup_compute_units: dict[str, int] = field(default_factory=dict)
    """Compute units of each set-up instruction (max over its calls)."""
    build_seconds: float = 0.0
    server: BackgroundLocalnet | None = None

    @classmethod
    def create(cls, workdir: Path, count: int = 3, *, amm_every: int = 3, token2022_every: int = 4,
               fee_sharing: bool = False) -> Sandbox:
        """From synchronous code: `count` tokens spread over the venues and token programs
        (`spread_tokens`), a keeper of its own, a rich trader, the files written to `workdir`:
        the daemon's world (serve it with `start()`)."""
        return asyncio.run(build_spread_sandbox(
            workdir, count, amm_every=amm_every, token2022_every=token2022_every, fee_sharing=fee_sharing
        ))

    @property
    def root(self) -> SandboxToken:
        return next(t for t in self.tokens if t.is_root)

    @property
    def mints(self) -> list[Pubkey]:
        return [t.mint for t in self.tokens]

    @property
    def trader(self) -> Keypair:
        """The default trader."""
        return self.traders[0]

    @property
    def directory(self) -> Path:
        """`workdir`, which a sandbox built for the daemon or the operator has (`Sandbox.create`)."""
        if self.workdir is None:
            raise ValueError("this sandbox has no working directory: build it with a workdir")
        return self.workdir

    def token(self, mint: Pubkey) -> SandboxToken:
        return next(t for t in self.tokens if t.mint == mint)

    def ecosystem(self, tokens: Sequence[SandboxToken] | None = None) -> Ecosystem:
        """The tokens (default: all) as the ecosystem the orchestrator's executor cycles, root
        first, as `load_ecosystem_dir` reads their files (nothing written)."""
        chosen = sorted(self.tokens if tokens is None else tokens, key=lambda t: not t.is_root)
        return Ecosystem(self.workdir or Path("."), tuple(t.config() for t in chosen))

    # ------------------------------------------------------------------ files

    def write_files(self, directory: Path | None = None, tokens: Sequence[SandboxToken] | None = None) -> SandboxFiles:
        """`<directory>/localnet-tokens/NN-symbol.json` (stale localnet files removed; with
        `tokens`, only theirs) and `<directory>/localnet-wallet.json` (the keeper, mode 0600)."""
        target = directory or self.directory
        return sandbox_tokens.write_token_files(target, self.tokens, self.keeper, only=tokens)

    def write_token_file(self, token: SandboxToken) -> Path:
        """One token's file (a token added after the others were written)."""
        return self.write_files(tokens=[token]).token_files[0]

    # ------------------------------------------------------------------ JSON-RPC

    def start(self, faults: FaultConfig | None = None, port: int = 0) -> BackgroundLocalnet:
        """Serves the ledger over JSON-RPC (`asdf_dat.localnet`) in a background thread."""
        self.server = BackgroundLocalnet(create_rpc(self.ledger, faults), port=port).start()
        return self.server

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None

    def _served(self) -> BackgroundLocalnet:
        if self.server is None:
            raise RuntimeError("the sandbox is not served: call start() first")
        return self.server

    @property
    def url(self) -> str:
        return self._served().url

    def set_faults(self, faults: FaultConfig) -> None:
        self._served().rpc.faults.configure(faults)

    def rpc_calls(self) -> dict[str, int]:
        return self._served().rpc.stats.calls()

    # ------------------------------------------------------------------ sending

    def send(self, instructions: list[Instruction], *signers: Keypair) -> Signature:
        """Signs with `signers` (the first pays) and lands the transaction in the ledger."""
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
        message = MessageV0.try_compile(
            payer.pubkey(), instructions, [AddressLookupTableAccount(table, addresses)], blockhash
        )
        return self.ledger.send(VersionedTransaction(message, list(signers)))

    # ------------------------------------------------------------------ trading

    def token_balance(self, owner: Pubkey, token: SandboxToken) -> int:
        account = self.ledger.get_account(paddr.associated_token_address(owner, token.mint, token.token_program))
        return 0 if account is None else token_amount(bytes(account.data))

    def buy_instructions(self, user: Pubkey, token: SandboxToken, lamports: int) -> list[Instruction]:
        """`user` spends `lamports` (fees included) on `token`, on its curve or its pool."""
        if not token.amm:
            return [
                create_ata_idempotent(user, user, token.mint, token.token_program),
                pix.buy_exact_sol_in(
                    user=user, mint=token.mint, creator=token.pump_creator,
                    fee_recipient=self.pump.global_state.fee_recipient,
                    spendable_sol_in=lamports, min_tokens_out=0, token_program=token.token_program,
                ),
            ]
        config = self.pump.global_config
        venue = PoolVenue(config, self.pump.token_balance(token.pool_base_token_account),
                          self.pump.token_balance(token.pool_quote_token_account))
        return [
            *self.pump.wrap_sol_instructions(user, lamports),
            create_ata_idempotent(user, user, token.mint, token.token_program),
            pix.amm_buy(
                pool=token.pool, user=user, base_mint=token.mint, coin_creator=token.pump_creator,
                protocol_fee_recipient=config.protocol_fee_recipients[0], base_amount_out=venue.quote(lamports),
                max_quote_amount_in=lamports, base_token_program=token.token_program,
            ),
        ]

    def sell_instructions(self, user: Pubkey, token: SandboxToken, amount: int) -> list[Instruction]:
        """`user` sells `amount` raw tokens."""
        if not token.amm:
            return [
                pix.sell(
                    user=user,
                    mint=token.mint,
                    creator=token.pump_creator,
                    fee_recipient=self.pump.global_state.fee_recipient,
                    amount=amount,
                    min_sol_output=0,
                    token_program=token.token_program,
                )
            ]
        return [
            create_ata_idempotent(user, user, paddr.WSOL_MINT),
            pix.amm_sell(
                pool=token.pool, user=user, base_mint=token.mint, coin_creator=token.pump_creator,
                protocol_fee_recipient=self.pump.global_config.protocol_fee_recipients[0], base_amount_in=amount,
                min_quote_amount_out=0, base_token_program=token.token_program,
            ),
        ]

    def buy(self, token: SandboxToken, lamports: int, trader: Keypair | None = None, *,
            lookup_table: bool = False) -> Signature:
        """A trader (default: the first) spends `lamports` on `token`; optionally as a v0
        transaction with its accounts in a lookup table."""
        who = trader or self.trader
        send = self.send_v0 if lookup_table else self.send
        return send(self.buy_instructions(who.pubkey(), token, lamports), who)

    def sell(self, token: SandboxToken, fraction: float = 0.5, trader: Keypair | None = None, *,
             amount: int | None = None) -> Signature | None:
        """A trader sells `amount` raw tokens, or `fraction` of its holding (None: nothing held)."""
        who = trader or self.trader
        if amount is None:
            amount = int(self.token_balance(who.pubkey(), token) * fraction)
        if amount <= 0:
            return None
        return self.send(self.sell_instructions(who.pubkey(), token, amount), who)

    def buy_out(self, trader: Keypair, token: SandboxToken) -> list[Trade]:
        """`trader` buys every token left on `token`'s curve: the curve completes."""
        user = trader.pubkey()
        curve = self.ledger.get_account(paddr.bonding_curve(token.mint))
        if curve is None:
            raise LookupError(f"{token.symbol} has no bonding curve")
        left = BondingCurve.decode(bytes(curve.data)).real_token_reserves
        instructions = [
            create_ata_idempotent(user, user, token.mint, token.token_program),
            pix.buy(user=user, mint=token.mint, creator=token.pump_creator,
                    fee_recipient=self.pump.global_state.fee_recipient, amount=left,
                    max_sol_cost=TRADER_SOL * LAMPORTS_PER_SOL // 2, token_program=token.token_program),
        ]
        return self.trades(self.send(instructions, trader))

    def migrate(self, token: SandboxToken, payer: Keypair) -> SandboxToken:
        """pump `migrate` of a completed curve (permissionless); the token as it now trades, on
        its canonical PumpSwap pool (its config file and TokenStats still name the curve)."""
        migrate = pix.migrate(user=payer.pubkey(), mint=token.mint,
                              withdraw_authority=self.pump.global_state.withdraw_authority,
                              token_program=token.token_program)
        self.send([*dix.compute_budget(400_000), migrate], payer)
        return replace(token, pool_type="pumpswap_amm", pool=paddr.canonical_pool(token.mint))

    def round_trip(self, trader: Keypair, token: SandboxToken, lamports: int) -> list[Trade]:
        """Buy for `lamports`, then sell half of the holding: fees both ways."""
        trades = self.trades(self.buy(token, lamports, trader))
        sold = self.sell(token, 0.5, trader) if self.token_balance(trader.pubkey(), token) > 1 else None
        return trades + (self.trades(sold) if sold is not None else [])

    # ------------------------------------------------------------------ truth

    def trades(self, signature: Signature) -> list[Trade]:
        """The trades of this sandbox's tokens in a landed transaction, from its events, with the
        creator fee each paid into the DAT's vaults (or a fee-sharing token's config vault)."""
        record = self.ledger.transaction(signature)
        if record is None:
            raise LookupError(f"transaction {signature} is not in the ledger")
        if record.err is not None:
            return []
        events = events_from_inner_instructions(list(record.account_keys), [list(g) for g in record.inner_instructions])
        by_mint = {t.mint: t for t in self.tokens}
        by_pool = {t.pool: t for t in self.tokens if t.amm}
        out: list[Trade] = []
        for paid in creator_fees_paid(events):
            token = by_mint.get(paid.mint) if paid.mint is not None else by_pool.get(paid.pool) if paid.pool else None
            if token is not None and paid.creator == token.pump_creator:
                out.append(Trade(token.mint, signature, record.slot, paid.seq, paid.is_buy, paid.sol_amount, paid.fee))
        return out

    def creator_fees(self, signature: Signature) -> dict[Pubkey, int]:
        """Creator fees a landed transaction paid to the DAT authority's vaults, per mint: what
        the keeper attributes (fee-sharing tokens pay into their own config vault instead)."""
        out: dict[Pubkey, int] = {}
        for trade in self.trades(signature):
            if not self.token(trade.mint).fee_sharing:
                out[trade.mint] = out.get(trade.mint, 0) + trade.creator_fee
        return out

    def stats(self, mint: Pubkey) -> TokenStats:
        account = self.ledger.get_account(token_stats_address(mint))
        if account is None:
            raise LookupError(f"{mint} is not registered")
        return decode_token_stats(bytes(account.data))

    def onchain_pending(self) -> dict[Pubkey, int]:
        return {t.mint: self.stats(t.mint).pending_fees for t in self.tokens}

    def curve(self, token: SandboxToken) -> BondingCurve:
        account = self.ledger.get_account(paddr.bonding_curve(token.mint))
        if account is None:
            raise LookupError(f"no bonding curve for {token.mint}")
        return BondingCurve.decode(bytes(account.data))

    def mint_supply(self, mint: Pubkey) -> int:
        account = self.ledger.get_account(mint)
        return 0 if account is None else int(struct.unpack_from("<Q", bytes(account.data), 36)[0])


async def build_sandbox(
    specs: Sequence[TokenSpec] = STANDARD_TOKENS,
    *,
    traders: int = 2,
    trader_sol: int = TRADER_SOL,
    separate_keeper: bool = False,
    initialize: bool = True,
    register: bool = True,
    follow_wall_clock: bool = True,
    workdir: Path | None = None,
    write_files: bool = False,
    with_dat: bool = True,
    seed: str | None = None,
) -> Sandbox:
    """The world described in the module docstring. `separate_keeper`: a keeper keypair of its
    own (else the admin keeps); `initialize` False: the program only deployed (nothing of the
    DAT set up), `register` False: the DAT initialized, the tokens not registered;
    `write_files`: the token files and wallet into `workdir`. `with_dat` False: the world before
    the operator's first step, no asdf_dat program at its id (deploy it with `anchor deploy` or
    `asdf-dat deploy`, then `asdf-dat setup`); the tokens are already created by the DAT
    authority of the configured program id. `seed`: every key (wallets, mints) from
    `SeededKeypairs(seed)`, so that the same seed builds the same world (the benchmark's CU repeat)."""
    started = time.perf_counter()
    new_keypair: Callable[[], Keypair] = Keypair if seed is None else SeededKeypairs(seed)
    pump = PumpWorld(svm=new_dat_svm() if with_dat else new_svm(), payer=new_keypair(), new_keypair=new_keypair)
    ledger = LocalLedger(pump.svm, follow_wall_clock=follow_wall_clock)
    transport = EmbeddedTransport(ledger)
    admin = new_keypair()
    keeper = new_keypair() if separate_keeper else admin
    ledger.airdrop(admin.pubkey(), ADMIN_SOL * LAMPORTS_PER_SOL)
    if separate_keeper:
        ledger.airdrop(keeper.pubkey(), KEEPER_SOL * LAMPORTS_PER_SOL)
    wallets = [new_keypair() for _ in range(max(traders, 1))]
    for wallet in wallets:
        ledger.airdrop(wallet.pubkey(), trader_sol * LAMPORTS_PER_SOL)
    if with_dat:
        inject_program_data(ledger, admin.pubkey())

    tokens = sandbox_tokens.create_tokens(pump, specs)
    client = DatClient(transport, admin)
    set_up = with_dat and initialize
    units = await set_up_dat(client, tokens, keeper=keeper.pubkey(), register=register) if set_up else {}
    box = Sandbox(pump, ledger, transport, admin, keeper, wallets, tokens, client, workdir, setup_compute_units=units)
    if write_files:
        box.write_files()
    box.build_seconds = time.perf_counter() - started
    return box


async def build_spread_sandbox(workdir: Path, count: int = 3, *, amm_every: int = 3, token2022_every: int = 4,
                               fee_sharing: bool = False) -> Sandbox:
    """`Sandbox.create` from asynchronous code."""
    return await build_sandbox(
        sandbox_tokens.spread_tokens(
            count, amm_every=amm_every, token2022_every=token2022_every, fee_sharing=fee_sharing
        ),
        traders=1, trader_sol=SERVED_TRADER_SOL, separate_keeper=True, workdir=workdir, write_files=True,
    )


def build_sandbox_sync(
    specs: Sequence[TokenSpec] = STANDARD_TOKENS, *, traders: int = 2, with_dat: bool = True
) -> Sandbox:
    return asyncio.run(build_sandbox(specs, traders=traders, with_dat=with_dat))
