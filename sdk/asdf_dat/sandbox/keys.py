"""Seeded keypairs: the same seed gives the same keys in the same order, so that a sandbox built
twice has the same addresses. The benchmark needs it: programs that derive a PDA by bump search
(pump's stand-in, and ours on cold paths such as `register_token`) spend CU that depend on the
addresses, so random mints and wallets make CU differ by a few hundred between runs."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from solders.keypair import Keypair

__all__ = ["SeededKeypairs"]


@dataclass
class SeededKeypairs:
    """A keypair factory (`PumpWorld.new_keypair`): key n is `Keypair.from_seed(sha256(seed, n))`."""

    seed: str
    issued: int = 0

    def __call__(self) -> Keypair:
        self.issued += 1
        digest = hashlib.sha256(f"{self.seed}/{self.issued}".encode()).digest()
        return Keypair.from_seed(digest)
