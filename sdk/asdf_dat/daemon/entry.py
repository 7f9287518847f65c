"""Command line of the fee daemon.

    python scripts/monitor-ecosystem-fees.py --network devnet|mainnet|localnet [options]
    python -m asdf_dat.daemon --network localnet

`--autopilot <token-config>` also runs the autopilot (`asdf-dat autopilot`) in the same process:
the daemon package does not import the orchestrator, so the caller passes it in (`asdf-dat daemon`
and scripts/monitor-ecosystem-fees.py do).

`main(argv)` returns the exit code: 0 after a clean stop (SIGTERM/SIGINT), 1 when another daemon
holds the lock, 2 for a configuration or start-up problem.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from solders.keypair import Keypair

from asdf_dat.config.lock import LockError
from asdf_dat.config.tokens import TokenConfigError
from asdf_dat.daemon.alerts import Alerter
from asdf_dat.daemon.config import ConfigError, DaemonConfig
from asdf_dat.daemon.http_limits import RateLimitFilter
from asdf_dat.daemon.ledger import LedgerError
from asdf_dat.daemon.server import Companion, serve
from asdf_dat.daemon.service import FeeDaemon, StartupError
from asdf_dat.network.config import NetworkConfig, load_network_config, parse_network
from asdf_dat.network.rpc_transport import RpcTransport
from asdf_dat.network.wallet import WalletError, load_keypair

logger = logging.getLogger("asdf_dat.daemon")

EXIT_OK = 0
EXIT_LOCKED = 1
EXIT_CONFIG = 2

AutopilotFactory = Callable[[Path, float, str], Companion]
"""(token config, seconds between checks, network name) → the autopilot as a daemon companion."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="monitor-ecosystem-fees",
        description="asdf-dat fee daemon: attributes creator fees to tokens and keeps on-chain pending fees current.",
        epilog="Environment: DAEMON_API_TOKEN is the bearer token of POST /flush (the cycle command flushes "
        "first; without the token the daemon refuses /flush); set the same value for the daemon and its "
        "callers. Callers (execute-ecosystem-cycle, scripts/health-check.sh) find the daemon at DAEMON_URL "
        "(default http://127.0.0.1:3030). RPC_URL, HELIUS_API_KEY, RPC_FALLBACK_URL choose the endpoints.",
    )
    parser.add_argument("--network", "-n", default="devnet", help="devnet | mainnet | localnet (default devnet)")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="directory with <network>-tokens/, the wallet and the daemon files (default: cwd)")
    parser.add_argument("--host", default=None, help="API bind address (default 127.0.0.1, env API_HOST)")
    parser.add_argument("--port", type=int, default=None, help="API port (default 3030, env API_PORT)")
    parser.add_argument("--no-api", action="store_true", help="do not serve the HTTP API")
    parser.add_argument("--poll-interval", type=float, default=None, help="seconds between polls (env POLL_INTERVAL)")
    parser.add_argument("--flush-interval", type=float, default=None,
                        help="seconds between on-chain flushes (env UPDATE_INTERVAL)")
    parser.add_argument("--autopilot", type=Path, default=None, metavar="TOKEN_CONFIG",
                        help="also run the cycle whenever a dry run says READY, in this process (as `asdf-dat "
                             "autopilot TOKEN_CONFIG`, but flushing this daemon directly); off by default")
    parser.add_argument("--autopilot-interval", type=float, default=30.0, metavar="SECONDS",
                        help="seconds between the autopilot's checks (default 30)")
    parser.add_argument("--verbose", "-v", action="store_true", help="debug logging")
    return parser


def configure_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for noisy in ("httpx", "httpcore", "uvicorn.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    limit = RateLimitFilter()
    for handler in logging.getLogger().handlers:
        handler.addFilter(limit)


def main(argv: Sequence[str] | None = None, autopilot: AutopilotFactory | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging(args.verbose)
    companion: Companion | None = None
    if args.autopilot is not None:
        if autopilot is None:
            logger.error(
                "--autopilot needs the orchestrator: run `asdf-dat daemon` or scripts/monitor-ecosystem-fees.py"
            )
            return EXIT_CONFIG
        if not args.autopilot.is_file():
            logger.error("--autopilot: token config %s not found", args.autopilot)
            return EXIT_CONFIG
        if args.autopilot_interval < 1.0:
            logger.error("--autopilot-interval must be at least 1 second")
            return EXIT_CONFIG
    try:
        network = parse_network(args.network)
        overrides: dict[str, Any] = {}
        if args.host is not None:
            overrides["api_host"] = args.host
        if args.port is not None:
            overrides["api_port"] = args.port
        if args.no_api:
            overrides["api_enabled"] = False
        if args.poll_interval is not None:
            overrides["poll_interval_seconds"] = args.poll_interval
        if args.flush_interval is not None:
            overrides["flush_interval_seconds"] = args.flush_interval
        workdir = (args.workdir or Path.cwd()).resolve()
        config = DaemonConfig.from_env(network, workdir=workdir, **overrides)
        net_config = load_network_config(network, cwd=workdir)
        keeper = load_keypair(net_config.wallet_path, network=network)
    except (ConfigError, ValueError, WalletError) as exc:
        logger.error("%s", exc)
        return EXIT_CONFIG
    if args.autopilot is not None and autopilot is not None:
        companion = autopilot(args.autopilot, args.autopilot_interval, network.value)
    return run(config, net_config, keeper, companion)


def run(config: DaemonConfig, network_config: NetworkConfig, keeper: Keypair,
        companion: Companion | None = None) -> int:
    """Open, serve until stopped, and map start-up errors to exit codes."""
    transport = RpcTransport.from_config(network_config)
    daemon = FeeDaemon(config, transport, keeper, alerter=Alerter(config.alerts))
    try:
        daemon.open()
    except LockError as exc:
        logger.error("%s", exc)
        asyncio.run(transport.close())
        return EXIT_LOCKED
    except (TokenConfigError, LedgerError, OSError) as exc:
        logger.error("%s", exc)
        asyncio.run(transport.close())
        return EXIT_CONFIG

    async def go() -> int:
        try:
            return await serve(daemon, companion)
        finally:
            await transport.close()

    try:
        return asyncio.run(go())
    except StartupError as exc:
        logger.error("%s", exc)
        return EXIT_CONFIG


def daemon_command(network: str = "devnet", workdir: Path | None = None, port: int | None = None) -> int:
    """For the `asdf-dat daemon` CLI command: same as the script."""
    argv = ["--network", network]
    if workdir is not None:
        argv += ["--workdir", str(workdir)]
    if port is not None:
        argv += ["--port", str(port)]
    return main(argv)
