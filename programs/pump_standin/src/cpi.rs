//! Cross-program calls (SPL Token / Token-2022 `transfer_checked`, ATA creation), PDA
//! checks by sha256 (no `create_program_address` syscall) and the clock.

use core::mem::MaybeUninit;

use pinocchio::{
    cpi::{invoke_signed_unchecked, CpiAccount, Signer},
    error::ProgramError,
    instruction::{InstructionAccount, InstructionView},
    sysvars::{clock::CLOCK_ID, get_sysvar},
    AccountView, Address, ProgramResult,
};

use crate::ASSOCIATED_TOKEN_PROGRAM_ID;

/// The canonical bump of `expected` for `seeds` under `program_id`, or `None` when
/// `expected` is not the canonical PDA (as Anchor's `seeds` + `bump` constraint, which
/// re-derives with `find_program_address`). Walks bumps from 255 down: a derived address
/// equal to `expected` is canonical only if every higher bump gave an on-curve point; the
/// first off-curve address that is not `expected` is the canonical PDA, so `expected`
/// (at a lower bump, or under other seeds) is refused. One `sol_sha256` per bump, plus one
/// `sol_curve_validate_point` per bump that does not match.
#[inline(never)]
pub fn find_bump<const N: usize>(
    seeds: &[&[u8]; N],
    program_id: &Address,
    expected: &Address,
) -> Option<u8> {
    let mut bump = 255u8;
    loop {
        let derived = Address::derive_address(seeds, Some(bump), program_id);
        if derived == *expected {
            return Some(bump);
        }
        if !is_on_curve(derived.as_array()) {
            return None;
        }
        if bump == 0 {
            return None;
        }
        bump -= 1;
    }
}

/// `true` when `expected` is the canonical PDA of `seeds` under `program_id`.
#[inline(always)]
pub fn is_canonical_pda<const N: usize>(
    seeds: &[&[u8]; N],
    program_id: &Address,
    expected: &Address,
) -> bool {
    find_bump(seeds, program_id, expected).is_some()
}

/// Is `expected` the associated token account of `wallet` for `mint` under
/// `token_program` (`[wallet, token_program, mint]` under the ATA program, canonical bump)?
#[inline(always)]
pub fn is_associated_token_address(
    expected: &Address,
    wallet: &Address,
    token_program: &Address,
    mint: &Address,
) -> bool {
    is_canonical_pda(
        &[wallet.as_ref(), token_program.as_ref(), mint.as_ref()],
        &ASSOCIATED_TOKEN_PROGRAM_ID,
        expected,
    )
}

/// Is `point` a valid ed25519 point? PDAs are exactly the hashes that are not.
#[cfg(target_os = "solana")]
#[inline(always)]
fn is_on_curve(point: &[u8; 32]) -> bool {
    // Curve id 0 is ed25519 (`CURVE25519_EDWARDS`); the syscall returns 0 for a valid point.
    // SAFETY: `point` is 32 readable bytes; the result pointer is unused for validation.
    unsafe {
        pinocchio::syscalls::sol_curve_validate_point(0, point.as_ptr(), core::ptr::null_mut()) == 0
    }
}

/// Host builds (unit tests of the math) never validate PDAs; treat every hash as off-curve.
#[cfg(not(target_os = "solana"))]
#[inline(always)]
fn is_on_curve(_point: &[u8; 32]) -> bool {
    false
}

/// Unix timestamp of the Clock sysvar.
#[inline(always)]
pub fn unix_timestamp() -> Result<i64, ProgramError> {
    let mut bytes = [0u8; 8];
    // Clock: slot, epoch_start_timestamp, epoch, leader_schedule_epoch, unix_timestamp.
    get_sysvar(&mut bytes, &CLOCK_ID, 32)?;
    Ok(i64::from_le_bytes(bytes))
}

/// SPL Token / Token-2022 `TransferChecked` (instruction 12), used for both programs.
pub struct TransferChecked<'a> {
    pub token_program: &'a AccountView,
    pub from: &'a AccountView,
    pub mint: &'a AccountView,
    pub to: &'a AccountView,
    pub authority: &'a AccountView,
    pub amount: u64,
    pub decimals: u8,
}

impl TransferChecked<'_> {
    #[inline(never)]
    pub fn invoke_signed(&self, signers: &[Signer]) -> ProgramResult {
        let metas = [
            InstructionAccount::writable(self.from.address()),
            InstructionAccount::readonly(self.mint.address()),
            InstructionAccount::writable(self.to.address()),
            InstructionAccount::readonly_signer(self.authority.address()),
        ];
        let mut data = [0u8; 10];
        data[0] = 12;
        data[1..9].copy_from_slice(&self.amount.to_le_bytes());
        data[9] = self.decimals;
        let instruction = InstructionView {
            program_id: self.token_program.address(),
            accounts: &metas,
            data: &data,
        };
        let views = [self.from, self.mint, self.to, self.authority];
        cpi(&instruction, &views, signers)
    }
}

/// Associated Token Account program `CreateIdempotent` (instruction 1).
pub struct CreateAssociatedTokenAccount<'a> {
    pub payer: &'a AccountView,
    pub account: &'a AccountView,
    pub wallet: &'a AccountView,
    pub mint: &'a AccountView,
    pub system_program: &'a AccountView,
    pub token_program: &'a AccountView,
}

