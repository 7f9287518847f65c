"""The `asdf-dat` console entry point.

`--program-id <id>` (anywhere on the command line) is taken out and exported as
`ASDF_DAT_PROGRAM_ID` before the SDK is imported, so every command, the daemon and the localnet
resolve the same id from one place (`asdf_dat.programs.resolve_program_id`).
"""

from __future__ import annotations

import os
import sys

PROGRAM_ID_FLAG = "--program-id"


def extract_program_id(argv: list[str]) -> tuple[str | None, list[str]]:
    """(`--program-id` value or None, the other arguments). A flag without a value is left in
    place, so the parser reports it."""
    rest: list[str] = []
    program_id: str | None = None
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg == "--":
            rest.extend(argv[index:])
            break
        if arg.startswith(PROGRAM_ID_FLAG + "="):
            program_id = arg.split("=", 1)[1]
        elif arg == PROGRAM_ID_FLAG and index + 1 < len(argv):
            program_id = argv[index + 1]
            index += 1
        else:
            rest.append(arg)
        index += 1
    return program_id, rest


def main() -> None:
    program_id, rest = extract_program_id(sys.argv[1:])
    if program_id is not None:
        os.environ["ASDF_DAT_PROGRAM_ID"] = program_id
    try:
        from asdf_dat.cli import app  # imported after the id is set: the SDK resolves it on import
    except ValueError as exc:  # ProgramIdError: a bad --program-id, ASDF_DAT_PROGRAM_ID or Anchor.toml
        print(f"Error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    app(args=rest, prog_name="asdf-dat")


if __name__ == "__main__":
    main()
