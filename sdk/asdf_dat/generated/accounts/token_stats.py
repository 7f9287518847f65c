import typing
from dataclasses import dataclass
from solders.pubkey import Pubkey
from solana.rpc.async_api import AsyncClient
from solana.rpc.commitment import Commitment
import borsh_construct as borsh
from anchorpy.error import AccountInvalidDiscriminator
from anchorpy.utils.rpc import get_multiple_accounts
from anchorpy.borsh_extension import BorshPubkey
from ..program_id import PROGRAM_ID


class TokenStatsJSON(typing.TypedDict):
    mint: str
    token_program: str
    pool: str
    dat_token_account: str
    pool_token_account: str
    pool_type: int
    is_root: bool
    bump: int
    decimals: int
    pending_fees: int
    watermark_slot: int
    watermark_seq: int
    total_sol_attributed: int
    total_sol_spent: int
    total_sent_to_root: int
    total_received_from_others: int
    total_tokens_burned: int
    cycles: int
    last_cycle_at: int
    last_cycle_id: int
    attribution: int
    fee_vault_bump: int
    fee_vault: str
    sharing_config: str
    fee_creator_vault: str
    price_ref_virtual_sol: int
    price_ref_virtual_token: int
    price_ref_slot: int
    price_ref_prev_sol: int
    price_ref_prev_token: int
    price_ref_prev_slot: int
    reserved: list[int]


