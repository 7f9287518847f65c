"""The orchestrator: plans an ecosystem cycle from on-chain state (with `asdf_dat.dat.cycle`), executes or
simulates it (`executor`), writes the seed's dry-run report (`report`), and the operator
commands of OPERATIONS.md (`commands`)."""
