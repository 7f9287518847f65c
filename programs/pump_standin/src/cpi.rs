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

/// Finds the bump for which `expected` is the address derived from `seeds ‖ [bump]` under
/// `program_id`, trying 255 downwards (the canonical bump first). `None` if no bump
/// matches. Costs one `sol_sha256` per bump tried (about two on average for a real PDA).
#[inline(never)]
pub fn find_bump<const N: usize>(
    seeds: &[&[u8]; N],
    program_id: &Address,
    expected: &Address,
) -> Option<u8> {
    let mut bump = 255u8;
    loop {
        if Address::derive_address(seeds, Some(bump), program_id) == *expected {
            return Some(bump);
        }
        if bump == 0 {
            return None;
        }
        bump -= 1;
    }
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
    #[inline(never)]
    pub fn invoke(&self) -> ProgramResult {
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
        cpi(&instruction, &views, &[])
    }
}

/// Invokes with the accounts' current state. Callers hold no data borrows across CPIs.
#[inline(always)]
fn cpi<const N: usize>(
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
