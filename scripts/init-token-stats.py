#!/usr/bin/env python3
"""`init-token-stats` (OPERATIONS.md), the Python version of scripts/init-token-stats.ts. See `--help`."""

from asdf_dat.cli.scripts import run_script

if __name__ == "__main__":
    run_script("init-token-stats")
