"""The tokens of a sandbox: what to create (`TokenSpec`), what was created (`SandboxToken`), and
their token config files, written through the token-config model (`asdf_dat.config.tokens`)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from solders.keypair import Keypair
from solders.pubkey import Pubkey

from asdf_dat.config.tokens import PoolType, TokenConfig, TokenConfigModel, parse_token_config, write_token_config
from asdf_dat.dat import instructions as dix
from asdf_dat.dat.pdas import authority_address
from asdf_dat.network.config import parse_network
from asdf_dat.network.wallet import write_keypair
from asdf_dat.pump import addresses as paddr
from asdf_dat.pump.world import PumpWorld

__all__ = [
    "NETWORK",
    "STANDARD_TOKENS",
    "TOKENS_DIR",
    "WALLET_FILE",
    "SandboxFiles",
    "SandboxToken",
    "TokenSpec",
    "create_tokens",
    "spread_tokens",
    "write_token_files",
]

NETWORK = "localnet"
TOKENS_DIR = "localnet-tokens"
WALLET_FILE = "localnet-wallet.json"


@dataclass(frozen=True)
class TokenSpec:
    """A token to create: on the curve or already migrated to its canonical PumpSwap pool."""

    symbol: str
    name: str
    amm: bool = False
    token_program: Pubkey = paddr.TOKEN_PROGRAM_ID
    is_root: bool = False
    fee_sharing: bool = False
    """Switched to pump fee sharing after registration (curve tokens only)."""


STANDARD_TOKENS = (
    TokenSpec("FROOT", "Froot (root)", is_root=True),
    TokenSpec("DAT22", "DAT Token-2022", token_program=paddr.TOKEN_2022_PROGRAM_ID),
    TokenSpec("DATAMM", "DAT PumpSwap", amm=True),
)
"""The root (SPL Token, curve), a Token-2022 secondary on the curve and a secondary migrated to
PumpSwap: one of each kind. Also what the validator localnet loads into its genesis."""


def spread_tokens(
    count: int, *, amm_every: int = 3, token2022_every: int = 4, fee_sharing: bool = False
) -> list[TokenSpec]:
    """`count` tokens `T0000`...: #0 is the root (curve, SPL); every `amm_every`-th is on
    PumpSwap, every `token2022_every`-th uses Token-2022. `fee_sharing`: all on their curve and
    switched to fee-sharing mode."""
    specs = []
    for index in range(count):
        amm = not fee_sharing and index % amm_every == amm_every - 1
        t22 = index % token2022_every == token2022_every - 1
        specs.append(TokenSpec(
            f"T{index:04d}", f"Token T{index:04d}", amm,
            paddr.TOKEN_2022_PROGRAM_ID if t22 else paddr.TOKEN_PROGRAM_ID, index == 0, fee_sharing,
        ))
    return specs


@dataclass(frozen=True)
class SandboxToken:
    """One ecosystem token of a sandbox, as its token config file describes it."""

    symbol: str
    name: str
    mint: Pubkey
    token_program: Pubkey
    pool_type: PoolType
    pool: Pubkey
    """The bonding curve, or the canonical PumpSwap pool once migrated."""
    creator: Pubkey
    """The DAT authority, which created the coin (its pump creator unless in fee-sharing mode)."""
    is_root: bool
    fee_sharing: bool = False

    @property
    def amm(self) -> bool:
        return self.pool_type == "pumpswap_amm"

    @property
    def pool_type_id(self) -> int:
        return dix.POOL_AMM if self.amm else dix.POOL_BONDING_CURVE

    @property
    def pump_creator(self) -> Pubkey:
        """The coin's creator as pump sees it: its sharing config in fee-sharing mode."""
        return paddr.sharing_config(self.mint) if self.fee_sharing else self.creator

    @property
    def pool_base_token_account(self) -> Pubkey:
        return paddr.associated_token_address(self.pool, self.mint, self.token_program)

    @property
    def pool_quote_token_account(self) -> Pubkey:
        return paddr.associated_token_address(self.pool, paddr.WSOL_MINT)

    def config_model(self, network: str = NETWORK) -> TokenConfigModel:
        """The token config file's content (the seed's format; `attribution` only when not the
        default, keeper mode)."""
        model = TokenConfigModel(
            mint=str(self.mint),
            bondingCurve=str(self.pool),
            creator=str(self.creator),
            name=self.name,
            symbol=self.symbol,
            isRoot=self.is_root,
            poolType=self.pool_type,
            tokenProgram="Token2022" if self.token_program == paddr.TOKEN_2022_PROGRAM_ID else "SPL",
            network=network,
        )
        return model.model_copy(update={"attribution": "fee-sharing"}) if self.fee_sharing else model

    def config_json(self) -> dict[str, object]:
        return self.config_model().model_dump(mode="json", by_alias=True, exclude_unset=True)

    def config(self, path: Path | None = None) -> TokenConfig:
        """The token config an operator command reads from this token's file, parsed by the one
        parser (`parse_token_config`) without writing the file."""
        text = json.dumps(self.config_json())
        return parse_token_config(path or Path(f"{self.symbol.lower()}.json"), text, parse_network(NETWORK))


