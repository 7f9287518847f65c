#!/usr/bin/env python3
"""Generate a program's Anchor IDL the way `anchor idl build` does, without the Anchor CLI.

Anchor v2's macros emit, under the crate's `idl-build` feature, test functions that print
marker-delimited JSON fragments (address, program, errors, events, constants). This runs
those tests on the host and joins the fragments into one IDL (spec 0.1.0), deterministically.

    scripts/idl_build.py --crate asdf_dat --out idl/asdf_dat.json --write
    scripts/idl_build.py --crate asdf_dat --out idl/asdf_dat.json --check   # CI: no drift
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

SECTION = re.compile(r"--- IDL begin (\w+) ---\n(.*?)\n--- IDL end \1 ---", re.DOTALL)


def print_idl_fragments(crate: str, repo_root: Path) -> list[tuple[str, str]]:
    command = [
        "cargo", "test", "--quiet", "-p", crate, "--features", "idl-build", "--lib",
        "__anchor_private_print_idl", "--", "--nocapture", "--test-threads=1",
    ]
    result = subprocess.run(command, cwd=repo_root, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stderr[-4000:])
        raise SystemExit(f"IDL build failed: {' '.join(command)} exited {result.returncode}")
    fragments = SECTION.findall(result.stdout)
    if not fragments:
        raise SystemExit(f"IDL build printed no IDL sections for crate {crate}")
    return fragments


def assemble(fragments: list[tuple[str, str]]) -> dict[str, Any]:
    address = ""
    program: dict[str, Any] | None = None
    errors: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    constants: list[dict[str, Any]] = []
    extra_types: list[dict[str, Any]] = []
    for kind, body in fragments:
        if kind == "address":
            address = body.strip()
        elif kind == "program":
            program = json.loads(body)
        elif kind == "errors":
            errors.extend(json.loads(body))
        elif kind == "event":
            payload = json.loads(body)
            events.append(payload["event"])
            extra_types.extend(payload["types"])
        elif kind == "const":
            constants.append(json.loads(body))
        else:
            raise SystemExit(f"unknown IDL section {kind!r}")
    if program is None:
        raise SystemExit("IDL build printed no program section")

    types_by_name: dict[str, dict[str, Any]] = {}
    for type_def in [*program.get("types", []), *extra_types]:
        previous = types_by_name.setdefault(type_def["name"], type_def)
        if previous != type_def:
            raise SystemExit(f"conflicting IDL definitions for type {type_def['name']!r}")

    idl: dict[str, Any] = {
        "address": address,
        "metadata": program["metadata"],
        "instructions": program["instructions"],
        "accounts": sorted(program.get("accounts", []), key=lambda entry: entry["name"]),
        "events": sorted(events, key=lambda entry: entry["name"]),
        "errors": sorted(errors, key=lambda entry: entry["code"]),
        "types": [types_by_name[name] for name in sorted(types_by_name)],
    }
    if constants:
        idl["constants"] = sorted(constants, key=lambda entry: entry["name"])
    return idl


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--crate", required=True)
    parser.add_argument("--out", required=True, type=Path)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="write the IDL (default)")
    mode.add_argument("--check", action="store_true", help="fail if --out differs from a fresh IDL")
    args = parser.parse_args()

    repo_root = Path(__file__).resolve().parents[1]
    fresh = json.dumps(assemble(print_idl_fragments(args.crate, repo_root)), indent=2) + "\n"
    out_path = args.out if args.out.is_absolute() else repo_root / args.out

    if args.check:
        committed = out_path.read_text() if out_path.exists() else ""
        if committed != fresh:
            diff = difflib.unified_diff(
                committed.splitlines(keepends=True), fresh.splitlines(keepends=True),
                fromfile=f"{args.out} (committed)", tofile=f"{args.out} (fresh)",
            )
            sys.stderr.writelines(list(diff)[:200])
            print(f"{args.out} is stale: run `make build` and commit it", file=sys.stderr)
            return 1
        return 0

    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(fresh)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
