//! `execute_cycle_amm` (keeper or admin; anyone when permissionless cycles are on): one PumpSwap token's cycle,
//! atomically: collect the PumpSwap creator-vault WSOL into the authority's
//! WSOL account, take the token's pending share, set a secondary's 44.8 % aside
//! for the root (it stays in the pool as WSOL: nothing is unwrapped; a root
//! spends its held share and treasury too), wrap native SOL only if the held
//! WSOL does not cover the budget, buy from the WSOL, burn exactly what was
//! bought.
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
use crate::events::{FeesCollected, WsolWrapped};
use crate::instructions::cycle::*;
use crate::math::{pool_out_for_net, FeeRates, PoolQuoteInput};
use crate::pump_accounts::{pool_reserves, with_head, GlobalConfigHead, PoolVaults};
use crate::pump_cpi::*;
use crate::state::{DatState, TokenStats};
use crate::token::{read_token_account, sync_native, token_amount};
use crate::treasury::{authority_lamports, wsol_amount, PoolAccounts};

#[derive(Accounts)]
pub struct ExecuteCycleAmm {
    /// Keeper or admin.
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
    /// Read for the pool invariant (address checked in the handler, after the
    /// deferral gate, so a deferred cycle does not pay for it).
    pub bc_creator_vault: UncheckedAccount,
    /// Instructions sysvar (checked in the handler).
    pub instructions_sysvar: UncheckedAccount,
}

/// The PumpSwap pool's side of a cycle (`cycle::Venue`).
pub struct Pool<'a> {
    pub pool: &'a AccountView,
    pub global_config: &'a AccountView,
    pub wsol_mint: &'a AccountView,
    pub authority_wsol_ata: &'a AccountView,
    pub pool_base_token_account: &'a AccountView,
    pub pool_quote_token_account: &'a AccountView,
    pub protocol_fee_recipient: &'a AccountView,
    pub protocol_fee_recipient_token_account: &'a AccountView,
    pub quote_token_program: &'a AccountView,
    pub associated_token_program: &'a AccountView,
    pub event_authority: &'a AccountView,
    pub amm_program: &'a AccountView,
    pub coin_creator_vault_ata: &'a AccountView,
    pub coin_creator_vault_authority: &'a AccountView,
    pub global_volume_accumulator: &'a AccountView,
    pub user_volume_accumulator: &'a AccountView,
    pub fee_config: &'a AccountView,
    pub fee_program: &'a AccountView,
    pub bc_creator_vault: &'a AccountView,
}

impl Pool<'_> {
    #[inline(never)]
    fn collect_vault(&self, c: &mut CycleAccounts, now: i64) -> Result<()> {
        let vault = self.coin_creator_vault_ata;
        if !vault.owned_by(&SPL_TOKEN_PROGRAM_ID) || token_amount(vault) == 0 {
            return Ok(());
        }
        let before = token_amount(self.authority_wsol_ata);
        let accounts = [
            *self.wsol_mint,
            *self.quote_token_program,
            *c.authority,
            *self.coin_creator_vault_authority,
            *self.coin_creator_vault_ata,
            *self.authority_wsol_ata,
            *self.event_authority,
            *self.amm_program,
        ];
        let bump = [c.state.authority_bump];
        invoke_signed_raw(
            &RawCpi {
                program_id: &PUMP_AMM_PROGRAM_ID,
                data: &AMM_COLLECT_COIN_CREATOR_FEE_DISC,
                accounts: &accounts,
                flags: &AMM_COLLECT_FLAGS,
            },
            &authority_seeds(&bump),
        )?;
        let held_wsol = token_amount(self.authority_wsol_ata);
        let collected = held_wsol.saturating_sub(before);
        let state = &mut *c.state;
        state.total_collected = PodU64::from(state.total_collected.get().saturating_add(collected));
        emit!(FeesCollected {
            venue: POOL_AMM,
            amount: collected,
            held_lamports: authority_lamports(c.authority),
            held_wsol,
            timestamp: now,
        });
        Ok(())
    }
}

