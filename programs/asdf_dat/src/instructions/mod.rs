//! One module per instruction (accounts struct + handler); the small
//! governance instructions are grouped by concern (`admin_transfer`,
//! `fee_split`, `status`, `parameters`), each handler named `handle_<ix>`.

pub mod admin_only;
pub mod admin_transfer;
pub mod cycle;
pub mod enable_fee_sharing;
pub mod execute_cycle_amm;
pub mod execute_cycle_bc;
pub mod fee_split;
pub mod init_wsol_accounts;
pub mod initialize;
pub mod parameters;
pub mod record_price_reference;
pub mod register_token;
pub mod set_root_token;
pub mod set_token_pool;
pub mod status;
pub mod update_pending_fees;

pub use admin_only::*;
pub use admin_transfer::*;
pub use enable_fee_sharing::*;
pub use execute_cycle_amm::*;
pub use execute_cycle_bc::*;
pub use fee_split::*;
pub use init_wsol_accounts::*;
pub use initialize::*;
pub use parameters::*;
pub use record_price_reference::*;
pub use register_token::*;
pub use set_root_token::*;
pub use set_token_pool::*;
pub use status::*;
pub use update_pending_fees::*;
