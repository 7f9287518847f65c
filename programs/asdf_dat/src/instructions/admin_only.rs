//! Accounts shared by the admin-only governance instructions.

use anchor_lang::prelude::*;

use crate::errors::DatError;
use crate::state::DatState;

#[derive(Accounts)]
pub struct AdminOnly {
    pub admin: Signer,
    #[account(mut, constraint = state.admin == *admin.address() @ DatError::Unauthorized)]
    pub state: Account<DatState>,
}

/// Keeper or admin.
#[derive(Accounts)]
pub struct OperatorOnly {
    pub operator: Signer,
    #[account(mut, constraint = state.is_operator(operator.address()) @ DatError::Unauthorized)]
    pub state: Account<DatState>,
}
