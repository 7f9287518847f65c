"""`asdf-dat --version` and `asdf-dat doctor`: what is installed and what this machine reaches.

One report a user can paste when asking for help: versions, which compiled programs are used
(path and sha256, the digest `make build` prints), whether the RPC endpoint answers and has the
program, whether the wallet exists with safe permissions, whether the fee daemon answers.
URLs are masked (API keys) and the wallet's content is never read beyond its public key.
"""

from __future__ import annotations

import os
import platform
import stat
from dataclasses import asdict, dataclass, field
from importlib import metadata
from typing import Literal

import httpx

import asdf_dat
from asdf_dat.network.config import NetworkConfig
from asdf_dat.network.wallet import WalletError, load_keypair
from asdf_dat.programs import ASDF_DAT_PROGRAM_ID, PROGRAM_CRATES, PROGRAM_ID_SOURCE, ProgramBinary, find_program

CheckStatus = Literal["ok", "warn", "fail"]
DEPENDENCIES = ("solders", "solana", "anchorpy3", "typer", "httpx", "pydantic")
DAEMON_URL_ENV = "DAEMON_URL"
DEFAULT_DAEMON_URL = "http://127.0.0.1:3030"
PROBE_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class Check:
    name: str
    status: CheckStatus
    detail: str


@dataclass(frozen=True)
class VersionInfo:
    version: str
    python: str
    program_id: str
    program_id_source: str
    programs: list[ProgramBinary]
    dependencies: dict[str, str]


@dataclass
class DoctorReport:
    version: VersionInfo
    network: str
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(check.status != "fail" for check in self.checks)

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        for program in data["version"]["programs"]:
            program["path"] = str(program["path"])
        data["ok"] = self.ok
        return data


def _installed_version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def version_info() -> VersionInfo:
    return VersionInfo(
        version=asdf_dat.__version__,
        python=f"{platform.python_implementation()} {platform.python_version()}",
        program_id=str(ASDF_DAT_PROGRAM_ID),
        program_id_source=PROGRAM_ID_SOURCE,
        programs=[find_program(crate) for crate in PROGRAM_CRATES],
        dependencies={name: _installed_version(name) for name in DEPENDENCIES},
    )


def _program_checks(info: VersionInfo) -> list[Check]:
    checks = []
    for program in info.programs:
        if program.sha256 is None:
            checks.append(Check(f"program {program.crate}", "fail", f"{program.path} missing ({program.source})"))
        else:
            checks.append(
                Check(
                    f"program {program.crate}",
                    "ok",
                    f"{program.path} ({program.source}, {program.size_bytes:,} bytes, sha256 {program.sha256})",
                )
            )
    return checks


async def _rpc_check(config: NetworkConfig, client: httpx.AsyncClient) -> list[Check]:
    url = config.rpc.url
    try:
        version = await client.post(url, json={"jsonrpc": "2.0", "id": 1, "method": "getVersion"})
        version.raise_for_status()
        core = version.json().get("result", {}).get("solana-core", "?")
        program = await client.post(
            url,
            json={
                "jsonrpc": "2.0",
                "id": 2,
                "method": "getAccountInfo",
                "params": [str(ASDF_DAT_PROGRAM_ID), {"encoding": "base64", "dataSlice": {"offset": 0, "length": 0}}],
            },
        )
        program.raise_for_status()
        account = program.json().get("result", {}).get("value")
    except (httpx.HTTPError, ValueError, AttributeError) as exc:
        return [Check("rpc", "fail", f"{config.rpc.masked} not reachable: {type(exc).__name__}: {exc}")]
    checks = [Check("rpc", "ok", f"{config.rpc.masked} answers (solana-core {core})")]
    if account is not None and account.get("executable"):
        checks.append(Check("program deployed", "ok", f"{ASDF_DAT_PROGRAM_ID} is an executable account"))
    else:
        checks.append(
            Check(
                "program deployed", "fail", f"no executable account at {ASDF_DAT_PROGRAM_ID} on {config.network.value}"
            )
        )
    return checks


def _wallet_check(config: NetworkConfig) -> Check:
    path = config.wallet_path
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return Check(
            "wallet", "fail", f"{path} not found (WALLET_PATH or <network>-wallet.json in the working directory)"
        )
    except OSError as exc:
        return Check("wallet", "fail", f"{path}: {exc.strerror}")
    try:
        pubkey = load_keypair(path, network=config.network).pubkey()
    except WalletError as exc:
        return Check("wallet", "fail", str(exc))
    if mode & (stat.S_IRGRP | stat.S_IROTH | stat.S_IWGRP | stat.S_IWOTH):
        return Check(
            "wallet", "warn", f"{path} ({pubkey}) has mode {mode:o}: other users can read it, run `chmod 600 {path}`"
        )
    return Check("wallet", "ok", f"{path} ({pubkey}), mode {mode:o}")


async def _daemon_check(daemon_url: str, client: httpx.AsyncClient) -> Check:
    try:
        response = await client.get(f"{daemon_url.rstrip('/')}/health")
    except httpx.HTTPError as exc:
        # The daemon is optional for one-off commands: a warning, not a failure.
        return Check(
            "daemon", "warn", f"{daemon_url} not reachable ({type(exc).__name__}); start it with `asdf-dat daemon`"
        )
    if response.status_code == 200:
        return Check("daemon", "ok", f"{daemon_url}/health: {response.text.strip()[:120]}")
    return Check(
        "daemon", "warn", f"{daemon_url}/health answered {response.status_code}: {response.text.strip()[:120]}"
    )


def _token_check() -> Check:
    if os.environ.get("DAEMON_API_TOKEN"):
        return Check("DAEMON_API_TOKEN", "ok", "set (POST /flush and health-check.sh can authenticate)")
    return Check("DAEMON_API_TOKEN", "warn", "not set: the daemon refuses POST /flush and health-check.sh cannot flush")


async def run_doctor(config: NetworkConfig, *, daemon_url: str | None = None) -> DoctorReport:
    info = version_info()
    report = DoctorReport(version=info, network=config.network.value)
    report.checks.extend(_program_checks(info))
    url = daemon_url or os.environ.get(DAEMON_URL_ENV) or DEFAULT_DAEMON_URL
    async with httpx.AsyncClient(timeout=PROBE_TIMEOUT_SECONDS) as client:
        report.checks.extend(await _rpc_check(config, client))
        report.checks.append(_wallet_check(config))
        report.checks.append(await _daemon_check(url, client))
    report.checks.append(_token_check())
    return report
