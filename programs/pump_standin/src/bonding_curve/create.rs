//! `create` (SPL Token, Metaplex metadata) and
//! `create_v2(name, symbol, uri, creator, is_mayhem_mode, is_cashback_enabled)`: a new
//! SOL-paired coin on Token-2022. The mint (6 decimals, signed by `mint`, paid by `user`)
//! carries a metadata pointer to itself and the token-metadata extension (name, symbol,
//! uri; update authority `["mint-authority"]`); the whole `Global.token_total_supply` is
//! minted to the curve's ATA and the mint authority is then revoked. The curve starts at
//! Global's initial reserves with `creator` from the argument. Mayhem mode answers 6048
//! (not supported by the stand-in); the quote-mint remaining accounts are not supported.

use pinocchio::{
    cpi::{Seed, Signer},
    error::ProgramError,
    instruction::{InstructionAccount, InstructionView},
    AccountView, Address, ProgramResult,
};

use super::{check_discriminator, BONDING_CURVE_SEED, GLOBAL_ADDRESS};
use crate::{
    cpi::{
        cpi, create_pda_account, find_bump, is_associated_token_address, unix_timestamp,
        CreateAssociatedTokenAccount,
    },
    errors::{AnchorError, PumpError},
    events::{discriminator, EventData, PUMP_EVENT_AUTHORITY},
    metaplex::METAPLEX_ID,
    state::{self, bonding_curve as bc, global, read_u64, rent_exempt},
    ASSOCIATED_TOKEN_PROGRAM_ID, PUMP_ID, SYSTEM_PROGRAM_ID, TOKEN_2022_PROGRAM_ID,
    TOKEN_PROGRAM_ID,
};

pub const DISCRIMINATOR: [u8; 8] = [24, 30, 200, 40, 5, 28, 7, 119];
pub const DISCRIMINATOR_V2: [u8; 8] = [214, 144, 76, 236, 95, 139, 49, 180];
const RENT_SYSVAR: Address = Address::from_str_const("SysvarRent111111111111111111111111111111111");
pub const MINT_AUTHORITY_SEED: &[u8] = b"mint-authority";
/// pump `["mint-authority"]` (bump 255).
pub const MINT_AUTHORITY: Address =
    Address::from_str_const("TSLvdd1pWpHVjahSpsvCXUbgwsL3JAcvokwaKt1eokM");
const MINT_AUTHORITY_BUMP: u8 = 255;
pub const MAYHEM_PROGRAM_ID: Address =
    Address::from_str_const("MAyhSmzXzV1pTf7LsNkrNwkWKTo4ougAJ1PPg47MD4e");
pub const DECIMALS: u8 = 6;
const MAX_NAME: usize = 32;
const MAX_SYMBOL: usize = 13;
const MAX_URI: usize = 200;
/// Token-2022 mint with the metadata-pointer extension: 165 (base, padded) + 1 (account
/// type) + 4 (TLV header) + 64 (authority, metadata address).
const MINT_WITH_POINTER_LEN: usize = 234;
/// `sha256("spl_token_metadata_interface:initialize_account")[..8]`.
const TOKEN_METADATA_INITIALIZE: [u8; 8] = [210, 225, 30, 162, 88, 184, 77, 141];

/// The borsh arguments shared by `create` and `create_v2`.
pub(crate) struct CreateArgs<'a> {
    pub name: &'a [u8],
    pub symbol: &'a [u8],
    pub uri: &'a [u8],
    pub creator: Address,
    /// Bytes after `creator`.
    pub rest: &'a [u8],
}

fn read_string<'a>(args: &'a [u8], at: &mut usize) -> Result<&'a [u8], ProgramError> {
    let len_bytes = args
        .get(*at..*at + 4)
        .ok_or(AnchorError::InstructionDidNotDeserialize)?;
    let len = u32::from_le_bytes([len_bytes[0], len_bytes[1], len_bytes[2], len_bytes[3]]) as usize;
    let value = args
        .get(*at + 4..*at + 4 + len)
        .ok_or(AnchorError::InstructionDidNotDeserialize)?;
    if core::str::from_utf8(value).is_err() {
        return Err(AnchorError::InstructionDidNotDeserialize.into());
    }
    *at += 4 + len;
    Ok(value)
}

