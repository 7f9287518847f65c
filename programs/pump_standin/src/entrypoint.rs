//! Classic r1-only entrypoint (LiteSVM in solders 0.26 does not pass the instruction-data
//! pointer in r2), a no-op allocator (nothing here allocates), the `no_std` panic handler,
//! and the C memory functions upstream LLVM calls for large copies, served by the runtime's
//! `sol_mem*` syscalls. Off-chain builds (host tests) get `std`'s allocator and panic
//! handler from the macros.

#[cfg(all(target_os = "solana", not(feature = "no-entrypoint")))]
mod sbf {
    use pinocchio::syscalls::{sol_memcmp_, sol_memcpy_, sol_memmove_, sol_memset_};

    /// AMM `buy` takes 23 accounts plus up to 4 trailing ones; anything beyond is skipped.
    const MAX_ACCOUNTS: usize = 32;

    pinocchio::program_entrypoint!(crate::process_instruction, MAX_ACCOUNTS);

    /// # Safety
    /// C `memcpy` contract: valid, non-overlapping regions of `n` bytes.
    #[no_mangle]
    // SAFETY: forwards the caller's C contract (valid, non-overlapping regions of n bytes) to
    // `sol_memcpy_`, which needs nothing more.
    pub unsafe extern "C" fn memcpy(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
        sol_memcpy_(dst, src, n as u64);
        dst
    }

    /// # Safety
    /// C `memmove` contract: valid regions of `n` bytes.
    #[no_mangle]
    // SAFETY: forwards the caller's C contract (valid regions of n bytes) to `sol_memmove_`, which
    // allows overlap.
    pub unsafe extern "C" fn memmove(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
        sol_memmove_(dst, src, n as u64);
        dst
    }

    /// # Safety
    /// C `memset` contract: a valid region of `n` bytes.
    #[no_mangle]
    // SAFETY: forwards the caller's C contract (a writable region of n bytes) to `sol_memset_`.
    pub unsafe extern "C" fn memset(s: *mut u8, c: i32, n: usize) -> *mut u8 {
        sol_memset_(s, c as u8, n as u64);
        s
    }

    /// # Safety
    /// C `memcmp` contract: valid regions of `n` bytes.
    #[no_mangle]
    // SAFETY: forwards the caller's C contract (readable regions of n bytes) to `sol_memcmp_`;
    // `result` is a live local.
    pub unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
        let mut result = 0i32;
        sol_memcmp_(a, b, n as u64, &mut result);
        result
    }

    /// # Safety
    /// C `bcmp` contract: valid regions of `n` bytes.
    #[no_mangle]
    // SAFETY: same contract as `memcmp`, which it calls.
    pub unsafe extern "C" fn bcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
        memcmp(a, b, n)
    }
}

#[cfg(not(feature = "no-entrypoint"))]
pinocchio::no_allocator!();
#[cfg(not(feature = "no-entrypoint"))]
pinocchio::nostd_panic_handler!();
