"""`python -m bench.validator [--no-write]`: the same cycle on LiteSVM (the embedded localnet) and
on a real solana-test-validator (`make validator`), side by side.

One flow over a `Transport`, run on both worlds (same tokens, same trades): round trips by a
trader on each token, the keeper's `update_pending_fees` with each token's creator-vault
increase, then the operator's cycle (`asdf_dat.orchestrator.executor.execute`: one v0
transaction through the lookup table). Compute units of each cycle instruction are read from
the landed transaction's logs, the fee from its `meta.fee`.

Writes the section between the validator markers of docs/BENCHMARKS.md (`python -m bench`
keeps it).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from solders.keypair import Keypair
from solders.signature import Signature

from asdf_dat.config.ecosystem import TokenConfig, is_amm, load_ecosystem_dir
from asdf_dat.dat import instructions as dix
from asdf_dat.dat.client import DatClient, program_compute_units
from asdf_dat.dat.math import RENT_EXEMPT_ZERO_DATA
from asdf_dat.network.config import Network
from asdf_dat.network.protocol import Transport
from asdf_dat.network.transport import RpcTransport
from asdf_dat.orchestrator import trading
from asdf_dat.orchestrator.executor import execute
from asdf_dat.sandbox import build_sandbox
from asdf_dat.validator.localnet import start_validator_localnet
from asdf_dat.validator.process import free_port_pair

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "BENCHMARKS.md"
BEGIN = "<!-- validator:begin (python -m bench.validator) -->"
END = "<!-- validator:end -->"
SOL = 1_000_000_000
VOLUME = {"FROOT": 3 * SOL, "DAT22": 3 * SOL, "DATAMM": 12 * SOL}
INSTRUCTION = {"FROOT": "execute_cycle_bc (root, SPL Token)", "DAT22": "execute_cycle_bc (secondary, Token-2022)",
               "DATAMM": "execute_cycle_amm (secondary, SPL Token, PumpSwap)"}


@dataclass
class CycleCosts:
    """One cycle transaction: CU per token instruction, the whole transaction, the fee charged."""

    symbols: list[str] = field(default_factory=list)
    instruction_cu: dict[str, int] = field(default_factory=dict)
    transaction_cu: int = 0
    unit_limit: int = 0
    fee_lamports: int = 0
    priority_micro_lamports: int = 0
    attribution_fee_lamports: int = 0
    attribution_cu: int = 0


async def measure(transport: Transport, workdir: Path, admin: Keypair, trader: Keypair) -> CycleCosts:
    ecosystem = load_ecosystem_dir(workdir / "localnet-tokens", Network.LOCALNET)
    client = DatClient(transport, admin)
    reports: list[dix.FeeReport] = []
    for token in ecosystem.tokens:
        before = await _attributable(transport, token)
        for _ in range(2):
            await trading.buy(transport, trader, token, VOLUME[token.symbol])
            await trading.sell_all(transport, trader, token)
        fees = await _attributable(transport, token) - before
        reports.append(dix.FeeReport(token.mint, fees, await transport.get_slot(), len(reports)))
    costs = CycleCosts()
    attributed = await client.update_pending_fees(reports)
    costs.attribution_cu = attributed.units_consumed
    costs.attribution_fee_lamports = await _fee(transport, attributed.signature)
    run = await execute(transport, admin, ecosystem, table_path=workdir / ".localnet-cycle-lookup-table.json")
    if run.failed or len(run.batches) != 1 or run.batches[0].signature is None:
        raise RuntimeError(f"expected one successful cycle transaction, got {run.batches}")
    batch = run.batches[0]
    landed = await transport.get_transaction(Signature.from_string(batch.signature or ""))
    assert landed is not None and landed.transaction.meta is not None
    meta = landed.transaction.meta
    units = program_compute_units(list(meta.log_messages or ()), client.program_id)
    costs.symbols = batch.symbols
    # The runtime truncates a transaction's logs at 10 KB (pump's event lines count too): a
    # token late in a packed transaction may have no "consumed" line; it shows as "n/a".
    costs.instruction_cu = dict(zip(batch.symbols, units, strict=False))
    costs.transaction_cu = meta.compute_units_consumed or 0
    costs.unit_limit = batch.unit_limit
    costs.fee_lamports = meta.fee
    costs.priority_micro_lamports = run.priority_fee_micro_lamports
    return costs


async def _attributable(transport: Transport, token: TokenConfig) -> int:
    """What the token's creator vault holds for fees (the pump vault's rent-exempt minimum is not)."""
    balance = await trading.creator_vault_balance(transport, token)
    return balance if is_amm(token) else max(0, balance - RENT_EXEMPT_ZERO_DATA)


async def _fee(transport: Transport, signature: Signature) -> int:
    landed = await transport.get_transaction(signature)
    meta = landed.transaction.meta if landed is not None else None
    return meta.fee if meta is not None else 0


async def on_litesvm(directory: Path) -> CycleCosts:
    eco = await build_sandbox(traders=1)
    eco.write_files(directory)
    return await measure(eco.transport, directory, eco.admin, eco.traders[0])


async def on_validator(directory: Path) -> CycleCosts:
    world = await start_validator_localnet(directory, port=free_port_pair(), traders=1)
    try:
        async with RpcTransport([world.url]) as transport:
            return await measure(transport, directory, world.admin, world.traders[0])
    finally:
        world.stop()


def section(lite: CycleCosts, real: CycleCosts) -> str:
    rows = [
        BEGIN,
        "### The cycle on a real validator (solana-test-validator 3.1.12) vs LiteSVM",
        "",
        "Same world, trades and cycle on both (`python -m bench.validator`): one v0 transaction "
        "through the operator's lookup table with the three tokens. The real validator runs its own "
        "genesis SPL Token / Token-2022 / ATA programs, LiteSVM the ones solders bundles, so the CPIs "
        "into the token programs differ; our program's and the stand-in's own work is the same.",
        "",
        "| instruction | LiteSVM CU | validator CU | difference |",
        "|---|---:|---:|---:|",
    ]
    for symbol in real.symbols:
        a, b = lite.instruction_cu.get(symbol), real.instruction_cu.get(symbol)
        diff = f"{b - a:+,}" if a is not None and b is not None else "n/a"
        shown = [f"{v:,}" if v is not None else "n/a (logs truncated)" for v in (a, b)]
        rows.append(f"| {INSTRUCTION.get(symbol, symbol)} | {shown[0]} | {shown[1]} | {diff} |")
    rows.append(
        f"| whole transaction | {lite.transaction_cu:,} | {real.transaction_cu:,} | "
        f"{real.transaction_cu - lite.transaction_cu:+,} |"
    )
    rows += [
        "",
        "| fees actually charged (`meta.fee`) | LiteSVM | validator |",
        "|---|---:|---:|",
        f"| cycle transaction (1 signature, unit limit {real.unit_limit:,}, "
        f"{real.priority_micro_lamports:,} µlamports/CU on the validator) | {lite.fee_lamports:,} | "
        f"{real.fee_lamports:,} |",
        f"| update_pending_fees (3 tokens) | {lite.attribution_fee_lamports:,} | {real.attribution_fee_lamports:,} |",
        "",
        "Both charge 5,000 lamports per signature plus the priority fee (unit limit × price, rounded up); "
        "our LiteSVM endpoint computes the priority fee as Agave does (docs/LOCALNET.md). The root's "
        "per-instruction CU is missing where the runtime truncated the transaction's logs at 10 KB.",
        END,
    ]
    return "\n".join(rows)


def write_section(text: str, path: Path = DOC) -> None:
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    if BEGIN in current and END in current:
        head, rest = current.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        updated = head + text + tail
    else:
        updated = current.rstrip("\n") + "\n\n" + text + "\n"
    path.write_text(updated, encoding="utf-8")


def preserved_section(path: Path = DOC) -> str | None:
    """The validator section of the current file (kept when `python -m bench` rewrites it)."""
    try:
        current = path.read_text(encoding="utf-8")
    except OSError:
        return None
    if BEGIN not in current or END not in current:
        return None
    return BEGIN + current.split(BEGIN, 1)[1].split(END, 1)[0] + END


async def main(write: bool) -> None:
    with tempfile.TemporaryDirectory() as lite_dir, tempfile.TemporaryDirectory() as real_dir:
        lite = await on_litesvm(Path(lite_dir))
        real = await on_validator(Path(real_dir))
    text = section(lite, real)
    print(text)
    if write:
        write_section(text)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.validator", description=__doc__)
    parser.add_argument("--no-write", action="store_true", help="print only")
    asyncio.run(main(not parser.parse_args().no_write))
