#!/usr/bin/env python3
"""`resume` (OPERATIONS.md), the Python version of scripts/resume.ts. See `--help`."""

from asdf_dat.cli.scripts import run_script

if __name__ == "__main__":
    run_script("resume")
