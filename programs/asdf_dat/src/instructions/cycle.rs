//! A per-token cycle, written once (`run`) for both venues: plan (gate,
//! cooldown window, cap, thresholds) → account checks → only our own
//! instructions in the transaction → quote and slippage guard → collect /
//! fee-sharing source → take the token's pending share → root split (held in
//! the pool, no transfer) / root funds spent → fund the buy → buy → burn →
//! finish → Σ pending + the root's held share still covered by real balances. The venue (`execute_cycle_bc`: the pump curve,
//! `execute_cycle_amm`: the PumpSwap pool) supplies the steps that differ
//! through the `Venue` hooks.

use anchor_lang::prelude::*;
use pinocchio::cpi::{Seed, Signer as CpiSigner};

use crate::constants::*;
use crate::errors::DatError;
use crate::events::*;
use crate::fee_sharing::{
    check_source, sweep_fee_vault, FeeSharingSource, DISTRIBUTE_CREATOR_FEES_V2_DISC,
    TRANSFER_CREATOR_FEES_TO_PUMP_V2_DISC,
};
use crate::math::{
    allocation, bounded_min_out, cycle_timing, net_after_fees, select_price_reference,
    split_allocation, treasury_share, treasury_sources, FeeRates,
};
use crate::pump_cpi::authority_seeds;
use crate::state::{DatState, TokenStats};
use crate::token::{burn_checked, BurnChecked};
use crate::treasury::{
    authority_lamports, require_pending_covered, treasury_lamports, PoolAccounts,
};

pub const DEFER_MIN_FEES: u8 = 1;
pub const DEFER_MIN_ALLOCATION: u8 = 2;

/// The accounts every cycle has, whatever the venue. Both instructions'
/// account structs start with them in this order (operator, state,
/// token_stats, root_treasury, authority, mint, dat_token_account,
/// token_program), and both have a system program and the instructions sysvar.
/// A plain struct of borrows rather than an Anchor `Nested<...>`: nesting
/// would change the IDL (outer constraints on `state.*` / `token_stats.*`
/// become `core.state.*` paths, the operator is writable only in the AMM
/// cycle, and docs differ).
pub struct CycleAccounts<'a> {
    pub operator: &'a AccountView,
    pub state: &'a mut DatState,
    pub stats: &'a mut TokenStats,
    pub root_treasury: &'a AccountView,
    pub authority: &'a AccountView,
    pub mint: &'a AccountView,
    pub dat_token_account: &'a AccountView,
    pub token_program: &'a AccountView,
    pub system_program: &'a AccountView,
    pub instructions_sysvar: &'a AccountView,
}

/// Borrows the shared accounts out of either cycle's `Accounts` struct: both
/// name them alike (a macro because the two structs share names, not a type;
/// Anchor's `Nested<...>` would change the IDL's account paths).
macro_rules! cycle_accounts {
    ($accounts:expr) => {
        CycleAccounts {
            operator: $accounts.operator.account(),
            state: &mut $accounts.state,
            stats: &mut $accounts.token_stats,
            root_treasury: $accounts.root_treasury.account(),
            authority: $accounts.authority.account(),
            mint: $accounts.mint.account(),
            dat_token_account: $accounts.dat_token_account.account(),
            token_program: $accounts.token_program.account(),
            system_program: $accounts.system_program.account(),
            instructions_sysvar: $accounts.instructions_sysvar.account(),
        }
    };
}
pub(crate) use cycle_accounts;

/// The venue's part of a cycle: the steps that differ between the pump
/// curve and a PumpSwap pool. `run` calls them in order.
pub trait Venue {
    /// `POOL_BONDING_CURVE` or `POOL_AMM`.
    const POOL_TYPE: u8;
    /// The venue's cycle instruction (to find its earlier cycles in the transaction).
    const DISCRIMINATOR: [u8; 8];
    /// What the on-chain quote needs (reserves and fee rates).
    type Quote;

