"""pump `Global` / `BondingCurve` and PumpSwap `GlobalConfig` / `Pool`: encode (to inject
into LiteSVM) and decode, at the offsets of pump.md §3.1 / §4.1 (IDL field order)."""

from __future__ import annotations

from dataclasses import dataclass, field

from solders.pubkey import Pubkey

from asdf_dat.pump.addresses import WSOL_MINT
from asdf_dat.pump.borsh import Reader, Writer

__all__ = [
    "BONDING_CURVE_DISCRIMINATOR",
    "BONDING_CURVE_SIZE",
    "GLOBAL_CONFIG_DISCRIMINATOR",
    "GLOBAL_CONFIG_SIZE",
    "GLOBAL_DISCRIMINATOR",
    "GLOBAL_SIZE",
    "POOL_DISCRIMINATOR",
    "POOL_SIZE",
    "SHARING_CONFIG_DISCRIMINATOR",
    "SHARING_CONFIG_SIZE",
    "BondingCurve",
    "Global",
    "GlobalConfig",
    "Pool",
    "SharingConfig",
]

GLOBAL_DISCRIMINATOR = bytes([167, 232, 232, 177, 200, 108, 114, 127])
BONDING_CURVE_DISCRIMINATOR = bytes([23, 183, 248, 55, 96, 216, 172, 96])
GLOBAL_CONFIG_DISCRIMINATOR = bytes([149, 8, 156, 202, 160, 252, 176, 217])
POOL_DISCRIMINATOR = bytes([241, 154, 109, 4, 17, 177, 109, 188])
SHARING_CONFIG_DISCRIMINATOR = bytes([216, 74, 9, 0, 56, 140, 93, 75])

GLOBAL_SIZE = 1045
BONDING_CURVE_SIZE = 151
GLOBAL_CONFIG_SIZE = 907
POOL_SIZE = 300
SHARING_CONFIG_SIZE = 1024  # SharingConfig::MAX_SIZE, what create_fee_sharing_config allocates

# Mainnet values (pump.md §3.1, §3.4, §4.5).
INITIAL_VIRTUAL_TOKEN_RESERVES = 1_073_000_000_000_000
INITIAL_VIRTUAL_SOL_RESERVES = 30_000_000_000
INITIAL_REAL_TOKEN_RESERVES = 793_100_000_000_000
TOKEN_TOTAL_SUPPLY = 1_000_000_000_000_000


def _check_discriminator(data: bytes, expected: bytes, name: str) -> None:
    if data[:8] != expected:
        raise ValueError(f"not a {name} account")


