#!/usr/bin/env python3
"""`check-pool-liquidity` (OPERATIONS.md), the Python version of scripts/check-pool-liquidity.ts. See `--help`."""

from asdf_dat.cli.scripts import run_script

if __name__ == "__main__":
    run_script("check-pool-liquidity")
