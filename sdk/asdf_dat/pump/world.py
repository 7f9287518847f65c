"""A pump.fun + PumpSwap world on a LiteSVM: the stand-in program at both real ids, the
pump `Global` and PumpSwap `GlobalConfig`, ecosystem tokens on the curve (SPL Token or
Token-2022), migrated tokens with a canonical pool, and traders that buy and sell."""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TypeVar

from solders.account import Account
from solders.compute_budget import set_compute_unit_limit
from solders.instruction import Instruction
from solders.keypair import Keypair
from solders.litesvm import LiteSVM
from solders.pubkey import Pubkey
from solders.system_program import TransferParams, transfer

from asdf_dat.dat.pdas import BPF_LOADER_UPGRADEABLE_ID, program_data_address
from asdf_dat.embedded import new_svm
from asdf_dat.programs import program_path
from asdf_dat.pump import addresses as addr
from asdf_dat.pump import instructions as ix
from asdf_dat.pump import math as pm
from asdf_dat.pump.addresses import (
    PUMP_AMM_PROGRAM_ID,
    PUMP_FEE_PROGRAM_ID,
    PUMP_PROGRAM_ID,
    TOKEN_2022_PROGRAM_ID,
    TOKEN_PROGRAM_ID,
    WSOL_MINT,
)
from asdf_dat.pump.layouts import (
    INITIAL_REAL_TOKEN_RESERVES,
    TOKEN_TOTAL_SUPPLY,
    BondingCurve,
    Global,
    GlobalConfig,
    Pool,
    SharingConfig,
)
from asdf_dat.pump.tokens import (
    create_ata_idempotent,
    decode_token_account,
    encode_mint,
    encode_token_account,
    sync_native,
)
from asdf_dat.pump.tx import TxResult, send

__all__ = [
    "STANDIN_CRATE",
    "EcosystemToken",
    "MigratedToken",
    "PumpWorld",
    "install_pump_standin",
    "label_key",
]

STANDIN_CRATE = "pump_standin"
DECIMALS = 6
ONE_TOKEN = 1_000_000  # raw units per whole token
# What `migrate` leaves in a canonical pool (pump.md §3.4: ~85.005 SOL minus the fee).
MIGRATED_BASE_RESERVE = TOKEN_TOTAL_SUPPLY - INITIAL_REAL_TOKEN_RESERVES
MIGRATED_QUOTE_RESERVE = 84_990_359_057


def label_key(label: str) -> Pubkey:
    """A deterministic address for a named role (nobody holds its key)."""
    return Pubkey(hashlib.sha256(label.encode()).digest())


def load_upgradeable(svm: LiteSVM, program_id: Pubkey, elf: bytes) -> None:
    """Installs `elf` at `program_id` as the upgradeable loader (v3) deploys it: a 36-byte
    program account naming its ProgramData (u32 tag 3, u64 slot, no upgrade authority, the
    ELF). The runtime charges a CPI caller for every executable account it passes by its data
    size (1 CU per 250 bytes): a loader-v2 account carries the whole ELF, a v3 one 36 bytes."""
    program_data = program_data_address(program_id)
    data = struct.pack("<IQ", 3, 0) + bytes(33) + elf
    svm.set_account(
        program_data,
        Account(int(svm.minimum_balance_for_rent_exemption(len(data))), data, BPF_LOADER_UPGRADEABLE_ID),
    )
    program = struct.pack("<I", 2) + bytes(program_data)
    svm.set_account(
        program_id,
        Account(
            int(svm.minimum_balance_for_rent_exemption(len(program))),
            program,
            BPF_LOADER_UPGRADEABLE_ID,
            executable=True,
        ),
    )


def install_pump_standin(svm: LiteSVM) -> None:
    """Loads the stand-in binary at the real ids of pump, PumpSwap and the fee program (and
    of Metaplex Token Metadata, of which it serves only `CreateMetadataAccountV3`), with the
    upgradeable loader as on mainnet; Token-2022 is moved to that loader too (mainnet's is
    upgradeable; SPL Token and the ATA program stay on loader v2, as there). So the CU our
    program pays to pass these programs' accounts in its CPIs are mainnet's."""
    elf = program_path(STANDIN_CRATE).read_bytes()
    for program_id in (PUMP_PROGRAM_ID, PUMP_AMM_PROGRAM_ID, PUMP_FEE_PROGRAM_ID, addr.METAPLEX_PROGRAM_ID):
        load_upgradeable(svm, program_id, elf)
    token_2022 = svm.get_account(TOKEN_2022_PROGRAM_ID)
    if token_2022 is not None and token_2022.owner != BPF_LOADER_UPGRADEABLE_ID:
        load_upgradeable(svm, TOKEN_2022_PROGRAM_ID, bytes(token_2022.data))


