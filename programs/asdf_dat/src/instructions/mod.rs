//! One module per instruction: its accounts struct and handler.

pub mod accept_admin;
pub mod admin_only;
pub mod cancel_admin_transfer;
pub mod cancel_fee_split;
pub mod cycle;
pub mod enable_fee_sharing;
pub mod execute_cycle_amm;
pub mod execute_cycle_bc;
pub mod execute_fee_split;
pub mod init_wsol_accounts;
pub mod initialize;
pub mod pause;
pub mod propose_admin;
pub mod propose_fee_split;
pub mod record_price_reference;
pub mod record_failure;
pub mod register_token;
pub mod resume;
pub mod set_keeper;
pub mod set_permissionless_cycles;
pub mod set_root_token;
pub mod set_token_pool;
pub mod update_parameters;
pub mod update_pending_fees;

#[allow(ambiguous_glob_reexports)]
pub use accept_admin::*;
#[allow(ambiguous_glob_reexports)]
pub use admin_only::*;
#[allow(ambiguous_glob_reexports)]
pub use enable_fee_sharing::*;
#[allow(ambiguous_glob_reexports)]
pub use execute_cycle_amm::*;
#[allow(ambiguous_glob_reexports)]
pub use execute_cycle_bc::*;
#[allow(ambiguous_glob_reexports)]
pub use init_wsol_accounts::*;
#[allow(ambiguous_glob_reexports)]
pub use initialize::*;
#[allow(ambiguous_glob_reexports)]
pub use record_price_reference::*;
#[allow(ambiguous_glob_reexports)]
pub use register_token::*;
#[allow(ambiguous_glob_reexports)]
pub use set_root_token::*;
#[allow(ambiguous_glob_reexports)]
pub use set_token_pool::*;
#[allow(ambiguous_glob_reexports)]
pub use update_parameters::*;
#[allow(ambiguous_glob_reexports)]
pub use update_pending_fees::*;