    /// The venue's shared creator vault of the DAT authority (a fee-sharing
    /// source must name it, for the pool invariant).
    fn shared_vault(state: &DatState) -> Address;
    /// Checks run before the plan (also for a deferred cycle).
    fn check_early(&self, c: &CycleAccounts, fee_sharing: bool) -> Result<()>;
    /// Checks run after the deferral gate; returns the pool's expected creator.
    fn check_accounts(&self, c: &CycleAccounts, fee_sharing: bool) -> Result<Address>;
    /// Reads the current reserves and fee rates; the pool must be `creator`'s.
    fn quote_input(&self, c: &CycleAccounts, creator: &Address) -> Result<Self::Quote>;
    fn fees(q: &Self::Quote) -> &FeeRates;
    /// Tokens out for `net` lamports after fees on `q`'s reserves, or on the
    /// price reference `(sol, token)` when given.
    fn out_for_net(q: &Self::Quote, net: u64, reference: Option<(u64, u64)>) -> Option<u64>;
    /// What the authority already holds that the venue can spend (lamports above
    /// rent; plus its WSOL for the pool).
    fn held(&self, c: &CycleAccounts) -> u64;
    /// Collects the shared creator vault into the authority (keeper mode; a
    /// fee-sharing curve token also collects it, for what was attributed
    /// before its switch).
    fn collect(
        &self,
        c: &mut CycleAccounts,
        source: Option<&[AccountView]>,
        now: i64,
    ) -> Result<()>;
    /// Before the buy: make `plan.budget` spendable by the venue.
    fn fund_buy(&self, c: &CycleAccounts, plan: &Plan) -> Result<()>;
    /// The buy; returns (lamports spent, tokens bought).
    fn buy(&self, c: &CycleAccounts, q: &BuyArgs) -> Result<(u64, u64)>;
    /// The four accounts of the fee pool, for the closing invariant.
    fn pool_accounts<'v>(
        &'v self,
        c: &'v CycleAccounts,
        source: Option<&'v [AccountView]>,
    ) -> PoolAccounts<'v>;
}

/// What the buy may spend and must return (one argument: SBF passes at most five).
pub struct BuyArgs<'a> {
    /// Accounts forwarded to the venue after its fixed list.
    pub trailing: &'a [AccountView],
    pub budget: u64,
    /// The guarded minimum out.
    pub min_out: u64,
    /// The on-chain quote of the budget on the current reserves (≥ `min_out`).
    pub onchain: u64,
}

