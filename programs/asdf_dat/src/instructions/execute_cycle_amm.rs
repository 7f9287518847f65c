//! `execute_cycle_amm` (keeper or admin; anyone when permissionless cycles are on): one PumpSwap token's cycle,
//! atomically: collect the PumpSwap creator-vault WSOL into the authority's
//! WSOL account, take the token's pending share, send a secondary's 44.8 % (in
//! native SOL) to the root treasury (a root spends the treasury too), wrap
//! native SOL if the held WSOL does not cover the budget, buy, burn exactly
//! what was bought.
//!
//! The buy is PumpSwap `buy(base_amount_out, max_quote_amount_in = budget)`
//! with `base_amount_out` = the fee-aware exact-in quote of the budget on the
//! current reserves (by construction its exact-out cost is ≤ the budget), which
//! must reach the minimum out (`SlippageExceeded`): the larger of the caller's
//! quote and the quote at the token's price reference (pool balances recorded
//! by `record_price_reference` in an earlier slot), each less the slippage. `buy` is used rather than
//! `buy_exact_quote_in` because the test stand-in implements only `buy`; the
//! data builder for `buy_exact_quote_in` is in `pump_cpi`.
//! The transaction may hold only this program's and compute-budget
//! instructions (`ForeignInstructionInCycle`). What the DAT can spend is read
//! from real balances (`crate::treasury`); after the cycle Σ pending must still
//! be covered by them (`OverAttribution`).
//! Remaining accounts are forwarded to PumpSwap as trailing accounts.
//!
//! Fee-sharing token (graduated with its sharing config as `coin_creator`):
//! the remaining accounts lead with its fee account, its mint's sharing config
//! and the DAT's shared PumpSwap creator vault (read for the pool invariant);
//! `coin_creator_vault_ata` / `_authority` are the config's. The config is
//! verified at every cycle (sole shareholder = the fee account, admin revoked);
//! instead of collecting the shared vault, the fee account's lamports join the
//! token's pending (`cycle::take_source`), then the same sequence runs. Its
//! creator fees reach the fee account through the permissionless
//! `transfer_creator_fees_to_pump_v2` + `distribute_creator_fees_v2` (allowed
//! in the cycle's transaction, or sent by anyone before). Anyone may run the
//! cycle when `DatState::may_run_cycle` allows it.

use anchor_lang::prelude::*;

use crate::constants::*;
use crate::errors::DatError;
use crate::events::{FeesCollected, WsolUnwrapped, WsolWrapped};
use crate::instructions::cycle::*;
use crate::math::{net_after_fees, pool_out_for_net, FeeRates, PoolQuoteInput};
use crate::pump_cpi::*;
use crate::state::{DatState, TokenStats};
use crate::token::{read_token_account, sync_native, token_amount, unwrap_wsol, UnwrapWsol};
use crate::treasury::{
    authority_lamports, require_pending_covered, treasury_lamports, wsol_amount, PoolAccounts,
};
use pinocchio::cpi::Seed;