pub(crate) fn parse_create_args(args: &[u8]) -> Result<CreateArgs<'_>, ProgramError> {
    let mut at = 0;
    let name = read_string(args, &mut at)?;
    let symbol = read_string(args, &mut at)?;
    let uri = read_string(args, &mut at)?;
    let creator = args
        .get(at..at + 32)
        .ok_or(AnchorError::InstructionDidNotDeserialize)?;
    Ok(CreateArgs {
        name,
        symbol,
        uri,
        creator: state::read_address(creator, 0),
        rest: &args[at + 32..],
    })
}

/// Documented limits: name <= 32, symbol <= 13, uri <= 200 bytes; creator not default.
pub(crate) fn validate_create_args(a: &CreateArgs) -> ProgramResult {
    if a.name.len() > MAX_NAME {
        return Err(PumpError::NameTooLong.into());
    }
    if a.symbol.len() > MAX_SYMBOL {
        return Err(PumpError::SymbolTooLong.into());
    }
    if a.uri.len() > MAX_URI {
        return Err(PumpError::UriTooLong.into());
    }
    if a.creator == Address::new_from_array([0; 32]) {
        return Err(PumpError::CreatorShouldNotBeZero.into());
    }
    Ok(())
}

pub fn process_v2(accounts: &mut [AccountView], args: &[u8]) -> ProgramResult {
    let a = parse_create_args(args)?;
    let (is_mayhem_mode, is_cashback) = match a.rest {
        [m @ (0 | 1), c @ (0 | 1), ..] => (*m == 1, *c == 1),
        [m @ (0 | 1)] => (*m == 1, false),
        _ => return Err(AnchorError::InstructionDidNotDeserialize.into()),
    };
    let [mint, mint_authority, bonding_curve, associated_bonding_curve, global_account, user, system_program, token_program, associated_token_program, mayhem_program, _global_params, _sol_vault, _mayhem_state, _mayhem_token_vault, event_authority, program, ..] =
        accounts
    else {
        return Err(AnchorError::AccountNotEnoughKeys.into());
    };
    // -- deserialization --
    if !mint.is_signer() || !user.is_signer() {
        return Err(AnchorError::AccountNotSigner.into());
    }
    if !global_account.owned_by(&PUMP_ID) {
        return Err(AnchorError::AccountOwnedByWrongProgram.into());
    }
    // SAFETY: Global is only read.
    let g = unsafe { global_account.borrow_unchecked() };
    check_discriminator(g, &global::DISCRIMINATOR, global::MIN_LEN)?;
    if *system_program.address() != SYSTEM_PROGRAM_ID
        || *token_program.address() != TOKEN_2022_PROGRAM_ID
        || *associated_token_program.address() != ASSOCIATED_TOKEN_PROGRAM_ID
    {
        return Err(AnchorError::InvalidProgramId.into());
    }
    if *mayhem_program.address() != MAYHEM_PROGRAM_ID || *program.address() != PUMP_ID {
        return Err(AnchorError::ConstraintAddress.into());
    }
    // -- constraints --
    let curve_bump = check_create_accounts(
        mint,
        mint_authority,
        bonding_curve,
        associated_bonding_curve,
        global_account,
        user,
        token_program,
        event_authority,
    )?;
    // -- handler --
    validate_create_args(&a)?;
    if state::read_u8_or_zero(g, CREATE_V2_ENABLED) == 0 {
        return Err(PumpError::CreateV2Disabled.into());
    }
    if is_mayhem_mode {
        return Err(PumpError::MayhemModeDisabled.into());
    }

    // The mint: metadata pointer to itself, then the mint, then its metadata (Token-2022
    // reallocates the mint for it; the lamports for the final size are paid up front).
    let metadata_len = 4 + 32 + 32 + 4 + a.name.len() + 4 + a.symbol.len() + 4 + a.uri.len() + 4;
    pinocchio_system::instructions::CreateAccount {
        from: user,
        to: mint,
        lamports: rent_exempt(MINT_WITH_POINTER_LEN + metadata_len),
        space: MINT_WITH_POINTER_LEN as u64,
        owner: &TOKEN_2022_PROGRAM_ID,
    }
    .invoke()?;
    let mut data = [0u8; 66];
    data[0] = 39; // MetadataPointerExtension
    data[1] = 0; // Initialize
                 // authority (2..34): none; metadata address: the mint itself.
    data[34..66].copy_from_slice(mint.address().as_ref());
    token_ix(
        token_program,
        &[InstructionAccount::writable(mint.address())],
        &[mint],
        &data[..66],
        &[],
    )?;
    initialize_mint2(token_program, mint)?;
    let mut meta = [0u8; 8 + 4 + MAX_NAME + 4 + MAX_SYMBOL + 4 + MAX_URI];
    let mut len = 8;
    meta[..8].copy_from_slice(&TOKEN_METADATA_INITIALIZE);
    for field in [a.name, a.symbol, a.uri] {
        meta[len..len + 4].copy_from_slice(&(field.len() as u32).to_le_bytes());
        meta[len + 4..len + 4 + field.len()].copy_from_slice(field);
        len += 4 + field.len();
    }
    let authority_seeds = [
        Seed::from(MINT_AUTHORITY_SEED),
        Seed::from(&[MINT_AUTHORITY_BUMP]),
    ];
    let authority_signer = [Signer::from(&authority_seeds)];
    token_ix(
        token_program,
        &[
            InstructionAccount::writable(mint.address()),
            InstructionAccount::readonly(mint_authority.address()),
            InstructionAccount::readonly(mint.address()),
            InstructionAccount::readonly_signer(mint_authority.address()),
        ],
        &[mint, mint_authority, mint, mint_authority],
        &meta[..len],
        &authority_signer,
    )?;

    let created = Created {
        mint,
        mint_authority,
        bonding_curve,
        associated_bonding_curve,
        user,
        system_program,
        token_program,
        event_authority,
        curve_bump,
        is_cashback,
    };
    finish_create(&created, g, &a)
}

