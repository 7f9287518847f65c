#!/usr/bin/env python3
"""RPC requests per poll of the fee daemon for 1, 10, 100 and 1,000 tracked tokens, idle and busy.

Counts requests at the localnet JSON-RPC endpoint (`asdf_dat.localnet`), the daemon talking to it
over HTTP exactly as to devnet. Per size:

* idle: polls with no trade (the steady state of a quiet ecosystem);
* busy: `--trades` trades per poll on random tokens, and a flush every poll.

Periodic work that does not happen every poll is amortized at the default intervals (poll 5 s,
vault full scan 60 s, token stats refresh and graduation check 30 s) and shown separately.

    .venv/bin/python bench/daemon_rpc_load.py [--sizes 1,10,100,1000] [--polls 10] [--trades 10] [--fee-sharing]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sdk"))

from asdf_dat.daemon.config import DaemonConfig  # noqa: E402
from asdf_dat.daemon.service import FeeDaemon  # noqa: E402
from asdf_dat.network.rpc_transport import RpcTransport  # noqa: E402
from asdf_dat.sandbox import build_spread_sandbox  # noqa: E402

POLL_SECONDS = 5.0
FULL_SCAN_SECONDS = 60.0
STATS_REFRESH_SECONDS = 30.0


def delta(after: dict[str, int], before: dict[str, int]) -> Counter[str]:
    out: Counter[str] = Counter()
    for key, value in after.items():
        if value - before.get(key, 0):
            out[key] = value - before.get(key, 0)
    return out


async def measure(
    size: int, polls: int, trades_per_poll: int, fee_sharing: bool = False
) -> tuple[Counter[str], Counter[str], float]:
    with tempfile.TemporaryDirectory() as tmp:
        sim = await build_spread_sandbox(Path(tmp), size, fee_sharing=fee_sharing)
        sim.start()
        try:
            config = DaemonConfig.from_env(
                "localnet", workdir=Path(tmp), env={}, api_enabled=False,
                poll_interval_seconds=POLL_SECONDS, flush_interval_seconds=0.001,
                full_scan_interval_seconds=10_000, stats_refresh_seconds=10_000, token_rescan_seconds=10_000,
            )
            transport = RpcTransport([sim.url])
            daemon = FeeDaemon(config, transport, sim.keeper)
            daemon.open()
            await daemon.prepare()
            await daemon.tick()  # first poll: full scan of both vaults
            await daemon.tick()
            before = sim.rpc_calls()
            for _ in range(polls):
                await daemon.tick()
            idle = delta(sim.rpc_calls(), before)
            rng = random.Random(size)
            before = sim.rpc_calls()
            started = time.monotonic()
            for _ in range(polls):
                for _ in range(trades_per_poll):
                    token = rng.choice(sim.tokens)
                    sim.buy(token, rng.randint(10_000_000, 100_000_000))
                await daemon.tick()
            busy_seconds = (time.monotonic() - started) / polls
            busy = delta(sim.rpc_calls(), before)
            assert daemon.ledger is not None and daemon.ledger.audit().consistent
            await daemon.shutdown()
            await transport.close()
            return idle, busy, busy_seconds
        finally:
            sim.stop()


def main() -> None:
    import logging

    logging.basicConfig(level=logging.ERROR)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1,10,100,1000")
    parser.add_argument("--polls", type=int, default=10)
    parser.add_argument("--trades", type=int, default=10, help="trades per poll when busy")
    parser.add_argument("--fee-sharing", action="store_true", help="every token in fee-sharing mode")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"RPC requests per poll (measured over {args.polls} polls; busy = {args.trades} trades per poll + a flush)")
    print(
        f"{'tokens':>7} | {'idle':>6} | {'busy':>6} | {'amortized periodic':>18} | {'busy tick s':>11} | busy breakdown"
    )
    print("-" * 110)
    for size in sizes:
        idle, busy, seconds = asyncio.run(measure(size, args.polls, args.trades, args.fee_sharing))
        # vault full scan (2 vaults); stats refresh and graduation check (curves), 100 tokens per request
        periodic = 2 / (FULL_SCAN_SECONDS / POLL_SECONDS) + 2 * math.ceil(size / 100) / (
            STATS_REFRESH_SECONDS / POLL_SECONDS
        )
        idle_per = sum(idle.values()) / args.polls
        busy_per = sum(busy.values()) / args.polls
        breakdown = ", ".join(f"{k} {v / args.polls:.1f}" for k, v in sorted(busy.items()))
        print(f"{size:>7} | {idle_per:>6.1f} | {busy_per:>6.1f} | {periodic:>18.2f} | {seconds:>11.3f} | {breakdown}")


if __name__ == "__main__":
    main()