#[derive(Accounts)]
pub struct ExecuteCycleAmm {
    /// Keeper or admin; advances the scratch account's rent when WSOL is unwrapped.
    #[account(mut)]
    pub operator: Signer,
    #[account(mut, constraint = state.may_run_cycle(operator.address()) @ DatError::Unauthorized)]
    pub state: Account<DatState>,
    #[account(mut)]
    pub token_stats: Account<TokenStats>,
    #[account(mut, address = state.root_treasury @ DatError::InvalidRootTreasury)]
    pub root_treasury: UncheckedAccount,
    #[account(mut, address = state.authority @ DatError::InvalidExternalAccount)]
    pub authority: UncheckedAccount,
    /// Base mint.
    #[account(mut, address = token_stats.mint @ DatError::MintMismatch)]
    pub mint: UncheckedAccount,
    #[account(mut, address = token_stats.dat_token_account @ DatError::InvalidTokenAccount)]
    pub dat_token_account: UncheckedAccount,
    /// Base token program.
    #[account(address = token_stats.token_program @ DatError::InvalidTokenProgram)]
    pub token_program: UncheckedAccount,
    #[account(mut, address = token_stats.pool @ DatError::InvalidPool)]
    pub pool: UncheckedAccount,
    #[account(address = AMM_GLOBAL_CONFIG @ DatError::InvalidExternalAccount)]
    pub global_config: UncheckedAccount,
    #[account(address = WSOL_MINT @ DatError::MintMismatch)]
    pub wsol_mint: UncheckedAccount,
    #[account(mut, address = state.authority_wsol_ata @ DatError::InvalidTokenAccount)]
    pub authority_wsol_ata: UncheckedAccount,
    /// Also checked against the pool's fields.
    #[account(mut, address = token_stats.pool_token_account @ DatError::InvalidPool)]
    pub pool_base_token_account: UncheckedAccount,
    #[account(mut)]
    pub pool_quote_token_account: UncheckedAccount,
    /// Checked by PumpSwap against GlobalConfig.
    pub protocol_fee_recipient: UncheckedAccount,
    #[account(mut)]
    pub protocol_fee_recipient_token_account: UncheckedAccount,
    #[account(address = SPL_TOKEN_PROGRAM_ID @ DatError::InvalidTokenProgram)]
    pub quote_token_program: UncheckedAccount,
    pub system_program: Program<System>,
    #[account(address = ASSOCIATED_TOKEN_PROGRAM_ID @ DatError::InvalidExternalAccount)]
    pub associated_token_program: UncheckedAccount,
    #[account(address = AMM_EVENT_AUTHORITY @ DatError::InvalidExternalAccount)]
    pub event_authority: UncheckedAccount,
    #[account(address = PUMP_AMM_PROGRAM_ID @ DatError::InvalidExternalAccount)]
    pub amm_program: UncheckedAccount,
    /// The DAT's shared PumpSwap creator vault (keeper mode), or the sharing
    /// config's (fee-sharing): checked in the handler.
    #[account(mut)]
    pub coin_creator_vault_ata: UncheckedAccount,
    /// Its owner (checked in the handler).
    pub coin_creator_vault_authority: UncheckedAccount,
    #[account(address = AMM_GLOBAL_VOLUME_ACCUMULATOR @ DatError::InvalidExternalAccount)]
    pub global_volume_accumulator: UncheckedAccount,
    #[account(mut, address = state.amm_user_volume_accumulator @ DatError::InvalidExternalAccount)]
    pub user_volume_accumulator: UncheckedAccount,
    #[account(address = AMM_FEE_CONFIG @ DatError::InvalidExternalAccount)]
    pub fee_config: UncheckedAccount,
    #[account(address = PUMP_FEE_PROGRAM_ID @ DatError::InvalidExternalAccount)]
    pub fee_program: UncheckedAccount,
    /// `["wsol_scratch"]` (transient; empty between instructions).
    #[account(mut, address = state.wsol_scratch @ DatError::InvalidExternalAccount)]
    pub wsol_scratch: UncheckedAccount,
    /// Read for the pool invariant (address checked in the handler, after the
    /// deferral gate, so a deferred cycle does not pay for it).
    pub bc_creator_vault: UncheckedAccount,
    /// Instructions sysvar (checked in the handler).
    pub instructions_sysvar: UncheckedAccount,
}

// Pool / GlobalConfig offsets (pump.md §4.1).
const POOL_BASE_MINT: usize = 43;
const POOL_QUOTE_MINT: usize = 75;
const POOL_BASE_TA: usize = 139;
const POOL_QUOTE_TA: usize = 171;
const POOL_COIN_CREATOR: usize = 211;
const GC_LP_FEE: usize = 40;
const GC_PROTOCOL_FEE: usize = 48;
const GC_COIN_CREATOR_FEE: usize = 313;

/// The base and quote vault balances of a PumpSwap pool, after checking that
/// the pool is PumpSwap's, pairs `mint` with WSOL, and that these are its
/// recorded vaults (the base one of `base_token_program`).
pub struct PoolVaults<'a> {
    pub pool: &'a AccountView,
    pub base_vault: &'a AccountView,
    pub quote_vault: &'a AccountView,
}

#[inline(never)]
pub fn pool_reserves(
    v: &PoolVaults,
    mint: &Address,
    base_token_program: &Address,
) -> Result<(u64, u64)> {
    let (pool, base_vault, quote_vault) = (v.pool, v.base_vault, v.quote_vault);
    require!(pool.owned_by(&PUMP_AMM_PROGRAM_ID), DatError::InvalidPool);
    require!(
        read_address_at(pool, POOL_BASE_MINT) == *mint
            && read_address_at(pool, POOL_QUOTE_MINT) == WSOL_MINT
            && read_address_at(pool, POOL_BASE_TA) == *base_vault.address()
            && read_address_at(pool, POOL_QUOTE_TA) == *quote_vault.address(),
        DatError::InvalidPool
    );
    let base = read_token_account(base_vault, base_token_program)?;
    let quote = read_token_account(quote_vault, &SPL_TOKEN_PROGRAM_ID)?;
    require!(
        base.mint == *mint && quote.mint == WSOL_MINT,
        DatError::InvalidPool
    );
    Ok((base.amount, quote.amount))
}

