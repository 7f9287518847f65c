#!/usr/bin/env python3
"""The fee daemon (seed command): `python scripts/monitor-ecosystem-fees.py --network devnet`.

A thin wrapper over `asdf_dat.daemon.entry.main` (with the autopilot for `--autopilot`); see `--help`.
"""

import sys

from asdf_dat.cli.autopilot import daemon_companion
from asdf_dat.daemon.entry import main

if __name__ == "__main__":
    sys.exit(main(autopilot=daemon_companion))
