"""Solana CLI keypair files (a JSON array of 64 byte values): load and write, never leak them.

Error messages name the file and the problem, never its content.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from pathlib import Path

from solders.keypair import Keypair

from asdf_dat.network.config import Network

KEYPAIR_LENGTH = 64


class WalletError(Exception):
    """The wallet file cannot be used; the message says why and how to fix it."""


class WalletNotFoundError(WalletError):
    pass


class WalletFormatError(WalletError):
    pass


class WalletPermissionError(WalletError):
    pass


def load_keypair(path: Path | str, *, network: Network | None = None) -> Keypair:
    """The keypair in the Solana CLI file at `path`.

    On mainnet, a file other users can read is refused (`chmod 600` it).
    """
    wallet = Path(path).expanduser()
    try:
        mode = wallet.stat().st_mode
    except FileNotFoundError:
        raise WalletNotFoundError(
            f"wallet file {wallet} not found: create it with `solana-keygen new -o {wallet}` "
            "or point WALLET_PATH at an existing keypair"
        ) from None
    except OSError as exc:
        raise WalletError(f"cannot stat wallet file {wallet}: {exc.strerror}") from None
    if not stat.S_ISREG(mode):
        raise WalletFormatError(f"wallet path {wallet} is not a regular file")
    if network is Network.MAINNET and mode & stat.S_IROTH:
        raise WalletPermissionError(
            f"wallet file {wallet} is readable by every user (mode {stat.S_IMODE(mode):o}); "
            f"refusing to use it on mainnet. Run `chmod 600 {wallet}`"
        )
    try:
        text = wallet.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise WalletError(f"cannot read wallet file {wallet}: {reason}") from None
    return keypair_from_json(text, source=str(wallet))


def keypair_from_json(text: str, *, source: str = "wallet") -> Keypair:
    """Parse Solana CLI keypair JSON (`[n0, ..., n63]`)."""
    try:
        values = json.loads(text)
    except json.JSONDecodeError as exc:
        raise WalletFormatError(
            f"{source} is not valid JSON (line {exc.lineno}): expected a Solana CLI keypair, "
            "a JSON array of 64 numbers"
        ) from None
    if not isinstance(values, list):
        raise WalletFormatError(f"{source} must be a JSON array of 64 numbers, got a {type(values).__name__}")
    if len(values) != KEYPAIR_LENGTH:
        raise WalletFormatError(f"{source} must hold 64 numbers, it holds {len(values)}")
    if not all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 255 for v in values):
        raise WalletFormatError(f"{source} must hold only integers from 0 to 255")
    raw = bytes(values)
    try:
        keypair = Keypair.from_bytes(raw)
    except ValueError:
        raise WalletFormatError(f"{source} is not a valid ed25519 keypair") from None
    if bytes(keypair.pubkey()) != raw[32:]:
        raise WalletFormatError(f"{source}: its public half does not match its secret half")
    return keypair


def keypair_to_json(keypair: Keypair) -> str:
    return json.dumps(list(bytes(keypair)))


def write_keypair(path: Path | str, keypair: Keypair, *, overwrite: bool = False) -> Path:
    """Write `keypair` in Solana CLI format, mode 0600, atomically. Returns the path."""
    target = Path(path).expanduser()
    if target.exists() and not overwrite:
        raise WalletError(f"wallet file {target} already exists")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(keypair_to_json(keypair))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return target
