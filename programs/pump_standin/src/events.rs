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
const EVENT_AUTHORITY_BUMP: [u8; 1] = [255];

pub mod discriminator {
    pub const TRADE_EVENT: [u8; 8] = [189, 219, 127, 211, 78, 230, 97, 238];
    pub const COMPLETE_EVENT: [u8; 8] = [95, 114, 97, 156, 212, 46, 152, 8];
    pub const COLLECT_CREATOR_FEE_EVENT: [u8; 8] = [122, 2, 127, 1, 14, 191, 12, 175];
    pub const BUY_EVENT: [u8; 8] = [103, 244, 82, 31, 44, 245, 119, 119];
    pub const SELL_EVENT: [u8; 8] = [62, 47, 55, 10, 165, 3, 220, 42];
    pub const COLLECT_COIN_CREATOR_FEE_EVENT: [u8; 8] = [232, 245, 194, 238, 234, 218, 58, 89];
}

const CAPACITY: usize = 512;

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

    /// Invokes the running program (`program_id`) with this data, signed by its event
    /// authority, which must be `event_authority` (checked by the caller).
    #[inline(never)]
    pub fn emit(&self, program_id: &Address, event_authority: &AccountView) -> ProgramResult {
        let metas = [InstructionAccount::readonly_signer(
            event_authority.address(),
        )];
        let instruction = InstructionView {
            program_id,
            accounts: &metas,
            data: &self.buf[..self.len],
        };
        let accounts = [CpiAccount::from(event_authority)];
        let seeds = [
            Seed::from(b"__event_authority"),
            Seed::from(&EVENT_AUTHORITY_BUMP),
        ];
        let signer = Signer::from(&seeds);
        // SAFETY: the event authority holds no data, nothing is borrowed.
        unsafe { invoke_signed_unchecked(&instruction, &accounts, &[signer]) };
        Ok(())
    }
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
