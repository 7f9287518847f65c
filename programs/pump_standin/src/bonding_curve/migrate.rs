//! `migrate()`: permissionless, for a completed curve. Moves the curve's liquidity to the
//! canonical PumpSwap pool (index 0, created by `["pool-authority", mint]`, quote WSOL,
//! `coin_creator = bonding_curve.creator`):
//! 1. `Global.pool_migration_fee` lamports go from the curve to the pool authority, which
//!    pays the rent of every account created below;
//! 2. the curve's tokens go to the pool authority's ATA, and `real_sol_reserves - fee`
//!    lamports go to its WSOL ATA (synced);
//! 3. CPI PumpSwap `create_pool` signed by the pool authority deposits both;
//! 4. what the pool authority has left goes to `Global.withdraw_authority`;
//! 5. the curve keeps `complete = true` with `real_sol_reserves = 0`;
//!    `CompletePumpAmmMigrationEvent` is emitted.
//!
//! Idempotent: a curve whose pool exists already migrates nothing and succeeds.

use pinocchio::{
    cpi::{Seed, Signer},
    instruction::{InstructionAccount, InstructionView},
    AccountView, ProgramResult,
};
use pinocchio_system::instructions::Transfer;

use super::{check_discriminator, BONDING_CURVE_SEED, GLOBAL_ADDRESS, POOL_AUTHORITY_SEED};
use crate::{
    amm::create_pool,
    cpi::{
        cpi, find_bump, is_associated_token_address, unix_timestamp, CreateAssociatedTokenAccount,
        TransferChecked,
    },
    errors::{AnchorError, PumpError},
    events::{discriminator, EventData, AMM_EVENT_AUTHORITY, PUMP_EVENT_AUTHORITY},
    is_token_program,
    state::{self, bonding_curve as bc, global, read_u64, token_amount},
    AMM_ID, ASSOCIATED_TOKEN_PROGRAM_ID, PUMP_ID, SYSTEM_PROGRAM_ID, TOKEN_2022_PROGRAM_ID,
    TOKEN_PROGRAM_ID, WSOL_MINT,
};

pub const DISCRIMINATOR: [u8; 8] = [155, 234, 231, 146, 236, 158, 162, 30];
const WITHDRAW_AUTHORITY: usize = 113;
const POOL_MIGRATION_FEE: usize = 146;

