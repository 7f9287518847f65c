"""`python -m bench [all|cu] [--quick] [--out PATH | --no-write]`.

* `all` (default): compute units, ecosystems of 1, 5, 20 and 100 tokens, the fee daemon's RPC
  load for 1, 10, 100 and 1,000 tokens (keeper mode, then every token in fee-sharing mode), the
  demo's wall time; writes `docs/BENCHMARKS.md`.
* `cu`: the compute-unit tables only (writes nothing unless `--out` is given).
* `--quick`: 1 and 5 tokens, one run each, daemon at 1 and 10 tokens, one demo run; writes
  nothing unless `--out` is given (the CI variant, tests/test_bench_quick.py).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from bench.cu import measure_cu
from bench.daemon import measure_daemon
from bench.demo import time_demo
from bench.report import BenchResults, all_tables, kept_sections, markdown
from bench.scaling import measure_size
from bench.validator import preserved_section

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "docs" / "BENCHMARKS.md"
DEFAULT_PRICES = (1_000, 100_000)


@dataclass(frozen=True)
class Options:
    what: str = "all"
    quick: bool = False
    out: Path | None = None
    sizes: tuple[int, ...] = (1, 5, 20, 100)
    runs: int = 5
    daemon_sizes: tuple[int, ...] = (1, 10, 100, 1000)
    daemon_polls: int = 10
    daemon_trades: int = 10
    demo_runs: int = 3
    prices: tuple[int, ...] = DEFAULT_PRICES

    @classmethod
    def quick_variant(cls, out: Path | None = None, what: str = "all") -> Options:
        return cls(what=what, quick=True, out=out, sizes=(1, 5), runs=1, daemon_sizes=(1, 10), daemon_polls=3,
                   daemon_trades=5, demo_runs=1)


def _ints(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(",") if part.strip())


def parse(argv: Sequence[str]) -> Options:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("what", nargs="?", choices=("all", "cu"), default="all")
    parser.add_argument("--quick", action="store_true", help="1 and 5 tokens, one run each (CI)")
    parser.add_argument(
        "--out", type=Path, help=f"Markdown output (default for a full run: {DEFAULT_OUT.relative_to(REPO)})"
    )
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--sizes", type=_ints, help="ecosystem sizes, e.g. 1,5,20,100")
    parser.add_argument("--runs", type=int, help="measured cycles per size (default 5)")
    parser.add_argument(
        "--micro-lamports", type=int, default=DEFAULT_PRICES[1], help="stated priority price, µlamports/CU"
    )
    args = parser.parse_args(list(argv))
    out: Path | None = args.out
    if out is None and not args.quick and args.what == "all" and not args.no_write:
        out = DEFAULT_OUT
    if args.no_write:
        out = None
    base = Options.quick_variant(out, args.what) if args.quick else Options(what=args.what, out=out)
    return Options(
        what=base.what,
        quick=base.quick,
        out=out,
        sizes=args.sizes or base.sizes,
        runs=args.runs or base.runs,
        daemon_sizes=base.daemon_sizes,
        daemon_polls=base.daemon_polls,
        daemon_trades=base.daemon_trades,
        demo_runs=base.demo_runs,
        prices=(DEFAULT_PRICES[0], args.micro_lamports),
    )


def run(options: Options, console: Console) -> BenchResults:
    results = BenchResults(
        quick=options.quick, prices=options.prices, runs=options.runs, daemon_polls=options.daemon_polls
    )
    started = time.perf_counter()

    def section(name: str, since: float) -> float:
        now = time.perf_counter()
        results.seconds[name] = now - since
        return now

    mark = started
    with console.status("compute units per instruction…"):
        results.cu = asyncio.run(measure_cu())
    mark = section("compute units", mark)
    if options.what == "all":
        for size in options.sizes:
            with console.status(f"ecosystem of {size} tokens: warm-up + {options.runs} cycles…"):
                results.scaling.append(asyncio.run(measure_size(size, options.runs, options.prices)))
            mark = section(f"ecosystem of {size}", mark)
        with console.status("fee daemon RPC load…"):
            results.daemon = measure_daemon(list(options.daemon_sizes), options.daemon_polls, options.daemon_trades)
        mark = section("daemon RPC load", mark)
        with console.status("fee daemon RPC load, fee-sharing tokens…"):
            results.daemon_fee_sharing = measure_daemon(
                list(options.daemon_sizes), options.daemon_polls, options.daemon_trades, fee_sharing=True
            )
        mark = section("daemon RPC load (fee-sharing)", mark)
        for index in range(options.demo_runs):
            with console.status(f"asdf-dat demo, run {index + 1}/{options.demo_runs}…"):
                results.demo.append(time_demo())
        mark = section("demo", mark)
    results.seconds["total"] = time.perf_counter() - started
    return results


def main(argv: Sequence[str] | None = None, console: Console | None = None) -> int:
    options = parse(sys.argv[1:] if argv is None else argv)
    console = console or (Console() if sys.stdout.isatty() else Console(width=200))
    results = run(options, console)
    tables = all_tables(results)
    for table in tables:
        table.print(console)
    console.print(f"benchmark took {results.seconds['total']:.1f} s", highlight=False)
    if options.out is not None:
        command = "python -m bench" + (" cu" if options.what == "cu" else "") + (" --quick" if options.quick else "")
        options.out.parent.mkdir(parents=True, exist_ok=True)
        # hand-measured sections (dashboard, validator) are kept when the tables are rewritten
        kept = kept_sections(options.out)
        validator_section = preserved_section(options.out)
        if validator_section and validator_section not in kept:
            kept += f"\n{validator_section}\n"
        options.out.write_text(markdown(results, tables, command) + kept, encoding="utf-8")
        console.print(f"wrote {options.out}", highlight=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
