#!/usr/bin/env python3
"""`generate-volume` (OPERATIONS.md), the Python version of scripts/generate-volume.ts. See `--help`."""

from asdf_dat.cli.scripts import run_script

if __name__ == "__main__":
    run_script("generate-volume")
