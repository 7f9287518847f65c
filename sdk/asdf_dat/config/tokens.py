"""The seed's token configuration files, `<network>-tokens/*.json`:

    {"mint", "bondingCurve" | "pool", "creator", "name", "symbol", "isRoot",
     "poolType": "bonding_curve" | "pumpswap_amm", "tokenProgram": "SPL" | "Token2022", "network",
     "attribution": "keeper" | "fee-sharing"}

The venue's address is `bondingCurve` for a curve token; an AMM token's is `pool` when given
(a graduated token keeps its `bondingCurve` beside it), else `bondingCurve` (the seed's files).
Files are written by `write_token_file` / `rewrite_token_file`: validated by the model first,
then atomically (temporary file, fsync, rename), so a crash leaves the old file or the new one.

A malformed file raises `TokenConfigError` naming the file and the field. `TokenRegistry`
re-scans the directory so that files added later are picked up without a restart.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from solders.pubkey import Pubkey

from asdf_dat.network.config import Network, parse_network
from asdf_dat.pump import addresses as pump_addresses

logger = logging.getLogger(__name__)

PoolType = Literal["bonding_curve", "pumpswap_amm"]
TokenProgramName = Literal["SPL", "Token2022"]
Attribution = Literal["keeper", "fee-sharing"]
"""How a token's creator fees are attributed: by the keeper from the shared vaults, or
on-chain through pump fee sharing into the token's own fee account."""


class TokenConfigError(ValueError):
    """A token configuration file is unusable. `path` and `field` say where."""

    def __init__(self, path: Path, field: str | None, problem: str) -> None:
        where = f"{path}" if field is None else f"{path}: field {field!r}"
        super().__init__(f"token config {where}: {problem}")
        self.path = path
        self.field = field
        self.problem = problem