@dataclass
class Global:
    """pump `Global`. Fee rates: protocol 95 bps, creator 30 bps."""

    fee_recipient: Pubkey
    fee_recipients: list[Pubkey] = field(default_factory=list)
    authority: Pubkey = field(default_factory=Pubkey.default)
    initialized: bool = True
    initial_virtual_token_reserves: int = INITIAL_VIRTUAL_TOKEN_RESERVES
    initial_virtual_sol_reserves: int = INITIAL_VIRTUAL_SOL_RESERVES
    initial_real_token_reserves: int = INITIAL_REAL_TOKEN_RESERVES
    token_total_supply: int = TOKEN_TOTAL_SUPPLY
    fee_basis_points: int = 95
    withdraw_authority: Pubkey = field(default_factory=Pubkey.default)
    enable_migrate: bool = True
    pool_migration_fee: int = 15_000_001
    creator_fee_basis_points: int = 30
    set_creator_authority: Pubkey = field(default_factory=Pubkey.default)
    admin_set_creator_authority: Pubkey = field(default_factory=Pubkey.default)
    create_v2_enabled: bool = True
    whitelist_pda: Pubkey = field(default_factory=Pubkey.default)
    reserved_fee_recipient: Pubkey = field(default_factory=Pubkey.default)
    mayhem_mode_enabled: bool = False
    reserved_fee_recipients: list[Pubkey] = field(default_factory=list)
    is_cashback_enabled: bool = False
    buyback_fee_recipients: list[Pubkey] = field(default_factory=list)
    buyback_basis_points: int = 0
    initial_virtual_quote_reserves: int = 0
    whitelisted_quote_mints: list[Pubkey] = field(default_factory=list)

    def encode(self) -> bytes:
        w = Writer(GLOBAL_DISCRIMINATOR)
        w.bool(self.initialized).pubkey(self.authority).pubkey(self.fee_recipient)
        w.u64(self.initial_virtual_token_reserves).u64(self.initial_virtual_sol_reserves)
        w.u64(self.initial_real_token_reserves).u64(self.token_total_supply).u64(self.fee_basis_points)
        w.pubkey(self.withdraw_authority).bool(self.enable_migrate).u64(self.pool_migration_fee)
        w.u64(self.creator_fee_basis_points).pubkeys(self.fee_recipients, 7)
        w.pubkey(self.set_creator_authority).pubkey(self.admin_set_creator_authority)
        w.bool(self.create_v2_enabled).pubkey(self.whitelist_pda).pubkey(self.reserved_fee_recipient)
        w.bool(self.mayhem_mode_enabled).pubkeys(self.reserved_fee_recipients, 7)
        w.bool(self.is_cashback_enabled).pubkeys(self.buyback_fee_recipients, 8)
        w.u64(self.buyback_basis_points).u64(self.initial_virtual_quote_reserves)
        w.pubkeys(self.whitelisted_quote_mints, 1)
        return w.padded(GLOBAL_SIZE)

    @classmethod
    def decode(cls, data: bytes) -> Global:
        _check_discriminator(data, GLOBAL_DISCRIMINATOR, "Global")
        r = Reader(data, 8, zero_pad=True)
        initialized, authority, fee_recipient = r.bool(), r.pubkey(), r.pubkey()
        ivt, ivs, irt, supply, fee_bps = r.u64(), r.u64(), r.u64(), r.u64(), r.u64()
        withdraw_authority, enable_migrate, pool_migration_fee = r.pubkey(), r.bool(), r.u64()
        creator_bps, fee_recipients = r.u64(), r.pubkeys(7)
        return cls(
            fee_recipient=fee_recipient,
            fee_recipients=fee_recipients,
            authority=authority,
            initialized=initialized,
            initial_virtual_token_reserves=ivt,
            initial_virtual_sol_reserves=ivs,
            initial_real_token_reserves=irt,
            token_total_supply=supply,
            fee_basis_points=fee_bps,
            withdraw_authority=withdraw_authority,
            enable_migrate=enable_migrate,
            pool_migration_fee=pool_migration_fee,
            creator_fee_basis_points=creator_bps,
            set_creator_authority=r.pubkey(),
            admin_set_creator_authority=r.pubkey(),
            create_v2_enabled=r.bool(),
            whitelist_pda=r.pubkey(),
            reserved_fee_recipient=r.pubkey(),
            mayhem_mode_enabled=r.bool(),
            reserved_fee_recipients=r.pubkeys(7),
            is_cashback_enabled=r.bool(),
            buyback_fee_recipients=r.pubkeys(8),
            buyback_basis_points=r.u64(),
            initial_virtual_quote_reserves=r.u64(),
            whitelisted_quote_mints=r.pubkeys(1),
        )

    def all_fee_recipients(self) -> list[Pubkey]:
        return [self.fee_recipient, *self.fee_recipients]


