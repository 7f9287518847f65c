//! Program entrypoint for every SVM runtime.
//!
//! Anchor v2's generated entrypoint reads the instruction-data pointer from
//! register r2 (SIMD-0321). Runtimes without that feature (LiteSVM in solders
//! 0.26, older validators) pass only r1, so we find the instruction data by
//! walking the serialized accounts ourselves and hand both pointers to Anchor's
//! dispatcher. The walk costs a few CU per account.

// Only the SBF build has an entrypoint; the host build (unit tests, clippy) has none.
#[cfg(all(target_os = "solana", feature = "entrypoint"))]
mod sbf {
    /// Bytes a program may grow an account by within one instruction; the loader
    /// reserves this much after each account's data.
    const MAX_PERMITTED_DATA_INCREASE: usize = 10 * 1024;
    /// Header of a non-duplicate account: dup marker, signer, writable, executable,
    /// 4 bytes padding, key, owner, lamports, data length.
    const ACCOUNT_HEADER_LEN: usize = 8 + 32 + 32 + 8 + 8;
    const NON_DUP_MARKER: u8 = u8::MAX;

    /// Returns a pointer to the first instruction-data byte of the serialized
    /// input (its u64 length sits in the 8 bytes before it, as Anchor expects).
    ///
    /// # Safety
    /// `input` must point at the loader's aligned serialization of the
    /// instruction's parameters.
    #[inline(always)]
    // SAFETY: reads only inside the loader's serialized input, walking its documented layout
    // (caller passes r1).
    pub unsafe fn instruction_data_ptr(input: *const u8) -> *const u8 {
        let num_accounts = *(input as *const u64) as usize;
        let mut cursor = input.add(8);
        for _ in 0..num_accounts {
            if *cursor != NON_DUP_MARKER {
                // Duplicate account: marker + 7 bytes padding.
                cursor = cursor.add(8);
                continue;
            }
            let data_len = *(cursor.add(8 + 32 + 32 + 8) as *const u64) as usize;
            let unaligned = ACCOUNT_HEADER_LEN + data_len + MAX_PERMITTED_DATA_INCREASE;
            let aligned = (unaligned + 7) & !7;
            // Skip the rent epoch that follows the (padded) data.
            cursor = cursor.add(aligned + 8);
        }
        cursor.add(8)
    }

    anchor_lang::pinocchio::default_allocator!();
    // Upstream rustc has no `std` for SBF, so the panic handler comes from pinocchio.
    anchor_lang::pinocchio::nostd_panic_handler!();

    /// # Safety
    /// Called by the loader with the serialized parameters in r1.
    #[no_mangle]
    // SAFETY: `input` is the loader's r1; `instruction_data_ptr` and Anchor's dispatcher read only
    // that serialization.
    pub unsafe extern "C" fn entrypoint(input: *mut u8) -> u64 {
        let ix_data = instruction_data_ptr(input);
        crate::__anchor_dispatch(input, ix_data)
    }
}
