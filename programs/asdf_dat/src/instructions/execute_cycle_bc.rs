//! `execute_cycle_bc` (keeper or admin): one bonding-curve token's cycle,
//! atomically: collect the shared pump creator vault into the authority, take
//! the token's pending share (capped per cycle), set a secondary's 44.8 % aside
//! for the root (held in the pool, `DatState::root_share_held`; a root instead
//! spends that and its treasury too), unwrap WSOL only if the authority's SOL
//! falls short of the budget, buy with pump `buy_exact_sol_in` and a minimum
//! out, burn exactly what was bought.
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
use crate::events::{FeesCollected, WsolUnwrapped};
use crate::instructions::cycle::*;
use crate::math::{curve_out_for_net, CurveQuoteInput, FeeRates};
use crate::pump_accounts::{with_head, BondingCurveHead, GlobalHead};
use crate::pump_cpi::*;
use crate::state::{DatState, TokenStats};
use crate::token::{token_amount, unwrap_wsol, UnwrapWsol};
use crate::treasury::{authority_lamports, wsol_amount, PoolAccounts};
use pinocchio::cpi::Seed;

#[derive(Accounts)]
pub struct ExecuteCycleBc {
    /// Keeper or admin; advances the scratch account's rent when WSOL is unwrapped
    /// and the authority cannot.
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
    /// Read for the pool invariant; unwrapped from when the authority's SOL cannot
    /// cover the budget (address checked in the handler, after the deferral gate,
    /// so a deferred cycle does not pay for it).
    #[account(mut)]
    pub authority_wsol_ata: UncheckedAccount,
    /// Read for the pool invariant (checked in the handler).
    pub amm_vault_ata: UncheckedAccount,
    /// Instructions sysvar (checked in the handler).
    pub instructions_sysvar: UncheckedAccount,
    /// `["wsol_scratch"]`, the WSOL mint and SPL Token: used (and checked) only when
    /// WSOL is unwrapped for the buy.
    #[account(mut)]
    pub wsol_scratch: UncheckedAccount,
    pub wsol_mint: UncheckedAccount,
    pub quote_token_program: UncheckedAccount,
}

/// The pump curve's side of a cycle (`cycle::Venue`).
pub struct Curve<'a> {
    pub bonding_curve: &'a AccountView,
    pub associated_bonding_curve: &'a AccountView,
    pub global: &'a AccountView,
    pub fee_recipient: &'a AccountView,
    pub creator_vault: &'a AccountView,
    pub event_authority: &'a AccountView,
    pub pump_program: &'a AccountView,
    pub global_volume_accumulator: &'a AccountView,
    pub user_volume_accumulator: &'a AccountView,
    pub fee_config: &'a AccountView,
    pub fee_program: &'a AccountView,
    pub authority_wsol_ata: &'a AccountView,
    pub amm_vault_ata: &'a AccountView,
    pub wsol_scratch: &'a AccountView,
    pub wsol_mint: &'a AccountView,
    pub quote_token_program: &'a AccountView,
}

impl Curve<'_> {
    /// The authority's SOL does not cover the budget (the pool's SOL went to
    /// PumpSwap buys, or the root's held share came from PumpSwap secondaries as
    /// WSOL): unwrap the shortfall from the authority's WSOL.
    #[inline(never)]
    fn unwrap_shortfall(&self, c: &CycleAccounts, shortfall: u64) -> Result<()> {
        require!(
            *self.wsol_scratch.address() == c.state.wsol_scratch
                && *self.wsol_mint.address() == WSOL_MINT
                && *self.quote_token_program.address() == SPL_TOKEN_PROGRAM_ID,
            DatError::InvalidExternalAccount
        );
        require!(
            wsol_amount(self.authority_wsol_ata) >= shortfall,
            DatError::InsufficientFees
        );
        let auth_bump = [c.state.authority_bump];
        let scratch_bump = [c.state.wsol_scratch_bump];
        let auth_seeds = authority_seeds(&auth_bump);
        let scratch_seeds = [Seed::from(WSOL_SCRATCH_SEED), Seed::from(&scratch_bump[..])];
        unwrap_wsol(&UnwrapWsol {
            payer: c.operator,
            authority: c.authority,
            authority_wsol_ata: self.authority_wsol_ata,
            scratch: self.wsol_scratch,
            wsol_mint: self.wsol_mint,
            authority_seeds: &auth_seeds,
            scratch_seeds: &scratch_seeds,
            amount: shortfall,
        })?;
        emit!(WsolUnwrapped {
            amount: shortfall,
            held_lamports: authority_lamports(c.authority),
            held_wsol: wsol_amount(self.authority_wsol_ata),
        });
        Ok(())
    }

    #[inline(never)]
    fn collect_vault(&self, c: &mut CycleAccounts, vault: &AccountView, now: i64) -> Result<()> {
        if vault.lamports() <= RENT_EXEMPT_ZERO_DATA {
            return Ok(());
        }
        let before = c.authority.lamports();
        let accounts = [
            *c.authority,
            *vault,
            *c.system_program,
            *self.event_authority,
            *self.pump_program,
        ];
        let bump = [c.state.authority_bump];
        invoke_signed_raw(
            &RawCpi {
                program_id: &PUMP_PROGRAM_ID,
                data: &PUMP_COLLECT_CREATOR_FEE_DISC,
                accounts: &accounts,
                flags: &PUMP_COLLECT_FLAGS,
            },
            &authority_seeds(&bump),
        )?;
        let collected = c.authority.lamports().saturating_sub(before);
        let state = &mut *c.state;
        state.total_collected = PodU64::from(state.total_collected.get().saturating_add(collected));
        emit!(FeesCollected {
            venue: POOL_BONDING_CURVE,
            amount: collected,
            held_lamports: authority_lamports(c.authority),
            held_wsol: wsol_amount(self.authority_wsol_ata),
            timestamp: now,
        });
        Ok(())
    }
}