/// One token's cycle on venue `V`. `remaining` leads with a fee-sharing
/// token's source accounts; the rest are forwarded to the venue's buy.
#[inline(always)]
pub fn run<V: Venue>(
    c: &mut CycleAccounts,
    venue: &V,
    remaining: &[AccountView],
    quoted_tokens_out: u64,
) -> Result<()> {
    require!(c.stats.pool_type == V::POOL_TYPE, DatError::WrongPoolType);
    let (source, trailing) = split_source(c.stats, remaining)?;
    venue.check_early(c, source.is_some())?;
    let incoming = source_incoming(c.stats, &V::shared_vault(c.state), source)?;
    let clock = Clock::get()?;
    let now = clock.unix_timestamp;
    // The root's funds: the share the secondaries left in the pool, then the treasury account.
    let root_funds = c
        .state
        .root_share_held
        .get()
        .saturating_add(treasury_lamports(c.root_treasury));
    let Some(plan) = plan(c.state, c.stats, now, root_funds, incoming)? else {
        return Ok(());
    };
    let creator = venue.check_accounts(c, source.is_some())?;
    let after_same_venue = require_own_transaction(c.instructions_sysvar, &V::DISCRIMINATOR)?;

    // Slippage first: cheapest failure, nothing moved yet.
    let input = venue.quote_input(c, &creator)?;
    let reference = price_reference(c.stats, clock.slot)?;
    let net = net_after_fees(plan.budget, V::fees(&input)).ok_or(DatError::MathOverflow)?;
    let onchain_quote = V::out_for_net(&input, net, None).ok_or(DatError::MathOverflow)?;
    let reference_quote =
        V::out_for_net(&input, net, Some(reference)).ok_or(DatError::MathOverflow)?;
    let min_out = guarded_min_out(
        quoted_tokens_out,
        reference_quote,
        onchain_quote,
        c.state.slippage_bps.get(),
    )?;

    // The shared vault is collected once per transaction: by the first cycle of the venue,
    // which moves every token's fees; a later one collects again only if what the authority
    // holds (with its fee account's) cannot cover its spend (the first one deferred). The root
    // share stays in the pool; the treasury account's part of a root's spend comes with it.
    let (_, from_treasury_account) =
        treasury_sources(plan.treasury_used, c.state.root_share_held.get());
    let need = plan.budget.saturating_sub(from_treasury_account);
    if !after_same_venue || venue.held(c).saturating_add(incoming) < need {
        venue.collect(c, source, now)?;
    }
    if let Some(src) = source {
        take_source(
            c.state,
            c.stats,
            &SourceTake {
                fee_vault: &src[0],
                authority: c.authority,
                incoming,
                now,
            },
        )?;
    }
    take(c.state, c.stats, &plan)?;
    settle_root(
        c.state,
        &plan,
        &LamportAccounts {
            authority: c.authority,
            treasury: c.root_treasury,
        },
    )?;
    venue.fund_buy(c, &plan)?;

    let (spent, bought) = venue.buy(
        c,
        &BuyArgs {
            trailing,
            budget: plan.budget,
            min_out,
            onchain: onchain_quote,
        },
    )?;
    require!(spent <= plan.budget, DatError::BudgetExceeded);
    require!(bought >= min_out, DatError::SlippageExceeded);

    burn_bought(
        c.state,
        c.stats,
        &Burn {
            token_program: c.token_program,
            dat_token_account: c.dat_token_account,
            mint: c.mint,
            authority: c.authority,
        },
        bought,
    )?;
    finish(
        c.state,
        c.stats,
        &plan,
        &Outcome {
            sol_spent: spent,
            tokens_bought: bought,
            min_tokens_out: min_out,
            pool_type: V::POOL_TYPE,
        },
    )?;
    require_pending_covered(
        c.state.committed_lamports(),
        &venue.pool_accounts(c, source),
    )
}

/// What one token's cycle will do.
pub struct Plan {
    pub now: i64,
    /// The cooldown has elapsed: this token opens a new ecosystem cycle.
    pub new_cycle: bool,
    /// Pending fees taken (≤ pending; its proportional share of the cap when the
    /// ecosystem's pending exceeds it; ≤ what is left of the cap).
    pub allocation: u64,
    /// Secondary: 44.8 % of `allocation` for the root (held in the pool).
    pub to_root: u64,
    /// Root: root funds (held share, then treasury account) spent with the allocation.
    pub treasury_used: u64,
    /// Lamports the buy may spend.
    pub budget: u64,
}