@dataclass
class TokenStats:
    discriminator: typing.ClassVar = b"\x07~\x19\xe8IO\xca\xec"
    layout: typing.ClassVar = borsh.CStruct(
        "mint" / BorshPubkey,
        "token_program" / BorshPubkey,
        "pool" / BorshPubkey,
        "dat_token_account" / BorshPubkey,
        "pool_token_account" / BorshPubkey,
        "pool_type" / borsh.U8,
        "is_root" / borsh.Bool,
        "bump" / borsh.U8,
        "decimals" / borsh.U8,
        "pending_fees" / borsh.U64,
        "watermark_slot" / borsh.U64,
        "watermark_seq" / borsh.U64,
        "total_sol_attributed" / borsh.U64,
        "total_sol_spent" / borsh.U64,
        "total_sent_to_root" / borsh.U64,
        "total_received_from_others" / borsh.U64,
        "total_tokens_burned" / borsh.U64,
        "cycles" / borsh.U64,
        "last_cycle_at" / borsh.I64,
        "last_cycle_id" / borsh.U64,
        "attribution" / borsh.U8,
        "fee_vault_bump" / borsh.U8,
        "fee_vault" / BorshPubkey,
        "sharing_config" / BorshPubkey,
        "fee_creator_vault" / BorshPubkey,
        "price_ref_virtual_sol" / borsh.U64,
        "price_ref_virtual_token" / borsh.U64,
        "price_ref_slot" / borsh.U64,
        "price_ref_prev_sol" / borsh.U64,
        "price_ref_prev_token" / borsh.U64,
        "price_ref_prev_slot" / borsh.U64,
        "reserved" / borsh.U8[6],
    )
    mint: Pubkey
    token_program: Pubkey
    pool: Pubkey
    dat_token_account: Pubkey
    pool_token_account: Pubkey
    pool_type: int
    is_root: bool
    bump: int
    decimals: int
    pending_fees: int
    watermark_slot: int
    watermark_seq: int
    total_sol_attributed: int
    total_sol_spent: int
    total_sent_to_root: int
    total_received_from_others: int
    total_tokens_burned: int
    cycles: int
    last_cycle_at: int
    last_cycle_id: int
    attribution: int
    fee_vault_bump: int
    fee_vault: Pubkey
    sharing_config: Pubkey
    fee_creator_vault: Pubkey
    price_ref_virtual_sol: int
    price_ref_virtual_token: int
    price_ref_slot: int
    price_ref_prev_sol: int
    price_ref_prev_token: int
    price_ref_prev_slot: int
    reserved: list[int]

    @classmethod
    async def fetch(
        cls,
        conn: AsyncClient,
        address: Pubkey,
        commitment: typing.Optional[Commitment] = None,
        program_id: Pubkey = PROGRAM_ID,
    ) -> typing.Optional["TokenStats"]:
        resp = await conn.get_account_info(address, commitment=commitment)
        info = resp.value
        if info is None:
            return None
        if info.owner != program_id:
            raise ValueError("Account does not belong to this program")
        bytes_data = info.data
        return cls.decode(bytes_data)

    @classmethod
    async def fetch_multiple(
        cls,
        conn: AsyncClient,
        addresses: list[Pubkey],
        commitment: typing.Optional[Commitment] = None,
        program_id: Pubkey = PROGRAM_ID,
    ) -> typing.List[typing.Optional["TokenStats"]]:
        infos = await get_multiple_accounts(conn, addresses, commitment=commitment)
        res: typing.List[typing.Optional["TokenStats"]] = []
        for info in infos:
            if info is None:
                res.append(None)
                continue
            if info.account.owner != program_id:
                raise ValueError("Account does not belong to this program")
            res.append(cls.decode(info.account.data))
        return res

    @classmethod
    def decode(cls, data: bytes) -> "TokenStats":
        if data[: len(cls.discriminator)] != cls.discriminator:
            raise AccountInvalidDiscriminator(
                "The discriminator for this account is invalid"
            )
        dec = TokenStats.layout.parse(data[len(cls.discriminator) :])
        return cls(
            mint=dec.mint,
            token_program=dec.token_program,
            pool=dec.pool,
            dat_token_account=dec.dat_token_account,
            pool_token_account=dec.pool_token_account,
            pool_type=dec.pool_type,
            is_root=dec.is_root,
            bump=dec.bump,
            decimals=dec.decimals,
            pending_fees=dec.pending_fees,
            watermark_slot=dec.watermark_slot,
            watermark_seq=dec.watermark_seq,
            total_sol_attributed=dec.total_sol_attributed,
            total_sol_spent=dec.total_sol_spent,
            total_sent_to_root=dec.total_sent_to_root,
            total_received_from_others=dec.total_received_from_others,
            total_tokens_burned=dec.total_tokens_burned,
            cycles=dec.cycles,
            last_cycle_at=dec.last_cycle_at,
            last_cycle_id=dec.last_cycle_id,
            attribution=dec.attribution,
            fee_vault_bump=dec.fee_vault_bump,
            fee_vault=dec.fee_vault,
            sharing_config=dec.sharing_config,
            fee_creator_vault=dec.fee_creator_vault,
            price_ref_virtual_sol=dec.price_ref_virtual_sol,
            price_ref_virtual_token=dec.price_ref_virtual_token,
            price_ref_slot=dec.price_ref_slot,
            price_ref_prev_sol=dec.price_ref_prev_sol,
            price_ref_prev_token=dec.price_ref_prev_token,
            price_ref_prev_slot=dec.price_ref_prev_slot,
            reserved=dec.reserved,
        )

    def to_json(self) -> TokenStatsJSON:
        return {
            "mint": str(self.mint),
            "token_program": str(self.token_program),
            "pool": str(self.pool),
            "dat_token_account": str(self.dat_token_account),
            "pool_token_account": str(self.pool_token_account),
            "pool_type": self.pool_type,
            "is_root": self.is_root,
            "bump": self.bump,
            "decimals": self.decimals,
            "pending_fees": self.pending_fees,
            "watermark_slot": self.watermark_slot,
            "watermark_seq": self.watermark_seq,
            "total_sol_attributed": self.total_sol_attributed,
            "total_sol_spent": self.total_sol_spent,
            "total_sent_to_root": self.total_sent_to_root,
            "total_received_from_others": self.total_received_from_others,
            "total_tokens_burned": self.total_tokens_burned,
            "cycles": self.cycles,
            "last_cycle_at": self.last_cycle_at,
            "last_cycle_id": self.last_cycle_id,
            "attribution": self.attribution,
            "fee_vault_bump": self.fee_vault_bump,
            "fee_vault": str(self.fee_vault),
            "sharing_config": str(self.sharing_config),
            "fee_creator_vault": str(self.fee_creator_vault),
            "price_ref_virtual_sol": self.price_ref_virtual_sol,
            "price_ref_virtual_token": self.price_ref_virtual_token,
            "price_ref_slot": self.price_ref_slot,
            "price_ref_prev_sol": self.price_ref_prev_sol,
            "price_ref_prev_token": self.price_ref_prev_token,
            "price_ref_prev_slot": self.price_ref_prev_slot,
            "reserved": self.reserved,
        }

    @classmethod
    def from_json(cls, obj: TokenStatsJSON) -> "TokenStats":
        return cls(
            mint=Pubkey.from_string(obj["mint"]),
            token_program=Pubkey.from_string(obj["token_program"]),
            pool=Pubkey.from_string(obj["pool"]),
            dat_token_account=Pubkey.from_string(obj["dat_token_account"]),
            pool_token_account=Pubkey.from_string(obj["pool_token_account"]),
            pool_type=obj["pool_type"],
            is_root=obj["is_root"],
            bump=obj["bump"],
            decimals=obj["decimals"],
            pending_fees=obj["pending_fees"],
            watermark_slot=obj["watermark_slot"],
            watermark_seq=obj["watermark_seq"],
            total_sol_attributed=obj["total_sol_attributed"],
            total_sol_spent=obj["total_sol_spent"],
            total_sent_to_root=obj["total_sent_to_root"],
            total_received_from_others=obj["total_received_from_others"],
            total_tokens_burned=obj["total_tokens_burned"],
            cycles=obj["cycles"],
            last_cycle_at=obj["last_cycle_at"],
            last_cycle_id=obj["last_cycle_id"],
            attribution=obj["attribution"],
            fee_vault_bump=obj["fee_vault_bump"],
            fee_vault=Pubkey.from_string(obj["fee_vault"]),
            sharing_config=Pubkey.from_string(obj["sharing_config"]),
            fee_creator_vault=Pubkey.from_string(obj["fee_creator_vault"]),
            price_ref_virtual_sol=obj["price_ref_virtual_sol"],
            price_ref_virtual_token=obj["price_ref_virtual_token"],
            price_ref_slot=obj["price_ref_slot"],
            price_ref_prev_sol=obj["price_ref_prev_sol"],
            price_ref_prev_token=obj["price_ref_prev_token"],
            price_ref_prev_slot=obj["price_ref_prev_slot"],
            reserved=obj["reserved"],
        )
