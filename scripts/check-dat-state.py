#!/usr/bin/env python3
"""`check-dat-state` (OPERATIONS.md), the Python version of scripts/check-dat-state.ts. See `--help`."""

from asdf_dat.cli.scripts import run_script

if __name__ == "__main__":
    run_script("check-dat-state")
