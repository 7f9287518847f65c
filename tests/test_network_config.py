from pathlib import Path

import pytest

from asdf_dat.network.config import Network, load_network_config, parse_network
from asdf_dat.network.endpoint import RpcEndpoint, mask_url

KEY = "0123456789abcdef0123456789abcdef"


def test_localnet_defaults(tmp_path: Path) -> None:
    config = load_network_config("localnet", env={}, cwd=tmp_path)
    assert config.network is Network.LOCALNET
    assert config.rpc.url == "http://127.0.0.1:8899"
    assert config.fallback_rpcs == ()
    assert config.wallet_path == tmp_path / "localnet-wallet.json"
    assert config.tokens_dir == tmp_path / "localnet-tokens"
    assert config.requests_per_second is None
    assert config.commitment == "confirmed"


def test_devnet_defaults_read_from_cwd(tmp_path: Path) -> None:
    config = load_network_config(Network.DEVNET, env={}, cwd=tmp_path)
    assert config.rpc.url == "https://api.devnet.solana.com"
    assert config.wallet_path == tmp_path / "devnet-wallet.json"
    assert config.tokens_dir == tmp_path / "devnet-tokens"
    assert config.requests_per_second is not None


def test_mainnet_uses_finalized_and_helius(tmp_path: Path) -> None:
    config = load_network_config("mainnet", env={"HELIUS_API_KEY": KEY}, cwd=tmp_path)
    assert config.commitment == "finalized"
    assert config.rpc.url == f"https://mainnet.helius-rpc.com/?api-key={KEY}"
    assert [e.url for e in config.fallback_rpcs] == ["https://api.mainnet-beta.solana.com"]


def test_helius_devnet_url() -> None:
    config = load_network_config("devnet", env={"HELIUS_API_KEY": KEY})
    assert config.rpc.url == f"https://devnet.helius-rpc.com/?api-key={KEY}"


def test_rpc_url_beats_helius_and_fallback_order(tmp_path: Path) -> None:
    env = {"RPC_URL": "https://rpc.example/", "HELIUS_API_KEY": KEY, "RPC_FALLBACK_URL": "https://backup.example/"}
    config = load_network_config("devnet", env=env, cwd=tmp_path)
    assert [e.url for e in config.endpoints] == [
        "https://rpc.example/",
        "https://backup.example/",
        "https://api.devnet.solana.com",
    ]


def test_localnet_overrides(tmp_path: Path) -> None:
    env = {
        "RPC_URL": "http://127.0.0.1:18899",
        "RPC_FALLBACK_URL": "http://127.0.0.1:18900",
        "WALLET_PATH": "keys/admin.json",
    }
    config = load_network_config("localnet", env=env, cwd=tmp_path)
    assert config.rpc.url == "http://127.0.0.1:18899"
    assert [e.url for e in config.fallback_rpcs] == ["http://127.0.0.1:18900"]
    assert config.wallet_path == tmp_path / "keys" / "admin.json"


def test_absolute_wallet_path(tmp_path: Path) -> None:
    wallet = tmp_path / "w.json"
    assert load_network_config("devnet", env={"WALLET_PATH": str(wallet)}).wallet_path == wallet


def test_blank_env_values_are_ignored(tmp_path: Path) -> None:
    config = load_network_config("devnet", env={"RPC_URL": "  ", "HELIUS_API_KEY": ""}, cwd=tmp_path)
    assert config.rpc.url == "https://api.devnet.solana.com"


def test_reads_os_environ_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RPC_URL", "http://127.0.0.1:9999")
    assert load_network_config("localnet").rpc.url == "http://127.0.0.1:9999"


def test_api_key_never_shown(tmp_path: Path) -> None:
    config = load_network_config("mainnet", env={"HELIUS_API_KEY": KEY}, cwd=tmp_path)
    for text in (repr(config), str(config), repr(config.rpc), str(config.rpc), repr(config.endpoints)):
        assert KEY not in text
    assert "api-key=***" in str(config.rpc)


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        (f"https://mainnet.helius-rpc.com/?api-key={KEY}", "https://mainnet.helius-rpc.com/?api-key=***"),
        ("https://user:hunter2@rpc.example/x", "https://user:***@rpc.example/x"),
        (f"https://solana-mainnet.quiknode.pro/{KEY}/", "https://solana-mainnet.quiknode.pro/***/"),
        ("http://127.0.0.1:8899", "http://127.0.0.1:8899"),
    ],
)
def test_mask_url(url: str, masked: str) -> None:
    assert mask_url(url) == masked


def test_endpoint_rejects_non_http() -> None:
    with pytest.raises(ValueError, match="http"):
        RpcEndpoint("ws://127.0.0.1:8900")


@pytest.mark.parametrize(("name", "network"), [("DEVNET", Network.DEVNET), ("mainnet-beta", Network.MAINNET)])
def test_parse_network(name: str, network: Network) -> None:
    assert parse_network(name) is network


def test_parse_network_rejects_unknown() -> None:
    with pytest.raises(ValueError, match="devnet, mainnet, localnet"):
        parse_network("testnet")


def test_dumps_are_masked_too(tmp_path: Path) -> None:
    config = load_network_config(
        "mainnet", env={"HELIUS_API_KEY": KEY, "RPC_FALLBACK_URL": f"https://b.example/?api-key={KEY}"}, cwd=tmp_path
    )
    assert KEY not in config.model_dump_json()
    assert KEY not in str(config.model_dump())
    assert config.model_dump()["rpc"] == "https://mainnet.helius-rpc.com/?api-key=***"
