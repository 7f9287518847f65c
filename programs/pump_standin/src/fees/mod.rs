//! The pump fee program (`pfeeUxB6jkeY1Hxd7CsFCAjcbHA9rWtchMGdZ6VojVZ`): creator fee
//! sharing only — `create_fee_sharing_config`, `update_fee_shares_v2` and the event
//! self-CPI. Fee tiers (`FeeConfig`) are not implemented: trades use the fixed bps of
//! pump's `Global` / PumpSwap's `GlobalConfig`.

pub mod create_fee_sharing_config;
pub mod update_fee_shares_v2;

use pinocchio::{AccountView, ProgramResult};

use crate::{
    errors::AnchorError,
    events::{handle_event_instruction, EVENT_IX_TAG, FEE_EVENT_AUTHORITY},
};

pub fn dispatch(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    if data.len() < 8 {
        return Err(AnchorError::InstructionMissing.into());
    }
    let (head, args) = data.split_at(8);
    let mut disc = [0u8; 8];
    disc.copy_from_slice(head);
    match disc {
        create_fee_sharing_config::DISCRIMINATOR => create_fee_sharing_config::process(accounts),
        update_fee_shares_v2::DISCRIMINATOR => update_fee_shares_v2::process(accounts, args),
        EVENT_IX_TAG => handle_event_instruction(accounts, &FEE_EVENT_AUTHORITY),
        _ => Err(AnchorError::InstructionFallbackNotFound.into()),
    }
}
