#!/usr/bin/env bash
# The test command (`make test`, called by .ci/run): build with the IDL check, the Rust lint
# gates (rustfmt, clippy -D warnings), host unit tests of the Rust crates, the Python lint gates
# (ruff, mypy --strict over sdk/, bench/, tests/, scripts/), the Python suite (SBF programs in
# LiteSVM), then the suites that need a tool built once into
# the cache: `validator` (a real solana-test-validator) and `anchor` (anchor-cli 2.0.0-rc.2:
# `anchor deploy` against our localnet endpoint).
#
# A cold machine has neither tool yet: their builds (about 40 and 15-30 minutes on 2 cores,
# niced) start in the background first and the other suites run meanwhile; a warm cache costs
# nothing. If anchor-cli cannot be built here (no crates.io, no nightly toolchain), the anchor
# tests are skipped with the build's last error as the reason; a validator that cannot be built
# fails the run.
# Arguments are passed to pytest (then one pytest run, after both tools are there).
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
anchor_log="$cache_dir/anchor-build.log"
anchor_pid=""
if ! bash scripts/anchor.sh --find >/dev/null; then
  echo "==> anchor-cli: not cached, building it in the background (log: $anchor_log)"
  bash scripts/anchor.sh >"$anchor_log" 2>&1 &
  anchor_pid=$!
fi

wait_for_validator() {
  if [[ -n "$validator_pid" ]]; then
    echo "==> waiting for the solana-test-validator build"
    if ! wait "$validator_pid"; then
      echo "solana-test-validator build failed; last lines of $validator_log:" >&2
      tail -n 40 "$validator_log" >&2
      exit 1
    fi
    validator_pid=""
  fi
  echo "==> solana-test-validator: $(bash scripts/validator.sh --find)"
}

# tests/conftest.py's `anchor_cli` fixture skips with $ASDF_DAT_ANCHOR_UNAVAILABLE as the reason
# when it is set, and fails when anchor-cli is missing otherwise.
wait_for_anchor() {
  if [[ -n "$anchor_pid" ]]; then
    echo "==> waiting for the anchor-cli build"
    if ! wait "$anchor_pid"; then
      reason="anchor-cli 2.0.0-rc.2 could not be built here ($anchor_log): $(grep -m1 -E '^error' "$anchor_log" || tail -n1 "$anchor_log")"
      echo "$reason" >&2
      export ASDF_DAT_ANCHOR_UNAVAILABLE="$reason"
    fi
    anchor_pid=""
  fi
  if path=$(bash scripts/anchor.sh --find); then
    echo "==> anchor-cli: $path"
  fi
}

bash scripts/build.sh --check

echo "==> cargo fmt --check, cargo clippy -D warnings (host build of our crates)"
# rustup's host toolchain runs the unit tests; a minimal profile may lack the lint tools.
for component in rustfmt clippy; do
  if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
    rustup component add "$component"
  fi
done
cargo fmt --all --check
# Only our crates: the vendored anchor-lang is not linted (clippy sees workspace members only).
# Every `unsafe` block needs its `// SAFETY:` comment.
cargo clippy --quiet --workspace --all-targets -- -D warnings -D clippy::undocumented_unsafe_blocks

echo "==> cargo test (host unit tests of the on-chain crates)"
cargo test --quiet --workspace

echo "==> ruff check (pyflakes, import order, bugbear, pyupgrade, line length; pyproject.toml [tool.ruff])"
.venv/bin/ruff check .

echo "==> mypy --strict sdk/ bench/ tests/ scripts/"
.venv/bin/mypy sdk/ bench/ tests/ scripts/

echo "==> JavaScript clients for the validator suite (@solana/web3.js, @coral-xyz/anchor)"
bash scripts/node-clients.sh

if (($#)); then
  wait_for_validator
  wait_for_anchor
  echo "==> pytest $*"
  .venv/bin/pytest -q "$@"
  exit 0
fi

echo "==> pytest (everything but the validator and anchor suites)"
.venv/bin/pytest -q -m "not validator and not anchor"

wait_for_anchor
echo "==> pytest -m anchor (anchor-cli against the localnet endpoint)"
started=$SECONDS
summary=$(mktemp)
trap 'rm -f "$summary"' EXIT
set +e
.venv/bin/pytest -q -m "anchor and not validator" | tee "$summary"
anchor_status=${PIPESTATUS[0]}
set -e
echo "==> anchor suite: $(grep -Eo '[0-9]+ (passed|skipped)' "$summary" | tr '\n' ' ' || echo '0 passed') in $((SECONDS - started)) s (exit $anchor_status)"

wait_for_validator
echo "==> pytest -m validator (against solana-test-validator)"
started=$SECONDS
set +e
.venv/bin/pytest -q -m validator | tee "$summary"
status=${PIPESTATUS[0]}
set -e
echo "==> validator suite: $(grep -Eo '[0-9]+ passed' "$summary" | tail -n1 || echo '0 passed') in $((SECONDS - started)) s (exit $status)"
if ((anchor_status != 0)); then exit "$anchor_status"; fi
exit "$status"
