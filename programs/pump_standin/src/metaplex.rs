//! Just enough of Metaplex Token Metadata (`metaqbxxUerdq28cj1RbAWkYQm3ybzjb6a8bt518x1s`)
//! for pump `create`: `CreateMetadataAccountV3` (instruction 33) writes a `MetadataV1`
//! account at `["metadata", program, mint]` in Metaplex's layout (name / symbol / uri
//! padded to 32 / 10 / 200 bytes, 679 bytes in all). Everything else fails. Loaded at the
//! Metaplex id in tests only, like the rest of the stand-in.

use pinocchio::{
    cpi::{Seed, Signer},
    error::ProgramError,
    AccountView, Address, ProgramResult,
};

use crate::{
    cpi::{create_pda_account, find_bump},
    state,
};

pub const METAPLEX_ID: Address =
    Address::from_str_const("metaqbxxUerdq28cj1RbAWkYQm3ybzjb6a8bt518x1s");
const CREATE_METADATA_ACCOUNT_V3: u8 = 33;
const METADATA_V1_KEY: u8 = 4;
pub const MAX_METADATA_LEN: usize = 679;
const NAME_LEN: usize = 32;
const SYMBOL_LEN: usize = 10;
const URI_LEN: usize = 200;
const MAX_CREATORS: usize = 5;

/// Metaplex's own error numbers are not reproduced: a bad request is `InvalidArgument`.
pub fn dispatch(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    if data.first() != Some(&CREATE_METADATA_ACCOUNT_V3) {
        return Err(ProgramError::InvalidInstructionData);
    }
    let [metadata, mint, mint_authority, payer, update_authority, _system_program, ..] = accounts
    else {
        return Err(ProgramError::NotEnoughAccountKeys);
    };
    if !mint_authority.is_signer() || !payer.is_signer() {
        return Err(ProgramError::MissingRequiredSignature);
    }
    // The mint authority must be the mint's (COption tag 1, then the key).
    {
        // SAFETY: read-only look at the mint.
        let m = unsafe { mint.borrow_unchecked() };
        if m.len() < 82
            || m[0..4] != [1, 0, 0, 0]
            || !state::address_at(m, 4, mint_authority.address())
        {
            return Err(ProgramError::InvalidAccountData);
        }
    }
    let bump = find_bump(
        &[b"metadata", METAPLEX_ID.as_ref(), mint.address().as_ref()],
        &METAPLEX_ID,
        metadata.address(),
    )
    .ok_or(ProgramError::InvalidSeeds)?;

    // DataV2 { name, symbol, uri, seller_fee_basis_points, creators, collection, uses },
    // is_mutable, collection_details.
    let mut at = 1;
    let name = string(data, &mut at, NAME_LEN)?;
    let symbol = string(data, &mut at, SYMBOL_LEN)?;
    let uri = string(data, &mut at, URI_LEN)?;
    let seller_fee = data
        .get(at..at + 2)
        .ok_or(ProgramError::InvalidInstructionData)?;
    at += 2;
    let creators_start = at;
    match data.get(at) {
        Some(0) => at += 1,
        Some(1) => {
            let n = u32::from_le_bytes(
                data.get(at + 1..at + 5)
                    .ok_or(ProgramError::InvalidInstructionData)?
                    .try_into()
                    .map_err(|_| ProgramError::InvalidInstructionData)?,
            ) as usize;
            if n > MAX_CREATORS {
                return Err(ProgramError::InvalidInstructionData);
            }
            at += 5 + n * 34;
        }
        _ => return Err(ProgramError::InvalidInstructionData),
    }
    let creators = data
        .get(creators_start..at)
        .ok_or(ProgramError::InvalidInstructionData)?;
    // collection and uses: None only.
    if data.get(at..at + 2) != Some(&[0, 0]) {
        return Err(ProgramError::InvalidInstructionData);
    }
    at += 2;
    let is_mutable = *data.get(at).ok_or(ProgramError::InvalidInstructionData)?;

    let bump_bytes = [bump];
    let seeds = [
        Seed::from(b"metadata"),
        Seed::from(METAPLEX_ID.as_ref()),
        Seed::from(mint.address().as_ref()),
        Seed::from(&bump_bytes),
    ];
    create_pda_account(
        payer,
        metadata,
        MAX_METADATA_LEN,
        &METAPLEX_ID,
        &[Signer::from(&seeds)],
    )?;
    let mut view = *metadata;
    // SAFETY: just created and owned by this program; no other borrow is live.
    let d = unsafe { view.borrow_unchecked_mut() };
    d[0] = METADATA_V1_KEY;
    d[1..33].copy_from_slice(update_authority.address().as_ref());
    d[33..65].copy_from_slice(mint.address().as_ref());
    let mut w = 65;
    for (value, width) in [(name, NAME_LEN), (symbol, SYMBOL_LEN), (uri, URI_LEN)] {
        d[w..w + 4].copy_from_slice(&(width as u32).to_le_bytes());
        d[w + 4..w + 4 + value.len()].copy_from_slice(value);
        w += 4 + width;
    }
    d[w..w + 2].copy_from_slice(seller_fee);
    w += 2;
    d[w..w + creators.len()].copy_from_slice(creators);
    w += creators.len();
    d[w] = 0; // primary_sale_happened
    d[w + 1] = is_mutable;
    d[w + 2] = 0; // edition_nonce: None
    d[w + 3] = 1; // token_standard: Some(Fungible = 2), a mint with decimals
    d[w + 4] = 2;
    // collection, uses, collection_details, programmable_config: None (zeros).
    Ok(())
}

fn string<'a>(data: &'a [u8], at: &mut usize, max: usize) -> Result<&'a [u8], ProgramError> {
    let len_bytes = data
        .get(*at..*at + 4)
        .ok_or(ProgramError::InvalidInstructionData)?;
    let len = u32::from_le_bytes([len_bytes[0], len_bytes[1], len_bytes[2], len_bytes[3]]) as usize;
    if len > max {
        return Err(ProgramError::InvalidInstructionData);
    }
    let value = data
        .get(*at + 4..*at + 4 + len)
        .ok_or(ProgramError::InvalidInstructionData)?;
    *at += 4 + len;
    Ok(value)
}