/// `create(name, symbol, uri, creator)`: the legacy SPL Token coin. The mint (82 bytes,
/// 6 decimals) gets Metaplex metadata through a CPI into the Metaplex id (the stand-in's
/// own minimal handler there), with update authority `["mint-authority"]`, creators
/// `[(creator, unverified, 100 %)]`, immutable; then the same curve setup as `create_v2`.
pub fn process(accounts: &mut [AccountView], args: &[u8]) -> ProgramResult {
    let a = parse_create_args(args)?;
    let [mint, mint_authority, bonding_curve, associated_bonding_curve, global_account, mpl_token_metadata, metadata, user, system_program, token_program, associated_token_program, rent, event_authority, program, ..] =
        accounts
    else {
        return Err(AnchorError::AccountNotEnoughKeys.into());
    };
    if !mint.is_signer() || !user.is_signer() {
        return Err(AnchorError::AccountNotSigner.into());
    }
    if !global_account.owned_by(&PUMP_ID) {
        return Err(AnchorError::AccountOwnedByWrongProgram.into());
    }
    // SAFETY: Global is only read.
    let g = unsafe { global_account.borrow_unchecked() };
    check_discriminator(g, &global::DISCRIMINATOR, global::MIN_LEN)?;
    if *system_program.address() != SYSTEM_PROGRAM_ID
        || *token_program.address() != TOKEN_PROGRAM_ID
        || *associated_token_program.address() != ASSOCIATED_TOKEN_PROGRAM_ID
    {
        return Err(AnchorError::InvalidProgramId.into());
    }
    if *mpl_token_metadata.address() != METAPLEX_ID
        || *rent.address() != RENT_SYSVAR
        || *program.address() != PUMP_ID
    {
        return Err(AnchorError::ConstraintAddress.into());
    }
    let curve_bump = check_create_accounts(
        mint,
        mint_authority,
        bonding_curve,
        associated_bonding_curve,
        global_account,
        user,
        token_program,
        event_authority,
    )?;
    if !metadata.is_writable() {
        return Err(AnchorError::ConstraintMut.into());
    }
    if find_bump(
        &[b"metadata", METAPLEX_ID.as_ref(), mint.address().as_ref()],
        &METAPLEX_ID,
        metadata.address(),
    )
    .is_none()
    {
        return Err(AnchorError::ConstraintSeeds.into());
    }
    validate_create_args(&a)?;

    pinocchio_system::instructions::CreateAccount {
        from: user,
        to: mint,
        lamports: rent_exempt(state::mint::LEN),
        space: state::mint::LEN as u64,
        owner: &TOKEN_PROGRAM_ID,
    }
    .invoke()?;
    initialize_mint2(token_program, mint)?;
    create_metaplex_metadata(&MetadataRequest {
        metadata,
        mint,
        mint_authority,
        user,
        system_program,
        args: &a,
    })?;
    let created = Created {
        mint,
        mint_authority,
        bonding_curve,
        associated_bonding_curve,
        user,
        system_program,
        token_program,
        event_authority,
        curve_bump,
        is_cashback: false,
    };
    finish_create(&created, g, &a)
}

