//! `register_token` (admin): creates the token's stats PDA and the DAT's
//! associated token account. The mint's owner must be the passed token program
//! (SPL Token or Token-2022), the token account must be
//! ATA(authority, token_program, mint), and the pool must be the mint's pump
//! bonding curve or its canonical PumpSwap pool (derived, and owned by the venue).
//! Refused at registration, with a named error, because every cycle would be:
//! a curve / pool whose creator is not the DAT authority (`ForeignCreator`),
//! and a Token-2022 mint with a transfer fee, transfer hook, permanent
//! delegate, non-transferable flag or frozen default state (`Mint*`).

use anchor_lang::prelude::*;

use crate::constants::*;
use crate::errors::DatError;
use crate::events::TokenRegistered;
use crate::pump_accounts::{with_head, BondingCurveHead, PoolHead};
use crate::state::{create_pda, CreatePda, DatState, TokenStats};
use crate::token::{
    check_mint_extensions, create_ata_idempotent, derive_ata, read_mint, CreateAta,
};
use pinocchio::cpi::Seed;

#[derive(Accounts)]
pub struct RegisterToken {
    #[account(mut)]
    pub admin: Signer,
    #[account(mut, constraint = state.admin == *admin.address() @ DatError::Unauthorized)]
    pub state: Account<DatState>,
    pub mint: UncheckedAccount,
    /// `["token_stats", mint]`, created in the handler.
    #[account(mut, seeds = [TOKEN_STATS_SEED, mint.address().as_ref()], bump)]
    pub token_stats: UncheckedAccount,
    pub token_program: UncheckedAccount,
    /// Bonding curve or canonical PumpSwap pool of `mint`.
    pub pool: UncheckedAccount,
    #[account(mut)]
    pub dat_token_account: UncheckedAccount,
    #[account(address = state.authority @ DatError::InvalidExternalAccount)]
    pub authority: UncheckedAccount,
    pub system_program: Program<System>,
    #[account(address = ASSOCIATED_TOKEN_PROGRAM_ID @ DatError::InvalidExternalAccount)]
    pub associated_token_program: UncheckedAccount,
}

/// The pool's token vault for `mint`: the curve's ATA, or the PumpSwap pool's
/// base vault (read from the owner-checked pool account).
#[inline(never)]
pub fn pool_token_account(
    pool: &AccountView,
    mint: &Address,
    token_program: &Address,
    pool_type: u8,
) -> Result<Address> {
    if pool_type == POOL_BONDING_CURVE {
        return Ok(derive_ata(pool.address(), token_program, mint));
    }
    with_head(pool, |p: &PoolHead| {
        (p.base_mint == *mint).then_some(p.pool_base_token_account)
    })
    .flatten()
    .ok_or(DatError::InvalidPool.into())
}

/// The pool's creator must be the DAT authority: only then do its creator fees
/// reach our vaults, and only then will a cycle accept it.
#[inline(never)]
pub fn require_own_creator(pool: &AccountView, pool_type: u8, authority: &Address) -> Result<()> {
    let creator = if pool_type == POOL_BONDING_CURVE {
        with_head(pool, |c: &BondingCurveHead| c.creator)
    } else {
        with_head(pool, |p: &PoolHead| p.coin_creator)
    };
    require!(creator == Some(*authority), DatError::ForeignCreator);
    Ok(())
}

/// Expected pool address for `mint` on `pool_type` (cold path).
#[inline(never)]
pub fn expected_pool(mint: &Address, pool_type: u8) -> Result<(Address, Address)> {
    match pool_type {
        POOL_BONDING_CURVE => Ok((
            find_program_address(&[PUMP_BONDING_CURVE_SEED, mint.as_ref()], &PUMP_PROGRAM_ID).0,
            PUMP_PROGRAM_ID,
        )),
        POOL_AMM => {
            let (pool_authority, _) =
                find_program_address(&[PUMP_POOL_AUTHORITY_SEED, mint.as_ref()], &PUMP_PROGRAM_ID);
            let index = 0u16.to_le_bytes();
            let (pool, _) = find_program_address(
                &[
                    AMM_POOL_SEED,
                    &index,
                    pool_authority.as_ref(),
                    mint.as_ref(),
                    WSOL_MINT.as_ref(),
                ],
                &PUMP_AMM_PROGRAM_ID,
            );
            Ok((pool, PUMP_AMM_PROGRAM_ID))
        }
        _ => Err(DatError::InvalidParameter.into()),
    }
}

pub fn handle_register_token(ctx: &mut Context<RegisterToken>, pool_type: u8) -> Result<()> {
    let a = &ctx.accounts;
    let mint = *a.mint.address();
    let token_program = *a.token_program.address();
    let (decimals, _) = read_mint(a.mint.account(), &token_program)?;
    if token_program == TOKEN_2022_PROGRAM_ID {
        check_mint_extensions(a.mint.account())?;
    }

    let (pool, venue) = expected_pool(&mint, pool_type)?;
    require!(
        *a.pool.address() == pool && a.pool.account().owned_by(&venue),
        DatError::InvalidPool
    );
    require_own_creator(a.pool.account(), pool_type, &a.state.authority)?;

    let pool_vault = pool_token_account(a.pool.account(), &mint, &token_program, pool_type)?;
    let ata = derive_ata(&a.state.authority, &token_program, &mint);
    require!(
        *a.dat_token_account.address() == ata,
        DatError::InvalidTokenAccount
    );
    create_ata_idempotent(&CreateAta {
        ata_program: a.associated_token_program.account(),
        payer: a.admin.account(),
        ata: a.dat_token_account.account(),
        owner: a.authority.account(),
        mint: a.mint.account(),
        system_program: a.system_program.account(),
        token_program: a.token_program.account(),
    })?;

    let bump = ctx.bumps.token_stats;
    let bump_bytes = [bump];
    create_pda(&CreatePda {
        payer: a.admin.account(),
        target: a.token_stats.account(),
        seeds: &[
            Seed::from(TOKEN_STATS_SEED),
            Seed::from(mint.as_ref()),
            Seed::from(&bump_bytes[..]),
        ],
        space: 8 + core::mem::size_of::<TokenStats>(),
        owner: &crate::ID,
        discriminator: <TokenStats as Discriminator>::DISCRIMINATOR,
    })?;
    // SAFETY: just created with our discriminator; no other borrow exists.
    let mut t = unsafe {
        <Account<TokenStats> as AnchorAccount>::load_mut_after_init(*a.token_stats.account())?
    };
    t.mint = mint;
    t.token_program = token_program;
    t.pool = pool;
    t.dat_token_account = ata;
    t.pool_token_account = pool_vault;
    t.pool_type = pool_type;
    t.bump = bump;
    t.decimals = decimals;
    t.attribution = ATTRIBUTION_KEEPER;
    let s = &mut ctx.accounts.state;
    s.keeper_mode_tokens = PodU64::from(s.keeper_mode_tokens.get().saturating_add(1));

    emit!(TokenRegistered {
        mint,
        token_program,
        pool,
        pool_type,
        dat_token_account: ata,
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
