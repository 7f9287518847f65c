import typing
from . import admin_transfer_cancelled
from .admin_transfer_cancelled import AdminTransferCancelled, AdminTransferCancelledJSON
from . import admin_transfer_proposed
from .admin_transfer_proposed import AdminTransferProposed, AdminTransferProposedJSON
from . import admin_transferred
from .admin_transferred import AdminTransferred, AdminTransferredJSON
from . import cycle_completed
from .cycle_completed import CycleCompleted, CycleCompletedJSON
from . import cycle_deferred
from .cycle_deferred import CycleDeferred, CycleDeferredJSON
from . import cycle_failed
from .cycle_failed import CycleFailed, CycleFailedJSON
from . import dat_initialized
from .dat_initialized import DatInitialized, DatInitializedJSON
from . import dat_parameters
from .dat_parameters import DatParameters, DatParametersJSON
from . import dat_state
from .dat_state import DatState, DatStateJSON
from . import fee_report
from .fee_report import FeeReport, FeeReportJSON
from . import fee_sharing_enabled
from .fee_sharing_enabled import FeeSharingEnabled, FeeSharingEnabledJSON
from . import fee_split_cancelled
from .fee_split_cancelled import FeeSplitCancelled, FeeSplitCancelledJSON
from . import fee_split_proposed
from .fee_split_proposed import FeeSplitProposed, FeeSplitProposedJSON
from . import fee_split_updated
from .fee_split_updated import FeeSplitUpdated, FeeSplitUpdatedJSON
from . import fees_collected
from .fees_collected import FeesCollected, FeesCollectedJSON
from . import keeper_set
from .keeper_set import KeeperSet, KeeperSetJSON
from . import parameters_updated
from .parameters_updated import ParametersUpdated, ParametersUpdatedJSON
from . import pending_fees_updated
from .pending_fees_updated import PendingFeesUpdated, PendingFeesUpdatedJSON
from . import permissionless_cycles_set
from .permissionless_cycles_set import (
    PermissionlessCyclesSet,
    PermissionlessCyclesSetJSON,
)
from . import price_reference_recorded
from .price_reference_recorded import PriceReferenceRecorded, PriceReferenceRecordedJSON
from . import root_token_set
from .root_token_set import RootTokenSet, RootTokenSetJSON
from . import status_changed
from .status_changed import StatusChanged, StatusChangedJSON
from . import token_pool_updated
from .token_pool_updated import TokenPoolUpdated, TokenPoolUpdatedJSON
from . import token_registered
from .token_registered import TokenRegistered, TokenRegisteredJSON
from . import token_stats
from .token_stats import TokenStats, TokenStatsJSON
from . import wsol_unwrapped
from .wsol_unwrapped import WsolUnwrapped, WsolUnwrappedJSON
from . import wsol_wrapped
from .wsol_wrapped import WsolWrapped, WsolWrappedJSON
