#!/usr/bin/env python3
"""`set-root-token` (OPERATIONS.md), the Python version of scripts/set-root-token.ts. See `--help`."""

from asdf_dat.cli.scripts import run_script

if __name__ == "__main__":
    run_script("set-root-token")
