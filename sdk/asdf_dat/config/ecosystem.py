"""The ecosystem an operator command works on: every token config of a directory
(`<network>-tokens/*.json`), parsed by the fee daemon's loader (`asdf_dat.config.tokens`),
with exactly one root."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from solders.pubkey import Pubkey

from asdf_dat.config.tokens import (
    TokenConfig,
    TokenConfigError,
    graduated_changes,
    load_token_configs,
    load_token_file,
    rewrite_token_file,
    write_token_file,
)
from asdf_dat.network.config import Network, parse_network

__all__ = [
    "Ecosystem",
    "TokenConfig",
    "TokenConfigError",
    "file_network",
    "graduated_changes",
    "is_amm",
    "load_ecosystem",
    "load_ecosystem_dir",
    "load_token_config",
    "rewrite_token_file",
    "write_token_file",
]


def is_amm(token: TokenConfig) -> bool:
    return token.pool_type == "pumpswap_amm"


def file_network(path: Path) -> Network | None:
    """The `network` a token config file declares (None if unreadable; the loader reports why)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        value = raw.get("network") if isinstance(raw, dict) else None
        return parse_network(value) if isinstance(value, str) else None
    except (OSError, UnicodeDecodeError, ValueError):
        return None


def load_token_config(path: Path, network: Network) -> TokenConfig:
    if not path.is_file():
        raise TokenConfigError(path, None, "file not found")
    return load_token_file(path, network)


@dataclass(frozen=True)
class Ecosystem:
    directory: Path
    tokens: tuple[TokenConfig, ...]

    @property
    def root(self) -> TokenConfig:
        return next(t for t in self.tokens if t.is_root)

    def by_mint(self, mint: Pubkey) -> TokenConfig | None:
        return next((t for t in self.tokens if t.mint == mint), None)


def load_ecosystem_dir(directory: Path, network: Network) -> Ecosystem:
    """Every `*.json` of `directory` (sorted); exactly one must be the root."""
    if not directory.is_dir():
        raise TokenConfigError(directory, None, "token config directory not found")
    tokens = tuple(load_token_configs(directory, network))
    roots = [t for t in tokens if t.is_root]
    if tokens and len(roots) != 1:
        found = ", ".join(t.path.name for t in roots) or "none"
        raise TokenConfigError(directory, "isRoot", f"exactly one token must be the root (found {found})")
    return Ecosystem(directory, tokens)


def load_ecosystem(config_file: Path, network: Network) -> Ecosystem:
    """The ecosystem named by `config_file` (the seed passes the root's file): its directory."""
    load_token_config(config_file, network)  # its own errors first
    return load_ecosystem_dir(config_file.parent, network)
