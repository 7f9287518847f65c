#!/usr/bin/env python3
"""`check-current-stats` (OPERATIONS.md), the Python version of scripts/check-current-stats.ts. See `--help`."""

from asdf_dat.cli.scripts import run_script

if __name__ == "__main__":
    run_script("check-current-stats")
