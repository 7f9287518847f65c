//! Anchor `emit_cpi!` events: a self-invocation signed by the program's
//! `["__event_authority"]` PDA whose data is `EVENT_IX_TAG ‖ event discriminator ‖ borsh`.
//! Indexers (and our fee daemon) read them from the transaction's inner instructions.

use pinocchio::{
    cpi::{invoke_signed_unchecked, CpiAccount, Seed, Signer},
    instruction::{InstructionAccount, InstructionView},
    AccountView, Address, ProgramResult,
};

use crate::errors::AnchorError;

/// `sha256("anchor:event")[..8]` reversed, as Anchor's `EVENT_IX_TAG_LE`.
pub const EVENT_IX_TAG: [u8; 8] = [228, 69, 165, 46, 81, 203, 154, 29];

/// pump `["__event_authority"]` (bump 255).
pub const PUMP_EVENT_AUTHORITY: Address =
    Address::from_str_const("Ce6TQqeHC9p8KetsN6JsjHK7UTZk7nasjjnr7XxXp9F1");
/// PumpSwap `["__event_authority"]` (bump 255).
pub const AMM_EVENT_AUTHORITY: Address =
    Address::from_str_const("GS4CU59F31iL7aR2Q8zVS8DRrcRnXX1yjQ66TqNVQnaR");
/// Fee program `["__event_authority"]` (bump 252).
pub const FEE_EVENT_AUTHORITY: Address =
    Address::from_str_const("D6QxXDt6hhcCpto4HiZKkN2YQ2iZRF5R7S3caCHpUsML");

/// The event authority's bump under `program_id` (255 for pump and PumpSwap).
#[inline(always)]
fn event_authority_bump(program_id: &Address) -> u8 {
    if *program_id == crate::FEE_PROGRAM_ID {
        252
    } else {
        255
    }
}

pub mod discriminator {
    pub const TRADE_EVENT: [u8; 8] = [189, 219, 127, 211, 78, 230, 97, 238];
    pub const CREATE_POOL_EVENT: [u8; 8] = [177, 49, 12, 210, 160, 118, 167, 116];
    pub const COMPLETE_PUMP_AMM_MIGRATION_EVENT: [u8; 8] = [189, 233, 93, 185, 92, 148, 234, 148];
    pub const CREATE_EVENT: [u8; 8] = [27, 114, 169, 77, 222, 235, 99, 118];
    pub const COMPLETE_EVENT: [u8; 8] = [95, 114, 97, 156, 212, 46, 152, 8];
    pub const COLLECT_CREATOR_FEE_EVENT: [u8; 8] = [122, 2, 127, 1, 14, 191, 12, 175];
    pub const BUY_EVENT: [u8; 8] = [103, 244, 82, 31, 44, 245, 119, 119];
    pub const SELL_EVENT: [u8; 8] = [62, 47, 55, 10, 165, 3, 220, 42];
    pub const COLLECT_COIN_CREATOR_FEE_EVENT: [u8; 8] = [232, 245, 194, 238, 234, 218, 58, 89];
    pub const MIGRATE_BONDING_CURVE_CREATOR_EVENT: [u8; 8] = [155, 167, 104, 220, 213, 108, 243, 3];
    pub const DISTRIBUTE_CREATOR_FEES_EVENT: [u8; 8] = [165, 55, 129, 112, 4, 179, 202, 40];
    pub const MIGRATE_POOL_COIN_CREATOR_EVENT: [u8; 8] = [170, 221, 82, 199, 147, 165, 247, 46];
    pub const CREATE_FEE_SHARING_CONFIG_EVENT: [u8; 8] = [133, 105, 170, 200, 184, 116, 251, 88];
    pub const UPDATE_FEE_SHARES_EVENT: [u8; 8] = [21, 186, 196, 184, 91, 228, 225, 203];
}

const CAPACITY: usize = 768;

/// Borsh writer for one event instruction's data.
pub struct EventData {
    buf: [u8; CAPACITY],
    len: usize,
}