#[inline(never)]
fn pool_quote_input(a: &ExecuteCycleAmm, coin_creator: &Address) -> Result<PoolQuoteInput> {
    let pool = a.pool.account();
    let gc = a.global_config.account();
    require!(gc.owned_by(&PUMP_AMM_PROGRAM_ID), DatError::InvalidPool);
    let (base_reserves, quote_reserves) = pool_reserves(
        &PoolVaults {
            pool,
            base_vault: a.pool_base_token_account.account(),
            quote_vault: a.pool_quote_token_account.account(),
        },
        a.mint.address(),
        &a.token_stats.token_program,
    )?;
    // Our tokens' coin creator: the DAT authority, or a fee-sharing token's config.
    require!(
        read_address_at(pool, POOL_COIN_CREATOR) == *coin_creator,
        DatError::InvalidPool
    );
    Ok(PoolQuoteInput {
        base_reserves,
        quote_reserves,
        fees: FeeRates {
            a: read_u64_at(gc, GC_LP_FEE),
            b: read_u64_at(gc, GC_PROTOCOL_FEE),
            c: read_u64_at(gc, GC_COIN_CREATOR_FEE),
        },
    })
}

#[inline(never)]
fn collect_amm(a: &mut ExecuteCycleAmm, now: i64) -> Result<()> {
    let vault = a.coin_creator_vault_ata.account();
    if !vault.owned_by(&SPL_TOKEN_PROGRAM_ID) || token_amount(vault) == 0 {
        return Ok(());
    }
    let before = token_amount(a.authority_wsol_ata.account());
    let accounts = [
        *a.wsol_mint.account(),
        *a.quote_token_program.account(),
        *a.authority.account(),
        *a.coin_creator_vault_authority.account(),
        *a.coin_creator_vault_ata.account(),
        *a.authority_wsol_ata.account(),
        *a.event_authority.account(),
        *a.amm_program.account(),
    ];
    let bump = [a.state.authority_bump];
    invoke_signed_raw(
        &RawCpi {
            program_id: &PUMP_AMM_PROGRAM_ID,
            data: &AMM_COLLECT_COIN_CREATOR_FEE_DISC,
            accounts: &accounts,
            flags: &AMM_COLLECT_FLAGS,
        },
        &authority_seeds(&bump),
    )?;
    let held_wsol = token_amount(a.authority_wsol_ata.account());
    let collected = held_wsol.saturating_sub(before);
    let state = &mut a.state;
    state.total_collected = PodU64::from(state.total_collected.get().saturating_add(collected));
    emit!(FeesCollected {
        venue: POOL_AMM,
        amount: collected,
        held_lamports: authority_lamports(a.authority.account()),
        held_wsol,
        timestamp: now,
    });
    Ok(())
}

/// Pays a secondary's root share (in SOL) out of pool WSOL when possible:
/// unwraps the WSOL beyond the buy budget (up to the root share), or more if
/// the native pool cannot cover the share. AMM fees thus fund AMM cycles and
/// native SOL stays available for bonding-curve buys.
#[inline(never)]
fn fund_native(a: &mut ExecuteCycleAmm, to_root: u64, budget: u64) -> Result<()> {
    let held = authority_lamports(a.authority.account());
    let held_wsol = wsol_amount(a.authority_wsol_ata.account());
    let from_surplus = core::cmp::min(to_root, held_wsol.saturating_sub(budget));
    let unwrap = core::cmp::max(from_surplus, to_root.saturating_sub(held));
    if unwrap == 0 {
        return Ok(());
    }
    require!(held_wsol >= unwrap, DatError::InsufficientFees);
    let auth_bump = [a.state.authority_bump];
    let scratch_bump = [a.state.wsol_scratch_bump];
    let auth_seeds = authority_seeds(&auth_bump);
    let scratch_seeds = [Seed::from(WSOL_SCRATCH_SEED), Seed::from(&scratch_bump[..])];
    unwrap_wsol(&UnwrapWsol {
        payer: a.operator.account(),
        authority: a.authority.account(),
        authority_wsol_ata: a.authority_wsol_ata.account(),
        scratch: a.wsol_scratch.account(),
        wsol_mint: a.wsol_mint.account(),
        token_program: a.quote_token_program.account(),
        authority_seeds: &auth_seeds,
        scratch_seeds: &scratch_seeds,
        amount: unwrap,
    })?;
    emit!(WsolUnwrapped {
        amount: unwrap,
        held_lamports: authority_lamports(a.authority.account()),
        held_wsol: wsol_amount(a.authority_wsol_ata.account()),
    });
    Ok(())
}

