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


class DatStateJSON(typing.TypedDict):
    admin: str
    fee_split_bps: int
    bump: int


@dataclass
class DatState:
    discriminator: typing.ClassVar = b"\xe6oz.\x88U\xb0\xec"
    layout: typing.ClassVar = borsh.CStruct(
        "admin" / BorshPubkey, "fee_split_bps" / borsh.U16, "bump" / borsh.U8
    )
    admin: Pubkey
    fee_split_bps: int
    bump: int

    @classmethod
    async def fetch(
        cls,
        conn: AsyncClient,
        address: Pubkey,
        commitment: typing.Optional[Commitment] = None,
        program_id: Pubkey = PROGRAM_ID,
    ) -> typing.Optional["DatState"]:
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
    ) -> typing.List[typing.Optional["DatState"]]:
        infos = await get_multiple_accounts(conn, addresses, commitment=commitment)
        res: typing.List[typing.Optional["DatState"]] = []
        for info in infos:
            if info is None:
                res.append(None)
                continue
            if info.account.owner != program_id:
                raise ValueError("Account does not belong to this program")
            res.append(cls.decode(info.account.data))
        return res

    @classmethod
    def decode(cls, data: bytes) -> "DatState":
        if data[: len(cls.discriminator)] != cls.discriminator:
            raise AccountInvalidDiscriminator(
                "The discriminator for this account is invalid"
            )
        dec = DatState.layout.parse(data[len(cls.discriminator) :])
        return cls(
            admin=dec.admin,
            fee_split_bps=dec.fee_split_bps,
            bump=dec.bump,
        )

    def to_json(self) -> DatStateJSON:
        return {
            "admin": str(self.admin),
            "fee_split_bps": self.fee_split_bps,
            "bump": self.bump,
        }

    @classmethod
    def from_json(cls, obj: DatStateJSON) -> "DatState":
        return cls(
            admin=Pubkey.from_string(obj["admin"]),
            fee_split_bps=obj["fee_split_bps"],
            bump=obj["bump"],
        )