/// Checks the cooldown window and thresholds. `treasury` is what the root may
/// spend besides its pending: its held share plus the treasury account's real
/// balance above rent (ignored for a secondary). `incoming`:
/// what a fee-sharing token's own fee account holds, not yet in its pending
/// (0 in keeper mode); it counts as pending here and joins it in `absorb`.
/// `Ok(None)`: deferred — a `CycleDeferred` event is emitted and nothing is written.
#[inline(always)]
pub fn plan(
    state: &DatState,
    stats: &TokenStats,
    now: i64,
    treasury: u64,
    incoming: u64,
) -> Result<Option<Plan>> {
    require!(state.is_active.get(), DatError::DATNotActive);
    let is_root = stats.is_root.get();
    if !is_root {
        // The root treasury account was checked against `state.root_treasury`;
        // without a root that is the default address.
        require!(state.has_root(), DatError::InvalidRootTreasury);
    }
    let new_cycle = cycle_timing(
        now,
        state.cycle_started_at.get(),
        state.cycle_last_take_at.get(),
        state.min_cycle_interval_secs.get(),
    )
    .ok_or(DatError::CycleTooSoon)?;
    if !new_cycle && stats.last_cycle_id.get() == state.cycle_id.get() {
        return Err(DatError::CycleTooSoon.into());
    }
    let (taken, pending_at_open) = if new_cycle {
        (0, state.total_pending_fees.get().saturating_add(incoming))
    } else {
        (
            state.cycle_fees_taken.get(),
            state.cycle_pending_at_open.get(),
        )
    };
    let pending = stats.pending_fees.get().saturating_add(incoming);
    let cap = state.max_fees_per_cycle.get();
    let alloc = allocation(pending, cap, taken, pending_at_open);
    let (treasury, treasury_used) = if is_root {
        (treasury, treasury_share(treasury, cap, taken, alloc))
    } else {
        (0, 0)
    };

    let reason = if pending.saturating_add(treasury) < state.min_fees_per_token.get() {
        DEFER_MIN_FEES
    } else {
        let min_alloc = if is_root {
            state.min_allocation_root.get()
        } else {
            state.min_allocation_secondary.get()
        };
        if alloc.saturating_add(treasury_used) < min_alloc {
            DEFER_MIN_ALLOCATION
        } else {
            0
        }
    };
    if reason != 0 {
        emit!(CycleDeferred {
            mint: stats.mint,
            reason,
            pending_fees: pending,
            allocation: alloc,
            timestamp: now,
        });
        return Ok(None);
    }

    let (kept, to_root) = if is_root {
        (alloc, 0)
    } else {
        split_allocation(alloc, state.fee_split_bps.get()).ok_or(DatError::MathOverflow)?
    };
    Ok(Some(Plan {
        now,
        new_cycle,
        allocation: alloc,
        to_root,
        treasury_used,
        budget: kept
            .checked_add(treasury_used)
            .ok_or(DatError::MathOverflow)?,
    }))
}

/// Source hook of a fee-sharing token: the lamports its fee account held
/// (`incoming`, already moved into the authority by `sweep_fee_vault`) join its
/// pending, so the rest of the sequence is the keeper-mode one and Σ pending
/// stays covered by the pool's real balances.
#[inline(always)]
pub fn absorb(
    state: &mut DatState,
    stats: &mut TokenStats,
    incoming: u64,
    held_lamports: u64,
    now: i64,
) -> Result<()> {
    if incoming == 0 {
        return Ok(());
    }
    stats.pending_fees = PodU64::from(
        stats
            .pending_fees
            .get()
            .checked_add(incoming)
            .ok_or(DatError::MathOverflow)?,
    );
    stats.total_sol_attributed =
        PodU64::from(stats.total_sol_attributed.get().saturating_add(incoming));
    state.total_pending_fees = PodU64::from(
        state
            .total_pending_fees
            .get()
            .checked_add(incoming)
            .ok_or(DatError::MathOverflow)?,
    );
    state.total_collected = PodU64::from(state.total_collected.get().saturating_add(incoming));
    emit!(FeesCollected {
        venue: VENUE_FEE_VAULT,
        amount: incoming,
        held_lamports,
        held_wsol: 0,
        timestamp: now,
    });
    Ok(())
}

/// Fee-sharing source hook, both venues: a fee-sharing token's cycle leads its
/// remaining accounts with [fee account, sharing config, the venue's shared
/// creator vault]. Returns (source, trailing venue accounts).
#[inline(always)]
pub fn split_source<'a>(
    stats: &TokenStats,
    remaining: &'a [AccountView],
) -> Result<(Option<&'a [AccountView]>, &'a [AccountView])> {
    if stats.attribution != ATTRIBUTION_FEE_SHARING {
        return Ok((None, remaining));
    }
    require!(remaining.len() >= 3, DatError::InvalidFeeVault);
    Ok((Some(&remaining[..3]), &remaining[3..]))
}