struct MetadataRequest<'a> {
    metadata: &'a AccountView,
    mint: &'a AccountView,
    mint_authority: &'a AccountView,
    user: &'a AccountView,
    system_program: &'a AccountView,
    args: &'a CreateArgs<'a>,
}

/// Metaplex `CreateMetadataAccountV3`: the mint authority PDA signs as mint and update
/// authority, `user` pays.
#[inline(never)]
fn create_metaplex_metadata(r: &MetadataRequest) -> ProgramResult {
    let a = r.args;
    let mut data = [0u8; 1 + 3 * 4 + MAX_NAME + MAX_SYMBOL + MAX_URI + 2 + 1 + 4 + 34 + 2 + 1 + 1];
    data[0] = 33;
    let mut at = 1;
    for field in [a.name, a.symbol, a.uri] {
        data[at..at + 4].copy_from_slice(&(field.len() as u32).to_le_bytes());
        data[at + 4..at + 4 + field.len()].copy_from_slice(field);
        at += 4 + field.len();
    }
    at += 2; // seller_fee_basis_points 0
    data[at] = 1; // creators: Some(vec![creator])
    data[at + 1..at + 5].copy_from_slice(&1u32.to_le_bytes());
    data[at + 5..at + 37].copy_from_slice(a.creator.as_ref());
    data[at + 37] = 0; // verified
    data[at + 38] = 100; // share
    at += 39;
    at += 2; // collection, uses: None
    data[at] = 0; // is_mutable: false
    at += 1;
    at += 1; // collection_details: None
    let metas = [
        InstructionAccount::writable(r.metadata.address()),
        InstructionAccount::readonly(r.mint.address()),
        InstructionAccount::readonly_signer(r.mint_authority.address()),
        InstructionAccount::writable_signer(r.user.address()),
        InstructionAccount::readonly_signer(r.mint_authority.address()),
        InstructionAccount::readonly(r.system_program.address()),
    ];
    let instruction = InstructionView {
        program_id: &METAPLEX_ID,
        accounts: &metas,
        data: &data[..at],
    };
    let seeds = [
        Seed::from(MINT_AUTHORITY_SEED),
        Seed::from(&[MINT_AUTHORITY_BUMP]),
    ];
    cpi(
        &instruction,
        &[
            r.metadata,
            r.mint,
            r.mint_authority,
            r.user,
            r.mint_authority,
            r.system_program,
        ],
        &[Signer::from(&seeds)],
    )
}

