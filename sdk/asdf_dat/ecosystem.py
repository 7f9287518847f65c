"""A ready DAT ecosystem on an in-process LiteSVM, in well under a second.

    eco = build_ecosystem_sync()            # or: await build_ecosystem()
    eco.write_files(Path("."))              # localnet-tokens/*.json + localnet-wallet.json
    client = eco.client                     # DatClient over eco.transport (EmbeddedTransport)

What it holds:

* the asdf_dat program and the pump / PumpSwap stand-in at their real ids (`PumpWorld`), with
  the program's ProgramData naming the admin as upgrade authority (as after `solana program
  deploy` by the admin), so that the admin's `initialize` passes the front-running check;
* DAT initialized (the admin is also the keeper), WSOL accounts created;
* three tokens created by the DAT authority (so their creator fees accrue to the DAT's vaults),
  registered: the root (SPL Token, bonding curve), a secondary on the bonding curve (Token-2022)
  and a secondary migrated to its canonical PumpSwap pool (SPL Token); the root set;
* funded wallets: the admin / keeper and traders (other wallets that generate volume).

Everything after the account injection goes through `LocalLedger` (via `EmbeddedTransport`),
so the ledger's history holds the set-up transactions, like a cluster's would.
"""

from __future__ import annotations

import asyncio
import json
import struct
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from solders.litesvm import LiteSVM
from solders.account import Account
from solders.instruction import Instruction
from solders.keypair import Keypair
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.transaction import Transaction

from asdf_dat.dat import instructions as dix
from asdf_dat.dat.client import DatClient, SendResult
from asdf_dat.dat.pdas import BPF_LOADER_UPGRADEABLE_ID, authority_address, program_data_address
from asdf_dat.embedded import new_dat_svm
from asdf_dat.localnet.ledger import LocalLedger
from asdf_dat.network.embedded_transport import EmbeddedTransport
from asdf_dat.network.wallet import write_keypair
from asdf_dat.dat.math import FeeRates, PoolQuoteInput, pool_buy_exact_quote_in_quote
from asdf_dat.pump import addresses as paddr
from asdf_dat.pump import instructions as pix
from asdf_dat.pump.events import BuyEvent, Event, SellEvent, TradeEvent, events_from_inner_instructions
from asdf_dat.pump.layouts import BondingCurve
from asdf_dat.pump.tokens import create_ata_idempotent, decode_token_account
from asdf_dat.pump.world import PumpWorld

__all__ = [
    "LAMPORTS_PER_SOL",
    "Ecosystem",
    "EcosystemFiles",
    "Trade",
    "WorldToken",
    "build_ecosystem",
    "build_ecosystem_sync",
    "create_world_tokens",
    "fee_reports",
    "inject_program_data",
    "set_up_dat",
    "write_world_files",
]

LAMPORTS_PER_SOL = 1_000_000_000
NETWORK = "localnet"
TOKENS_DIR = "localnet-tokens"
WALLET_FILE = "localnet-wallet.json"
ADMIN_SOL = 10_000
TRADER_SOL = 1_000

PoolTypeName = Literal["bonding_curve", "pumpswap_amm"]


def inject_program_data(ledger: LocalLedger | LiteSVM, upgrade_authority: Pubkey) -> Pubkey:
    """Writes the DAT program's ProgramData account (BPF upgradeable loader layout: u32 tag 3,
    u64 slot, Option<Pubkey> authority) naming `upgrade_authority`, as a deploy would."""
    data = struct.pack("<IQ", 3, 0) + bytes([1]) + bytes(upgrade_authority)
    address = program_data_address()
    svm = ledger.svm if isinstance(ledger, LocalLedger) else ledger
    svm.set_account(
        address,
        Account(
            lamports=svm.minimum_balance_for_rent_exemption(len(data)),
            data=data,
            owner=BPF_LOADER_UPGRADEABLE_ID,
            executable=False,
        ),
    )
    return address