pub fn process(accounts: &mut [AccountView]) -> ProgramResult {
    let [global_account, withdraw_authority, mint, bonding_curve, associated_bonding_curve, user, system_program, token_program, pump_amm, pool, pool_authority, pool_authority_mint_account, pool_authority_wsol_account, amm_global_config, wsol_mint, lp_mint, user_pool_token_account, pool_base_token_account, pool_quote_token_account, token_2022_program, associated_token_program, pump_amm_event_authority, event_authority, program, _rent, ..] =
        &*accounts
    else {
        return Err(AnchorError::AccountNotEnoughKeys.into());
    };
    // -- deserialization --
    if !global_account.owned_by(&PUMP_ID) || !bonding_curve.owned_by(&PUMP_ID) {
        return Err(AnchorError::AccountOwnedByWrongProgram.into());
    }
    // SAFETY: Global is only read.
    let g = unsafe { global_account.borrow_unchecked() };
    check_discriminator(g, &global::DISCRIMINATOR, global::MIN_LEN)?;
    if !is_token_program(mint.owner()) {
        return Err(AnchorError::AccountOwnedByWrongProgram.into());
    }
    // SAFETY: read here; written once at the end.
    let curve = unsafe { bonding_curve.borrow_unchecked() };
    check_discriminator(curve, &bc::DISCRIMINATOR, bc::MIN_LEN)?;
    if !user.is_signer() {
        return Err(AnchorError::AccountNotSigner.into());
    }
    if *system_program.address() != SYSTEM_PROGRAM_ID
        || *token_program.address() != TOKEN_PROGRAM_ID
        || *pump_amm.address() != AMM_ID
        || *token_2022_program.address() != TOKEN_2022_PROGRAM_ID
        || *associated_token_program.address() != ASSOCIATED_TOKEN_PROGRAM_ID
    {
        return Err(AnchorError::InvalidProgramId.into());
    }
    if *wsol_mint.address() != WSOL_MINT || *program.address() != PUMP_ID {
        return Err(AnchorError::ConstraintAddress.into());
    }
    // -- constraints --
    if *global_account.address() != GLOBAL_ADDRESS {
        return Err(AnchorError::ConstraintSeeds.into());
    }
    if !state::address_at(g, WITHDRAW_AUTHORITY, withdraw_authority.address()) {
        return Err(PumpError::NotAuthorized.into());
    }
    let base_program = mint.owner();
    let curve_bump = find_bump(
        &[BONDING_CURVE_SEED, mint.address().as_ref()],
        &PUMP_ID,
        bonding_curve.address(),
    )
    .ok_or(AnchorError::ConstraintSeeds)?;
    let authority_bump = find_bump(
        &[POOL_AUTHORITY_SEED, mint.address().as_ref()],
        &PUMP_ID,
        pool_authority.address(),
    )
    .ok_or(AnchorError::ConstraintSeeds)?;
    if !is_associated_token_address(
        associated_bonding_curve.address(),
        bonding_curve.address(),
        base_program,
        mint.address(),
    ) || !is_associated_token_address(
        pool_authority_mint_account.address(),
        pool_authority.address(),
        base_program,
        mint.address(),
    ) || !is_associated_token_address(
        pool_authority_wsol_account.address(),
        pool_authority.address(),
        &TOKEN_PROGRAM_ID,
        &WSOL_MINT,
    ) || *pump_amm_event_authority.address() != AMM_EVENT_AUTHORITY
        || *event_authority.address() != PUMP_EVENT_AUTHORITY
    {
        return Err(AnchorError::ConstraintSeeds.into());
    }
    // The pool, its LP mint and vaults are checked by PumpSwap's create_pool.

    // -- handler --
    if curve[bc::COMPLETE] == 0 {
        return Err(PumpError::BondingCurveNotComplete.into());
    }
    if pool.owned_by(&AMM_ID) {
        return Ok(()); // migrated already
    }
    let fee = read_u64(g, POOL_MIGRATION_FEE);
    let real_sol = read_u64(curve, bc::REAL_SOL_RESERVES);
    let sol_amount = real_sol.checked_sub(fee).ok_or(PumpError::Overflow)?;
    let mint_amount = token_amount(associated_bonding_curve);
    let creator = state::read_address(curve, bc::CREATOR);
    let is_cashback = state::read_u8_or_zero(curve, bc::IS_CASHBACK_COIN);

    // 1. The fee and the SOL leave the curve (program-owned: a direct lamport move) for
    // the pool authority. A CPI only syncs the accounts it names, so a zero-lamport system
    // transfer naming both makes the move visible before the next CPI.
    let authority_bump_bytes = [authority_bump];
    let authority_seeds = [
        Seed::from(POOL_AUTHORITY_SEED),
        Seed::from(mint.address().as_ref()),
        Seed::from(&authority_bump_bytes),
    ];
    move_lamports(bonding_curve, pool_authority, real_sol)?;
    Transfer {
        from: pool_authority,
        to: bonding_curve,
        lamports: 0,
    }
    .invoke_signed(&[Signer::from(&authority_seeds)])?;
    // The pool authority's two token accounts (it pays, from the fee), the SOL wrapped.
    for (account, token_mint, program_view) in [
        (pool_authority_wsol_account, wsol_mint, token_program),
        (
            pool_authority_mint_account,
            mint,
            if *base_program == TOKEN_PROGRAM_ID {
                token_program
            } else {
                token_2022_program
            },
        ),
    ] {
        CreateAssociatedTokenAccount {
            payer: pool_authority,
            account,
            wallet: pool_authority,
            mint: token_mint,
            system_program,
            token_program: program_view,
        }
        .invoke_signed(&[Signer::from(&authority_seeds)])?;
    }
    Transfer {
        from: pool_authority,
        to: pool_authority_wsol_account,
        lamports: sol_amount,
    }
    .invoke_signed(&[Signer::from(&authority_seeds)])?;
    cpi(
        &InstructionView {
            program_id: &TOKEN_PROGRAM_ID,
            accounts: &[InstructionAccount::writable(
                pool_authority_wsol_account.address(),
            )],
            data: &[17], // SyncNative
        },
        &[pool_authority_wsol_account],
        &[],
    )?;
    // 2. The tokens, signed by the curve.
    let base_program_view = if *base_program == TOKEN_PROGRAM_ID {
        token_program
    } else {
        token_2022_program
    };
    // SAFETY: the mint is only read.
    let decimals = unsafe { mint.borrow_unchecked() }[state::mint::DECIMALS];
    let curve_bump_bytes = [curve_bump];
    let curve_seeds = [
        Seed::from(BONDING_CURVE_SEED),
        Seed::from(mint.address().as_ref()),
        Seed::from(&curve_bump_bytes),
    ];
    TransferChecked {
        token_program: base_program_view,
        from: associated_bonding_curve,
        mint,
        to: pool_authority_mint_account,
        authority: bonding_curve,
        amount: mint_amount,
        decimals,
    }
    .invoke_signed(&[Signer::from(&curve_seeds)])?;

    // 3. create_pool(0, mint_amount, sol_amount, creator, false, cashback), signed by the
    // pool authority.
    let mut data = [0u8; 8 + 2 + 8 + 8 + 32 + 1 + 1];
    data[..8].copy_from_slice(&create_pool::DISCRIMINATOR);
    data[10..18].copy_from_slice(&mint_amount.to_le_bytes());
    data[18..26].copy_from_slice(&sol_amount.to_le_bytes());
    data[26..58].copy_from_slice(creator.as_ref());
    data[58] = 0;
    data[59] = is_cashback;
    create_pool_cpi(&CreatePoolCall {
        views: [
            pool,
            amm_global_config,
            pool_authority,
            mint,
            wsol_mint,
            lp_mint,
            pool_authority_mint_account,
            pool_authority_wsol_account,
            user_pool_token_account,
            pool_base_token_account,
            pool_quote_token_account,
            system_program,
            token_2022_program,
            base_program_view,
            token_program,
            associated_token_program,
            pump_amm_event_authority,
            pump_amm,
        ],
        data: &data,
        signer: &authority_seeds,
    })?;

    // 4. Leftover rent budget to the withdraw authority.
    let left = pool_authority.lamports();
    if left > 0 {
        Transfer {
            from: pool_authority,
            to: withdraw_authority,
            lamports: left,
        }
        .invoke_signed(&[Signer::from(&authority_seeds)])?;
    }
    // 5. The curve.
    {
        let mut view = *bonding_curve;
        // SAFETY: the only live mutable borrow of the curve's data.
        let d = unsafe { view.borrow_unchecked_mut() };
        state::write_u64(d, bc::REAL_SOL_RESERVES, 0);
        state::write_u64(d, bc::REAL_TOKEN_RESERVES, 0);
    }
    let mut e = EventData::new(&discriminator::COMPLETE_PUMP_AMM_MIGRATION_EVENT);
    e.address(user.address())
        .address(mint.address())
        .u64(mint_amount)
        .u64(sol_amount)
        .u64(fee)
        .address(bonding_curve.address())
        .i64(unix_timestamp()?)
        .address(pool.address())
        .bytes(&[0; 32]);
    e.emit(&PUMP_ID, event_authority)
}

