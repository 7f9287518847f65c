//! `init_wsol_accounts` (admin): creates the authority's WSOL ATA (AMM buys,
//! destination of PumpSwap creator fees) and the PumpSwap creator-vault WSOL
//! ATA, both idempotently. Needed once before the first AMM cycle.

use anchor_lang::prelude::*;

use crate::constants::*;
use crate::errors::DatError;
use crate::state::DatState;
use crate::token::{create_ata_idempotent, CreateAta};

#[derive(Accounts)]
pub struct InitWsolAccounts {
    #[account(mut)]
    pub admin: Signer,
    #[account(constraint = state.admin == *admin.address() @ DatError::Unauthorized)]
    pub state: Account<DatState>,
    #[account(address = state.authority @ DatError::InvalidExternalAccount)]
    pub authority: UncheckedAccount,
    #[account(mut, address = state.authority_wsol_ata @ DatError::InvalidTokenAccount)]
    pub authority_wsol_ata: UncheckedAccount,
    #[account(address = state.amm_vault_authority @ DatError::InvalidExternalAccount)]
    pub amm_vault_authority: UncheckedAccount,
    #[account(mut, address = state.amm_vault_ata @ DatError::InvalidTokenAccount)]
    pub amm_vault_ata: UncheckedAccount,
    #[account(address = WSOL_MINT @ DatError::MintMismatch)]
    pub wsol_mint: UncheckedAccount,
    #[account(address = SPL_TOKEN_PROGRAM_ID @ DatError::InvalidTokenProgram)]
    pub token_program: UncheckedAccount,
    pub system_program: Program<System>,
    #[account(address = ASSOCIATED_TOKEN_PROGRAM_ID @ DatError::InvalidExternalAccount)]
    pub associated_token_program: UncheckedAccount,
}

pub fn handle_init_wsol_accounts(ctx: &mut Context<InitWsolAccounts>) -> Result<()> {
    let a = &ctx.accounts;
    let mut c = CreateAta {
        ata_program: a.associated_token_program.account(),
        payer: a.admin.account(),
        ata: a.authority_wsol_ata.account(),
        owner: a.authority.account(),
        mint: a.wsol_mint.account(),
        system_program: a.system_program.account(),
        token_program: a.token_program.account(),
    };
    create_ata_idempotent(&c)?;
    c.ata = a.amm_vault_ata.account();
    c.owner = a.amm_vault_authority.account();
    create_ata_idempotent(&c)
}
