//! CPIs into pump (bonding curve) and PumpSwap (AMM): account lists and
//! instruction data exactly as `reference/pump.md` §3.2, §3.5, §4.2, §4.4.
//! Every CPI is signed by the DAT authority PDA (`["dat_authority", bump]`).

use anchor_lang::prelude::*;
use core::mem::MaybeUninit;

use pinocchio::cpi::{invoke_signed_unchecked, CpiAccount, Seed, Signer as CpiSigner};
use pinocchio::instruction::{InstructionAccount, InstructionView};

use crate::constants::*;

/// Writable / signer flags of a CPI account meta.
pub const RO: u8 = 0;
pub const W: u8 = 1;
pub const S: u8 = 2;
pub const WS: u8 = W | S;

/// Largest CPI we build (AMM buy: 23 + 3 trailing).
pub const MAX_CPI_ACCOUNTS: usize = 28;
/// Trailing accounts forwarded verbatim (pump: bonding_curve_v2 + buyback
/// recipient; PumpSwap: pool_v2 + buyback recipient + its quote ATA).
pub const MAX_TRAILING: usize = 3;

// ---------------------------------------------------------------- discriminators
pub const PUMP_BUY_EXACT_SOL_IN_DISC: [u8; 8] = [56, 252, 116, 8, 158, 223, 205, 95];
pub const PUMP_COLLECT_CREATOR_FEE_DISC: [u8; 8] = [20, 22, 86, 123, 198, 28, 219, 132];
pub const AMM_BUY_DISC: [u8; 8] = [102, 6, 61, 18, 1, 218, 235, 234];
pub const AMM_BUY_EXACT_QUOTE_IN_DISC: [u8; 8] = [198, 46, 21, 82, 180, 217, 232, 112];
pub const AMM_COLLECT_COIN_CREATOR_FEE_DISC: [u8; 8] = [160, 57, 89, 42, 181, 139, 43, 66];

// ---------------------------------------------------------------- account flags
/// pump `buy` / `buy_exact_sol_in`: global, fee_recipient, mint, bonding_curve,
/// associated_bonding_curve, associated_user, user, system_program, token_program,
/// creator_vault, event_authority, program, global_volume_accumulator,
/// user_volume_accumulator, fee_config, fee_program.
pub const PUMP_BUY_FLAGS: [u8; 16] = [RO, W, RO, W, W, W, WS, RO, RO, W, RO, RO, RO, W, RO, RO];
/// pump `collect_creator_fee`: creator, creator_vault, system_program,
/// event_authority, program.
pub const PUMP_COLLECT_FLAGS: [u8; 5] = [WS, W, RO, RO, RO];
/// PumpSwap `buy` / `buy_exact_quote_in`: pool, user, global_config, base_mint,
/// quote_mint, user_base, user_quote, pool_base, pool_quote, protocol_fee_recipient,
/// protocol_fee_recipient_token_account, base_token_program, quote_token_program,
/// system_program, associated_token_program, event_authority, program,
/// coin_creator_vault_ata, coin_creator_vault_authority, global_volume_accumulator,
/// user_volume_accumulator, fee_config, fee_program.
pub const AMM_BUY_FLAGS: [u8; 23] = [
    W, WS, RO, RO, RO, W, W, W, W, RO, W, RO, RO, RO, RO, RO, RO, W, RO, RO, W, RO, RO,
];
/// PumpSwap `collect_coin_creator_fee`: quote_mint, quote_token_program,
/// coin_creator, coin_creator_vault_authority, coin_creator_vault_ata,
/// coin_creator_token_account, event_authority, program.
pub const AMM_COLLECT_FLAGS: [u8; 8] = [RO, RO, S, RO, W, W, RO, RO];

// ---------------------------------------------------------------- data
/// `disc ‖ a ‖ b ‖ track_volume=false` (25 bytes): pump buy / buy_exact_sol_in,
/// PumpSwap buy / buy_exact_quote_in.
#[inline(always)]
pub fn two_u64_data(disc: &[u8; 8], a: u64, b: u64) -> [u8; 25] {
    let mut data = [0u8; 25];
    data[..8].copy_from_slice(disc);
    data[8..16].copy_from_slice(&a.to_le_bytes());
    data[16..24].copy_from_slice(&b.to_le_bytes());
    data
}

/// pump `buy_exact_sol_in(spendable_sol_in, min_tokens_out)`.
#[inline(always)]
pub fn pump_buy_exact_sol_in_data(spendable_sol_in: u64, min_tokens_out: u64) -> [u8; 25] {
    two_u64_data(
        &PUMP_BUY_EXACT_SOL_IN_DISC,
        spendable_sol_in,
        min_tokens_out,
    )
}

/// PumpSwap `buy(base_amount_out, max_quote_amount_in)`.
#[inline(always)]
pub fn amm_buy_data(base_amount_out: u64, max_quote_amount_in: u64) -> [u8; 25] {
    two_u64_data(&AMM_BUY_DISC, base_amount_out, max_quote_amount_in)
}

