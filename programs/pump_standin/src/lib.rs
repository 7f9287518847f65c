//! Test-only stand-in for pump.fun's bonding-curve program and the PumpSwap AMM.
//!
//! One binary, loaded in LiteSVM (and the embedded localnet) at the real program ids of
//! pump, PumpSwap and the pump fee program: the entrypoint dispatches on the id it was
//! invoked as, because pump and PumpSwap share the `buy`/`sell` discriminators. Interfaces follow `../shared/reference/pump.md` and
//! the official IDLs byte for byte: discriminators, argument layouts, ordered accounts,
//! PDA seeds, account layouts, error codes and the `emit_cpi!` events.
//!
//! This program is never deployed to a public network (see `docs/PUMP_STANDIN.md`).
#![no_std]

pub mod amm;
pub mod bonding_curve;
pub mod cpi;
pub mod entrypoint;
pub mod errors;
pub mod events;
pub mod fees;
pub mod math;
pub mod metaplex;
pub mod state;

use pinocchio::{error::ProgramError, AccountView, Address, ProgramResult};

/// pump.fun bonding-curve program.
pub const PUMP_ID: Address = Address::from_str_const("6EF8rrecthR5Dkzon8Nwu78hRvfCKubJ14M5uBEwF6P");
/// PumpSwap AMM.
pub const AMM_ID: Address = Address::from_str_const("pAMMBay6oceH9fJKBRHGP5D4bD4sWpmSwMn52FMfXEA");
/// pump fee program (fee configs, fee sharing).
pub const FEE_PROGRAM_ID: Address =
    Address::from_str_const("pfeeUxB6jkeY1Hxd7CsFCAjcbHA9rWtchMGdZ6VojVZ");
pub const SYSTEM_PROGRAM_ID: Address = Address::new_from_array([0; 32]);
pub const TOKEN_PROGRAM_ID: Address =
    Address::from_str_const("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");
pub const TOKEN_2022_PROGRAM_ID: Address =
    Address::from_str_const("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb");
pub const ASSOCIATED_TOKEN_PROGRAM_ID: Address =
    Address::from_str_const("ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL");

/// Wrapped SOL, the quote mint of SOL-paired pools.
pub const WSOL_MINT: Address =
    Address::from_str_const("So11111111111111111111111111111111111111112");

/// Rent-exempt minimum of a 0-byte account (`(0 + 128) * 6960`), what pump tops the
/// creator vault up to.
pub const RENT_EXEMPT_ZERO: u64 = 890_880;

/// Entry for every id. Unknown ids fail with `IncorrectProgramId`. Inlined into the
/// entrypoint: with its result pointer it has six arguments, one more than SBF passes in
/// registers.
#[inline(always)]
pub fn process_instruction(
    program_id: &Address,
    accounts: &mut [AccountView],
    data: &[u8],
) -> ProgramResult {
    if *program_id == PUMP_ID {
        bonding_curve::dispatch(accounts, data)
    } else if *program_id == AMM_ID {
        amm::dispatch(accounts, data)
    } else if *program_id == FEE_PROGRAM_ID {
        fees::dispatch(accounts, data)
    } else if *program_id == metaplex::METAPLEX_ID {
        metaplex::dispatch(accounts, data)
    } else {
        Err(ProgramError::IncorrectProgramId)
    }
}

/// SPL Token or Token-2022.
#[inline(always)]
pub fn is_token_program(id: &Address) -> bool {
    *id == TOKEN_PROGRAM_ID || *id == TOKEN_2022_PROGRAM_ID
}
