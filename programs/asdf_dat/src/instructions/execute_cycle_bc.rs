//! `execute_cycle_bc` (keeper or admin): one bonding-curve token's cycle,
//! atomically: collect the shared pump creator vault into the authority, take
//! the token's pending share (capped per cycle), send a secondary's 44.8 % to
//! the root treasury (a root instead spends the treasury too), buy with pump
//! `buy_exact_sol_in` and a minimum out, burn exactly what was bought.
//!
//! `quoted_tokens_out` is the caller's off-chain quote for the budget. The
//! minimum out is the larger of that quote and the quote of the budget at the
//! token's price reference (`record_price_reference`, an earlier slot, at most
//! `PRICE_REFERENCE_MAX_AGE_SLOTS` old: `StalePriceReference`), each less the
//! configured slippage; the on-chain fee-aware quote from the curve must reach
//! it (`SlippageExceeded`). This holds for every caller, the operator included.
//! The transaction may hold only this program's and compute-budget
//! instructions (`ForeignInstructionInCycle`). What the DAT can spend is read
//! from real balances (`crate::treasury`); after the cycle Σ pending must still
//! be covered by them (`OverAttribution`).
//! Remaining accounts are forwarded to pump as trailing accounts
//! (bonding_curve_v2, buyback fee recipient).
//!
//! Fee-sharing token (`token_stats.attribution == ATTRIBUTION_FEE_SHARING`): the
//! first three remaining accounts are its fee account, its mint's sharing config
//! and the shared pump creator vault (collected as usual, for what the keeper
//! attributed before the switch, and read for the pool invariant); `creator_vault`
//! is the config's pump vault. The config is verified (sole shareholder = the
//! fee account, admin revoked) and, instead of collecting the shared vault, the
//! fee account's lamports move into the authority and join the token's pending
//! (`cycle::absorb`); everything after is the same sequence. Anyone may run the
//! cycle when `DatState::may_run_cycle` allows it; its quote can only tighten
//! the reference bound, like the operator's.

use anchor_lang::prelude::*;

use crate::constants::*;
use crate::errors::DatError;
use crate::events::FeesCollected;
use crate::instructions::cycle::*;
use crate::math::{curve_out_for_net, net_after_fees, CurveQuoteInput, FeeRates};
use crate::pump_cpi::*;
use crate::state::{DatState, TokenStats};
use crate::token::token_amount;
use crate::treasury::{
    authority_lamports, require_pending_covered, treasury_lamports, PoolAccounts,
};

#[derive(Accounts)]
pub struct ExecuteCycleBc {
    pub operator: Signer,
    #[account(mut, constraint = state.may_run_cycle(operator.address()) @ DatError::Unauthorized)]
    pub state: Account<DatState>,
    #[account(mut)]
    pub token_stats: Account<TokenStats>,
    #[account(mut, address = state.root_treasury @ DatError::InvalidRootTreasury)]
    pub root_treasury: UncheckedAccount,
    #[account(mut, address = state.authority @ DatError::InvalidExternalAccount)]
    pub authority: UncheckedAccount,
    #[account(mut, address = token_stats.mint @ DatError::MintMismatch)]
    pub mint: UncheckedAccount,
    #[account(mut, address = token_stats.dat_token_account @ DatError::InvalidTokenAccount)]
    pub dat_token_account: UncheckedAccount,
    #[account(address = token_stats.token_program @ DatError::InvalidTokenProgram)]
    pub token_program: UncheckedAccount,
    #[account(mut, address = token_stats.pool @ DatError::InvalidPool)]
    pub bonding_curve: UncheckedAccount,
    #[account(mut, address = token_stats.pool_token_account @ DatError::InvalidPool)]
    pub associated_bonding_curve: UncheckedAccount,
    #[account(address = PUMP_GLOBAL @ DatError::InvalidExternalAccount)]
    pub global: UncheckedAccount,
    /// Checked by pump against Global's fee recipients.
    #[account(mut)]
    pub fee_recipient: UncheckedAccount,
    /// The shared pump creator vault, or a fee-sharing token's config vault (checked in the handler).
    #[account(mut)]
    pub creator_vault: UncheckedAccount,
    #[account(address = PUMP_EVENT_AUTHORITY @ DatError::InvalidExternalAccount)]
    pub event_authority: UncheckedAccount,
    #[account(address = PUMP_PROGRAM_ID @ DatError::InvalidExternalAccount)]
    pub pump_program: UncheckedAccount,
    #[account(address = PUMP_GLOBAL_VOLUME_ACCUMULATOR @ DatError::InvalidExternalAccount)]
    pub global_volume_accumulator: UncheckedAccount,
    #[account(mut, address = state.pump_user_volume_accumulator @ DatError::InvalidExternalAccount)]
    pub user_volume_accumulator: UncheckedAccount,
    #[account(address = PUMP_FEE_CONFIG @ DatError::InvalidExternalAccount)]
    pub fee_config: UncheckedAccount,
    #[account(address = PUMP_FEE_PROGRAM_ID @ DatError::InvalidExternalAccount)]
    pub fee_program: UncheckedAccount,
    pub system_program: Program<System>,
    /// Read for the pool invariant (address checked in the handler, after the
    /// deferral gate, so a deferred cycle does not pay for it).
    pub authority_wsol_ata: UncheckedAccount,
    /// Read for the pool invariant (checked in the handler).
    pub amm_vault_ata: UncheckedAccount,
    /// Instructions sysvar (checked in the handler).
    pub instructions_sysvar: UncheckedAccount,
}

