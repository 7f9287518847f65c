"""The one venue quote (`dat/quote.py`) and the one token-file writer (`config/tokens.py`)."""

from __future__ import annotations

import json
from pathlib import Path

from solders.keypair import Keypair
from solders.pubkey import Pubkey

from asdf_dat.config.tokens import TokenConfigModel, load_token_file, rewrite_token_file, write_token_config
from asdf_dat.dat.math import CurveQuoteInput, FeeRates, curve_buy_exact_sol_in_quote
from asdf_dat.dat.quote import CurveVenue
from asdf_dat.network.config import Network
from asdf_dat.orchestrator.trading import Market
from asdf_dat.pump.layouts import BondingCurve, Global

SOL = 1_000_000_000


def test_curve_quote_charges_no_creator_fee_on_a_curve_without_creator() -> None:
    glob = Global(fee_recipient=Keypair().pubkey(), fee_basis_points=95, creator_fee_basis_points=30)
    orphan = BondingCurve()  # creator = default key: pump takes no creator fee
    owned = BondingCurve(creator=Keypair().pubkey())
    reserves = (orphan.virtual_token_reserves, orphan.virtual_sol_reserves, orphan.real_token_reserves)
    assert CurveVenue(orphan, glob).quote(SOL) == curve_buy_exact_sol_in_quote(
        SOL, CurveQuoteInput(*reserves, FeeRates(95, 0, 0))
    )
    assert CurveVenue(owned, glob).quote(SOL) == curve_buy_exact_sol_in_quote(
        SOL, CurveQuoteInput(*reserves, FeeRates(95, 30, 0))
    )
    assert CurveVenue(orphan, glob).quote(SOL) > CurveVenue(owned, glob).quote(SOL)


def test_check_pool_liquidity_quotes_like_the_executor() -> None:
    """`check-pool-liquidity` quotes through `Market.venue`, the executor's `CurveVenue`: on a
    curve without creator it must not charge the creator fee (the drift issue 13 found)."""
    glob = Global(fee_recipient=Keypair().pubkey())
    curve = BondingCurve()
    market = Market(False, curve, glob, None, None, curve.real_token_reserves, curve.real_sol_reserves)
    for lamports in (10_000_000, 100_000_000, SOL):
        assert market.venue.quote(lamports) == CurveVenue(curve, glob).quote(lamports)
        assert market.venue.quote(lamports) == curve_buy_exact_sol_in_quote(
            lamports, CurveVenue(curve, glob).quote_input()
        )
        assert CurveVenue(curve, glob).quote_input().fees == FeeRates(glob.fee_basis_points, 0, 0)


def _model(**extra: object) -> TokenConfigModel:
    key = str(Pubkey.new_unique())
    return TokenConfigModel.model_validate({
        "mint": key, "bondingCurve": str(Pubkey.new_unique()), "creator": str(Pubkey.new_unique()),
        "name": "Froot", "symbol": "FROOT", "isRoot": True, "poolType": "bonding_curve", "tokenProgram": "SPL",
        "network": "localnet", **extra,
    })


def test_token_config_writer_round_trips_and_keeps_the_file_shape(tmp_path: Path) -> None:
    path = write_token_config(tmp_path / "localnet-tokens" / "01-froot.json", _model(note="kept"))
    raw = json.loads(path.read_text())
    assert set(raw) == {"mint", "bondingCurve", "creator", "name", "symbol", "isRoot", "poolType", "tokenProgram",
                        "network", "note"}  # only what was given: no defaults added
    loaded = load_token_file(path, Network.LOCALNET)
    assert str(loaded.mint) == raw["mint"] and loaded.is_root and loaded.attribution == "keeper"
    assert not list(path.parent.glob("*.tmp"))  # written through a temporary file, renamed

    rewrite_token_file(path, Network.LOCALNET, {"attribution": "fee-sharing"})
    again = json.loads(path.read_text())
    assert again == raw | {"attribution": "fee-sharing"}  # every other key kept
    assert load_token_file(path, Network.LOCALNET).fee_sharing