/// PumpSwap `buy_exact_quote_in(spendable_quote_in, min_base_amount_out)`.
#[inline(always)]
pub fn amm_buy_exact_quote_in_data(spendable_quote_in: u64, min_base_out: u64) -> [u8; 25] {
    two_u64_data(
        &AMM_BUY_EXACT_QUOTE_IN_DISC,
        spendable_quote_in,
        min_base_out,
    )
}

// ---------------------------------------------------------------- invoke
/// One CPI: the first `flags.len()` accounts use `flags`; any further accounts
/// (trailing) are forwarded with the writability they have in this instruction.
pub struct RawCpi<'a> {
    pub program_id: &'a Address,
    pub data: &'a [u8],
    pub accounts: &'a [AccountView],
    pub flags: &'a [u8],
}

/// Invokes `cpi` signed by `seeds` (one PDA).
#[inline(never)]
pub fn invoke_signed_raw(cpi: &RawCpi, seeds: &[Seed]) -> Result<()> {
    let n = cpi.accounts.len();
    if n > MAX_CPI_ACCOUNTS || cpi.flags.len() > n {
        return Err(ProgramError::InvalidArgument);
    }
    // Metas and account infos built in one pass from the same views (uninitialized storage: only
    // the first `n` are written and read). The checked `invoke_signed_with_bounds` would compare
    // every meta's address with its view's and check each view's borrow state again: ~40 CU per
    // account, ~700 on a buy.
    let mut metas = [const { MaybeUninit::<InstructionAccount>::uninit() }; MAX_CPI_ACCOUNTS];
    let mut infos = [const { MaybeUninit::<CpiAccount>::uninit() }; MAX_CPI_ACCOUNTS];
    let mut i = 0;
    while i < n {
        let view = &cpi.accounts[i];
        let (writable, signer) = if i < cpi.flags.len() {
            (cpi.flags[i] & W != 0, cpi.flags[i] & S != 0)
        } else {
            (view.is_writable(), false)
        };
        metas[i].write(InstructionAccount::new(view.address(), writable, signer));
        CpiAccount::init_from_account_view(view, &mut infos[i]);
        i += 1;
    }
    // SAFETY: the first `n` entries of both arrays were initialized by the loop above, and
    // `MaybeUninit<T>` has `T`'s layout.
    let (metas, infos) = unsafe {
        (
            core::slice::from_raw_parts(metas.as_ptr() as *const InstructionAccount, n),
            core::slice::from_raw_parts(infos.as_ptr() as *const CpiAccount, n),
        )
    };
    let ix = InstructionView {
        program_id: cpi.program_id,
        data: cpi.data,
        accounts: metas,
    };
    let signer = CpiSigner::from(seeds);
    let signers: &[CpiSigner] = if seeds.is_empty() {
        &[]
    } else {
        core::slice::from_ref(&signer)
    };
    // SAFETY: each meta and its account info come from the same view, so the checked path's
    // address comparison holds by construction. No account of a CPI is borrowed by this program
    // during the call: the accounts Anchor holds (`DatState`, `TokenStats`) are never passed to
    // pump, PumpSwap, the fee program, System or a token program (every caller's list is in this
    // crate), and foreign data is read through `with_head` / `token_amount`, whose borrows end
    // before the call. A failed callee aborts the transaction, so there is no result to read.
    unsafe { invoke_signed_unchecked(&ix, infos, signers) };
    Ok(())
}

/// Seeds of the DAT authority.
#[inline(always)]
pub fn authority_seeds(bump: &[u8; 1]) -> [Seed<'_>; 2] {
    [Seed::from(AUTHORITY_SEED), Seed::from(&bump[..])]
}

/// Copies `fixed` then up to `MAX_TRAILING` of `trailing` into `out`; returns the count.
#[inline(always)]
pub fn gather<const N: usize>(
    fixed: &[AccountView; N],
    trailing: &[AccountView],
    out: &mut [AccountView; MAX_CPI_ACCOUNTS],
) -> Result<usize> {
    if trailing.len() > MAX_TRAILING || N + trailing.len() > MAX_CPI_ACCOUNTS {
        return Err(ProgramError::InvalidArgument);
    }
    out[..N].copy_from_slice(fixed);
    out[N..N + trailing.len()].copy_from_slice(trailing);
    Ok(N + trailing.len())
}

/// A venue's buy, signed by the authority PDA: its `fixed` accounts (in the
/// venue's order, with their `flags`) followed by the caller's trailing ones.
/// One body for the curve's and the pool's buy (`cycle::Venue::buy`).
#[inline(always)]
pub fn invoke_buy_as_authority<const N: usize>(
    program_id: &Address,
    data: &[u8],
    fixed: &[AccountView; N],
    flags: &[u8; N],
    trailing: &[AccountView],
    authority_bump: u8,
) -> Result<()> {
    let mut all = [fixed[0]; MAX_CPI_ACCOUNTS];
    let n = gather(fixed, trailing, &mut all)?;
    let bump = [authority_bump];
    invoke_signed_raw(
        &RawCpi {
            program_id,
            data,
            accounts: &all[..n],
            flags,
        },
        &authority_seeds(&bump),
    )
}
