"""The network interface and its two implementations, in one import:

    from asdf_dat.network.transport import Transport, RpcTransport, EmbeddedTransport, connect
"""

from __future__ import annotations

from asdf_dat.network.config import NetworkConfig
from asdf_dat.network.embedded_transport import EmbeddedTransport
from asdf_dat.network.protocol import AnyTransaction, SignedTransaction, Transport, first_signature, wire_bytes
from asdf_dat.network.results import (
    ConfirmationLevel,
    ConfirmationTimeoutError,
    LatestBlockhash,
    PrioritizationFee,
    RpcResponseError,
    RpcUnavailableError,
    SignatureStatus,
    SimulationResult,
    TransactionExpiredError,
    TransactionFailedError,
    TransportError,
)
from asdf_dat.network.rpc_transport import RpcTransport, RpcTransportSettings

__all__ = [
    "AnyTransaction",
    "ConfirmationLevel",
    "ConfirmationTimeoutError",
    "EmbeddedTransport",
    "LatestBlockhash",
    "PrioritizationFee",
    "RpcResponseError",
    "RpcTransport",
    "RpcTransportSettings",
    "RpcUnavailableError",
    "SignatureStatus",
    "SignedTransaction",
    "SimulationResult",
    "TransactionExpiredError",
    "TransactionFailedError",
    "Transport",
    "TransportError",
    "connect",
    "first_signature",
    "wire_bytes",
]


def connect(config: NetworkConfig) -> RpcTransport:
    """An `RpcTransport` for a network configuration (see `load_network_config`)."""
    return RpcTransport.from_config(config)
