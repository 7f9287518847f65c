"""Token config files: the seed's format, the ecosystem directory, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from solders.pubkey import Pubkey

from asdf_dat.config.ecosystem import TokenConfigError, is_amm, load_ecosystem, load_token_config
from asdf_dat.network.config import Network

DEV = Network.DEVNET
from asdf_dat.pump.addresses import TOKEN_2022_PROGRAM_ID, TOKEN_PROGRAM_ID


def _cfg(**over: object) -> dict[str, object]:
    base: dict[str, object] = {
        "mint": str(Pubkey.new_unique()),
        "bondingCurve": str(Pubkey.new_unique()),
        "creator": str(Pubkey.new_unique()),
        "name": "New Token",
        "symbol": "NEW",
        "isRoot": False,
        "poolType": "bonding_curve",
        "tokenProgram": "SPL",
        "network": "devnet",
    }
    base.update(over)
    return base


def _write(directory: Path, name: str, data: object) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return path


def test_seed_format_loads(tmp_path: Path) -> None:
    path = _write(tmp_path, "XX-newtoken.json", _cfg())
    config = load_token_config(path, DEV)
    assert config.symbol == "NEW" and not config.is_root and config.token_program == TOKEN_PROGRAM_ID
    t22 = load_token_config(_write(tmp_path, "b.json", _cfg(tokenProgram="Token2022", poolType="pumpswap_amm")), DEV)
    assert t22.token_program == TOKEN_2022_PROGRAM_ID and is_amm(t22)
    mayhem = _cfg(mayhemMode=True)
    del mayhem["tokenProgram"]
    assert load_token_config(_write(tmp_path, "c.json", mayhem), DEV).token_program == TOKEN_2022_PROGRAM_ID


def test_ecosystem_is_the_directory_of_the_file(tmp_path: Path) -> None:
    d = tmp_path / "devnet-tokens"
    root = _write(d, "01-froot.json", _cfg(symbol="FROOT", isRoot=True))
    _write(d, "02-a.json", _cfg(symbol="A"))
    _write(d, "03-b.json", _cfg(symbol="B"))
    (d / "notes.txt").write_text("ignored")
    eco = load_ecosystem(root, DEV)
    assert [t.symbol for t in eco.tokens] == ["FROOT", "A", "B"] and eco.root.symbol == "FROOT"


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        ("{not json", "not valid JSON"),
        ([1, 2], "must be a JSON object"),
        ({k: v for k, v in _cfg().items() if k != "mint"}, "field 'mint'"),
        (_cfg(mint="nope"), "field 'mint'"),
        (_cfg(isRoot="yes"), "field 'isRoot'"),
        (_cfg(symbol="WAYTOOLONGSYMBOL"), "field 'symbol'"),
        (_cfg(poolType="raydium"), "field 'poolType'"),
        ({k: v for k, v in _cfg().items() if k != "bondingCurve"}, "bondingCurve"),
        (_cfg(network="mainnet"), "field 'network'"),
    ],
)
def test_malformed_file_names_file_and_field(tmp_path: Path, data: object, needle: str) -> None:
    path = _write(tmp_path, "02-bad.json", data)
    with pytest.raises(TokenConfigError) as err:
        load_token_config(path, DEV)
    assert str(path) in str(err.value) and needle in str(err.value)


def test_malformed_sibling_and_root_count(tmp_path: Path) -> None:
    d = tmp_path / "t"
    root = _write(d, "01-root.json", _cfg(isRoot=True))
    _write(d, "02-bad.json", _cfg(creator=12))
    with pytest.raises(TokenConfigError, match="02-bad.json.*field 'creator'"):
        load_ecosystem(root, DEV)
    (d / "02-bad.json").unlink()
    _write(d, "03-root2.json", _cfg(isRoot=True))
    with pytest.raises(TokenConfigError, match="exactly one"):
        load_ecosystem(root, DEV)
