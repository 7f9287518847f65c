import json
import logging
import os
from pathlib import Path

import pytest
from solders.keypair import Keypair

from asdf_dat.network.config import Network
from asdf_dat.network.wallet import (
    WalletError,
    WalletFormatError,
    WalletNotFoundError,
    WalletPermissionError,
    keypair_to_json,
    load_keypair,
    write_keypair,
)


def _write(path: Path, text: str, mode: int = 0o600) -> Path:
    path.write_text(text)
    os.chmod(path, mode)
    return path


def test_round_trip_and_private_mode(tmp_path: Path) -> None:
    keypair = Keypair()
    path = write_keypair(tmp_path / "devnet-wallet.json", keypair)
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert json.loads(path.read_text()) == list(bytes(keypair))
    assert load_keypair(path, network=Network.MAINNET).pubkey() == keypair.pubkey()


def test_write_refuses_to_overwrite(tmp_path: Path) -> None:
    path = write_keypair(tmp_path / "w.json", Keypair())
    with pytest.raises(WalletError, match="already exists"):
        write_keypair(path, Keypair())
    write_keypair(path, Keypair(), overwrite=True)


def test_missing_file_says_how_to_fix(tmp_path: Path) -> None:
    with pytest.raises(WalletNotFoundError, match="solana-keygen new"):
        load_keypair(tmp_path / "nope.json")


def test_world_readable_refused_on_mainnet_only(tmp_path: Path) -> None:
    keypair = Keypair()
    path = _write(tmp_path / "mainnet-wallet.json", keypair_to_json(keypair), 0o644)
    with pytest.raises(WalletPermissionError, match="chmod 600"):
        load_keypair(path, network=Network.MAINNET)
    assert load_keypair(path, network=Network.DEVNET).pubkey() == keypair.pubkey()
    assert load_keypair(path).pubkey() == keypair.pubkey()


@pytest.mark.parametrize(
    ("content", "match"),
    [
        ("not json", "not valid JSON"),
        ('{"a": 1}', "JSON array"),
        ("[1, 2, 3]", "holds 3"),
        (json.dumps([256] * 64), "0 to 255"),
        (json.dumps([True] * 64), "0 to 255"),
        (json.dumps(["1"] * 64), "0 to 255"),
    ],
)
def test_malformed_files_get_clear_errors(tmp_path: Path, content: str, match: str) -> None:
    path = _write(tmp_path / "w.json", content)
    with pytest.raises(WalletFormatError, match=match) as info:
        load_keypair(path)
    assert str(path) in str(info.value)


def test_mismatched_halves(tmp_path: Path) -> None:
    raw = list(bytes(Keypair()))
    raw[40] ^= 1
    with pytest.raises(WalletFormatError):
        load_keypair(_write(tmp_path / "w.json", json.dumps(raw)))


def test_directory_is_not_a_wallet(tmp_path: Path) -> None:
    with pytest.raises(WalletFormatError, match="not a regular file"):
        load_keypair(tmp_path)


def test_errors_never_contain_secret_bytes(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    raw = list(bytes(Keypair()))
    raw[40] ^= 1
    secret_text = json.dumps(raw)
    path = _write(tmp_path / "mainnet-wallet.json", secret_text, 0o604)
    caplog.set_level(logging.DEBUG)
    for network in (Network.MAINNET, Network.DEVNET):
        with pytest.raises(WalletError) as info:
            load_keypair(path, network=network)
        assert secret_text not in str(info.value)
        assert str(raw[:8])[1:-1] not in str(info.value)
    assert secret_text not in caplog.text
