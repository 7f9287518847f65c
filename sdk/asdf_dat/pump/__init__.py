"""pump.fun bonding curve + PumpSwap: addresses, layouts, math, instruction builders,
events, and a LiteSVM world running the test stand-in (`programs/pump_standin`) at the
real ids of pump, PumpSwap and the pump fee program."""

from asdf_dat.pump.events import (
    BuyEvent,
    CollectCoinCreatorFeeEvent,
    CollectCreatorFeeEvent,
    CompleteEvent,
    CompletePumpAmmMigrationEvent,
    CreateEvent,
    CreateFeeSharingConfigEvent,
    CreatePoolEvent,
    DistributeCreatorFeesEvent,
    MigrateBondingCurveCreatorEvent,
    MigratePoolCoinCreatorEvent,
    SellEvent,
    TradeEvent,
    UpdateFeeSharesEvent,
)
from asdf_dat.pump.layouts import BondingCurve, Global, GlobalConfig, Pool, SharingConfig
from asdf_dat.pump.tx import TransactionFailed, TxResult
from asdf_dat.pump.world import EcosystemToken, MigratedToken, PumpWorld, install_pump_standin

__all__ = [
    "BondingCurve",
    "BuyEvent",
    "CollectCoinCreatorFeeEvent",
    "CollectCreatorFeeEvent",
    "CompleteEvent",
    "CompletePumpAmmMigrationEvent",
    "CreateEvent",
    "CreateFeeSharingConfigEvent",
    "CreatePoolEvent",
    "DistributeCreatorFeesEvent",
    "EcosystemToken",
    "Global",
    "GlobalConfig",
    "MigrateBondingCurveCreatorEvent",
    "MigratePoolCoinCreatorEvent",
    "MigratedToken",
    "Pool",
    "PumpWorld",
    "SellEvent",
    "SharingConfig",
    "TradeEvent",
    "TransactionFailed",
    "TxResult",
    "UpdateFeeSharesEvent",
    "install_pump_standin",
]
