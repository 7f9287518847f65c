//! C memory functions that upstream LLVM emits calls to for large or
//! variable-length copies, served by the runtime's `sol_mem*` syscalls.

#[cfg(target_os = "solana")]
mod sbf {
    use anchor_lang::pinocchio::syscalls::{sol_memcmp_, sol_memcpy_, sol_memmove_, sol_memset_};

    /// # Safety
    /// C `memcpy` contract.
    #[no_mangle]
    // SAFETY: forwards the caller's C contract (valid, non-overlapping regions of n bytes) to
    // `sol_memcpy_`, which needs nothing more.
    pub unsafe extern "C" fn memcpy(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
        sol_memcpy_(dst, src, n as u64);
        dst
    }

    /// # Safety
    /// C `memmove` contract.
    #[no_mangle]
    // SAFETY: forwards the caller's C contract (valid regions of n bytes) to `sol_memmove_`, which
    // allows overlap.
    pub unsafe extern "C" fn memmove(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
        sol_memmove_(dst, src, n as u64);
        dst
    }

    /// # Safety
    /// C `memset` contract.
    #[no_mangle]
    // SAFETY: forwards the caller's C contract (a writable region of n bytes) to `sol_memset_`.
    pub unsafe extern "C" fn memset(s: *mut u8, c: i32, n: usize) -> *mut u8 {
        sol_memset_(s, c as u8, n as u64);
        s
    }

    /// # Safety
    /// C `memcmp` contract.
    #[no_mangle]
    // SAFETY: forwards the caller's C contract (readable regions of n bytes) to `sol_memcmp_`;
    // `result` is a live local.
    pub unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
        let mut result = 0i32;
        sol_memcmp_(a, b, n as u64, &mut result);
        result
    }

    /// # Safety
    /// C `bcmp` contract.
    #[no_mangle]
    // SAFETY: same contract as `memcmp`, which it calls.
    pub unsafe extern "C" fn bcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
        memcmp(a, b, n)
    }
}
