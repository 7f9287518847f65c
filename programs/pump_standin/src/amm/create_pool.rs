//! `create_pool(index, base_amount_in, quote_amount_in, coin_creator, is_mayhem_mode,
//! is_cashback_coin)`, as pump `migrate` calls it: creates the pool PDA
//! `["pool", index, creator, base_mint, quote_mint]`, the LP mint `["pool_lp_mint", pool]`
//! (Token-2022, 9 decimals, authority the pool), the pool's two vault ATAs and the
//! creator's LP ATA (all paid by `creator`), deposits both amounts, and mints
//! `isqrt(base * quote) - 100` LP tokens to the creator (100 stay unminted as the locked
//! minimum liquidity). `coin_creator` is only allowed on canonical pools (6028).

use pinocchio::{
    cpi::{Seed, Signer},
    instruction::{InstructionAccount, InstructionView},
    AccountView, Address, ProgramResult,
};

use super::POOL_SEED;
use crate::{
    bonding_curve::{check_discriminator, POOL_AUTHORITY_SEED},
    cpi::{
        cpi, create_pda_account, find_bump, is_associated_token_address, is_canonical_pda,
        unix_timestamp, CreateAssociatedTokenAccount, TransferChecked,
    },
    errors::{AmmError, AnchorError},
    events::{discriminator, EventData, AMM_EVENT_AUTHORITY},
    is_token_program,
    state::{self, global_config as gc, pool, read_u64},
    AMM_ID, ASSOCIATED_TOKEN_PROGRAM_ID, PUMP_ID, SYSTEM_PROGRAM_ID, TOKEN_2022_PROGRAM_ID,
};

pub const DISCRIMINATOR: [u8; 8] = [233, 146, 209, 142, 207, 104, 64, 188];
pub const LP_MINT_SEED: &[u8] = b"pool_lp_mint";
pub const MINIMUM_LIQUIDITY: u64 = 100;
const LP_DECIMALS: u8 = 9;

/// `floor(sqrt(a * b))` over the full 128-bit product, by the digit-by-digit method (only
/// shifts, adds and compares: SBF has no 128-bit multiply or divide).
pub fn isqrt_product(a: u64, b: u64) -> u64 {
    let (hi, lo) = wide_math::mul_wide(a, b);
    let n = ((hi as u128) << 64) | lo as u128;
    let mut rem = n;
    let mut root: u128 = 0;
    let mut bit: u128 = 1u128 << 126;
    while bit > rem {
        bit >>= 2;
    }
    while bit != 0 {
        if rem >= root + bit {
            rem -= root + bit;
            root = (root >> 1) + bit;
        } else {
            root >>= 1;
        }
        bit >>= 2;
    }
    root as u64
}

