"""Check a built wheel: it carries the programs and the IDL, byte for byte what `make build` wrote.

    python scripts/wheel_check.py dist/      prints each bundled file's sha256; exit 1 on a mismatch
"""

from __future__ import annotations

import hashlib
import sys
import zipfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
BUNDLED = {
    "asdf_dat/_bundled/programs/asdf_dat.so": REPO_ROOT / "target/deploy/asdf_dat.so",
    "asdf_dat/_bundled/programs/pump_standin.so": REPO_ROOT / "target/deploy/pump_standin.so",
    "asdf_dat/_bundled/idl/asdf_dat.json": REPO_ROOT / "idl/asdf_dat.json",
}


def main(dist: Path) -> int:
    wheels = sorted(dist.glob("asdf_dat-*.whl"))
    if len(wheels) != 1:
        print(f"error: expected one asdf_dat wheel in {dist}, found {len(wheels)}", file=sys.stderr)
        return 1
    failures = 0
    with zipfile.ZipFile(wheels[0]) as wheel:
        names = set(wheel.namelist())
        for member, source in BUNDLED.items():
            if member not in names:
                print(f"error: {wheels[0].name} lacks {member}", file=sys.stderr)
                failures += 1
                continue
            packed = hashlib.sha256(wheel.read(member)).hexdigest()
            built = hashlib.sha256(source.read_bytes()).hexdigest()
            same = packed == built
            failures += not same
            print(
                f"{'ok' if same else 'MISMATCH'} {member} sha256 {packed}" + ("" if same else f" != {source} {built}")
            )
        for required in ("asdf_dat/py.typed",):
            if required not in names:
                print(f"error: {wheels[0].name} lacks {required}", file=sys.stderr)
                failures += 1
    print(wheels[0])
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "dist")))
