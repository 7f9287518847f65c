"""An N-token ecosystem on the embedded localnet (`asdf_dat.sandbox`), volume by other wallets,
and attribution.

The root on the curve, a Token-2022 curve secondary, a PumpSwap secondary (`STANDARD_TOKENS`),
then more tokens: every 5th migrated to PumpSwap, curve tokens alternating SPL Token and
Token-2022 (`bench_tokens`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from solders.pubkey import Pubkey

from asdf_dat.config.ecosystem import Ecosystem as FileEcosystem
from asdf_dat.config.ecosystem import load_ecosystem_dir
from asdf_dat.dat.accounts import TokenStats, own_sol_spent
from asdf_dat.dat.pdas import authority_address, root_treasury_address, wsol_scratch_address
from asdf_dat.network.config import Network
from asdf_dat.pump import addresses as paddr
from asdf_dat.sandbox import (
    LAMPORTS_PER_SOL,
    STANDARD_TOKENS,
    Sandbox,
    SandboxToken,
    TokenSpec,
    Trade,
    build_sandbox,
    fee_reports,
)
from asdf_dat.sandbox.tokens import TOKENS_DIR
from bench.logs import CuBreakdown, breakdown

CURVE_BUY_LAMPORTS = 3 * LAMPORTS_PER_SOL
"""One curve buy of 3 SOL pays ~0.0089 SOL of creator fee (0.30 %), above the 0.006 minimum."""
AMM_BUY_LAMPORTS = 20 * LAMPORTS_PER_SOL
"""One PumpSwap buy of 20 SOL pays ~0.0100 SOL of coin-creator fee (0.05 %)."""
AMM_EVERY = 5
REPORT_BATCH = 10
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
    eco: Sandbox
    directory: Path
    trader_index: int = 0

    @property
    def tokens(self) -> list[SandboxToken]:
        return self.eco.tokens

    @property
    def size(self) -> int:
        return len(self.tokens)

    @property
    def amm_tokens(self) -> int:
        return sum(1 for t in self.tokens if t.amm)

    def file_ecosystem(self) -> FileEcosystem:
        return load_ecosystem_dir(self.directory / TOKENS_DIR, Network.LOCALNET)

    async def volume(self) -> list[Trade]:
        """One buy per token by another wallet (round-robin over the traders)."""
        trades: list[Trade] = []
        for token in self.tokens:
            trader = self.eco.traders[self.trader_index % len(self.eco.traders)]
            self.trader_index += 1
            amount = AMM_BUY_LAMPORTS if token.pool_type == "pumpswap_amm" else CURVE_BUY_LAMPORTS
            trades += self.eco.trades(self.eco.buy(token, amount, trader))
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
    return all(
        s.total_sol_attributed == own_sol_spent(s) + s.total_sent_to_root + s.pending_fees for s in stats.values()
    )


def bench_tokens(size: int) -> list[TokenSpec]:
    """`size` tokens: the standard three (as many as fit), then every `AMM_EVERY`-th on PumpSwap
    and the curve ones alternating SPL Token (even) and Token-2022 (odd)."""
    specs = list(STANDARD_TOKENS[:size])
    for number in range(len(specs), size):
        if number % AMM_EVERY == 0:
            specs.append(TokenSpec(f"AMM{number:03d}", f"Bench AMM {number}", amm=True))
        else:
            program = paddr.TOKEN_2022_PROGRAM_ID if number % 2 else paddr.TOKEN_PROGRAM_ID
            specs.append(TokenSpec(f"BC{number:03d}", f"Bench curve {number}", token_program=program))
    return specs


async def make_world(size: int, directory: Path) -> BenchWorld:
    """`size` tokens (`bench_tokens`), registered, their files written to `directory`."""
    if size < 1:
        raise ValueError("an ecosystem has at least its root")
    eco = await build_sandbox(
        bench_tokens(size), traders=max(2, size // 8), follow_wall_clock=False, workdir=directory, write_files=True
    )
    return BenchWorld(eco, directory)
