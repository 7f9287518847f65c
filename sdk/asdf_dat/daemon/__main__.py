"""`python -m asdf_dat.daemon --network localnet`."""

import sys

from asdf_dat.daemon.entry import main

sys.exit(main())