@dataclass
class BondingCurve:
    """pump `BondingCurve` (allocated at 151 bytes). The SOL reserve is also the account's
    lamports above rent; the tokens sit in its associated token account."""

    virtual_token_reserves: int = INITIAL_VIRTUAL_TOKEN_RESERVES
    virtual_sol_reserves: int = INITIAL_VIRTUAL_SOL_RESERVES
    real_token_reserves: int = INITIAL_REAL_TOKEN_RESERVES
    real_sol_reserves: int = 0
    token_total_supply: int = TOKEN_TOTAL_SUPPLY
    complete: bool = False
    creator: Pubkey = field(default_factory=Pubkey.default)
    is_mayhem_mode: bool = False
    is_cashback_coin: bool = False
    quote_mint: Pubkey = field(default_factory=Pubkey.default)

    def encode(self) -> bytes:
        w = Writer(BONDING_CURVE_DISCRIMINATOR)
        w.u64(self.virtual_token_reserves).u64(self.virtual_sol_reserves)
        w.u64(self.real_token_reserves).u64(self.real_sol_reserves).u64(self.token_total_supply)
        w.bool(self.complete).pubkey(self.creator).bool(self.is_mayhem_mode).bool(self.is_cashback_coin)
        w.pubkey(self.quote_mint)
        return w.padded(BONDING_CURVE_SIZE)

    @classmethod
    def decode(cls, data: bytes) -> BondingCurve:
        _check_discriminator(data, BONDING_CURVE_DISCRIMINATOR, "BondingCurve")
        r = Reader(data, 8, zero_pad=True)
        return cls(
            virtual_token_reserves=r.u64(),
            virtual_sol_reserves=r.u64(),
            real_token_reserves=r.u64(),
            real_sol_reserves=r.u64(),
            token_total_supply=r.u64(),
            complete=r.bool(),
            creator=r.pubkey(),
            is_mayhem_mode=r.bool(),
            is_cashback_coin=r.bool(),
            quote_mint=r.pubkey(),
        )

    def price_lamports_per_token(self) -> float:
        """Spot price in lamports per raw token unit (`vS / vT`)."""
        return self.virtual_sol_reserves / self.virtual_token_reserves


@dataclass
class GlobalConfig:
    """PumpSwap `GlobalConfig`. Pre-tier fee rates: LP 20, protocol 5, coin creator 5 bps."""

    protocol_fee_recipients: list[Pubkey]
    admin: Pubkey = field(default_factory=Pubkey.default)
    lp_fee_basis_points: int = 20
    protocol_fee_basis_points: int = 5
    disable_flags: int = 0
    coin_creator_fee_basis_points: int = 5
    admin_set_coin_creator_authority: Pubkey = field(default_factory=Pubkey.default)
    whitelist_pda: Pubkey = field(default_factory=Pubkey.default)
    reserved_fee_recipient: Pubkey = field(default_factory=Pubkey.default)
    mayhem_mode_enabled: bool = False
    reserved_fee_recipients: list[Pubkey] = field(default_factory=list)
    is_cashback_enabled: bool = False
    buyback_fee_recipients: list[Pubkey] = field(default_factory=list)
    buyback_basis_points: int = 0

    def encode(self) -> bytes:
        w = Writer(GLOBAL_CONFIG_DISCRIMINATOR)
        w.pubkey(self.admin).u64(self.lp_fee_basis_points).u64(self.protocol_fee_basis_points)
        w.u8(self.disable_flags).pubkeys(self.protocol_fee_recipients, 8)
        w.u64(self.coin_creator_fee_basis_points).pubkey(self.admin_set_coin_creator_authority)
        w.pubkey(self.whitelist_pda).pubkey(self.reserved_fee_recipient).bool(self.mayhem_mode_enabled)
        w.pubkeys(self.reserved_fee_recipients, 7).bool(self.is_cashback_enabled)
        w.pubkeys(self.buyback_fee_recipients, 8).u64(self.buyback_basis_points)
        return w.padded(GLOBAL_CONFIG_SIZE)

    @classmethod
    def decode(cls, data: bytes) -> GlobalConfig:
        _check_discriminator(data, GLOBAL_CONFIG_DISCRIMINATOR, "GlobalConfig")
        r = Reader(data, 8, zero_pad=True)
        admin, lp, protocol, flags = r.pubkey(), r.u64(), r.u64(), r.u8()
        return cls(
            protocol_fee_recipients=r.pubkeys(8),
            admin=admin,
            lp_fee_basis_points=lp,
            protocol_fee_basis_points=protocol,
            disable_flags=flags,
            coin_creator_fee_basis_points=r.u64(),
            admin_set_coin_creator_authority=r.pubkey(),
            whitelist_pda=r.pubkey(),
            reserved_fee_recipient=r.pubkey(),
            mayhem_mode_enabled=r.bool(),
            reserved_fee_recipients=r.pubkeys(7),
            is_cashback_enabled=r.bool(),
            buyback_fee_recipients=r.pubkeys(8),
            buyback_basis_points=r.u64(),
        )