// BondingCurve / Global offsets (pump.md §3.1).
pub const CURVE_VIRTUAL_TOKEN: usize = 8;
pub const CURVE_VIRTUAL_SOL: usize = 16;
const CURVE_REAL_TOKEN: usize = 24;
const CURVE_COMPLETE: usize = 48;
const CURVE_CREATOR: usize = 49;
const GLOBAL_FEE_BPS: usize = 105;
const GLOBAL_CREATOR_FEE_BPS: usize = 154;

/// Fee-aware quote input from the curve and Global (both pump-owned).
#[inline(never)]
fn curve_quote_input(
    curve: &AccountView,
    global: &AccountView,
    creator: &Address,
) -> Result<CurveQuoteInput> {
    require!(
        curve.owned_by(&PUMP_PROGRAM_ID) && global.owned_by(&PUMP_PROGRAM_ID),
        DatError::InvalidPool
    );
    // SAFETY: pump-owned curve (owner checked above), only read here; the slice is dropped before
    // the buy CPI writes it.
    let data = unsafe { curve.borrow_unchecked() };
    require!(
        data.len() > CURVE_CREATOR + 32 && data[CURVE_COMPLETE] == 0,
        DatError::InvalidPool
    );
    let curve_creator = read_address_at(curve, CURVE_CREATOR);
    let creator_bps = if curve_creator == Address::default() {
        0
    } else {
        read_u64_at(global, GLOBAL_CREATOR_FEE_BPS)
    };
    // Our tokens are created by the DAT authority; anything else is not ours to buy here.
    require!(curve_creator == *creator, DatError::InvalidPool);
    Ok(CurveQuoteInput {
        virtual_token_reserves: read_u64_at(curve, CURVE_VIRTUAL_TOKEN),
        virtual_sol_reserves: read_u64_at(curve, CURVE_VIRTUAL_SOL),
        real_token_reserves: read_u64_at(curve, CURVE_REAL_TOKEN),
        fees: FeeRates {
            a: read_u64_at(global, GLOBAL_FEE_BPS),
            b: creator_bps,
            c: 0,
        },
    })
}

#[inline(never)]
fn collect_bc(a: &mut ExecuteCycleBc, vault: &AccountView, now: i64) -> Result<()> {
    if vault.lamports() <= RENT_EXEMPT_ZERO_DATA {
        return Ok(());
    }
    let before = a.authority.account().lamports();
    let accounts = [
        *a.authority.account(),
        *vault,
        *a.system_program.account(),
        *a.event_authority.account(),
        *a.pump_program.account(),
    ];
    let bump = [a.state.authority_bump];
    invoke_signed_raw(
        &RawCpi {
            program_id: &PUMP_PROGRAM_ID,
            data: &PUMP_COLLECT_CREATOR_FEE_DISC,
            accounts: &accounts,
            flags: &PUMP_COLLECT_FLAGS,
        },
        &authority_seeds(&bump),
    )?;
    let collected = a.authority.account().lamports().saturating_sub(before);
    let state = &mut a.state;
    state.total_collected = PodU64::from(state.total_collected.get().saturating_add(collected));
    emit!(FeesCollected {
        venue: POOL_BONDING_CURVE,
        amount: collected,
        held_lamports: authority_lamports(a.authority.account()),
        held_wsol: crate::treasury::wsol_amount(a.authority_wsol_ata.account()),
        timestamp: now,
    });
    Ok(())
}

