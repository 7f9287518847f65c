//! Account layouts. Both accounts are zero-copy (`#[account]` + Pod fields)
//! and end with reserved bytes so later fields need no byte-offset migration.

mod dat_state;
mod token_stats;

pub use dat_state::*;
pub use token_stats::*;

use anchor_lang::prelude::*;
use pinocchio::cpi::{Seed, Signer as CpiSigner};

/// A PDA to create (payer signs; the PDA signs with `seeds`).
pub struct CreatePda<'a> {
    pub payer: &'a AccountView,
    pub target: &'a AccountView,
    pub seeds: &'a [Seed<'a>],
    pub space: usize,
    /// Program that will own the account (this program, or SPL Token for a scratch account).
    pub owner: &'a Address,
    /// Written at the start of the data (empty: nothing written).
    pub discriminator: &'a [u8],
}

/// The one way this program creates an account at a PDA. Anyone can send
/// lamports to a PDA address before we create it, and a plain `CreateAccount`
/// then fails for ever ("already in use"); so a pre-funded address is topped up
/// to rent exemption (shortfall only), allocated and assigned instead.
/// Returns the lamports the payer paid (what a refund must give back: a
/// donation is never handed to the payer).
/// Used instead of the `init` constraint, whose helper takes six register
/// arguments and does not link with upstream LLVM's BPF backend.
#[inline(never)]
pub fn create_pda(c: &CreatePda) -> Result<u64> {
    let required = anchor_lang::cpi::rent_exempt_lamports(c.space)?;
    let current = c.target.lamports();
    let signer = [CpiSigner::from(c.seeds)];
    let paid;
    if current == 0 {
        pinocchio_system::instructions::CreateAccount {
            from: c.payer,
            to: c.target,
            lamports: required,
            space: c.space as u64,
            owner: c.owner,
        }
        .invoke_signed(&signer)?;
        paid = required;
    } else {
        if !c.target.owned_by(&crate::constants::SYSTEM_PROGRAM_ID) || c.target.data_len() != 0 {
            return Err(ProgramError::AccountAlreadyInitialized);
        }
        paid = required.saturating_sub(current);
        if paid > 0 {
            pinocchio_system::instructions::Transfer {
                from: c.payer,
                to: c.target,
                lamports: paid,
            }
            .invoke()?;
        }
        pinocchio_system::instructions::Allocate {
            account: c.target,
            space: c.space as u64,
        }
        .invoke_signed(&signer)?;
        pinocchio_system::instructions::Assign {
            account: c.target,
            owner: c.owner,
        }
        .invoke_signed(&signer)?;
    }
    if !c.discriminator.is_empty() {
        let mut view = *c.target;
        // SAFETY: the account was just created/assigned to us; no other borrow of its data is alive.
        let data = unsafe { view.borrow_unchecked_mut() };
        data[..c.discriminator.len()].copy_from_slice(c.discriminator);
    }
    Ok(paid)
}