@dataclass
class Pool:
    """PumpSwap `Pool` (300 bytes). Holds no reserves: they are the two vault balances."""

    pool_bump: int
    creator: Pubkey
    base_mint: Pubkey
    lp_mint: Pubkey
    pool_base_token_account: Pubkey
    pool_quote_token_account: Pubkey
    coin_creator: Pubkey
    index: int = 0
    quote_mint: Pubkey = WSOL_MINT
    lp_supply: int = 0
    is_mayhem_mode: bool = False
    is_cashback_coin: bool = False

    def encode(self) -> bytes:
        w = Writer(POOL_DISCRIMINATOR)
        w.u8(self.pool_bump).u16(self.index).pubkey(self.creator).pubkey(self.base_mint)
        w.pubkey(self.quote_mint).pubkey(self.lp_mint).pubkey(self.pool_base_token_account)
        w.pubkey(self.pool_quote_token_account).u64(self.lp_supply).pubkey(self.coin_creator)
        w.bool(self.is_mayhem_mode).bool(self.is_cashback_coin)
        return w.padded(POOL_SIZE)

    @classmethod
    def decode(cls, data: bytes) -> Pool:
        _check_discriminator(data, POOL_DISCRIMINATOR, "Pool")
        r = Reader(data, 8, zero_pad=True)
        bump, index, creator, base_mint, quote_mint = r.u8(), r.u16(), r.pubkey(), r.pubkey(), r.pubkey()
        return cls(
            pool_bump=bump,
            index=index,
            creator=creator,
            base_mint=base_mint,
            quote_mint=quote_mint,
            lp_mint=r.pubkey(),
            pool_base_token_account=r.pubkey(),
            pool_quote_token_account=r.pubkey(),
            lp_supply=r.u64(),
            coin_creator=r.pubkey(),
            is_mayhem_mode=r.bool(),
            is_cashback_coin=r.bool(),
        )


@dataclass
class SharingConfig:
    """Fee program `SharingConfig` (IDL field order): a coin's creator-fee split."""

    bump: int
    version: int
    status: int  # ConfigStatus: 0 Paused, 1 Active
    mint: Pubkey
    admin: Pubkey
    admin_revoked: bool
    shareholders: list[tuple[Pubkey, int]]

    def encode(self) -> bytes:
        w = Writer(SHARING_CONFIG_DISCRIMINATOR)
        w.u8(self.bump).u8(self.version).u8(self.status).pubkey(self.mint).pubkey(self.admin)
        w.bool(self.admin_revoked).u32(len(self.shareholders))
        for address, share_bps in self.shareholders:
            w.pubkey(address).u16(share_bps)
        return w.padded(SHARING_CONFIG_SIZE)

    @classmethod
    def decode(cls, data: bytes) -> SharingConfig:
        _check_discriminator(data, SHARING_CONFIG_DISCRIMINATOR, "SharingConfig")
        r = Reader(data, 8)
        bump, version, status, mint, admin, revoked = r.u8(), r.u8(), r.u8(), r.pubkey(), r.pubkey(), r.bool()
        holders = [(r.pubkey(), r.u16()) for _ in range(r.u32())]
        return cls(bump, version, status, mint, admin, revoked, holders)