pub fn process(accounts: &mut [AccountView], args: &[u8]) -> ProgramResult {
    if args.len() < 2 + 8 + 8 + 32 + 1 {
        return Err(AnchorError::InstructionDidNotDeserialize.into());
    }
    let index = [args[0], args[1]];
    let base_amount_in = read_u64(args, 2);
    let quote_amount_in = read_u64(args, 10);
    let coin_creator = state::read_address(args, 18);
    let is_mayhem = args[50] == 1;
    let is_cashback = args.get(51) == Some(&1);
    let [pool_account, global_config, creator, base_mint, quote_mint, lp_mint, user_base, user_quote, user_pool_token_account, pool_base, pool_quote, system_program, token_2022_program, base_token_program, quote_token_program, associated_token_program, event_authority, _program, ..] =
        &*accounts
    else {
        return Err(AnchorError::AccountNotEnoughKeys.into());
    };
    if !creator.is_signer() {
        return Err(AnchorError::AccountNotSigner.into());
    }
    if !global_config.owned_by(&AMM_ID) {
        return Err(AnchorError::AccountOwnedByWrongProgram.into());
    }
    check_discriminator(
        // SAFETY: Global config is only read (owner checked above); nothing borrows it mutably.
        unsafe { global_config.borrow_unchecked() },
        &gc::DISCRIMINATOR,
        gc::MIN_LEN,
    )?;
    if *system_program.address() != SYSTEM_PROGRAM_ID
        || *token_2022_program.address() != TOKEN_2022_PROGRAM_ID
        || !is_token_program(base_token_program.address())
        || !is_token_program(quote_token_program.address())
        || *associated_token_program.address() != ASSOCIATED_TOKEN_PROGRAM_ID
    {
        return Err(AnchorError::InvalidProgramId.into());
    }
    if !base_mint.owned_by(base_token_program.address())
        || !quote_mint.owned_by(quote_token_program.address())
    {
        return Err(AnchorError::ConstraintMintTokenProgram.into());
    }
    let pool_bump = find_bump(
        &[
            POOL_SEED,
            &index,
            creator.address().as_ref(),
            base_mint.address().as_ref(),
            quote_mint.address().as_ref(),
        ],
        &AMM_ID,
        pool_account.address(),
    )
    .ok_or(AnchorError::ConstraintSeeds)?;
    let lp_bump = find_bump(
        &[LP_MINT_SEED, pool_account.address().as_ref()],
        &AMM_ID,
        lp_mint.address(),
    )
    .ok_or(AnchorError::ConstraintSeeds)?;
    if !is_associated_token_address(
        user_pool_token_account.address(),
        creator.address(),
        &TOKEN_2022_PROGRAM_ID,
        lp_mint.address(),
    ) || !is_associated_token_address(
        pool_base.address(),
        pool_account.address(),
        base_token_program.address(),
        base_mint.address(),
    ) || !is_associated_token_address(
        pool_quote.address(),
        pool_account.address(),
        quote_token_program.address(),
        quote_mint.address(),
    ) || *event_authority.address() != AMM_EVENT_AUTHORITY
    {
        return Err(AnchorError::ConstraintSeeds.into());
    }
    if base_amount_in == 0 {
        return Err(AmmError::ZeroBaseAmount.into());
    }
    if quote_amount_in == 0 {
        return Err(AmmError::ZeroQuoteAmount.into());
    }
    if is_mayhem {
        return Err(AmmError::MayhemModeDisabled.into());
    }
    if coin_creator != Address::new_from_array([0; 32])
        && !is_canonical_pda(
            &[POOL_AUTHORITY_SEED, base_mint.address().as_ref()],
            &PUMP_ID,
            creator.address(),
        )
    {
        return Err(AmmError::OnlyCanonicalPumpPoolsCanHaveCoinCreator.into());
    }
    let initial_liquidity = isqrt_product(base_amount_in, quote_amount_in);
    let lp_out = initial_liquidity
        .checked_sub(MINIMUM_LIQUIDITY)
        .filter(|v| *v > 0)
        .ok_or(AmmError::TooLittlePoolTokenLiquidity)?;

    // Accounts, all paid by `creator`.
    let pool_bump_bytes = [pool_bump];
    let pool_seeds = [
        Seed::from(POOL_SEED),
        Seed::from(&index),
        Seed::from(creator.address().as_ref()),
        Seed::from(base_mint.address().as_ref()),
        Seed::from(quote_mint.address().as_ref()),
        Seed::from(&pool_bump_bytes),
    ];
    create_pda_account(
        creator,
        pool_account,
        pool::LEN,
        &AMM_ID,
        &[Signer::from(&pool_seeds)],
    )?;
    let lp_bump_bytes = [lp_bump];
    let lp_seeds = [
        Seed::from(LP_MINT_SEED),
        Seed::from(pool_account.address().as_ref()),
        Seed::from(&lp_bump_bytes),
    ];
    create_pda_account(
        creator,
        lp_mint,
        state::mint::LEN,
        &TOKEN_2022_PROGRAM_ID,
        &[Signer::from(&lp_seeds)],
    )?;
    let mut init = [0u8; 35];
    init[0] = 20; // InitializeMint2
    init[1] = LP_DECIMALS;
    init[2..34].copy_from_slice(pool_account.address().as_ref());
    cpi(
        &InstructionView {
            program_id: &TOKEN_2022_PROGRAM_ID,
            accounts: &[InstructionAccount::writable(lp_mint.address())],
            data: &init,
        },
        &[lp_mint],
        &[],
    )?;
    for (account, wallet, mint, program) in [
        (pool_base, pool_account, base_mint, base_token_program),
        (pool_quote, pool_account, quote_mint, quote_token_program),
        (
            user_pool_token_account,
            creator,
            lp_mint,
            token_2022_program,
        ),
    ] {
        CreateAssociatedTokenAccount {
            payer: creator,
            account,
            wallet,
            mint,
            system_program,
            token_program: program,
        }
        .invoke()?;
    }

    // Deposits, then the LP tokens.
    // SAFETY: mints are only read.
    let base_decimals = unsafe { base_mint.borrow_unchecked() }[state::mint::DECIMALS];
    // SAFETY: as above.
    let quote_decimals = unsafe { quote_mint.borrow_unchecked() }[state::mint::DECIMALS];
    TransferChecked {
        token_program: base_token_program,
        from: user_base,
        mint: base_mint,
        to: pool_base,
        authority: creator,
        amount: base_amount_in,
        decimals: base_decimals,
    }
    .invoke_signed(&[])?;
    TransferChecked {
        token_program: quote_token_program,
        from: user_quote,
        mint: quote_mint,
        to: pool_quote,
        authority: creator,
        amount: quote_amount_in,
        decimals: quote_decimals,
    }
    .invoke_signed(&[])?;
    let mut mint_to = [0u8; 9];
    mint_to[0] = 7;
    mint_to[1..].copy_from_slice(&lp_out.to_le_bytes());
    cpi(
        &InstructionView {
            program_id: &TOKEN_2022_PROGRAM_ID,
            accounts: &[
                InstructionAccount::writable(lp_mint.address()),
                InstructionAccount::writable(user_pool_token_account.address()),
                InstructionAccount::readonly_signer(pool_account.address()),
            ],
            data: &mint_to,
        },
        &[lp_mint, user_pool_token_account, pool_account],
        &[Signer::from(&pool_seeds)],
    )?;

    {
        let mut view = *pool_account;
        // SAFETY: just created by this program; no other borrow is live.
        let p = unsafe { view.borrow_unchecked_mut() };
        p[..8].copy_from_slice(&pool::DISCRIMINATOR);
        p[pool::POOL_BUMP] = pool_bump;
        p[pool::INDEX..pool::INDEX + 2].copy_from_slice(&index);
        p[pool::CREATOR..pool::CREATOR + 32].copy_from_slice(creator.address().as_ref());
        p[pool::BASE_MINT..pool::BASE_MINT + 32].copy_from_slice(base_mint.address().as_ref());
        p[pool::QUOTE_MINT..pool::QUOTE_MINT + 32].copy_from_slice(quote_mint.address().as_ref());
        p[pool::LP_MINT..pool::LP_MINT + 32].copy_from_slice(lp_mint.address().as_ref());
        p[pool::POOL_BASE_TOKEN_ACCOUNT..pool::POOL_BASE_TOKEN_ACCOUNT + 32]
            .copy_from_slice(pool_base.address().as_ref());
        p[pool::POOL_QUOTE_TOKEN_ACCOUNT..pool::POOL_QUOTE_TOKEN_ACCOUNT + 32]
            .copy_from_slice(pool_quote.address().as_ref());
        state::write_u64(p, pool::LP_SUPPLY, lp_out);
        p[pool::COIN_CREATOR..pool::COIN_CREATOR + 32].copy_from_slice(coin_creator.as_ref());
        p[pool::IS_MAYHEM_MODE] = 0;
        p[pool::IS_CASHBACK_COIN] = is_cashback as u8;
    }

    let mut e = EventData::new(&discriminator::CREATE_POOL_EVENT);
    e.i64(unix_timestamp()?)
        .bytes(&index)
        .address(creator.address())
        .address(base_mint.address())
        .address(quote_mint.address())
        .u8(base_decimals)
        .u8(quote_decimals)
        .u64(base_amount_in)
        .u64(quote_amount_in)
        .u64(base_amount_in)
        .u64(quote_amount_in)
        .u64(MINIMUM_LIQUIDITY)
        .u64(initial_liquidity)
        .u64(lp_out)
        .u8(pool_bump)
        .address(pool_account.address())
        .address(lp_mint.address())
        .address(user_base.address())
        .address(user_quote.address())
        .address(&coin_creator)
        .bool(false);
    e.emit(&AMM_ID, event_authority)
}

#[cfg(test)]
mod tests {
    use super::isqrt_product;

    #[test]
    fn isqrt_of_products() {
        assert_eq!(isqrt_product(0, 5), 0);
        assert_eq!(isqrt_product(4, 4), 4);
        assert_eq!(isqrt_product(2, 4), 2);
        assert_eq!(isqrt_product(u64::MAX, u64::MAX), u64::MAX);
        let (b, q) = (206_900_000_000_000u64, 84_990_359_057u64);
        let r = isqrt_product(b, q) as u128;
        assert!(r * r <= b as u128 * q as u128 && (r + 1) * (r + 1) > b as u128 * q as u128);
    }
}