/// Verifies a fee-sharing source (the mint's config pays only the token's fee
/// account, admin revoked; the shared vault is the venue's) and returns what
/// the fee account holds; 0 in keeper mode.
#[inline(always)]
pub fn source_incoming(
    stats: &TokenStats,
    shared_vault: &Address,
    source: Option<&[AccountView]>,
) -> Result<u64> {
    match source {
        Some(src) => check_source(
            stats,
            shared_vault,
            &FeeSharingSource {
                fee_vault: &src[0],
                sharing_config: &src[1],
                shared_vault: &src[2],
            },
        ),
        None => Ok(0),
    }
}

/// What `take_source` moves: the fee account's `incoming` lamports into the authority.
pub struct SourceTake<'a> {
    pub fee_vault: &'a AccountView,
    pub authority: &'a AccountView,
    pub incoming: u64,
    pub now: i64,
}

/// After the slippage guard: the fee account's lamports move into the
/// authority and join the token's pending (`absorb`).
#[inline(never)]
pub fn take_source(state: &mut DatState, stats: &mut TokenStats, t: &SourceTake) -> Result<()> {
    sweep_fee_vault(stats, t.fee_vault, t.authority, t.incoming)?;
    let held = authority_lamports(t.authority);
    absorb(state, stats, t.incoming, held, t.now)
}

/// Opens the cycle if needed and takes the allocation out of pending.
#[inline(always)]
pub fn take(state: &mut DatState, stats: &mut TokenStats, plan: &Plan) -> Result<()> {
    if plan.new_cycle {
        state.cycle_id = PodU64::from(state.cycle_id.get().saturating_add(1));
        state.cycle_started_at = PodI64::from(plan.now);
        state.cycle_fees_taken = PodU64::from(0);
        state.cycle_pending_at_open = state.total_pending_fees;
    }
    let a = plan.allocation;
    stats.pending_fees = PodU64::from(stats.pending_fees.get() - a);
    state.total_pending_fees = PodU64::from(
        state
            .total_pending_fees
            .get()
            .checked_sub(a)
            .ok_or(DatError::MathOverflow)?,
    );
    // The root's treasury share counts toward the cap too.
    state.cycle_fees_taken = PodU64::from(
        state
            .cycle_fees_taken
            .get()
            .saturating_add(a)
            .saturating_add(plan.treasury_used),
    );
    state.cycle_last_take_at = PodI64::from(plan.now);
    Ok(())
}

/// The token's price reference as (SOL side, token side): curve virtual
/// reserves or PumpSwap pool quote/base balances, recorded by
/// `record_price_reference` in an earlier slot, at most
/// `PRICE_REFERENCE_MAX_AGE_SLOTS` ago (`StalePriceReference` otherwise).
/// When the latest was recorded in the cycle's own slot (by anyone), the
/// previous slot's reference is used instead: recording cannot block a cycle.
#[inline(always)]
pub fn price_reference(stats: &TokenStats, slot: u64) -> Result<(u64, u64)> {
    match select_price_reference(
        stats.price_ref_slot.get(),
        stats.price_ref_prev_slot.get(),
        slot,
        PRICE_REFERENCE_MAX_AGE_SLOTS,
    ) {
        Some(true) => Ok((
            stats.price_ref_virtual_sol.get(),
            stats.price_ref_virtual_token.get(),
        )),
        Some(false) => Ok((
            stats.price_ref_prev_sol.get(),
            stats.price_ref_prev_token.get(),
        )),
        None => Err(DatError::StalePriceReference.into()),
    }
}

/// The slippage guard of every cycle, whoever calls it: the minimum out is
/// the larger of the caller's quote and the quote of the budget at the price
/// reference (each less `slippage_bps`), and the on-chain quote on the current
/// reserves must reach it. Nobody, the operator included, can loosen the
/// bound below what the reference (an earlier slot) gives.
#[inline(always)]
pub fn guarded_min_out(
    quoted_tokens_out: u64,
    reference_quote: u64,
    onchain_quote: u64,
    slippage_bps: u16,
) -> Result<u64> {
    let min_out = bounded_min_out(quoted_tokens_out, reference_quote, slippage_bps)
        .ok_or(DatError::MathOverflow)?;
    require!(
        min_out > 0 && onchain_quote >= min_out,
        DatError::SlippageExceeded
    );
    Ok(min_out)
}