@dataclass(frozen=True)
class EcosystemToken:
    """A coin on the bonding curve."""

    mint: Pubkey
    creator: Pubkey
    token_program: Pubkey

    @property
    def bonding_curve(self) -> Pubkey:
        return addr.bonding_curve(self.mint)

    @property
    def associated_bonding_curve(self) -> Pubkey:
        return addr.associated_bonding_curve(self.mint, self.token_program)

    @property
    def creator_vault(self) -> Pubkey:
        return addr.creator_vault(self.creator)


@dataclass(frozen=True)
class MigratedToken:
    """A coin whose curve completed, trading on its canonical PumpSwap pool (quote WSOL)."""

    mint: Pubkey
    creator: Pubkey
    token_program: Pubkey
    pool: Pubkey
    pool_base_token_account: Pubkey
    pool_quote_token_account: Pubkey

    @property
    def coin_creator_vault_authority(self) -> Pubkey:
        return addr.coin_creator_vault_authority(self.creator)

    @property
    def coin_creator_vault_ata(self) -> Pubkey:
        return addr.coin_creator_vault_ata(self.creator)


AnyToken = TypeVar("AnyToken", EcosystemToken, MigratedToken)


@dataclass
class PumpWorld:
    """Everything pump-side our tests need, on one LiteSVM."""

    svm: LiteSVM = field(default_factory=new_svm)
    global_state: Global = field(
        default_factory=lambda: Global(
            fee_recipient=label_key("pump-fee-recipient-0"),
            fee_recipients=[label_key(f"pump-fee-recipient-{i}") for i in range(1, 8)],
            authority=label_key("pump-authority"),
            withdraw_authority=label_key("pump-withdraw-authority"),
        )
    )
    global_config: GlobalConfig = field(
        default_factory=lambda: GlobalConfig(
            protocol_fee_recipients=[label_key(f"pumpswap-protocol-fee-recipient-{i}") for i in range(8)],
            admin=label_key("pumpswap-admin"),
        )
    )
    payer: Keypair = field(default_factory=Keypair)
    new_keypair: Callable[[], Keypair] = Keypair
    """Where the world's fresh keys (mints, traders) come from: random by default, or seeded
    (`asdf_dat.sandbox.SeededKeypairs`) so that a run's addresses, and so its CU, repeat."""
    written: dict[Pubkey, None] = field(default_factory=dict)
    """Every address this world wrote or funded, in order (what a validator's genesis needs:
    `asdf_dat.validator.genesis` exports them as `--account` files)."""

    def __post_init__(self) -> None:
        for program in (TOKEN_PROGRAM_ID, TOKEN_2022_PROGRAM_ID, addr.ASSOCIATED_TOKEN_PROGRAM_ID):
            if self.svm.get_account(program) is None:
                raise RuntimeError(f"{program} is not loaded in this LiteSVM")
        install_pump_standin(self.svm)
        self.svm.airdrop(self.payer.pubkey(), 1_000_000_000_000)
        self.set_global(self.global_state)
        self.set_global_config(self.global_config)
        self.inject(WSOL_MINT, encode_mint(supply=0, decimals=9), TOKEN_PROGRAM_ID)
        for recipient in [*self.global_state.all_fee_recipients(), self.global_state.withdraw_authority]:
            self.fund(recipient, self.rent(0))
        for recipient in self.global_config.protocol_fee_recipients:
            self.inject_wsol_account(recipient, 0)

    # ---- low level ---------------------------------------------------------------------

    def rent(self, size: int) -> int:
        return int(self.svm.minimum_balance_for_rent_exemption(size))

    def inject(self, address: Pubkey, data: bytes, owner: Pubkey, extra_lamports: int = 0) -> None:
        """Writes a rent-exempt account (plus `extra_lamports`)."""
        self.written[address] = None
        self.svm.set_account(address, Account(self.rent(len(data)) + extra_lamports, data, owner))

    def fund(self, address: Pubkey, lamports: int) -> None:
        self.written[address] = None
        self.svm.airdrop(address, lamports)

    def send(self, instructions: list[Instruction], *signers: Keypair) -> TxResult:
        """Sends with `signers[0]` (default: the world's payer) paying."""
        return send(self.svm, instructions, list(signers) or [self.payer])

    def set_global(self, state: Global) -> None:
        self.global_state = state
        self.inject(addr.pump_global(), state.encode(), PUMP_PROGRAM_ID)

    def set_global_config(self, config: GlobalConfig) -> None:
        self.global_config = config
        self.inject(addr.amm_global_config(), config.encode(), PUMP_AMM_PROGRAM_ID)

    def inject_token_account(
        self, owner: Pubkey, mint: Pubkey, amount: int, token_program: Pubkey = TOKEN_PROGRAM_ID
    ) -> Pubkey:
        """Writes `owner`'s ATA for `mint` holding `amount`."""
        ata = addr.associated_token_address(owner, mint, token_program)
        self.inject(
            ata, encode_token_account(mint=mint, owner=owner, amount=amount, token_program=token_program), token_program
        )
        return ata

    def inject_wsol_account(self, owner: Pubkey, amount: int) -> Pubkey:
        """Writes `owner`'s WSOL ATA holding `amount` lamports as tokens."""
        ata = addr.associated_token_address(owner, WSOL_MINT)
        reserve = self.rent(165)
        data = encode_token_account(mint=WSOL_MINT, owner=owner, amount=amount, native_rent_reserve=reserve)
        self.inject(ata, data, TOKEN_PROGRAM_ID, extra_lamports=amount)
        return ata

    # ---- tokens ------------------------------------------------------------------------

    def create_token(
        self,
        creator: Pubkey,
        *,
        token_program: Pubkey = TOKEN_PROGRAM_ID,
        mint: Pubkey | None = None,
        curve: BondingCurve | None = None,
    ) -> EcosystemToken:
        """A fresh coin on the curve: mint (6 decimals, supply 1e15, no authorities), curve
        with mainnet's initial reserves, and the curve's ATA holding the unsold supply."""
        mint = mint or self.new_keypair().pubkey()
        state = curve or BondingCurve(creator=creator)
        state.creator = creator
        self.inject(mint, encode_mint(supply=TOKEN_TOTAL_SUPPLY, decimals=DECIMALS), token_program)
        curve_address = addr.bonding_curve(mint)
        self.inject(curve_address, state.encode(), PUMP_PROGRAM_ID, extra_lamports=state.real_sol_reserves)
        held = state.real_token_reserves + TOKEN_TOTAL_SUPPLY - INITIAL_REAL_TOKEN_RESERVES
        if state.complete:
            held = 0
        self.inject_token_account(curve_address, mint, held, token_program)
        return EcosystemToken(mint, creator, token_program)

    def create_coin(
        self,
        creator: Pubkey,
        *,
        user: Keypair | None = None,
        mint: Keypair | None = None,
        name: str = "Stand-in coin",
        symbol: str = "SIC",
        uri: str = "https://example.invalid/coin.json",
    ) -> tuple[EcosystemToken, TxResult]:
        """A coin made by pump `create` (SPL Token, Metaplex metadata)."""
        user = user or self.payer
        mint = mint or self.new_keypair()
        built = ix.create(mint=mint.pubkey(), user=user.pubkey(), creator=creator, name=name, symbol=symbol, uri=uri)
        result = self.send([built], user, mint)
        return EcosystemToken(mint.pubkey(), creator, TOKEN_PROGRAM_ID), result

    def create_coin_v2(
        self,
        creator: Pubkey,
        *,
        user: Keypair | None = None,
        mint: Keypair | None = None,
        name: str = "Stand-in coin",
        symbol: str = "SIC",
        uri: str = "https://example.invalid/coin.json",
    ) -> tuple[EcosystemToken, TxResult]:
        """A coin made by pump `create_v2` (Token-2022), as on mainnet since 2025-11;
        `user` (default: the world's payer) pays and signs, with the new `mint`."""
        user = user or self.payer
        mint = mint or self.new_keypair()
        built = ix.create_v2(mint=mint.pubkey(), user=user.pubkey(), creator=creator, name=name, symbol=symbol, uri=uri)
        result = self.send([built], user, mint)
        return EcosystemToken(mint.pubkey(), creator, TOKEN_2022_PROGRAM_ID), result

    def migrate(self, token: EcosystemToken, user: Keypair | None = None) -> tuple[MigratedToken, TxResult]:
        """pump `migrate` of a completed curve; the token as it now trades on its pool."""
        user = user or self.payer
        built = ix.migrate(
            user=user.pubkey(),
            mint=token.mint,
            withdraw_authority=self.global_state.withdraw_authority,
            token_program=token.token_program,
        )
        # A Token-2022 coin's migration takes more than the default 200k CU.
        result = self.send([set_compute_unit_limit(400_000), built], user)
        pool = addr.canonical_pool(token.mint)
        migrated = MigratedToken(
            token.mint,
            token.creator,
            token.token_program,
            pool,
            addr.associated_token_address(pool, token.mint, token.token_program),
            addr.associated_token_address(pool, WSOL_MINT),
        )
        return migrated, result

    def create_migrated_token(
        self,
        creator: Pubkey,
        *,
        token_program: Pubkey = TOKEN_PROGRAM_ID,
        mint: Pubkey | None = None,
        base_reserve: int = MIGRATED_BASE_RESERVE,
        quote_reserve: int = MIGRATED_QUOTE_RESERVE,
    ) -> MigratedToken:
        """A coin after `migrate`: completed curve, canonical pool (index 0, created by the
        pool authority, quote WSOL, `coin_creator = creator`) with its vaults, and the
        coin-creator vault's WSOL ATA."""
        token = self.create_token(
            creator,
            token_program=token_program,
            mint=mint,
            curve=BondingCurve(real_token_reserves=0, complete=True),
        )
        pool_creator = addr.pool_authority(token.mint)
        pool, bump = addr.pool_pda(0, pool_creator, token.mint, WSOL_MINT)
        base_vault = self.inject_token_account(pool, token.mint, base_reserve, token_program)
        quote_vault = self.inject_wsol_account(pool, quote_reserve)
        lp_mint = addr.pool_lp_mint(pool)
        self.inject(lp_mint, encode_mint(supply=0, decimals=9, mint_authority=pool), TOKEN_PROGRAM_ID)
        state = Pool(
            pool_bump=bump,
            creator=pool_creator,
            base_mint=token.mint,
            lp_mint=lp_mint,
            pool_base_token_account=base_vault,
            pool_quote_token_account=quote_vault,
            coin_creator=creator,
        )
        self.inject(pool, state.encode(), PUMP_AMM_PROGRAM_ID)
        self.inject_wsol_account(addr.coin_creator_vault_authority(creator), 0)
        return MigratedToken(token.mint, creator, token_program, pool, base_vault, quote_vault)

    # ---- traders -----------------------------------------------------------------------

    def new_trader(self, sol: int = 100) -> Keypair:
        trader = self.new_keypair()
        self.fund(trader.pubkey(), sol * 1_000_000_000)
        return trader

    def wrap_sol_instructions(self, owner: Pubkey, lamports: int) -> list[Instruction]:
        ata = addr.associated_token_address(owner, WSOL_MINT)
        return [
            create_ata_idempotent(owner, owner, WSOL_MINT),
            transfer(TransferParams(from_pubkey=owner, to_pubkey=ata, lamports=lamports)),
            sync_native(ata),
        ]

    def buy(
        self,
        trader: Keypair,
        token: EcosystemToken,
        amount: int,
        max_sol_cost: int | None = None,
        *,
        fee_recipient: Pubkey | None = None,
    ) -> TxResult:
        """Curve `buy` of `amount` raw tokens; `max_sol_cost` defaults to the exact quote."""
        if max_sol_cost is None:
            max_sol_cost = self.quote_buy(token, amount).total_cost
        user = trader.pubkey()
        return self.send(
            [
                create_ata_idempotent(user, user, token.mint, token.token_program),
                ix.buy(
                    user=user,
                    mint=token.mint,
                    creator=token.creator,
                    fee_recipient=fee_recipient or self.global_state.fee_recipient,
                    amount=amount,
                    max_sol_cost=max_sol_cost,
                    token_program=token.token_program,
                ),
            ],
            trader,
        )

    def buy_exact_sol_in(
        self, trader: Keypair, token: EcosystemToken, spendable_sol_in: int, min_tokens_out: int = 0
    ) -> TxResult:
        user = trader.pubkey()
        return self.send(
            [
                create_ata_idempotent(user, user, token.mint, token.token_program),
                ix.buy_exact_sol_in(
                    user=user,
                    mint=token.mint,
                    creator=token.creator,
                    fee_recipient=self.global_state.fee_recipient,
                    spendable_sol_in=spendable_sol_in,
                    min_tokens_out=min_tokens_out,
                    token_program=token.token_program,
                ),
            ],
            trader,
        )

    def sell(self, trader: Keypair, token: EcosystemToken, amount: int, min_sol_output: int = 0) -> TxResult:
        return self.send(
            [
                ix.sell(
                    user=trader.pubkey(),
                    mint=token.mint,
                    creator=token.creator,
                    fee_recipient=self.global_state.fee_recipient,
                    amount=amount,
                    min_sol_output=min_sol_output,
                    token_program=token.token_program,
                )
            ],
            trader,
        )

    def collect_creator_fee(self, creator: Pubkey) -> TxResult:
        return self.send([ix.collect_creator_fee(creator)])

    def pool_buy(
        self, trader: Keypair, token: MigratedToken, base_amount_out: int, max_quote_amount_in: int | None = None
    ) -> TxResult:
        """PumpSwap `buy`; first wraps `max_quote_amount_in` lamports (default: the exact
        quote, all of which the buy spends)."""
        if max_quote_amount_in is None:
            max_quote_amount_in = self.quote_pool_buy(token, base_amount_out).user_quote_in
        user = trader.pubkey()
        return self.send(
            [
                *self.wrap_sol_instructions(user, max_quote_amount_in),
                create_ata_idempotent(user, user, token.mint, token.token_program),
                ix.amm_buy(
                    pool=token.pool,
                    user=user,
                    base_mint=token.mint,
                    coin_creator=token.creator,
                    protocol_fee_recipient=self.global_config.protocol_fee_recipients[0],
                    base_amount_out=base_amount_out,
                    max_quote_amount_in=max_quote_amount_in,
                    base_token_program=token.token_program,
                ),
            ],
            trader,
        )

    def pool_sell(
        self, trader: Keypair, token: MigratedToken, base_amount_in: int, min_quote_amount_out: int = 0
    ) -> TxResult:
        user = trader.pubkey()
        return self.send(
            [
                create_ata_idempotent(user, user, WSOL_MINT),
                ix.amm_sell(
                    pool=token.pool,
                    user=user,
                    base_mint=token.mint,
                    coin_creator=token.creator,
                    protocol_fee_recipient=self.global_config.protocol_fee_recipients[0],
                    base_amount_in=base_amount_in,
                    min_quote_amount_out=min_quote_amount_out,
                    base_token_program=token.token_program,
                ),
            ],
            trader,
        )

    def collect_coin_creator_fee(self, token: MigratedToken, destination: Pubkey) -> TxResult:
        return self.send(
            [ix.amm_collect_coin_creator_fee(coin_creator=token.creator, destination=destination)]
        )

    # ---- creator fee sharing -------------------------------------------------------------

    def create_fee_sharing_config(self, payer: Keypair, token: AnyToken) -> AnyToken:
        """Fee program `create_fee_sharing_config` signed by `payer` (the coin creator or
        Global's `admin_set_creator_authority`); for a `MigratedToken` its pool is passed.
        Returns the token with its creator now the sharing config."""
        pool = token.pool if isinstance(token, MigratedToken) else None
        self.send([ix.create_fee_sharing_config(payer=payer.pubkey(), mint=token.mint, pool=pool)], payer)
        return replace(token, creator=addr.sharing_config(token.mint))

    def sharing_config(self, mint: Pubkey) -> SharingConfig:
        account = self.svm.get_account(addr.sharing_config(mint))
        if account is None:
            raise LookupError(f"no sharing config for {mint}")
        return SharingConfig.decode(bytes(account.data))

    def update_fee_shares(
        self, admin: Keypair, token: EcosystemToken | MigratedToken, shareholders: list[tuple[Pubkey, int]]
    ) -> TxResult:
        current = [holder for holder, _ in self.sharing_config(token.mint).shareholders]
        built = ix.update_fee_shares_v2(
            authority=admin.pubkey(), mint=token.mint, current_shareholders=current, new_shareholders=shareholders
        )
        return self.send([built], admin)

    def transfer_creator_fees_to_pump(self, token: MigratedToken) -> TxResult:
        return self.send(
            [ix.amm_transfer_creator_fees_to_pump_v2(payer=self.payer.pubkey(), coin_creator=token.creator)]
        )

    def distribute_creator_fees(self, token: EcosystemToken | MigratedToken) -> TxResult:
        holders = [holder for holder, _ in self.sharing_config(token.mint).shareholders]
        built = ix.distribute_creator_fees_v2(payer=self.payer.pubkey(), mint=token.mint, shareholders=holders)
        return self.send([built])

    # ---- reading -----------------------------------------------------------------------

    def lamports(self, address: Pubkey) -> int:
        return int(self.svm.get_balance(address) or 0)

    def token_balance(self, address: Pubkey) -> int:
        account = self.svm.get_account(address)
        return 0 if account is None else decode_token_account(bytes(account.data)).amount

    def token_balance_of(self, owner: Pubkey, mint: Pubkey, token_program: Pubkey = TOKEN_PROGRAM_ID) -> int:
        return self.token_balance(addr.associated_token_address(owner, mint, token_program))

    def curve(self, token: EcosystemToken | MigratedToken) -> BondingCurve:
        account = self.svm.get_account(addr.bonding_curve(token.mint))
        if account is None:
            raise LookupError(f"no bonding curve for {token.mint}")
        return BondingCurve.decode(bytes(account.data))

    def pool_reserves(self, token: MigratedToken) -> tuple[int, int]:
        """(base, quote) vault balances."""
        return self.token_balance(token.pool_base_token_account), self.token_balance(token.pool_quote_token_account)

    def price(self, token: EcosystemToken) -> float:
        """Curve spot price, lamports per whole token (10^6 raw units)."""
        return self.curve(token).price_lamports_per_token() * ONE_TOKEN

    def pool_price(self, token: MigratedToken) -> float:
        """Pool spot price, lamports per whole token."""
        base, quote = self.pool_reserves(token)
        return quote / base * ONE_TOKEN

    def _curve_fees(self, token: EcosystemToken) -> tuple[int, int]:
        creator_bps = self.global_state.creator_fee_basis_points if token.creator != Pubkey.default() else 0
        return self.global_state.fee_basis_points, creator_bps

    def quote_buy(self, token: EcosystemToken, amount: int) -> pm.CurveBuy:
        c = self.curve(token)
        return pm.curve_buy_exact_out(
            c.virtual_token_reserves, c.virtual_sol_reserves, c.real_token_reserves, amount, *self._curve_fees(token)
        )

    def quote_buy_exact_sol_in(self, token: EcosystemToken, spendable: int) -> pm.CurveBuy:
        c = self.curve(token)
        return pm.curve_buy_exact_in(
            c.virtual_token_reserves, c.virtual_sol_reserves, c.real_token_reserves, spendable, *self._curve_fees(token)
        )

    def quote_sell(self, token: EcosystemToken, amount: int) -> pm.CurveSell:
        c = self.curve(token)
        return pm.curve_sell(c.virtual_token_reserves, c.virtual_sol_reserves, amount, *self._curve_fees(token))

    def _pool_fees(self, token: MigratedToken) -> tuple[int, int, int]:
        g = self.global_config
        creator_bps = g.coin_creator_fee_basis_points if token.creator != Pubkey.default() else 0
        return g.lp_fee_basis_points, g.protocol_fee_basis_points, creator_bps

    def quote_pool_buy(self, token: MigratedToken, base_amount_out: int) -> pm.PoolBuy:
        base, quote = self.pool_reserves(token)
        return pm.pool_buy_exact_out(base, quote, base_amount_out, *self._pool_fees(token))

    def quote_pool_sell(self, token: MigratedToken, base_amount_in: int) -> pm.PoolSell:
        base, quote = self.pool_reserves(token)
        return pm.pool_sell(base, quote, base_amount_in, *self._pool_fees(token))

