"""Networks (devnet, mainnet, localnet): RPC endpoints, wallet and token-config locations.

Environment overrides (read from the mapping passed in, `os.environ` by default):

* `RPC_URL`: primary endpoint (beats `HELIUS_API_KEY`).
* `HELIUS_API_KEY`: primary endpoint `https://<network>.helius-rpc.com/?api-key=...` (devnet, mainnet).
* `RPC_FALLBACK_URL`: tried when the primary fails (devnet and mainnet also fall back to the public
  endpoint last).
* `WALLET_PATH`: the admin keypair file instead of `<network>-wallet.json` in the working directory.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_serializer

from asdf_dat.network.endpoint import RpcEndpoint

Commitment = Literal["processed", "confirmed", "finalized"]


class Network(StrEnum):
    DEVNET = "devnet"
    MAINNET = "mainnet"
    LOCALNET = "localnet"


PUBLIC_RPC_URLS: Mapping[Network, str] = {
    Network.DEVNET: "https://api.devnet.solana.com",
    Network.MAINNET: "https://api.mainnet-beta.solana.com",
    Network.LOCALNET: "http://127.0.0.1:8899",
}

HELIUS_RPC_HOSTS: Mapping[Network, str] = {
    Network.DEVNET: "https://devnet.helius-rpc.com",
    Network.MAINNET: "https://mainnet.helius-rpc.com",
}

# Requests per second we allow ourselves per endpoint kind (None: unlimited).
_PUBLIC_RATE_LIMIT = 8.0
_PRIVATE_RATE_LIMIT = 40.0


class NetworkConfig(BaseModel):
    """Everything the SDK needs to talk to one network. Build it with `load_network_config`."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    network: Network
    rpc: RpcEndpoint
    fallback_rpcs: tuple[RpcEndpoint, ...] = ()
    wallet_path: Path
    tokens_dir: Path
    commitment: Commitment = "confirmed"
    requests_per_second: float | None = Field(default=None, gt=0)

    @field_serializer("rpc")
    def _dump_rpc_masked(self, endpoint: RpcEndpoint) -> str:
        return endpoint.masked

    @field_serializer("fallback_rpcs")
    def _dump_fallbacks_masked(self, endpoints: tuple[RpcEndpoint, ...]) -> list[str]:
        return [endpoint.masked for endpoint in endpoints]

    @property
    def endpoints(self) -> tuple[RpcEndpoint, ...]:
        """Primary first, then fallbacks."""
        return (self.rpc, *self.fallback_rpcs)

    @property
    def is_mainnet(self) -> bool:
        return self.network is Network.MAINNET


def parse_network(name: str) -> Network:
    """`Network` from a CLI value; accepts `mainnet-beta` and any case."""
    normalized = name.strip().lower()
    if normalized == "mainnet-beta":
        normalized = "mainnet"
    try:
        return Network(normalized)
    except ValueError:
        choices = ", ".join(n.value for n in Network)
        raise ValueError(f"unknown network {name!r} (choose one of {choices})") from None


def helius_url(network: Network, api_key: str) -> str:
    host = HELIUS_RPC_HOSTS.get(network)
    if host is None:
        raise ValueError(f"Helius has no {network.value} endpoint")
    return f"{host}/?api-key={api_key}"


def load_network_config(
    network: Network | str,
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> NetworkConfig:
    """The configuration of `network` with environment overrides applied.

    `cwd` is where `<network>-wallet.json` and `<network>-tokens/` live (default: the current
    directory). Relative `WALLET_PATH` values are resolved against it too.
    """
    net = network if isinstance(network, Network) else parse_network(network)
    environ: Mapping[str, str] = os.environ if env is None else env
    base = Path.cwd() if cwd is None else cwd
    public = PUBLIC_RPC_URLS[net]

    explicit = _nonempty(environ, "RPC_URL")
    helius_key = _nonempty(environ, "HELIUS_API_KEY")
    if explicit is not None:
        primary = explicit
    elif helius_key is not None and net in HELIUS_RPC_HOSTS:
        primary = helius_url(net, helius_key)
    else:
        primary = public

    fallbacks: list[str] = []
    fallback = _nonempty(environ, "RPC_FALLBACK_URL")
    if fallback is not None:
        fallbacks.append(fallback)
    if net is not Network.LOCALNET:
        fallbacks.append(public)
    unique_fallbacks = tuple(dict.fromkeys(url for url in fallbacks if url != primary))

    wallet_override = _nonempty(environ, "WALLET_PATH")
    wallet_path = Path(wallet_override).expanduser() if wallet_override else Path(f"{net.value}-wallet.json")
    if not wallet_path.is_absolute():
        wallet_path = base / wallet_path

    if net is Network.LOCALNET:
        rate: float | None = None
    elif primary == public:
        rate = _PUBLIC_RATE_LIMIT
    else:
        rate = _PRIVATE_RATE_LIMIT

    return NetworkConfig(
        network=net,
        rpc=RpcEndpoint(primary),
        fallback_rpcs=tuple(RpcEndpoint(url) for url in unique_fallbacks),
        wallet_path=wallet_path,
        tokens_dir=base / f"{net.value}-tokens",
        commitment="finalized" if net is Network.MAINNET else "confirmed",
        requests_per_second=rate,
    )


def _nonempty(environ: Mapping[str, str], key: str) -> str | None:
    value = environ.get(key, "").strip()
    return value or None
