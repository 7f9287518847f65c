//! pump.fun bonding-curve program: `buy`, `buy_exact_sol_in`, `sell`,
//! `collect_creator_fee(_v2)`, `migrate_bonding_curve_creator`,
//! `distribute_creator_fees_v2` and the event self-CPI.

pub mod buy;
pub mod buy_exact_sol_in;
pub mod collect_creator_fee;
pub mod create;
pub mod distribute_creator_fees_v2;
pub mod migrate;
pub mod migrate_bonding_curve_creator;
pub mod sell;

use pinocchio::{
    cpi::{Seed, Signer},
    error::ProgramError,
    AccountView, Address, ProgramResult,
};
use pinocchio_system::instructions::Transfer;

use crate::{
    cpi::{
        find_bump, is_associated_token_address, is_canonical_pda, unix_timestamp, TransferChecked,
    },
    errors::{AnchorError, PumpError},
    events::{
        discriminator, handle_event_instruction, EventData, EVENT_IX_TAG, PUMP_EVENT_AUTHORITY,
    },
    is_token_program,
    math::{Curve, CurveBuy, CurveFees},
    state::{self, bonding_curve as bc, global, read_u64},
    FEE_PROGRAM_ID, PUMP_ID, RENT_EXEMPT_ZERO, SYSTEM_PROGRAM_ID,
};

/// pump `["global"]`.
pub const GLOBAL_ADDRESS: Address =
    Address::from_str_const("4wTV1YmiEkRvAtNtsSGPtUrqRYQMe5SKy2uB4Jjaxnjf");
pub const BONDING_CURVE_SEED: &[u8] = b"bonding-curve";
/// pump `["global_volume_accumulator"]`.
pub const GLOBAL_VOLUME_ACCUMULATOR: Address =
    Address::from_str_const("Hq2wp8uJ9jCPsYgNHex8RtqdvMPfVGoYwjvF1ATiwn2Y");
pub const USER_VOLUME_ACCUMULATOR_SEED: &[u8] = b"user_volume_accumulator";
/// Fee program `["fee_config", PUMP_ID]`.
pub const FEE_CONFIG: Address =
    Address::from_str_const("8Wf5TiAheLUqBrKXeYg2JtAFFMWtKdG2BSFgqUcPVwTt");
pub const CREATOR_VAULT_SEED: &[u8] = b"creator-vault";
pub const POOL_AUTHORITY_SEED: &[u8] = b"pool-authority";

/// Global offsets of the mayhem-mode recipients (pump.md §3.1).
const RESERVED_FEE_RECIPIENT: usize = 483;
const RESERVED_FEE_RECIPIENTS: usize = 516;

pub fn dispatch(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    if data.len() < 8 {
        return Err(AnchorError::InstructionMissing.into());
    }
    let (head, args) = data.split_at(8);
    let mut disc = [0u8; 8];
    disc.copy_from_slice(head);
    match disc {
        buy::DISCRIMINATOR => buy::process(accounts, args),
        sell::DISCRIMINATOR => sell::process(accounts, args),
        buy_exact_sol_in::DISCRIMINATOR => buy_exact_sol_in::process(accounts, args),
        collect_creator_fee::DISCRIMINATOR => collect_creator_fee::process(accounts),
        collect_creator_fee::DISCRIMINATOR_V2 => collect_creator_fee::process_v2(accounts),
        create::DISCRIMINATOR => create::process(accounts, args),
        create::DISCRIMINATOR_V2 => create::process_v2(accounts, args),
        migrate::DISCRIMINATOR => migrate::process(accounts),
        migrate_bonding_curve_creator::DISCRIMINATOR => {
            migrate_bonding_curve_creator::process(accounts)
        }
        distribute_creator_fees_v2::DISCRIMINATOR => {
            distribute_creator_fees_v2::process(accounts, args)
        }
        EVENT_IX_TAG => handle_event_instruction(accounts, &PUMP_EVENT_AUTHORITY),
        _ => Err(AnchorError::InstructionFallbackNotFound.into()),
    }
}

