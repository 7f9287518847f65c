from .initialize import initialize, InitializeArgs, InitializeAccounts
from .register_token import register_token, RegisterTokenArgs, RegisterTokenAccounts
from .set_token_pool import set_token_pool, SetTokenPoolArgs, SetTokenPoolAccounts
from .set_root_token import set_root_token, SetRootTokenAccounts
from .init_wsol_accounts import init_wsol_accounts, InitWsolAccountsAccounts
from .enable_fee_sharing import enable_fee_sharing, EnableFeeSharingAccounts
from .record_price_reference import record_price_reference, RecordPriceReferenceAccounts
from .update_pending_fees import (
    update_pending_fees,
    UpdatePendingFeesArgs,
    UpdatePendingFeesAccounts,
)
from .execute_cycle_bc import (
    execute_cycle_bc,
    ExecuteCycleBcArgs,
    ExecuteCycleBcAccounts,
)
from .execute_cycle_amm import (
    execute_cycle_amm,
    ExecuteCycleAmmArgs,
    ExecuteCycleAmmAccounts,
)
from .record_failure import record_failure, RecordFailureArgs, RecordFailureAccounts
from .set_keeper import set_keeper, SetKeeperArgs, SetKeeperAccounts
from .set_permissionless_cycles import (
    set_permissionless_cycles,
    SetPermissionlessCyclesArgs,
    SetPermissionlessCyclesAccounts,
)
from .pause import pause, PauseAccounts
from .resume import resume, ResumeAccounts
from .propose_admin import propose_admin, ProposeAdminArgs, ProposeAdminAccounts
from .accept_admin import accept_admin, AcceptAdminAccounts
from .cancel_admin_transfer import cancel_admin_transfer, CancelAdminTransferAccounts
from .propose_fee_split import (
    propose_fee_split,
    ProposeFeeSplitArgs,
    ProposeFeeSplitAccounts,
)
from .execute_fee_split import execute_fee_split, ExecuteFeeSplitAccounts
from .cancel_fee_split import cancel_fee_split, CancelFeeSplitAccounts
from .update_parameters import (
    update_parameters,
    UpdateParametersArgs,
    UpdateParametersAccounts,
)
