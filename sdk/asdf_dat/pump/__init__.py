"""pump.fun bonding curve + PumpSwap: addresses, layouts, math, instruction builders,
events, and a LiteSVM world running the test stand-in (`programs/pump_standin`)."""

from asdf_dat.pump.events import (
    BuyEvent,
    CollectCoinCreatorFeeEvent,
    CollectCreatorFeeEvent,
    CompleteEvent,
    SellEvent,
    TradeEvent,
)
from asdf_dat.pump.layouts import BondingCurve, Global, GlobalConfig, Pool
from asdf_dat.pump.tx import TransactionFailed, TxResult
from asdf_dat.pump.world import EcosystemToken, MigratedToken, PumpWorld, install_pump_standin

__all__ = [
    "BondingCurve",
    "BuyEvent",
    "CollectCoinCreatorFeeEvent",
    "CollectCreatorFeeEvent",
    "CompleteEvent",
    "EcosystemToken",
    "Global",
    "GlobalConfig",
    "MigratedToken",
    "Pool",
    "PumpWorld",
    "SellEvent",
    "TradeEvent",
    "TransactionFailed",
    "TxResult",
    "install_pump_standin",
]