/// `u64, u64` then, for buys, a borsh `OptionBool` (one byte, 0 or 1). Extra bytes are
/// ignored, missing bytes fail with 102 (Anchor's `InstructionDidNotDeserialize`).
#[inline(always)]
pub(crate) fn parse_args(
    args: &[u8],
    with_option_bool: bool,
) -> Result<(u64, u64, bool), ProgramError> {
    let needed = if with_option_bool { 17 } else { 16 };
    if args.len() < needed {
        return Err(AnchorError::InstructionDidNotDeserialize.into());
    }
    let flag = if with_option_bool {
        match args[16] {
            0 => false,
            1 => true,
            _ => return Err(AnchorError::InstructionDidNotDeserialize.into()),
        }
    } else {
        false
    };
    Ok((read_u64(args, 0), read_u64(args, 8), flag))
}

/// The accounts a curve trade uses (buy and sell order them differently).
pub(crate) struct TradeAccounts {
    pub global: AccountView,
    pub fee_recipient: AccountView,
    pub mint: AccountView,
    pub bonding_curve: AccountView,
    pub associated_bonding_curve: AccountView,
    pub associated_user: AccountView,
    pub user: AccountView,
    pub system_program: AccountView,
    pub token_program: AccountView,
    pub creator_vault: AccountView,
    pub event_authority: AccountView,
    pub program: AccountView,
    /// Buys only: `global_volume_accumulator`, `user_volume_accumulator`.
    pub volume_accumulators: Option<(AccountView, AccountView)>,
    pub fee_config: AccountView,
    pub fee_program: AccountView,
}

/// What a validated trade needs from Global, the curve and the mint.
pub(crate) struct TradeContext {
    pub curve: Curve,
    pub real_sol_reserves: u64,
    pub creator: Address,
    pub quote_mint: Address,
    pub mayhem: bool,
    pub fees: CurveFees,
    pub curve_bump: u8,
    pub decimals: u8,
}

#[inline(always)]
fn writable(account: &AccountView) -> Result<(), ProgramError> {
    if account.is_writable() {
        Ok(())
    } else {
        Err(AnchorError::ConstraintMut.into())
    }
}