impl Venue for Curve<'_> {
    const POOL_TYPE: u8 = POOL_BONDING_CURVE;
    const DISCRIMINATOR: [u8; 8] = EXECUTE_CYCLE_BC_DISC;
    type Quote = CurveQuoteInput;

    #[inline(always)]
    fn shared_vault(state: &DatState) -> Address {
        state.bc_creator_vault
    }

    /// The buy's creator vault: the shared one, or a fee-sharing token's config vault.
    #[inline(always)]
    fn check_early(&self, c: &CycleAccounts, fee_sharing: bool) -> Result<()> {
        let expected = if fee_sharing {
            c.stats.fee_creator_vault
        } else {
            c.state.bc_creator_vault
        };
        require!(
            *self.creator_vault.address() == expected,
            DatError::InvalidExternalAccount
        );
        Ok(())
    }

    #[inline(always)]
    fn check_accounts(&self, c: &CycleAccounts, fee_sharing: bool) -> Result<Address> {
        require!(
            *self.authority_wsol_ata.address() == c.state.authority_wsol_ata,
            DatError::InvalidTokenAccount
        );
        require!(
            *self.amm_vault_ata.address() == c.state.amm_vault_ata,
            DatError::InvalidExternalAccount
        );
        // Our curves are created by the DAT authority, or by a fee-sharing token's config.
        Ok(if fee_sharing {
            c.stats.sharing_config
        } else {
            c.state.authority
        })
    }

    /// Fee-aware quote input from the curve and Global (both pump-owned).
    #[inline(never)]
    fn quote_input(&self, _c: &CycleAccounts, creator: &Address) -> Result<CurveQuoteInput> {
        let (curve, global) = (self.bonding_curve, self.global);
        require!(
            curve.owned_by(&PUMP_PROGRAM_ID) && global.owned_by(&PUMP_PROGRAM_ID),
            DatError::InvalidPool
        );
        let (complete, curve_creator, virtual_token, virtual_sol, real_token) =
            with_head(curve, |c: &BondingCurveHead| {
                (
                    c.complete,
                    c.creator,
                    c.virtual_token_reserves.get(),
                    c.virtual_sol_reserves.get(),
                    c.real_token_reserves.get(),
                )
            })
            .ok_or(DatError::InvalidPool)?;
        require!(complete == 0, DatError::InvalidPool);
        let (fee_bps, creator_fee_bps) = with_head(global, |g: &GlobalHead| {
            (g.fee_basis_points.get(), g.creator_fee_basis_points.get())
        })
        .ok_or(DatError::InvalidPool)?;
        let creator_bps = if curve_creator == Address::default() {
            0
        } else {
            creator_fee_bps
        };
        // Anything not created by us is not ours to buy here.
        require!(curve_creator == *creator, DatError::InvalidPool);
        Ok(CurveQuoteInput {
            virtual_token_reserves: virtual_token,
            virtual_sol_reserves: virtual_sol,
            real_token_reserves: real_token,
            fees: FeeRates {
                a: fee_bps,
                b: creator_bps,
                c: 0,
            },
        })
    }

    #[inline(always)]
    fn fees(q: &CurveQuoteInput) -> &FeeRates {
        &q.fees
    }

    #[inline(always)]
    fn out_for_net(q: &CurveQuoteInput, net: u64, reference: Option<(u64, u64)>) -> Option<u64> {
        match reference {
            None => curve_out_for_net(net, q),
            Some((sol, token)) => curve_out_for_net(
                net,
                &CurveQuoteInput {
                    virtual_token_reserves: token,
                    virtual_sol_reserves: sol,
                    ..*q
                },
            ),
        }
    }

    #[inline(always)]
    fn held(&self, c: &CycleAccounts) -> u64 {
        authority_lamports(c.authority)
    }

    #[inline(always)]
    fn collect(
        &self,
        c: &mut CycleAccounts,
        source: Option<&[AccountView]>,
        now: i64,
    ) -> Result<()> {
        // A switched token may still own keeper-attributed pending, held in the shared vault.
        let vault = match source {
            Some(src) => &src[2],
            None => self.creator_vault,
        };
        self.collect_vault(c, vault, now)
    }

    /// pump takes SOL: unwrap WSOL only for what the authority's SOL lacks.
    #[inline(always)]
    fn fund_buy(&self, c: &CycleAccounts, plan: &Plan) -> Result<()> {
        let held = authority_lamports(c.authority);
        if held >= plan.budget {
            return Ok(());
        }
        self.unwrap_shortfall(c, plan.budget - held)
    }

    /// pump `buy_exact_sol_in(budget, min_out)`.
    #[inline(never)]
    fn buy(&self, c: &CycleAccounts, q: &BuyArgs) -> Result<(u64, u64)> {
        let lamports_before = c.authority.lamports();
        let tokens_before = token_amount(c.dat_token_account);
        let fixed = [
            *self.global,
            *self.fee_recipient,
            *c.mint,
            *self.bonding_curve,
            *self.associated_bonding_curve,
            *c.dat_token_account,
            *c.authority,
            *c.system_program,
            *c.token_program,
            *self.creator_vault,
            *self.event_authority,
            *self.pump_program,
            *self.global_volume_accumulator,
            *self.user_volume_accumulator,
            *self.fee_config,
            *self.fee_program,
        ];
        let data = pump_buy_exact_sol_in_data(q.budget, q.min_out);
        invoke_buy_as_authority(
            &PUMP_PROGRAM_ID,
            &data,
            &fixed,
            &PUMP_BUY_FLAGS,
            q.trailing,
            c.state.authority_bump,
        )?;
        let spent = lamports_before.saturating_sub(c.authority.lamports());
        let bought = token_amount(c.dat_token_account).saturating_sub(tokens_before);
        Ok((spent, bought))
    }

    #[inline(always)]
    fn pool_accounts<'v>(
        &'v self,
        c: &'v CycleAccounts,
        source: Option<&'v [AccountView]>,
    ) -> PoolAccounts<'v> {
        PoolAccounts {
            authority: c.authority,
            authority_wsol_ata: self.authority_wsol_ata,
            bc_creator_vault: match source {
                Some(src) => &src[2],
                None => self.creator_vault,
            },
            amm_vault_ata: self.amm_vault_ata,
        }
    }
}

pub fn handle_execute_cycle_bc(
    ctx: &mut Context<ExecuteCycleBc>,
    quoted_tokens_out: u64,
) -> Result<()> {
    let remaining = ctx.remaining_accounts()?;
    let a = &mut ctx.accounts;
    let venue = Curve {
        bonding_curve: a.bonding_curve.account(),
        associated_bonding_curve: a.associated_bonding_curve.account(),
        global: a.global.account(),
        fee_recipient: a.fee_recipient.account(),
        creator_vault: a.creator_vault.account(),
        event_authority: a.event_authority.account(),
        pump_program: a.pump_program.account(),
        global_volume_accumulator: a.global_volume_accumulator.account(),
        user_volume_accumulator: a.user_volume_accumulator.account(),
        fee_config: a.fee_config.account(),
        fee_program: a.fee_program.account(),
        authority_wsol_ata: a.authority_wsol_ata.account(),
        amm_vault_ata: a.amm_vault_ata.account(),
        wsol_scratch: a.wsol_scratch.account(),
        wsol_mint: a.wsol_mint.account(),
        quote_token_program: a.quote_token_program.account(),
    };
    let mut c = cycle_accounts!(a);
    run(&mut c, &venue, &remaining[..], quoted_tokens_out)
}
