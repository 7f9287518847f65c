"""Where `solana-test-validator` is: the same order as `scripts/validator.sh --find` (which
also builds it, `make validator`)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

AGAVE_VERSION = "3.1.12"


class ValidatorNotFoundError(FileNotFoundError):
    def __init__(self) -> None:
        super().__init__(
            "solana-test-validator not found: run `make validator` (builds Agave "
            f"{AGAVE_VERSION} into ~/.cache/asdf-dat once), or set SOLANA_TEST_VALIDATOR"
        )


def cache_dir() -> Path:
    return Path(os.environ.get("ASDF_DAT_CACHE") or Path.home() / ".cache" / "asdf-dat")


def find_validator() -> Path | None:
    """$SOLANA_TEST_VALIDATOR, then PATH, then the cache; None if none is executable."""
    explicit = os.environ.get("SOLANA_TEST_VALIDATOR")
    if explicit and os.access(explicit, os.X_OK):
        return Path(explicit)
    on_path = shutil.which("solana-test-validator")
    if on_path:
        return Path(on_path)
    cached = cache_dir() / f"validator-{AGAVE_VERSION}" / "bin" / "solana-test-validator"
    return cached if os.access(cached, os.X_OK) else None


def require_validator() -> Path:
    found = find_validator()
    if found is None:
        raise ValidatorNotFoundError()
    return found