/// Checks in Anchor's order (deserialization of every account, then constraints in account
/// order, then the handler's own checks) and reads the state.
#[inline(never)]
pub(crate) fn load(a: &TradeAccounts) -> Result<TradeContext, ProgramError> {
    // -- deserialization: owners, discriminators, signer, program ids --
    if !a.global.owned_by(&PUMP_ID) {
        return Err(AnchorError::AccountOwnedByWrongProgram.into());
    }
    // SAFETY: Global is only read; nothing borrows it mutably.
    let g = unsafe { a.global.borrow_unchecked() };
    check_discriminator(g, &global::DISCRIMINATOR, global::MIN_LEN)?;
    if !is_token_program(a.mint.owner()) {
        return Err(AnchorError::AccountOwnedByWrongProgram.into());
    }
    if a.mint.data_len() < state::mint::LEN {
        return Err(AnchorError::AccountDidNotDeserialize.into());
    }
    if !a.bonding_curve.owned_by(&PUMP_ID) {
        return Err(AnchorError::AccountOwnedByWrongProgram.into());
    }
    // SAFETY: read into locals here; written only at the end of the handler.
    let c = unsafe { a.bonding_curve.borrow_unchecked() };
    check_discriminator(c, &bc::DISCRIMINATOR, bc::MIN_LEN)?;
    if !a.user.is_signer() {
        return Err(AnchorError::AccountNotSigner.into());
    }
    if *a.system_program.address() != SYSTEM_PROGRAM_ID
        || !is_token_program(a.token_program.address())
    {
        return Err(AnchorError::InvalidProgramId.into());
    }
    if *a.program.address() != PUMP_ID {
        return Err(AnchorError::ConstraintAddress.into());
    }

    // -- constraints, in account order --
    if *a.global.address() != GLOBAL_ADDRESS {
        return Err(AnchorError::ConstraintSeeds.into());
    }
    writable(&a.fee_recipient)?;
    writable(&a.bonding_curve)?;
    let mint = a.mint.address();
    let curve_bump = find_bump(
        &[BONDING_CURVE_SEED, mint.as_ref()],
        &PUMP_ID,
        a.bonding_curve.address(),
    )
    .ok_or(AnchorError::ConstraintSeeds)?;
    writable(&a.associated_bonding_curve)?;
    if !is_associated_token_address(
        a.associated_bonding_curve.address(),
        a.bonding_curve.address(),
        a.token_program.address(),
        mint,
    ) {
        return Err(AnchorError::ConstraintSeeds.into());
    }
    writable(&a.associated_user)?;
    writable(&a.user)?;
    let creator = state::read_address(c, bc::CREATOR);
    writable(&a.creator_vault)?;
    find_bump(
        &[CREATOR_VAULT_SEED, creator.as_ref()],
        &PUMP_ID,
        a.creator_vault.address(),
    )
    .ok_or(AnchorError::ConstraintSeeds)?;
    if *a.event_authority.address() != PUMP_EVENT_AUTHORITY {
        return Err(AnchorError::ConstraintSeeds.into());
    }
    if let Some((global_volume, user_volume)) = &a.volume_accumulators {
        if *global_volume.address() != GLOBAL_VOLUME_ACCUMULATOR {
            return Err(AnchorError::ConstraintSeeds.into());
        }
        writable(user_volume)?;
        if !is_canonical_pda(
            &[USER_VOLUME_ACCUMULATOR_SEED, a.user.address().as_ref()],
            &PUMP_ID,
            user_volume.address(),
        ) {
            return Err(AnchorError::ConstraintSeeds.into());
        }
    }
    check_fee_accounts(&a.fee_config, &a.fee_program, &FEE_CONFIG)?;

    // -- handler checks --
    let mayhem = state::read_u8_or_zero(c, bc::IS_MAYHEM_MODE) != 0;
    let recipient = a.fee_recipient.address();
    let authorized = if mayhem {
        g.len() >= RESERVED_FEE_RECIPIENTS + 32 * 7
            && (state::address_at(g, RESERVED_FEE_RECIPIENT, recipient)
                || state::list_contains(g, RESERVED_FEE_RECIPIENTS, 7, recipient))
    } else {
        state::address_at(g, global::FEE_RECIPIENT, recipient)
            || state::list_contains(
                g,
                global::FEE_RECIPIENTS,
                global::FEE_RECIPIENTS_LEN,
                recipient,
            )
    };
    if !authorized {
        return Err(PumpError::NotAuthorized.into());
    }
    if c[bc::COMPLETE] != 0 {
        return Err(PumpError::BondingCurveComplete.into());
    }
    let has_creator = creator != Address::new_from_array([0; 32]);
    // SAFETY: the mint is only read.
    let decimals = unsafe { a.mint.borrow_unchecked() }[state::mint::DECIMALS];
    Ok(TradeContext {
        curve: Curve {
            virtual_token_reserves: read_u64(c, bc::VIRTUAL_TOKEN_RESERVES),
            virtual_sol_reserves: read_u64(c, bc::VIRTUAL_SOL_RESERVES),
            real_token_reserves: read_u64(c, bc::REAL_TOKEN_RESERVES),
        },
        real_sol_reserves: read_u64(c, bc::REAL_SOL_RESERVES),
        creator,
        quote_mint: state::read_address_or_default(c, bc::QUOTE_MINT),
        mayhem,
        fees: CurveFees {
            protocol_bps: read_u64(g, global::FEE_BASIS_POINTS),
            creator_bps: if has_creator {
                read_u64(g, global::CREATOR_FEE_BASIS_POINTS)
            } else {
                0
            },
        },
        curve_bump,
        decimals,
    })
}