/// Makes sure the authority's WSOL account holds `budget` of pool WSOL.
#[inline(never)]
fn fund_wsol(a: &mut ExecuteCycleAmm, budget: u64) -> Result<()> {
    let held_wsol = wsol_amount(a.authority_wsol_ata.account());
    if held_wsol >= budget {
        return Ok(());
    }
    let wrap = budget - held_wsol;
    let held = authority_lamports(a.authority.account());
    require!(held >= wrap, DatError::InsufficientFees);
    let bump = [a.state.authority_bump];
    let seeds = authority_seeds(&bump);
    pinocchio_system::instructions::Transfer {
        from: a.authority.account(),
        to: a.authority_wsol_ata.account(),
        lamports: wrap,
    }
    .invoke_signed(&[pinocchio::cpi::Signer::from(&seeds[..])])?;
    sync_native(
        a.quote_token_program.account(),
        a.authority_wsol_ata.account(),
    )?;
    emit!(WsolWrapped {
        amount: wrap,
        held_lamports: held - wrap,
        held_wsol: budget
    });
    Ok(())
}

/// The PumpSwap buy; returns (WSOL spent, lamports spent, tokens bought).
#[inline(never)]
fn buy(a: &ExecuteCycleAmm, args: &BuyArgs) -> Result<(u64, u64, u64)> {
    let (trailing, max_quote_in, base_out) = (args.trailing, args.spendable, args.min_out);
    let wsol_before = token_amount(a.authority_wsol_ata.account());
    let lamports_before = a.authority.account().lamports();
    let tokens_before = token_amount(a.dat_token_account.account());
    let fixed = [
        *a.pool.account(),
        *a.authority.account(),
        *a.global_config.account(),
        *a.mint.account(),
        *a.wsol_mint.account(),
        *a.dat_token_account.account(),
        *a.authority_wsol_ata.account(),
        *a.pool_base_token_account.account(),
        *a.pool_quote_token_account.account(),
        *a.protocol_fee_recipient.account(),
        *a.protocol_fee_recipient_token_account.account(),
        *a.token_program.account(),
        *a.quote_token_program.account(),
        *a.system_program.account(),
        *a.associated_token_program.account(),
        *a.event_authority.account(),
        *a.amm_program.account(),
        *a.coin_creator_vault_ata.account(),
        *a.coin_creator_vault_authority.account(),
        *a.global_volume_accumulator.account(),
        *a.user_volume_accumulator.account(),
        *a.fee_config.account(),
        *a.fee_program.account(),
    ];
    let mut all = [fixed[0]; MAX_CPI_ACCOUNTS];
    let n = gather(&fixed, trailing, &mut all)?;
    let data = amm_buy_data(base_out, max_quote_in);
    let bump = [a.state.authority_bump];
    invoke_signed_raw(
        &RawCpi {
            program_id: &PUMP_AMM_PROGRAM_ID,
            data: &data,
            accounts: &all[..n],
            flags: &AMM_BUY_FLAGS,
        },
        &authority_seeds(&bump),
    )?;
    let wsol_spent = wsol_before.saturating_sub(token_amount(a.authority_wsol_ata.account()));
    let lamports_spent = lamports_before.saturating_sub(a.authority.account().lamports());
    let bought = token_amount(a.dat_token_account.account()).saturating_sub(tokens_before);
    Ok((wsol_spent, lamports_spent, bought))
}

/// The buy's creator vault: the DAT's shared one in keeper mode; a fee-sharing
/// token's config vault (`token_stats.fee_creator_vault`, the canonical ATA of
/// the config's PumpSwap vault authority, derived by `set_token_pool`), owned
/// by the authority passed. Returns the pool's expected `coin_creator`.
#[inline(never)]
fn check_creator_vault(a: &ExecuteCycleAmm, fee_sharing: bool) -> Result<Address> {
    if !fee_sharing {
        require!(
            *a.coin_creator_vault_ata.address() == a.state.amm_vault_ata
                && *a.coin_creator_vault_authority.address() == a.state.amm_vault_authority,
            DatError::InvalidExternalAccount
        );
        return Ok(a.state.authority);
    }
    require!(
        *a.coin_creator_vault_ata.address() == a.token_stats.fee_creator_vault,
        DatError::InvalidExternalAccount
    );
    let vault = read_token_account(a.coin_creator_vault_ata.account(), &SPL_TOKEN_PROGRAM_ID)?;
    require!(
        vault.mint == WSOL_MINT && vault.owner == *a.coin_creator_vault_authority.address(),
        DatError::InvalidExternalAccount
    );
    Ok(a.token_stats.sharing_config)
}