/// Global `create_v2_enabled` (pump.md §3.1).
const CREATE_V2_ENABLED: usize = 450;

/// Constraints shared by `create` and `create_v2`, in account order. Returns the curve bump.
/// Inlined: SBF passes at most five arguments in registers.
// One argument per account keeps the checks in the IDL's account order, as pump lists them.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
pub(crate) fn check_create_accounts(
    mint: &AccountView,
    mint_authority: &AccountView,
    bonding_curve: &AccountView,
    associated_bonding_curve: &AccountView,
    global_account: &AccountView,
    user: &AccountView,
    token_program: &AccountView,
    event_authority: &AccountView,
) -> Result<u8, ProgramError> {
    if !mint.is_writable() {
        return Err(AnchorError::ConstraintMut.into());
    }
    if *mint_authority.address() != MINT_AUTHORITY {
        return Err(AnchorError::ConstraintSeeds.into());
    }
    if !bonding_curve.is_writable() || !associated_bonding_curve.is_writable() {
        return Err(AnchorError::ConstraintMut.into());
    }
    let curve_bump = find_bump(
        &[BONDING_CURVE_SEED, mint.address().as_ref()],
        &PUMP_ID,
        bonding_curve.address(),
    )
    .ok_or(AnchorError::ConstraintSeeds)?;
    if !is_associated_token_address(
        associated_bonding_curve.address(),
        bonding_curve.address(),
        token_program.address(),
        mint.address(),
    ) || *global_account.address() != GLOBAL_ADDRESS
    {
        return Err(AnchorError::ConstraintSeeds.into());
    }
    if !user.is_writable() {
        return Err(AnchorError::ConstraintMut.into());
    }
    if *event_authority.address() != PUMP_EVENT_AUTHORITY {
        return Err(AnchorError::ConstraintSeeds.into());
    }
    Ok(curve_bump)
}

pub(crate) struct Created<'a> {
    pub mint: &'a AccountView,
    pub mint_authority: &'a AccountView,
    pub bonding_curve: &'a AccountView,
    pub associated_bonding_curve: &'a AccountView,
    pub user: &'a AccountView,
    pub system_program: &'a AccountView,
    pub token_program: &'a AccountView,
    pub event_authority: &'a AccountView,
    pub curve_bump: u8,
    pub is_cashback: bool,
}