/// Authority and treasury, for lamport moves (the system program is invoked by id).
pub struct LamportAccounts<'a> {
    pub authority: &'a AccountView,
    pub treasury: &'a AccountView,
}

/// Secondary: sets `plan.to_root` aside for the root: it stays in the fee pool
/// and joins `root_share_held` (accounting, no transfer: the pool invariant
/// covers it like pending). Root: spends `plan.treasury_used` from the held
/// share first, then moves the rest from the treasury account into the
/// authority. Balances are read, never tracked.
#[inline(never)]
pub fn settle_root(state: &mut DatState, plan: &Plan, acc: &LamportAccounts) -> Result<()> {
    if plan.to_root > 0 {
        let held = state
            .root_share_held
            .get()
            .checked_add(plan.to_root)
            .ok_or(DatError::MathOverflow)?;
        state.root_share_held = PodU64::from(held);
    }
    if plan.treasury_used > 0 {
        let (from_held, from_account) =
            treasury_sources(plan.treasury_used, state.root_share_held.get());
        state.root_share_held = PodU64::from(state.root_share_held.get() - from_held);
        if from_account > 0 {
            let bump = [state.root_treasury_bump];
            let seeds = [
                Seed::from(ROOT_TREASURY_SEED),
                Seed::from(state.root_mint.as_ref()),
                Seed::from(&bump[..]),
            ];
            pinocchio_system::instructions::Transfer {
                from: acc.treasury,
                to: acc.authority,
                lamports: from_account,
            }
            .invoke_signed(&[CpiSigner::from(&seeds[..])])?;
        }
    }
    Ok(())
}

/// What the venue buy did.
pub struct Outcome {
    pub sol_spent: u64,
    pub tokens_bought: u64,
    pub min_tokens_out: u64,
    pub pool_type: u8,
}

/// Burns exactly the tokens bought.
pub struct Burn<'a> {
    pub token_program: &'a AccountView,
    pub dat_token_account: &'a AccountView,
    pub mint: &'a AccountView,
    pub authority: &'a AccountView,
}

#[inline(never)]
pub fn burn_bought(state: &DatState, stats: &TokenStats, b: &Burn, amount: u64) -> Result<()> {
    let bump = [state.authority_bump];
    let seeds = authority_seeds(&bump);
    burn_checked(
        &BurnChecked {
            token_program: b.token_program,
            account: b.dat_token_account,
            mint: b.mint,
            owner: b.authority,
            amount,
            decimals: stats.decimals,
        },
        &seeds,
    )
}

/// Returns the unspent budget to the token's pending, updates totals, resets
/// the failure count and emits the cycle's one event.
#[inline(never)]
pub fn finish(
    state: &mut DatState,
    stats: &mut TokenStats,
    plan: &Plan,
    out: &Outcome,
) -> Result<()> {
    let returned = plan
        .budget
        .checked_sub(out.sol_spent)
        .ok_or(DatError::BudgetExceeded)?;
    let pending = stats.pending_fees.get().saturating_add(returned);
    stats.pending_fees = PodU64::from(pending);
    state.total_pending_fees =
        PodU64::from(state.total_pending_fees.get().saturating_add(returned));

    let burned = stats
        .total_tokens_burned
        .get()
        .saturating_add(out.tokens_bought);
    stats.total_tokens_burned = PodU64::from(burned);
    stats.total_sol_spent = PodU64::from(stats.total_sol_spent.get().saturating_add(out.sol_spent));
    stats.total_sent_to_root =
        PodU64::from(stats.total_sent_to_root.get().saturating_add(plan.to_root));
    stats.total_received_from_others = PodU64::from(
        stats
            .total_received_from_others
            .get()
            .saturating_add(plan.treasury_used),
    );
    stats.cycles = PodU64::from(stats.cycles.get().saturating_add(1));
    stats.last_cycle_at = PodI64::from(plan.now);
    stats.last_cycle_id = state.cycle_id;

    state.total_sol_spent = PodU64::from(state.total_sol_spent.get().saturating_add(out.sol_spent));
    state.total_sent_to_root =
        PodU64::from(state.total_sent_to_root.get().saturating_add(plan.to_root));
    state.total_cycles = PodU64::from(state.total_cycles.get().saturating_add(1));
    state.consecutive_failures = 0;

    emit!(CycleCompleted {
        mint: stats.mint,
        cycle_id: state.cycle_id.get(),
        allocation: plan.allocation,
        sent_to_root: plan.to_root,
        treasury_used: plan.treasury_used,
        sol_spent: out.sol_spent,
        returned_to_pending: returned,
        tokens_burned: out.tokens_bought,
        pending_fees: pending,
        timestamp: plan.now,
        pool_type: out.pool_type,
        sol_budget: plan.budget,
        min_tokens_out: out.min_tokens_out,
        total_burned: burned,
        root_share_held: state.root_share_held.get(),
    });
    Ok(())
}

