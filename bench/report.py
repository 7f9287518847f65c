"""The tables of a benchmark run, and the Markdown document."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from asdf_dat.dat.instructions import POOL_AMM, POOL_BONDING_CURVE
from asdf_dat.dat.price_reference import RECORDS_PER_TRANSACTION
from asdf_dat.orchestrator.executor import (
    COLLECT_TRACE,
    COMPUTE_BUDGET_TRACE,
    CYCLE_TRACE,
    MAX_INSTRUCTION_TRACE,
    PACKET_DATA_SIZE,
    transaction_fee,
    unit_limit_for,
)
from asdf_dat.orchestrator.lookup import MAX_ADDRESSES
from bench import logs
from bench.cu import CuReport
from bench.daemon import DaemonLoad
from bench.demo import DemoTiming
from bench.scaling import SEED_FEE_PER_TOKEN, SIGNATURE_FEE, CycleMeasure, SizeResult
from bench.tables import BenchTable, fmt, median, ms, pct, sol


@dataclass
class BenchResults:
    quick: bool
    prices: tuple[int, ...]
    runs: int
    cu: CuReport | None = None
    scaling: list[SizeResult] = field(default_factory=list)
    daemon: list[DaemonLoad] | None = None
    daemon_fee_sharing: list[DaemonLoad] | None = None
    daemon_polls: int = 0
    demo: list[DemoTiming] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    def measures(self) -> list[CycleMeasure]:
        return [m for s in self.scaling for runs in s.runs.values() for m in runs]


def instruction_table(cu: CuReport) -> BenchTable:
    table = BenchTable(
        "Compute units per instruction",
        ["instruction", "case", "CU (asdf_dat, CPIs incl.)", "own", "CPIs", "tx CU", "trace"],
        text_columns=2,
        how=(
            "One scripted session on a fresh embedded ecosystem (LiteSVM, pump stand-in), each instruction in its own "
            "transaction. `CU` is the asdf_dat invocation's `consumed` log line; `own` is that minus what its CPIs "
            "consumed (the CPI call overhead stays in `own`); `tx CU` adds the two ComputeBudget instructions "
            "(150 each); `trace` = instruction trace entries (the runtime allows 64 per transaction)."
        ),
    )
    for row in cu.instructions:
        table.add(row.instruction, row.variant or "–", row.program_cu, row.own, row.cpi, row.transaction_cu, row.trace)
    table.notes.append(
        "Every key of the session (mints, wallets) is derived from a fixed seed (`bench.cu.KEY_SEED`), so two runs "
        "of the same programs give the same CU to the unit; PDA bump searches (the stand-in's, ours on cold paths "
        "such as register_token / set_token_pool) depend on the addresses."
    )
    return table


COMPUTE_BUDGET_CU = 2 * logs.BUILTIN_CU
"""The two compute-budget instructions of a cycle transaction."""


def cycle_table(cu: CuReport) -> BenchTable:
    table = BenchTable(
        "One full token cycle (collect, split, buy, burn): our work vs the pool program's",
        [
            "cycle",
            "total CU",
            "asdf_dat (ours)",
            "pump curve",
            "PumpSwap",
            "SPL Token",
            "Token-2022",
            "System",
            "CPIs total",
        ],
        how=(
            "From the landed transaction's logs: per invocation depth, a program's own CU = its `consumed` minus its "
            "direct CPIs' `consumed`; builtins (System) log no `consumed` and cost 150 CU per call (measured: a "
            "transfer transaction with two ComputeBudget instructions consumes 450). Percentages of the total."
        ),
    )
    for row in cu.cycles:
        b = row.breakdown
        total = b.total
        table.add(
            row.variant,
            total,
            pct(b.ours, total),
            pct(b.get(logs.PUMP), total),
            pct(b.get(logs.AMM), total),
            pct(b.get(logs.SPL), total),
            pct(b.get(logs.T22), total),
            pct(b.get(logs.SYSTEM), total),
            pct(total - b.ours, total),
        )
    return table


def cpi_floor_table(cu: CuReport) -> BenchTable:
    table = BenchTable(
        "CPI floor per cycle: the same buy and burn done directly, and our distance to it",
        ["cycle", "cycle CU", "ours (own)", "floor: pool", "floor: token program", "floor: System", "floor total",
         "distance", "cycle / floor"],
        how=(
            "bench/floor.py: after the session, a wallet that already trades the token (token account, pump's volume "
            "accumulator and, for PumpSwap, WSOL in place) sends one transaction with the buy the cycle made (the same "
            "SOL budget with `buy_exact_sol_in` on the curve, the same tokens out with PumpSwap `buy`) and a "
            "`burn_checked` of the tokens the cycle burned. Own CU per program from its logs, as above. Distance = "
            "cycle CU - floor: our own work plus the CPIs the cycle adds (the collect; a wrap / unwrap or a transfer "
            "from the root treasury account when needed)."
        ),
    )
    for row in cu.floors:
        floor = row.floor
        table.add(
            row.cycle.variant,
            row.cycle.breakdown.total,
            row.cycle.breakdown.ours,
            floor.pool,
            floor.tokens,
            floor.get(logs.SYSTEM),
            floor.total,
            row.distance,
            f"{row.cycle.breakdown.total / floor.total:.2f}x" if floor.total else "–",
        )
    return table


def token_cost_table(cu: CuReport) -> BenchTable:
    table = BenchTable(
        "What one token adds to a cycle transaction: trace entries and bytes",
        ["kind", "trace (measured)", "trace (packer's constant)", "bytes, legacy", "bytes, lookup table",
         "fit by trace", "fit by bytes", "fit by CU estimate", "packer fits"],
        how=(
            "Trace measured = the instruction trace entries of the measured cycle of that kind (its own instruction "
            "and every CPI, its venue's collect included); the packer counts `executor.CYCLE_TRACE` per token (+1 "
            "for a fee-sharing sweep) and `executor.COLLECT_TRACE` once per venue and transaction: shown as per "
            "token + collect. Bytes: what a second token of the kind adds "
            "to a cycle transaction (`executor.transaction_size`), legacy or v0 with the operator's lookup table "
            f"holding its accounts. Fit: tokens per transaction under each limit alone ({MAX_INSTRUCTION_TRACE} trace "
            f"entries less {COMPUTE_BUDGET_TRACE} for the compute budget; {PACKET_DATA_SIZE:,} bytes; 1.4M CU with "
            "the margin, from `executor.CYCLE_COMPUTE_UNITS`) and under all of them (`executor.pack_transactions`)."
        ),
    )
    names = {c.variant for c in cu.cycles}
    for cost in cu.token_costs:
        measured = cu.cycle(cost.kind.cycle).trace if cost.kind.cycle in names else None
        shown = measured if measured is not None else "–"
        if measured is not None and measured > cost.lone_cycle_trace:
            shown = f"{measured} (> packer's count)"
        table.add(
            cost.kind.name, shown, f"{cost.trace_constant} + {COLLECT_TRACE}", cost.bytes_legacy, cost.bytes_with_table,
            cost.fit_by_trace, cost.fit_by_bytes, cost.fit_by_units, cost.fit,
        )
    if any(c.kind.cycle in names and cu.cycle(c.kind.cycle).trace > c.lone_cycle_trace for c in cu.token_costs):
        table.notes.append(
            "A measured trace above the packer's constant means a full transaction of that kind could exceed the "
            "runtime's 64 entries: the constant must follow the program."
        )
    return table


def packing_table(cu: CuReport) -> BenchTable:
    table = BenchTable(
        "Tokens per transaction and signatures per cycle, by ecosystem size (the executor's packer)",
        ["tokens", "kind", "cycle txs", "price-reference txs", "signatures per cycle", "tokens/tx max", "closed by",
         "max trace", "max bytes"],
        text_columns=2,
        how=(
            "bench/packing.py: N distinct tokens' cycle instructions as `executor.build_token_instruction` makes them, "
            "packed by `executor.pack_transactions` (its constants), with the operator's lookup table filled as "
            f"`lookup.ensure_table` fills it (first-seen addresses, at most {MAX_ADDRESSES}). Every transaction has "
            "one signature (the operator's); before the cycle the executor records the price references, "
            f"{RECORDS_PER_TRANSACTION} per transaction. `closed by`: the limit the next token would have broken, per "
            "transaction. Offline (no chain): the live cycles of the scaling tables below run the same packer."
        ),
    )
    for row in cu.packing:
        table.add(
            row.tokens, row.kind, row.transactions, row.reference_transactions, row.signatures,
            row.max_tokens_per_transaction, row.bound_by, row.max_trace, row.max_bytes,
        )
    return table


def fee_check_table(cu: CuReport, prices: tuple[int, ...]) -> BenchTable:
    low, high = prices[0], prices[-1]
    table = BenchTable(
        "Fee check: lamports per token for the same cycle",
        ["cycle", "tx CU", "unit limit", f"alone @ {low:,} µL/CU", f"alone @ {high:,} µL/CU", "tokens/tx",
         f"packed @ {low:,} µL/CU", f"packed @ {high:,} µL/CU"],
        how=(
            "The measured cycle's transaction CU (its two compute-budget instructions included); unit limit = "
            "`executor.unit_limit_for` (CU + 10 %, at least +5,000). Fee = `executor.transaction_fee`: 5,000 lamports "
            "per signature + ceil(limit x price / 1e6). Alone: one token per transaction. Packed: as many tokens of "
            "that kind per transaction as the packer fits, limit from their summed CU, fee divided by the tokens. "
            "The price-reference transactions (one per 8 tokens) come on top."
        ),
    )
    fits = {c.kind.cycle: c.fit for c in cu.token_costs}
    fits.setdefault("curve root (SPL, + treasury)", fits.get("curve secondary (SPL)", 1))
    for row in cu.cycles:
        limit = unit_limit_for(row.transaction_cu)
        per_tx = fits.get(row.variant, 1)
        packed_cu = per_tx * (row.transaction_cu - COMPUTE_BUDGET_CU) + COMPUTE_BUDGET_CU
        packed_limit = unit_limit_for(packed_cu)
        table.add(
            row.variant,
            row.transaction_cu,
            limit,
            transaction_fee(1, limit, low),
            transaction_fee(1, limit, high),
            per_tx,
            f"{transaction_fee(1, packed_limit, low) / per_tx:,.0f}",
            f"{transaction_fee(1, packed_limit, high) / per_tx:,.0f}",
        )
    return table


def _med(values: list[float]) -> float:
    return median(values)


def _imed(values: list[int]) -> int:
    return round(median([float(v) for v in values]))


def scaling_tables(results: BenchResults) -> list[BenchTable]:
    low, high = results.prices[0], results.prices[-1]
    tx = BenchTable(
        "Transactions and compute units per cycle, by ecosystem size",
        [
            "tokens (AMM)",
            "packing",
            "txs",
            "signatures",
            "tokens/tx max",
            "total CU",
            "CU limit",
            "ours %",
            "attribution txs",
            "seed txs",
        ],
        text_columns=2,
        how=(
            "Live cycles by `orchestrator.executor.execute` on the embedded localnet, every token with one buy's worth "
            "of creator fees (curve 3 SOL, PumpSwap 20 SOL; every 5th token on PumpSwap), after one warm-up cycle that "
            "creates the operator's address lookup table. Counts are medians over the measured runs (they do not "
            "vary). `total CU` = Σ consumed by the cycle transactions (ComputeBudget included), `CU limit` = Σ limits "
            "requested (simulation + 10 %, at least +5,000). `attribution txs` = the daemon's `update_pending_fees` "
            "transactions for the same fees (10 tokens each). The seed sends one transaction per token (the "
            "secondaries, plus one for the root)."
        ),
    )
    fees = BenchTable(
        "Lamports paid in fees per token per cycle, ours vs the seed's estimate",
        [
            "tokens",
            "packing",
            f"ours @ {low:,} µL/CU",
            f"ours @ {high:,} µL/CU",
            "+ attribution",
            "seed estimate",
            "seed / ours",
            "charged (localnet)",
        ],
        text_columns=2,
        how=(
            f"Fee of a transaction = {SIGNATURE_FEE:,} lamports per signature + ceil(CU limit x price / 1e6), summed "
            f"over the cycle's transactions and divided by the tokens processed. {low:,} µlamports/CU is the SDK's "
            f"floor (what the embedded run requested), {high:,} µlamports/CU a stated busy-mainnet price. `+ "
            f"attribution`: the keeper's `update_pending_fees` transactions at {high:,} µL/CU, per token. Seed: "
            f"`estimatedTxFeesPerToken` = {SEED_FEE_PER_TOKEN:,} lamports (0.007 SOL) per token. `charged (localnet)`: "
            "what the operator's balance lost per token (LiteSVM charges the signature fee only)."
        ),
    )
    wall = BenchTable(
        "Wall time per cycle (medians)",
        ["tokens", "packing", "runs", "plan ms", "dry run ms", "execute ms", "execute ms / token", "world build ms"],
        text_columns=2,
        how=(
            "`time.perf_counter` around, in-process on the embedded localnet: plan = chain snapshot, `plan_cycle`, a "
            "fee-aware quote and instruction per token, packing; dry run = `executor.dry_run` (plan + simulate every "
            "transaction); execute = `executor.execute` (live, re-planning after every transaction). Medians of the "
            "measured runs; world build = creating and registering the tokens (once)."
        ),
    )
    checks = BenchTable(
        "Checks on every measured cycle",
        [
            "tokens",
            "packing",
            "runs",
            "all tokens cycled",
            "per-token conservation",
            "DAT lamports conserved",
            "operator lamports",
            "burned = bought",
        ],
        text_columns=2,
        how=(
            "Per token: fees attributed == own SOL spent + sent to root + pending (TokenStats). DAT lamports (pump "
            "creator vault, PumpSwap creator-vault WSOL, authority, its WSOL, scratch, root treasury) decrease by "
            "exactly the SOL the buys spent minus the creator fees those buys paid back into the DAT's own vault. "
            "Operator: balance decrease == Σ fees the ledger charged."
        ),
    )
    for size in results.scaling:
        for mode, runs in size.runs.items():
            if not runs:
                continue
            processed = _imed([m.tokens_processed for m in runs]) or 1
            seed_txs = processed
            seed_fee = SEED_FEE_PER_TOKEN
            fee_low = _med([m.fee_at[low] / max(m.tokens_processed, 1) for m in runs])
            fee_high = _med([m.fee_at[high] / max(m.tokens_processed, 1) for m in runs])
            attribution = _med([m.attribution.fee_at(high) / max(m.tokens_processed, 1) for m in runs])
            ours_share = _med([100 * m.breakdown.ours / max(m.breakdown.total, 1) for m in runs])
            tx.add(
                f"{size.size} ({size.amm_tokens})",
                mode,
                _imed([m.cycle_transactions for m in runs]),
                _imed([m.signatures for m in runs]),
                _imed([m.max_tokens_per_transaction for m in runs]),
                _imed([m.compute_units for m in runs]),
                _imed([m.unit_limit for m in runs]),
                f"{ours_share:.0f}%",
                _imed([m.attribution.transactions for m in runs]),
                seed_txs,
            )
            fees.add(
                size.size,
                mode,
                f"{fee_low:,.0f}",
                f"{fee_high:,.0f}",
                f"{fee_high + attribution:,.0f}",
                f"{seed_fee:,}",
                f"{seed_fee / fee_high:,.0f}x" if fee_high else "–",
                f"{_med([m.fee_charged / max(m.tokens_processed, 1) for m in runs]):,.0f}",
            )
            wall.add(
                size.size,
                mode,
                len(runs),
                ms(_med([m.plan_seconds for m in runs])),
                ms(_med([m.dry_run_seconds for m in runs])),
                ms(_med([m.execute_seconds for m in runs])),
                f"{_med([m.execute_seconds / max(m.tokens_processed, 1) for m in runs]) * 1000:.1f}",
                ms(size.build_seconds),
            )
            checks.add(
                size.size,
                mode,
                len(runs),
                *[all(m.checks[name] for m in runs) for name in runs[0].checks],
            )
    for size in results.scaling:
        tx.notes.append(f"{size.size} token{'s' if size.size > 1 else ''}: {size.warmup_note}")
    tx.notes.append(
        f"The orchestrator packs each transaction within the packet size ({PACKET_DATA_SIZE:,} bytes), the instruction "
        f"trace ({MAX_INSTRUCTION_TRACE} entries: a curve cycle counts {CYCLE_TRACE[POOL_BONDING_CURVE]}, a PumpSwap "
        f"cycle {CYCLE_TRACE[POOL_AMM]}, plus the {COMPUTE_BUDGET_TRACE} compute-budget instructions) and 1.4M CU "
        "(executor.pack_transactions; see the packing tables above)."
    )
    if any(s.size >= 40 for s in results.scaling):
        tx.notes.append(
            "The operator's lookup table holds at most 256 addresses (orchestrator.lookup.MAX_ADDRESSES), about 35 "
            "tokens' accounts: beyond that the other tokens' accounts travel in the transactions themselves."
        )
        tx.notes.append(
            "`execute` re-reads the chain and re-quotes every remaining token after each transaction, so its wall time "
            "grows with tokens x transactions (see the wall-time table: 100 tokens take several times the dry run)."
        )
    return [tx, fees, wall, checks]


def daemon_table(results: BenchResults) -> BenchTable:
    table = BenchTable(
        "Fee daemon: RPC requests per poll and per attributed trade",
        [
            "tracked tokens",
            "idle req/poll",
            "busy req/poll",
            "req per attributed trade",
            "marginal req/trade",
            "periodic req/poll",
            "busy tick ms",
            "busy breakdown per poll",
        ],
        how=(
            "bench/daemon_rpc_load.py (the fee daemon's own load script), called in-process: the daemon polls the "
            "localnet JSON-RPC endpoint over HTTP, requests counted at the endpoint. idle = polls with no trade; busy "
            f"= {results.daemon[0].trades_per_poll if results.daemon else 0} trades "
            "per poll on random tokens and a flush every poll; per attributed trade = busy / trades; marginal = "
            "(busy - idle) / trades; periodic = the vault full scan (60 s), the stats refresh and the graduation check "
            f"(30 s each, 100 tokens per request) amortized per 5 s poll. Averages over {results.daemon_polls} polls."
        ),
    )
    for load in results.daemon or []:
        table.add(
            load.tokens,
            f"{load.idle_per_poll:.1f}",
            f"{load.busy_per_poll:.1f}",
            f"{load.per_trade:.2f}",
            f"{load.marginal_per_trade:.2f}",
            f"{load.periodic_per_poll:.2f}",
            ms(load.busy_tick_seconds),
            ", ".join(f"{k} {v:.1f}" for k, v in load.breakdown.items()),
        )
    return table


def fee_sharing_daemon_table(results: BenchResults) -> BenchTable:
    loads = results.daemon_fee_sharing
    trades = loads[0].trades_per_poll if loads else 0
    table = BenchTable(
        "Fee daemon: RPC requests per poll, every token in fee-sharing mode",
        ["tokens", "idle req/poll", f"busy req/poll ({trades} trades)", "goal ⌈N/100⌉+1", "within goal",
         "periodic req/poll", "busy breakdown per poll"],
        how=(
            "Same script with `--fee-sharing` (`measure(size, polls, trades, fee_sharing=True)`): every token on its "
            "curve, switched with `enable_fee_sharing`. Their trades never touch the shared vaults, so the daemon "
            "fetches no transaction: one poll reads the DAT state, the shared vaults, the pool holders, the wallet and "
            "every fee-sharing token's fee account in one `getMultipleAccounts` per 100 keys, ⌈(N + 6)/100⌉, and skips "
            "the keeper's `getSlot` (nothing to report). "
            "periodic: as above (full scan, stats refresh, graduation check), amortized per 5 s poll, not in the goal. "
            f"Averages over {results.daemon_polls} polls."
        ),
    )
    for load in loads or []:
        table.add(
            load.tokens,
            f"{load.idle_per_poll:.1f}",
            f"{load.busy_per_poll:.1f}",
            load.goal_per_poll,
            "yes" if max(load.idle_per_poll, load.busy_per_poll) <= load.goal_per_poll else "NO",
            f"{load.periodic_per_poll:.2f}",
            ", ".join(f"{k} {v:.1f}" for k, v in load.breakdown.items()) or "–",
        )
    return table


def demo_table(results: BenchResults) -> BenchTable:
    table = BenchTable(
        "Embedded demo wall time (`asdf-dat demo`)",
        ["runs", "to printed cycle table (median)", "to exit (median)", "min – max to exit", "all succeeded"],
        how=(
            "`asdf-dat demo` as a subprocess; `time.perf_counter` from just before the process starts to the "
            "`total` row of its cycle table on stdout (unbuffered), and to its exit. Includes Python start-up and "
            "imports."
        ),
    )
    runs = results.demo
    if runs:
        to_table = [r.to_table for r in runs if r.to_table is not None]
        exits = [r.to_exit for r in runs]
        table.add(
            len(runs),
            f"{median(to_table):.2f} s" if to_table else "–",
            f"{median(exits):.2f} s",
            f"{min(exits):.2f} – {max(exits):.2f} s",
            all(r.ok for r in runs),
        )
    return table


def all_tables(results: BenchResults) -> list[BenchTable]:
    tables: list[BenchTable] = []
    if results.cu is not None:
        tables += [
            instruction_table(results.cu),
            cycle_table(results.cu),
            cpi_floor_table(results.cu),
            token_cost_table(results.cu),
            packing_table(results.cu),
            fee_check_table(results.cu, results.prices),
        ]
    if results.scaling:
        tables += scaling_tables(results)
    if results.daemon is not None:
        tables.append(daemon_table(results))
    if results.daemon_fee_sharing is not None:
        tables.append(fee_sharing_daemon_table(results))
    if results.demo:
        tables.append(demo_table(results))
    return tables


def findings(results: BenchResults) -> list[str]:
    """The headline numbers, computed from this run."""
    out: list[str] = []
    high = results.prices[-1]
    if results.cu is not None:
        for row in results.cu.cycles:
            b = row.breakdown
            out.append(
                f"The {row.variant} cycle costs {b.total:,} CU, {100 * b.ours / b.total:.0f}% of it ours; the rest is "
                f"the pool program ({b.pool:,}), token programs ({b.tokens:,}) and System ({b.get(logs.SYSTEM):,})."
            )
    if results.cu is not None and results.cu.floors:
        distances = "; ".join(
            f"{f.cycle.variant} {f.cycle.breakdown.total:,} vs {f.floor.total:,} "
            f"(+{f.distance:,}, ours {f.cycle.breakdown.ours:,})"
            for f in results.cu.floors
        )
        out.append(f"CPI floor (the same buy + burn done directly) vs the full cycle, CU: {distances}.")
    if results.cu is not None and results.cu.packing:
        largest = max(r.tokens for r in results.cu.packing)
        for packed in (r for r in results.cu.packing if r.tokens == largest):
            out.append(
                f"{packed.tokens} tokens, {packed.kind}: {packed.signatures} signatures per cycle "
                f"({packed.transactions} cycle + {packed.reference_transactions} price-reference transactions), at "
                f"most {packed.max_tokens_per_transaction} tokens per transaction (closed by {packed.bound_by})."
            )
        names = {c.variant for c in results.cu.cycles}
        for cost in results.cu.token_costs:
            if cost.kind.cycle in names and results.cu.cycle(cost.kind.cycle).trace > cost.lone_cycle_trace:
                out.append(
                    f"{cost.kind.name}: a lone cycle takes {results.cu.cycle(cost.kind.cycle).trace} trace entries, "
                    f"the packer counts {cost.lone_cycle_trace} (executor.CYCLE_TRACE + COLLECT_TRACE)."
                )
    for size in results.scaling[-1:]:
        for mode, runs in size.runs.items():
            if not runs:
                continue
            txs = _imed([m.cycle_transactions for m in runs])
            fee = _med([m.fee_at[high] / max(m.tokens_processed, 1) for m in runs])
            out.append(
                f"{size.size} tokens, {mode}: {txs} transactions per cycle, {fee:,.0f} lamports of fees per token at "
                f"{high:,} µlamports/CU, {SEED_FEE_PER_TOKEN / fee:,.0f}x less than the seed's 0.007 SOL estimate "
                f"({size.size} transactions)."
            )
    if results.daemon:
        last = results.daemon[-1]
        out.append(
            f"The fee daemon makes {last.idle_per_poll:.0f} RPC requests per idle poll whatever the number of tokens "
            f"(up to {last.tokens:,}), and about {last.marginal_per_trade:.1f} more per attributed trade."
        )
    if results.daemon_fee_sharing:
        worst = max(
            max(load.idle_per_poll, load.busy_per_poll) - load.goal_per_poll for load in results.daemon_fee_sharing
        )
        sizes = ", ".join(f"{load.tokens:,}" for load in results.daemon_fee_sharing)
        out.append(
            f"Fee-sharing tokens ({sizes}): the daemon's requests per poll do not depend on the trade rate and "
            + ("stay within ⌈N/100⌉ + 1." if worst <= 0 else f"exceed ⌈N/100⌉ + 1 by up to {worst:.1f}.")
        )
    return out


def markdown(results: BenchResults, tables: list[BenchTable], command: str) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    total = results.seconds.get("total", 0.0)
    parts = [
        "# Benchmarks and the cost model",
        "",
        f"Written by `{command}` ({now}; {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{platform.machine()}; the whole run took {total:.0f} s). Regenerate with `make bench`; "
        "`python -m bench cu` prints the compute-unit tables alone, `python -m bench --quick` is the CI variant "
        "(tests/test_bench_quick.py).",
        "",
        "Everything runs on the embedded localnet: the compiled asdf_dat program and the pump / PumpSwap stand-in "
        "(docs/PUMP_STANDIN.md) in an in-process LiteSVM, so compute units are deterministic for given reserves and "
        "the pool programs' CU are the stand-in's, not mainnet's. Timings are medians, with `time.perf_counter`; "
        "they depend on the machine and are printed, never asserted.",
        "",
    ]
    found = findings(results)
    if found:
        parts += ["## Findings", ""] + [f"- {line}" for line in found] + [""]
    parts += ["## Tables", ""]
    parts += [t.markdown() for t in tables]
    parts += ["## Seconds per section", "", "| section | s |", "|---|---:|"]
    parts += [f"| {k} | {v:.1f} |" for k, v in results.seconds.items()]
    return "\n".join(parts) + "\n"


# Sections other benches own (bench/dashboard_load.py): kept when this report is rewritten.
KEPT_SECTION_START = "<!-- section: "


def kept_sections(path: Path) -> str:
    """The text from the first `<!-- section: ... -->` marker of `path` to its end ("" if none)."""
    if not path.exists():
        return ""
    text = path.read_text(encoding="utf-8")
    start = text.find(KEPT_SECTION_START)
    return "" if start < 0 else "\n" + text[start:]


__all__ = ["BenchResults", "all_tables", "fmt", "kept_sections", "markdown", "sol"]