impl Venue for Pool<'_> {
    const POOL_TYPE: u8 = POOL_AMM;
    const DISCRIMINATOR: [u8; 8] = EXECUTE_CYCLE_AMM_DISC;
    type Quote = PoolQuoteInput;

    #[inline(always)]
    fn shared_vault(state: &DatState) -> Address {
        state.amm_vault_ata
    }

    #[inline(always)]
    fn check_early(&self, _c: &CycleAccounts, _fee_sharing: bool) -> Result<()> {
        Ok(())
    }

    /// The buy's creator vault: the DAT's shared one in keeper mode; a fee-sharing
    /// token's config vault (`token_stats.fee_creator_vault`, the canonical ATA of
    /// the config's PumpSwap vault authority, derived by `set_token_pool`), owned
    /// by the authority passed. Returns the pool's expected `coin_creator`.
    #[inline(never)]
    fn check_accounts(&self, c: &CycleAccounts, fee_sharing: bool) -> Result<Address> {
        require!(
            *self.bc_creator_vault.address() == c.state.bc_creator_vault,
            DatError::InvalidExternalAccount
        );
        if !fee_sharing {
            require!(
                *self.coin_creator_vault_ata.address() == c.state.amm_vault_ata
                    && *self.coin_creator_vault_authority.address() == c.state.amm_vault_authority,
                DatError::InvalidExternalAccount
            );
            return Ok(c.state.authority);
        }
        require!(
            *self.coin_creator_vault_ata.address() == c.stats.fee_creator_vault,
            DatError::InvalidExternalAccount
        );
        let vault = read_token_account(self.coin_creator_vault_ata, &SPL_TOKEN_PROGRAM_ID)?;
        require!(
            vault.mint == WSOL_MINT && vault.owner == *self.coin_creator_vault_authority.address(),
            DatError::InvalidExternalAccount
        );
        Ok(c.stats.sharing_config)
    }

    #[inline(never)]
    fn quote_input(&self, c: &CycleAccounts, coin_creator: &Address) -> Result<PoolQuoteInput> {
        require!(
            self.global_config.owned_by(&PUMP_AMM_PROGRAM_ID),
            DatError::InvalidPool
        );
        let reserves = pool_reserves(
            &PoolVaults {
                pool: self.pool,
                base_vault: self.pool_base_token_account,
                quote_vault: self.pool_quote_token_account,
            },
            c.mint.address(),
            &c.stats.token_program,
        )?;
        // Our tokens' coin creator: the DAT authority, or a fee-sharing token's config.
        require!(
            reserves.coin_creator == *coin_creator,
            DatError::InvalidPool
        );
        let fees = with_head(self.global_config, |gc: &GlobalConfigHead| FeeRates {
            a: gc.lp_fee_basis_points.get(),
            b: gc.protocol_fee_basis_points.get(),
            c: gc.coin_creator_fee_basis_points.get(),
        })
        .ok_or(DatError::InvalidPool)?;
        Ok(PoolQuoteInput {
            base_reserves: reserves.base,
            quote_reserves: reserves.quote,
            fees,
        })
    }

    #[inline(always)]
    fn fees(q: &PoolQuoteInput) -> &FeeRates {
        &q.fees
    }

    #[inline(always)]
    fn out_for_net(q: &PoolQuoteInput, net: u64, reference: Option<(u64, u64)>) -> Option<u64> {
        match reference {
            None => pool_out_for_net(net, q),
            Some((sol, token)) => pool_out_for_net(
                net,
                &PoolQuoteInput {
                    base_reserves: token,
                    quote_reserves: sol,
                    fees: q.fees,
                },
            ),
        }
    }

    #[inline(always)]
    fn held(&self, c: &CycleAccounts) -> u64 {
        authority_lamports(c.authority).saturating_add(wsol_amount(self.authority_wsol_ata))
    }

    /// Keeper mode: the shared vault's WSOL into the authority's WSOL account. A
    /// fee-sharing token's config vault pays our fee account only (swept by the
    /// permissionless `transfer_creator_fees_to_pump_v2` + `distribute_creator_fees_v2`).
    #[inline(always)]
    fn collect(
        &self,
        c: &mut CycleAccounts,
        source: Option<&[AccountView]>,
        now: i64,
    ) -> Result<()> {
        if source.is_some() {
            return Ok(());
        }
        self.collect_vault(c, now)
    }

    /// Makes sure the authority's WSOL account holds `budget` of pool WSOL.
    #[inline(never)]
    fn fund_buy(&self, c: &CycleAccounts, plan: &Plan) -> Result<()> {
        let budget = plan.budget;
        let held_wsol = wsol_amount(self.authority_wsol_ata);
        if held_wsol >= budget {
            return Ok(());
        }
        let wrap = budget - held_wsol;
        let held = authority_lamports(c.authority);
        require!(held >= wrap, DatError::InsufficientFees);
        let bump = [c.state.authority_bump];
        let seeds = authority_seeds(&bump);
        pinocchio_system::instructions::Transfer {
            from: c.authority,
            to: self.authority_wsol_ata,
            lamports: wrap,
        }
        .invoke_signed(&[pinocchio::cpi::Signer::from(&seeds[..])])?;
        sync_native(self.quote_token_program, self.authority_wsol_ata)?;
        emit!(WsolWrapped {
            amount: wrap,
            held_lamports: held - wrap,
            held_wsol: budget
        });
        Ok(())
    }

    /// PumpSwap `buy(base_amount_out = on-chain quote, max_quote_amount_in = budget)`;
    /// spent = WSOL + lamports the authority lost.
    #[inline(never)]
    fn buy(&self, c: &CycleAccounts, q: &BuyArgs) -> Result<(u64, u64)> {
        let wsol_before = token_amount(self.authority_wsol_ata);
        let lamports_before = c.authority.lamports();
        let tokens_before = token_amount(c.dat_token_account);
        let fixed = [
            *self.pool,
            *c.authority,
            *self.global_config,
            *c.mint,
            *self.wsol_mint,
            *c.dat_token_account,
            *self.authority_wsol_ata,
            *self.pool_base_token_account,
            *self.pool_quote_token_account,
            *self.protocol_fee_recipient,
            *self.protocol_fee_recipient_token_account,
            *c.token_program,
            *self.quote_token_program,
            *c.system_program,
            *self.associated_token_program,
            *self.event_authority,
            *self.amm_program,
            *self.coin_creator_vault_ata,
            *self.coin_creator_vault_authority,
            *self.global_volume_accumulator,
            *self.user_volume_accumulator,
            *self.fee_config,
            *self.fee_program,
        ];
        let data = amm_buy_data(q.onchain, q.budget);
        invoke_buy_as_authority(
            &PUMP_AMM_PROGRAM_ID,
            &data,
            &fixed,
            &AMM_BUY_FLAGS,
            q.trailing,
            c.state.authority_bump,
        )?;
        let wsol_spent = wsol_before.saturating_sub(token_amount(self.authority_wsol_ata));
        let lamports_spent = lamports_before.saturating_sub(c.authority.lamports());
        let bought = token_amount(c.dat_token_account).saturating_sub(tokens_before);
        let spent = wsol_spent
            .checked_add(lamports_spent)
            .ok_or(DatError::MathOverflow)?;
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
            bc_creator_vault: self.bc_creator_vault,
            amm_vault_ata: match source {
                Some(src) => &src[2],
                None => self.coin_creator_vault_ata,
            },
        }
    }
}