def _pubkey(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("must be a base58 public key string")
    try:
        Pubkey.from_string(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a valid base58 public key") from None
    return value


class TokenConfigModel(BaseModel):
    """The JSON schema of one file (camelCase keys as in the seed)."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, frozen=True)

    mint: str
    bonding_curve: str | None = Field(default=None, alias="bondingCurve")
    pool: str | None = None
    creator: str
    name: str = Field(max_length=32)
    symbol: str = Field(min_length=1, max_length=10)
    is_root: bool = Field(alias="isRoot")
    pool_type: PoolType = Field(default="bonding_curve", alias="poolType")
    token_program: TokenProgramName | None = Field(default=None, alias="tokenProgram")
    mayhem_mode: bool = Field(default=False, alias="mayhemMode")
    attribution: Attribution = "keeper"
    network: str

    @field_validator("mint", "creator", "bonding_curve", "pool", mode="before")
    @classmethod
    def _check_key(cls, value: object) -> object:
        return None if value is None else _pubkey(value)

    @field_validator("is_root", "mayhem_mode", mode="before")
    @classmethod
    def _strict_bool(cls, value: object) -> object:
        if not isinstance(value, bool):
            raise ValueError("must be true or false")
        return value

    @model_validator(mode="after")
    def _needs_pool_address(self) -> TokenConfigModel:
        if self.bonding_curve is None and self.pool is None:
            raise ValueError("needs 'bondingCurve' (or 'pool' for an AMM token)")
        return self


def write_token_config(path: Path, config: TokenConfigModel) -> Path:
    """Writes one token config file atomically (temporary file + rename): never half a file.
    Only the fields given when the model was built are written (plus any extra keys it kept),
    so a file read, changed and written back keeps its shape."""
    content = config.model_dump(mode="json", by_alias=True, exclude_unset=True)
    _write_atomically(path, json.dumps(content, indent=2) + "\n")
    return path


def _write_atomically(path: Path, text: str) -> None:
    """A temporary file in the same directory, fsync, rename over `path`, fsync of the
    directory: a crash leaves the old file or the new one, never half of either."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    with contextlib.suppress(OSError):  # not every filesystem lets a directory be fsynced
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


@dataclass(frozen=True)
class TokenConfig:
    """One tracked token, validated."""

    path: Path
    mint: Pubkey
    creator: Pubkey
    pool_address: Pubkey
    name: str
    symbol: str
    is_root: bool
    pool_type: PoolType
    token_program: Pubkey
    network: Network
    attribution: Attribution = "keeper"

    @property
    def fee_sharing(self) -> bool:
        return self.attribution == "fee-sharing"

    @property
    def pump_creator(self) -> Pubkey:
        """The coin's creator as pump sees it: its sharing config in fee-sharing mode."""
        return pump_addresses.sharing_config(self.mint) if self.fee_sharing else self.creator

    @property
    def bonding_curve(self) -> Pubkey:
        """The mint's pump bonding curve PDA (whatever the config's pool address)."""
        return pump_addresses.bonding_curve(self.mint)

    @property
    def canonical_pool(self) -> Pubkey:
        """The mint's canonical PumpSwap pool (where it trades after migration)."""
        return pump_addresses.canonical_pool(self.mint)


def parse_token_config(path: Path, text: str, network: Network) -> TokenConfig:
    """Validate one file's content; raises `TokenConfigError`."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TokenConfigError(
            path, None, f"not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
        ) from None
    if not isinstance(raw, dict):
        raise TokenConfigError(path, None, f"must be a JSON object, got {type(raw).__name__}")
    try:
        model = TokenConfigModel.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = _json_name(error["loc"])
        raise TokenConfigError(path, field, str(error["msg"])) from None
    try:
        file_network = parse_network(model.network)
    except ValueError as exc:
        raise TokenConfigError(path, "network", str(exc)) from None
    if file_network is not network:
        raise TokenConfigError(path, "network", f"is {model.network!r} but the daemon runs on {network.value!r}")
    token_program_name = model.token_program or ("Token2022" if model.mayhem_mode else "SPL")
    token_program = (
        pump_addresses.TOKEN_2022_PROGRAM_ID if token_program_name == "Token2022" else pump_addresses.TOKEN_PROGRAM_ID
    )
    if model.pool_type == "pumpswap_amm":
        pool = model.pool if model.pool is not None else model.bonding_curve
    else:
        pool = model.bonding_curve if model.bonding_curve is not None else model.pool
    assert pool is not None
    return TokenConfig(
        path=path,
        mint=Pubkey.from_string(model.mint),
        creator=Pubkey.from_string(model.creator),
        pool_address=Pubkey.from_string(pool),
        name=model.name,
        symbol=model.symbol,
        is_root=model.is_root,
        pool_type=model.pool_type,
        token_program=token_program,
        network=network,
        attribution=model.attribution,
    )


_ALIASES = {
    name: (info.alias or name) for name, info in TokenConfigModel.model_fields.items()
}


def _json_name(loc: tuple[int | str, ...]) -> str | None:
    if not loc:
        return None
    head = str(loc[0])
    return _ALIASES.get(head, head)


def load_token_file(path: Path, network: Network) -> TokenConfig:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise TokenConfigError(path, None, f"cannot read: {reason}") from None
    return parse_token_config(path, text, network)


def write_token_file(path: Path, network: Network, content: dict[str, object]) -> TokenConfig:
    """Validates `content` as a token config of `network`, then writes it atomically: a
    temporary file in the same directory, fsync, rename over `path`, fsync of the directory.
    Raises `TokenConfigError` (nothing written) or `OSError` (the old file, if any, intact)."""
    text = json.dumps(content, indent=2) + "\n"
    token = parse_token_config(path, text, network)
    _write_atomically(path, text)
    return token


def rewrite_token_file(path: Path, network: Network, changes: dict[str, object]) -> TokenConfig:
    """Applies `changes` (JSON keys) to the config file at `path`, keeping every other key,
    through `write_token_file`. Returns the new config."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise TokenConfigError(path, None, f"cannot read: {exc}") from None
    if not isinstance(raw, dict):
        raise TokenConfigError(path, None, f"must be a JSON object, got {type(raw).__name__}")
    return write_token_file(path, network, {**raw, **changes})


def graduated_changes(pool: Pubkey) -> dict[str, object]:
    """What a token config gets when its coin graduates to its canonical PumpSwap pool."""
    return {"poolType": "pumpswap_amm", "pool": str(pool)}


def load_token_configs(directory: Path, network: Network) -> list[TokenConfig]:
    """Every `*.json` in `directory`, sorted by file name. Raises on the first bad file or on a
    duplicate mint."""
    tokens: list[TokenConfig] = []
    seen: dict[Pubkey, Path] = {}
    for path in sorted(directory.glob("*.json")):
        token = load_token_file(path, network)
        if token.mint in seen:
            raise TokenConfigError(path, "mint", f"{token.mint} is already configured by {seen[token.mint]}")
        seen[token.mint] = path
        tokens.append(token)
    return tokens


@dataclass
class ScanResult:
    added: list[TokenConfig]
    errors: list[TokenConfigError]


class TokenRegistry:
    """The tracked tokens, growing as new valid files appear (files are never un-tracked while
    running: a removed file's fees keep their attribution)."""

    def __init__(self, directory: Path, network: Network) -> None:
        self.directory = directory
        self.network = network
        self._tokens: dict[Pubkey, TokenConfig] = {}
        self._seen_files: dict[Path, float] = {}
        self._reported_errors: set[tuple[Path, float]] = set()

    @property
    def tokens(self) -> list[TokenConfig]:
        return list(self._tokens.values())

    def get(self, mint: Pubkey) -> TokenConfig | None:
        return self._tokens.get(mint)

    def __len__(self) -> int:
        return len(self._tokens)

    def load_initial(self) -> list[TokenConfig]:
        """Strict first load: any bad file is an error (the operator must fix it)."""
        if not self.directory.is_dir():
            raise TokenConfigError(self.directory, None, "token directory does not exist")
        for token in load_token_configs(self.directory, self.network):
            self._tokens[token.mint] = token
        for path in self.directory.glob("*.json"):
            self._seen_files[path] = _mtime(path)
        return self.tokens

    def rescan(self) -> ScanResult:
        """Pick up new or changed files; bad files are reported once (per version), not fatal."""
        added: list[TokenConfig] = []
        errors: list[TokenConfigError] = []
        if not self.directory.is_dir():
            return ScanResult(added, errors)
        for path in sorted(self.directory.glob("*.json")):
            mtime = _mtime(path)
            if self._seen_files.get(path) == mtime:
                continue
            try:
                token = load_token_file(path, self.network)
            except TokenConfigError as exc:
                if (path, mtime) not in self._reported_errors:
                    self._reported_errors.add((path, mtime))
                    errors.append(exc)
                continue
            self._seen_files[path] = mtime
            existing = self._tokens.get(token.mint)
            if existing is not None and existing.path != path:
                errors.append(TokenConfigError(path, "mint", f"{token.mint} is already configured by {existing.path}"))
                continue
            if existing is None:
                added.append(token)
            self._tokens[token.mint] = token
        return ScanResult(added, errors)

    def add(self, tokens: Iterable[TokenConfig]) -> None:
        for token in tokens:
            self._tokens[token.mint] = token


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return -1.0
