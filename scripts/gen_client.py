#!/usr/bin/env python3
"""Generate the typed Python client (sdk/asdf_dat/generated/) from idl/asdf_dat.json.

Runs anchorpy3's `client-gen` (in its own venv: its CLI extra pins typer 0.4 and click<8.2,
which our CLI cannot use) and fixes what the generator gets wrong, here rather than by
hand-editing its output:

- Anchor v2 Pod wrappers are IDL type aliases, which anchorpy3 rejects: inlined first.
- An account named `token_program` with a fixed address would be hard-coded to SPL Token;
  the address is dropped so callers pass SPL Token or Token-2022.
- Generated `__init__` methods and `Container` parameters lack annotations that
  `mypy --strict` requires: added.

    scripts/gen_client.py --write      regenerate
    scripts/gen_client.py --check      fail if the committed client differs (CI)
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "sdk"))

from asdf_dat.idl import inline_type_aliases  # noqa: E402

IDL_PATH = REPO_ROOT / "idl" / "asdf_dat.json"
OUT_DIR = REPO_ROOT / "sdk" / "asdf_dat" / "generated"
CODEGEN_REQUIREMENTS = ["anchorpy3[cli]==0.4.5", "click<8.2"]
TOKEN_PROGRAM_ACCOUNT_NAMES = {"token_program", "base_token_program"}


def codegen_python() -> Path:
    cache = Path(os.environ.get("ASDF_DAT_CACHE", Path.home() / ".cache" / "asdf-dat"))
    venv = cache / "codegen-venv"
    stamp = venv / ("asdf-dat-" + "-".join(CODEGEN_REQUIREMENTS).replace("/", "_"))
    if not stamp.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", *CODEGEN_REQUIREMENTS], check=True)
        stamp.touch()
    return venv / "bin" / "anchorpy"


def unpin_token_programs(node: Any) -> Any:
    if isinstance(node, dict):
        if node.get("name") in TOKEN_PROGRAM_ACCOUNT_NAMES and "address" in node:
            node = {key: value for key, value in node.items() if key != "address"}
        return {key: unpin_token_programs(value) for key, value in node.items()}
    if isinstance(node, list):
        return [unpin_token_programs(item) for item in node]
    return node


TYPING_FIXES = [
    (re.compile(r"def __init__\(self\):"), "def __init__(self) -> None:"),
    (re.compile(r"obj: Container\)"), "obj: Container[typing.Any])"),
    (re.compile(r"typing\.cast\(Construct,"), "typing.cast(\"Construct[typing.Any, typing.Any]\","),
]


def add_annotations(directory: Path) -> None:
    for path in directory.rglob("*.py"):
        text = path.read_text()
        for pattern, replacement in TYPING_FIXES:
            text = pattern.sub(replacement, text)
        path.write_text(text)


def generate(into: Path) -> None:
    idl = unpin_token_programs(inline_type_aliases(json.loads(IDL_PATH.read_text())))
    with tempfile.TemporaryDirectory() as scratch:
        idl_file = Path(scratch) / "asdf_dat.json"
        idl_file.write_text(json.dumps(idl, indent=2))
        subprocess.run(
            [str(codegen_python()), "client-gen", str(idl_file), str(into), "--pdas"],
            check=True, stdout=subprocess.DEVNULL,
        )
    add_annotations(into)
    (into / "py.typed").write_text("")


def trees_equal(left: Path, right: Path) -> bool:
    comparison = filecmp.dircmp(left, right, ignore=["__pycache__"])
    if comparison.left_only or comparison.right_only or comparison.diff_files or comparison.funny_files:
        return False
    return all(trees_equal(left / sub, right / sub) for sub in comparison.common_dirs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true")
    mode.add_argument("--check", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch) / "generated"
        generate(fresh)
        if args.check:
            if not OUT_DIR.exists() or not trees_equal(fresh, OUT_DIR):
                print("sdk/asdf_dat/generated is stale: run `make build` and commit it", file=sys.stderr)
                return 1
            return 0
        shutil.rmtree(OUT_DIR, ignore_errors=True)
        shutil.copytree(fresh, OUT_DIR)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
