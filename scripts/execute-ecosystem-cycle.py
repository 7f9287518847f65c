#!/usr/bin/env python3
"""`execute-ecosystem-cycle` (OPERATIONS.md), the Python version of scripts/execute-ecosystem-cycle.ts. See `--help`."""

from asdf_dat.cli.scripts import run_script

if __name__ == "__main__":
    run_script("execute-ecosystem-cycle")
