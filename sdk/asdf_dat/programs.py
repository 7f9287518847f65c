"""Program ids and where the compiled SBF binaries live.

The asdf_dat program id comes from one place, resolved once when the SDK is imported:
`$ASDF_DAT_PROGRAM_ID` (what `asdf-dat --program-id` sets), else `Anchor.toml` in the working
directory (`[programs.<cluster>] asdf_dat`, cluster from its `[provider] cluster`), else the
project's default. Build the program for the same id (`ASDF_DAT_PROGRAM_ID=<id> make build`,
programs/asdf_dat/build.rs): Anchor refuses to run under an id it was not built for.

The programs are looked up, in order, in `$ASDF_DAT_DEPLOY_DIR`, in a source checkout's
`target/deploy` (what `make build` writes), and in the copy an installed wheel carries as
package data (`asdf_dat/_bundled/programs`, written by setup.py's build step).
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

from solders.pubkey import Pubkey

DEFAULT_PROGRAM_ID = "Da57QBZtk8eMgSe85Ky85px8G5Xxh3iSb2NJx2vn9dC4"
PROGRAM_ID_ENV = "ASDF_DAT_PROGRAM_ID"
ProgramIdSource = Literal["env", "Anchor.toml", "default"]


class ProgramIdError(ValueError):
    """The configured program id is not a public key; the message says where it came from."""


def _parse_program_id(value: str, where: str) -> Pubkey:
    try:
        return Pubkey.from_string(value.strip())
    except ValueError:
        raise ProgramIdError(f"{where}: {value!r} is not a base58 program id") from None


def resolve_program_id(
    environ: Mapping[str, str] | None = None, cwd: Path | None = None
) -> tuple[Pubkey, ProgramIdSource]:
    """The asdf_dat program id and where it came from (see the module docstring)."""
    env = os.environ if environ is None else environ
    explicit = env.get(PROGRAM_ID_ENV, "").strip()
    if explicit:
        return _parse_program_id(explicit, PROGRAM_ID_ENV), "env"
    anchor_toml = (Path.cwd() if cwd is None else cwd) / "Anchor.toml"
    if anchor_toml.is_file():
        try:
            config = tomllib.loads(anchor_toml.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ProgramIdError(f"{anchor_toml} is not readable TOML: {exc}") from None
        cluster = str(config.get("provider", {}).get("cluster", "localnet")).lower()
        cluster = "mainnet" if cluster == "mainnet-beta" else cluster
        configured = config.get("programs", {}).get(cluster, {}).get("asdf_dat")
        if isinstance(configured, str):
            return _parse_program_id(configured, f"{anchor_toml} [programs.{cluster}] asdf_dat"), "Anchor.toml"
    return Pubkey.from_string(DEFAULT_PROGRAM_ID), "default"


ASDF_DAT_PROGRAM_ID, PROGRAM_ID_SOURCE = resolve_program_id()
PUMP_PROGRAM_ID = Pubkey.from_string("6EF8rrecthR5Dkzon8Nwu78hRvfCKubJ14M5uBEwF6P")
PUMP_AMM_PROGRAM_ID = Pubkey.from_string("pAMMBay6oceH9fJKBRHGP5D4bD4sWpmSwMn52FMfXEA")
PUMP_FEE_PROGRAM_ID = Pubkey.from_string("pfeeUxB6jkeY1Hxd7CsFCAjcbHA9rWtchMGdZ6VojVZ")

DEPLOY_DIR_ENV = "ASDF_DAT_DEPLOY_DIR"
PROGRAM_CRATES = ("asdf_dat", "pump_standin")
BUNDLED_DIR_NAME = "_bundled"

ProgramSource = Literal["env", "checkout", "package"]


def checkout_root() -> Path | None:
    """The source checkout this package is imported from, or None for an installed wheel."""
    root = Path(__file__).resolve().parents[2]
    if (root / "Cargo.toml").is_file() and (root / "programs" / "asdf_dat").is_dir():
        return root
    return None


def bundled_path(*parts: str) -> Path:
    """A file or directory of the package data an installed wheel carries."""
    resource = resources.files("asdf_dat").joinpath(BUNDLED_DIR_NAME, *parts)
    # Wheels install as plain directories; a zipped install would need extraction first.
    if not isinstance(resource, Path):
        raise FileNotFoundError(f"asdf_dat's package data is not a directory ({resource}): install the wheel unzipped")
    return resource


def deploy_source() -> tuple[Path, ProgramSource]:
    """The directory holding `<crate>.so` and where that choice came from."""
    override = os.environ.get(DEPLOY_DIR_ENV)
    if override:
        return Path(override), "env"
    root = checkout_root()
    if root is not None:
        return root / "target" / "deploy", "checkout"
    return bundled_path("programs"), "package"


def deploy_dir() -> Path:
    """Directory holding `<crate>.so`: `$ASDF_DAT_DEPLOY_DIR`, a checkout's `target/deploy`, or the wheel's copy."""
    return deploy_source()[0]


def program_path(crate: str) -> Path:
    path = deploy_dir() / f"{crate}.so"
    if not path.is_file():
        hint = (
            "run `make build` first" if checkout_root() is not None else f"reinstall asdf-dat or set {DEPLOY_DIR_ENV}"
        )
        raise FileNotFoundError(f"{path} is missing: {hint}")
    return path


@dataclass(frozen=True)
class ProgramBinary:
    """One compiled program as found on this machine."""

    crate: str
    path: Path
    source: ProgramSource
    sha256: str | None  # None: the file is missing
    size_bytes: int | None


def find_program(crate: str) -> ProgramBinary:
    """Where `crate`'s .so is and its sha256 (the same digest `make build` prints)."""
    directory, source = deploy_source()
    path = directory / f"{crate}.so"
    if not path.is_file():
        return ProgramBinary(crate, path, source, None, None)
    data = path.read_bytes()
    return ProgramBinary(crate, path, source, hashlib.sha256(data).hexdigest(), len(data))