/// `fee_config` (`["fee_config", program]` under the fee program: 2006) and `fee_program`
/// (an `address` constraint: 2012), in account order. Both are read-only.
#[inline(always)]
pub(crate) fn check_fee_accounts(
    fee_config: &AccountView,
    fee_program: &AccountView,
    expected_fee_config: &Address,
) -> ProgramResult {
    if fee_config.address() != expected_fee_config {
        return Err(AnchorError::ConstraintSeeds.into());
    }
    if *fee_program.address() != FEE_PROGRAM_ID {
        return Err(AnchorError::ConstraintAddress.into());
    }
    Ok(())
}

#[inline(always)]
pub(crate) fn check_discriminator(
    data: &[u8],
    expected: &[u8; 8],
    min_len: usize,
) -> Result<(), ProgramError> {
    if data.len() < 8 {
        return Err(AnchorError::AccountDiscriminatorNotFound.into());
    }
    if data[..8] != expected[..] {
        return Err(AnchorError::AccountDiscriminatorMismatch.into());
    }
    if data.len() < min_len {
        return Err(AnchorError::AccountDidNotDeserialize.into());
    }
    Ok(())
}

/// Reserves after a trade, written back to the curve and reported in `TradeEvent`.
pub(crate) struct Reserves {
    pub virtual_token: u64,
    pub virtual_sol: u64,
    pub real_token: u64,
    pub real_sol: u64,
}

/// Writes the reserves (and `complete` when the real token reserves are gone).
#[inline(always)]
pub(crate) fn write_reserves(curve: &mut AccountView, r: &Reserves) {
    // SAFETY: no other borrow of the curve's data is live.
    let data = unsafe { curve.borrow_unchecked_mut() };
    state::write_u64(data, bc::VIRTUAL_TOKEN_RESERVES, r.virtual_token);
    state::write_u64(data, bc::VIRTUAL_SOL_RESERVES, r.virtual_sol);
    state::write_u64(data, bc::REAL_TOKEN_RESERVES, r.real_token);
    state::write_u64(data, bc::REAL_SOL_RESERVES, r.real_sol);
    if r.real_token == 0 {
        data[bc::COMPLETE] = 1;
    }
}

/// One trade, for `TradeEvent`.
pub(crate) struct Trade<'a> {
    pub sol_amount: u64,
    pub token_amount: u64,
    pub is_buy: bool,
    pub protocol_fee: u64,
    pub creator_fee: u64,
    pub track_volume: bool,
    pub ix_name: &'a str,
    pub reserves: Reserves,
}

/// Emits `TradeEvent` (fields in IDL order) and, when the curve just completed,
/// `CompleteEvent`.
#[inline(never)]
pub(crate) fn emit_trade(a: &TradeAccounts, ctx: &TradeContext, t: &Trade) -> ProgramResult {
    let timestamp = unix_timestamp()?;
    let r = &t.reserves;
    let mut e = EventData::new(&discriminator::TRADE_EVENT);
    e.address(a.mint.address())
        .u64(t.sol_amount)
        .u64(t.token_amount)
        .bool(t.is_buy)
        .address(a.user.address())
        .i64(timestamp)
        .u64(r.virtual_sol)
        .u64(r.virtual_token)
        .u64(r.real_sol)
        .u64(r.real_token)
        .address(a.fee_recipient.address())
        .u64(ctx.fees.protocol_bps)
        .u64(t.protocol_fee)
        .address(&ctx.creator)
        .u64(ctx.fees.creator_bps)
        .u64(t.creator_fee)
        .bool(t.track_volume)
        // total_unclaimed_tokens, total_claimed_tokens, current_sol_volume, last_update_timestamp
        .u64(0)
        .u64(0)
        .u64(0)
        .i64(0)
        .string(t.ix_name)
        .bool(ctx.mayhem)
        // cashback_fee_basis_points, cashback, buyback_fee_basis_points, buyback_fee
        .u64(0)
        .u64(0)
        .u64(0)
        .u64(0)
        // shareholders: empty Vec
        .bytes(&[0, 0, 0, 0])
        .address(&ctx.quote_mint)
        .u64(t.sol_amount)
        .u64(r.virtual_sol)
        .u64(r.real_sol);
    e.emit(&PUMP_ID, &a.event_authority)?;
    if t.is_buy && r.real_token == 0 {
        let mut e = EventData::new(&discriminator::COMPLETE_EVENT);
        e.address(a.user.address())
            .address(a.mint.address())
            .address(a.bonding_curve.address())
            .i64(timestamp)
            .address(&ctx.quote_mint);
        e.emit(&PUMP_ID, &a.event_authority)?;
    }
    Ok(())
}

