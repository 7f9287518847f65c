#!/usr/bin/env bash
# The test command (`make test`, called by .ci/run): build with the IDL check, host unit
# tests of the Rust crates, the Python suite (SBF programs in LiteSVM), mypy --strict, then the
# `validator` suite against a real solana-test-validator.
#
# A cold machine has no validator yet: its build (about 40 minutes on 2 cores, niced) starts
# in the background first and the other suites run meanwhile; a warm cache costs nothing.
# Arguments are passed to pytest (then one pytest run, after the validator is there).
set -euo pipefail
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo_root"

cache_dir=${ASDF_DAT_CACHE:-$HOME/.cache/asdf-dat}
mkdir -p "$cache_dir"
validator_log="$cache_dir/validator-build.log"
validator_pid=""
if ! bash scripts/validator.sh --find >/dev/null; then
  echo "==> solana-test-validator: not cached, building it in the background (log: $validator_log)"
  bash scripts/validator.sh >"$validator_log" 2>&1 &
  validator_pid=$!
fi

wait_for_validator() {
  if [[ -n "$validator_pid" ]]; then
    echo "==> waiting for the solana-test-validator build"
    if ! wait "$validator_pid"; then
      echo "solana-test-validator build failed; last lines of $validator_log:" >&2
      tail -n 40 "$validator_log" >&2
      exit 1
    fi
  fi
  echo "==> solana-test-validator: $(bash scripts/validator.sh --find)"
}

bash scripts/build.sh --check

echo "==> cargo test (host unit tests of the on-chain crates)"
cargo test --quiet --workspace

echo "==> mypy --strict sdk/"
.venv/bin/mypy sdk/

echo "==> JavaScript clients for the validator suite (@solana/web3.js, @coral-xyz/anchor)"
bash scripts/node-clients.sh

if (($#)); then
  wait_for_validator
  echo "==> pytest $*"
  .venv/bin/pytest -q "$@"
  exit 0
fi

echo "==> pytest (everything but the validator suite)"
.venv/bin/pytest -q -m "not validator"

wait_for_validator
echo "==> pytest -m validator (against solana-test-validator)"
started=$SECONDS
summary=$(mktemp)
trap 'rm -f "$summary"' EXIT
set +e
.venv/bin/pytest -q -m validator | tee "$summary"
status=${PIPESTATUS[0]}
set -e
echo "==> validator suite: $(grep -Eo '[0-9]+ passed' "$summary" | tail -n1 || echo '0 passed') in $((SECONDS - started)) s (exit $status)"
exit "$status"