pub fn handle_execute_cycle_amm(
    ctx: &mut Context<ExecuteCycleAmm>,
    quoted_tokens_out: u64,
) -> Result<()> {
    let remaining = ctx.remaining_accounts()?;
    let a = &mut ctx.accounts;
    let venue = Pool {
        pool: a.pool.account(),
        global_config: a.global_config.account(),
        wsol_mint: a.wsol_mint.account(),
        authority_wsol_ata: a.authority_wsol_ata.account(),
        pool_base_token_account: a.pool_base_token_account.account(),
        pool_quote_token_account: a.pool_quote_token_account.account(),
        protocol_fee_recipient: a.protocol_fee_recipient.account(),
        protocol_fee_recipient_token_account: a.protocol_fee_recipient_token_account.account(),
        quote_token_program: a.quote_token_program.account(),
        associated_token_program: a.associated_token_program.account(),
        event_authority: a.event_authority.account(),
        amm_program: a.amm_program.account(),
        coin_creator_vault_ata: a.coin_creator_vault_ata.account(),
        coin_creator_vault_authority: a.coin_creator_vault_authority.account(),
        global_volume_accumulator: a.global_volume_accumulator.account(),
        user_volume_accumulator: a.user_volume_accumulator.account(),
        fee_config: a.fee_config.account(),
        fee_program: a.fee_program.account(),
        bc_creator_vault: a.bc_creator_vault.account(),
    };
    let mut c = cycle_accounts!(a);
    run(&mut c, &venue, &remaining[..], quoted_tokens_out)
}