/// Lamports out of an account this program owns.
fn move_lamports(from: &AccountView, to: &AccountView, amount: u64) -> ProgramResult {
    let mut from_view = *from;
    let mut to_view = *to;
    let left = from_view
        .lamports()
        .checked_sub(amount)
        .ok_or(PumpError::Overflow)?;
    from_view.set_lamports(left);
    to_view.set_lamports(to_view.lamports() + amount);
    Ok(())
}

struct CreatePoolCall<'a> {
    views: [&'a AccountView; 18],
    data: &'a [u8],
    signer: &'a [Seed<'a>; 3],
}

/// The `create_pool` CPI with the pool authority (index 2) as signer.
#[inline(never)]
fn create_pool_cpi(c: &CreatePoolCall) -> ProgramResult {
    let v = &c.views;
    let w = |i: usize| InstructionAccount::writable(v[i].address());
    let r = |i: usize| InstructionAccount::readonly(v[i].address());
    let metas = [
        w(0),
        r(1),
        InstructionAccount::writable_signer(v[2].address()),
        r(3),
        r(4),
        w(5),
        w(6),
        w(7),
        w(8),
        w(9),
        w(10),
        r(11),
        r(12),
        r(13),
        r(14),
        r(15),
        r(16),
        r(17),
    ];
    let instruction = InstructionView {
        program_id: &AMM_ID,
        accounts: &metas,
        data: c.data,
    };
    cpi(&instruction, v, &[Signer::from(c.signer)])
}