/// The curve account, its ATA, the supply minted to it, the mint authority revoked, the
/// curve state written, `CreateEvent` emitted. Shared by `create` and `create_v2`.
#[inline(never)]
pub(crate) fn finish_create(c: &Created, g: &[u8], a: &CreateArgs) -> ProgramResult {
    let mint_address = *c.mint.address();
    let bump = [c.curve_bump];
    let curve_seeds = [
        Seed::from(BONDING_CURVE_SEED),
        Seed::from(mint_address.as_ref()),
        Seed::from(&bump),
    ];
    create_pda_account(
        c.user,
        c.bonding_curve,
        bc::LEN,
        &PUMP_ID,
        &[Signer::from(&curve_seeds)],
    )?;
    CreateAssociatedTokenAccount {
        payer: c.user,
        account: c.associated_bonding_curve,
        wallet: c.bonding_curve,
        mint: c.mint,
        system_program: c.system_program,
        token_program: c.token_program,
    }
    .invoke()?;
    let supply = read_u64(g, global::TOKEN_TOTAL_SUPPLY);
    let authority_seeds = [
        Seed::from(MINT_AUTHORITY_SEED),
        Seed::from(&[MINT_AUTHORITY_BUMP]),
    ];
    let authority_signer = [Signer::from(&authority_seeds)];
    let mut mint_to = [0u8; 9];
    mint_to[0] = 7;
    mint_to[1..].copy_from_slice(&supply.to_le_bytes());
    token_ix(
        c.token_program,
        &[
            InstructionAccount::writable(c.mint.address()),
            InstructionAccount::writable(c.associated_bonding_curve.address()),
            InstructionAccount::readonly_signer(c.mint_authority.address()),
        ],
        &[c.mint, c.associated_bonding_curve, c.mint_authority],
        &mint_to,
        &authority_signer,
    )?;
    // SetAuthority(MintTokens, None).
    token_ix(
        c.token_program,
        &[
            InstructionAccount::writable(c.mint.address()),
            InstructionAccount::readonly_signer(c.mint_authority.address()),
        ],
        &[c.mint, c.mint_authority],
        &[6, 0, 0],
        &authority_signer,
    )?;

    let virtual_token = read_u64(g, global::INITIAL_VIRTUAL_TOKEN_RESERVES);
    let virtual_sol = read_u64(g, global::INITIAL_VIRTUAL_SOL_RESERVES);
    let real_token = read_u64(g, global::INITIAL_REAL_TOKEN_RESERVES);
    {
        let mut curve_view = *c.bonding_curve;
        // SAFETY: the account was just created by this program; no other borrow is live.
        let d = unsafe { curve_view.borrow_unchecked_mut() };
        d[..8].copy_from_slice(&bc::DISCRIMINATOR);
        state::write_u64(d, bc::VIRTUAL_TOKEN_RESERVES, virtual_token);
        state::write_u64(d, bc::VIRTUAL_SOL_RESERVES, virtual_sol);
        state::write_u64(d, bc::REAL_TOKEN_RESERVES, real_token);
        state::write_u64(d, bc::REAL_SOL_RESERVES, 0);
        state::write_u64(d, bc::TOKEN_TOTAL_SUPPLY, supply);
        d[bc::COMPLETE] = 0;
        d[bc::CREATOR..bc::CREATOR + 32].copy_from_slice(a.creator.as_ref());
        d[bc::IS_MAYHEM_MODE] = 0;
        d[bc::IS_CASHBACK_COIN] = c.is_cashback as u8;
    }

    let mut e = EventData::new(&discriminator::CREATE_EVENT);
    e.bytes(&(a.name.len() as u32).to_le_bytes())
        .bytes(a.name)
        .bytes(&(a.symbol.len() as u32).to_le_bytes())
        .bytes(a.symbol)
        .bytes(&(a.uri.len() as u32).to_le_bytes())
        .bytes(a.uri)
        .address(&mint_address)
        .address(c.bonding_curve.address())
        .address(c.user.address())
        .address(&a.creator)
        .i64(unix_timestamp()?)
        .u64(virtual_token)
        .u64(virtual_sol)
        .u64(real_token)
        .u64(supply)
        .address(c.token_program.address())
        .bool(false)
        .bool(c.is_cashback)
        // quote_mint: default for SOL coins; virtual_quote_reserves: the SOL reserves.
        .bytes(&[0; 32])
        .u64(virtual_sol);
    e.emit(&PUMP_ID, c.event_authority)
}

/// `InitializeMint2(decimals 6, mint_authority = ["mint-authority"], no freeze authority)`.
pub(crate) fn initialize_mint2(token_program: &AccountView, mint: &AccountView) -> ProgramResult {
    let mut data = [0u8; 35];
    data[0] = 20;
    data[1] = DECIMALS;
    data[2..34].copy_from_slice(MINT_AUTHORITY.as_ref());
    data[34] = 0;
    token_ix(
        token_program,
        &[InstructionAccount::writable(mint.address())],
        &[mint],
        &data,
        &[],
    )
}

/// One token-program instruction with explicit metas.
fn token_ix<const N: usize>(
    token_program: &AccountView,
    metas: &[InstructionAccount; N],
    views: &[&AccountView; N],
    data: &[u8],
    signers: &[Signer],
) -> ProgramResult {
    let instruction = InstructionView {
        program_id: token_program.address(),
        accounts: metas,
        data,
    };
    cpi(&instruction, views, signers)
}
