#!/usr/bin/env bash
# `make anchor`: find or build (once) anchor-cli 2.0.0-rc.2 and print its path.
#
# Order: $ANCHOR_CLI, then `anchor` on PATH if it is the right version, then the cache
# (~/.cache/asdf-dat/anchor-cli-<version>), else build it from crates.io into the cache
# (about 15 minutes on 2 cores). anchor-cli rc.2 asks for rustc 1.97.1; nightly builds it with
# --ignore-rust-version. The target dir lives in the cache, so an interrupted build resumes.
#
#   scripts/anchor.sh            find or build, print the path
#   scripts/anchor.sh --find     print the path if present, exit 1 otherwise (never builds)
set -euo pipefail

readonly ANCHOR_VERSION="2.0.0-rc.2"
cache_dir=${ASDF_DAT_CACHE:-$HOME/.cache/asdf-dat}
install_root="$cache_dir/anchor-cli-$ANCHOR_VERSION"
cached_binary="$install_root/bin/anchor"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

find_anchor() {
  if [[ -n "${ANCHOR_CLI:-}" && -x "$ANCHOR_CLI" ]]; then
    echo "$ANCHOR_CLI"; return 0
  fi
  if command -v anchor >/dev/null 2>&1 && anchor --version 2>/dev/null | grep -q "$ANCHOR_VERSION"; then
    command -v anchor; return 0
  fi
  if [[ -x "$cached_binary" ]]; then
    echo "$cached_binary"; return 0
  fi
  return 1
}

if find_anchor; then exit 0; fi
[[ "${1:-}" == "--find" ]] && exit 1

rustup_bin="$HOME/.cargo/bin"
if [[ -x "$rustup_bin/rustup" ]]; then
  "$rustup_bin/rustup" toolchain list | grep -q '^nightly' || "$rustup_bin/rustup" toolchain install nightly --profile minimal
fi
log "building anchor-cli $ANCHOR_VERSION from crates.io (about 15 minutes on 2 cores, once)"
mkdir -p "$install_root"
CARGO_TARGET_DIR="$cache_dir/anchor-build" nice -n 10 "$rustup_bin/cargo" +nightly install --locked \
  --ignore-rust-version "anchor-cli@$ANCHOR_VERSION" --root "$install_root"
rm -rf "$cache_dir/anchor-build"
echo "$cached_binary"