impl EventData {
    #[inline(always)]
    pub fn new(event_discriminator: &[u8; 8]) -> Self {
        let mut data = EventData {
            buf: [0; CAPACITY],
            len: 16,
        };
        data.buf[..8].copy_from_slice(&EVENT_IX_TAG);
        data.buf[8..16].copy_from_slice(event_discriminator);
        data
    }

    #[inline(always)]
    pub fn bytes(&mut self, bytes: &[u8]) -> &mut Self {
        self.buf[self.len..self.len + bytes.len()].copy_from_slice(bytes);
        self.len += bytes.len();
        self
    }

    #[inline(always)]
    pub fn u8(&mut self, value: u8) -> &mut Self {
        self.bytes(&[value])
    }

    #[inline(always)]
    pub fn u64(&mut self, value: u64) -> &mut Self {
        self.bytes(&value.to_le_bytes())
    }

    #[inline(always)]
    pub fn i64(&mut self, value: i64) -> &mut Self {
        self.bytes(&value.to_le_bytes())
    }

    #[inline(always)]
    pub fn bool(&mut self, value: bool) -> &mut Self {
        self.bytes(&[value as u8])
    }

    #[inline(always)]
    pub fn address(&mut self, address: &Address) -> &mut Self {
        self.bytes(address.as_array())
    }

    /// Borsh `string`: u32 length ‖ UTF-8 bytes.
    #[inline(always)]
    pub fn string(&mut self, value: &str) -> &mut Self {
        self.bytes(&(value.len() as u32).to_le_bytes())
            .bytes(value.as_bytes())
    }

    /// Writes the event twice, as the real programs do: a `Program data:` log line
    /// (Anchor's `emit!`: base64 of `event discriminator ‖ borsh`, what log-based
    /// `EventParser`s read), then the `emit_cpi!` self-invocation of the running program
    /// (`program_id`) signed by its event authority, which must be `event_authority`
    /// (checked by the caller).
    #[inline(never)]
    pub fn emit(&self, program_id: &Address, event_authority: &AccountView) -> ProgramResult {
        log_data(&self.buf[8..self.len]);
        let metas = [InstructionAccount::readonly_signer(
            event_authority.address(),
        )];
        let instruction = InstructionView {
            program_id,
            accounts: &metas,
            data: &self.buf[..self.len],
        };
        let accounts = [CpiAccount::from(event_authority)];
        let bump = [event_authority_bump(program_id)];
        let seeds = [Seed::from(b"__event_authority"), Seed::from(&bump)];
        let signer = Signer::from(&seeds);
        // SAFETY: the event authority holds no data, nothing is borrowed.
        unsafe { invoke_signed_unchecked(&instruction, &accounts, &[signer]) };
        Ok(())
    }
}

/// `sol_log_data` of one field: the runtime prints it as `Program data: <base64>`.
#[inline(always)]
pub fn log_data(data: &[u8]) {
    #[cfg(target_os = "solana")]
    {
        let fields: [&[u8]; 1] = [data];
        // SAFETY: `fields` is one (pointer, length) slice the syscall only reads.
        unsafe { pinocchio::syscalls::sol_log_data(fields.as_ptr() as *const u8, 1) };
    }
    #[cfg(not(target_os = "solana"))]
    core::hint::black_box(data);
}

/// The self-CPI's handler: accept it only when signed by the event authority (as Anchor's
/// `handle_event_cpi`: 2002 if not a signer, 2006 if another account).
pub fn handle_event_instruction(
    accounts: &[AccountView],
    event_authority: &Address,
) -> ProgramResult {
    let Some(authority) = accounts.first() else {
        return Err(AnchorError::AccountNotEnoughKeys.into());
    };
    if !authority.is_signer() {
        return Err(AnchorError::ConstraintSigner.into());
    }
    if authority.address() != event_authority {
        return Err(AnchorError::ConstraintSeeds.into());
    }
    Ok(())
}
