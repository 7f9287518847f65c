#!/usr/bin/env python3
"""`sell-spl-tokens-simple` (OPERATIONS.md), the Python version of scripts/sell-spl-tokens-simple.ts. See `--help`."""

from asdf_dat.cli.scripts import run_script

if __name__ == "__main__":
    run_script("sell-spl-tokens-simple")
