#!/usr/bin/env python3
"""Generate the typed Python client (sdk/asdf_dat/generated/) from idl/asdf_dat.json.

Runs anchorpy3's `client-gen` (in its own venv: its CLI extra pins typer 0.4 and click<8.2,
which our CLI cannot use) and fixes what the generator gets wrong, here rather than by
hand-editing its output:

- Anchor v2 Pod wrappers are IDL type aliases, which anchorpy3 rejects: inlined first.
- The generator hard-codes any account *named* `token_program` to SPL Token; that name is
  removed from its constant-account table before it runs, so callers pass SPL Token or
  Token-2022 (the program checks which).
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

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "sdk"))

from asdf_dat.idl import inline_type_aliases  # noqa: E402

IDL_PATH = REPO_ROOT / "idl" / "asdf_dat.json"
OUT_DIR = REPO_ROOT / "sdk" / "asdf_dat" / "generated"
CODEGEN_REQUIREMENTS = ["anchorpy3[cli]==0.4.5", "click<8.2"]
# Runs anchorpy's CLI with `token_program` removed from its name-based constant accounts.
CLIENT_GEN = """
import sys
import anchorpy.clientgen.instructions as instructions_gen
instructions_gen.CONST_ACCOUNTS.pop("token_program")
from anchorpy.cli import app
sys.argv = ["anchorpy", "client-gen", sys.argv[1], sys.argv[2], "--pdas"]
app()
"""


def codegen_python() -> Path:
    cache = Path(os.environ.get("ASDF_DAT_CACHE", Path.home() / ".cache" / "asdf-dat"))
    venv = cache / "codegen-venv"
    stamp = venv / ("asdf-dat-" + "-".join(CODEGEN_REQUIREMENTS).replace("/", "_"))
    if not stamp.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", *CODEGEN_REQUIREMENTS], check=True)
        stamp.touch()
    return venv / "bin" / "python"


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
    idl = inline_type_aliases(json.loads(IDL_PATH.read_text()))
    with tempfile.TemporaryDirectory() as scratch:
        idl_file = Path(scratch) / "asdf_dat.json"
        idl_file.write_text(json.dumps(idl, indent=2))
        subprocess.run(
            [str(codegen_python()), "-c", CLIENT_GEN, str(idl_file), str(into)],
            check=True, stdout=subprocess.DEVNULL,
        )
    add_annotations(into)
    # The generated client (its default `program_id` arguments and the PDAs it derives at import)
    # takes the id from the SDK's one place, not from the IDL's literal: see asdf_dat.programs.
    (into / "program_id.py").write_text(PROGRAM_ID_MODULE)
    (into / "py.typed").write_text("")


PROGRAM_ID_MODULE = '''"""The asdf_dat program id: `asdf_dat.programs.ASDF_DAT_PROGRAM_ID` (--program-id,
ASDF_DAT_PROGRAM_ID, Anchor.toml, else the built-in id). Written by scripts/gen_client.py."""

from asdf_dat.programs import ASDF_DAT_PROGRAM_ID as PROGRAM_ID

__all__ = ["PROGRAM_ID"]
'''


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