@dataclass(frozen=True)
class WorldToken:
    """One ecosystem token, as its token config file describes it."""

    symbol: str
    name: str
    mint: Pubkey
    token_program: Pubkey
    pool_type: PoolTypeName
    pool: Pubkey
    """The bonding curve, or the canonical PumpSwap pool once migrated."""
    creator: Pubkey
    is_root: bool

    @property
    def pool_type_id(self) -> int:
        return dix.POOL_AMM if self.pool_type == "pumpswap_amm" else dix.POOL_BONDING_CURVE

    def config_json(self) -> dict[str, object]:
        """The seed's token config format."""
        return {
            "mint": str(self.mint),
            "bondingCurve": str(self.pool),
            "creator": str(self.creator),
            "name": self.name,
            "symbol": self.symbol,
            "isRoot": self.is_root,
            "poolType": self.pool_type,
            "tokenProgram": "Token2022" if self.token_program == paddr.TOKEN_2022_PROGRAM_ID else "SPL",
            "network": NETWORK,
        }


@dataclass(frozen=True)
class Trade:
    """One trade by another wallet and the creator fee it paid into the DAT's vaults."""

    mint: Pubkey
    signature: Signature
    slot: int
    seq: int
    is_buy: bool
    sol_amount: int
    creator_fee: int


@dataclass(frozen=True)
class EcosystemFiles:
    tokens_dir: Path
    token_files: list[Path]
    wallet: Path
    removed: list[Path] = field(default_factory=list)


def write_world_files(directory: Path, tokens: list[WorldToken], admin: Keypair) -> EcosystemFiles:
    """`<directory>/localnet-tokens/NN-symbol.json` (stale localnet files removed) and
    `<directory>/localnet-wallet.json` (the admin / keeper, mode 0600)."""
    tokens_dir = directory / TOKENS_DIR
    tokens_dir.mkdir(parents=True, exist_ok=True)
    removed: list[Path] = []
    for old in sorted(tokens_dir.glob("*.json")):
        try:
            stale = json.loads(old.read_text(encoding="utf-8")).get("network") == NETWORK
        except (OSError, ValueError, AttributeError):
            stale = False
        if stale:
            old.unlink()
            removed.append(old)
    ordered = sorted(tokens, key=lambda t: not t.is_root)
    written: list[Path] = []
    for number, token in enumerate(ordered, 1):
        path = tokens_dir / f"{number:02d}-{token.symbol.lower()}.json"
        path.write_text(json.dumps(token.config_json(), indent=2) + "\n", encoding="utf-8")
        written.append(path)
    wallet = write_keypair(directory / WALLET_FILE, admin, overwrite=True)
    return EcosystemFiles(tokens_dir, written, wallet, removed)


