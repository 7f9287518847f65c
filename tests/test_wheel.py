"""The wheel works anywhere: built with the standard frontend (`python -m build`, what `make
wheel` runs), installed into a fresh virtualenv in a temporary directory that has no path to
the checkout, and used there: `asdf-dat --version`, `asdf-dat demo --json`, `asdf-dat doctor`
against a localnet served by the installed package, and the SDK from `python -c`.

Dependencies come from a wheelhouse in ~/.cache/asdf-dat (filled by `pip download` the first
time, then `pip install --no-index`), so later runs do not fetch from PyPI.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
DEPLOY = REPO_ROOT / "target" / "deploy"
WHEELHOUSE = Path(os.environ.get("ASDF_DAT_CACHE", Path.home() / ".cache" / "asdf-dat")) / "wheelhouse"
CRATES = ("asdf_dat", "pump_standin")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _clean_env(home: Path, **extra: str) -> dict[str, str]:
    """An environment that leads nowhere near the checkout."""
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", "PYTHONNOUSERSITE": "1"}
    env.update(extra)
    return env


def _run(
    args: list[str | Path], *, cwd: Path, env: dict[str, str], timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    built = _run([sys.executable, "-m", "build", "--outdir", out, REPO_ROOT], cwd=REPO_ROOT, env=dict(os.environ))
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    wheels = list(out.glob("asdf_dat-*.whl"))
    sdists = list(out.glob("asdf_dat-*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1, list(out.iterdir())
    return wheels[0]


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """(virtualenv, working directory), both in a temporary directory outside the checkout."""
    base = tmp_path_factory.mktemp("elsewhere")
    assert REPO_ROOT not in base.parents
    env_dir, work = base / "venv", base / "work"
    work.mkdir()
    env = _clean_env(base)
    created = _run(["/usr/bin/python3", "-m", "venv", env_dir], cwd=work, env=env)
    assert created.returncode == 0, created.stderr
    pip: list[str | Path] = [env_dir / "bin" / "python", "-m", "pip", "--disable-pip-version-check", "--no-input"]
    installed = _run([*pip, "install", "--no-index", "--find-links", WHEELHOUSE, wheel], cwd=work, env=env)
    if installed.returncode != 0:
        WHEELHOUSE.mkdir(parents=True, exist_ok=True)
        downloaded = _run([*pip, "download", "--dest", WHEELHOUSE, wheel], cwd=work, env=env)
        assert downloaded.returncode == 0, downloaded.stderr[-3000:]
        for stale in WHEELHOUSE.glob("asdf_dat-*"):
            stale.unlink()  # our own wheel is always the one just built
        installed = _run([*pip, "install", "--no-index", "--find-links", WHEELHOUSE, wheel], cwd=work, env=env)
    assert installed.returncode == 0, installed.stderr[-3000:]
    yield env_dir, work
    shutil.rmtree(base, ignore_errors=True)


def test_wheel_carries_the_built_programs_and_metadata(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        for crate in CRATES:
            packed = archive.read(f"asdf_dat/_bundled/programs/{crate}.so")
            assert hashlib.sha256(packed).hexdigest() == _sha256(DEPLOY / f"{crate}.so")
        assert archive.read("asdf_dat/_bundled/idl/asdf_dat.json") == (REPO_ROOT / "idl" / "asdf_dat.json").read_bytes()
        assert "asdf_dat/py.typed" in names
        metadata_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = archive.read(metadata_name).decode()
        assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    import asdf_dat

    assert f"\nVersion: {asdf_dat.__version__}\n" in metadata
    assert "License-Expression: MIT" in metadata
    assert "Classifier: Typing :: Typed" in metadata
    assert "Project-URL: Source, " in metadata
    assert "Requires-Dist: solders<0.27,>=0.26.0" in metadata


def test_installed_wheel_runs_without_the_checkout(venv: tuple[Path, Path]) -> None:
    env_dir, work = venv
    env = _clean_env(work.parent)
    cli = env_dir / "bin" / "asdf-dat"

    version = _run([cli, "--version"], cwd=work, env=env)
    assert version.returncode == 0, version.stderr
    import asdf_dat

    assert f"asdf-dat {asdf_dat.__version__} " in version.stdout
    assert "program id Da57QBZtk8eMgSe85Ky85px8G5Xxh3iSb2NJx2vn9dC4" in version.stdout
    for crate in CRATES:
        line = next(line for line in version.stdout.splitlines() if line.startswith(f"{crate}.so sha256 "))
        assert _sha256(DEPLOY / f"{crate}.so") in line
        assert f"(package: {env_dir}" in line  # the wheel's copy, not the checkout's

    demo = _run([cli, "demo", "--json"], cwd=work, env=env)
    assert demo.returncode == 0, demo.stderr[-3000:]
    report = json.loads(demo.stdout)
    assert report["checks"] and all(report["checks"].values()), report["checks"]
    for row in report["tokens"]:
        assert row["feesLamports"] > 0
        assert row["feesLamports"] == row["solSpentLamports"] + row["sentToRootLamports"] + row["pendingLamports"]
    totals = report["totals"]
    assert totals["feesLamports"] == totals["creatorFeesFromTrades"]

    sdk_script = """