impl CreateAssociatedTokenAccount<'_> {
    #[inline(always)]
    pub fn invoke(&self) -> ProgramResult {
        self.invoke_signed(&[])
    }

    /// With `signers` for a PDA payer.
    #[inline(never)]
    pub fn invoke_signed(&self, signers: &[Signer]) -> ProgramResult {
        let metas = [
            InstructionAccount::writable_signer(self.payer.address()),
            InstructionAccount::writable(self.account.address()),
            InstructionAccount::readonly(self.wallet.address()),
            InstructionAccount::readonly(self.mint.address()),
            InstructionAccount::readonly(self.system_program.address()),
            InstructionAccount::readonly(self.token_program.address()),
        ];
        let instruction = InstructionView {
            program_id: &ASSOCIATED_TOKEN_PROGRAM_ID,
            accounts: &metas,
            data: &[1],
        };
        let views = [
            self.payer,
            self.account,
            self.wallet,
            self.mint,
            self.system_program,
            self.token_program,
        ];
        cpi(&instruction, &views, signers)
    }
}

/// SPL Token / Token-2022 `CloseAccount` (instruction 9): all lamports to `destination`.
pub struct CloseAccount<'a> {
    pub token_program: &'a AccountView,
    pub account: &'a AccountView,
    pub destination: &'a AccountView,
    pub owner: &'a AccountView,
}

impl CloseAccount<'_> {
    #[inline(never)]
    pub fn invoke_signed(&self, signers: &[Signer]) -> ProgramResult {
        let metas = [
            InstructionAccount::writable(self.account.address()),
            InstructionAccount::writable(self.destination.address()),
            InstructionAccount::readonly_signer(self.owner.address()),
        ];
        let instruction = InstructionView {
            program_id: self.token_program.address(),
            accounts: &metas,
            data: &[9],
        };
        cpi(
            &instruction,
            &[self.account, self.destination, self.owner],
            signers,
        )
    }
}

/// Invokes with the accounts' current state. Callers hold no data borrows across CPIs.
#[inline(always)]
pub(crate) fn cpi<const N: usize>(
    instruction: &InstructionView,
    views: &[&AccountView; N],
    signers: &[Signer],
) -> ProgramResult {
    let mut accounts = [const { MaybeUninit::<CpiAccount>::uninit() }; N];
    let mut i = 0;
    while i < N {
        CpiAccount::init_from_account_view(views[i], &mut accounts[i]);
        i += 1;
    }
    // SAFETY: every element was initialized above; no account data is borrowed here.
    unsafe {
        let accounts = core::slice::from_raw_parts(accounts.as_ptr() as *const CpiAccount, N);
        invoke_signed_unchecked(instruction, accounts, signers);
    }
    Ok(())
}

/// Creates `account` (a PDA signed by `signer`) with `space` bytes owned by `owner`, rent
/// paid by `payer`. An address that already holds lamports (pre-funded by anyone) is
/// topped up, allocated and assigned instead, so a donation cannot block the creation.
/// Inlined: six arguments with the result pointer, one more than SBF registers hold.
#[inline(always)]
pub fn create_pda_account(
    payer: &AccountView,
    account: &AccountView,
    space: usize,
    owner: &Address,
    signer: &[Signer],
) -> ProgramResult {
    let needed = crate::state::rent_exempt(space);
    let held = account.lamports();
    if held == 0 {
        return pinocchio_system::instructions::CreateAccount {
            from: payer,
            to: account,
            lamports: needed,
            space: space as u64,
            owner,
        }
        .invoke_signed(signer);
    }
    if held < needed {
        pinocchio_system::instructions::Transfer {
            from: payer,
            to: account,
            lamports: needed - held,
        }
        .invoke()?;
    }
    pinocchio_system::instructions::Allocate {
        account,
        space: space as u64,
    }
    .invoke_signed(signer)?;
    pinocchio_system::instructions::Assign { account, owner }.invoke_signed(signer)
}

/// Most accounts a forwarded instruction carries (fee program CPIs: 12 + 10 shareholders).
pub const MAX_CPI_ACCOUNTS: usize = 24;

/// An instruction to another program made of accounts this program received, each
/// forwarded with its own signer / writable flags (no PDA signs).
pub struct Forward<'a> {
    pub program_id: &'a Address,
    pub accounts: &'a [&'a AccountView],
    pub data: &'a [u8],
}

/// Invokes `f.program_id` with `f.accounts` and `f.data`.
#[inline(never)]
pub fn invoke_forward(f: &Forward) -> ProgramResult {
    let (program_id, accounts, data) = (f.program_id, f.accounts, f.data);
    let n = accounts.len();
    if n > MAX_CPI_ACCOUNTS {
        return Err(ProgramError::InvalidArgument);
    }
    let mut metas = [const { MaybeUninit::<InstructionAccount>::uninit() }; MAX_CPI_ACCOUNTS];
    let mut infos = [const { MaybeUninit::<CpiAccount>::uninit() }; MAX_CPI_ACCOUNTS];
    let mut i = 0;
    while i < n {
        let view = accounts[i];
        metas[i].write(InstructionAccount::new(
            view.address(),
            view.is_writable(),
            view.is_signer(),
        ));
        CpiAccount::init_from_account_view(view, &mut infos[i]);
        i += 1;
    }
    // SAFETY: the first `n` elements of both arrays were initialized above; no account
    // data is borrowed across the call.
    unsafe {
        let metas = core::slice::from_raw_parts(metas.as_ptr() as *const InstructionAccount, n);
        let infos = core::slice::from_raw_parts(infos.as_ptr() as *const CpiAccount, n);
        let instruction = InstructionView {
            program_id,
            accounts: metas,
            data,
        };
        invoke_signed_unchecked(&instruction, infos, &[]);
    }
    Ok(())
}
