//! Account layouts. Both accounts are zero-copy (`#[account]` + Pod fields)
//! and end with reserved bytes so later fields need no byte-offset migration.

mod dat_state;
mod token_stats;

pub use dat_state::*;
pub use token_stats::*;

use anchor_lang::prelude::*;
use pinocchio::cpi::{Seed, Signer as CpiSigner};

/// A program-owned PDA to create (payer signs; the PDA signs with `seeds`).
pub struct CreatePda<'a> {
    pub payer: &'a AccountView,
    pub target: &'a AccountView,
    pub seeds: &'a [Seed<'a>],
    pub space: usize,
    pub discriminator: &'a [u8],
}

/// Creates (or, if someone pre-funded the address, tops up + allocates +
/// assigns) a PDA owned by this program and writes its discriminator.
/// Used instead of the `init` constraint, whose helper takes six register
/// arguments and does not link with upstream LLVM's BPF backend.
#[inline(never)]
pub fn create_pda(c: &CreatePda) -> Result<()> {
    let required = anchor_lang::cpi::rent_exempt_lamports(c.space)?;
    let current = c.target.lamports();
    let signer = [CpiSigner::from(c.seeds)];
    if current == 0 {
        pinocchio_system::instructions::CreateAccount {
            from: c.payer,
            to: c.target,
            lamports: required,
            space: c.space as u64,
            owner: &crate::ID,
        }
        .invoke_signed(&signer)?;
    } else {
        if !c.target.owned_by(&crate::constants::SYSTEM_PROGRAM_ID) || c.target.data_len() != 0 {
            return Err(ProgramError::AccountAlreadyInitialized);
        }
        if required > current {
            pinocchio_system::instructions::Transfer {
                from: c.payer,
                to: c.target,
                lamports: required - current,
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
            owner: &crate::ID,
        }
        .invoke_signed(&signer)?;
    }
    let mut view = *c.target;
    let data = unsafe { view.borrow_unchecked_mut() };
    data[..c.discriminator.len()].copy_from_slice(c.discriminator);
    Ok(())
}