/// Refuses the instruction unless every top-level instruction of the
/// transaction belongs to this program or the compute-budget program (read from
/// the instructions sysvar), or is a fee-sharing sweep (pump
/// `distribute_creator_fees_v2`, PumpSwap `transfer_creator_fees_to_pump_v2`). This keeps a keeper from moving the pool inside the
/// cycle's own transaction (a pump / PumpSwap trade, or its own program CPI-ing
/// into them) and then passing a quote that fits the moved price.
/// Returns whether an instruction before this one is ours with discriminator
/// `cycle_disc` (a cycle of the same venue ran earlier in the transaction).
#[inline(never)]
pub fn require_own_transaction(sysvar: &AccountView, cycle_disc: &[u8; 8]) -> Result<bool> {
    require!(
        *sysvar.address() == INSTRUCTIONS_SYSVAR_ID,
        DatError::InvalidExternalAccount
    );
    // SAFETY: the instructions sysvar is read-only; no mutable borrow exists.
    let data = unsafe { sysvar.borrow_unchecked() };
    let read_u16 = |at: usize| -> Result<usize> {
        require!(at + 2 <= data.len(), DatError::InvalidExternalAccount);
        Ok(u16::from_le_bytes([data[at], data[at + 1]]) as usize)
    };
    let count = read_u16(0)?;
    // The sysvar ends with the index of the instruction being executed.
    require!(data.len() >= 2, DatError::InvalidExternalAccount);
    let current = read_u16(data.len() - 2)?;
    let mut after_same_venue = false;
    for i in 0..count {
        let start = read_u16(2 + 2 * i)?;
        let accounts = read_u16(start)?;
        // Each account meta: 1 flag byte + 32-byte key; then the program id.
        let program = start + 2 + accounts * 33;
        require!(program + 32 <= data.len(), DatError::InvalidExternalAccount);
        let id = &data[program..program + 32];
        let data_len = read_u16(program + 32)?;
        let ix_data = program + 34;
        require!(
            ix_data + data_len <= data.len(),
            DatError::InvalidExternalAccount
        );
        let disc = if data_len >= 8 {
            &data[ix_data..ix_data + 8]
        } else {
            &[][..]
        };
        // Ours first (the common case in a packed transaction: one comparison). The
        // fee-sharing sweeps only move a coin's creator fees towards its shareholders (our
        // fee accounts); they cannot move a price.
        if id == crate::ID.as_ref() {
            after_same_venue |= i < current && disc == cycle_disc;
            continue;
        }
        if id == COMPUTE_BUDGET_PROGRAM_ID.as_ref() {
            continue;
        }
        let sweep = (id == PUMP_PROGRAM_ID.as_ref() && disc == DISTRIBUTE_CREATOR_FEES_V2_DISC)
            || (id == PUMP_AMM_PROGRAM_ID.as_ref()
                && disc == TRANSFER_CREATOR_FEES_TO_PUMP_V2_DISC);
        require!(sweep, DatError::ForeignInstructionInCycle);
    }
    Ok(after_same_venue)
}
