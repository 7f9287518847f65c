"""An N-token ecosystem on the embedded localnet, volume by other wallets, and attribution.

Built on `asdf_dat.ecosystem.build_ecosystem` (root on the curve, a Token-2022 curve secondary,
a PumpSwap secondary), extended with more tokens created by the pump world helpers
(`create_token` / `create_migrated_token`, creator = the DAT authority) and registered with
`register_token`. Every 5th token is migrated to PumpSwap; curve tokens alternate SPL Token
and Token-2022.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from solders.pubkey import Pubkey

from asdf_dat.dat.accounts import TokenStats, own_sol_spent
from asdf_dat.dat.pdas import authority_address, root_treasury_address, wsol_scratch_address
from asdf_dat.ecosystem import LAMPORTS_PER_SOL, Ecosystem, Trade, WorldToken, build_ecosystem, fee_reports
from asdf_dat.network.config import Network
from asdf_dat.config.ecosystem import Ecosystem as FileEcosystem
from asdf_dat.config.ecosystem import load_ecosystem_dir
from asdf_dat.pump import addresses as paddr

from bench.logs import CuBreakdown, breakdown

CURVE_BUY_LAMPORTS = 3 * LAMPORTS_PER_SOL
"""One curve buy of 3 SOL pays ~0.0089 SOL of creator fee (0.30 %), above the 0.006 minimum."""
AMM_BUY_LAMPORTS = 20 * LAMPORTS_PER_SOL
"""One PumpSwap buy of 20 SOL pays ~0.0100 SOL of coin-creator fee (0.05 %)."""
AMM_EVERY = 5
REPORT_BATCH = 10
TOKENS_DIR = "localnet-tokens"
"""Reports per `update_pending_fees` transaction, the fee daemon's default `report_batch_size`."""


@dataclass
class Attribution:
    transactions: int = 0
    signatures: int = 0
    compute_units: int = 0
    fee_lamports: int = 0
    breakdown: CuBreakdown = field(default_factory=CuBreakdown)
    units: list[int] = field(default_factory=list)
    """CU of each transaction."""

    def fee_at(self, micro_lamports: int) -> int:
        """5,000 per signature + the priority fee on the limit `DatClient.send` requests
        (consumed + max(10 %, 5,000))."""
        priority = sum(-(-(u + max(u // 10, 5_000)) * micro_lamports // 1_000_000) for u in self.units)
        return self.signatures * 5_000 + priority


@dataclass
class BenchWorld:
    eco: Ecosystem
    tokens: list[WorldToken]
    """The ecosystem's tokens (root first); the base ecosystem's unused tokens are left out."""
    directory: Path
    trader_index: int = 0

    @property
    def size(self) -> int:
        return len(self.tokens)

    @property
    def amm_tokens(self) -> int:
        return sum(1 for t in self.tokens if t.pool_type == "pumpswap_amm")

    def file_ecosystem(self) -> FileEcosystem:
        return load_ecosystem_dir(self.directory / TOKENS_DIR, Network.LOCALNET)

    def write_token_files(self) -> None:
        tokens_dir = self.directory / TOKENS_DIR
        tokens_dir.mkdir(parents=True, exist_ok=True)
        for old in tokens_dir.glob("*.json"):
            old.unlink()
        for number, token in enumerate(self.tokens, 1):
            path = tokens_dir / f"{number:03d}-{token.symbol.lower()}.json"
            path.write_text(json.dumps(token.config_json(), indent=2) + "\n", encoding="utf-8")

    async def volume(self) -> list[Trade]:
        """One buy per token by another wallet (round-robin over the traders)."""
        trades: list[Trade] = []
        for token in self.tokens:
            trader = self.eco.traders[self.trader_index % len(self.eco.traders)]
            self.trader_index += 1
            amount = AMM_BUY_LAMPORTS if token.pool_type == "pumpswap_amm" else CURVE_BUY_LAMPORTS
            trades += await self.eco.buy(trader, token, amount)
        return trades

    async def attribute(self, trades: Sequence[Trade]) -> Attribution:
        """The daemon's reports for `trades`, `REPORT_BATCH` tokens per transaction."""
        reports = fee_reports(list(trades))
        out = Attribution()
        for start in range(0, len(reports), REPORT_BATCH):
            sent = await self.eco.client.update_pending_fees(reports[start : start + REPORT_BATCH])
            record = self.eco.ledger.transaction(sent.signature)
            out.transactions += 1
            out.signatures += 1 if record is None else len(record.transaction.signatures)
            out.compute_units += sent.units_consumed
            out.units.append(sent.units_consumed)
            out.fee_lamports += 0 if record is None else record.fee
            out.breakdown = out.breakdown + breakdown(sent.logs)
        return out

    def dat_funds(self) -> int:
        """Lamports the DAT controls: pump creator vault, PumpSwap creator-vault WSOL ATA, the
        authority and its WSOL ATA, the WSOL scratch account and the root treasury."""
        authority = authority_address()
        addresses = [
            paddr.creator_vault(authority),
            paddr.coin_creator_vault_ata(authority),
            authority,
            paddr.associated_token_address(authority, paddr.WSOL_MINT),
            wsol_scratch_address(),
            root_treasury_address(self.eco.root.mint),
        ]
        return sum(self.eco.ledger.get_balance(a) for a in dict.fromkeys(addresses))

    async def stats(self) -> dict[Pubkey, TokenStats]:
        found = await self.eco.client.all_token_stats([t.mint for t in self.tokens])
        return {m: s for m, s in found.items() if s is not None}


def per_token_conservation(stats: dict[Pubkey, TokenStats]) -> bool:
    """For every token: fees attributed == own SOL spent + sent to root + still pending."""
    return all(s.total_sol_attributed == own_sol_spent(s) + s.total_sent_to_root + s.pending_fees for s in stats.values())


async def make_world(size: int, directory: Path) -> BenchWorld:
    """`size` tokens: the root, then secondaries (every `AMM_EVERY`-th on PumpSwap)."""
    if size < 1:
        raise ValueError("an ecosystem has at least its root")
    traders = max(2, size // 8)
    eco = await build_ecosystem(traders=traders, follow_wall_clock=False)
    base = {t.symbol: t for t in eco.tokens}
    chosen = [eco.root]
    if size >= 2:
        chosen.append(base["DAT22"])
    if size >= 3:
        chosen.append(base["DATAMM"])
    authority = authority_address()
    for number in range(len(chosen), size):
        if number % AMM_EVERY == 0:
            migrated = eco.pump.create_migrated_token(authority)
            token = WorldToken(
                f"AMM{number:03d}", f"Bench AMM {number}", migrated.mint, migrated.token_program,
                "pumpswap_amm", migrated.pool, authority, False,
            )
        else:
            program = paddr.TOKEN_2022_PROGRAM_ID if number % 2 else paddr.TOKEN_PROGRAM_ID
            coin = eco.pump.create_token(authority, token_program=program)
            token = WorldToken(
                f"BC{number:03d}", f"Bench curve {number}", coin.mint, coin.token_program,
                "bonding_curve", coin.bonding_curve, authority, False,
            )
        await eco.client.register_token(token.mint, token_program=token.token_program, pool=token.pool, pool_type=token.pool_type_id)
        eco.tokens.append(token)
        chosen.append(token)
    world = BenchWorld(eco, chosen, directory)
    world.write_token_files()
    return world
