// std exists on the host (tests, IDL build) but not for upstream SBF.
#![cfg_attr(target_os = "solana", no_std)]
use anchor_lang::prelude::*;

mod entrypoint;

declare_id!("Da57QBZtk8eMgSe85Ky85px8G5Xxh3iSb2NJx2vn9dC4");

#[program]
pub mod asdf_dat {
    use super::*;

    pub fn initialize(ctx: &mut Context<Initialize>, fee_split_bps: u16) -> Result<()> {
        ctx.accounts.state.admin = *ctx.accounts.admin.address();
        ctx.accounts.state.fee_split_bps = PodU16::from(fee_split_bps);
        ctx.accounts.state.bump = ctx.bumps.state;
        Ok(())
    }
}

#[account]
pub struct DatState {
    pub admin: Address,
    pub fee_split_bps: PodU16,
    pub bump: u8,
}

#[derive(Accounts)]
pub struct Initialize {
    #[account(mut)]
    pub admin: Signer,
    #[account(init, payer = admin, seeds = [b"dat_state"], bump)]
    pub state: Account<DatState>,
    pub system_program: Program<System>,
}
