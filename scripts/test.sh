#!/usr/bin/env bash
# The test command (`make test`, called by .ci/run): build with the IDL check, host unit
# tests of the Rust crates, the Python suite (SBF programs in LiteSVM) and mypy --strict.
set -euo pipefail
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo_root"

bash scripts/build.sh --check

echo "==> cargo test (host unit tests of the on-chain crates)"
cargo test --quiet --workspace

echo "==> mypy --strict sdk/"
.venv/bin/mypy sdk/

echo "==> pytest"
.venv/bin/pytest -q "$@"
