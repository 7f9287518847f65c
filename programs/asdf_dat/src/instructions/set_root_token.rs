//! `set_root_token` (admin): makes a registered token the root. The new
//! treasury PDA `["root_treasury", mint]` is topped up to its rent floor by the
//! admin. When a root already exists, pass `[old_root_stats, old_treasury]` as
//! remaining accounts: the old root's treasury balance owed to the root moves to
//! the new treasury and the old root's flag is cleared.

use anchor_lang::prelude::*;
use pinocchio::cpi::{Seed, Signer as CpiSigner};

use crate::constants::*;
use crate::errors::DatError;
use crate::events::RootTokenSet;
use crate::state::{DatState, TokenStats};

#[derive(Accounts)]
pub struct SetRootToken {
    #[account(mut)]
    pub admin: Signer,
    #[account(mut, constraint = state.admin == *admin.address() @ DatError::Unauthorized)]
    pub state: Account<DatState>,
    #[account(mut)]
    pub new_root_stats: Account<TokenStats>,
    #[account(mut, seeds = [ROOT_TREASURY_SEED, new_root_stats.mint.as_ref()], bump)]
    pub new_treasury: UncheckedAccount,
    pub system_program: Program<System>,
}

pub fn handle_set_root_token(ctx: &mut Context<SetRootToken>) -> Result<()> {
    let remaining = ctx.remaining_accounts()?;
    let new_bump = ctx.bumps.new_treasury;
    let a = &mut ctx.accounts;
    let new_root = a.new_root_stats.mint;
    let old_root = a.state.root_mint;
    require!(new_root != old_root, DatError::InvalidRootToken);
    require!(
        a.new_treasury.account().owned_by(&SYSTEM_PROGRAM_ID)
            || a.new_treasury.account().lamports() == 0,
        DatError::InvalidRootTreasury
    );

    let rent_top_up = RENT_EXEMPT_ZERO_DATA.saturating_sub(a.new_treasury.account().lamports());
    if rent_top_up > 0 {
        pinocchio_system::instructions::Transfer {
            from: a.admin.account(),
            to: a.new_treasury.account(),
            lamports: rent_top_up,
        }
        .invoke()?;
    }

    let mut moved = 0u64;
    if a.state.has_root() {
        require!(remaining.len() >= 2, DatError::InvalidRootTreasury);
        let old_treasury = remaining[1];
        require!(
            *old_treasury.address() == a.state.root_treasury,
            DatError::InvalidRootTreasury
        );
        // SAFETY: remaining[0] is not aliased by any declared account (checked below).
        let mut old_stats =
            unsafe { <Account<TokenStats> as AnchorAccount>::load_mut(remaining[0])? };
        require!(old_stats.mint == old_root, DatError::InvalidRootToken);
        old_stats.is_root = PodBool::from(false);
        drop(old_stats);

        // The old treasury's real balance above rent (donations included) moves.
        moved = crate::treasury::treasury_lamports(&old_treasury);
        if moved > 0 {
            let bump = [a.state.root_treasury_bump];
            let seeds = [
                Seed::from(ROOT_TREASURY_SEED),
                Seed::from(old_root.as_ref()),
                Seed::from(&bump[..]),
            ];
            pinocchio_system::instructions::Transfer {
                from: &old_treasury,
                to: a.new_treasury.account(),
                lamports: moved,
            }
            .invoke_signed(&[CpiSigner::from(&seeds[..])])?;
        }
    }

    a.new_root_stats.is_root = PodBool::from(true);
    let s = &mut a.state;
    s.root_mint = new_root;
    s.root_treasury = *a.new_treasury.address();
    s.root_treasury_bump = new_bump;

    emit!(RootTokenSet {
        old_root,
        new_root,
        new_treasury: *a.new_treasury.address(),
        treasury_lamports_moved: moved,
        treasury_rent_funded: rent_top_up,
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