pub fn handle_execute_cycle_amm(
    ctx: &mut Context<ExecuteCycleAmm>,
    quoted_tokens_out: u64,
) -> Result<()> {
    let remaining = ctx.remaining_accounts()?;
    let a = &mut ctx.accounts;
    require!(a.token_stats.pool_type == POOL_AMM, DatError::WrongPoolType);
    let (source, trailing) = split_source(&a.token_stats, &remaining[..])?;
    let incoming = source_incoming(&a.token_stats, &a.state.amm_vault_ata, source)?;
    let clock = Clock::get()?;
    let now = clock.unix_timestamp;
    let treasury = treasury_lamports(a.root_treasury.account());
    let Some(plan) = plan(&a.state, &a.token_stats, now, treasury, incoming)? else {
        return Ok(());
    };
    require!(
        *a.bc_creator_vault.address() == a.state.bc_creator_vault,
        DatError::InvalidExternalAccount
    );
    let creator = check_creator_vault(a, source.is_some())?;
    require_own_transaction(a.instructions_sysvar.account())?;

    let input = pool_quote_input(a, &creator)?;
    let (ref_quote_reserves, ref_base_reserves) = price_reference(&a.token_stats, clock.slot)?;
    let net = net_after_fees(plan.budget, &input.fees).ok_or(DatError::MathOverflow)?;
    let onchain_quote = pool_out_for_net(net, &input).ok_or(DatError::MathOverflow)?;
    let reference_quote = pool_out_for_net(
        net,
        &PoolQuoteInput {
            base_reserves: ref_base_reserves,
            quote_reserves: ref_quote_reserves,
            fees: input.fees,
        },
    )
    .ok_or(DatError::MathOverflow)?;
    let min_out = guarded_min_out(
        quoted_tokens_out,
        reference_quote,
        onchain_quote,
        a.state.slippage_bps.get(),
    )?;

    match source {
        // The config's vault pays our fee account only (swept by the permissionless
        // `transfer_creator_fees_to_pump_v2` + `distribute_creator_fees_v2`).
        Some(src) => {
            let authority = *a.authority.account();
            take_source(
                &mut a.state,
                &mut a.token_stats,
                &SourceTake {
                    fee_vault: &src[0],
                    authority: &authority,
                    incoming,
                    now,
                },
            )?
        }
        None => collect_amm(a, now)?,
    }
    take(&mut a.state, &mut a.token_stats, &plan)?;
    fund_native(a, plan.to_root, plan.budget)?;
    let (authority, treasury, system) = (
        *a.authority.account(),
        *a.root_treasury.account(),
        *a.system_program.account(),
    );
    settle_root(
        &a.state,
        &a.token_stats,
        &plan,
        &LamportAccounts {
            authority: &authority,
            treasury: &treasury,
            system_program: &system,
        },
    )?;
    fund_wsol(a, plan.budget)?;

    let (wsol_spent, lamports_spent, bought) = buy(
        a,
        &BuyArgs {
            trailing,
            spendable: plan.budget,
            min_out: onchain_quote,
        },
    )?;
    let spent = wsol_spent
        .checked_add(lamports_spent)
        .ok_or(DatError::MathOverflow)?;
    require!(spent <= plan.budget, DatError::BudgetExceeded);
    require!(bought >= min_out, DatError::SlippageExceeded);

    burn_bought(
        &a.state,
        &a.token_stats,
        &Burn {
            token_program: a.token_program.account(),
            dat_token_account: a.dat_token_account.account(),
            mint: a.mint.account(),
            authority: a.authority.account(),
        },
        bought,
    )?;
    finish(
        &mut a.state,
        &mut a.token_stats,
        &plan,
        &Outcome {
            sol_spent: spent,
            tokens_bought: bought,
            min_tokens_out: min_out,
            pool_type: POOL_AMM,
        },
    )?;
    let shared_vault = match source {
        Some(src) => &src[2],
        None => a.coin_creator_vault_ata.account(),
    };
    require_pending_covered(
        a.state.total_pending_fees.get(),
        &PoolAccounts {
            authority: a.authority.account(),
            authority_wsol_ata: a.authority_wsol_ata.account(),
            bc_creator_vault: a.bc_creator_vault.account(),
            amm_vault_ata: shared_vault,
        },
    )
}