@dataclass
class Ecosystem:
    pump: PumpWorld
    ledger: LocalLedger
    transport: EmbeddedTransport
    admin: Keypair
    traders: list[Keypair]
    tokens: list[WorldToken]
    client: DatClient
    setup_compute_units: dict[str, int] = field(default_factory=dict)
    """Compute units of each set-up instruction (max over its calls)."""
    build_seconds: float = 0.0

    @property
    def root(self) -> WorldToken:
        return next(t for t in self.tokens if t.is_root)

    @property
    def mints(self) -> list[Pubkey]:
        return [t.mint for t in self.tokens]

    def token(self, mint: Pubkey) -> WorldToken:
        return next(t for t in self.tokens if t.mint == mint)

    # ------------------------------------------------------------------ files

    def write_files(self, directory: Path) -> EcosystemFiles:
        """`<directory>/localnet-tokens/NN-symbol.json` (stale localnet files removed) and
        `<directory>/localnet-wallet.json` (the admin / keeper, mode 0600)."""
        return write_world_files(directory, self.tokens, self.admin)

    # ------------------------------------------------------------------ volume

    async def _send(self, signer: Keypair, instructions: list[Instruction]) -> Signature:
        latest = await self.transport.get_latest_blockhash()
        tx = Transaction.new_signed_with_payer(instructions, signer.pubkey(), [signer], latest.blockhash)
        status = await self.transport.send_and_confirm(tx)
        return status.signature

    def _trades(self, signature: Signature, token: WorldToken) -> list[Trade]:
        mint = token.mint
        record = self.ledger.transaction(signature)
        if record is None:
            raise LookupError(f"transaction {signature} is not in the ledger")
        events: list[Event] = events_from_inner_instructions(
            list(record.account_keys), [list(group) for group in record.inner_instructions]
        )
        out: list[Trade] = []
        for seq, event in enumerate(events):
            if isinstance(event, TradeEvent) and event.mint == mint:
                out.append(Trade(mint, signature, record.slot, seq, event.is_buy, event.sol_amount, event.creator_fee))
            elif isinstance(event, BuyEvent | SellEvent) and event.pool == token.pool:
                sol = event.quote_amount_in if isinstance(event, BuyEvent) else event.quote_amount_out
                out.append(Trade(mint, signature, record.slot, seq, isinstance(event, BuyEvent), sol, event.coin_creator_fee))
        return out

    async def buy(self, trader: Keypair, token: WorldToken, lamports: int) -> list[Trade]:
        """`trader` spends `lamports` (fees included) on `token`."""
        user = trader.pubkey()
        if token.pool_type == "bonding_curve":
            instructions = [
                create_ata_idempotent(user, user, token.mint, token.token_program),
                pix.buy_exact_sol_in(
                    user=user,
                    mint=token.mint,
                    creator=token.creator,
                    fee_recipient=self.pump.global_state.fee_recipient,
                    spendable_sol_in=lamports,
                    min_tokens_out=0,
                    token_program=token.token_program,
                ),
            ]
        else:
            base_vault = paddr.associated_token_address(token.pool, token.mint, token.token_program)
            quote_vault = paddr.associated_token_address(token.pool, paddr.WSOL_MINT)
            config = self.pump.global_config
            base_reserve = self.pump.token_balance(base_vault)
            quote_reserve = self.pump.token_balance(quote_vault)
            rates = FeeRates(config.lp_fee_basis_points, config.protocol_fee_basis_points, config.coin_creator_fee_basis_points)
            out = pool_buy_exact_quote_in_quote(lamports, PoolQuoteInput(base_reserve, quote_reserve, rates)) or 0
            instructions = [
                *self.pump.wrap_sol_instructions(user, lamports),
                create_ata_idempotent(user, user, token.mint, token.token_program),
                pix.amm_buy(
                    pool=token.pool,
                    user=user,
                    base_mint=token.mint,
                    coin_creator=token.creator,
                    protocol_fee_recipient=config.protocol_fee_recipients[0],
                    base_amount_out=out,
                    max_quote_amount_in=lamports,
                    base_token_program=token.token_program,
                ),
            ]
        return self._trades(await self._send(trader, instructions), token)

    async def sell(self, trader: Keypair, token: WorldToken, amount: int) -> list[Trade]:
        """`trader` sells `amount` raw tokens."""
        user = trader.pubkey()
        if token.pool_type == "bonding_curve":
            instructions = [
                pix.sell(
                    user=user,
                    mint=token.mint,
                    creator=token.creator,
                    fee_recipient=self.pump.global_state.fee_recipient,
                    amount=amount,
                    min_sol_output=0,
                    token_program=token.token_program,
                )
            ]
        else:
            instructions = [
                create_ata_idempotent(user, user, paddr.WSOL_MINT),
                pix.amm_sell(
                    pool=token.pool,
                    user=user,
                    base_mint=token.mint,
                    coin_creator=token.creator,
                    protocol_fee_recipient=self.pump.global_config.protocol_fee_recipients[0],
                    base_amount_in=amount,
                    min_quote_amount_out=0,
                    base_token_program=token.token_program,
                ),
            ]
        return self._trades(await self._send(trader, instructions), token)

    async def buy_out(self, trader: Keypair, token: WorldToken) -> list[Trade]:
        """`trader` buys every token left on `token`'s curve: the curve completes."""
        user = trader.pubkey()
        curve = self.ledger.get_account(paddr.bonding_curve(token.mint))
        if curve is None:
            raise LookupError(f"{token.symbol} has no bonding curve")
        left = BondingCurve.decode(bytes(curve.data)).real_token_reserves
        instructions = [
            create_ata_idempotent(user, user, token.mint, token.token_program),
            pix.buy(user=user, mint=token.mint, creator=token.creator, fee_recipient=self.pump.global_state.fee_recipient,
                    amount=left, max_sol_cost=TRADER_SOL * LAMPORTS_PER_SOL // 2, token_program=token.token_program),
        ]
        return self._trades(await self._send(trader, instructions), token)

    async def migrate(self, token: WorldToken, payer: Keypair) -> WorldToken:
        """pump `migrate` of a completed curve (permissionless); the token as it now trades,
        on its canonical PumpSwap pool (its config and TokenStats still name the curve)."""
        migrate = pix.migrate(user=payer.pubkey(), mint=token.mint, withdraw_authority=self.pump.global_state.withdraw_authority,
                              token_program=token.token_program)
        await self._send(payer, [*dix.compute_budget(400_000), migrate])
        return replace(token, pool_type="pumpswap_amm", pool=paddr.canonical_pool(token.mint))

    def token_balance(self, owner: Pubkey, token: WorldToken) -> int:
        account = self.ledger.get_account(paddr.associated_token_address(owner, token.mint, token.token_program))
        return 0 if account is None else decode_token_account(bytes(account.data)).amount

    async def round_trip(self, trader: Keypair, token: WorldToken, lamports: int) -> list[Trade]:
        """Buy for `lamports`, then sell half of the holding: fees both ways."""
        trades = await self.buy(trader, token, lamports)
        held = self.token_balance(trader.pubkey(), token)
        if held > 1:
            trades += await self.sell(trader, token, held // 2)
        return trades

    def mint_supply(self, mint: Pubkey) -> int:
        account = self.ledger.get_account(mint)
        return 0 if account is None else int(struct.unpack_from("<Q", bytes(account.data), 36)[0])


def fee_reports(trades: list[Trade]) -> list[dix.FeeReport]:
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


def create_world_tokens(pump: PumpWorld) -> list[WorldToken]:
    """The ecosystem's three tokens, created by the DAT authority (so their creator fees accrue
    to the DAT's vaults): the root (SPL Token, curve), a Token-2022 secondary on the curve and a
    secondary migrated to PumpSwap. Also what the validator localnet loads into its genesis."""
    authority = authority_address()
    root = pump.create_token(authority)
    curve_t22 = pump.create_token(authority, token_program=paddr.TOKEN_2022_PROGRAM_ID)
    migrated = pump.create_migrated_token(authority)
    tokens = [
        WorldToken("FROOT", "Froot (root)", root.mint, root.token_program, "bonding_curve", root.bonding_curve, authority, True),
        WorldToken(
            "DAT22", "DAT Token-2022", curve_t22.mint, curve_t22.token_program, "bonding_curve", curve_t22.bonding_curve, authority, False
        ),
        WorldToken("DATAMM", "DAT PumpSwap", migrated.mint, migrated.token_program, "pumpswap_amm", migrated.pool, authority, False),
    ]
    return tokens


async def set_up_dat(client: DatClient, tokens: list[WorldToken], *, keeper: Pubkey) -> dict[str, int]:
    """The admin's set-up, through the client's transport only: initialize (the client's payer
    must be the upgrade authority), register every token, the WSOL accounts, the root.
    Returns the compute units of each instruction (max over its calls)."""
    units: dict[str, int] = {}

    def note(name: str, result: SendResult) -> None:
        for consumed in result.program_compute_units:
            units[name] = max(units.get(name, 0), consumed)

    note("initialize", await client.initialize(keeper=keeper))
    for token in tokens:
        registered = await client.register_token(
            token.mint, token_program=token.token_program, pool=token.pool, pool_type=token.pool_type_id
        )
        note("register_token", registered)
    note("init_wsol_accounts", await client.init_wsol_accounts())
    note("set_root_token", await client.set_root_token(next(t for t in tokens if t.is_root).mint))
    return units


async def build_ecosystem(*, traders: int = 2, follow_wall_clock: bool = True) -> Ecosystem:
    """The world described in the module docstring."""
    started = time.perf_counter()
    pump = PumpWorld(svm=new_dat_svm())
    ledger = LocalLedger(pump.svm, follow_wall_clock=follow_wall_clock)
    transport = EmbeddedTransport(ledger)
    admin = Keypair()
    ledger.airdrop(admin.pubkey(), ADMIN_SOL * LAMPORTS_PER_SOL)
    wallets = [Keypair() for _ in range(traders)]
    for wallet in wallets:
        ledger.airdrop(wallet.pubkey(), TRADER_SOL * LAMPORTS_PER_SOL)
    inject_program_data(ledger, admin.pubkey())

    tokens = create_world_tokens(pump)
    client = DatClient(transport, admin)
    units = await set_up_dat(client, tokens, keeper=admin.pubkey())
    eco = Ecosystem(pump, ledger, transport, admin, wallets, tokens, client, setup_compute_units=units)
    eco.build_seconds = time.perf_counter() - started
    return eco


def build_ecosystem_sync(*, traders: int = 2, follow_wall_clock: bool = True) -> Ecosystem:
    return asyncio.run(build_ecosystem(traders=traders, follow_wall_clock=follow_wall_clock))