/// Settles a buy priced by `quote`: SOL and fees from the user by system transfers (the
/// creator vault topped up to rent-exempt first), tokens out signed by the curve PDA,
/// reserves written, events emitted. Shared by `buy` and `buy_exact_sol_in`.
#[inline(never)]
pub(crate) fn settle_buy(
    a: &mut TradeAccounts,
    ctx: &TradeContext,
    quote: &CurveBuy,
    extra: &BuyExtra,
) -> ProgramResult {
    Transfer {
        from: &a.user,
        to: &a.bonding_curve,
        lamports: quote.sol,
    }
    .invoke()?;
    if quote.protocol_fee > 0 {
        Transfer {
            from: &a.user,
            to: &a.fee_recipient,
            lamports: quote.protocol_fee,
        }
        .invoke()?;
    }
    if quote.creator_fee > 0 {
        top_up_creator_vault(a)?;
        Transfer {
            from: &a.user,
            to: &a.creator_vault,
            lamports: quote.creator_fee,
        }
        .invoke()?;
    }
    let bump = [ctx.curve_bump];
    let seeds = [
        Seed::from(BONDING_CURVE_SEED),
        Seed::from(a.mint.address().as_ref()),
        Seed::from(&bump),
    ];
    TransferChecked {
        token_program: &a.token_program,
        from: &a.associated_bonding_curve,
        mint: &a.mint,
        to: &a.associated_user,
        authority: &a.bonding_curve,
        amount: quote.tokens,
        decimals: ctx.decimals,
    }
    .invoke_signed(&[Signer::from(&seeds)])?;

    let c = &ctx.curve;
    let overflow = || ProgramError::from(PumpError::Overflow);
    let reserves = Reserves {
        virtual_token: c
            .virtual_token_reserves
            .checked_sub(quote.tokens)
            .ok_or_else(overflow)?,
        virtual_sol: c
            .virtual_sol_reserves
            .checked_add(quote.sol)
            .ok_or_else(overflow)?,
        real_token: c
            .real_token_reserves
            .checked_sub(quote.tokens)
            .ok_or_else(overflow)?,
        real_sol: ctx
            .real_sol_reserves
            .checked_add(quote.sol)
            .ok_or_else(overflow)?,
    };
    write_reserves(&mut a.bonding_curve, &reserves);
    emit_trade(
        a,
        ctx,
        &Trade {
            sol_amount: quote.sol,
            token_amount: quote.tokens,
            is_buy: true,
            protocol_fee: quote.protocol_fee,
            creator_fee: quote.creator_fee,
            track_volume: extra.track_volume,
            ix_name: extra.ix_name,
            reserves,
        },
    )
}

pub(crate) struct BuyExtra {
    pub track_volume: bool,
    pub ix_name: &'static str,
}

/// The user pays whatever the creator vault lacks to be rent-exempt.
#[inline(always)]
pub(crate) fn top_up_creator_vault(a: &TradeAccounts) -> ProgramResult {
    let balance = a.creator_vault.lamports();
    if balance < RENT_EXEMPT_ZERO {
        Transfer {
            from: &a.user,
            to: &a.creator_vault,
            lamports: RENT_EXEMPT_ZERO - balance,
        }
        .invoke()?;
    }
    Ok(())
}