import asyncio, json, sys
import asdf_dat
from asdf_dat.sandbox import build_sandbox
from asdf_dat.programs import deploy_source
from asdf_dat.idl import load_idl

async def main():
    eco = await build_sandbox()
    trades = eco.trades(eco.buy(eco.root, 200_000_000, eco.traders[0]))
    state = await eco.client.state()
    stats = await eco.client.all_token_stats(eco.mints)
    print(json.dumps({
        "file": asdf_dat.__file__, "version": asdf_dat.__version__, "path": sys.path,
        "source": deploy_source()[1], "idlInstructions": len(load_idl().instructions),
        "root": str(state.root_mint), "expectedRoot": str(eco.root.mint),
        "registered": sum(s is not None for s in stats.values()), "tokens": len(eco.tokens),
        "creatorFee": sum(t.creator_fee for t in trades),
    }))

asyncio.run(main())
"""
    sdk = _run([env_dir / "bin" / "python", "-c", sdk_script], cwd=work, env=env)
    assert sdk.returncode == 0, sdk.stderr[-3000:]
    facts = json.loads(sdk.stdout)
    assert facts["file"].startswith(str(env_dir))
    assert not any(entry.startswith(str(REPO_ROOT)) for entry in facts["path"])
    assert facts["source"] == "package" and facts["idlInstructions"] > 10
    assert facts["root"] == facts["expectedRoot"] and facts["registered"] == facts["tokens"] >= 3
    assert facts["creatorFee"] > 0

    # doctor against a localnet served by the installed package, the wallet it writes, no daemon.
    localnet = subprocess.Popen(
        [str(cli), "localnet", "--port", "0", "--state-dir", str(work)],
        cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert localnet.stdout is not None
        first = localnet.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)", first)
        assert match, first + localnet.stderr.read() if localnet.stderr else first
        rpc_env = {**env, "RPC_URL": match.group(0), "DAEMON_URL": "http://127.0.0.1:9"}
        doctor = _run([cli, "doctor", "--network", "localnet", "--json"], cwd=work, env=rpc_env)
        assert doctor.returncode == 0, doctor.stdout + doctor.stderr
        checks = {c["name"]: c for c in json.loads(doctor.stdout)["checks"]}
        assert checks["rpc"]["status"] == "ok" and checks["program deployed"]["status"] == "ok"
        assert checks["wallet"]["status"] == "ok" and "mode 600" in checks["wallet"]["detail"]
        assert checks["daemon"]["status"] == "warn"
        assert all(checks[f"program {c}"]["status"] == "ok" for c in CRATES)
        text = _run([cli, "doctor", "--network", "localnet"], cwd=work, env=rpc_env)
        assert text.returncode == 0 and "solders 0.26" in text.stdout and _sha256(DEPLOY / "asdf_dat.so") in text.stdout
    finally:
        localnet.terminate()
        localnet.wait(timeout=30)

    # Nothing reachable: doctor says what failed and exits 1.
    (work / "localnet-wallet.json").chmod(0o644)
    down = _run([cli, "doctor", "--network", "localnet", "--json"], cwd=work, env={**env, "RPC_URL": "http://127.0.0.1:9"})
    assert down.returncode == 1
    checks = {c["name"]: c for c in json.loads(down.stdout)["checks"]}
    assert checks["rpc"]["status"] == "fail" and checks["wallet"]["status"] == "warn"


def test_sdist_without_programs_fails_clearly(tmp_path: Path) -> None:
    tree = tmp_path / "checkout"
    tree.mkdir()
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "LICENSE"):
        shutil.copy(REPO_ROOT / name, tree / name)
    shutil.copytree(REPO_ROOT / "sdk", tree / "sdk", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    built = _run([sys.executable, "-m", "build", "--outdir", tmp_path / "dist", tree], cwd=tree, env=dict(os.environ))
    assert built.returncode != 0
    assert (
        "target/deploy/asdf_dat.so, target/deploy/pump_standin.so, idl/asdf_dat.json are missing"
        in built.stdout + built.stderr
    )
    assert "make build" in built.stdout + built.stderr
