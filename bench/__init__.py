"""Benchmarks and the cost model of asdf-dat, on the embedded localnet (in-process LiteSVM).

`python -m bench` (or `make bench`) prints every table and writes `docs/BENCHMARKS.md`;
`python -m bench cu` prints the compute units alone; `--quick` is the CI variant.

Modules: `logs` (compute units per program from transaction logs), `world` (N-token
ecosystems, volume, attribution), `cu` (per-instruction and per-cycle compute units),
`scaling` (transactions, CU, fees and wall time per ecosystem size), `daemon` (RPC load, from
`bench/daemon_rpc_load.py`), `demo` (the embedded demo's wall time), `tables` (rich + Markdown).
"""
