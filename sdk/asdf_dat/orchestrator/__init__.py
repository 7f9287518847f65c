"""The orchestrator: plans an ecosystem cycle from on-chain state (with `asdf_dat.dat.cycle`), builds,
packs and executes or simulates it (`executor`, the one cycle path), writes the seed's dry-run
report (`report`), moves graduated tokens (`graduate`), creates tokens (`token_creation`) and
trades test volume (`trading`). The operator commands that run it live in `asdf_dat.cli`."""