/// The pump buy; returns (lamports spent, tokens bought).
#[inline(never)]
fn buy(a: &ExecuteCycleBc, args: &BuyArgs) -> Result<(u64, u64)> {
    let (trailing, spendable, min_out) = (args.trailing, args.spendable, args.min_out);
    let lamports_before = a.authority.account().lamports();
    let tokens_before = token_amount(a.dat_token_account.account());
    let fixed = [
        *a.global.account(),
        *a.fee_recipient.account(),
        *a.mint.account(),
        *a.bonding_curve.account(),
        *a.associated_bonding_curve.account(),
        *a.dat_token_account.account(),
        *a.authority.account(),
        *a.system_program.account(),
        *a.token_program.account(),
        *a.creator_vault.account(),
        *a.event_authority.account(),
        *a.pump_program.account(),
        *a.global_volume_accumulator.account(),
        *a.user_volume_accumulator.account(),
        *a.fee_config.account(),
        *a.fee_program.account(),
    ];
    let mut all = [fixed[0]; MAX_CPI_ACCOUNTS];
    let n = gather(&fixed, trailing, &mut all)?;
    let data = pump_buy_exact_sol_in_data(spendable, min_out);
    let bump = [a.state.authority_bump];
    invoke_signed_raw(
        &RawCpi {
            program_id: &PUMP_PROGRAM_ID,
            data: &data,
            accounts: &all[..n],
            flags: &PUMP_BUY_FLAGS,
        },
        &authority_seeds(&bump),
    )?;
    let spent = lamports_before.saturating_sub(a.authority.account().lamports());
    let bought = token_amount(a.dat_token_account.account()).saturating_sub(tokens_before);
    Ok((spent, bought))
}

pub fn handle_execute_cycle_bc(
    ctx: &mut Context<ExecuteCycleBc>,
    quoted_tokens_out: u64,
) -> Result<()> {
    let remaining = ctx.remaining_accounts()?;
    let a = &mut ctx.accounts;
    require!(
        a.token_stats.pool_type == POOL_BONDING_CURVE,
        DatError::WrongPoolType
    );
    let (source, trailing) = split_source(&a.token_stats, &remaining[..])?;
    let (expected_vault, creator) = if source.is_some() {
        (
            a.token_stats.fee_creator_vault,
            a.token_stats.sharing_config,
        )
    } else {
        (a.state.bc_creator_vault, a.state.authority)
    };
    require!(
        *a.creator_vault.address() == expected_vault,
        DatError::InvalidExternalAccount
    );
    let incoming = source_incoming(&a.token_stats, &a.state.bc_creator_vault, source)?;
    let clock = Clock::get()?;
    let now = clock.unix_timestamp;
    let treasury = treasury_lamports(a.root_treasury.account());
    let Some(plan) = plan(&a.state, &a.token_stats, now, treasury, incoming)? else {
        return Ok(());
    };
    require!(
        *a.authority_wsol_ata.address() == a.state.authority_wsol_ata,
        DatError::InvalidTokenAccount
    );
    require!(
        *a.amm_vault_ata.address() == a.state.amm_vault_ata,
        DatError::InvalidExternalAccount
    );
    require_own_transaction(a.instructions_sysvar.account())?;

    // Slippage first: cheapest failure, nothing moved yet.
    let input = curve_quote_input(a.bonding_curve.account(), a.global.account(), &creator)?;
    let (ref_sol, ref_token) = price_reference(&a.token_stats, clock.slot)?;
    let net = net_after_fees(plan.budget, &input.fees).ok_or(DatError::MathOverflow)?;
    let onchain_quote = curve_out_for_net(net, &input).ok_or(DatError::MathOverflow)?;
    let reference_quote = curve_out_for_net(
        net,
        &CurveQuoteInput {
            virtual_token_reserves: ref_token,
            virtual_sol_reserves: ref_sol,
            ..input
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
        Some(src) => {
            // A switched token may still own keeper-attributed pending, held in the shared vault.
            collect_bc(a, &src[2], now)?;
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
            )?;
        }
        None => {
            let vault = *a.creator_vault.account();
            collect_bc(a, &vault, now)?
        }
    }
    take(&mut a.state, &mut a.token_stats, &plan)?;
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
    require!(
        authority_lamports(a.authority.account()) >= plan.budget,
        DatError::InsufficientFees
    );

    let (spent, bought) = buy(
        a,
        &BuyArgs {
            trailing,
            spendable: plan.budget,
            min_out,
        },
    )?;
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
            pool_type: POOL_BONDING_CURVE,
        },
    )?;
    let shared_vault = match source {
        Some(src) => &src[2],
        None => a.creator_vault.account(),
    };
    require_pending_covered(
        a.state.total_pending_fees.get(),
        &PoolAccounts {
            authority: a.authority.account(),
            authority_wsol_ata: a.authority_wsol_ata.account(),
            bc_creator_vault: shared_vault,
            amm_vault_ata: a.amm_vault_ata.account(),
        },
    )
}