def create_tokens(pump: PumpWorld, specs: Sequence[TokenSpec]) -> list[SandboxToken]:
    """Creates every coin with the DAT authority as creator, so that their creator fees accrue
    to the DAT's vaults (fee-sharing specs are switched later, by `enable_fee_sharing`)."""
    authority = authority_address()
    tokens = []
    for spec in specs:
        if spec.amm:
            migrated = pump.create_migrated_token(authority, token_program=spec.token_program)
            tokens.append(SandboxToken(spec.symbol, spec.name, migrated.mint, migrated.token_program, "pumpswap_amm",
                                       migrated.pool, authority, spec.is_root, spec.fee_sharing))
        else:
            coin = pump.create_token(authority, token_program=spec.token_program)
            tokens.append(SandboxToken(spec.symbol, spec.name, coin.mint, coin.token_program, "bonding_curve",
                                       coin.bonding_curve, authority, spec.is_root, spec.fee_sharing))
    return tokens


@dataclass(frozen=True)
class SandboxFiles:
    tokens_dir: Path
    token_files: list[Path]
    wallet: Path | None
    removed: list[Path] = field(default_factory=list)


def token_file_name(number: int, token: SandboxToken, count: int) -> str:
    """`NN-symbol.json`, numbered from 1 with at least two digits."""
    return f"{number:0{max(2, len(str(count)))}d}-{token.symbol.lower()}.json"


def write_token_files(
    directory: Path,
    tokens: Sequence[SandboxToken],
    wallet: Keypair | None = None,
    *,
    only: Sequence[SandboxToken] | None = None,
) -> SandboxFiles:
    """`<directory>/localnet-tokens/NN-symbol.json` for every token (root first; stale localnet
    files removed), or for `only` those of them (numbered as among all, nothing removed), and
    `<directory>/localnet-wallet.json` (mode 0600) when `wallet` is given."""
    tokens_dir = directory / TOKENS_DIR
    tokens_dir.mkdir(parents=True, exist_ok=True)
    removed: list[Path] = []
    if only is None:
        for old in sorted(tokens_dir.glob("*.json")):
            try:
                stale = json.loads(old.read_text(encoding="utf-8")).get("network") == NETWORK
            except (OSError, ValueError, AttributeError):
                stale = False
            if stale:
                old.unlink()
                removed.append(old)
    ordered = sorted(tokens, key=lambda t: not t.is_root)
    written: list[Path] = []
    for number, token in enumerate(ordered, 1):
        if only is None or token in only:
            path = tokens_dir / token_file_name(number, token, len(ordered))
            written.append(write_token_config(path, token.config_model()))
    wallet_path = write_keypair(directory / WALLET_FILE, wallet, overwrite=True) if wallet is not None else None
    return SandboxFiles(tokens_dir, written, wallet_path, removed)
